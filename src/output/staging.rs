//! The staging folder of `build` and its atomic swap.
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
//! The staging folder is not always new: after an exchange the previous output is kept as the
//! standby tree (`standby.rs`), and the next build takes it as its staging folder, writing
//! only the files whose bytes differ from its manifest, removing those that went away, and
//! swapping it in as before. A standby tree whose manifest is missing, damaged, of another
//! version or does not match the tree is removed, and the build writes a fresh folder. The
//! fallback of two renames keeps no standby tree: every build there writes a fresh folder.
//!
//! Nothing here calls fsync: the swap protects against a killed or failing build, not against
//! power loss, which would cost a full sync of thousands of files per build.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::manifest::{self, Manifest, Record};
use super::standby::{self, Names};
use super::{Entry, Output, check_path};
use crate::error::Error;

/// Per output file: its size and hash, as the staging folder holds it.
pub(crate) type Hashes = HashMap<String, (u64, u128)>;

/// A folder beside the output folder that a build writes into (fresh, or the standby tree
/// brought up to date), swapped in for the output folder by [`Staging::commit`]. Until then
/// the output folder is untouched, and a `Staging` dropped without a commit (an error, a
/// panic) removes its folder.
///
/// It holds an advisory lock on the parent folder from [`Staging::begin`] to the end, so two
/// builds into the same folder never remove each other's staging folder.
pub struct Staging {
    target: PathBuf,
    parent: PathBuf,
    dir: PathBuf,
    names: Names,
    /// What the folder held when it was taken over from the standby tree (empty for a fresh
    /// folder): a file whose new bytes have the same size and hash is not written again.
    old: HashMap<String, Record>,
    /// Whether the folder is a reused standby tree (it may hold files in the way).
    reused: bool,
    /// What each file now holds, for the manifest.
    records: Mutex<Vec<(String, Record)>>,
    /// The first write error of [`Staging::write`]; later writes are skipped.
    failed: Mutex<Option<Error>>,
    has_failed: AtomicBool,
    done: bool,
    _lock: Lock,
}

impl std::fmt::Debug for Staging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Staging").field("dir", &self.dir).finish()
    }
}

impl Staging {
    /// Takes the lock beside `target`, removes leftovers of killed builds and takes over the
    /// standby tree as the staging folder, or creates a fresh one.
    pub fn begin(target: &Path) -> Result<Staging, Error> {
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
        fs::create_dir_all(&parent).map_err(|e| Error::write(&parent, e))?;
        // Held until the staging folder is swapped in or removed.
        let lock: Lock = lock_dir(&parent).map_err(|e| Error::write(&parent, e))?;
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.presswerk-new-{pid}"));
        remove_stale(&parent, &name);
        let names = Names::new(&parent, &name);
        let taken = standby::take(&names, &dir);
        let staging = Staging {
            target: target.to_path_buf(),
            parent,
            reused: taken.is_some(),
            old: taken.map(|m| m.files).unwrap_or_default(),
            dir,
            names,
            records: Mutex::new(Vec::new()),
            failed: Mutex::new(None),
            has_failed: AtomicBool::new(false),
            done: false,
            _lock: lock,
        };
        if !staging.reused {
            fs::create_dir_all(&staging.dir).map_err(|e| Error::write(&staging.dir, e))?;
        }
        Ok(staging)
    }

    /// Writes one file (`rel` as in [`Output`]), creating its folders. Safe to call from
    /// many threads. A failure is kept and returned by [`Staging::commit`]; after it,
    /// further writes are skipped. Returns the entry to put in the [`Output`].
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Entry {
        self.write_parts(rel, &[bytes])
    }

    /// [`Staging::write`] of one file made of `parts`, in order.
    pub fn write_parts<B: AsRef<[u8]>>(&self, rel: &str, parts: &[B]) -> Entry {
        let size = parts.iter().map(|p| p.as_ref().len() as u64).sum();
        if !self.has_failed.load(Ordering::Relaxed) {
            let put = check_path(rel)
                .map_err(|e| Error::UnsafeOutput(PathBuf::from(e.0)))
                .and_then(|()| self.put_parts(rel, parts));
            self.keep(rel, put);
        }
        Entry::Written(size)
    }

