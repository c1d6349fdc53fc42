//! Putting the HTML of shortcode calls in place. Calls are rendered before the Markdown,
//! which sees each as a placeholder word; once the Markdown is HTML, each placeholder makes
//! room for its call's HTML, and block HTML never stays inside a paragraph or heading.

use super::shortcodes;

/// Replaces placeholders: alone in a paragraph, the paragraph goes too. One pass over the
/// HTML, each placeholder once (the first time it appears), so a page of many calls costs
/// what its length does.
pub(super) fn fill(html: &str, blocks: &[String]) -> String {
    let prefix = shortcodes::PLACEHOLDER_PREFIX;
    let mut out = String::with_capacity(html.len() + blocks.iter().map(String::len).sum::<usize>());
    let mut used = vec![false; blocks.len()];
    let mut copied = 0;
    let mut from = 0;
    while let Some(k) = html[from..].find(prefix) {
        let at = from + k;
        from = at + prefix.len();
        let Some((n, len)) =
            shortcodes::placeholder_at(&html[at..]).filter(|(n, _)| *n < blocks.len())
        else {
            continue;
        };
        if used[n] {
            continue;
        }
        used[n] = true;
        let end = at + len;
        let block = &blocks[n];
        if html[..at].ends_with("<p>") && html[end..].starts_with("</p>\n") {
            out.push_str(&html[copied..at - 3]);
            out.push_str(block);
            out.push('\n');
            copied = end + 5;
        } else {
            out.push_str(&html[copied..at]);
            let closes = html[end..].starts_with("</p>");
            copied = if put_block(&mut out, block, closes) && closes {
                end + 4
            } else {
                end
            };
        }
        from = copied;
    }
    out.push_str(&html[copied..]);
    out
}

/// Puts a call's HTML at the end of `out`. Block HTML (a `<blockquote>`, a `<figure>`, …)
/// cannot stand inside a paragraph or heading: browsers close the paragraph early, and the
/// page's structure is not what it says (found by fuzz/ markdown). A call that shares its
/// paragraph with text splits the paragraph around its block; inside an unclosed inline
/// element or a heading, the block goes before that paragraph or heading. `closes`: the
/// paragraph ends right after the call. Returns whether the paragraph was closed here.
fn put_block(out: &mut String, block: &str, closes: bool) -> bool {
    let Some(start) = starts_with_block(block)
        .then(|| enclosing_start(out))
        .flatten()
    else {
        out.push_str(block);
        return false;
    };
    // The paragraph's content starts after its tag, however it is written (raw HTML can
    // open one as `<p class=x>`); a heading's content is phrasing only, never split.
    let content = out[start..].find('>').map_or(out.len(), |i| start + i + 1);
    if out[start..].starts_with("<h") || open_elements(&out[content..]) > 0 {
        out.insert_str(start, &format!("{block}\n"));
        return false;
    }
    if out.ends_with("<p>") {
        out.truncate(out.len() - 3);
    } else {
        out.push_str("</p>\n");
    }
    out.push_str(block);
    if !closes {
        out.push_str("\n<p>");
    }
    closes
}

/// How far back [`enclosing_start`] looks: a paragraph is shorter than this, and a page of
/// many calls in one giant paragraph must not cost time quadratic in its length.
const LOOK_BACK: usize = 16 << 10;

/// Where the paragraph or heading still open at the end of `out` starts: the nearest tag
/// back that opens or closes a block decides.
fn enclosing_start(out: &str) -> Option<usize> {
    let from = crate::source::floor_char_boundary(out, out.len().saturating_sub(LOOK_BACK));
    let window = &out[from..];
    for (i, _) in window.rmatch_indices('<') {
        let tag = &window[i + 1..];
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(t) => (true, t),
            None => (false, tag),
        };
        let name = tag_name(tag);
        let heading = matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if !closing && (name == "p" || heading) {
            return Some(from + i);
        }
        if name == "p" || heading || is_block(&name) {
            return None;
        }
    }
    None
}

/// The lowercased element name at the start of a tag's text (after `<` or `</`).
fn tag_name(tag: &str) -> String {
    tag.chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// How many elements opened in `html` are not closed in it (void elements and `<x/>` open
/// none).
fn open_elements(html: &str) -> usize {
    const VOID: &[&str] = &[
        "area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
        "wbr",
    ];
    let mut open = 0usize;
    for (i, _) in html.match_indices('<') {
        let rest = &html[i + 1..];
        let Some(tag) = rest.get(..rest.find('>').unwrap_or(rest.len())) else {
            continue;
        };
        if let Some(closing) = tag.strip_prefix('/') {
            if !closing.is_empty() {
                open = open.saturating_sub(1);
            }
            continue;
        }
        let name = tag_name(tag);
        if !name.is_empty() && !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            open += 1;
        }
    }
    open
}

/// Whether `html` starts with an element that may not stand inside a paragraph.
fn starts_with_block(html: &str) -> bool {
    html.trim_start()
        .strip_prefix('<')
        .is_some_and(|tag| is_block(&tag_name(tag)))
}

/// Whether elements of this name are blocks: none may stand inside a paragraph, and each
/// ends the search for the paragraph a call is in.
fn is_block(name: &str) -> bool {
    const BLOCK: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ];
    BLOCK.contains(&name)
}
