//! A small HTTP/1.1 server for the preview: GET and HEAD of the in-memory [`Output`], and a
//! Server-Sent Events stream that tells browsers to reload.
//!
//! It is written for exactly this job rather than taken from a general server: it serves a
//! map from memory, must stream events without buffering, and must refuse every path that
//! could name something outside the output. One thread per connection, `Connection: close`,
//! a cap on connections at once and timeouts on slow clients keep it simple and robust.
//! Heads are read and parsed by [`super::request`]; whom it answers is [`super::guard`]'s.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use super::guard::Guard;
use super::request::{self, Limits, Outcome};
use crate::output::{Entry, Output};
use crate::text::UrlPath;

/// What a browser is told over the event stream.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    /// Reload the page.
    Reload,
    /// Only stylesheets changed: swap them without reloading.
    Css,
    /// The last save does not build; show this text over the page.
    BuildError(String),
}

/// What the server serves, shared with the rebuild loop.
#[derive(Default)]
pub(crate) struct Shared {
    /// The last good build.
    pub output: RwLock<Arc<Output>>,
    /// The diagnostics of the last save, when it did not build: shown on every page.
    pub error: RwLock<Option<String>>,
    /// The pages of the documents the served build left out (output file → their
    /// diagnostics): shown on those pages only.
    pub broken: RwLock<Arc<BTreeMap<String, String>>>,
    clients: Mutex<Vec<mpsc::Sender<Event>>>,
    slots: Slots,
    /// Counts good builds. Served pages carry it; a browser whose event stream (re)connects
    /// learns the current one and reloads if its page is older, so a save that lands
    /// between loading a page and connecting is never missed.
    pub generation: std::sync::atomic::AtomicU64,
}

impl Shared {
    /// Sends an event to every connected browser; forgets those that went away.
    pub(crate) fn broadcast(&self, event: &Event) -> usize {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|c| c.send(event.clone()).is_ok());
        clients.len()
    }

    fn subscribe(&self) -> mpsc::Receiver<Event> {
        let (tx, rx) = mpsc::channel();
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        rx
    }
}

/// Connections handled at once: enough for a browser with many tabs, few enough that a
/// runaway client cannot exhaust threads. A connection that sends no complete head holds its
/// place for [`Limits::head_timeout`] at most.
const MAX_CONNECTIONS: usize = 256;
/// How long a connection beyond [`MAX_CONNECTIONS`] waits for a place before it gets a 503.
/// A burst of requests (a page's images, a link checker) is queued, not refused: places of
/// ordinary requests free within milliseconds, and a stalled client's within the head
/// timeout; only event streams (one per open tab) hold theirs for long.
const QUEUE_WAIT: Duration = Duration::from_secs(15);
/// After a refusal, what the client still sends is read and dropped for this long (and up
/// to [`DRAIN_BYTES`]), so that closing does not reset the connection before it has read
/// the answer.
const DRAIN_TIME: Duration = Duration::from_secs(1);
const DRAIN_BYTES: u64 = 256 * 1024;

const LIVERELOAD: &str = include_str!("livereload.js");

/// Whom the server answers and how much it takes from them.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// Host, Origin, methods and bodies.
    pub guard: Guard,
    /// Sizes and the time a request head may take.
    pub limits: Limits,
}

/// Places for connections being handled, taken and given back by [`run`]'s threads.
#[derive(Default)]
struct Slots {
    taken: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    /// Takes a place, waiting up to `wait` for one to be given back; `false` if none was.
    fn take(&self, wait: Duration) -> bool {
        let taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        let (mut taken, _) = self
            .freed
            .wait_timeout_while(taken, wait, |t| *t >= MAX_CONNECTIONS)
            .unwrap_or_else(|e| e.into_inner());
        if *taken >= MAX_CONNECTIONS {
            return false;
        }
        *taken += 1;
        true
    }

    fn give_back(&self) {
        let mut taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        *taken = taken.saturating_sub(1);
        self.freed.notify_one();
    }
}

