//! Markdown → HTML with pulldown-cmark: heading ids, table of contents, word count,
//! language-aware typography, internal `@/` links and shortcodes.
//!
//! This file holds the types, the parser options (the one place they are chosen) and the
//! entry points; `walk` rewrites the event stream and gathers headings, words and links;
//! `shortcodes` expands `{{ … }}` and `{% … %}` calls before parsing; before that, `hugo`
//! translates Hugo's and Jekyll's calls into presswerk's; `schemes` says which link
//! targets a page may have.

pub(crate) mod hugo;
mod placeholders;
mod schemes;
pub(crate) mod shortcodes;
mod walk;

use std::ops::Range;

use pulldown_cmark::{Options as CmarkOptions, Parser};
use serde::Serialize;

/// The marker that ends an article's summary.
pub(crate) const MORE_MARKER: &str = "<!-- more -->";

/// What rendered Markdown depends on besides its own text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Depends {
    /// It has `@/` links: the targets' permalinks.
    pub links: bool,
    /// It calls shortcodes: their templates.
    pub shortcodes: bool,
    /// It has images: their files (processed into variants, see [`crate::images`]).
    pub images: bool,
}

impl Depends {
    /// Looks at a Markdown text (conservatively: any `@/`, `{{` or `{%`).
    pub fn of(text: &str) -> Depends {
        let shortcodes = text.contains("{{") || text.contains("{%");
        // A foreign `ref` or `{% link %}` becomes an `@/` link when it is translated.
        Depends {
            links: text.contains("@/") || shortcodes,
            shortcodes,
            images: (text.contains("![") || shortcodes) && names_a_picture(text),
        }
    }
}

/// Whether `text` names a file that presswerk processes into pictures (conservatively: any
/// `.jpg`, `.jpeg`, `.png` or `.webp` in it, in any case).
/// Runs over every document of every build: it looks only after each `.`, allocating nothing.
fn names_a_picture(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'.', bytes).any(|at| {
        let ext = bytes.get(at + 1..at + 4).unwrap_or_default();
        [b"jpg", b"png", b"jpe", b"web"]
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(*e))
    })
}

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Typographic quotes the German way: „…“ and ‚…‘ instead of “…” and ‘…’.
    pub german_quotes: bool,
    /// The language whose dashes a spaced hyphen between words becomes (`de`: " – ",
    /// `en`: "—"), see [`crate::text::typography`].
    pub dashes: Option<&'static str>,
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
    /// The HTML before `<!-- more -->`, when the marker stands between blocks.
    pub summary: Option<String>,
    /// Headings, nested by level.
    pub toc: Vec<TocEntry>,
    /// Words of running text (code excluded).
    pub word_count: usize,
    /// `@/path.md#anchor` links, for checking the anchors once every page is rendered:
    /// (content path, anchor, span in the Markdown).
    pub anchor_links: Vec<(String, String, Range<usize>)>,
    /// Problems found (broken links, shortcode errors), with spans in the Markdown.
    pub problems: Vec<Problem>,
}

/// A problem in the Markdown, located by a byte span of the text given to [`render_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Stable diagnostic code.
    pub code: &'static str,
    /// Where.
    pub span: Range<usize>,
    /// What.
    pub message: String,
    /// Label at the caret.
    pub label: String,
    /// What to do.
    pub help: String,
    /// A warning (the page still builds) rather than an error.
    pub warning: bool,
}

impl Problem {
    pub(crate) fn error(
        code: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Problem {
            code,
            span,
            message: message.into(),
            label: label.into(),
            help: help.into(),
            warning: false,
        }
    }

    pub(crate) fn warning(
        code: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Problem {
            warning: true,
            ..Problem::error(code, span, message, label, help)
        }
    }
}

/// What rendering may look up outside the document.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a> {
    /// Resolves a content path (`artikel/x.md`) to its permalink.
    pub links: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Candidate content paths, for "did you mean" on broken links.
    pub link_names: &'a (dyn Fn() -> Vec<String> + Sync),
    /// Shortcode templates, if any.
    pub shortcodes: Option<&'a dyn shortcodes::Shortcodes>,
    /// Values for Hugo's `{{< param "key" >}}`: the document's front matter, the site's.
    pub params: hugo::Params<'a>,
    /// Shows a local image as processed pictures, if the site processes them.
    pub images: Option<&'a (dyn Fn(&ImageRef) -> Shown + Sync)>,
}

