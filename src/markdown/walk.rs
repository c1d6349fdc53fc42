//! The pass over pulldown-cmark's events that turns them into presswerk's HTML: heading ids
//! (unique, `{#id}` or slug) and the table of contents, `@/` links resolved to permalinks,
//! typed quotes made German, words counted and the summary marker found. Separate from the
//! entry points so that the per-event rules read one at a time.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd, html};

use super::{
    Context, ImageRef, MORE_MARKER, Options, Problem, Rendered, Shown, TocEntry, placeholders,
    schemes, shortcodes,
};
use crate::text::slug::slugify;

/// Where the text walked came from: shortcodes expanded (`expand`) in a text that was
/// translated from foreign shortcodes (`translate`); either may not have happened.
#[derive(Clone, Copy, Default)]
pub(super) struct Origin<'a> {
    pub(super) expand: Option<&'a shortcodes::OffsetMap>,
    pub(super) translate: Option<&'a shortcodes::OffsetMap>,
}

impl Origin<'_> {
    fn is_identity(&self) -> bool {
        self.expand.is_none() && self.translate.is_none()
    }

    /// The offset in the Markdown as written of offset `p` of the text walked.
    pub(super) fn original(&self, p: usize) -> usize {
        let p = self.expand.map_or(p, |m| m.original(p));
        self.translate.map_or(p, |m| m.original(p))
    }
}

/// One pass over the events of a document: the events as they go to the HTML writer (heading
/// ids filled in, `@/` links resolved, German quotes), and what is gathered on the way.
pub(super) struct Walk<'a, 'c> {
    /// The Markdown as written (before shortcode expansion).
    markdown: &'a str,
    /// Offsets of the text walked → offsets of `markdown`.
    map: Origin<'a>,
    opts: Options,
    ctx: Context<'c>,
    events: Vec<Event<'a>>,
    used_ids: HeadingIds,
    /// Whether headings get ids and contents entries (not in a shortcode's body).
    pub(super) heading_ids: bool,
    headings: Vec<(u8, String, String)>,
    /// The index in `events` of the open heading's start.
    heading_start: Option<usize>,
    heading_text: String,
    in_code_block: bool,
    /// Single quotes opened and not yet closed (to tell a closing quote from an apostrophe).
    open_single: u32,
    word_count: usize,
    /// Block nesting depth, to find a summary marker between blocks.
    depth: usize,
    summary_at: Option<usize>,
    anchor_links: Vec<(String, String, Range<usize>)>,
    problems: Vec<Problem>,
    /// For each open link or image, whether its start was dropped (a refused scheme), so
    /// its end is dropped too.
    stripped: Vec<bool>,
    /// The open HTML block's span and text so far, read for refused URLs when it ends.
    html_block: Option<(Range<usize>, String)>,
    /// The open local image that the site shows as processed pictures: the index of its
    /// start in `events`, its span, destination and title.
    image: Option<OpenImage>,
    /// The index in `events` of the open paragraph's start.
    paragraph: Option<usize>,
    /// The last image shown as markup: its index in `events` and its `<figure>`, for a
    /// paragraph that holds nothing else.
    figure: Option<(usize, String)>,
}

/// A local image between its start and its end.
struct OpenImage {
    at: usize,
    span: Range<usize>,
    dest: String,
    title: String,
}

impl<'a, 'c> Walk<'a, 'c> {
    pub(super) fn new(
        markdown: &'a str,
        map: Origin<'a>,
        opts: Options,
        ctx: Context<'c>,
        problems: Vec<Problem>,
    ) -> Self {
        Walk {
            markdown,
            map,
            opts,
            ctx,
            events: Vec::new(),
            used_ids: HeadingIds::default(),
            heading_ids: true,
            headings: Vec::new(),
            heading_start: None,
            heading_text: String::new(),
            in_code_block: false,
            open_single: 0,
            word_count: 0,
            depth: 0,
            summary_at: None,
            anchor_links: Vec::new(),
            problems,
            stripped: Vec::new(),
            html_block: None,
            image: None,
            paragraph: None,
            figure: None,
        }
    }

    /// A span of the expanded text as a span of the Markdown as written.
    fn original(&self, r: Range<usize>) -> Range<usize> {
        if self.map.is_identity() {
            return r;
        }
        let m = self.map;
        m.original(r.start)..m.original(r.end.max(r.start + 1) - 1) + 1
    }

