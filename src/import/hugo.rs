//! Reading a Hugo site: its configuration (`hugo.toml`, `config.toml`, YAML or JSON, also
//! under `config/_default/`), `content/` with sections, leaf bundles and translations,
//! `static/`, and author data (`data/authors.*`, `data/authors/`, `content/authors/`).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use super::convert::{Dialect, convert};
use super::front::{self, Foreign};
use super::urls::{Parts, hugo_pattern, hugo_urlize, normalize};
use super::values::{flag, get, list, text, ymd};
use super::walk::{self, File, read_text};
use super::{Copy, Doc, Old, Report, SiteInfo, Tool, authors::Authors};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::source::SourceFile;

const CONFIG_NAMES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];
const MARKDOWN: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn"];
const OTHER_FORMATS: &[&str] = &[
    "html", "htm", "org", "adoc", "asciidoc", "ad", "rst", "pandoc", "pdc",
];
/// Folders of a Hugo site that hold templates and build inputs, not content.
const NOT_CONVERTED: &[(&str, &str)] = &[
    ("layouts", "templates: the new site uses presswerk's theme"),
    ("themes", "templates: the new site uses presswerk's theme"),
    (
        "assets",
        "Hugo Pipes resources, used only through templates",
    ),
    ("i18n", "template labels: presswerk's theme has its own"),
    ("archetypes", "templates for `hugo new`"),
];

/// The settings of `hugo.toml` the import uses.
struct Config {
    site: SiteInfo,
    content_dir: String,
    static_dirs: Vec<String>,
    data_dir: String,
    /// Top-level section → permalink pattern of its pages.
    permalinks: HashMap<String, String>,
    ugly: bool,
    lower: bool,
    /// The site's languages other than the default one.
    other_languages: Vec<String>,
    /// Whether the old site had an `authors` taxonomy: its terms are people.
    author_taxonomy: bool,
}

/// Reads the Hugo site in `src`.
pub(super) fn read(src: &Path, dest: &Path) -> Result<Old, Error> {
    let (raw, config_path) = read_config(src)?;
    let mut report = Report {
        tool: "Hugo",
        ..Default::default()
    };
    let config = settings(&raw, &config_path, src, &mut report);
    let content = src.join(&config.content_dir);
    if !content.is_dir() {
        return Err(super::not_a_site(
            src,
            Tool::Hugo,
            &format!("has no {}/ folder", config.content_dir),
        ));
    }
    let mut authors = Authors::default();
    read_author_data(
        &src.join(&config.data_dir),
        &config.data_dir,
        &mut authors,
        &mut report,
    );
    let files = walk::files(&content, &config.content_dir, &mut report, &|_| false);
    let (docs, mut copies) = read_content(&config, &files, &mut authors, &mut report);
    for dir in &config.static_dirs {
        let skip = |rel: &str| is_inside(&src.join(dir).join(rel), dest);
        for f in walk::files(&src.join(dir), dir, &mut report, &skip) {
            copies.push(Copy {
                to: format!("static/{}", f.rel),
                from: f.path,
            });
        }
    }
    for (dir, why) in NOT_CONVERTED {
        if src.join(dir).is_dir() {
            report.skip(format!("{dir}/"), 0, *why);
        }
    }
    Ok(Old {
        site: config.site,
        docs,
        copies,
        authors,
        report,
    })
}

/// Whether `path` is `dest` or inside it (an import into a folder of SRC must not read
/// what it writes).
fn is_inside(path: &Path, dest: &Path) -> bool {
    match (path.canonicalize(), dest.canonicalize()) {
        (Ok(p), Ok(d)) => p.starts_with(d),
        _ => false,
    }
}

/// The configuration file and its contents; under `config/_default/`, the files beside it
/// (`params.toml`, `permalinks.toml`, …) are the keys they are named after.
fn read_config(src: &Path) -> Result<(Mapping, PathBuf), Error> {
    let top = CONFIG_NAMES
        .iter()
        .map(|n| src.join(n))
        .find(|p| p.is_file());
    let default_dir = src.join("config/_default");
    let split = CONFIG_NAMES
        .iter()
        .map(|n| default_dir.join(n))
        .find(|p| p.is_file());
    let Some(path) = top.or(split.clone()) else {
        return Err(super::not_a_site(
            src,
            Tool::Hugo,
            "has no hugo.toml, config.toml, hugo.yaml or config.yaml",
        ));
    };
    let mut config = parse_config(&path)?;
    if split.as_ref() == Some(&path) {
        let mut diags = Diagnostics::new();
        for f in walk::files(&default_dir, "", &mut Report::default(), &|_| true) {
            let stem = f.rel.rsplit_once('.').map_or(f.rel.as_str(), |(s, _)| s);
            if f.path == path || get(&config, stem).is_some() || !is_config_file(&f.rel) {
                continue;
            }
            match parse_config(&f.path) {
                Ok(m) => {
                    config.insert(stem.into(), Value::Mapping(m));
                }
                Err(Error::Site(d)) => diags.extend(d.iter().cloned()),
                Err(e) => return Err(e),
            }
        }
        if diags.has_errors() {
            return Err(Error::Site(diags));
        }
    }
    Ok((config, path))
}

