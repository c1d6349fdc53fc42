//! The inside of a foreign tag: a Hugo call's name and arguments (positional or named,
//! quoted with `"` or backquotes, or bare), and the name and rest of a Liquid tag.

use std::ops::Range;

/// One argument of a Hugo call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Arg {
    /// `None` for a positional argument.
    pub name: Option<String>,
    pub value: String,
}

/// A Hugo shortcode tag: `{{< name args >}}`, `{{% name args %}}` or `{{< name args />}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call {
    pub name: String,
    /// Where the name is in the source.
    pub name_span: Range<usize>,
    pub args: Vec<Arg>,
    /// `{{< name />}}`: never paired with a closing tag.
    pub self_closing: bool,
}

impl Call {
    /// The named argument `name`, else the positional one at `position`.
    pub(crate) fn get(&self, name: &str, position: Option<usize>) -> Option<&str> {
        self.args
            .iter()
            .find(|a| a.name.as_deref() == Some(name))
            .or_else(|| {
                let p = position?;
                self.args.iter().filter(|a| a.name.is_none()).nth(p)
            })
            .map(|a| a.value.as_str())
    }
}

/// What is between `{{<` and `>}}`, found at `start` in the source: an opening call, or the
/// name of a closing tag (`/name`). `None` when there is no name at all.
pub(crate) fn parse_hugo(
    inner: &str,
    start: usize,
) -> Option<Result<Call, (String, Range<usize>)>> {
    let lead = inner.len() - inner.trim_start().len();
    let mut body = inner.trim();
    if let Some(closing) = body.strip_prefix('/') {
        let name = closing.trim();
        let at = start + lead + 1 + (closing.len() - closing.trim_start().len());
        return (!name.is_empty()).then(|| Err((name.to_string(), at..at + name.len())));
    }
    let self_closing = body.ends_with('/');
    if self_closing {
        body = body[..body.len() - 1].trim_end();
    }
    let name_len = body.find(char::is_whitespace).unwrap_or(body.len());
    if name_len == 0 {
        return None;
    }
    let name = &body[..name_len];
    let at = start + lead;
    Some(Ok(Call {
        name: name.to_string(),
        name_span: at..at + name.len(),
        args: parse_args(&body[name_len..]),
        self_closing,
    }))
}

/// Hugo's arguments: `a "b c" key=value key="v" key=`raw``. Lenient: an unclosed quote
/// takes the rest.
fn parse_args(s: &str) -> Vec<Arg> {
    let mut args = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let (name, after_name) = match rest.chars().next() {
            Some('"' | '`') => (None, rest),
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '=')
                    .unwrap_or(rest.len());
                if rest[end..].starts_with('=') {
                    (Some(rest[..end].to_string()), &rest[end + 1..])
                } else {
                    (None, rest)
                }
            }
        };
        let (value, after) = value(after_name);
        args.push(Arg { name, value });
        rest = after.trim_start();
    }
    args
}

/// One value at the start of `s` and what follows it.
fn value(s: &str) -> (String, &str) {
    match s.chars().next() {
        Some('`') => match s[1..].find('`') {
            Some(k) => (s[1..1 + k].to_string(), &s[k + 2..]),
            None => (s[1..].to_string(), ""),
        },
        Some('"') => {
            let mut out = String::new();
            let mut chars = s.char_indices().skip(1);
            while let Some((j, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, e)) = chars.next() {
                            out.push(e);
                        }
                    }
                    '"' => return (out, &s[j + 1..]),
                    c => out.push(c),
                }
            }
            (out, "")
        }
        _ => {
            let end = s.find(char::is_whitespace).unwrap_or(s.len());
            (s[..end].to_string(), &s[end..])
        }
    }
}

/// The name at the start of a Liquid tag or variable (`include`, `page.title`), after the
/// opener and an optional `-`: (name, offset after it), or `None` when no name starts there.
pub(crate) fn liquid_name(s: &str) -> Option<(&str, usize)> {
    let lead = s.len() - s.trim_start_matches('-').trim_start().len();
    let rest = &s[lead..];
    let first = rest.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    Some((&rest[..len], lead + len))
}

/// The words of a Liquid tag after its name, quotes taken off: `include "a.html" x=1` →
/// `a.html`, `x=1`.
pub(crate) fn liquid_words(s: &str) -> Vec<String> {
    parse_args(s.trim_matches(|c: char| c == '-' || c.is_whitespace()))
        .into_iter()
        .map(|a| match a.name {
            Some(n) => format!("{n}={}", a.value),
            None => a.value,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(inner: &str) -> Call {
        match parse_hugo(inner, 0) {
            Some(Ok(c)) => c,
            other => panic!("not a call: {other:?}"),
        }
    }

    #[test]
    fn positional_named_quoted_and_raw_arguments() {
        let c = call(r#" figure src="a b.jpg" alt=`say "hi"` 3 caption="x \"y\"" width=300 "#);
        assert_eq!(c.name, "figure");
        assert_eq!(c.name_span, 1..7);
        assert_eq!(c.get("src", None), Some("a b.jpg"));
        assert_eq!(c.get("alt", None), Some("say \"hi\""));
        assert_eq!(c.get("caption", None), Some("x \"y\""));
        assert_eq!(c.get("width", None), Some("300"));
        assert_eq!(c.get("nothing", Some(0)), Some("3"));
        assert!(!c.self_closing);
    }

    #[test]
    fn self_closing_and_closing_tags() {
        let c = call(" qr text=\"https://example.org\" /");
        assert!(c.self_closing);
        assert_eq!(c.get("text", None), Some("https://example.org"));
        assert_eq!(
            parse_hugo(" /details ", 10),
            Some(Err(("details".to_string(), 12..19)))
        );
        assert_eq!(parse_hugo("  ", 0), None);
    }

    #[test]
    fn unclosed_quotes_take_the_rest() {
        let c = call("x \"never closed");
        assert_eq!(c.get("", Some(0)), Some("never closed"));
    }

    #[test]
    fn liquid_names() {
        assert_eq!(liquid_name("- include x %"), Some(("include", 9)));
        assert_eq!(liquid_name(" page.title "), Some(("page.title", 11)));
        assert_eq!(liquid_name(" 1 + 2"), None);
        assert_eq!(liquid_words(" \"a.html\" x=1 -"), ["a.html", "x=1"]);
    }
}
