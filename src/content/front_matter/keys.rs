//! The one table of known front matter keys, per kind of document, and what happens to a key
//! that is not in it: kept in `extra`, with a warning when it looks like a typo of a known one.

use std::sync::Arc;

use serde_yaml::Value;

use super::index::KeyIndex;
use super::yaml::describe;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::source::{SourceFile, Span};

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
pub(super) const ADDRESS_KEYS: &[&str] = &["street", "postal_code", "city"];

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

/// A key that is not a plain word (`1: x`, `[a]: b`): YAML allows it, front matter does not.
pub(super) fn not_a_word(source: &Arc<SourceFile>, at: usize, key: &Value) -> Diagnostic {
    Diagnostic::error("front-matter-key", "front matter keys must be plain words").at(
        source,
        at..at,
        format!("found the key {}", describe(key)),
    )
}

/// The warning for an unknown `key` of a `kind` document, if it is near a known key.
pub(super) fn typo(
    source: &Arc<SourceFile>,
    index: &KeyIndex<'_>,
    yaml: &Span,
    kind: Kind,
    key: &str,
) -> Option<Diagnostic> {
    let hint = did_you_mean(key, kind.known_keys())?;
    let span = index.key(key).unwrap_or(yaml.start..yaml.start);
    Some(
        Diagnostic::warning(
            "front-matter-typo",
            format!("unknown key `{key}` looks like a typo"),
        )
        .at(source, span, "kept in `extra`")
        .help(format!("did you mean `{hint}`?")),
    )
}
