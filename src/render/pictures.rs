//! Pictures as templates see them: `page.image` (the hero) and `author.picture`, each with
//! its markup ready to print (`html`, `figure`), its parts for themes that write their own
//! (`url`, `srcset`, `webp_srcset`, `sizes`, `width`, `height`, texts), the link-preview crop
//! (`social`) and the e-mail variant (`email`).

use tera::Value;

use super::values::{map, opt};
use crate::images::{Picture, Settings, Variant, markup};

/// A variant: `url` (from the site root), `permalink`, `width`, `height`.
pub(crate) fn variant(v: &Variant) -> Value {
    map([
        ("url", Value::from(v.url())),
        ("permalink", Value::from(v.permalink.as_str())),
        ("width", Value::from(v.width)),
        ("height", Value::from(v.height)),
    ])
}

/// The value of a picture; `hero`: its markup loads first (`fetchpriority="high"`).
pub(crate) fn value(p: &Picture, hero: bool, settings: &Settings) -> Value {
    let src = p.src();
    let largest = p.largest();
    let c = &p.caption;
    map([
        ("url", Value::from(src.url())),
        ("permalink", Value::from(src.permalink.as_str())),
        ("width", Value::from(largest.width)),
        ("height", Value::from(largest.height)),
        ("srcset", Value::from(markup::srcset(&p.fallback))),
        ("webp_srcset", Value::from(markup::srcset(&p.webp))),
        ("sizes", Value::from(p.sizes.as_str())),
        ("type", Value::from(p.format.mime())),
        ("html", Value::safe_string(&p.html(hero, None))),
        ("figure", Value::safe_string(&p.figure(hero, settings))),
        ("alt", Value::from(c.alt.as_str())),
        ("caption", opt(c.caption.as_deref())),
        ("credit", opt(c.credit.as_deref())),
        (
            "figcaption",
            p.figcaption(settings)
                .map_or_else(Value::none, |f| Value::safe_string(&f)),
        ),
        (
            "social",
            p.social.as_ref().map_or_else(Value::none, variant),
        ),
        ("email", email(&p.email)),
    ])
}

/// The e-mail variant, with the size it is shown at in the e-mail's text column.
fn email(v: &Variant) -> Value {
    let mut m = variant(v).as_map().cloned().unwrap_or_default();
    let (w, h) = shown_in_email(v.width, v.height);
    m.insert("shown_width".into(), Value::from(w));
    m.insert("shown_height".into(), Value::from(h));
    Value::from(m)
}

/// The size a `width` × `height` picture is shown at in the e-mail's text column: at most
/// its width, never wider than the picture.
pub(crate) fn shown_in_email(width: u32, height: u32) -> (u32, u32) {
    let w = width.min(super::email::html::IMAGE_WIDTH);
    let h = (u64::from(height) * u64::from(w) / u64::from(width.max(1))) as u32;
    (w, h.max(1))
}
