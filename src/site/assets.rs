//! Colocated assets: where each non-Markdown file of `content/` goes in the output. A page
//! owns the folder named by its file stem (`artikel/x.md` owns `artikel/x/foto.jpg`), a leaf
//! bundle the folder of its `index.md` (`artikel/x/index.md` owns `artikel/x/`); other
//! files go beside their section. A held-back page takes its folder with it.

use std::collections::HashMap;

use super::{Author, CopiedFile, Page, Section};
use crate::content::Asset;
use crate::source::SourceFile;

/// Decides where each non-Markdown file of `content/` goes: beside the page whose file stem
/// names its folder, else beside its section.
pub(super) fn place(
    assets: &[Asset],
    pages: &[Page],
    sections: &[Section],
    authors: &[Author],
    section_index: &HashMap<String, usize>,
    held_dirs: &[String],
) -> Vec<CopiedFile> {
    let mut owners: HashMap<String, &str> = HashMap::new();
    for p in pages {
        owners.insert(stem_dir(&p.source), &p.path);
    }
    for a in authors {
        owners.insert(stem_dir(&a.source), &a.path);
    }
    let base_of = |dir: &str| -> Option<Folder> {
        if held_dirs.iter().any(|h| h == dir) {
            return Some(Folder::Held);
        }
        if let Some(path) = owners.get(dir) {
            return Some(Folder::At(path.to_string()));
        }
        section_index
            .get(dir)
            .map(|&s| Folder::At(sections[s].path.clone()))
    };
    assets
        .iter()
        .filter_map(|asset| {
            let output = output_of(asset, &base_of)?;
            Some(CopiedFile {
                output,
                path: asset.path.clone(),
            })
        })
        .collect()
}

/// A folder of `content/` that decides where the files below it go.
enum Folder {
    /// A held-back page's: its files stay out of the output.
    Held,
    /// A page's or a section's, at this URL path.
    At(String),
}

/// The output path of `asset`: below the URL path of the nearest folder, walking up, that a
/// page owns or that is a section (`base_of`); `None` when that folder is held back or there
/// is none.
fn output_of(asset: &Asset, base_of: &dyn Fn(&str) -> Option<Folder>) -> Option<String> {
    let mut dir = asset.dir.as_str();
    let mut rest: Vec<&str> = Vec::new();
    let base = loop {
        if let Some(base) = base_of(dir) {
            break base;
        }
        match dir.rsplit_once('/') {
            Some((parent, last)) => {
                rest.push(last);
                dir = parent;
            }
            None if !dir.is_empty() => {
                rest.push(dir);
                dir = "";
            }
            None => return None,
        }
    };
    // A page held back as a draft takes its folder with it.
    let Folder::At(base) = base else {
        return None;
    };
    let mut output = base.trim_start_matches('/').to_string();
    for part in rest.iter().rev() {
        output.push_str(part);
        output.push('/');
    }
    output.push_str(&asset.name);
    Some(output)
}

/// The folder below `content/` that holds a document's colocated files: its path without
/// `.md`, or for a leaf bundle (`x/index.md`) its own folder.
pub(super) fn stem_dir(source: &SourceFile) -> String {
    let name = source.name.strip_prefix("content/").unwrap_or(&source.name);
    if let Some(folder) = bundle_dir(name) {
        return folder.to_string();
    }
    name.strip_suffix(".md").unwrap_or(name).to_string()
}

/// The folder of a leaf bundle's `index.md` (`artikel/x/index.md` → `artikel/x`), given its
/// path below `content/`; `None` for other files.
pub(super) fn bundle_dir(name: &str) -> Option<&str> {
    name.strip_suffix("/index.md").filter(|f| !f.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(dir: &str, name: &str) -> Asset {
        Asset {
            path: format!("content/{dir}/{name}").into(),
            dir: dir.to_string(),
            name: name.to_string(),
        }
    }

    #[test]
    fn a_file_goes_below_the_nearest_owned_folder() {
        let base_of = |dir: &str| match dir {
            "artikel/2007-11-06-x" => Some(Folder::At("/artikel/x/".to_string())),
            "artikel/entwurf" => Some(Folder::Held),
            "" => Some(Folder::At("/".to_string())),
            _ => None,
        };
        let out = |dir: &str, name: &str| output_of(&asset(dir, name), &base_of);
        assert_eq!(
            out("artikel/2007-11-06-x", "foto.jpg").as_deref(),
            Some("artikel/x/foto.jpg")
        );
        assert_eq!(
            out("artikel/2007-11-06-x/bilder", "a.png").as_deref(),
            Some("artikel/x/bilder/a.png")
        );
        assert_eq!(out("artikel/entwurf/bilder", "a.png"), None);
        assert_eq!(out("sonst", "a.pdf").as_deref(), Some("sonst/a.pdf"));
    }

    #[test]
    fn without_an_owner_a_file_stays_out() {
        let base_of = |_: &str| None;
        assert_eq!(output_of(&asset("a/b", "c.txt"), &base_of), None);
    }

    #[test]
    fn a_bundle_owns_the_folder_of_its_index() {
        let dir = |name: &str| {
            let root = std::path::Path::new("/site");
            stem_dir(&SourceFile::new(root, &root.join(name), String::new()))
        };
        assert_eq!(
            dir("content/artikel/2007-11-06-x.md"),
            "artikel/2007-11-06-x"
        );
        assert_eq!(
            dir("content/artikel/2023-05-01-fest/index.md"),
            "artikel/2023-05-01-fest"
        );
        assert_eq!(bundle_dir("artikel/_index.md"), None);
        assert_eq!(bundle_dir("index.md"), None);
    }
}
