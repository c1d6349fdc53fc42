//! `presswerk serve`: builds in memory, serves the build from memory, watches the site, and
//! rebuilds incrementally on every save, pushing a reload to the browser.
//!
//! The last good build is served until a save builds again: a broken save shows its
//! diagnostics over the page (and in the terminal), and the next good save clears them.
//! Nothing is written to disk.

pub mod http;
mod watch;

use std::net::{IpAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::builder::{Builder, ChangeKind};
use crate::config::Overrides;
use crate::{Diagnostics, Error};
use http::{Event, Shared};

/// How `serve` runs.
#[derive(Debug, Clone)]
pub struct Options {
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
    /// Colored terminal output.
    pub color: bool,
}

/// How many ports after the requested one are tried.
const PORT_TRIES: u16 = 10;

/// Binds `bind:port`, or the next free port after it.
pub fn bind(bind: IpAddr, port: u16) -> std::io::Result<TcpListener> {
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

fn render_diagnostics(diags: &Diagnostics, color: bool) -> String {
    diags
        .clone()
        .sorted()
        .iter()
        .map(|d| d.render(color))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Runs the preview server until the process is stopped.
pub fn serve(opts: &Options) -> Result<(), Error> {
    // The watcher reports absolute paths; the builder must see the same root.
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::io(&opts.root, e))?;
    let listener =
        bind(opts.bind, opts.port).map_err(|e| Error::io(Path::new("(listening socket)"), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io(Path::new("(listening socket)"), e))?;
    // Links in the preview point at the preview. An unspecified address (0.0.0.0) is not
    // one a browser can open, so those links use loopback.
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
    let url = format!("http://{host}:{}", addr.port());
    let overrides = Overrides {
        base_url: Some(url.clone()),
        drafts: opts.drafts,
    };
    let shared = Arc::new(Shared::default());
    let mut builder = Builder::new(&root, overrides);
    // Watch before the first build: a save during it is not lost, it just rebuilds after.
    let changes =
        watch::watch(&root).map_err(|e| Error::io(&root, std::io::Error::other(e.to_string())))?;

    let start = Instant::now();
    match builder.build() {
        Ok(built) => {
            eprint!("{}", warnings(&built.warnings, opts.color));
            println!(
                "Built {} pages in {} ms",
                built.site.pages.len(),
                start.elapsed().as_millis()
            );
            *shared.output.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(built.output);
        }
        Err(e) => report_failure(&shared, e, opts.color),
    }
    if opts.port != 0 && addr.port() != opts.port {
        println!(
            "Port {} is taken; using {} instead.",
            opts.port,
            addr.port()
        );
    }
    println!("Serving {} at {url}/ (Ctrl+C to stop)", opts.root.display());
    if opts.open {
        open_browser(&format!("{url}/"));
    }

    let server_shared = Arc::clone(&shared);
    std::thread::spawn(move || http::run(listener, server_shared));

    for batch in changes {
        if std::env::var_os("PRESSWERK_DEBUG_WATCH").is_some() {
            eprintln!("[watch] batch {:?}", batch.paths);
        }
        let kind = builder.changed(&batch.paths);
        if kind == ChangeKind::Ignored {
            continue;
        }
        let t = Instant::now();
        match builder.build() {
            Ok(built) => {
                eprint!("{}", warnings(&built.warnings, opts.color));
                let old = std::mem::replace(
                    &mut *shared.output.write().unwrap_or_else(|e| e.into_inner()),
                    Arc::new(built.output),
                );
                *shared.error.write().unwrap_or_else(|e| e.into_inner()) = None;
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
                println!(
                    "Rebuilt in {:.1} ms ({} of {} outputs rendered, {} browser(s) told; {:.1} ms after the save)",
                    t.elapsed().as_secs_f64() * 1000.0,
                    stats.outputs_rendered,
                    stats.outputs_rendered + stats.outputs_reused,
                    n,
                    batch.first_event.elapsed().as_secs_f64() * 1000.0,
                );
            }
            Err(e) => report_failure(&shared, e, opts.color),
        }
    }
    Ok(())
}

fn warnings(diags: &Diagnostics, color: bool) -> String {
    if diags.is_empty() {
        String::new()
    } else {
        format!("{}\n\n", render_diagnostics(diags, color))
    }
}

/// A failed build: diagnostics to the terminal and to every browser; the last good output
/// stays.
fn report_failure(shared: &Shared, e: Error, color: bool) {
    let (terminal, plain) = match &e {
        Error::Site(diags) => (
            render_diagnostics(diags, color),
            render_diagnostics(diags, false),
        ),
        other => (format!("error: {other}"), format!("error: {other}")),
    };
    eprintln!("{terminal}\n\nThe save does not build; still serving the last good build.");
    *shared.error.write().unwrap_or_else(|e| e.into_inner()) = Some(plain.clone());
    shared.broadcast(&Event::BuildError(plain));
}

fn open_browser(url: &str) {
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
        println!("Could not open a browser; open {url} yourself.");
    }
}
