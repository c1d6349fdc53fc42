//! Building sites: what lands where, and what it looks like.

use crate::harness::{Run, Site, presswerk, tree};

#[test]
fn basic_site_writes_pretty_urls_assets_static_files_and_overrides() {
    let site = Site::fixture("basic");
    let run = site.run(&["build"]).expect_success();
    insta::assert_snapshot!(run.stdout(), @"Built 3 pages, 4 sections, 1 authors, 0 terms, 1 held back (drafts/scheduled): 23 files (0.1 MiB) in [ELAPSED] → ./public");
    assert_eq!(run.stderr(), "");
    let files: Vec<String> = tree(&site.path("public")).into_keys().collect();
    assert_eq!(
        files,
        [
            "404.html",
            "articles.json",
            "artikel/bruecken-fuer-koeln/index.html",
            "artikel/bruecken-fuer-koeln/plan.svg",
            "artikel/index.html",
            "artikel/ueber-uns-mehr/index.html",
            "atom.xml",
            "authors.json",
            "autoren/erika-muster/index.html",
            "autoren/erika-muster/page/1/index.html",
            "autoren/index.html",
            "dateien/info.txt",
            "datenschutz/index.html",
            "impressum/index.html",
            "index.html",
            "robots.txt",
            "rss.xml",
            "search.css",
            "search.js",
            "sitemap.xml",
            "style.css",
            "termine/index.html",
            "termine/sommerfest/index.html",
        ]
    );
    // The site's templates/404.html replaces the theme's.
    assert!(
        site.read("public/404.html")
            .contains("<h1>Seite fehlt – Testblatt</h1>")
    );
}

#[test]
fn article_page_snapshot() {
    let site = Site::fixture("basic");
    site.build();
    insta::assert_snapshot!(
        "article_page",
        site.read("public/artikel/bruecken-fuer-koeln/index.html")
    );
}

#[test]
fn home_author_and_section_snapshots() {
    let site = Site::fixture("basic");
    site.build();
    insta::assert_snapshot!("home_page", site.read("public/index.html"));
    insta::assert_snapshot!(
        "author_page",
        site.read("public/autoren/erika-muster/index.html")
    );
    insta::assert_snapshot!("implicit_section", site.read("public/termine/index.html"));
}

