//! Pictures: the responsive variants of every photo a site shows. A Markdown image, a hero
//! image in front matter and an author's photo each become resized copies at the widths of
//! `[images]` (never wider than the original), in WebP and in the original's format, with
//! the EXIF orientation applied and all metadata stripped; the markup (`<picture>`, `srcset`,
//! `sizes`, `width`, `height`) comes from the header alone, so a page knows its pictures
//! before any pixel is decoded.
//!
//! Floor: below `site` and `render`, above `config`. The [`Pipeline`] is shared by the
//! Markdown stage (which asks for pictures), the templates (`resize_image`) and the build,
//! which runs the variants it collected ([`Pipeline::run`]) beside the rendering, each
//! source decoded once, every variant kept in the cache under `.presswerk-cache/images/`
//! by the hash of its source's bytes and its parameters (`cache`).

mod cache;
pub(crate) mod markup;
mod probe;
mod process;
mod settings;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, Span};

pub(crate) use markup::{Caption, caption_from_title};
pub(crate) use settings::Settings;

/// The formats presswerk reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    fn image_format(self) -> image::ImageFormat {
        match self {
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Png => image::ImageFormat::Png,
            Format::Webp => image::ImageFormat::WebP,
        }
    }

    /// The file extension of a variant.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    /// The MIME type.
    pub(crate) fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }

    /// The name `image_meta` gives.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    /// The format of the fallback variants (and of the e-mail's): PNG stays PNG (it may be
    /// transparent, a logo, a screenshot), everything else becomes JPEG.
    fn fallback(self) -> Format {
        if self == Format::Png {
            Format::Png
        } else {
            Format::Jpeg
        }
    }
}

/// How a variant takes its size from the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Op {
    /// The whole picture, scaled into width × height (its aspect ratio kept).
    Fit,
    /// Exactly width × height: cropped around the middle to that aspect ratio, then scaled.
    Fill,
}

impl Op {
    /// The op a template names: `fit` (also `scale`, `resize`), `fill` (also `crop`).
    pub(crate) fn parse(name: &str) -> Option<Op> {
        match name {
            "fit" | "scale" | "resize" => Some(Op::Fit),
            "fill" | "crop" => Some(Op::Fill),
            _ => None,
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Op::Fit => "fit",
            Op::Fill => "fill",
        }
    }
}

/// Why a picture could not be processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImageError {
    /// The file is not there (or cannot be read).
    Missing(String),
    /// Not a picture presswerk reads.
    Unsupported(String),
    /// Broken or cut short.
    Corrupt(String),
    /// Over the decoder limits.
    TooLarge(String),
    /// Resizing or encoding failed.
    Process(String),
}

impl ImageError {
    fn from_decoding(e: image::ImageError) -> ImageError {
        match e {
            image::ImageError::Limits(l) => ImageError::TooLarge(l.to_string()),
            image::ImageError::Unsupported(u) => ImageError::Unsupported(u.to_string()),
            other => ImageError::Corrupt(other.to_string()),
        }
    }

    /// What went wrong, for the diagnostic's message.
    pub(crate) fn message(&self) -> &'static str {
        match self {
            ImageError::Missing(_) => "picture not found",
            ImageError::Unsupported(_) => "picture in a format presswerk does not read",
            ImageError::Corrupt(_) => "picture is broken",
            ImageError::TooLarge(_) => "picture is too large to process",
            ImageError::Process(_) => "picture could not be processed",
        }
    }

    /// The details.
    pub(crate) fn detail(&self) -> &str {
        match self {
            ImageError::Missing(s)
            | ImageError::Unsupported(s)
            | ImageError::Corrupt(s)
            | ImageError::TooLarge(s)
            | ImageError::Process(s) => s,
        }
    }

    /// What to do.
    pub(crate) fn help(&self) -> &'static str {
        match self {
            ImageError::Missing(_) => {
                "put the picture beside the page (its folder) or into static/, or fix the name"
            }
            ImageError::Unsupported(_) => "save the picture as JPEG, PNG or WebP",
            ImageError::Corrupt(_) => {
                "the file is damaged or cut short: export or copy the picture again"
            }
            ImageError::TooLarge(_) => {
                "scale the picture down (a web photo needs at most 3000 pixels a side)"
            }
            ImageError::Process(_) => "export the picture again as JPEG or PNG",
        }
    }
}

