//! Incremental rebuilds give the same bytes as a full build, after every kind of change, and
//! render only what the change reaches.

use std::path::PathBuf;

use presswerk::internals::Builder;
use presswerk::{Entry, Output, Overrides};

use crate::harness::Site;

/// Every output as bytes (copied files read from disk), for comparing builds.
fn bytes(output: &Output) -> Vec<(String, Vec<u8>)> {
    output
        .iter()
        .map(|(path, entry)| {
            let data = match entry {
                Entry::Bytes(b) => b.to_vec(),
                Entry::Copy(p) => std::fs::read(p).expect("copied file readable"),
                Entry::Written(_) => panic!("an in-memory build wrote {path}"),
            };
            (path.clone(), data)
        })
        .collect()
}

/// A site with enough articles for paginated sections, terms and authors.
fn site() -> Site {
    let site = Site::fixture("basic");
    for i in 1..=24 {
        site.write(
            &format!("content/meldungen/meldung-{i:02}.md"),
            format!(
                "---\ntitle: \"Meldung {i:02}\"\ndate: 2021-01-{i:02}\nauthors: [erika-muster]\nregion: {}\ntags: [{}]\n---\n\nText {i}. Siehe [Brücken](@/artikel/2020-03-01-bruecken-fuer-koeln.md#bau).\n",
                ["Rheinland", "Westfalen"][i % 2],
                ["Förderung", "Messe", "Straße"][i % 3]
            ),
        );
    }
    site.write(
        "content/meldungen/_index.md",
        "---\ntitle: Meldungen\npaginate_by: 5\n---\n",
    );
    site.write(
        "site.toml",
        site.read("site.toml")
            + "\n[[taxonomies]]\nname = \"tags\"\npaginate_by = 3\nfeed = true\n\n[[taxonomies]]\nname = \"regions\"\nkey = \"region\"\n",
    );
    site
}

/// Applies `change` to the site, tells the builder about `paths`, and checks that its next
/// build equals a full build from scratch. Returns how many outputs were rendered again.
fn check(site: &Site, builder: &mut Builder, paths: &[&str], change: impl FnOnce(&Site)) -> usize {
    change(site);
    let paths: Vec<PathBuf> = paths.iter().map(|p| site.path(p)).collect();
    builder.changed(&paths);
    let incremental = builder
        .build()
        .unwrap_or_else(|e| panic!("incremental build failed: {e:?}"));
    let full = Builder::new(&site.root, Overrides::default())
        .build()
        .unwrap_or_else(|e| panic!("full build failed: {e:?}"));
    let (a, b) = (bytes(&incremental.output), bytes(&full.output));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "the same files");
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{name} differs from a full build:\n--- incremental\n{}\n--- full\n{}",
            String::from_utf8_lossy(x),
            String::from_utf8_lossy(y)
        );
    }
    builder.stats().outputs_rendered
}