    pub(super) fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                self.depth += 1;
                self.heading_start = Some(self.events.len());
                self.heading_text.clear();
                self.events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => self.end_heading(level),
            Event::Start(Tag::CodeBlock(_)) => {
                self.depth += 1;
                self.in_code_block = true;
                self.events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                self.depth = self.depth.saturating_sub(1);
                self.in_code_block = false;
                self.events.push(event);
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => self.link(tag, range),
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                self.depth = self.depth.saturating_sub(1);
                if self.stripped.pop() != Some(true) && !self.end_image(&end) {
                    self.events.push(Event::End(end));
                }
            }
            Event::Start(Tag::Paragraph) => {
                self.depth += 1;
                self.paragraph = Some(self.events.len());
                self.events.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                self.depth = self.depth.saturating_sub(1);
                self.end_paragraph();
            }
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {
                self.html_block(event, range)
            }
            Event::Start(_) => {
                self.depth += 1;
                self.events.push(event);
            }
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                self.events.push(event);
            }
            Event::Html(ref h) | Event::InlineHtml(ref h)
                if self.summary_at.is_none() && h.trim() == MORE_MARKER =>
            {
                // The marker between blocks ends the summary; inside a block it is ignored
                // (cutting there would leave the summary's tags unclosed).
                if self.depth == 0 || (self.depth == 1 && matches!(event, Event::Html(_))) {
                    self.summary_at = Some(self.events.len());
                }
                self.events.push(event);
            }
            Event::Html(_) | Event::InlineHtml(_) => self.html(event, range),
            Event::Text(text) => self.text(text, &range),
            Event::Code(code) => {
                if self.heading_start.is_some() {
                    self.heading_text.push_str(&code);
                }
                self.events.push(Event::Code(code));
            }
            other => self.events.push(other),
        }
    }

    /// Closes a heading: gives it a unique id (its own `{#id}` or its slug) and a ToC entry.
    fn end_heading(&mut self, level: HeadingLevel) {
        self.depth = self.depth.saturating_sub(1);
        if let Some(i) = self.heading_start.take()
            && let Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) = &self.events[i]
        {
            if !self.heading_ids {
                self.events[i] = Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes: classes.clone(),
                    attrs: heading_attributes(attrs),
                });
                self.events.push(Event::End(TagEnd::Heading(level)));
                return;
            }
            let text = shortcodes::without_placeholders(&self.heading_text);
            let base = match id {
                Some(id) => id.to_string(),
                None => slugify(&text),
            };
            let id = self.used_ids.unique(&base);
            self.headings
                .push((heading_level(level), id.clone(), text.trim().to_string()));
            self.events[i] = Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(id)),
                classes: classes.clone(),
                attrs: heading_attributes(attrs),
            });
        }
        self.events.push(Event::End(TagEnd::Heading(level)));
    }

    /// An HTML block opens or closes; when it closes, its text is read for refused URLs
    /// (a tag may span its lines).
    fn html_block(&mut self, event: Event<'a>, range: Range<usize>) {
        if matches!(event, Event::Start(_)) {
            self.depth += 1;
            self.html_block = Some((self.original(range), String::new()));
        } else {
            self.depth = self.depth.saturating_sub(1);
            if let Some((span, html)) = self.html_block.take() {
                self.raw_html(&html, span);
            }
        }
        self.events.push(event);
    }

    /// Raw HTML: a line of a block is kept for the block's end; inline HTML is read now.
    fn html(&mut self, event: Event<'a>, range: Range<usize>) {
        match (&event, &mut self.html_block) {
            (Event::Html(h), Some((_, block))) => block.push_str(h),
            (Event::InlineHtml(h), _) => {
                let span = self.original(range);
                let html = h.to_string();
                self.raw_html(&html, span);
            }
            _ => {}
        }
        self.events.push(event);
    }

    /// Raw HTML passes as written; URLs in it with a refused scheme are reported.
    fn raw_html(&mut self, html: &str, span: Range<usize>) {
        for (attr, scheme) in schemes::in_html(html) {
            self.problems.push(Problem::warning(
                "unsafe-link",
                span.clone(),
                format!("raw HTML links to `{scheme}:`"),
                format!("`{attr}` with a `{scheme}:` URL, passed through as written"),
                "link to http(s), mailto: or tel: URLs, or to pages of the site",
            ));
        }
    }

    /// Opens a link or an image, its `@/` destination resolved to a permalink. One with a
    /// refused scheme (`javascript:`, …) is dropped with its end: its text stays.
    fn link(&mut self, tag: Tag<'a>, range: Range<usize>) {
        self.depth += 1;
        let span = self.original(range);
        let (dest, image) = match &tag {
            Tag::Image { dest_url, .. } => (dest_url, true),
            Tag::Link { dest_url, .. } => (dest_url, false),
            _ => return self.events.push(Event::Start(tag)),
        };
        if let Some(scheme) = schemes::refused(dest, image) {
            self.refuse(&scheme, image, span);
            return;
        }
        self.stripped.push(false);
        let mut resolve = |dest| {
            resolve_link(
                dest,
                span.clone(),
                self.ctx,
                &mut self.problems,
                &mut self.anchor_links,
            )
        };
        let tag = match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Link {
                link_type,
                dest_url: resolve(dest_url),
                title,
                id,
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                if self.ctx.images.is_some() && self.image.is_none() && is_local(&dest_url) {
                    self.image = Some(OpenImage {
                        at: self.events.len(),
                        span: span.clone(),
                        dest: dest_url.to_string(),
                        title: title.to_string(),
                    });
                }
                Tag::Image {
                    link_type,
                    dest_url: resolve(dest_url),
                    title,
                    id,
                }
            }
            other => other,
        };
        self.events.push(Event::Start(tag));
    }

    /// Closes an open local image: when the site shows it as pictures, its events (start,
    /// alt text) become the markup and `true` is returned (its end is not written). A
    /// picture that cannot be shown is an error at the image, which stays as written.
    fn end_image(&mut self, end: &TagEnd) -> bool {
        if *end != TagEnd::Image {
            return false;
        }
        let (Some(open), Some(show)) = (self.image.take(), self.ctx.images) else {
            return false;
        };
        let alt: String = self.events[open.at + 1..]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let shown = show(&ImageRef {
            dest: &open.dest,
            alt: &alt,
            title: &open.title,
            span: &open.span,
        });
        match shown {
            Shown::AsWritten => false,
            Shown::Markup { inline, figure } => {
                self.events.truncate(open.at);
                self.figure = Some((open.at, figure));
                self.events.push(Event::InlineHtml(CowStr::from(inline)));
                true
            }
            Shown::Failed {
                message,
                label,
                help,
            } => {
                let span = self.dest_span(&open);
                self.problems
                    .push(Problem::error("image", span, message, label, help));
                false
            }
        }
    }

    /// Where an image's destination is written (as the link check points at a link's), or
    /// the whole image when it is not there as such (a reference, an escaped name).
    fn dest_span(&self, open: &OpenImage) -> Range<usize> {
        let written = self.markdown.get(open.span.clone()).unwrap_or("");
        match written.rfind(open.dest.as_str()) {
            Some(at) if !open.dest.is_empty() => {
                open.span.start + at..open.span.start + at + open.dest.len()
            }
            _ => open.span.clone(),
        }
    }

    /// Closes a paragraph; one that holds a picture and nothing else becomes its `<figure>`.
    fn end_paragraph(&mut self) {
        let start = self.paragraph.take();
        if let (Some(start), Some((at, _))) = (start, &self.figure)
            && *at == start + 1
            && self.events.len() == start + 2
            && let Some((_, figure)) = self.figure.take()
        {
            self.events.truncate(start);
            self.events.push(Event::Html(CowStr::from(figure + "\n")));
            return;
        }
        self.events.push(Event::End(TagEnd::Paragraph));
    }

    /// A link or image with a refused scheme: dropped (with its end), and reported.
    fn refuse(&mut self, scheme: &str, image: bool, span: Range<usize>) {
        let (what, kept, help) = if image {
            (
                "image",
                "the image goes, its alt text stays",
                "put the image into the page's folder and name it: ![Text](bild.jpg)",
            )
        } else {
            (
                "link",
                "the link goes, its text stays",
                "link to http(s), mailto: or tel: URLs, or to pages of the site (@/…)",
            )
        };
        self.problems.push(Problem::warning(
            "unsafe-link",
            span,
            format!("{what} to `{scheme}:` removed"),
            kept,
            help,
        ));
        self.stripped.push(true);
    }

    /// Running text: counted, its typed quotes made German if asked, and kept for a heading.
    fn text(&mut self, text: CowStr<'a>, range: &Range<usize>) {
        let text = if self.in_code_block {
            text
        } else {
            self.word_count += text.split_whitespace().count();
            // Smart punctuation turns a typed `"` or `'` into its own Text event of
            // one curly quote; a quote the author typed as „ or “ comes with its
            // source text and is left exactly as written.
            let (markdown, map) = (self.markdown, self.map);
            let typed = markdown
                .get(text_source(range, markdown, map))
                .unwrap_or("");
            if self.opts.german_quotes && (typed == "\"" || typed == "'") {
                german_quote(
                    text,
                    &markdown[after(range, markdown, map)..],
                    &mut self.open_single,
                )
            } else if let Some(lang) = self.opts.dashes {
                match crate::text::typography::dashes(&text, lang) {
                    std::borrow::Cow::Borrowed(_) => text,
                    std::borrow::Cow::Owned(s) => CowStr::from(s),
                }
            } else {
                text
            }
        };
        if self.heading_start.is_some() {
            self.heading_text.push_str(&text);
        }
        self.events.push(Event::Text(text));
    }

    /// The HTML (and the summary's), with the shortcodes' HTML `blocks` put in.
    pub(super) fn finish(self, text_len: usize, blocks: &[String]) -> Rendered {
        let events = self.events;
        let summary = self.summary_at.map(|at| {
            let mut out = String::new();
            html::push_html(&mut out, events[..at].iter().cloned());
            out
        });
        let mut out = String::with_capacity(text_len * 3 / 2);
        html::push_html(&mut out, events.into_iter());
        let (html, summary) = if blocks.is_empty() {
            (out, summary)
        } else {
            (
                placeholders::fill(&out, blocks),
                summary.map(|s| placeholders::fill(&s, blocks)),
            )
        };
        // The buffer was sized for the worst case; a site keeps thousands of these.
        let mut html = html;
        html.shrink_to_fit();
        Rendered {
            html,
            summary,
            toc: nest(self.headings),
            word_count: self.word_count,
            anchor_links: self.anchor_links,
            problems: self.problems,
        }
    }
}

