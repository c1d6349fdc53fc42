//! Front matter: splitting the YAML block off a Markdown file and reading its typed keys.
//!
//! The YAML parser only ever sees the block between the fences, so every position it reports
//! is shifted by the block's offset in the file: diagnostics count lines from the top of the
//! *file*. Typed keys are read one by one from the parsed mapping, which lets one file report
//! every bad key at once, and an index of top-level key lines gives each of them a span.

use std::sync::Arc;

use jiff::ZonedDateTime as Zoned;
use jiff::tz::TimeZone;
use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::source::{SourceFile, Span, floor_char_boundary};
/// The date forms front matter accepts (the rule lives with the other date rules).
pub use crate::text::dates::parse_date;

/// Where the front matter and the body lie in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The opening `---` (empty at the file start when there is no front matter).
    pub fence: Span,
    /// The YAML between the fences (empty when the file has no front matter).
    pub yaml: Span,
    /// The Markdown after the closing fence.
    pub body: Span,
}

/// Finds the `---` fences. A leading UTF-8 BOM and CRLF line ends are accepted. A file that
/// does not start with `---` has no front matter; one that opens but never closes is an error
/// pointing at the opening fence.
pub fn split(text: &str) -> Result<Split, Span> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_end].trim_end() != "---" {
        return Ok(Split {
            fence: start..start,
            yaml: start..start,
            body: start..text.len(),
        });
    }
    let yaml_start = start + first_end;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Split {
                fence: start..start + 3,
                yaml: yaml_start..offset,
                body: offset + line.len()..text.len(),
            });
        }
        offset += line.len();
    }
    Err(start..start + 3)
}

/// What a document is, which decides the keys it may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An article or other page.
    Page,
    /// A section's `_index.md`.
    Section,
    /// An author profile.
    Author,
    /// A newsletter edition (a file in the editions folder).
    Edition,
}

const COMMON_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "slug",
    "draft",
    "summary",
    "weight",
    "aliases",
    "template",
    "extra",
];
const PAGE_KEYS: &[&str] = &["authors", "tags", "region", "publish_date", "expiry_date"];
const SECTION_KEYS: &[&str] = &["sort_by", "paginate_by"];
const AUTHOR_KEYS: &[&str] = &[
    "first_name",
    "last_name",
    "company",
    "address",
    "homepage",
    "industry",
    "email",
    "photo",
];
/// An edition's own keys. `tags` and `region` are filters here: they pick articles of a
/// date range, they do not put the edition under a tag.
const EDITION_KEYS: &[&str] = &[
    "number",
    "articles",
    "from",
    "to",
    "tags",
    "region",
    "preheader",
    "publish_date",
    "expiry_date",
];
const ADDRESS_KEYS: &[&str] = &["street", "postal_code", "city"];

