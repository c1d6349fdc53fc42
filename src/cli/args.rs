//! What the user typed, and nothing more: the clap definitions of every command and flag.
//!
//! Kept apart from [`super::settings`], which turns these into the values the commands run
//! with (defaults that depend on other flags, the environment), so that the command line's
//! shape can be read in one place. Flags that several commands share are declared once, as a
//! small struct that each command flattens in.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The whole command line.
#[derive(Parser)]
#[command(
    name = "presswerk",
    version,
    about = "A fast static site generator for newsletters"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// `--root`: the site folder.
#[derive(Args)]
pub(crate) struct RootArg {
    /// The site folder (holding site.toml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
}

/// `--drafts`: include drafts and scheduled pages.
#[derive(Args)]
pub(crate) struct DraftsArg {
    /// Include drafts and pages not yet published.
    #[arg(long)]
    pub(crate) drafts: bool,
}

/// `--format`: how problems are printed.
#[derive(Args)]
pub(crate) struct FormatArg {
    /// How to print problems: human, json (one object per line), github (annotations).
    #[arg(long, value_enum, default_value_t = FormatChoice::Human)]
    pub(crate) format: FormatChoice,
}

/// The values of `--format`.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum FormatChoice {
    Human,
    Json,
    Github,
}

/// The commands.
#[derive(Subcommand)]
pub(crate) enum Command {
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
    #[command(mut_arg("drafts", |a| a.help("Show drafts and scheduled pages")))]
    Serve {
        #[command(flatten)]
        root: RootArg,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Port (the next free one is taken if it is busy).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[command(flatten)]
        drafts: DraftsArg,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Also answer requests for this host name (repeatable); 127.0.0.1, localhost, [::1]
        /// and the --bind address are always answered, other names are refused.
        #[arg(long = "allow-host", value_name = "NAME", value_parser = crate::serve::guard::host_name)]
        allow_host: Vec<String>,
    },
    /// Build the site into the output folder (default: <root>/public).
    Build {
        #[command(flatten)]
        root: RootArg,
        /// The output folder.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override base_url from site.toml.
        #[arg(long)]
        base_url: Option<String>,
        #[command(flatten)]
        drafts: DraftsArg,
        #[command(flatten)]
        format: FormatArg,
        /// Render everything, without reading or writing the build cache (.presswerk-cache/).
        #[arg(long)]
        no_cache: bool,
    },
    /// Turn a Hugo or Jekyll site into a presswerk site in DEST (new or empty; default:
    /// SRC-presswerk beside SRC), keeping every old URL as a redirect.
    Import {
        /// The tool that builds the old site.
        #[arg(value_enum)]
        tool: ToolChoice,
        /// The old site's folder.
        src: PathBuf,
        /// The folder to create (must be new or empty).
        dest: Option<PathBuf>,
    },
    /// Build the site in memory (writing nothing) and check links, anchors, assets, authors,
    /// aliases and front matter. Exit code 1 if anything is wrong.
    Check {
        #[command(flatten)]
        root: RootArg,
        #[command(flatten)]
        drafts: DraftsArg,
        #[command(flatten)]
        format: FormatArg,
        #[command(flatten)]
        check: CheckArgs,
    },
}

/// The tools `presswerk import` reads.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ToolChoice {
    Hugo,
    Jekyll,
}

/// The flags only `check` has.
#[derive(Args)]
pub(crate) struct CheckArgs {
    /// Fail on warnings too.
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// Also request every external link (needs the network).
    #[arg(long)]
    pub(crate) external: bool,
    /// Seconds to wait for one external link.
    #[arg(long, default_value_t = 10, requires = "external")]
    pub(crate) timeout: u64,
    /// Requests to one host at the same time, with --external.
    #[arg(long, default_value_t = 2, requires = "external", value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) per_host: u16,
}

/// What `presswerk new` makes.
#[derive(Subcommand)]
pub(crate) enum New {
    /// A new article, dated today, as a draft: content/<section>/<date>-<slug>.md.
    #[command(mut_arg("root", |a| a.help("The site folder")))]
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
        #[command(flatten)]
        root: RootArg,
    },
    /// A new newsletter edition, as a draft, listing the articles published since the
    /// previous edition: content/<editions>/<NAME>.md.
    #[command(mut_arg("root", |a| a.help("The site folder")))]
    Edition {
        /// The file name, e.g. 2007-12 (a YYYY-MM name dates it at the month's end).
        name: String,
        #[command(flatten)]
        root: RootArg,
    },
}
