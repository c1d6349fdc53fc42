//! Taxonomies: the terms of every taxonomy declared in `site.toml`, collected from the pages'
//! front matter. Terms with the same slug are one term; each term's pages come out newest
//! first without sorting, because the pages are visited in that order.

use std::collections::HashMap;

use super::{Page, Taxonomy, Term};
use crate::config::Config;
use crate::content::FrontMatter;
use crate::text::slug::slugify;

/// A term while it is collected: (slug, name as first written, pages).
type Collected = (String, String, Vec<usize>);

/// Collects the terms of every declared taxonomy from the pages' front matter and gives each
/// page its terms. `order`: the pages newest first.
pub(super) fn build(config: &Config, pages: &mut [Page], order: &[usize]) -> Vec<Taxonomy> {
    let mut out = Vec::new();
    let mut assignments: Vec<Vec<Vec<usize>>> = Vec::new();
    for decl in &config.taxonomies {
        let path = format!("/{}/", decl.name);
        let terms = collect_terms(pages, order, decl.key());
        let mut per_page: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
        for (k, (_, _, idx)) in terms.iter().enumerate() {
            for &p in idx {
                per_page[p].push(k);
            }
        }
        assignments.push(per_page);
        let terms: Vec<Term> = terms
            .into_iter()
            .map(|(slug, name, idx)| {
                let term_path = format!("{path}{slug}/");
                Term {
                    permalink: config.permalink(&term_path),
                    path: term_path,
                    name,
                    slug,
                    pages: idx,
                }
            })
            .collect();
        out.push(Taxonomy {
            config: decl.clone(),
            permalink: config.permalink(&path),
            path,
            terms,
        });
    }
    for (i, page) in pages.iter_mut().enumerate() {
        page.terms = assignments
            .iter_mut()
            .map(|per_page| std::mem::take(&mut per_page[i]))
            .collect();
    }
    out
}

/// The terms that front matter `key` gives the pages, in slug order, each with its pages in
/// the order of `order`.
fn collect_terms(pages: &[Page], order: &[usize], key: &str) -> Vec<Collected> {
    let mut terms: Vec<Collected> = Vec::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    // Few distinct spellings are written on many pages: slugify each one once.
    let mut by_name: HashMap<&str, Option<usize>> = HashMap::new();
    for &i in order {
        for name in term_names(&pages[i].front, key) {
            let t = match by_name.get(name) {
                Some(t) => *t,
                None => {
                    let slug = slugify(name);
                    let t = (!slug.is_empty()).then(|| {
                        *by_slug.entry(slug.clone()).or_insert_with(|| {
                            terms.push((slug, name.to_string(), Vec::new()));
                            terms.len() - 1
                        })
                    });
                    by_name.insert(name, t);
                    t
                }
            };
            if let Some(t) = t
                && terms[t].2.last() != Some(&i)
            {
                terms[t].2.push(i);
            }
        }
    }
    terms.sort_by(|a, b| a.0.cmp(&b.0));
    terms
}

/// The terms a page gives a taxonomy fed by front matter `key`: the typed `tags` and
/// `region`, or an `extra` value (text or a list of texts).
fn term_names<'a>(front: &'a FrontMatter, key: &str) -> Vec<&'a str> {
    match key {
        "tags" => front.tags.iter().map(String::as_str).collect(),
        "region" => front.region.iter().map(String::as_str).collect(),
        other => match front.extra.get(other) {
            Some(serde_yaml::Value::String(s)) => vec![s.as_str()],
            Some(serde_yaml::Value::Sequence(seq)) => {
                seq.iter().filter_map(|v| v.as_str()).collect()
            }
            _ => Vec::new(),
        },
    }
}
