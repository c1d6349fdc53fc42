//! Where a URL in a page points: into the site (a path in the output, maybe with a fragment),
//! out to the web, or nowhere a checker can follow (`mailto:`, `tel:`, `data:`).
//!
//! Resolution follows what a browser does on the deployed site, at `base_url`: relative URLs
//! resolve against the page's own URL (or its `<base href>`), root-relative ones against the
//! host, so a root-relative link on a site published below a path (`https://x.org/newsletter`)
//! must include that path to stay inside the site.

use crate::text::UrlPath;

/// The site's `base_url`, taken apart.
#[derive(Debug, Clone)]
pub(crate) struct Base {
    /// `https://x.org` (lowercased scheme and host, no trailing slash).
    origin: String,
    /// `""` or `/newsletter` (no trailing slash).
    path: String,
}

impl Base {
    pub(crate) fn new(base_url: &str) -> Base {
        let base_url = base_url.trim_end_matches('/');
        let (scheme, rest) = base_url.split_once("://").unwrap_or(("https", base_url));
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        Base {
            origin: format!(
                "{}://{}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            ),
            path: path.to_string(),
        }
    }

    fn scheme(&self) -> &str {
        self.origin.split("://").next().unwrap_or("https")
    }
}

/// A classified URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A path in the site (`/artikel/x/`, percent-decoded, always starting with `/`) and
    /// the fragment, if any (percent-decoded, without `#`).
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// A URL elsewhere on the web, without its fragment.
    External(String),
    /// A relative path with more `..` than the page is deep.
    Outside(String),
    /// Not something a link checker follows (`mailto:`, `tel:`, `javascript:`, `data:`).
    Skip,
}

/// Whether `raw` means the same on every page without a `<base href>`: a full URL or a
/// root-relative path (what [`classify`] gives for it then does not depend on `page`).
pub(crate) fn independent_of_page(raw: &str) -> bool {
    let raw = raw.trim_matches(|c: char| c.is_ascii_whitespace());
    raw.starts_with('/') || scheme_of(raw).is_some()
}

/// Classifies `raw`, found on the page whose site path is `page` (`/artikel/x/`, `/404.html`).
/// `page_base` is the page's `<base href>`, if it has one.
pub(crate) fn classify(raw: &str, page: &str, page_base: Option<&str>, base: &Base) -> Target {
    // Browsers strip leading and trailing ASCII whitespace from URL attributes.
    let raw = raw.trim_matches(|c: char| c.is_ascii_whitespace());
    let dir = match page_base {
        Some(b) => match classify(b, page, None, base) {
            Target::Internal { path, .. } => dir_of(&path).to_string(),
            // A base elsewhere: every relative link leaves the site; check it there.
            Target::External(url) => return external_relative(raw, &url),
            _ => dir_of(page).to_string(),
        },
        None => dir_of(page).to_string(),
    };
    if let Some(scheme) = scheme_of(raw) {
        let lower = scheme.to_ascii_lowercase();
        if lower != "http" && lower != "https" {
            return Target::Skip;
        }
        return absolute(raw, base);
    }
    if let Some(rest) = raw.strip_prefix("//") {
        return absolute(&format!("{}://{rest}", base.scheme()), base);
    }
    let (path, fragment) = split_fragment(raw);
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Target::Internal {
            path: page.to_string(),
            fragment,
        };
    }
    if path.starts_with('/') {
        // Root-relative: inside the site only below the base path.
        return match strip_base_path(path, &base.path) {
            Some(p) => match normalize(p) {
                Some(path) => Target::Internal { path, fragment },
                None => Target::Outside(raw.to_string()),
            },
            None => Target::External(format!("{}{}", base.origin, strip_fragment(raw))),
        };
    }
    match normalize(&format!("{dir}{path}")) {
        Some(path) => Target::Internal { path, fragment },
        None => Target::Outside(raw.to_string()),
    }
}

fn absolute(raw: &str, base: &Base) -> Target {
    let without_scheme = raw.split_once("://").map_or(raw, |(_, r)| r);
    let scheme = raw.split_once("://").map_or("", |(s, _)| s);
    let (host, rest) = match without_scheme.find(['/', '?', '#']) {
        Some(i) => (&without_scheme[..i], &without_scheme[i..]),
        None => (without_scheme, ""),
    };
    let origin = format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    );
    if origin == base.origin {
        let (path, fragment) = split_fragment(rest);
        let path = path.split('?').next().unwrap_or("");
        let path = if path.is_empty() { "/" } else { path };
        if let Some(p) = strip_base_path(path, &base.path) {
            return match normalize(p) {
                Some(path) => Target::Internal { path, fragment },
                None => Target::Outside(raw.to_string()),
            };
        }
    }
    Target::External(strip_fragment(raw).to_string())
}

/// For a page whose `<base href>` is on another site: the link resolved there.
fn external_relative(raw: &str, base: &str) -> Target {
    if scheme_of(raw).is_some() || raw.starts_with("//") {
        return Target::External(strip_fragment(raw).to_string());
    }
    let dir = &base[..base.rfind('/').map_or(base.len(), |i| i + 1)];
    Target::External(format!("{dir}{}", strip_fragment(raw)))
}

