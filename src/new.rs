//! `presswerk new article "Titel"` and `presswerk new edition 2007-12`: a new file with its
//! front matter filled in, written only where no file is yet.

use std::path::{Path, PathBuf};

use crate::config::{Config, Overrides};
use crate::content::Document;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::error::Error;
use crate::text::slug::slugify;

/// What to put in the new article.
#[derive(Debug, Default)]
pub(crate) struct NewArticle {
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
pub(crate) fn article(root: &Path, new: &NewArticle) -> Result<PathBuf, Error> {
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
        check_author(root, &config, author)?;
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
        std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    }
    let text =
        crate::content::front_matter::scaffold(&new.title, &date, &authors, new.region.as_deref());
    write_new(&path, &text)?;
    Ok(path)
}

/// An author given to `new article` must have a profile in the authors section.
fn check_author(root: &Path, config: &Config, author: &str) -> Result<(), Error> {
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
    Ok(())
}

/// Writes a new file. `create_new`: even a file appearing between the caller's check and now
/// is not overwritten.
fn write_new(path: &Path, text: &str) -> Result<(), Error> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Exists(path.to_path_buf())
            } else {
                Error::write(path, e)
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::write(path, e))
}

/// What `presswerk new edition` made.
#[derive(Debug)]
pub(crate) struct NewEdition {
    /// The file written.
    pub path: PathBuf,
    /// The edition's number.
    pub number: i64,
    /// How many articles it lists.
    pub articles: usize,
    /// The previous edition's file, if there is one.
    pub previous: Option<String>,
}

/// Writes `content/<editions>/<name>.md`: the next number, a date (the last day of the month
/// for a `YYYY-MM` name, if that has passed, else today) and, as `@/` references, every
/// published article dated after the previous edition up to that date, newest first. The
/// edition is a draft until the editor removes `draft: true`. Never overwrites.
pub(crate) fn edition(root: &Path, name: &str) -> Result<NewEdition, Error> {
    let config = Config::load(root, &Overrides::default()).map_err(Error::Site)?;
    if name.is_empty() || slugify(name) != name.to_lowercase() || name.contains(['/', '\\', '.']) {
        return Err(fail(
            Diagnostic::error(
                "new-edition",
                format!("`{name}` cannot be an edition's file name"),
            )
            .help("use letters, digits and dashes, e.g. presswerk new edition 2007-12"),
        ));
    }
    let now = jiff::ZonedDateTime::now().with_time_zone(config.timezone.clone());
    let due = Due::of(name, &now);
    let path = root
        .join("content")
        .join(&config.editions.section)
        .join(format!("{name}.md"));
    if path.exists() {
        return Err(Error::Exists(path));
    }

    let mut diags = Diagnostics::new();
    let loaded = crate::content::load(&config, &mut diags);
    let (number, previous) = number_and_previous(&loaded.documents, due.end);
    let since = previous.map(|(t, _)| {
        let day = t.to_zoned_datetime(config.timezone.clone()).date();
        day.tomorrow()
            .ok()
            .and_then(|d| d.to_zoned_datetime(config.timezone.clone()).ok())
            .map_or(t, |z| z.timestamp())
    });
    let articles = articles_between(&loaded.documents, &config, &now, since, due.end);
    let text = edition_text(&config, &due, number, &articles);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    }
    write_new(&path, &text)?;
    Ok(NewEdition {
        path,
        number,
        articles: articles.len(),
        previous: previous.map(|(_, d)| d.source.name.clone()),
    })
}

/// When a new edition goes out.
struct Due {
    /// The month a `YYYY-MM` name names.
    month: Option<jiff::civil::Date>,
    /// The edition's date.
    date: jiff::civil::Date,
    /// The start of the day after it: articles before this are in.
    end: jiff::Timestamp,
}

