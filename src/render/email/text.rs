//! The plain-text alternative of an edition (`email.txt`, and the text part of the mail):
//! titles underlined, paragraphs wrapped at 72 columns, and every link a numbered
//! reference (`[1]`) listed at the end, the way plain-text newsletters have always been
//! written, so that no line is broken by a long URL.
//!
//! The text comes from the same rendered HTML as the web page (the editorial, the article
//! summaries), read with html5gum, so shortcodes, quotes and entities come out as readers
//! see them in the browser.

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

/// Columns of a wrapped line.
pub(crate) const WIDTH: usize = 72;

/// One article of the edition.
pub(crate) struct Article<'a> {
    /// Its title.
    pub(crate) title: &'a str,
    /// The line under the title: date, authors, region.
    pub(crate) meta: String,
    /// Its summary as HTML.
    pub(crate) summary_html: &'a str,
    /// Its absolute URL.
    pub(crate) url: &'a str,
}

/// Words of the plain text, in the site's language.
pub(crate) struct Labels<'a> {
    /// Heading of the list of contents.
    pub(crate) contents: &'a str,
    /// Before the article's link reference.
    pub(crate) more: &'a str,
    /// Before the web edition's link reference.
    pub(crate) web_version: &'a str,
    /// Before the unsubscribe link reference.
    pub(crate) unsubscribe: &'a str,
    /// Heading of the link list.
    pub(crate) links: &'a str,
}

/// What the plain text shows.
pub(crate) struct Edition<'a> {
    /// The main title.
    pub(crate) title: &'a str,
    /// The line under it (site, number, date).
    pub(crate) subtitle: &'a str,
    /// The editorial as HTML.
    pub(crate) editorial_html: &'a str,
    /// The articles, in order.
    pub(crate) articles: Vec<Article<'a>>,
    /// The web edition's URL: relative links of the HTML are resolved against it.
    pub(crate) web_url: &'a str,
    /// The site's base URL.
    pub(crate) base_url: &'a str,
    /// Where the unsubscribe link points (a placeholder, as configured).
    pub(crate) unsubscribe_url: &'a str,
    /// The sender's line: who publishes, at which postal address.
    pub(crate) sender: Option<String>,
    /// The legal pages: (label, URL), the Impressum first.
    pub(crate) legal: Vec<(String, String)>,
    /// Words.
    pub(crate) labels: Labels<'a>,
}

/// Numbered link references, each URL numbered once (looked up by hash: an edition may
/// link thousands of times).
#[derive(Default)]
struct Refs(Vec<String>, std::collections::HashMap<String, usize>);

impl Refs {
    fn number(&mut self, url: &str) -> usize {
        if let Some(&n) = self.1.get(url) {
            return n;
        }
        self.0.push(url.to_string());
        self.1.insert(url.to_string(), self.0.len());
        self.0.len()
    }
}

/// The whole plain text, ending in a newline.
pub(crate) fn render(e: &Edition<'_>) -> String {
    let mut refs = Refs::default();
    let mut out = String::new();
    underlined(&mut out, e.title, '=');
    push_wrapped(&mut out, e.subtitle, "", "");
    out.push('\n');
    let editorial = blocks(e.editorial_html, e.base_url, e.web_url, &mut refs);
    push_blocks(&mut out, &editorial);

    if e.articles.len() > 1 {
        underlined(&mut out, e.labels.contents, '-');
        for (n, a) in e.articles.iter().enumerate() {
            let marker = format!("{}. ", n + 1);
            let indent = " ".repeat(marker.len());
            push_wrapped(&mut out, a.title, &marker, &indent);
        }
        out.push('\n');
    }

    for a in &e.articles {
        out.push('\n');
        underlined(&mut out, a.title, '-');
        if !a.meta.is_empty() {
            push_wrapped(&mut out, &a.meta, "", "");
            out.push('\n');
        }
        let summary = blocks(a.summary_html, e.base_url, a.url, &mut refs);
        push_blocks(&mut out, &summary);
        let n = refs.number(a.url);
        push_wrapped(&mut out, &format!("{}: [{n}]", e.labels.more), "", "");
        out.push('\n');
    }

    out.push_str("-- \n");
    let web = refs.number(e.web_url);
    push_wrapped(
        &mut out,
        &format!("{}: [{web}]", e.labels.web_version),
        "",
        "",
    );
    let unsubscribe = refs.number(e.unsubscribe_url);
    push_wrapped(
        &mut out,
        &format!("{}: [{unsubscribe}]", e.labels.unsubscribe),
        "",
        "",
    );
    if let Some(sender) = &e.sender {
        push_wrapped(&mut out, sender, "", "");
    }
    for (label, url) in &e.legal {
        let n = refs.number(url);
        push_wrapped(&mut out, &format!("{label}: [{n}]"), "", "");
    }
    out.push('\n');

    underlined(&mut out, e.labels.links, '-');
    for (i, url) in refs.0.iter().enumerate() {
        // A URL is never wrapped: mail clients make it clickable only when it is whole.
        out.push_str(&format!("[{}] {url}\n", i + 1));
    }
    out
}

