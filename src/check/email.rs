//! The checks of the editions' e-mails that no browser-oriented checker makes, on the files
//! as they go out (`email.html`, `email.txt` beside each edition's page):
//!
//! - Gmail clips a message whose HTML is over 102 KB behind "[Message clipped]", with the
//!   unsubscribe link and the Impressum in the part nobody sees: an error; over 80 KB a
//!   warning, before an edition grows into it;
//! - an image without `width` (Outlook shows it at its file's size) or `alt` (shown while
//!   images are blocked, the default in many clients);
//! - a relative link or image, which leads nowhere from an inbox;
//! - a WebP image, or a `srcset` or `<picture>` that offers one: Outlook for Windows and
//!   older clients show no WebP (and ignore `srcset`), so the e-mail's images are JPEG or
//!   PNG, one file each;
//! - CSS that common clients drop, from the table [`DROPPED_CSS`];
//! - a link of the HTML that the plain-text part does not have;
//! - a subject with the same separator twice ("Newsletter 1: Regionalgruppen: …").

use std::collections::HashSet;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Entry, Output};
use crate::site::{Page, Site, editions};

/// Gmail clips HTML over this many bytes ("102 KB", Google's Gmail help and every e-mail
/// testing service's measurements).
const CLIP: usize = 102 * 1024;
/// Above this, a warning: an edition is near the clip.
const NEAR_CLIP: usize = 80 * 1024;

/// CSS properties (and `property: value` pairs) that common clients drop, and which: from
/// caniemail.com (its "CSS" support tables, Gmail, Outlook for Windows, Yahoo, as of 2025)
/// and Google's "CSS support in Gmail". Only what changes the layout or hides content when
/// dropped is listed; cosmetic losses (rounded corners in Outlook) are not.
pub(crate) const DROPPED_CSS: &[(&str, &str)] = &[
    ("position", "Gmail, Outlook"),
    ("float", "Outlook for Windows"),
    (
        "display: flex",
        "Outlook for Windows, Gmail apps for non-Google accounts",
    ),
    ("display: grid", "Gmail, Outlook"),
    ("flex", "Outlook for Windows"),
    ("flex-direction", "Outlook for Windows"),
    ("flex-wrap", "Outlook for Windows"),
    ("grid-template-columns", "Gmail, Outlook"),
    ("gap", "Gmail, Outlook"),
    ("transform", "Gmail, Outlook"),
    ("animation", "Gmail, Outlook"),
    ("transition", "Gmail, Outlook"),
    ("background-image", "Outlook for Windows"),
    ("object-fit", "Gmail, Outlook"),
    ("clip-path", "Gmail, Outlook"),
    ("filter", "Gmail, Outlook"),
    ("var(", "Gmail, Outlook (CSS variables)"),
];

/// What the checks read of one e-mail HTML.
#[derive(Default)]
struct Mail {
    /// Each `<img>`: (src, has width, has alt).
    images: Vec<(String, bool, bool)>,
    /// Each `<a href>`.
    links: Vec<String>,
    /// Every `style` attribute and `<style>` block, lowercased.
    css: String,
    /// Each `srcset` value, and `<picture>` or `<source>` as `<picture>`.
    responsive: Vec<String>,
}

pub(super) fn check(site: &Site, output: &Output, diags: &mut Diagnostics) {
    for page in site.pages.iter().filter(|p| p.edition.is_some()) {
        let [html_file, text_file, _] = editions::files(&page.path);
        let (Some(html), Some(text)) = (bytes(output, &html_file), bytes(output, &text_file))
        else {
            continue;
        };
        size(page, &html_file, html.len(), diags);
        let mail = read(&html);
        images(page, &mail, diags);
        relative_links(page, &mail, diags);
        dropped_css(page, &mail, diags);
        lost_links(page, &mail, &String::from_utf8_lossy(&text), diags);
        subject(site, page, diags);
    }
}

fn bytes(output: &Output, file: &str) -> Option<std::sync::Arc<[u8]>> {
    output
        .iter()
        .find(|(n, _)| n.as_str() == file)
        .and_then(|(_, e)| match e {
            Entry::Bytes(b) => Some(std::sync::Arc::clone(b)),
            Entry::Copy(_) | Entry::Written(_) | Entry::Known { .. } => None,
        })
}

fn warning(page: &Page, code: &'static str, message: String, help: &str) -> Diagnostic {
    Diagnostic::warning(code, message)
        .in_file(page.source.name.clone())
        .help(help)
}

