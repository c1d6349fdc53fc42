//! The fields of each template value, written once for two uses: building the value
//! ([`Build`]) and hashing what it is made of into its fingerprint ([`Hashing`]).
//!
//! A value is rebuilt, and the outputs that show it rendered again, only when its
//! fingerprint changed; a field missing from the fingerprint would leave `serve` showing
//! stale pages. So every field is declared here with what it is made of, and a field
//! cannot be added to a value without saying how it enters the fingerprint: either
//! [`Fields::own`] (made from the document alone, which the fingerprint covers through the
//! document's Markdown key, itself a hash of the whole file), or [`Fields::field`] with
//! the inputs it is made from elsewhere in the site.
//!
//! Hashing never builds a value and reads only small inputs (keys, paths, other values'
//! fingerprints), so fingerprinting ten thousand pages stays cheap.

use tera::Value;

use super::values::{edition_ref, map, opt, preheader, rfc3339};
use crate::config::Config;
use crate::fingerprint::Fingerprint;
use crate::site::Edition;
use crate::site::{Author, Byline, Guest, Page, Section, Site};

/// Takes the fields of one value, in order.
pub(super) trait Fields {
    /// A field made from the document alone (its front matter or its Markdown).
    fn own(&mut self, key: &'static str, value: impl FnOnce() -> Value);

    /// A field made from other parts of the site: `hash` adds those inputs.
    fn field(
        &mut self,
        key: &'static str,
        hash: impl FnOnce(&mut Fingerprint),
        value: impl FnOnce() -> Value,
    );

    /// A text from elsewhere in the site (a path, a URL, a title), shown as it is.
    fn text(&mut self, key: &'static str, text: &str) {
        self.field(
            key,
            |h| {
                h.add(text);
            },
            || Value::from(text),
        );
    }
}

/// Builds the value.
#[derive(Default)]
pub(super) struct Build(tera::Map);

impl Build {
    pub(super) fn finish(self) -> Value {
        Value::from(self.0)
    }
}

impl Fields for Build {
    fn own(&mut self, key: &'static str, value: impl FnOnce() -> Value) {
        self.0.insert(key.into(), value());
    }

    fn field(
        &mut self,
        key: &'static str,
        _: impl FnOnce(&mut Fingerprint),
        value: impl FnOnce() -> Value,
    ) {
        self.0.insert(key.into(), value());
    }
}

/// Hashes the inputs of the value, starting with its document's Markdown key (for an
/// edition: with the fingerprint of its page).
pub(super) struct Hashing(Fingerprint);

impl Hashing {
    pub(super) fn new(tag: &str, first: u64) -> Hashing {
        let mut fp = Fingerprint::new(tag);
        fp.add(&first);
        Hashing(fp)
    }

    pub(super) fn finish(&self) -> u64 {
        self.0.finish()
    }
}

impl Fields for Hashing {
    fn own(&mut self, key: &'static str, _: impl FnOnce() -> Value) {
        self.0.add(key);
    }

    fn field(
        &mut self,
        key: &'static str,
        hash: impl FnOnce(&mut Fingerprint),
        _: impl FnOnce() -> Value,
    ) {
        self.0.add(key);
        hash(&mut self.0);
    }
}

/// What the fields of a page need of the rest of the site: the values when building, the
/// fingerprints when hashing (each use reads only its own half).
pub(super) struct Parts<'a> {
    pub(super) site: &'a Site,
    /// Per author: its value.
    pub(super) authors: &'a [Value],
    /// Per author: its fingerprint.
    pub(super) author_fps: &'a [u64],
    /// Per taxonomy, per term: what a page shows of it.
    pub(super) term_refs: &'a [Vec<Value>],
}

/// A date and the offset it is shown with.
fn instant(z: Option<&jiff::ZonedDateTime>) -> Option<(i64, i32)> {
    z.map(|z| (z.timestamp().as_second(), z.offset().seconds()))
}

