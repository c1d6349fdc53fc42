//! `presswerk serve`: the real binary serving a fixture site over HTTP, rebuilding on change,
//! telling browsers over Server-Sent Events, refusing every path outside the output, and
//! refusing strangers: foreign Host and Origin, other methods, bodies, oversized heads and
//! clients too slow to send one.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::harness::Site;

/// A running `presswerk serve`; killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    pub stdout: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(site: &Site, extra: &[&str]) -> Server {
        Server::start_with(site, extra, &[])
    }

    /// Starts with extra environment variables too.
    pub fn start_with(site: &Site, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let bin = assert_cmd::cargo::cargo_bin("presswerk");
        let mut child = Command::new(bin)
            .envs(env.iter().copied())
            .current_dir(&site.root)
            .arg("serve")
            .args(if extra.contains(&"--port") {
                &[][..]
            } else {
                &["--port", "0"][..]
            })
            .args(extra)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let (tx, rx) = mpsc::channel();
        for pipe in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().expect("stderr")) as Box<dyn Read + Send>,
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        let port = loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => {
                    // "Serving . at http://127.0.0.1:PORT/" (or [::1]:PORT).
                    if let Some(port) = line
                        .split(" at http://")
                        .nth(1)
                        .and_then(|rest| rest.split('/').next())
                        .and_then(|authority| authority.rsplit(':').next())
                        .and_then(|p| p.parse().ok())
                    {
                        break port;
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("serve never printed its address");
                }
            }
        };
        Server {
            child,
            port,
            stdout: rx,
        }
    }

    /// Waits for a line of output containing `needle`.
    pub fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match self
                .stdout
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("serve never printed {needle:?}"),
            }
        }
    }

    pub fn get(&self, target: &str) -> (u16, String, Vec<u8>) {
        request(
            self.port,
            &format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n"),
        )
    }
}

/// Sends a raw request; returns status, head and body.
pub fn request(port: u16, raw: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status");
    (status, head, all[split + 4..].to_vec())
}

/// An open event stream.
pub struct Events(BufReader<TcpStream>);

impl Events {
    pub fn open(port: u16) -> Events {
        Events::open_with(port, "")
    }

    /// Opens the stream with extra header fields (each ending in CRLF).
    fn open_with(port: u16, fields: &str) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(
            format!("GET /__presswerk/events HTTP/1.1\r\nHost: localhost\r\n{fields}\r\n")
                .as_bytes(),
        )
        .unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut r = BufReader::new(s);
        let mut line = String::new();
        while r.read_line(&mut line).unwrap() > 0 && !line.starts_with(": presswerk") {
            line.clear();
        }
        let mut events = Events(r);
        let (name, data) = events.next();
        assert_eq!(name, "hello", "a new stream starts with where things stand");
        assert!(data.contains("\"generation\""), "{data}");
        events
    }

    /// The next event's name and data; fails after 30 s (the server's keep-alive comments
    /// would otherwise keep a read waiting forever).
    pub fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), String::new());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            assert!(Instant::now() < deadline, "no event within 30 s");
            let mut line = String::new();
            assert!(
                self.0.read_line(&mut line).expect("event stream open") > 0,
                "stream closed"
            );
            let line = line.trim_end();
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = d.to_string();
            } else if line.is_empty() && !name.is_empty() {
                return (name, data);
            }
        }
    }
}

#[test]
fn serves_from_memory_with_types_index_pages_404_and_no_public() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let (status, head, body) = server.get("/artikel/bruecken-fuer-koeln/");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html; charset=utf-8"));
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains(&format!(
            "href=\"http://127.0.0.1:{}/style.css\"",
            server.port
        )),
        "links point at the preview"
    );
    assert!(html.contains(
        "<script src=\"/__presswerk/livereload.js\" data-generation=\"0\"></script></body>"
    ));
    let (status, head, _) = server.get("/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/css"));
    assert!(
        server
            .get("/artikel/bruecken-fuer-koeln/plan.svg")
            .1
            .contains("image/svg+xml")
    );
    assert!(server.get("/atom.xml").1.contains("application/xml"));
    let (status, head, _) = server.get("/artikel");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /artikel/"));
    let (status, _, body) = server.get("/gibt-es-nicht/");
    assert_eq!(status, 404);
    assert!(
        String::from_utf8_lossy(&body).contains("Seite fehlt – Testblatt"),
        "the theme's 404 page"
    );
    let (status, head, body) = request(server.port, "HEAD / HTTP/1.1\r\n\r\n");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Length:") && body.is_empty());
    assert_eq!(
        request(server.port, "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").0,
        405
    );
    // The built site is only in memory.
    assert!(!site.path("public").exists());
    // Only served HTML gets the script; a build does not.
    site.build();
    assert!(!site.read("public/index.html").contains("livereload"));
}