impl Due {
    /// `2007-11` names a month: the edition goes out at its end (or today, within it). Any
    /// other name goes out today.
    fn of(name: &str, now: &jiff::ZonedDateTime) -> Due {
        let month = name
            .split_once('-')
            .filter(|(y, m)| y.len() == 4 && m.len() == 2)
            .and_then(|(y, m)| Some((y.parse::<i16>().ok()?, m.parse::<i8>().ok()?)))
            .and_then(|(y, m)| jiff::civil::Date::new(y, m, 1).ok());
        let date = month
            .map(|first| first.last_of_month())
            .filter(|last| *last < now.date())
            .unwrap_or_else(|| now.date());
        let end = date
            .tomorrow()
            .ok()
            .and_then(|d| d.to_zoned_datetime(now.time_zone().clone()).ok())
            .map_or_else(|| now.timestamp(), |z| z.timestamp());
        Due { month, date, end }
    }
}

/// A document's date: from its front matter, else from its file name.
fn date_of(d: &Document) -> Option<jiff::Timestamp> {
    match (&d.front.date, &d.prefix_date) {
        (Some(x), _) => Some(x.value.timestamp()),
        (None, Some(Ok(z))) => Some(z.timestamp()),
        _ => None,
    }
}

/// The next edition number, and the previous edition: the newest one dated before `end`
/// (drafts count: they are being prepared and already claim their number).
fn number_and_previous(
    documents: &[Document],
    end: jiff::Timestamp,
) -> (i64, Option<(jiff::Timestamp, &Document)>) {
    let editions: Vec<&Document> = documents
        .iter()
        .filter(|d| d.kind == crate::content::Kind::Edition)
        .collect();
    let number = editions
        .iter()
        .filter_map(|d| d.front.edition.as_ref()?.number.as_ref().map(|n| n.value))
        .max()
        .unwrap_or(0)
        + 1;
    let previous = editions
        .iter()
        .filter_map(|d| Some((date_of(d)?, *d)))
        .filter(|(t, _)| *t < end)
        .max_by_key(|(t, _)| *t);
    (number, previous)
}

/// The published articles dated from `since` (all, without it) to before `end`, as `@/`
/// references, newest first.
fn articles_between(
    documents: &[Document],
    config: &Config,
    now: &jiff::ZonedDateTime,
    since: Option<jiff::Timestamp>,
    end: jiff::Timestamp,
) -> Vec<String> {
    let mut articles: Vec<(jiff::Timestamp, String)> = documents
        .iter()
        .filter(|d| d.kind == crate::content::Kind::Page)
        .filter(|d| !crate::site::held_back(&d.front, config, now))
        .filter_map(|d| Some((date_of(d)?, d)))
        .filter(|(t, _)| *t < end && since.is_none_or(|s| *t >= s))
        .map(|(t, d)| {
            let name = d
                .source
                .name
                .strip_prefix("content/")
                .unwrap_or(&d.source.name);
            (t, format!("@/{name}"))
        })
        .collect();
    articles.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    articles.into_iter().map(|(_, a)| a).collect()
}

/// The new edition's file: front matter and an editorial to replace.
fn edition_text(config: &Config, due: &Due, number: i64, articles: &[String]) -> String {
    let title = match (due.month, config.language.as_str()) {
        (Some(m), "en") => format!(
            "Issue {} {}",
            crate::text::dates::month_name(m.month(), "en"),
            m.year()
        ),
        (Some(m), _) => format!(
            "Ausgabe {} {}",
            crate::text::dates::month_name(m.month(), "de"),
            m.year()
        ),
        (None, "en") => format!("Issue {number}"),
        (None, _) => format!("Ausgabe {number}"),
    };
    let mut m = serde_yaml::Mapping::new();
    m.insert("title".into(), title.into());
    m.insert("number".into(), number.into());
    m.insert("date".into(), due.date.to_string().into());
    m.insert("preheader".into(), "".into());
    m.insert(
        "articles".into(),
        serde_yaml::Value::Sequence(articles.iter().map(|a| a.as_str().into()).collect()),
    );
    m.insert("draft".into(), true.into());
    let yaml = serde_yaml::to_string(&m).unwrap_or_default();
    let body = if config.language == "en" {
        "Dear readers,\n\nthe editorial of this issue goes here.\n"
    } else {
        "Liebe Leserinnen und Leser,\n\nhier steht das Editorial dieser Ausgabe.\n"
    };
    format!("---\n{yaml}---\n\n{body}")
}
