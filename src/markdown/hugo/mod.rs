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
//! continues from the last one, see [`scan::Finder`]), paired by a stack, and rewritten in a
//! second pass. A page of 100,000 unclosed `{{<` costs what a page of 100,000 words does.

mod builtins;
mod scan;
mod tag;

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Tag};

use super::Problem;
use super::shortcodes::OffsetMap;
use builtins::{Inner, Output};
use scan::{Kind, Token, pair, scan};
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
        // A `{` before the edit and a `{`, `<` or `%` after it would join into a new
        // opener (`{{` + removed call + `<`): that `{` is written as `&#123;`.
        let next = with.chars().next().or(self.src[range.end..].chars().next());
        let joins = range.start > self.copied
            && self.src[..range.start].ends_with('{')
            && matches!(next, Some('{' | '<' | '%'));
        let (range, brace) = if joins {
            (range.start - 1..range.end, "&#123;")
        } else {
            (range, "")
        };
        self.text.push_str(&self.src[self.copied..range.start]);
        let start = self.text.len();
        self.text.push_str(brace);
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
