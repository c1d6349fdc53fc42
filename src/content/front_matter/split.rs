//! Finding the `---` fences of a Markdown file. Every span here is into the whole file, so
//! the YAML block's offset is known when its errors are reported, and the body span is what
//! rendering and `check` read.

use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, Span};

/// Where the front matter and the body lie in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The opening `---` (empty at the file start when there is no front matter).
    pub fence: Span,
    /// The YAML between the fences (empty when the file has no front matter).
    pub yaml: Span,
    /// The Markdown after the closing fence.
    pub body: Span,
}

/// Finds the `---` fences. A leading UTF-8 BOM and CRLF line ends are accepted. A file that
/// does not start with `---` has no front matter; one that opens but never closes is an error
/// pointing at the opening fence.
pub fn split(text: &str) -> Result<Split, Span> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_end].trim_end() != "---" {
        return Ok(Split {
            fence: start..start,
            yaml: start..start,
            body: start..text.len(),
        });
    }
    let yaml_start = start + first_end;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Split {
                fence: start..start + 3,
                yaml: yaml_start..offset,
                body: offset + line.len()..text.len(),
            });
        }
        offset += line.len();
    }
    Err(start..start + 3)
}

/// The error for front matter opened at `fence` and never closed.
pub(crate) fn unclosed(source: &Arc<SourceFile>, fence: Span) -> Diagnostic {
    Diagnostic::error("front-matter-unclosed", "front matter is never closed")
        .at(source, fence, "opened here")
        .help("end the front matter with a line containing only `---`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_handles_bom_crlf_and_no_front_matter() {
        let t = "\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.yaml.clone()], "title: A\r\n");
        assert_eq!(&t[s.body.clone()], "Body\r\n");
        let s = split("# Nur Text\n").unwrap();
        assert!(s.yaml.is_empty());
        assert_eq!(s.body, 0..11);
        assert_eq!(split("---\ntitle: A\n"), Err(0..3));
        let s = split("---\n---\n").unwrap();
        assert!(s.yaml.is_empty() && s.body.is_empty());
    }

    #[test]
    fn split_then_join_round_trips() {
        for (fm, body) in [
            ("title: A\n", "Text\n"),
            ("", ""),
            ("a: 1\nb: [x]\n", "---\n"),
        ] {
            let joined = format!("---\n{fm}---\n{body}");
            let s = split(&joined).unwrap();
            assert_eq!(&joined[s.yaml], fm);
            assert_eq!(&joined[s.body], body);
        }
    }
}
