//! `author:` as Hugo and Jekyll write it: a name, a mapping (`name`, `image`, `bio`,
//! `links`/`url`/`email`), or a list of either. Each becomes a [`Person`]; resolving decides
//! whether it is an author profile of the site or a guest byline.

use serde_yaml::Value;

use super::Spanned;
use super::values::{Reader, scalar_text};

/// Someone named in a byline, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// The name (or a profile's slug, in `authors:`).
    pub name: String,
    /// A link for the name: their own site (`url`, `website`, `homepage`, the first of `links`).
    pub link: Option<String>,
    /// A portrait (`image`, `avatar`).
    pub image: Option<String>,
    /// A short biography (plain text).
    pub bio: Option<String>,
    /// An e-mail address.
    pub email: Option<String>,
}

impl Reader<'_, '_> {
    /// `author:`: every person it names, each with the span of its name.
    pub(super) fn bylines(&mut self, key: &str, v: &Value) -> Vec<Spanned<Person>> {
        let items: Vec<&Value> = match v {
            Value::Sequence(seq) => seq.iter().collect(),
            Value::Null => Vec::new(),
            other => vec![other],
        };
        let mut out = Vec::new();
        let mut from = 0;
        for item in items {
            let Some(person) = self.person(key, item) else {
                continue;
            };
            let span = match self.index.item(key, &person.name, from) {
                Some(span) => {
                    from = span.end;
                    span
                }
                None => self.value_span(key),
            };
            out.push(Spanned {
                value: person,
                span,
            });
        }
        out
    }

    fn person(&mut self, key: &str, v: &Value) -> Option<Person> {
        if let Some(name) = scalar_text(v) {
            return (!name.trim().is_empty()).then(|| Person {
                name: name.trim().to_string(),
                ..Person::default()
            });
        }
        let Value::Mapping(m) = v else {
            self.bad(
                key,
                &format!("`{key}` must be a name or a mapping with `name`"),
                &format!("found {}", super::yaml::describe(v)),
                "write e.g. author: \"Ann Labus\"",
            );
            return None;
        };
        let field = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| m.get(*n).and_then(scalar_text))
                .filter(|s| !s.trim().is_empty())
        };
        let Some(name) = field(&["name", "title", "displayName"]) else {
            self.bad(
                key,
                &format!("`{key}` has no `name`"),
                "a byline needs the person's name",
                "add e.g. name: \"Ann Labus\"",
            );
            return None;
        };
        let link =
            field(&["url", "website", "homepage"]).or_else(|| m.get("links").and_then(first_link));
        Some(Person {
            name: name.trim().to_string(),
            link: link.and_then(|l| self.checked_url(key, l)),
            image: field(&["image", "avatar", "photo"]).and_then(|l| self.checked_url(key, l)),
            bio: field(&["bio", "description"]),
            email: field(&["email"]),
        })
    }
}

/// The first link of Hugo's `links:` (a list of `{name: url}` mappings or of URLs, or one
/// mapping).
fn first_link(v: &Value) -> Option<String> {
    match v {
        Value::Sequence(seq) => seq.iter().find_map(first_link),
        Value::Mapping(m) => m.values().find_map(first_link),
        other => scalar_text(other).filter(|s| !s.trim().is_empty()),
    }
}
