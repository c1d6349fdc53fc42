//! The one place that prints: every command's messages go through a [`Reporter`], in the
//! format the command line asked for.
//!
//! Diagnostics are printed human-readable to stderr, or as JSON lines or GitHub workflow
//! commands to stdout where CI tools read them; a one-line status goes to stdout for people,
//! to stderr when stdout carries machine output; a fatal error prints its whole "caused by"
//! chain. A closed stdout or stderr (`presswerk check | head`) is not a failure: nobody is
//! left to tell, so the run ends with success, as ripgrep does.

use std::fmt::Arguments;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use super::settings::Settings;
use crate::check;
use crate::diagnostics::{Diagnostic, Diagnostics, Format};
use crate::new::NewEdition;
use crate::serve::{self, Notice};
use crate::{Error, Summary};

/// Prints for every command.
#[derive(Debug)]
pub(crate) struct Reporter {
    format: Format,
    color: bool,
    /// The site folder as given, put before file names in GitHub annotations.
    root: String,
    debug_watch: bool,
    /// A write found stdout or stderr closed.
    broken_pipe: AtomicBool,
}

/// stdout or stderr.
#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

impl Reporter {
    pub(crate) fn new(settings: &Settings) -> Reporter {
        Reporter {
            format: settings.format,
            color: settings.color,
            root: settings.root.to_string_lossy().into_owned(),
            debug_watch: settings.debug_watch,
            broken_pipe: AtomicBool::new(false),
        }
    }

    /// The exit code of a run that ended with `code`: success if the reader went away.
    pub(crate) fn exit_code(&self, code: ExitCode) -> ExitCode {
        if self.broken_pipe.load(Ordering::Relaxed) {
            ExitCode::SUCCESS
        } else {
            code
        }
    }

    /// Writes `text` as it is; a broken pipe is remembered, other write errors are ignored
    /// (there is no one to tell them to).
    fn write(&self, stream: Stream, text: Arguments<'_>) {
        let result = match stream {
            Stream::Out => std::io::stdout().lock().write_fmt(text),
            Stream::Err => std::io::stderr().lock().write_fmt(text),
        };
        if let Err(e) = result
            && e.kind() == std::io::ErrorKind::BrokenPipe
        {
            self.broken_pipe.store(true, Ordering::Relaxed);
        }
    }

    fn line(&self, stream: Stream, text: Arguments<'_>) {
        self.write(stream, format_args!("{text}\n"));
    }

    /// A one-line status: to stdout for people, to stderr when stdout carries machine output.
    fn status(&self, text: Arguments<'_>) {
        let stream = match self.format {
            Format::Human => Stream::Out,
            Format::Json | Format::Github => Stream::Err,
        };
        self.line(stream, text);
    }

    /// Prints diagnostics, sorted, in the chosen format.
    pub(crate) fn diagnostics(&self, diags: &Diagnostics) {
        for d in diags.clone().sorted() {
            match self.format {
                Format::Human => self.line(Stream::Err, format_args!("{}\n", d.render(self.color))),
                Format::Json => self.line(Stream::Out, format_args!("{}", d.to_json())),
                Format::Github => {
                    self.line(Stream::Out, format_args!("{}", d.to_github(&self.root)))
                }
            }
        }
    }

    /// `init` made a site of `files` files in `dir`.
    pub(crate) fn created_site(&self, dir: &Path, files: usize) {
        self.line(
            Stream::Out,
            format_args!(
                "Created a new site in {} ({files} files). Next: presswerk build --root {}",
                dir.display(),
                dir.display()
            ),
        );
    }

    /// `new article` wrote `path`.
    pub(crate) fn created_article(&self, path: &Path) {
        self.line(
            Stream::Out,
            format_args!(
                "Created {} (a draft: remove `draft: true` to publish)",
                path.display()
            ),
        );
    }

    /// `new edition` wrote `made`.
    pub(crate) fn created_edition(&self, made: &NewEdition) {
        let since = made
            .previous
            .as_ref()
            .map_or_else(String::new, |p| format!(" since {p}"));
        self.line(
            Stream::Out,
            format_args!(
                "Created {} (edition {}, {} article(s){since}; a draft: write the editorial, check the list, then remove `draft: true`)",
                made.path.display(),
                made.number,
                made.articles
            ),
        );
    }

    /// `build` succeeded: its warnings, then the summary line.
    pub(crate) fn built(&self, s: &Summary, output: &Path) {
        self.diagnostics(&s.warnings);
        let editions = match s.editions {
            0 => String::new(),
            1 => ", 1 edition".to_string(),
            n => format!(", {n} editions"),
        };
        let held = if s.held_back > 0 {
            format!(", {} held back (drafts/scheduled)", s.held_back)
        } else {
            String::new()
        };
        self.status(format_args!(
            "Built {} pages{editions}, {} sections, {} authors, {} terms{held}: {} files ({:.1} MiB) in {} ms → {}",
            s.pages,
            s.sections,
            s.authors,
            s.terms,
            s.files,
            s.bytes as f64 / (1024.0 * 1024.0),
            s.elapsed.as_millis(),
            output.display()
        ));
    }

