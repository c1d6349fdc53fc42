//! `serve` with broken files: a document whose front matter or references have errors is
//! left out, every other page is served, and its errors show on its own page until it is
//! fixed. `build` stays strict.

use crate::harness::{Site, tree};
use crate::serve::{Events, Server};

/// A page's status and HTML.
fn page(server: &Server, target: &str) -> (u16, String) {
    let (status, _, body) = server.get(target);
    (status, String::from_utf8(body).expect("UTF-8"))
}

/// The errors a page shows as its own (its file was left out), if any.
fn own_errors(html: &str) -> Option<&str> {
    let start = html.find("<script type=\"text/plain\" id=\"presswerk-page-error\">")?;
    let rest = &html[start..];
    let text = &rest[rest.find('>')? + 1..];
    Some(&text[..text.find("</script>")?])
}

const KAPUTT: &str = "---\ntitle: Kaputt: ja\n---\nRepariert.\n";

#[test]
fn a_broken_article_at_start_leaves_out_its_page_only_and_comes_back_when_fixed() {
    let site = Site::fixture("basic");
    site.write("content/artikel/kaputt.md", KAPUTT);
    site.write(
        "content/artikel/verweis.md",
        "---\ntitle: Verweis\n---\nSiehe [dort](@/artikel/fehlt.md).\n",
    );
    let server = Server::start(&site, &[]);

    for good in ["/", "/artikel/bruecken-fuer-koeln/", "/termine/sommerfest/"] {
        let (status, html) = page(&server, good);
        assert_eq!(status, 200, "{good}");
        assert!(own_errors(&html).is_none(), "{good} shows no errors");
        assert!(!html.contains("presswerk-initial-error"), "{good}");
    }
    let (status, html) = page(&server, "/artikel/kaputt/");
    assert_eq!(status, 404, "the page is not in the build");
    let errors = own_errors(&html).expect("the page shows its file's errors");
    assert!(
        errors.contains("content/artikel/kaputt.md:2:14")
            && errors.contains("invalid YAML in front matter"),
        "{errors}"
    );

    let (status, html) = page(&server, "/artikel/verweis/");
    assert_eq!(status, 404);
    let errors = own_errors(&html).expect("a broken link is the file's error too");
    assert!(errors.contains("content/artikel/verweis.md:4:"), "{errors}");

    // Fixed, it comes back on the next save.
    let mut events = Events::open(server.port);
    site.write(
        "content/artikel/kaputt.md",
        KAPUTT.replace("Kaputt: ja", "\"Kaputt: nein\""),
    );
    assert_eq!(events.next().0, "reload");
    let (status, html) = page(&server, "/artikel/kaputt/");
    assert_eq!(status, 200);
    assert!(html.contains("Repariert.") && own_errors(&html).is_none());
    assert!(
        page(&server, "/artikel/").1.contains("Kaputt: nein"),
        "listed again"
    );
}

#[test]
fn build_still_fails_on_the_same_site_and_keeps_the_previous_output() {
    let site = Site::fixture("basic");
    site.build();
    let before = tree(&site.path("public"));
    site.write("content/artikel/kaputt.md", KAPUTT);
    let out = site.cmd(&["build"]).output().expect("build runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/artikel/kaputt.md:2:14"),
        "{stderr}"
    );
    assert_eq!(tree(&site.path("public")), before, "public/ untouched");
}

#[test]
fn a_save_that_breaks_an_article_shows_its_errors_where_its_page_was() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let mut events = Events::open(server.port);
    // Its URL comes from its `slug:`, which the broken front matter no longer tells.
    let path = "content/artikel/eigener-slug.md";
    let (status, good) = page(&server, "/artikel/ueber-uns-mehr/");
    assert_eq!(status, 200);
    assert!(good.contains("Eigener Slug"));
    let text = site.read(path);
    site.write(
        path,
        text.replace("title: Eigener Slug", "title: Eigener: Slug"),
    );

    assert_eq!(
        events.next().0,
        "reload",
        "the rest of the site is a good build"
    );
    let (status, html) = page(&server, "/artikel/ueber-uns-mehr/");
    assert_eq!(status, 404);
    let errors = own_errors(&html).expect("its errors on its page");
    assert!(
        errors.contains("content/artikel/eigener-slug.md:2:"),
        "{errors}"
    );
    let (status, other) = page(&server, "/artikel/bruecken-fuer-koeln/");
    assert_eq!(status, 200);
    assert!(own_errors(&other).is_none() && !other.contains("presswerk-initial-error"));
    assert!(
        !page(&server, "/artikel/").1.contains("Eigener Slug"),
        "no longer listed"
    );

    site.write(path, text);
    assert_eq!(events.next().0, "reload");
    let (status, html) = page(&server, "/artikel/ueber-uns-mehr/");
    assert_eq!(status, 200);
    assert!(html.contains("Eigener Slug") && own_errors(&html).is_none());
}

#[test]
fn a_broken_author_profile_leaves_out_the_articles_that_need_it_too() {
    let site = Site::fixture("basic");
    site.write(
        "content/autoren/erika-muster.md",
        "---\nfirst_name: Erika: M\n---\n",
    );
    let server = Server::start(&site, &[]);
    let (status, html) = page(&server, "/autoren/erika-muster/");
    assert_eq!(status, 404);
    let errors = own_errors(&html).expect("the profile's errors");
    assert!(
        errors.contains("content/autoren/erika-muster.md:2:"),
        "{errors}"
    );
    // Her articles name an author who is not there now.
    let (status, html) = page(&server, "/artikel/bruecken-fuer-koeln/");
    assert_eq!(status, 404);
    let errors = own_errors(&html).expect("the article's errors");
    assert!(
        errors.contains("content/artikel/2020-03-01-bruecken-fuer-koeln.md:3:"),
        "{errors}"
    );
    let (status, html) = page(&server, "/termine/sommerfest/");
    assert_eq!((status, own_errors(&html)), (200, None));
}
