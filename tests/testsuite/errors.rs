//! Bad input: every class of error gives exit code 1, names file:line:column, shows the line
//! with a caret and a hint, and leaves the previous `public/` exactly as it was.

use crate::harness::{Site, tree};

/// Builds the good fixture, breaks it with `breakage`, and checks that the next build fails
/// with every `expected` snippet in stderr and without touching `public/`.
fn fails_with(breakage: impl FnOnce(&Site), expected: &[&str]) -> String {
    let site = Site::fixture("basic");
    site.build();
    let before = tree(&site.path("public"));
    breakage(&site);
    let stderr = site.build_fails();
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    assert!(
        stderr.contains("the previous output was left untouched"),
        "{stderr}"
    );
    assert_eq!(tree(&site.path("public")), before, "public/ changed");
    // Nothing left beside it either.
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("presswerk-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    stderr
}

#[test]
fn yaml_syntax_error_counts_lines_from_the_file_start() {
    let stderr = fails_with(
        |s| {
            s.write(
                "content/artikel/kaputt.md",
                "---\ntitle: Rust: the good parts\n---\nText\n",
            );
        },
        &[],
    );
    let expected = "\
error: invalid YAML in front matter
 --> content/artikel/kaputt.md:2:12
  |
2 | title: Rust: the good parts
  |            ^ mapping values are not allowed in this context
  |
  = help: quote values that contain `: `, e.g. title: \"Regionalgruppe: Rheinland\"
";
    assert!(stderr.contains(expected), "{stderr}");
}

#[test]
fn unclosed_front_matter() {
    fails_with(
        |s| {
            s.write("content/artikel/offen.md", "---\ntitle: Offen\n\nText\n");
        },
        &[
            "error: front matter is never closed",
            "--> content/artikel/offen.md:1:1",
            "^^^ opened here",
            "help: end the front matter",
        ],
    );
}

#[test]
fn wrong_type_tags_as_a_map() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/typ.md",
                "---\ntitle: Typ\ntags:\n  a: 1\n---\n",
            );
        },
        &[
            "error: `tags` must be a list",
            "--> content/artikel/typ.md:3:6",
            "found a mapping",
            "help: write it as tags: [eins, zwei]",
        ],
    );
}

#[test]
fn impossible_date() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/datum.md",
                "---\ntitle: Datum\ndate: 2007-02-30\n---\n",
            );
        },
        &[
            "error: `2007-02-30` is not a valid date",
            "--> content/artikel/datum.md:3:7",
            "3 | date: 2007-02-30",
            "help: write 2007-11-06",
        ],
    );
}

#[test]
fn impossible_date_in_the_file_name() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/2007-13-01-monat.md",
                "---\ntitle: Monat\n---\n",
            );
        },
        &[
            "error: file name starts with an impossible date `2007-13-01`",
            "--> content/artikel/2007-13-01-monat.md",
        ],
    );
}

#[test]
fn unknown_author_suggests_the_near_miss() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/wer.md",
                "---\ntitle: Wer\nauthors: [erika-mustr]\n---\n",
            );
        },
        &[
            "error: unknown author `erika-mustr`",
            "--> content/artikel/wer.md:3:11",
            "^^^^^^^^^^^ no author profile with this slug",
            "help: did you mean `erika-muster`?",
        ],
    );
}

#[test]
fn unknown_author_without_a_near_miss_says_how_to_add_one() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/wer.md",
                "---\ntitle: Wer\nauthors: [hans]\n---\n",
            );
        },
        &[
            "error: unknown author `hans`",
            "help: create content/autoren/hans.md",
        ],
    );
}

#[test]
fn duplicate_output_path_names_both_files() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/doppelt.md",
                "---\ntitle: Doppelt\nslug: bruecken-fuer-koeln\n---\n",
            );
        },
        &[
            "error: two files would write /artikel/bruecken-fuer-koeln/",
            "--> content/artikel/doppelt.md:3:7",
            "::: content/artikel/2020-03-01-bruecken-fuer-koeln.md:1:1",
            "content/artikel/2020-03-01-bruecken-fuer-koeln.md writes it too",
        ],
    );
}

#[test]
fn missing_template_named_in_front_matter() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/vorlage.md",
                "---\ntitle: Vorlage\ntemplate: sonder.html\n---\n",
            );
        },
        &[
            "error: template `sonder.html` not found",
            "--> content/artikel/vorlage.md:3:11",
            "help: add templates/sonder.html",
        ],
    );
}

