//! Redirect pages, made without templates: every alias of a page, and `page/1/` of every
//! paged list, lead to the canonical URL.

use tera::escape_html;

use super::collect::insert;
use crate::diagnostics::Diagnostics;
use crate::output::Output;
use crate::site::Site;
use crate::text::UrlPath;

/// `s` with the characters of HTML and XML markup escaped.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // escape_html writes into an io::Write; a Vec never fails.
    let mut buf = Vec::with_capacity(s.len());
    if escape_html(s, &mut buf).is_ok() {
        out.push_str(&String::from_utf8_lossy(&buf));
    }
    out
}

/// A page that sends the reader on to `url`: meta refresh, canonical link, and a plain link.
pub(super) fn redirect_page(url: &str, language: &str) -> Vec<u8> {
    let url = esc(url);
    format!(
        "<!doctype html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{url}</title>\n<link rel=\"canonical\" href=\"{url}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p><a href=\"{url}\">{url}</a></p>\n</body>\n</html>\n"
    )
    .into_bytes()
}

/// Adds the redirects of aliases and of `page/1/` to `output`.
pub(super) fn add(site: &Site, output: &mut Output, diags: &mut Diagnostics) {
    let config = &site.config;
    let lang = config.language.as_str();
    for page in &site.pages {
        for alias in &page.aliases {
            insert(
                output,
                alias.clone(),
                redirect_page(&page.permalink, lang),
                diags,
            );
        }
    }
    // `page/1/` of every paginated list leads to the list's own URL.
    let mut lists: Vec<&str> = Vec::new();
    for s in &site.sections {
        if s.front.paginate_by.is_some() {
            lists.push(&s.path);
        }
    }
    for a in &site.authors {
        lists.push(&a.path);
    }
    for t in &site.taxonomies {
        if t.config.paginate_by.is_some() {
            lists.extend(t.terms.iter().map(|term| term.path.as_str()));
        }
    }
    for base in lists {
        insert(
            output,
            UrlPath::new(&format!("{base}page/1/")).output_file(),
            redirect_page(&config.permalink(base), lang),
            diags,
        );
    }
}
