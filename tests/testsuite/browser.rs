//! The default theme in a real headless Chromium: the repo's newsletter is built, served on
//! loopback, and a harness page measures the rendered article, home and author pages inside
//! iframes of phone and desktop width (layout, styles, author box, no external requests).
//!
//! Skipped with a message where Chromium is missing, unless `PRESSWERK_REQUIRE_BROWSER` is
//! set (CI sets it, so CI never skips).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::Site;

pub(crate) fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PRESSWERK_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH")
                .into_iter()
                .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
}

/// Chromium, or `None` with a message when it is missing; a missing browser fails instead
/// when `PRESSWERK_REQUIRE_BROWSER` is set.
pub(crate) fn chromium_or_skip() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("PRESSWERK_REQUIRE_BROWSER").is_none(),
            "Chromium is required (PRESSWERK_REQUIRE_BROWSER is set) but was not found"
        );
        eprintln!("skipped: Chromium not found (install it with `apt-get install chromium`)");
    }
    found
}

/// Serves `dir` over HTTP on `listener`, one thread per connection, for the test's lifetime.
fn serve(listener: TcpListener, dir: PathBuf) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let path = request
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .split('?')
                    .next()
                    .unwrap_or("/")
                    .to_string();
                let mut line = String::new();
                while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
                    line.clear();
                }
                let mut file = dir.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file.push("index.html");
                }
                let (status, body) = match (path.contains(".."), std::fs::read(&file)) {
                    (false, Ok(b)) => ("200 OK", b),
                    _ => ("404 Not Found", b"not found".to_vec()),
                };
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("css") => "text/css",
                    Some("webp") => "image/webp",
                    Some("jpg") => "image/jpeg",
                    Some("png") => "image/png",
                    Some("svg") => "image/svg+xml",
                    Some("js") => "text/javascript",
                    Some("json") => "application/json",
                    _ => "application/octet-stream",
                };
                let mut s = &stream;
                let _ = write!(
                    s,
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = s.write_all(&body);
            });
        }
    });
}

