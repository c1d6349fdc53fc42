//! [`Output`]: the whole built site in memory (path → bytes), and its atomic writing.
//!
//! Render never touches the disk. `build` writes the output into a fresh folder beside the
//! target and swaps it in only after every file was written, so a failed or interrupted build
//! leaves the previous output as it was; `serve` keeps it in memory.
//!
//! The swap is one `renameat2(RENAME_EXCHANGE)` on Linux: the target path names the complete
//! old tree until the instant it names the complete new one, so even a build killed with
//! SIGKILL at any point leaves a whole site behind (and a web server reading the folder never
//! sees it missing). Elsewhere, or on a file system without the exchange, it falls back to two
//! renames, with a short window in which the target does not exist. Leftovers of a killed build
//! (`.<name>.presswerk-new-<pid>`, `.<name>.presswerk-old-<pid>`) are removed by the next one,
//! under an advisory lock on the parent folder, so two builds into the same folder never
//! remove each other's staging folder.
//!
//! Nothing here calls fsync: the swap protects against a killed or failing build, not against
//! power loss, which would cost a full sync of thousands of files per build.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::Error;

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Rendered bytes, shared with the cache of the next incremental build.
    Bytes(Arc<[u8]>),
    /// A file copied as it is (static files, colocated assets): read when written or served,
    /// so large images are never held in memory.
    Copy(PathBuf),
}

/// The built site: relative `/`-separated paths to their contents, in sorted order.
#[derive(Debug, Default, Clone)]
pub struct Output {
    files: BTreeMap<String, Entry>,
}

/// Why an output path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafePath(pub String);

/// Checks that `path` names a file strictly inside the output folder: relative, no empty,
/// `.` or `..` segments, no backslashes or NUL bytes.
pub fn check_path(path: &str) -> Result<(), UnsafePath> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains(['\\', '\0'])
        || path
            .split('/')
            .any(|seg| seg.is_empty() || seg == "." || seg == "..");
    if bad {
        Err(UnsafePath(path.to_string()))
    } else {
        Ok(())
    }
}

impl Output {
    /// An empty output.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file; refuses any path that could leave the output folder.
    pub fn insert(&mut self, path: String, entry: Entry) -> Result<(), UnsafePath> {
        check_path(&path)?;
        self.files.insert(path, entry);
        Ok(())
    }

    /// Whether a path is taken.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// The entry at `path`.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.files.get(path)
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Files in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Entry)> {
        self.files.iter()
    }

    /// Writes every file into a fresh folder beside `target`, then swaps it in for `target`.
    /// On any error the staging folder is removed and `target` is left untouched.
    pub fn write_atomic(&self, target: &Path) -> Result<u64, Error> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::UnsafeOutput(target.to_path_buf()))?;
        if target.exists() && !target.is_dir() {
            return Err(Error::UnsafeOutput(target.to_path_buf()));
        }
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        // Held until the end of this function: one build at a time writes beside `target`.
        let _lock = lock_dir(&parent).map_err(|e| Error::io(&parent, e))?;
        let pid = std::process::id();
        let staging = parent.join(format!(".{name}.presswerk-new-{pid}"));
        remove_stale(&parent, &name);

        let bytes = match self.write_into(&staging) {
            Ok(b) => b,
            Err(e) => {
                let _ = fs::remove_dir_all(&staging);
                return Err(e);
            }
        };
        if let Err(e) = swap_in(
            &staging,
            target,
            &parent.join(format!(".{name}.presswerk-old-{pid}")),
        ) {
            let _ = fs::remove_dir_all(&staging);
            return Err(Error::io(target, e));
        }
        Ok(bytes)
    }

    fn write_into(&self, dir: &Path) -> Result<u64, Error> {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut dirs: Vec<&str> = self
            .files
            .keys()
            .filter_map(|p| p.rsplit_once('/').map(|(d, _)| d))
            .collect();
        dirs.dedup();
        for d in dirs {
            let path = dir.join(d);
            fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
        let files: Vec<(&String, &Entry)> = self.files.iter().collect();
        files
            .par_iter()
            .map(|(rel, entry)| {
                let dest = dir.join(rel.as_str());
                match entry {
                    Entry::Bytes(b) => fs::write(&dest, b).map(|_| b.len() as u64),
                    Entry::Copy(src) => fs::copy(src, &dest),
                }
                .map_err(|e| Error::io(&dest, e))
            })
            .try_reduce(|| 0, |a, b| Ok(a + b))
    }
}

