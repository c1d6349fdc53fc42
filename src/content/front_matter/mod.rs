//! Front matter: splitting the YAML block off a Markdown file and reading its typed keys.
//!
//! The YAML parser only ever sees the block between the fences, so every position it reports
//! is shifted by the block's offset in the file: diagnostics count lines from the top of the
//! *file*. Typed keys are read one by one from the parsed mapping, which lets one file report
//! every bad key at once, and an index of top-level key lines gives each of them a span.
//!
//! The parts: [`split`] finds the fences, `keys` holds the one table of known keys, `yaml`
//! reads the block and places its errors, `index` gives keys their spans and `values` turns
//! YAML values into typed ones. This file holds the types and says which key goes where.

mod budget;
mod byline;
mod index;
mod keys;
mod split;
mod toml;
mod values;
mod yaml;

use std::sync::Arc;

use jiff::ZonedDateTime as Zoned;
use jiff::tz::TimeZone;
use serde_yaml::{Mapping, Value};

use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, Span};
/// The date forms front matter accepts (the rule lives with the other date rules).
pub(crate) use crate::text::dates::parse_date;
pub use byline::Person;
use index::KeyIndex;
pub(crate) use keys::Foreign;
pub use keys::Kind;
pub use split::Format;
pub(crate) use split::unclosed;
pub use split::{Split, split};
use values::Reader;

/// A value with the span it came from.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

/// A postal address of an author.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Address {
    /// Street and number.
    pub street: Option<String>,
    /// Postal code, kept as text (leading zeros matter: 01067 Dresden).
    pub postal_code: Option<String>,
    /// City.
    pub city: Option<String>,
}

/// The typed front matter of one document.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// Span of the opening `---`, for diagnostics about missing keys.
    pub span: Span,
    /// `title`.
    pub title: Option<String>,
    /// `description`: plain text for meta tags.
    pub description: Option<String>,
    /// `date`, in the site's time zone unless it had an offset.
    pub date: Option<Spanned<Zoned>>,
    /// `updated`.
    pub updated: Option<Zoned>,
    /// `slug`, validated.
    pub slug: Option<Spanned<String>>,
    /// `draft`.
    pub draft: bool,
    /// `summary` (Markdown).
    pub summary: Option<String>,
    /// `weight`.
    pub weight: Option<i64>,
    /// `aliases`.
    pub aliases: Vec<Spanned<String>>,
    /// `template`.
    pub template: Option<Spanned<String>>,
    /// `authors`: author slugs, or names of people without a profile.
    pub authors: Vec<Spanned<String>>,
    /// `author` (Hugo, Jekyll): people named with a name or a mapping.
    pub bylines: Vec<Spanned<Person>>,
    /// `url` or `permalink` of another generator, kept as an alias unless it is the page's
    /// own path (which only loading knows).
    pub old_url: Option<Spanned<String>>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `region`.
    pub region: Option<String>,
    /// `publish_date`: not shown before.
    pub publish_date: Option<Zoned>,
    /// `expiry_date`: not shown after.
    pub expiry_date: Option<Zoned>,
    /// `sort_by` (sections).
    pub sort_by: Option<Spanned<String>>,
    /// `paginate_by` (sections).
    pub paginate_by: Option<usize>,
    /// Author profile keys.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Company.
    pub company: Option<String>,
    /// Address.
    pub address: Address,
    /// Homepage URL.
    pub homepage: Option<String>,
    /// Industry ("Branche").
    pub industry: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Photo (a path beside the profile or a URL).
    pub photo: Option<String>,
    /// Edition keys (see [`EditionFront`]); `None` for other documents.
    pub edition: Option<Box<EditionFront>>,
    /// Everything else, in file order; templates see it as `extra`.
    pub extra: Mapping,
}

/// The keys only an edition has.
#[derive(Debug, Clone, Default)]
pub struct EditionFront {
    /// `number`: the edition's running number.
    pub number: Option<Spanned<i64>>,
    /// `articles`: `@/…` references, in the order the edition shows them.
    pub articles: Vec<Spanned<String>>,
    /// `from`: the first day of a date range (instead of `articles`).
    pub from: Option<Spanned<Zoned>>,
    /// `to`: the last day of the range, included.
    pub to: Option<Spanned<Zoned>>,
    /// `tags`: with a range, only articles with one of these tags.
    pub tags: Vec<String>,
    /// `region`: with a range, only articles of one of these regions.
    pub regions: Vec<String>,
    /// `preheader`: the line mail clients show after the subject.
    pub preheader: Option<String>,
}

