//! Links in imported bodies, rebased. A relative link was written against the page's old URL
//! (`tickets.html` beside `/de/treffen/anmeldung.html`); the page now lives at another URL
//! (`/de/treffen/anmeldung/`), where the same text points somewhere else. Every link, relative
//! or absolute, that led to a page of the old site is pointed at that page's new URL, so it
//! works without a redirect and `check` follows it; links to files, anchors, other sites and
//! the page's own colocated files stay as written.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Where things are on the new site.
pub(super) struct Moves {
    /// Old URL path of a page (`/de/treffen/tickets.html`, `/2024/04/fest/`) → its new one.
    pub(super) pages: HashMap<String, String>,
    /// URL paths of the static files (`/dateien/satzung.pdf`): the same on both sites.
    pub(super) files: HashSet<String>,
    /// A document's file in the old site (`_posts/2017-03-02-x.markdown`, as Jekyll's
    /// `{% link %}` names it) → its file below the new `content/` (`posts/2017-03-02-x.md`),
    /// for the `@/` links the shortcode translation made of such names.
    pub(super) sources: HashMap<String, String>,
}

/// `body` with every link to a moved page pointed at its new URL. `old_url` is where the old
/// site served this page (relative links are read against it); `None` for a page it did not
/// serve, whose relative links are left alone.
pub(super) fn rebase(body: &str, old_url: Option<&str>, moves: &Moves) -> String {
    let code = crate::markdown::hugo::code_ranges(body);
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for dest in destinations(body) {
        if code.iter().any(|c| c.contains(&dest.start)) {
            continue;
        }
        if let Some(new) = rebased(&body[dest.clone()], old_url, moves) {
            out.push_str(&body[at..dest.start]);
            out.push_str(&new);
            at = dest.end;
        }
    }
    out.push_str(&body[at..]);
    out
}

/// The new text of one link destination, if it led to a page that moved.
fn rebased(dest: &str, old_url: Option<&str>, moves: &Moves) -> Option<String> {
    let cut = dest.find(['?', '#']).unwrap_or(dest.len());
    let (path, rest) = dest.split_at(cut);
    if let Some(old) = path.strip_prefix("@/") {
        let new = moves.sources.get(old).filter(|new| *new != old)?;
        return Some(format!("@/{new}{rest}"));
    }
    if path.is_empty() || path.starts_with("//") || path.starts_with("@/") || has_scheme(path) {
        return None;
    }
    let resolved = if path.starts_with('/') {
        normalize("", path)
    } else {
        normalize(folder_of(old_url?), path)
    };
    // `/a/index.html` is the page `/a/`; `/a` was served as `/a/` too.
    let folder = crate::text::url_path::of_output_file(&resolved[1..]);
    let with_slash = format!("{resolved}/");
    let page = [resolved.as_str(), folder.as_str(), with_slash.as_str()]
        .iter()
        .find_map(|k| moves.pages.get(*k));
    // A static file keeps its URL, but a relative link to it was read from the old page's
    // folder; a colocated file (beside a bundle) is neither, and stays relative.
    let new = match page {
        Some(new) => new,
        None if !path.starts_with('/') && moves.files.contains(&resolved) => &resolved,
        None => return None,
    };
    (new != path).then(|| format!("{new}{rest}"))
}

/// The folder a relative link on `url` starts from: `/a/b/` for `/a/b/` and `/a/b/c.html`.
fn folder_of(url: &str) -> &str {
    match url.rfind('/') {
        Some(i) => &url[..=i],
        None => "/",
    }
}

/// `path` read from `folder`, with `.` and `..` resolved (never above `/`).
fn normalize(folder: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let joined = format!("{folder}{path}");
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if path.ends_with('/') && out.len() > 1 {
        out.push('/');
    }
    out
}

