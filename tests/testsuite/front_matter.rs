//! Front matter from other generators: posts as Hugo and Jekyll sites hold them (TOML
//! between `+++`, a blank line before `---`, duplicate keys, Jekyll dates, `author:` as a
//! name or a mapping, foreign keys) build unchanged, with bylines and mapped keys in the
//! output; and input that could stall a build is an error at its place.

use crate::harness::Site;

/// The text of the first element `<tag class="class">…</tag>` in `html` (no nesting of the
/// same tag inside), trimmed.
fn element<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html
        .find(open)
        .unwrap_or_else(|| panic!("no {open} in the page"));
    let end = html[start..].find(close).map_or(html.len(), |i| start + i);
    html[start..end + close.len()].trim()
}

#[test]
fn hugo_and_jekyll_posts_build_with_bylines_and_mapped_keys() {
    let site = Site::fixture("hugo-frontmatter");
    let run = site.run(&["build"]).expect_success();
    insta::assert_snapshot!(
        "hugo_frontmatter_build",
        format!("{}{}", run.stderr(), run.stdout())
    );
    let mut shown = String::new();
    for page in [
        "mitgliederversammlung",
        "gastbeitrag",
        "sommerfest",
        "umfrage",
    ] {
        let html = site.read(&format!("public/artikel/{page}/index.html"));
        shown.push_str(&format!("== {page}\n"));
        shown.push_str(element(&html, "<h1>", "</h1>"));
        shown.push('\n');
        shown.push_str(element(&html, "<span class=\"meta-authors\">", "</span>"));
        shown.push('\n');
        if html.contains("<footer class=\"article-footer\">") {
            shown.push_str(element(
                &html,
                "<footer class=\"article-footer\">",
                "</footer>",
            ));
            shown.push('\n');
        }
    }
    insta::assert_snapshot!("hugo_frontmatter_bylines", shown);
    // Mapped keys: lastmod → updated, excerpt → summary, url/permalink → redirects,
    // categories → the site's `categories` taxonomy, published: false → held back.
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/articles.json")).expect("articles.json");
    let mapped: Vec<String> = json
        .as_array()
        .expect("a list")
        .iter()
        .map(|a| {
            format!(
                "{} | date {} | updated {} | summary {} | authors {} | categories {}",
                a["path"],
                a["date"],
                a["updated"],
                a["summary"],
                a["authors"],
                a["taxonomies"]["categories"]
            )
        })
        .collect();
    insta::assert_snapshot!("hugo_frontmatter_articles_json", mapped.join("\n"));
    for redirect in [
        "public/alt/umfrage/index.html",
        "public/2023/05/04/sommerfest.html",
    ] {
        let html = site.read(redirect);
        assert!(
            html.contains("/artikel/"),
            "{redirect} redirects to the article: {html}"
        );
    }
    assert!(
        !site.path("public/artikel/entwurf").exists(),
        "published: false is a draft"
    );
    let feed = site.read("public/atom.xml");
    assert!(
        feed.contains("<author><name>Gerd Gast</name><uri>https://gast.example/</uri></author>")
    );
    assert!(feed.contains("<author><name>Redaktion</name></author>"));
}

#[test]
fn check_passes_hugo_posts_and_offers_each_guest_a_profile() {
    let site = Site::fixture("hugo-frontmatter");
    let run = site.run(&["check"]).expect_success();
    insta::assert_snapshot!(
        "hugo_frontmatter_check",
        format!("{}{}", run.stderr(), run.stdout())
    );
}

/// A name that is no UTF-8 cannot be told apart from its lossy spelling; it is an error at
/// its path, not a page that quietly disappears or is renamed.
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_an_error_at_its_path() {
    use std::os::unix::ffi::OsStrExt;
    let site = Site::fixture("basic");
    site.build();
    let before = crate::harness::tree(&site.path("public"));
    let name = std::ffi::OsStr::from_bytes(b"gr\xfc\xdfe.md");
    let path = site.path("content/artikel").join(name);
    std::fs::write(&path, "---\ntitle: Grüße\ndate: 2021-01-01\n---\n").expect("write");
    let run = site.run(&["build"]).expect_failure();
    insta::assert_snapshot!(run.stderr(), @r"
    error: file name is not valid UTF-8
    --> content/artikel/gr��e.md
     = help: rename it; the bytes that are no UTF-8 are shown as �

    error: 1 error(s); build failed; the previous output was left untouched
    ");
    assert_eq!(crate::harness::tree(&site.path("public")), before);
}

/// Whatever the input, reading front matter is bounded: the alias bomb of the report
/// (1,000,000 aliases of one paragraph, 3 MB) is refused by the size cap, one under the cap
/// by the alias budget, each at a line. (Their time and memory are measured in
/// `benches/front_matter_bounds.sh`, not here.)
#[test]
fn alias_bombs_are_errors_at_a_line() {
    let site = Site::fixture("basic");
    let paragraph = "Regionalgruppe Rheinland ".repeat(80);
    let bomb = |n: usize| {
        format!(
            "---\ntitle: Bombe\ndate: 2021-01-01\nx: &a \"{paragraph}\"\nliste: [{}*a]\n---\n",
            "*a,".repeat(n - 1)
        )
    };
    site.write("content/artikel/gross.md", bomb(1_000_000));
    site.write("content/artikel/klein.md", bomb(60_000));
    let run = site.run(&["build"]).expect_failure();
    let stderr = run.stderr();
    assert!(
        stderr.contains(
            "KiB long, more than the 256 KiB presswerk reads\n --> content/artikel/gross.md:5:"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("once its aliases are expanded\n --> content/artikel/klein.md:4:4\n"),
        "{stderr}"
    );
}
