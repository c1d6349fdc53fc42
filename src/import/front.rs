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
            let front = if toml {
                parse_toml(block, lead_lines + 1)?
            } else {
                parse_yaml(block, lead_lines + 1)?
            };
            return Ok(Foreign {
                front,
                fenced: true,
                body: body.to_string(),
                body_line: lead_lines + line + 1,
            });
        }
        at += l.len();
    }
    Err(BadFront {
        line: lead_lines + 1,
        why: format!("front matter opened with `{fence}` is never closed"),
    })
}

/// `line0`: the line of the opening fence; the block starts on the line after it.
fn parse_yaml(block: &str, line0: usize) -> Result<Mapping, BadFront> {
    if block.trim().is_empty() {
        return Ok(Mapping::new());
    }
    match serde_yaml::from_str::<Value>(block) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(_) => Err(BadFront {
            line: line0 + 1,
            why: "the front matter is not a list of `key: value` lines".into(),
        }),
        Err(e) => Err(BadFront {
            line: line0 + e.location().map_or(1, |l| l.line()),
            // serde_yaml counts lines from the block; only the file's line is shown.
            why: format!(
                "invalid YAML front matter: {}",
                first_line(&e.to_string())
                    .split(" at line ")
                    .next()
                    .unwrap_or("")
            ),
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
        Ok(f) => Some(f),
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
}
