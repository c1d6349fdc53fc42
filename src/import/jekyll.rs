//! Reading a Jekyll site: `_config.yml`, posts (`_posts/`, `<category>/_posts/`), drafts,
//! pages, static files, and authors (`_data/authors.yml`, `author:` in front matter).

use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::config_file::{language, parse_config};
use super::convert::{Dialect, convert};
use super::front::Foreign;
use super::front::read_doc;
use super::urls::{Parts, jekyll_pattern, jekyll_slug, normalize};
use super::values::{get, list, text, titleize, ymd};
use super::walk::{self, File};
use super::{Copy, Doc, Old, Report, SiteInfo, Tool, authors::Authors};
use crate::error::Error;

const MARKDOWN: &[&str] = &["md", "markdown", "mkdown", "mkdn", "mkd", "mdown", "mdwn"];
/// Jekyll's own exclusions, besides `_`, `.` and `#` names.
const DEFAULT_EXCLUDE: &[&str] = &[
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor",
    "gemfiles",
];
/// The section posts go to.
const POSTS: &str = "posts";

/// The settings of `_config.yml` the import uses.
struct Config {
    site: SiteInfo,
    /// The permalink style or pattern of posts (`date`, `pretty`, `/:year/:title/`).
    permalink: String,
    /// `exclude:` of `_config.yml`, each without its slashes.
    exclude: std::collections::HashSet<String>,
    /// `defaults:`: (path prefix, `posts`/`pages`/any, values), in the file's order.
    defaults: Vec<(String, Option<String>, Mapping)>,
    /// Collections (`_name/` folders) that are not posts.
    collections: Vec<String>,
}

/// Reads the Jekyll site in `src`.
pub(super) fn read(src: &Path, dest: &Path) -> Result<Old, Error> {
    let path = ["_config.yml", "_config.yaml"]
        .iter()
        .map(|n| src.join(n))
        .find(|p| p.is_file())
        .ok_or_else(|| super::not_a_site(src, Tool::Jekyll, "has no _config.yml"))?;
    let raw = parse_config(&path)?;
    let config = settings(&raw, &path, src);
    let mut report = Report {
        tool: "Jekyll",
        ..Default::default()
    };
    let mut authors = Authors::default();
    for name in [
        "_data/authors.yml",
        "_data/authors.yaml",
        "_data/authors.json",
    ] {
        if src.join(name).is_file() {
            match parse_config(&src.join(name)) {
                Ok(m) => authors.add_data(&Value::Mapping(m)),
                Err(e) => report.skip(name.into(), 0, e.to_string()),
            }
        }
    }
    let mut docs = Vec::new();
    let mut copies = Vec::new();
    read_posts(&config, src, &mut docs, &mut report);
    let skip = |rel: &str| excluded(&config, rel) || is_dest(&src.join(rel), dest);
    for f in walk::files(src, "", &mut report, &skip) {
        if excluded(&config, &f.rel) {
            continue;
        }
        read_file(&config, &f, &mut docs, &mut copies, &mut report);
    }
    skipped_folders(&config, src, &mut report);
    Ok(Old {
        site: config.site,
        docs,
        copies,
        authors,
        report,
    })
}

fn is_dest(path: &Path, dest: &Path) -> bool {
    match (path.canonicalize(), dest.canonicalize()) {
        (Ok(p), Ok(d)) => p.starts_with(d),
        _ => false,
    }
}

fn settings(raw: &Mapping, path: &Path, src: &Path) -> Config {
    let url = text(raw, "url").unwrap_or_default();
    let baseurl = text(raw, "baseurl").unwrap_or_default();
    let base = format!(
        "{}{}",
        url.trim_end_matches('/'),
        baseurl.trim_end_matches('/')
    );
    let collections = match get(raw, "collections") {
        Some(Value::Mapping(m)) => m
            .keys()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect(),
        Some(v) => list(v, false),
        None => Vec::new(),
    };
    Config {
        site: SiteInfo {
            config_name: crate::source::display_path(src, path),
            title: text(raw, "title").unwrap_or_else(|| "Newsletter".into()),
            description: text(raw, "description").unwrap_or_default(),
            base_url: Some(base).filter(|b| b.starts_with("http")),
            language: language(
                &text(raw, "lang")
                    .or_else(|| text(raw, "locale"))
                    .unwrap_or_default(),
            ),
            timezone: text(raw, "timezone").filter(|tz| jiff::tz::TimeZone::get(tz).is_ok()),
            taxonomies: vec!["categories".into(), "tags".into()],
            authors_section: "autoren".into(),
        },
        permalink: text(raw, "permalink").unwrap_or_else(|| "date".into()),
        exclude: get(raw, "exclude")
            .map(|v| list(v, false))
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.trim_matches('/').to_string())
            .collect(),
        collections: collections.into_iter().filter(|c| c != "posts").collect(),
        defaults: defaults(raw),
    }
}