    /// Whether the folder, taken over from the standby tree, holds `rel` with `size` bytes
    /// and the hash `hash` already: then it is kept as it is, as if it had been written.
    pub(crate) fn holds_already(&self, rel: &str, size: u64, hash: u128) -> bool {
        match self.old.get(rel) {
            Some(old) if old.size == size && old.hash == hash => {
                self.keep(rel, Ok(*old));
                true
            }
            _ => false,
        }
    }

    /// Puts a file of `size` bytes with the hash `hash` at `rel`, unless the folder holds
    /// it already: `write` writes it (making its folders) and tells what it then holds.
    fn put(
        &self,
        rel: &str,
        size: u64,
        hash: u128,
        write: &dyn Fn() -> io::Result<Record>,
    ) -> Result<Record, Error> {
        if let Some(old) = self.old.get(rel)
            && old.size == size
            && old.hash == hash
        {
            return Ok(*old);
        }
        let dest = self.dir.join(rel);
        if self.reused && self.old.contains_key(rel) {
            // A new file, not the old one rewritten: it gets the permissions a fresh build
            // gives it.
            let _ = fs::remove_file(&dest);
        }
        let mut written = write();
        if written.is_err() && self.reused {
            standby::clear_way(&self.dir, rel);
            written = write();
        }
        written.map_err(|e| Error::write(&dest, e))
    }

    /// [`Staging::put`] of a file made of `parts`.
    fn put_parts<B: AsRef<[u8]>>(&self, rel: &str, parts: &[B]) -> Result<Record, Error> {
        let size = parts.iter().map(|p| p.as_ref().len() as u64).sum();
        let hash = manifest::hash(parts);
        self.put(rel, size, hash, &|| {
            let stamps = write_file(&self.dir, rel, parts)?;
            Ok(Record { size, hash, stamps })
        })
    }

    /// Keeps the record of a file put, or the first error.
    fn keep(&self, rel: &str, put: Result<Record, Error>) {
        match put {
            Ok(record) => self
                .records
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((rel.to_string(), record)),
            Err(e) => {
                self.has_failed.store(true, Ordering::Relaxed);
                let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
                failed.get_or_insert(e);
            }
        }
    }

    /// Writes the files of `output` that are not written yet, removes those of a reused
    /// folder that are not in `output`, then swaps the folder in for the target. Returns the
    /// bytes of all files. On any error the staging folder is removed and the target is left
    /// untouched.
    pub fn commit(self, output: &Output) -> Result<u64, Error> {
        self.commit_recorded(output).map(|(bytes, _)| bytes)
    }

    /// [`Staging::commit`], also returning the size and hash of every file of the output
    /// (empty when the records do not cover the output exactly: then nothing is known).
    pub(crate) fn commit_recorded(mut self, output: &Output) -> Result<(u64, Hashes), Error> {
        if let Some(e) = self.take_error() {
            return Err(e);
        }
        let bytes = self.write_rest(output)?;
        if let Some(e) = self.take_error() {
            return Err(e);
        }
        if self.reused {
            standby::prune(&self.dir, &self.old, output)?;
        }
        let manifest = self.manifest(output);
        let hashes = manifest.as_ref().map_or_else(HashMap::new, |m| {
            m.files
                .iter()
                .map(|(p, r)| (p.clone(), (r.size, r.hash)))
                .collect()
        });
        self.swap_in(manifest.as_ref())
            .map_err(|e| Error::write(&self.target, e))?;
        self.done = true;
        Ok((bytes, hashes))
    }