#[test]
fn refuses_paths_outside_the_output() {
    let site = Site::fixture("basic");
    // A file beside the site that a traversal would reach.
    std::fs::write(site.root.parent().unwrap().join("geheim.txt"), "GEHEIM").unwrap();
    let server = Server::start(&site, &[]);
    for target in [
        "/../geheim.txt",
        "/%2e%2e/geheim.txt",
        "/%2E%2E/%2E%2E/geheim.txt",
        "/artikel/..%2f..%2fgeheim.txt",
        "/artikel/..%5c..%5cgeheim.txt",
        "/..\\geheim.txt",
        "/%00",
        "//geheim.txt",
        "/site.toml",
        "/content/_index.md",
    ] {
        let (status, _, body) = server.get(target);
        assert!(
            status == 400 || status == 403 || status == 404,
            "{target}: {status}"
        );
        assert!(
            !String::from_utf8_lossy(&body).contains("GEHEIM"),
            "{target} leaked"
        );
    }
    let (status, _, _) = request(server.port, "GET http://example.org/ HTTP/1.1\r\n\r\n");
    assert_eq!(status, 400);
}

#[test]
fn many_clients_and_clients_that_hang_up_do_not_hurt_it() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let port = server.port;
    // Clients that connect and close at once, or send half a request and go away.
    for i in 0..50 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        if i % 2 == 0 {
            let _ = s.write_all(b"GET /index.html HT");
        }
        drop(s);
    }
    let threads: Vec<_> = (0..64)
        .map(|_| std::thread::spawn(move || request(port, "GET /artikel/ HTTP/1.1\r\n\r\n").0))
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 200);
    }
    assert_eq!(server.get("/").0, 200);
}

