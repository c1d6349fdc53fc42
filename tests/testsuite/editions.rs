//! Newsletter editions: the repo's first edition as web page, e-mail HTML, plain text and
//! MIME message; explicit lists and date ranges; back-links; bad references; the scaffold.

use html5gum::{Token, Tokenizer};
use mail_parser::MimeHeaders;

use crate::harness::Site;

const EDITION: &str = "public/ausgaben/2007-11/";

fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    Tokenizer::new(html)
        .flatten()
        .filter_map(|t| match t {
            Token::StartTag(tag) => Some((
                String::from_utf8_lossy(&tag.name).into_owned(),
                tag.attributes
                    .iter()
                    .map(|(k, v)| {
                        (
                            String::from_utf8_lossy(k).into_owned(),
                            String::from_utf8_lossy(v).into_owned(),
                        )
                    })
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn repo_edition_snapshots() {
    let site = Site::repo();
    site.build();
    insta::assert_snapshot!("edition_page", site.read(&format!("{EDITION}index.html")));
    insta::assert_snapshot!(
        "edition_email_html",
        site.read(&format!("{EDITION}email.html"))
    );
    insta::assert_snapshot!(
        "edition_email_txt",
        site.read(&format!("{EDITION}email.txt"))
    );
}

#[test]
fn email_html_is_self_contained_with_inlined_styles_and_absolute_urls() {
    let site = Site::repo();
    site.build();
    let html = site.read(&format!("{EDITION}email.html"));
    let tags = start_tags(&html);
    assert!(!tags.is_empty());
    for (name, attrs) in &tags {
        assert_ne!(name, "script", "a script in the e-mail");
        if name == "link" {
            assert_ne!(
                attr(attrs, "rel"),
                Some("stylesheet"),
                "external stylesheet"
            );
        }
        for key in ["href", "src", "background"] {
            if let Some(url) = attr(attrs, key) {
                assert!(
                    url.starts_with("https://newsletter.iteam.example/")
                        || url.starts_with("mailto:")
                        || url == "{{ UnsubscribeURL }}",
                    "relative or foreign URL in <{name} {key}={url:?}>"
                );
            }
        }
    }
    // The template's rules are on the elements now.
    let h1 = tags.iter().find(|(n, _)| n == "h1").expect("an h1");
    let style = attr(&h1.1, "style").expect("h1 has an inlined style");
    assert!(style.contains("font-size: 26px"), "{style}");
    let container = tags
        .iter()
        .find(|(n, a)| n == "table" && attr(a, "class") == Some("container"))
        .expect("the 600 px container table");
    assert_eq!(attr(&container.1, "width"), Some("600"));
    assert!(attr(&container.1, "style").is_some_and(|s| s.contains("width: 600px")));
    // Only the media query stays in <style>, for the clients that read it.
    let style_block = html
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .expect("a style block for phones");
    assert!(
        style_block.trim_start().starts_with("@media"),
        "{style_block}"
    );
    // The hidden preheader, the unsubscribe placeholder and the web version link.
    let pre = tags
        .iter()
        .find(|(n, a)| n == "div" && attr(a, "class") == Some("preheader"))
        .expect("a preheader");
    assert!(attr(&pre.1, "style").is_some_and(|s| s.contains("display: none")));
    assert!(html.contains("Die Regionalgruppe Rheinland zeigt, wie regionale iTeam Gruppen"));
    assert!(html.contains(r#"href="{{ UnsubscribeURL }}""#));
    assert!(html.contains(r#"href="https://newsletter.iteam.example/ausgaben/2007-11/""#));
    // The Rheinland report is in it, linked.
    assert!(html.contains("Noch enger zusammenrücken"));
    assert!(
        html.contains(
            r#"href="https://newsletter.iteam.example/artikel/regionalgruppe-rheinland/""#
        )
    );
}

#[test]
fn email_txt_is_wrapped_with_numbered_links() {
    let site = Site::repo();
    site.build();
    let text = site.read(&format!("{EDITION}email.txt"));
    let lines: Vec<&str> = text.lines().collect();
    // Titles underlined to their length.
    assert_eq!(lines[0], "Regionalgruppen: Noch enger zusammenrücken");
    assert_eq!(lines[1], "=".repeat(lines[0].chars().count()));
    for line in &lines {
        if !line.starts_with('[') {
            assert!(
                line.chars().count() <= 72,
                "longer than 72 columns: {line:?}"
            );
        }
    }
    let links = text.split("Links\n-----\n\n").nth(1).expect("a link list");
    let refs: Vec<&str> = links.lines().collect();
    assert_eq!(
        refs,
        [
            "[1] https://newsletter.iteam.example/artikel/regionalgruppe-rheinland/",
            "[2] https://newsletter.iteam.example/ausgaben/2007-11/",
            "[3] {{ UnsubscribeURL }}",
            "[4] https://newsletter.iteam.example/",
            "[5] https://newsletter.iteam.example/impressum/",
            "[6] https://newsletter.iteam.example/datenschutz/",
        ]
    );
    // The footer names the sender and links the legal pages.
    assert!(text.contains("Herausgeber: iTeam Systemhauskooperation GmbH & Co. KG\niTeam Newsletter: [4]\nImpressum: [5]\nDatenschutz: [6]\n"), "{text}");
    assert!(text.contains("Weiterlesen: [1]"));
    assert!(text.contains("Die iTeam Regionalgruppe Rheinland, der 22 Systemhäuser angehören"));
    assert!(!text.contains('<'), "markup left in the text:\n{text}");
}

#[test]
fn eml_is_a_multipart_alternative_message_a_mime_parser_reads_back() {
    let site = Site::repo();
    site.build();
    let bytes = std::fs::read(site.path(&format!("{EDITION}edition.eml"))).unwrap();
    let message = mail_parser::MessageParser::default()
        .parse(&bytes)
        .expect("a MIME message");
    assert_eq!(
        message.subject(),
        Some("iTeam Newsletter Nr. 1 · Regionalgruppen: Noch enger zusammenrücken")
    );
    // RFC 8058 one-click unsubscribe, as Gmail and Yahoo want it from bulk senders: the
    // placeholder the mailing tool fills in per recipient.
    let unsubscribe = message
        .list_unsubscribe()
        .as_address()
        .expect("List-Unsubscribe");
    let urls: Vec<&str> = unsubscribe.iter().filter_map(|a| a.address()).collect();
    assert_eq!(urls, ["{{ UnsubscribeURL }}"]);
    assert_eq!(
        message.header_raw("List-Unsubscribe-Post").map(str::trim),
        Some("List-Unsubscribe=One-Click")
    );
    let from = message.from().and_then(|f| f.first()).expect("From");
    assert_eq!(from.name(), Some("iTeam Newsletter"));
    assert_eq!(from.address(), Some("newsletter@iteam.example"));
    assert_eq!(
        message.message_id(),
        Some("ausgabe-1.2007-11@newsletter.iteam.example")
    );
    assert!(message.date().is_some());
    let root = message.content_type().expect("Content-Type");
    assert_eq!(root.ctype(), "multipart");
    assert_eq!(root.subtype(), Some("alternative"));
    assert_eq!(message.text_body.len(), 1);
    assert_eq!(message.html_body.len(), 1);
    let text = message
        .body_text(0)
        .expect("text part")
        .replace("\r\n", "\n");
    let html = message
        .body_html(0)
        .expect("HTML part")
        .replace("\r\n", "\n");
    assert_eq!(text, site.read(&format!("{EDITION}email.txt")));
    assert_eq!(html, site.read(&format!("{EDITION}email.html")));
    for part in &message.parts[1..] {
        let ct = part.content_type().expect("part type");
        assert_eq!(ct.attribute("charset"), Some("utf-8"));
    }
    // Same input, same bytes: Date, Message-ID and boundary come from the edition.
    site.cmd(&["build", "--output", "public2"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read(site.path("public2/ausgaben/2007-11/edition.eml")).unwrap(),
        bytes
    );
}

#[test]
fn articles_link_back_and_the_archive_lists_editions() {
    let site = Site::repo();
    site.build();
    let article = site.read("public/artikel/regionalgruppe-rheinland/index.html");
    assert!(article.contains("Erschienen im Newsletter"));
    assert!(article.contains(r#"<a href="https://newsletter.iteam.example/ausgaben/2007-11/">Ausgabe 1: Regionalgruppen: Noch enger zusammenrücken</a>"#));
    let archive = site.read("public/ausgaben/index.html");
    assert!(archive.contains(r#"href="https://newsletter.iteam.example/ausgaben/2007-11/""#));
    // Editions are not articles: not among the home page's latest articles, not in the
    // feeds or articles.json. The home page leads to the current edition in a block of its own.
    assert!(!site.read("public/atom.xml").contains("/ausgaben/"));
    assert!(!site.read("public/articles.json").contains("/ausgaben/"));
    let home = site.read("public/index.html");
    let latest = &home[home.find("id=\"latest-title\"").expect("latest articles")..];
    assert!(!latest.contains("/ausgaben/2007-11/"));
    let current = &home[home
        .find("class=\"current-edition\"")
        .expect("current edition")..];
    assert!(current.contains(r#"<a class="button" href="https://newsletter.iteam.example/ausgaben/2007-11/">Ausgabe 1 lesen</a>"#));
    assert!(current.contains(
        "Die Regionalgruppe Rheinland zeigt, wie regionale iTeam Gruppen die Kooperation stärken."
    ));
    // The nav links the archive.
    assert!(
        site.read("public/index.html")
            .contains(r#"href="https://newsletter.iteam.example/ausgaben/""#)
    );
}

#[test]
fn a_date_range_picks_articles_by_date_and_region() {
    let site = Site::fixture("editions");
    site.build();
    let range = site.read("public/ausgaben/2020-04/email.txt");
    assert!(range.contains("Messe in Köln"), "{range}");
    assert!(!range.contains("Hafen Hamburg"), "region filter: {range}");
    assert!(!range.contains("Brücken"), "outside the range: {range}");
    assert!(!range.contains("Entwurf"), "a draft: {range}");
    // The explicit list keeps its order: Bonn before Köln, against the date.
    let list = site.read("public/ausgaben/2020-03/email.txt");
    let bonn = list.find("Radwege in Bonn\n---").unwrap();
    let koeln = list
        .find("Brücken für Köln: „Jetzt oder nie“\n---")
        .unwrap();
    assert!(bonn < koeln, "{list}");
    // Images in the e-mail have a width and alt, and absolute URLs.
    let html = site.read("public/ausgaben/2020-03/email.html");
    let img = start_tags(&html)
        .into_iter()
        .find(|(n, _)| n == "img")
        .expect("the article's image");
    assert_eq!(
        attr(&img.1, "src"),
        Some("https://test.example/bilder/plan-40w.png")
    );
    assert_eq!(attr(&img.1, "alt"), Some("Der Plan der Brücke"));
    // The picture's own width: a 40 px plan is not blown up to the column.
    assert_eq!(attr(&img.1, "width"), Some("40"));
    // Configured sender, reply-to and placeholder.
    let eml = site.read("public/ausgaben/2020-03/edition.eml");
    assert!(
        eml.contains("Reply-To: <leserbriefe@test.example>"),
        "{eml}"
    );
    assert!(html.contains(r#"href="*|UNSUB|*""#));
    // Back-links to both editions on an article in both.
    site.write(
        "content/ausgaben/2020-05.md",
        "---\ntitle: Nachlese\nnumber: 3\ndate: 2020-05-31\narticles: [\"@/artikel/2020-03-20-radwege-in-bonn.md\"]\n---\nNachlese.\n",
    );
    site.build();
    let bonn = site.read("public/artikel/radwege-in-bonn/index.html");
    let first = bonn
        .find("Ausgabe 1: Brücken und Radwege")
        .expect("edition 1");
    let third = bonn.find("Ausgabe 3: Nachlese").expect("edition 3");
    assert!(first < third, "oldest edition first");
    site.cmd(&["check"]).assert().success();
}

// Bad references, an edition without articles and a theme without email.html:
// tests/fixtures/errors/build-bad-edition-references-are-errors-at-their-line/,
// build-edition-without-articles/ and build-theme-without-email-template/.

#[test]
fn new_edition_lists_the_articles_since_the_previous_one() {
    let site = Site::fixture("editions");
    site.remove("content/ausgaben/2020-04.md");
    let run = site.run(&["new", "edition", "2020-04"]).expect_success();
    insta::assert_snapshot!(run.stdout(), @"Created ./content/ausgaben/2020-04.md (edition 2, 2 article(s) since content/ausgaben/2020-03.md; a draft: write the editorial, check the list, then remove `draft: true`)");
    insta::assert_snapshot!(run.stderr(), @"");
    let text = site.read("content/ausgaben/2020-04.md");
    assert!(text.contains("title: Ausgabe April 2020"), "{text}");
    assert!(text.contains("number: 2"), "{text}");
    assert!(text.contains("date: 2020-04-30"), "{text}");
    assert!(text.contains("draft: true"), "{text}");
    // Newest first; the draft and the articles of the previous edition's month are not listed.
    let messe = text
        .find("'@/artikel/2020-04-10-messe-koeln.md'")
        .expect("Messe");
    let hafen = text
        .find("'@/artikel/2020-04-05-hafen-hamburg.md'")
        .expect("Hafen");
    assert!(messe < hafen, "{text}");
    assert!(!text.contains("entwurf"), "{text}");
    assert!(!text.contains("radwege"), "{text}");
    // It builds once published, and is never overwritten.
    site.write(
        "content/ausgaben/2020-04.md",
        text.replace("draft: true\n", ""),
    );
    site.build();
    assert!(
        site.read("public/ausgaben/2020-04/email.txt")
            .contains("Hafen Hamburg")
    );
    let run = site.run(&["new", "edition", "2020-04"]).expect_failure();
    insta::assert_snapshot!(run.stderr(), @"error: ./content/ausgaben/2020-04.md exists already; presswerk new never overwrites a file");
    let run = site.run(&["new", "edition", "../x"]).expect_failure();
    insta::assert_snapshot!(run.stderr(), @r"
        error: `../x` cannot be an edition's file name
         |
         = help: use letters, digits and dashes, e.g. presswerk new edition 2007-12

        error: 1 error(s); nothing was written
        ");
}