impl Kind {
    /// Every key a document of this kind knows.
    pub fn known_keys(self) -> impl Iterator<Item = &'static str> {
        let own = match self {
            Kind::Page => PAGE_KEYS,
            Kind::Section => SECTION_KEYS,
            Kind::Author => AUTHOR_KEYS,
            Kind::Edition => EDITION_KEYS,
        };
        COMMON_KEYS.iter().chain(own).copied()
    }
}

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
    let block = &source.text[yaml.clone()];
    let fm_span = fence;
    if block.trim().is_empty() {
        return Some(FrontMatter {
            span: fm_span,
            edition: (kind == Kind::Edition).then(Box::default),
            ..Default::default()
        });
    }
    let value: Value = match serde_yaml::from_str(block) {
        Ok(v) => v,
        Err(e) => {
            diags.push(yaml_error(source, yaml.start, &e));
            return None;
        }
    };
    let mapping = match value {
        Value::Mapping(m) => m,
        Value::Null => Mapping::new(),
        other => {
            diags.push(
                Diagnostic::error(
                    "front-matter-not-mapping",
                    "front matter must be a list of `key: value` lines",
                )
                .at(
                    source,
                    yaml.start..yaml.start + block.find('\n').unwrap_or(block.len()),
                    format!("found {}", describe(&other)),
                )
                .help("write e.g. `title: Mein Artikel` on its own line"),
            );
            return None;
        }
    };

    let index = KeyIndex::new(&source.text, yaml.clone());
    let mut fm = FrontMatter {
        span: fm_span,
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
            let d = Diagnostic::error("front-matter-key", "front matter keys must be plain words")
                .at(
                    source,
                    yaml.start..yaml.start,
                    format!("found the key {}", describe(&key)),
                );
            r.diags.push(d);
            continue;
        };
        if !kind.known_keys().any(|k| k == key) {
            if let Some(hint) = did_you_mean(&key, kind.known_keys()) {
                let span = index.key(&key).unwrap_or(yaml.start..yaml.start);
                r.diags.push(
                    Diagnostic::warning(
                        "front-matter-typo",
                        format!("unknown key `{key}` looks like a typo"),
                    )
                    .at(source, span, "kept in `extra`")
                    .help(format!("did you mean `{hint}`?")),
                );
            }
            fm.extra.insert(Value::String(key), value);
            continue;
        }
        if kind == Kind::Edition {
            let spanned_date = |r: &mut Reader, key: &str| {
                r.date(key, &value).map(|value| Spanned {
                    value,
                    span: r.value_span(key),
                })
            };
            match key.as_str() {
                "number" => {
                    ed.number = r.integer(&key, &value).and_then(|n| {
                        if n > 0 {
                            Some(Spanned {
                                value: n,
                                span: r.value_span(&key),
                            })
                        } else {
                            r.bad(
                                &key,
                                "`number` must be a positive whole number",
                                "not positive",
                                "e.g. number: 1",
                            );
                            None
                        }
                    });
                    continue;
                }
                "articles" => {
                    ed.articles = r.spanned_list(&key, &value);
                    continue;
                }
                "from" => {
                    ed.from = spanned_date(&mut r, &key);
                    continue;
                }
                "to" => {
                    ed.to = spanned_date(&mut r, &key);
                    continue;
                }
                "tags" => {
                    ed.tags = r.list(&key, &value);
                    continue;
                }
                "region" => {
                    ed.regions = r.list(&key, &value);
                    continue;
                }
                "preheader" => {
                    ed.preheader = r.text(&key, &value);
                    continue;
                }
                _ => {}
            }
        }
        match key.as_str() {
            "title" => fm.title = r.text(&key, &value),
            "description" => fm.description = r.text(&key, &value),
            "date" => {
                fm.date = r.date(&key, &value).map(|value| Spanned {
                    value,
                    span: r.value_span(&key),
                })
            }
            "updated" => fm.updated = r.date(&key, &value),
            "publish_date" => fm.publish_date = r.date(&key, &value),
            "expiry_date" => fm.expiry_date = r.date(&key, &value),
            "slug" => fm.slug = r.slug(&key, &value),
            "draft" => fm.draft = r.boolean(&key, &value).unwrap_or(false),
            "summary" => fm.summary = r.text(&key, &value),
            "weight" => fm.weight = r.integer(&key, &value),
            "aliases" => fm.aliases = r.spanned_list(&key, &value),
            "template" => {
                fm.template = r.text(&key, &value).map(|value| Spanned {
                    value,
                    span: r.value_span(&key),
                })
            }
            "authors" => fm.authors = r.spanned_list(&key, &value),
            "tags" => fm.tags = r.list(&key, &value),
            "region" => fm.region = r.text(&key, &value),
            "sort_by" => {
                fm.sort_by = r.text(&key, &value).and_then(|v| {
                    if ["date", "title", "weight"].contains(&v.as_str()) {
                        Some(Spanned {
                            value: v,
                            span: r.value_span(&key),
                        })
                    } else {
                        r.bad(
                            &key,
                            "`sort_by` must be `date`, `title` or `weight`",
                            "unknown order",
                            "e.g. sort_by: date",
                        );
                        None
                    }
                })
            }
            "paginate_by" => {
                fm.paginate_by = r.integer(&key, &value).and_then(|n| {
                    let n = usize::try_from(n).ok().filter(|n| *n > 0);
                    if n.is_none() {
                        r.bad(
                            &key,
                            "`paginate_by` must be a positive whole number",
                            "not positive",
                            "e.g. paginate_by: 10",
                        );
                    }
                    n
                })
            }
            "first_name" => fm.first_name = r.text(&key, &value),
            "last_name" => fm.last_name = r.text(&key, &value),
            "company" => fm.company = r.text(&key, &value),
            "homepage" => fm.homepage = r.text(&key, &value),
            "industry" => fm.industry = r.text(&key, &value),
            "email" => fm.email = r.text(&key, &value),
            "photo" => fm.photo = r.text(&key, &value),
            "address" => fm.address = r.address(&key, &value),
            "extra" => match value {
                Value::Mapping(m) => fm.extra.extend(m),
                Value::Null => {}
                other => r.bad(
                    &key,
                    "`extra` must be a mapping",
                    &format!("found {}", describe(&other)),
                    "indent its keys below `extra:`",
                ),
            },
            _ => unreachable!("every known key is matched above"),
        }
    }
    if kind == Kind::Edition {
        fm.edition = Some(Box::new(ed));
    }
    Some(fm)
}

