//! Publishing for readers: link previews and structured data, the publisher's legal pages,
//! menus, related articles, the e-mail checks of `check`.

use std::process::Command;

use serde_json::Value;

use crate::harness::Site;

const ARTICLE: &str = "public/artikel/regionalgruppe-rheinland/index.html";

/// Every JSON-LD block of a page, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            let text = rest.split("</script>").next().expect("closed script");
            serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        })
        .collect()
}

fn of_type<'a>(blocks: &'a [Value], ty: &str) -> &'a Value {
    blocks
        .iter()
        .find(|b| b["@type"] == ty)
        .unwrap_or_else(|| panic!("no {ty} in {blocks:?}"))
}

/// The content of `<meta property|name="key" content="…">`, entities as written.
fn meta<'a>(html: &'a str, key: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    for attr in ["property", "name"] {
        let start = format!("<meta {attr}=\"{key}\" content=\"");
        for part in html.split(&start).skip(1) {
            found.push(part.split('"').next().unwrap_or(""));
        }
    }
    found
}

#[test]
fn the_article_has_a_news_article_with_its_author_publisher_and_breadcrumbs() {
    let site = Site::repo();
    site.build();
    let html = site.read(ARTICLE);
    let blocks = json_ld(&html);
    let a = of_type(&blocks, "NewsArticle");
    let url = "https://newsletter.iteam.example/artikel/regionalgruppe-rheinland/";
    assert_eq!(a["@context"], "https://schema.org");
    assert_eq!(
        a["headline"],
        "Regionalgruppe der iTeam Systemhauskooperation GmbH & Co. KG – „Noch enger zusammenrücken“"
    );
    // Dates with their offset in the site's time zone.
    assert_eq!(a["datePublished"], "2007-11-06T00:00:00+01:00");
    assert_eq!(a["dateModified"], "2007-11-06T00:00:00+01:00");
    assert_eq!(a["url"], url);
    assert_eq!(a["mainEntityOfPage"]["@id"], url);
    assert_eq!(a["inLanguage"], "de");
    assert_eq!(a["articleSection"], "Rheinland");
    assert!(
        a["description"]
            .as_str()
            .unwrap()
            .starts_with("Die iTeam Regionalgruppe Rheinland")
    );
    // The hero's 1200 × 630 crop.
    assert_eq!(
        a["image"][0],
        "https://newsletter.iteam.example/artikel/regionalgruppe-rheinland/rheinufer-1200x630.jpg"
    );
    let author = &a["author"][0];
    assert_eq!(author["@type"], "Person");
    assert_eq!(author["name"], "Ann Labus");
    assert_eq!(
        author["url"],
        "https://newsletter.iteam.example/autoren/ann-labus/"
    );
    let publisher = &a["publisher"];
    assert_eq!(publisher["@type"], "Organization");
    assert_eq!(
        publisher["name"],
        "iTeam Systemhauskooperation GmbH & Co. KG"
    );
    assert_eq!(publisher["logo"]["@type"], "ImageObject");
    assert_eq!(
        publisher["logo"]["url"],
        "https://newsletter.iteam.example/logo.png"
    );
    // Fields the site does not know are left out, not written empty.
    assert!(
        publisher.get("address").is_none() && publisher.get("email").is_none(),
        "{publisher}"
    );

    let crumbs = of_type(&blocks, "BreadcrumbList")["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["position"].as_u64().unwrap(),
                c["item"].as_str().unwrap().to_string(),
            )
        })
        .collect::<Vec<_>>();
    assert_eq!(
        crumbs,
        [
            (1, "https://newsletter.iteam.example/".to_string()),
            (2, "https://newsletter.iteam.example/artikel/".to_string()),
            (3, url.to_string()),
        ]
    );

    // OpenGraph and the Twitter card.
    assert_eq!(meta(&html, "og:type"), ["article"]);
    assert_eq!(meta(&html, "og:url"), [url]);
    assert_eq!(meta(&html, "og:locale"), ["de_DE"]);
    assert_eq!(meta(&html, "og:site_name"), ["iTeam Newsletter"]);
    assert_eq!(
        meta(&html, "og:image"),
        [
            "https://newsletter.iteam.example/artikel/regionalgruppe-rheinland/rheinufer-1200x630.jpg"
        ]
    );
    assert_eq!(
        meta(&html, "article:published_time"),
        ["2007-11-06T00:00:00+01:00"]
    );
    assert_eq!(
        meta(&html, "article:author"),
        ["https://newsletter.iteam.example/autoren/ann-labus/"]
    );
    assert_eq!(meta(&html, "article:section"), ["Rheinland"]);
    assert_eq!(
        meta(&html, "article:tag"),
        [
            "Regionalgruppen",
            "Hewlett-Packard",
            "Partnerschaft",
            "Kooperation"
        ]
    );
    // A preview image 1,200 px wide: the large card.
    assert_eq!(meta(&html, "twitter:card"), ["summary_large_image"]);
    assert_eq!(meta(&html, "og:title"), meta(&html, "twitter:title"));
    assert!(html.contains(
        "<link rel=\"icon\" href=\"https://newsletter.iteam.example/logo.png\" type=\"image/png\">"
    ));
    // The hero's crop, with its size.
    assert_eq!(meta(&html, "og:image:width"), ["1200"]);
    assert_eq!(meta(&html, "og:image:height"), ["630"]);
    assert!(html.contains(
        "<link rel=\"manifest\" href=\"https://newsletter.iteam.example/site.webmanifest\">"
    ));

    // The other page kinds.
    let home = json_ld(&site.read("public/index.html"));
    assert_eq!(
        of_type(&home, "WebSite")["publisher"]["@id"],
        "https://newsletter.iteam.example/#publisher"
    );
    assert_eq!(
        of_type(&home, "Organization")["@id"],
        "https://newsletter.iteam.example/#publisher"
    );
    let profile = json_ld(&site.read("public/autoren/ann-labus/index.html"));
    let person = of_type(&profile, "Person");
    assert_eq!(person["givenName"], "Ann-Christin");
    assert_eq!(
        person["worksFor"]["name"],
        "Wandschneider & Bartsch Kommunikationsberatung"
    );
    assert_eq!(person["address"]["addressLocality"], "Unna");
    assert_eq!(person["sameAs"][0], "http://www.die-agentur.com");

    // The web manifest names the logo as its icon.
    let manifest: Value = serde_json::from_str(&site.read("public/site.webmanifest")).unwrap();
    assert_eq!(manifest["lang"], "de");
    assert_eq!(manifest["icons"][0]["src"], "/logo.png");
    assert_eq!(manifest["icons"][0]["sizes"], "512x512");
    assert_eq!(manifest["icons"][0]["type"], "image/png");
}