/// A title with a line of `c` under it, as long as the title (wrapped titles: as long as
/// their longest line).
fn underlined(out: &mut String, title: &str, c: char) {
    let lines = textwrap::wrap(title, options(WIDTH, "", ""));
    let width = lines
        .iter()
        .map(|l| textwrap::core::display_width(l))
        .max()
        .unwrap_or(0);
    for l in &lines {
        out.push_str(l);
        out.push('\n');
    }
    out.extend(std::iter::repeat_n(c, width));
    out.push_str("\n\n");
}

fn options<'a>(width: usize, first: &'a str, rest: &'a str) -> textwrap::Options<'a> {
    textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        // A long word (a URL in the text) overflows rather than being cut in two.
        .break_words(false)
}

fn push_wrapped(out: &mut String, text: &str, first: &str, rest: &str) {
    for line in textwrap::wrap(text, options(WIDTH, first, rest)) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// A block of text and how its lines start.
#[derive(Debug, PartialEq)]
struct Block {
    text: String,
    first: String,
    rest: String,
    /// Headings are underlined.
    heading: bool,
}

fn push_blocks(out: &mut String, blocks: &[Block]) {
    for b in blocks {
        if b.heading {
            underlined(out, &b.text, '-');
        } else {
            push_wrapped(out, &b.text, &b.first, &b.rest);
            out.push('\n');
        }
    }
}

/// Tags that end a block of text.
fn is_block(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"div"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"li"
            | b"ul"
            | b"ol"
            | b"blockquote"
            | b"pre"
            | b"table"
            | b"tr"
            | b"figure"
            | b"figcaption"
            | b"section"
            | b"article"
            | b"header"
            | b"footer"
            | b"hr"
    )
}

/// What [`blocks`] has read so far.
#[derive(Default)]
struct Reader {
    blocks: Vec<Block>,
    text: String,
    tag: Vec<u8>,
    attr: Vec<u8>,
    href: Option<String>,
    alt: Option<String>,
    /// The link whose text is being read.
    open_link: Option<String>,
    /// Every link's `href`, in the order their texts end.
    links: Vec<String>,
    /// Open lists: `None` for `ul`, the next number for `ol`.
    lists: Vec<Option<usize>>,
    quote: usize,
    heading: bool,
    skip: usize,
    first: String,
}

impl Reader {
    /// Ends the current block of text.
    fn flush(&mut self) {
        let text = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.text.clear();
        if text.is_empty() {
            return;
        }
        let quote = "> ".repeat(self.quote);
        let first = format!("{quote}{}", std::mem::take(&mut self.first));
        let rest = format!("{quote}{}", " ".repeat(first.len() - quote.len()));
        self.blocks.push(Block {
            text,
            first,
            rest,
            heading: self.heading,
        });
    }

    fn attribute(&mut self, value: &[u8]) {
        let v = String::from_utf8_lossy(value).into_owned();
        match (self.tag.as_slice(), self.attr.as_slice()) {
            // As a browser reads a URL: tabs and line breaks in it are dropped, spaces and
            // controls around it trimmed. A line break would split the link list's line
            // (found by fuzzing: `fuzz/`, email_text).
            (b"a", b"href") => {
                let url: String = v
                    .chars()
                    .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                    .collect();
                let url = url.trim_matches(|c: char| c <= ' ');
                self.href = Some(url.to_string());
            }
            (b"img", b"alt") => self.alt = Some(v),
            _ => {}
        }
    }

