//! Site features: taxonomies, pagination, feeds, sitemap, internal links, drafts and
//! scheduling, aliases, shortcodes, JSON output, template functions.

use std::fmt::Write as _;

use crate::harness::{Site, tree};

const TAGS: [&str; 4] = ["Förderung", "Straße", "IT-Sicherheit", "Messe"];
const REGIONS: [&str; 3] = ["Rheinland", "Baden-Württemberg", "Münsterland"];

/// The basic fixture plus 25 generated articles, one a day in January 2021, with tags and
/// regions in a fixed pattern, so pages, terms and feeds have known contents.
fn newsroom() -> Site {
    let site = Site::fixture("basic");
    for i in 1..=25 {
        let tags = [TAGS[i % 4], TAGS[(i + 1) % 4]];
        let body = format!(
            "---\ntitle: \"Meldung {i:02}\"\ndate: 2021-01-{i:02}T09:30:00\nauthors: [erika-muster]\nregion: {}\ntags: [{}, {}]\nsummary: \"Kurzfassung {i}\"\n---\n\nText der Meldung {i}.\n",
            REGIONS[i % 3],
            tags[0],
            tags[1]
        );
        site.write(&format!("content/meldungen/meldung-{i:02}.md"), body);
    }
    site.write(
        "content/meldungen/_index.md",
        "---\ntitle: Meldungen\npaginate_by: 10\n---\n",
    );
    let toml = site.read("site.toml")
        + "\n[feeds]\nlimit = 5\n\n[[taxonomies]]\nname = \"tags\"\ntitle = \"Schlagwörter\"\npaginate_by = 4\nfeed = true\n\n[[taxonomies]]\nname = \"regions\"\ntitle = \"Regionen\"\nkey = \"region\"\n";
    site.write("site.toml", toml);
    site
}