#[test]
fn missing_default_template_in_the_theme() {
    fails_with(
        |s| {
            s.remove("themes/kontor/templates/page.html");
        },
        &[
            "error: template `page.html` not found",
            "--> themes/kontor/templates/",
        ],
    );
}

#[test]
fn template_syntax_error_points_into_the_template() {
    fails_with(
        |s| {
            s.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}{{ page.title }{% endblock content %}\n");
        },
        &[
            "error: template syntax error in page.html",
            "--> templates/page.html:2:34",
        ],
    );
}

#[test]
fn unknown_filter_points_into_the_template() {
    fails_with(
        |s| {
            s.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}{{ page.title | gross }}{% endblock content %}\n");
        },
        &[
            "error: template error: Unknown filter `gross`",
            "--> templates/page.html:2:36",
            "^^^^^ Unknown filter",
        ],
    );
}

#[test]
fn template_render_error_names_the_page_being_rendered() {
    fails_with(
        |s| {
            s.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}{{ page.titel }}{% endblock content %}\n");
        },
        &[
            "error: template error in page.html (in 3 pages)",
            "--> templates/page.html:2:28",
            "Field `titel` is not defined",
            "help: while rendering content/",
        ],
    );
}

#[test]
fn broken_site_toml() {
    fails_with(
        |s| {
            s.write(
                "site.toml",
                "title = \"Testblatt\nbase_url = \"https://test.example\"\n",
            );
        },
        &["error: invalid TOML in site.toml", "--> site.toml:1:"],
    );
}

#[test]
fn unknown_site_toml_key_suggests_the_right_one() {
    fails_with(
        |s| {
            let toml = s.read("site.toml").replace("language", "langauge");
            s.write("site.toml", toml);
        },
        &[
            "error: unknown key `langauge` in site.toml",
            "--> site.toml:4:1",
            "help: did you mean `language`?",
        ],
    );
}

#[test]
fn missing_site_toml() {
    fails_with(
        |s| {
            s.remove("site.toml");
        },
        &[
            "error: cannot read site.toml",
            "--> site.toml",
            "help: run presswerk in a site folder",
        ],
    );
}

#[test]
fn non_utf8_file() {
    fails_with(
        |s| {
            s.write(
                "content/artikel/latin1.md",
                b"---\ntitle: \"Gr\xfc\xdfe\"\n---\n",
            );
        },
        &[
            "error: file is not valid UTF-8",
            "--> content/artikel/latin1.md:2:11",
            "help: save the file as UTF-8",
        ],
    );
}

#[test]
fn slug_that_would_leave_the_output_folder() {
    for slug in ["../../ausserhalb", "a/b", "..", "\"/etc\""] {
        let stderr = fails_with(
            |s| {
                s.write(
                    "content/artikel/boese.md",
                    format!("---\ntitle: Böse\nslug: {slug}\n---\n"),
                );
            },
            &[
                "cannot be used",
                "--> content/artikel/boese.md:3:7",
                "a slug is one path segment",
            ],
        );
        assert!(!stderr.contains("panicked"));
    }
}

#[test]
fn many_problems_are_reported_together() {
    let stderr = fails_with(
        |s| {
            s.write(
                "content/artikel/a.md",
                "---\ntitle: A\nauthors: [niemand]\n---\n",
            );
            s.write("content/artikel/b.md", "---\ntitle: B: C\n---\n");
            s.write(
                "content/artikel/c.md",
                "---\ntitle: C\ndate: gestern\n---\n",
            );
        },
        &[
            "unknown author `niemand`",
            "invalid YAML",
            "`gestern` is not a valid date",
        ],
    );
    assert!(
        stderr.contains("error: 3 error(s); build failed"),
        "{stderr}"
    );
    // Reported in file order, whatever order the parallel load finished in.
    let (a, b, c) = (
        stderr.find("a.md").unwrap(),
        stderr.find("b.md").unwrap(),
        stderr.find("c.md").unwrap(),
    );
    assert!(a < b && b < c);
}

#[test]
fn typo_in_a_key_is_a_warning_not_an_error() {
    let site = Site::fixture("basic");
    site.write(
        "content/artikel/tippfehler.md",
        "---\ntitle: Tippfehler\nautors: [erika-muster]\n---\n",
    );
    let out = site.cmd(&["build"]).assert().success().get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("warning: unknown key `autors` looks like a typo"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/artikel/tippfehler.md:3:1"));
    assert!(stderr.contains("help: did you mean `authors`?"));
}
