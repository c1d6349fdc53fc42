//! What a link checker needs from a rendered page: the URLs it links to and the fragment
//! targets (`id`s) it offers.
//!
//! The pages are presswerk's own output, but their bodies carry whatever raw HTML editors
//! wrote into Markdown: comments, `<script>` blocks, unquoted attributes, entities in URLs
//! (`?a=1&amp;b=2`). html5gum tokenizes by the WHATWG rules, so a `<a href>` inside a comment
//! or a script is not taken for a link and entities are decoded exactly as a browser decodes
//! them. Its callback interface borrows every name and value, so scanning allocates only for
//! what is kept.

use std::collections::HashSet;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Span, Tokenizer};

/// The links and anchors of one page.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Every `id`, and every `name` of an `<a>`: what `#fragment` links can point to.
    pub(crate) ids: HashSet<String, ahash::RandomState>,
    /// Every URL the page refers to, entity-decoded, in document order.
    pub(crate) links: Links,
    /// `<base href>`, if the page has one.
    pub(crate) base: Option<String>,
}

/// URLs one after the other in one buffer: a page has dozens, a site hundreds of thousands,
/// and one allocation per page instead of one per URL is a tenth of the scan's time.
#[derive(Debug, Default)]
pub(crate) struct Links {
    text: String,
    ends: Vec<usize>,
}

impl Links {
    fn push(&mut self, url: &str) {
        self.text.push_str(url);
        self.ends.push(self.text.len());
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.text[start..end])
    }
}

/// The tokenizer's emitter without what a link checker never reads: the WHATWG parse errors
/// (checking every byte for noncharacters was a quarter of the scan), and the text and
/// comments, which the callback emitter would otherwise copy byte by byte into its buffers.
/// Tags and attributes, all the scan looks at, pass through unchanged.
struct Quiet<E>(E);

impl<E: Emitter> ForwardingEmitter for Quiet<E> {
    type Token = E::Token;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.0
    }

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn emit_string(&mut self, _: &[u8]) {}

    fn push_comment(&mut self, _: &[u8]) {}
}

/// Attributes of the start tag being read.
#[derive(Default)]
struct Tag {
    name: Vec<u8>,
    attr: Vec<u8>,
    /// `<meta http-equiv="refresh">`, whose `content` holds a URL.
    refresh: bool,
    meta_content: Option<String>,
}

/// Scans one HTML document.
pub(crate) fn scan(html: &[u8]) -> Scan {
    let mut out = Scan::default();
    let mut tag = Tag::default();
    {
        let emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| -> Option<()> {
            match event {
                CallbackEvent::OpenStartTag { name } => {
                    tag = Tag {
                        name: name.to_ascii_lowercase(),
                        ..Tag::default()
                    };
                }
                CallbackEvent::AttributeName { name } => {
                    tag.attr.clear();
                    tag.attr.extend(name.iter().map(u8::to_ascii_lowercase));
                }
                CallbackEvent::AttributeValue { value } => attribute(&mut tag, value, &mut out),
                CallbackEvent::CloseStartTag { .. } => {
                    if tag.refresh
                        && let Some(content) = tag.meta_content.take()
                        && let Some(url) = refresh_url(&content)
                    {
                        out.links.push(url);
                    }
                }
                _ => {}
            }
            None
        });
        let mut emitter = emitter;
        // Script, style and textarea contents are text, not markup.
        emitter.naively_switch_states(true);
        for _ in Tokenizer::new_with_emitter(html, Quiet(emitter)) {}
    }
    out
}

fn attribute(tag: &mut Tag, value: &[u8], out: &mut Scan) {
    let text = || String::from_utf8_lossy(value).into_owned();
    match (tag.name.as_slice(), tag.attr.as_slice()) {
        (_, b"id") | (b"a", b"name") => {
            out.ids.insert(text());
        }
        (b"base", b"href") => out.base = Some(text()),
        (b"a" | b"area" | b"link", b"href")
        | (
            b"img" | b"script" | b"iframe" | b"source" | b"video" | b"audio" | b"track" | b"embed"
            | b"input",
            b"src",
        )
        | (b"video", b"poster") => out.links.push(&String::from_utf8_lossy(value)),
        (b"img" | b"source", b"srcset") => {
            // `a.jpg 1x, b.jpg 2x`: each candidate is a URL and an optional descriptor.
            for candidate in String::from_utf8_lossy(value).split(',') {
                if let Some(url) = candidate.split_whitespace().next() {
                    out.links.push(url);
                }
            }
        }
        (b"meta", b"http-equiv") => tag.refresh = value.eq_ignore_ascii_case(b"refresh"),
        (b"meta", b"content") => tag.meta_content = Some(text()),
        _ => {}
    }
}

/// The URL of a refresh `content` value: `0; url=/artikel/x/`.
fn refresh_url(content: &str) -> Option<&str> {
    let (_, rest) = content.split_once(';')?;
    let rest = rest.trim_start();
    let url = rest
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("url="))
        .map_or(rest, |_| &rest[4..]);
    let url = url.trim().trim_matches(['"', '\'']);
    (!url.is_empty()).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_and_anchors_but_not_in_comments_or_scripts() {
        let s = scan(
            br##"<!doctype html><html><head>
            <link rel="stylesheet" href="https://x.example/style.css">
            <meta http-equiv="Refresh" content="0; url=/artikel/neu/">
            <script>var a = '<a href="/nicht-im-script/">';</script>
            </head><body>
            <!-- <a href="/nicht-im-kommentar/"> -->
            <h2 id="koeln">Koeln</h2><a name=alt></a>
            <a href=/ohne/anfuehrungszeichen/>x</a>
            <a href="/suche/?a=1&amp;b=2#teil">y</a>
            <img src="foto.jpg" srcset="klein.jpg 1x, gross.jpg 2x" alt="">
            <textarea><a href="/nicht-im-textarea/"></textarea>
            </body></html>"##,
        );
        assert_eq!(
            s.links.iter().collect::<Vec<_>>(),
            [
                "https://x.example/style.css",
                "/artikel/neu/",
                "/ohne/anfuehrungszeichen/",
                "/suche/?a=1&b=2#teil",
                "foto.jpg",
                "klein.jpg",
                "gross.jpg",
            ]
        );
        let mut ids: Vec<_> = s.ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["alt", "koeln"]);
    }
}