fn size(page: &Page, file: &str, len: usize, diags: &mut Diagnostics) {
    let kb = len.div_ceil(1024);
    if len > CLIP {
        diags.push(
            Diagnostic::error("email-size", format!("/{file} is {kb} KB: Gmail clips an e-mail's HTML above 102 KB"))
                .in_file(page.source.name.clone())
                .help("shorten the edition: fewer articles, shorter summaries (the unsubscribe link and Impressum are at its end)"),
        );
    } else if len > NEAR_CLIP {
        diags.push(warning(
            page,
            "email-size",
            format!("/{file} is {kb} KB, near the 102 KB at which Gmail clips it"),
            "shorten the edition before it grows past 102 KB",
        ));
    }
}

fn images(page: &Page, mail: &Mail, diags: &mut Diagnostics) {
    for (src, width, alt) in &mail.images {
        let missing: Vec<&str> = [(!width).then_some("width"), (!alt).then_some("alt")]
            .into_iter()
            .flatten()
            .collect();
        if !missing.is_empty() {
            diags.push(warning(
                page,
                "email-image",
                format!("an image of the e-mail has no {}: {src}", missing.join(" and no ")),
                "Outlook shows an image without width at its file's size; alt is what readers see while images are blocked",
            ));
        }
        if is_webp(src) {
            diags.push(warning(
                page,
                "email-image-format",
                format!("an image of the e-mail is WebP: {src}"),
                "Outlook for Windows and older clients show no WebP: use the picture's e-mail variant (`email.permalink`), a JPEG or PNG",
            ));
        }
    }
    if let Some(r) = mail
        .responsive
        .iter()
        .find(|r| r.starts_with('<') || is_webp(r))
    {
        diags.push(warning(
            page,
            "email-image-format",
            format!("the e-mail offers images by `srcset` or `<picture>`: {r}"),
            "Outlook for Windows ignores them (and shows no WebP): give each image one JPEG or PNG `src`",
        ));
    }
}

/// Whether a URL (or a `srcset`) names a WebP file.
fn is_webp(url: &str) -> bool {
    url.split([',', ' ', '?', '#'])
        .any(|part| part.to_ascii_lowercase().ends_with(".webp"))
}

