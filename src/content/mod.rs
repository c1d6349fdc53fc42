//! Loading: walk `content/`, read every file, split and parse front matter (in parallel).

pub(crate) mod front_matter;

/// Slugs are a ground-floor text rule; kept reachable here under their old path.
pub(crate) use crate::text::slug;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::{SourceFile, Span};
pub(crate) use front_matter::FrontMatter;
pub use front_matter::Kind;
pub(crate) use front_matter::{Address, Person, Spanned};

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
    /// Typed front matter (shared: a rebuild reuses it for files that did not change).
    pub front: Arc<FrontMatter>,
    /// The Markdown body.
    pub body: Span,
    /// A hash of the whole file, for telling changed files from unchanged ones.
    pub hash: u64,
    /// The URL segment: `slug:` if set, else the file name without a date prefix,
    /// slugified (empty when nothing of it is left). Worked out once, when the file is read.
    pub slug: String,
    /// The date from a `YYYY-MM-DD-` file name prefix, or why the prefix is no date.
    pub prefix_date: Option<Result<jiff::ZonedDateTime, BadPrefixDate>>,
    /// Whether the body has `@/` links or shortcode calls: its HTML then also depends on
    /// other pages or on templates (looked up once, when the file is read).
    pub depends: crate::markdown::Depends,
}

impl Document {
    /// The Markdown body text.
    pub fn body_text(&self) -> &str {
        &self.source.text[self.body.clone()]
    }
}