/// Accepts connections forever, one thread each. While all places are taken the next
/// connection waits for one (and the ones after it in the listen queue); after
/// [`QUEUE_WAIT`] it gets a 503.
pub(crate) fn run(listener: TcpListener, shared: Arc<Shared>, config: Config) {
    let config = Arc::new(config);
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let shared = Arc::clone(&shared);
        if !shared.slots.take(QUEUE_WAIT) {
            let mut s = stream;
            let _ = s.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            continue;
        }
        let config = Arc::clone(&config);
        std::thread::spawn(move || {
            // Errors here are a client that went away or sent garbage: nothing to report.
            let _ = handle(stream, &shared, &config);
            shared.slots.give_back();
        });
    }
}

/// A response before it is written.
struct Response {
    status: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    /// Header fields beyond the ones every response has.
    fields: Vec<(&'static str, String)>,
}

impl Response {
    fn text(status: &'static str, body: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
            fields: Vec::new(),
        }
    }
}

fn handle(mut stream: TcpStream, shared: &Shared, config: &Config) -> std::io::Result<()> {
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let head = match request::read_head(&mut stream, &config.limits) {
        Outcome::Head(head) => head,
        Outcome::Refused(status, text) => {
            return refuse(stream, Response::text(status, text), false);
        }
        Outcome::TimedOut => {
            let text = "The request did not arrive in time.\n";
            return refuse(stream, Response::text("408 Request Timeout", text), false);
        }
        Outcome::Gone => return Ok(()),
    };
    let head_only = head.method == "HEAD";
    if let Err((status, text)) = config.guard.admit(&head) {
        let mut response = Response::text(status, text);
        if status.starts_with("405") {
            response.fields.push(("Allow", "GET, HEAD".to_string()));
        }
        return refuse(stream, response, head_only);
    }
    let target = head.target.as_str();
    if target == "/__presswerk/events" {
        return match head.one("origin") {
            Ok(None) => events(&mut stream, shared),
            Ok(Some(origin)) if config.guard.origin_allowed(origin) => events(&mut stream, shared),
            _ => {
                let text = "The reload stream is only for pages of the preview itself.\n";
                refuse(stream, Response::text("403 Forbidden", text), head_only)
            }
        };
    }
    let response = match resolve(target) {
        Err(status) => Response::text(status, "refused\n"),
        Ok(Target::LiveReload) => Response {
            status: "200 OK",
            content_type: "text/javascript; charset=utf-8",
            body: LIVERELOAD.as_bytes().to_vec(),
            fields: Vec::new(),
        },
        Ok(Target::File(path)) => serve_file(shared, &path),
    };
    write(&mut stream, response, head_only)
}

/// Answers a refused request and closes: the sending half first, then what the client still
/// sends is read and dropped for a moment, so that it gets to read the answer.
fn refuse(mut stream: TcpStream, response: Response, head_only: bool) -> std::io::Result<()> {
    write(&mut stream, response, head_only)?;
    stream.shutdown(std::net::Shutdown::Write)?;
    let deadline = Instant::now() + DRAIN_TIME;
    let mut rest = (&stream).take(DRAIN_BYTES);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(());
        }
        stream.set_read_timeout(Some(left))?;
        if rest.read(&mut chunk)? == 0 {
            return Ok(());
        }
    }
}

/// What a request names.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A path in the output (`artikel/x/index.html` for `/artikel/x/`).
    File(String),
    /// The live reload script.
    LiveReload,
}

