//! Reading the old site safely: a walk that never leaves SRC (symbolic links are listed as
//! skipped, not followed), stops at a fixed depth, and reads text only up to a size limit, so
//! a hostile tree costs bounded time and memory.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::report::Report;

/// Folders nested deeper than this below SRC are not read.
const MAX_DEPTH: usize = 32;
/// A content or data file larger than this is skipped, not read.
pub(super) const MAX_TEXT: u64 = 8 * 1024 * 1024;

/// A file of the old site.
#[derive(Debug, Clone)]
pub(super) struct File {
    /// Its path relative to the folder walked, `/`-separated.
    pub(super) rel: String,
    /// Its path on disk.
    pub(super) path: PathBuf,
}

/// Every regular file below `dir`, sorted by path. `shown` is how `dir` is named in the
/// report (relative to SRC); symbolic links, unreadable entries and too deep folders are
/// reported as skipped. `skip_dir` leaves out folders (by their path relative to `dir`).
pub(super) fn files(
    dir: &Path,
    shown: &str,
    report: &mut Report,
    skip_dir: &dyn Fn(&str) -> bool,
) -> Vec<File> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .max_depth(MAX_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_type().is_dir() || !skip_dir(&rel_of(dir, e.path()))
        });
    for entry in walker {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                let rel = err.path().map(|p| rel_of(dir, p)).unwrap_or_default();
                report.skip(join(shown, &rel), 0, format!("cannot be read: {err}"));
                continue;
            }
        };
        let rel = rel_of(dir, e.path());
        let odd_name = e
            .path()
            .strip_prefix(dir)
            .ok()
            .and_then(Path::to_str)
            .is_none_or(|r| r.contains('\\'));
        if odd_name {
            // Its name in the new site could not be the same; presswerk names files in UTF-8
            // with `/` as the only separator.
            report.skip(
                join(shown, &rel),
                0,
                "the name is not UTF-8 or holds a `\\`",
            );
        } else if e.path_is_symlink() {
            report.skip(join(shown, &rel), 0, "a symbolic link: not followed");
        } else if e.file_type().is_dir() && e.depth() == MAX_DEPTH {
            report.skip(
                join(shown, &rel),
                0,
                format!("nested deeper than {MAX_DEPTH} folders: not read"),
            );
        } else if e.file_type().is_file() {
            out.push(File {
                rel,
                path: e.into_path(),
            });
        }
    }
    out
}

/// `rel` below the report name `shown` of its folder.
pub(super) fn join(shown: &str, rel: &str) -> String {
    let shown = shown.trim_end_matches('/');
    match (shown.is_empty(), rel.is_empty()) {
        (true, _) => rel.to_string(),
        (false, true) => shown.to_string(),
        (false, false) => format!("{shown}/{rel}"),
    }
}

fn rel_of(dir: &Path, path: &Path) -> String {
    crate::source::display_path(dir, path)
}

/// Why a text file cannot be used, for the report.
pub(super) enum Unreadable {
    /// Larger than [`MAX_TEXT`].
    TooLarge(u64),
    /// Not UTF-8.
    NotText,
    /// The OS refused.
    Io(std::io::Error),
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::TooLarge(n) => write!(
                f,
                "too large ({} MiB; at most {} MiB are read)",
                n / (1024 * 1024),
                MAX_TEXT / (1024 * 1024)
            ),
            Unreadable::NotText => write!(f, "not UTF-8 text"),
            Unreadable::Io(e) => write!(f, "cannot be read: {e}"),
        }
    }
}

/// Reads a text file of at most [`MAX_TEXT`] bytes, without a byte order mark.
pub(super) fn read_text(path: &Path) -> Result<String, Unreadable> {
    let file = fs::File::open(path).map_err(Unreadable::Io)?;
    let len = file.metadata().map_err(Unreadable::Io)?.len();
    if len > MAX_TEXT {
        return Err(Unreadable::TooLarge(len));
    }
    // Read one byte more than allowed: a file that grew after the check is still refused.
    let mut bytes = Vec::new();
    file.take(MAX_TEXT + 1)
        .read_to_end(&mut bytes)
        .map_err(Unreadable::Io)?;
    if bytes.len() as u64 > MAX_TEXT {
        return Err(Unreadable::TooLarge(bytes.len() as u64));
    }
    let text = String::from_utf8(bytes).map_err(|_| Unreadable::NotText)?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}
