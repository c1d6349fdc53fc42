//! Accessibility: every kind of page of the repo's newsletter, at a phone's and a desktop's
//! width, checked by axe-core (the WCAG 2.1 A and AA rules) in a real Chromium. The search
//! page is checked with a query's results showing, not only empty.
//!
//! axe-core comes from the npm registry: `.ci/run` installs it and points `PRESSWERK_AXE`
//! at its `axe.min.js`. Without it the test is skipped with a message, except where
//! `PRESSWERK_REQUIRE_AXE` is set (CI), where it fails.

use std::path::PathBuf;

fn axe_or_skip() -> Option<PathBuf> {
    let found = std::env::var_os("PRESSWERK_AXE")
        .map(PathBuf::from)
        .filter(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("PRESSWERK_REQUIRE_AXE").is_none(),
            "axe-core is required (PRESSWERK_REQUIRE_AXE is set) but PRESSWERK_AXE names no file"
        );
        eprintln!(
            "skipped: axe-core not found (`npm install axe-core`, then PRESSWERK_AXE=…/axe.min.js)"
        );
    }
    found
}

const AXE_HARNESS: &str = r##"<!doctype html><html><head><meta charset="utf-8"></head><body><pre id="result">pending</pre>
<script>
const pages = [
  ["/", 390], ["/", 1280], ["/artikel/regionalgruppe-rheinland/", 390],
  ["/artikel/regionalgruppe-rheinland/", 1280], ["/artikel/", 1280], ["/autoren/ann-labus/", 390],
  ["/tags/", 1280], ["/tags/kooperation/", 390], ["/regions/rheinland/", 1280],
  ["/ausgaben/", 390], ["/ausgaben/2007-11/", 1280], ["/ausgaben/2007-11/email.html", 600],
  ["/ueber/", 390], ["/impressum/", 390], ["/datenschutz/", 1280], ["/404.html", 390],
  ["/suche/?q=Flammkuchen", 390], ["/suche/?q=Systemhaus", 1280],
];
const problems = [];
let checked = 0;
const sleep = ms => new Promise(r => setTimeout(r, ms));
function load(path, width) {
  return new Promise((resolve, reject) => {
    const f = document.createElement("iframe");
    f.style.width = width + "px"; f.style.height = "900px"; f.style.border = "0";
    f.onload = () => resolve(f);
    f.onerror = reject;
    f.src = path;
    document.body.appendChild(f);
  });
}
async function audit(path, width) {
  const f = await load(path, width);
  const doc = f.contentDocument, win = f.contentWindow;
  if (path.startsWith("/suche/")) {
    for (let i = 0; i < 200 && !doc.querySelector("#search-results li"); i++) await sleep(50);
    if (!doc.querySelector("#search-results li")) problems.push(path + ": no results to check");
  }
  await new Promise((resolve, reject) => {
    const s = doc.createElement("script");
    s.src = "/__axe.js"; s.onload = resolve; s.onerror = () => reject(new Error("axe did not load"));
    doc.head.appendChild(s);
  });
  const r = await win.axe.run(doc, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
  for (const v of r.violations) {
    problems.push(path + " @" + width + "px: " + v.id + " (" + v.impact + ") " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
  }
  checked++;
  f.remove();
}
(async () => {
  for (const [path, width] of pages) {
    try { await audit(path, width); } catch (e) { problems.push(path + ": " + e); }
  }
  document.getElementById("result").textContent = (problems.length ? "RESULT fail\n" + problems.join("\n") : "RESULT ok") + "\nchecked " + checked;
})();
</script></body></html>"##;

#[test]
fn the_newsletter_is_axe_clean_in_chromium() {
    let Some(chromium) = crate::browser::chromium_or_skip() else {
        return;
    };
    let Some(axe) = axe_or_skip() else {
        return;
    };
    let script = std::fs::read(&axe).expect("read axe.min.js");
    let run = crate::browser::RepoInBrowser::start_with(
        &chromium,
        AXE_HARNESS,
        &[("__axe.js", script.as_slice())],
    );
    let result = run.result.trim();
    assert!(
        result.starts_with("RESULT ok"),
        "axe found problems:\n{result}"
    );
    assert!(
        result.ends_with("checked 18"),
        "not every page was checked:\n{result}"
    );
}