/// Turns a serde_yaml error into a diagnostic at its place in the whole file.
fn yaml_error(source: &Arc<SourceFile>, block_start: usize, e: &serde_yaml::Error) -> Diagnostic {
    let text = e.to_string();
    // serde_yaml appends " at line L column C" relative to the block; the span replaces it.
    let message = text.split(" at line ").next().unwrap_or(&text).to_string();
    let at = e
        .location()
        .map(|l| floor_char_boundary(&source.text, block_start + l.index()))
        .unwrap_or(block_start);
    let end = source.text[at..]
        .char_indices()
        .nth(1)
        .map_or(at, |(i, _)| at + i);
    let help = if message.contains("mapping values are not allowed") {
        "quote values that contain `: `, e.g. title: \"Regionalgruppe: Rheinland\""
    } else if message.contains("duplicate") {
        "each key may appear once; remove one of them"
    } else if message.contains("did not find expected")
        || message.contains("could not find expected")
    {
        "check quotes and brackets: every `\"`, `[` and `{` needs its closing partner"
    } else {
        "front matter is YAML between two `---` lines; check indentation and quoting"
    };
    Diagnostic::error("yaml-syntax", "invalid YAML in front matter")
        .at(source, at..end, message)
        .help(help)
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Spans of the top-level keys of a YAML block: `key:` lines starting at column 0.
struct KeyIndex<'a> {
    text: &'a str,
    keys: Vec<(String, Span, Span)>,
}

impl<'a> KeyIndex<'a> {
    fn new(text: &'a str, yaml: Span) -> Self {
        let mut keys: Vec<(String, Span, Span)> = Vec::new();
        let mut offset = yaml.start;
        for line in text[yaml.clone()].split_inclusive('\n') {
            let first = line.chars().next().unwrap_or(' ');
            if !first.is_whitespace() && first != '#' && first != '-' {
                if let Some(colon) = line.find(':') {
                    let name = line[..colon].trim().trim_matches(['"', '\'']).to_string();
                    let value_start = offset + colon + 1;
                    let value_start = value_start
                        + (text[value_start..].len()
                            - text[value_start..].trim_start_matches([' ', '\t']).len());
                    keys.push((
                        name,
                        offset..offset + colon,
                        value_start..offset + line.trim_end().len(),
                    ));
                }
            } else if let Some(last) = keys.last_mut()
                && !line.trim().is_empty()
            {
                // An indented continuation line belongs to the value of the key above.
                last.2.end = offset + line.trim_end().len();
            }
            offset += line.len();
        }
        KeyIndex { text, keys }
    }

    fn key(&self, key: &str) -> Option<Span> {
        self.keys.iter().find(|k| k.0 == key).map(|k| k.1.clone())
    }

