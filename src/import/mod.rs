//! `presswerk import hugo|jekyll SRC [DEST]`: turns a Hugo or Jekyll site into a presswerk
//! site.
//!
//! Reading and writing are apart. `hugo` and `jekyll` read the old site (its configuration,
//! content, static files and author data) into one [`Old`] shape: documents with their
//! front matter already in presswerk's terms ([`convert`]) and the URL the old tool served
//! them at ([`urls`]). [`plan`] then works out the new site: presswerk's URLs, aliases for
//! every old URL that changed, author profiles, `site.toml`. Only then is anything written,
//! into a staging folder beside DEST that is renamed to DEST at the end: a bad configuration,
//! an unreadable file or a failed write leaves DEST as it was, and nothing is ever written
//! outside it. DEST must be new or empty, so nothing is overwritten.

mod authors;
mod body;
mod config_file;
mod convert;
mod front;
mod hugo;
mod jekyll;
mod links;
mod plan;
mod report;
mod site_toml;
mod urls;
mod values;
mod walk;

use std::fs;
use std::path::{Path, PathBuf};

pub(crate) use report::Report;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;

/// The tool that built the old site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tool {
    Hugo,
    Jekyll,
}

/// The old site's settings that `site.toml` takes over.
#[derive(Debug, Clone)]
struct SiteInfo {
    /// The configuration file, as named in messages.
    config_name: String,
    title: String,
    description: String,
    base_url: Option<String>,
    /// `de` or `en`.
    language: String,
    timezone: Option<String>,
    /// The taxonomies' plural names (`tags`, `categories`), authors not among them.
    taxonomies: Vec<String>,
    /// The folder of the author profiles below `content/`.
    authors_section: String,
}

/// A document of the old site, read and placed in the new one.
#[derive(Debug)]
struct Doc {
    /// The file, relative to SRC.
    src: String,
    /// Its folder below the new `content/`.
    dir: String,
    /// Its file name there, without `.md` (`_index` for a section).
    stem: String,
    /// A section's `_index.md` (or the home page's).
    section: bool,
    /// Its front matter in presswerk's terms.
    front: convert::Converted,
    body: String,
    /// The line of SRC's file the body starts on.
    body_line: usize,
    /// Where the old site served it; `None` where it served nothing (drafts).
    old_url: Option<String>,
    /// The title to use when the front matter has none.
    title: String,
}

/// A file copied as it is: `to` is relative to DEST.
#[derive(Debug)]
struct Copy {
    from: PathBuf,
    to: String,
}

/// Files at the top of the output that presswerk writes itself; a static file of the old
/// site with one of these names would replace presswerk's (the theme's stylesheet, say).
const OWN_TOP_FILES: &[&str] = &[
    "404.html",
    "atom.xml",
    "rss.xml",
    "sitemap.xml",
    "articles.json",
    "authors.json",
    "style.css",
];

/// The copy of a static file of the old site to `static/<rel>`, unless presswerk writes a
/// file of that name itself; `shown` names it in the report.
fn static_copy(from: &Path, rel: &str, shown: String, report: &mut Report) -> Option<Copy> {
    if OWN_TOP_FILES.contains(&rel) {
        report.skip(shown, 0, format!("presswerk writes its own /{rel}"));
        return None;
    }
    Some(Copy {
        from: from.to_path_buf(),
        to: format!("static/{rel}"),
    })
}

/// The old site, read.
#[derive(Debug)]
struct Old {
    site: SiteInfo,
    docs: Vec<Doc>,
    copies: Vec<Copy>,
    authors: authors::Authors,
    report: Report,
}

/// What the import makes of one content file's text: its front matter read (the number of
/// keys, or the line and reason it cannot be read) and its body with the links to `pages`
/// (old URL path → new) rebased against `old_url`. For the fuzz target `import_body`.
pub(crate) fn read_and_rebase(
    text: &str,
    old_url: Option<&str>,
    pages: &[(&str, &str)],
) -> Result<(usize, String), (usize, String)> {
    let foreign = front::read(text).map_err(|bad| (bad.line, bad.why))?;
    let moves = links::Moves {
        pages: pages
            .iter()
            .map(|&(old, new)| (old.to_string(), new.to_string()))
            .collect(),
        files: Default::default(),
        sources: Default::default(),
    };
    Ok((
        foreign.front.len(),
        links::rebase(&foreign.body, old_url, &moves),
    ))
}