/// Puts the complete folder `staging` at `target`, and removes what was there before.
/// `old` is a free name beside them, used only by the fallback.
fn swap_in(staging: &Path, target: &Path, old: &Path) -> io::Result<()> {
    if !target.exists() {
        return fs::rename(staging, target);
    }
    if exchange(staging, target)? {
        // `staging` now holds the previous output. If removing it fails (or the process is
        // killed meanwhile), the next build removes it.
        let _ = fs::remove_dir_all(staging);
        return Ok(());
    }
    fs::rename(target, old)?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(old, target);
        return Err(e);
    }
    let _ = fs::remove_dir_all(old);
    Ok(())
}

/// Swaps two paths in one step. `Ok(false)`: not supported here, use the fallback.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // Old kernels (ENOSYS) and file systems without the flag (EINVAL, e.g. some network
        // and FUSE file systems).
        Err(Errno::NOSYS | Errno::INVAL | Errno::OPNOTSUPP) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// An exclusive advisory lock on a folder, released when the value is dropped (or the process
/// dies). Waits while another build holds it.
#[cfg(target_os = "linux")]
fn lock_dir(dir: &Path) -> io::Result<fs::File> {
    let file = fs::File::open(dir)?;
    rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)?;
    Ok(file)
}

#[cfg(not(target_os = "linux"))]
fn lock_dir(_: &Path) -> io::Result<()> {
    Ok(())
}

/// Removes staging and old folders that an interrupted earlier build left beside the target.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let new_prefix = format!(".{name}.presswerk-new-");
    let old_prefix = format!(".{name}.presswerk-old-");
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&new_prefix) || n.starts_with(&old_prefix) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

impl Error {
    pub(crate) fn io(path: &Path, source: io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for p in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "a\\b",
            "a/./b",
            "a\0b",
        ] {
            assert!(check_path(p).is_err(), "{p:?}");
        }
        for p in ["index.html", "artikel/x/index.html", "a..b/c"] {
            assert!(check_path(p).is_ok(), "{p:?}");
        }
    }

    #[test]
    fn atomic_write_replaces_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::create_dir_all(target.join("alt")).unwrap();
        fs::write(target.join("alt/index.html"), "old").unwrap();
        let mut out = Output::new();
        out.insert("index.html".into(), Entry::Bytes(Arc::from(&b"neu"[..])))
            .unwrap();
        out.insert("a/b/c.txt".into(), Entry::Bytes(Arc::from(&b"c"[..])))
            .unwrap();
        assert_eq!(out.write_atomic(&target).unwrap(), 4);
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "neu"
        );
        assert!(!target.join("alt").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn leftovers_of_a_killed_build_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        for stale in [".public.presswerk-new-1", ".public.presswerk-old-2"] {
            fs::create_dir_all(tmp.path().join(stale).join("x")).unwrap();
        }
        fs::create_dir_all(tmp.path().join(".other.presswerk-new-3")).unwrap();
        let mut out = Output::new();
        out.insert("index.html".into(), Entry::Bytes(b"x".to_vec().into()))
            .unwrap();
        out.write_atomic(&target).unwrap();
        out.write_atomic(&target).unwrap();
        let mut left: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        // Only this target's leftovers are its business.
        assert_eq!(left, [".other.presswerk-new-3", "public"]);
    }
}
