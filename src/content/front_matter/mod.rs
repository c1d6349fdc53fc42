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

mod index;
mod keys;
mod split;
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
use index::KeyIndex;
pub use keys::Kind;
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
    /// `authors`: author slugs.
    pub authors: Vec<Spanned<String>>,
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

/// Parses the YAML block of `source` at `yaml` into typed front matter for a document of
/// `kind`. Problems are pushed to `diags`; the result is `None` only when the block could not
/// be read at all (bad YAML, not a mapping).
pub fn parse(
    source: &Arc<SourceFile>,
    fence: Span,
    yaml: Span,
    kind: Kind,
    tz: &TimeZone,
    diags: &mut Vec<Diagnostic>,
) -> Option<FrontMatter> {
    if source.text[yaml.clone()].trim().is_empty() {
        return Some(FrontMatter {
            span: fence,
            edition: (kind == Kind::Edition).then(Box::default),
            ..Default::default()
        });
    }
    let mapping = yaml::mapping(source, &yaml, diags)?;
    let index = KeyIndex::new(&source.text, yaml.clone());
    let mut fm = FrontMatter {
        span: fence,
        ..Default::default()
    };
    let mut ed = EditionFront::default();
    let mut r = Reader {
        source,
        index: &index,
        diags,
        tz,
    };
    for (key, value) in mapping {
        let Value::String(key) = key else {
            r.diags.push(keys::not_a_word(source, yaml.start, &key));
            continue;
        };
        if !kind.known_keys().any(|k| k == key) {
            if let Some(d) = keys::typo(source, &index, &yaml, kind, &key) {
                r.diags.push(d);
            }
            fm.extra.insert(Value::String(key), value);
            continue;
        }
        if kind == Kind::Edition && read_edition_key(&mut r, &mut ed, &key, &value) {
            continue;
        }
        read_key(&mut r, &mut fm, &key, value);
    }
    if kind == Kind::Edition {
        fm.edition = Some(Box::new(ed));
    }
    Some(fm)
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

/// Reads a known key of a page, section or author (and the shared keys of an edition).
fn read_key(r: &mut Reader, fm: &mut FrontMatter, key: &str, value: Value) {
    match key {
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
        "tags" => fm.tags = r.list(key, &value),
        "region" => fm.region = r.text(key, &value),
        "sort_by" => fm.sort_by = r.sort_by(key, &value),
        "paginate_by" => fm.paginate_by = r.paginate_by(key, &value),
        "first_name" => fm.first_name = r.text(key, &value),
        "last_name" => fm.last_name = r.text(key, &value),
        "company" => fm.company = r.text(key, &value),
        "homepage" => fm.homepage = r.text(key, &value),
        "industry" => fm.industry = r.text(key, &value),
        "email" => fm.email = r.text(key, &value),
        "photo" => fm.photo = r.text(key, &value),
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
mod tests {
    use super::*;
    use std::path::Path;

    fn parse_str(
        text: &str,
        kind: Kind,
    ) -> (Option<FrontMatter>, Vec<Diagnostic>, Arc<SourceFile>) {
        let source = Arc::new(SourceFile::new(
            Path::new("/r"),
            Path::new("/r/content/a.md"),
            text.into(),
        ));
        let s = split(text).unwrap();
        let mut diags = Vec::new();
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let fm = parse(&source, s.fence, s.yaml, kind, &tz, &mut diags);
        (fm, diags, source)
    }

    #[test]
    fn typed_keys_and_extra() {
        let (fm, diags, _) = parse_str(
            "---\ntitle: Hallo\ndate: 2007-11-06\nauthors: [ann-labus]\ntags: [A, B]\nregion: Rheinland\nfarbe: blau\n---\n",
            Kind::Page,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let fm = fm.unwrap();
        assert_eq!(fm.title.as_deref(), Some("Hallo"));
        assert_eq!(
            fm.date.unwrap().value.to_string(),
            "2007-11-06T00:00:00+01:00[Europe/Berlin]"
        );
        assert_eq!(fm.authors[0].value, "ann-labus");
        assert_eq!(fm.tags, ["A", "B"]);
        assert_eq!(fm.extra.get("farbe").and_then(|v| v.as_str()), Some("blau"));
    }

    #[test]
    fn yaml_error_line_counts_from_file_start() {
        let (fm, diags, _) = parse_str("---\ntitle: Rust: the good parts\n---\n", Kind::Page);
        assert!(fm.is_none());
        assert_eq!(diags[0].code, "yaml-syntax");
        assert_eq!(diags[0].location(), Some(("content/a.md", 2, 12)));
    }

    #[test]
    fn wrong_type_and_bad_date_point_at_their_values() {
        let (_, diags, _) = parse_str(
            "---\ntitle: A\ntags:\n  a: 1\ndate: 2007-02-30\n---\n",
            Kind::Page,
        );
        let tags = diags.iter().find(|d| d.message.contains("`tags`")).unwrap();
        assert_eq!(tags.location().unwrap().1, 3);
        let date = diags
            .iter()
            .find(|d| d.message.contains("not a valid date"))
            .unwrap();
        assert_eq!(date.location().unwrap().1, 5);
    }

    #[test]
    fn typo_is_a_warning_with_suggestion() {
        let (fm, diags, _) = parse_str("---\ntittle: A\n---\n", Kind::Page);
        assert!(fm.unwrap().extra.contains_key("tittle"));
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `title`?"));
        assert_eq!(diags[0].location(), Some(("content/a.md", 2, 1)));
    }

    #[test]
    fn slug_with_path_parts_is_rejected() {
        let (fm, diags, _) = parse_str("---\nslug: ../../etc\n---\n", Kind::Page);
        assert!(fm.unwrap().slug.is_none());
        assert_eq!(diags[0].code, "front-matter-slug");
    }
}