/// One variant to make: the source, its hash, how and how large, in which format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Job {
    pub(crate) source: PathBuf,
    pub(crate) hash: u64,
    pub(crate) op: Op,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) format: Format,
}

impl Job {
    /// The cache key: the source's hash and every parameter of the variant, with the
    /// version of the encoding settings (a change of quality makes new keys).
    fn key(&self) -> String {
        format!(
            "{:016x}-{}-{}x{}-v1.{}",
            self.hash,
            self.op.tag(),
            self.width,
            self.height,
            self.format.extension()
        )
    }
}

/// A made variant: where it is shown, and its size.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Variant {
    /// The output file, `artikel/x/foto-800w.webp`.
    pub(crate) file: String,
    /// Its absolute URL.
    pub(crate) permalink: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

impl Variant {
    /// Its URL from the site root, `/artikel/x/foto-800w.webp`.
    pub(crate) fn url(&self) -> String {
        format!("/{}", self.file)
    }
}

/// A picture ready for markup: its variants, its e-mail and social variants, its texts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Picture {
    /// The fallback format's variants (JPEG or PNG), narrowest first.
    pub(crate) fallback: Vec<Variant>,
    /// The WebP variants, narrowest first.
    pub(crate) webp: Vec<Variant>,
    pub(crate) format: Format,
    /// 1,200 px wide (or the original's width, if narrower), in the fallback format.
    pub(crate) email: Variant,
    /// The 1,200 × 630 crop for link previews (heroes and author photos only).
    pub(crate) social: Option<Variant>,
    /// `sizes` of the markup.
    pub(crate) sizes: String,
    pub(crate) caption: Caption,
}

impl Picture {
    /// The variant `src` names: the widest up to 800 px (what a page column shows).
    pub(crate) fn src(&self) -> &Variant {
        let mut best = &self.fallback[0];
        for v in &self.fallback {
            if v.width <= 800 {
                best = v;
            }
        }
        best
    }

    /// The widest variant: its size is the `width` and `height` of the markup.
    pub(crate) fn largest(&self) -> &Variant {
        self.fallback.last().unwrap_or(&self.email)
    }
}

/// What is known of one source file: its identity on disk, its hash, its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Source {
    /// Size and modification time (ns): when both are unchanged, the hash is reused.
    pub(crate) stamp: (u64, i128),
    pub(crate) hash: u64,
    pub(crate) header: probe::Header,
}

/// A variant made: a file of the cache (with its size and hash), or bytes in memory.
#[derive(Debug, Clone)]
pub(crate) enum Made {
    Stored {
        path: PathBuf,
        size: u64,
        hash: u128,
    },
    Bytes(Arc<[u8]>),
}

/// The files of a run, for the output: output path → variant.
pub(crate) type Files = BTreeMap<String, Made>;

/// What [`Pipeline::run`] did.
#[derive(Debug, Default)]
pub(crate) struct Ran {
    /// Every variant asked for so far.
    pub(crate) files: Files,
    /// Sources that could not be processed.
    pub(crate) failed: Vec<(PathBuf, ImageError)>,
    /// A problem with the cache (a damaged entry), to report as a warning.
    pub(crate) cache_warnings: Vec<String>,
}

