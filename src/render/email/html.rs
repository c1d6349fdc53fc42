//! The e-mail HTML of an edition: the theme's `email.html` rendered, then made fit for mail
//! clients. Gmail and Outlook drop `<link>`ed stylesheets and much of `<style>`, and a mail
//! read outside the browser has no base URL, so:
//!
//! - every CSS rule of the template's `<style>` is inlined into `style=` attributes
//!   (css-inline; rules that cannot be inlined, `@media` for narrow screens, stay in a
//!   `<style>` for the clients that read it);
//! - `width` attributes are added from CSS widths on tables, cells and images (Outlook);
//! - every link and image URL is made absolute;
//! - every image has a `width` (Outlook shows images at their file's size otherwise) and an
//!   `alt` (shown while images are blocked, which is the default in many clients).

use css_inline::CSSInliner;

/// Inlines the CSS of `html` and makes its URLs absolute: root-relative ones against
/// `base_url`, relative ones and `#fragments` against `page_url` (the web edition). Values
/// in `keep` (the unsubscribe placeholder) are left as they are.
pub(crate) fn finish(
    html: &str,
    base_url: &str,
    page_url: &str,
    keep: &[&str],
) -> Result<String, String> {
    let inliner = CSSInliner::options()
        .load_remote_stylesheets(false)
        .keep_link_tags(false)
        .keep_at_rules(true)
        .apply_width_attributes(true)
        .resolve_css_variables(true)
        .build();
    let html = single_images(html);
    let inlined = inliner.inline(&html).map_err(|e| e.to_string())?;
    Ok(absolute_urls(
        &sized_images(&inlined, IMAGE_WIDTH),
        base_url,
        page_url,
        keep,
    ))
}

/// Each `<picture>` of the site's processed pictures as one JPEG or PNG `<img>`: mail
/// clients (Outlook, older ones) show no WebP and read neither `<source>` nor `srcset`. The
/// `<img>` takes the widest fallback variant up to 1,200 px (the column at 2×), shown at the
/// column's width with its height to match.
fn single_images(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<picture>") {
        out.push_str(&rest[..at]);
        let Some(len) = rest[at..].find("</picture>") else {
            break;
        };
        let picture = &rest[at..at + len];
        out.push_str(&email_img(picture).unwrap_or_else(|| picture.to_string() + "</picture>"));
        rest = &rest[at + len + "</picture>".len()..];
    }
    out.push_str(rest);
    out
}

/// The `<img>` of one `<picture>` (up to its `</picture>`), for e-mail.
fn email_img(picture: &str) -> Option<String> {
    let img = &picture[picture.find("<img ")?..];
    let attr = |name: &str| -> Option<&str> {
        let key = format!(" {name}=\"");
        let start = img.find(&key)? + key.len();
        Some(&img[start..start + img[start..].find('"')?])
    };
    let (width, height): (u32, u32) = (attr("width")?.parse().ok()?, attr("height")?.parse().ok()?);
    let best = attr("srcset")?
        .split(", ")
        .filter_map(|c| {
            let (url, w) = c.rsplit_once(' ')?;
            Some((w.strip_suffix('w')?.parse::<u32>().ok()?, url))
        })
        .filter(|(w, _)| *w <= 1200)
        .max()?;
    let (w, h) = crate::render::pictures::shown_in_email(width, height);
    Some(format!(
        r#"<img src="{}" width="{w}" height="{h}" alt="{}" style="display:block;width:100%;max-width:{w}px;height:auto;border:0">"#,
        best.1,
        attr("alt").unwrap_or("")
    ))
}

/// The width of the text column of the 600 px layout, for images without a width.
pub(crate) const IMAGE_WIDTH: u32 = 552;

/// Gives every `<img>` without a `width` attribute `width="{width}"`, and every one without
/// `alt` an empty `alt`. Works on the inliner's serialization, where a tag ends at the first
/// `>` outside a quoted value.
fn sized_images(html: &str, width: u32) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find("<img ") {
        out.push_str(&rest[..at]);
        let tag_rest = &rest[at..];
        let mut quoted = false;
        let end = tag_rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map_or(tag_rest.len(), |(i, _)| i);
        let tag = &tag_rest[..end];
        let body = tag.trim_end_matches('/').trim_end();
        out.push_str(body);
        if !tag.contains(" width=\"") {
            out.push_str(&format!(" width=\"{width}\""));
        }
        if !tag.contains(" alt=\"") {
            out.push_str(" alt=\"\"");
        }
        rest = &tag_rest[end..];
    }
    out.push_str(rest);
    out
}

