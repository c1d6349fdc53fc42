//! Typed conversions of YAML values: text, lists, numbers, booleans, dates, slugs and the
//! author address. Each bad value becomes a diagnostic at its own span, and reading goes on,
//! so one file reports every bad key at once.

use std::sync::Arc;

use jiff::ZonedDateTime as Zoned;
use jiff::tz::TimeZone;
use serde_yaml::{Mapping, Value};

use super::index::KeyIndex;
use super::keys::ADDRESS_KEYS;
use super::yaml::describe;
use super::{Address, Spanned};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::source::{SourceFile, Span};
use crate::text::dates::parse_date;

pub(super) struct Reader<'a, 'd> {
    pub(super) source: &'a Arc<SourceFile>,
    pub(super) index: &'a KeyIndex<'a>,
    pub(super) diags: &'d mut Vec<Diagnostic>,
    pub(super) tz: &'a TimeZone,
}

impl Reader<'_, '_> {
    pub(super) fn value_span(&self, key: &str) -> Span {
        self.index.value(key).unwrap_or(0..0)
    }

    pub(super) fn bad(&mut self, key: &str, message: &str, label: &str, help: &str) {
        let span = self.value_span(key);
        self.diags.push(
            Diagnostic::error("front-matter-type", message.to_string())
                .at(self.source, span, label.to_string())
                .help(help.to_string()),
        );
    }