const HARNESS: &str = r#"<!doctype html><html><head><meta charset="utf-8"></head><body><pre id="result">pending</pre>
<script>
const checks = [
  ["/artikel/regionalgruppe-rheinland/", 390], ["/artikel/regionalgruppe-rheinland/", 1280],
  ["/", 390], ["/", 1280], ["/autoren/ann-labus/", 390], ["/404.html", 390],
  ["/tags/", 390], ["/regions/rheinland/", 1280], ["/ueber/", 390],
  ["/ausgaben/2007-11/", 390], ["/ausgaben/2007-11/", 1280], ["/ausgaben/", 390],
  ["/impressum/", 390], ["/datenschutz/", 1280],
];
const problems = [];
function check(path, width, doc, win) {
  const where = path + " @" + width + "px: ";
  const root = doc.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) problems.push(where + "scrolls sideways (" + root.scrollWidth + " > " + root.clientWidth + ")");
  const sheets = [...doc.styleSheets].filter(s => { try { return s.cssRules.length > 20; } catch (e) { return false; } });
  if (sheets.length === 0) problems.push(where + "stylesheet not applied");
  const h1 = doc.querySelector("h1");
  if (!h1 || h1.getBoundingClientRect().height < 10) problems.push(where + "no visible h1");
  for (const el of doc.querySelectorAll("link[href], script[src], img[src]")) {
    const url = new URL(el.href || el.src, doc.baseURI);
    if (url.origin !== location.origin && el.rel !== "canonical") problems.push(where + "external resource " + url);
  }
  const fontSize = parseFloat(win.getComputedStyle(doc.body).fontSize);
  if (fontSize < 15) problems.push(where + "body text too small: " + fontSize);
  if (path.startsWith("/artikel/")) {
    if (!h1.textContent.includes("Noch enger zusammenrücken")) problems.push(where + "wrong title");
    const body = doc.querySelector(".article-body, .prose");
    if (!body || !body.innerText.includes("„Wir sind kollegiale Wettbewerber.“")) problems.push(where + "article text missing");
    const text = body ? body.getBoundingClientRect() : {width: 0};
    if (width >= 1280 && text.width > 800) problems.push(where + "text column too wide for reading: " + text.width);
    const box = [...doc.querySelectorAll("h2, h3")].find(h => h.textContent.includes("Über Ann Labus"));
    if (!box || box.getBoundingClientRect().height === 0) problems.push(where + "author box heading not visible");
    // The author box is prose: biography, where she works, her website, her profile.
    const authorBox = box ? box.closest(".author-box") : null;
    const prose = authorBox ? authorBox.innerText : "";
    for (const v of ["Ann-Christin Labus schreibt für den Newsletter", "Wandschneider & Bartsch Kommunikationsberatung in Unna", "die-agentur.com", "Alle Artikel von Ann Labus"]) if (!prose.includes(v)) problems.push(where + "author box lacks " + v);
    if (authorBox && authorBox.querySelector("dt, dl")) problems.push(where + "author box is a record of fields");
    // Structured data a search engine reads: JSON, a NewsArticle with its author's profile.
    const ld = [...doc.querySelectorAll('script[type="application/ld+json"]')].map(s => JSON.parse(s.textContent));
    const article = ld.find(d => d["@type"] === "NewsArticle");
    if (!article || article.author[0].url !== location.origin + "/autoren/ann-labus/") problems.push(where + "no NewsArticle with the author's profile");
    if (!ld.find(d => d["@type"] === "BreadcrumbList")) problems.push(where + "no BreadcrumbList");
    const og = doc.querySelector('meta[property="og:image"]');
    if (!og || !og.content.startsWith(location.origin + "/")) problems.push(where + "no absolute og:image");
    if (!doc.body.innerText.includes("6. November 2007")) problems.push(where + "German date missing");
  }
  if (path === "/regions/rheinland/") {
    const teaser = [...doc.querySelectorAll("a")].find(a => a.getAttribute("href").endsWith("/artikel/regionalgruppe-rheinland/"));
    if (!teaser) problems.push(where + "term page does not list the article");
    if (!doc.querySelector('link[rel="alternate"][type="application/atom+xml"]')) problems.push(where + "no feed link in head");
  }
  if (path === "/ueber/") {
    const quote = doc.querySelector("figure.quote blockquote");
    if (!quote || quote.getBoundingClientRect().height < 20) problems.push(where + "quote shortcode not rendered");
  }
  if (path.startsWith("/artikel/")) {
    const tag = [...doc.querySelectorAll("a")].find(a => a.getAttribute("href").endsWith("/tags/kooperation/"));
    if (!tag) problems.push(where + "tags are not linked to their term pages");
  }
  if (path.startsWith("/ausgaben/")) {
    const link = [...doc.querySelectorAll("a")].find(a => a.getAttribute("href").endsWith("/artikel/regionalgruppe-rheinland/"));
    if (!link || link.getBoundingClientRect().height === 0) problems.push(where + "edition does not show the Rheinland report");
  }
  if (path === "/ausgaben/2007-11/") {
    for (const f of ["email.html", "email.txt", "edition.eml"]) if (!doc.querySelector('a[href$="/ausgaben/2007-11/' + f + '"]')) problems.push(where + "no link to " + f);
  }
  if (path === "/") {
    const link = [...doc.querySelectorAll("a")].find(a => a.getAttribute("href").endsWith("/artikel/regionalgruppe-rheinland/"));
    if (!link) problems.push(where + "home does not link the article");
    const current = doc.querySelector(".current-edition a.button");
    if (!current || !current.href.endsWith("/ausgaben/2007-11/") || current.getBoundingClientRect().height === 0) problems.push(where + "home does not lead to the current edition");
    const subscribe = doc.querySelector(".subscribe a.button");
    if (!subscribe || subscribe.getBoundingClientRect().height === 0) problems.push(where + "no visible call to subscribe");
  }
  if (path !== "/404.html") {
    // Every page's footer links the legal pages, and the head names a favicon.
    for (const legal of ["/impressum/", "/datenschutz/"]) if (!doc.querySelector('.site-footer a[href$="' + legal + '"]')) problems.push(where + "footer does not link " + legal);
    if (!doc.querySelector('link[rel="icon"]')) problems.push(where + "no favicon");
  }
}
let pending = checks.length;
for (const [path, width] of checks) {
  const f = document.createElement("iframe");
  f.style.width = width + "px"; f.style.height = "900px"; f.style.border = "0";
  f.onload = () => {
    try { check(path, width, f.contentDocument, f.contentWindow); } catch (e) { problems.push(path + ": " + e); }
    if (--pending === 0) document.getElementById("result").textContent = problems.length ? "RESULT fail\n" + problems.join("\n") : "RESULT ok";
  };
  f.src = path;
  document.body.appendChild(f);
}
</script></body></html>"#;