/// extruct (the structured-data extractor Scrapy uses) reads the same JSON-LD and
/// OpenGraph from the page's HTML. Skipped without it unless PRESSWERK_REQUIRE_EXTRUCT is
/// set (CI installs it).
#[test]
fn extruct_reads_the_structured_data_and_the_opengraph_of_an_article() {
    let probe = Command::new("python3")
        .args(["-c", "import extruct"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("PRESSWERK_REQUIRE_EXTRUCT").is_none(),
            "extruct is required (PRESSWERK_REQUIRE_EXTRUCT is set) but python3 cannot import it"
        );
        eprintln!("skipped: extruct not found (pip install extruct)");
        return;
    }
    let site = Site::repo();
    site.build();
    let script = "import extruct, json, sys\nhtml = open(sys.argv[1], encoding='utf-8').read()\nprint(json.dumps(extruct.extract(html, base_url=sys.argv[2], syntaxes=['json-ld', 'opengraph'], uniform=True)))";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(site.path(ARTICLE))
        .arg("https://newsletter.iteam.example/artikel/regionalgruppe-rheinland/")
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let data: Value = serde_json::from_slice(&out.stdout).expect("extruct's JSON");
    let ld = data["json-ld"].as_array().unwrap();
    let types: Vec<&str> = ld.iter().filter_map(|d| d["@type"].as_str()).collect();
    assert_eq!(types, ["NewsArticle", "BreadcrumbList"]);
    assert_eq!(
        ld[0]["author"][0]["url"],
        "https://newsletter.iteam.example/autoren/ann-labus/"
    );
    let og = &data["opengraph"][0];
    // extruct's uniform form names og:type `@type`.
    assert_eq!(og["@type"], "article");
    assert_eq!(og["og:title"], ld[0]["headline"]);
    assert_eq!(
        og["og:image"],
        "https://newsletter.iteam.example/artikel/regionalgruppe-rheinland/rheinufer-1200x630.jpg"
    );
}