    fn take_error(&mut self) -> Option<Error> {
        self.failed
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// Writes the entries of `output` not yet written; returns the bytes of all.
    fn write_rest(&self, output: &Output) -> Result<u64, Error> {
        let files: Vec<(&String, &Entry)> = output.iter().collect();
        files
            .par_iter()
            .map(|(rel, entry)| {
                let put = match entry {
                    Entry::Written(n) => return Ok(*n),
                    Entry::Bytes(b) => self.put_parts(rel, &[b]),
                    Entry::Copy(src) => self.put_copy(rel, src),
                    Entry::Known { path, size, hash } => self.put_known(rel, path, *size, *hash),
                };
                let size = put.as_ref().map_or(0, |r| r.size);
                self.keep(rel, put);
                Ok(size)
            })
            .try_reduce(|| 0, |a, b| Ok(a + b))
    }

    /// Puts a copy of `src` at `rel` (with its permissions, as `fs::copy` makes it), read in
    /// pieces, never whole. The hash covers the permissions too, so a changed mode is
    /// written again; once copied, the copy is hashed, so the record says what the tree
    /// holds even if the source changed meanwhile.
    fn put_copy(&self, rel: &str, src: &Path) -> Result<Record, Error> {
        let dest = self.dir.join(rel);
        let (size, hash) = manifest::hash_file(src).map_err(|e| Error::write(&dest, e))?;
        self.put(rel, size, hash, &|| {
            make_folder(&self.dir, rel)?;
            fs::copy(src, &dest)?;
            let (size, hash) = manifest::hash_file(&dest)?;
            let stamps = manifest::stamps(&fs::symlink_metadata(&dest)?);
            Ok(Record { size, hash, stamps })
        })
    }

    /// Puts a copy of `src`, whose size and hash are known, at `rel`: not read at all when
    /// the folder holds it already. The copy is checked against what was known of it.
    fn put_known(&self, rel: &str, src: &Path, size: u64, hash: u128) -> Result<Record, Error> {
        let dest = self.dir.join(rel);
        self.put(rel, size, hash, &|| {
            make_folder(&self.dir, rel)?;
            let bytes = fs::read(src)?;
            if bytes.len() as u64 != size || manifest::hash(&[&bytes]) != hash {
                return Err(io::Error::other(format!(
                    "{} changed while the build ran",
                    src.display()
                )));
            }
            fs::write(&dest, &bytes)?;
            let stamps = manifest::stamps(&fs::symlink_metadata(&dest)?);
            Ok(Record { size, hash, stamps })
        })
    }

    /// The manifest of the folder as it now is; `None` if the records do not cover the
    /// output exactly once (then the tree is not kept as a standby tree).
    fn manifest(&mut self, output: &Output) -> Option<Manifest> {
        let records = std::mem::take(self.records.get_mut().unwrap_or_else(|e| e.into_inner()));
        let count = records.len();
        let files: HashMap<String, Record> = records.into_iter().collect();
        if files.len() != count
            || files.len() != output.len()
            || !output.iter().all(|(p, _)| files.contains_key(p))
        {
            return None;
        }
        let root = manifest::identity(&fs::symlink_metadata(&self.dir).ok()?);
        Some(Manifest { root, files })
    }

    /// Puts the complete staging folder at the target. The folder that was there becomes the
    /// standby tree (with the manifest it was written with), or is removed when the exchange
    /// is not available or it has no manifest.
    fn swap_in(&self, manifest: Option<&Manifest>) -> io::Result<()> {
        let (dir, target, names) = (&self.dir, &self.target, &self.names);
        let write_live = |m: Option<&Manifest>| {
            if let Some(m) = m {
                let _ = m.write(&names.live_manifest, &names.temp_manifest);
            }
        };
        if !target.exists() {
            standby::forget(&names.live_manifest);
            fs::rename(dir, target)?;
            write_live(manifest);
            return Ok(());
        }
        // The live folder's manifest names that folder by its inode, so it may take the
        // standby name before the folder does: until the exchange there is no standby tree
        // that it could match.
        let kept = fs::rename(&names.live_manifest, &names.standby_manifest).is_ok();
        if exchange(dir, target)? {
            // `dir` now holds the previous output. If removing it fails (or the process is
            // killed meanwhile), the next build removes it.
            if !kept || fs::rename(dir, &names.standby).is_err() {
                standby::forget(&names.standby_manifest);
                let _ = fs::remove_dir_all(dir);
            }
            write_live(manifest);
            return Ok(());
        }
        standby::forget(&names.standby_manifest);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let old = self
            .parent
            .join(format!(".{name}.presswerk-old-{}", std::process::id()));
        fs::rename(target, &old)?;
        if let Err(e) = fs::rename(dir, target) {
            let _ = fs::rename(&old, target);
            return Err(e);
        }
        let _ = fs::remove_dir_all(&old);
        write_live(manifest);
        Ok(())
    }
}

impl Staging {
    /// After a failed build, puts a reused standby tree back with a manifest of what it now
    /// holds: the files written so far and the old ones not yet visited. The manifest is
    /// verified like any other first (a file half-written or moved out of the way shows), so
    /// the next build trusts only a tree that matches it. Returns whether the tree was kept.
    fn keep_as_standby(&mut self) -> bool {
        let mut files = std::mem::take(&mut self.old);
        let records = std::mem::take(self.records.get_mut().unwrap_or_else(|e| e.into_inner()));
        files.extend(records);
        let Ok(meta) = fs::symlink_metadata(&self.dir) else {
            return false;
        };
        let manifest = Manifest {
            root: manifest::identity(&meta),
            files,
        };
        if !manifest.verify(&self.dir) || fs::rename(&self.dir, &self.names.standby).is_err() {
            return false;
        }
        let names = &self.names;
        if manifest
            .write(&names.standby_manifest, &names.temp_manifest)
            .is_err()
        {
            let _ = fs::remove_dir_all(&names.standby);
        }
        true
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A fresh folder is removed: a failed first build leaves nothing beside the target.
        if self.done || (self.reused && self.keep_as_standby()) {
            return;
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Makes the folder of `dir/rel` if it is not there.
fn make_folder(dir: &Path, rel: &str) -> io::Result<()> {
    if let Some((folder, _)) = rel.rsplit_once('/') {
        let folder = dir.join(folder);
        // Most pages have a folder of their own: try to make just that one first.
        match fs::create_dir(&folder) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(_) => fs::create_dir_all(&folder)?,
        }
    }
    Ok(())
}

/// Writes `parts` to `dir/rel`, creating the folders it needs; returns the file's time
/// stamps once written.
fn write_file<B: AsRef<[u8]>>(dir: &Path, rel: &str, parts: &[B]) -> io::Result<(i128, i128)> {
    make_folder(dir, rel)?;
    use io::Write as _;
    let mut file = fs::File::create(dir.join(rel))?;
    for part in parts {
        file.write_all(part.as_ref())?;
    }
    Ok(manifest::stamps(&file.metadata()?))
}

/// Swaps two paths in one step. `Ok(false)`: not supported here, use the fallback.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    #[cfg(test)]
    if tests::NO_EXCHANGE.with(|no| no.get()) {
        return Ok(false);
    }
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

#[cfg(target_os = "linux")]
type Lock = fs::File;
#[cfg(not(target_os = "linux"))]
type Lock = ();

/// An exclusive advisory lock on a folder, released when the value is dropped (or the process
/// dies). Waits while another build holds it.
#[cfg(target_os = "linux")]
fn lock_dir(dir: &Path) -> io::Result<Lock> {
    let file = fs::File::open(dir)?;
    rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)?;
    Ok(file)
}

#[cfg(not(target_os = "linux"))]
fn lock_dir(_: &Path) -> io::Result<Lock> {
    Ok(())
}

/// Removes staging and old folders (and manifests not yet in place) that an interrupted
/// earlier build left beside the target.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let new_prefix = format!(".{name}.presswerk-new-");
    let old_prefix = format!(".{name}.presswerk-old-");
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&new_prefix) || n.starts_with(&old_prefix) {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = fs::remove_dir_all(e.path());
            } else {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    thread_local! {
        /// Makes this thread's swaps take the fallback, as on a file system without the
        /// exchange.
        pub(super) static NO_EXCHANGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
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
        let mut leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        leftovers.sort();
        // The folder that was there had no manifest: it is not kept as a standby tree.
        assert_eq!(leftovers, [".public.presswerk.manifest", "public"]);
    }

    #[test]
    fn streamed_files_and_the_rest_make_one_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let staging = Staging::begin(&target).unwrap();
        let mut out = Output::new();
        let entry = staging.write_parts("a/b/index.html", &[&b"ab"[..], &b"c"[..]]);
        assert_eq!(entry, Entry::Written(3));
        out.insert("a/b/index.html".into(), entry).unwrap();
        out.insert("a/x.txt".into(), Entry::Bytes(Arc::from(&b"x"[..])))
            .unwrap();
        assert_eq!(staging.commit(&out).unwrap(), 4);
        assert_eq!(fs::read(target.join("a/b/index.html")).unwrap(), b"abc");
        assert_eq!(fs::read(target.join("a/x.txt")).unwrap(), b"x");
    }