/// Rewrites the `href`, `src` and `background` attributes of serialized HTML. The input is
/// the inliner's output, which quotes every attribute value with `"` and escapes `"` inside
/// it, so a value runs to the next `"`.
fn absolute_urls(html: &str, base_url: &str, page_url: &str, keep: &[&str]) -> String {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html;
    while let Some(at) = next_url_attribute(rest) {
        let (head, tail) = rest.split_at(at);
        out.push_str(head);
        let Some(end) = tail.find('"') else {
            rest = tail;
            break;
        };
        let value = &tail[..end];
        if keep.contains(&value) {
            out.push_str(value);
        } else {
            out.push_str(&absolute(value, base_url, page_url));
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The offset just after the next ` href="`, ` src="` or ` background="` in `html`.
fn next_url_attribute(html: &str) -> Option<usize> {
    ["href=\"", "src=\"", "background=\""]
        .iter()
        .filter_map(|attr| {
            let mut from = 0;
            while let Some(i) = html[from..].find(attr) {
                let at = from + i;
                if html[..at].ends_with([' ', '\n', '\t']) {
                    return Some(at + attr.len());
                }
                from = at + attr.len();
            }
            None
        })
        .min()
}

/// One URL made absolute. Anything with a scheme (`https:`, `mailto:`, `tel:`) stays.
pub(crate) fn absolute(url: &str, base_url: &str, page_url: &str) -> String {
    if has_scheme(url) {
        url.to_string()
    } else if let Some(rest) = url.strip_prefix("//") {
        let scheme = base_url.split(':').next().unwrap_or("https");
        format!("{scheme}://{rest}")
    } else if url.starts_with('/') {
        format!("{base_url}{url}")
    } else if url.starts_with('#') || url.starts_with('?') {
        let page = page_url.split(['#', '?']).next().unwrap_or(page_url);
        format!("{page}{url}")
    } else {
        // Relative to the folder of the web edition.
        let dir = match page_url.rfind('/') {
            Some(i) => &page_url[..=i],
            None => page_url,
        };
        format!("{dir}{url}")
    }
}

fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://n.example";
    const PAGE: &str = "https://n.example/ausgaben/2007-11/";

    #[test]
    fn urls_become_absolute() {
        assert_eq!(
            absolute("/artikel/a/", BASE, PAGE),
            "https://n.example/artikel/a/"
        );
        assert_eq!(
            absolute("bild.jpg", BASE, PAGE),
            "https://n.example/ausgaben/2007-11/bild.jpg"
        );
        assert_eq!(
            absolute("#inhalt", BASE, PAGE),
            "https://n.example/ausgaben/2007-11/#inhalt"
        );
        assert_eq!(absolute("mailto:a@b.de", BASE, PAGE), "mailto:a@b.de");
        assert_eq!(
            absolute("//cdn.example/x.png", BASE, PAGE),
            "https://cdn.example/x.png"
        );
        assert_eq!(absolute("https://x.de/a", BASE, PAGE), "https://x.de/a");
    }

    #[test]
    fn images_get_a_width_and_alt() {
        assert_eq!(
            sized_images(
                r#"<p><img src="a.jpg"><img src="b.jpg" width="100" alt="B"></p>"#,
                552
            ),
            r#"<p><img src="a.jpg" width="552" alt=""><img src="b.jpg" width="100" alt="B"></p>"#
        );
    }

    #[test]
    fn css_is_inlined_and_links_made_absolute() {
        let html = r#"<!doctype html><html><head><style>p { color: #123456 } @media (max-width: 600px) { p { font-size: 18px } }</style></head>
<body><p><a href="/artikel/a/">A</a> <a href="{{ UnsubscribeURL }}">Abmelden</a></p><table style="width: 600px"><tr><td><img src="bild.jpg" alt="Bild"></td></tr></table></body></html>"#;
        let out = finish(html, BASE, PAGE, &["{{ UnsubscribeURL }}"]).unwrap();
        assert!(out.contains(r#"<p style="color: #123456;">"#), "{out}");
        assert!(
            out.contains(r#"href="https://n.example/artikel/a/""#),
            "{out}"
        );
        assert!(out.contains(r#"href="{{ UnsubscribeURL }}""#), "{out}");
        assert!(
            out.contains(r#"src="https://n.example/ausgaben/2007-11/bild.jpg""#),
            "{out}"
        );
        assert!(out.contains(r#"width="600""#), "{out}");
        // The media query cannot be inlined: it stays for the clients that read <style>.
        assert!(out.contains("@media"), "{out}");
    }
}
