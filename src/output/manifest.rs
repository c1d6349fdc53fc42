//! The manifest of an output tree: every file with its size, a 128-bit hash of its bytes and
//! the time stamps it had when it was written, plus the identity of the tree's folder.
//!
//! `build` keeps the tree that was live before its swap as the standby tree and brings it up
//! to date at the next build, writing only the files whose bytes differ (see `staging.rs`).
//! Which files differ is known from the manifest, not by reading the files back; so the
//! manifest is trusted only after [`Manifest::verify`] found the tree as it describes it.
//!
//! What verification detects: a file added, removed, replaced by a folder or link, or
//! changed in size; any write to a file (it changes the file's change time, which no tool can
//! set back, and its modification time); a folder added; the tree swapped for another one
//! (the root folder's device and inode). A manifest that is truncated, corrupt, of another
//! format or written by another presswerk version is refused as a whole. Not detected: a
//! change that leaves size, modification and change time alike: one of the same size within
//! the same tick of the file system's clock as the write (a few milliseconds on Linux
//! before multigrain time stamps), or with a clock set back or raw access to the disk.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

/// The first line of a manifest: the format and its revision.
const FORMAT: &str = "presswerk output manifest 2";

/// What the manifest knows of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Record {
    /// The file's size in bytes.
    pub size: u64,
    /// [`hash`] of its bytes.
    pub hash: u128,
    /// Modification and change time (nanoseconds since 1970) right after it was written.
    pub stamps: (i128, i128),
}

/// The files of one output tree, by their relative `/`-separated paths.
#[derive(Debug, Default)]
pub(crate) struct Manifest {
    /// Device and inode of the tree's folder (they stay the same when it is renamed).
    pub root: (u64, u64),
    pub files: HashMap<String, Record>,
}

/// The 128-bit hash of a file made of `parts` (XXH3-128, seed 0: the same bytes give the
/// same hash in every presswerk build). Not a cryptographic hash: it tells presswerk's own
/// outputs apart, and anyone who can write the tree can rewrite the manifest anyway. It is
/// chosen for speed: every output byte of every build goes through it, in the render threads.
pub(crate) fn hash<B: AsRef<[u8]>>(parts: &[B]) -> u128 {
    let mut h = Xxh3::new();
    for part in parts {
        h.update(part.as_ref());
    }
    h.digest128()
}

/// Size and hash of a copied file, read in pieces: [`hash`] of its bytes followed by a tag
/// with its permission bits (a copy has its source's).
pub(crate) fn hash_file(path: &Path) -> io::Result<(u64, u128)> {
    use std::io::Read as _;
    let mut file = fs::File::open(path)?;
    let mode = mode_of(&file.metadata()?.permissions());
    let mut h = Xxh3::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        size += n as u64;
    }
    h.update(format!("\0copy, mode {mode:o}").as_bytes());
    Ok((size, h.digest128()))
}

/// The permission bits, where the system has them; else whether the file is read-only.
fn mode_of(permissions: &fs::Permissions) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        permissions.mode()
    }
    #[cfg(not(unix))]
    {
        u32::from(permissions.readonly())
    }
}

/// Device and inode of a folder or file, where the system has them.
pub(crate) fn identity(meta: &fs::Metadata) -> (u64, u64) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        (meta.dev(), meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        (0, 0)
    }
}

/// Modification and change time of a file, in nanoseconds since 1970.
pub(crate) fn stamps(meta: &fs::Metadata) -> (i128, i128) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        (
            ns(meta.mtime(), meta.mtime_nsec()),
            ns(meta.ctime(), meta.ctime_nsec()),
        )
    }
    #[cfg(not(unix))]
    {
        let ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        (ns, 0)
    }
}

impl Manifest {
    /// The manifest as text; `None` when a path cannot be written on one line (such a tree
    /// is simply not kept).
    pub(crate) fn to_text(&self) -> Option<String> {
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.sort();
        let mut text = format!(
            "{FORMAT}\nversion {}\nroot {} {}\nfiles {}\n",
            env!("CARGO_PKG_VERSION"),
            self.root.0,
            self.root.1,
            paths.len()
        );
        for path in paths {
            if path.contains(['\n', '\r']) {
                return None;
            }
            let r = &self.files[path];
            let line = format!(
                "{:032x} {} {} {} {path}\n",
                r.hash, r.size, r.stamps.0, r.stamps.1
            );
            text.push_str(&line);
        }
        let sum = hash(&[text.as_bytes()]);
        text.push_str(&format!("end {sum:032x}\n"));
        Some(text)
    }

