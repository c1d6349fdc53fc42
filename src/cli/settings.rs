//! The command line resolved once into the values a command runs with: the site folder, the
//! output folder (default `<root>/public`), the [`Overrides`] of `site.toml`, the format of
//! problems, and what the terminal and the environment ask for (color, watcher debugging).
//!
//! Separate from [`super::args`] so that defaults which depend on other flags or on the
//! environment are worked out in one place, not again in every command.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use super::args::{Command, FormatChoice, New};
use crate::config::Overrides;
use crate::diagnostics::Format;

/// How a command runs, whichever one it is.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The site folder as given (`init`: the folder to create).
    pub(crate) root: PathBuf,
    /// Where `build` writes: `--output`, or `<root>/public`.
    pub(crate) output: PathBuf,
    /// `--base-url` and `--drafts`.
    pub(crate) overrides: Overrides,
    /// How problems are printed.
    pub(crate) format: Format,
    /// Colored diagnostics: stderr is a terminal and `NO_COLOR` is not set.
    pub(crate) color: bool,
    /// `PRESSWERK_DEBUG_WATCH` is set: `serve` shows every file event.
    pub(crate) debug_watch: bool,
    /// How long `serve` waits for a request head: 10 s, or `PRESSWERK_SERVE_HEAD_TIMEOUT_MS`
    /// (for tests of slow clients, which should not wait 10 s).
    pub(crate) head_timeout: Duration,
}

impl Settings {
    /// Resolves the settings of `command` against the environment.
    pub(crate) fn resolve(command: &Command) -> Settings {
        let (root, format, overrides, output) = match command {
            Command::Init { dir } => (dir.clone(), None, Overrides::default(), None),
            Command::Import { src, dest, .. } => (
                dest.clone().unwrap_or_else(|| crate::cli::import_dest(src)),
                None,
                Overrides::default(),
                None,
            ),
            Command::New {
                what: New::Article { root, .. } | New::Edition { root, .. },
            } => (root.root.clone(), None, Overrides::default(), None),
            Command::Serve { root, drafts, .. } => {
                (root.root.clone(), None, drafts_only(drafts.drafts), None)
            }
            Command::Build {
                root,
                output,
                base_url,
                drafts,
                format,
                ..
            } => (
                root.root.clone(),
                Some(format.format),
                Overrides {
                    base_url: base_url.clone(),
                    drafts: drafts.drafts,
                },
                output.clone(),
            ),
            Command::Check {
                root,
                drafts,
                format,
                ..
            } => (
                root.root.clone(),
                Some(format.format),
                drafts_only(drafts.drafts),
                None,
            ),
        };
        Settings {
            output: output.unwrap_or_else(|| root.join("public")),
            root,
            overrides,
            format: format.map_or(Format::Human, Format::from),
            color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            debug_watch: std::env::var_os("PRESSWERK_DEBUG_WATCH").is_some(),
            head_timeout: std::env::var("PRESSWERK_SERVE_HEAD_TIMEOUT_MS")
                .ok()
                .and_then(|ms| ms.parse().ok())
                .map_or(HEAD_TIMEOUT, Duration::from_millis),
        }
    }
}

/// How long `serve` waits for a request head unless told otherwise.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

fn drafts_only(drafts: bool) -> Overrides {
    Overrides {
        base_url: None,
        drafts,
    }
}

impl From<FormatChoice> for Format {
    fn from(f: FormatChoice) -> Format {
        match f {
            FormatChoice::Human => Format::Human,
            FormatChoice::Json => Format::Json,
            FormatChoice::Github => Format::Github,
        }
    }
}
