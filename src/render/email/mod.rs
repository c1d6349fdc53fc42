//! The e-mail files of every edition, beside its web page: `email.html` (the theme's
//! `email.html`, CSS inlined, URLs absolute: `html`), `email.txt` (the plain-text
//! alternative: `text`) and `edition.eml` (the message that carries both: [`mime`]).
//!
//! They are made after the pages, from the same values, and kept by fingerprint like every
//! other output: a save that does not touch an edition or its articles reuses its files.

pub(super) mod html;
pub(crate) mod mime;
pub(crate) mod text;

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use super::Theme;
use super::collect::insert_entry;
use super::errors::template_error;
use super::values::{Values, rfc3339};
use crate::cache::{Cache, GeneratedFiles};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::Fingerprint;
use crate::output::{Entry, Output};
use crate::site::Edition;
use crate::site::editions;
use crate::site::{Page, Site};
use crate::text::dates::format_date;

/// Adds the e-mail files of every edition to `output`.
pub(crate) fn add(
    site: &Site,
    v: &Values,
    page_fps: &[u64],
    theme: &Theme,
    cache: &mut Cache,
    output: &mut Output,
    diags: &mut Diagnostics,
) {
    let editions: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].edition.is_some())
        .collect();
    if editions.is_empty() {
        cache.editions.clear();
        return;
    }
    if !theme.has_template("email.html") {
        diags.push(
            Diagnostic::error("missing-template", "the theme has no `email.html` for editions")
                .in_file(site.pages[editions[0]].source.name.clone())
                .help("add templates/email.html (the kontor theme has one to start from), or move the editions out of the editions folder"),
        );
        return;
    }
    let config_fp = config_fingerprint(site, page_fps, theme);
    let made: Vec<Made> = editions
        .par_iter()
        .map(|&i| {
            let page = &site.pages[i];
            let mut fp = Fingerprint::new("edition-files");
            fp.add(&page_fps[i]).add(&config_fp);
            let fp = fp.finish();
            if let Some((old, files)) = cache.editions.get(&page.source.name)
                && *old == fp
            {
                return (i, fp, Ok(Arc::clone(files)));
            }
            (i, fp, files(site, v, theme, i).map(Arc::new))
        })
        .collect();
    collect(site, made, cache, output, diags);
}

/// One edition's files (or why they could not be made), with their fingerprint.
type Made = (usize, u64, Result<GeneratedFiles, Box<Diagnostic>>);

/// What every edition's mail shows besides the edition: the sender, the subject, the
/// template (and the whole site, when the template reaches it).
fn config_fingerprint(site: &Site, page_fps: &[u64], theme: &Theme) -> u64 {
    let template_fp = theme.template_fps.get("email.html").copied();
    let e = &site.config.editions;
    let mut fp = Fingerprint::new("edition-mail");
    fp.add(&e.from)
        .add(&e.reply_to)
        .add(&e.subject)
        .add(&e.unsubscribe_url)
        .add(&template_fp);
    if theme.site_wide.contains("email.html") {
        fp.add(&page_fps);
    }
    fp.finish()
}

/// Adds the editions' files to `output` and keeps them in `cache`, which is left holding
/// exactly these editions.
fn collect(
    site: &Site,
    made: Vec<Made>,
    cache: &mut Cache,
    output: &mut Output,
    diags: &mut Diagnostics,
) {
    let mut keep = HashSet::new();
    for (i, fp, result) in made {
        let name = &site.pages[i].source.name;
        keep.insert(name.clone());
        let files = match result {
            Ok(files) => files,
            Err(d) => {
                diags.push(*d);
                continue;
            }
        };
        for (file, bytes) in files.iter() {
            if output.contains(file) {
                diags.push(
                    Diagnostic::error("duplicate-path", format!("two outputs would write /{file}"))
                        .in_file(name.clone())
                        .help("an edition's e-mail files sit beside its page; rename the file that collides"),
                );
                continue;
            }
            insert_entry(output, file.clone(), Entry::Bytes(Arc::clone(bytes)), diags);
        }
        cache.editions.insert(name.clone(), (fp, files));
    }
    cache.editions.retain(|k, _| keep.contains(k));
}

/// Output files with their bytes.
type Files = Vec<(String, Arc<[u8]>)>;