    /// A start tag, with all its attributes read.
    fn start_tag(&mut self) {
        let tag = self.tag.clone();
        if matches!(tag.as_slice(), b"script" | b"style") {
            self.skip += 1;
        }
        if is_block(&tag) {
            self.flush();
        }
        match tag.as_slice() {
            b"ul" => self.lists.push(None),
            b"ol" => self.lists.push(Some(1)),
            b"li" => {
                self.first = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_string(),
                };
            }
            b"blockquote" => self.quote += 1,
            b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => self.heading = true,
            b"br" => self.text.push('\n'),
            b"img" => {
                if let Some(alt) = self.alt.take().filter(|a| !a.trim().is_empty()) {
                    self.text.push_str(&format!(" [{}] ", alt.trim()));
                }
            }
            b"a" => self.open_link = self.href.take(),
            _ => {}
        }
    }

    fn end_tag(&mut self, name: &[u8]) {
        let name = name.to_ascii_lowercase();
        match name.as_slice() {
            b"script" | b"style" => self.skip = self.skip.saturating_sub(1),
            b"a" => {
                if let Some(href) = self.open_link.take() {
                    self.links.push(href);
                    // A marker the numbering replaces, so numbers follow the order of the
                    // text.
                    let marker = format!(" \u{1}{}\u{1}", self.links.len() - 1);
                    self.text.push_str(&marker);
                }
            }
            _ => {}
        }
        if is_block(&name) {
            self.flush();
        }
        match name.as_slice() {
            b"ul" | b"ol" => {
                self.lists.pop();
            }
            b"blockquote" => self.quote = self.quote.saturating_sub(1),
            b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => self.heading = false,
            _ => {}
        }
    }
}

/// Splits rendered HTML into blocks of plain text: links get their reference number, images
/// their alt text, lists a dash or a number, quotes a `>`.
fn blocks(html: &str, base_url: &str, page_url: &str, refs: &mut Refs) -> Vec<Block> {
    let mut s = Reader::default();
    {
        let mut emitter =
            CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| -> Option<()> {
                match event {
                    CallbackEvent::OpenStartTag { name } => {
                        s.tag = name.to_ascii_lowercase();
                        s.href = None;
                        s.alt = None;
                    }
                    CallbackEvent::AttributeName { name } => {
                        s.attr = name.to_ascii_lowercase();
                    }
                    CallbackEvent::AttributeValue { value } => s.attribute(value),
                    CallbackEvent::CloseStartTag { .. } => s.start_tag(),
                    CallbackEvent::EndTag { name } => s.end_tag(name),
                    CallbackEvent::String { value } if s.skip == 0 => {
                        // U+0001 marks links in the text (see `number_links`); one the HTML
                        // brings (`&#1;`) would be read as a marker (found by fuzz/ email_text).
                        let text = String::from_utf8_lossy(value);
                        s.text.extend(text.chars().filter(|&c| c != '\u{1}'));
                    }
                    _ => {}
                }
                None
            });
        emitter.naively_switch_states(true);
        for _ in Tokenizer::new_with_emitter(html.as_bytes(), emitter) {}
    }
    s.flush();
    let mut blocks = s.blocks;
    number_links(&mut blocks, &s.links, base_url, page_url, refs);
    blocks
}