fn is_config_file(name: &str) -> bool {
    [".toml", ".yaml", ".yml", ".json"]
        .iter()
        .any(|e| name.ends_with(e))
}

/// Parses one configuration file; a syntax error is a diagnostic at its line and column.
pub(super) fn parse_config(path: &Path) -> Result<Mapping, Error> {
    let text = read_text(path).map_err(|e| match e {
        walk::Unreadable::Io(io) => Error::read(path, io),
        other => Error::read(path, std::io::Error::other(other.to_string())),
    })?;
    let toml = path.extension().is_some_and(|e| e == "toml");
    let parsed: Result<Value, (String, usize)> = if toml {
        text.parse::<toml::Table>()
            .map(|t| super::values::toml_to_yaml(toml::Value::Table(t)))
            .map_err(|e| (e.message().to_string(), e.span().map_or(0, |s| s.start)))
    } else {
        serde_yaml::from_str::<Value>(&text).map_err(|e| {
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            (msg, e.location().map_or(0, |l| l.index()))
        })
    };
    match parsed {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(_) => Err(config_error(
            path,
            text,
            0,
            "the configuration is not a table of settings",
        )),
        Err((msg, at)) => Err(config_error(path, text, at, &msg)),
    }
}

fn config_error(path: &Path, text: String, at: usize, msg: &str) -> Error {
    let at = crate::source::floor_char_boundary(&text, at);
    let source = Arc::new(SourceFile::new(Path::new(""), path, text));
    let mut d = Diagnostics::new();
    d.push(
        Diagnostic::error("import-config", "cannot read the old site's configuration")
            .at(&source, at..at, msg.trim().to_string())
            .help("fix the file (the old tool cannot read it either), then import again"),
    );
    Error::Site(d)
}

/// What the import takes from the configuration.
fn settings(raw: &Mapping, path: &Path, src: &Path, report: &mut Report) -> Config {
    let config_name = crate::source::display_path(src, path);
    let params = get(raw, "params")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    let default_lang = text(raw, "defaultContentLanguage").unwrap_or_else(|| "en".into());
    let languages = get(raw, "languages")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    let mut content_dir = text(raw, "contentDir").unwrap_or_else(|| "content".into());
    let mut other_languages = Vec::new();
    for (code, lang) in &languages {
        let Some(code) = code.as_str() else { continue };
        if code.eq_ignore_ascii_case(&default_lang) {
            if let Some(dir) = lang.as_mapping().and_then(|l| text(l, "contentDir")) {
                content_dir = dir;
            }
        } else {
            other_languages.push(code.to_lowercase());
        }
    }
    if !other_languages.is_empty() {
        report.skip(
            config_name.clone(),
            0,
            format!(
                "languages {}: presswerk builds one language, the default one ({default_lang}) is imported",
                other_languages.join(", ")
            ),
        );
    }
    let lang_code = text(raw, "languageCode")
        .or_else(|| text(raw, "locale"))
        .unwrap_or_else(|| default_lang.clone());
    let (taxonomies, author_taxonomy) = taxonomies(raw);
    Config {
        site: SiteInfo {
            config_name,
            title: text(raw, "title").unwrap_or_else(|| "Newsletter".into()),
            description: text(&params, "description")
                .or_else(|| text(raw, "description"))
                .unwrap_or_default(),
            base_url: text(raw, "baseURL")
                .map(|u| u.trim_end_matches('/').to_string())
                .filter(|u| u.starts_with("http")),
            language: language(&lang_code),
            timezone: text(raw, "timeZone").filter(|tz| jiff::tz::TimeZone::get(tz).is_ok()),
            taxonomies,
            authors_section: "authors".into(),
        },
        static_dirs: get(raw, "staticDir")
            .map_or_else(|| vec!["static".into()], |v| list(v, false)),
        data_dir: text(raw, "dataDir").unwrap_or_else(|| "data".into()),
        content_dir,
        permalinks: permalinks(raw),
        ugly: flag(raw, "uglyURLs"),
        lower: !flag(raw, "disablePathToLower"),
        other_languages,
        author_taxonomy,
    }
}

