//! Which documents are part of the site, and its sections. Held-back documents (drafts,
//! scheduled, expired) leave first, with their folders, so nothing after this sees them;
//! then every folder with an `_index.md`, a page or a profile becomes a [`Section`], as does
//! every folder above those, with its URL path, title and template.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use jiff::ZonedDateTime as Zoned;

use super::{Section, assets::stem_dir, strip_content};
use crate::config::Config;
use crate::content::{Document, FrontMatter, Kind};
use crate::text::url_path::section_path;

/// Whether a document is held back: a draft, not yet published or expired.
pub(crate) fn held_back(front: &FrontMatter, config: &Config, now: &Zoned) -> bool {
    if config.drafts {
        return false;
    }
    front.draft
        || front.publish_date.as_ref().is_some_and(|d| d > now)
        || front.expiry_date.as_ref().is_some_and(|d| d <= now)
}

/// The loaded documents sorted by what they become, the held-back ones counted and named.
pub(super) struct Sorted {
    /// `_index.md` files, by folder.
    pub(super) sections: BTreeMap<String, Document>,
    /// Articles, other pages and editions.
    pub(super) pages: Vec<Document>,
    /// Author profiles.
    pub(super) authors: Vec<Document>,
    /// How many were held back.
    pub(super) held: usize,
    /// Folders of held-back pages: their colocated files stay out of the output too.
    pub(super) held_dirs: Vec<String>,
    /// Their `@/` names, so an edition that lists one can say why it is not there.
    pub(super) held_names: HashSet<String>,
}

/// Sets the held-back documents aside and sorts the others by kind.
pub(super) fn sort_documents(documents: Vec<Document>, config: &Config, now: &Zoned) -> Sorted {
    let mut sorted = Sorted {
        sections: BTreeMap::new(),
        pages: Vec::new(),
        authors: Vec::new(),
        held: 0,
        held_dirs: Vec::new(),
        held_names: HashSet::new(),
    };
    for doc in documents {
        if held_back(&doc.front, config, now) {
            sorted.held += 1;
            sorted.held_dirs.push(stem_dir(&doc.source));
            sorted
                .held_names
                .insert(strip_content(&doc.source.name).to_string());
            continue;
        }
        match doc.kind {
            Kind::Section => {
                sorted.sections.insert(doc.section.clone(), doc);
            }
            Kind::Author => sorted.authors.push(doc),
            Kind::Page | Kind::Edition => sorted.pages.push(doc),
        }
    }
    sorted
}

/// The sections, in path order (index 0 is the home page): every folder with an
/// `_index.md` or a page, and every folder above those.
pub(super) fn build(
    config: &Config,
    mut section_docs: BTreeMap<String, Document>,
    page_docs: &[Document],
    author_docs: &[Document],
) -> Vec<Section> {
    let dirs = section_dirs(&section_docs, page_docs, author_docs);
    dirs.iter()
        .map(|dir| section_of(config, dir, section_docs.remove(dir)))
        .collect()
}

/// Every folder that is a section, sorted, `""` (the home page) first.
fn section_dirs(
    section_docs: &BTreeMap<String, Document>,
    page_docs: &[Document],
    author_docs: &[Document],
) -> Vec<String> {
    let mut dirs: Vec<String> = vec![String::new()];
    // Many documents share a folder: look at each folder once.
    let folders: BTreeSet<&str> = section_docs
        .keys()
        .map(String::as_str)
        .chain(page_docs.iter().map(|d| d.section.as_str()))
        .chain(author_docs.iter().map(|d| d.section.as_str()))
        .collect();
    for d in folders {
        let mut acc = String::new();
        for part in d.split('/').filter(|p| !p.is_empty()) {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(part);
            dirs.push(acc.clone());
        }
    }
    dirs.sort();
    dirs.dedup();
    dirs
}

/// The section of folder `dir`, from its `_index.md` if it has one.
fn section_of(config: &Config, dir: &str, doc: Option<Document>) -> Section {
    let path = section_path(dir);
    let default_template = if dir.is_empty() {
        "index.html"
    } else if dir == config.authors_section {
        "authors.html"
    } else if dir == config.editions.section {
        "editions.html"
    } else {
        "section.html"
    };
    let (source, front, body, hash, depends) = match doc {
        Some(d) => (Some(d.source), d.front, d.body, d.hash, d.depends),
        None => (
            None,
            Arc::new(FrontMatter::default()),
            0..0,
            0,
            crate::markdown::Depends::default(),
        ),
    };
    Section {
        title: front.title.clone().unwrap_or_else(|| {
            if dir.is_empty() {
                config.title.clone()
            } else {
                folder_title(dir)
            }
        }),
        template: front
            .template
            .as_ref()
            .map_or_else(|| default_template.to_string(), |t| t.value.clone()),
        permalink: config.permalink(&path),
        source,
        front,
        dir: dir.to_string(),
        path,
        content: Arc::default(),
        pages: Vec::new(),
        subsections: Vec::new(),
        hash,
        depends,
        md_key: 0,
        body,
    }
}

/// Section folder → its index in the sections.
pub(super) fn index(sections: &[Section]) -> HashMap<String, usize> {
    sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.clone(), i))
        .collect()
}

/// Gives every section the sections directly below it.
pub(super) fn link_subsections(sections: &mut [Section], index: &HashMap<String, usize>) {
    for i in 1..sections.len() {
        let parent = sections[i]
            .dir
            .rsplit_once('/')
            .map_or("", |(p, _)| p)
            .to_string();
        if let Some(&p) = index.get(&parent) {
            sections[p].subsections.push(i);
        }
    }
}

/// A folder's title when its `_index.md` gives none: its name, capitalised.
fn folder_title(dir: &str) -> String {
    let last = dir.rsplit('/').next().unwrap_or(dir);
    let mut chars = last.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_titles_capitalise_the_last_folder() {
        assert_eq!(folder_title("artikel/termine"), "Termine");
        assert_eq!(folder_title("über"), "Über");
        assert_eq!(folder_title(""), "");
    }
}