#[test]
fn the_impressum_and_datenschutz_pages_show_the_publisher_and_every_footer_links_them() {
    let site = Site::fixture("basic");
    site.build();
    let impressum = site.read("public/impressum/index.html");
    for needle in [
        "<h1>Impressum</h1>",
        "Angaben gemäß § 5 DDG",
        "Testverbund eG<br>",
        "Musterstraße 1<br>",
        "50667 Köln",
        "Erika Mustermann (Vorstand)",
        "Registergericht: Amtsgericht Köln",
        "Registernummer: GnR 123",
        "Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV",
        "Erika Mustermann, Musterstraße 1, 50667 Köln",
        "<a href=\"mailto:redaktion@testverbund.example\">",
    ] {
        assert!(
            impressum.contains(needle),
            "Impressum lacks {needle}:\n{impressum}"
        );
    }
    // No VAT id given: no heading for it.
    assert!(!impressum.contains("Umsatzsteuer"));
    let privacy = site.read("public/datenschutz/index.html");
    assert!(
        privacy.contains("Datenschutzerklärung")
            && privacy.contains("datenschutz@testverbund.example")
    );
    for page in [
        "public/index.html",
        "public/artikel/bruecken-fuer-koeln/index.html",
        "public/autoren/erika-muster/index.html",
        "public/impressum/index.html",
    ] {
        let html = site.read(page);
        let footer = &html[html.find("<footer class=\"site-footer\">").expect("footer")..];
        assert!(
            footer.contains("<a href=\"https://test.example/impressum/\""),
            "{page}"
        );
        assert!(
            footer.contains("https://test.example/datenschutz/"),
            "{page}"
        );
        assert!(
            footer.contains("Herausgegeben von Testverbund eG, Musterstraße 1, 50667 Köln"),
            "{page}"
        );
    }

    // In English: the English labels and paths.
    let en = Site::fixture("basic");
    en.write(
        "site.toml",
        en.read("site.toml")
            .replace("language = \"de\"", "language = \"en\""),
    );
    en.build();
    let imprint = en.read("public/imprint/index.html");
    assert!(
        imprint.contains("<h1>Imprint</h1>")
            && imprint.contains("Register court: Amtsgericht Köln")
    );
    assert!(
        en.read("public/privacy/index.html")
            .contains("Privacy policy")
    );
    assert!(
        en.read("public/index.html")
            .contains("<meta property=\"og:locale\" content=\"en_US\">")
    );
}

#[test]
fn check_warns_about_a_missing_publisher_and_each_empty_field() {
    let site = Site::fixture("basic");
    let toml = site.read("site.toml");
    let without = &toml[..toml
        .find("\n# A publisher")
        .expect("the fixture's publisher")];
    site.write("site.toml", without);
    let run = site.run(&["check"]).expect_success();
    assert!(
        run.stderr()
            .starts_with("warning: site.toml has no [publisher]"),
        "{}",
        run.stderr()
    );
    site.run(&["check", "--deny-warnings"]).expect_failure();
    // An English site need not have one.
    site.write(
        "site.toml",
        without.replace("language = \"de\"", "language = \"en\""),
    );
    let run = site.run(&["check"]).expect_success();
    assert_eq!(run.stderr(), "");

    // Each empty field at its line.
    site.write(
        "site.toml",
        toml.replace("register_number = \"GnR 123\"", "register_number = \"\"")
            .replace("email = \"redaktion@testverbund.example\"\n", ""),
    );
    let run = site.run(&["check"]).expect_success();
    let lines: Vec<&str> = run
        .stderr()
        .lines()
        .filter(|l| l.starts_with("warning") || l.contains("-->"))
        .collect();
    assert_eq!(
        lines,
        [
            "warning: publisher.email is empty: the Impressum lacks a contact e-mail address",
            " --> site.toml:8:1",
            "warning: publisher.register_number is empty: the Impressum lacks the register number",
            "  --> site.toml:16:1",
        ],
        "{}",
        run.stderr()
    );
}