/// A Markdown image `![alt](dest "title")` with a local destination.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ImageRef<'s> {
    pub dest: &'s str,
    pub alt: &'s str,
    pub title: &'s str,
    /// Where the image is, in the Markdown given to [`render_with`].
    pub span: &'s Range<usize>,
}

/// How an image is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shown {
    /// As written: `<img src="dest">` (not a picture the site processes; the link check
    /// reports a missing file).
    AsWritten,
    /// As this markup: inline (`<picture>`), and alone in its paragraph (a `<figure>`).
    Markup { inline: String, figure: String },
    /// As written, with this error at the image: message, label, help.
    Failed {
        message: String,
        label: String,
        help: String,
    },
}

impl Context<'static> {
    /// No links, no shortcodes.
    pub(crate) fn none() -> Self {
        Context {
            links: &|_| None,
            link_names: &Vec::new,
            shortcodes: None,
            params: &|_| None,
            images: None,
        }
    }
}

/// The pulldown-cmark extensions presswerk's Markdown has: tables, footnotes,
/// strikethrough, task lists, smart punctuation and `{#id}` heading attributes. The one
/// place they are chosen, so that every reader of a body (rendering, `check`) sees the
/// same structure.
pub(crate) fn parser_options() -> CmarkOptions {
    CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_SMART_PUNCTUATION
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES
}

/// A pulldown-cmark parser over `text` with presswerk's options, with source offsets.
pub(crate) fn parse(text: &str) -> pulldown_cmark::OffsetIter<'_> {
    Parser::new_ext(text, parser_options()).into_offset_iter()
}

/// Renders `markdown` to HTML without links or shortcodes.
pub fn render(markdown: &str, opts: Options) -> Rendered {
    render_with(markdown, opts, Context::none())
}

/// Renders `markdown` to HTML, resolving `@/` links and expanding shortcodes. Foreign
/// shortcodes (Hugo's, Jekyll's) are translated first; every problem's span is in
/// `markdown` as written.
pub(crate) fn render_with(markdown: &str, opts: Options, ctx: Context<'_>) -> Rendered {
    render_document(markdown, opts, ctx, true)
}

/// `markdown` with each carriage return that no line feed follows made a line feed, if it
/// has any. CommonMark ends a line at a lone CR as at LF, but pulldown-cmark keeps one inside
/// an ATX heading, where the text after it is read differently (an entity there came out
/// escaped twice; found by fuzz/ markdown). One byte for one: every offset stays.
fn lone_carriage_returns_as_line_feeds(markdown: &str) -> Option<String> {
    if !markdown.contains('\r') {
        return None;
    }
    let bytes = markdown.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return None;
    }
    let fixed: Vec<u8> = (0..bytes.len())
        .map(|i| if lone(i) { b'\n' } else { bytes[i] })
        .collect();
    String::from_utf8(fixed).ok()
}