/// The three files of edition `i`.
fn files(site: &Site, v: &Values, theme: &Theme, i: usize) -> Result<Files, Box<Diagnostic>> {
    let page = &site.pages[i];
    let edition = page.edition.as_ref().ok_or_else(|| {
        Box::new(Diagnostic::error("edition", "not an edition").in_file(page.source.name.clone()))
    })?;
    let [email_file, text_file, eml_file] = editions::files(&page.path);
    let html = email_html(site, v, theme, i, &email_file)?;
    let plain = plain_text(site, v, theme, i, edition);
    let eml = message(&site.config, site, page, edition, &plain, &html);
    Ok(vec![
        (email_file, Arc::from(html.into_bytes())),
        (text_file, Arc::from(plain.into_bytes())),
        (eml_file, Arc::from(eml)),
    ])
}

/// `email.html`: the theme's template rendered with the page's value, then made fit for
/// mail clients.
fn email_html(
    site: &Site,
    v: &Values,
    theme: &Theme,
    i: usize,
    email_file: &str,
) -> Result<String, Box<Diagnostic>> {
    let config = &site.config;
    let page = &site.pages[i];
    let mut ctx = Context::new();
    ctx.insert_value("site", v.site.clone());
    ctx.insert_value("page", v.pages[i].clone());
    ctx.insert("current_path", &format!("/{email_file}"));
    let html = theme.tera.render("email.html", &ctx).map_err(|e| {
        Box::new(template_error(
            &e,
            &theme.sources,
            Some(page.source.name.as_str()),
        ))
    })?;
    let unsubscribe = config.editions.unsubscribe_url.as_str();
    html::finish(&html, &config.base_url, &page.permalink, &[unsubscribe]).map_err(|e| {
        Box::new(
            Diagnostic::error(
                "email-html",
                format!("cannot inline the CSS of email.html: {e}"),
            )
            .in_file(page.source.name.clone())
            .help("check the <style> block of the theme's email.html"),
        )
    })
}

/// A label of the theme in the site's language, or `fallback`.
fn label(theme: &Theme, key: &str, fallback: &str) -> String {
    theme
        .labels
        .get_from_path(key)
        .and_then(|v| v.as_str())
        .unwrap_or(fallback)
        .to_string()
}

/// A page's date, written out in the site's language.
fn long_date(p: &Page, lang: &str) -> String {
    rfc3339(p.date.as_ref())
        .as_str()
        .and_then(|d| format_date(d, "long", lang).ok())
        .unwrap_or_default()
}

