//! What the templates get for publishing to readers, beyond the content: the publisher and
//! its Impressum and Datenschutz pages, the menus, the subscribe call, the logo and the web
//! manifest made from it, and the `json_ld` filter that writes structured data.
//!
//! All of it comes from `site.toml` (the menus' `@/` links resolved against the site), so
//! it sits in the `site` value every template sees; an edit of `site.toml` renders every
//! output again, and a menu link whose target moved enters every output's fingerprint
//! (see `plan`).

use tera::{Kwargs, State, TeraResult, Value};

use super::values::map;
use crate::config::{Config, Publisher};
use crate::site::menus::{MenuLink, Menus};

/// The legal pages made from `[publisher]`: (template, URL path) in the site's language.
pub(crate) fn legal_pages(language: &str) -> [(&'static str, &'static str); 2] {
    match language {
        "en" => [
            ("impressum.html", "/imprint/"),
            ("datenschutz.html", "/privacy/"),
        ],
        _ => [
            ("impressum.html", "/impressum/"),
            ("datenschutz.html", "/datenschutz/"),
        ],
    }
}

/// The web manifest's file (written when `site.toml` names a logo).
pub(crate) const MANIFEST: &str = "site.webmanifest";

fn text(s: &str) -> Value {
    if s.trim().is_empty() {
        Value::none()
    } else {
        Value::from(s.trim())
    }
}

fn publisher_value(p: &Publisher) -> Value {
    let representatives: Vec<Value> = p
        .representatives
        .iter()
        .filter(|r| !r.trim().is_empty())
        .map(|r| Value::from(r.trim()))
        .collect();
    map([
        ("name", text(&p.name)),
        ("legal_form", text(&p.legal_form)),
        ("full_name", text(&p.full_name())),
        ("street", text(&p.street)),
        ("postal_code", text(&p.postal_code)),
        ("city", text(&p.city)),
        ("country", text(&p.country)),
        ("address", text(&p.address_line())),
        ("representatives", Value::from(representatives)),
        ("register_court", text(&p.register_court)),
        ("register_number", text(&p.register_number)),
        ("vat_id", text(&p.vat_id)),
        ("content_responsible", text(&p.content_responsible)),
        ("email", text(&p.email)),
        ("phone", text(&p.phone)),
        ("privacy_contact", text(&p.privacy_contact)),
    ])
}

fn menu_value(links: &[MenuLink]) -> Value {
    Value::from(
        links
            .iter()
            .map(|l| {
                map([
                    ("name", Value::from(l.name.as_str())),
                    ("url", Value::from(l.url.as_str())),
                    ("path", super::values::opt(l.path.as_deref())),
                ])
            })
            .collect::<Vec<_>>(),
    )
}

/// The keys of the `site` value this module fills: `publisher`, `legal`, `menus`,
/// `subscribe`, `logo` and `manifest` (each `none` when `site.toml` does not set it up).
pub(super) fn site_fields(config: &Config, menus: &Menus) -> [(&'static str, Value); 6] {
    let legal = match &config.publisher {
        Some(_) => {
            let [(_, impressum), (_, privacy)] = legal_pages(&config.language);
            let page = |path: &str| {
                map([
                    ("path", Value::from(path)),
                    ("permalink", Value::from(config.permalink(path))),
                ])
            };
            map([("impressum", page(impressum)), ("privacy", page(privacy))])
        }
        None => Value::none(),
    };
    let s = &config.subscribe;
    let subscribe = if menus.subscribe.is_some() || !s.action.trim().is_empty() {
        map([
            ("url", super::values::opt(menus.subscribe.as_deref())),
            ("action", text(&s.action)),
            ("text", text(&s.text)),
        ])
    } else {
        Value::none()
    };
    let logo = config.logo.as_deref().map(|l| {
        let l = l.trim_start_matches('/');
        let (width, height) = config
            .logo_size
            .map_or((Value::none(), Value::none()), |(w, h)| {
                (Value::from(w), Value::from(h))
            });
        map([
            ("url", Value::from(config.permalink(&format!("/{l}")))),
            ("type", Value::from(image_type(l))),
            ("width", width),
            ("height", height),
        ])
    });
    [
        (
            "publisher",
            config
                .publisher
                .as_ref()
                .map_or_else(Value::none, publisher_value),
        ),
        ("legal", legal),
        (
            "menus",
            map([
                ("main", menu_value(&menus.main)),
                ("footer", menu_value(&menus.footer)),
            ]),
        ),
        ("subscribe", subscribe),
        (
            "manifest",
            match &logo {
                Some(_) => Value::from(config.permalink(&format!("/{MANIFEST}"))),
                None => Value::none(),
            },
        ),
        ("logo", logo.unwrap_or_else(Value::none)),
    ]
}

/// The media type of an image file, by its extension.
fn image_type(file: &str) -> &'static str {
    let ext = file.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "gif" => "image/gif",
        _ => "image/jpeg",
    }
}