/// `defaults:` of `_config.yml`: each `scope` (`path`, `type`) with its `values`.
fn defaults(raw: &Mapping) -> Vec<(String, Option<String>, Mapping)> {
    let Some(Value::Sequence(items)) = get(raw, "defaults") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let item = item.as_mapping()?;
            let values = get(item, "values")?.as_mapping()?.clone();
            let scope = get(item, "scope").and_then(Value::as_mapping);
            let path = scope.and_then(|s| text(s, "path")).unwrap_or_default();
            let kind = scope.and_then(|s| text(s, "type"));
            Some((path.trim_matches('/').to_string(), kind, values))
        })
        .collect()
}

/// `front` with the values of every matching `defaults:` entry it does not set itself, as
/// Jekyll applies them (a later entry wins over an earlier one).
fn with_defaults(config: &Config, rel: &str, kind: &str, mut front: Mapping) -> Mapping {
    let mut add = Mapping::new();
    for (path, scope_kind, values) in &config.defaults {
        let in_path = path.is_empty() || rel == path || rel.starts_with(&format!("{path}/"));
        if in_path && scope_kind.as_deref().is_none_or(|k| k == kind) {
            add.extend(values.clone());
        }
    }
    for (k, v) in add {
        if !front.contains_key(&k) {
            front.insert(k, v);
        }
    }
    front
}

/// Whether Jekyll leaves `rel` out: `_`, `.`, `#` and `~` names, its default exclusions and
/// the configuration's `exclude`.
fn excluded(config: &Config, rel: &str) -> bool {
    rel.split('/')
        .any(|p| p.starts_with(['_', '.', '#']) || p.ends_with('~') || DEFAULT_EXCLUDE.contains(&p))
        // `rel` and each folder above it, looked up: as many lookups as `rel` is deep,
        // however long the list is.
        || std::iter::successors(Some(rel), |r| r.rsplit_once('/').map(|(p, _)| p))
            .any(|r| config.exclude.contains(r))
}

/// Posts from `_posts/` and `<category>/_posts/`, drafts from `_drafts/`.
fn read_posts(config: &Config, src: &Path, docs: &mut Vec<Doc>, report: &mut Report) {
    let mut folders = vec![
        (String::new(), "_posts".to_string(), false),
        (String::new(), "_drafts".into(), true),
    ];
    if let Ok(entries) = std::fs::read_dir(src) {
        let mut cats: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !excluded(config, n) && src.join(n).join("_posts").is_dir())
            .collect();
        cats.sort();
        folders.extend(
            cats.into_iter()
                .map(|c| (c.clone(), format!("{c}/_posts"), false)),
        );
    }
    for (category, folder, draft) in folders {
        for f in walk::files(&src.join(&folder), &folder, report, &|_| false) {
            let shown = walk::join(&folder, &f.rel);
            let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
            let Some((stem, ext)) = name.rsplit_once('.') else {
                report.skip(shown, 0, "no file extension: not a post");
                continue;
            };
            if !MARKDOWN.contains(&ext.to_lowercase().as_str()) {
                report.skip(
                    shown,
                    0,
                    format!("a .{ext} post is not converted (only Markdown is)"),
                );
                continue;
            }
            let (prefix, rest) = crate::text::dates::split_date_prefix(stem);
            if !draft && (prefix.is_none() || rest.is_empty()) {
                report.skip(
                    shown,
                    0,
                    "not named YYYY-MM-DD-title: Jekyll does not publish it",
                );
                continue;
            }
            let Some(foreign) = read_doc(&shown, &f.path, report) else {
                continue;
            };
            docs.push(post(
                config, shown, stem, prefix, rest, &category, draft, foreign,
            ));
        }
    }
}

/// One post: its front matter converted, its old URL worked out from the permalink style.
#[allow(clippy::too_many_arguments)]
fn post(
    config: &Config,
    src: String,
    stem: &str,
    prefix: Option<&str>,
    rest: &str,
    category: &str,
    draft: bool,
    f: Foreign,
) -> Doc {
    let fm = with_defaults(config, &src, "posts", f.front);
    let mut front = convert(&fm, &config.site.taxonomies, Dialect::Jekyll);
    if draft {
        front.keys.insert("draft".into(), true.into());
    }
    let name = if rest.is_empty() { stem } else { rest };
    if !category.is_empty() {
        // The folder above `_posts/` is a category of each post in it.
        match front.terms.iter_mut().find(|(t, _)| t == "categories") {
            Some((_, c)) => c.insert(0, category.to_string()),
            None => front
                .terms
                .push(("categories".into(), vec![category.to_string()])),
        }
    }
    let date = front.date.clone().or_else(|| prefix.map(str::to_string));
    let title = front
        .keys
        .get("title")
        .and_then(Value::as_str)
        .map_or_else(|| titleize_words(name), str::to_string);
    let parts = Parts {
        date: date.as_deref().and_then(ymd),
        time: date.as_deref().and_then(time_of),
        title: title.clone(),
        slug: front.slug.clone(),
        filename: name.to_string(),
        sections: Vec::new(),
        categories: front
            .terms
            .iter()
            .find(|(t, _)| t == "categories")
            .map(|(_, c)| c.clone())
            .unwrap_or_default(),
    };
    let is_draft = front.keys.get("draft") == Some(&Value::Bool(true));
    let old_url = match (&front.own_url, is_draft) {
        (_, true) => None,
        (Some(u), _) => Some(normalize(u)),
        (None, _) => jekyll_pattern(&config.permalink, &parts).ok(),
    };
    Doc {
        src,
        dir: POSTS.into(),
        stem: stem.to_string(),
        section: false,
        front,
        body: f.body,
        body_line: f.body_line,
        old_url,
        title,
    }
}

