//! The front matter of a Hugo or Jekyll file: YAML between `---` lines, TOML between `+++`
//! lines, or a JSON object at the top; read into one YAML mapping so the conversion has one
//! shape to look at. A file without front matter has an empty mapping.

use serde_yaml::{Mapping, Value};

use std::path::Path;

use super::report::Report;
use super::values::toml_to_yaml;
use super::walk::read_text;

/// A file split into its front matter and body.
#[derive(Debug)]
pub(super) struct Foreign {
    /// The keys, as written.
    pub(super) front: Mapping,
    /// Whether the file had front matter at all (Jekyll copies files without it as they are).
    pub(super) fenced: bool,
    /// The text after the front matter.
    pub(super) body: String,
    /// The 1-based line the body starts on, for placing messages about the body.
    pub(super) body_line: usize,
    /// Keys written twice (the last is kept), each at the line of its repeat.
    pub(super) repeated: Vec<(usize, String)>,
}

/// Front matter that cannot be read: the 1-based line and why.
#[derive(Debug)]
pub(super) struct BadFront {
    pub(super) line: usize,
    pub(super) why: String,
}

/// Splits and parses `text`.
pub(super) fn read(text: &str) -> Result<Foreign, BadFront> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Blank lines before the fence: Hugo accepts them, so this does too.
    let lead = text.len() - text.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    let lead = text[..lead].rfind('\n').map_or(0, |i| i + 1);
    let rest = &text[lead..];
    let lead_lines = text[..lead].matches('\n').count();
    let first = rest.lines().next().unwrap_or("").trim_end();
    let (fence, toml) = match first {
        "---" => ("---", false),
        "+++" => ("+++", true),
        _ if rest.starts_with('{') => return json(text, rest, lead_lines),
        _ => {
            return Ok(Foreign {
                front: Mapping::new(),
                fenced: false,
                body: text.to_string(),
                body_line: 1,
                repeated: Vec::new(),
            });
        }
    };
    let open_len = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let mut at = open_len;
    let mut line = 1;
    for l in rest[open_len..].split_inclusive('\n') {
        line += 1;
        let t = l.trim_end();
        if t == fence || (!toml && t == "...") {
            let block = &rest[open_len..at];
            let body = &rest[at + l.len()..];
            let mut repeated = Vec::new();
            let front = if toml {
                parse_toml(block, lead_lines + 1)?
            } else {
                parse_yaml(block, lead_lines + 1, &mut repeated)?
            };
            return Ok(Foreign {
                front,
                fenced: true,
                body: body.to_string(),
                body_line: lead_lines + line + 1,
                repeated,
            });
        }
        at += l.len();
    }
    Err(BadFront {
        line: lead_lines + 1,
        why: format!("front matter opened with `{fence}` is never closed"),
    })
}

/// `line0`: the line of the opening fence; the block starts on the line after it. Read as
/// presswerk reads its own front matter: alias expansion and nesting bounded, and a key
/// written twice is no error (the last one wins, as in Hugo) but a line in `repeated`.
fn parse_yaml(
    block: &str,
    line0: usize,
    repeated: &mut Vec<(usize, String)>,
) -> Result<Mapping, BadFront> {
    if block.trim().is_empty() {
        return Ok(Mapping::new());
    }
    let line_of = |at: usize| line0 + 1 + block[..at.min(block.len())].matches('\n').count();
    match crate::content::front_matter::read_yaml_block(block) {
        Ok((m, keys)) => {
            for key in keys {
                // The repeat is the last line that starts with the key.
                let at = block
                    .match_indices(&format!("{key}:"))
                    .map(|(i, _)| i)
                    .filter(|&i| i == 0 || block.as_bytes()[i - 1] == b'\n')
                    .last()
                    .unwrap_or(0);
                repeated.push((line_of(at), key));
            }
            Ok(m)
        }
        Err((at, why)) => Err(BadFront {
            line: line_of(at),
            why,
        }),
    }
}

fn parse_toml(block: &str, line0: usize) -> Result<Mapping, BadFront> {
    match block.parse::<toml::Table>() {
        Ok(t) => match toml_to_yaml(toml::Value::Table(t)) {
            Value::Mapping(m) => Ok(m),
            _ => Ok(Mapping::new()),
        },
        Err(e) => {
            let line = e.span().map_or(1, |s| {
                block[..s.start.min(block.len())].matches('\n').count() + 1
            });
            Err(BadFront {
                line: line0 + line,
                why: format!("invalid TOML front matter: {}", first_line(e.message())),
            })
        }
    }
}

