//! Search: the index `build` writes under `/_search/` and `serve` keeps current, read back
//! as the browser reads it (meta.json → chunks → document files), and `[search]`'s settings.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::harness::Site;
use crate::serve::{Events, Server};

/// The index as the browser sees it: every key with its postings (document id, weight),
/// and `meta.json`.
struct Index {
    meta: Value,
    keys: BTreeMap<String, Vec<(u64, u64)>>,
}

impl Index {
    /// The values of one filter of `meta.json` (`type`, `region`, …), in its order.
    fn filter_values(&self, filter: &str) -> Vec<&str> {
        self.meta["filters"][filter]
            .as_array()
            .expect("the filter is in meta.json")
            .iter()
            .map(|v| v[0].as_str().expect("a filter value is a string"))
            .collect()
    }

    /// Reads the index through `get` (a path below the site, such as `/_search/meta.json`).
    fn read(get: impl Fn(&str) -> Vec<u8>) -> Index {
        let meta: Value = serde_json::from_slice(&get("/_search/meta.json")).expect("meta.json");
        let mut keys = BTreeMap::new();
        let chunks = meta["chunks"].as_array().expect("chunks");
        for (n, c) in chunks.iter().enumerate() {
            let first = c[0].as_str().expect("first key");
            let file = c[1].as_str().expect("chunk file");
            let chunk: Value =
                serde_json::from_slice(&get(&format!("/_search/{file}"))).expect("chunk json");
            let map = chunk.as_object().expect("chunk object");
            assert_eq!(map.keys().next().map(String::as_str), Some(first));
            if let Some(next) = chunks.get(n + 1) {
                let next = next[0].as_str().expect("next key");
                assert!(map.keys().all(|k| k.as_str() < next), "chunks overlap");
            }
            for (k, flat) in map {
                let flat: Vec<u64> = flat
                    .as_array()
                    .expect("postings")
                    .iter()
                    .map(|v| v.as_u64().expect("number"))
                    .collect();
                let mut id = 0;
                let postings = flat
                    .chunks(2)
                    .map(|p| {
                        id += p[0];
                        (id, p[1])
                    })
                    .collect();
                keys.insert(k.clone(), postings);
            }
        }
        Index { meta, keys }
    }

    fn from_dir(public: &std::path::Path) -> Index {
        Index::read(|p| std::fs::read(public.join(p.trim_start_matches('/'))).expect(p))
    }

