//! The one rule between a URL path on the site and the file in the output folder.
//!
//! Pretty URLs end in `/` and are served by the folder's index file: `/artikel/x/` is
//! `artikel/x/index.html`; anything else names its file: `/feed.xml` is `feed.xml`. Render
//! writes by this rule, serve answers requests by it, check follows links by it and resolve
//! finds output collisions by it, so it lives here once, together with what a path inside
//! the output folder may look like ([`check_path`]).

/// The URL path of a section folder below `content/`: each part slugified, `/artikel/`;
/// `/` for the top. Resolve, the front-matter reader and `import` all place sections by it.
pub(crate) fn section_path(dir: &str) -> String {
    let mut path = String::from("/");
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        path.push_str(&super::slug::slugify(part));
        path.push('/');
    }
    path
}

/// The file a folder URL is served from.
const INDEX: &str = "index.html";

/// A URL path on the site, starting with `/`: `/`, `/artikel/x/`, `/feed.xml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UrlPath<'a>(&'a str);

impl<'a> UrlPath<'a> {
    /// Wraps a site path (a leading `/` is optional).
    pub(crate) fn new(path: &'a str) -> Self {
        UrlPath(path)
    }

    /// The output file: `/a/b/` → `a/b/index.html`, `/` → `index.html`, `/a.xml` → `a.xml`.
    pub(crate) fn output_file(self) -> String {
        let rel = self.0.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}{INDEX}")
        } else {
            rel.to_string()
        }
    }

    /// The output file of a redirect from this path (an alias): like [`Self::output_file`],
    /// except that a path that names no `.html` file is a folder: `/alt` → `alt/index.html`.
    pub(crate) fn alias_file(self) -> String {
        let rel = self.0.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') || is_html(rel) {
            UrlPath(rel).output_file()
        } else {
            format!("{rel}/{INDEX}")
        }
    }

    /// The output file of the folder `path/` when `path` names no file of its own:
    /// `/artikel` → `artikel/index.html`, for redirecting to the URL with a slash.
    pub(crate) fn folder_file(self) -> String {
        format!("{}/{INDEX}", self.0.trim_matches('/'))
    }
}

/// The site path of an output file: `artikel/x/index.html` → `/artikel/x/`,
/// `index.html` → `/`, `feed.xml` → `/feed.xml`.
pub(crate) fn of_output_file(file: &str) -> String {
    match file.strip_suffix(INDEX) {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{file}"),
    }
}

/// Why an output path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafePath(pub String);

/// Checks that `path` names a file strictly inside the output folder (what every output
/// path, alias and served request must be): relative, no empty,
/// `.` or `..` segments, no backslashes or NUL bytes.
pub fn check_path(path: &str) -> Result<(), UnsafePath> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains(['\\', '\0'])
        || path
            .split('/')
            .any(|seg| seg.is_empty() || seg == "." || seg == "..");
    if bad {
        Err(UnsafePath(path.to_string()))
    } else {
        Ok(())
    }
}

/// Whether a file name is an HTML page.
fn is_html(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".htm")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_paths_slugify_each_folder() {
        assert_eq!(section_path(""), "/");
        assert_eq!(section_path("artikel"), "/artikel/");
        assert_eq!(section_path("Über uns/Köln"), "/ueber-uns/koeln/");
    }

    #[test]
    fn folders_are_served_by_their_index_file() {
        assert_eq!(UrlPath::new("/").output_file(), "index.html");
        assert_eq!(UrlPath::new("").output_file(), "index.html");
        assert_eq!(
            UrlPath::new("/artikel/x/").output_file(),
            "artikel/x/index.html"
        );
        assert_eq!(UrlPath::new("/feed.xml").output_file(), "feed.xml");
        assert_eq!(UrlPath::new("/404.html").output_file(), "404.html");
    }

    #[test]
    fn aliases_without_a_file_name_are_folders() {
        assert_eq!(
            UrlPath::new("/alt/pfad/").alias_file(),
            "alt/pfad/index.html"
        );
        assert_eq!(
            UrlPath::new("/alt/pfad").alias_file(),
            "alt/pfad/index.html"
        );
        assert_eq!(UrlPath::new("/alt.html").alias_file(), "alt.html");
        assert_eq!(UrlPath::new("/alt.htm").alias_file(), "alt.htm");
        assert_eq!(UrlPath::new("/").alias_file(), "index.html");
    }

    #[test]
    fn output_files_map_back_to_their_paths() {
        for path in ["/", "/artikel/x/", "/feed.xml", "/404.html"] {
            assert_eq!(of_output_file(&UrlPath::new(path).output_file()), path);
        }
        assert_eq!(of_output_file("xindex.html"), "/xindex.html");
        assert_eq!(UrlPath::new("/artikel").folder_file(), "artikel/index.html");
    }
}
