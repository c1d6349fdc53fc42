//! The rules a `site.toml` must follow, one function per rule, in the order their problems
//! are reported. Separate from the types so that `config.rs` reads as the list of settings and
//! their defaults, and each rule here finds its own span.

use std::sync::Arc;

use super::{
    Editions, KNOWN_KEYS, KNOWN_SECTIONS_CLASH, LANGUAGES, Overrides, RawConfig, Taxonomy,
};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::source::{SourceFile, Span};

/// The TOML of `site.toml` as settings, after reporting its unknown top-level keys; `None`
/// when it is no TOML or misses a required key.
pub(super) fn read(source: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<RawConfig> {
    let text = source.text.as_str();
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(toml_error(source, &e, "invalid TOML in site.toml"));
            return None;
        }
    };
    for key in table.keys() {
        if !KNOWN_KEYS.contains(&key.as_str()) {
            diags.push(unknown_key(source, key));
        }
    }
    match toml::from_str(text) {
        Ok(r) => Some(r),
        Err(e) => {
            let mut d = toml_error(source, &e, "invalid site.toml");
            if e.message().contains("missing field") {
                d = d.help("site.toml needs at least `title` and `base_url`, e.g. base_url = \"https://newsletter.example.org\"");
            }
            diags.push(d);
            None
        }
    }
}

fn unknown_key(source: &Arc<SourceFile>, key: &str) -> Diagnostic {
    let span = key_span(&source.text, key).unwrap_or(0..0);
    let help = match did_you_mean(key, KNOWN_KEYS.iter().copied()) {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("known keys: {}", KNOWN_KEYS.join(", ")),
    };
    Diagnostic::error(
        "config-unknown-key",
        format!("unknown key `{key}` in site.toml"),
    )
    .at(source, span, "not a site.toml key")
    .help(help)
}

fn span_of(source: &SourceFile, key: &str) -> Span {
    key_span(&source.text, key).unwrap_or(0..0)
}

/// The base URL without a trailing slash (`--base-url` wins over `site.toml`).
pub(super) fn base_url(
    source: &Arc<SourceFile>,
    overrides: &Overrides,
    written: &str,
    diags: &mut Diagnostics,
) -> String {
    let base_url = overrides
        .base_url
        .as_deref()
        .unwrap_or(written)
        .trim_end_matches('/')
        .to_string();
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        let d = Diagnostic::error(
            "config-base-url",
            format!("base_url `{base_url}` is not an absolute http(s) URL"),
        )
        .help("write it with its scheme, e.g. https://newsletter.example.org");
        diags.push(if overrides.base_url.is_some() {
            d.in_file("--base-url")
        } else {
            d.at(
                source,
                span_of(source, "base_url"),
                "needs http:// or https://",
            )
        });
    }
    base_url
}

pub(super) fn language(source: &Arc<SourceFile>, raw: &RawConfig, diags: &mut Diagnostics) {
    if !LANGUAGES.contains(&raw.language.as_str()) {
        diags.push(
            Diagnostic::error(
                "config-language",
                format!("unsupported language `{}`", raw.language),
            )
            .at(
                source,
                span_of(source, "language"),
                "not a supported language",
            )
            .help(format!("supported: {}", LANGUAGES.join(", "))),
        );
    }
}

/// The site's time zone (UTC, with an error, when the name is unknown).
pub(super) fn timezone(
    source: &Arc<SourceFile>,
    raw: &RawConfig,
    diags: &mut Diagnostics,
) -> jiff::tz::TimeZone {
    match jiff::tz::TimeZone::get(&raw.timezone) {
        Ok(tz) => tz,
        Err(_) => {
            diags.push(
                Diagnostic::error(
                    "config-timezone",
                    format!("unknown time zone `{}`", raw.timezone),
                )
                .at(
                    source,
                    span_of(source, "timezone"),
                    "not an IANA time zone name",
                )
                .help("use a name like Europe/Berlin or UTC"),
            );
            jiff::tz::TimeZone::UTC
        }
    }
}

pub(super) fn authors_section(source: &Arc<SourceFile>, raw: &RawConfig, diags: &mut Diagnostics) {
    if raw.authors_section.is_empty()
        || raw.authors_section.contains(['/', '\\'])
        || raw.authors_section.starts_with('.')
    {
        diags.push(
            Diagnostic::error(
                "config-authors-section",
                "authors_section must be one folder name under content/",
            )
            .at(
                source,
                span_of(source, "authors_section"),
                "not a plain folder name",
            )
            .help("e.g. authors_section = \"autoren\""),
        );
    }
}

/// `[editions]`: its folder and its sender.
pub(super) fn editions(
    source: &Arc<SourceFile>,
    raw: &RawConfig,
    ed: &Editions,
    diags: &mut Diagnostics,
) {
    let text = source.text.as_str();
    if ed.section.is_empty()
        || ed.section.contains(['/', '\\'])
        || ed.section.starts_with('.')
        || ed.section == raw.authors_section
    {
        diags.push(
            Diagnostic::error(
                "config-editions",
                "editions.section must be one folder name under content/, not the authors' folder",
            )
            .at(source, table_span(text, "editions"), "in this table")
            .help("e.g. section = \"ausgaben\""),
        );
    }
    if let Some(from) = &ed.from
        && crate::text::mailbox::parse_mailbox(from).is_none()
    {
        diags.push(
            Diagnostic::error(
                "config-editions",
                format!("editions.from `{from}` is not a mail address"),
            )
            .at(source, table_span(text, "editions"), "in this table")
            .help("e.g. from = \"iTeam Newsletter <newsletter@iteam.example>\""),
        );
    }
    // Every e-mail links it: a `javascript:` one would run in mail clients that allow it.
    let url = &ed.unsubscribe_url;
    if let Some(scheme) = crate::text::scheme::refused(url) {
        let span = text
            .find(url.as_str())
            .map_or_else(|| table_span(text, "editions"), |i| i..i + url.len());
        diags.push(
            Diagnostic::error(
                "config-url",
                format!("editions.unsubscribe_url links to a `{scheme}:` URL"),
            )
            .at(source, span, "this scheme may not become a link")
            .help(format!(
                "{}, or your mailing tool's placeholder",
                crate::text::scheme::HINT
            )),
        );
    }
}

