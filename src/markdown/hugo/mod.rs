//! Foreign shortcodes: Hugo's `{{< … >}}` and `{{% … %}}`, and Jekyll's Liquid `{% … %}` and
//! `{{ … }}`, rewritten into presswerk's own Markdown before it is rendered.
//!
//! Content copied from a Hugo or Jekyll site is full of calls that only those tools
//! understand. Left alone they would come out as literal text, and one inside a reference
//! link definition breaks the definition, and with it every link that uses it. So every such
//! call is found (outside code) and replaced: the built-ins presswerk can express by their
//! presswerk equivalent (`figure` → the `bild` shortcode, `ref` → an `@/` link, `highlight` →
//! a fenced code block, …, see [`builtins`]), everything else by nothing, with a warning at
//! its line that names it and says what to do. [`translate`] is a source-to-source function
//! with an [`OffsetMap`] back to the original, so the Markdown stage runs it before
//! rendering and diagnostics still point at the right line, and `presswerk import` can use
//! it to rewrite files once.
//!
//! Code spans and code blocks stay as written, so a page about shortcodes can show them;
//! Hugo's own escape `{{</* name */>}}` becomes `{{< name >}}` in code and as text.
//!
//! The cost is linear in the text: the tags are found in one pass (each search for a closer
//! continues from the last one, see [`Finder`]), paired by a stack, and rewritten in a
//! second pass. A page of 100,000 unclosed `{{<` costs what a page of 100,000 words does.

mod builtins;
mod tag;

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Tag};

use super::Problem;
use super::shortcodes::OffsetMap;
use builtins::{Inner, Output};
use tag::Call;

/// A text with its foreign calls translated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Translated {
    /// The Markdown for presswerk.
    pub(crate) text: String,
    /// Offsets in `text` → offsets in the original.
    pub(crate) offsets: OffsetMap,
    /// What could not be translated (or was removed), with spans in the original.
    pub(crate) warnings: Vec<Problem>,
}

/// Looks up `{{< param "key" >}}`: the page's front matter (`extra`), then the site's
/// `[extra]`; dotted keys reach into tables.
pub(crate) type Params<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// Whether `text` may hold foreign calls at all (a quick look before [`translate`]).
pub(crate) fn needed(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// Translates the foreign calls of `text`; `param` finds no values. For rewriting files
/// (`presswerk import`), where there is no site yet to take values from.
#[allow(dead_code)]
pub(crate) fn translate(text: &str) -> Translated {
    translate_with(text, &|_| None)
}

/// Translates the foreign calls of `text`, taking `param` values from `params`.
pub(crate) fn translate_with(text: &str, params: Params<'_>) -> Translated {
    if !needed(text) {
        return Translated {
            text: text.to_string(),
            ..Translated::default()
        };
    }
    let code = code_ranges(text);
    let mut warnings = Vec::new();
    let tokens = scan(text, &code, &mut warnings);
    let partners = pair(&tokens);
    let mut out = Rewrite::new(text);
    let mut ctx = Emit {
        text,
        params,
        out: &mut out,
        warnings: &mut warnings,
        closing: HashMap::new(),
        skip_until: 0,
    };
    for (t, partner) in tokens.iter().zip(&partners) {
        ctx.token(t, partner.map(|j| &tokens[j]));
    }
    let (text, offsets) = out.finish();
    warnings.sort_by_key(|w| w.span.start);
    Translated {
        text,
        offsets,
        warnings,
    }
}

/// Byte ranges of code blocks (fenced and indented) and code spans, as pulldown-cmark with
/// presswerk's options sees them, in order.
pub(crate) fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (event, range) in super::parse(text) {
        if matches!(event, Event::Start(Tag::CodeBlock(_)) | Event::Code(_))
            && out.last().is_none_or(|l| l.end <= range.start)
        {
            out.push(range);
        }
    }
    out
}

/// Finds the next occurrence of a pattern at or after a position that never goes back, each
/// search continuing where the last one ended: over a whole pass, linear in the text.
pub(crate) struct Finder {
    pat: &'static str,
    /// The last answer, and the position it was searched from.
    last: Option<(usize, Option<usize>)>,
}

impl Finder {
    pub(crate) fn new(pat: &'static str) -> Finder {
        Finder { pat, last: None }
    }

    /// The first occurrence at or after `from` (which is never less than the last `from`).
    pub(crate) fn next(&mut self, text: &str, from: usize) -> Option<usize> {
        if let Some((searched, found)) = self.last
            && searched <= from
            && found.is_none_or(|f| f >= from)
        {
            return found;
        }
        let found = text
            .get(from..)
            .and_then(|t| t.find(self.pat))
            .map(|k| from + k);
        self.last = Some((from, found));
        found
    }
}