/// Imports the `tool` site in `src` into `dest` (new or empty) and says what it did.
pub(crate) fn import(tool: Tool, src: &Path, dest: &Path) -> Result<Report, Error> {
    check_dest(dest)?;
    let meta = fs::metadata(src).map_err(|e| Error::read(src, e))?;
    if !meta.is_dir() {
        return Err(not_a_site(src, tool, "is a file, not a site folder"));
    }
    let old = match tool {
        Tool::Hugo => hugo::read(src, dest)?,
        Tool::Jekyll => jekyll::read(src, dest)?,
    };
    let plan = plan::plan(old);
    write(dest, &plan.files)?;
    Ok(plan.report)
}

/// DEST must be new or an empty folder.
fn check_dest(dest: &Path) -> Result<(), Error> {
    match fs::read_dir(dest) {
        Ok(mut entries) => match entries.next() {
            None => Ok(()),
            Some(_) => Err(Error::ImportNotEmpty(dest.to_path_buf())),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if dest.is_file() => Err(Error::write(dest, e)),
        Err(e) => Err(Error::read(dest, e)),
    }
}

/// The error for a SRC that is not a site of `tool`.
fn not_a_site(src: &Path, tool: Tool, why: &str) -> Error {
    let (name, hint) = match tool {
        Tool::Hugo => (
            "Hugo",
            "a Hugo site has hugo.toml (or hugo.yaml, hugo.json, config.toml, config.yaml, config.json) and content/",
        ),
        Tool::Jekyll => ("Jekyll", "a Jekyll site has _config.yml"),
    };
    let mut d = Diagnostics::new();
    d.push(
        Diagnostic::error(
            "import-source",
            format!("not a {name} site: {} {why}", src.display()),
        )
        .help(hint),
    );
    Error::Site(d)
}

/// What the new site is made of, path (relative to DEST) → contents.
#[derive(Debug)]
enum Contents {
    Text(String),
    Copy(PathBuf),
}

/// A presswerk document: the front matter `m` as YAML between `---` lines, then `body`.
fn document(m: &serde_yaml::Mapping, body: &str) -> String {
    let yaml = serde_yaml::to_string(m).unwrap_or_default();
    let body = body.trim_start_matches(['\n', '\r']);
    let newline = if body.ends_with('\n') { "" } else { "\n" };
    if body.is_empty() {
        format!("---\n{yaml}---\n")
    } else {
        format!("---\n{yaml}---\n\n{body}{newline}")
    }
}

/// Writes `files` into a staging folder beside `dest` and renames it to `dest`; on any
/// failure the staging folder is removed and `dest` is as it was.
fn write(dest: &Path, files: &[(String, Contents)]) -> Result<(), Error> {
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| Error::write(&parent, e))?;
    let name = dest
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.presswerk-import-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = write_all(&staging, files).and_then(|()| {
        // rename(2) replaces an empty folder and fails on one that is not: DEST filling up
        // while the import ran is never overwritten.
        fs::rename(&staging, dest).map_err(|e| Error::write(dest, e))
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(staging: &Path, files: &[(String, Contents)]) -> Result<(), Error> {
    fs::create_dir(staging).map_err(|e| Error::write(staging, e))?;
    for (rel, contents) in files {
        // Every path is made from relative paths of the walk and slugs; refuse anything
        // else, so nothing can land outside DEST.
        if rel
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
            || rel.contains('\\')
        {
            continue;
        }
        let path = staging.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        }
        match contents {
            Contents::Text(t) => fs::write(&path, t).map_err(|e| Error::write(&path, e))?,
            Contents::Copy(from) => {
                fs::copy(from, &path).map_err(|e| Error::read(from, e))?;
            }
        }
    }
    Ok(())
}
