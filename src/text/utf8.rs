//! Reading bytes as UTF-8 text. A file that is not UTF-8 is a problem in that file, so the
//! answer is a diagnostic pointing at the first bad byte; `site.toml`, content files and theme
//! files are all read this way, which is why the rule sits on the ground floor.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, floor_char_boundary};

/// Reads bytes as UTF-8, or explains where they are not.
pub(crate) fn decode_utf8(
    root: &Path,
    path: &Path,
    bytes: Vec<u8>,
) -> Result<SourceFile, Box<Diagnostic>> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(root, path, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text is the same as the original up to the first bad byte, so the
            // span of that byte is the same in both.
            let source = Arc::new(SourceFile::new(root, path, lossy));
            let end = floor_char_boundary(&source.text, valid + 3)
                .max(valid + 1)
                .min(source.text.len());
            Err(Box::new(
                Diagnostic::error("not-utf8", "file is not valid UTF-8")
                    .at(&source, valid..end, "this byte is not UTF-8")
                    .help("save the file as UTF-8 (most editors: \"Save with encoding\" → UTF-8)"),
            ))
        }
    }
}