#[test]
fn markdown_typography_ids_and_author_box() {
    let site = Site::fixture("basic");
    site.build();
    let html = site.read("public/artikel/bruecken-fuer-koeln/index.html");
    // German quotes from typed ASCII quotes; typed „…“ kept; apostrophe stays.
    assert!(
        html.contains(
            "Die Stadt sagt: „Wir bauen“ – und die Kammer meint, es geht’s nicht ohne ‚Förderung‘."
        ),
        "{html}"
    );
    assert!(html.contains("Brücken für Köln: „Jetzt oder nie“"));
    // Unique heading ids, table, footnote, task list.
    assert!(html.contains("<h2 id=\"planung\">") && html.contains("<h2 id=\"planung-1\">"));
    assert!(
        html.contains("<table>")
            && html.contains("footnote-definition")
            && html.contains("type=\"checkbox\"")
    );
    // Date from the file name, in German.
    assert!(html.contains("1. März 2020"));
    // The author box introduces the author in prose: biography, employer, contact, profile.
    for needle in [
        "Über Erika Muster",
        "Erika Muster schreibt über Verkehr.",
        "Erika Muster arbeitet bei Muster &amp; Partner in Köln (Beratung).",
        "Website: <a href=\"https://muster.example\" rel=\"noopener\">muster.example</a>",
        "Alle Artikel von Erika Muster",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    // Not a record of labelled fields.
    for record in ["Vorname", "Nachname", "<dt>"] {
        assert!(!html.contains(record), "{record} in the author box");
    }
    // The profile page names the company once and gives the postal address.
    let profile = site.read("public/autoren/erika-muster/index.html");
    let main = &profile[profile.find("<main").unwrap()..profile.find("</main>").unwrap()];
    assert_eq!(main.matches("Muster &amp; Partner").count(), 1, "{main}");
    assert!(main.contains("Domplatz 1<br>50667 Köln"), "{main}");
}

#[test]
fn bom_crlf_custom_slug_and_date_with_time() {
    let site = Site::fixture("basic");
    site.build();
    let html = site.read("public/artikel/ueber-uns-mehr/index.html");
    assert!(html.contains("Text mit Windows-Zeilenenden."));
    assert!(html.contains("24. Dezember 2019"));
    assert!(html.contains("datetime=\"2019-12-24\""));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("basic");
    site.build();
    assert!(!site.path("public/artikel/noch-geheim").exists());
    assert!(
        !site
            .read("public/artikel/index.html")
            .contains("Noch geheim")
    );
    site.cmd(&["build", "--drafts"]).assert().success();
    assert!(
        site.read("public/artikel/entwurf/index.html")
            .contains("Noch geheim")
    );
}

#[test]
fn english_site_uses_english_labels_and_dates() {
    let site = Site::fixture("basic");
    let toml = site
        .read("site.toml")
        .replace("language = \"de\"", "language = \"en\"");
    site.write("site.toml", toml).build();
    let html = site.read("public/artikel/bruecken-fuer-koeln/index.html");
    assert!(html.contains("March 1, 2020"), "{html}");
    assert!(html.contains("About Erika Muster"));
    assert!(html.contains("<html lang=\"en\">"));
    // English typography: curly quotes the English way.
    assert!(html.contains("“Wir bauen”"));
}

#[test]
fn base_url_override_sets_every_permalink() {
    let site = Site::fixture("basic");
    site.cmd(&["build", "--base-url", "https://cdn.example/nl/"])
        .assert()
        .success();
    let html = site.read("public/index.html");
    assert!(html.contains("https://cdn.example/nl/artikel/bruecken-fuer-koeln/"));
    assert!(!html.contains("https://test.example"));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = Site::fixture("basic");
    site.cmd(&["build", "--output", "eins"]).assert().success();
    site.cmd(&["build", "--output", "zwei"]).assert().success();
    let (a, b) = (tree(&site.path("eins")), tree(&site.path("zwei")));
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[test]
fn output_and_root_flags() {
    let site = Site::fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("ausgabe");
    let mut build = presswerk();
    build
        .current_dir(elsewhere.path())
        .args(["build", "--root"])
        .arg(&site.root)
        .arg("--output")
        .arg(&out);
    let run = Run::of(build, elsewhere.path()).expect_success();
    insta::assert_snapshot!(run.stdout(), @"Built 3 pages, 4 sections, 1 authors, 0 terms, 1 held back (drafts/scheduled): 23 files (0.1 MiB) in [ELAPSED] → [ROOT]/ausgabe");
    assert!(out.join("index.html").is_file());
    assert!(!site.path("public").exists());
}

#[test]
fn an_output_folder_that_cannot_be_made_is_an_error_and_writes_nothing() {
    let site = Site::fixture("basic");
    site.write("datei", "kein Ordner");
    let before = tree(&site.root);
    let run = site
        .run(&["build", "--output", "datei/public"])
        .expect_failure();
    insta::assert_snapshot!(run.stderr(), @r"
        error: cannot write datei
          caused by: File exists (os error 17)
        ");
    assert_eq!(run.stdout(), "");
    assert_eq!(tree(&site.root), before);
}

#[test]
fn refuses_output_folders_that_would_replace_the_site() {
    let site = Site::fixture("basic");
    let outputs: String = [".", "content", "content/x", "themes", ".."]
        .into_iter()
        .map(|bad| {
            let run = site.run(&["build", "--output", bad]).expect_failure();
            assert_eq!(run.stdout(), "", "{bad}");
            format!("$ presswerk build --output {bad}\n{}", run.stderr())
        })
        .collect();
    insta::assert_snapshot!(outputs, @r"
        $ presswerk build --output .
        error: refusing to use . as the output folder: it would replace the site's own files
        $ presswerk build --output content
        error: refusing to use content as the output folder: it would replace the site's own files
        $ presswerk build --output content/x
        error: refusing to use content/x as the output folder: it would replace the site's own files
        $ presswerk build --output themes
        error: refusing to use themes as the output folder: it would replace the site's own files
        $ presswerk build --output ..
        error: refusing to use .. as the output folder: it would replace the site's own files
        ");
    assert!(site.path("content/_index.md").is_file());
}

#[test]
fn repo_newsletter_builds_with_the_whole_rheinland_report() {
    let site = Site::repo();
    site.build();
    let html = site.read("public/artikel/regionalgruppe-rheinland/index.html");
    for needle in [
        "Günter Benter greift nach seinem Kugelschreiber",
        "„Wir sind kollegiale Wettbewerber.“",
        "Seit 1 ½ Stunden",
        "alle 343 iTeam Partner",
        "„Alle hier haben verstanden, dass wir gemeinsam weiter kommen können als allein.“",
        "6. November 2007",
        "Über Ann Labus",
        "Ann-Christin Labus schreibt für den Newsletter",
        "Wandschneider &amp; Bartsch Kommunikationsberatung in Unna",
        "Website: <a href=\"http://www.die-agentur.com\" rel=\"noopener\">die-agentur.com</a>",
        "Rheinland",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    // The profile page: the company once, in its header, the postal address in the contact box.
    let author = site.read("public/autoren/ann-labus/index.html");
    assert!(author.contains("/artikel/regionalgruppe-rheinland/"));
    assert!(
        author.contains(
            "Wandschneider &amp; Bartsch Kommunikationsberatung · Kommunikationsberatung"
        )
    );
    assert!(author.contains("Kirchplatz 7b<br>59423 Unna"));
}

/// `PageRenderer` (for benchmarks) renders a page exactly as a build does.
#[test]
fn page_renderer_gives_the_bytes_of_a_build() {
    use presswerk::internals::{Cache, PageRenderer, load, load_theme, render, resolve};
    use presswerk::{Config, Diagnostics, Overrides};
    let site = Site::fixture("basic");
    let config = Config::load(&site.root, &Overrides::default()).unwrap();
    let mut diags = Diagnostics::new();
    let theme = load_theme(&config, &mut diags).unwrap();
    let loaded = load(&config, &mut diags);
    let mut cache = Cache::new();
    let resolved = resolve(config, loaded, Some(&theme), &mut cache, &mut diags);
    assert!(!diags.has_errors());
    let output = render(&resolved, &theme, &mut cache, &mut diags);
    let pages = PageRenderer::new(&resolved, &theme);
    assert!(!resolved.pages.is_empty());
    for (i, page) in resolved.pages.iter().enumerate() {
        let file = format!("{}index.html", page.path.trim_start_matches('/'));
        let Some(presswerk::Entry::Bytes(built)) = output.get(&file) else {
            panic!("{file} not built");
        };
        assert_eq!(pages.render(i).unwrap(), built.to_vec(), "{file}");
    }
}