/// `site.webmanifest`: the site's name, language and start URL, and the logo as its icon
/// (an SVG for every size, any other image at its own).
pub(super) fn manifest(config: &Config) -> Option<Vec<u8>> {
    let logo = config.logo.as_deref()?.trim_start_matches('/');
    let short = config.title.chars().take(12).collect::<String>();
    let sizes = match config.logo_size {
        _ if image_type(logo) == "image/svg+xml" => Some("any".to_string()),
        Some((w, h)) => Some(format!("{w}x{h}")),
        None => None,
    };
    let mut icon = serde_json::json!({ "src": format!("/{logo}"), "type": image_type(logo) });
    if let (Some(sizes), Some(m)) = (sizes, icon.as_object_mut()) {
        m.insert("sizes".into(), sizes.into());
    }
    let m = serde_json::json!({
        "name": config.title,
        "short_name": short,
        "description": config.description,
        "lang": config.language,
        "start_url": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#0b5a78",
        "icons": [icon],
    });
    serde_json::to_vec_pretty(&m).ok()
}

/// The `json_ld` filter: a value as JSON for a `<script type="application/ld+json">`, with
/// the keys whose value is none, empty text or an empty list left out (a template can then
/// name every schema.org field and have only the known ones written), and `<`, `>` and `&`
/// escaped so that no text can end the script element.
/// With `breadcrumbs=true`, the value is a list of `{name, url}` (none left out) and becomes
/// a `BreadcrumbList` of them, numbered.
pub(super) fn json_ld(value: Value, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let json =
        serde_json::to_value(&value).map_err(|e| tera::Error::message(format!("json_ld: {e}")))?;
    let breadcrumbs: Option<bool> = kwargs.get("breadcrumbs")?;
    let json = if breadcrumbs == Some(true) {
        breadcrumb_list(json)
    } else {
        json
    };
    Ok(Value::safe_string(&encode(json)))
}

fn breadcrumb_list(list: serde_json::Value) -> serde_json::Value {
    let items: Vec<serde_json::Value> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c.get("name").is_some_and(|n| !is_empty(n)))
        .enumerate()
        .map(|(i, c)| {
            serde_json::json!({
                "@type": "ListItem",
                "position": i + 1,
                "name": c.get("name"),
                "item": c.get("url"),
            })
        })
        .collect();
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items,
    })
}

fn encode(json: serde_json::Value) -> String {
    serde_json::to_string(&prune(json))
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn prune(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::Object(m) => J::Object(
            m.into_iter()
                .map(|(k, v)| (k, prune(v)))
                .filter(|(_, v)| !is_empty(v))
                .collect(),
        ),
        J::Array(a) => J::Array(a.into_iter().map(prune).filter(|v| !is_empty(v)).collect()),
        other => other,
    }
}

fn is_empty(v: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match v {
        J::Null => true,
        J::String(s) => s.trim().is_empty(),
        J::Array(a) => a.is_empty(),
        // An object left with nothing but its @type says nothing.
        J::Object(m) => m.is_empty() || (m.len() == 1 && m.contains_key("@type")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_drops_empty_fields_and_cannot_end_the_script() {
        let v = Value::try_from_serializable(&serde_json::json!({
            "@type": "NewsArticle",
            "headline": "</script><b>x & y</b>",
            "image": null,
            "author": [{"@type": "Person", "name": ""}],
            "keywords": [],
        }))
        .unwrap();
        let out = encode(serde_json::to_value(&v).unwrap());
        assert!(!out.contains('<') && !out.contains('&'), "{out}");
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            back,
            serde_json::json!({"@type": "NewsArticle", "headline": "</script><b>x & y</b>"})
        );
    }
}