    #[test]
    fn a_staging_folder_not_committed_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("index.html"), "old").unwrap();
        // Dropped (an error in the build) after writing.
        let staging = Staging::begin(&target).unwrap();
        staging.write("index.html", b"new");
        drop(staging);
        // A write that fails fails the commit.
        let staging = Staging::begin(&target).unwrap();
        staging.write("x", b"file");
        staging.write("x/index.html", b"under a file");
        assert!(staging.commit(&Output::new()).is_err());
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "old"
        );
        let left: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("public")]);
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
        // Only this target's leftovers are its business; the standby tree is no leftover.
        assert_eq!(
            left,
            [
                ".other.presswerk-new-3",
                ".public.presswerk.manifest",
                ".public.presswerk.standby",
                ".public.presswerk.standby.manifest",
                "public"
            ]
        );
    }

    /// Each file below `dir` with its inode and time stamps: equal snapshots mean that no
    /// file was written.
    type Stamped = (String, (u64, u64), (i128, i128));

    fn stamps_of(dir: &Path) -> Vec<Stamped> {
        let mut files: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let meta = e.metadata().unwrap();
                let rel = e.path().strip_prefix(dir).unwrap();
                let rel = rel.to_string_lossy().into_owned();
                (rel, manifest::identity(&meta), manifest::stamps(&meta))
            })
            .collect();
        files.sort();
        files
    }

    /// Files and folders below `dir`, folders ending in `/`, with the files' bytes.
    fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut all: Vec<_> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .flatten()
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if e.file_type().is_dir() {
                    (rel + "/", Vec::new())
                } else {
                    (rel, fs::read(e.path()).unwrap())
                }
            })
            .collect();
        all.sort();
        all
    }

    fn output_of(files: &[(&str, &str)]) -> Output {
        let mut out = Output::new();
        for (path, text) in files {
            let bytes = Arc::from(text.as_bytes());
            out.insert(path.to_string(), Entry::Bytes(bytes)).unwrap();
        }
        out
    }

    /// A clean build of `out` into a folder of its own.
    fn clean(out: &Output) -> Vec<(String, Vec<u8>)> {
        let tmp = tempfile::tempdir().unwrap();
        out.write_atomic(&tmp.path().join("fresh")).unwrap();
        contents(&tmp.path().join("fresh"))
    }

    #[test]
    fn a_rebuild_of_the_same_output_writes_no_file() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let standby = tmp.path().join(".public.presswerk.standby");
        let out = output_of(&[("index.html", "a"), ("a/b/index.html", "b"), ("c.txt", "c")]);
        out.write_atomic(&target).unwrap();
        out.write_atomic(&target).unwrap();
        let (live, kept) = (stamps_of(&target), stamps_of(&standby));
        assert_eq!(kept.len(), 3);
        // Streamed files take the same path as the rest.
        let staging = Staging::begin(&target).unwrap();
        let mut again = Output::new();
        again
            .insert(
                "a/b/index.html".into(),
                staging.write("a/b/index.html", b"b"),
            )
            .unwrap();
        for path in ["index.html", "c.txt"] {
            again
                .insert(path.into(), out.get(path).unwrap().clone())
                .unwrap();
        }
        assert_eq!(staging.commit(&again).unwrap(), 3);
        // The trees traded places, and not one file was written.
        assert_eq!(stamps_of(&target), kept);
        assert_eq!(stamps_of(&standby), live);
        assert_eq!(contents(&target), clean(&out));
    }

    #[test]
    fn a_changed_output_rewrites_only_what_changed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let standby = tmp.path().join(".public.presswerk.standby");
        let first = output_of(&[
            ("index.html", "alt"),
            ("a/b/index.html", "weg"),
            ("c.txt", "bleibt"),
            ("x", "eine Datei"),
            ("y/index.html", "ein Ordner"),
        ]);
        // Changed, deleted with its folders, unchanged, and a file and a folder trading shapes.
        let second = output_of(&[
            ("index.html", "neu"),
            ("c.txt", "bleibt"),
            ("x/index.html", "jetzt ein Ordner"),
            ("y", "jetzt eine Datei"),
        ]);
        first.write_atomic(&target).unwrap();
        first.write_atomic(&target).unwrap();
        let before = stamps_of(&standby);
        second.write_atomic(&target).unwrap();
        assert_eq!(contents(&target), clean(&second));
        let after = stamps_of(&target);
        let same: Vec<&String> = after
            .iter()
            .filter(|f| before.contains(f))
            .map(|f| &f.0)
            .collect();
        assert_eq!(same, ["c.txt"]);
        // The other standby tree, and back again.
        second.write_atomic(&target).unwrap();
        assert_eq!(contents(&target), clean(&second));
        first.write_atomic(&target).unwrap();
        assert_eq!(contents(&target), clean(&first));
        assert_eq!(contents(&standby), clean(&second));
    }

    #[test]
    fn a_tampered_standby_tree_is_not_trusted() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let names = Names::new(tmp.path(), "public");
        let out = output_of(&[("index.html", "abc"), ("a/index.html", "def")]);
        let manifest_text = || fs::read_to_string(&names.standby_manifest).unwrap();
        type Tamper<'a> = (&'a str, Box<dyn Fn() + 'a>);
        let tampers: Vec<Tamper> = vec![
            (
                "a file changed, same size",
                Box::new(|| {
                    // Later than the file system clock's tick in which the file was written
                    // (a change within the same tick, of the same size, goes unnoticed).
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    fs::write(names.standby.join("index.html"), "xyz").unwrap();
                }),
            ),
            (
                "a file removed",
                Box::new(|| fs::remove_file(names.standby.join("a/index.html")).unwrap()),
            ),
            (
                "a file added",
                Box::new(|| fs::write(names.standby.join("neu.html"), "").unwrap()),
            ),
            (
                "a folder added",
                Box::new(|| fs::create_dir(names.standby.join("leer")).unwrap()),
            ),
            (
                "manifest truncated",
                Box::new(|| {
                    let text = manifest_text();
                    fs::write(&names.standby_manifest, &text[..text.len() - 3]).unwrap();
                }),
            ),
            (
                "manifest garbage",
                Box::new(|| fs::write(&names.standby_manifest, b"\xff\x00garbage").unwrap()),
            ),
            (
                "manifest of another version",
                Box::new(|| {
                    let text = manifest_text();
                    let body = &text[..text.rfind("end ").unwrap()];
                    let body = body.replacen(env!("CARGO_PKG_VERSION"), "0.0.0-other", 1);
                    let sum = manifest::hash(&[body.as_bytes()]);
                    fs::write(&names.standby_manifest, format!("{body}end {sum:032x}\n")).unwrap();
                }),
            ),
            (
                "manifest missing",
                Box::new(|| fs::remove_file(&names.standby_manifest).unwrap()),
            ),
            (
                "another tree",
                Box::new(|| {
                    let other = tmp.path().join("other");
                    crate::output::Output::write_atomic(&out, &other).unwrap();
                    fs::remove_dir_all(&names.standby).unwrap();
                    fs::rename(&other, &names.standby).unwrap();
                }),
            ),
        ];
        for (what, tamper) in tampers {
            out.write_atomic(&target).unwrap();
            out.write_atomic(&target).unwrap();
            assert!(names.standby_manifest.exists(), "{what}");
            tamper();
            let probe = tmp.path().join(".probe");
            assert!(standby::take(&names, &probe).is_none(), "{what}");
            assert!(
                !names.standby.exists() && !names.standby_manifest.exists(),
                "{what}"
            );
            // And a build after the same tampering gives the clean output.
            out.write_atomic(&target).unwrap();
            assert!(names.live_manifest.exists(), "{what}");
            assert_eq!(contents(&target), clean(&out), "{what}");
        }
        // Untampered, the standby tree is taken.
        out.write_atomic(&target).unwrap();
        out.write_atomic(&target).unwrap();
        assert!(standby::take(&names, &tmp.path().join(".probe")).is_some());
    }

    #[test]
    fn a_failed_build_puts_the_standby_tree_back_as_far_as_it_got() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let names = Names::new(tmp.path(), "public");
        let out = output_of(&[("index.html", "abc"), ("a/index.html", "def")]);
        out.write_atomic(&target).unwrap();
        out.write_atomic(&target).unwrap();
        let live = contents(&target);
        // One file written, then the build fails: public/ as it was, the standby tree kept
        // with what it now holds.
        let staging = Staging::begin(&target).unwrap();
        staging.write("a/index.html", b"neu");
        staging.write("b/index.html", b"auch neu");
        drop(staging);
        assert_eq!(contents(&target), live);
        let kept = standby::take(&names, &tmp.path().join(".probe")).unwrap();
        assert_eq!(kept.files.len(), 3);
        fs::rename(tmp.path().join(".probe"), &names.standby).unwrap();
        kept.write(&names.standby_manifest, &names.temp_manifest)
            .unwrap();
        // The next build takes it and gives the clean output.
        out.write_atomic(&target).unwrap();
        assert_eq!(contents(&target), clean(&out));
        out.write_atomic(&target).unwrap();
        assert_eq!(contents(&target), clean(&out));
        // A failure whose traces do not match is not kept.
        let staging = Staging::begin(&target).unwrap();
        staging.write("a/index.html", b"anders");
        fs::write(staging.dir.join("index.html"), "longer").unwrap();
        drop(staging);
        assert!(!names.standby.exists() && !names.standby_manifest.exists());
        out.write_atomic(&target).unwrap();
        assert_eq!(contents(&target), clean(&out));
    }

    #[test]
    fn without_the_exchange_every_build_writes_a_fresh_folder_and_keeps_none() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let names = Names::new(tmp.path(), "public");
        let first = output_of(&[("index.html", "alt"), ("a/index.html", "a")]);
        let second = output_of(&[("index.html", "neu"), ("b/index.html", "b")]);
        first.write_atomic(&target).unwrap();
        first.write_atomic(&target).unwrap();
        assert!(names.standby.exists());
        NO_EXCHANGE.with(|no| no.set(true));
        for out in [&second, &first, &second] {
            out.write_atomic(&target).unwrap();
            assert_eq!(contents(&target), clean(out));
            assert!(!names.standby.exists() && !names.standby_manifest.exists());
        }
        let mut left: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".public.presswerk.manifest", "public"]);
        // Where the exchange works again, the standby tree comes back.
        NO_EXCHANGE.with(|no| no.set(false));
        first.write_atomic(&target).unwrap();
        assert!(names.standby.exists() && names.standby_manifest.exists());
        second.write_atomic(&target).unwrap();
        assert_eq!(contents(&target), clean(&second));
    }

    #[test]
    fn copied_files_are_copied_again_only_when_their_bytes_or_mode_changed() {
        use std::os::unix::fs::PermissionsExt as _;
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let src = tmp.path().join("bild.png");
        fs::write(&src, vec![7u8; 200_000]).unwrap();
        let mut out = Output::new();
        out.insert("a/bild.png".into(), Entry::Copy(src.clone()))
            .unwrap();
        out.write_atomic(&target).unwrap();
        out.write_atomic(&target).unwrap();
        let kept = stamps_of(&tmp.path().join(".public.presswerk.standby"));
        out.write_atomic(&target).unwrap();
        assert_eq!(stamps_of(&target), kept);
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        for change in ["bytes", "mode"] {
            if change == "bytes" {
                fs::write(&src, vec![8u8; 200_000]).unwrap();
            } else {
                fs::set_permissions(&src, fs::Permissions::from_mode(0o750)).unwrap();
            }
            for _ in 0..2 {
                out.write_atomic(&target).unwrap();
                assert_eq!(
                    fs::read(target.join("a/bild.png")).unwrap(),
                    fs::read(&src).unwrap()
                );
                assert_eq!(mode(&target.join("a/bild.png")), mode(&src), "{change}");
            }
        }
        assert_eq!(contents(&target), clean(&out));
    }
}
