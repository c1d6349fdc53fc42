//! `presswerk check`: one planted problem per case, each reported at file:line:column with
//! exit code 1; clean sites pass; the JSON and GitHub formats, byte for byte.

use crate::harness::{Site, tree};

/// Runs `check` with `args` and expects `code`; returns (stdout, stderr).
fn check(site: &Site, args: &[&str], code: i32) -> (String, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let out = site.cmd(&all).assert().code(code).get_output().clone();
    (
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

/// The basic fixture with `breakage` applied must fail `check` with every `expected` snippet,
/// and `check` must write nothing.
fn fails_with(breakage: impl FnOnce(&Site), expected: &[&str]) -> String {
    let site = Site::fixture("basic");
    breakage(&site);
    let (_, stderr) = check(&site, &[], 1);
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    assert!(stderr.contains("Check failed:"), "{stderr}");
    assert!(!site.path("public").exists(), "check wrote public/");
    stderr
}

#[test]
fn repo_newsletter_passes_check() {
    let site = Site::repo();
    let (stdout, stderr) = check(&site, &[], 0);
    assert!(stderr.is_empty(), "{stderr}");
    assert!(
        stdout.starts_with("Check passed: 0 error(s), 0 warning(s); "),
        "{stdout}"
    );
}

#[test]
fn basic_fixture_passes_check() {
    let site = Site::fixture("basic");
    let (stdout, _) = check(&site, &[], 0);
    assert!(stdout.starts_with("Check passed"), "{stdout}");
    assert!(!site.path("public").exists());
}

#[test]
fn broken_markdown_link_with_suggestion() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/links.md",
                "---\ntitle: Links\ndate: 2021-01-01\n---\n\nSiehe [Brücken](/artikel/bruecken-fuer-koln/).\n",
            );
        },
        &[
            "error: broken link to `/artikel/bruecken-fuer-koln/`",
            "--> content/artikel/links.md:6:17",
            "^^^^^^^^^^^^^^^^^^^^^^^^^^^^ nothing in the site at this path",
            "help: did you mean `/artikel/bruecken-fuer-koeln/`?",
        ],
    );
}

#[test]
fn broken_anchor_suggests_the_heading_id() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/anker.md",
                "---\ntitle: Anker\ndate: 2021-01-01\n---\n\nZur [Planung](../bruecken-fuer-koeln/#planug).\n",
            );
        },
        &[
            "error: broken link to `../bruecken-fuer-koeln/#planug`",
            "--> content/artikel/anker.md:6:15",
            "/artikel/bruecken-fuer-koeln/ has no element with id `planug`",
            "help: did you mean `#planung`?",
        ],
    );
}

#[test]
fn missing_colocated_image() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/bild.md",
                "---\ntitle: Bild\ndate: 2021-01-01\n---\n\n![Der Plan](plan.png)\n",
            );
        },
        &[
            "error: broken link to `plan.png`",
            "--> content/artikel/bild.md:6:13",
            "nothing in the site at /artikel/bild/plan.png",
        ],
    );
}

#[test]
fn missing_static_file() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/datei.md",
                "---\ntitle: Datei\ndate: 2021-01-01\n---\n\nDie [Infos](/dateien/infos.txt) als Datei.\n",
            );
        },
        &[
            "--> content/artikel/datei.md:6:13",
            "nothing in the site at this path",
            "did you mean `/dateien/info.txt`?",
        ],
    );
}

#[test]
fn template_made_link_points_into_the_template() {
    let stderr = fails_with(
        |s| {
            s.write(
                "templates/page.html",
                "{% extends \"base.html\" %}\n{% block content %}{{ page.content | safe }}\n<a href=\"{{ get_url(path=\"impressum/\") }}\">Impressum</a>{% endblock content %}\n",
            );
        },
        &[
            "error: broken link to `https://test.example/impressum/` (on 3 pages)",
            "--> templates/page.html:3:27",
            "^^^^^^^^^^ nothing in the site at /impressum/",
            "help: the template makes this link on /artikel/bruecken-fuer-koeln/, /artikel/ueber-uns-mehr/ and /termine/sommerfest/",
        ],
    );
    // One report, not one per page.
    assert_eq!(stderr.matches("error: broken link").count(), 1, "{stderr}");
}