/// `/newsletter/artikel/` → `/artikel/` for base path `/newsletter`; `None` outside it.
fn strip_base_path<'a>(path: &'a str, base_path: &str) -> Option<&'a str> {
    if base_path.is_empty() {
        return Some(path);
    }
    let rest = path.strip_prefix(base_path)?;
    if rest.is_empty() {
        Some("/")
    } else if rest.starts_with('/') {
        Some(rest)
    } else {
        None
    }
}

/// The scheme of an absolute URL (`mailto`, `https`), per the URL standard's syntax.
fn scheme_of(raw: &str) -> Option<&str> {
    let (scheme, _) = raw.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

fn split_fragment(raw: &str) -> (&str, Option<String>) {
    match raw.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (raw, None),
    }
}

fn strip_fragment(raw: &str) -> &str {
    raw.split('#').next().unwrap_or(raw)
}

/// The folder part of a site path: `/artikel/x/` → itself, `/404.html` → `/`.
fn dir_of(path: &str) -> &str {
    &path[..path.rfind('/').map_or(0, |i| i + 1)]
}

/// Percent-decodes a path and removes `.` and `..` segments. `None` if it climbs above `/`.
fn normalize(path: &str) -> Option<String> {
    let decoded = percent_decode(path);
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    parts.push("");
                }
            }
            ".." => {
                // The leading empty segment stands for the root.
                if parts.len() <= 1 {
                    return None;
                }
                parts.pop();
                if i == last {
                    parts.push("");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    Some(if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    })
}

pub(crate) use crate::text::percent::decode_lossy as percent_decode;

/// The output files a site path may be served from: `/a/` → `a/index.html`; `/a` → `a` or
/// `a/index.html` (web servers redirect the second); `/` → `index.html`.
pub(crate) fn candidates(path: &str) -> [Option<String>; 2] {
    let url = UrlPath::new(path);
    let is_folder = path.trim_start_matches('/').is_empty() || path.ends_with('/');
    [
        Some(url.output_file()),
        (!is_folder).then(|| url.folder_file()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.into(),
            fragment: fragment.map(Into::into),
        }
    }

    #[test]
    fn resolves_like_a_browser() {
        let base = Base::new("https://News.Example/");
        let page = "/artikel/x/";
        let c = |raw| classify(raw, page, None, &base);
        assert_eq!(c("foto.jpg"), internal("/artikel/x/foto.jpg", None));
        assert_eq!(c("../y/#teil"), internal("/artikel/y/", Some("teil")));
        assert_eq!(c("./"), internal("/artikel/x/", None));
        assert_eq!(c("#k%C3%B6ln"), internal("/artikel/x/", Some("köln")));
        assert_eq!(c("/autoren/?q=1"), internal("/autoren/", None));
        assert_eq!(c("https://news.example"), internal("/", None));
        assert_eq!(
            c("HTTPS://news.example/%C3%BCber/"),
            internal("/über/", None)
        );
        assert_eq!(c("//news.example/a/b"), internal("/a/b", None));
        assert_eq!(
            c("https://other.example/x#y"),
            Target::External("https://other.example/x".into())
        );
        assert_eq!(c("../../../x"), Target::Outside("../../../x".into()));
        for skip in [
            "mailto:a@b.example",
            "tel:+49",
            "javascript:void(0)",
            "data:,x",
        ] {
            assert_eq!(c(skip), Target::Skip, "{skip}");
        }
    }

    #[test]
    fn links_that_mean_the_same_on_every_page() {
        let base = Base::new("https://newsletter.example/");
        for raw in [
            "/artikel/x/#a",
            " //cdn.example/x.js",
            "https://x.example/",
            "mailto:a@b",
        ] {
            assert!(independent_of_page(raw), "{raw}");
            assert_eq!(
                classify(raw, "/artikel/a/", None, &base),
                classify(raw, "/autoren/b/seite/2/", None, &base),
                "{raw}"
            );
        }
        for raw in ["foto.jpg", "../b/", "#teil", "?seite=2", ""] {
            assert!(!independent_of_page(raw), "{raw}");
        }
    }

    #[test]
    fn a_base_path_bounds_the_site() {
        let base = Base::new("https://x.example/newsletter");
        let c = |raw| classify(raw, "/artikel/", None, &base);
        assert_eq!(c("/newsletter/autoren/"), internal("/autoren/", None));
        assert_eq!(c("https://x.example/newsletter"), internal("/", None));
        assert_eq!(
            c("/impressum/"),
            Target::External("https://x.example/impressum/".into())
        );
        assert_eq!(
            c("https://x.example/newsletterarchiv/"),
            Target::External("https://x.example/newsletterarchiv/".into())
        );
    }

    #[test]
    fn base_href_changes_the_folder() {
        let base = Base::new("https://x.example");
        assert_eq!(
            classify("bild.png", "/a/b/", Some("/medien/"), &base),
            internal("/medien/bild.png", None)
        );
        assert_eq!(
            classify("bild.png", "/a/b/", Some("https://cdn.example/m/"), &base),
            Target::External("https://cdn.example/m/bild.png".into())
        );
    }

    #[test]
    fn output_files_for_a_path() {
        assert_eq!(candidates("/"), [Some("index.html".into()), None]);
        assert_eq!(candidates("/a/"), [Some("a/index.html".into()), None]);
        assert_eq!(
            candidates("/a/b.jpg"),
            [Some("a/b.jpg".into()), Some("a/b.jpg/index.html".into())]
        );
    }
}