#[test]
fn every_kind_of_change_equals_a_full_build() {
    let site = site();
    let mut builder = Builder::new(&site.root, Overrides::default());
    let first = builder.build().expect("first build");
    let total = first.output.len();
    assert_eq!(builder.stats().outputs_reused, 0);

    // Nothing changed: nothing is rendered.
    let n = check(&site, &mut builder, &[], |_| {});
    assert_eq!(n, 0);

    // Edit the body of one article: its page, and the lists, terms, author pages and feeds
    // that show it, are rendered; not the whole site.
    let path = "content/meldungen/meldung-07.md";
    let n = check(&site, &mut builder, &[path], |s| {
        let t = s.read(path).replace("Text 7.", "Ganz neuer Text 7.");
        s.write(path, t);
    });
    assert!(n > 0 && n < total / 3, "edit rendered {n} of {total}");

    // Retitle: every list that shows the title.
    check(&site, &mut builder, &[path], |s| {
        let t = s.read(path).replace("Meldung 07", "Umbenannte Meldung");
        s.write(path, t);
    });
    // Change tags and region.
    check(&site, &mut builder, &[path], |s| {
        let t = s
            .read(path)
            .replace("region: Westfalen", "region: Sachsen")
            .replace("tags: [Förderung]", "tags: [Neu, Messe]");
        s.write(path, t);
    });
    // Change the date: the article moves within every list.
    check(&site, &mut builder, &[path], |s| {
        let t = s.read(path).replace("date: 2021-01-07", "date: 2022-06-30");
        s.write(path, t);
    });
    // Change the author.
    check(&site, &mut builder, &[path], |s| {
        let t = s
            .read(path)
            .replace("authors: [erika-muster]", "authors: []");
        s.write(path, t);
    });
    // Add an article.
    check(
        &site,
        &mut builder,
        &["content/meldungen/meldung-99.md"],
        |s| {
            s.write("content/meldungen/meldung-99.md", "---\ntitle: Neu\ndate: 2021-01-15T12:00:00\nauthors: [erika-muster]\ntags: [Messe]\n---\nNeu.\n");
        },
    );
    // Delete one.
    check(
        &site,
        &mut builder,
        &["content/meldungen/meldung-03.md"],
        |s| {
            s.remove("content/meldungen/meldung-03.md");
        },
    );
    // Rename one (a save by rename, as editors do it): both paths change.
    check(
        &site,
        &mut builder,
        &[
            "content/meldungen/meldung-04.md",
            "content/meldungen/vierte.md",
        ],
        |s| {
            std::fs::rename(
                s.path("content/meldungen/meldung-04.md"),
                s.path("content/meldungen/vierte.md"),
            )
            .unwrap()
        },
    );
    // Change the heading that an @/…#bau link points to: every linking page changes.
    let target = "content/artikel/2020-03-01-bruecken-fuer-koeln.md";
    check(&site, &mut builder, &[target], |s| {
        let t = s
            .read(target)
            .replace("Gebaut wird ab Mai.", "Gebaut wird ab Juni.");
        s.write(target, t);
    });
    // Change the author's profile: pages showing the author box.
    check(
        &site,
        &mut builder,
        &["content/autoren/erika-muster.md"],
        |s| {
            let t = s
                .read("content/autoren/erika-muster.md")
                .replace("city: Köln", "city: Bonn");
            s.write("content/autoren/erika-muster.md", t);
        },
    );
    // A template: only pages using it (here: articles) are rendered.
    let n = check(&site, &mut builder, &["templates/page.html"], |s| {
        s.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% endblock content %}");
    });
    assert!(
        n > 20 && n < total / 2,
        "template change rendered {n} of {total}"
    );
    // A partial included by many templates.
    check(
        &site,
        &mut builder,
        &["themes/kontor/templates/partials/teaser.html"],
        |s| {
            let t =
                s.read("themes/kontor/templates/partials/teaser.html") + "\n<!-- geändert -->\n";
            s.write("themes/kontor/templates/partials/teaser.html", t);
        },
    );
    // A static file and a colocated asset.
    check(&site, &mut builder, &["static/dateien/neu.txt"], |s| {
        s.write("static/dateien/neu.txt", "neu");
    });
    check(
        &site,
        &mut builder,
        &["content/artikel/2020-03-01-bruecken-fuer-koeln/karte.svg"],
        |s| {
            s.write(
                "content/artikel/2020-03-01-bruecken-fuer-koeln/karte.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            );
        },
    );
    // A section index.
    check(&site, &mut builder, &["content/meldungen/_index.md"], |s| {
        s.write(
            "content/meldungen/_index.md",
            "---\ntitle: Alle Meldungen\npaginate_by: 4\n---\nIntro.\n",
        );
    });
    // site.toml: everything starts over.
    check(&site, &mut builder, &["site.toml"], |s| {
        let t = s.read("site.toml").replace("Testblatt", "Neues Blatt");
        s.write("site.toml", t);
    });
    // Labels of the theme.
    check(&site, &mut builder, &["themes/kontor/i18n/de.toml"], |s| {
        let t = s
            .read("themes/kontor/i18n/de.toml")
            .replace("Weiterlesen", "Mehr lesen");
        s.write("themes/kontor/i18n/de.toml", t);
    });
    // A whole folder removed.
    check(&site, &mut builder, &["content/termine"], |s| {
        std::fs::remove_dir_all(s.path("content/termine")).unwrap();
    });
}