/// The pictures of one site: what is known of its sources, the variants asked for, and the
/// cache they are made into.
pub(crate) struct Pipeline {
    settings: Settings,
    base_url: String,
    cache: cache::Cache,
    sources: Mutex<HashMap<PathBuf, Source>>,
    jobs: Mutex<BTreeMap<String, Job>>,
    /// Sources shown through variants: they are not copied into the output as they are.
    originals: Mutex<BTreeSet<PathBuf>>,
    /// Sources decoded by this pipeline (the count the summary and the tests read).
    processed: AtomicUsize,
    /// Variants made and not written into the cache (`Settings::keep` off), by key.
    memory: Mutex<HashMap<String, Arc<[u8]>>>,
    /// For each source, the first place (file, span) that shows it: where an error goes.
    referrers: Mutex<HashMap<PathBuf, (Arc<SourceFile>, Span)>>,
    /// The pictures that could not be shown. Kept apart from the site's other problems: a
    /// broken picture leaves its image as written and stops neither rendering nor the link
    /// check, so `check` reports it with everything else; `build` fails on it before the
    /// output is swapped in.
    problems: Mutex<Vec<Diagnostic>>,
}

impl Pipeline {
    /// A pipeline for the site at `root`, its cache under `cache_dir`.
    pub(crate) fn new(settings: Settings, base_url: &str, cache_dir: &Path) -> Pipeline {
        let cache = cache::Cache::open(cache_dir);
        let sources = Mutex::new(cache.sources().clone());
        Pipeline {
            settings,
            base_url: base_url.to_string(),
            cache,
            sources,
            jobs: Mutex::new(BTreeMap::new()),
            originals: Mutex::new(BTreeSet::new()),
            processed: AtomicUsize::new(0),
            memory: Mutex::new(HashMap::new()),
            referrers: Mutex::new(HashMap::new()),
            problems: Mutex::new(Vec::new()),
        }
    }

    /// Records a picture that cannot be shown.
    pub(crate) fn report(&self, d: Diagnostic) {
        lock(&self.problems).push(d);
    }

