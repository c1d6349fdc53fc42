//! `presswerk import hugo|jekyll SRC [DEST]`: fixture sites modelled on real Hugo and Jekyll
//! sites are imported, the report and the written front matter compared with snapshots, and
//! the new site built and checked: every URL the old site served still answers, as a page
//! or as a redirect to it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::harness::{REPO, Run, copy_dir, presswerk};

/// A fixture of `tests/fixtures/import/` copied into a temporary folder, imported into
/// `neu/` beside it. Commands run in that folder with relative paths, so the output reads
/// the same on every machine.
struct Imported {
    _dir: tempfile::TempDir,
    top: PathBuf,
    run: Run,
}

fn import(tool: &str, fixture: &str) -> Imported {
    let dir = tempfile::tempdir().expect("temp dir");
    let top = dir.path().to_path_buf();
    copy_dir(
        &Path::new(REPO).join("tests/fixtures/import").join(fixture),
        &top.join(fixture),
    );
    let run = run_in(&top, &["import", tool, fixture, "neu"]).expect_success();
    Imported {
        _dir: dir,
        top,
        run,
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = presswerk();
    cmd.current_dir(dir).args(args);
    Run::of(cmd, dir)
}

impl Imported {
    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.top.join("neu").join(rel))
            .unwrap_or_else(|e| panic!("reading neu/{rel}: {e}"))
    }

    fn build(&self) -> Run {
        run_in(&self.top, &["build", "--root", "neu"]).expect_success()
    }

    fn check(&self) -> Run {
        run_in(&self.top, &["check", "--root", "neu"])
    }

    /// Every `old → new` line of the report whose old URL redirects: the redirect page
    /// must exist and lead to the new URL, which must be a page of the build.
    fn assert_redirects(&self, base_url: &str) {
        let public = self.top.join("neu/public");
        let mut n = 0;
        for line in self.run.stdout().lines() {
            let Some(moved) = line.trim().strip_prefix("moved ") else {
                continue;
            };
            if moved.contains("(no redirect") {
                continue;
            }
            let (old, new) = moved.split_once(" → ").expect("old → new");
            let file = output_file(old);
            let redirect = fs::read_to_string(public.join(&file))
                .unwrap_or_else(|e| panic!("redirect page {file} for {old}: {e}"));
            assert!(
                redirect.contains(&format!("{base_url}{new}")),
                "{file} should lead to {new}:\n{redirect}"
            );
            assert!(public.join(output_file(new)).is_file(), "{new} is built");
            n += 1;
        }
        assert!(n > 0, "the fixture has URLs that moved");
    }

    /// Each of `urls` answers in the new site: a page there, or a redirect page.
    fn assert_answers(&self, urls: &[&str]) {
        let public = self.top.join("neu/public");
        for url in urls {
            assert!(
                public.join(output_file(url)).is_file(),
                "the old URL {url} answers"
            );
        }
    }
}

/// The file a site path is served from: `/a/` and `/a` → `a/index.html`, `/a.html` → `a.html`.
fn output_file(path: &str) -> String {
    let rel = path.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else if rel
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        rel.to_string()
    } else {
        format!("{rel}/index.html")
    }
}