/// `de` for German sites, else `en` (the languages presswerk's theme speaks).
pub(super) fn language(code: &str) -> String {
    if code.to_lowercase().starts_with("de") {
        "de"
    } else {
        "en"
    }
    .to_string()
}

/// The taxonomies' plural names (Hugo's default: tags and categories) without `authors`,
/// and whether `authors` was one.
fn taxonomies(raw: &Mapping) -> (Vec<String>, bool) {
    let plurals: Vec<String> = match get(raw, "taxonomies").and_then(Value::as_mapping) {
        Some(m) => m.values().filter_map(super::values::scalar).collect(),
        None => vec!["tags".into(), "categories".into()],
    };
    let authors = plurals.iter().any(|p| p == "authors" || p == "author");
    let mut out: Vec<String> = plurals
        .into_iter()
        .map(|p| p.to_lowercase())
        .filter(|p| p != "authors" && p != "author" && !p.is_empty() && !p.contains('/'))
        .collect();
    out.sort();
    out.dedup();
    (out, authors)
}

/// `[permalinks]`: `post = "/:year/:slug/"`, or the newer `[permalinks.page]` table.
fn permalinks(raw: &Mapping) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Some(m) = get(raw, "permalinks").and_then(Value::as_mapping) else {
        return out;
    };
    for (k, v) in m {
        let Some(k) = k.as_str() else { continue };
        match v {
            Value::String(p) => {
                out.insert(k.trim_matches('/').to_lowercase(), p.clone());
            }
            Value::Mapping(pages) if k == "page" => {
                for (s, p) in pages {
                    if let (Some(s), Some(p)) = (s.as_str(), p.as_str()) {
                        out.insert(s.trim_matches('/').to_lowercase(), p.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `data/authors.{yaml,toml,json}` and `data/authors/<slug>.*`.
fn read_author_data(data: &Path, shown: &str, authors: &mut Authors, report: &mut Report) {
    for f in walk::files(data, shown, report, &|_| false) {
        let (stem, ext) = f.rel.rsplit_once('.').unwrap_or((f.rel.as_str(), ""));
        if !matches!(ext, "yaml" | "yml" | "toml" | "json") {
            continue;
        }
        let entry = if stem == "authors" {
            None
        } else if let Some(slug) = stem.strip_prefix("authors/") {
            Some(slug)
        } else {
            continue;
        };
        match parse_config(&f.path) {
            Ok(m) => match entry {
                None => authors.add_data(&Value::Mapping(m)),
                Some(slug) => authors.add(slug, &m, None),
            },
            Err(e) => report.skip(walk::join(shown, &f.rel), 0, e.to_string()),
        }
    }
}

/// Where a file of `content/` goes.
enum Place {
    /// A page or section document: (folder, stem in the new site, the name Hugo's URL uses).
    Doc {
        dir: String,
        stem: String,
        name: String,
        section: bool,
    },
    /// A leaf bundle's other content file: Hugo renders no page for it.
    Resource(String),
    /// Copied beside its page or section.
    File,
    Skip(String),
}

/// The leaf bundles (folders with an `index.md`), by folder.
fn leaf_bundles(files: &[File]) -> BTreeSet<String> {
    files
        .iter()
        .filter_map(|f| {
            let (dir, name) = f.rel.rsplit_once('/')?;
            let stem = name.split('.').next()?;
            (stem == "index").then(|| dir.to_string())
        })
        .collect()
}

/// The innermost leaf bundle `rel` is in (not counting a bundle's own `index.md`).
fn bundle_of<'a>(rel: &str, bundles: &'a BTreeSet<String>) -> Option<&'a String> {
    let mut dir = rel;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        if let Some(b) = bundles.get(parent) {
            return Some(b);
        }
        dir = parent;
    }
    None
}

fn place(config: &Config, rel: &str, bundles: &BTreeSet<String>) -> Place {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    if crate::content::is_ignored(name) {
        return Place::Skip("hidden, temporary or backup file".into());
    }
    let mut parts: Vec<&str> = name.split('.').collect();
    let ext = if parts.len() > 1 {
        parts.pop().unwrap_or("")
    } else {
        ""
    }
    .to_lowercase();
    if parts.len() > 1
        && let Some(lang) = parts.last()
    {
        if config
            .other_languages
            .iter()
            .any(|l| l == &lang.to_lowercase())
        {
            return Place::Skip(format!(
                "translation ({lang}): presswerk builds one language"
            ));
        }
        if lang.len() <= 5 && !MARKDOWN.contains(&ext.as_str()) {
            // A resource like `foto.groß.jpg`; only content files carry a language.
        } else if lang.len() <= 5 {
            parts.pop();
        }
    }
    let stem = parts.join(".");
    let is_index = stem == "index" && bundles.contains(dir);
    match bundle_of(rel, bundles) {
        Some(b) if !is_index => {
            return if MARKDOWN.contains(&ext.as_str()) || OTHER_FORMATS.contains(&ext.as_str()) {
                Place::Resource(b.clone())
            } else {
                Place::File
            };
        }
        _ => {}
    }
    if OTHER_FORMATS.contains(&ext.as_str()) {
        return Place::Skip(format!("{ext} content is not converted (only Markdown is)"));
    }
    if !MARKDOWN.contains(&ext.as_str()) {
        return Place::File;
    }
    if is_index {
        let (parent, bundle) = dir.rsplit_once('/').unwrap_or(("", dir));
        if dir.is_empty() {
            return Place::Doc {
                dir: String::new(),
                stem: "_index".into(),
                name: String::new(),
                section: true,
            };
        }
        return Place::Doc {
            dir: parent.into(),
            stem: bundle.into(),
            name: bundle.into(),
            section: false,
        };
    }
    let section = stem == "_index";
    Place::Doc {
        dir: dir.into(),
        stem: stem.clone(),
        name: stem,
        section,
    }
}

/// Reads every file of `content/`: documents, the files copied beside them, profiles.
fn read_content(
    config: &Config,
    files: &[File],
    authors: &mut Authors,
    report: &mut Report,
) -> (Vec<Doc>, Vec<Copy>) {
    let bundles = leaf_bundles(files);
    let shown = |rel: &str| walk::join(&config.content_dir, rel);
    let mut docs = Vec::new();
    let mut copies = Vec::new();
    let mut skipped_bundles = BTreeSet::new();
    let mut resources = Vec::new();
    for f in files {
        match place(config, &f.rel, &bundles) {
            Place::Skip(why) => report.skip(shown(&f.rel), 0, why),
            Place::Resource(b) => report.skip(
                shown(&f.rel),
                0,
                format!(
                    "a page resource of the bundle {}/index.md: Hugo renders no page for it",
                    shown(&b)
                ),
            ),
            Place::File => resources.push(f),
            Place::Doc {
                dir,
                stem,
                name,
                section,
            } => {
                let Some(foreign) = read_doc(&shown(&f.rel), &f.path, report) else {
                    continue;
                };
                if let Some(why) = not_rendered(&foreign.front) {
                    report.skip(shown(&f.rel), 0, why);
                    skipped_bundles.insert(if section {
                        dir.clone()
                    } else {
                        join(&dir, &stem)
                    });
                    continue;
                }
                if author_profile(&dir, &stem, section, &foreign, authors) {
                    continue;
                }
                docs.push(doc(
                    config,
                    shown(&f.rel),
                    dir,
                    stem,
                    name,
                    section,
                    foreign,
                ));
            }
        }
    }
    for f in resources {
        let (dir, _) = f.rel.rsplit_once('/').unwrap_or(("", ""));
        if skipped_bundles
            .iter()
            .any(|b| dir == b || dir.starts_with(&format!("{b}/")))
        {
            report.skip(
                shown(&f.rel),
                0,
                "belongs to a bundle Hugo renders no page for",
            );
            continue;
        }
        copies.push(Copy {
            from: f.path.clone(),
            to: format!("content/{}", f.rel),
        });
    }
    (docs, copies)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Reads a content file; a file that cannot be read or whose front matter is broken is
/// reported with its line.
pub(super) fn read_doc(shown: &str, path: &Path, report: &mut Report) -> Option<Foreign> {
    let text = match read_text(path) {
        Ok(t) => t,
        Err(e) => {
            report.skip(shown.to_string(), 0, e.to_string());
            return None;
        }
    };
    match front::read(&text) {
        Ok(f) => Some(f),
        Err(bad) => {
            report.skip(shown.to_string(), bad.line, bad.why);
            None
        }
    }
}

/// Why Hugo renders no page for this front matter, if it does not.
fn not_rendered(front: &Mapping) -> Option<String> {
    if flag(front, "headless") {
        return Some("a headless bundle: Hugo renders no page for it".into());
    }
    let build = get(front, "build")
        .or_else(|| get(front, "_build"))?
        .as_mapping()?;
    let render = get(build, "render")?;
    let never = matches!(render, Value::Bool(false))
        || super::values::scalar(render).is_some_and(|r| r == "never" || r == "false");
    never.then(|| "`build: render: never`: Hugo renders no page for it".into())
}

/// `content/authors/<slug>.md` and `content/authors/<slug>/_index.md` (the pages of an
/// authors taxonomy's terms) are author profiles: their front matter and biography.
fn author_profile(
    dir: &str,
    stem: &str,
    section: bool,
    f: &Foreign,
    authors: &mut Authors,
) -> bool {
    let slug = match (dir.split_once('/'), section) {
        (Some(("authors", slug)), true) if !slug.contains('/') => slug,
        (None, false) if dir == "authors" => stem,
        _ => return false,
    };
    authors.add(slug, &f.front, Some(&f.body));
    true
}

/// A document: its front matter converted, its old URL worked out.
fn doc(
    config: &Config,
    src: String,
    dir: String,
    stem: String,
    name: String,
    section: bool,
    f: Foreign,
) -> Doc {
    let taxonomies = &config.site.taxonomies;
    let mut front = convert(&f.front, taxonomies, Dialect::Hugo);
    if config.author_taxonomy {
        // An authors taxonomy's terms are people: they are read as authors.
        let extra = std::mem::take(&mut front.extra);
        for (k, v) in extra {
            if k.as_str()
                .is_some_and(|k| k.eq_ignore_ascii_case("authors"))
            {
                for name in list(&v, false) {
                    front.authors.push(super::convert::AuthorRef::Name(name));
                }
            } else {
                front.extra.insert(k, v);
            }
        }
    }
    let title = front
        .keys
        .get("title")
        .and_then(Value::as_str)
        .map_or_else(|| titleize(&name), str::to_string);
    let draft = front.keys.get("draft") == Some(&Value::Bool(true));
    let old_url = if draft {
        None
    } else {
        Some(old_url(config, &dir, &name, section, &front, &title))
    };
    let dir = if dir == "authors" {
        config.site.authors_section.clone()
    } else {
        dir
    };
    Doc {
        src,
        dir,
        stem,
        section,
        front,
        body: f.body,
        body_line: f.body_line,
        old_url,
        title,
    }
}

/// A title from a file name: `sommer-fest_2024` → `Sommer fest 2024`.
pub(super) fn titleize(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut c = words.trim().chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_else(|| "Seite".into())
}

/// Where Hugo served the document.
fn old_url(
    config: &Config,
    dir: &str,
    name: &str,
    section: bool,
    front: &super::convert::Converted,
    title: &str,
) -> String {
    let lower = config.lower;
    let segs: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| hugo_urlize(s, lower))
        .collect();
    if let Some(url) = &front.own_url {
        return normalize(url);
    }
    if section {
        return normalize(&format!("{}/", segs.join("/")));
    }
    let parts = Parts {
        date: front.date.as_deref().and_then(ymd),
        time: None,
        title: title.to_string(),
        slug: front.slug.clone(),
        filename: name.to_string(),
        sections: dir
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        categories: Vec::new(),
    };
    let top = dir.split('/').next().unwrap_or("").to_lowercase();
    if let Some(pattern) = config.permalinks.get(&top).filter(|_| !top.is_empty())
        && let Ok(url) = hugo_pattern(pattern, &parts, lower)
    {
        return finish_url(url, config.ugly);
    }
    let last = hugo_urlize(front.slug.as_deref().unwrap_or(name), lower);
    let path = if segs.is_empty() {
        last
    } else {
        format!("{}/{last}", segs.join("/"))
    };
    finish_url(normalize(&path), config.ugly)
}

/// Hugo's pretty URLs end in `/`, its ugly ones in `.html`.
fn finish_url(url: String, ugly: bool) -> String {
    if url.ends_with('/') || url.ends_with(".html") {
        url
    } else if ugly {
        format!("{url}.html")
    } else {
        format!("{url}/")
    }
}
