//! `presswerk new article "Titel"`: a new article file with its front matter filled in.

use std::path::{Path, PathBuf};

use crate::Error;
use crate::config::{Config, Overrides};
use crate::content::slug::slugify;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};

/// What to put in the new article.
#[derive(Debug, Default)]
pub struct NewArticle {
    /// The title; the slug and file name come from it.
    pub title: String,
    /// Author slug (must have a profile).
    pub author: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// The section folder below `content/` (default `artikel`).
    pub section: Option<String>,
}

fn fail(d: Diagnostic) -> Error {
    let mut ds = Diagnostics::new();
    ds.push(d);
    Error::Site(ds)
}

/// Writes `content/<section>/<today>-<slug>.md` and returns its path. Never overwrites.
pub fn article(root: &Path, new: &NewArticle) -> Result<PathBuf, Error> {
    let config = Config::load(root, &Overrides::default()).map_err(Error::Site)?;
    let slug = slugify(&new.title);
    if slug.is_empty() {
        return Err(fail(
            Diagnostic::error(
                "new-title",
                format!("cannot make a file name from the title {:?}", new.title),
            )
            .help("give a title with letters or digits"),
        ));
    }
    let section = new.section.as_deref().unwrap_or("artikel");
    if section
        .split('/')
        .any(|p| p.is_empty() || p == "." || p == "..")
        || section.contains('\\')
    {
        return Err(fail(
            Diagnostic::error(
                "new-section",
                format!("`{section}` is not a folder below content/"),
            )
            .help("e.g. --section artikel"),
        ));
    }
    let mut authors = Vec::new();
    if let Some(author) = &new.author {
        let dir = root.join("content").join(&config.authors_section);
        if !dir.join(format!("{author}.md")).is_file() {
            let known: Vec<String> = std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .strip_suffix(".md")
                        .map(str::to_string)
                })
                .filter(|n| n != "_index")
                .collect();
            let help = match did_you_mean(author, known.iter().map(String::as_str)) {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!(
                    "create content/{}/{author}.md first",
                    config.authors_section
                ),
            };
            return Err(fail(
                Diagnostic::error("unknown-author", format!("unknown author `{author}`"))
                    .in_file(format!("content/{}/", config.authors_section))
                    .help(help),
            ));
        }
        authors.push(author.clone());
    }
    let today = jiff::ZonedDateTime::now()
        .with_time_zone(config.timezone.clone())
        .date();
    let date = today.to_string();
    let path = root
        .join("content")
        .join(section)
        .join(format!("{date}-{slug}.md"));
    if path.exists() {
        return Err(Error::Exists(path));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let text =
        crate::content::front_matter::scaffold(&new.title, &date, &authors, new.region.as_deref());
    // create_new: even a file appearing between the check above and now is not overwritten.
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Exists(path.clone())
            } else {
                Error::io(&path, e)
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(&path, e))?;
    Ok(path)
}
