//! URLs: where the old site served a file (Hugo's permalinks and defaults, Jekyll's
//! permalink styles and placeholders), and where presswerk will serve it, so that every old
//! URL that differs can become an alias.

use crate::text::UrlPath;
use crate::text::slug::slugify;

/// What the placeholders of a permalink pattern are made of, for one document.
#[derive(Debug, Default)]
pub(super) struct Parts {
    /// The date, civil (year, month, day), if the document has one.
    pub(super) date: Option<jiff::civil::Date>,
    /// Hours, minutes, seconds of the date, for Jekyll's `:hour` & co.
    pub(super) time: Option<(i8, i8, i8)>,
    /// The title as written.
    pub(super) title: String,
    /// `slug:` of the front matter.
    pub(super) slug: Option<String>,
    /// The file name without extension (a bundle's folder name in Hugo; without the date
    /// prefix for Jekyll posts).
    pub(super) filename: String,
    /// The content folders above the file (Hugo sections), as written.
    pub(super) sections: Vec<String>,
    /// Jekyll's categories.
    pub(super) categories: Vec<String>,
}

/// Hugo's `urlize` for paths: lowercase (unless told not to), spaces to `-`, letters,
/// digits and `-_.~+` kept, the rest dropped.
pub(super) fn hugo_urlize(s: &str, lower: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c.is_whitespace() {
            out.push('-');
        } else if c.is_alphanumeric() || "-_.~+/".contains(c) {
            if lower {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// Jekyll's "pretty" slugs, cased as written: anything but letters, digits and `._~!$&'()+,;=@`
/// becomes `-`, runs of `-` are one, none at the ends.
pub(super) fn jekyll_slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Expands a Hugo permalink pattern (`/:year/:month/:slug/`). An error for a placeholder
/// Hugo has but this does not know, so the caller can say so.
pub(super) fn hugo_pattern(pattern: &str, p: &Parts, lower: bool) -> Result<String, String> {
    let date = p.date.unwrap_or(jiff::civil::date(1, 1, 1));
    let slug = p
        .slug
        .clone()
        .filter(|s| !s.is_empty())
        .map(|s| hugo_urlize(&s, lower));
    let filename = hugo_urlize(&p.filename, lower);
    let title = hugo_urlize(&p.title, lower);
    expand(pattern, |token| {
        Some(match token {
            "year" => format!("{:04}", date.year()),
            "month" => format!("{:02}", date.month()),
            "monthname" => MONTHS[(date.month() - 1) as usize].to_string(),
            "day" => format!("{:02}", date.day()),
            "weekday" => date.weekday().to_sunday_zero_offset().to_string(),
            "yearday" => date.day_of_year().to_string(),
            "section" => p
                .sections
                .first()
                .map_or(String::new(), |s| hugo_urlize(s, lower)),
            "sections" => p
                .sections
                .iter()
                .map(|s| hugo_urlize(s, lower))
                .collect::<Vec<_>>()
                .join("/"),
            "title" => title.clone(),
            "slug" => slug.clone().unwrap_or_else(|| title.clone()),
            "filename" | "contentbasename" => filename.clone(),
            "slugorfilename" | "slugorcontentbasename" => {
                slug.clone().unwrap_or_else(|| filename.clone())
            }
            _ => return None,
        })
    })
}

/// Jekyll's named permalink styles, for posts.
pub(super) fn jekyll_style(style: &str) -> &str {
    match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        other => other,
    }
}

/// Expands a Jekyll permalink pattern for a post.
pub(super) fn jekyll_pattern(pattern: &str, p: &Parts) -> Result<String, String> {
    let date = p.date.unwrap_or(jiff::civil::date(1970, 1, 1));
    let (h, mi, s) = p.time.unwrap_or((0, 0, 0));
    let title = jekyll_slug(p.slug.as_deref().unwrap_or(&p.filename));
    let cats: Vec<String> = p.categories.iter().map(|c| c.to_lowercase()).collect();
    expand(jekyll_style(pattern), |token| {
        Some(match token {
            "year" => format!("{:04}", date.year()),
            "short_year" => format!("{:02}", date.year() % 100),
            "month" => format!("{:02}", date.month()),
            "i_month" => date.month().to_string(),
            "short_month" => MONTHS[(date.month() - 1) as usize][..3].to_string(),
            "long_month" => MONTHS[(date.month() - 1) as usize].to_string(),
            "day" => format!("{:02}", date.day()),
            "i_day" => date.day().to_string(),
            "y_day" => format!("{:03}", date.day_of_year()),
            "hour" => format!("{h:02}"),
            "minute" => format!("{mi:02}"),
            "second" => format!("{s:02}"),
            "title" | "slug" => title.clone(),
            "name" => jekyll_slug(&p.filename),
            "categories" => cats.join("/"),
            "output_ext" => ".html".into(),
            _ => return None,
        })
    })
}

/// Replaces every `:name` of `pattern` by `value(name)`; collapses the `//` that empty
/// values leave.
fn expand(pattern: &str, value: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        let token = &after[..len];
        // `:output_ext` directly after `:title` is two placeholders, not `title:output_ext`.
        match value(token) {
            Some(v) => out.push_str(&v),
            None if token.is_empty() => out.push(':'),
            None => return Err(format!("the permalink placeholder `:{token}` is not known")),
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    Ok(normalize(&out))
}

/// A site path: one leading `/`, no `//`.
pub(super) fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    out.push('/');
    for c in path.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    out
}

/// The output file a site path names (`/a/` and `/a` both name `a/index.html`), for
/// comparing an old URL with a new one.
pub(super) fn file_of(path: &str) -> String {
    UrlPath::new(path).alias_file()
}

/// Where presswerk serves a page written at `content/<dir>/<stem>.md`: the slug rule of
/// presswerk's loader (`slug:`, else the file name without its date prefix, slugified).
pub(super) fn presswerk_page(dir: &str, stem: &str, slug: Option<&str>) -> String {
    let seg = match slug {
        Some(s) => slugify(s),
        None => {
            let (_, undated) = crate::text::dates::split_date_prefix(stem);
            let s = slugify(undated);
            if s.is_empty() { slugify(stem) } else { s }
        }
    };
    format!("{}{seg}/", presswerk_section(dir))
}

/// Where presswerk serves the section folder `dir`.
pub(super) fn presswerk_section(dir: &str) -> String {
    crate::text::url_path::section_path(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> Parts {
        Parts {
            date: Some(jiff::civil::date(2024, 6, 5)),
            time: Some((9, 30, 0)),
            title: "Sommerfest im Vereinsheim".into(),
            slug: None,
            filename: "sommerfest".into(),
            sections: vec!["Aktuelles".into()],
            categories: vec!["Verein".into(), "Feste".into()],
        }
    }

    #[test]
    fn hugo_permalinks_expand_like_hugo() {
        let p = parts();
        assert_eq!(
            hugo_pattern("/:year/:month/:slug/", &p, true).unwrap(),
            "/2024/06/sommerfest-im-vereinsheim/"
        );
        assert_eq!(
            hugo_pattern("/:section/:filename/", &p, true).unwrap(),
            "/aktuelles/sommerfest/"
        );
        assert_eq!(
            hugo_pattern(":sections/:monthname/:title", &p, true).unwrap(),
            "/aktuelles/june/sommerfest-im-vereinsheim"
        );
        assert!(hugo_pattern("/:unbekannt/", &p, true).is_err());
    }

    #[test]
    fn jekyll_styles_expand_like_jekyll() {
        let p = parts();
        assert_eq!(
            jekyll_pattern("date", &p).unwrap(),
            "/verein/feste/2024/06/05/sommerfest.html"
        );
        assert_eq!(
            jekyll_pattern("pretty", &p).unwrap(),
            "/verein/feste/2024/06/05/sommerfest/"
        );
        let bare = Parts {
            categories: vec![],
            ..parts()
        };
        assert_eq!(jekyll_pattern("none", &bare).unwrap(), "/sommerfest.html");
        assert_eq!(
            jekyll_pattern("/:year/:i_month/:title/", &bare).unwrap(),
            "/2024/6/sommerfest/"
        );
    }

    #[test]
    fn presswerk_urls_follow_the_loader() {
        assert_eq!(
            presswerk_page("post", "2024-06-05-Sommer Fest", None),
            "/post/sommer-fest/"
        );
        assert_eq!(presswerk_page("", "über", None), "/ueber/");
        assert_eq!(presswerk_page("a/B", "x", Some("Neu")), "/a/b/neu/");
        assert_eq!(file_of("/a/b"), file_of("/a/b/"));
    }
}
