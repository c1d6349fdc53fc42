//! `presswerk serve`: builds in memory, serves the build from memory, watches the site, and
//! rebuilds incrementally on every save, pushing a reload to the browser.
//!
//! A Markdown file with errors of its own is left out of the build, and every other page is
//! served; its diagnostics show over its own page ([`broken`]) and in the terminal until it
//! is fixed. A save that breaks what every page needs (a template, `site.toml`) keeps the
//! last good build served, with the diagnostics over every page, until a save builds again.
//! Nothing is written to disk, and nothing is printed: what the terminal should hear goes
//! to a [`Report`] as a [`Notice`], and the command line decides how it reads.

mod broken;
pub(crate) mod guard;
pub(crate) mod http;
mod request;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::builder::{Builder, ChangeKind};
use crate::config::Overrides;
use crate::diagnostics::Diagnostics;
use crate::error::Error;
use http::{Event, Shared};

/// How `serve` runs.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// The site folder.
    pub root: PathBuf,
    /// Address to bind; 127.0.0.1 unless told otherwise.
    pub bind: IpAddr,
    /// First port to try; the next ones are tried when it is taken.
    pub port: u16,
    /// Show drafts and scheduled pages.
    pub drafts: bool,
    /// Open the browser.
    pub open: bool,
    /// Host names answered besides 127.0.0.1, localhost, [::1] and the bound address.
    pub allow_hosts: Vec<String>,
    /// How long a client may take to send a request head.
    pub head_timeout: Duration,
}