/// `mailto:`, `https:`, `javascript:`: a scheme, as URLs spell it, before any `/`.
fn has_scheme(path: &str) -> bool {
    path.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Where link destinations are, in file order: Markdown's `[text](dest)` and `![alt](dest)`,
/// reference definitions `[name]: dest`, and `href="…"` / `src="…"` in raw HTML. One pass
/// over the text; what merely looks like a link (in code) is sorted out by the caller.
fn destinations(body: &str) -> Vec<Range<usize>> {
    let bytes = body.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let next = match bytes[i] {
            b'(' if i > 0 && bytes[i - 1] == b']' => markdown_dest(body, i + 1),
            b':' if i > 0 && bytes[i - 1] == b']' && starts_line_with_label(body, i - 1) => {
                reference_dest(body, i + 1)
            }
            b'=' => html_dest(body, i),
            _ => None,
        };
        if let Some(r) = next {
            i = r.end.max(i + 1);
            found.push(r);
        } else {
            i += 1;
        }
    }
    found
}

/// The destination after `](`: `<dest>` or up to whitespace or the closing `)`.
fn markdown_dest(body: &str, start: usize) -> Option<Range<usize>> {
    let rest = &body[start..];
    if let Some(inner) = rest.strip_prefix('<') {
        let end = inner.find(['>', '\n'])?;
        return Some(start + 1..start + 1 + end);
    }
    let end = bare_destination(rest, true)?;
    (end > 0).then_some(start..start + end)
}

/// The length of a destination written without `<…>`, as CommonMark reads it: up to
/// whitespace (or, in a link, the `)` that closes it), with no control characters and its
/// parentheses balanced. `None` when it is no destination: then the text around it is no
/// link either, and rewriting it could make one (a line of text becoming a definition).
fn bare_destination(rest: &str, in_link: bool) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_ascii_whitespace() => return (depth == 0).then_some(i),
            c if c.is_ascii_control() => return None,
            '\\' => {
                chars.next();
            }
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            ')' => return in_link.then_some(i),
            _ => {}
        }
    }
    (depth == 0).then_some(rest.len())
}

/// Whether the `]` at `close` ends a `[label]` that starts its line (up to three spaces in).
fn starts_line_with_label(body: &str, close: usize) -> bool {
    let line_start = body[..close].rfind('\n').map_or(0, |i| i + 1);
    let line = &body[line_start..close];
    let indent = line.len() - line.trim_start_matches(' ').len();
    indent <= 3 && line[indent..].starts_with('[') && !line[indent..].contains(']')
}

/// The destination of a reference definition, after `]:` and spaces.
fn reference_dest(body: &str, start: usize) -> Option<Range<usize>> {
    let rest = &body[start..];
    let skip = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let s = start + skip;
    let end = bare_destination(&body[s..], false)?;
    (end > 0).then_some(s..s + end)
}

