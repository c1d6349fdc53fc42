//! Shortcodes: Tera templates called from Markdown.
//!
//! Two forms: `{{ bild(src="foto.jpg", alt="…") }}` and a body form
//! `{% zitat(autor="…") %}…{% end %}`. Calls are found in the Markdown source before it is
//! parsed (outside code), rendered, and replaced by placeholder words; after the Markdown is
//! rendered the placeholders are replaced by the shortcode's HTML (a placeholder alone in a
//! paragraph replaces the whole paragraph, so block shortcodes do not end up inside `<p>`).
//! An [`OffsetMap`] maps positions in the expanded text back to the original, so every later
//! diagnostic still points at the right line of the file.

use std::ops::Range;

use super::Problem;

/// A shortcode argument value.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// `"text"` or `'text'`.
    Text(String),
    /// `3`, `-1`.
    Int(i64),
    /// `1.5`.
    Float(f64),
    /// `true` / `false`.
    Bool(bool),
}

/// Renders shortcodes; implemented by the template engine.
pub trait Shortcodes: Sync {
    /// Whether a shortcode of that name exists.
    fn exists(&self, name: &str) -> bool;
    /// Names of all shortcodes, for "did you mean".
    fn names(&self) -> Vec<String>;
    /// A fingerprint of the shortcode templates: when it changes, Markdown that calls
    /// shortcodes is rendered again.
    fn fingerprint(&self) -> u64 {
        0
    }
    /// Renders one call. `body` is the body form's content, already rendered to HTML.
    fn render(
        &self,
        name: &str,
        args: &[(String, ArgValue)],
        body: Option<&str>,
    ) -> Result<String, String>;
}

/// Maps offsets in expanded (or translated) text back to the original text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct OffsetMap {
    /// (expanded range, original range) of each replaced call, in order.
    regions: Vec<(Range<usize>, Range<usize>)>,
}

impl OffsetMap {
    /// Records that `original` of the source became `expanded` of the new text. Regions are
    /// pushed in order, each after the one before in both texts.
    pub(crate) fn push(&mut self, expanded: Range<usize>, original: Range<usize>) {
        self.regions.push((expanded, original));
    }

    /// The original offset of expanded offset `p`: inside a replaced region, the region's
    /// start; elsewhere shifted by what the regions before it added or removed. A binary
    /// search, since it is asked for every event of a page with many calls.
    pub(crate) fn original(&self, p: usize) -> usize {
        let after = self.regions.partition_point(|(exp, _)| exp.start <= p);
        let Some((exp, orig)) = after.checked_sub(1).map(|i| &self.regions[i]) else {
            return p;
        };
        if p < exp.end {
            return orig.start;
        }
        let shift = orig.end as isize - exp.end as isize;
        (p as isize + shift).max(0) as usize
    }
}

/// The text with calls replaced, and what replaces each placeholder.
pub(crate) struct Expanded {
    /// Markdown with placeholders.
    pub text: String,
    /// HTML of placeholder `n`.
    pub html: Vec<String>,
    /// Expanded → original offsets.
    pub map: OffsetMap,
}

/// How every placeholder word starts.
pub(crate) const PLACEHOLDER_PREFIX: &str = "PRESSWERKSHORTCODE";

/// The placeholder word of call `n`: letters and digits only, so Markdown leaves it alone.
pub(crate) fn placeholder(n: usize) -> String {
    format!("{PLACEHOLDER_PREFIX}{n}X")
}

/// The call number and length of the placeholder at the start of `text`, if one starts
/// there (`PRESSWERKSHORTCODE12X…` → `(12, 21)`).
pub(crate) fn placeholder_at(text: &str) -> Option<(usize, usize)> {
    let digits = text.strip_prefix(PLACEHOLDER_PREFIX)?;
    let len = digits.bytes().take_while(u8::is_ascii_digit).count();
    let n = digits[..len].parse().ok()?;
    digits[len..]
        .starts_with('X')
        .then_some((n, PLACEHOLDER_PREFIX.len() + len + 1))
}