/// [`render_with`]; `heading_ids`: whether headings get ids and contents entries. The body
/// of a shortcode call is rendered apart from its page: ids given there could repeat the
/// page's own, and its headings are the shortcode's, not the page's sections, so they get
/// neither (found by fuzz/ markdown).
fn render_document(markdown: &str, opts: Options, ctx: Context<'_>, heading_ids: bool) -> Rendered {
    let normalized = lone_carriage_returns_as_line_feeds(markdown);
    let markdown = normalized.as_deref().unwrap_or(markdown);
    let translated = hugo::needed(markdown).then(|| hugo::translate_with(markdown, ctx.params));
    let source = translated.as_ref().map_or(markdown, |t| t.text.as_str());
    let mut problems = Vec::new();
    let expanded = ctx.shortcodes.and_then(|sc| {
        let body = |b: &str| {
            let ctx = Context {
                shortcodes: None,
                ..ctx
            };
            render_document(b, opts, ctx, false).html
        };
        shortcodes::expand(source, sc, &body, &mut problems)
    });
    let origin = walk::Origin {
        expand: None,
        translate: translated.as_ref().map(|t| &t.offsets),
    };
    for p in &mut problems {
        // The last byte is mapped, not the end: the end of a span can be where translated
        // text follows. An empty span (a call cut off at the end of the text) stays empty.
        p.span = if p.span.is_empty() {
            let at = origin.original(p.span.start);
            at..at
        } else {
            origin.original(p.span.start)..origin.original(p.span.end - 1) + 1
        };
    }
    if let Some(t) = &translated {
        problems.extend(t.warnings.iter().cloned());
    }
    let (text, blocks) = match &expanded {
        Some(e) => (e.text.as_str(), e.html.as_slice()),
        None => (source, &[][..]),
    };
    let origin = walk::Origin {
        expand: expanded.as_ref().map(|e| &e.map),
        ..origin
    };
    let mut walk = walk::Walk::new(markdown, origin, opts, ctx, problems);
    walk.heading_ids = heading_ids;
    for (event, range) in parse(text) {
        walk.event(event, range);
    }
    without_nul(walk.finish(text.len(), blocks))
}

/// CommonMark replaces U+0000 with U+FFFD; pulldown-cmark passes it through in text, and a
/// NUL in HTML is a parse error to every browser (found by fuzzing: `fuzz/`, markdown).
fn without_nul(mut r: Rendered) -> Rendered {
    fn clean(s: &mut String) {
        if s.contains('\0') {
            *s = s.replace('\0', "\u{FFFD}");
        }
    }
    clean(&mut r.html);
    if let Some(summary) = &mut r.summary {
        clean(summary);
    }
    fn clean_toc(toc: &mut [TocEntry]) {
        for e in toc {
            // The id too: the contents link to the id the HTML has.
            clean(&mut e.id);
            clean(&mut e.title);
            clean_toc(&mut e.children);
        }
    }
    clean_toc(&mut r.toc);
    r
}