/// The fields of page `p`'s value. `html`: its Markdown HTML (`p.content.html`, unless it
/// was taken out of the page).
pub(super) fn page<F: Fields>(out: &mut F, p: &Page, html: &str, parts: &Parts) {
    let site = parts.site;
    let f = &p.front;
    out.own("title", || opt(f.title.as_deref()));
    out.text("slug", &p.slug);
    out.text("path", &p.path);
    out.text("permalink", &p.permalink);
    out.field(
        "date",
        |h| {
            h.add(&instant(p.date.as_ref()));
        },
        || rfc3339(p.date.as_ref()),
    );
    out.own("updated", || rfc3339(f.updated.as_ref()));
    out.own("summary", || {
        p.summary_html
            .as_deref()
            .map_or_else(Value::none, Value::safe_string)
    });
    out.own("description", || Value::from(super::values::description(p)));
    out.own("content", || Value::safe_string(html));
    out.own("toc", || super::values::toc_value(&p.content.toc));
    out.own("tags", || {
        Value::from(
            f.tags
                .iter()
                .map(|t| Value::from(t.as_str()))
                .collect::<Vec<_>>(),
        )
    });
    out.own("region", || opt(f.region.as_deref()));
    page_taxonomies(out, p, parts);
    page_authors(out, p, parts);
    out.own("word_count", || Value::from(p.content.word_count));
    out.own("reading_time", || {
        Value::from(p.content.word_count.div_ceil(200).max(1))
    });
    out.own("extra", || {
        Value::try_from_serializable(&f.extra).unwrap_or_else(|_| Value::none())
    });
    out.own("draft", || Value::from(f.draft));
    out.field(
        "image",
        |h| {
            h.add(&p.hero);
        },
        || {
            p.hero.as_ref().map_or_else(Value::none, |pic| {
                super::pictures::value(pic, true, &site.config.images)
            })
        },
    );
    out.text("section", &site.sections[p.section].dir);
    out.text("section_title", &site.sections[p.section].title);
    out.text("section_permalink", &site.sections[p.section].permalink);
    page_editions(out, p, site);
    page_related(out, p, site);
}

/// A page's related articles, each as a teaser shows it: title, URLs, date, description,
/// region (what the fingerprint hashes of each).
fn page_related<F: Fields>(out: &mut F, p: &Page, site: &Site) {
    out.field(
        "related",
        |h| {
            for &r in &p.related {
                let r = &site.pages[r];
                h.add(&r.front.title)
                    .add(&r.path)
                    .add(&r.permalink)
                    .add(&instant(r.date.as_ref()))
                    .add(&r.front.description)
                    .add(&r.front.summary)
                    .add(&r.summary_html)
                    .add(&r.front.region);
            }
        },
        || {
            let refs = p.related.iter().map(|&r| {
                let r = &site.pages[r];
                map([
                    ("title", opt(r.front.title.as_deref())),
                    ("path", Value::from(r.path.as_str())),
                    ("permalink", Value::from(r.permalink.as_str())),
                    ("date", rfc3339(r.date.as_ref())),
                    ("description", Value::from(super::values::description(r))),
                    ("region", opt(r.front.region.as_deref())),
                ])
            });
            Value::from(refs.collect::<Vec<_>>())
        },
    );
}

/// A page's terms: their names and URLs, not their counts, so a page is not rendered again
/// when another page joins one of its terms.
fn page_taxonomies<F: Fields>(out: &mut F, p: &Page, parts: &Parts) {
    let site = parts.site;
    out.field(
        "taxonomies",
        |h| {
            for (t, idx) in p.terms.iter().enumerate() {
                for &k in idx {
                    let term = &site.taxonomies[t].terms[k];
                    h.add(&term.name).add(&term.path);
                }
            }
        },
        || {
            let mut taxonomies = tera::Map::new();
            for (t, tax) in site.taxonomies.iter().enumerate() {
                let refs: Vec<Value> = p.terms.get(t).map_or_else(Vec::new, |idx| {
                    idx.iter().map(|&i| parts.term_refs[t][i].clone()).collect()
                });
                taxonomies.insert(tax.config.name.clone().into(), Value::from(refs));
            }
            Value::from(taxonomies)
        },
    );
}

/// A page's byline: each profile as its profile shows it, each guest as what the front
/// matter says of them (`guest: true`, no `path` or `permalink`).
fn page_authors<F: Fields>(out: &mut F, p: &Page, parts: &Parts) {
    out.field(
        "authors",
        |h| {
            for b in &p.bylines {
                match b {
                    Byline::Profile(a) => h.add(&parts.author_fps[*a]),
                    Byline::Guest(g) => h.add(&g.name).add(&g.link).add(&g.image).add(&g.bio),
                };
            }
        },
        || {
            Value::from(
                p.bylines
                    .iter()
                    .map(|b| match b {
                        Byline::Profile(i) => parts.authors[*i].clone(),
                        Byline::Guest(g) => guest(g),
                    })
                    .collect::<Vec<_>>(),
            )
        },
    );
}