/// Turns a request target into an output path, refusing anything that could leave the
/// output: `..` segments (also percent-encoded), encoded slashes and backslashes, NUL bytes,
/// absolute-form targets and invalid UTF-8.
fn resolve(target: &str) -> Result<Target, &'static str> {
    if !target.starts_with('/') {
        return Err("400 Bad Request");
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == "/__presswerk/livereload.js" {
        return Ok(Target::LiveReload);
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Err("400 Bad Request");
    }
    let decoded = crate::text::percent::decode_strict(path).ok_or("400 Bad Request")?;
    let decoded = String::from_utf8(decoded).map_err(|_| "400 Bad Request")?;
    if decoded.contains(['\0', '\\']) {
        return Err("400 Bad Request");
    }
    let rel = decoded.trim_start_matches('/');
    if rel.split('/').any(|seg| seg == ".." || seg == ".") || decoded.starts_with("//") {
        return Err("403 Forbidden");
    }
    let file = UrlPath::new(rel).output_file();
    if crate::text::url_path::check_path(&file).is_err() {
        return Err("403 Forbidden");
    }
    Ok(Target::File(file))
}

/// What a request head names, as the server would act on it: the same reading of the head
/// and of its target as [`handle`] does, without a connection. For presswerk's fuzz tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// A path in the output, relative (`artikel/x/index.html`).
    File(String),
    /// The live reload script.
    LiveReload,
    /// Refused with this status (by the head's grammar or limits, or by the target).
    Refused(&'static str),
    /// Not a whole head yet: the server would read on.
    Partial,
}

/// Reads `head` (the bytes a client sent) the way the server does; see [`Request`].
pub fn examine(head: &[u8]) -> Request {
    match request::parse(head, &Limits::default()) {
        None => Request::Partial,
        Some(Outcome::Refused(status, _)) => Request::Refused(status),
        Some(Outcome::TimedOut | Outcome::Gone) => Request::Partial,
        Some(Outcome::Head(head)) => match resolve(&head.target) {
            Ok(Target::File(path)) => Request::File(path),
            Ok(Target::LiveReload) => Request::LiveReload,
            Err(status) => Request::Refused(status),
        },
    }
}

fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "eml" => "message/rfc822",
        _ => "application/octet-stream",
    }
}

fn read_entry(entry: &Entry) -> Option<Vec<u8>> {
    match entry {
        Entry::Bytes(b) => Some(b.to_vec()),
        Entry::Copy(p) | Entry::Known { path: p, .. } => std::fs::read(p).ok(),
        // Only `build` writes while rendering; `serve` keeps every output in memory.
        Entry::Written(_) => None,
    }
}

fn serve_file(shared: &Shared, path: &str) -> Response {
    let output = Arc::clone(&shared.output.read().unwrap_or_else(|e| e.into_inner()));
    let error = shared
        .error
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let broken = Arc::clone(&shared.broken.read().unwrap_or_else(|e| e.into_inner()));
    let errors = Errors {
        site: error.as_deref(),
        page: broken.get(path).map(String::as_str),
    };
    let generation = shared.generation.load(Ordering::SeqCst);
    if let Some(body) = output.get(path).and_then(read_entry) {
        let content_type = content_type(path);
        let body = if content_type.starts_with("text/html") {
            inject(body, errors, generation)
        } else {
            body
        };
        return Response {
            status: "200 OK",
            content_type,
            body,
            fields: Vec::new(),
        };
    }
    // `/artikel` → `/artikel/` when that is a page.
    if !path.ends_with(".html") && output.contains(&UrlPath::new(path).folder_file()) {
        return Response {
            status: "301 Moved Permanently",
            content_type: "text/plain; charset=utf-8",
            body: Vec::new(),
            fields: vec![("Location", format!("/{path}/"))],
        };
    }
    let body = output.get("404.html").and_then(read_entry).unwrap_or_else(|| {
        match (errors.site, errors.page) {
            // Nothing built yet, or a page whose file does not build: a page that shows the
            // errors and reloads when they are fixed.
            (Some(_), _) | (_, Some(_)) => b"<!doctype html><html><head><meta charset=\"utf-8\"><title>presswerk</title></head><body></body></html>".to_vec(),
            (None, None) => b"<!doctype html><html><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404</h1></body></html>".to_vec(),
        }
    });
    Response {
        status: "404 Not Found",
        content_type: "text/html; charset=utf-8",
        body: inject(body, errors, generation),
        fields: Vec::new(),
    }
}

