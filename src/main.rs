//! The `presswerk` command line: parses arguments, calls the library, maps results to exit
//! codes (0 success, 1 site errors, 2 bad command line).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use presswerk::diagnostics::Format;
use presswerk::{Diagnostics, Error, Overrides};

#[derive(Parser)]
#[command(
    name = "presswerk",
    version,
    about = "A fast static site generator for newsletters"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new newsletter site with the default theme in DIR.
    Init {
        /// The folder to create (must be new or empty).
        dir: PathBuf,
    },
    /// Create new content with its front matter filled in.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Preview the site: build in memory, serve it, rebuild and reload the browser on save.
    Serve {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port (the next free one is taken if it is busy).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Show drafts and scheduled pages.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
    },
    /// Build the site into the output folder (default: <root>/public).
    Build {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override base_url from site.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include drafts and pages not yet published.
        #[arg(long)]
        drafts: bool,
        /// How to print problems: human, json (one object per line), github (annotations).
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
    },
    /// Build the site in memory (writing nothing) and check links, anchors, assets, authors,
    /// aliases and front matter. Exit code 1 if anything is wrong.
    Check {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include drafts and pages not yet published.
        #[arg(long)]
        drafts: bool,
        /// How to print problems: human, json (one object per line), github (annotations).
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Also request every external link (needs the network).
        #[arg(long)]
        external: bool,
        /// Seconds to wait for one external link.
        #[arg(long, default_value_t = 10, requires = "external")]
        timeout: u64,
        /// Requests to one host at the same time, with --external.
        #[arg(long, default_value_t = 2, requires = "external", value_parser = clap::value_parser!(u16).range(1..))]
        per_host: u16,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
        }
    }
}

/// Where and how diagnostics are printed.
#[derive(Clone)]
struct Printer {
    format: Format,
    color: bool,
    /// The site folder as given, put before file names in GitHub annotations.
    root: String,
}

