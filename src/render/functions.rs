//! The Tera filter and functions presswerk registers (`format_date`, `get_url`,
//! `get_page`, `get_section`, `get_author`, `get_taxonomy`), and the [`Lookup`] they read.
//!
//! Templates reach the rest of the site through these functions instead of a copy of the
//! site in every context. The lookup is filled by a build before its pages render
//! ([`fill_lookup`]); the functions share it with the theme behind a lock, so a theme is
//! loaded once and serves build after build.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::Theme;
use super::values::Values;
use crate::config::Config;
use crate::site::Site;
use crate::text::dates::format_date;

/// What the template functions look up: filled by a build before its pages render.
#[derive(Default)]
pub(crate) struct Lookup {
    /// Content path (`artikel/x.md`) → permalink.
    pub(super) links: HashMap<String, String>,
    /// Content path → page value.
    pub(super) pages: HashMap<String, Value>,
    /// Content path of `_index.md` and folder (`artikel`) → section value.
    pub(super) sections: HashMap<String, Value>,
    /// Author slug → author value.
    pub(super) authors: HashMap<String, Value>,
    /// Taxonomy name → `{name, title, path, permalink, terms}`.
    pub(super) taxonomies: HashMap<String, Value>,
    /// The site's pictures, for `resize_image` and `image_meta`.
    pub(super) pictures: Option<Arc<crate::site::pictures::Pictures>>,
}

/// The lookup as it is now (a poisoned lock only means a template function panicked
/// earlier; the data in it is replaced whole, so it is safe to go on).
fn read(lookup: &Arc<RwLock<Arc<Lookup>>>) -> Arc<Lookup> {
    Arc::clone(&lookup.read().unwrap_or_else(|e| e.into_inner()))
}

/// `get_url(path=…)`: an `@/` content path (with an optional `#anchor`) to its permalink,
/// any other path to a URL below `base_url`.
fn register_get_url(tera: &mut Tera, config: &Config, lookup: &Arc<RwLock<Arc<Lookup>>>) {
    let (base, l) = (config.base_url.clone(), Arc::clone(lookup));
    tera.register_function(
        "get_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            if let Some(target) = path.strip_prefix("@/") {
                let (file, anchor) = target
                    .split_once('#')
                    .map_or((target, None), |(f, a)| (f, Some(a)));
                let found = read(&l).links.get(file).cloned();
                return match (found, anchor) {
                    (Some(url), Some(a)) => Ok(format!("{url}#{a}")),
                    (Some(url), None) => Ok(url),
                    (None, _) => Err(tera::Error::message(format!(
                        "get_url: no content file `{file}` for `{path}`"
                    ))),
                };
            }
            Ok(format!("{}/{}", base, path.trim_start_matches('/')))
        },
    );
}

/// Registers presswerk's filter and functions. The functions read the [`Lookup`] a build
/// fills in; before that they find nothing.
pub(super) fn register(tera: &mut Tera, config: &Config, lookup: &Arc<RwLock<Arc<Lookup>>>) {
    let language = config.language.clone();
    tera.register_filter(
        "format_date",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format: Option<&str> = kwargs.get("format")?;
            format_date(value, format.unwrap_or("long"), &language).map_err(tera::Error::message)
        },
    );
    tera.register_filter("json_ld", super::publishing::json_ld);
    register_get_url(tera, config, lookup);
    register_images(tera, lookup);
    let l = Arc::clone(lookup);
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
        let path: &str = kwargs.must_get("path")?;
        let path = path.trim_start_matches("@/");
        read(&l).pages.get(path).cloned().ok_or_else(|| tera::Error::message(format!("get_page: no page `{path}` (give its path below content/, e.g. artikel/datei.md)")))
    });
    let l = Arc::clone(lookup);
    tera.register_function(
        "get_section",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let path = path.trim_start_matches("@/").trim_end_matches('/');
            read(&l).sections.get(path).cloned().ok_or_else(|| {
                tera::Error::message(format!(
                    "get_section: no section `{path}` (e.g. artikel/_index.md or artikel)"
                ))
            })
        },
    );
    let l = Arc::clone(lookup);
    tera.register_function(
        "get_author",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let slug: &str = kwargs.must_get("slug")?;
            read(&l)
                .authors
                .get(slug)
                .cloned()
                .ok_or_else(|| tera::Error::message(format!("get_author: no author `{slug}`")))
        },
    );
    let l = Arc::clone(lookup);
    tera.register_function(
        "get_taxonomy",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let kind: &str = kwargs.must_get("kind")?;
            read(&l).taxonomies.get(kind).cloned().ok_or_else(|| {
                tera::Error::message(format!("get_taxonomy: no taxonomy `{kind}` in site.toml"))
            })
        },
    );
}

