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

/// What presswerk does with a key that another generator defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Foreign {
    /// Read as this presswerk key, unless the front matter also has that key (which wins).
    As(&'static str),
    /// A byline: a name, or a mapping with `name`, `image`, `bio`, `links`/`url`/`email`.
    Byline,
    /// A path of the page on the old site: becomes an alias (a redirect to the page), unless
    /// it is the page's own path or a pattern (`:year/:title`); then it is kept in `extra`.
    Alias,
    /// `published: false` (Jekyll) is `draft: true`.
    Unpublished,
    /// Kept in `extra`, where templates and a taxonomy fed by that key read it.
    Extra,
}

/// A key of another generator, with where it comes from and what presswerk makes of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ForeignKey {
    /// The key as the other tool spells it (matched regardless of case, as Hugo does).
    pub name: &'static str,
    /// Which tools define it (the README's table shows it; its test reads it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub tools: &'static str,
    /// What presswerk does with it.
    pub to: Foreign,
}

const fn fk(name: &'static str, tools: &'static str, to: Foreign) -> ForeignKey {
    ForeignKey { name, tools, to }
}

/// Keys that Hugo, Jekyll or Zola define and presswerk does not: never reported as typos of a
/// presswerk key. Keys with the same name and meaning in presswerk (`title`, `date`, `draft`,
/// `slug`, `weight`, `aliases`, `tags`, `summary`, `description`) are not listed; they are
/// presswerk keys. The README prints this table; a test keeps the two the same.
pub(crate) const FOREIGN_KEYS: &[ForeignKey] = &[
    fk("author", "Hugo, Jekyll", Foreign::Byline),
    fk("lastmod", "Hugo", Foreign::As("updated")),
    fk("last_modified_at", "Jekyll", Foreign::As("updated")),
    fk("publishDate", "Hugo", Foreign::As("publish_date")),
    fk("expiryDate", "Hugo", Foreign::As("expiry_date")),
    fk("excerpt", "Jekyll", Foreign::As("summary")),
    fk("url", "Hugo", Foreign::Alias),
    fk("permalink", "Jekyll", Foreign::Alias),
    fk("published", "Jekyll", Foreign::Unpublished),
    fk("categories", "Hugo, Jekyll", Foreign::Extra),
    fk("series", "Hugo", Foreign::Extra),
    fk("keywords", "Hugo", Foreign::Extra),
    fk("layout", "Hugo, Jekyll", Foreign::Extra),
    fk("type", "Hugo", Foreign::Extra),
    fk("images", "Hugo", Foreign::Extra),
    fk("image", "Hugo themes, Jekyll", Foreign::Extra),
    fk("featured_image", "Hugo themes", Foreign::Extra),
    fk("menu", "Hugo", Foreign::Extra),
    fk("params", "Hugo", Foreign::Extra),
    fk("linkTitle", "Hugo", Foreign::Extra),
    fk("toc", "Hugo themes", Foreign::Extra),
    fk("headless", "Hugo", Foreign::Extra),
    fk("outputs", "Hugo", Foreign::Extra),
    fk("markup", "Hugo", Foreign::Extra),
    fk("resources", "Hugo", Foreign::Extra),
    fk("cascade", "Hugo", Foreign::Extra),
    fk("build", "Hugo", Foreign::Extra),
    fk("sitemap", "Hugo", Foreign::Extra),
    fk("translationKey", "Hugo", Foreign::Extra),
    fk("isCJKLanguage", "Hugo", Foreign::Extra),
    fk("subtitle", "Hugo themes", Foreign::Extra),
    fk("comments", "Hugo themes, Jekyll", Foreign::Extra),
    fk("taxonomies", "Zola", Foreign::Extra),
    fk("in_search_index", "Zola", Foreign::Extra),
    fk("render", "Zola", Foreign::Extra),
];

/// The entry for a key another tool defines, if `key` is one.
pub(super) fn foreign(key: &str) -> Option<&'static ForeignKey> {
    FOREIGN_KEYS
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(key))
}

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

/// A warning for each top-level key written again, at the line that repeats it: the later
/// value is the one kept, as in Hugo.
pub(super) fn duplicates(
    source: &Arc<SourceFile>,
    index: &KeyIndex<'_>,
    keys: &[String],
) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for key in keys {
        let n = seen.entry(key).or_insert(0);
        *n += 1;
        let n = *n;
        let Some(span) = index.key_nth(key, n) else {
            continue;
        };
        let first = index.key_nth(key, 0).map(|s| source.line_col(s.start).0);
        let label = first.map_or_else(
            || "written again here".to_string(),
            |line| format!("already written on line {line}"),
        );
        out.push(
            Diagnostic::warning(
                "front-matter-duplicate",
                format!("`{key}` is written twice"),
            )
            .at(source, span, label)
            .help("this later value is the one kept; remove the other line"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the README's table says a foreign key becomes.
    fn in_presswerk(to: Foreign) -> String {
        match to {
            Foreign::As(key) => format!("`{key}`"),
            Foreign::Byline => "a byline (see [Bylines](#bylines))".to_string(),
            Foreign::Alias => "an alias: the old address redirects to the page".to_string(),
            Foreign::Unpublished => "`false` is `draft: true`".to_string(),
            Foreign::Extra => "`extra`".to_string(),
        }
    }

    #[test]
    fn the_readme_prints_this_table() {
        let readme = include_str!("../../../README.md");
        let start = readme
            .find("| key | from | in presswerk |")
            .expect("the README has the table of other generators' keys");
        let rows: Vec<&str> = readme[start..]
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .collect();
        let ours: Vec<String> = FOREIGN_KEYS
            .iter()
            .map(|f| format!("| `{}` | {} | {} |", f.name, f.tools, in_presswerk(f.to)))
            .collect();
        assert_eq!(rows, ours);
    }

    #[test]
    fn no_foreign_key_is_a_presswerk_key() {
        for kind in [Kind::Page, Kind::Section, Kind::Author, Kind::Edition] {
            for f in FOREIGN_KEYS {
                assert!(
                    !kind.known_keys().any(|k| k.eq_ignore_ascii_case(f.name)),
                    "{}",
                    f.name
                );
            }
        }
    }
}
