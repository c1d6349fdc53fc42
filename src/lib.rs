//! presswerk: a static site generator for newsletters.
//!
//! Data flows one way, each stage a plain type:
//!
//! ```text
//! Config ──load──▶ Loaded ──resolve──▶ Site ──render──▶ Output ──write (atomic) / serve
//! ```
//!
//! Problems in files are [`Diagnostic`]s, collected across the whole site so one run reports
//! all of them; conditions that stop a run (an output folder that cannot be written) are
//! [`Error`]s.

#![warn(missing_docs, unreachable_pub)]

mod build;
mod builder;
mod cache;
mod check;
pub mod cli;
mod config;
mod content;
mod diagnostics;
mod error;
mod fingerprint;
mod images;
mod import;
mod init;
mod markdown;
mod new;
mod output;
mod render;
mod search;
mod serve;
mod site;
mod source;
mod text;
mod timing;

pub use build::{BuildOptions, Summary, build, build_in_memory, build_with};
pub use builder::Built;
pub use cache::CacheStats;
pub use config::{Config, Overrides};
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use error::Error;
pub use output::{Entry, Output, UnsafePath};
pub use site::Site;

/// The stages one by one, for presswerk's own benchmarks, examples and tests. Not a stable
/// interface: anything here may change in any release. Programs use [`build`],
/// [`build_in_memory`] and [`cli::run`].
#[doc(hidden)]
pub mod internals {
    pub use crate::builder::{Builder, ChangeKind};
    pub use crate::cache::{Cache, CacheStats};
    pub use crate::content::{Files, Kind, Loaded, load};
    pub use crate::render::{PageRenderer, Theme, load_theme, render};
    pub use crate::site::{
        Author, Byline, CopiedFile, Edition, Guest, Page, Section, Taxonomy, Term, resolve,
    };
    pub use crate::source::SourceFile;
    pub use crate::text::slug::slugify;
    pub use crate::text::url_path::check_path;

    /// Front matter: finding the `---` fences and reading the keys.
    pub mod front_matter {
        pub use crate::content::front_matter::{
            Format, FrontMatter, Person, Settings, Split, parse, split,
        };
    }

    /// Markdown to HTML.
    pub mod markdown {
        pub use crate::markdown::shortcodes::{ArgValue, Shortcodes};
        pub use crate::markdown::{Options, Rendered, TocEntry, render};

        /// Renders `markdown` as the Markdown stage does for a page: shortcodes expanded by
        /// `shortcodes`, typography, heading ids (no `@/` links: there is no site).
        pub fn render_with_shortcodes(
            markdown: &str,
            opts: Options,
            shortcodes: &dyn Shortcodes,
        ) -> Rendered {
            let ctx = crate::markdown::Context {
                shortcodes: Some(shortcodes),
                ..crate::markdown::Context::none()
            };
            crate::markdown::render_with(markdown, opts, ctx)
        }
    }

    /// What `presswerk import` makes of one content file of another tool's site.
    pub mod import {
        /// Front matter read and links rebased (see the fuzz target `import_body`).
        pub fn read_and_rebase(
            text: &str,
            old_url: Option<&str>,
            pages: &[(&str, &str)],
        ) -> Result<(usize, String), (usize, String)> {
            crate::import::read_and_rebase(text, old_url, pages)
        }
    }

    /// The preview server's reading of a request head.
    pub mod serve {
        pub use crate::serve::http::{Request, examine};
    }

    /// The plain-text e-mail of an edition with `editorial_html` and one article per
    /// `(title, summary_html)`, with fixed words and URLs.
    pub fn email_text(editorial_html: &str, articles: &[(&str, &str)]) -> String {
        use crate::render::email::text;
        let articles = articles
            .iter()
            .map(|&(title, summary_html)| text::Article {
                title,
                meta: String::new(),
                summary_html,
                url: "https://example.org/artikel/a/",
            })
            .collect();
        text::render(&text::Edition {
            title: "Newsletter",
            subtitle: "Ausgabe 1",
            editorial_html,
            articles,
            web_url: "https://example.org/ausgaben/1/",
            base_url: "https://example.org",
            unsubscribe_url: "https://example.org/abmelden/",
            sender: None,
            legal: Vec::new(),
            labels: text::Labels {
                contents: "Inhalt",
                more: "Weiterlesen",
                web_version: "Im Web",
                unsubscribe: "Abmelden",
                links: "Links",
            },
        })
    }
}