/// Fills the template functions' [`Lookup`] from a resolved site.
/// Only what the templates can ask for is filled in: page and section maps when a
/// template calls `get_page` or `get_section`, link targets when one passes `@/` to
/// `get_url`. Authors and taxonomies are few and always there.
pub(super) fn fill_lookup(site: &Site, v: &Values, theme: &Theme) {
    let mut l = Lookup::default();
    let (pages, links) = (theme.wants_pages, theme.wants_links);
    for (p, value) in site.pages.iter().zip(&v.pages) {
        if links {
            l.links
                .insert(p.content_path().to_string(), p.permalink.clone());
        }
        if pages {
            l.pages.insert(p.content_path().to_string(), value.clone());
        }
    }
    for (s, value) in site.sections.iter().zip(&v.sections) {
        let index = if s.dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", s.dir)
        };
        if links {
            l.links.insert(index.clone(), s.permalink.clone());
        }
        if pages {
            l.sections.insert(index, value.clone());
            l.sections.insert(s.dir.clone(), value.clone());
        }
    }
    for (a, value) in site.authors.iter().zip(&v.authors) {
        let path = a
            .source
            .name
            .strip_prefix("content/")
            .unwrap_or(&a.source.name);
        if links {
            l.links.insert(path.to_string(), a.permalink.clone());
        }
        l.authors.insert(a.slug.clone(), value.clone());
    }
    for (t, tax) in site.taxonomies.iter().enumerate() {
        let mut m = v.taxonomies[t].as_map().cloned().unwrap_or_default();
        m.insert("terms".into(), Value::from(v.terms[t].clone()));
        l.taxonomies.insert(tax.config.name.clone(), Value::from(m));
    }
    l.pictures = Some(Arc::clone(&site.pictures));
    theme.set_lookup(l);
}

/// `resize_image(path, width, height, op)` → `{url, permalink, width, height}`, a variant
/// made by the build (`op`: `fit`, the default, or `fill`, which crops); and
/// `image_meta(path)` → `{width, height, format}`.
fn register_images(tera: &mut Tera, lookup: &Arc<RwLock<Arc<Lookup>>>) {
    let l = Arc::clone(lookup);
    tera.register_function(
        "resize_image",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let width: Option<u32> = kwargs.get("width")?;
            let height: Option<u32> = kwargs.get("height")?;
            let op: Option<&str> = kwargs.get("op")?;
            let op = op.unwrap_or("fit");
            let op = crate::images::Op::parse(op).ok_or_else(|| {
                tera::Error::message(format!(
                    "resize_image: op `{op}` is not fit, fill, scale or crop"
                ))
            })?;
            let (width, height) = (width.unwrap_or(0), height.unwrap_or(0));
            if op == crate::images::Op::Fill && (width == 0 || height == 0) {
                return Err(tera::Error::message(
                    "resize_image: fill needs width and height",
                ));
            }
            let lookup = read(&l);
            let pictures = lookup
                .pictures
                .as_ref()
                .ok_or_else(|| tera::Error::message("resize_image: no site yet"))?;
            pictures
                .resize(path, (op, width, height))
                .map(|v| super::pictures::variant(&v))
                .map_err(|e| tera::Error::message(format!("resize_image: {e}")))
        },
    );
    let l = Arc::clone(lookup);
    tera.register_function(
        "image_meta",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let lookup = read(&l);
            let pictures = lookup
                .pictures
                .as_ref()
                .ok_or_else(|| tera::Error::message("image_meta: no site yet"))?;
            let (width, height, format) = pictures
                .meta(path)
                .map_err(|e| tera::Error::message(format!("image_meta: {e}")))?;
            Ok(super::values::map([
                ("width", Value::from(width)),
                ("height", Value::from(height)),
                ("format", Value::from(format)),
            ]))
        },
    );
}