/// `[[taxonomies]]`: names that work as URL folders, each declared once.
pub(super) fn taxonomies(
    source: &Arc<SourceFile>,
    taxonomies: &[Taxonomy],
    diags: &mut Diagnostics,
) {
    let text = source.text.as_str();
    let mut seen_taxonomies: Vec<&str> = Vec::new();
    for t in taxonomies {
        let span = text
            .find(&format!("\"{}\"", t.name))
            .map_or(0..0, |i| i..i + t.name.len() + 2);
        let slug = crate::text::slug::slugify(&t.name);
        if slug != t.name || KNOWN_SECTIONS_CLASH.contains(&t.name.as_str()) {
            diags.push(
                Diagnostic::error(
                    "config-taxonomy",
                    format!("taxonomy name `{}` cannot be a URL folder", t.name),
                )
                .at(
                    source,
                    span.clone(),
                    "use lowercase letters, digits and dashes",
                )
                .help(format!(
                    "e.g. name = \"{}\"",
                    if slug.is_empty() { "tags" } else { &slug }
                )),
            );
        }
        if seen_taxonomies.contains(&t.name.as_str()) {
            diags.push(
                Diagnostic::error(
                    "config-taxonomy",
                    format!("taxonomy `{}` is declared twice", t.name),
                )
                .at(source, span.clone(), "second declaration")
                .help("remove one of the [[taxonomies]] entries"),
            );
        }
        if t.paginate_by == Some(0) {
            diags.push(
                Diagnostic::error("config-taxonomy", "paginate_by must be at least 1")
                    .at(source, span, "in this taxonomy")
                    .help("leave it out to list every article on one page"),
            );
        }
        seen_taxonomies.push(&t.name);
    }
}

pub(super) fn author_paginate_by(
    source: &Arc<SourceFile>,
    raw: &RawConfig,
    diags: &mut Diagnostics,
) {
    if raw.author_paginate_by == 0 {
        diags.push(
            Diagnostic::error("config-paginate", "author_paginate_by must be at least 1")
                .at(
                    source,
                    span_of(source, "author_paginate_by"),
                    "zero articles per page",
                )
                .help("e.g. author_paginate_by = 10"),
        );
    }
}

pub(super) fn theme(source: &Arc<SourceFile>, raw: &RawConfig, diags: &mut Diagnostics) {
    if let Some(theme) = &raw.theme
        && (theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.'))
    {
        diags.push(
            Diagnostic::error(
                "config-theme",
                format!("theme `{theme}` is not a folder name"),
            )
            .at(
                source,
                span_of(source, "theme"),
                "expected the name of a folder in themes/",
            )
            .help("e.g. theme = \"kontor\""),
        );
    }
}

fn toml_error(source: &Arc<SourceFile>, e: &toml::de::Error, title: &str) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    Diagnostic::error("config-syntax", title)
        .at(source, span, e.message().trim().to_string())
        .help("see the site.toml reference in the README")
}

/// Span of a `[name]` table header, or the file start.
pub(super) fn table_span(text: &str, name: &str) -> Span {
    let header = format!("[{name}]");
    text.find(&header).map_or(0..0, |i| i..i + header.len())
}

/// Span of the value of a top-level `key = value` line (before the first table header).
pub(crate) fn key_span(text: &str, key: &str) -> Option<Span> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            return None;
        }
        let indent = line.len() - trimmed.len();
        let bare = trimmed.strip_prefix(key).or_else(|| {
            trimmed
                .strip_prefix('"')
                .and_then(|t| t.strip_prefix(key))
                .and_then(|t| t.strip_prefix('"'))
        });
        if let Some(rest) = bare {
            let after = rest.trim_start();
            if after.starts_with('=') {
                let start = offset + indent;
                let end = offset + line.trim_end().len();
                return Some(start..end);
            }
        }
        offset += line.len();
    }
    None
}

/// Span of the `key = …` line inside the `[table]` table, else of the table's header, else
/// the file start.
pub(crate) fn key_span_in(text: &str, table: &str, key: &str) -> Span {
    let head = format!("[{table}]");
    let Some(start) = text.find(&head) else {
        return 0..0;
    };
    let header = start..start + head.len();
    let mut offset = header.end;
    for line in text[header.end..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            break;
        }
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let at = offset + (line.len() - trimmed.len());
            return at..offset + line.trim_end().len();
        }
        offset += line.len();
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_inside_a_table_is_found_on_its_line() {
        let text = "title = \"x\"\nname = 1\n[publisher]\nname = \"\"\n  legal_form = \"\"\n[menu]\ncity = 1\n";
        let span = key_span_in(text, "publisher", "legal_form");
        assert_eq!(&text[span], "legal_form = \"\"");
        assert_eq!(&text[key_span_in(text, "publisher", "name")], "name = \"\"");
        // Not in the table: its header; no table: the start.
        assert_eq!(&text[key_span_in(text, "publisher", "city")], "[publisher]");
        assert_eq!(key_span_in(text, "editions", "subject"), 0..0);
    }
}