/// A `YYYY-MM-DD-` file name prefix that is no date (`2007-13-01-x.md`). Kept as its parts,
/// so resolve can word its diagnostic without taking a message apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPrefixDate {
    /// The prefix as written: `2007-13-01`.
    pub prefix: String,
    /// Why it is no date.
    pub why: String,
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
pub(crate) fn is_ignored(name: &str) -> bool {
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
pub(crate) fn walk_files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
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
            // A name that is no UTF-8 could become no URL without being renamed on the way.
            Ok(e) if e.file_name().to_str().is_none() => diags.push(
                Diagnostic::error("file-name-utf8", "file name is not valid UTF-8")
                    .in_file(crate::source::display_path(root, e.path()))
                    .help("rename it; the bytes that are no UTF-8 are shown as �"),
            ),
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

/// One Markdown file as read: its document, if it parsed, and its diagnostics.
pub(crate) type DocResult = (Option<Document>, Vec<Diagnostic>);

/// Every file of `content/`, as read: each Markdown file with its document (if it parsed)
/// and its diagnostics, and the other files. `serve` keeps this between rebuilds and reads
/// again only the files that changed.
#[derive(Debug, Default, Clone)]
pub struct Files {
    /// Markdown files by path.
    pub markdown: std::collections::BTreeMap<PathBuf, DocResult>,
    /// Other files, in path order.
    pub assets: Vec<Asset>,
    /// Problems of the walk itself (unreadable folders, no content/ at all).
    pub walk: Vec<Diagnostic>,
}

impl Files {
    /// Reads all of `content/`.
    pub fn read(config: &Config) -> Files {
        let content = config.root.join("content");
        let mut walk = Diagnostics::new();
        if !content.is_dir() {
            walk.push(
                Diagnostic::error("content-missing", "the site has no content/ folder")
                    .in_file("content/")
                    .help("create content/_index.md for the home page, or start with `presswerk init DIR`"),
            );
            return Files {
                walk: walk.sorted(),
                ..Files::default()
            };
        }
        let files = walk_files(&config.root, &content, &mut walk);
        let (markdown, other): (Vec<PathBuf>, Vec<PathBuf>) =
            files.into_iter().partition(|p| is_markdown(p));
        let docs: Vec<(PathBuf, DocResult)> = markdown
            .into_par_iter()
            .map(|path| {
                let result = load_document(config, &content, &path);
                (path, result)
            })
            .collect();
        Files {
            markdown: docs.into_iter().collect(),
            assets: other.into_iter().map(|p| asset(&content, p)).collect(),
            walk: walk.sorted(),
        }
    }

    /// Reads one Markdown file again, or forgets it if it is gone. A folder that is gone
    /// takes every file below it along; a folder that appeared brings its files.
    pub fn update(&mut self, config: &Config, path: &Path) {
        let content = config.root.join("content");
        self.markdown
            .retain(|p, _| !p.starts_with(path) || p.exists());
        if path.is_dir() {
            let mut ignored = Diagnostics::new();
            for file in walk_files(&config.root, path, &mut ignored) {
                if is_markdown(&file) {
                    let result = load_document(config, &content, &file);
                    self.markdown.insert(file, result);
                }
            }
        } else if path.is_file() && is_markdown(path) {
            let result = load_document(config, &content, path);
            self.markdown.insert(path.to_path_buf(), result);
        }
    }

    /// Lists the non-Markdown files again (after one was added, removed or renamed).
    pub fn rescan_assets(&mut self, config: &Config) {
        let content = config.root.join("content");
        let mut ignored = Diagnostics::new();
        self.assets = walk_files(&config.root, &content, &mut ignored)
            .into_iter()
            .filter(|p| !is_markdown(p))
            .map(|p| asset(&content, p))
            .collect();
    }

    /// Every diagnostic found while reading.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut diags: Vec<Diagnostic> = self.walk.clone();
        for (_, ds) in self.markdown.values() {
            diags.extend(ds.iter().cloned());
        }
        diags
    }

    /// Like [`Files::loaded`], handing everything over: a one-shot build keeps no copy, so
    /// the texts can be freed once the site has no more use for them.
    pub fn into_loaded(self) -> (Loaded, Vec<Diagnostic>) {
        let mut diags = self.walk;
        let mut documents = Vec::with_capacity(self.markdown.len());
        for (doc, ds) in self.markdown.into_values() {
            diags.extend(ds);
            documents.extend(doc);
        }
        (
            Loaded {
                documents,
                assets: self.assets,
            },
            diags,
        )
    }

    /// The documents and assets for a build, and every diagnostic found while reading.
    pub fn loaded(&self) -> (Loaded, Vec<Diagnostic>) {
        let mut diags: Vec<Diagnostic> = self.walk.clone();
        let mut documents = Vec::with_capacity(self.markdown.len());
        for (doc, ds) in self.markdown.values() {
            diags.extend(ds.iter().cloned());
            documents.extend(doc.iter().cloned());
        }
        (
            Loaded {
                documents,
                assets: self.assets.clone(),
            },
            diags,
        )
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

fn asset(content: &Path, path: PathBuf) -> Asset {
    let rel = path.strip_prefix(content).unwrap_or(&path);
    let dir = folder_of(rel);
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Asset {
        path: path.clone(),
        dir,
        name,
    }
}

/// Reads `content/` of the site: every Markdown file parsed, every other file listed.
pub fn load(config: &Config, diags: &mut Diagnostics) -> Loaded {
    let (loaded, ds) = Files::read(config).loaded();
    diags.extend(ds);
    loaded
}

/// A 64-bit hash of a file's text, for telling changed files from unchanged ones.
pub(crate) fn hash_text(text: &str) -> u64 {
    crate::fingerprint::of_str(text)
}

/// Reads a file of `content/` as UTF-8 text.
fn read_source(config: &Config, path: &Path) -> Result<Arc<SourceFile>, Box<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(
            Diagnostic::error("io", format!("cannot read file: {e}"))
                .in_file(crate::source::display_path(&config.root, path)),
        )
    })?;
    crate::text::utf8::decode_utf8(&config.root, path, bytes).map(Arc::new)
}

/// What a file is, by its name and folder: `_index` a section, the authors' folder holds
/// profiles, the editions folder editions, anything else is a page.
fn kind_of(config: &Config, section: &str, stem: &str) -> Kind {
    if stem == "_index" {
        Kind::Section
    } else if section == config.authors_section {
        Kind::Author
    } else if section == config.editions.section {
        Kind::Edition
    } else {
        Kind::Page
    }
}

