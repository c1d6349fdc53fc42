//! Front matter: the old site's keys → presswerk's. Known keys get presswerk's names and
//! forms (dates presswerk reads, lists), old URLs are collected for aliases, author
//! references are handed to the author profiles, and every other key is kept under `extra`,
//! where templates still see it. One table for Hugo and Jekyll: their keys do not clash.

use serde_yaml::{Mapping, Value};

use super::values::{date, list, scalar};

/// An author as a page names them: a slug or name, or a mapping with a name.
#[derive(Debug, Clone)]
pub(super) enum AuthorRef {
    Name(String),
    Map(Mapping),
}

/// A document's front matter in presswerk's terms.
#[derive(Debug, Default)]
pub(super) struct Converted {
    /// presswerk keys (`title`, `date`, …), in presswerk's order, and `extra`.
    pub(super) keys: Mapping,
    /// Keys kept under `extra`.
    pub(super) extra: Mapping,
    /// URLs the page had: `url:`, `permalink:`, `aliases:`, `redirect_from:`, as written.
    pub(super) old_paths: Vec<String>,
    /// `url:` or `permalink:`: the page's whole URL on the old site, if set.
    pub(super) own_url: Option<String>,
    /// The authors it names.
    pub(super) authors: Vec<AuthorRef>,
    /// The date as presswerk reads it, for the old permalinks too.
    pub(super) date: Option<String>,
    /// `slug:` as written.
    pub(super) slug: Option<String>,
    /// The terms of each taxonomy: (taxonomy, terms).
    pub(super) terms: Vec<(String, Vec<String>)>,
    /// What could not be converted, each as a sentence (the key is named).
    pub(super) problems: Vec<String>,
}

/// Which tool wrote the front matter, where they differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    Hugo,
    Jekyll,
}

/// Converts `front`. `taxonomies`: the plural names of the old site's taxonomies (`tags`,
/// `categories`, …) that become presswerk taxonomies.
pub(super) fn convert(front: &Mapping, taxonomies: &[String], dialect: Dialect) -> Converted {
    let mut c = Converted::default();
    let words = dialect == Dialect::Jekyll;
    let mut dates: [Option<String>; 4] = Default::default(); // date, publish, updated, expiry
    for (k, v) in front {
        let Some(key) = scalar(k) else { continue };
        let lower = key.to_ascii_lowercase();
        match lower.as_str() {
            "title" | "description" | "summary" => put_text(&mut c, &lower, v),
            "excerpt" => put_text(&mut c, "summary", v),
            "date" => dates[0] = date_of(&mut c, &key, v),
            "publishdate" | "pubdate" => dates[1] = date_of(&mut c, &key, v),
            "published" if !matches!(v, Value::Bool(_)) => dates[1] = date_of(&mut c, &key, v),
            "published" => {
                if v == &Value::Bool(false) {
                    c.keys.insert("draft".into(), true.into());
                }
            }
            "lastmod" | "last_modified_at" | "modified" | "updated" => {
                dates[2] = date_of(&mut c, &key, v)
            }
            "expirydate" | "unpublishdate" | "expiry_date" => dates[3] = date_of(&mut c, &key, v),
            "draft" => {
                if v == &Value::Bool(true) || scalar(v).is_some_and(|s| s == "true") {
                    c.keys.insert("draft".into(), true.into());
                }
            }
            "slug" => c.slug = scalar(v).filter(|s| !s.trim().is_empty()),
            // `weight: 01` is text to YAML, a number to Hugo.
            "weight" => match v.as_i64().or_else(|| scalar(v)?.trim().parse().ok()) {
                Some(w) => {
                    c.keys.insert("weight".into(), w.into());
                }
                None => {
                    c.problems
                        .push(format!("`{key}` is no whole number: kept in `extra`"));
                    c.extra.insert(Value::String(key), v.clone());
                }
            },
            "aliases" | "redirect_from" => c.old_paths.extend(list(v, false)),
            "url" | "permalink" => {
                c.own_url = scalar(v);
                c.old_paths.extend(scalar(v));
            }
            "author" | "authors" => authors(&mut c, v),
            "tags" | "tag" => push_terms(&mut c, "tags", list(v, words)),
            "categories" | "category" if taxonomies.iter().any(|t| t == "categories") => {
                push_terms(&mut c, "categories", list(v, words))
            }
            _ if taxonomies.iter().any(|t| t.eq_ignore_ascii_case(&lower)) => {
                push_terms(&mut c, &lower, list(v, false))
            }
            _ => {
                c.extra.insert(Value::String(key), v.clone());
            }
        }
    }
    finish_dates(&mut c, dates);
    c
}