/// An absolute URL, a mail or phone link, an in-page anchor or a mailing tool's placeholder.
fn reaches_from_an_inbox(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    [
        "http://", "https://", "mailto:", "tel:", "#", "{{", "*|", "%%", "[", "{",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

fn relative_links(page: &Page, mail: &Mail, diags: &mut Diagnostics) {
    let urls = mail.links.iter().chain(mail.images.iter().map(|(s, ..)| s));
    for url in urls.filter(|u| !reaches_from_an_inbox(u)) {
        diags.push(warning(
            page,
            "email-relative-link",
            format!("the e-mail links to `{url}`, which leads nowhere from an inbox"),
            "write the URL absolute (https://…) or as an @/ link in Markdown, which presswerk makes absolute",
        ));
    }
}

fn dropped_css(page: &Page, mail: &Mail, diags: &mut Diagnostics) {
    let css = mail.css.replace(": ", ":");
    for (property, clients) in DROPPED_CSS {
        let compact = property.replace(": ", ":");
        let found = if compact.ends_with('(') {
            css.contains(&compact)
        } else {
            // The property at the start of a declaration, not inside another name
            // (`gap` in `row-gap` is the same property; `position` in `background-position` is not).
            css.match_indices(&compact).any(|(i, _)| {
                let before = css[..i].chars().next_back();
                let after = css[i + compact.len()..].chars().next();
                before.is_none_or(|c| matches!(c, ';' | '{' | ' ' | '\n' | '"' | '\t'))
                    && (compact.contains(':') || after == Some(':'))
            })
        };
        if found {
            diags.push(warning(
                page,
                "email-css",
                format!("the e-mail's CSS uses `{property}`, which {clients} drop"),
                "lay e-mails out with tables and widths (see the kontor theme's email.html)",
            ));
        }
    }
}

fn lost_links(page: &Page, mail: &Mail, text: &str, diags: &mut Diagnostics) {
    let mut seen = HashSet::new();
    for url in &mail.links {
        let url = url.trim();
        let web = url.starts_with("http://") || url.starts_with("https://");
        if web && seen.insert(url) && !text.contains(url) {
            diags.push(warning(
                page,
                "email-text-link",
                format!("the plain-text part of the e-mail lacks the link {url}"),
                "readers of the plain text cannot follow it; a link made in a template must also be in the text part",
            ));
        }
    }
}

fn subject(site: &Site, page: &Page, diags: &mut Diagnostics) {
    let config = &site.config;
    let title = page.front.title.as_deref().unwrap_or("");
    let number = page.edition.as_ref().map_or(0, |e| e.number);
    let subject =
        crate::render::email::subject(&config.editions.subject, &config.title, title, number);
    let seps: Vec<&str> = subject
        .split_whitespace()
        .filter_map(|w| {
            if crate::render::email::is_separator(w) {
                Some(w)
            } else {
                w.ends_with(':').then_some(":")
            }
        })
        .collect();
    let doubled = seps.iter().enumerate().any(|(i, s)| seps[..i].contains(s));
    if doubled {
        diags.push(
            Diagnostic::warning(
                "email-subject",
                format!("the subject reads „{subject}“: the same separator twice"),
            )
            .at(&config.source, crate::config::key_span_in(&config.source.text, "editions", "subject"), "the subject template")
            .help("separate the parts of the subject with a sign the titles do not use, e.g. subject = \"{site} Nr. {number} · {title}\""),
        );
    }
}

/// Reads the images, links and CSS of an e-mail HTML as a browser tokenizes it.
fn read(html: &[u8]) -> Mail {
    let mut mail = Mail::default();
    let mut tag: Vec<u8> = Vec::new();
    let mut attr: Vec<u8> = Vec::new();
    let mut img: Option<(String, bool, bool)> = None;
    let mut in_style = false;
    {
        let mut emitter =
            CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| -> Option<()> {
                match event {
                    CallbackEvent::OpenStartTag { name } => {
                        tag = name.to_ascii_lowercase();
                        img = (tag == b"img").then(|| (String::new(), false, false));
                        if tag == b"picture" || tag == b"source" {
                            mail.responsive
                                .push(format!("<{}>", String::from_utf8_lossy(&tag)));
                        }
                        in_style = tag == b"style";
                    }
                    CallbackEvent::AttributeName { name } => {
                        attr = name.to_ascii_lowercase();
                        if let Some(i) = img.as_mut() {
                            i.1 |= attr == b"width";
                            i.2 |= attr == b"alt";
                        }
                    }
                    CallbackEvent::AttributeValue { value } => {
                        let text = String::from_utf8_lossy(value);
                        match (tag.as_slice(), attr.as_slice()) {
                            (_, b"style") => {
                                mail.css.push_str(&text.to_ascii_lowercase());
                                mail.css.push('\n');
                            }
                            (b"a", b"href") => mail.links.push(text.into_owned()),
                            (_, b"srcset") => mail.responsive.push(text.into_owned()),
                            (b"img", b"src") => {
                                if let Some(i) = img.as_mut() {
                                    i.0 = text.into_owned();
                                }
                            }
                            _ => {}
                        }
                    }
                    CallbackEvent::CloseStartTag { .. } => {
                        mail.images.extend(img.take());
                    }
                    CallbackEvent::EndTag { .. } => in_style = false,
                    CallbackEvent::String { value } if in_style => {
                        mail.css
                            .push_str(&String::from_utf8_lossy(value).to_ascii_lowercase());
                    }
                    _ => {}
                }
                None
            });
        emitter.naively_switch_states(true);
        for _ in Tokenizer::new_with_emitter(html, emitter) {}
    }
    mail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_images_links_and_css_as_a_browser_does() {
        let m = read(b"<style>.a { position: absolute }</style><!-- <a href=\"x\"> --><p style=\"Display: Flex\"><a href=\"/rel\">r</a><img src=\"a.png\" alt=\"\"><img src=\"https://x/b.png\" width=\"10\" alt=\"b\"></p>");
        assert_eq!(m.links, vec!["/rel"]);
        assert_eq!(
            m.images,
            vec![
                ("a.png".to_string(), false, true),
                ("https://x/b.png".to_string(), true, true)
            ]
        );
        assert!(
            m.css.contains("position: absolute") && m.css.contains("display: flex"),
            "{}",
            m.css
        );
        assert!(!reaches_from_an_inbox("/rel") && reaches_from_an_inbox("{{ UnsubscribeURL }}"));
        assert!(m.responsive.is_empty());
    }

    #[test]
    fn webp_and_responsive_images_are_found() {
        let m = read(b"<picture><source type=\"image/webp\" srcset=\"https://x/a-480w.webp 480w\"><img src=\"https://x/a.jpg\" width=\"10\" alt=\"\"></picture><img src=\"https://x/b.WEBP?v=1\">");
        assert_eq!(m.responsive[0], "<picture>");
        assert!(m.responsive.iter().any(|r| is_webp(r)));
        assert!(is_webp(&m.images[1].0) && !is_webp(&m.images[0].0));
    }
}
