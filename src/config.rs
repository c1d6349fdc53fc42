//! `site.toml` → [`Config`]: defaults, validation, command-line overrides.
//!
//! This file holds the types and their defaults; `validate` checks the values one rule at a
//! time, each problem with its span in `site.toml`.

mod images;
mod menu;
mod publisher;
mod search;
mod validate;

pub(crate) use search::Search;

pub(crate) use menu::link_span as menu_link_span;
pub(crate) use menu::{MenuItem, Menus};
pub(crate) use publisher::REQUIRED as PUBLISHER_REQUIRED;
pub(crate) use publisher::{Publisher, Subscribe};

pub(crate) use validate::{key_span, key_span_in};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

/// The keys `site.toml` knows at its top level.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "timezone",
    "authors_section",
    "home_latest",
    "author_paginate_by",
    "taxonomies",
    "feeds",
    "editions",
    "search",
    "images",
    "extra",
    "logo",
    "publisher",
    "subscribe",
    "menu",
];

/// Names a taxonomy cannot take: its URL folder would collide with presswerk's own files.
const KNOWN_SECTIONS_CLASH: &[&str] = &["page", "static"];

/// Languages the default theme and the date formatter know.
pub(crate) const LANGUAGES: &[&str] = &["de", "en"];

#[derive(Deserialize)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    theme: Option<String>,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_authors_section")]
    authors_section: String,
    #[serde(default = "default_home_latest")]
    home_latest: usize,
    #[serde(default = "default_paginate_by")]
    author_paginate_by: usize,
    #[serde(default)]
    taxonomies: Vec<Taxonomy>,
    #[serde(default)]
    feeds: Feeds,
    #[serde(default)]
    editions: Option<Editions>,
    #[serde(default)]
    search: Option<Search>,
    #[serde(default)]
    images: Option<images::RawImages>,
    #[serde(default)]
    extra: toml::Table,
    #[serde(default)]
    logo: Option<String>,
    #[serde(default)]
    publisher: Option<Publisher>,
    #[serde(default)]
    subscribe: Subscribe,
    #[serde(default)]
    menu: Menus,
}

/// A taxonomy declared in `site.toml` (`[[taxonomies]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// Its name, also its URL folder: `tags` → `/tags/`.
    pub name: String,
    /// Heading shown on its pages; defaults to the name, capitalized.
    #[serde(default)]
    pub title: Option<String>,
    /// The front matter key that feeds it; defaults to the name (`region` feeds `regions`).
    #[serde(default)]
    pub key: Option<String>,
    /// Articles per term page; all on one page when not set.
    #[serde(default)]
    pub paginate_by: Option<usize>,
    /// Whether each term gets an Atom feed (`/tags/<term>/atom.xml`).
    #[serde(default)]
    pub feed: bool,
}

impl Taxonomy {
    /// The front matter key this taxonomy reads.
    pub fn key(&self) -> &str {
        self.key.as_deref().unwrap_or(&self.name)
    }

    /// The heading of its pages.
    pub fn title(&self) -> String {
        self.title.clone().unwrap_or_else(|| {
            let mut c = self.name.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
    }
}

/// Site feeds (`[feeds]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feeds {
    /// Write `/atom.xml`.
    #[serde(default = "yes")]
    pub atom: bool,
    /// Write `/rss.xml`.
    #[serde(default = "yes")]
    pub rss: bool,
    /// How many of the newest articles the feeds carry.
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
}

impl Default for Feeds {
    fn default() -> Self {
        Feeds {
            atom: true,
            rss: true,
            limit: default_feed_limit(),
        }
    }
}

/// Newsletter editions (`[editions]`): where they live and how their e-mail is addressed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Editions {
    /// The content folder that holds the editions (`content/ausgaben/2007-11.md`).
    #[serde(default = "default_editions_section")]
    pub section: String,
    /// The `From` of `edition.eml`, e.g. `iTeam Newsletter <newsletter@iteam.example>`.
    /// Defaults to the site title at `newsletter@` the base URL's host.
    #[serde(default)]
    pub from: Option<String>,
    /// An optional `Reply-To`.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// What the unsubscribe link of the e-mail points to: usually the placeholder the
    /// mailing tool replaces per recipient (listmonk's `{{ UnsubscribeURL }}`, Mailchimp's
    /// `*|UNSUB|*`).
    #[serde(default = "default_unsubscribe")]
    pub unsubscribe_url: String,
    /// An address that unsubscribes whoever writes to it (`mailto:abmelden@…`), for the
    /// `List-Unsubscribe` header of clients that unsubscribe by mail.
    #[serde(default)]
    pub unsubscribe_mailto: Option<String>,
    /// The subject line; `{title}`, `{number}` and `{site}` are replaced.
    #[serde(default = "default_subject")]
    pub subject: String,
}