fn put_text(c: &mut Converted, key: &str, v: &Value) {
    if let Some(s) = scalar(v) {
        c.keys.insert(key.into(), s.into());
    }
}

fn date_of(c: &mut Converted, key: &str, v: &Value) -> Option<String> {
    let raw = scalar(v)?;
    let d = date(&raw);
    if d.is_none() {
        c.problems.push(format!(
            "`{key}: {raw}` is no date presswerk reads: kept in `extra`"
        ));
        c.extra.insert(Value::String(key.to_string()), v.clone());
    }
    d
}

/// Hugo dates a page by `date`, else `publishDate`, else `lastmod`; so does the import.
fn finish_dates(c: &mut Converted, [date, publish, updated, expiry]: [Option<String>; 4]) {
    let main = date
        .clone()
        .or_else(|| publish.clone())
        .or_else(|| updated.clone());
    if let Some(d) = &main {
        c.keys.insert("date".into(), d.clone().into());
    }
    c.date = main;
    if let Some(u) = updated {
        c.keys.insert("updated".into(), u.into());
    }
    // Only a publish date after the date holds the page back; the same one is just the date.
    if let Some(p) = publish
        && date.is_some()
        && Some(&p) != date.as_ref()
    {
        c.keys.insert("publish_date".into(), p.into());
    }
    if let Some(e) = expiry {
        c.keys.insert("expiry_date".into(), e.into());
    }
}

fn push_terms(c: &mut Converted, taxonomy: &str, terms: Vec<String>) {
    if terms.is_empty() {
        return;
    }
    match c.terms.iter_mut().find(|(t, _)| t == taxonomy) {
        Some((_, have)) => have.extend(terms),
        None => c.terms.push((taxonomy.to_string(), terms)),
    }
}

fn authors(c: &mut Converted, v: &Value) {
    match v {
        Value::Sequence(items) => {
            for item in items {
                authors(c, item);
            }
        }
        Value::Mapping(m) => c.authors.push(AuthorRef::Map(m.clone())),
        other => {
            if let Some(name) = scalar(other).filter(|s| !s.trim().is_empty()) {
                c.authors.push(AuthorRef::Name(name.trim().to_string()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(yaml: &str, dialect: Dialect) -> Converted {
        let m: Mapping = serde_yaml::from_str(yaml).unwrap();
        convert(
            &m,
            &["tags".into(), "categories".into(), "series".into()],
            dialect,
        )
    }

    #[test]
    fn hugo_keys_become_presswerk_keys_and_the_rest_goes_to_extra() {
        let c = conv(
            "title: Sommerfest\nlastmod: 2024-06-07\npublishDate: 2024-06-05\nslug: fest\n\
             aliases: [/alt/]\nurl: /feste/sommer/\nauthor: Erika Muster\ntags: [Verein]\n\
             series: [Feste]\nlayout: post\nimage: foto.jpg\n",
            Dialect::Hugo,
        );
        assert_eq!(
            c.keys.get("title").and_then(Value::as_str),
            Some("Sommerfest")
        );
        // No `date`: the publish date dates it, as in Hugo.
        assert_eq!(
            c.keys.get("date").and_then(Value::as_str),
            Some("2024-06-05")
        );
        assert_eq!(
            c.keys.get("updated").and_then(Value::as_str),
            Some("2024-06-07")
        );
        assert!(c.keys.get("publish_date").is_none());
        assert_eq!(c.slug.as_deref(), Some("fest"));
        assert_eq!(c.old_paths, ["/alt/", "/feste/sommer/"]);
        assert_eq!(c.own_url.as_deref(), Some("/feste/sommer/"));
        assert!(matches!(&c.authors[..], [AuthorRef::Name(n)] if n == "Erika Muster"));
        assert_eq!(
            c.terms,
            [
                ("tags".into(), vec!["Verein".into()]),
                ("series".into(), vec!["Feste".into()])
            ]
        );
        assert_eq!(c.extra.len(), 2);
        assert!(c.extra.contains_key("layout") && c.extra.contains_key("image"));
    }

    #[test]
    fn jekyll_words_published_and_bad_dates() {
        let c = conv(
            "tags: verein feste\ncategories: Aktuelles\npublished: false\ndate: irgendwann\n",
            Dialect::Jekyll,
        );
        assert_eq!(c.terms[0].1, ["verein", "feste"]);
        assert_eq!(c.keys.get("draft"), Some(&Value::Bool(true)));
        assert!(c.keys.get("date").is_none());
        assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
        assert!(c.extra.contains_key("date"));
    }
}
