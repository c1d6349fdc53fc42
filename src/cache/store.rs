//! The persistent build cache: what one `presswerk build` leaves in `.presswerk-cache/` for
//! the next, so that it renders only what changed.
//!
//! It holds two things of the in-memory [`Cache`] that `serve` keeps between rebuilds:
//! every document's rendered Markdown (by its key, which covers its text, the link targets
//! and the shortcode templates it depends on), and per output file the fingerprint of what
//! it shows with the size and hash of the bytes that fingerprint gave. A job whose
//! fingerprint is unchanged is not rendered when the staging folder holds those bytes
//! already; otherwise it is rendered as before. So the cache decides only what is skipped,
//! never what is written: a stale entry costs a render, not a wrong byte.
//!
//! Fingerprints are made by this binary's code and hasher, and they leave out what `serve`
//! starts over for (site.toml, the labels, theme.toml). The file's header therefore names
//! the format, the presswerk version and build id, and a key over those files and the
//! command line's overrides; a header that differs, a payload whose checksum or decoding
//! fails, or a file cut short is ignored with a warning, and that build renders everything.
//! The file is written to a temporary name and renamed, so a build killed while writing it
//! leaves the old file or the new one, never a mix.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::{Cache, MarkdownEntry, Stored};
use crate::config::{Config, Overrides};
use crate::fingerprint::Fingerprint;
use crate::markdown::{Rendered, TocEntry};

/// The folder below the site root.
pub(crate) const FOLDER: &str = ".presswerk-cache";
/// The one file in it.
const FILE: &str = "build.bin";
const MAGIC: &[u8; 16] = b"presswerk cache\n";
/// Raised whenever the layout below changes.
const FORMAT: u32 = 2;
/// Headings nest by level (at most six): deeper nesting is a damaged file.
const MAX_TOC_DEPTH: usize = 8;

/// Why a cache file was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unusable {
    /// Written by another presswerk build (or another format).
    OtherBuild,
    /// Written for another site.toml, other labels, theme.toml or command-line overrides.
    OtherSite,
    /// Cut short, damaged, or not a cache file.
    Damaged,
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unusable::OtherBuild => "it was written by another presswerk build",
            Unusable::OtherSite => {
                "site.toml, the labels, theme.toml or the command line changed since it was written"
            }
            Unusable::Damaged => "it is damaged or cut short",
        })
    }
}

/// The cache file of one site.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    dir: PathBuf,
    key: u64,
    /// What [`Store::load`] found: a build that would store the same again writes nothing.
    loaded: Option<Loaded>,
}

impl Store {
    /// The cache of the site at `config.root`, keyed by what fingerprints leave out.
    pub(crate) fn new(config: &Config, overrides: &Overrides) -> Store {
        Store {
            dir: config.root.join(FOLDER),
            key: site_key(config, overrides),
            loaded: None,
        }
    }

    /// The cache file, relative to the site root (for messages).
    pub(crate) fn display_name() -> String {
        format!("{FOLDER}/{FILE}")
    }

