//! Checks on the documents themselves, stricter than `build`: articles without a date,
//! Markdown images without alt text, aliases that would overwrite a real page.

use crate::text::UrlPath;
use std::collections::HashMap;
use std::sync::Arc;

use pulldown_cmark::{Event, Tag, TagEnd};
use rayon::prelude::*;

use crate::content::Spanned;
use crate::content::front_matter;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown;
use crate::output::{Entry, Output};
use crate::site::Site;
use crate::source::{SourceFile, Span};

/// The Markdown body of a document, as a span of its file.
pub(crate) fn body_span(source: &SourceFile) -> Span {
    front_matter::split(&source.text).map_or(0..source.text.len(), |s| s.body)
}

/// Every link and image destination of a document's Markdown body, with the span of the
/// destination in the file (or of the whole link, for reference links).
pub(crate) fn markdown_links(source: &SourceFile) -> Vec<(String, Span)> {
    let body = body_span(source);
    let text = &source.text[body.clone()];
    let mut out = Vec::new();
    for (event, range) in markdown::parse(text) {
        let dest = match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let whole = body.start + range.start..body.start + range.end;
        let span = source.text[whole.clone()]
            .rfind(dest.as_ref())
            .filter(|_| !dest.is_empty())
            .map_or(whole.clone(), |i| {
                whole.start + i..whole.start + i + dest.len()
            });
        out.push((dest.to_string(), span));
    }
    out
}

/// Runs the document checks; problems go to `diags`.
pub(crate) fn check(site: &Site, output: &Output, diags: &mut Diagnostics) {
    missing_dates(site, diags);
    guest_bylines(site, diags);
    images_without_alt(site, diags);
    alias_collisions(site, output, diags);
}

/// An article (a page in a section, not at the top of `content/`) wants a date: lists are
/// sorted by it, the theme shows it, and without one it stays off the home page and the feeds.
/// A warning, not an error: the page itself builds and reads fine, as it does in Hugo and
/// Jekyll (`--deny-warnings` makes it fail CI). A section that sorts by `weight` or `title`
/// (a handbook, a Hugo site's undated pages) has no use for dates at all.
fn missing_dates(site: &Site, diags: &mut Diagnostics) {
    let by_date = |section: usize| {
        site.sections[section]
            .front
            .sort_by
            .as_ref()
            .is_none_or(|o| o.value == "date")
    };
    for p in &site.pages {
        if p.section != 0 && p.date.is_none() && by_date(p.section) {
            diags.push(
                Diagnostic::warning("missing-date", "article has no date")
                    .at(
                        &p.source,
                        p.front.span.clone(),
                        "no `date` in this front matter and none in the file name",
                    )
                    .help(
                        "add a line `date: 2007-11-06`, or start the file name with the date: \
                         2007-11-06-titel.md; a section of undated pages says so in its \
                         _index.md: `sort_by: weight`",
                    ),
            );
        }
    }
}

/// A byline without a profile builds (as a guest byline, like Hugo's `author:`); `check`
/// offers once per person, at their first mention, to make them a profile.
fn guest_bylines(site: &Site, diags: &mut Diagnostics) {
    let mut guests: std::collections::BTreeMap<
        &str,
        (&Arc<SourceFile>, &crate::site::Guest, usize),
    > = std::collections::BTreeMap::new();
    for p in &site.pages {
        for b in &p.bylines {
            if let crate::site::Byline::Guest(g) = b {
                guests.entry(g.slug.as_str()).or_insert((&p.source, g, 0)).2 += 1;
            }
        }
    }
    for (slug, (source, g, count)) in guests {
        let pages = if count == 1 {
            String::new()
        } else {
            format!(" (on {count} pages)")
        };
        let names = match g.name.rsplit_once(' ') {
            Some((first, last)) => format!("first_name: {first} and last_name: {last}"),
            None => "first_name and last_name".to_string(),
        };
        diags.push(
            Diagnostic::warning(
                "guest-author",
                format!(
                    "`{}` has no author profile and is shown as a guest{pages}",
                    g.name
                ),
            )
            .at(source, g.span.clone(), "no profile with this slug or name")
            .help(guest_help(site, g, slug, &names)),
        );
    }
}

