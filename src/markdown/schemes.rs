//! Which link targets a page may have: `http:`, `https:`, `mailto:`, `tel:`, `@/` and
//! relative URLs. Any other scheme (`javascript:`, `vbscript:`, `file:`, `data:`, …) runs
//! code, reaches into the reader's machine or hides content in the link; Markdown from other
//! sites brings such links along. A Markdown link with one loses its href (its text stays);
//! an image keeps only its alt text. Images may be `data:image/…` in a raster format: inside
//! `<img>` such an image can do no more than show itself, and pasted screenshots come that way.
//! `data:image/svg+xml` is refused, since opened on its own an SVG document runs scripts.
//!
//! Raw HTML is the editor's own choice and is passed through as written (presswerk is no
//! HTML sanitizer); such URLs in it are reported, so `check --deny-warnings` stops them.

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

/// The scheme of `url` if it is one a page must not link to, as a browser reads it: ASCII
/// tabs and newlines anywhere and spaces and control characters around it do not count, and
/// case does not matter (`JaVa\tScript:` is `javascript:`).
pub(super) fn refused(url: &str, image: bool) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    if matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel") {
        return None;
    }
    if image && scheme == "data" {
        let media = cleaned[colon + 1..].to_ascii_lowercase();
        let raster = [
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "image/avif",
        ];
        if raster.iter().any(|m| media.starts_with(m)) {
            return None;
        }
    }
    Some(scheme)
}

/// The URLs in a piece of raw HTML with a refused scheme: (attribute, scheme), in order.
pub(super) fn in_html(html: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut attr: Vec<u8> = Vec::new();
    let mut tag: Vec<u8> = Vec::new();
    let emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| -> Option<()> {
        match event {
            CallbackEvent::OpenStartTag { name } => tag = name.to_ascii_lowercase(),
            CallbackEvent::AttributeName { name } => attr = name.to_ascii_lowercase(),
            CallbackEvent::AttributeValue { value } => {
                let url_attr = matches!(
                    attr.as_slice(),
                    b"href" | b"src" | b"action" | b"formaction" | b"poster" | b"xlink:href"
                );
                let image = matches!(tag.as_slice(), b"img" | b"source") && attr == b"src";
                let value = String::from_utf8_lossy(value);
                if url_attr && let Some(scheme) = refused(&value, image) {
                    found.push((String::from_utf8_lossy(&attr).into_owned(), scheme));
                }
            }
            _ => {}
        }
        None
    });
    let mut emitter = emitter;
    emitter.naively_switch_states(true);
    for _ in Tokenizer::new_with_emitter(html.as_bytes(), emitter) {}
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_phone_and_site_links_pass() {
        for ok in [
            "https://example.org",
            "HTTP://x",
            "mailto:a@b.de",
            "tel:+49221",
            "@/artikel/x.md",
            "/a/b/",
            "foto.jpg",
            "#anker",
            "?q=a:b",
            "a/b:c",
            "",
        ] {
            assert_eq!(refused(ok, false), None, "{ok}");
        }
        for (bad, scheme) in [
            ("javascript:alert(1)", "javascript"),
            (" JaVa\tScRipt:alert(1)", "javascript"),
            ("\u{1}javascript:x", "javascript"),
            ("vbscript:msgbox", "vbscript"),
            ("file:///etc/passwd", "file"),
            ("data:text/html,<script>", "data"),
            ("ftp://example.org", "ftp"),
        ] {
            assert_eq!(refused(bad, false).as_deref(), Some(scheme), "{bad:?}");
        }
    }

    #[test]
    fn images_may_be_raster_data_but_not_svg() {
        assert_eq!(refused("data:image/png;base64,iVBO", true), None);
        assert_eq!(
            refused("data:image/png;base64,iVBO", false).as_deref(),
            Some("data")
        );
        assert_eq!(
            refused("data:image/svg+xml,<svg>", true).as_deref(),
            Some("data")
        );
    }

    #[test]
    fn raw_html_is_read_like_a_browser_reads_it() {
        let found = in_html(
            "<a href=\"jav&#x61;script:x\">a</a><img src=\"data:image/gif;base64,R0\"><form action=vbscript:x><!-- <a href=\"javascript:no\"> -->",
        );
        assert_eq!(
            found,
            [
                ("href".to_string(), "javascript".to_string()),
                ("action".to_string(), "vbscript".to_string())
            ]
        );
    }
}
