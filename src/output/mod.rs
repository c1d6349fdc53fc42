//! [`Output`]: the built site (path → bytes), and the [`Sink`]s rendering writes into.
//!
//! `serve` and `check` keep the whole output in memory ([`Memory`]). `build` writes into a
//! fresh folder beside the target (a [`Staging`] folder): rendered pages go there as soon as
//! they are rendered, from the rendering threads, and only their sizes are kept
//! ([`Entry::Written`]); the rest follows at the end. The folder is swapped in only after
//! every file was written, so a failed or interrupted build leaves the previous output as it
//! was (a staging folder that was not swapped in is removed). See `staging.rs` for the swap.
//! The folder is not always fresh: the output before the last swap is kept as a standby tree
//! with a manifest of its files (`standby.rs`, `manifest.rs`), and the next build writes into
//! it only the files that differ.

mod manifest;
mod sink;
mod staging;
mod standby;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Error;
pub use crate::text::url_path::UnsafePath;
pub(crate) use crate::text::url_path::check_path;
#[cfg(test)]
pub(crate) use manifest::hash;
pub(crate) use sink::{Memory, Sink};
pub(crate) use staging::{Hashes, Staging};

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Rendered bytes, shared with the cache of the next incremental build.
    Bytes(Arc<[u8]>),
    /// A file copied as it is (static files, colocated assets): read when written or served,
    /// so large images are never held in memory.
    Copy(PathBuf),
    /// Written into the [`Staging`] folder while rendering (`build` only): its size in bytes.
    Written(u64),
    /// A file copied as it is whose size and XXH3-128 hash are known (a processed picture in
    /// the image cache): a build whose standby tree holds it already does not read it.
    Known {
        /// The file on disk.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The hash of its bytes.
        hash: u128,
    },
}

/// The built site: relative `/`-separated paths to their contents, in sorted order.
#[derive(Debug, Default, Clone)]
pub struct Output {
    files: BTreeMap<String, Entry>,
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

    /// Writes every file into a folder beside `target` (fresh, or the standby tree brought up
    /// to date), then swaps it in for `target`.
    /// On any error the staging folder is removed and `target` is left untouched.
    pub fn write_atomic(&self, target: &Path) -> Result<u64, Error> {
        Staging::begin(target)?.commit(self)
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
}