    /// Fills `cache` from the file. `Ok(false)`: there is none (a first build).
    pub(crate) fn load(&mut self, cache: &mut Cache) -> Result<bool, Unusable> {
        let bytes = match fs::read(self.dir.join(FILE)) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(_) => return Err(Unusable::Damaged),
        };
        let (header, markdown, outputs) = self.parts(&bytes)?;
        let (entries, count) = decode_markdown(markdown).ok_or(Unusable::Damaged)?;
        cache.stored = decode_outputs(outputs).ok_or(Unusable::Damaged)?;
        cache.markdown = entries;
        self.loaded = Some(Loaded {
            markdown: Section {
                offset: (bytes.len() - markdown.len() - outputs.len()) as u64,
                len: markdown.len() as u64,
                sum: header.markdown_sum,
            },
            outputs_sum: header.outputs_sum,
            count,
        });
        Ok(true)
    }

    /// The header and the two sections of `bytes`, once the header and checksums are right.
    fn parts<'a>(&self, bytes: &'a [u8]) -> Result<(Header, &'a [u8], &'a [u8]), Unusable> {
        let mut r = Reader(bytes);
        if r.take(MAGIC.len()) != Some(MAGIC.as_slice()) {
            return Err(Unusable::Damaged);
        }
        let format = r.u32().ok_or(Unusable::Damaged)?;
        let version = r.str().ok_or(Unusable::Damaged)?;
        let build = r.str().ok_or(Unusable::Damaged)?;
        if format != FORMAT || version != env!("CARGO_PKG_VERSION") || build != BUILD_ID {
            return Err(Unusable::OtherBuild);
        }
        let mut numbers = [0u64; 5];
        for n in &mut numbers {
            *n = r.u64().ok_or(Unusable::Damaged)?;
        }
        let [key, markdown_len, markdown_sum, outputs_len, outputs_sum] = numbers;
        let markdown_len = usize::try_from(markdown_len).map_err(|_| Unusable::Damaged)?;
        let markdown = r.take(markdown_len).ok_or(Unusable::Damaged)?;
        let outputs = r.0;
        if outputs.len() as u64 != outputs_len
            || xxh3_64(markdown) != markdown_sum
            || xxh3_64(outputs) != outputs_sum
        {
            return Err(Unusable::Damaged);
        }
        if key != self.key {
            return Err(Unusable::OtherSite);
        }
        let header = Header {
            markdown_sum,
            outputs_sum,
        };
        Ok((header, markdown, outputs))
    }

    /// The Markdown part of the next cache file, taken from `cache` before a one-shot build
    /// lets go of the rendered Markdown: nothing when every entry is the one the file holds
    /// (it is copied from there if the file is written at all), else the entries encoded
    /// straight into a temporary file, so they are never held in memory a second time.
    pub(crate) fn markdown_part(&self, cache: &Cache) -> io::Result<MarkdownPart> {
        let entries = storable(cache);
        if let Some(l) = &self.loaded
            && cache.stats.markdown_rendered == 0
            && entries.len() == l.count
        {
            return Ok(MarkdownPart::AsLoaded);
        }
        let mut temp = self.temp_file()?;
        let mut sum = Xxh3::new();
        let mut len = 0u64;
        let mut w = Writer(Vec::with_capacity(64 * 1024));
        w.u64(entries.len() as u64);
        for (name, e) in entries {
            encode_entry(&mut w, name, e);
            if w.0.len() >= 64 * 1024 {
                temp.put(&mut w.0, &mut sum, &mut len)?;
            }
        }
        temp.put(&mut w.0, &mut sum, &mut len)?;
        let sum = sum.digest();
        Ok(MarkdownPart::Written(
            temp,
            Section {
                offset: 0,
                len,
                sum,
            },
        ))
    }

    /// A temporary file of this process in the cache folder, with room for the header.
    fn temp_file(&self) -> io::Result<Temp> {
        fs::create_dir_all(&self.dir)?;
        remove_temporaries(&self.dir);
        let path = self.dir.join(format!("{FILE}.tmp-{}", std::process::id()));
        let mut file = io::BufWriter::new(fs::File::create(&path)?);
        let temp_header = self.header(&Section::default(), &Section::default());
        use io::Write as _;
        file.write_all(&temp_header)?;
        Ok(Temp { path, file })
    }

    fn header(&self, markdown: &Section, outputs: &Section) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(128));
        w.0.extend_from_slice(MAGIC);
        w.u32(FORMAT);
        w.str(env!("CARGO_PKG_VERSION"));
        w.str(BUILD_ID);
        w.u64(self.key);
        for n in [markdown.len, markdown.sum, outputs.len, outputs.sum] {
            w.u64(n);
        }
        w.0
    }

    /// Writes the cache file: the Markdown part of [`Store::markdown_part`] and what each
    /// output file holds; nothing when that is what the file holds already. The file is
    /// written under a temporary name and renamed.
    pub(crate) fn save(
        &self,
        part: MarkdownPart,
        outputs: &HashMap<String, Stored>,
    ) -> io::Result<()> {
        let mut out = encode_outputs(outputs);
        let out_section = Section {
            offset: 0,
            len: out.len() as u64,
            sum: xxh3_64(&out),
        };
        let file = self.dir.join(FILE);
        let (mut temp, markdown) = match (part, &self.loaded) {
            (MarkdownPart::AsLoaded, Some(l)) => {
                if l.outputs_sum == out_section.sum && file.is_file() {
                    return Ok(());
                }
                // The old file's Markdown part, copied (it is checked on the next load, like
                // everything else).
                let mut temp = self.temp_file()?;
                let mut old = fs::File::open(&file)?;
                use io::Seek as _;
                old.seek(io::SeekFrom::Start(l.markdown.offset))?;
                io::copy(&mut io::Read::take(old, l.markdown.len), &mut temp.file)?;
                (temp, l.markdown)
            }
            (MarkdownPart::AsLoaded, None) => return Ok(()),
            (MarkdownPart::Written(temp, section), _) => (temp, section),
        };
        let (mut sum, mut len) = (Xxh3::new(), 0);
        temp.put(&mut out, &mut sum, &mut len)?;
        let header = self.header(&markdown, &out_section);
        temp.finish(&header, &file)
    }
}