#[test]
fn term_pages_with_german_slugs_newest_first_and_paginated() {
    let site = newsroom();
    site.build();
    // 25 articles; tag i%4 and (i+1)%4: every tag has 12 or 13 articles → 4 pages of 4.
    assert!(site.path("public/tags/foerderung/index.html").is_file());
    assert!(site.path("public/tags/strasse/page/4/index.html").is_file());
    assert!(!site.path("public/tags/strasse/page/5").exists());
    assert!(
        site.path("public/regions/baden-wuerttemberg/index.html")
            .is_file()
    );
    assert!(
        site.path("public/regions/muensterland/index.html")
            .is_file()
    );
    // Regions are not paginated: one page per term.
    assert!(!site.path("public/regions/rheinland/page/2").exists());
    let term = site.read("public/tags/messe/index.html");
    // Newest first: Messe is tag of i%4==3 and (i+1)%4==3 → i = 23, 22, 19, 18 on page 1.
    let order: Vec<usize> = ["Meldung 23", "Meldung 22", "Meldung 19", "Meldung 18"]
        .iter()
        .map(|t| term.find(t).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(!term.contains("Meldung 15"));
    insta::assert_snapshot!("term_page", term);
    let list = site.read("public/tags/index.html");
    for t in TAGS {
        assert!(list.contains(t), "{t} missing from the term list");
    }
    // page/1/ leads back to the term's own URL.
    let redirect = site.read("public/tags/messe/page/1/index.html");
    assert!(redirect.contains(
        "<meta http-equiv=\"refresh\" content=\"0; url=https://test.example/tags/messe/\">"
    ));
    assert!(
        redirect.contains("<link rel=\"canonical\" href=\"https://test.example/tags/messe/\">")
    );
}

#[test]
fn paginator_object_for_sections() {
    let site = newsroom();
    site.write(
        "templates/section.html",
        "{% extends \"base.html\" %}{% block content %}{% if paginator %}PAGINATOR current={{ paginator.current }} total={{ paginator.total_pages }} per={{ paginator.per_page }} count={{ paginator.total_items }} items={% for p in paginator.items %}{{ p.slug }},{% endfor %} prev={{ paginator.previous }} next={{ paginator.next }} first={{ paginator.first }} last={{ paginator.last }} links={% for l in paginator.links %}{{ l.number }}:{{ l.url }}:{{ l.current }};{% endfor %}END{% endif %}{% endblock content %}",
    );
    site.build();
    let page2 = site.read("public/meldungen/page/2/index.html");
    let dump = &page2[page2.find("PAGINATOR").unwrap()..page2.find("END").unwrap()];
    assert_eq!(
        dump,
        "PAGINATOR current=2 total=3 per=10 count=25 items=meldung-15,meldung-14,meldung-13,meldung-12,meldung-11,meldung-10,meldung-09,meldung-08,meldung-07,meldung-06, \
         prev=https://test.example/meldungen/ next=https://test.example/meldungen/page/3/ \
         first=https://test.example/meldungen/ last=https://test.example/meldungen/page/3/ \
         links=1:https://test.example/meldungen/:false;2:https://test.example/meldungen/page/2/:true;3:https://test.example/meldungen/page/3/:false;"
    );
    let page3 = site.read("public/meldungen/page/3/index.html");
    assert!(page3.contains("prev=https://test.example/meldungen/page/2/ next= "));
    assert!(
        site.read("public/meldungen/page/1/index.html")
            .contains("url=https://test.example/meldungen/")
    );
    // A section without paginate_by gets no paginator and lists everything.
    site.write("templates/section.html", "{% extends \"base.html\" %}{% block content %}{% if paginator %}HAS{% else %}NONE {{ section.pages | length }}{% endif %}{% endblock content %}");
    site.build();
    assert!(site.read("public/artikel/index.html").contains("NONE 2"));
}

#[test]
fn author_pages_are_paginated() {
    let site = newsroom();
    site.build();
    // 27 articles by Erika Muster, 10 per page.
    assert!(
        site.path("public/autoren/erika-muster/page/3/index.html")
            .is_file()
    );
    assert!(!site.path("public/autoren/erika-muster/page/4").exists());
    let first = site.read("public/autoren/erika-muster/index.html");
    assert!(first.contains("Meldung 25") && !first.contains("Meldung 15"));
}

#[test]
fn atom_and_rss_parse_with_the_right_entries() {
    let site = newsroom();
    site.build();
    for file in ["atom.xml", "rss.xml"] {
        let bytes = std::fs::read(site.path(&format!("public/{file}"))).unwrap();
        let feed =
            feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(feed.title.unwrap().content, "Testblatt");
        // feeds.limit = 5, newest first.
        let titles: Vec<String> = feed
            .entries
            .iter()
            .map(|e| e.title.clone().unwrap().content)
            .collect();
        assert_eq!(
            titles,
            [
                "Meldung 25",
                "Meldung 24",
                "Meldung 23",
                "Meldung 22",
                "Meldung 21"
            ],
            "{file}"
        );
        let first = &feed.entries[0];
        // 09:30 in Europe/Berlin in winter is 08:30 UTC.
        assert_eq!(
            first.published.unwrap().to_rfc3339(),
            "2021-01-25T08:30:00+00:00",
            "{file}"
        );
        assert_eq!(
            first.links[0].href,
            "https://test.example/meldungen/meldung-25/"
        );
        assert_eq!(
            first.authors[0].name.as_deref(),
            Some("Erika Muster"),
            "{file}"
        );
        let summary = first.summary.clone().unwrap().content;
        assert!(summary.contains("Kurzfassung 25"), "{file}: {summary}");
    }
    let atom = site.read("public/atom.xml");
    assert!(atom.contains("<published>2021-01-25T09:30:00+01:00</published>"));
    assert!(
        site.read("public/rss.xml")
            .contains("<pubDate>Mon, 25 Jan 2021 09:30:00 +0100</pubDate>")
    );
    // A term's own Atom feed.
    let term = feed_rs::parser::parse(
        std::fs::read(site.path("public/tags/messe/atom.xml"))
            .unwrap()
            .as_slice(),
    )
    .unwrap();
    assert_eq!(term.entries.len(), 5);
    assert_eq!(term.entries[0].title.clone().unwrap().content, "Meldung 23");
    // The theme announces the feeds.
    let home = site.read("public/index.html");
    assert!(
        home.contains("type=\"application/atom+xml\"")
            && home.contains("href=\"https://test.example/atom.xml\"")
    );
    assert!(home.contains("type=\"application/rss+xml\""));
    insta::assert_snapshot!("atom_feed", atom);
}

#[test]
fn sitemap_lists_every_public_page_and_robots_points_to_it() {
    let site = newsroom();
    site.build();
    let xml = site.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap is XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
    let urls: Vec<(String, Option<String>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "url")))
        .map(|u| {
            let child = |name: &str| {
                u.children()
                    .find(|c| c.has_tag_name((ns, name)))
                    .and_then(|c| c.text())
                    .map(str::to_string)
            };
            (child("loc").unwrap(), child("lastmod"))
        })
        .collect();
    // Every HTML file in public/ but redirects and 404 is in the sitemap, and nothing else.
    let mut expected: Vec<String> = tree(&site.path("public"))
        .into_iter()
        .filter(|(path, bytes)| {
            path.ends_with(".html")
                && path != "404.html"
                && !String::from_utf8_lossy(bytes).contains("http-equiv=\"refresh\"")
        })
        .map(|(path, _)| {
            format!(
                "https://test.example/{}",
                path.trim_end_matches("index.html")
            )
        })
        .collect();
    expected.sort();
    let mut locs: Vec<String> = urls.iter().map(|u| u.0.clone()).collect();
    locs.sort();
    assert_eq!(locs, expected);
    let meldung = urls.iter().find(|u| u.0.ends_with("/meldung-07/")).unwrap();
    assert_eq!(meldung.1.as_deref(), Some("2021-01-07T09:30:00+01:00"));
    for (loc, lastmod) in &urls {
        if let Some(m) = lastmod {
            assert!(m.parse::<jiff::Timestamp>().is_ok(), "{loc}: {m}");
        }
    }
    assert!(!xml.contains("noch-geheim") && !xml.contains("/entwurf/"));
    let robots = site.read("public/robots.txt");
    assert!(robots.contains("Sitemap: https://test.example/sitemap.xml"));
    assert!(site.path("public/404.html").is_file());
}