/// The quoted value of an `href=` or `src=` attribute whose `=` is at `eq`.
fn html_dest(body: &str, eq: usize) -> Option<Range<usize>> {
    let before = body[..eq].trim_end_matches(' ');
    // After the last character that is no ASCII letter, whatever its width.
    let name_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_ascii_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let name = &before[name_start..];
    if !(name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src")) || name_start == 0 {
        return None;
    }
    let after = &body[eq + 1..];
    let skip = after.len() - after.trim_start_matches(' ').len();
    let quote = after[skip..]
        .chars()
        .next()
        .filter(|q| matches!(q, '"' | '\''))?;
    let s = eq + 1 + skip + 1;
    let end = body[s..].find([quote, '\n'])?;
    Some(s..s + end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moves() -> Moves {
        Moves {
            pages: [
                ("/de/treffen/tickets.html", "/de/treffen/tickets/"),
                ("/de/treffen/anmeldung.html", "/de/treffen/anmeldung/"),
                ("/2024/04/fest/", "/aktuelles/fest/"),
                ("/ueber/", "/ueber/"),
            ]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
            files: ["/de/treffen/plan.pdf".to_string()].into(),
            sources: [(
                "_posts/2024-04-01-fest.markdown",
                "posts/2024-04-01-fest.md",
            )]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        }
    }

    #[test]
    fn relative_links_from_a_moved_page_to_a_page_or_file_that_stayed_become_absolute() {
        let body = "[Über uns](../../ueber/) [Plan](plan.pdf) [Plakat](plakat.svg)";
        assert_eq!(
            rebase(body, Some("/de/treffen/anmeldung.html"), &moves()),
            "[Über uns](/ueber/) [Plan](/de/treffen/plan.pdf) [Plakat](plakat.svg)"
        );
    }

    #[test]
    fn relative_links_to_moved_pages_are_read_against_the_old_url() {
        let body = "Karten: [hier](tickets.html#preise) und <a href=\"tickets.html\">dort</a>.\n\n\
                    [ref]: ./tickets.html\n\nDas [Fest](../../2024/04/fest/).\n";
        let out = rebase(body, Some("/de/treffen/anmeldung.html"), &moves());
        assert_eq!(
            out,
            "Karten: [hier](/de/treffen/tickets/#preise) und <a href=\"/de/treffen/tickets/\">dort</a>.\n\n\
             [ref]: /de/treffen/tickets/\n\nDas [Fest](/aktuelles/fest/).\n"
        );
    }

    #[test]
    fn absolute_links_to_moved_pages_skip_the_redirect() {
        let out = rebase(
            "[a](/2024/04/fest) [b](/ueber/) [c](/2024/04/fest/index.html#bilder)",
            None,
            &moves(),
        );
        assert_eq!(
            out,
            "[a](/aktuelles/fest/) [b](/ueber/) [c](/aktuelles/fest/#bilder)"
        );
    }

    #[test]
    fn files_anchors_other_sites_and_code_stay_as_written() {
        let body = "![Plakat](plakat.svg) [x](#oben) [y](https://example.org/tickets.html) \
                    [m](mailto:a@b.de) [z](@/artikel/x.md)\n\n`[c](tickets.html)`\n\n\
                    ```\n<a href=\"tickets.html\">\n```\n";
        assert_eq!(
            rebase(body, Some("/de/treffen/anmeldung.html"), &moves()),
            body
        );
    }

    #[test]
    fn without_an_old_url_relative_links_are_left_alone() {
        let body = "[t](tickets.html)";
        assert_eq!(rebase(body, None, &moves()), body);
    }

    #[test]
    fn going_up_never_leaves_the_site() {
        assert_eq!(normalize("/a/", "../../../b"), "/b");
        assert_eq!(normalize("/a/b/", "./c/"), "/a/b/c/");
    }

    #[test]
    fn a_wide_character_before_an_equals_sign_is_no_attribute_name() {
        // A real page (Hugo's documentation): box-drawing characters, then `=`.
        let body = "```\n│=│ href=\"tickets.html\"\n┼=\n```\n<a href=\"tickets.html\">T</a>\n";
        let out = rebase(body, Some("/de/treffen/anmeldung.html"), &moves());
        assert!(out.contains("<a href=\"/de/treffen/tickets/\">"), "{out}");
        assert!(out.starts_with("```\n│=│"), "{out}");
    }

    proptest::proptest! {
        #[test]
        fn any_body_is_rebased_without_panicking(body in "[a-z│ä\\[\\]()<>=\"'./:#\n ]{0,80}") {
            let once = rebase(&body, Some("/de/treffen/anmeldung.html"), &moves());
            proptest::prop_assert_eq!(&once, &rebase(&body, Some("/de/treffen/anmeldung.html"), &moves()));
        }
    }

    #[test]
    fn fuzz_import_body_text_that_is_no_link_destination_is_left_as_it_is() {
        // Unbalanced: CommonMark reads no definition here, so the line stays text, and
        // rewriting it would turn it into a definition that vanishes from the page.
        let body = "[ref]: ../../2024/04/fest/x(/..\n\n[Fest](../../2024/04/fest/x(/..)\n";
        assert_eq!(
            rebase(body, Some("/de/treffen/anmeldung.html"), &moves()),
            body
        );
        let ok = "[ref]: ../../2024/04/fest/\n[Fest](../../2024/04/fest/)\n";
        assert_eq!(
            rebase(ok, Some("/de/treffen/anmeldung.html"), &moves()),
            "[ref]: /aktuelles/fest/\n[Fest](/aktuelles/fest/)\n"
        );
    }

    #[test]
    fn an_internal_link_to_an_old_file_names_its_new_file() {
        // Jekyll's `{% link _posts/….markdown %}`, translated to `@/`, after the post moved.
        assert_eq!(
            rebase(
                "[Fest](@/_posts/2024-04-01-fest.markdown#bilder) [Rest](@/_docs/x.md)",
                None,
                &moves()
            ),
            "[Fest](@/posts/2024-04-01-fest.md#bilder) [Rest](@/_docs/x.md)"
        );
    }
}
