//! Author profiles and bylines: the files of the authors section, in slug order, each with
//! its display name, and each page's bylines. Pages name profiles by slug or by name, so the
//! profiles are built before the pages; a name without a profile is a guest byline.

use std::collections::HashMap;
use std::sync::Arc;

use super::Author;
use crate::config::Config;
use crate::content::{Document, FrontMatter, Person, Spanned};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::source::Span;
use crate::text::slug::slugify;
use crate::text::url_path::section_path;

/// The authors, in slug order. A profile without a name is an error.
pub(super) fn build(config: &Config, docs: Vec<Document>, diags: &mut Diagnostics) -> Vec<Author> {
    let mut authors: Vec<Author> = docs
        .into_iter()
        .map(|doc| author_of(config, doc, diags))
        .collect();
    authors.sort_by(|a, b| a.slug.cmp(&b.slug));
    authors
}

fn author_of(config: &Config, doc: Document, diags: &mut Diagnostics) -> Author {
    let slug = doc.slug.clone();
    let path = format!("{}{}/", section_path(&doc.section), slug);
    let title = display_name(&doc.front, &slug);
    if doc.front.title.is_none() && doc.front.first_name.is_none() && doc.front.last_name.is_none()
    {
        diags.push(
            Diagnostic::error("author-name", "author profile has no name")
                .at(
                    &doc.source,
                    doc.front.span.clone(),
                    "needs first_name and last_name (or title)",
                )
                .help("add e.g. first_name: Ann-Christin and last_name: Labus"),
        );
    }
    Author {
        template: doc
            .front
            .template
            .as_ref()
            .map_or_else(|| "author.html".to_string(), |t| t.value.clone()),
        permalink: config.permalink(&path),
        source: doc.source,
        front: doc.front,
        slug,
        path,
        title,
        bio: Arc::default(),
        pages: Vec::new(),
        hash: doc.hash,
        depends: doc.depends,
        md_key: 0,
        picture: None,
        body: doc.body,
    }
}

/// `title`, else first and last name, else the slug.
fn display_name(front: &FrontMatter, slug: &str) -> String {
    let full_name = [front.first_name.as_deref(), front.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    front.title.clone().unwrap_or(if full_name.is_empty() {
        slug.to_string()
    } else {
        full_name
    })
}

/// One name of a page's byline, in the order the front matter gives them.
#[derive(Debug, Clone)]
pub enum Byline {
    /// An author profile of the site: its index in [`super::Site::authors`].
    Profile(usize),
    /// Someone without a profile: shown by name (and link), with no page of their own.
    Guest(Arc<Guest>),
}

/// A guest byline: a person named in `author:` or `authors:` who has no profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    /// The name as written.
    pub name: String,
    /// The name as a slug (`ann-labus`): the profile to create for them.
    pub slug: String,
    /// A link for the name.
    pub link: Option<String>,
    /// A portrait.
    pub image: Option<String>,
    /// A short biography (plain text).
    pub bio: Option<String>,
    /// An e-mail address.
    pub email: Option<String>,
    /// Where the name is written, for `check`'s offer to create the profile.
    pub span: Span,
}

/// How pages find profiles: by slug, and by name (title, or first and last name), both
/// compared as slugs, so case and diacritics do not matter (`ann labus`, `Ann Labus`).
pub(super) struct AuthorIndex<'a> {
    slugs: HashMap<&'a str, usize>,
    names: HashMap<String, usize>,
}

/// The index of `authors` by slug and by name.
pub(super) fn index(authors: &[Author]) -> AuthorIndex<'_> {
    let mut names = HashMap::new();
    for (i, a) in authors.iter().enumerate() {
        let full = [a.front.first_name.as_deref(), a.front.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        for name in [a.title.as_str(), full.as_str()] {
            let key = slugify(name);
            if !key.is_empty() {
                names.entry(key).or_insert(i);
            }
        }
    }
    AuthorIndex {
        slugs: authors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.slug.as_str(), i))
            .collect(),
        names,
    }
}

impl AuthorIndex<'_> {
    fn find(&self, name: &str) -> Option<usize> {
        self.slugs
            .get(name)
            .or_else(|| self.names.get(&slugify(name)))
            .copied()
    }
}

/// A page's bylines and the indexes of its profiles (each once), from `authors:` and
/// `author:`. A name that is a profile's slug, title or full name is that profile. An entry
/// of `authors:` written as a slug (lowercase, dashes) that is a near miss of a profile's slug
/// is an error with a did-you-mean: it is meant as that profile. Anything else is a guest
/// byline, which `check` offers to make a profile.
pub(super) fn of_page(
    authors: &[Author],
    index: &AuthorIndex,
    doc: &Document,
    ds: &mut Vec<Diagnostic>,
) -> (Vec<usize>, Vec<Byline>) {
    let named = doc.front.authors.iter().map(|a| Spanned {
        value: Person {
            name: a.value.clone(),
            ..Person::default()
        },
        span: a.span.clone(),
    });
    let (mut profiles, mut bylines, mut guests) = (Vec::new(), Vec::new(), Vec::new());
    let from_authors = doc.front.authors.len();
    for (n, person) in named.chain(doc.front.bylines.iter().cloned()).enumerate() {
        let name = person.value.name.as_str();
        if let Some(i) = index.find(name) {
            if !profiles.contains(&i) {
                profiles.push(i);
                bylines.push(Byline::Profile(i));
            }
            continue;
        }
        let slug = slugify(name);
        let near = (n < from_authors && slug == name)
            .then(|| did_you_mean(name, authors.iter().map(|a| a.slug.as_str())))
            .flatten();
        if let Some(near) = near {
            ds.push(
                Diagnostic::error("unknown-author", format!("unknown author `{name}`"))
                    .at(&doc.source, person.span, "no author profile with this slug")
                    .help(format!("did you mean `{near}`?")),
            );
            continue;
        }
        let slug = if slug.is_empty() {
            format!("gast-{}", n + 1)
        } else {
            slug
        };
        if guests.contains(&slug) {
            continue;
        }
        guests.push(slug.clone());
        let p = person.value;
        bylines.push(Byline::Guest(Arc::new(Guest {
            name: p.name,
            slug,
            link: p.link,
            image: p.image,
            bio: p.bio,
            email: p.email,
            span: person.span,
        })));
    }
    (profiles, bylines)
}

impl super::Site {
    /// The names in a page's byline, profiles and guests, in their order (for mail).
    pub(crate) fn byline_names<'a>(&'a self, page: &'a super::Page) -> Vec<&'a str> {
        page.bylines
            .iter()
            .map(|b| match b {
                Byline::Profile(i) => self.authors[*i].title.as_str(),
                Byline::Guest(g) => g.name.as_str(),
            })
            .collect()
    }
}
