//! The `presswerk` command line: parses the arguments, resolves them once into
//! settings, calls the library, reports through one reporter, and maps the
//! outcome to an exit code (0 success, 1 site errors, 2 bad command line).
//!
//! The top floor: nothing below `cli` prints or reads the process's arguments, so every
//! command can be run and tested as a library call.

mod args;
mod reporter;
mod settings;

use std::ffi::OsString;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;

use crate::{BuildOptions, build_with, check, init, new, serve};
use args::{CheckArgs, Cli, Command, New, ToolChoice};
use reporter::Reporter;
use settings::Settings;

/// Runs `presswerk` with `args` (the program name first, as [`std::env::args_os`] gives
/// them) and returns the exit code. A bad command line prints clap's message and exits 2.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = Cli::parse_from(args);
    let settings = Settings::resolve(&cli.command);
    let reporter = Arc::new(Reporter::new(&settings));
    let code = match cli.command {
        Command::Init { dir } => match init::init(&dir) {
            Ok(files) => {
                reporter.created_site(&dir, files);
                ExitCode::SUCCESS
            }
            Err(e) => reporter.fatal(&e, "nothing was written"),
        },
        Command::New { what } => run_new(what, &settings, &reporter),
        Command::Import { tool, src, .. } => run_import(tool, &src, &settings, &reporter),
        Command::Serve {
            bind,
            port,
            open,
            allow_host,
            ..
        } => {
            let opts = serve::Options {
                root: settings.root.clone(),
                bind,
                port,
                drafts: settings.overrides.drafts,
                open,
                allow_hosts: allow_host,
                head_timeout: settings.head_timeout,
            };
            match serve::serve(&opts, Arc::clone(&reporter) as Arc<dyn serve::Report>) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => reporter.fatal(&e, "the server stopped"),
            }
        }
        Command::Build { no_cache, .. } => {
            let options = BuildOptions { cache: !no_cache };
            match build_with(
                &settings.root,
                &settings.output,
                &settings.overrides,
                &options,
            ) {
                Ok(summary) => {
                    reporter.built(&summary, &settings.output);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    reporter.fatal(&e, "build failed; the previous output was left untouched")
                }
            }
        }
        Command::Check { check, .. } => run_check(&check, &settings, &reporter),
    };
    reporter.exit_code(code)
}

/// `presswerk new article` and `presswerk new edition`.
fn run_new(what: New, settings: &Settings, reporter: &Reporter) -> ExitCode {
    let made = match what {
        New::Article {
            title,
            author,
            region,
            section,
            ..
        } => {
            let article = new::NewArticle {
                title,
                author,
                region,
                section: Some(section),
            };
            new::article(&settings.root, &article).map(|path| reporter.created_article(&path))
        }
        New::Edition { name, .. } => {
            new::edition(&settings.root, &name).map(|made| reporter.created_edition(&made))
        }
    };
    match made {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => reporter.fatal(&e, "nothing was written"),
    }
}

/// `presswerk import`: DEST is the settings' root.
fn run_import(
    tool: ToolChoice,
    src: &std::path::Path,
    settings: &Settings,
    reporter: &Reporter,
) -> ExitCode {
    let tool = match tool {
        ToolChoice::Hugo => crate::import::Tool::Hugo,
        ToolChoice::Jekyll => crate::import::Tool::Jekyll,
    };
    match crate::import::import(tool, src, &settings.root) {
        Ok(report) => {
            reporter.imported(&report, src, &settings.root);
            ExitCode::SUCCESS
        }
        Err(e) => reporter.fatal(&e, "nothing was written"),
    }
}

/// DEST when none is given: `SRC-presswerk` beside SRC (for `.`, named after the folder).
pub(crate) fn import_dest(src: &std::path::Path) -> std::path::PathBuf {
    let named = |p: &std::path::Path| {
        let name = p.file_name()?.to_string_lossy().into_owned();
        Some(p.with_file_name(format!("{name}-presswerk")))
    };
    named(src)
        .or_else(|| src.canonicalize().ok().and_then(|p| named(&p)))
        .unwrap_or_else(|| std::path::PathBuf::from("site-presswerk"))
}

/// `presswerk check`: exit code 1 if it found an error (or, with `--deny-warnings`, a
/// warning).
fn run_check(args: &CheckArgs, settings: &Settings, reporter: &Reporter) -> ExitCode {
    let opts = check::Options {
        external: args.external.then(|| check::external::Options {
            timeout: Duration::from_secs(args.timeout),
            per_host: usize::from(args.per_host),
            ..Default::default()
        }),
    };
    match check::check(&settings.root, &settings.overrides, &opts) {
        Ok(mut report) => {
            if args.deny_warnings {
                report.diagnostics.deny_warnings();
            }
            reporter.checked(&report, opts.external.is_some());
            if report.diagnostics.error_count() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => reporter.fatal(&e, "check failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(args: &[&str]) -> Settings {
        let cli = Cli::try_parse_from(std::iter::once("presswerk").chain(args.iter().copied()))
            .expect("a valid command line");
        Settings::resolve(&cli.command)
    }

    #[test]
    fn the_output_folder_defaults_to_public_below_the_root() {
        let s = settings(&["build", "--root", "site"]);
        assert_eq!(s.output, std::path::Path::new("site/public"));
        let s = settings(&["build", "--root", "site", "-o", "out"]);
        assert_eq!(s.output, std::path::Path::new("out"));
    }

    #[test]
    fn import_writes_beside_src_unless_told_where() {
        let s = settings(&["import", "hugo", "alte-seite"]);
        assert_eq!(s.root, std::path::Path::new("alte-seite-presswerk"));
        let s = settings(&["import", "jekyll", "sites/blog/", "neu"]);
        assert_eq!(s.root, std::path::Path::new("neu"));
        let s = settings(&["import", "jekyll", "sites/blog/"]);
        assert_eq!(s.root, std::path::Path::new("sites/blog-presswerk"));
    }

    #[test]
    fn shared_flags_resolve_the_same_for_every_command() {
        let s = settings(&["check", "--root", "site", "--drafts", "--format", "json"]);
        assert_eq!(s.root, std::path::Path::new("site"));
        assert!(s.overrides.drafts);
        assert_eq!(s.format, crate::diagnostics::Format::Json);
        let s = settings(&["serve", "--drafts"]);
        assert!(s.overrides.drafts && s.overrides.base_url.is_none());
        let s = settings(&["new", "edition", "2007-12", "--root", "site"]);
        assert_eq!(s.root, std::path::Path::new("site"));
    }
}
