//! Authors: the old site's author data (Hugo's `data/authors.*` and `content/authors/`,
//! Jekyll's `_data/authors.yml`, `author:` mappings and bylines in front matter) become
//! presswerk author profiles, and each page's `authors:` lists their slugs.

use std::collections::{BTreeMap, HashMap};

use serde_yaml::{Mapping, Value};

use super::convert::AuthorRef;
use super::values::{scalar, text};
use crate::text::slug::slugify;

/// One author profile to write.
#[derive(Debug, Default, Clone)]
pub(super) struct Profile {
    pub(super) name: String,
    pub(super) email: Option<String>,
    pub(super) homepage: Option<String>,
    pub(super) photo: Option<String>,
    /// Markdown: the biography, the profile's body.
    pub(super) bio: String,
    /// presswerk's own author keys where the old data has them (`first_name`, `address`, …).
    pub(super) own: Mapping,
    /// Other fields of the old data, kept under `extra`.
    pub(super) extra: Mapping,
}

/// Every author, by slug.
#[derive(Debug, Default)]
pub(super) struct Authors {
    pub(super) profiles: BTreeMap<String, Profile>,
    /// Names and keys as written (lowercased) → slug.
    aliases: HashMap<String, String>,
}

const NAME: &[&str] = &["name", "display_name", "title", "fullname"];
const EMAIL: &[&str] = &["email", "mail"];
const HOMEPAGE: &[&str] = &["homepage", "website", "url", "uri", "web", "link"];
const PHOTO: &[&str] = &["photo", "avatar", "image", "picture", "img"];
const BIO: &[&str] = &["bio", "description", "about", "biography"];
/// Keys presswerk's profiles have as they are.
const OWN: &[&str] = &["first_name", "last_name", "company", "address", "industry"];

fn first(m: &Mapping, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| text(m, k))
        .filter(|s| !s.trim().is_empty())
}

