//! Where rendering puts the files it makes: a [`Sink`] takes each file as soon as it is
//! made, from the rendering threads, and gives back the [`Entry`] the [`Output`] keeps.
//!
//! Rendering decides what the files are; the sink decides where their bytes go: into memory
//! ([`Memory`], for `serve` and `check`, and for incremental builds that reuse bytes) or
//! into the staging folder of a one-shot `build` ([`Staging`], which writes the file and
//! keeps only its size). Rendering itself never touches the disk.
//!
//! [`Output`]: super::Output

use std::sync::Arc;

use super::{Entry, Staging};

/// Takes the files of a build. Shared by the rendering threads, hence `Sync`.
pub(crate) trait Sink: Sync {
    /// Takes the file at `path` (relative, as in [`super::Output`]); returns its entry.
    fn put(&self, path: &str, bytes: Arc<[u8]>) -> Entry;

    /// Takes one file made of `parts`, in order.
    fn put_parts(&self, path: &str, parts: &[Vec<u8>]) -> Entry {
        self.put(path, Arc::from(parts.concat()))
    }

    /// Whether the entries hold the bytes ([`Entry::Bytes`]). A sink that writes them away
    /// (a one-shot build) makes rendering keep nothing for a next build.
    fn keeps_bytes(&self) -> bool;

    /// Takes the file at `path` without its bytes, if the sink holds exactly those already
    /// (`size` bytes with the hash `hash`, see [`super::hash`]): then rendering may skip it.
    /// `None`: the file must be put.
    fn holds(&self, _path: &str, _size: u64, _hash: u128) -> Option<Entry> {
        None
    }
}

/// Keeps every file's bytes in its entry.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Memory;

impl Sink for Memory {
    fn put(&self, _: &str, bytes: Arc<[u8]>) -> Entry {
        Entry::Bytes(bytes)
    }

    fn keeps_bytes(&self) -> bool {
        true
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: Arc<[u8]>) -> Entry {
        self.write(path, &bytes)
    }

    fn put_parts(&self, path: &str, parts: &[Vec<u8>]) -> Entry {
        self.write_parts(path, parts)
    }

    fn keeps_bytes(&self) -> bool {
        false
    }

    fn holds(&self, path: &str, size: u64, hash: u128) -> Option<Entry> {
        self.holds_already(path, size, hash)
            .then_some(Entry::Written(size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_keeps_the_bytes() {
        let entry = Memory.put("a/index.html", Arc::from(&b"abc"[..]));
        assert_eq!(entry, Entry::Bytes(Arc::from(&b"abc"[..])));
        let parts = [b"ab".to_vec(), b"c".to_vec()];
        assert_eq!(Memory.put_parts("x", &parts), entry);
        assert!(Memory.keeps_bytes());
        assert_eq!(Memory.holds("x", 3, super::super::hash(&[b"abc"])), None);
    }
}