#[test]
fn a_sitemap_index_above_thirty_thousand_urls() {
    let site = Site::fixture("basic");
    // Minimal templates keep 30,000 pages quick to render.
    for t in ["page.html", "section.html", "author.html", "index.html"] {
        site.write(&format!("templates/{t}"), "x");
    }
    let mut body = String::new();
    for i in 0..30_050 {
        body.clear();
        let _ = write!(body, "---\ntitle: S{i}\n---\n");
        site.write(&format!("content/viele/s{i}.md"), &body);
    }
    site.build();
    let index = site.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&index).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        locs,
        [
            "https://test.example/sitemap1.xml",
            "https://test.example/sitemap2.xml"
        ]
    );
    let count = |f: &str| {
        roxmltree::Document::parse(&site.read(f))
            .unwrap()
            .descendants()
            .filter(|n| n.has_tag_name("url"))
            .count()
    };
    let total = count("public/sitemap1.xml") + count("public/sitemap2.xml");
    assert_eq!(count("public/sitemap1.xml"), 30_000);
    assert!(total > 30_050, "{total}");
}

#[test]
fn internal_links_resolve_with_anchors() {
    let site = Site::fixture("basic");
    site.write(
        "content/artikel/verweise.md",
        "---\ntitle: Verweise\n---\n\n[Brücken](@/artikel/2020-03-01-bruecken-fuer-koeln.md), [Bau](@/artikel/2020-03-01-bruecken-fuer-koeln.md#bau), [Erika](@/autoren/erika-muster.md), [Alle](@/artikel/_index.md)\n",
    );
    site.build();
    let html = site.read("public/artikel/verweise/index.html");
    assert!(
        html.contains("<a href=\"https://test.example/artikel/bruecken-fuer-koeln/\">Brücken</a>")
    );
    assert!(
        html.contains("<a href=\"https://test.example/artikel/bruecken-fuer-koeln/#bau\">Bau</a>")
    );
    assert!(html.contains("<a href=\"https://test.example/autoren/erika-muster/\">Erika</a>"));
    assert!(html.contains("<a href=\"https://test.example/artikel/\">Alle</a>"));
}

// Broken internal links and anchors: tests/fixtures/errors/build-broken-internal-link-and-anchor-name-file-and-line/.