/// `email.txt`: the editorial and the articles' summaries as plain text.
fn plain_text(site: &Site, v: &Values, theme: &Theme, i: usize, edition: &Edition) -> String {
    let config = &site.config;
    let page = &site.pages[i];
    let lang = config.language.as_str();
    let title = page.front.title.clone().unwrap_or_default();
    let number =
        label(theme, "edition_number", "Ausgabe {n}").replace("{n}", &edition.number.to_string());
    let subtitle = [config.title.clone(), number, long_date(page, lang)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let articles: Vec<text::Article> = edition
        .articles
        .iter()
        .map(|&a| {
            let p = &site.pages[a];
            let mut parts = vec![long_date(p, lang)];
            parts.extend(site.byline_names(p).into_iter().map(str::to_string));
            parts.extend(p.front.region.clone());
            parts.retain(|s| !s.is_empty());
            text::Article {
                title: p.front.title.as_deref().unwrap_or(""),
                meta: parts.join(" · "),
                summary_html: p.summary_html.as_deref().unwrap_or(""),
                url: &p.permalink,
            }
        })
        .collect();
    let labels = [
        label(theme, "edition_contents", "In dieser Ausgabe"),
        label(theme, "more", "Weiterlesen"),
        label(theme, "read_online", "Im Browser lesen"),
        label(theme, "unsubscribe", "Abmelden"),
        label(theme, "links", "Links"),
    ];
    // The editorial as the page value holds it: a build moves the HTML out of the page.
    let editorial = v.pages[i]
        .get_from_path("content")
        .and_then(|c| c.as_str())
        .unwrap_or_default()
        .to_string();
    text::render(&text::Edition {
        title: &title,
        subtitle: &subtitle,
        editorial_html: &editorial,
        articles,
        web_url: &page.permalink,
        base_url: &config.base_url,
        unsubscribe_url: config.editions.unsubscribe_url.as_str(),
        sender: config.publisher.as_ref().map(|p| {
            let name = Some(p.full_name()).filter(|n| !n.is_empty());
            let name = name.unwrap_or_else(|| config.title.clone());
            let address = p.address_line();
            let sender = label(theme, "email_sender", "Herausgeber");
            if address.is_empty() {
                format!("{sender}: {name}")
            } else {
                format!("{sender}: {name}, {address}")
            }
        }),
        legal: legal_links(config, theme),
        labels: text::Labels {
            contents: &labels[0],
            more: &labels[1],
            web_version: &labels[2],
            unsubscribe: &labels[3],
            links: &labels[4],
        },
    })
}

/// The subject from its template: `{site}`, `{title}` and `{number}` filled in, and where
/// that leaves two separators in a row or one at an end (an empty title, a template
/// written `{site}: {title}` for a title that starts with a colon), one of them dropped.
pub(crate) fn subject(template: &str, site: &str, title: &str, number: i64) -> String {
    let filled = template
        .replace("{site}", site)
        .replace("{title}", title)
        .replace("{number}", &number.to_string());
    let mut out: Vec<&str> = Vec::new();
    for w in filled.split_whitespace() {
        // A separator after nothing, after another or after a word ending in a colon.
        if is_separator(w)
            && out
                .last()
                .is_none_or(|l| is_separator(l) || l.ends_with(':'))
        {
            continue;
        }
        out.push(w);
    }
    while out.last().is_some_and(|l| is_separator(l)) {
        out.pop();
    }
    out.join(" ").trim_end_matches(':').to_string()
}

/// A word that only separates the parts of a subject.
pub(crate) fn is_separator(w: &str) -> bool {
    matches!(w, "–" | "-" | "—" | "|" | "·" | ":" | "/")
}

/// The `List-Unsubscribe` URLs of the editions' mail, and whether the first unsubscribes
/// with one click: an https URL or a mailing tool's placeholder (which such tools fill in
/// with their https unsubscribe URL) does; a `mailto:` is listed without it.
fn unsubscribe_header(e: &crate::config::Editions) -> (Vec<String>, bool) {
    let url = e.unsubscribe_url.trim();
    let mut urls = Vec::new();
    let mut one_click = false;
    if !url.is_empty() {
        let lower = url.to_ascii_lowercase();
        one_click = lower.starts_with("https://")
            || !lower.contains(':')
            || lower.starts_with("{{")
            || lower.starts_with("*|");
        urls.push(url.to_string());
    }
    if let Some(m) = e
        .unsubscribe_mailto
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        let m = if m.starts_with("mailto:") {
            m.to_string()
        } else {
            format!("mailto:{m}")
        };
        if !urls.contains(&m) {
            urls.push(m);
        }
    }
    let one_click = one_click && !urls.is_empty();
    (urls, one_click)
}

/// The footer's links as (label, URL): the site, and the Impressum and Datenschutz pages
/// when `[publisher]` makes them (the HTML footer has the same).
fn legal_links(config: &Config, theme: &Theme) -> Vec<(String, String)> {
    let mut links = vec![(config.title.clone(), config.permalink("/"))];
    if config.publisher.is_some() {
        let [(_, impressum), (_, privacy)] = super::publishing::legal_pages(&config.language);
        links.push((
            label(theme, "impressum", "Impressum"),
            config.permalink(impressum),
        ));
        links.push((
            label(theme, "privacy", "Datenschutz"),
            config.permalink(privacy),
        ));
    }
    links
}

/// `edition.eml`: both parts in one MIME message, with the sender, subject and ids from
/// `site.toml` and the edition.
fn message(
    config: &Config,
    site: &Site,
    page: &Page,
    edition: &Edition,
    plain: &str,
    html: &str,
) -> Vec<u8> {
    let host = config
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or(&config.base_url)
        .split(['/', ':'])
        .next()
        .unwrap_or("localhost")
        .to_string();
    let from = match &config.editions.from {
        Some(f) => {
            crate::text::mailbox::parse_mailbox(f).unwrap_or((None, format!("newsletter@{host}")))
        }
        None => (Some(config.title.clone()), format!("newsletter@{host}")),
    };
    let reply_to = config
        .editions
        .reply_to
        .as_deref()
        .and_then(crate::text::mailbox::parse_mailbox);
    let title = page.front.title.clone().unwrap_or_default();
    let subject = subject(
        &config.editions.subject,
        &config.title,
        &title,
        edition.number,
    );
    let (unsubscribe, one_click) = unsubscribe_header(&config.editions);
    let message_id = format!("ausgabe-{}.{}@{host}", edition.number, page.slug);
    let archive = config.permalink(&site.sections[page.section].path);
    mime::build(&mime::Message {
        from,
        reply_to,
        subject: &subject,
        date: page.date.as_ref().map_or(0, |d| d.timestamp().as_second()),
        message_id: &message_id,
        archive_url: &archive,
        unsubscribe,
        one_click,
        text: plain,
        html,
    })
}
