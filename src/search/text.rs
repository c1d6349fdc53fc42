//! The plain text of rendered HTML, as a reader sees it: the common entities decoded, tags
//! gone, a space where a tag was (block elements separate words), no script or style.
//!
//! The HTML is presswerk's own Markdown output (well formed, few entities), read once per
//! document per build: a single pass over the bytes, not a full HTML tokenizer, which cost
//! a quarter of the whole index at ten thousand articles.

/// The text of `html`, whitespace collapsed to single spaces.
pub(crate) fn plain(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        raw.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            rest = skip_tag(rest);
            raw.push(' ');
        } else {
            let (text, len) = entity(rest);
            raw.push_str(text);
            rest = &rest[len..];
        }
    }
    raw.push_str(rest);
    collapse(&raw)
}

/// `text` with each run of white space made one space, none at either end. Runs of other
/// ASCII are copied as blocks; only white space and non-ASCII are looked at one by one.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut rest = text.trim_start();
    while let Some(&b) = rest.as_bytes().first() {
        let run = rest
            .bytes()
            .position(|b| !b.is_ascii() || b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        if run > 0 {
            if space {
                out.push(' ');
                space = false;
            }
            out.push_str(&rest[..run]);
            rest = &rest[run..];
            continue;
        }
        let c = if b.is_ascii() {
            char::from(b)
        } else {
            rest.chars().next().unwrap_or(' ')
        };
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `rest` after the tag it starts with; after a script or style element, after its end tag.
fn skip_tag(rest: &str) -> &str {
    // Compared in place: this runs for every tag of every document.
    let named = |name: &str| {
        rest.as_bytes()
            .get(1..=name.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(name.as_bytes()))
    };
    for name in ["script", "style", "template"] {
        if named(name) {
            // The first `</name` in any case; each `</` is looked at once.
            let found = rest.match_indices("</").find(|(i, _)| {
                rest.get(i + 2..i + 2 + name.len())
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            });
            return found.map_or("", |(i, _)| after_gt(&rest[i..]));
        }
    }
    if rest.starts_with("<!--") {
        return rest.find("-->").map_or("", |i| &rest[i + 3..]);
    }
    after_gt(rest)
}

fn after_gt(s: &str) -> &str {
    s.find('>').map_or("", |i| &s[i + 1..])
}

/// The text of the entity `rest` starts with, and its length; a lone `&` stays itself.
fn entity(rest: &str) -> (&str, usize) {
    let Some(end) = rest.get(..12).unwrap_or(rest).find(';') else {
        return ("&", 1);
    };
    let name = &rest[1..end];
    let text = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" | "#39" => "'",
        "nbsp" | "#160" => " ",
        "shy" | "#173" => "",
        "ndash" | "#8211" => "–",
        "mdash" | "#8212" => "—",
        "hellip" | "#8230" => "…",
        // Others read as a space: they still separate words, and no word is made of one.
        _ => " ",
    };
    (text, end + 1)
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn text_of_html() {
        assert_eq!(
            plain("<h2>Ein&nbsp;Titel</h2><p>Tom &amp; Jerry<br>im <em>Kölner</em> Hyatt</p>"),
            "Ein Titel Tom & Jerry im Kölner Hyatt"
        );
        assert_eq!(
            plain("<p>a</p><script>var x = '<p>';</script><!-- c --><p>b</p>"),
            "a b"
        );
        assert_eq!(plain("unclosed <b"), "unclosed");
        assert_eq!(plain("a & b &unknown; c&#8211;d"), "a & b c–d");
        assert_eq!(plain("<STYLE>p{}</STYLE>Text"), "Text");
        // White space of every kind, as `split_whitespace` reads it.
        for t in [
            "  a\tb\n\nc  ",
            "6.\u{202f}November\u{a0}2007 ",
            "ä  ö",
            "",
            " \u{3000} ",
        ] {
            let words: Vec<&str> = t.split_whitespace().collect();
            assert_eq!(super::collapse(t), words.join(" "), "{t:?}");
        }
    }
}