/// What to do about guest `g`: the profile to create, and the profile it may have meant.
fn guest_help(site: &Site, g: &crate::site::Guest, slug: &str, names: &str) -> String {
    let create = format!(
        "create content/{}/{slug}.md with {names}",
        site.config.authors_section
    );
    let titles = site.authors.iter().map(|a| a.title.as_str());
    match crate::diagnostics::did_you_mean(&g.name, titles) {
        Some(near) => format!("did you mean `{near}`? For a profile of their own, {create}"),
        None => format!("to give them a profile page, {create}"),
    }
}

/// `![](foto.jpg)`: an image without alt text is invisible to screen readers and to anyone
/// whose mail client blocks images.
fn images_without_alt(site: &Site, diags: &mut Diagnostics) {
    let sources: Vec<&Arc<SourceFile>> = site
        .pages
        .iter()
        .map(|p| &p.source)
        .chain(site.sections.iter().filter_map(|s| s.source.as_ref()))
        .chain(site.authors.iter().map(|a| &a.source))
        .collect();
    let found: Vec<Diagnostic> = sources
        .par_iter()
        .flat_map_iter(|source| unlabelled_images(source))
        .collect();
    for d in found {
        diags.push(d);
    }
}

/// The images of one document whose alt text is empty.
fn unlabelled_images(source: &Arc<SourceFile>) -> Vec<Diagnostic> {
    let body = body_span(source);
    let text = &source.text[body.clone()];
    let mut found = Vec::new();
    // Every Markdown image, inline or by reference, starts with `![`: most articles have
    // none, and parsing them again would be most of this check's time.
    if !text.contains("![") {
        return found;
    }
    let mut open: Option<(Span, String)> = None;
    for (event, range) in markdown::parse(text) {
        match event {
            Event::Start(Tag::Image { .. }) => {
                open = Some((
                    body.start + range.start..body.start + range.end,
                    String::new(),
                ));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, alt)) = &mut open {
                    alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((span, alt)) = open.take()
                    && alt.trim().is_empty()
                {
                    found.push(
                        Diagnostic::error("image-alt", "image without alt text")
                            .at(source, span, "the text between [ and ] is empty")
                            .help("describe the picture: ![Günter Benter im Gespräch](foto.jpg)"),
                    );
                }
            }
            _ => {}
        }
    }
    found
}

/// The output file an alias would be written to: `/alt/x/` → `alt/x/index.html`,
/// `/alt.html` → `alt.html`. `None` if it is not a path inside the site.
fn alias_file(alias: &str, base_url: &str) -> Option<String> {
    let path = alias
        .strip_prefix(base_url)
        .unwrap_or(alias)
        .trim_start_matches('/');
    let path = path.split(['?', '#']).next().unwrap_or("");
    if path.contains("://") || path.split('/').any(|s| s == ".." || s == ".") {
        return None;
    }
    Some(UrlPath::new(path).alias_file())
}

/// Output file → who writes it, and where that is written down.
type Owners<'a> = HashMap<String, (String, Option<(&'a Arc<SourceFile>, Span)>)>;

/// An alias is an old URL that will redirect to the page. If a page, a static file or another
/// alias already lives there, one of them would be lost.
fn alias_collisions(site: &Site, output: &Output, diags: &mut Diagnostics) {
    let mut owners = owners(site, output);
    let with_aliases = site
        .pages
        .iter()
        .map(|p| (&p.source, &p.front))
        .chain(
            site.sections
                .iter()
                .filter_map(|s| s.source.as_ref().map(|src| (src, &s.front))),
        )
        .chain(site.authors.iter().map(|a| (&a.source, &a.front)));
    for (source, front) in with_aliases {
        for alias in &front.aliases {
            let Some(file) = alias_file(&alias.value, &site.config.base_url) else {
                diags.push(
                    Diagnostic::error(
                        "alias-invalid",
                        format!("alias `{}` is not a path of this site", alias.value),
                    )
                    .at(source, alias.span.clone(), "cannot redirect from here")
                    .help("write the old URL's path, e.g. aliases: [/2007/11/rheinland.html]"),
                );
                continue;
            };
            match owners.get(&file) {
                Some(owner) => diags.push(collision(source, alias, &file, owner)),
                None => {
                    owners.insert(
                        file,
                        (
                            format!("an alias of {}", source.name),
                            Some((source, alias.span.clone())),
                        ),
                    );
                }
            }
        }
    }
}