/// A guest byline's value: every field of an author's value, so templates can treat both
/// alike, with what a guest can have filled in (their `bio` is plain text, not HTML).
fn guest(g: &Guest) -> Value {
    map([
        ("guest", Value::from(true)),
        ("slug", Value::from(g.slug.as_str())),
        ("path", Value::none()),
        ("permalink", Value::none()),
        ("title", Value::from(g.name.as_str())),
        ("first_name", Value::none()),
        ("last_name", Value::none()),
        ("company", Value::none()),
        ("address", Value::none()),
        ("homepage", opt(g.link.as_deref())),
        ("industry", Value::none()),
        ("email", opt(g.email.as_deref())),
        ("photo", opt(g.image.as_deref())),
        ("picture", Value::none()),
        ("bio", opt(g.bio.as_deref())),
        ("summary", Value::none()),
        ("section_permalink", Value::none()),
        ("extra", Value::none()),
    ])
}

/// The editions a page appeared in (its back-links).
fn page_editions<F: Fields>(out: &mut F, p: &Page, site: &Site) {
    out.field(
        "editions",
        |h| {
            for &e in &p.editions {
                let e = &site.pages[e];
                h.add(&e.front.title)
                    .add(&e.path)
                    .add(&e.permalink)
                    .add(&e.edition.as_ref().map(|x| x.number))
                    .add(&instant(e.date.as_ref()));
            }
        },
        || {
            let refs = p.editions.iter().map(|&e| edition_ref(&site.pages[e]));
            Value::from(refs.collect::<Vec<_>>())
        },
    );
}

/// The fields of an author's value.
pub(super) fn author<F: Fields>(out: &mut F, a: &Author, images: &crate::images::Settings) {
    let f = &a.front;
    out.own("guest", || Value::from(false));
    out.text("slug", &a.slug);
    out.text("path", &a.path);
    out.text("permalink", &a.permalink);
    out.text(
        "section_permalink",
        a.permalink
            .rsplit_once(&format!("{}/", a.slug))
            .map_or("", |(s, _)| s),
    );
    out.text("title", &a.title);
    out.own("first_name", || opt(f.first_name.as_deref()));
    out.own("last_name", || opt(f.last_name.as_deref()));
    out.own("company", || opt(f.company.as_deref()));
    out.own("address", || {
        map([
            ("street", opt(f.address.street.as_deref())),
            ("postal_code", opt(f.address.postal_code.as_deref())),
            ("city", opt(f.address.city.as_deref())),
        ])
    });
    out.own("homepage", || opt(f.homepage.as_deref()));
    out.own("industry", || opt(f.industry.as_deref()));
    out.own("email", || opt(f.email.as_deref()));
    out.own("photo", || opt(f.photo.as_deref()));
    out.field(
        "picture",
        |h| {
            h.add(&a.picture);
        },
        || {
            a.picture.as_ref().map_or_else(Value::none, |pic| {
                super::pictures::value(pic, false, images)
            })
        },
    );
    out.own("bio", || Value::safe_string(&a.bio.html));
    out.own("summary", || opt(f.summary.as_deref()));
    out.own("extra", || {
        Value::try_from_serializable(&f.extra).unwrap_or_else(|_| Value::none())
    });
}

/// The fields of a section's value. `pages`: every page's value when building, every
/// page's fingerprint when hashing (read as `page_fps`).
pub(super) fn section<F: Fields>(
    out: &mut F,
    s: &Section,
    sections: &[Section],
    pages: &[Value],
    page_fps: &[u64],
) {
    out.text("title", &s.title);
    out.text("path", &s.path);
    out.text("permalink", &s.permalink);
    out.own("content", || Value::safe_string(&s.content.html));
    out.own("description", || opt(s.front.description.as_deref()));
    out.field(
        "pages",
        |h| {
            // A paginated section's templates list its pages through the paginator, whose
            // fingerprint holds them: an edit does not render every page of a long list
            // again.
            if s.front.paginate_by.is_none() {
                for &p in &s.pages {
                    h.add(&page_fps[p]);
                }
            }
        },
        || {
            Value::from(
                s.pages
                    .iter()
                    .map(|&i| pages[i].clone())
                    .collect::<Vec<_>>(),
            )
        },
    );
    section_subsections(out, s, sections);
    out.own("extra", || {
        Value::try_from_serializable(&s.front.extra).unwrap_or_else(|_| Value::none())
    });
}

/// A section's subsections: their titles and URLs.
fn section_subsections<F: Fields>(out: &mut F, s: &Section, sections: &[Section]) {
    out.field(
        "subsections",
        |h| {
            for &sub in &s.subsections {
                let sub = &sections[sub];
                h.add(&sub.title).add(&sub.path).add(&sub.permalink);
            }
        },
        || {
            let subsections = s.subsections.iter().map(|&i| {
                let sub = &sections[i];
                map([
                    ("title", Value::from(sub.title.as_str())),
                    ("path", Value::from(sub.path.as_str())),
                    ("permalink", Value::from(sub.permalink.as_str())),
                ])
            });
            Value::from(subsections.collect::<Vec<_>>())
        },
    );
}

