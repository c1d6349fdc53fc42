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
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use super::settings::Settings;
use crate::build::Summary;
use crate::check;
use crate::diagnostics::{Diagnostic, Diagnostics, Format};
use crate::error::Error;
use crate::new::NewEdition;
use crate::serve::{self, Notice};

/// Where a reporter's lines go: the process's stdout or stderr, or a buffer in tests.
type Stream = Mutex<Box<dyn Write + Send>>;

/// Prints for every command.
pub(crate) struct Reporter {
    out: Stream,
    err: Stream,
    format: Format,
    color: bool,
    /// The site folder as given, put before file names in GitHub annotations.
    root: String,
    debug_watch: bool,
    /// A write found stdout or stderr closed.
    broken_pipe: AtomicBool,
}

impl Reporter {
    /// A reporter printing to the process's stdout and stderr.
    pub(crate) fn new(settings: &Settings) -> Reporter {
        Reporter::to(
            settings,
            Box::new(std::io::stdout()),
            Box::new(std::io::stderr()),
        )
    }

    /// A reporter printing to `out` and `err`.
    fn to(settings: &Settings, out: Box<dyn Write + Send>, err: Box<dyn Write + Send>) -> Reporter {
        Reporter {
            out: Mutex::new(out),
            err: Mutex::new(err),
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
    fn write(&self, stream: &Stream, text: Arguments<'_>) {
        let result = stream
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .write_fmt(text);
        if let Err(e) = result
            && e.kind() == std::io::ErrorKind::BrokenPipe
        {
            self.broken_pipe.store(true, Ordering::Relaxed);
        }
    }

    fn line(&self, stream: &Stream, text: Arguments<'_>) {
        self.write(stream, format_args!("{text}\n"));
    }

    /// A one-line status: to stdout for people, to stderr when stdout carries machine output.
    fn status(&self, text: Arguments<'_>) {
        let stream = match self.format {
            Format::Human => &self.out,
            Format::Json | Format::Github => &self.err,
        };
        self.line(stream, text);
    }

    /// Prints diagnostics, sorted, in the chosen format.
    pub(crate) fn diagnostics(&self, diags: &Diagnostics) {
        for d in diags.clone().sorted() {
            match self.format {
                Format::Human => self.line(&self.err, format_args!("{}\n", d.render(self.color))),
                Format::Json => self.line(&self.out, format_args!("{}", d.to_json())),
                Format::Github => self.line(&self.out, format_args!("{}", d.to_github(&self.root))),
            }
        }
    }

    /// `init` made a site of `files` files in `dir`.
    pub(crate) fn created_site(&self, dir: &Path, files: usize) {
        self.line(
            &self.out,
            format_args!(
                "Created a new site in {} ({files} files). Next: presswerk build --root {}",
                dir.display(),
                dir.display()
            ),
        );
    }

    /// `import` made a site in `dest` from `src`: the counts, then one line per skipped
    /// file, changed URL and call kept as written.
    pub(crate) fn imported(&self, report: &crate::import::Report, src: &Path, dest: &Path) {
        self.line(
            &self.out,
            format_args!(
                "Imported a {} site from {} into {}: {}",
                report.tool,
                src.display(),
                dest.display(),
                report.summary()
            ),
        );
        for l in report.lines(&src.to_string_lossy()) {
            self.line(&self.out, format_args!("  {l}"));
        }
        self.line(
            &self.out,
            format_args!(
                "The report is also in {}. Next: presswerk build --root {}",
                dest.join("import-report.txt").display(),
                dest.display()
            ),
        );
    }

    /// `new article` wrote `path`.
    pub(crate) fn created_article(&self, path: &Path) {
        self.line(
            &self.out,
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
            &self.out,
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
            self.line(&self.err, format_args!("{line}"));
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
                    &self.err,
                    format_args!("error: {errors} error(s){w}; {what}"),
                );
            }
            other if self.format == Format::Human => {
                self.line(&self.err, format_args!("error: {}", other.with_causes()));
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
            self.write(&self.err, format_args!("{text}\n\n"));
        }
    }

    /// A save that does not build, in `serve`.
    fn serve_failed(&self, e: &Error) {
        let terminal = match e {
            Error::Site(diags) => serve::render_diagnostics(diags, self.color),
            other => format!("error: {}", other.with_causes()),
        };
        self.line(
            &self.err,
            format_args!(
                "{terminal}\n\nThe save does not build; still serving the last good build."
            ),
        );
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
                    &self.out,
                    format_args!("Built {pages} pages in {} ms", elapsed.as_millis()),
                );
            }
            Notice::PortTaken { wanted, got } => self.line(
                &self.out,
                format_args!("Port {wanted} is taken; using {got} instead."),
            ),
            Notice::Exposed { bind } => self.line(
                &self.err,
                format_args!(
                    "warning: listening on {bind}, which other machines can reach: anyone on the network can open this preview, drafts and scheduled pages included with --drafts. Leave out --bind to keep it on this machine."
                ),
            ),
            Notice::Serving { root, url } => self.line(
                &self.out,
                format_args!("Serving {} at {url}/ (Ctrl+C to stop)", root.display()),
            ),
            Notice::NoBrowser { url } => self.line(
                &self.out,
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
                    &self.out,
                    format_args!(
                        "Rebuilt in {:.1} ms ({rendered} of {outputs} outputs rendered, {browsers} browser(s) told; {:.1} ms after the save)",
                        elapsed.as_secs_f64() * 1000.0,
                        since_save.as_secs_f64() * 1000.0,
                    ),
                );
            }
            Notice::Failed(e) => self.serve_failed(e),
            Notice::LeftOut(diags) => {
                let text = serve::render_diagnostics(diags, self.color);
                self.line(
                    &self.err,
                    format_args!("{text}\n\nThese files do not build and are left out; every other page is served."),
                );
            }
            Notice::WatchEvent(event) if self.debug_watch => {
                self.line(&self.err, format_args!("[watch] {event:?}"));
            }
            Notice::WatchBatch(paths) if self.debug_watch => {
                self.line(&self.err, format_args!("[watch] batch {paths:?}"));
            }
            Notice::WatchEvent(_) | Notice::WatchBatch(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::config::Overrides;
    use crate::serve::Report;

    /// A stream whose bytes the test reads afterwards.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("buffer").extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Buffer {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().expect("buffer").clone()).expect("UTF-8")
        }
    }

    /// A stream whose reader has gone away.
    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn settings(format: Format) -> Settings {
        Settings {
            root: PathBuf::from("site"),
            output: PathBuf::from("site/public"),
            overrides: Overrides::default(),
            format,
            color: false,
            debug_watch: false,
            head_timeout: Duration::from_secs(10),
        }
    }

    fn reporter(format: Format) -> (Reporter, Buffer, Buffer) {
        let (out, err) = (Buffer::default(), Buffer::default());
        let r = Reporter::to(
            &settings(format),
            Box::new(out.clone()),
            Box::new(err.clone()),
        );
        (r, out, err)
    }

    fn summary() -> Summary {
        Summary {
            pages: 12,
            editions: 1,
            sections: 3,
            authors: 2,
            terms: 5,
            files: 40,
            bytes: 3 * 1024 * 1024 / 2,
            held_back: 2,
            cache: Default::default(),
            images_processed: 0,
            elapsed: Duration::from_millis(87),
            warnings: Diagnostics::new(),
        }
    }

    #[test]
    fn the_build_summary_goes_to_stdout_for_people_and_to_stderr_beside_json() {
        let (r, out, err) = reporter(Format::Human);
        r.built(&summary(), Path::new("site/public"));
        let line = "Built 12 pages, 1 edition, 3 sections, 2 authors, 5 terms, 2 held back (drafts/scheduled): 40 files (1.5 MiB) in 87 ms → site/public\n";
        assert_eq!(out.text(), line);
        assert_eq!(err.text(), "");
        let (r, out, err) = reporter(Format::Json);
        r.built(&summary(), Path::new("site/public"));
        assert_eq!((out.text().as_str(), err.text().as_str()), ("", line));
    }

    #[test]
    fn a_fatal_error_prints_its_causes_once() {
        let (r, out, err) = reporter(Format::Human);
        let e = Error::write(
            Path::new("site/public"),
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, "Permission denied"),
        );
        let _ = r.fatal(&e, "build failed");
        assert_eq!(out.text(), "");
        assert_eq!(
            err.text(),
            "error: cannot write site/public\n  caused by: Permission denied\n"
        );
    }

    #[test]
    fn site_errors_end_with_their_count_and_what_it_means() {
        let (r, _, err) = reporter(Format::Json);
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("x", "one"));
        d.push(Diagnostic::warning("y", "two"));
        let _ = r.fatal(&Error::Site(d), "nothing was written");
        assert_eq!(
            err.text(),
            "error: 1 error(s), 1 warning(s); nothing was written\n"
        );
    }

    #[test]
    fn serve_notices_read_as_before() {
        let (r, out, err) = reporter(Format::Human);
        r.notice(Notice::PortTaken {
            wanted: 1111,
            got: 1112,
        });
        r.notice(Notice::Serving {
            root: Path::new("."),
            url: "http://127.0.0.1:1112",
        });
        r.notice(Notice::WatchBatch(&[]));
        assert_eq!(
            out.text(),
            "Port 1111 is taken; using 1112 instead.\nServing . at http://127.0.0.1:1112/ (Ctrl+C to stop)\n"
        );
        assert_eq!(err.text(), "", "watcher debugging is off");
    }

    #[test]
    fn an_address_others_can_reach_is_warned_about_on_stderr() {
        let (r, out, err) = reporter(Format::Human);
        r.notice(Notice::Exposed {
            bind: "0.0.0.0".parse().expect("an address"),
        });
        assert_eq!(out.text(), "");
        assert!(
            err.text()
                .starts_with("warning: listening on 0.0.0.0, which other machines can reach")
                && err.text().contains("drafts"),
            "{}",
            err.text()
        );
    }

    #[test]
    fn a_closed_pipe_ends_the_run_with_success() {
        let r = Reporter::to(&settings(Format::Human), Box::new(Closed), Box::new(Closed));
        r.created_site(Path::new("neu"), 3);
        assert_eq!(r.exit_code(ExitCode::from(1)), ExitCode::SUCCESS);
        let (r, _, _) = reporter(Format::Human);
        assert_eq!(r.exit_code(ExitCode::from(1)), ExitCode::from(1));
    }
}