fn run_chromium(chromium: &Path, url: &str, profile: &Path) -> String {
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            // One CSS pixel is one device pixel: the variant a width picks is the same on
            // every machine.
            "--force-device-scale-factor=1",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("chromium output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn default_theme_renders_the_newsletter_in_chromium() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let run = RepoInBrowser::start(&chromium, HARNESS);
    assert_eq!(
        run.result.trim(),
        "RESULT ok",
        "browser checks failed:\n{}",
        run.result
    );
}

/// The hero of the Rheinland article at a phone's and a desktop's width: the variant the
/// browser loads (`currentSrc`), the box the page keeps for it, and the layout shifts.
const PICTURES: &str = r#"<!doctype html><html><head><meta charset="utf-8"></head><body><pre id="result">pending</pre>
<script>
const results = [];
// One width after the other: a browser may show a wider variant it has already loaded, so
// the phone goes first, with nothing in its cache.
function measure(widths) {
  if (widths.length === 0) { document.getElementById("result").textContent = "RESULT\n" + results.sort().join("\n"); return; }
  const width = widths[0];
  const f = document.createElement("iframe");
  f.style.width = width + "px"; f.style.height = "900px"; f.style.border = "0";
  f.onload = () => {
    const doc = f.contentDocument, win = f.contentWindow;
    let shift = 0;
    new win.PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) shift += e.value; })
      .observe({type: "layout-shift", buffered: true});
    const img = doc.querySelector("figure.hero img");
    const done = () => {
      const m = img ? (img.currentSrc.match(/-(\d+)w\.(\w+)$/) || []) : [];
      const box = img ? img.getBoundingClientRect() : {width: 0, height: 0};
      results.push([width, m[1] || "none", m[2] || "none", img && img.complete && img.naturalWidth > 0, Math.round(box.width), Math.round(box.height), img ? img.getAttribute("fetchpriority") : "", img ? img.getAttribute("loading") : "", shift.toFixed(3)].join(" "));
      f.remove();
      measure(widths.slice(1));
    };
    if (!img || img.complete) setTimeout(done, 300); else { img.onload = () => setTimeout(done, 300); img.onerror = done; }
  };
  f.src = "/artikel/regionalgruppe-rheinland/";
  document.body.appendChild(f);
}
measure([390, 1280]);
</script></body></html>"#;

#[test]
fn the_hero_loads_a_variant_for_the_screen_without_moving_the_page() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let run = RepoInBrowser::start(&chromium, PICTURES);
    let lines: Vec<Vec<String>> = run
        .result
        .lines()
        .skip(1)
        .map(|l| l.split(' ').map(str::to_string).collect())
        .collect();
    assert_eq!(lines.len(), 2, "{}", run.result);
    // Sorted by width as text: "1280 …" before "390 …".
    let (desktop, phone) = (&lines[0], &lines[1]);
    let loaded = |l: &Vec<String>| l[1].parse::<u32>().unwrap_or(0);
    assert!(
        phone[0] == "390" && loaded(phone) > 0 && loaded(phone) <= 800,
        "{}",
        run.result
    );
    assert!(
        desktop[0] == "1280" && loaded(desktop) > loaded(phone),
        "{}",
        run.result
    );
    for l in &lines {
        assert_eq!(
            l[2], "webp",
            "the browser takes the WebP source: {}",
            run.result
        );
        assert_eq!(l[3], "true", "the hero loaded: {}", run.result);
        assert_eq!(
            (l[6].as_str(), l[7].as_str()),
            ("high", ""),
            "{}",
            run.result
        );
        assert_eq!(l[8], "0.000", "layout shift: {}", run.result);
        let (w, h): (f64, f64) = (l[4].parse().unwrap_or(0.0), l[5].parse().unwrap_or(0.0));
        // The box has the picture's aspect ratio (1600 × 900) from width and height.
        assert!(w > 0.0 && (h / w - 0.5625).abs() < 0.01, "{}", run.result);
    }
}