/// Found by benches/serve_load.py: in waves of 1,000 requests at once, 1,307 of 3,000 got a
/// 503, as every connection beyond 256 was refused. Now it waits for a place.
#[test]
fn load_a_request_beyond_the_connection_cap_waits_for_a_place_instead_of_a_503() {
    let site = Site::fixture("basic");
    let timeout = ("PRESSWERK_SERVE_HEAD_TIMEOUT_MS", "1500");
    let server = Server::start_with(&site, &[], &[timeout]);
    let port = server.port;
    // 260 connections that send nothing take every place until their head timeout.
    let idle: Vec<_> = (0..260)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let (status, _, _) = request(port, "GET /artikel/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(status, 200, "answered once the idle ones are cut off");
    drop(idle);
}

#[test]
fn saves_reload_broken_saves_show_errors_and_keep_the_last_good_build() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let mut events = Events::open(server.port);
    let path = "content/artikel/2020-03-01-bruecken-fuer-koeln.md";

    // An edit: a reload, and the new text is served.
    let text = site
        .read(path)
        .replace("Gebaut wird ab Mai.", "Gebaut wird ab Juni.");
    site.write(path, &text);
    assert_eq!(events.next().0, "reload");
    let page = String::from_utf8(server.get("/artikel/bruecken-fuer-koeln/").2).unwrap();
    assert!(page.contains("Gebaut wird ab Juni."));
    server.wait_for("Rebuilt in");

    // A broken save that no page can do without (a template): the error goes to the
    // browser and the terminal; the last good build stays, with the error shown over it.
    // (A broken article leaves out only its own page: see serve_broken.rs.)
    site.write("templates/page.html", "{% if %}\n");
    let (name, data) = events.next();
    assert_eq!(name, "build-error");
    assert!(data.contains("templates/page.html:1:"), "{data}");
    server.wait_for("still serving the last good build");
    let page = String::from_utf8(server.get("/artikel/bruecken-fuer-koeln/").2).unwrap();
    assert!(
        page.contains("Gebaut wird ab Juni."),
        "last good build served"
    );
    assert!(
        page.contains("id=\"presswerk-initial-error\"") && page.contains("templates/page.html")
    );

    // The next good save clears it.
    site.remove("templates/page.html");
    assert_eq!(events.next().0, "reload");
    site.write(path, text.replace("Juni", "Juli"));
    assert_eq!(events.next().0, "reload");
    let page = String::from_utf8(server.get("/artikel/bruecken-fuer-koeln/").2).unwrap();
    assert!(page.contains("Gebaut wird ab Juli.") && !page.contains("presswerk-initial-error"));

    // A new file, a deletion, and a stylesheet (swapped without a reload).
    site.write(
        "content/artikel/neu.md",
        "---\ntitle: Ganz neu\n---\nText\n",
    );
    assert_eq!(events.next().0, "reload");
    assert_eq!(server.get("/artikel/neu/").0, 200);
    site.remove("content/artikel/neu.md");
    assert_eq!(events.next().0, "reload");
    assert_eq!(server.get("/artikel/neu/").0, 404);
    let css = site.read("themes/kontor/static/style.css") + "\n.neu { color: red }\n";
    site.write("themes/kontor/static/style.css", css);
    assert_eq!(events.next().0, "css");
    assert!(
        String::from_utf8(server.get("/style.css").2)
            .unwrap()
            .contains(".neu { color: red }")
    );
    // Editor temporaries do nothing.
    site.write("content/artikel/.neu.md.swp", "x");
    site.write("content/artikel/neu.md~", "x");
    site.write(
        "site.toml",
        site.read("site.toml").replace("Testblatt", "Vorschaublatt"),
    );
    let (name, _) = events.next();
    assert_eq!(
        name, "reload",
        "the next event is the site.toml change, not a temporary file"
    );
    assert!(
        String::from_utf8(server.get("/").2)
            .unwrap()
            .contains("Vorschaublatt")
    );
}

#[test]
fn drafts_only_with_the_flag_and_marked() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/artikel/entwurf/").0, 404);
    drop(server);
    let server = Server::start(&site, &["--drafts"]);
    let (status, _, body) = server.get("/artikel/entwurf/");
    assert_eq!(status, 200);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("Entwurf"), "the theme marks drafts");
}

