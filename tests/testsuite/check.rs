//! `presswerk check`: clean sites pass; the JSON and GitHub formats, byte for byte.
//!
//! The planted problems, one per case, are fixtures: `tests/fixtures/errors/check-*/`, each
//! reported at file:line:column with exit code 1, its whole output compared, the site untouched.

use crate::harness::{Site, tree};

/// A page with one broken link, at line 6, column 17.
const BROKEN_LINK: &str =
    "---\ntitle: Links\ndate: 2021-01-01\n---\n\nSiehe [Brücken](/artikel/bruecken-fuer-koln/).\n";

#[test]
fn repo_newsletter_passes_check() {
    let site = Site::repo();
    let run = site.run(&["check"]).expect_success();
    // The publisher's fields the source material does not tell are left empty, and check
    // names each one at its line; nothing else.
    let warnings: Vec<&str> = run
        .stderr()
        .lines()
        .filter(|l| l.starts_with("warning:") || l.starts_with("error:"))
        .collect();
    assert_eq!(warnings.len(), 9, "{}", run.stderr());
    assert!(
        warnings
            .iter()
            .all(|w| w.starts_with("warning: publisher.")),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("--> site.toml:49:1"),
        "{}",
        run.stderr()
    );
    insta::assert_snapshot!(run.stdout(), @"Check passed: 0 error(s), 9 warning(s); 28 pages, 666 internal links in [ELAPSED]");
    // With --deny-warnings they stop a publication.
    site.run(&["check", "--deny-warnings"]).expect_failure();
}

#[test]
fn basic_fixture_passes_check_and_writes_nothing() {
    let site = Site::fixture("basic");
    let run = site.run(&["check"]).expect_success();
    assert_eq!(run.stderr(), "");
    insta::assert_snapshot!(run.stdout(), @"Check passed: 0 error(s), 0 warning(s); 12 pages, 170 internal links in [ELAPSED]");
    assert!(!site.path("public").exists());
}

#[test]
fn json_format_is_one_object_per_line() {
    let site = Site::fixture("basic");
    site.write("content/artikel/links.md", BROKEN_LINK);
    let run = site.run(&["check", "--format", "json"]).expect_failure();
    insta::assert_snapshot!(run.stdout(), @r#"{"severity":"error","code":"broken-link","message":"broken link to `/artikel/bruecken-fuer-koln/`","file":"content/artikel/links.md","line":6,"column":17,"end_line":6,"end_column":45,"label":"nothing in the site at this path","hint":"did you mean `/artikel/bruecken-fuer-koeln/`?","related":[]}"#);
    insta::assert_snapshot!(run.stderr(), @"Check failed: 1 error(s), 0 warning(s); 13 pages, 187 internal links in [ELAPSED]");
}

#[test]
fn github_format_is_workflow_commands() {
    let site = Site::fixture("basic");
    site.write("content/artikel/links.md", BROKEN_LINK);
    let run = site.run(&["check", "--format", "github"]).expect_failure();
    insta::assert_snapshot!(run.stdout(), @"::error file=content/artikel/links.md,line=6,col=17,title=broken-link::broken link to `/artikel/bruecken-fuer-koln/`: nothing in the site at this path%0Ahelp: did you mean `/artikel/bruecken-fuer-koeln/`?");
    insta::assert_snapshot!(run.stderr(), @"Check failed: 1 error(s), 0 warning(s); 13 pages, 187 internal links in [ELAPSED]");
}

#[test]
fn github_format_run_with_root_gives_paths_from_where_it_runs() {
    let site = Site::fixture("basic");
    site.write("content/artikel/links.md", BROKEN_LINK);
    let top = site.root.parent().expect("temp dir");
    let run = site
        .run_in(top, &["check", "--root", "site", "--format", "github"])
        .expect_failure();
    insta::assert_snapshot!(run.stdout(), @"::error file=site/content/artikel/links.md,line=6,col=17,title=broken-link::broken link to `/artikel/bruecken-fuer-koln/`: nothing in the site at this path%0Ahelp: did you mean `/artikel/bruecken-fuer-koeln/`?");
}

#[test]
fn build_accepts_the_same_formats() {
    let site = Site::fixture("basic");
    site.write(
        "content/artikel/tippfehler.md",
        "---\ntitle: Tippfehler\nautors: [erika-muster]\n---\n",
    );
    let run = site.run(&["build", "--format", "github"]).expect_success();
    insta::assert_snapshot!(run.stdout(), @"::warning file=content/artikel/tippfehler.md,line=3,col=1,title=front-matter-typo::unknown key `autors` looks like a typo: kept in `extra`%0Ahelp: did you mean `authors`?");
    insta::assert_snapshot!(run.stderr(), @"Built 4 pages, 4 sections, 1 authors, 0 terms, 1 held back (drafts/scheduled): 24 files (0.1 MiB) in [ELAPSED] → ./public");

    site.write(
        "content/artikel/kaputt.md",
        "---\ntitle: Rust: the good parts\n---\n",
    );
    let before = tree(&site.path("public"));
    let run = site.run(&["build", "--format", "json"]).expect_failure();
    insta::assert_snapshot!(run.stdout(), @r#"
        {"severity":"error","code":"yaml-syntax","message":"invalid YAML in front matter","file":"content/artikel/kaputt.md","line":2,"column":12,"end_line":2,"end_column":13,"label":"mapping values are not allowed in this context","hint":"quote values that contain `: `, e.g. title: \"Regionalgruppe: Rheinland\"","related":[]}
        {"severity":"warning","code":"front-matter-typo","message":"unknown key `autors` looks like a typo","file":"content/artikel/tippfehler.md","line":3,"column":1,"end_line":3,"end_column":7,"label":"kept in `extra`","hint":"did you mean `authors`?","related":[]}
        "#);
    insta::assert_snapshot!(run.stderr(), @"error: 1 error(s), 1 warning(s); build failed; the previous output was left untouched");
    assert_eq!(tree(&site.path("public")), before);
}

#[test]
fn drafts_are_checked_only_with_drafts() {
    let site = Site::fixture("basic");
    site.write(
        "content/artikel/entwurf.md",
        "---\ntitle: Noch geheim\ndate: 2021-01-01\ndraft: true\n---\n\n[weg](/weg/)\n",
    );
    site.run(&["check"]).expect_success();
    let run = site.run(&["check", "--drafts"]).expect_failure();
    insta::assert_snapshot!(run.stderr(), @r"
        error: broken link to `/weg/`
         --> content/artikel/entwurf.md:7:7
          |
        7 | [weg](/weg/)
          |       ^^^^^ nothing in the site at this path
          |
          = help: fix the path, or add the page or file it points to

        Check failed: 1 error(s), 0 warning(s); 13 pages, 187 internal links in [ELAPSED]
        ");
}