#[test]
fn menus_from_site_toml_are_checked_like_links_and_used_by_the_theme() {
    let site = Site::fixture("basic");
    let base = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{base}\n[[menu.main]]\nname = \"Termine\"\nlink = \"@/termine/sommerfest.md\"\nweight = 20\n\n[[menu.main]]\nname = \"Artikel\"\nlink = \"@/artikel/_index.md\"\nweight = 10\n\n[[menu.main]]\nname = \"Verband\"\nlink = \"https://verband.example/\"\nweight = 30\n\n[[menu.footer]]\nname = \"Autorinnen\"\nlink = \"/autoren/\"\n"),
    );
    site.build();
    let html = site.read("public/artikel/bruecken-fuer-koeln/index.html");
    let nav = &html[html.find("class=\"site-nav\"").unwrap()..html.find("</nav>").unwrap()];
    let links: Vec<&str> = nav
        .split("<a href=\"")
        .skip(1)
        .map(|l| l.split('"').next().unwrap())
        .collect();
    // By weight; the current section marked.
    assert_eq!(
        links,
        [
            "https://test.example/artikel/",
            "https://test.example/termine/sommerfest/",
            "https://verband.example/"
        ]
    );
    assert!(
        nav.contains("<a href=\"https://test.example/artikel/\" aria-current=\"true\">Artikel</a>")
    );
    assert!(html.contains("<li><a href=\"https://test.example/autoren/\">Autorinnen</a></li>"));
    site.run(&["check"]).expect_success();

    // A menu link to no page fails the build at its line in site.toml.
    site.write(
        "site.toml",
        site.read("site.toml")
            .replace("@/termine/sommerfest.md", "@/termine/sommerfst.md"),
    );
    let run = site.run(&["build"]).expect_failure();
    let stderr = run.stderr();
    assert!(
        stderr.contains(
            "error: menu entry `Termine` links to `@/termine/sommerfst.md`, which is no page"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--> site.toml:"), "{stderr}");
    assert!(
        stderr.contains("did you mean `@/termine/sommerfest.md`?"),
        "{stderr}"
    );
    // A script URL never becomes a menu link.
    site.write(
        "site.toml",
        format!("{base}\n[[menu.main]]\nname = \"X\"\nlink = \"javascript:alert(1)\"\n"),
    );
    let stderr = site.run(&["build"]).expect_failure().stderr().to_string();
    assert!(stderr.contains("links to a `javascript:` URL"), "{stderr}");
}

/// Articles sharing tags, region and author, at various distances in time.
fn related_site() -> Site {
    let site = Site::fixture("basic");
    let articles = [
        ("a", "2021-03-01", "Rheinland", "[Messe, Förderung]"),
        ("b", "2021-03-05", "Rheinland", "[Messe, Förderung]"),
        ("c", "2021-03-03", "Westfalen", "[Messe]"),
        ("d", "2019-01-01", "Rheinland", "[Messe, Förderung]"),
        ("e", "2021-03-02", "Sachsen", "[Garten]"),
        ("f", "2021-02-20", "Rheinland", "[Förderung]"),
    ];
    for (slug, date, region, tags) in articles {
        site.write(
            &format!("content/meldungen/{slug}.md"),
            format!("---\ntitle: \"Meldung {slug}\"\ndate: {date}\nregion: {region}\ntags: {tags}\n---\n\nText {slug}.\n"),
        );
    }
    site
}

fn related_of(site: &Site, slug: &str) -> Vec<String> {
    let html = site.read(&format!("public/meldungen/{slug}/index.html"));
    let Some(at) = html.find("class=\"related-list\"") else {
        return Vec::new();
    };
    let list = &html[at..html[at..].find("</ul>").unwrap() + at];
    list.split("class=\"related-title\" href=\"https://test.example/meldungen/")
        .skip(1)
        .map(|l| l.split('/').next().unwrap().to_string())
        .collect()
}

#[test]
fn related_articles_are_scored_by_what_they_share_and_the_same_on_every_build() {
    let site = related_site();
    site.build();
    // b: both tags, the region, four days (3+3+2+3); f: a tag, the region, nine days
    // (3+2+3); d: both tags and the region but two years away (3+3+2); c: a tag, two days.
    assert_eq!(related_of(&site, "a"), ["b", "f", "d"]);
    // Sharing nothing: none, and no empty block.
    assert_eq!(related_of(&site, "e"), Vec::<String>::new());
    assert!(
        !site
            .read("public/meldungen/e/index.html")
            .contains("Weitere Artikel")
    );
    assert!(
        site.read("public/meldungen/a/index.html")
            .contains("<h2 id=\"related-title\" class=\"list-title\">Weitere Artikel</h2>")
    );
    // Deterministic: another build from scratch, the same bytes.
    let first = site.read("public/meldungen/a/index.html");
    site.cmd(&["build", "--no-cache", "--output", "public2"])
        .assert()
        .success();
    assert_eq!(first, site.read("public2/meldungen/a/index.html"));
}

#[test]
fn check_finds_what_mail_clients_break_in_an_edition() {
    let site = Site::fixture("editions");
    site.run(&["check"]).expect_success();
    let clean = site.run(&["check"]).stderr().to_string();
    assert_eq!(clean, "");
    // A template that positions, links a page the text part lacks, and a subject whose
    // separator the title repeats.
    let template = site
        .read("themes/kontor/templates/email.html")
        .replace(
            ".legal { margin: 8px 0 0 0; }",
            ".legal { margin: 8px 0 0 0; position: relative; }",
        )
        .replace(
            "<p class=\"legal\">",
            "<p><a href=\"https://partner.example/\">Partner</a></p><p class=\"legal\">",
        );
    site.write("templates/email.html", template);
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        toml.replace(
            "[editions]\n",
            "[editions]\nsubject = \"{site}: {title}\"\n",
        ),
    );
    let run = site.run(&["check"]).expect_success();
    let stderr = run.stderr();
    assert!(
        stderr.contains("warning: the e-mail's CSS uses `position`, which Gmail, Outlook drop"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "warning: the plain-text part of the e-mail lacks the link https://partner.example/"
        ),
        "{stderr}"
    );
    site.run(&["check", "--deny-warnings"]).expect_failure();

    // Size: over 80 KB a warning, over 102 KB (Gmail clips) an error.
    let edition = site
        .path("content")
        .read_dir()
        .unwrap()
        .flatten()
        .find(|e| e.file_name() == "ausgaben")
        .map(|e| e.path())
        .expect("an editions folder");
    let file = edition
        .read_dir()
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name().is_some_and(|n| n != "_index.md")
                && p.extension().is_some_and(|x| x == "md")
        })
        .expect("an edition");
    let rel = file
        .strip_prefix(&site.root)
        .unwrap()
        .to_string_lossy()
        .to_string();
    let text = site.read(&rel);
    let paragraph =
        "Ein langer Absatz über die Arbeit der Regionalgruppen, der sich oft wiederholt. ";
    site.write(&rel, format!("{text}\n\n{}\n", paragraph.repeat(1_000)));
    let run = site.run(&["check"]).expect_success();
    assert!(
        run.stderr()
            .contains("near the 102 KB at which Gmail clips it"),
        "{}",
        run.stderr()
    );
    site.write(&rel, format!("{text}\n\n{}\n", paragraph.repeat(1_500)));
    let run = site.run(&["check"]).expect_failure();
    assert!(
        run.stderr()
            .contains("Gmail clips an e-mail's HTML above 102 KB"),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_subject_of_the_repo_edition_has_no_doubled_separator_and_check_names_one() {
    let site = Site::repo();
    site.write(
        "site.toml",
        site.read("site.toml").replace(
            "subject = \"{site} Nr. {number} · {title}\"",
            "subject = \"{site} {number}: {title}\"",
        ),
    );
    let run = site.run(&["check"]).expect_success();
    assert!(
        run.stderr().contains("warning: the subject reads „iTeam Newsletter 1: Regionalgruppen: Noch enger zusammenrücken“: the same separator twice"),
        "{}",
        run.stderr()
    );
}

#[test]
fn init_writes_an_empty_commented_publisher_and_the_menus() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("neu");
    crate::harness::presswerk()
        .arg("init")
        .arg(&root)
        .assert()
        .success();
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    assert!(
        toml.contains(
            "[publisher]\n# The name as registered, without the legal form.\nname = \"\"\n"
        )
    );
    assert!(toml.contains("[[menu.main]]\nname = \"Artikel\"\nlink = \"@/artikel/_index.md\"\n"));
    let out = crate::harness::presswerk()
        .arg("check")
        .arg("--root")
        .arg(&root)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("warning: publisher.").count(),
        11,
        "{stderr}"
    );
}