/// One foreign tag in the source.
#[derive(Debug)]
pub(crate) struct Token {
    pub range: Range<usize>,
    pub kind: Kind,
}

#[derive(Debug)]
pub(crate) enum Kind {
    /// `{{< name … >}}`, `{{% name … %}}`.
    Open(Call),
    /// `{{< /name >}}`, with the span of the name.
    Close(String, Range<usize>),
    /// `{{</* … */>}}`: Hugo's way to show a call; `inner` is what is between the comment
    /// marks, `code` whether it stands in code.
    Escaped { inner: Range<usize>, code: bool },
    /// `{{<` or `{{%` that no `>}}` or `%}}` closes.
    Unclosed,
    /// `{% name … %}`: the name's span, the words after it, and for `raw`, `highlight` and
    /// `comment` the text up to their end tag (the token then spans that too).
    Liquid {
        name: Range<usize>,
        words: Vec<String>,
        inner: Option<Range<usize>>,
    },
    /// `{{ page.title }}`, with the span of the name.
    LiquidVar(Range<usize>),
}

/// The searches one pass needs, each continuing where it last ended.
struct Finders {
    hugo_end: Finder,
    hugo_md_end: Finder,
    escaped_end: Finder,
    escaped_md_end: Finder,
    open: Finder,
    liquid_end: Finder,
    liquid_open: Finder,
    var_end: Finder,
    end_tags: HashMap<&'static str, Finder>,
}

impl Finders {
    fn new() -> Finders {
        Finders {
            hugo_end: Finder::new(">}}"),
            hugo_md_end: Finder::new("%}}"),
            escaped_end: Finder::new("*/>}}"),
            escaped_md_end: Finder::new("*/%}}"),
            open: Finder::new("{{"),
            liquid_end: Finder::new("%}"),
            liquid_open: Finder::new("{%"),
            var_end: Finder::new("}}"),
            end_tags: ["endraw", "endhighlight", "endcomment"]
                .into_iter()
                .map(|t| (t, Finder::new(t)))
                .collect(),
        }
    }
}

/// Every foreign tag of `text`, in order.
fn scan(text: &str, code: &[Range<usize>], warnings: &mut Vec<Problem>) -> Vec<Token> {
    let mut f = Finders::new();
    let mut tokens = Vec::new();
    let (mut i, mut c) = (0, 0);
    while let Some(k) = text.get(i..).and_then(|t| t.find('{')) {
        let at = i + k;
        while c < code.len() && code[c].end <= at {
            c += 1;
        }
        let in_code = code.get(c).is_some_and(|r| r.start <= at);
        let rest = &text[at..];
        let escape = rest.starts_with("{{</*") || rest.starts_with("{{%/*");
        let token = if let Some(t) = escape.then(|| escaped(text, at, in_code, &mut f)).flatten() {
            Some(t)
        } else if in_code {
            None
        } else if rest.starts_with("{{<") || rest.starts_with("{{%") {
            hugo(text, at, &mut f, warnings)
        } else if rest.starts_with("{%") {
            liquid_tag(text, at, &mut f)
        } else if rest.starts_with("{{") {
            liquid_var(text, at, &mut f)
        } else {
            None
        };
        match token {
            Some(t) => {
                i = t.range.end.max(at + 1);
                tokens.push(t);
            }
            None => i = at + 1,
        }
    }
    tokens
}

fn escaped(text: &str, at: usize, code: bool, f: &mut Finders) -> Option<Token> {
    let finder = if text[at..].starts_with("{{<") {
        &mut f.escaped_end
    } else {
        &mut f.escaped_md_end
    };
    let end = finder.next(text, at + 5)?;
    Some(Token {
        range: at..end + 5,
        kind: Kind::Escaped {
            inner: at + 5..end,
            code,
        },
    })
}

/// A Hugo tag at `at`. Without its closer before the next `{{` it is [`Kind::Unclosed`].
fn hugo(text: &str, at: usize, f: &mut Finders, warnings: &mut Vec<Problem>) -> Option<Token> {
    let markdown = text[at..].starts_with("{{%");
    let finder = if markdown {
        &mut f.hugo_md_end
    } else {
        &mut f.hugo_end
    };
    let end = finder.next(text, at + 3);
    let next_open = f.open.next(text, at + 3);
    let Some(end) = end.filter(|e| next_open.is_none_or(|o| o > *e)) else {
        return Some(Token {
            range: at..at + 3,
            kind: Kind::Unclosed,
        });
    };
    let range = at..end + 3;
    let kind = match tag::parse_hugo(&text[at + 3..end], at + 3) {
        Some(Ok(call)) => Kind::Open(call),
        Some(Err((name, span))) => Kind::Close(name, span),
        None => {
            warnings.push(Problem::warning(
                "foreign-shortcode",
                range.clone(),
                "empty Hugo shortcode",
                "removed",
                "a shortcode names what it calls: {{< figure src=\"…\" >}}",
            ));
            Kind::Unclosed
        }
    };
    Some(Token { range, kind })
}