/// A section of the cache file: where it starts, its length and its checksum.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Section {
    offset: u64,
    len: u64,
    sum: u64,
}

/// What [`Store::load`] found, for writing the next file.
#[derive(Debug, Clone)]
struct Loaded {
    markdown: Section,
    outputs_sum: u64,
    /// Markdown entries in the file.
    count: usize,
}

struct Header {
    markdown_sum: u64,
    outputs_sum: u64,
}

/// The Markdown part of the next cache file.
pub(crate) enum MarkdownPart {
    /// The one of the file that was loaded.
    AsLoaded,
    /// Written into a temporary file after its header.
    Written(Temp, Section),
}

/// A temporary cache file, removed unless it was renamed into place.
pub(crate) struct Temp {
    path: PathBuf,
    file: io::BufWriter<fs::File>,
}

impl Temp {
    /// Writes and empties `buf`, adding it to the checksum and the length.
    fn put(&mut self, buf: &mut Vec<u8>, sum: &mut Xxh3, len: &mut u64) -> io::Result<()> {
        use io::Write as _;
        sum.update(buf);
        *len += buf.len() as u64;
        self.file.write_all(buf)?;
        buf.clear();
        Ok(())
    }

    /// Puts `header` at the start (it has the length of the one written first) and renames
    /// the file to `to`.
    fn finish(mut self, header: &[u8], to: &Path) -> io::Result<()> {
        use io::{Seek as _, Write as _};
        self.file.flush()?;
        let file = self.file.get_mut();
        file.seek(io::SeekFrom::Start(0))?;
        file.write_all(header)?;
        fs::rename(&self.path, to)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        // After a rename there is nothing at the old name; else the file is unfinished.
        let _ = fs::remove_file(&self.path);
    }
}

/// The build id of this binary (see `build.rs`).
const BUILD_ID: &str = env!("PRESSWERK_BUILD_ID");

/// Removes `build.bin.tmp-*` files left by killed builds.
fn remove_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(&format!("{FILE}.tmp-"))
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// What the fingerprints leave out because `serve` starts over when it changes: site.toml,
/// the overrides, and every file of `i18n/` and of the theme outside its `templates/` and
/// `static/` (labels, theme.toml). Templates are in the fingerprints, static files are
/// hashed when copied.
fn site_key(config: &Config, overrides: &Overrides) -> u64 {
    let mut fp = Fingerprint::new("build-cache");
    fp.add(&config.source.text).add(&format!("{overrides:?}"));
    let mut folders = vec![PathBuf::from("i18n")];
    if let Some(theme) = &config.theme {
        folders.push(Path::new("themes").join(theme));
    }
    // Paths relative to the root: `--root .` and `--root /abs/site` share the cache.
    let mut files = Vec::new();
    for folder in folders {
        let walk = walkdir::WalkDir::new(config.root.join(&folder)).follow_links(true);
        let walk = walk.into_iter().filter_entry(|e| {
            e.depth() != 1 || !matches!(e.file_name().to_str(), Some("templates" | "static"))
        });
        for entry in walk {
            match entry {
                Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
                Ok(_) => {}
                // A missing folder is no folder; anything unreadable gives a key that no
                // cache has, so nothing is reused.
                Err(e)
                    if e.depth() == 0
                        && e.io_error()
                            .is_some_and(|io| io.kind() == io::ErrorKind::NotFound) => {}
                Err(e) => {
                    fp.add(&e.to_string()).add(&std::process::id());
                }
            }
        }
    }
    files.sort();
    for file in files {
        let rel = file.strip_prefix(&config.root).unwrap_or(&file);
        match fs::read(&file) {
            Ok(bytes) => fp.add(rel).add(&bytes),
            Err(_) => fp.add(rel).add(&std::process::id()),
        };
    }
    fp.finish()
}

/// The Markdown entries of `cache` that are stored, in the order of their names (so that an
/// unchanged site gives unchanged bytes). Entries with problems are left out: their
/// problems are rendered again each time.
fn storable(cache: &Cache) -> Vec<(&String, &MarkdownEntry)> {
    let mut entries: Vec<(&String, &MarkdownEntry)> = cache
        .markdown
        .iter()
        .filter(|(_, e)| e.content.problems.is_empty())
        .collect();
    entries.sort_unstable_by_key(|(name, _)| *name);
    entries
}

fn encode_entry(w: &mut Writer, name: &str, e: &MarkdownEntry) {
    w.str(name);
    w.u64(e.key);
    w.opt_str(e.summary.as_deref());
    let c = &e.content;
    w.str(&c.html);
    w.opt_str(c.summary.as_deref());
    w.toc(&c.toc);
    w.u64(c.word_count as u64);
    w.u64(c.anchor_links.len() as u64);
    for (path, anchor, span) in &c.anchor_links {
        w.str(path);
        w.str(anchor);
        w.u64(span.start as u64);
        w.u64(span.end as u64);
    }
}