    /// The pictures that could not be shown, so far (each reported once: taken).
    pub(crate) fn take_problems(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *lock(&self.problems))
    }

    /// Records that `source` shows `path` at `span` (the first in file order is kept).
    pub(crate) fn refer(&self, path: &Path, source: &Arc<SourceFile>, span: Span) {
        let mut referrers = lock(&self.referrers);
        let entry = referrers
            .entry(path.to_path_buf())
            .or_insert_with(|| (Arc::clone(source), span.clone()));
        if (source.name.as_str(), span.start) < (entry.0.name.as_str(), entry.1.start) {
            *entry = (Arc::clone(source), span);
        }
    }

    /// Where `path` is first shown.
    pub(crate) fn referrer(&self, path: &Path) -> Option<(Arc<SourceFile>, Span)> {
        lock(&self.referrers).get(path).cloned()
    }

    /// The settings.
    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    /// How many sources were decoded.
    pub(crate) fn processed(&self) -> usize {
        self.processed.load(Ordering::Relaxed)
    }

    /// Whether `path` is shown through variants (and so not copied as it is).
    pub(crate) fn is_original(&self, path: &Path) -> bool {
        lock(&self.originals).contains(path)
    }

    /// What is known of `path`: from the cache when its size and time are unchanged, else
    /// read and its header checked.
    pub(crate) fn source(&self, path: &Path) -> Result<Source, ImageError> {
        let meta = std::fs::metadata(path)
            .map_err(|e| ImageError::Missing(format!("{}: {e}", path.display())))?;
        if !meta.is_file() {
            return Err(ImageError::Missing(format!(
                "{} is not a file",
                path.display()
            )));
        }
        let stamp = (meta.len(), cache::mtime(&meta));
        if let Some(s) = lock(&self.sources).get(path).filter(|s| s.stamp == stamp) {
            return Ok(*s);
        }
        if meta.len() > probe::MAX_BYTES {
            return Err(ImageError::TooLarge(format!(
                "{} MB, more than the {} MB a picture may have",
                meta.len() >> 20,
                probe::MAX_BYTES >> 20
            )));
        }
        let bytes = std::fs::read(path)
            .map_err(|e| ImageError::Missing(format!("{}: {e}", path.display())))?;
        let header = probe::header(&bytes)?;
        let source = Source {
            stamp,
            hash: xxhash_rust::xxh3::xxh3_64(&bytes),
            header,
        };
        lock(&self.sources).insert(path.to_path_buf(), source);
        Ok(source)
    }

    /// The picture of `path`, shown as `dir` + `name` (`artikel/x/` + `foto.jpg`): its
    /// variants are asked for, named after it. `social` (a hero or an author photo): also
    /// the 1,200 × 630 crop and the thumbnail width.
    pub(crate) fn picture(
        &self,
        path: &Path,
        dir: &str,
        name: &str,
        social: bool,
        caption: Caption,
    ) -> Result<Picture, ImageError> {
        let source = self.source(path)?;
        let h = source.header;
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let fallback_format = h.format.fallback();
        let mut widths = self.settings.widths_for(h.width);
        let thumb = self.settings.thumbnail_width;
        if social && thumb > 0 && thumb < widths[0] {
            widths.insert(0, thumb);
        }
        let make = |w: u32, format: Format| {
            let height = scaled_height(h.width, h.height, w);
            self.ask(path, &source, dir, stem, (Op::Fit, w, height), format)
        };
        let fallback: Vec<Variant> = widths.iter().map(|&w| make(w, fallback_format)).collect();
        let webp = if self.settings.webp {
            widths.iter().map(|&w| make(w, Format::Webp)).collect()
        } else {
            Vec::new()
        };
        let email = make(h.width.min(self.settings.email_width), fallback_format);
        let social = social.then(|| {
            let (w, hh) = self.settings.social;
            let (w, hh) = fill_size(h.width, h.height, w, hh);
            self.ask(path, &source, dir, stem, (Op::Fill, w, hh), Format::Jpeg)
        });
        lock(&self.originals).insert(path.to_path_buf());
        Ok(Picture {
            fallback,
            webp,
            format: fallback_format,
            email,
            social,
            sizes: self.settings.sizes.clone(),
            caption,
        })
    }

    /// One variant of `path` for a template (`resize_image`): `op` into at most width ×
    /// height (0: free), never larger than the original.
    pub(crate) fn resize(
        &self,
        path: &Path,
        dir: &str,
        name: &str,
        (op, width, height): (Op, u32, u32),
    ) -> Result<Variant, ImageError> {
        let source = self.source(path)?;
        let h = source.header;
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let (w, hh) = match op {
            Op::Fit => fit_size(h.width, h.height, width, height),
            Op::Fill => fill_size(h.width, h.height, width.max(1), height.max(1)),
        };
        let format = h.format.fallback();
        Ok(self.ask(path, &source, dir, stem, (op, w, hh), format))
    }

    /// Records a variant to make and names it.
    fn ask(
        &self,
        path: &Path,
        source: &Source,
        dir: &str,
        stem: &str,
        (op, width, height): (Op, u32, u32),
        format: Format,
    ) -> Variant {
        let size = match op {
            Op::Fit => format!("{width}w"),
            Op::Fill => format!("{width}x{height}"),
        };
        let file = format!("{dir}{stem}-{size}.{}", format.extension());
        let job = Job {
            source: path.to_path_buf(),
            hash: source.hash,
            op,
            width,
            height,
            format,
        };
        lock(&self.jobs).insert(file.clone(), job);
        Variant {
            permalink: format!("{}/{file}", self.base_url),
            file,
            width,
            height,
        }
    }

    /// Makes every variant asked for that the cache does not hold, each source decoded
    /// once, in parallel; returns all variants asked for so far, and what failed.
    pub(crate) fn run(&self) -> Ran {
        let jobs: Vec<(String, Job)> = lock(&self.jobs)
            .iter()
            .map(|(f, j)| (f.clone(), j.clone()))
            .collect();
        let mut by_source: BTreeMap<&Path, Vec<&Job>> = BTreeMap::new();
        for (_, job) in &jobs {
            let key = job.key();
            if !lock(&self.memory).contains_key(&key) && !self.cache.holds(&key) {
                by_source.entry(job.source.as_path()).or_default().push(job);
            }
        }
        let failed: Vec<(PathBuf, ImageError)> = by_source
            .into_par_iter()
            .filter_map(|(path, jobs)| {
                self.make(path, &jobs)
                    .err()
                    .map(|e| (path.to_path_buf(), e))
            })
            .collect();
        let bad: BTreeSet<&PathBuf> = failed.iter().map(|(p, _)| p).collect();
        let memory = lock(&self.memory);
        let files = jobs
            .iter()
            .filter(|(_, job)| !bad.contains(&job.source))
            .filter_map(|(file, job)| {
                let key = job.key();
                let made = match memory.get(&key) {
                    Some(bytes) => Made::Bytes(Arc::clone(bytes)),
                    None => {
                        let (size, hash) = self.cache.entry(&key)?;
                        let path = self.cache.path(&key);
                        Made::Stored { path, size, hash }
                    }
                };
                Some((file.clone(), made))
            })
            .collect();
        Ran {
            files,
            failed,
            cache_warnings: self.cache.warnings(),
        }
    }

    /// Decodes `path` once and makes its variants `jobs` into the cache.
    fn make(&self, path: &Path, jobs: &[&Job]) -> Result<(), ImageError> {
        let bytes = std::fs::read(path)
            .map_err(|e| ImageError::Missing(format!("{}: {e}", path.display())))?;
        let decoded = process::decode(&bytes)?;
        self.processed.fetch_add(1, Ordering::Relaxed);
        jobs.par_iter().try_for_each(|job| {
            let out = decoded.variant(job)?;
            if !self.settings.keep {
                lock(&self.memory).insert(job.key(), Arc::from(out));
                return Ok(());
            }
            self.cache
                .put(&job.key(), &out)
                .map_err(|e| ImageError::Process(format!("writing the cache: {e}")))
        })
    }

    /// Keeps what this pipeline used for the next build, and removes the cache files no
    /// variant of it named (after a whole build only: then every picture of the site asked).
    pub(crate) fn save(&self, prune: bool) -> std::io::Result<()> {
        if !self.settings.keep {
            return Ok(());
        }
        let jobs = lock(&self.jobs);
        let keys: BTreeSet<String> = jobs.values().map(Job::key).collect();
        let used: BTreeSet<&PathBuf> = jobs.values().map(|j| &j.source).collect();
        let mut sources = lock(&self.sources).clone();
        if prune {
            sources.retain(|p, _| used.contains(p));
        }
        self.cache.save(&sources, &keys, prune)
    }
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("settings", &self.settings)
            .field("variants", &lock(&self.jobs).len())
            .finish_non_exhaustive()
    }
}