#[test]
fn a_taken_port_moves_to_the_next() {
    let site = Site::fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = Server::start(&site, &["--port", &port.to_string()]);
    assert_ne!(server.port, port);
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn a_site_that_does_not_build_at_start_is_served_once_fixed() {
    let site = Site::fixture("basic");
    site.write("templates/page.html", "{% if %}\n");
    let server = Server::start(&site, &[]);
    let (status, _, body) = server.get("/");
    assert_eq!(status, 404);
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("presswerk-initial-error")
    );
    let mut events = Events::open(server.port);
    site.remove("templates/page.html");
    assert_eq!(events.next().0, "reload");
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn an_address_it_cannot_listen_on_is_an_error() {
    let site = Site::fixture("basic");
    // 203.0.113.1 is TEST-NET-3: never an address of this machine.
    let mut serve = site.cmd(&["serve", "--bind", "203.0.113.1"]);
    serve.timeout(Duration::from_secs(30));
    let run = crate::harness::Run::of(serve, &site.root).expect_failure();
    insta::assert_snapshot!(run.stderr(), @r"
        error: cannot bind 203.0.113.1:1111
          caused by: Cannot assign requested address (os error 99)
        ");
    assert_eq!(run.stdout(), "");
}

/// A GET of `target` as a browser sends it, with `host` as its Host.
fn get_as(port: u16, host: &str, target: &str) -> (u16, String, Vec<u8>) {
    request(
        port,
        &format!(
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: Mozilla/5.0\r\nAccept: text/html,*/*;q=0.8\r\nAccept-Encoding: gzip, br\r\nAccept-Language: de-DE,de;q=0.9\r\nConnection: keep-alive\r\nSec-Fetch-Mode: navigate\r\n\r\n"
        ),
    )
}

#[test]
fn normal_requests_still_work() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let host = format!("127.0.0.1:{}", server.port);
    let (status, _, body) = get_as(server.port, &host, "/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("/__presswerk/livereload.js"));
    let (status, head, _) = get_as(server.port, &host, "/artikel/bruecken-fuer-koeln/");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html; charset=utf-8"));
    assert_eq!(get_as(server.port, &host, "/gibt-es-nicht/").0, 404);
    let (status, head, body) = get_as(server.port, &host, "/__presswerk/livereload.js");
    assert_eq!(status, 200);
    assert!(head.contains("text/javascript") && !body.is_empty());
    let (status, head, body) = request(
        server.port,
        &format!("HEAD /style.css HTTP/1.1\r\nHost: {host}\r\n\r\n"),
    );
    assert_eq!(status, 200);
    assert!(head.contains("text/css") && body.is_empty());
    // HTTP/1.0 without Host, and `Content-Length: 0`, are fine too.
    assert_eq!(request(server.port, "GET / HTTP/1.0\r\n\r\n").0, 200);
    let zero = format!("GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(request(server.port, &zero).0, 200);
}

#[test]
fn a_foreign_host_is_refused() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    // DNS rebinding: a page of evil.example whose name now points at 127.0.0.1.
    for host in [
        format!("evil.example:{}", server.port),
        "evil.example".to_string(),
        format!("localhost.evil.example:{}", server.port),
        format!("192.168.1.5:{}", server.port),
        "".to_string(),
    ] {
        let (status, _, body) = get_as(server.port, &host, "/artikel/bruecken-fuer-koeln/");
        assert_eq!(status, 421, "Host: {host}");
        let body = String::from_utf8_lossy(&body);
        assert!(
            body.contains("--allow-host") && !body.contains("Gebaut"),
            "{body}"
        );
    }
    let twice = format!(
        "GET / HTTP/1.1\r\nHost: localhost:{0}\r\nHost: evil.example:{0}\r\n\r\n",
        server.port
    );
    assert_eq!(request(server.port, &twice).0, 400, "two Host fields");
}

#[test]
fn each_host_of_the_preview_is_answered() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
    ] {
        assert_eq!(get_as(port, &host, "/").0, 200, "Host: {host}");
    }
}

#[test]
fn names_given_with_allow_host_are_answered() {
    let site = Site::fixture("basic");
    let server = Server::start(
        &site,
        &["--allow-host", "vorschau.test", "--allow-host", "Mac.Local"],
    );
    let port = server.port;
    for host in [format!("vorschau.test:{port}"), format!("mac.local:{port}")] {
        assert_eq!(get_as(port, &host, "/").0, 200, "Host: {host}");
    }
    assert_eq!(get_as(port, &format!("anders.test:{port}"), "/").0, 421);
    drop(server);
    let server = Server::start(&site, &[]);
    let host = format!("vorschau.test:{}", server.port);
    assert_eq!(get_as(server.port, &host, "/").0, 421, "only with the flag");
    let run = site.run(&["serve", "--allow-host", "vorschau.test:1111"]);
    assert!(run.stderr().contains("without a port"), "{}", run.stderr());
}

#[test]
fn bound_to_ipv6_loopback_it_answers_its_bracketed_address() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("skipped: this machine has no IPv6 loopback");
        return;
    }
    let site = Site::fixture("basic");
    let server = Server::start(&site, &["--bind", "::1"]);
    let mut s = TcpStream::connect(("::1", server.port)).expect("connect over IPv6");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let raw = format!("GET / HTTP/1.1\r\nHost: [::1]:{}\r\n\r\n", server.port);
    s.write_all(raw.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
}

#[test]
fn the_reload_stream_refuses_a_foreign_origin() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    for origin in [
        "http://evil.example".to_string(),
        format!("http://evil.example:{}", server.port),
        format!("http://127.0.0.1:{}", server.port + 1),
        "null".to_string(),
    ] {
        let raw = format!(
            "GET /__presswerk/events HTTP/1.1\r\nHost: localhost:{}\r\nOrigin: {origin}\r\nAccept: text/event-stream\r\n\r\n",
            server.port
        );
        let (status, _, body) = request(server.port, &raw);
        assert_eq!(status, 403, "Origin: {origin}");
        assert!(!String::from_utf8_lossy(&body).contains("event:"));
    }
}

#[test]
fn the_reload_stream_accepts_its_own_origin() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let origin = format!("Origin: http://127.0.0.1:{}\r\n", server.port);
    let mut events = Events::open_with(server.port, &origin);
    let origin = format!("Origin: http://localhost:{}\r\n", server.port);
    let _other = Events::open_with(server.port, &origin);
    site.write(
        "content/artikel/neu.md",
        "---\ntitle: Ganz neu\n---\nText\n",
    );
    assert_eq!(events.next().0, "reload");
}

#[test]
fn only_get_and_head_are_answered() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
    ] {
        let raw = format!("{method} / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
        let (status, head, _) = request(server.port, &raw);
        assert_eq!(status, 405, "{method}");
        assert!(
            head.lines().any(|l| l == "Allow: GET, HEAD"),
            "{method}: {head}"
        );
    }
}

#[test]
fn request_bodies_are_refused() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let with_length = "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhallo";
    assert_eq!(request(server.port, with_length).0, 413);
    let chunked = "GET / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhallo\r\n0\r\n\r\n";
    assert_eq!(request(server.port, chunked).0, 400);
    let nonsense = "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: viel\r\n\r\n";
    assert_eq!(request(server.port, nonsense).0, 400);
}

#[test]
fn an_oversized_header_gets_431() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let raw = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nCookie: {}\r\n\r\n",
        "a".repeat(20_000)
    );
    assert_eq!(request(server.port, &raw).0, 431);
}

#[test]
fn too_many_header_fields_get_431() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let fields: String = (0..100).map(|i| format!("X-Feld-{i}: {i}\r\n")).collect();
    let raw = format!("GET / HTTP/1.1\r\nHost: localhost\r\n{fields}\r\n");
    assert_eq!(request(server.port, &raw).0, 431);
}

#[test]
fn an_overlong_request_line_gets_414() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let raw = format!(
        "GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "a".repeat(10_000)
    );
    assert_eq!(request(server.port, &raw).0, 414);
}

/// Reads what a connection still sends until the server closes it; fails if it does not
/// close within `limit`.
fn closed_within(mut s: TcpStream, limit: Duration) -> String {
    s.set_read_timeout(Some(limit)).unwrap();
    let start = Instant::now();
    let mut all = Vec::new();
    let result = s.read_to_end(&mut all);
    assert!(
        result.is_ok() && start.elapsed() < limit,
        "still open after {:?}: {result:?}",
        start.elapsed()
    );
    String::from_utf8_lossy(&all).into_owned()
}

#[test]
fn slow_and_idle_clients_are_cut_off_without_blocking_others() {
    let site = Site::fixture("basic");
    let timeout = ("PRESSWERK_SERVE_HEAD_TIMEOUT_MS", "2500");
    let server = Server::start_with(&site, &[], &[timeout]);
    let port = server.port;
    let connect = || TcpStream::connect(("127.0.0.1", port)).expect("connect");
    // 200 connections that never send a byte, one that sends half a request and stalls,
    // and one that trickles a byte every 200 ms so that no single read times out.
    let idle: Vec<_> = (0..200).map(|_| connect()).collect();
    let mut half = connect();
    half.write_all(b"GET /artikel/ HTTP/1.1\r\nHost: loc")
        .unwrap();
    let trickle = connect();
    let mut writer = trickle.try_clone().unwrap();
    std::thread::spawn(move || {
        for b in b"GET / HTTP/1.1\r\nX-Langsam: "
            .iter()
            .chain([b'a'; 100].iter())
        {
            if writer.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    // Meanwhile (once the server has taken them all in) a real request is answered at once,
    // long before any of them times out.
    std::thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    assert_eq!(get_as(port, &format!("127.0.0.1:{port}"), "/").0, 200);
    assert!(
        start.elapsed() < Duration::from_millis(1500),
        "a real request waited {:?}",
        start.elapsed()
    );
    let limit = Duration::from_secs(8);
    assert!(closed_within(half, limit).starts_with("HTTP/1.1 408"));
    assert!(closed_within(trickle, limit).starts_with("HTTP/1.1 408"));
    for s in idle {
        assert_eq!(
            closed_within(s, limit),
            "",
            "an idle connection is closed, unanswered"
        );
    }
    assert_eq!(server.get("/").0, 200);
}