/// Replaces the link markers with reference numbers, in reading order.
fn number_links(
    blocks: &mut [Block],
    links: &[String],
    base_url: &str,
    page_url: &str,
    refs: &mut Refs,
) {
    for b in blocks {
        if !b.text.contains('\u{1}') {
            continue;
        }
        // One pass over the text: replacing markers in place, each search from the start,
        // took time quadratic in the number of links.
        let mut out = String::with_capacity(b.text.len());
        let mut rest = b.text.as_str();
        while let Some(start) = rest.find('\u{1}') {
            let Some(len) = rest[start + 1..].find('\u{1}') else {
                break;
            };
            let i: usize = rest[start + 1..start + 1 + len].parse().unwrap_or(0);
            let url = links
                .get(i)
                .map(|l| super::html::absolute(l, base_url, page_url))
                .unwrap_or_default();
            out.push_str(&rest[..start]);
            out.push_str(&format!("[{}]", refs.number(&url)));
            rest = &rest[start + len + 2..];
        }
        out.push_str(rest);
        b.text = out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition<'a>(articles: Vec<Article<'a>>, editorial: &'a str) -> Edition<'a> {
        Edition {
            title: "iTeam Newsletter – Ausgabe 1",
            subtitle: "November 2007 · 30. November 2007",
            editorial_html: editorial,
            articles,
            web_url: "https://n.example/ausgaben/2007-11/",
            base_url: "https://n.example",
            unsubscribe_url: "{{ UnsubscribeURL }}",
            sender: None,
            legal: Vec::new(),
            labels: Labels {
                contents: "Inhalt",
                more: "Weiterlesen",
                web_version: "Im Browser lesen",
                unsubscribe: "Abmelden",
                links: "Links",
            },
        }
    }

    #[test]
    fn fuzz_email_text_a_link_with_a_line_break_is_listed_on_one_line() {
        let editorial = "<p><a href=\" /artikel/\nLinks\n-----\na/\t\">hier</a></p>";
        let text = render(&edition(Vec::new(), editorial));
        assert!(
            text.contains("hier [1]\n")
                && text.contains("\n[1] https://n.example/artikel/Links-----a/\n"),
            "{text}"
        );
    }

    #[test]
    fn fuzz_email_text_a_control_character_in_the_text_is_no_link_marker() {
        let editorial = "<p>a &#1;0&#x1; b <a href=\"/x/\">x</a> \u{1}1\u{1}</p>";
        let text = render(&edition(Vec::new(), editorial));
        assert!(text.contains("a 0 b x [1] 1\n"), "{text}");
        assert!(!text.contains('\u{1}'), "{text}");
    }

    #[test]
    fn email_text_thousands_of_links_are_numbered_once_each_in_reading_order() {
        let links: String = (0..20_000)
            .map(|i| format!("<a href=\"/a/{}/\">x</a> ", i % 10_000))
            .collect();
        let text = render(&edition(Vec::new(), &format!("<p>{links}</p>")));
        let list = text.rsplit("Links\n-----\n\n").next().unwrap_or_default();
        assert_eq!(
            list.lines().count(),
            10_000 + 2,
            "each URL once, web and unsubscribe"
        );
        assert!(list.starts_with("[1] https://n.example/a/0/\n[2] https://n.example/a/1/\n"));
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("x [10000] x [1] x [2]"),
            "the second round reuses the numbers"
        );
    }

    #[test]
    fn titles_are_underlined_and_links_numbered() {
        let long = "Die iTeam Regionalgruppe Rheinland, der 22 Systemhäuser angehören, ist Vorreiterin bei der Gründung regionaler iTeam Gruppen. Im Kölner Hyatt sprachen 14 Partner.";
        let summary = format!("<p>{long} <a href=\"/autoren/ann-labus/\">Ann</a></p>");
        let text = render(&edition(
            vec![Article {
                title: "Regionalgruppe Rheinland",
                meta: "6. November 2007 · Ann-Christin Labus".into(),
                summary_html: &summary,
                url: "https://n.example/artikel/rheinland/",
            }],
            "<p>Liebe Leserinnen und Leser, <em>willkommen</em> &amp; <a href=\"https://iteam.de\">mehr</a>.</p><ul><li>eins</li><li>zwei</li></ul>",
        ));
        assert!(
            text.starts_with("iTeam Newsletter – Ausgabe 1\n============================\n"),
            "{text}"
        );
        assert!(
            text.contains("Regionalgruppe Rheinland\n------------------------\n"),
            "{text}"
        );
        assert!(text.contains("willkommen & mehr [1]."), "{text}");
        assert!(text.contains("- eins\n\n- zwei\n"), "{text}");
        assert!(text.contains("Ann [2]"), "{text}");
        assert!(text.contains("Weiterlesen: [3]"), "{text}");
        assert!(text.contains("[1] https://iteam.de\n[2] https://n.example/autoren/ann-labus/\n[3] https://n.example/artikel/rheinland/\n[4] https://n.example/ausgaben/2007-11/\n[5] {{ UnsubscribeURL }}\n"), "{text}");
        for line in text.lines().filter(|l| !l.starts_with('[')) {
            assert!(line.chars().count() <= WIDTH, "too long: {line:?}");
        }
    }
}
