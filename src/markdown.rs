//! Markdown → HTML with pulldown-cmark: heading ids, table of contents, word count and
//! language-aware typography.

use std::collections::HashSet;

use pulldown_cmark::{
    CowStr, Event, HeadingLevel, Options as CmarkOptions, Parser, Tag, TagEnd, html,
};
use serde::Serialize;

use crate::content::slug::slugify;

/// The marker that ends an article's summary.
pub const MORE_MARKER: &str = "<!-- more -->";

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Typographic quotes the German way: „…“ and ‚…‘ instead of “…” and ‘…’.
    pub german_quotes: bool,
}

/// One heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 1 for `#`, 2 for `##`, …
    pub level: u8,
    /// The heading's `id`, unique in the page.
    pub id: String,
    /// The heading's text.
    pub title: String,
    /// Headings nested below this one.
    pub children: Vec<TocEntry>,
}

/// A rendered Markdown document.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Headings, nested by level.
    pub toc: Vec<TocEntry>,
    /// Words of running text (code excluded).
    pub word_count: usize,
}

fn cmark_options() -> CmarkOptions {
    CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_SMART_PUNCTUATION
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `markdown` to HTML.
pub fn render(markdown: &str, opts: Options) -> Rendered {
    let parser = Parser::new_ext(markdown, cmark_options()).into_offset_iter();
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    let mut heading_start: Option<usize> = None;
    let mut heading_text = String::new();
    let mut in_code_block = false;
    let mut open_single = 0u32;
    let mut word_count = 0;

    for (event, range) in parser {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(events.len());
                heading_text.clear();
                events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(i) = heading_start.take()
                    && let Event::Start(Tag::Heading {
                        id, classes, attrs, ..
                    }) = &events[i]
                {
                    let base = match id {
                        Some(id) => id.to_string(),
                        None => slugify(&heading_text),
                    };
                    let id = unique_id(&base, &mut used_ids);
                    headings.push((
                        heading_level(level),
                        id.clone(),
                        heading_text.trim().to_string(),
                    ));
                    events[i] = Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(id)),
                        classes: classes.clone(),
                        attrs: attrs.clone(),
                    });
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                events.push(event);
            }
            Event::Text(text) => {
                let text = if in_code_block {
                    text
                } else {
                    word_count += text.split_whitespace().count();
                    // Smart punctuation turns a typed `"` or `'` into its own Text event of
                    // one curly quote; a quote the author typed as „ or “ comes with its
                    // source text and is left exactly as written.
                    let typed = &markdown[range.clone()];
                    if opts.german_quotes && (typed == "\"" || typed == "'") {
                        german_quote(text, &markdown[range.end..], &mut open_single)
                    } else {
                        text
                    }
                };
                if heading_start.is_some() {
                    heading_text.push_str(&text);
                }
                events.push(Event::Text(text));
            }
            Event::Code(code) => {
                if heading_start.is_some() {
                    heading_text.push_str(&code);
                }
                events.push(Event::Code(code));
            }
            other => events.push(other),
        }
    }

    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Rendered {
        html: out,
        toc: nest(headings),
        word_count,
    }
}

/// Maps one smart quote to its German form. `after` is the source following the quote,
/// used to tell a closing single quote from an apostrophe ("geht's").
fn german_quote<'a>(text: CowStr<'a>, after: &str, open_single: &mut u32) -> CowStr<'a> {
    let mapped = match &*text {
        "\u{201c}" => "\u{201e}", // “ opening → „
        "\u{201d}" => "\u{201c}", // ” closing → “
        "\u{2018}" => {
            *open_single += 1;
            "\u{201a}" // ‘ opening → ‚
        }
        "\u{2019}" => {
            let next_is_letter = after.chars().next().is_some_and(char::is_alphanumeric);
            if *open_single > 0 && !next_is_letter {
                *open_single -= 1;
                "\u{2018}" // ’ closing → ‘
            } else {
                return text; // an apostrophe stays ’
            }
        }
        _ => return text,
    };
    CowStr::Borrowed(mapped)
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let base = if base.is_empty() { "abschnitt" } else { base };
    let mut id = base.to_string();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

/// Nests a flat list of headings by level: a heading holds the deeper ones that follow it.
fn nest(flat: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    fn take(
        flat: &mut std::iter::Peekable<std::vec::IntoIter<(u8, String, String)>>,
        level: u8,
    ) -> Vec<TocEntry> {
        let mut out = Vec::new();
        while let Some((l, _, _)) = flat.peek() {
            if *l < level {
                break;
            }
            let Some((l, id, title)) = flat.next() else {
                break;
            };
            let children = take(flat, l + 1);
            out.push(TocEntry {
                level: l,
                id,
                title,
                children,
            });
        }
        out
    }
    let min = flat.iter().map(|h| h.0).min().unwrap_or(1);
    take(&mut flat.into_iter().peekable(), min)
}

/// Splits a body at the summary marker: `Some(before)` when the marker is present.
pub fn summary_part(body: &str) -> Option<&str> {
    body.find(MORE_MARKER).map(|i| &body[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn de(md: &str) -> String {
        render(
            md,
            Options {
                german_quotes: true,
            },
        )
        .html
    }

    #[test]
    fn german_quotes_and_apostrophes() {
        assert_eq!(
            de("Er sagt \"Hallo\" und 'tschüss'.\n"),
            "<p>Er sagt „Hallo“ und ‚tschüss‘.</p>\n"
        );
        assert_eq!(de("Wie geht's?\n"), "<p>Wie geht’s?</p>\n");
        // Quotes typed as „…“ stay exactly as written.
        assert_eq!(
            de("„Noch enger zusammenrücken“\n"),
            "<p>„Noch enger zusammenrücken“</p>\n"
        );
        assert_eq!(render("\"Hi\"\n", Options::default()).html, "<p>“Hi”</p>\n");
        // Nothing changes inside code.
        assert_eq!(de("`\"x\"`\n"), "<p><code>\"x\"</code></p>\n");
    }

    #[test]
    fn heading_ids_are_unique_german_slugs_and_nest_into_a_toc() {
        let r = render(
            "# Über uns\n\n## Köln\n\n## Köln\n\n### Straße {#eigene}\n\n## Bonn\n",
            Options::default(),
        );
        assert!(r.html.contains("<h1 id=\"ueber-uns\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"koeln\">"));
        assert!(r.html.contains("<h2 id=\"koeln-1\">"));
        assert!(r.html.contains("<h3 id=\"eigene\">"));
        assert_eq!(r.toc.len(), 1);
        let h1 = &r.toc[0];
        assert_eq!(
            h1.children
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            ["koeln", "koeln-1", "bonn"]
        );
        assert_eq!(h1.children[1].children[0].title, "Straße");
    }

    #[test]
    fn extensions_are_on() {
        let html = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~weg~~ [^1]\n\n- [x] erledigt\n\n[^1]: Fußnote\n",
            Options::default(),
        )
        .html;
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>weg</del>"));
        assert!(html.contains("footnote-definition"));
        assert!(html.contains("checkbox"));
    }

    #[test]
    fn words_are_counted_outside_code() {
        let r = render(
            "Eins zwei drei.\n\n```\nnicht gezählt\n```\n",
            Options::default(),
        );
        assert_eq!(r.word_count, 3);
    }

    #[test]
    fn summary_marker() {
        assert_eq!(summary_part("A\n\n<!-- more -->\n\nB"), Some("A\n\n"));
        assert_eq!(summary_part("A"), None);
    }
}