    /// `check` ran: its problems, then the verdict line. `external`: links outside the site
    /// were requested too.
    pub(crate) fn checked(&self, report: &check::Report, external: bool) {
        self.diagnostics(&report.diagnostics);
        let d = &report.diagnostics;
        let (errors, warnings) = (d.error_count(), d.warning_count());
        let what = if report.built {
            let ext = if external {
                format!(", {} external URLs", report.external_urls)
            } else {
                String::new()
            };
            format!(
                "{} pages, {} internal links{ext}",
                report.pages, report.internal_links
            )
        } else {
            "the site does not build, so its links were not checked".to_string()
        };
        let verdict = if errors > 0 { "failed" } else { "passed" };
        let line = format!(
            "Check {verdict}: {errors} error(s), {warnings} warning(s); {what} in {} ms",
            report.elapsed.as_millis()
        );
        if errors > 0 {
            self.line(Stream::Err, format_args!("{line}"));
        } else {
            self.status(format_args!("{line}"));
        }
    }

    /// Prints an error that stopped the command; `what` names what that means ("build
    /// failed; the previous output was left untouched", "nothing was written").
    pub(crate) fn fatal(&self, e: &Error, what: &str) -> ExitCode {
        match e {
            Error::Site(diags) => {
                self.diagnostics(diags);
                let (errors, warnings) = (diags.error_count(), diags.warning_count());
                let w = if warnings > 0 {
                    format!(", {warnings} warning(s)")
                } else {
                    String::new()
                };
                self.line(
                    Stream::Err,
                    format_args!("error: {errors} error(s){w}; {what}"),
                );
            }
            other if self.format == Format::Human => {
                self.line(Stream::Err, format_args!("error: {}", other.with_causes()));
            }
            other => {
                // Machine readers get the fatal error in their format too.
                let mut d = Diagnostics::new();
                d.push(Diagnostic::error("fatal", other.with_causes()));
                self.diagnostics(&d);
            }
        }
        ExitCode::from(1)
    }

    /// Warnings of a build in `serve`, each followed by a blank line.
    fn serve_warnings(&self, warnings: &Diagnostics) {
        if !warnings.is_empty() {
            let text = serve::render_diagnostics(warnings, self.color);
            self.write(Stream::Err, format_args!("{text}\n\n"));
        }
    }
}

impl serve::Report for Reporter {
    fn notice(&self, notice: Notice<'_>) {
        match notice {
            Notice::Built {
                pages,
                elapsed,
                warnings,
            } => {
                self.serve_warnings(warnings);
                self.line(
                    Stream::Out,
                    format_args!("Built {pages} pages in {} ms", elapsed.as_millis()),
                );
            }
            Notice::PortTaken { wanted, got } => self.line(
                Stream::Out,
                format_args!("Port {wanted} is taken; using {got} instead."),
            ),
            Notice::Serving { root, url } => self.line(
                Stream::Out,
                format_args!("Serving {} at {url}/ (Ctrl+C to stop)", root.display()),
            ),
            Notice::NoBrowser { url } => self.line(
                Stream::Out,
                format_args!("Could not open a browser; open {url} yourself."),
            ),
            Notice::Rebuilt {
                elapsed,
                rendered,
                outputs,
                browsers,
                since_save,
                warnings,
            } => {
                self.serve_warnings(warnings);
                self.line(
                    Stream::Out,
                    format_args!(
                        "Rebuilt in {:.1} ms ({rendered} of {outputs} outputs rendered, {browsers} browser(s) told; {:.1} ms after the save)",
                        elapsed.as_secs_f64() * 1000.0,
                        since_save.as_secs_f64() * 1000.0,
                    ),
                );
            }
            Notice::Failed(e) => {
                let terminal = match e {
                    Error::Site(diags) => serve::render_diagnostics(diags, self.color),
                    other => format!("error: {}", other.with_causes()),
                };
                self.line(
                    Stream::Err,
                    format_args!(
                        "{terminal}\n\nThe save does not build; still serving the last good build."
                    ),
                );
            }
            Notice::WatchEvent(event) if self.debug_watch => {
                self.line(Stream::Err, format_args!("[watch] {event:?}"));
            }
            Notice::WatchBatch(paths) if self.debug_watch => {
                self.line(Stream::Err, format_args!("[watch] batch {paths:?}"));
            }
            Notice::WatchEvent(_) | Notice::WatchBatch(_) => {}
        }
    }
}
