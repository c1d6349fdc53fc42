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
//! Nothing here calls fsync: the swap protects against a killed or failing build, not against
//! power loss, which would cost a full sync of thousands of files per build.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::{Entry, Output, check_path};
use crate::error::Error;

/// A fresh folder beside the output folder that a build writes into, swapped in for the
/// output folder by [`Staging::commit`]. Until then the output folder is untouched, and a
/// `Staging` dropped without a commit (an error, a panic) removes its folder.
///
/// It holds an advisory lock on the parent folder from [`Staging::begin`] to the end, so two
/// builds into the same folder never remove each other's staging folder.
pub struct Staging {
    target: PathBuf,
    parent: PathBuf,
    dir: PathBuf,
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
    /// Takes the lock beside `target`, removes leftovers of killed builds and creates the
    /// staging folder.
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
        let staging = Staging {
            target: target.to_path_buf(),
            parent,
            dir,
            failed: Mutex::new(None),
            has_failed: AtomicBool::new(false),
            done: false,
            _lock: lock,
        };
        fs::create_dir_all(&staging.dir).map_err(|e| Error::write(&staging.dir, e))?;
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
        if !self.has_failed.load(Ordering::Relaxed)
            && let Err(e) = check_path(rel)
                .map_err(|e| Error::UnsafeOutput(PathBuf::from(e.0)))
                .and_then(|()| write_file(&self.dir, rel, parts))
        {
            self.has_failed.store(true, Ordering::Relaxed);
            let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
            failed.get_or_insert(e);
        }
        Entry::Written(parts.iter().map(|p| p.as_ref().len() as u64).sum())
    }

    /// Writes the files of `output` that are not written yet, then swaps the staging folder
    /// in for the target. Returns the bytes of all files. On any error the staging folder is
    /// removed and the target is left untouched.
    pub fn commit(mut self, output: &Output) -> Result<u64, Error> {
        if let Some(e) = self
            .failed
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            return Err(e);
        }
        let bytes = write_into(&self.dir, output)?;
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let old = self
            .parent
            .join(format!(".{name}.presswerk-old-{}", std::process::id()));
        swap_in(&self.dir, &self.target, &old).map_err(|e| Error::write(&self.target, e))?;
        self.done = true;
        Ok(bytes)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes `parts` to `dir/rel`, creating the folders it needs.
fn write_file<B: AsRef<[u8]>>(dir: &Path, rel: &str, parts: &[B]) -> Result<(), Error> {
    let dest = dir.join(rel);
    if let Some((folder, _)) = rel.rsplit_once('/') {
        let folder = dir.join(folder);
        // Most pages have a folder of their own: try to make just that one first.
        match fs::create_dir(&folder) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(_) => fs::create_dir_all(&folder).map_err(|e| Error::write(&folder, e))?,
        }
    }
    let write = || -> io::Result<()> {
        use io::Write as _;
        let mut file = fs::File::create(&dest)?;
        for part in parts {
            file.write_all(part.as_ref())?;
        }
        Ok(())
    };
    write().map_err(|e| Error::write(&dest, e))
}

/// Writes the entries of `output` not yet written into `dir`; returns the bytes of all.
fn write_into(dir: &Path, output: &Output) -> Result<u64, Error> {
    let mut dirs: Vec<&str> = output
        .iter()
        .filter(|(_, e)| !matches!(e, Entry::Written(_)))
        .filter_map(|(p, _)| p.rsplit_once('/').map(|(d, _)| d))
        .collect();
    dirs.dedup();
    for d in dirs {
        let path = dir.join(d);
        fs::create_dir_all(&path).map_err(|e| Error::write(&path, e))?;
    }
    let files: Vec<(&String, &Entry)> = output.iter().collect();
    files
        .par_iter()
        .map(|(rel, entry)| {
            let dest = dir.join(rel.as_str());
            match entry {
                Entry::Bytes(b) => fs::write(&dest, b).map(|_| b.len() as u64),
                Entry::Copy(src) => fs::copy(src, &dest),
                Entry::Written(n) => Ok(*n),
            }
            .map_err(|e| Error::write(&dest, e))
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

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
        // Only this target's leftovers are its business.
        assert_eq!(left, [".other.presswerk-new-3", "public"]);
    }
}