/// Jekyll's title from a slug: each word capitalised.
fn titleize_words(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(titleize)
        .collect::<Vec<_>>()
        .join(" ")
}

fn time_of(date: &str) -> Option<(i8, i8, i8)> {
    let t = date.get(11..19)?;
    let mut it = t.split(':').map(|p| p.parse::<i8>().ok());
    Some((it.next()??, it.next()??, it.next()??))
}

/// A file outside the `_` folders: a page if it is Markdown with front matter, skipped if
/// it is another kind of file with front matter (Liquid), else copied as a static file.
fn read_file(
    config: &Config,
    f: &File,
    docs: &mut Vec<Doc>,
    copies: &mut Vec<Copy>,
    report: &mut Report,
) {
    let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let markdown = MARKDOWN.contains(&ext.to_lowercase().as_str());
    if !markdown {
        if has_front_matter(&f.path) {
            let why = match name {
                "404.html" | "404.md" => "presswerk's theme writes the 404 page",
                "feed.xml" | "sitemap.xml" | "robots.txt" => {
                    "presswerk writes its own feeds, sitemap and robots.txt"
                }
                _ => "Jekyll renders it with Liquid templates: not converted",
            };
            report.skip(f.rel.clone(), 1, why);
        } else {
            copies.extend(super::static_copy(&f.path, &f.rel, f.rel.clone(), report));
        }
        return;
    }
    let Some(foreign) = read_doc(&f.rel, &f.path, report) else {
        return;
    };
    if !foreign.fenced {
        // Jekyll copies Markdown without front matter as it is; so does the import.
        copies.extend(super::static_copy(&f.path, &f.rel, f.rel.clone(), report));
        return;
    }
    docs.push(page(config, f, stem, foreign));
}

fn has_front_matter(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 5];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head[..n].starts_with(b"---\n") || head[..n].starts_with(b"---\r\n")
}

/// A page: `index.md` is its folder's section page (the home page at the top).
fn page(config: &Config, f: &File, stem: &str, foreign: Foreign) -> Doc {
    let dir = f.rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let fm = with_defaults(config, &f.rel, "pages", foreign.front);
    let front = convert(&fm, &config.site.taxonomies, Dialect::Jekyll);
    let section = stem == "index";
    let pretty = config.permalink == "pretty";
    let computed = if section {
        format!("/{dir}/")
    } else if pretty {
        format!("/{dir}/{stem}/")
    } else {
        format!("/{dir}/{stem}.html")
    };
    let title = front
        .keys
        .get("title")
        .and_then(Value::as_str)
        .map_or_else(|| titleize_words(&jekyll_slug(stem)), str::to_string);
    let draft = front.keys.get("draft") == Some(&Value::Bool(true));
    let old_url = (!draft).then(|| normalize(front.own_url.as_deref().unwrap_or(&computed)));
    Doc {
        src: f.rel.clone(),
        dir,
        stem: if section {
            "_index".into()
        } else {
            stem.to_string()
        },
        section,
        front,
        body: foreign.body,
        body_line: foreign.body_line,
        old_url,
        title,
    }
}

/// The `_` folders that are not read, one line each.
fn skipped_folders(config: &Config, src: &Path, report: &mut Report) {
    for (dir, why) in [
        ("_layouts", "templates: the new site uses presswerk's theme"),
        (
            "_includes",
            "templates: the new site uses presswerk's theme",
        ),
        ("_sass", "styles: the new site uses presswerk's theme"),
        ("_plugins", "Ruby plugins are not run"),
    ] {
        if src.join(dir).is_dir() {
            report.skip(format!("{dir}/"), 0, why);
        }
    }
    for c in &config.collections {
        if src.join(format!("_{c}")).is_dir() {
            report.skip(
                format!("_{c}/"),
                0,
                format!("the collection `{c}` is not converted"),
            );
        }
    }
}