    fn value(&self, key: &str) -> Option<Span> {
        self.keys.iter().find(|k| k.0 == key).map(|k| {
            if k.2.is_empty() {
                k.1.clone()
            } else {
                k.2.clone()
            }
        })
    }

    /// Span of `item` inside the value of `key` (its `n`-th occurrence), or the whole value.
    fn item(&self, key: &str, item: &str, n: usize) -> Option<Span> {
        let value = self.value(key)?;
        let hay = &self.text[value.clone()];
        let pos = hay.match_indices(item).nth(n).map(|(i, _)| i)?;
        Some(value.start + pos..value.start + pos + item.len())
    }
}

struct Reader<'a, 'd> {
    source: &'a Arc<SourceFile>,
    index: &'a KeyIndex<'a>,
    diags: &'d mut Vec<Diagnostic>,
    tz: &'a TimeZone,
}

impl Reader<'_, '_> {
    fn value_span(&self, key: &str) -> Span {
        self.index.value(key).unwrap_or(0..0)
    }

    fn bad(&mut self, key: &str, message: &str, label: &str, help: &str) {
        let span = self.value_span(key);
        self.diags.push(
            Diagnostic::error("front-matter-type", message.to_string())
                .at(self.source, span, label.to_string())
                .help(help.to_string()),
        );
    }

    /// A scalar as text: numbers and booleans are accepted as written (`postal_code: 59423`).
    fn text(&mut self, key: &str, v: &Value) -> Option<String> {
        match scalar_text(v) {
            Some(s) => Some(s),
            None if v.is_null() => None,
            None => {
                self.bad(
                    key,
                    &format!("`{key}` must be text"),
                    &format!("found {}", describe(v)),
                    &format!("write it on one line, e.g. {key}: \"…\""),
                );
                None
            }
        }
    }

    fn list(&mut self, key: &str, v: &Value) -> Vec<String> {
        self.spanned_list(key, v)
            .into_iter()
            .map(|s| s.value)
            .collect()
    }

