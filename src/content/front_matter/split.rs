//! Finding the `---` fences of a Markdown file. Every span here is into the whole file, so
//! the YAML block's offset is known when its errors are reported, and the body span is what
//! rendering and `check` read.

use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, Span};

/// The language of a front matter block: YAML between `---` lines, or TOML between `+++`
/// lines (Hugo's other format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `---`
    #[default]
    Yaml,
    /// `+++`
    Toml,
}

/// Where the front matter and the body lie in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The opening fence (empty at the file start when there is no front matter).
    pub fence: Span,
    /// The block between the fences (empty when the file has no front matter).
    pub yaml: Span,
    /// The Markdown after the closing fence.
    pub body: Span,
    /// What the block is written in.
    pub format: Format,
}

/// Finds the fences: `---` for YAML, `+++` for TOML. A leading UTF-8 BOM, blank lines before
/// the opening fence (Hugo allows them) and CRLF line ends are accepted. A file whose first
/// non-blank line is no fence has no front matter; one that opens but never closes is an error
/// pointing at the opening fence.
pub fn split(text: &str) -> Result<Split, Span> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut start = bom;
    let mut opening = None;
    for line in text[bom..].split_inclusive('\n') {
        match line.trim_end() {
            "" => start += line.len(),
            "---" => opening = Some((Format::Yaml, "---", line.len())),
            "+++" => opening = Some((Format::Toml, "+++", line.len())),
            _ => {}
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    let Some((format, marker, first_len)) = opening else {
        return Ok(Split {
            fence: bom..bom,
            yaml: bom..bom,
            body: bom..text.len(),
            format: Format::Yaml,
        });
    };
    let yaml_start = start + first_len;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == marker {
            return Ok(Split {
                fence: start..start + 3,
                yaml: yaml_start..offset,
                body: offset + line.len()..text.len(),
                format,
            });
        }
        offset += line.len();
    }
    Err(start..start + 3)
}

/// The error for front matter opened at `fence` and never closed.
pub(crate) fn unclosed(source: &Arc<SourceFile>, fence: Span) -> Diagnostic {
    let marker = if source.text.get(fence.clone()) == Some("+++") {
        "+++"
    } else {
        "---"
    };
    Diagnostic::error("front-matter-unclosed", "front matter is never closed")
        .at(source, fence, "opened here")
        .help(format!(
            "end the front matter with a line containing only `{marker}`"
        ))
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
    fn blank_lines_before_the_fence_and_toml_fences() {
        let t = "\n  \r\n---\ntitle: A\n---\nText\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.fence.clone()], "---");
        assert_eq!(&t[s.yaml], "title: A\n");
        assert_eq!(s.format, Format::Yaml);
        let t = "+++\ntitle = \"A\"\n---\n+++\nText\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.yaml], "title = \"A\"\n---\n");
        assert_eq!(&t[s.body], "Text\n");
        assert_eq!(s.format, Format::Toml);
        assert_eq!(split("\n+++\ntitle = 1\n"), Err(1..4));
        // Text first: no front matter, even if a fence follows.
        assert!(split("Text\n---\na: 1\n---\n").unwrap().yaml.is_empty());
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
