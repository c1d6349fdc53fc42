//! Loading: walk `content/`, read every file, split and parse front matter (in parallel).

pub mod front_matter;
pub mod slug;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::{SourceFile, Span};
pub use front_matter::{Address, FrontMatter, Kind, Spanned};

/// One Markdown file of `content/`, read and with its front matter parsed.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file.
    pub source: Arc<SourceFile>,
    /// Page, section index or author profile.
    pub kind: Kind,
    /// The folder below `content/` (`""` for the root, `artikel`, `a/b`), `/`-separated.
    pub section: String,
    /// The file stem (`2007-11-06-regionalgruppe-rheinland`, `_index`).
    pub stem: String,
    /// Typed front matter.
    pub front: FrontMatter,
    /// The Markdown body.
    pub body: Span,
}

impl Document {
    /// The Markdown body text.
    pub fn body_text(&self) -> &str {
        &self.source.text[self.body.clone()]
    }
}

/// A file of `content/` that is not Markdown: copied next to the page or section it belongs to.
#[derive(Debug, Clone)]
pub struct Asset {
    /// The file on disk.
    pub path: PathBuf,
    /// Its folder below `content/`, `/`-separated.
    pub dir: String,
    /// Its file name.
    pub name: String,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Markdown documents, in path order.
    pub documents: Vec<Document>,
    /// Other files, in path order.
    pub assets: Vec<Asset>,
}

/// Whether a file name is hidden or an editor's temporary file, which the walk skips.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

/// Walks `root/dir` in a stable (sorted) order, yielding files that are not ignored.
/// Problems (unreadable folders) are pushed to `diags`.
pub fn walk_files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
            Ok(_) => {}
            Err(e) => {
                let name = e
                    .path()
                    .map(|p| crate::source::display_path(root, p))
                    .unwrap_or_else(|| crate::source::display_path(root, dir));
                diags.push(
                    Diagnostic::error("io", format!("cannot read: {e}"))
                        .in_file(name)
                        .help("check the file permissions"),
                );
            }
        }
    }
    files
}

/// Reads `content/` of the site: every Markdown file parsed, every other file listed.
pub fn load(config: &Config, diags: &mut Diagnostics) -> Loaded {
    let content = config.root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::error("content-missing", "the site has no content/ folder")
                .in_file("content/")
                .help("create content/_index.md for the home page, or start with `presswerk init DIR`"),
        );
        return Loaded::default();
    }
    let files = walk_files(&config.root, &content, diags);
    let (markdown, other): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|p| p.extension().is_some_and(|e| e == "md"));

    let results: Vec<(Option<Document>, Vec<Diagnostic>)> = markdown
        .par_iter()
        .map(|path| load_document(config, &content, path))
        .collect();
    let mut documents = Vec::with_capacity(results.len());
    for (doc, ds) in results {
        diags.extend(ds);
        documents.extend(doc);
    }
    let assets = other
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(&content).unwrap_or(&path);
            let dir = rel
                .parent()
                .map(|p| crate::source::display_path(Path::new(""), p))
                .unwrap_or_default();
            let name = rel
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Asset { path, dir, name }
        })
        .collect();
    Loaded { documents, assets }
}

/// Reads bytes as UTF-8, or explains where they are not.
pub fn decode_utf8(
    root: &Path,
    path: &Path,
    bytes: Vec<u8>,
) -> Result<SourceFile, Box<Diagnostic>> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(root, path, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text is the same as the original up to the first bad byte, so the
            // span of that byte is the same in both.
            let source = Arc::new(SourceFile::new(root, path, lossy));
            let end = crate::source::floor_char_boundary(&source.text, valid + 3)
                .max(valid + 1)
                .min(source.text.len());
            Err(Box::new(
                Diagnostic::error("not-utf8", "file is not valid UTF-8")
                    .at(&source, valid..end, "this byte is not UTF-8")
                    .help("save the file as UTF-8 (most editors: \"Save with encoding\" → UTF-8)"),
            ))
        }
    }
}

fn load_document(
    config: &Config,
    content: &Path,
    path: &Path,
) -> (Option<Document>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(
                Diagnostic::error("io", format!("cannot read file: {e}"))
                    .in_file(crate::source::display_path(&config.root, path)),
            );
            return (None, diags);
        }
    };
    let source = match decode_utf8(&config.root, path, bytes) {
        Ok(s) => Arc::new(s),
        Err(d) => {
            diags.push(*d);
            return (None, diags);
        }
    };
    let rel = path.strip_prefix(content).unwrap_or(path);
    let section = rel
        .parent()
        .map(|p| crate::source::display_path(Path::new(""), p))
        .unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let kind = if stem == "_index" {
        Kind::Section
    } else if section == config.authors_section {
        Kind::Author
    } else {
        Kind::Page
    };
    let split = match front_matter::split(&source.text) {
        Ok(s) => s,
        Err(fence) => {
            diags.push(
                Diagnostic::error("front-matter-unclosed", "front matter is never closed")
                    .at(&source, fence, "opened here")
                    .help("end the front matter with a line containing only `---`"),
            );
            return (None, diags);
        }
    };
    let Some(front) = front_matter::parse(
        &source,
        split.fence,
        split.yaml,
        kind,
        &config.timezone,
        &mut diags,
    ) else {
        return (None, diags);
    };
    let doc = Document {
        source,
        kind,
        section,
        stem,
        front,
        body: split.body,
    };
    (Some(doc), diags)
}
