//! `check` on bigger sites: every planted broken link found and nothing else, and external
//! links asked of a local HTTP server (never the internet).

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::harness::Site;

/// (code, file, line, column) of every JSON diagnostic in `stdout`.
fn found(stdout: &str) -> BTreeSet<(String, String, u64, u64)> {
    stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            (
                v["code"].as_str().unwrap_or_default().to_string(),
                v["file"].as_str().unwrap_or_default().to_string(),
                v["line"].as_u64().unwrap_or_default(),
                v["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn at(code: &str, file: &str, line: u64, column: usize) -> (String, String, u64, u64) {
    (code.into(), file.into(), line, column as u64)
}

const PAGE_TEMPLATE: &str = "{% extends \"base.html\" %}
{% block content %}<article><h1>{{ page.title }}</h1>{{ page.content | safe }}</article>
<p><a href=\"#inhalt\">Nach oben</a> · <a href=\"{{ get_url(path=\"autoren/\") }}\">Autoren</a></p>
<p><a href=\"{{ get_url(path=\"kontakt/\") }}\">Kontakt</a> · <a href=\"#kommentare\">Kommentare</a></p>
{% if page.extra.quelle %}<p><a href=\"{{ page.extra.quelle }}\">Quelle</a></p>{% endif %}
{% endblock content %}
";

#[test]
fn finds_every_planted_broken_link_in_50_pages_and_nothing_else() {
    let site = Site::fixture("basic");
    site.write("templates/page.html", PAGE_TEMPLATE);
    // Ten broken links: seven written in Markdown (one a picture), three made by the template.
    let planted = [
        (
            3,
            "[weiter](/artikel/seite-99/)",
            "/artikel/seite-99/",
            "broken-link",
        ),
        (
            5,
            "[Abschnitt](/artikel/seite-6/#abschnit)",
            "/artikel/seite-6/#abschnit",
            "broken-anchor",
        ),
        (9, "[hier](#nirgendwo)", "#nirgendwo", "broken-anchor"),
        // A missing picture is the build's error, at the image (not a second time as a link).
        (12, "![Foto](foto.jpg)", "foto.jpg", "image"),
        (
            15,
            "[zurück](../../seite-14/)",
            "../../seite-14/",
            "broken-link",
        ),
        (
            20,
            "[absolut](https://test.example/artikel/seite-200/)",
            "https://test.example/artikel/seite-200/",
            "broken-link",
        ),
        (
            30,
            "[PDF](/dateien/programm.pdf)",
            "/dateien/programm.pdf",
            "broken-link",
        ),
    ];
    let mut expected = BTreeSet::new();
    for i in 0..50 {
        let (next, prev) = ((i + 1) % 50, (i + 49) % 50);
        let extra = match i {
            7 => "quelle: /archiv/2019/".to_string(),
            8 => "quelle: /artikel/seite-1/".to_string(),
            _ => "region: Rheinland".to_string(),
        };
        let planted_line = planted
            .iter()
            .find(|p| p.0 == i)
            .map_or("Nichts Besonderes hier.".to_string(), |p| {
                format!("Hier ist es: {}", p.1)
            });
        let file = format!("content/artikel/2021-01-{:02}-seite-{i}.md", i % 28 + 1);
        site.write(
            &file,
            format!(
                "---\ntitle: \"Seite {i}\"\nauthors: [erika-muster]\n{extra}\n---\n\n## Abschnitt\n\n\
                 Gute Links: [nächste](/artikel/seite-{next}/), [vorige](../seite-{prev}/#abschnitt), \
                 [oben](#abschnitt), [Info](/dateien/info.txt), \
                 [Plan](https://test.example/artikel/bruecken-fuer-koeln/#planung), \
                 [Bild](/artikel/bruecken-fuer-koeln/plan.svg), [extern](https://www.example.org/), \
                 [Mail](mailto:redaktion@test.example), [Verweis][ref], [Autorin](/autoren/erika-muster/).\n\n\
                 {planted_line}\n\n[ref]: /artikel/seite-{next}/?von={i}\n"
            ),
        );
        if let Some(p) = planted.iter().find(|p| p.0 == i) {
            let byte = planted_line.find(p.2).expect("dest in line");
            let column = planted_line[..byte].chars().count() + 1;
            expected.insert(at(p.3, &file, 11, column));
        }
        if i == 7 {
            expected.insert(at("broken-link", &file, 4, "quelle: ".len() + 1));
        }
    }
    let line_col = |needle: &str| -> (u64, usize) {
        let (n, line) = PAGE_TEMPLATE
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .expect("needle in template");
        let byte = line.find(needle).expect("in line");
        (n as u64 + 1, line[..byte].chars().count() + 1)
    };
    let (l, c) = line_col("kontakt/");
    expected.insert(at("broken-link", "templates/page.html", l, c));
    let (l, c) = line_col("#kommentare");
    expected.insert(at("broken-anchor", "templates/page.html", l, c));
    assert_eq!(expected.len(), 10);

    let run = site.run(&["check", "--format", "json"]).expect_failure();
    assert_eq!(found(run.stdout()), expected, "{}", run.stdout());
    assert_eq!(run.stdout().lines().count(), 10, "{}", run.stdout());
    // The site is otherwise sound: the ten planted links are all it reports.
    insta::assert_snapshot!(run.stderr(), @"Check failed: 10 error(s), 0 warning(s); 67 pages, 1752 internal links in [ELAPSED]");
}

/// A tiny HTTP server on 127.0.0.1: `/ok…` (slow enough to overlap), `/fehlt` (404),
/// `/nohead` (405 for HEAD, 200 for GET) and `/langsam` (answers after 3 s). Records the
/// highest number of requests it was serving at once. Stops when `stop` is set, or after a
/// minute in any case.
struct Server {
    port: u16,
    stop: Arc<AtomicBool>,
    max_open: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let max_open = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let open = Arc::new(AtomicUsize::new(0));
        let (s, m, r) = (stop.clone(), max_open.clone(), requests.clone());
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            while !s.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (open, m, r) = (open.clone(), m.clone(), r.clone());
                        std::thread::spawn(move || serve(stream, &open, &m, &r));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server {
            port,
            stop,
            max_open,
            requests,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn serve(mut stream: TcpStream, open: &AtomicUsize, max: &AtomicUsize, requests: &AtomicUsize) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut first = head.split_whitespace();
    let (method, path) = (first.next().unwrap_or(""), first.next().unwrap_or(""));
    requests.fetch_add(1, Ordering::SeqCst);
    let now = open.fetch_add(1, Ordering::SeqCst) + 1;
    max.fetch_max(now, Ordering::SeqCst);
    let status = if path.starts_with("/ok") {
        std::thread::sleep(Duration::from_millis(150));
        "200 OK"
    } else if path == "/nohead" && method == "HEAD" {
        "405 Method Not Allowed"
    } else if path == "/nohead" {
        "200 OK"
    } else if path == "/langsam" {
        std::thread::sleep(Duration::from_secs(3));
        "200 OK"
    } else {
        "404 Not Found"
    };
    open.fetch_sub(1, Ordering::SeqCst);
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

#[test]
fn external_links_against_a_local_server() {
    let server = Server::start();
    let base = format!("http://127.0.0.1:{}", server.port);
    let site = Site::fixture("basic");
    // The only external links are the test server's: no request may leave this machine.
    let author = site.read("content/autoren/erika-muster.md");
    site.write(
        "content/autoren/erika-muster.md",
        author.replace("homepage: https://muster.example\n", ""),
    );
    let many: String = (0..6).map(|i| format!("[{i}]({base}/ok?n={i}) ")).collect();
    let file = "content/artikel/extern.md";
    let text = format!(
        "---\ntitle: Extern\ndate: 2021-01-01\n---\n\n{many}\n\n[fehlt]({base}/fehlt#teil)\n\n[kein HEAD]({base}/nohead)\n\n[langsam]({base}/langsam)\n"
    );
    site.write(file, &text);

    // Without --external nothing is requested.
    site.cmd(&["check"]).assert().success();
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);

    let out = site
        .cmd(&["check", "--external", "--timeout", "1", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let col = |needle: &str| text.lines().find_map(|l| l.find(needle)).unwrap() + 1;
    let expected: BTreeSet<_> = [
        at("external-link", file, 8, col(&format!("{base}/fehlt"))),
        at("external-link", file, 12, col(&format!("{base}/langsam"))),
    ]
    .into_iter()
    .collect();
    assert_eq!(found(&stdout), expected, "{stdout}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by_line = |n: u64| lines.iter().find(|v| v["line"] == n).unwrap();
    assert_eq!(by_line(8)["severity"], "error");
    assert_eq!(by_line(8)["label"], "the server answers 404");
    assert_eq!(by_line(12)["severity"], "warning");
    assert_eq!(by_line(12)["label"], "no answer in time");
    // Six slow URLs on one host, but never more than two requests to it at once.
    assert_eq!(server.max_open.load(Ordering::SeqCst), 2);

    // A warning alone passes, unless warnings are denied.
    site.write(
        file,
        format!("---\ntitle: Extern\ndate: 2021-01-01\n---\n\n[langsam]({base}/langsam)\n"),
    );
    let run = site
        .run(&["check", "--external", "--timeout", "1"])
        .expect_success()
        .redact(&base, "http://[SERVER]");
    insta::assert_snapshot!(run.stderr(), @r"
        warning: external link `http://[SERVER]/langsam` does not work
         --> content/artikel/extern.md:6:11
          |
        6 | [langsam](http://[SERVER]/langsam)
          |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ no answer in time
          |
          = help: update or remove the link
        ");
    insta::assert_snapshot!(run.stdout(), @"Check passed: 0 error(s), 1 warning(s); 13 pages, 186 internal links, 1 external URLs in [ELAPSED]");
    let run = site
        .run(&["check", "--external", "--timeout", "1", "--deny-warnings"])
        .expect_failure()
        .redact(&base, "http://[SERVER]");
    insta::assert_snapshot!(run.stderr(), @r"
        error: external link `http://[SERVER]/langsam` does not work
         --> content/artikel/extern.md:6:11
          |
        6 | [langsam](http://[SERVER]/langsam)
          |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ no answer in time
          |
          = help: update or remove the link

        Check failed: 1 error(s), 0 warning(s); 13 pages, 186 internal links, 1 external URLs in [ELAPSED]
        ");
}