/// The errors a served page shows.
#[derive(Debug, Clone, Copy)]
struct Errors<'a> {
    /// The last save's, when it did not build: every page shows them.
    site: Option<&'a str>,
    /// Those of the file whose page this is, when it was left out of the build.
    page: Option<&'a str>,
}

/// Adds the live reload script (and the errors, if any) before `</body>`.
fn inject(mut html: Vec<u8>, errors: Errors<'_>, generation: u64) -> Vec<u8> {
    let mut snippet = String::new();
    for (id, text) in [
        ("presswerk-initial-error", errors.site),
        ("presswerk-page-error", errors.page),
    ] {
        let Some(text) = text else { continue };
        snippet.push_str(&format!("<script type=\"text/plain\" id=\"{id}\">"));
        // Inside a script element only `</` could end it early.
        snippet.push_str(&text.replace("</", "<\\/"));
        snippet.push_str("</script>");
    }
    snippet.push_str(&format!(
        "<script src=\"/__presswerk/livereload.js\" data-generation=\"{generation}\"></script>"
    ));
    let at = find_last(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, snippet.into_bytes());
    html
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

fn write(out: &mut TcpStream, r: Response, head_only: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        r.status,
        r.content_type,
        r.body.len()
    );
    for (name, value) in r.fields {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if !head_only {
        out.write_all(&r.body)?;
    }
    out.flush()
}

/// Streams events to one browser until it goes away. A comment line every 15 s shows a
/// disconnected client (the write fails) and keeps proxies from closing the stream.
fn events(out: &mut TcpStream, shared: &Shared) -> std::io::Result<()> {
    let rx = shared.subscribe();
    out.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n: presswerk\n\n")?;
    // Where things stand now: the browser compares it with the page it shows.
    let hello = serde_json::json!({
        "generation": shared.generation.load(Ordering::SeqCst),
        "error": *shared.error.read().unwrap_or_else(|e| e.into_inner()),
    });
    out.write_all(format!("event: hello\ndata: {hello}\n\n").as_bytes())?;
    out.flush()?;
    loop {
        let message = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(Event::Reload) => "event: reload\ndata: {}\n\n".to_string(),
            Ok(Event::Css) => "event: css\ndata: {}\n\n".to_string(),
            Ok(Event::BuildError(text)) => {
                let json = serde_json::json!({ "text": text }).to_string();
                format!("event: build-error\ndata: {json}\n\n")
            }
            Err(mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        out.write_all(message.as_bytes())?;
        out.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_map_to_output_paths() {
        assert_eq!(resolve("/"), Ok(Target::File("index.html".into())));
        assert_eq!(
            resolve("/artikel/x/"),
            Ok(Target::File("artikel/x/index.html".into()))
        );
        assert_eq!(
            resolve("/style.css?v=3"),
            Ok(Target::File("style.css".into()))
        );
        assert_eq!(
            resolve("/autoren/ann%20labus/"),
            Ok(Target::File("autoren/ann labus/index.html".into()))
        );
        assert_eq!(
            resolve("/regions/k%C3%B6ln/"),
            Ok(Target::File("regions/köln/index.html".into()))
        );
    }

    #[test]
    fn escapes_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/a%2f..%2fb",
            "/a%5c..%5cb",
            "/a%00b",
            "/a\\b",
            "http://evil/",
            "//etc/passwd",
            "/%ff%fe",
            "/a/./b",
            "/%",
        ] {
            assert!(resolve(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let errors = Errors {
            site: Some("error: </script> bad"),
            page: None,
        };
        let html = inject(b"<html><body>x</body></html>".to_vec(), errors, 7);
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains(
            "<script src=\"/__presswerk/livereload.js\" data-generation=\"7\"></script></body>"
        ));
        assert!(html.contains("error: <\\/script> bad"));
    }
}