/// Whether an image's destination is a file of the site (not `https:`, `data:`, `//host`).
fn is_local(dest: &str) -> bool {
    !dest.is_empty()
        && !dest.starts_with("//")
        && !dest.starts_with('#')
        && !dest.starts_with("@/")
        && !dest
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .contains(':')
}

/// The source text of a text event: in the original Markdown when there was no expansion.
fn text_source(range: &Range<usize>, markdown: &str, map: Origin) -> Range<usize> {
    let start = map.original(range.start);
    let r = start..start + (range.end - range.start);
    let end = r.end.min(markdown.len());
    r.start.min(end)..end
}

/// Offset just after a text event in the original Markdown.
fn after(range: &Range<usize>, markdown: &str, map: Origin) -> usize {
    let end = map.original(range.start) + (range.end - range.start);
    crate::source::floor_char_boundary(markdown, end)
}

/// The `{key=value}` attributes of a heading that can be written: pulldown-cmark writes
/// names as they are, and one that is no HTML attribute name (`a/b`, `x"`) breaks the tag;
/// a name given twice, or `id` and `class` (written from `{#id .class}`), is an error to
/// every HTML parser (both found by fuzz/ markdown). The first of each name stays.
fn heading_attributes<'a>(
    attrs: &[(CowStr<'a>, Option<CowStr<'a>>)],
) -> Vec<(CowStr<'a>, Option<CowStr<'a>>)> {
    let mut seen = std::collections::HashSet::new();
    attrs
        .iter()
        .filter(|(name, _)| {
            is_attribute_name(name)
                && !name.eq_ignore_ascii_case("id")
                && !name.eq_ignore_ascii_case("class")
                && seen.insert(name.to_ascii_lowercase())
        })
        .cloned()
        .collect()
}