impl Authors {
    /// Adds the author `key` of a data file (or of `content/authors/<key>`), with its fields.
    pub(super) fn add(&mut self, key: &str, data: &Mapping, bio_body: Option<&str>) {
        let slug = match slugify(key) {
            s if s.is_empty() => return,
            s => s,
        };
        let full = [text(data, "first_name"), text(data, "last_name")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let name = first(data, NAME)
            .or_else(|| (!full.is_empty()).then_some(full))
            .unwrap_or_else(|| key.to_string());
        let (mut own, mut extra) = (Mapping::new(), Mapping::new());
        for (k, v) in data {
            let k_text = scalar(k).unwrap_or_default().to_ascii_lowercase();
            if OWN.contains(&k_text.as_str()) {
                own.insert(k_text.into(), v.clone());
            } else if ![NAME, EMAIL, HOMEPAGE, PHOTO, BIO]
                .iter()
                .any(|l| l.contains(&k_text.as_str()))
            {
                extra.insert(k.clone(), v.clone());
            }
        }
        let bio = bio_body
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(str::to_string)
            .or_else(|| first(data, BIO))
            .unwrap_or_default();
        let p = Profile {
            name: name.clone(),
            email: first(data, EMAIL),
            homepage: first(data, HOMEPAGE),
            // Old themes read `avatar: img/x.jpg` from the site's root (relURL); on a
            // profile page a relative path would be read from the profile's folder.
            photo: first(data, PHOTO).map(|p| {
                if p.starts_with('/') || p.contains("://") {
                    p
                } else {
                    format!("/{p}")
                }
            }),
            bio,
            own,
            extra,
        };
        self.aliases.insert(key.to_lowercase(), slug.clone());
        self.aliases.insert(name.to_lowercase(), slug.clone());
        self.profiles.entry(slug).or_insert(p);
    }

    /// The slug of the author a page names, making a profile for a name not seen before.
    pub(super) fn resolve(&mut self, r: &AuthorRef) -> Option<String> {
        match r {
            AuthorRef::Name(n) => {
                if let Some(s) = self.aliases.get(&n.to_lowercase()) {
                    return Some(s.clone());
                }
                let slug = slugify(n);
                if slug.is_empty() {
                    return None;
                }
                if !self.profiles.contains_key(&slug) {
                    let mut m = Mapping::new();
                    m.insert("name".into(), Value::String(n.clone()));
                    self.add(n, &m, None);
                }
                Some(slug)
            }
            AuthorRef::Map(m) => {
                let name = first(m, NAME)?;
                if let Some(s) = self.aliases.get(&name.to_lowercase()) {
                    return Some(s.clone());
                }
                self.add(&name, m, None);
                Some(slugify(&name)).filter(|s| !s.is_empty())
            }
        }
    }

    /// Adds every entry of an authors data file: a mapping of key → fields, or a list of
    /// mappings with a name.
    pub(super) fn add_data(&mut self, data: &Value) {
        match data {
            Value::Mapping(m) => {
                for (k, v) in m {
                    if let (Some(key), Value::Mapping(fields)) = (scalar(k), v) {
                        self.add(&key, fields, None);
                    }
                }
            }
            Value::Sequence(items) => {
                for item in items {
                    if let Value::Mapping(fields) = item
                        && let Some(name) = first(fields, NAME)
                    {
                        let key = text(fields, "id").unwrap_or(name);
                        self.add(&key, fields, None);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A section whose pages are the people the other pages name as authors (a site that
/// keeps its authors as pages, `content/autoren/<slug>.md`): its pages become profiles, and
/// its folder the authors section, so the profiles keep their URLs. Returns that folder.
pub(super) fn profiles_section(
    docs: &mut Vec<super::Doc>,
    authors: &mut Authors,
) -> Option<String> {
    let named: std::collections::HashSet<String> = docs
        .iter()
        .flat_map(|d| &d.front.authors)
        .filter_map(|r| match r {
            AuthorRef::Name(n) => Some(slugify(n)),
            AuthorRef::Map(_) => None,
        })
        .collect();
    // Folder → (pages, pages that are named as authors); most of its pages must be people.
    let mut dirs: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for d in docs.iter().filter(|d| !d.section && !d.dir.is_empty()) {
        let e = dirs.entry(d.dir.as_str()).or_default();
        e.0 += 1;
        e.1 += usize::from(named.contains(&slugify(&d.stem)));
    }
    let dir = dirs
        .into_iter()
        .filter(|(_, (pages, named))| *named > 0 && named * 2 >= *pages)
        .max_by_key(|(_, (pages, _))| *pages)?
        .0
        .to_string();
    let (people, rest): (Vec<_>, Vec<_>) = std::mem::take(docs)
        .into_iter()
        .partition(|d| !d.section && d.dir == dir);
    *docs = rest;
    for d in people {
        let mut data = d.front.extra.clone();
        if let Some(t) = d.front.keys.get("title") {
            data.insert("title".into(), t.clone());
        }
        authors.add(&d.stem, &data, Some(&d.body));
    }
    Some(dir)
}

impl Profile {
    /// The profile file: presswerk's author keys, the biography as body.
    pub(super) fn file(&self) -> String {
        let mut m = Mapping::new();
        m.insert("title".into(), self.name.clone().into());
        let (first_name, last_name) = match self.name.trim().rsplit_once(' ') {
            Some((f, l)) => (f.trim().to_string(), Some(l.to_string())),
            None => (self.name.trim().to_string(), None),
        };
        if self.own.contains_key("first_name") || self.own.contains_key("last_name") {
            m.extend(self.own.clone());
        } else {
            m.insert("first_name".into(), first_name.into());
            if let Some(l) = last_name {
                m.insert("last_name".into(), l.into());
            }
            m.extend(self.own.clone());
        }
        for (k, v) in [
            ("homepage", &self.homepage),
            ("email", &self.email),
            ("photo", &self.photo),
        ] {
            if let Some(v) = v {
                m.insert(k.into(), v.clone().into());
            }
        }
        if !self.extra.is_empty() {
            m.insert("extra".into(), Value::Mapping(self.extra.clone()));
        }
        super::document(&m, &self.bio)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keys_and_mappings_find_one_profile() {
        let mut a = Authors::default();
        let data: Value = serde_yaml::from_str(
            "erika:\n  name: Erika Mustermann\n  avatar: /img/erika.jpg\n  twitter: em\n",
        )
        .unwrap();
        a.add_data(&data);
        assert_eq!(
            a.resolve(&AuthorRef::Name("erika".into())).as_deref(),
            Some("erika")
        );
        assert_eq!(
            a.resolve(&AuthorRef::Name("Erika Mustermann".into()))
                .as_deref(),
            Some("erika")
        );
        assert_eq!(
            a.resolve(&AuthorRef::Name("Jörg Schäfer".into()))
                .as_deref(),
            Some("joerg-schaefer")
        );
        let p = &a.profiles["erika"];
        assert_eq!(p.photo.as_deref(), Some("/img/erika.jpg"));
        assert!(p.extra.contains_key("twitter"));
        let file = p.file();
        assert!(
            file.contains("first_name: Erika\nlast_name: Mustermann\n"),
            "{file}"
        );
        assert_eq!(a.profiles.len(), 2);
    }
}
