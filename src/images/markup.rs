//! The markup of a picture: `<picture>` with a WebP `<source>` and the JPEG or PNG `<img>`,
//! each with `srcset` and `sizes`, `width` and `height` from the real pixel size (the page
//! does not move when it loads), `loading="lazy" decoding="async"`, or for the hero
//! `fetchpriority="high"`; in a `<figure>` with the caption and the credit when it has them.

use super::{Picture, Settings, Variant};

/// The texts of a picture.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Caption {
    pub(crate) alt: String,
    pub(crate) caption: Option<String>,
    /// The photographer, as German press photos name them ("Foto: …"), without the label.
    pub(crate) credit: Option<String>,
}

/// The caption and credit in a Markdown image's title: `"Das Treffen. Foto: Ann Labus"` is
/// the caption "Das Treffen." and the credit "Ann Labus" (also after "Photo:" or "Bild:").
pub(crate) fn caption_from_title(alt: &str, title: &str) -> Caption {
    let title = title.trim();
    let at = ["Foto:", "Photo:", "Bild:"]
        .iter()
        .filter_map(|label| title.rfind(label).map(|i| (i, label.len())))
        .max();
    let (caption, credit) = match at {
        Some((i, len)) => (
            title[..i]
                .trim()
                .trim_end_matches(['–', '—', '|', ';', ','])
                .trim(),
            Some(title[i + len..].trim()),
        ),
        None => (title, None),
    };
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Caption {
        alt: alt.to_string(),
        caption: some(caption),
        credit: credit.and_then(some),
    }
}

/// `&`, `<`, `>` and `"` as entities, for text and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// `url 480w, url 800w, …`.
pub(crate) fn srcset(variants: &[Variant]) -> String {
    variants
        .iter()
        .map(|v| format!("{} {}w", v.permalink, v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Picture {
    /// The `<picture>` element; `hero`: loaded first, not lazily. `class`: of the `<img>`.
    pub(crate) fn html(&self, hero: bool, class: Option<&str>) -> String {
        let largest = self.largest();
        let loading = if hero {
            r#" fetchpriority="high""#
        } else {
            r#" loading="lazy" decoding="async""#
        };
        let class = class.map_or(String::new(), |c| format!(r#" class="{}""#, escape(c)));
        let sizes = escape(&self.sizes);
        let source = if self.webp.is_empty() {
            String::new()
        } else {
            format!(
                r#"<source type="image/webp" srcset="{}" sizes="{sizes}">"#,
                escape(&srcset(&self.webp))
            )
        };
        format!(
            r#"<picture>{source}<img{class} src="{}" srcset="{}" sizes="{sizes}" width="{}" height="{}" alt="{}"{loading}></picture>"#,
            escape(&self.src().permalink),
            escape(&srcset(&self.fallback)),
            largest.width,
            largest.height,
            escape(&self.caption.alt),
        )
    }

    /// The caption and the credit ("Foto: …") as the inside of a `<figcaption>`, if any.
    pub(crate) fn figcaption(&self, settings: &Settings) -> Option<String> {
        let c = &self.caption;
        let credit = c.credit.as_ref().map(|credit| {
            format!(
                r#"<span class="credit">{}: {}</span>"#,
                settings.credit_label(),
                escape(credit)
            )
        });
        match (&c.caption, credit) {
            (None, None) => None,
            (Some(t), None) => Some(escape(t)),
            (None, Some(cr)) => Some(cr),
            (Some(t), Some(cr)) => Some(format!("{} {cr}", escape(t))),
        }
    }

    /// The picture in a `<figure class="figure">` with its caption and credit; without
    /// either, the `<picture>` alone.
    pub(crate) fn figure(&self, hero: bool, settings: &Settings) -> String {
        let picture = self.html(hero, None);
        match self.figcaption(settings) {
            Some(caption) => format!(
                r#"<figure class="figure{}">{picture}<figcaption>{caption}</figcaption></figure>"#,
                if hero { " hero" } else { "" }
            ),
            None => format!(
                r#"<figure class="figure{}">{picture}</figure>"#,
                if hero { " hero" } else { "" }
            ),
        }
    }
}