/// Locks, taking over a mutex a panicking thread left.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The height of `w` × `h` scaled to width `to`, at least 1.
fn scaled_height(w: u32, h: u32, to: u32) -> u32 {
    let h = (u64::from(h) * u64::from(to) + u64::from(w) / 2) / u64::from(w.max(1));
    (h as u32).max(1)
}

/// The size of `w` × `h` fitted into `mw` × `mh` (0: no bound), never larger.
fn fit_size(w: u32, h: u32, mw: u32, mh: u32) -> (u32, u32) {
    let mut tw = if mw == 0 { w } else { w.min(mw) };
    let mut th = scaled_height(w, h, tw);
    if mh != 0 && th > mh {
        th = mh;
        tw = scaled_height(h, w, th);
    }
    (tw.max(1), th.max(1))
}

/// The size of a `tw` × `th` crop of a `w` × `h` picture, scaled down (aspect kept) where
/// the picture is smaller than the crop: never upscaled.
fn fill_size(w: u32, h: u32, tw: u32, th: u32) -> (u32, u32) {
    let scale = (f64::from(w) / f64::from(tw))
        .min(f64::from(h) / f64::from(th))
        .min(1.0);
    (
        ((f64::from(tw) * scale).round() as u32).max(1),
        ((f64::from(th) * scale).round() as u32).max(1),
    )
}

#[cfg(test)]
mod tests;
