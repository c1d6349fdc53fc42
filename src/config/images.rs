//! `[images]` in `site.toml`: the widths of the variants, WebP, the `sizes` of the markup.
//! Every key may be left out (the defaults suit the default theme).

use std::sync::Arc;

use serde::Deserialize;

use super::validate::table_span;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::images::Settings;
use crate::source::SourceFile;

/// `[images]` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawImages {
    widths: Option<Vec<u32>>,
    webp: Option<bool>,
    sizes: Option<String>,
    thumbnail_width: Option<u32>,
}

/// The settings of `[images]` (defaults for what it leaves out); each width between 16 and
/// 8,000 pixels, the thumbnail's up to 8,000 (0: none).
pub(super) fn settings(
    source: &Arc<SourceFile>,
    raw: Option<&RawImages>,
    language: &str,
    diags: &mut Diagnostics,
) -> Settings {
    let mut s = Settings {
        language: language.to_string(),
        ..Settings::default()
    };
    let Some(raw) = raw else { return s };
    let bad = |diags: &mut Diagnostics, message: &str, example: &str| {
        diags.push(
            Diagnostic::error("config-images", message.to_string())
                .at(source, table_span(&source.text, "images"), "in this table")
                .help(format!("for example: {example}")),
        );
    };
    if let Some(widths) = &raw.widths {
        if widths.is_empty() || widths.iter().any(|&w| !(16..=8000).contains(&w)) {
            bad(
                diags,
                "images.widths needs widths of 16 to 8000 px",
                "widths = [480, 800, 1200, 1600]",
            );
        } else {
            let mut widths = widths.clone();
            widths.sort_unstable();
            widths.dedup();
            s.widths = widths;
        }
    }
    match raw.thumbnail_width {
        Some(w) if w > 8000 => bad(
            diags,
            "images.thumbnail_width needs 0 (none) to 8000 px",
            "thumbnail_width = 240",
        ),
        Some(w) => s.thumbnail_width = w,
        None => {}
    }
    if let Some(webp) = raw.webp {
        s.webp = webp;
    }
    if let Some(sizes) = &raw.sizes {
        s.sizes = sizes.clone();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Settings, Diagnostics) {
        let source = Arc::new(SourceFile::new(
            std::path::Path::new("."),
            std::path::Path::new("site.toml"),
            text.to_string(),
        ));
        let table: toml::Table = toml::from_str(text).expect("TOML");
        let raw: RawImages = table["images"].clone().try_into().expect("[images]");
        let mut diags = Diagnostics::new();
        let s = settings(&source, Some(&raw), "de", &mut diags);
        (s, diags)
    }

    #[test]
    fn widths_are_sorted_and_bad_values_named() {
        let (s, diags) = read("[images]\nwidths = [800, 480, 800]\nthumbnail_width = 0\n");
        assert!(!diags.has_errors());
        assert_eq!((s.widths, s.thumbnail_width), (vec![480, 800], 0));
        let (s, diags) = read("[images]\nwidths = [8]\nthumbnail_width = 9000\n");
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "images.widths needs widths of 16 to 8000 px",
                "images.thumbnail_width needs 0 (none) to 8000 px"
            ]
        );
        assert_eq!(s.widths, Settings::default().widths);
    }
}