#[test]
fn drafts_and_schedules_are_left_out_of_every_output() {
    let site = newsroom();
    site.write(
        "content/meldungen/zukunft.md",
        "---\ntitle: Zukunftsmeldung\ndate: 2021-02-01\npublish_date: 2999-01-01\ntags: [Zukunftstag]\nregion: Zukunftsland\nauthors: [erika-muster]\n---\nText\n",
    );
    site.write(
        "content/meldungen/vorbei.md",
        "---\ntitle: Vorbeimeldung\ndate: 2021-02-02\nexpiry_date: 2001-01-01\ntags: [Vorbeitag]\n---\nText\n",
    );
    let run = site.run(&["build"]).expect_success();
    insta::assert_snapshot!(run.stdout(), @"Built 28 pages, 5 sections, 1 authors, 9 terms, 3 held back (drafts/scheduled): 87 files (0.5 MiB) in [ELAPSED] → ./public");
    for (path, bytes) in tree(&site.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        for hidden in [
            "Zukunftsmeldung",
            "zukunftstag",
            "Zukunftsland",
            "Vorbeimeldung",
            "vorbeitag",
            "Noch geheim",
        ] {
            assert!(!text.contains(hidden), "{hidden} leaked into {path}");
        }
    }
    site.cmd(&["build", "--drafts"]).assert().success();
    assert!(site.read("public/atom.xml").contains("Vorbeimeldung"));
    assert!(site.path("public/tags/zukunftstag/index.html").is_file());
    assert!(
        site.read("public/sitemap.xml")
            .contains("/meldungen/zukunft/")
    );
}

/// An alias that collides with a page, or leaves the site: tests/fixtures/errors/build-alias-*/.
#[test]
fn aliases_write_redirect_pages() {
    let site = Site::fixture("basic");
    let text = site
        .read("content/artikel/2020-03-01-bruecken-fuer-koeln.md")
        .replacen(
            "region:",
            "aliases: [/2020/bruecken/, /alt.html]\nregion:",
            1,
        );
    site.write("content/artikel/2020-03-01-bruecken-fuer-koeln.md", text);
    site.build();
    for file in ["public/2020/bruecken/index.html", "public/alt.html"] {
        let html = site.read(file);
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"0; url=https://test.example/artikel/bruecken-fuer-koeln/\">"), "{html}");
        assert!(html.contains(
            "<link rel=\"canonical\" href=\"https://test.example/artikel/bruecken-fuer-koeln/\">"
        ));
    }
}

/// Their errors point into the Markdown: tests/fixtures/errors/build-*-shortcode-*/.
#[test]
fn shortcodes_render_in_place() {
    let site = Site::fixture("basic");
    site.write(
        "content/artikel/bilder.md",
        "---\ntitle: Bilder\n---\n\nVorher.\n\n{{ bild(src=\"plan.svg\", alt=\"Der Plan\", caption=\"Plan für \\\"Köln\\\"\", width=10) }}\n\n{% zitat(autor=\"Erika Muster\") %}\nWir bauen \"jetzt\".\n{% end %}\n\nNachher mit `{{ bild(src=\"x\") }}` als Code.\n",
    );
    site.build();
    let html = site.read("public/artikel/bilder/index.html");
    assert!(
        html.contains(
            "<figure class=\"figure\"><img src=\"plan.svg\" alt=\"Der Plan\" width=\"10\""
        ),
        "{html}"
    );
    assert!(
        html.contains("<figcaption>Plan für &quot;Köln&quot;</figcaption>"),
        "{html}"
    );
    assert!(
        html.contains("<blockquote><p>Wir bauen „jetzt“.</p>"),
        "{html}"
    );
    assert!(html.contains("Erika Muster"));
    assert!(html.contains("<code>{{ bild(src=\"x\") }}</code>"));
    assert!(
        !html.contains("<p><figure"),
        "block shortcodes must not sit in a paragraph"
    );
}

#[test]
fn json_for_partner_sites() {
    let site = newsroom();
    site.build();
    let articles: serde_json::Value =
        serde_json::from_str(&site.read("public/articles.json")).unwrap();
    let list = articles.as_array().unwrap();
    assert_eq!(list.len(), 28); // 25 + 2 dated fixture articles + the dated event
    let first = &list[0];
    assert_eq!(first["title"], "Meldung 25");
    assert_eq!(
        first["permalink"],
        "https://test.example/meldungen/meldung-25/"
    );
    assert_eq!(first["date"], "2021-01-25T09:30:00+01:00");
    assert_eq!(first["authors"][0]["slug"], "erika-muster");
    assert_eq!(first["region"], "Baden-Württemberg");
    assert_eq!(
        first["taxonomies"]["regions"][0]["permalink"],
        "https://test.example/regions/baden-wuerttemberg/"
    );
    assert!(
        first["summary"]
            .as_str()
            .unwrap()
            .contains("Kurzfassung 25")
    );
    let authors: serde_json::Value =
        serde_json::from_str(&site.read("public/authors.json")).unwrap();
    assert_eq!(authors[0]["slug"], "erika-muster");
    assert_eq!(authors[0]["address"]["postal_code"], "50667");
    assert_eq!(authors[0]["articles"].as_array().unwrap().len(), 27);
}

