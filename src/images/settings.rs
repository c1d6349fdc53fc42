//! `[images]` of `site.toml`: the widths of the variants, whether WebP is made, the `sizes`
//! of the markup. The defaults fit the default theme: its column is at most 700 CSS pixels
//! wide, 100 % of the screen less 36 px of padding below that.

/// How pictures are processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    /// Widths of the variants (px), narrowest first; none wider than the original.
    pub(crate) widths: Vec<u32>,
    /// Whether WebP variants are made beside the JPEG or PNG ones.
    pub(crate) webp: bool,
    /// The `sizes` attribute: how wide the picture is shown.
    pub(crate) sizes: String,
    /// An extra, narrow variant of heroes and author photos (0: none), for the places that
    /// show them small: the default theme's teaser thumbnails (10rem) and the author box
    /// (112 px), where even 2× screens need no more than 240 px.
    pub(crate) thumbnail_width: u32,
    /// Width of the e-mail variant: the 600 px column at 2×.
    pub(crate) email_width: u32,
    /// The link-preview crop.
    pub(crate) social: (u32, u32),
    /// The site's language, for the credit's label ("Foto:" or "Photo:").
    pub(crate) language: String,
    /// Whether variants made are written into the cache (`build`, `serve`); else they are
    /// kept in memory (`check`, which writes nothing). The cache is read either way.
    pub(crate) keep: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            widths: vec![480, 800, 1200, 1600],
            webp: true,
            sizes: "(min-width: 46rem) 700px, calc(100vw - 2.25rem)".to_string(),
            thumbnail_width: 240,
            email_width: 1200,
            social: (1200, 630),
            language: "de".to_string(),
            keep: false,
        }
    }
}

impl Settings {
    /// The variant widths for an original `width` px wide: those narrower than it, and
    /// the original's own width when it is not wider than the widest setting (so a
    /// 1,000 px photo has 480, 800 and 1,000); never upscaled, never empty.
    pub(crate) fn widths_for(&self, width: u32) -> Vec<u32> {
        let mut out: Vec<u32> = self
            .widths
            .iter()
            .copied()
            .filter(|&w| w > 0 && w < width)
            .collect();
        let widest = self.widths.iter().copied().max().unwrap_or(0);
        if width <= widest || out.is_empty() {
            out.push(width);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The credit's label in the site's language.
    pub(crate) fn credit_label(&self) -> &'static str {
        if self.language == "en" {
            "Photo"
        } else {
            "Foto"
        }
    }
}
