//! The first pass of [`translate`](super::translate): every foreign tag of a text found, in
//! order, and Hugo's opening and closing tags paired. Each search for a closer continues
//! where the one before ended ([`Finder`]), so a text full of unclosed openers is read once.

use std::collections::HashMap;
use std::ops::Range;

use super::super::Problem;
use super::tag::{self, Call};

/// Finds the next occurrence of a pattern at or after a position that never goes back, each
/// search continuing where the last one ended: over a whole pass, linear in the text.
pub(super) struct Finder {
    pat: &'static str,
    /// The last answer, and the position it was searched from.
    last: Option<(usize, Option<usize>)>,
}

impl Finder {
    pub(super) fn new(pat: &'static str) -> Finder {
        Finder { pat, last: None }
    }

    /// The first occurrence at or after `from` (which is never less than the last `from`).
    pub(super) fn next(&mut self, text: &str, from: usize) -> Option<usize> {
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
pub(super) struct Token {
    pub(super) range: Range<usize>,
    pub(super) kind: Kind,
}

#[derive(Debug)]
pub(super) enum Kind {
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
pub(super) fn scan(text: &str, code: &[Range<usize>], warnings: &mut Vec<Problem>) -> Vec<Token> {
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
pub(super) fn pair(tokens: &[Token]) -> Vec<Option<usize>> {
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