/// A missing page asked of get_page: tests/fixtures/errors/build-get-page-of-a-missing-page/.
#[test]
fn template_functions_reach_the_site() {
    let site = Site::fixture("basic");
    site.write(
        "templates/404.html",
        "{% set p = get_page(path=\"artikel/2020-03-01-bruecken-fuer-koeln.md\") %}{% set s = get_section(path=\"artikel\") %}{% set s2 = get_section(path=\"artikel/_index.md\") %}{% set a = get_author(slug=\"erika-muster\") %}{{ p.title }}|{{ s.title }}|{{ s2.pages | length }}|{{ a.address.city }}|{{ get_url(path=\"@/artikel/eigener-slug.md#x\") }}|{{ get_url(path=\"style.css\") }}|{% set tax = get_taxonomy(kind=\"tags\") %}{% for t in tax.terms %}{{ t.slug }}:{{ t.count }},{% endfor %}",
    );
    let toml = site.read("site.toml") + "\n[[taxonomies]]\nname = \"tags\"\n";
    site.write("site.toml", toml);
    site.build();
    assert_eq!(
        site.read("public/404.html"),
        "Brücken für Köln: „Jetzt oder nie“|Artikel|2|Köln|https://test.example/artikel/ueber-uns-mehr/#x|https://test.example/style.css|infrastruktur:1,verkehr:1,"
    );
}

#[test]
fn new_article_scaffolds_a_draft_and_never_overwrites() {
    let site = Site::fixture("basic");
    let today = jiff::ZonedDateTime::now()
        .with_time_zone(jiff::tz::TimeZone::get("Europe/Berlin").unwrap())
        .date();
    let run = site
        .run(&[
            "new",
            "article",
            "Größere Brücken: Köln plant",
            "--author",
            "erika-muster",
            "--region",
            "Rheinland",
        ])
        .expect_success()
        .redact(&today.to_string(), "[TODAY]");
    insta::assert_snapshot!(run.stdout(), @"Created ./content/artikel/[TODAY]-groessere-bruecken-koeln-plant.md (a draft: remove `draft: true` to publish)");
    insta::assert_snapshot!(run.stderr(), @"");
    let rel = format!("content/artikel/{today}-groessere-bruecken-koeln-plant.md");
    let text = site.read(&rel);
    assert!(
        text.contains("title: 'Größere Brücken: Köln plant'"),
        "{text}"
    );
    assert!(text.contains(&format!("date: {today}")));
    assert!(
        text.contains("- erika-muster")
            && text.contains("region: Rheinland")
            && text.contains("draft: true")
    );
    // It builds (as a draft, held back), and with --drafts it is a page.
    site.cmd(&["build", "--drafts"]).assert().success();
    assert!(
        site.path("public/artikel/groessere-bruecken-koeln-plant/index.html")
            .is_file()
    );
    // A second call refuses to overwrite.
    std::fs::write(site.path(&rel), "eigener Text").unwrap();
    let run = site
        .run(&["new", "article", "Größere Brücken: Köln plant"])
        .expect_failure()
        .redact(&today.to_string(), "[TODAY]");
    insta::assert_snapshot!(run.stderr(), @"error: ./content/artikel/[TODAY]-groessere-bruecken-koeln-plant.md exists already; presswerk new never overwrites a file");
    assert_eq!(site.read(&rel), "eigener Text");
    // Unknown author: a hint, no file.
    let run = site
        .run(&["new", "article", "Noch einer", "--author", "erika-mustr"])
        .expect_failure();
    insta::assert_snapshot!(run.stderr(), @r"
        error: unknown author `erika-mustr`
        --> content/autoren/
         = help: did you mean `erika-muster`?

        error: 1 error(s); nothing was written
        ");
    assert!(
        !site
            .path(&format!("content/artikel/{today}-noch-einer.md"))
            .exists()
    );
}

#[test]
fn golden_paginated_section_and_sitemap() {
    let site = newsroom();
    site.build();
    insta::assert_snapshot!(
        "section_page_2",
        site.read("public/meldungen/page/2/index.html")
    );
    let basic = Site::fixture("basic");
    basic.build();
    insta::assert_snapshot!("basic_sitemap", basic.read("public/sitemap.xml"));
}