/// Something `serve` has to tell the person running it.
#[derive(Debug)]
pub(crate) enum Notice<'a> {
    /// The first build succeeded.
    Built {
        /// Pages rendered.
        pages: usize,
        /// How long it took.
        elapsed: Duration,
        /// Its warnings.
        warnings: &'a Diagnostics,
    },
    /// The requested port was taken; another one is used.
    PortTaken {
        /// The port asked for.
        wanted: u16,
        /// The port used.
        got: u16,
    },
    /// The server listens on an address other machines can reach.
    Exposed {
        /// The address bound.
        bind: IpAddr,
    },
    /// The server listens.
    Serving {
        /// The site folder, as given.
        root: &'a Path,
        /// The preview's address, without the trailing slash.
        url: &'a str,
    },
    /// No browser could be started for `--open`.
    NoBrowser {
        /// The address to open by hand.
        url: &'a str,
    },
    /// A save was built again and the browsers were told.
    Rebuilt {
        /// How long the rebuild took.
        elapsed: Duration,
        /// Outputs rendered with a template.
        rendered: usize,
        /// All outputs, rendered or reused.
        outputs: usize,
        /// Browsers told to reload.
        browsers: usize,
        /// From the save's first file event to now.
        since_save: Duration,
        /// The rebuild's warnings.
        warnings: &'a Diagnostics,
    },
    /// A build failed; the last good build is still served.
    Failed(&'a Error),
    /// The build served left out these documents, which have errors; every other page is
    /// served. Follows [`Notice::Built`] or [`Notice::Rebuilt`].
    LeftOut(&'a Diagnostics),
    /// A raw event from the file watcher (for debugging the watcher).
    WatchEvent(&'a dyn std::fmt::Debug),
    /// The paths of one save, as the watcher hands them over (for debugging the watcher).
    WatchBatch(&'a [PathBuf]),
}

/// Where `serve` sends its [`Notice`]s; called from more than one thread.
pub(crate) trait Report: Send + Sync {
    /// Tells one thing.
    fn notice(&self, notice: Notice<'_>);
}

/// How many ports after the requested one are tried.
const PORT_TRIES: u16 = 10;

/// Binds `bind:port`, or the next free port after it.
pub(crate) fn bind(bind: IpAddr, port: u16) -> std::io::Result<TcpListener> {
    let mut last = None;
    for p in port..=port.saturating_add(PORT_TRIES) {
        match TcpListener::bind((bind, p)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::new(std::io::ErrorKind::AddrInUse, "no free port")))
}

/// Diagnostics as the terminal and the browser's error overlay show them: sorted, a blank
/// line between two.
pub(crate) fn render_diagnostics(diags: &Diagnostics, color: bool) -> String {
    diags
        .clone()
        .sorted()
        .iter()
        .map(|d| d.render(color))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Runs the preview server until the process is stopped, telling `report` what happens.
pub(crate) fn serve(opts: &Options, report: Arc<dyn Report>) -> Result<(), Error> {
    // The watcher reports absolute paths; the builder must see the same root.
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::read(&opts.root, e))?;
    let bind_error = |source| Error::Bind {
        addr: SocketAddr::new(opts.bind, opts.port),
        source,
    };
    let listener = bind(opts.bind, opts.port).map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    let url = preview_url(addr);
    let overrides = Overrides {
        base_url: Some(url.clone()),
        drafts: opts.drafts,
    };
    let shared = Arc::new(Shared::default());
    let mut builder = Builder::new(&root, overrides);
    builder.keep_pictures();
    // One broken file must not hide the others: serve builds without it.
    builder.leave_out_broken_documents();
    let mut pages = broken::Pages::default();
    // Watch before the first build: a save during it is not lost, it just rebuilds after.
    let changes = watch::watch(&root, Arc::clone(&report)).map_err(|source| Error::Watch {
        path: root.clone(),
        source,
    })?;

    first_build(&mut builder, &shared, &mut pages, &*report);
    announce(opts, addr, &url, &*report);

    let server_shared = Arc::clone(&shared);
    let config = http::Config {
        guard: guard::Guard::new(opts.bind, addr.port(), &opts.allow_hosts),
        limits: request::Limits {
            head_timeout: opts.head_timeout,
            ..request::Limits::default()
        },
    };
    std::thread::spawn(move || http::run(listener, server_shared, config));

    for batch in changes {
        report.notice(Notice::WatchBatch(&batch.paths));
        let kind = builder.changed(&batch.paths);
        if kind == ChangeKind::Ignored {
            continue;
        }
        rebuild(&mut builder, &shared, &mut pages, &batch, kind, &*report);
    }
    Ok(())
}

/// The build served at start; a site that does not build yet is served as its errors.
fn first_build(
    builder: &mut Builder,
    shared: &Shared,
    pages: &mut broken::Pages,
    report: &dyn Report,
) {
    let start = Instant::now();
    match builder.build() {
        Ok(built) => {
            report.notice(Notice::Built {
                pages: built.site.pages.len(),
                elapsed: start.elapsed(),
                warnings: &built.warnings,
            });
            show_left_out(builder, shared, pages, &built.site);
            report_left_out(builder, report);
            *shared.output.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(built.output);
        }
        Err(e) => report_failure(shared, &e, report),
    }
}

/// Tells where the preview is: another port than asked for, a warning when the network can
/// reach it, its address; and opens the browser if asked.
fn announce(opts: &Options, addr: SocketAddr, url: &str, report: &dyn Report) {
    if opts.port != 0 && addr.port() != opts.port {
        report.notice(Notice::PortTaken {
            wanted: opts.port,
            got: addr.port(),
        });
    }
    if reachable_from_network(opts.bind) {
        report.notice(Notice::Exposed { bind: opts.bind });
    }
    report.notice(Notice::Serving {
        root: &opts.root,
        url,
    });
    if opts.open {
        open_browser(&format!("{url}/"), report);
    }
}

/// Whether other machines can reach an address the preview listens on: any but loopback
/// (127.0.0.0/8, ::1, and 127.x written as an IPv4-mapped IPv6 address).
fn reachable_from_network(bind: IpAddr) -> bool {
    !bind.to_canonical().is_loopback()
}

/// The preview's address. Links in the preview point at the preview. An unspecified
/// address (0.0.0.0) is not one a browser can open, so those links use loopback.
fn preview_url(addr: SocketAddr) -> String {
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    };
    format!("http://{host}:{}", addr.port())
}

/// Builds again after the save `batch` (of `kind`): a good build replaces the served output
/// and tells the browsers (only the CSS if nothing but CSS changed); a failed one leaves the
/// last good build in place.
fn rebuild(
    builder: &mut Builder,
    shared: &Shared,
    pages: &mut broken::Pages,
    batch: &watch::Batch,
    kind: ChangeKind,
    report: &dyn Report,
) {
    let t = Instant::now();
    match builder.build() {
        Ok(built) => {
            let warnings = built.warnings;
            // Before the output: a request in between shows the old page with the new
            // errors, never a new build without them.
            show_left_out(builder, shared, pages, &built.site);
            let old = std::mem::replace(
                &mut *shared.output.write().unwrap_or_else(|e| e.into_inner()),
                Arc::new(built.output),
            );
            shared
                .generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            // Freeing the old build (thousands of entries) is nobody's wait.
            std::thread::spawn(move || drop(old));
            let only_css = kind == ChangeKind::Theme
                && batch
                    .paths
                    .iter()
                    .all(|p| p.extension().is_some_and(|e| e == "css"));
            let event = if only_css { Event::Css } else { Event::Reload };
            let n = shared.broadcast(&event);
            let stats = builder.stats();
            report.notice(Notice::Rebuilt {
                elapsed: t.elapsed(),
                rendered: stats.outputs_rendered,
                outputs: stats.outputs_rendered + stats.outputs_reused,
                browsers: n,
                since_save: batch.first_event.elapsed(),
                warnings: &warnings,
            });
            report_left_out(builder, report);
        }
        Err(e) => report_failure(shared, &e, report),
    }
}

/// Sets what the browsers are shown of the documents the last build left out: their
/// errors on their pages ([`broken`]), and on every page those whose page is unknown (or
/// nothing, which clears the errors of an earlier failed save).
fn show_left_out(
    builder: &Builder,
    shared: &Shared,
    pages: &mut broken::Pages,
    site: &crate::site::Site,
) {
    pages.learn(site);
    let overlays = pages.overlays(builder.left_out());
    *shared.broken.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(overlays.pages);
    *shared.error.write().unwrap_or_else(|e| e.into_inner()) = overlays.everywhere;
}

/// Tells `report` which documents the last build left out, if any.
fn report_left_out(builder: &Builder, report: &dyn Report) {
    if !builder.left_out().is_empty() {
        report.notice(Notice::LeftOut(builder.left_out()));
    }
}

/// A failed build: diagnostics to the terminal and to every browser; the last good output
/// stays.
fn report_failure(shared: &Shared, e: &Error, report: &dyn Report) {
    report.notice(Notice::Failed(e));
    let plain = match e {
        Error::Site(diags) => render_diagnostics(diags, false),
        other => format!("error: {}", other.with_causes()),
    };
    *shared.error.write().unwrap_or_else(|e| e.into_inner()) = Some(plain.clone());
    shared.broadcast(&Event::BuildError(plain));
}

fn open_browser(url: &str, report: &dyn Report) {
    let opener = if cfg!(target_os = "macos") {
        ("open", vec![url.to_string()])
    } else if cfg!(windows) {
        (
            "cmd",
            vec!["/C".to_string(), "start".to_string(), url.to_string()],
        )
    } else {
        ("xdg-open", vec![url.to_string()])
    };
    if std::process::Command::new(opener.0)
        .args(&opener.1)
        .spawn()
        .is_err()
    {
        report.notice(Notice::NoBrowser { url });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_url_is_one_a_browser_can_open() {
        let url = |a: &str| preview_url(a.parse().expect("a socket address"));
        assert_eq!(url("127.0.0.1:1111"), "http://127.0.0.1:1111");
        assert_eq!(url("0.0.0.0:8080"), "http://127.0.0.1:8080");
        assert_eq!(url("[::1]:1111"), "http://[::1]:1111");
    }

    #[test]
    fn only_loopback_addresses_keep_the_preview_on_this_machine() {
        let reachable = |a: &str| reachable_from_network(a.parse().expect("an address"));
        for local in ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"] {
            assert!(!reachable(local), "{local}");
        }
        for open in [
            "0.0.0.0",
            "::",
            "192.168.1.5",
            "::ffff:192.168.1.5",
            "fe80::1",
        ] {
            assert!(reachable(open), "{open}");
        }
    }
}