/// What parsing needs to know of the site.
pub struct Settings<'a> {
    /// Dates without an offset are in this zone.
    pub tz: &'a TimeZone,
    /// Front matter keys besides `tags` and `region` that feed a taxonomy (their terms are
    /// checked like tags).
    pub term_keys: &'a [&'a str],
}

/// Reads a YAML front matter block as [`parse`] does (bounded alias expansion and nesting,
/// the last of two equal top-level keys kept), for readers of other tools' files (import).
/// Returns the mapping and the repeated keys, or the byte offset in `block` and the message
/// of the first problem.
pub(crate) fn read_yaml_block(block: &str) -> Result<(Mapping, Vec<String>), (usize, String)> {
    let source = Arc::new(SourceFile::new(
        std::path::Path::new(""),
        std::path::Path::new("front-matter"),
        block.to_string(),
    ));
    let mut diags = Vec::new();
    match yaml::mapping(&source, &(0..block.len()), &mut diags) {
        Some(read) => Ok(read),
        None => Err(diags.first().map_or((0, String::new()), |d| {
            let at = d.primary.as_ref().map_or(0, |l| l.span.start);
            let why = match d.primary.as_ref() {
                Some(l) if !l.text.is_empty() => format!("{}: {}", d.message, l.text),
                _ => d.message.clone(),
            };
            (at, why)
        })),
    }
}

/// Parses the block of `split` (YAML or TOML) into typed front matter for a document of
/// `kind`. Problems are pushed to `diags`; the result is `None` only when the block could not
/// be read at all (bad syntax, not a mapping, past a size cap).
pub fn parse(
    source: &Arc<SourceFile>,
    split: &Split,
    kind: Kind,
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) -> Option<FrontMatter> {
    let (fence, yaml) = (split.fence.clone(), split.yaml.clone());
    if source.text[yaml.clone()].trim().is_empty() {
        return Some(FrontMatter {
            span: fence,
            edition: (kind == Kind::Edition).then(Box::default),
            ..Default::default()
        });
    }
    let (mapping, duplicates) = match split.format {
        Format::Yaml => yaml::mapping(source, &yaml, diags)?,
        Format::Toml => (toml::mapping(source, &yaml, diags)?, Vec::new()),
    };
    let index = KeyIndex::new(&source.text, yaml.clone(), split.format);
    diags.extend(keys::duplicates(source, &index, &duplicates));
    let mut fm = FrontMatter {
        span: fence,
        ..Default::default()
    };
    let mut ed = EditionFront::default();
    let mut r = Reader {
        source,
        index: &index,
        diags,
        tz: settings.tz,
    };
    let mut foreign = Vec::new();
    for (key, value) in mapping {
        let Value::String(key) = key else {
            r.diags.push(keys::not_a_word(source, yaml.start, &key));
            continue;
        };
        if !kind.known_keys().any(|k| k == key) {
            foreign.extend(unknown_key(
                &mut r,
                &mut fm,
                settings,
                (kind, &yaml),
                key,
                value,
            ));
            continue;
        }
        if kind == Kind::Edition && read_edition_key(&mut r, &mut ed, &key, &value) {
            continue;
        }
        read_key(&mut r, &mut fm, &key, &key, value);
    }
    for (to, key, value) in foreign {
        read_foreign(&mut r, &mut fm, kind, to, &key, value);
    }
    if kind == Kind::Edition {
        fm.edition = Some(Box::new(ed));
    }
    Some(fm)
}

/// A key that is not presswerk's for a `kind` document in the block at `yaml`: another
/// generator's key (handed back, to be read after the presswerk keys), or kept in `extra`,
/// with a warning if it looks like a typo.
fn unknown_key(
    r: &mut Reader,
    fm: &mut FrontMatter,
    settings: &Settings,
    (kind, yaml): (Kind, &Span),
    key: String,
    value: Value,
) -> Option<(Foreign, String, Value)> {
    // A key that feeds a taxonomy (`categories`) stays in `extra`, where the taxonomy reads
    // it; its terms are checked here, where their lines are known.
    if settings.term_keys.contains(&key.as_str()) {
        r.terms(&key, &value);
    }
    if let Some(f) = keys::foreign(&key) {
        return Some((f.to, key, value));
    }
    if let Some(d) = keys::typo(r.source, r.index, yaml, kind, &key) {
        r.diags.push(d);
    }
    fm.extra.insert(Value::String(key), value);
    None
}