/// A Liquid tag at `at`, unless it is one of presswerk's own (`{% name(…) %}`, `{% end %}`).
fn liquid_tag(text: &str, at: usize, f: &mut Finders) -> Option<Token> {
    let (name, after) = tag::liquid_name(&text[at + 2..])?;
    let name_at = at + 2 + after - name.len();
    if name == "end" || text[name_at + name.len()..].starts_with('(') {
        return None;
    }
    let end = f.liquid_end.next(text, at + 2)?;
    if f.liquid_open.next(text, at + 2).is_some_and(|o| o < end) {
        return None;
    }
    let words = tag::liquid_words(&text[name_at + name.len()..end]);
    let mut range = at..end + 2;
    let mut inner = None;
    if let Some(end_tag) = block_end(name)
        && let Some((start, stop)) = find_end_tag(text, end + 2, end_tag, f)
    {
        inner = Some(end + 2..start);
        range.end = stop;
    }
    Some(Token {
        range,
        kind: Kind::Liquid {
            name: name_at..name_at + name.len(),
            words,
            inner,
        },
    })
}

/// The end tag of a Liquid block whose inside is not Markdown to translate.
fn block_end(name: &str) -> Option<&'static str> {
    match name {
        "raw" => Some("endraw"),
        "highlight" => Some("endhighlight"),
        "comment" => Some("endcomment"),
        _ => None,
    }
}

/// `{% endraw %}` (with any `-` and spaces) after `from`: (its start, its end).
fn find_end_tag(
    text: &str,
    from: usize,
    end_tag: &'static str,
    f: &mut Finders,
) -> Option<(usize, usize)> {
    let finder = f.end_tags.get_mut(end_tag)?;
    let mut from = from;
    loop {
        let p = finder.next(text, from)?;
        let before = text[..p].trim_end_matches(|c: char| c == '-' || c.is_whitespace());
        let after =
            text[p + end_tag.len()..].trim_start_matches(|c: char| c == '-' || c.is_whitespace());
        if before.ends_with("{%") && after.starts_with("%}") {
            let stop = text.len() - after.len() + 2;
            return Some((before.len() - 2, stop));
        }
        from = p + 1;
    }
}

/// A Liquid output `{{ name }}` (or with filters, `{{ name | f }}`), unless it is a call of
/// presswerk's (`{{ name(…) }}`) or does not look like Liquid (`{{a, b}}`).
fn liquid_var(text: &str, at: usize, f: &mut Finders) -> Option<Token> {
    let (name, after) = tag::liquid_name(&text[at + 2..])?;
    let rest = &text[at + 2 + after..];
    let next = rest.trim_start().chars().next()?;
    let closes_now = rest.trim_start().trim_start_matches('-').starts_with("}}");
    if !(closes_now || next == '|' || next == '[') {
        return None;
    }
    let end = f.var_end.next(text, at + 2 + after)?;
    let name_at = at + 2 + after - name.len();
    Some(Token {
        range: at..end + 2,
        kind: Kind::LiquidVar(name_at..name_at + name.len()),
    })
}

