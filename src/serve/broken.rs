//! The pages of broken files. `serve` builds the site without the documents that have
//! errors of their own (see [`crate::builder::Builder::leave_out_broken_documents`]) and
//! shows each one's errors where its page is: at the URL the file had in an earlier build
//! of this session, or else at the URL its path gives (front matter that does not parse
//! cannot tell its `slug:`). Errors whose page cannot be told show on every page.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostics::Diagnostics;
use crate::site::Site;
use crate::text::UrlPath;
use crate::text::dates::split_date_prefix;
use crate::text::slug::slugify;

/// Where each document's page was in the builds so far: its file (`content/…`, as
/// diagnostics name it) → its page's site path (`/artikel/x/`). Kept up to date on every
/// save, so an unchanged page costs a lookup and a comparison, no allocation.
#[derive(Debug, Default)]
pub(crate) struct Pages(HashMap<String, String>);

/// What the browsers are shown of the documents left out.
#[derive(Debug, Default)]
pub(crate) struct Overlays {
    /// Output file → the errors of the file whose page it is.
    pub pages: BTreeMap<String, String>,
    /// Errors of files whose page cannot be told: shown on every page.
    pub everywhere: Option<String>,
}

impl Pages {
    /// Takes note of where the pages of `site` are.
    pub(crate) fn learn(&mut self, site: &Site) {
        let pages = site.pages.iter().map(|p| (&p.source.name, &p.path));
        let authors = site.authors.iter().map(|a| (&a.source.name, &a.path));
        let sections = site
            .sections
            .iter()
            .filter_map(|s| s.source.as_ref().map(|src| (&src.name, &s.path)));
        for (name, path) in pages.chain(authors).chain(sections) {
            if self.0.get(name) != Some(path) {
                self.0.insert(name.clone(), path.clone());
            }
        }
    }

    /// The overlay text of each page of a document in `left_out`.
    pub(crate) fn overlays(&self, left_out: &Diagnostics) -> Overlays {
        let mut by_file: BTreeMap<Option<String>, Diagnostics> = BTreeMap::new();
        for d in left_out.iter() {
            let page = d.file.as_ref().and_then(|f| {
                let known = self.0.get(f).map(|path| UrlPath::new(path).output_file());
                known.or_else(|| page_of_path(f))
            });
            by_file.entry(page).or_default().push(d.clone());
        }
        let mut overlays = Overlays::default();
        for (page, diags) in by_file {
            let text = super::render_diagnostics(&diags, false);
            match page {
                Some(page) => {
                    overlays.pages.insert(page, text);
                }
                None => overlays.everywhere = Some(text),
            }
        }
        overlays
    }
}

/// The output file of the page a Markdown file of `content/` makes by its path alone:
/// `content/artikel/2007-11-06-bruecken.md` → `artikel/bruecken/index.html`,
/// `content/artikel/_index.md` → `artikel/index.html`. `None` for what is no such file.
pub(crate) fn page_of_path(file: &str) -> Option<String> {
    let rel = file.strip_prefix("content/")?.strip_suffix(".md")?;
    let (dir, stem) = rel.rsplit_once('/').unwrap_or(("", rel));
    let mut path = String::from("/");
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        path.push_str(&slugify(part));
        path.push('/');
    }
    if stem != "_index" {
        let (_, undated) = split_date_prefix(stem);
        let slug = Some(slugify(undated))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| slugify(stem));
        if slug.is_empty() {
            return None;
        }
        path.push_str(&slug);
        path.push('/');
    }
    Some(UrlPath::new(&path).output_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_names_its_page_by_its_path() {
        let page = |f: &str| page_of_path(f);
        assert_eq!(
            page("content/artikel/2007-11-06-Brücken für Köln.md").as_deref(),
            Some("artikel/bruecken-fuer-koeln/index.html")
        );
        assert_eq!(
            page("content/artikel/_index.md").as_deref(),
            Some("artikel/index.html")
        );
        assert_eq!(page("content/_index.md").as_deref(), Some("index.html"));
        assert_eq!(
            page("content/autoren/ann-labus.md").as_deref(),
            Some("autoren/ann-labus/index.html")
        );
        assert_eq!(page("content/artikel/!!!.md"), None);
        assert_eq!(page("site.toml"), None);
    }
}