/// `text` without the placeholders in it: a heading's id and its entry in the contents are
/// made of its words, not of the calls in it.
pub(crate) fn without_placeholders(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(PLACEHOLDER_PREFIX) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(PLACEHOLDER_PREFIX) {
        out.push_str(&rest[..at]);
        match placeholder_at(&rest[at..]) {
            Some((_, len)) => rest = &rest[at + len..],
            None => {
                out.push_str(PLACEHOLDER_PREFIX);
                rest = &rest[at + PLACEHOLDER_PREFIX.len()..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Finds and renders every call in `src`. `render_body` turns a body into HTML.
pub(crate) fn expand(
    src: &str,
    shortcodes: &dyn Shortcodes,
    render_body: &dyn Fn(&str) -> String,
    problems: &mut Vec<Problem>,
) -> Option<Expanded> {
    if !src.contains("{{") && !src.contains("{%") {
        return None;
    }
    let mut out = Expansion::new(src);
    let code = super::hugo::code_ranges(src);
    let mut ends: EndCache = None;
    let (mut i, mut c) = (0, 0);
    while let Some(k) = src.get(i..).and_then(|t| t.find('{')) {
        i += k;
        while c < code.len() && code[c].end <= i {
            c += 1;
        }
        let rest = &src[i..];
        let body_form = rest.starts_with("{%");
        let in_code = code.get(c).is_some_and(|r| r.start <= i);
        if !(rest.starts_with("{{") || body_form) || in_code {
            i += 1;
            continue;
        }
        let Some(call) = parse_call(src, i, body_form, problems) else {
            i += 2;
            continue;
        };
        let (end, body_html) = if body_form {
            let Some((body, after)) = find_end(src, call.end, &mut ends) else {
                problems.push(unclosed(&call, i));
                i = call.end;
                continue;
            };
            (after, Some(render_body(&src[body])))
        } else {
            (call.end, None)
        };
        if !shortcodes.exists(&call.name) {
            problems.push(unknown_shortcode(shortcodes, &call, i));
            i = end;
            continue;
        }
        let rendered = render_call(shortcodes, &call, i, body_html.as_deref(), problems);
        out.replace(i..end, rendered);
        i = end;
    }
    Some(out.finish())
}

/// An expansion as it is written: the source copied up to each call, the call replaced by
/// its placeholder, and for each placeholder its HTML and the call's range in the source.
struct Expansion<'a> {
    src: &'a str,
    /// Where in `src` the text not yet copied to `text` starts.
    copied: usize,
    text: String,
    html: Vec<String>,
    map: OffsetMap,
}

impl<'a> Expansion<'a> {
    fn new(src: &'a str) -> Expansion<'a> {
        Expansion {
            src,
            copied: 0,
            text: String::with_capacity(src.len()),
            html: Vec::new(),
            map: OffsetMap::default(),
        }
    }

    /// Replaces the call at `call`, a range of the source after the last call replaced, by
    /// the placeholder of `html`.
    fn replace(&mut self, call: Range<usize>, html: String) {
        self.text.push_str(&self.src[self.copied..call.start]);
        let token_start = self.text.len();
        self.text.push_str(&placeholder(self.html.len()));
        self.copied = call.end;
        self.map.push(token_start..self.text.len(), call);
        self.html.push(html);
    }

    /// The source after the last call, and everything replaced.
    fn finish(mut self) -> Expanded {
        self.text.push_str(&self.src[self.copied..]);
        Expanded {
            text: self.text,
            html: self.html,
            map: self.map,
        }
    }
}

/// The problem of a body-form call without `{% end %}`, at the call.
fn unclosed(call: &Call, start: usize) -> Problem {
    Problem::error(
        "shortcode-unclosed",
        start..call.end,
        format!("shortcode `{}` is never closed", call.name),
        "opened here",
        "end its body with {% end %}",
    )
}

/// The problem of a call to a shortcode that has no template, at the call's name.
fn unknown_shortcode(shortcodes: &dyn Shortcodes, call: &Call, start: usize) -> Problem {
    let names = shortcodes.names();
    let help = match crate::diagnostics::did_you_mean(&call.name, names.iter().map(String::as_str))
    {
        Some(n) => format!("did you mean `{n}`?"),
        None if names.is_empty() => "add a template templates/shortcodes/<name>.html".to_string(),
        None => format!("available shortcodes: {}", names.join(", ")),
    };
    Problem::error(
        "shortcode-unknown",
        start + call.name_at..start + call.name_at + call.name.len(),
        format!("unknown shortcode `{}`", call.name),
        "no template shortcodes/<name>.html",
        help,
    )
}

/// The HTML of the call at `start`, or nothing (and a problem) when its template fails.
fn render_call(
    shortcodes: &dyn Shortcodes,
    call: &Call,
    start: usize,
    body_html: Option<&str>,
    problems: &mut Vec<Problem>,
) -> String {
    match shortcodes.render(&call.name, &call.args, body_html) {
        Ok(h) => h,
        Err(why) => {
            problems.push(Problem::error(
                "shortcode-render",
                start..call.end,
                format!("shortcode `{}` failed", call.name),
                why,
                "check the arguments against the shortcode's template",
            ));
            String::new()
        }
    }
}

struct Call {
    name: String,
    /// Offset of the name from the call's start.
    name_at: usize,
    args: Vec<(String, ArgValue)>,
    /// End of the call (after `}}` or `%}`).
    end: usize,
}

/// Parses a call starting at `start` (`{{` or `{%`). Text that is not shaped like a call
/// (`{{ x }}` without parentheses) is left alone: `None` without a problem. A call with bad
/// arguments is a problem.
fn parse_call(
    src: &str,
    start: usize,
    body_form: bool,
    problems: &mut Vec<Problem>,
) -> Option<Call> {
    let close = if body_form { "%}" } else { "}}" };
    let b = src.as_bytes();
    let mut i = start + 2;
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    let name_start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    if i == name_start || !b[name_start].is_ascii_alphabetic() || b.get(i) != Some(&b'(') {
        return None;
    }
    let name = src[name_start..i].to_string();
    if body_form && name == "end" {
        return None;
    }
    let (args, mut i) = parse_args(src, i + 1, problems)?;
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    if !src[i..].starts_with(close) {
        problems.push(bad_arg(
            i,
            src,
            if body_form {
                "expected `%}` to end the call"
            } else {
                "expected `}}` to end the call"
            },
        ));
        return None;
    }
    Some(Call {
        name,
        name_at: name_start - start,
        args,
        end: i + 2,
    })
}

/// Parses the `name=value, …)` after a call's `(` at `i`: the arguments and the offset after
/// the `)`. A malformed argument is a problem.
fn parse_args(
    src: &str,
    mut i: usize,
    problems: &mut Vec<Problem>,
) -> Option<(Vec<(String, ArgValue)>, usize)> {
    let b = src.as_bytes();
    let mut args = Vec::new();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) == Some(&b')') {
            i += 1;
            break;
        }
        let key_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        let key = &src[key_start..i];
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if key.is_empty() || b.get(i) != Some(&b'=') {
            problems.push(bad_arg(key_start, src, "expected `name=value`"));
            return None;
        }
        i += 1;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        let (value, next) = match parse_value(src, i) {
            Ok(v) => v,
            Err(why) => {
                problems.push(bad_arg(i, src, why));
                return None;
            }
        };
        args.push((key.to_string(), value));
        i = next;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b')') => {}
            _ => {
                problems.push(bad_arg(i, src, "expected `,` or `)` after an argument"));
                return None;
            }
        }
    }
    Some((args, i))
}

fn bad_arg(at: usize, src: &str, why: &str) -> Problem {
    let end = src[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    Problem::error(
        "shortcode-argument",
        at..end,
        "bad shortcode argument".to_string(),
        why.to_string(),
        "arguments look like name=\"text\", n=3 or flag=true, separated by commas",
    )
}

fn parse_value(src: &str, i: usize) -> Result<(ArgValue, usize), &'static str> {
    let rest = &src[i..];
    let first = rest.chars().next().ok_or("expected a value")?;
    if first == '"' || first == '\'' {
        let mut text = String::new();
        let mut chars = rest.char_indices().skip(1);
        while let Some((j, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, e)) => text.push(e),
                    None => break,
                },
                c if c == first => return Ok((ArgValue::Text(text), i + j + 1)),
                '\n' => return Err("text values end on the same line"),
                c => text.push(c),
            }
        }
        return Err("text value is not closed");
    }
    let word_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    let word = &rest[..word_len];
    let value = match word {
        "true" => ArgValue::Bool(true),
        "false" => ArgValue::Bool(false),
        w if w.parse::<i64>().is_ok() => ArgValue::Int(w.parse().map_err(|_| "bad number")?),
        w if w.parse::<f64>().is_ok() => ArgValue::Float(w.parse().map_err(|_| "bad number")?),
        _ => return Err("a value is \"text\" in quotes, a number, true or false"),
    };
    Ok((value, i + word_len))
}