#[test]
fn relative_link_in_a_summary_breaks_on_the_list_pages() {
    fails_with(
        |s| {
            s.write("content/artikel/teaser/karte.png", "png");
            s.write(
                "content/artikel/teaser.md",
                "---\ntitle: Teaser\ndate: 2021-01-01\n---\n\nMit [Karte](karte.png).\n\n<!-- more -->\n",
            );
        },
        &[
            "error: broken link to `karte.png` (on 2 pages)",
            "--> content/artikel/teaser.md:6:13",
            "help: this text is also shown on / and /artikel/, where the link breaks",
        ],
    );
}

#[test]
fn front_matter_typo_is_an_error_in_check() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/tippfehler.md",
                "---\ntitle: Tippfehler\ndate: 2021-01-01\nautors: [erika-muster]\n---\n",
            );
        },
        &[
            "error: unknown key `autors` looks like a typo",
            "--> content/artikel/tippfehler.md:4:1",
            "help: did you mean `authors`?",
        ],
    );
}

#[test]
fn article_without_date() {
    fails_with(
        |s| {
            s.write(
                "content/termine/ohne-datum.md",
                "---\ntitle: Ohne Datum\n---\n\nText.\n",
            );
        },
        &[
            "error: article has no date",
            "--> content/termine/ohne-datum.md:1:1",
            "help: add a line `date: 2007-11-06`",
        ],
    );
}

#[test]
fn page_without_title_fails_like_build() {
    fails_with(
        |s| {
            s.write(
                "content/termine/ohne-titel.md",
                "---\ndate: 2021-01-01\n---\n",
            );
        },
        &[
            "error: page has no title",
            "--> content/termine/ohne-titel.md:1:1",
            "the site does not build, so its links were not checked",
        ],
    );
}

#[test]
fn image_without_alt_text() {
    fails_with(
        |s| {
            s.write("content/artikel/ohne-alt/bild.png", "png");
            s.write(
                "content/artikel/ohne-alt.md",
                "---\ntitle: Ohne Alt\ndate: 2021-01-01\n---\n\nHier: ![](bild.png)\n",
            );
        },
        &[
            "error: image without alt text",
            "--> content/artikel/ohne-alt.md:6:7",
            "^^^^^^^^^^^^^ the text between [ and ] is empty",
        ],
    );
}

#[test]
fn unknown_author_fails_like_build() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/wer.md",
                "---\ntitle: Wer\ndate: 2021-01-01\nauthors: [erika-mustr]\n---\n",
            );
        },
        &[
            "error: unknown author `erika-mustr`",
            "--> content/artikel/wer.md:4:11",
            "help: did you mean `erika-muster`?",
        ],
    );
}

#[test]
fn duplicate_output_path_fails_like_build() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/doppelt.md",
                "---\ntitle: Doppelt\ndate: 2021-01-01\nslug: bruecken-fuer-koeln\n---\n",
            );
        },
        &[
            "error: two files would write /artikel/bruecken-fuer-koeln/",
            "--> content/artikel/doppelt.md:4:7",
        ],
    );
}

#[test]
fn alias_that_collides_with_a_real_page() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/umzug.md",
                "---\ntitle: Umzug\ndate: 2021-01-01\naliases: [/termine/sommerfest/]\n---\n",
            );
        },
        &[
            "error: alias `/termine/sommerfest/` is taken",
            "--> content/artikel/umzug.md:4:11",
            "content/termine/sommerfest.md is already at /termine/sommerfest/index.html",
            "::: content/termine/sommerfest.md:1:1",
        ],
    );
}

#[test]
fn two_pages_with_the_same_alias() {
    fails_with(
        |s| {
            for name in ["eins", "zwei"] {
                s.write(
                    &format!("content/artikel/{name}.md"),
                    format!("---\ntitle: {name}\ndate: 2021-01-01\naliases: [\"/alt/seite.html\"]\n---\n"),
                );
            }
        },
        &[
            "error: alias `/alt/seite.html` is taken",
            "--> content/artikel/zwei.md:4:12",
            "an alias of content/artikel/eins.md is already at /alt/seite.html",
        ],
    );
}

#[test]
fn all_problems_are_reported_together() {
    let stderr = fails_with(
        |s| {
            s.write(
                "content/artikel/viele.md",
                "---\ntitle: Viele\ndate: 2021-01-01\ntittle: x\n---\n\n[a](/nirgends/) [b](#nirgends) ![](fehlt.png)\n",
            );
        },
        &[],
    );
    assert!(
        stderr.contains("Check failed: 5 error(s), 0 warning(s)"),
        "{stderr}"
    );
}