/// For each token, the index of its partner: a Hugo opening tag and the closing tag of the
/// same name that ends it. Tags left open inside a closed pair stand alone. Linear: a count
/// per name says whether a closing tag has anything to close before the stack is popped.
fn pair(tokens: &[Token]) -> Vec<Option<usize>> {
    let mut partner = vec![None; tokens.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut open: HashMap<&str, usize> = HashMap::new();
    for (i, t) in tokens.iter().enumerate() {
        match &t.kind {
            Kind::Open(call) if !call.self_closing => {
                stack.push(i);
                *open.entry(call.name.as_str()).or_default() += 1;
            }
            Kind::Close(name, _) if open.get(name.as_str()).is_some_and(|n| *n > 0) => {
                while let Some(j) = stack.pop() {
                    let Kind::Open(c) = &tokens[j].kind else {
                        continue;
                    };
                    if let Some(n) = open.get_mut(c.name.as_str()) {
                        *n -= 1;
                    }
                    if c.name == *name {
                        partner[j] = Some(i);
                        partner[i] = Some(j);
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    partner
}

/// The second pass: each token replaced, in order.
struct Emit<'a, 'o> {
    text: &'a str,
    params: Params<'a>,
    out: &'o mut Rewrite<'a>,
    warnings: &'o mut Vec<Problem>,
    /// What replaces the closing tag of an opened pair, by the closing token's start.
    closing: HashMap<usize, String>,
    /// Tokens before this offset are inside a pair whose inside is kept as it is.
    skip_until: usize,
}

impl Emit<'_, '_> {
    fn token(&mut self, t: &Token, partner: Option<&Token>) {
        if t.range.start < self.skip_until {
            return;
        }
        match &t.kind {
            Kind::Open(call) => self.open(t, call, partner),
            Kind::Close(name, span) => match self.closing.remove(&t.range.start) {
                Some(with) => self.out.edit(t.range.clone(), &with),
                None => {
                    self.warnings
                        .push(builtins::stray_close(name, span.clone()));
                    self.out.edit(t.range.clone(), "");
                }
            },
            Kind::Escaped { inner, code } => {
                let open = if self.text[t.range.start..].starts_with("{{<") {
                    ("<", ">")
                } else {
                    ("%", "%")
                };
                let braces = if *code { "{{" } else { "&#123;&#123;" };
                let shown = format!(
                    "{braces}{}{}{}}}}}",
                    open.0,
                    &self.text[inner.clone()],
                    open.1
                );
                self.out.edit(t.range.clone(), &shown);
            }
            Kind::Unclosed => {
                self.warnings.push(builtins::unclosed(
                    t.range.clone(),
                    &self.text[t.range.clone()],
                ));
                self.out.edit(t.range.clone(), "");
            }
            Kind::Liquid { name, words, inner } => {
                let name_text = &self.text[name.clone()];
                let inner_text = inner.as_ref().map(|r| &self.text[r.clone()]);
                let output = builtins::liquid(name_text, name.clone(), words, inner_text);
                self.apply_whole(t.range.clone(), output);
            }
            Kind::LiquidVar(name) => {
                self.warnings
                    .push(builtins::liquid_var(&self.text[name.clone()], name.clone()));
                self.out.edit(t.range.clone(), "");
            }
        }
    }

    /// A Hugo opening tag, with the closing tag that pairs with it if there is one.
    fn open(&mut self, t: &Token, call: &Call, partner: Option<&Token>) {
        let inner = partner.map(|p| &self.text[t.range.end..p.range.start]);
        let line_start = t.range.start == 0 || self.text[..t.range.start].ends_with('\n');
        let output = builtins::hugo(call, inner, line_start, self.params);
        if let Some(w) = output.warning.clone() {
            self.warnings.push(w);
        }
        let Some(p) = partner else {
            self.out.edit(t.range.clone(), &output.open);
            return;
        };
        match output.inner {
            Inner::Translate => {
                self.out.edit(t.range.clone(), &output.open);
                self.closing.insert(p.range.start, output.close);
            }
            Inner::Verbatim => {
                self.out.edit(t.range.clone(), &output.open);
                self.out.edit(p.range.clone(), &output.close);
                self.skip_until = p.range.end;
            }
            Inner::Drop => {
                self.out.edit(t.range.start..p.range.end, &output.open);
                self.skip_until = p.range.end;
            }
        }
    }

    /// A Liquid tag (and for a block, its inside and end tag) replaced as a whole.
    fn apply_whole(&mut self, range: Range<usize>, output: Output) {
        if let Some(w) = output.warning {
            self.warnings.push(w);
        }
        self.out.edit(range, &output.open);
    }
}

/// A text rewritten by edits in order: the source copied up to each edit, the edit's text,
/// and an [`OffsetMap`] region for each.
pub(crate) struct Rewrite<'a> {
    src: &'a str,
    copied: usize,
    text: String,
    map: OffsetMap,
}

impl<'a> Rewrite<'a> {
    pub(crate) fn new(src: &'a str) -> Rewrite<'a> {
        Rewrite {
            src,
            copied: 0,
            text: String::with_capacity(src.len()),
            map: OffsetMap::default(),
        }
    }

    /// Replaces `range` (after every range replaced so far) by `with`. An edit that would
    /// reach back is ignored: the tags were found in order, so it cannot happen.
    pub(crate) fn edit(&mut self, range: Range<usize>, with: &str) {
        if range.start < self.copied || range.end > self.src.len() {
            return;
        }
        self.text.push_str(&self.src[self.copied..range.start]);
        let start = self.text.len();
        self.text.push_str(with);
        self.map.push(start..self.text.len(), range.clone());
        self.copied = range.end;
    }

    pub(crate) fn finish(mut self) -> (String, OffsetMap) {
        self.text.push_str(&self.src[self.copied..]);
        (self.text, self.map)
    }
}

#[cfg(test)]
mod tests;