#[test]
fn the_home_page_calls_to_subscribe_with_a_form_or_a_link() {
    let site = Site::fixture("basic");
    let base = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{base}\n[subscribe]\naction = \"https://listen.example/abonnieren\"\ntext = \"Einmal im Monat.\"\n"),
    );
    site.build();
    let home = site.read("public/index.html");
    assert!(home.contains("<form class=\"subscribe-form\" method=\"post\" action=\"https://listen.example/abonnieren\">"), "{home}");
    assert!(home.contains("<input id=\"subscribe-email\" type=\"email\" name=\"email\" autocomplete=\"email\" required>"));
    assert!(home.contains("<p>Einmal im Monat.</p>"));
    // A link may be an @/ page, resolved like a menu link.
    site.write(
        "site.toml",
        format!("{base}\n[subscribe]\nurl = \"@/artikel/_index.md\"\n"),
    );
    site.build();
    assert!(site.read("public/index.html").contains(
        "<a class=\"button\" href=\"https://test.example/artikel/\">Jetzt abonnieren</a>"
    ));
}

#[test]
fn bad_publishing_settings_are_errors_at_their_line() {
    let site = Site::fixture("basic");
    let base = site.read("site.toml");
    // A logo that is not there.
    site.write(
        "site.toml",
        base.replace(
            "theme = \"kontor\"",
            "theme = \"kontor\"\nlogo = \"fehlt.png\"",
        ),
    );
    let stderr = site.run(&["build"]).expect_failure().stderr().to_string();
    assert!(
        stderr.contains("error: logo `fehlt.png` is no file of static/\n --> site.toml:6:1"),
        "{stderr}"
    );
    // A logo outside static/.
    site.write(
        "site.toml",
        base.replace(
            "theme = \"kontor\"",
            "theme = \"kontor\"\nlogo = \"../site.toml\"",
        ),
    );
    site.run(&["build"]).expect_failure();
    // A misspelt publisher field.
    site.write(
        "site.toml",
        base.replace("legal_form = \"eG\"", "legal_from = \"eG\""),
    );
    let stderr = site.run(&["build"]).expect_failure().stderr().to_string();
    assert!(stderr.contains("unknown field `legal_from`"), "{stderr}");
    assert!(stderr.contains("--> site.toml:10:"), "{stderr}");
    // A subscribe form that would run a script.
    site.write(
        "site.toml",
        format!("{base}\n[subscribe]\naction = \"javascript:alert(1)\"\n"),
    );
    let stderr = site.run(&["build"]).expect_failure().stderr().to_string();
    assert!(
        stderr.contains("subscribe.action links to a `javascript:` URL"),
        "{stderr}"
    );
}
