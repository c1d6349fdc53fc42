//! The cache of processed pictures, `.presswerk-cache/images/`: one file per variant, named
//! by its key (the hash of the source's bytes and every parameter), and `index.tsv` with
//! each variant's size and hash and each source's size, time and header, so a build whose
//! pictures did not change reads no picture at all. A damaged entry (its size not the one
//! recorded, a line that does not parse) is ignored with a warning and made again.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::probe::Header;
use super::{Format, Source, lock};

/// The name of the index file.
const INDEX: &str = "index.tsv";
/// The first line of the index: another presswerk's index is not read.
const VERSION: &str = "presswerk images 1";

/// The cache folder and what its index says.
pub(super) struct Cache {
    dir: PathBuf,
    /// Variant key → (size, XXH3-128 of the bytes).
    entries: Mutex<HashMap<String, (u64, u128)>>,
    sources: HashMap<PathBuf, Source>,
    warnings: Mutex<Vec<String>>,
}

impl Cache {
    /// Opens the cache at `dir` (which need not exist yet).
    pub(super) fn open(dir: &Path) -> Cache {
        let mut cache = Cache {
            dir: dir.to_path_buf(),
            entries: Mutex::new(HashMap::new()),
            sources: HashMap::new(),
            warnings: Mutex::new(Vec::new()),
        };
        if let Ok(text) = fs::read_to_string(dir.join(INDEX)) {
            cache.read_index(&text);
        }
        cache
    }

    fn read_index(&mut self, text: &str) {
        let mut lines = text.lines();
        if lines.next() != Some(VERSION) {
            return;
        }
        let entries = self.entries.get_mut().unwrap_or_else(|e| e.into_inner());
        let mut bad = 0;
        for line in lines {
            let f: Vec<&str> = line.split('\t').collect();
            let ok = match f.as_slice() {
                ["v", key, size, hash] => (|| {
                    entries.insert(
                        key.to_string(),
                        (size.parse().ok()?, u128::from_str_radix(hash, 16).ok()?),
                    );
                    Some(())
                })(),
                ["s", path, size, time, hash, format, w, h] => (|| {
                    let format = match *format {
                        "jpeg" => Format::Jpeg,
                        "png" => Format::Png,
                        "webp" => Format::Webp,
                        _ => return None,
                    };
                    let source = Source {
                        stamp: (size.parse().ok()?, time.parse().ok()?),
                        hash: u64::from_str_radix(hash, 16).ok()?,
                        header: Header {
                            format,
                            width: w.parse().ok()?,
                            height: h.parse().ok()?,
                        },
                    };
                    self.sources.insert(PathBuf::from(path), source);
                    Some(())
                })(),
                _ => None,
            };
            bad += usize::from(ok.is_none());
        }
        if bad > 0 {
            lock(&self.warnings).push(format!(
                "{bad} damaged line(s) in {}: ignored, those pictures are made again",
                self.dir.join(INDEX).display()
            ));
        }
    }

    /// What the index says of the sources.
    pub(super) fn sources(&self) -> &HashMap<PathBuf, Source> {
        &self.sources
    }

    /// The file of a variant.
    pub(super) fn path(&self, key: &str) -> PathBuf {
        self.dir.join(key)
    }

    /// Whether the cache holds the variant `key`, whole: its file has the size recorded.
    /// A file of another size is a damaged entry: forgotten, with a warning.
    pub(super) fn holds(&self, key: &str) -> bool {
        let Some((size, _)) = lock(&self.entries).get(key).copied() else {
            return false;
        };
        match fs::metadata(self.path(key)) {
            Ok(m) if m.len() == size => true,
            _ => {
                lock(&self.entries).remove(key);
                lock(&self.warnings).push(format!(
                    "damaged picture in the cache ({}): ignored, made again",
                    self.path(key).display()
                ));
                false
            }
        }
    }

    /// Size and hash of the variant `key`, if the cache has it.
    pub(super) fn entry(&self, key: &str) -> Option<(u64, u128)> {
        lock(&self.entries).get(key).copied()
    }

    /// Puts a variant's bytes into the cache (written to a temporary name, then renamed, so
    /// an interrupted build leaves no half file under the key).
    pub(super) fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let temp = self.dir.join(format!(".{key}.{}.tmp", std::process::id()));
        fs::write(&temp, bytes)?;
        fs::rename(&temp, self.path(key))?;
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        lock(&self.entries).insert(key.to_string(), (bytes.len() as u64, hash));
        Ok(())
    }

    /// The warnings so far (each once).
    pub(super) fn warnings(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.warnings))
    }

    /// Writes the index: every source known, the variants in `used` (and, unless `prune`,
    /// the others too); with `prune`, removes the files of variants not in `used`.
    pub(super) fn save(
        &self,
        sources: &HashMap<PathBuf, Source>,
        used: &BTreeSet<String>,
        prune: bool,
    ) -> io::Result<()> {
        let entries = lock(&self.entries).clone();
        if entries.is_empty() && sources.is_empty() && !self.dir.exists() {
            return Ok(());
        }
        fs::create_dir_all(&self.dir)?;
        let mut text = format!("{VERSION}\n");
        let mut keys: Vec<&String> = entries.keys().collect();
        keys.sort();
        for key in keys {
            if prune && !used.contains(key) {
                continue;
            }
            let (size, hash) = entries[key];
            text.push_str(&format!("v\t{key}\t{size}\t{hash:032x}\n"));
        }
        let mut paths: Vec<&PathBuf> = sources.keys().collect();
        paths.sort();
        for path in paths {
            let s = &sources[path];
            let Some(p) = path.to_str().filter(|p| !p.contains(['\t', '\n'])) else {
                continue;
            };
            let h = s.header;
            text.push_str(&format!(
                "s\t{p}\t{}\t{}\t{:016x}\t{}\t{}\t{}\n",
                s.stamp.0,
                s.stamp.1,
                s.hash,
                h.format.name(),
                h.width,
                h.height
            ));
        }
        let temp = self
            .dir
            .join(format!(".{INDEX}.{}.tmp", std::process::id()));
        fs::write(&temp, text)?;
        fs::rename(&temp, self.dir.join(INDEX))?;
        if prune {
            for entry in fs::read_dir(&self.dir)?.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name != INDEX && !used.contains(&name) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
        Ok(())
    }
}

/// A file's modification time in nanoseconds since 1970 (0 where the system has none).
pub(super) fn mtime(meta: &fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}