/// Hugo's JSON front matter: an object at the top of the file, the body after it.
fn json(text: &str, rest: &str, lead_lines: usize) -> Result<Foreign, BadFront> {
    let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
    match stream.next() {
        Some(Ok(v)) => {
            let end = stream.byte_offset();
            let front = match serde_yaml::to_value(&v) {
                Ok(Value::Mapping(m)) => m,
                _ => Mapping::new(),
            };
            let consumed = &text[..text.len() - rest.len() + end];
            Ok(Foreign {
                front,
                fenced: true,
                body: rest[end..].to_string(),
                body_line: consumed.matches('\n').count() + 1,
                repeated: Vec::new(),
            })
        }
        Some(Err(e)) => Err(BadFront {
            line: lead_lines + e.line(),
            why: format!("invalid JSON front matter: {e}"),
        }),
        None => Err(BadFront {
            line: lead_lines + 1,
            why: "empty JSON front matter".into(),
        }),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

/// Reads a content file; a file that cannot be read or whose front matter is broken is
/// reported with its line.
pub(super) fn read_doc(shown: &str, path: &Path, report: &mut Report) -> Option<Foreign> {
    let text = match read_text(path) {
        Ok(t) => t,
        Err(e) => {
            report.skip(shown.to_string(), 0, e.to_string());
            return None;
        }
    };
    match read(&text) {
        Ok(f) => {
            for (line, key) in &f.repeated {
                report.note(
                    shown.to_string(),
                    *line,
                    format!("`{key}` is written twice; the last one is kept, as in Hugo"),
                );
            }
            Some(f)
        }
        Err(bad) => {
            report.skip(shown.to_string(), bad.line, bad.why);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_toml_and_json_front_matter_become_one_mapping() {
        let y = read("---\ntitle: A\n---\nText\n").unwrap();
        assert_eq!(y.front.get("title").and_then(Value::as_str), Some("A"));
        assert_eq!((y.body.as_str(), y.body_line), ("Text\n", 4));
        let t = read("+++\ntitle = \"B\"\ndate = 2020-01-02\n+++\n\nText\n").unwrap();
        assert_eq!(t.front.get("title").and_then(Value::as_str), Some("B"));
        assert_eq!(
            t.front.get("date").and_then(Value::as_str),
            Some("2020-01-02")
        );
        assert_eq!(t.body_line, 5);
        let j = read("{\n  \"title\": \"C\"\n}\nText\n").unwrap();
        assert_eq!(j.front.get("title").and_then(Value::as_str), Some("C"));
        assert_eq!(j.body.trim(), "Text");
        let none = read("Just text\n").unwrap();
        assert!(!none.fenced && none.front.is_empty());
    }

    #[test]
    fn errors_name_the_line_in_the_file() {
        let e = read("\n---\ntitle: ok\nbad: [unclosed\n---\n").unwrap_err();
        assert!(e.line >= 4, "{e:?}");
        let e = read("+++\ntitle = \"x\"\ndate = = 1\n+++\n").unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        let e = read("---\ntitle: x\n").unwrap_err();
        assert_eq!(e.line, 1);
    }

    #[test]
    fn a_key_written_twice_keeps_the_last_and_names_the_repeat_s_line() {
        let f = read("---\ntitle: A\ndate: 2019-05-11T19:15:00\ndate: 2019-05-11\n---\nText\n")
            .unwrap();
        assert_eq!(
            f.front.get("date").and_then(Value::as_str),
            Some("2019-05-11")
        );
        assert_eq!(f.repeated, [(4, "date".to_string())]);
    }

    #[test]
    fn an_alias_bomb_is_refused_at_a_line() {
        // 64 × 64 × 64 copies of `a` once expanded: far past the budget.
        let list = |name: &str| vec![format!("*{name}"); 64].join(", ");
        let text = format!(
            "---\ntitle: A\na: &a \"Absatz\"\nb: &b [{}]\nc: &c [{}]\nd: [{}]\n---\nText\n",
            list("a"),
            list("b"),
            list("c")
        );
        let bad = read(&text).expect_err("too much once expanded");
        assert!((2..=7).contains(&bad.line), "{bad:?}");
        assert!(
            bad.why.contains("100000") || bad.why.contains("100,000"),
            "{bad:?}"
        );
    }
}
