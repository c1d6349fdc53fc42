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
mod import;
mod init;
mod markdown;
mod new;
mod output;
mod render;
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
        pub use crate::markdown::shortcodes::Shortcodes;
        pub use crate::markdown::{Options, Rendered, TocEntry, render};
    }
}