/// The last answer of [`find_end`]: searched from, (start, end) of the end tag found.
type EndCache = Option<(usize, Option<(usize, usize)>)>;

/// Finds `{% end %}` after `from`: (body range, offset after the end tag). The answer is
/// kept: the next call starts further on, and while the end tag found is still ahead it is
/// the answer again, so many unclosed calls cost one pass over the text, not one each.
fn find_end(src: &str, from: usize, cache: &mut EndCache) -> Option<(Range<usize>, usize)> {
    let found = match *cache {
        Some((searched, found))
            if searched <= from && found.is_none_or(|(start, _)| start >= from) =>
        {
            found
        }
        _ => {
            let found = search_end(src, from);
            *cache = Some((from, found));
            found
        }
    };
    found.map(|(start, end)| (from..start, end))
}

/// The first `{% end %}` at or after `from`: its start and end.
fn search_end(src: &str, from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(k) = src.get(i..).and_then(|t| t.find("{%")) {
        let at = i + k;
        let inner = &src[at + 2..];
        let trimmed = inner.trim_start_matches([' ', '\t']);
        if let Some(after) = trimmed.strip_prefix("end") {
            let after_ws = after.trim_start_matches([' ', '\t']);
            if after_ws.starts_with("%}") {
                return Some((at, src.len() - after_ws.len() + 2));
            }
        }
        i = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl Shortcodes for Fake {
        fn exists(&self, name: &str) -> bool {
            name == "bild" || name == "zitat"
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
            Ok(format!("<{name} {args:?} {body:?}>"))
        }
    }

    fn run(src: &str) -> (Option<Expanded>, Vec<Problem>) {
        let mut problems = Vec::new();
        let e = expand(src, &Fake, &|b| format!("[{}]", b.trim()), &mut problems);
        (e, problems)
    }

    #[test]
    fn both_forms_and_arguments() {
        let (e, p) = run(
            "A {{ bild(src=\"a.jpg\", alt='x \\'y\\'', w=3, f=true, r=1.5) }} B\n{% zitat(autor=\"Benter\") %}Text{% end %}\n",
        );
        assert!(p.is_empty(), "{p:?}");
        let e = e.unwrap();
        assert_eq!(e.text, "A PRESSWERKSHORTCODE0X B\nPRESSWERKSHORTCODE1X\n");
        assert!(e.html[0].contains("Text(\"a.jpg\")") && e.html[0].contains("Text(\"x 'y'\")"));
        assert!(
            e.html[0].contains("Int(3)")
                && e.html[0].contains("Bool(true)")
                && e.html[0].contains("Float(1.5)")
        );
        assert_eq!(
            e.html[1],
            "<zitat [(\"autor\", Text(\"Benter\"))] Some(\"[Text]\")>"
        );
        // Offsets after a replaced call map back to the original.
        let b = e.text.find('B').unwrap();
        assert_eq!(
            e.map.original(b),
            "A {{ bild(src=\"a.jpg\", alt='x \\'y\\'', w=3, f=true, r=1.5) }} ".len()
        );
    }

    #[test]
    fn code_and_non_calls_are_left_alone() {
        let (e, p) = run(
            "`{{ bild(src=\"a\") }}`\n\n```\n{{ bild(src=\"a\") }}\n```\n\n{{ kein aufruf }}\n",
        );
        assert!(p.is_empty());
        let e = e.unwrap();
        assert!(e.html.is_empty());
        assert!(e.text.contains("{{ kein aufruf }}"));
    }

    #[test]
    fn problems_point_at_the_call() {
        let (_, p) = run("x {{ bld(src=\"a\") }}\n");
        assert_eq!(p[0].code, "shortcode-unknown");
        assert_eq!(p[0].span, 5..8);
        assert_eq!(p[0].help, "did you mean `bild`?");
        let (_, p) = run("{{ bild(src=a.jpg) }}\n");
        assert_eq!(p[0].code, "shortcode-argument");
        let (_, p) = run("{% zitat() %}ohne Ende\n");
        assert_eq!(p[0].code, "shortcode-unclosed");
    }

    #[test]
    fn many_calls_and_unclosed_bodies_are_each_handled_once() {
        // Each unclosed body once looked for its end over the rest of the text, and each
        // placeholder was searched for over the whole HTML: minutes for this page.
        for piece in ["{% zitat() %}x ", "{{ bild(src=\"a\") }} `c` "] {
            let src = piece.repeat(50_000);
            let (e, p) = run(&src);
            let e = e.expect("expanded");
            if piece.starts_with("{%") {
                assert_eq!(p.len(), 50_000);
                assert!(e.html.is_empty());
            } else {
                assert!(p.is_empty());
                assert_eq!(e.html.len(), 50_000);
            }
        }
        let html = crate::markdown::render_with(
            &"{{ bild(src=\"a\") }}\n\n".repeat(50_000),
            crate::markdown::Options::default(),
            crate::markdown::Context {
                shortcodes: Some(&Fake),
                ..crate::markdown::Context::none()
            },
        )
        .html;
        assert_eq!(html.matches("<bild ").count(), 50_000);
        assert!(!html.contains("PRESSWERKSHORTCODE"));
    }

    #[test]
    fn fuzz_markdown_a_call_cut_off_at_the_end_has_its_problem_inside_the_text() {
        for text in ["Text\n\n{% zitat(", "{{ bild(", "{{ bild(src=\"a\", "] {
            let r = crate::markdown::render_with(
                text,
                crate::markdown::Options::default(),
                crate::markdown::Context {
                    shortcodes: Some(&Fake),
                    ..crate::markdown::Context::none()
                },
            );
            assert_eq!(r.problems.len(), 1, "{text:?}");
            let span = &r.problems[0].span;
            assert!(span.end <= text.len(), "{span:?} in {text:?}");
        }
    }

    /// A theme's quote: block HTML.
    struct Quote;
    impl Shortcodes for Quote {
        fn exists(&self, name: &str) -> bool {
            name == "zitat"
        }
        fn names(&self) -> Vec<String> {
            vec!["zitat".into()]
        }
        fn render(
            &self,
            _: &str,
            _: &[(String, ArgValue)],
            body: Option<&str>,
        ) -> Result<String, String> {
            Ok(format!(
                "<blockquote>{}</blockquote>",
                body.unwrap_or_default().trim()
            ))
        }
    }

    fn quoted(text: &str) -> String {
        crate::markdown::render_with(
            text,
            crate::markdown::Options::default(),
            crate::markdown::Context {
                shortcodes: Some(&Quote),
                ..crate::markdown::Context::none()
            },
        )
        .html
    }

    #[test]
    fn fuzz_markdown_a_block_call_that_shares_a_paragraph_splits_it() {
        assert_eq!(
            quoted("Vorher {% zitat() %}Z{% end %} nachher\n"),
            "<p>Vorher </p>\n<blockquote><p>Z</p></blockquote>\n<p> nachher</p>\n"
        );
        assert_eq!(
            quoted("{% zitat() %}Z{% end %} nachher\n"),
            "<blockquote><p>Z</p></blockquote>\n<p> nachher</p>\n"
        );
        assert_eq!(
            quoted("Vorher {% zitat() %}Z{% end %}\n"),
            "<p>Vorher </p>\n<blockquote><p>Z</p></blockquote>\n"
        );
        // Alone in its paragraph, as before: the paragraph goes.
        assert_eq!(
            quoted("{% zitat() %}Z{% end %}\n"),
            "<blockquote><p>Z</p></blockquote>\n"
        );
    }

    #[test]
    fn fuzz_markdown_a_block_call_in_a_heading_or_an_open_inline_element_goes_before_it() {
        assert_eq!(
            quoted("# Titel {% zitat() %}Z{% end %}\n"),
            "<blockquote><p>Z</p></blockquote>\n<h1 id=\"titel\">Titel </h1>\n"
        );
        assert_eq!(
            quoted("Text *kursiv {% zitat() %}Z{% end %} weiter*\n"),
            "<blockquote><p>Z</p></blockquote>\n<p>Text <em>kursiv  weiter</em></p>\n"
        );
        // An inline call stays where it is.
        assert_eq!(
            quoted("Text `code` mehr\n"),
            "<p>Text <code>code</code> mehr</p>\n"
        );
    }

    #[test]
    fn fuzz_markdown_headings_in_a_shortcode_body_get_no_id_and_no_contents_entry() {
        let r = crate::markdown::render_with(
            "## Plan\n\n{% zitat() %}\n## Plan\n{% end %}\n",
            crate::markdown::Options::default(),
            crate::markdown::Context {
                shortcodes: Some(&Quote),
                ..crate::markdown::Context::none()
            },
        );
        assert_eq!(
            r.html,
            "<h2 id=\"plan\">Plan</h2>\n<blockquote><h2>Plan</h2></blockquote>\n"
        );
        assert_eq!(r.toc.len(), 1);
    }

    #[test]
    fn fuzz_markdown_a_paragraph_opened_in_raw_html_with_wide_characters_after_p() {
        // In raw HTML (a comment block), `<pä…` reads as a paragraph's start tag; what
        // follows it is no `<p>`.
        let html = quoted("<!-- Kommentar\n<pää {% zitat() %}Z{% end %}\n-->\n");
        assert!(html.contains("<blockquote><p>Z</p></blockquote>"), "{html}");
    }
}