/// The home page at a desktop's width: the variant each teaser thumbnail loads.
const THUMBNAILS: &str = r#"<!doctype html><html><head><meta charset="utf-8"></head><body><pre id="result">pending</pre>
<script>
const f = document.createElement("iframe");
f.style.width = "1280px"; f.style.height = "2000px"; f.style.border = "0";
f.onload = () => {
  const imgs = [...f.contentDocument.querySelectorAll("img.teaser-image")];
  const report = () => {
    const rows = imgs.map(i => [(i.currentSrc.match(/-(\d+)w\.\w+$/) || [])[1] || "none", Math.round(i.getBoundingClientRect().width)].join(" "));
    document.getElementById("result").textContent = "RESULT\n" + rows.join("\n");
  };
  // Lazy pictures load once they are near the viewport: the home page is short enough.
  Promise.all(imgs.map(i => i.complete ? 0 : new Promise(r => { i.onload = r; i.onerror = r; }))).then(() => setTimeout(report, 300));
};
f.src = "/";
document.body.appendChild(f);
</script></body></html>"#;

#[test]
fn teaser_thumbnails_load_the_narrow_variant() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let run = RepoInBrowser::start(&chromium, THUMBNAILS);
    let rows: Vec<&str> = run.result.lines().skip(1).collect();
    assert!(
        !rows.is_empty(),
        "a teaser with a thumbnail: {}",
        run.result
    );
    for row in rows {
        // 10rem (160 CSS px) at one device pixel per CSS pixel: the 240 px variant, not
        // the 480 px one the article's column takes.
        assert_eq!(row, "240 160", "{}", run.result);
    }
}

/// The repo's newsletter built for a loopback server, a harness page beside it, and what
/// the harness wrote into its `<pre id="result">` once Chromium ran it.
pub(crate) struct RepoInBrowser {
    base: String,
    profile: tempfile::TempDir,
    pub(crate) result: String,
    _site: Site,
}

impl RepoInBrowser {
    pub(crate) fn start(chromium: &Path, harness: &str) -> RepoInBrowser {
        RepoInBrowser::start_with(chromium, harness, &[])
    }

    /// As [`RepoInBrowser::start`], with `files` (name, bytes) served beside the harness.
    pub(crate) fn start_with(
        chromium: &Path,
        harness: &str,
        files: &[(&str, &[u8])],
    ) -> RepoInBrowser {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let site = Site::repo();
        let base = format!("http://127.0.0.1:{port}");
        site.cmd(&["build", "--base-url", &base]).assert().success();
        let public = site.path("public");
        std::fs::write(public.join("__harness.html"), harness).expect("write harness");
        for (name, bytes) in files {
            std::fs::write(public.join(name), bytes).expect("write a served file");
        }
        serve(listener, public);
        let profile = tempfile::tempdir().expect("profile dir");
        let dom = run_chromium(chromium, &format!("{base}/__harness.html"), profile.path());
        let result = dom
            .split("<pre id=\"result\">")
            .nth(1)
            .and_then(|r| r.split("</pre>").next())
            .unwrap_or("no result in the DOM")
            .to_string();
        RepoInBrowser {
            base,
            profile,
            result,
            _site: site,
        }
    }
}