    /// Reads a manifest back; `None` for anything but a whole manifest of this format and
    /// this presswerk version.
    pub(crate) fn parse(text: &str) -> Option<Manifest> {
        let body_end = text.strip_suffix('\n')?.rfind('\n')? + 1;
        let (body, end) = text.split_at(body_end);
        let sum = u128::from_str_radix(end.strip_prefix("end ")?.strip_suffix('\n')?, 16).ok()?;
        if sum != hash(&[body.as_bytes()]) {
            return None;
        }
        let mut lines = body.lines();
        if lines.next()? != FORMAT
            || lines.next()?.strip_prefix("version ")? != env!("CARGO_PKG_VERSION")
        {
            return None;
        }
        let (dev, ino) = lines.next()?.strip_prefix("root ")?.split_once(' ')?;
        let root = (dev.parse().ok()?, ino.parse().ok()?);
        let count: usize = lines.next()?.strip_prefix("files ")?.parse().ok()?;
        let mut files = HashMap::with_capacity(count.min(1 << 20));
        for line in lines {
            let mut f = line.splitn(5, ' ');
            let hash = u128::from_str_radix(f.next()?, 16).ok()?;
            let size = f.next()?.parse().ok()?;
            let stamps = (f.next()?.parse().ok()?, f.next()?.parse().ok()?);
            let path = f.next()?.to_string();
            let record = Record { size, hash, stamps };
            if files.insert(path, record).is_some() {
                return None;
            }
        }
        (files.len() == count).then_some(Manifest { root, files })
    }

    /// Reads the manifest at `path`; `None` if it is missing or not whole.
    pub(crate) fn read(path: &Path) -> Option<Manifest> {
        Manifest::parse(&fs::read_to_string(path).ok()?)
    }

    /// Writes the manifest to `path` through `temp` (a name beside it), so that `path` holds
    /// either no manifest or a whole one.
    pub(crate) fn write(&self, path: &Path, temp: &Path) -> io::Result<()> {
        let Some(text) = self.to_text() else {
            return Ok(());
        };
        fs::write(temp, text)?;
        fs::rename(temp, path).inspect_err(|_| {
            let _ = fs::remove_file(temp);
        })
    }

    /// Whether the tree at `dir` is exactly what the manifest describes, as far as sizes,
    /// time stamps and the folder's identity tell (see the module comment).
    pub(crate) fn verify(&self, dir: &Path) -> bool {
        let Ok(meta) = fs::symlink_metadata(dir) else {
            return false;
        };
        if !meta.is_dir() || identity(&meta) != self.root {
            return false;
        }
        let mut files = 0usize;
        let mut dirs = BTreeSet::new();
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let Ok(entry) = entry else { return false };
            let kind = entry.file_type();
            if kind.is_file() {
                files += 1;
            } else if kind.is_dir() {
                let rel = entry.path().strip_prefix(dir).ok().and_then(|p| p.to_str());
                let Some(rel) = rel else { return false };
                dirs.insert(rel.replace('\\', "/"));
            } else {
                return false;
            }
        }
        // Every folder holds some file of the manifest: no empty folders beyond it.
        let needed: BTreeSet<String> = self
            .files
            .keys()
            .flat_map(|p| p.match_indices('/').map(|(i, _)| p[..i].to_string()))
            .collect();
        if files != self.files.len() || dirs != needed {
            return false;
        }
        self.files.par_iter().all(|(rel, record)| {
            fs::symlink_metadata(dir.join(rel))
                .is_ok_and(|m| m.is_file() && m.len() == record.size && stamps(&m) == record.stamps)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        let mut files = HashMap::new();
        files.insert(
            "a b/index.html".to_string(),
            Record {
                size: 3,
                hash: hash(&[b"abc"]),
                stamps: (1, -2),
            },
        );
        files.insert(
            "x.txt".to_string(),
            Record {
                size: 0,
                hash: hash::<&[u8]>(&[]),
                stamps: (5, 6),
            },
        );
        Manifest {
            root: (7, 8),
            files,
        }
    }

    #[test]
    fn a_manifest_reads_back_and_a_damaged_one_is_refused() {
        let text = sample().to_text().unwrap();
        let back = Manifest::parse(&text).unwrap();
        assert_eq!(back.root, (7, 8));
        assert_eq!(back.files, sample().files);
        assert_eq!(hash(&[&b"ab"[..], &b"c"[..]]), hash(&[b"abc"]));
        for cut in 0..text.len() {
            assert!(Manifest::parse(&text[..cut]).is_none(), "cut at {cut}");
        }
        let other = text.replacen(env!("CARGO_PKG_VERSION"), "0.0.0-other", 1);
        assert!(Manifest::parse(&other).is_none());
        let flipped = text.replacen("x.txt", "y.txt", 1);
        assert!(Manifest::parse(&flipped).is_none());
        assert!(Manifest::parse("garbage\n\u{0}\u{ff}\nend zz\n").is_none());
    }
}