#[test]
fn a_hugo_site_with_toml_config_bundles_and_author_data_builds_with_every_old_url() {
    let site = import("hugo", "hugo-verein");
    let run = &site.run;
    insta::assert_snapshot!(run.stdout(), @r#"
Imported a Hugo site from hugo-verein into neu: 7 pages, 2 sections, 2 authors, 3 files copied; 4 skipped; 6 URLs changed (6 redirected)
  skipped hugo-verein/content/aktuelles/fruehjahrsputz.en.md: translation (en): presswerk builds one language
  skipped hugo-verein/content/aktuelles/sommerfest/notizen.md: a page resource of the bundle content/aktuelles/sommerfest/index.md: Hugo renders no page for it
  skipped hugo-verein/hugo.toml: languages en: presswerk builds one language, the default one (de) is imported
  skipped hugo-verein/layouts/: templates: the new site uses presswerk's theme
  moved /2024/04/fruehjahrsputz-2024/ → /aktuelles/fruehjahrsputz-2024/
  moved /2024/07/sommerfest-2024-musik-grill-und-tombola/ → /aktuelles/sommerfest/
  moved /putztag/ → /aktuelles/fruehjahrsputz-2024/
  moved /ueber-uns/vorstand/ → /verein/vorstand/
  moved /verein.html → /ueber/
  moved /vorstand/ → /verein/vorstand/
  check hugo-verein/content/aktuelles/fruehjahrsputz.md:20: Hugo shortcode `gartenkalender` is not known to presswerk (make it a presswerk shortcode: templates/shortcodes/gartenkalender.html, called as {{ gartenkalender(…) }}; or write its content out)
The report is also in neu/import-report.txt. Next: presswerk build --root neu
"#);
    insta::assert_snapshot!(run.stderr(), @"");
    insta::assert_snapshot!("hugo_verein_site_toml", site.read("site.toml"));
    insta::assert_snapshot!(
        "hugo_verein_fruehjahrsputz",
        site.read("content/aktuelles/fruehjahrsputz.md")
    );
    insta::assert_snapshot!(
        "hugo_verein_sommerfest",
        site.read("content/aktuelles/sommerfest.md")
    );
    insta::assert_snapshot!(
        "hugo_verein_profiles",
        format!(
            "{}\n{}",
            site.read("content/authors/erika-gaertner.md"),
            site.read("content/authors/jonas-weber.md")
        )
    );
    assert!(
        site.top
            .join("neu/content/aktuelles/sommerfest/plakat.svg")
            .is_file()
    );
    assert_eq!(
        site.read("import-report.txt").lines().count(),
        run.stdout().lines().count() - 1,
        "the file holds the summary and every line of the report"
    );
    let build = site.build();
    insta::assert_snapshot!(build.stdout(), @r#"Built 6 pages, 5 sections, 2 authors, 4 terms, 1 held back (drafts/scheduled): 44 files (0.1 MiB) in [ELAPSED] → neu/public"#);
    // What `hugo` writes for this fixture (its default language; the draft is left out):
    // each of these still answers, as the page or as a redirect to it.
    site.assert_answers(&[
        "/2024/04/fruehjahrsputz-2024/",
        "/2024/07/sommerfest-2024-musik-grill-und-tombola/",
        "/putztag/",
        "/ueber-uns/vorstand/",
        "/ueber/",
        "/verein.html",
        "/vorstand/",
        "/ordnung/satzung/",
        "/ordnung/gartenordnung/",
    ]);
    site.assert_redirects("https://www.kleingarten-lindenau.example");
    // A section of undated pages is sorted by weight, as Hugo lists it, and check asks
    // none of them for a date.
    assert_eq!(
        site.read("content/ordnung/_index.md"),
        "---\nsort_by: weight\n---\n"
    );
    let list = site.read("public/ordnung/index.html");
    let (satzung, ordnung) = (list.find("Satzung"), list.find("Gartenordnung"));
    assert!(
        satzung.is_some() && ordnung.is_some() && satzung < ordnung,
        "{list}"
    );
    let check = site.check().expect_success();
    insta::assert_snapshot!(check.stdout(), @r#"Check passed: 0 error(s), 1 warning(s); 32 pages, 359 internal links in [ELAPSED]"#);
}

#[test]
fn a_hugo_site_with_yaml_config_ugly_urls_and_broken_files_reports_what_it_skipped() {
    let site = import("hugo", "hugo-rundbrief");
    let run = &site.run;
    insta::assert_snapshot!(run.stdout(), @r#"
Imported a Hugo site from hugo-rundbrief into neu: 3 pages, 0 sections, 1 authors, 1 files copied; 3 skipped; 4 URLs changed (3 redirected)
  skipped hugo-rundbrief/content/rundbrief/kaputt.md:5: invalid YAML in front matter: did not find expected ',' or ']'
  skipped hugo-rundbrief/content/rundbrief/protokoll.org: org content is not converted (only Markdown is)
  skipped hugo-rundbrief/static/style.css: presswerk writes its own /style.css
  moved /impressum.html → /impressum/
  moved /rundbrief/2024-05-30-honigernte.html → /rundbrief/honigernte/
  moved /rundbrief/schwarmzeit.html → /rundbrief/schwarmzeit/
  moved /tags/frühtracht/ → /tags/fruehtracht/ (no redirect: presswerk redirects only to pages)
  check hugo-rundbrief/content/rundbrief/schwarmzeit.md:11: Hugo shortcode `hinweis` is not known to presswerk (make it a presswerk shortcode: templates/shortcodes/hinweis.html, called as {{ hinweis(…) }}; or write its content out)
The report is also in neu/import-report.txt. Next: presswerk build --root neu
"#);
    insta::assert_snapshot!(
        "hugo_rundbrief_schwarmzeit_from_json_front_matter",
        site.read("content/rundbrief/schwarmzeit.md")
    );
    // `{{< ref >}}` became an `@/` link, which check follows.
    assert!(
        site.read("content/rundbrief/2024-05-30-honigernte.md")
            .contains("(@/rundbrief/schwarmzeit.md)")
    );
    site.build();
    site.assert_redirects("https://rundbrief.imkerverein-elbtal.example");
    site.check().expect_success();
}

#[test]
fn a_jekyll_blog_keeps_its_post_urls_and_authors() {
    let site = import("jekyll", "jekyll-chor");
    let run = &site.run;
    insta::assert_snapshot!(run.stdout(), @r#"
Imported a Jekyll site from jekyll-chor into neu: 6 pages, 1 sections, 3 authors, 1 files copied; 5 skipped; 5 URLs changed (5 redirected)
  skipped jekyll-chor/404.html:1: presswerk's theme writes the 404 page
  skipped jekyll-chor/_layouts/: templates: the new site uses presswerk's theme
  skipped jekyll-chor/_posts/2024-07-01-rueckblick.html: a .html post is not converted (only Markdown is)
  skipped jekyll-chor/_posts/konzertplan.md: not named YYYY-MM-DD-title: Jekyll does not publish it
  skipped jekyll-chor/assets/style.scss:1: Jekyll renders it with Liquid templates: not converted
  moved /chor/aktuelles/2024/03/02/probenbeginn.html → /posts/probenbeginn/
  moved /kontakt.html → /kontakt/
  moved /konzerte/2024/05/11/konzert-im-park.html → /posts/konzert-im-park/
  moved /pause/ → /posts/sommerpause/
  moved /sommerpause/ → /posts/sommerpause/
The report is also in neu/import-report.txt. Next: presswerk build --root neu
"#);
    insta::assert_snapshot!(
        "jekyll_chor_probenbeginn",
        site.read("content/posts/2024-03-02-probenbeginn.md")
    );
    insta::assert_snapshot!("jekyll_chor_anna", site.read("content/autoren/anna.md"));
    assert!(
        !site.top.join("neu/static/notizen").exists(),
        "excluded in _config.yml"
    );
    // The draft names no author: `defaults:` in _config.yml gives posts one.
    assert!(
        site.read("content/posts/herbstkonzert.md")
            .contains("authors:\n- anna\n"),
        "{}",
        site.read("content/posts/herbstkonzert.md")
    );
    let build = site.build();
    insta::assert_snapshot!(build.stdout(), @r#"Built 5 pages, 3 sections, 3 authors, 6 terms, 1 held back (drafts/scheduled): 44 files (0.1 MiB) in [ELAPSED] → neu/public"#);
    site.assert_answers(&[
        "/chor/aktuelles/2024/03/02/probenbeginn.html",
        "/konzerte/2024/05/11/konzert-im-park.html",
        "/sommerpause/",
        "/pause/",
        "/ueber/",
        "/kontakt.html",
        "/assets/galerie.svg",
    ]);
    site.assert_redirects("https://chor-harmonie.example");
    // `ueber/` was written beside /kontakt.html; from /kontakt/ it would point below it.
    assert!(
        site.read("content/kontakt.md")
            .contains("[Über uns](/ueber/)")
    );
    site.check().expect_success();
}

/// A copy of `fixture` in a temporary folder, for the tests that break it.
fn copy(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &Path::new(REPO).join("tests/fixtures/import").join(fixture),
        &dir.path().join(fixture),
    );
    let top = dir.path().to_path_buf();
    (dir, top)
}

#[test]
fn a_dest_that_is_not_empty_is_refused_and_left_alone() {
    let (_dir, top) = copy("hugo-verein");
    fs::create_dir(top.join("neu")).unwrap();
    fs::write(top.join("neu/notiz.txt"), "bleibt").unwrap();
    let run = run_in(&top, &["import", "hugo", "hugo-verein", "neu"]).expect_failure();
    insta::assert_snapshot!(run.stderr(), @r#"error: neu exists and is not empty; presswerk import only writes into a new or empty folder"#);
    assert_eq!(run.stdout(), "");
    assert_eq!(
        fs::read_to_string(top.join("neu/notiz.txt")).unwrap(),
        "bleibt"
    );
    assert_eq!(fs::read_dir(top.join("neu")).unwrap().count(), 1);
}

#[test]
fn a_missing_or_foreign_src_is_an_error_and_nothing_is_written() {
    let (_dir, top) = copy("jekyll-chor");
    let run = run_in(&top, &["import", "hugo", "gibt-es-nicht", "neu"]).expect_failure();
    insta::assert_snapshot!(run.stderr(), @r#"
error: cannot read gibt-es-nicht
  caused by: No such file or directory (os error 2)
"#);
    let run = run_in(&top, &["import", "hugo", "jekyll-chor", "neu"]).expect_failure();
    insta::assert_snapshot!(run.stderr(), @r#"
error: not a Hugo site: jekyll-chor has no hugo.toml, hugo.yaml, hugo.json or config.toml, config.yaml, config.json
 |
 = help: a Hugo site has hugo.toml (or hugo.yaml, hugo.json, config.toml, config.yaml, config.json) and content/

error: 1 error(s); nothing was written
"#);
    let run = run_in(&top, &["import", "jekyll", "jekyll-chor/_posts", "neu"]).expect_failure();
    insta::assert_snapshot!(run.stderr(), @r#"
error: not a Jekyll site: jekyll-chor/_posts has no _config.yml
 |
 = help: a Jekyll site has _config.yml

error: 1 error(s); nothing was written
"#);
    assert!(!top.join("neu").exists());
}

#[test]
fn a_broken_config_names_its_line_and_column_and_writes_nothing() {
    let (_dir, top) = copy("hugo-verein");
    let config = top.join("hugo-verein/hugo.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        text.replace("title = \"Kleingarten", "title = Kleingarten"),
    )
    .unwrap();
    let run = run_in(&top, &["import", "hugo", "hugo-verein", "neu"]).expect_failure();
    insta::assert_snapshot!(run.stderr(), @r#"
error: cannot read the old site's configuration
 --> hugo-verein/hugo.toml:3:40
  |
3 | title = Kleingartenverein Lindenau e.V."
  |                                        ^ unexpected key or value, expected newline, `#`
  |
  = help: fix the file (the old tool cannot read it either), then import again

error: 1 error(s); nothing was written
"#);
    assert!(!top.join("neu").exists());
    let leftovers: Vec<_> = fs::read_dir(&top)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no staging folder is left: {leftovers:?}"
    );
}

/// Symbolic links are not followed (a link out of SRC would copy a file from elsewhere),
/// folders nested without end are cut off, and a huge file is skipped unread.
#[cfg(unix)]
#[test]
fn hostile_trees_cost_bounded_time_and_never_reach_outside_src() {
    let (_dir, top) = copy("hugo-verein");
    let src = top.join("hugo-verein");
    fs::write(top.join("geheim.txt"), "nicht kopieren").unwrap();
    std::os::unix::fs::symlink(top.join("geheim.txt"), src.join("static/geheim.txt")).unwrap();
    std::os::unix::fs::symlink(&top, src.join("content/aktuelles/schleife")).unwrap();
    let mut deep = src.join("static");
    for _ in 0..40 {
        deep = deep.join("d");
    }
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("tief.txt"), "x").unwrap();
    let big = format!("---\ntitle: Groß\n---\n{}", "Text ".repeat(2 * 1024 * 1024));
    fs::write(src.join("content/aktuelles/riesig.md"), big).unwrap();
    fs::write(
        src.join("content/aktuelles/a\\b.md"),
        "---\ntitle: x\n---\n",
    )
    .unwrap();
    let run = run_in(&top, &["import", "hugo", "hugo-verein", "neu"]).expect_success();
    let skipped: Vec<&str> = run
        .stdout()
        .lines()
        .filter(|l| l.trim_start().starts_with("skipped"))
        .filter(|l| {
            l.contains("geheim")
                || l.contains("schleife")
                || l.contains("/d/")
                || l.contains("riesig")
                || l.contains('\\')
        })
        .collect();
    insta::assert_snapshot!(skipped.join("\n"), @r#"
skipped hugo-verein/content/aktuelles/a\b.md: the name is not UTF-8 or holds a `\`
skipped hugo-verein/content/aktuelles/riesig.md: too large (10 MiB; at most 8 MiB are read)
skipped hugo-verein/content/aktuelles/schleife: a symbolic link: not followed
skipped hugo-verein/static/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d: nested deeper than 32 folders: not read
skipped hugo-verein/static/geheim.txt: a symbolic link: not followed
"#);
    assert!(!top.join("neu/static/geheim.txt").exists());
    assert!(!top.join("neu/content/aktuelles/riesig.md").exists());
    run_in(&top, &["build", "--root", "neu"]).expect_success();
}

/// A Hugo site that keeps its authors as pages of a section (`content/autoren/<slug>.md`,
/// named by the articles' `authors:`): that section becomes the authors section, so the
/// profiles keep their URLs and their own keys.
#[test]
fn authors_kept_as_pages_of_a_section_become_profiles_at_the_same_urls() {
    let site = import("hugo", "hugo-autoren");
    insta::assert_snapshot!(site.run.stdout(), @r#"
Imported a Hugo site from hugo-autoren into neu: 1 pages, 1 sections, 1 authors, 0 files copied; 0 skipped; 1 URLs changed (0 redirected)
  moved /regions/thüringen/ → /regions/thueringen/ (no redirect: presswerk redirects only to pages)
The report is also in neu/import-report.txt. Next: presswerk build --root neu
"#);
    insta::assert_snapshot!(site.read("content/autoren/greta-holz.md"), @r#"
---
title: Greta Holz
first_name: Greta
last_name: Holz
company: Holz & Söhne Tischlerei
address:
  city: Gotha
industry: Tischlerhandwerk
---

Greta Holz führt die Tischlerei in dritter Generation.
"#);
    assert!(
        site.read("site.toml")
            .contains("authors_section = \"autoren\"")
    );
    site.build();
    site.assert_answers(&[
        "/artikel/neue-lehrwerkstatt/",
        "/autoren/greta-holz/",
        "/regions/thueringen/",
    ]);
    let page = site.read("public/artikel/neue-lehrwerkstatt/index.html");
    assert!(page.contains("Greta Holz"), "the article shows its author");
    site.check().expect_success();
}

/// Hugo's split configuration: `config/_default/hugo.yaml` with `params.yaml` beside it.
#[test]
fn a_split_hugo_config_under_config_default_is_read_whole() {
    let (_dir, top) = copy("hugo-rundbrief");
    let src = top.join("hugo-rundbrief");
    fs::create_dir_all(src.join("config/_default")).unwrap();
    fs::remove_file(src.join("config.yaml")).unwrap();
    fs::write(
        src.join("config/_default/hugo.yaml"),
        "baseURL: https://rundbrief.imkerverein-elbtal.example/\ntitle: Rundbrief\nlanguageCode: de\n",
    )
    .unwrap();
    fs::write(
        src.join("config/_default/params.yaml"),
        "description: Aus dem geteilten Ordner\n",
    )
    .unwrap();
    run_in(&top, &["import", "hugo", "hugo-rundbrief", "neu"]).expect_success();
    let site_toml = fs::read_to_string(top.join("neu/site.toml")).unwrap();
    assert!(
        site_toml.contains("description = \"Aus dem geteilten Ordner\""),
        "{site_toml}"
    );
    assert!(
        site_toml.contains("(config/_default/hugo.yaml)"),
        "{site_toml}"
    );
    run_in(&top, &["build", "--root", "neu"]).expect_success();
}

/// Hugo's documentation: content mounted from `content/en` by `[[module.mounts]]`, and a
/// headless folder of snippets whose `_index.md` cascades `build: render: never`.
#[test]
fn mounted_content_and_a_cascaded_headless_folder_import_as_hugo_renders_them() {
    let (_dir, top) = copy("hugo-rundbrief");
    let src = top.join("hugo-rundbrief");
    let config = fs::read_to_string(src.join("config.yaml")).unwrap();
    fs::write(
        src.join("config.yaml"),
        format!("{config}module:\n  mounts:\n    - source: content/de\n      target: content\n"),
    )
    .unwrap();
    fs::rename(src.join("content"), top.join("inhalt")).unwrap();
    fs::create_dir_all(src.join("content")).unwrap();
    fs::rename(top.join("inhalt"), src.join("content/de")).unwrap();
    let snippets = src.join("content/de/_schnipsel");
    fs::create_dir_all(snippets.join("tief")).unwrap();
    fs::write(
        snippets.join("_index.md"),
        "---\ncascade:\n  build:\n    render: never\n    list: never\n---\n",
    )
    .unwrap();
    fs::write(
        snippets.join("hinweis.md"),
        "---\ntitle: Hinweis\n---\nText\n",
    )
    .unwrap();
    fs::write(
        snippets.join("tief/mehr.md"),
        "---\ntitle: Mehr\n---\nText\n",
    )
    .unwrap();
    let run = run_in(&top, &["import", "hugo", "hugo-rundbrief", "neu"]).expect_success();
    let out = run.stdout();
    for page in ["hinweis.md", "tief/mehr.md"] {
        assert!(
            out.contains(&format!(
                "skipped hugo-rundbrief/content/de/_schnipsel/{page}: content/de/_schnipsel/_index.md cascades `build: render: never`"
            )),
            "{out}"
        );
    }
    // The mounted folder is the content: its pages keep their URLs.
    assert!(
        out.contains("moved /rundbrief/schwarmzeit.html → /rundbrief/schwarmzeit/"),
        "{out}"
    );
    assert!(
        !top.join("neu/content/de").exists()
            && !top.join("neu/content/_schnipsel/hinweis.md").exists()
    );
    run_in(&top, &["build", "--root", "neu"]).expect_success();
}
