//! The Markdown stage: shortcodes, Markdown, typography, heading ids.
//!
//! - rendering is deterministic: the same text twice gives the same HTML, contents and
//!   problems;
//! - every problem's span lies in the text, on char boundaries;
//! - the table of contents' ids are unique;
//! - where the text has no markup of its own (no `<`, no `&`), every tag in the HTML is the
//!   renderer's, so the HTML must be well-formed: an HTML5 parser reads it back without a
//!   single parse error (every element opened is closed, in order; attributes quoted), the
//!   headings' ids in the HTML are the contents' ids, unique, and no text was escaped twice
//!   (the text the parser reads back has no `&lt;`, `&amp;`, `&quot;` left in it).
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use presswerk::internals::markdown::{self, ArgValue, Options, Rendered, Shortcodes, TocEntry};
use presswerk_fuzz::choice_and_text;
use scraper::{Html, Selector};

/// Two shortcodes like a theme's: an image with arguments, a quote with a body.
struct Theme;

impl Shortcodes for Theme {
    fn exists(&self, name: &str) -> bool {
        matches!(name, "bild" | "zitat")
    }

    fn names(&self) -> Vec<String> {
        vec!["bild".into(), "zitat".into()]
    }

    fn render(
        &self,
        name: &str,
        args: &[(String, ArgValue)],
        body: Option<&str>,
    ) -> Result<String, String> {
        let arg = |key: &str| {
            args.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| escape(&format!("{v:?}")))
                .unwrap_or_default()
        };
        match name {
            "bild" => Ok(format!(
                "<img src=\"{}\" alt=\"{}\">",
                arg("src"),
                arg("alt")
            )),
            "zitat" => Ok(format!(
                "<blockquote>{}<p>{}</p></blockquote>",
                body.unwrap_or_default(),
                arg("autor")
            )),
            _ => Err(format!("no shortcode {name}")),
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fuzz_target!(|data: &[u8]| {
    let (choice, text) = choice_and_text(data, 4);
    let opts = Options {
        german_quotes: choice & 1 == 1,
        dashes: (choice & 1 == 1).then_some("de"),
    };
    let render = || {
        if choice & 2 == 2 {
            markdown::render_with_shortcodes(&text, opts, &Theme)
        } else {
            markdown::render(&text, opts)
        }
    };
    let first = render();
    let second = render();
    assert_eq!(first.html, second.html, "deterministic HTML");
    assert_eq!(first.summary, second.summary);
    assert_eq!(first.toc, second.toc);
    assert_eq!(
        format!("{:?}", first.problems),
        format!("{:?}", second.problems)
    );
    for p in &first.problems {
        let s = &p.span;
        assert!(
            s.start <= s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end),
            "problem span {s:?} in {} bytes: {p:?}",
            text.len()
        );
    }
    let mut ids = Vec::new();
    toc_ids(&first.toc, &mut ids);
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "toc ids unique: {ids:?}");
    if !text.contains(['<', '&']) {
        well_formed(&first, &ids);
    }
});

fn toc_ids<'a>(toc: &'a [TocEntry], ids: &mut Vec<&'a str>) {
    for e in toc {
        ids.push(&e.id);
        toc_ids(&e.children, ids);
    }
}

fn well_formed(r: &Rendered, toc: &[&str]) {
    let html = Html::parse_fragment(&r.html);
    assert!(
        html.errors.is_empty(),
        "parse errors {:?} in {:?}",
        html.errors,
        r.html
    );
    let headings = Selector::parse("h1, h2, h3, h4, h5, h6").expect("a selector");
    let ids: Vec<&str> = html
        .select(&headings)
        .filter_map(|h| h.value().attr("id"))
        .collect();
    assert_eq!(ids, toc, "the headings' ids are the contents' ids");
    let text: String = html.root_element().text().collect();
    for twice in ["&lt;", "&gt;", "&amp;", "&quot;", "&#"] {
        assert!(
            !text.contains(twice),
            "{twice} escaped twice in {:?}",
            r.html
        );
    }
}