/// Live reload in a real browser: an article open in headless Chromium (inside a harness
/// page served by `presswerk serve` itself) follows edits on disk with no manual reload, shows
/// the error overlay for a broken save, and recovers on the next good one. The harness page
/// reports every change of what it sees to a small HTTP server of the test.
#[test]
fn live_reload_in_chromium() {
    use crate::serve::Server;
    use std::sync::mpsc;

    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let reports = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let report_port = reports.local_addr().expect("address").port();
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for stream in reports.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let msg = line
                .split("m=")
                .nth(1)
                .and_then(|m| m.split(['&', ' ']).next())
                .map(percent_decode)
                .unwrap_or_default();
            let mut s = &stream;
            let _ = s.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
            let _ = tx.send(msg);
        }
    });

    let site = Site::fixture("basic");
    site.write(
        "static/__harness.html",
        LIVE_HARNESS.replace("REPORT_PORT", &report_port.to_string()),
    );
    let server = Server::start(&site, &[]);
    let profile = tempfile::tempdir().expect("profile dir");
    let mut browser = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("http://127.0.0.1:{}/__harness.html", server.port))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut seen = Vec::new();
    let mut wait = |want: &dyn Fn(&str) -> bool, what: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(m) => {
                    seen.push(m.clone());
                    if want(&m) {
                        return m;
                    }
                }
                Err(_) => {
                    let _ = browser.kill();
                    panic!("the browser never showed {what}; it reported: {seen:?}");
                }
            }
        }
    };
    wait(&|m| m == "state:mai", "the article");
    let path = "content/artikel/2020-03-01-bruecken-fuer-koeln.md";
    let good = site.read(path);
    site.write(
        path,
        good.replace("Gebaut wird ab Mai.", "Gebaut wird ab Juni."),
    );
    wait(&|m| m == "state:juni", "the edited text");
    site.write(path, "---\ntitle: Kaputt: ja\n---\n");
    let overlay = wait(&|m| m.starts_with("state:overlay"), "the error overlay");
    assert!(
        overlay.contains("invalid YAML in front matter"),
        "{overlay}"
    );
    assert!(
        overlay.contains("2020-03-01-bruecken-fuer-koeln.md:2:14"),
        "{overlay}"
    );
    site.write(
        path,
        good.replace("Gebaut wird ab Mai.", "Gebaut wird ab Juli."),
    );
    wait(&|m| m == "state:juli", "the recovered page");
    let _ = browser.kill();
    let _ = browser.wait();
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

const LIVE_HARNESS: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>harness</title></head><body>
<iframe id="f" src="/artikel/bruecken-fuer-koeln/" style="width:1000px;height:800px"></iframe>
<script>
function report(m) { new Image().src = "http://127.0.0.1:REPORT_PORT/report?m=" + encodeURIComponent(m) + "&t=" + Date.now(); }
var last = "";
setInterval(function () {
  var d = document.getElementById("f").contentDocument;
  if (!d || !d.body) return;
  var overlay = d.getElementById("presswerk-error-overlay");
  var text = d.body.innerText;
  var state = overlay ? "overlay " + overlay.innerText.slice(0, 400)
    : text.indexOf("Gebaut wird ab Juni") >= 0 ? "juni"
    : text.indexOf("Gebaut wird ab Juli") >= 0 ? "juli"
    : text.indexOf("Gebaut wird ab Mai") >= 0 ? "mai" : "other";
  if (state !== last) { last = state; report("state:" + state); }
}, 40);
</script></body></html>"#;

/// Measures the edition's e-mail in a 600 px wide frame: the layout fits, the title and the
/// article are visible, the preheader is not, and nothing is loaded from elsewhere.
const EMAIL_HARNESS: &str = r#"<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0"><pre id="result">pending</pre>
<script>
const f = document.createElement("iframe");
f.style.width = "600px"; f.style.height = "1400px"; f.style.border = "0";
f.onload = () => {
  const problems = [];
  try {
    const doc = f.contentDocument, win = f.contentWindow, root = doc.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) problems.push("scrolls sideways at 600 px: " + root.scrollWidth);
    if (root.scrollHeight < 700) problems.push("rendered height only " + root.scrollHeight + " px");
    const h1 = doc.querySelector("h1");
    const r = h1 ? h1.getBoundingClientRect() : null;
    if (!h1 || !h1.textContent.includes("Noch enger zusammenrücken")) problems.push("title missing");
    else {
      const cs = win.getComputedStyle(h1);
      if (r.height < 20 || r.width < 200 || r.left < 0 || r.right > 600) problems.push("title not visible in the 600 px frame: " + JSON.stringify(r));
      if (cs.visibility !== "visible" || cs.display === "none" || cs.color === "rgba(0, 0, 0, 0)") problems.push("title hidden by its style");
      if (parseFloat(cs.fontSize) < 20) problems.push("title style not applied: " + cs.fontSize);
      const hit = doc.elementFromPoint(r.left + 5, r.top + r.height / 2);
      if (!hit || !h1.contains(hit)) problems.push("title covered by " + (hit && hit.tagName));
    }
    const table = doc.querySelector("table.container");
    const w = table ? table.getBoundingClientRect().width : 0;
    if (w < 560 || w > 600) problems.push("container is " + w + " px wide");
    const pre = doc.querySelector(".preheader");
    if (!pre || pre.getBoundingClientRect().height > 0) problems.push("preheader visible");
    const link = [...doc.querySelectorAll("a")].find(a => a.href.endsWith("/artikel/regionalgruppe-rheinland/") && a.getBoundingClientRect().height > 0);
    if (!link) problems.push("no visible link to the Rheinland report");
    for (const el of doc.querySelectorAll("link, script")) problems.push("external resource " + el.outerHTML);
  } catch (e) { problems.push(String(e)); }
  document.getElementById("result").textContent = problems.length ? "RESULT fail\n" + problems.join("\n") : "RESULT ok";
};
f.src = "/ausgaben/2007-11/email.html";
document.body.appendChild(f);
</script></body></html>"#;