    /// A scalar as text: numbers and booleans are accepted as written (`postal_code: 59423`).
    pub(super) fn text(&mut self, key: &str, v: &Value) -> Option<String> {
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

    pub(super) fn list(&mut self, key: &str, v: &Value) -> Vec<String> {
        self.spanned_list(key, v)
            .into_iter()
            .map(|s| s.value)
            .collect()
    }

    /// A list of scalars; a single scalar counts as a list of one.
    pub(super) fn spanned_list(&mut self, key: &str, v: &Value) -> Vec<Spanned<String>> {
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
        let mut from = 0;
        for item in items {
            match scalar_text(item) {
                Some(s) => {
                    let span = match self.index.item(key, &s, from) {
                        Some(span) => {
                            from = span.end;
                            span
                        }
                        None => self.value_span(key),
                    };
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

    /// A URL that may become a link or an image source (see [`crate::text::scheme`]).
    pub(super) fn url(&mut self, key: &str, v: &Value) -> Option<String> {
        let text = self.text(key, v)?;
        self.checked_url(key, text)
    }

    /// `url` if its scheme may be linked; else `None`, with an error at the URL as written
    /// inside the value of `key`.
    pub(super) fn checked_url(&mut self, key: &str, url: String) -> Option<String> {
        let Some(scheme) = crate::text::scheme::refused(&url) else {
            return Some(url);
        };
        let span = self
            .index
            .item(key, url.trim(), 0)
            .unwrap_or_else(|| self.value_span(key));
        self.diags.push(
            Diagnostic::error(
                "front-matter-url",
                format!("`{key}` links to a `{scheme}:` URL"),
            )
            .at(self.source, span, "this scheme may not become a link")
            .help(crate::text::scheme::HINT),
        );
        None
    }

    /// Taxonomy terms (`tags`, or a key that feeds a taxonomy): each must slug to at least
    /// one letter or digit, or it could have no page of its own.
    pub(super) fn terms(&mut self, key: &str, v: &Value) -> Vec<String> {
        let mut out = Vec::new();
        for term in self.spanned_list(key, v) {
            if self.term_ok(key, &term.value, term.span.start) {
                out.push(term.value);
            }
        }
        out
    }

    /// Whether `term` slugs to something; if not, an error at it (found from byte `from`).
    pub(super) fn term_ok(&mut self, key: &str, term: &str, from: usize) -> bool {
        if !crate::text::slug::slugify(term).is_empty() {
            return true;
        }
        let span = self
            .index
            .item(key, term, from)
            .unwrap_or_else(|| self.value_span(key));
        self.diags.push(
            Diagnostic::error(
                "front-matter-term",
                format!("`{term}` cannot be a term of `{key}`"),
            )
            .at(self.source, span, "no letter or digit to make its URL from")
            .help(format!(
                "write the term as words, e.g. {key}: [Kooperation]"
            )),
        );
        false
    }

    /// Whether the front matter writes `key` at its top level.
    pub(super) fn has(&self, key: &str) -> bool {
        self.index.key(key).is_some()
    }

    pub(super) fn boolean(&mut self, key: &str, v: &Value) -> Option<bool> {
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

    /// A whole number; also one that YAML reads as text (`weight: 01`, which Hugo takes as 1).
    pub(super) fn integer(&mut self, key: &str, v: &Value) -> Option<i64> {
        let digits = v
            .as_str()
            .map(str::trim)
            .filter(|s| {
                s.trim_start_matches(['+', '-'])
                    .bytes()
                    .all(|b| b.is_ascii_digit())
            })
            .and_then(|s| s.parse().ok());
        match v.as_i64().or(digits) {
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

    pub(super) fn date(&mut self, key: &str, v: &Value) -> Option<Zoned> {
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

    /// A date with the span of its value.
    pub(super) fn spanned_date(&mut self, key: &str, v: &Value) -> Option<Spanned<Zoned>> {
        self.date(key, v).map(|value| Spanned {
            value,
            span: self.value_span(key),
        })
    }

    /// Text with the span of its value.
    pub(super) fn spanned_text(&mut self, key: &str, v: &Value) -> Option<Spanned<String>> {
        self.text(key, v).map(|value| Spanned {
            value,
            span: self.value_span(key),
        })
    }

    /// An edition's `number`: a positive whole number, with its span.
    pub(super) fn number(&mut self, key: &str, v: &Value) -> Option<Spanned<i64>> {
        self.integer(key, v).and_then(|n| {
            if n > 0 {
                Some(Spanned {
                    value: n,
                    span: self.value_span(key),
                })
            } else {
                self.bad(
                    key,
                    "`number` must be a positive whole number",
                    "not positive",
                    "e.g. number: 1",
                );
                None
            }
        })
    }

    /// A section's `sort_by`: `date`, `title` or `weight`.
    pub(super) fn sort_by(&mut self, key: &str, v: &Value) -> Option<Spanned<String>> {
        self.text(key, v).and_then(|v| {
            if ["date", "title", "weight"].contains(&v.as_str()) {
                Some(Spanned {
                    value: v,
                    span: self.value_span(key),
                })
            } else {
                self.bad(
                    key,
                    "`sort_by` must be `date`, `title` or `weight`",
                    "unknown order",
                    "e.g. sort_by: date",
                );
                None
            }
        })
    }

    /// A section's `paginate_by`: a positive whole number.
    pub(super) fn paginate_by(&mut self, key: &str, v: &Value) -> Option<usize> {
        self.integer(key, v).and_then(|n| {
            let n = usize::try_from(n).ok().filter(|n| *n > 0);
            if n.is_none() {
                self.bad(
                    key,
                    "`paginate_by` must be a positive whole number",
                    "not positive",
                    "e.g. paginate_by: 10",
                );
            }
            n
        })
    }

    /// `extra`: a mapping whose keys join the other unknown keys.
    pub(super) fn extra(&mut self, key: &str, v: Value, extra: &mut Mapping) {
        match v {
            Value::Mapping(m) => extra.extend(m),
            Value::Null => {}
            other => self.bad(
                key,
                "`extra` must be a mapping",
                &format!("found {}", describe(&other)),
                "indent its keys below `extra:`",
            ),
        }
    }

    pub(super) fn slug(&mut self, key: &str, v: &Value) -> Option<Spanned<String>> {
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

    pub(super) fn address(&mut self, key: &str, v: &Value) -> Address {
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

pub(super) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