/// Splits a body at the summary marker: `Some(before)` when the marker is present.
pub(crate) fn summary_part(body: &str) -> Option<&str> {
    body.find(MORE_MARKER).map(|i| &body[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_is_named_by_its_extension_in_any_case() {
        for text in ["![a](x.jpg)", "![a](X.JPEG)", "![a](b.Png)", "![a](c.webp)"] {
            assert!(names_a_picture(text), "{text}");
        }
        for text in ["![a](x.svg)", "Ende.", "a.jp", "![a](x.gif)"] {
            assert!(!names_a_picture(text), "{text}");
        }
    }

    #[test]
    fn fuzz_markdown_a_lone_carriage_return_ends_a_line() {
        let html = render("# Titel\r&#123; Text\r\rAbsatz\r\n", Options::default()).html;
        assert_eq!(
            html,
            "<h1 id=\"titel\">Titel</h1>\n<p>{ Text</p>\n<p>Absatz</p>\n"
        );
    }

    #[test]
    fn fuzz_markdown_nul_bytes_become_replacement_characters() {
        let r = render(
            "# A\0B\n\nText \0 ![x](a.\0) `c\0`\n\n<!-- more -->\n\nRest\0\n",
            Options::default(),
        );
        assert!(!r.html.contains('\0'), "{:?}", r.html);
        assert!(r.html.contains("Text \u{FFFD}"), "{:?}", r.html);
        assert!(!r.summary.as_deref().unwrap_or_default().contains('\0'));
        assert_eq!(r.toc[0].title, "A\u{FFFD}B");
    }

    #[test]
    fn fuzz_markdown_heading_attributes_that_are_no_attribute_names_are_dropped() {
        let html = render(
            "# Plan {#plan data-x=1 a/b=2 \u{fffd}/#q=3 lang=de}\n",
            Options::default(),
        )
        .html;
        assert_eq!(
            html, "<h1 id=\"plan\" data-x=\"1\" lang=\"de\">Plan</h1>\n",
            "{html:?}"
        );
    }

    #[test]
    fn fuzz_markdown_a_heading_attribute_is_written_once() {
        let html = render("# T {#t r=1 R=2 id=x class=y r=3}\n", Options::default()).html;
        assert_eq!(html, "<h1 id=\"t\" r=\"1\">T</h1>\n", "{html:?}");
    }

    #[test]
    fn fuzz_markdown_an_id_with_a_nul_is_the_same_in_the_html_and_the_contents() {
        let r = render("# Plan {#p\0lan}\n", Options::default());
        assert_eq!(r.toc[0].id, "p\u{FFFD}lan");
        assert!(r.html.contains("id=\"p\u{FFFD}lan\""), "{:?}", r.html);
    }

    fn de(md: &str) -> String {
        render(
            md,
            Options {
                german_quotes: true,
                dashes: Some("de"),
            },
        )
        .html
    }

    #[test]
    fn spaced_hyphens_become_dashes_outside_code() {
        assert_eq!(
            de("Offen - ja - fast `a - b`\n\n    x - y\n"),
            "<p>Offen – ja – fast <code>a - b</code></p>\n<pre><code>x - y\n</code></pre>\n"
        );
        let en = Options {
            dashes: Some("en"),
            ..Options::default()
        };
        assert_eq!(render("open - yes\n", en).html, "<p>open—yes</p>\n");
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
    fn many_equal_headings_count_up_and_skip_ids_taken_otherwise() {
        // `gleich-2` is taken by a heading of its own before the third `gleich` comes.
        let mut text = String::from("## Gleich\n\n## Gleich\n\n## Gleich 2\n\n");
        for _ in 0..10_000 {
            text.push_str("## Gleich\n\n");
        }
        let r = render(&text, Options::default());
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids[..5],
            ["gleich", "gleich-1", "gleich-2", "gleich-3", "gleich-4"]
        );
        assert_eq!(ids.len(), 10_003);
        assert_eq!(ids.last(), Some(&"gleich-10002"));
        let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len());
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

    #[test]
    fn links_with_refused_schemes_lose_their_href_and_keep_their_text() {
        let md = "[klick](javascript:alert(1)) und [gut](https://example.org)\n\n![Bild](data:image/svg+xml,x) ![ok](data:image/png;base64,AA)\n\n[ref][r]\n\n[r]: <vbscript:x>\n";
        let r = render(md, Options::default());
        assert_eq!(
            r.html,
            "<p>klick und <a href=\"https://example.org\">gut</a></p>\n<p>Bild <img src=\"data:image/png;base64,AA\" alt=\"ok\" /></p>\n<p>ref</p>\n"
        );
        let found: Vec<(&str, &str, bool)> = r
            .problems
            .iter()
            .map(|p| (p.message.as_str(), &md[p.span.clone()], p.warning))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "link to `javascript:` removed",
                    "[klick](javascript:alert(1))",
                    true
                ),
                (
                    "image to `data:` removed",
                    "![Bild](data:image/svg+xml,x)",
                    true
                ),
                ("link to `vbscript:` removed", "[ref][r]", true),
            ]
        );
    }

    #[test]
    fn raw_html_with_refused_schemes_is_kept_and_reported() {
        let md =
            "Text <a href=\"javascript:x\">a</a>\n\n<div>\n<a\nhref=\"file:///c\">b</a>\n</div>\n";
        let r = render(md, Options::default());
        assert!(r.html.contains("href=\"javascript:x\""), "{}", r.html);
        let found: Vec<&str> = r.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            found,
            [
                "raw HTML links to `javascript:`",
                "raw HTML links to `file:`"
            ]
        );
    }

    #[test]
    fn foreign_shortcodes_are_translated_and_warnings_point_into_the_text() {
        let md = "Zeile\n\n[a]({{< ref \"x.md\" >}}) {{< weg >}} `{{< code >}}`\n";
        let r = render_with(
            md,
            Options::default(),
            Context {
                links: &|p| (p == "x.md").then(|| "https://s/x/".to_string()),
                ..Context::none()
            },
        );
        assert_eq!(
            r.html,
            "<p>Zeile</p>\n<p><a href=\"https://s/x/\">a</a>  <code>{{&lt; code &gt;}}</code></p>\n"
        );
        assert_eq!(r.problems.len(), 1);
        assert_eq!(&md[r.problems[0].span.clone()], "weg");
    }
}