/// A decoded screenshot: width, height and RGB rows.
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<Vec<[u8; 3]>>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let rows = buf[..info.buffer_size()]
        .chunks(info.line_size)
        .map(|row| {
            row.chunks(channels)
                .map(|px| [px[0], px[1], px[2]])
                .collect()
        })
        .collect();
    (info.width, info.height, rows)
}

#[test]
fn edition_email_renders_at_600_px_in_chromium() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let run = RepoInBrowser::start(&chromium, EMAIL_HARNESS);
    assert_eq!(
        run.result.trim(),
        "RESULT ok",
        "e-mail checks failed:\n{}",
        run.result
    );
    let (base, profile) = (&run.base, &run.profile);

    // A real screenshot at 600 px: an empty or failed render is a near-empty PNG.
    let email = format!("{base}/ausgaben/2007-11/email.html");
    let shot = screenshot(&chromium, profile.path(), "email", &email, &[]);
    let (width, height, rows) = decode_png(&std::fs::read(&shot).expect("screenshot written"));
    assert_eq!((width, height), (600, 1400), "screenshot size");
    // Rows with something drawn on them (not a single colour): text, rules, buttons.
    let drawn = rows
        .iter()
        .filter(|row| row.iter().any(|px| px != &row[0]))
        .count();
    assert!(
        drawn > 200,
        "only {drawn} of {height} rows drawn: a blank render"
    );
    // The theme's accent (#0b5a78: top rule, kicker, buttons) is on screen, so the
    // inlined styles were applied.
    let accent = rows
        .iter()
        .flatten()
        .filter(|px| {
            px.iter()
                .zip([11u8, 90, 120])
                .all(|(a, b)| a.abs_diff(b) < 12)
        })
        .count();
    assert!(
        accent > 2_000,
        "only {accent} accent-coloured pixels: styles missing"
    );
    let count = |rows: &[Vec<[u8; 3]>], rgb: [u8; 3]| {
        rows.iter()
            .flatten()
            .filter(|px| px.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) < 6))
            .count()
    };
    // Light: the white card on its grey-blue page.
    assert!(
        count(&rows, [255, 255, 255]) > 200_000,
        "no white card in light mode"
    );

    // Dark, as a mail client that follows the reader's setting shows it: the card turns
    // dark (#1a2126), its text light (#e8edf0), and the white card is gone.
    let dark = screenshot(
        &chromium,
        profile.path(),
        "email-dark",
        &email,
        &["--force-dark-mode"],
    );
    let (_, _, dark_rows) = decode_png(&std::fs::read(&dark).expect("dark screenshot written"));
    let card = count(&dark_rows, [0x1a, 0x21, 0x26]);
    assert!(card > 200_000, "only {card} pixels of the dark card");
    assert!(
        count(&dark_rows, [255, 255, 255]) < 1_000,
        "white left in dark mode"
    );
    let text = count(&dark_rows, [0xe8, 0xed, 0xf0]);
    assert!(
        text > 1_000,
        "only {text} pixels of light text in dark mode"
    );
}

/// A 600 × 1400 screenshot of `url` by headless Chromium, with its own profile folder below
/// `dir`, as `dir/NAME.png`; `extra`: further flags (e.g. emulated dark mode).
fn screenshot(chromium: &Path, dir: &Path, name: &str, url: &str, extra: &[&str]) -> PathBuf {
    let shot = dir.join(format!("{name}.png"));
    let status = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=600,1400",
        ])
        .args(extra)
        .arg(format!("--user-data-dir={}", dir.join(name).display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("chromium runs");
    assert!(status.success(), "chromium screenshot {name} failed");
    shot
}