impl Default for Editions {
    fn default() -> Self {
        Editions {
            section: default_editions_section(),
            from: None,
            reply_to: None,
            unsubscribe_url: default_unsubscribe(),
            unsubscribe_mailto: None,
            subject: default_subject(),
        }
    }
}

fn default_editions_section() -> String {
    "ausgaben".into()
}
fn default_unsubscribe() -> String {
    "{{ UnsubscribeURL }}".into()
}
fn default_subject() -> String {
    "{site} · {title}".into()
}

fn yes() -> bool {
    true
}
fn default_feed_limit() -> usize {
    20
}
fn default_paginate_by() -> usize {
    10
}

fn default_language() -> String {
    "de".into()
}
fn default_timezone() -> String {
    "Europe/Berlin".into()
}
fn default_authors_section() -> String {
    "autoren".into()
}
fn default_home_latest() -> usize {
    10
}

/// What the command line may override in `site.toml`.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--drafts`: include draft pages.
    pub drafts: bool,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site root (the folder holding `site.toml`).
    pub root: PathBuf,
    /// `site.toml` itself, for diagnostics that point into it.
    pub source: Arc<SourceFile>,
    /// Site title.
    pub title: String,
    /// One-sentence description for meta tags and feeds.
    pub description: String,
    /// Absolute base URL without a trailing slash.
    pub base_url: String,
    /// Language code, `de` or `en`.
    pub language: String,
    /// Theme folder name under `themes/`, if any.
    pub theme: Option<String>,
    /// The site's time zone name, e.g. `Europe/Berlin`.
    pub timezone_name: String,
    /// The site's time zone: dates without an offset are in it.
    pub timezone: jiff::tz::TimeZone,
    /// The content section that holds author profiles.
    pub authors_section: String,
    /// How many articles the home page lists.
    pub home_latest: usize,
    /// Articles per page on an author's page.
    pub author_paginate_by: usize,
    /// Declared taxonomies, in declaration order.
    pub taxonomies: Vec<Taxonomy>,
    /// Site feeds.
    pub feeds: Feeds,
    /// Newsletter editions.
    pub editions: Editions,
    /// Whether `site.toml` has an `[editions]` table (the theme then links the archive).
    pub editions_configured: bool,
    /// `[search]`, if the site has search (and it is enabled).
    pub search: Option<Search>,
    /// `[images]`: how pictures are processed.
    pub(crate) images: crate::images::Settings,
    /// Free-form `[extra]` table, passed to templates as `site.extra`.
    pub extra: toml::Table,
    /// Whether drafts are built.
    pub drafts: bool,
    /// The logo, a file of `static/` (the site's or the theme's): favicon, web manifest icon,
    /// publisher logo.
    pub logo: Option<String>,
    /// The logo's width and height, when it is a PNG.
    pub logo_size: Option<(u32, u32)>,
    /// `[publisher]`, if `site.toml` has one: the Impressum and Datenschutz pages are made.
    pub publisher: Option<Publisher>,
    /// `[subscribe]`: where readers subscribe.
    pub subscribe: Subscribe,
    /// `[[menu.main]]`, `[[menu.footer]]`.
    pub menus: Menus,
}