#[test]
fn json_format_is_one_object_per_line() {
    let site = Site::fixture("basic");
    site.write(
        "content/artikel/links.md",
        "---\ntitle: Links\ndate: 2021-01-01\n---\n\nSiehe [Brücken](/artikel/bruecken-fuer-koln/).\n",
    );
    let (stdout, stderr) = check(&site, &["--format", "json"], 1);
    assert_eq!(
        stdout,
        concat!(
            r#"{"severity":"error","code":"broken-link","message":"broken link to `/artikel/bruecken-fuer-koln/`","file":"content/artikel/links.md","line":6,"column":17,"end_line":6,"end_column":45,"label":"nothing in the site at this path","hint":"did you mean `/artikel/bruecken-fuer-koeln/`?","related":[]}"#,
            "\n"
        )
    );
    assert!(stderr.starts_with("Check failed: 1 error(s)"), "{stderr}");
}

#[test]
fn github_format_is_workflow_commands() {
    let site = Site::fixture("basic");
    site.write(
        "content/artikel/links.md",
        "---\ntitle: Links\ndate: 2021-01-01\n---\n\nSiehe [Brücken](/artikel/bruecken-fuer-koln/).\n",
    );
    let (stdout, _) = check(&site, &["--format", "github"], 1);
    assert_eq!(
        stdout,
        "::error file=content/artikel/links.md,line=6,col=17,title=broken-link::broken link to \
         `/artikel/bruecken-fuer-koln/`: nothing in the site at this path%0Ahelp: did you mean \
         `/artikel/bruecken-fuer-koeln/`?\n"
    );
    // Run from the repository's top with --root, the path is the repository's.
    let out = crate::harness::presswerk()
        .current_dir(site.root.parent().expect("temp dir"))
        .args(["check", "--root", "site", "--format", "github"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("::error file=site/content/artikel/links.md,line=6,col=17,"),
        "{stdout}"
    );
}

#[test]
fn build_accepts_the_same_formats() {
    let site = Site::fixture("basic");
    site.write(
        "content/artikel/tippfehler.md",
        "---\ntitle: Tippfehler\nautors: [erika-muster]\n---\n",
    );
    let out = site
        .cmd(&["build", "--format", "github"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "::warning file=content/artikel/tippfehler.md,line=3,col=1,title=front-matter-typo::unknown \
         key `autors` looks like a typo: kept in `extra`%0Ahelp: did you mean `authors`?\n"
    );
    assert!(String::from_utf8(out.stderr).unwrap().starts_with("Built "));
    site.write(
        "content/artikel/kaputt.md",
        "---\ntitle: Rust: the good parts\n---\n",
    );
    let before = tree(&site.path("public"));
    let out = site
        .cmd(&["build", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(r#"{"severity":"error","code":"yaml-syntax","message":"invalid YAML in front matter","file":"content/artikel/kaputt.md","line":2,"column":12,"#),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert_eq!(tree(&site.path("public")), before);
}

#[test]
fn drafts_are_checked_with_drafts() {
    let site = Site::fixture("basic");
    site.write(
        "content/artikel/entwurf.md",
        "---\ntitle: Noch geheim\ndate: 2021-01-01\ndraft: true\n---\n\n[weg](/weg/)\n",
    );
    check(&site, &[], 0);
    let (_, stderr) = check(&site, &["--drafts"], 1);
    assert!(
        stderr.contains("--> content/artikel/entwurf.md:7:7"),
        "{stderr}"
    );
}

#[test]
fn front_matter_value_made_into_a_link_is_reported_at_the_value() {
    // The theme shows the author's photo on the profile, in the author list and in the author
    // box under each article: a relative path works on none of those pages here, since the
    // file does not exist. One report, at the value.
    let stderr = fails_with(
        |s| {
            let author = s.read("content/autoren/erika-muster.md");
            s.write(
                "content/autoren/erika-muster.md",
                author.replace(
                    "industry: Beratung\n",
                    "industry: Beratung\nphoto: erika.jpg\n",
                ),
            );
        },
        &[
            "error: broken link to `erika.jpg`",
            "--> content/autoren/erika-muster.md:11:8",
            "nothing in the site at /autoren/erika-muster/erika.jpg",
            "a template makes a link of this value on /artikel/bruecken-fuer-koeln/, /artikel/ueber-uns-mehr/ and /autoren/",
        ],
    );
    assert_eq!(stderr.matches("error: ").count(), 1, "{stderr}");
}