/// Whether `name` may stand as an attribute name in HTML: ASCII letters, digits, `-`, `_`,
/// `:` and `.`, not starting with a digit, `-` or `.` (narrower than HTML allows, and every
/// name a `{key=value}` is meant to give).
fn is_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
}

/// Resolves an `@/path.md#anchor` link to a permalink; other links pass through.
fn resolve_link<'a>(
    dest: CowStr<'a>,
    span: Range<usize>,
    ctx: Context<'_>,
    problems: &mut Vec<Problem>,
    anchors: &mut Vec<(String, String, Range<usize>)>,
) -> CowStr<'a> {
    let Some(target) = dest.strip_prefix("@/") else {
        return dest;
    };
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    match (ctx.links)(path) {
        Some(permalink) => {
            if let Some(a) = anchor {
                anchors.push((path.to_string(), a.to_string(), span));
                CowStr::from(format!("{permalink}#{a}"))
            } else {
                CowStr::from(permalink)
            }
        }
        None => {
            let names = (ctx.link_names)();
            let help = match crate::diagnostics::did_you_mean(path, names.iter().map(String::as_str)) {
                Some(n) => format!("did you mean `@/{n}`?"),
                None => "internal links name a file below content/, e.g. @/artikel/2007-11-06-regionalgruppe-rheinland.md".to_string(),
            };
            problems.push(Problem::error(
                "broken-internal-link",
                span,
                format!("internal link `@/{target}` points to no page"),
                format!("there is no content/{path}"),
                help,
            ));
            dest
        }
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

/// The heading ids given so far on a page, so that each new one is unique: `koeln`,
/// `koeln-1`, `koeln-2`, …
#[derive(Default)]
struct HeadingIds {
    used: HashSet<String>,
    /// Per base, the first suffix not yet tried: every smaller one is taken, since ids are
    /// never given back. Without it, n equal headings would cost n² lookups.
    next: HashMap<String, usize>,
}

impl HeadingIds {
    fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "abschnitt" } else { base };
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let mut n = self.next.get(base).copied().unwrap_or(1);
        let id = loop {
            let id = format!("{base}-{n}");
            n += 1;
            if self.used.insert(id.clone()) {
                break id;
            }
        };
        self.next.insert(base.to_string(), n);
        id
    }
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
