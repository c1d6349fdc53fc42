//! Source text and positions.
//!
//! Every file presswerk reads as text becomes a [`SourceFile`]: its path relative to the
//! site root, its whole text, and an index of line starts. Spans are byte ranges into the
//! *whole file*, so a diagnostic about a front matter key counts lines from the top of the
//! file, not from the top of the YAML block.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// A byte range into a [`SourceFile`]'s text.
pub(crate) type Span = Range<usize>;

/// One text file of the site, with its path relative to the site root.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators, as shown to users.
    pub name: String,
    /// Absolute (or root-joined) path on disk.
    pub path: PathBuf,
    /// The whole text. For a file that is not valid UTF-8 this is the lossy decoding,
    /// kept only so that diagnostics can show the offending line.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps `text` read from `path`; `root` is the site root the name is made relative to.
    pub fn new(root: &Path, path: &Path, text: String) -> Self {
        let name = display_path(root, path);
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name,
            path: path.to_path_buf(),
            text,
            line_starts,
        }
    }

    /// The same file without its text: its name and path, for what still refers to it
    /// after a build has no more use for the text.
    pub fn without_text(&self) -> SourceFile {
        SourceFile {
            name: self.name.clone(),
            path: self.path.clone(),
            text: String::new(),
            line_starts: vec![0],
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// Byte offset of the start of 1-based `line` (clamped to the end of the text).
    pub fn line_offset(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }
}

/// `path` relative to `root`, with forward slashes, for messages and output.
pub(crate) fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Moves `offset` down to the nearest char boundary of `text`, so a span made from an
/// external parser's byte index can never split a character.
pub(crate) fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut i = offset.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_file_start_in_chars() {
        let f = SourceFile::new(
            Path::new("/r"),
            Path::new("/r/content/a.md"),
            "---\ntitle: Über\nx: ä: b\n".into(),
        );
        assert_eq!(f.name, "content/a.md");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(4), (2, 1));
        // "x: ä: b": the second colon is the 5th character of line 3.
        let idx = f.text.find("ä: b").unwrap() + "ä".len();
        assert_eq!(f.line_col(idx), (3, 5));
        assert_eq!(f.line_offset(3), f.text.find("x:").unwrap());
    }

    #[test]
    fn floor_char_boundary_never_splits() {
        let s = "aä";
        assert_eq!(floor_char_boundary(s, 2), 1);
        assert_eq!(floor_char_boundary(s, 99), 3);
    }
}
