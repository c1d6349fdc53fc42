//! The `presswerk` command line: parses arguments, calls the library, maps results to exit
//! codes (0 success, 1 site errors, 2 bad command line).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
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
    },
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
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
            Err(e) => fail(e, color, "nothing was written"),
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
                Err(e) => fail(e, color, "nothing was written"),
            }
        }
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let overrides = Overrides { base_url, drafts };
            match presswerk::build(&root, &output, &overrides) {
                Ok(s) => {
                    print_diagnostics(&s.warnings, color);
                    let held = if s.held_back > 0 {
                        format!(", {} held back (drafts/scheduled)", s.held_back)
                    } else {
                        String::new()
                    };
                    println!(
                        "Built {} pages, {} sections, {} authors, {} terms{held}: {} files ({:.1} MiB) in {} ms → {}",
                        s.pages,
                        s.sections,
                        s.authors,
                        s.terms,
                        s.files,
                        s.bytes as f64 / (1024.0 * 1024.0),
                        s.elapsed.as_millis(),
                        output.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(
                    e,
                    color,
                    "build failed; the previous output was left untouched",
                ),
            }
        }
    }
}

fn print_diagnostics(diags: &Diagnostics, color: bool) {
    let mut err = std::io::stderr().lock();
    for d in diags.clone().sorted() {
        // A closed stderr is no reason to panic; there is nobody left to tell.
        let _ = writeln!(err, "{}\n", d.render(color));
    }
}

/// Prints an error; `what` names what failed ("build failed; the previous output was left
/// untouched", "nothing was written").
fn fail(e: Error, color: bool, what: &str) -> ExitCode {
    match e {
        Error::Site(diags) => {
            print_diagnostics(&diags, color);
            let (errors, warnings) = (diags.error_count(), diags.warning_count());
            let w = if warnings > 0 {
                format!(", {warnings} warning(s)")
            } else {
                String::new()
            };
            eprintln!("error: {errors} error(s){w}; {what}");
        }
        other => {
            eprintln!("error: {other}");
            let mut cause = std::error::Error::source(&other);
            while let Some(c) = cause {
                eprintln!("  caused by: {c}");
                cause = c.source();
            }
        }
    }
    ExitCode::from(1)
}