impl Config {
    /// Reads and validates `<root>/site.toml`. Every problem found is returned at once.
    pub fn load(root: &Path, overrides: &Overrides) -> Result<Config, Diagnostics> {
        let path = root.join("site.toml");
        let mut diags = Diagnostics::new();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                diags.push(
                    Diagnostic::error("config-missing", format!("cannot read site.toml: {e}"))
                        .in_file("site.toml")
                        .help(format!(
                            "run presswerk in a site folder, pass --root, or create one with `presswerk init DIR` (looked in {})",
                            root.display()
                        )),
                );
                return Err(diags);
            }
        };
        let source = match crate::text::utf8::decode_utf8(root, &path, bytes) {
            Ok(s) => Arc::new(s),
            Err(d) => {
                diags.push(*d);
                return Err(diags);
            }
        };
        Self::parse(root, source, overrides)
    }

    /// Validates already-read `site.toml` text.
    pub fn parse(
        root: &Path,
        source: Arc<SourceFile>,
        overrides: &Overrides,
    ) -> Result<Config, Diagnostics> {
        let mut diags = Diagnostics::new();
        let Some(raw) = validate::read(&source, &mut diags) else {
            return Err(diags);
        };
        let base_url = validate::base_url(&source, overrides, &raw.base_url, &mut diags);
        validate::language(&source, &raw, &mut diags);
        let timezone = validate::timezone(&source, &raw, &mut diags);
        validate::authors_section(&source, &raw, &mut diags);
        let editions_configured = raw.editions.is_some();
        let editions = raw.editions.clone().unwrap_or_default();
        validate::editions(&source, &raw, &editions, &mut diags);
        validate::taxonomies(&source, &raw.taxonomies, &mut diags);
        validate::author_paginate_by(&source, &raw, &mut diags);
        validate::theme(&source, &raw, &mut diags);
        if let Some(s) = &raw.search {
            search::validate(&source, s, &mut diags);
        }
        menu::validate(&source, &raw.menu, &mut diags);
        let images = images::settings(&source, raw.images.as_ref(), &raw.language, &mut diags);
        let logo_size = publisher::validate_logo(
            root,
            &source,
            raw.logo.as_deref(),
            raw.theme.as_deref(),
            &mut diags,
        );
        publisher::validate_subscribe(&source, &raw.subscribe, &mut diags);
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Config {
            root: root.to_path_buf(),
            source,
            title: raw.title,
            description: raw.description,
            base_url,
            language: raw.language,
            theme: raw.theme,
            timezone_name: raw.timezone,
            timezone,
            authors_section: raw.authors_section,
            home_latest: raw.home_latest,
            author_paginate_by: raw.author_paginate_by,
            taxonomies: raw.taxonomies,
            feeds: raw.feeds,
            editions,
            editions_configured,
            search: raw.search.filter(|s| s.enabled),
            images,
            extra: raw.extra,
            drafts: overrides.drafts,
            logo: raw.logo,
            logo_size,
            publisher: raw.publisher,
            subscribe: raw.subscribe,
            menus: raw.menu,
        })
    }

    /// The absolute URL of a site path such as `/artikel/x/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        let src = Arc::new(SourceFile::new(
            Path::new("/r"),
            Path::new("/r/site.toml"),
            text.into(),
        ));
        Config::parse(Path::new("/r"), src, &Overrides::default())
    }

    #[test]
    fn defaults_apply() {
        let c = parse("title = \"T\"\nbase_url = \"https://x.org/\"\n").unwrap();
        assert_eq!(c.base_url, "https://x.org");
        assert_eq!(c.language, "de");
        assert_eq!(c.timezone_name, "Europe/Berlin");
        assert_eq!(c.authors_section, "autoren");
        assert_eq!(c.permalink("/a/"), "https://x.org/a/");
    }

    #[test]
    fn unknown_key_gets_a_suggestion_and_a_line() {
        let err =
            parse("title = \"T\"\nbase_url = \"https://x.org\"\nlanguag = \"de\"\n").unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(d.location(), Some(("site.toml", 3, 1)));
        assert_eq!(d.help.as_deref(), Some("did you mean `language`?"));
    }

    #[test]
    fn syntax_error_has_a_line() {
        let err = parse("title = \"T\nbase_url = 1\n").unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(d.code, "config-syntax");
        assert_eq!(d.location().unwrap().1, 1);
    }
}