    /// The documents whose keys start with `prefix`.
    fn ids(&self, prefix: &str) -> Vec<u64> {
        let mut ids: Vec<u64> = self
            .keys
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .flat_map(|(_, p)| p.iter().map(|(id, _)| *id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

fn doc(public: &std::path::Path, id: u64) -> Value {
    let path = public.join(format!("_search/d/{id}.json"));
    serde_json::from_slice(&std::fs::read(path).expect("doc file")).expect("doc json")
}

fn with_search(site: &Site, table: &str) {
    let toml = site.read("site.toml") + "\n" + table;
    site.write("site.toml", toml);
}

#[test]
fn the_repo_newsletter_is_indexed_with_its_fields_and_filters() {
    let site = Site::repo();
    site.cmd(&["build"]).assert().success();
    let public = site.path("public");
    let index = Index::from_dir(&public);
    assert_eq!(index.meta["language"], "de");
    // The Rheinland report says "Systemhäuser", "Flammkuchen", "kollegiale", "Partnern".
    let report = index.ids("flammkuch");
    assert_eq!(report.len(), 1, "{:?}", index.keys.keys().take(20));
    let id = report[0];
    for key in ["systemhaus", "kollegial", "partn", "schalsick", "koln"] {
        assert!(
            index.ids(key).contains(&id),
            "{key} does not find the report"
        );
    }
    let d = doc(&public, id);
    assert_eq!(d["url"], "/artikel/regionalgruppe-rheinland/");
    assert_eq!(d["type"], "article");
    assert_eq!(d["date"], "2007-11-06");
    assert_eq!(d["date_text"], "6. November 2007");
    assert_eq!(d["authors"], serde_json::json!(["Ann Labus"]));
    assert_eq!(d["region"], "Rheinland");
    assert!(
        d["title"]
            .as_str()
            .unwrap()
            .contains("Noch enger zusammenrücken")
    );
    assert!(
        d["text"]
            .as_str()
            .unwrap()
            .contains("„Wir sind kollegiale Wettbewerber.“")
    );
    // A title word weighs more than any body count.
    let title_weight = index.keys["zusammenruck"]
        .iter()
        .find(|(d, _)| *d == id)
        .unwrap()
        .1;
    assert!(title_weight >= 1000, "{title_weight}");
    // The profile and the edition are documents too; the filters name every value.
    let types = index.filter_values("type");
    assert_eq!(types, ["article", "author", "edition"]);
    let region = &index.meta["filters"]["region"][0];
    assert_eq!(region[0], "Rheinland");
    let ids: Value = serde_json::from_slice(
        &std::fs::read(public.join("_search").join(region[2].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    assert!(
        ids.as_array()
            .unwrap()
            .iter()
            .any(|v| v.as_u64() == Some(id))
    );
    // The search page and the box in every page's header.
    let page = site.read("public/suche/index.html");
    assert!(page.contains("id=\"search-form\"") && page.contains("/regions/rheinland/"));
    assert!(
        site.read("public/index.html")
            .contains("class=\"search-box\"")
    );
}

#[test]
fn drafts_and_scheduled_pages_are_never_in_the_index() {
    let site = Site::fixture("basic");
    with_search(&site, "[search]\n");
    site.write(
        "content/artikel/spaeter.md",
        "---\ntitle: Kommt später\ndate: 2020-01-01\npublish_date: 2999-01-01\n---\n\nZukunftsmusikwort.\n",
    );
    site.cmd(&["build"]).assert().success();
    let index = Index::from_dir(&site.path("public"));
    assert!(
        !index.ids("bruck").is_empty(),
        "published articles are indexed"
    );
    for word in ["entwurfstext", "zukunftsmusikwort", "geheim"] {
        assert!(index.ids(word).is_empty(), "{word} is in the index");
    }
    let all = std::fs::read_dir(site.path("public/_search/d")).unwrap();
    for f in all {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        assert!(!text.contains("Noch geheim") && !text.contains("Kommt später"));
    }
    // With --drafts they are.
    site.cmd(&["build", "--drafts"]).assert().success();
    let index = Index::from_dir(&site.path("public"));
    assert_eq!(index.ids("entwurfstext").len(), 1);
    assert_eq!(index.ids("zukunftsmusikwort").len(), 1);
}

#[test]
fn serve_updates_the_index_when_a_page_is_saved_and_leaves_drafts_out() {
    let site = Site::fixture("basic");
    with_search(&site, "[search]\n");
    let server = Server::start(&site, &[]);
    let mut events = Events::open(server.port);
    let get = |p: &str| {
        let (status, _, body) = server.get(p);
        assert_eq!(status, 200, "{p}");
        body
    };
    let before = Index::read(get);
    assert!(before.ids("zwiebelkuch").is_empty());
    assert!(
        before.ids("entwurfstext").is_empty(),
        "no drafts without --drafts"
    );
    let path = "content/artikel/2020-03-01-bruecken-fuer-koeln.md";
    let text = site.read(path) + "\nDazu gab es Zwiebelkuchen.\n";
    site.write(path, text);
    assert_eq!(events.next().0, "reload");
    let after = Index::read(get);
    let ids = after.ids("zwiebelkuch");
    assert_eq!(ids.len(), 1, "the saved word is found");
    let (_, _, body) = server.get(&format!("/_search/d/{}.json", ids[0]));
    let d: Value = serde_json::from_slice(&body).unwrap();
    assert!(d["text"].as_str().unwrap().contains("Zwiebelkuchen"));
    // A new article is found, a deleted one is gone.
    site.write(
        "content/artikel/neu.md",
        "---\ntitle: Ganz neu\ndate: 2020-05-01\n---\nVon Quittengelee war die Rede.\n",
    );
    assert_eq!(events.next().0, "reload");
    assert_eq!(Index::read(get).ids("quittengel").len(), 1);
    site.remove("content/artikel/neu.md");
    assert_eq!(events.next().0, "reload");
    assert!(Index::read(get).ids("quittengel").is_empty());
    drop(server);
    let server = Server::start(&site, &["--drafts"]);
    let get = |p: &str| server.get(p).2;
    assert_eq!(Index::read(get).ids("entwurfstext").len(), 1);
}

#[test]
fn settings_choose_what_is_indexed_and_can_turn_search_off() {
    let site = Site::fixture("basic");
    with_search(
        &site,
        "[search]\nindex = [\"articles\", \"pages\"]\nexclude_sections = [\"termine\"]\npath = \"finden\"\n",
    );
    site.cmd(&["build"]).assert().success();
    let public = site.path("public");
    let index = Index::from_dir(&public);
    let types = index.filter_values("type");
    assert!(!types.contains(&"author"), "{types:?}");
    assert!(public.join("finden/index.html").is_file());
    assert!(!public.join("suche").exists());
    // content/termine/sommerfest.md ("Wir feiern.") is in an excluded section.
    assert!(index.ids("feier").is_empty() && index.ids("sommerfest").is_empty());
    assert!(!index.ids("bruck").is_empty());

    // Off: no index, no search page, no box.
    let off = Site::fixture("basic");
    with_search(&off, "[search]\nenabled = false\n");
    off.cmd(&["build"]).assert().success();
    assert!(!off.path("public/_search").exists() && !off.path("public/suche").exists());
    assert!(!off.read("public/index.html").contains("search-box"));
    // Without the table there is no search either.
    let none = Site::fixture("basic");
    none.cmd(&["build"]).assert().success();
    assert!(!none.path("public/_search").exists());
}

#[test]
fn bad_settings_are_errors_at_their_table() {
    let site = Site::fixture("basic");
    // The table's line: after the fixture's own lines and the blank line `with_search` adds.
    let table_line = site.read("site.toml").lines().count() + 2;
    with_search(&site, "[search]\nindex = [\"artikel\"]\npath = \"a/b\"\n");
    let out = site.cmd(&["build"]).assert().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("search.index names `artikel`"), "{err}");
    assert!(
        err.contains("known: articles, authors, editions, pages"),
        "{err}"
    );
    assert!(err.contains("search.path `a/b`"), "{err}");
    assert!(err.contains(&format!("site.toml:{table_line}:")), "{err}");
    let typo = Site::fixture("basic");
    with_search(&typo, "[search]\nenable = false\n");
    let out = typo.cmd(&["build"]).assert().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("enable"), "{err}");
}

#[test]
fn english_sites_get_english_stems() {
    let site = Site::fixture("basic");
    let toml = site
        .read("site.toml")
        .replace("language = \"de\"", "language = \"en\"");
    site.write("site.toml", toml + "\n[search]\n");
    site.write(
        "content/artikel/partners.md",
        "---\ntitle: Partnerships\ndate: 2020-06-01\n---\nThe companies were running.\n",
    );
    site.cmd(&["build"]).assert().success();
    let index = Index::from_dir(&site.path("public"));
    assert_eq!(index.meta["language"], "en");
    assert_eq!(index.meta["umlaut_spellings"], false);
    for key in ["partnership", "compani", "run"] {
        assert!(index.keys.contains_key(key), "{key}");
    }
}

/// The search page in a real Chromium: typing into the field (as `input` events, one
/// query after the other) finds the Rheinland report for "Flammkuchen", "Systemhaus" and
/// "kollegial", with date, author and a highlighted excerpt; a query without a match says
/// so in German; the region filter and the arrow keys work.
const SEARCH_HARNESS: &str = r##"<!doctype html><html><head><meta charset="utf-8"></head><body><pre id="result">pending</pre>
<script>
const problems = [];
const f = document.createElement("iframe");
f.style.width = "1000px"; f.style.height = "900px";
const sleep = ms => new Promise(r => setTimeout(r, ms));
async function until(what, test) {
  for (let i = 0; i < 200; i++) { const v = test(); if (v) return v; await sleep(50); }
  problems.push("timed out waiting for " + what);
  return null;
}
async function type(doc, q) {
  const input = doc.getElementById("search-q");
  input.focus();
  input.value = q;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  const status = doc.getElementById("search-status");
  return until("the status for " + q, () => {
    const t = status.textContent;
    return t.includes("„" + q + "“") && !t.includes("läuft") && t;
  });
}
async function run() {
  const doc = f.contentDocument, win = f.contentWindow;
  await until("the filters (meta.json loaded)", () => !doc.querySelector(".search-filters").hidden);
  if (doc.querySelector("noscript") === null) problems.push("no noscript hint");
  for (const q of ["Flammkuchen", "Systemhaus", "kollegial", "Systemhäuser", "Partnerschaften", "flammk"]) {
    const status = await type(doc, q);
    if (!status) continue;
    await until("results for " + q, () => doc.querySelector("#search-results li"));
    const items = [...doc.querySelectorAll("#search-results li")];
    const hit = items.find(li => li.querySelector("h3 a").getAttribute("href") === "/artikel/regionalgruppe-rheinland/");
    if (!hit) { problems.push(q + ": the Rheinland report is not among " + items.length + " results (" + status + ")"); continue; }
    if (!/^\d+ Treffer für/.test(status)) problems.push(q + ": status " + status);
    const meta = hit.querySelector(".search-meta").textContent;
    for (const part of ["Artikel", "6. November 2007", "von Ann Labus", "Rheinland"]) if (!meta.includes(part)) problems.push(q + ": meta lacks " + part + ": " + meta);
    const marks = [...hit.querySelectorAll("mark")].map(m => m.textContent);
    if (!marks.length) problems.push(q + ": nothing highlighted");
    if (q === "kollegial" && !marks.includes("kollegiale")) problems.push("kollegial: marks " + marks);
    if (q === "Systemhaus" && items[0] !== hit && items[0].querySelector("h3 mark") === null) problems.push("Systemhaus: a result without a title match ranks first");
    const time = hit.querySelector("time");
    if (!time || time.getAttribute("datetime") !== "2007-11-06") problems.push(q + ": no <time datetime>");
  }
  // Nothing found: said so, in German, with no result left over.
  const none = await type(doc, "Xylophonquatsch");
  if (none && !none.startsWith("Keine Treffer für „Xylophonquatsch“")) problems.push("no-match status: " + none);
  if (doc.querySelectorAll("#search-results li").length) problems.push("results left over after a query without a match");
  // The region filter keeps the report; the arrow key moves from the field to the first result.
  const region = doc.getElementById("search-region");
  if (![...region.options].some(o => o.value === "Rheinland")) problems.push("no Rheinland in the region filter");
  region.value = "Rheinland";
  region.dispatchEvent(new Event("change", { bubbles: true }));
  await type(doc, "Flammkuchen");
  await until("filtered results", () => doc.querySelector("#search-results li"));
  const input = doc.getElementById("search-q");
  input.focus();
  input.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
  const first = doc.querySelector("#search-results h3 a");
  if (!first || doc.activeElement !== first) problems.push("ArrowDown does not reach the first result");
  if (!win.location.search.includes("q=Flammkuchen") || !win.location.search.includes("region=Rheinland")) problems.push("the query is not in the address: " + win.location.search);
  // What the queries fetched of the index: never the whole of it.
  const index = win.performance.getEntriesByType("resource").filter(e => e.name.includes("/_search/"));
  const bytes = index.reduce((n, e) => n + e.encodedBodySize, 0);
  if (!index.some(e => e.name.endsWith("/meta.json"))) problems.push("meta.json not fetched");
  document.getElementById("result").textContent = (problems.length ? "RESULT fail\n" + problems.join("\n") : "RESULT ok") + "\nindex bytes " + bytes;
}
f.onload = () => run().catch(e => { document.getElementById("result").textContent = "RESULT fail\n" + e; });
f.src = "/suche/";
document.body.appendChild(f);
</script></body></html>"##;

#[test]
fn searching_the_newsletter_in_chromium() {
    let Some(chromium) = crate::browser::chromium_or_skip() else {
        return;
    };
    let run = crate::browser::RepoInBrowser::start(&chromium, SEARCH_HARNESS);
    let result = run.result.trim();
    assert!(
        result.starts_with("RESULT ok"),
        "search in the browser failed:\n{result}"
    );
}