/// Reads a key another generator defines (see [`FOREIGN_KEYS`]), after the presswerk keys,
/// so that a presswerk key written in the same file wins.
fn read_foreign(
    r: &mut Reader,
    fm: &mut FrontMatter,
    kind: Kind,
    to: Foreign,
    key: &str,
    value: Value,
) {
    match to {
        Foreign::As(field) if kind.known_keys().any(|k| k == field) && !r.has(field) => {
            read_key(r, fm, field, key, value);
        }
        Foreign::Byline if kind != Kind::Author => fm.bylines = r.bylines(key, &value),
        Foreign::Alias if kind != Kind::Author => match r.text(key, &value) {
            Some(path) if path.starts_with('/') && !path.contains(':') => {
                let span = r.value_span(key);
                fm.old_url = Some(Spanned { value: path, span });
            }
            _ => {
                fm.extra.insert(Value::String(key.to_string()), value);
            }
        },
        Foreign::Unpublished if r.boolean(key, &value) == Some(false) && !r.has("draft") => {
            fm.draft = true;
        }
        _ => {
            fm.extra.insert(Value::String(key.to_string()), value);
        }
    }
}

/// Reads a key only an edition has (or one that means something else there: `tags` and
/// `region` are filters). `false` for the keys an edition shares with every document.
fn read_edition_key(r: &mut Reader, ed: &mut EditionFront, key: &str, value: &Value) -> bool {
    match key {
        "number" => ed.number = r.number(key, value),
        "articles" => ed.articles = r.spanned_list(key, value),
        "from" => ed.from = r.spanned_date(key, value),
        "to" => ed.to = r.spanned_date(key, value),
        "tags" => ed.tags = r.list(key, value),
        "region" => ed.regions = r.list(key, value),
        "preheader" => ed.preheader = r.text(key, value),
        _ => return false,
    }
    true
}

/// Reads a known key of a page, section or author (and the shared keys of an edition) into
/// `field`; `key` is the key as written (another generator's name for it, see
/// [`FOREIGN_KEYS`]), which messages name and spans point at.
fn read_key(r: &mut Reader, fm: &mut FrontMatter, field: &str, key: &str, value: Value) {
    match field {
        "title" => fm.title = r.text(key, &value),
        "description" => fm.description = r.text(key, &value),
        "date" => fm.date = r.spanned_date(key, &value),
        "updated" => fm.updated = r.date(key, &value),
        "publish_date" => fm.publish_date = r.date(key, &value),
        "expiry_date" => fm.expiry_date = r.date(key, &value),
        "slug" => fm.slug = r.slug(key, &value),
        "draft" => fm.draft = r.boolean(key, &value).unwrap_or(false),
        "summary" => fm.summary = r.text(key, &value),
        "weight" => fm.weight = r.integer(key, &value),
        "aliases" => fm.aliases = r.spanned_list(key, &value),
        "template" => fm.template = r.spanned_text(key, &value),
        "authors" => fm.authors = r.spanned_list(key, &value),
        "tags" => fm.tags = r.terms(key, &value),
        "region" => fm.region = r.text(key, &value).filter(|t| r.term_ok(key, t, 0)),
        "sort_by" => fm.sort_by = r.sort_by(key, &value),
        "paginate_by" => fm.paginate_by = r.paginate_by(key, &value),
        "first_name" => fm.first_name = r.text(key, &value),
        "last_name" => fm.last_name = r.text(key, &value),
        "company" => fm.company = r.text(key, &value),
        "homepage" => fm.homepage = r.url(key, &value),
        "industry" => fm.industry = r.text(key, &value),
        "email" => fm.email = r.text(key, &value),
        "photo" => fm.photo = r.url(key, &value),
        "address" => fm.address = r.address(key, &value),
        "extra" => r.extra(key, value, &mut fm.extra),
        _ => unreachable!("every known key is matched above"),
    }
}

/// Front matter for a new article, as `presswerk new article` writes it. Values go through
/// the YAML serializer, so titles with `:` or quotes come out quoted correctly.
pub(crate) fn scaffold(
    title: &str,
    date: &str,
    authors: &[String],
    region: Option<&str>,
) -> String {
    let mut m = Mapping::new();
    m.insert("title".into(), title.into());
    m.insert("date".into(), date.into());
    m.insert(
        "authors".into(),
        Value::Sequence(authors.iter().map(|a| a.as_str().into()).collect()),
    );
    if let Some(r) = region {
        m.insert("region".into(), r.into());
    }
    m.insert("tags".into(), Value::Sequence(Vec::new()));
    m.insert("summary".into(), "".into());
    m.insert("draft".into(), true.into());
    let yaml = serde_yaml::to_string(&m).unwrap_or_default();
    format!("---\n{yaml}---\n\nHier beginnt der Text.\n\n<!-- more -->\n")
}

#[cfg(test)]
mod tests;