#[test]
fn a_broken_save_fails_and_the_next_good_one_recovers() {
    let site = site();
    let mut builder = Builder::new(&site.root, Overrides::default());
    builder.build().expect("first build");
    let path = "content/meldungen/meldung-05.md";
    let good = site.read(path);
    site.write(path, "---\ntitle: Kaputt: ja\n---\n");
    builder.changed(&[site.path(path)]);
    assert!(builder.build().is_err());
    check(&site, &mut builder, &[path], |s| {
        s.write(path, good.replace("Text 5.", "Wieder gut."));
    });
}

/// Editions show their articles and the articles show their editions: every change on
/// either side gives what a full build gives, e-mail files included.
#[test]
fn edition_changes_equal_a_full_build() {
    let site = Site::fixture("editions");
    let mut builder = Builder::new(&site.root, Overrides::default());
    builder.build().expect("first build");
    let bonn = "content/artikel/2020-03-20-radwege-in-bonn.md";
    let koeln = "content/artikel/2020-03-02-bruecken-fuer-koeln.md";
    let list = "content/ausgaben/2020-03.md";
    let range = "content/ausgaben/2020-04.md";
    // Nothing changed: not even the e-mails are made again.
    assert_eq!(check(&site, &mut builder, &[], |_| {}), 0);
    // An article's body (its summary is in the edition) and its title.
    check(&site, &mut builder, &[koeln], |s| {
        s.write(
            koeln,
            s.read(koeln).replace("neue Brücken", "zwei neue Brücken"),
        );
    });
    check(&site, &mut builder, &[bonn], |s| {
        s.write(
            bonn,
            s.read(bonn)
                .replace("title: Radwege in Bonn", "title: Radwege für Bonn"),
        );
    });
    // The edition's editorial, its list, and its range.
    check(&site, &mut builder, &[list], |s| {
        s.write(
            list,
            s.read(list)
                .replace("Liebe Leserinnen", "Liebe Freundinnen"),
        );
    });
    check(&site, &mut builder, &[list], |s| {
        let t = s.read(list);
        let t = t.replace("  - \"@/artikel/2020-03-20-radwege-in-bonn.md\"\n", "");
        s.write(list, t);
    });
    check(&site, &mut builder, &[range], |s| {
        s.write(
            range,
            s.read(range)
                .replace("region: Rheinland", "region: [Rheinland, Nord]"),
        );
    });
    // A new article falls into the range; one leaves it by its date.
    let new = "content/artikel/2020-04-20-neu.md";
    check(&site, &mut builder, &[new], |s| {
        s.write(new, "---\ntitle: Neu im April\nregion: Nord\n---\nNeu.\n");
    });
    check(&site, &mut builder, &[new], |s| {
        s.write(
            new,
            "---\ntitle: Neu im April\ndate: 2020-05-02\nregion: Nord\n---\nNeu.\n",
        );
    });
    // The e-mail template and the sender.
    let template = "themes/kontor/templates/email.html";
    check(&site, &mut builder, &[template], |s| {
        s.write(template, s.read(template).replace("#eef2f4", "#eeeeee"));
    });
    check(&site, &mut builder, &["site.toml"], |s| {
        s.write(
            "site.toml",
            s.read("site.toml")
                .replace("Testblatt Redaktion", "Die Redaktion"),
        );
    });
    // An edition removed: its files go, the article's back-link too.
    check(&site, &mut builder, &[list], |s| {
        s.remove(list);
    });
    // The last edition removed: the navigation no longer links the archive, on every page;
    // and back when one is added.
    let n = check(&site, &mut builder, &[range], |s| {
        s.remove(range);
    });
    assert!(n > 10, "only {n} outputs rendered again");
    check(&site, &mut builder, &[range], |s| {
        s.write(
            range,
            "---\ntitle: Wieder da\nnumber: 2\ndate: 2020-04-30\nfrom: 2020-04-01\n---\n",
        );
    });
}