#[derive(Subcommand)]
enum New {
    /// A new article, dated today, as a draft: content/<section>/<date>-<slug>.md.
    Article {
        /// The title (the slug and file name are made from it).
        title: String,
        /// Author slug (a profile in the authors section).
        #[arg(long)]
        author: Option<String>,
        /// Region.
        #[arg(long)]
        region: Option<String>,
        /// Section folder below content/.
        #[arg(long, default_value = "artikel")]
        section: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A new newsletter edition, as a draft, listing the articles published since the
    /// previous edition: content/<editions>/<NAME>.md.
    Edition {
        /// The file name, e.g. 2007-12 (a YYYY-MM name dates it at the month's end).
        name: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let printer = |format: FormatArg, root: &std::path::Path| Printer {
        format: format.into(),
        color,
        root: root.to_string_lossy().into_owned(),
    };
    match cli.command {
        Command::Init { dir } => match presswerk::init::init(&dir) {
            Ok(n) => {
                println!(
                    "Created a new site in {} ({n} files). Next: presswerk build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(e, &printer(FormatArg::Human, &dir), "nothing was written"),
        },
        Command::New {
            what:
                New::Article {
                    title,
                    author,
                    region,
                    section,
                    root,
                },
        } => {
            let new = presswerk::new::NewArticle {
                title,
                author,
                region,
                section: Some(section),
            };
            match presswerk::new::article(&root, &new) {
                Ok(path) => {
                    println!(
                        "Created {} (a draft: remove `draft: true` to publish)",
                        path.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e, &printer(FormatArg::Human, &root), "nothing was written"),
            }
        }
        Command::New {
            what: New::Edition { name, root },
        } => match presswerk::new::edition(&root, &name) {
            Ok(made) => {
                let since = made
                    .previous
                    .map_or_else(String::new, |p| format!(" since {p}"));
                println!(
                    "Created {} (edition {}, {} article(s){since}; a draft: write the editorial, check the list, then remove `draft: true`)",
                    made.path.display(),
                    made.number,
                    made.articles
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(e, &printer(FormatArg::Human, &root), "nothing was written"),
        },
        Command::Check {
            root,
            drafts,
            format,
            deny_warnings,
            external,
            timeout,
            per_host,
        } => {
            let p = printer(format, &root);
            let overrides = Overrides {
                base_url: None,
                drafts,
            };
            let opts = presswerk::check::Options {
                external: external.then(|| presswerk::check::external::Options {
                    timeout: std::time::Duration::from_secs(timeout),
                    per_host: usize::from(per_host),
                    ..Default::default()
                }),
            };
            match presswerk::check::check(&root, &overrides, &opts) {
                Ok(mut report) => {
                    if deny_warnings {
                        report.diagnostics.deny_warnings();
                    }
                    print_diagnostics(&report.diagnostics, &p);
                    let d = &report.diagnostics;
                    let (errors, warnings) = (d.error_count(), d.warning_count());
                    let what = if report.built {
                        let ext = if opts.external.is_some() {
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
                        eprintln!("{line}");
                        ExitCode::from(1)
                    } else {
                        status(&p, format_args!("{line}"));
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => fail(e, &p, "check failed"),
            }
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
        } => {
            let opts = presswerk::serve::Options {
                root: root.clone(),
                bind,
                port,
                drafts,
                open,
                color,
            };
            match presswerk::serve::serve(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e, &printer(FormatArg::Human, &root), "the server stopped"),
            }
        }
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            format,
        } => {
            let p = printer(format, &root);
            let output = output.unwrap_or_else(|| root.join("public"));
            let overrides = Overrides { base_url, drafts };
            match presswerk::build(&root, &output, &overrides) {
                Ok(s) => {
                    print_diagnostics(&s.warnings, &p);
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
                    status(
                        &p,
                        format_args!(
                            "Built {} pages{editions}, {} sections, {} authors, {} terms{held}: {} files ({:.1} MiB) in {} ms → {}",
                            s.pages,
                            s.sections,
                            s.authors,
                            s.terms,
                            s.files,
                            s.bytes as f64 / (1024.0 * 1024.0),
                            s.elapsed.as_millis(),
                            output.display()
                        ),
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(
                    e,
                    &p,
                    "build failed; the previous output was left untouched",
                ),
            }
        }
    }
}

/// Prints diagnostics in the chosen format: human reports to stderr; JSON lines and workflow
/// commands to stdout, where CI tools read them.
fn print_diagnostics(diags: &Diagnostics, p: &Printer) {
    // A closed stdout or stderr is no reason to panic; there is nobody left to tell.
    match p.format {
        Format::Human => {
            let mut err = std::io::stderr().lock();
            for d in diags.clone().sorted() {
                let _ = writeln!(err, "{}\n", d.render(p.color));
            }
        }
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in diags.clone().sorted() {
                let _ = writeln!(out, "{}", d.to_json());
            }
        }
        Format::Github => {
            let mut out = std::io::stdout().lock();
            for d in diags.clone().sorted() {
                let _ = writeln!(out, "{}", d.to_github(&p.root));
            }
        }
    }
}

/// A one-line status: to stdout for people, to stderr when stdout carries machine output.
fn status(p: &Printer, line: std::fmt::Arguments<'_>) {
    if p.format == Format::Human {
        let _ = writeln!(std::io::stdout(), "{line}");
    } else {
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

/// Prints an error; `what` names what failed ("build failed; the previous output was left
/// untouched", "nothing was written").
fn fail(e: Error, p: &Printer, what: &str) -> ExitCode {
    match e {
        Error::Site(diags) => {
            print_diagnostics(&diags, p);
            let (errors, warnings) = (diags.error_count(), diags.warning_count());
            let w = if warnings > 0 {
                format!(", {warnings} warning(s)")
            } else {
                String::new()
            };
            eprintln!("error: {errors} error(s){w}; {what}");
        }
        other => {
            let mut text = other.to_string();
            let mut cause = std::error::Error::source(&other);
            while let Some(c) = cause {
                text.push_str(&format!("\n  caused by: {c}"));
                cause = c.source();
            }
            if p.format == Format::Human {
                eprintln!("error: {text}");
            } else {
                // Machine readers get the fatal error in their format too.
                let mut d = Diagnostics::new();
                d.push(presswerk::Diagnostic::error("fatal", text));
                print_diagnostics(&d, p);
            }
        }
    }
    ExitCode::from(1)
}