    /// A list of scalars; a single scalar counts as a list of one.
    fn spanned_list(&mut self, key: &str, v: &Value) -> Vec<Spanned<String>> {
        let items: Vec<&Value> = match v {
            Value::Sequence(seq) => seq.iter().collect(),
            Value::Null => Vec::new(),
            other if scalar_text(other).is_some() => vec![other],
            other => {
                self.bad(
                    key,
                    &format!("`{key}` must be a list"),
                    &format!("found {}", describe(other)),
                    &format!("write it as {key}: [eins, zwei]"),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        let mut seen: Vec<String> = Vec::new();
        for item in items {
            match scalar_text(item) {
                Some(s) => {
                    let n = seen.iter().filter(|x| **x == s).count();
                    let span = self
                        .index
                        .item(key, &s, n)
                        .unwrap_or_else(|| self.value_span(key));
                    seen.push(s.clone());
                    out.push(Spanned { value: s, span });
                }
                None => self.bad(
                    key,
                    &format!("every entry of `{key}` must be text"),
                    &format!("found {}", describe(item)),
                    &format!("write it as {key}: [eins, zwei]"),
                ),
            }
        }
        out
    }

    fn boolean(&mut self, key: &str, v: &Value) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(*b),
            other => {
                self.bad(
                    key,
                    &format!("`{key}` must be true or false"),
                    &format!("found {}", describe(other)),
                    &format!("{key}: true"),
                );
                None
            }
        }
    }

    fn integer(&mut self, key: &str, v: &Value) -> Option<i64> {
        match v.as_i64() {
            Some(n) => Some(n),
            None => {
                self.bad(
                    key,
                    &format!("`{key}` must be a whole number"),
                    &format!("found {}", describe(v)),
                    &format!("{key}: 10"),
                );
                None
            }
        }
    }

    fn date(&mut self, key: &str, v: &Value) -> Option<Zoned> {
        let Some(text) = scalar_text(v) else {
            self.bad(
                key,
                &format!("`{key}` must be a date"),
                &format!("found {}", describe(v)),
                "write 2007-11-06, 2007-11-06 10:00 or 2007-11-06T10:00:00+01:00",
            );
            return None;
        };
        match parse_date(&text, self.tz) {
            Ok(z) => Some(z),
            Err(why) => {
                self.bad(
                    key,
                    &format!("`{text}` is not a valid date"),
                    &why,
                    "write 2007-11-06, 2007-11-06 10:00 or 2007-11-06T10:00:00+01:00",
                );
                None
            }
        }
    }

    fn slug(&mut self, key: &str, v: &Value) -> Option<Spanned<String>> {
        let text = self.text(key, v)?;
        let span = self.value_span(key);
        // A slug names one folder of the output; `/`, `\` and `..` could name another.
        if text.contains(['/', '\\'])
            || text.contains("..")
            || crate::text::slug::slugify(&text).is_empty()
        {
            self.diags.push(
                Diagnostic::error("front-matter-slug", format!("slug `{text}` cannot be used"))
                    .at(self.source, span, "a slug is one path segment: no `/`, `\\` or `..`, and at least one letter or digit")
                    .help("use words joined by dashes, e.g. slug: regionalgruppe-rheinland"),
            );
            return None;
        }
        Some(Spanned {
            value: crate::text::slug::slugify(&text),
            span,
        })
    }

    fn address(&mut self, key: &str, v: &Value) -> Address {
        let mut address = Address::default();
        let Value::Mapping(m) = v else {
            if !v.is_null() {
                self.bad(
                    key,
                    "`address` must be a mapping with street, postal_code and city",
                    &format!("found {}", describe(v)),
                    "indent street:, postal_code: and city: below address:",
                );
            }
            return address;
        };
        for (k, val) in m {
            let name = scalar_text(k).unwrap_or_default();
            let text = match scalar_text(val) {
                Some(t) => Some(t),
                None if val.is_null() => None,
                None => {
                    self.bad(
                        key,
                        &format!("`address.{name}` must be text"),
                        &format!("found {}", describe(val)),
                        "e.g. city: Unna",
                    );
                    None
                }
            };
            match name.as_str() {
                "street" => address.street = text,
                "postal_code" => address.postal_code = text,
                "city" => address.city = text,
                other => {
                    let help = match did_you_mean(other, ADDRESS_KEYS.iter().copied()) {
                        Some(k) => format!("did you mean `{k}`?"),
                        None => format!("known keys: {}", ADDRESS_KEYS.join(", ")),
                    };
                    let span = self
                        .index
                        .item(key, other, 0)
                        .unwrap_or_else(|| self.value_span(key));
                    self.diags.push(
                        Diagnostic::warning(
                            "front-matter-typo",
                            format!("unknown address key `{other}`"),
                        )
                        .at(self.source, span, "ignored")
                        .help(help),
                    );
                }
            }
        }
        address
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Front matter for a new article, as `presswerk new article` writes it. Values go through
/// the YAML serializer, so titles with `:` or quotes come out quoted correctly.
pub fn scaffold(title: &str, date: &str, authors: &[String], region: Option<&str>) -> String {
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

    #[test]
    fn split_handles_bom_crlf_and_no_front_matter() {
        let t = "\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.yaml.clone()], "title: A\r\n");
        assert_eq!(&t[s.body.clone()], "Body\r\n");
        let s = split("# Nur Text\n").unwrap();
        assert!(s.yaml.is_empty());
        assert_eq!(s.body, 0..11);
        assert_eq!(split("---\ntitle: A\n"), Err(0..3));
        let s = split("---\n---\n").unwrap();
        assert!(s.yaml.is_empty() && s.body.is_empty());
    }

    #[test]
    fn split_then_join_round_trips() {
        for (fm, body) in [
            ("title: A\n", "Text\n"),
            ("", ""),
            ("a: 1\nb: [x]\n", "---\n"),
        ] {
            let joined = format!("---\n{fm}---\n{body}");
            let s = split(&joined).unwrap();
            assert_eq!(&joined[s.yaml], fm);
            assert_eq!(&joined[s.body], body);
        }
    }

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