/// The Markdown part in memory, as [`Store::markdown_part`] writes it (for tests).
#[cfg(test)]
fn encode_markdown(cache: &Cache) -> Vec<u8> {
    let entries = storable(cache);
    let mut w = Writer(Vec::new());
    w.u64(entries.len() as u64);
    for (name, e) in entries {
        encode_entry(&mut w, name, e);
    }
    w.0
}

/// In the order of their names, so that equal outputs give equal bytes.
fn encode_outputs(outputs: &HashMap<String, Stored>) -> Vec<u8> {
    let mut sorted: Vec<(&String, &Stored)> = outputs.iter().collect();
    sorted.sort_unstable_by_key(|(file, _)| *file);
    let mut w = Writer(Vec::with_capacity(sorted.len() * 80));
    w.u64(sorted.len() as u64);
    for (file, s) in sorted {
        w.str(file);
        w.u64(s.fingerprint);
        w.u64(s.size);
        w.0.extend_from_slice(&s.hash.to_le_bytes());
    }
    w.0
}

/// The Markdown entries, and how many there were.
fn decode_markdown(bytes: &[u8]) -> Option<(HashMap<String, MarkdownEntry>, usize)> {
    let mut r = Reader(bytes);
    let n = r.count()?;
    let mut markdown = HashMap::with_capacity(n);
    for _ in 0..n {
        let name = r.str()?.to_string();
        let key = r.u64()?;
        let summary = r.opt_str()?;
        let content = Rendered {
            html: r.str()?.to_string(),
            summary: r.opt_str()?,
            toc: r.toc(0)?,
            word_count: usize::try_from(r.u64()?).ok()?,
            anchor_links: r.anchor_links()?,
            problems: Vec::new(),
        };
        let entry = MarkdownEntry {
            key,
            content: Arc::new(content),
            summary,
        };
        markdown.insert(name, entry);
    }
    (r.0.is_empty() && markdown.len() == n).then_some((markdown, n))
}

fn decode_outputs(bytes: &[u8]) -> Option<HashMap<String, Stored>> {
    let mut r = Reader(bytes);
    let n = r.count()?;
    let mut stored = HashMap::with_capacity(n);
    for _ in 0..n {
        let file = r.str()?.to_string();
        let (fingerprint, size) = (r.u64()?, r.u64()?);
        let hash = u128::from_le_bytes(r.take(16)?.try_into().ok()?);
        let entry = Stored {
            fingerprint,
            size,
            hash,
        };
        stored.insert(file, entry);
    }
    r.0.is_empty().then_some(stored)
}

/// Little-endian numbers and length-prefixed UTF-8 strings.
struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
            None => self.0.push(0),
        }
    }

    fn toc(&mut self, toc: &[TocEntry]) {
        self.u64(toc.len() as u64);
        for e in toc {
            self.0.push(e.level);
            self.str(&e.id);
            self.str(&e.title);
            self.toc(&e.children);
        }
    }
}

/// Reads what [`Writer`] wrote; every read checks the bytes left, so a damaged file gives
/// `None`, never a panic or an allocation larger than the file.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// A number of items, each at least one byte long: never more than the bytes left.
    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        (n <= self.0.len()).then_some(n)
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = usize::try_from(self.u64()?).ok()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn opt_str(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.str()?.to_string())),
            _ => None,
        }
    }

    fn toc(&mut self, depth: usize) -> Option<Vec<TocEntry>> {
        if depth > MAX_TOC_DEPTH {
            return None;
        }
        let n = self.count()?;
        let mut toc = Vec::with_capacity(n);
        for _ in 0..n {
            toc.push(TocEntry {
                level: self.u8()?,
                id: self.str()?.to_string(),
                title: self.str()?.to_string(),
                children: self.toc(depth + 1)?,
            });
        }
        Some(toc)
    }

    fn anchor_links(&mut self) -> Option<Vec<(String, String, Range<usize>)>> {
        let n = self.count()?;
        let mut links = Vec::with_capacity(n);
        for _ in 0..n {
            let (path, anchor) = (self.str()?.to_string(), self.str()?.to_string());
            let start = usize::try_from(self.u64()?).ok()?;
            let end = usize::try_from(self.u64()?).ok()?;
            if start > end {
                return None;
            }
            links.push((path, anchor, start..end));
        }
        Some(links)
    }
}

#[cfg(test)]
mod tests;