/// Who writes each output file before any alias: pages, sections, authors, static files.
fn owners<'a>(site: &'a Site, output: &Output) -> Owners<'a> {
    let mut owners: Owners<'a> = HashMap::new();
    let docs = site
        .pages
        .iter()
        .map(|p| (&p.path, Some(&p.source), p.front.span.clone()))
        .chain(
            site.sections
                .iter()
                .map(|s| (&s.path, s.source.as_ref(), s.front.span.clone())),
        )
        .chain(
            site.authors
                .iter()
                .map(|a| (&a.path, Some(&a.source), a.front.span.clone())),
        );
    for (path, source, span) in docs {
        let file = UrlPath::new(path).output_file();
        let who = source.map_or_else(|| format!("the section page {path}"), |s| s.name.clone());
        owners.insert(file, (who, source.map(|s| (s, span))));
    }
    for (file, entry) in output.iter() {
        if let Entry::Copy(_) | Entry::Known { .. } = entry {
            owners.insert(file.clone(), (format!("the file /{file}"), None));
        }
    }
    owners
}

/// The error for an alias of `source` at `file`, which `owner` already writes.
fn collision(
    source: &Arc<SourceFile>,
    alias: &Spanned<String>,
    file: &str,
    (who, place): &(String, Option<(&Arc<SourceFile>, Span)>),
) -> Diagnostic {
    let own = place.as_ref().is_some_and(|(s, _)| Arc::ptr_eq(s, source));
    let mut d = Diagnostic::error(
        "alias-collision",
        format!("alias `{}` is taken", alias.value),
    )
    .at(
        source,
        alias.span.clone(),
        if own {
            "this is the page's own URL".to_string()
        } else {
            format!("{who} is already at /{file}")
        },
    )
    .help(if own {
        "remove the alias: a page needs no redirect to itself"
    } else {
        "remove the alias, or move the other page"
    });
    if let Some((s, span)) = place.as_ref().filter(|_| !own) {
        d = d.also(s, span.clone(), format!("{} is here", s.name));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_paths() {
        let b = "https://x.example";
        assert_eq!(alias_file("/alt/", b).as_deref(), Some("alt/index.html"));
        assert_eq!(alias_file("alt", b).as_deref(), Some("alt/index.html"));
        assert_eq!(
            alias_file("/2007/a.html", b).as_deref(),
            Some("2007/a.html")
        );
        assert_eq!(
            alias_file("https://x.example/alt/", b).as_deref(),
            Some("alt/index.html")
        );
        assert_eq!(alias_file("/../x", b), None);
        assert_eq!(alias_file("https://y.example/x", b), None);
    }

    #[test]
    fn link_destinations_point_into_the_whole_file() {
        let src = SourceFile::new(
            std::path::Path::new("/r"),
            std::path::Path::new("/r/content/a.md"),
            "---\ntitle: A\n---\n\nSiehe [hier](/artikel/b/#teil) und ![Bild](c.jpg).\n".into(),
        );
        let links = markdown_links(&src);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].0, "/artikel/b/#teil");
        assert_eq!(&src.text[links[0].1.clone()], "/artikel/b/#teil");
        assert_eq!(src.line_col(links[0].1.start), (5, 14));
        assert_eq!(&src.text[links[1].1.clone()], "c.jpg");
    }
}
