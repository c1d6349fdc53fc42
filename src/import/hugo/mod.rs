//! Reading a Hugo site: its configuration (`hugo.toml`, `config.toml`, YAML or JSON, also
//! under `config/_default/`), `content/` with sections, leaf bundles and translations,
//! `static/`, and author data (`data/authors.*`, `data/authors/`, `content/authors/`).

mod config;

use std::collections::BTreeSet;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::config_file::parse_config;
use super::convert::{Dialect, convert};
use super::front::{Foreign, read_doc};
use super::urls::{Parts, hugo_pattern, hugo_urlize, normalize};
use super::values::{flag, get, titleize, ymd};
use super::walk::{self, File};
use super::{Copy, Doc, Old, Report, Tool, authors::Authors};
use crate::error::Error;
use config::{Config, read_config, settings};

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
    let (mut docs, mut copies) = read_content(&config, &files, &mut authors, &mut report);
    let mut config = config;
    if let Some(dir) = super::authors::profiles_section(&mut docs, &mut authors) {
        config.site.authors_section = dir;
    }
    report_term_urls(&docs, config.lower, &mut report);
    for dir in &config.static_dirs {
        let skip = |rel: &str| is_inside(&src.join(dir).join(rel), dest);
        for f in walk::files(&src.join(dir), dir, &mut report, &skip) {
            let shown = walk::join(dir, &f.rel);
            copies.extend(super::static_copy(&f.path, &f.rel, shown, &mut report));
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

/// Taxonomy term pages whose URL changes (Hugo keeps `ö` in `/tags/förderung/`, presswerk
/// writes `/tags/foerderung/`): reported, since presswerk redirects only to pages.
fn report_term_urls(docs: &[Doc], lower: bool, report: &mut Report) {
    for d in docs {
        for (taxonomy, terms) in &d.front.terms {
            for term in terms {
                let old = format!(
                    "/{}/{}/",
                    hugo_urlize(taxonomy, lower),
                    hugo_urlize(term, lower)
                );
                let new = format!("/{taxonomy}/{}/", crate::text::slug::slugify(term));
                if old != new {
                    report.changed.push(super::report::Changed {
                        old,
                        new,
                        redirect: Err("presswerk redirects only to pages".into()),
                    });
                }
            }
        }
    }
}

/// Whether `path` is `dest` or inside it (an import into a folder of SRC must not read
/// what it writes).
fn is_inside(path: &Path, dest: &Path) -> bool {
    match (path.canonicalize(), dest.canonicalize()) {
        (Ok(p), Ok(d)) => p.starts_with(d),
        _ => false,
    }
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

/// A file's stem and extension (lowercased), without the language of a content file
/// (`x.de.md` → `x`, `md`); `Err` for a translation into another of the site's languages.
fn stem_and_ext(config: &Config, name: &str) -> Result<(String, String), String> {
    let (base, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let ext = ext.to_lowercase();
    let content = MARKDOWN.contains(&ext.as_str()) || OTHER_FORMATS.contains(&ext.as_str());
    if content && let Some((stem, lang)) = base.rsplit_once('.') {
        let lang = lang.to_lowercase();
        if config.other_languages.contains(&lang) {
            return Err(format!(
                "translation ({lang}): presswerk builds one language"
            ));
        }
        if lang == config.default_language {
            return Ok((stem.to_string(), ext));
        }
    }
    Ok((base.to_string(), ext))
}

fn place(config: &Config, rel: &str, bundles: &BTreeSet<String>) -> Place {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    if crate::content::is_ignored(name) {
        return Place::Skip("hidden, temporary or backup file".into());
    }
    let (stem, ext) = match stem_and_ext(config, name) {
        Ok(se) => se,
        Err(why) => return Place::Skip(why),
    };
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
    let hidden = cascaded_headless(config, files, &bundles);
    let mut docs = Vec::new();
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
                let cascaded = hidden.iter().find(|d| below(&dir, d, section)).map(|d| {
                    format!(
                        "{}/_index.md cascades `build: render: never`: Hugo renders no page below it",
                        shown(d)
                    )
                });
                if let Some(why) = not_rendered(&foreign.front).or(cascaded) {
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
    let copies = resources_to_copy(&resources, &skipped_bundles, &shown, report);
    (docs, copies)
}

/// The files of `content/` that are copied beside their pages: all but those of bundles
/// Hugo renders no page for.
fn resources_to_copy(
    resources: &[&File],
    skipped_bundles: &BTreeSet<String>,
    shown: &dyn Fn(&str) -> String,
    report: &mut Report,
) -> Vec<Copy> {
    let mut copies = Vec::new();
    for f in resources {
        // The folders above the file, looked up one by one: as many lookups as the file is
        // deep, however many bundles were skipped.
        let mut dirs = std::iter::successors(f.rel.rsplit_once('/').map(|(d, _)| d), |d| {
            d.rsplit_once('/').map(|(p, _)| p)
        });
        if dirs.any(|d| skipped_bundles.contains(d)) {
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
    copies
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The folders whose `_index.md` cascades `build: render: never` (or `headless`) to the
/// pages below it (Hugo's documentation keeps its snippets so). Cascade entries with a
/// target filter are not followed: which pages they reach is not known here.
fn cascaded_headless(config: &Config, files: &[File], bundles: &BTreeSet<String>) -> Vec<String> {
    let cascades = |front: &Mapping| -> bool {
        let own = |m: &Mapping| get(m, "_target").is_none() && get(m, "target").is_none();
        match get(front, "cascade") {
            Some(Value::Mapping(m)) => not_rendered(m).is_some(),
            Some(Value::Sequence(list)) => list
                .iter()
                .filter_map(Value::as_mapping)
                .any(|m| own(m) && not_rendered(m).is_some()),
            _ => false,
        }
    };
    files
        .iter()
        .filter_map(|f| match place(config, &f.rel, bundles) {
            Place::Doc {
                dir, section: true, ..
            } => {
                let text = walk::read_text(&f.path).ok()?;
                let front = super::front::read(&text).ok()?.front;
                cascades(&front).then_some(dir)
            }
            _ => None,
        })
        .collect()
}

/// Whether a document in `dir` (a section's `_index.md` when `section`) is below the
/// section folder `top`: the section itself is not.
fn below(dir: &str, top: &str, section: bool) -> bool {
    let inside = top.is_empty() || dir == top || dir.starts_with(&format!("{top}/"));
    inside && !(section && dir == top)
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
    // `author`/`authors` (an authors taxonomy's terms too) are read as people by convert.
    let mut front = convert(&f.front, taxonomies, Dialect::Hugo);
    // Hugo reads an alias without a leading `/` from the page's folder (a section's from
    // the folder above it).
    let base_dir = if section {
        dir.rsplit_once('/').map_or("", |(p, _)| p)
    } else {
        &dir
    };
    let base: Vec<String> = base_dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| hugo_urlize(s, config.lower))
        .collect();
    for p in &mut front.old_paths {
        if p.contains("://") {
            continue;
        }
        if !p.starts_with('/') && Some(p.as_str()) != front.own_url.as_deref() {
            *p = normalize(&format!("{}/{p}", base.join("/")));
        }
        // Hugo writes an alias as a folder unless it names a file: `/alt` is `/alt/`.
        if !p.ends_with('/') && !p.rsplit('/').next().is_some_and(|l| l.contains('.')) {
            p.push('/');
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
        Some(old_url(config, &dir, &name, section, &mut front, &title))
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

/// Where Hugo served the document.
fn old_url(
    config: &Config,
    dir: &str,
    name: &str,
    section: bool,
    front: &mut super::convert::Converted,
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
    if let Some(pattern) = config.permalinks.get(&top).filter(|_| !top.is_empty()) {
        match hugo_pattern(pattern, &parts, lower) {
            Ok(url) => return finish_url(url, config.ugly),
            // The default URL is the best guess left; the report says it is one.
            Err(why) => front.problems.push(format!(
                "{why} (permalink `{pattern}`): the old URL is taken to be Hugo's default"
            )),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn config(text: &str) -> Config {
        let table: toml::Table = text.parse().expect("test config is TOML");
        let Value::Mapping(raw) = super::super::values::toml_to_yaml(toml::Value::Table(table))
        else {
            unreachable!("a table becomes a mapping")
        };
        settings(
            &raw,
            Path::new("s/hugo.toml"),
            Path::new("s"),
            &mut Report::default(),
        )
    }

    fn describe(p: Place) -> String {
        match p {
            Place::Doc {
                dir,
                stem,
                name,
                section,
            } => format!(
                "{} {dir}/{stem} ({name})",
                if section { "section" } else { "page" }
            ),
            Place::Resource(b) => format!("resource of {b}"),
            Place::File => "copied".into(),
            Place::Skip(why) => format!("skipped: {why}"),
        }
    }

    #[test]
    fn content_files_are_placed_as_hugo_reads_them() {
        let c = config("defaultContentLanguage = \"de\"\n[languages.de]\n[languages.en]\n");
        let rels = [
            "_index.md",
            "post/_index.md",
            "post/a.md",
            "post/b/index.md",
            "post/b/foto.jpg",
            "post/b/notiz.md",
            "post/c.en.md",
            "post/d.de.md",
            "post/v1.2.md",
            "post/e.org",
            "post/.f.md",
        ];
        let files: Vec<File> = rels
            .iter()
            .map(|r| File {
                rel: r.to_string(),
                path: PathBuf::new(),
            })
            .collect();
        let bundles = leaf_bundles(&files);
        let got: Vec<String> = rels
            .iter()
            .map(|r| describe(place(&c, r, &bundles)))
            .collect();
        assert_eq!(
            got,
            [
                "section /_index (_index)",
                "section post/_index (_index)",
                "page post/a (a)",
                "page post/b (b)",
                "copied",
                "resource of post/b",
                "skipped: translation (en): presswerk builds one language",
                "page post/d (d)",
                "page post/v1.2 (v1.2)",
                "skipped: org content is not converted (only Markdown is)",
                "skipped: hidden, temporary or backup file",
            ]
        );
    }

    fn old(c: &Config, dir: &str, name: &str, yaml: &str) -> String {
        let m: Mapping = serde_yaml::from_str(yaml).expect("test front matter is YAML");
        let mut front = convert(&m, &c.site.taxonomies, Dialect::Hugo);
        let title = front
            .keys
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        old_url(c, dir, name, false, &mut front, &title)
    }

    #[test]
    fn old_urls_follow_permalinks_slugs_and_ugly_urls() {
        let c = config("[permalinks]\npost = \"/:year/:month/:slug/\"\n");
        let dated = "title: Großes Fest\ndate: 2024-06-05\n";
        assert_eq!(old(&c, "post", "fest", dated), "/2024/06/großes-fest/");
        assert_eq!(
            old(&c, "Seiten/Verein", "Über Uns", "title: x\n"),
            "/seiten/verein/über-uns/"
        );
        assert_eq!(old(&c, "post", "x", "slug: neu\nurl: /eigen/\n"), "/eigen/");
        let ugly = config("uglyURLs = true\n");
        assert_eq!(
            old(&ugly, "post", "fest", "slug: Fest\n"),
            "/post/fest.html"
        );
        let unknown = config("[permalinks]\npost = \"/:unbekannt/\"\n");
        assert_eq!(old(&unknown, "post", "fest", dated), "/post/fest/");
    }
}