/// Reads one Markdown file of `content/` and parses its front matter.
fn load_document(config: &Config, content: &Path, path: &Path) -> DocResult {
    let mut diags = Vec::new();
    let source = match read_source(config, path) {
        Ok(s) => s,
        Err(d) => {
            diags.push(*d);
            return (None, diags);
        }
    };
    let rel = path.strip_prefix(content).unwrap_or(path);
    let section = folder_of(rel);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (section, stem) = bundle_page(section, stem);
    let kind = kind_of(config, &section, &stem);
    let split = match front_matter::split(&source.text) {
        Ok(s) => s,
        Err(fence) => {
            diags.push(front_matter::unclosed(&source, fence));
            return (None, diags);
        }
    };
    let term_keys: Vec<&str> = config
        .taxonomies
        .iter()
        .map(|t| t.key())
        .filter(|k| !matches!(*k, "tags" | "region"))
        .collect();
    let settings = front_matter::Settings {
        tz: &config.timezone,
        term_keys: &term_keys,
    };
    let Some(mut front) = front_matter::parse(&source, &split, kind, &settings, &mut diags) else {
        return (None, diags);
    };
    let hash = hash_text(&source.text);
    let depends = crate::markdown::Depends::of(&source.text[split.body.clone()]);
    let (prefix, rest) = crate::text::dates::split_date_prefix(&stem);
    let slug = slug_of(&front, kind, &stem, rest);
    old_url_as_alias(&mut front, &section, &slug);
    let prefix_date = prefix_date(kind, prefix, &config.timezone);
    let doc = Document {
        source,
        kind,
        section,
        stem,
        front: Arc::new(front),
        body: split.body,
        hash,
        slug,
        prefix_date,
        depends,
    };
    (Some(doc), diags)
}

/// A leaf bundle, `artikel/2023-05-01-fest/index.md`, is the page `2023-05-01-fest` of the
/// folder above it (name, date prefix and slug come from its folder), as in Hugo.
fn bundle_page(section: String, stem: String) -> (String, String) {
    match (stem.as_str(), section.rsplit_once('/')) {
        ("index", Some((parent, folder))) => (parent.to_string(), folder.to_string()),
        ("index", None) if !section.is_empty() => (String::new(), section),
        _ => (section, stem),
    }
}

/// Another generator's `url:` becomes an alias, so links to the old address keep working;
/// not when it is the address the page has anyway (a redirect onto itself).
fn old_url_as_alias(front: &mut FrontMatter, section: &str, slug: &str) {
    let Some(old) = front.old_url.take() else {
        return;
    };
    let own = format!("{}{slug}", crate::text::url_path::section_path(section));
    if old.value.trim_end_matches('/') != own && !front.aliases.iter().any(|a| a.value == old.value)
    {
        front.aliases.push(old);
    }
}

/// The folder of a path below `content/`, `/`-separated (`""` for the top).
fn folder_of(rel: &Path) -> String {
    rel.parent()
        .map(|p| crate::source::display_path(Path::new(""), p))
        .unwrap_or_default()
}

/// The URL segment of a document: `slug:` if set; for a page the file name without its date
/// prefix (the whole name if nothing is left of it), slugified; else the file name, slugified.
fn slug_of(front: &FrontMatter, kind: Kind, stem: &str, undated: &str) -> String {
    match (&front.slug, kind) {
        (Some(s), _) => s.value.clone(),
        (None, Kind::Page) => {
            let s = slug::slugify(undated);
            if s.is_empty() { slug::slugify(stem) } else { s }
        }
        (None, _) => slug::slugify(stem),
    }
}

/// The date of a page's `YYYY-MM-DD-` file name prefix, or why it is no date. Only pages
/// take a date from their name.
fn prefix_date(
    kind: Kind,
    prefix: Option<&str>,
    tz: &jiff::tz::TimeZone,
) -> Option<Result<jiff::ZonedDateTime, BadPrefixDate>> {
    match (kind, prefix) {
        (Kind::Page, Some(p)) => {
            Some(
                front_matter::parse_date(p, tz).map_err(|why| BadPrefixDate {
                    prefix: p.to_string(),
                    why,
                }),
            )
        }
        _ => None,
    }
}