/// The fields of `page.edition`, what an edition's templates see besides the page.
/// `articles`: the values of its articles, in order, when building; `article_fps`: their
/// fingerprints when hashing. `html`: the editorial as the page value holds it.
pub(super) fn edition<F: Fields>(
    out: &mut F,
    p: &Page,
    html: &str,
    edition: &Edition,
    articles: &[Value],
    article_fps: &[u64],
    config: &Config,
) {
    out.field(
        "number",
        |h| {
            h.add(&edition.number);
        },
        || Value::from(edition.number),
    );
    out.field(
        "articles",
        |h| {
            h.add(article_fps);
        },
        || Value::from(articles.to_vec()),
    );
    out.own("preheader", || Value::from(preheader(p, html)));
    let [email, text, eml] = crate::site::editions::files(&p.path);
    for (key, file) in [("email_url", email), ("text_url", text), ("eml_url", eml)] {
        let url = config.permalink(&format!("/{file}"));
        out.text(key, &url);
    }
    out.text("unsubscribe_url", &config.editions.unsubscribe_url);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fingerprints::Fingerprints;
    use crate::render::values::Values;

    /// Records the keys it is given.
    #[derive(Default)]
    struct Keys(Vec<&'static str>);

    impl Fields for Keys {
        fn own(&mut self, key: &'static str, _: impl FnOnce() -> Value) {
            self.0.push(key);
        }

        fn field(
            &mut self,
            key: &'static str,
            _: impl FnOnce(&mut Fingerprint),
            _: impl FnOnce() -> Value,
        ) {
            self.0.push(key);
        }
    }

    fn site(fixture: &str) -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        let config =
            crate::config::Config::load(&root, &crate::config::Overrides::default()).unwrap();
        let mut diags = crate::diagnostics::Diagnostics::new();
        let loaded = crate::content::load(&config, &mut diags);
        let mut cache = crate::cache::Cache::new();
        crate::site::resolve(config, loaded, None, &mut cache, &mut diags)
    }

    fn keys_of(value: &Value) -> Vec<String> {
        let map = value.as_map().unwrap();
        map.keys().map(|k| k.to_string()).collect()
    }

    /// Every key of a built value comes from its field list, so it is in its fingerprint:
    /// nothing adds keys to a value afterwards (an edition's `edition` has a field list of
    /// its own).
    #[test]
    fn every_key_of_a_value_is_a_fingerprinted_field() {
        let mut editions = 0;
        for fixture in ["basic", "editions"] {
            let site = site(fixture);
            let fps = Fingerprints::new(&site);
            let v = Values::new(&site, &fps.pages, &mut Default::default(), Vec::new());
            let parts = Parts {
                site: &site,
                authors: &[],
                author_fps: &[],
                term_refs: &[],
            };
            for (p, value) in site.pages.iter().zip(&v.pages) {
                let mut fields = Keys::default();
                page(&mut fields, p, "", &parts);
                if let Some(e) = &p.edition {
                    fields.0.push("edition");
                    editions += 1;
                    let mut of_edition = Keys::default();
                    edition(&mut of_edition, p, "", e, &[], &[], &site.config);
                    let value = value.get_from_path("edition").unwrap();
                    assert_eq!(keys_of(value), of_edition.0, "{}", p.source.name);
                }
                assert_eq!(keys_of(value), fields.0, "{}", p.source.name);
            }
            for (a, value) in site.authors.iter().zip(&v.authors) {
                let mut fields = Keys::default();
                author(&mut fields, a, &site.config.images);
                assert_eq!(keys_of(value), fields.0, "{}", a.source.name);
            }
            for (s, value) in site.sections.iter().zip(&v.sections) {
                let mut fields = Keys::default();
                section(&mut fields, s, &site.sections, &[], &[]);
                assert_eq!(keys_of(value), fields.0, "{}", s.path);
            }
        }
        assert!(editions > 0);
    }

    /// What a page shows of other parts of the site enters its fingerprint: its authors.
    #[test]
    fn an_author_change_changes_the_fingerprints_of_their_pages() {
        let mut site = site("basic");
        let before = Fingerprints::new(&site);
        site.authors[0].title.push_str(" (neu)");
        let after = Fingerprints::new(&site);
        assert_ne!(before.authors[0], after.authors[0]);
        for (i, p) in site.pages.iter().enumerate() {
            assert_eq!(
                p.authors.contains(&0),
                before.pages[i] != after.pages[i],
                "{}",
                p.source.name
            );
        }
        assert!(site.pages.iter().any(|p| p.authors.contains(&0)));
    }
}
