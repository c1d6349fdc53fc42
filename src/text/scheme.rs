//! Which URLs written by an editor may become a link or an image source: `http:`, `https:`,
//! `mailto:`, `tel:` and relative ones. Anything else (`javascript:`, `data:`, `vbscript:`,
//! `file:`) runs code or reads local data when a reader clicks it, so front matter and
//! `site.toml` refuse it where it is written.

/// The schemes a link may have.
pub(crate) const ALLOWED: &[&str] = &["http", "https", "mailto", "tel"];

/// The scheme of `url` if it has one that may not be linked (lowercased), else `None`.
///
/// Read as a browser reads an `href`: spaces and control characters around it are dropped,
/// tabs and line breaks inside it are removed (`java\tscript:` is `javascript:`), and a scheme
/// is the letters, digits, `+`, `-` and `.` before the first `:` that comes before any `/`,
/// `?` or `#`. What has no scheme by that rule is relative, and allowed.
pub(crate) fn refused(url: &str) -> Option<String> {
    let url = url.trim_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    for c in url.chars() {
        match c {
            '\t' | '\n' | '\r' => continue,
            ':' => break,
            '/' | '?' | '#' => return None,
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {
                scheme.push(c.to_ascii_lowercase());
            }
            _ => return None,
        }
        if scheme.len() > 64 {
            return None;
        }
    }
    let has_colon = url.contains(':');
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic());
    (has_colon && is_scheme && !ALLOWED.contains(&scheme.as_str())).then_some(scheme)
}

/// The hint for a refused URL.
pub(crate) const HINT: &str =
    "links may be http(s)://…, mailto:…, tel:… or a path on this site such as /autoren/";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_phone_and_relative_links_pass() {
        for ok in [
            "https://iteam.de",
            "HTTP://x.org",
            "mailto:a@b.de",
            "tel:+49 2303 1234",
            "/autoren/ann-labus/",
            "foto.jpg",
            "../x",
            "?q=1",
            "#anker",
            "seite/mit:doppelpunkt",
            "",
        ] {
            assert_eq!(refused(ok), None, "{ok}");
        }
        for (bad, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("  JavaScript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("\u{1}javascript:x", "javascript"),
            ("data:text/html;base64,xx", "data"),
            ("vbscript:msgbox", "vbscript"),
            ("file:///etc/passwd", "file"),
        ] {
            assert_eq!(refused(bad).as_deref(), Some(scheme), "{bad:?}");
        }
    }
}
