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
                Entry::Copy(p) | Entry::Known { path: p, .. } => {
                    std::fs::read(p).expect("copied file readable")
                }
                Entry::Written(_) => panic!("an in-memory build wrote {path}"),
            };
            (path.clone(), data)
        })
        .collect()
}

/// A site with enough articles for paginated sections, terms and authors.
pub(crate) fn site() -> Site {
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
            + "\n[[taxonomies]]\nname = \"tags\"\npaginate_by = 3\nfeed = true\n\n[[taxonomies]]\nname = \"regions\"\nkey = \"region\"\n\n[[menu.main]]\nname = \"Brücken\"\nlink = \"@/artikel/2020-03-01-bruecken-fuer-koeln.md\"\n",
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

/// One change an editor makes: what it is, the paths it touches, the change itself, and
/// for some, a bound on how many of the site's outputs it may render again (rendered,
/// total).
pub(crate) struct Change {
    pub(crate) what: &'static str,
    pub(crate) paths: Vec<&'static str>,
    pub(crate) apply: Box<dyn Fn(&Site)>,
    pub(crate) renders: Option<fn(usize, usize) -> bool>,
}

fn change(what: &'static str, paths: &[&'static str], apply: impl Fn(&Site) + 'static) -> Change {
    Change {
        what,
        paths: paths.to_vec(),
        apply: Box::new(apply),
        renders: None,
    }
}

/// Every kind of change, in an order in which each applies to [`site`] after the ones
/// before it. `serve`'s rebuilds and `build` with its cache are both tested against them.
pub(crate) fn changes() -> Vec<Change> {
    let path = "content/meldungen/meldung-07.md";
    let target = "content/artikel/2020-03-01-bruecken-fuer-koeln.md";
    let profile = "content/autoren/erika-muster.md";
    let teaser = "themes/kontor/templates/partials/teaser.html";
    let asset = "content/artikel/2020-03-01-bruecken-fuer-koeln/karte.svg";
    let labels = "themes/kontor/i18n/de.toml";
    vec![
        Change {
            renders: Some(|n, _| n == 0),
            ..change("nothing", &[], |_| {})
        },
        // Its page, and the lists, terms, author pages and feeds that show it, are
        // rendered; not the whole site.
        Change {
            renders: Some(|n, total| n > 0 && n < total / 3),
            ..change("body edited", &[path], move |s| {
                s.write(path, s.read(path).replace("Text 7.", "Ganz neuer Text 7."));
            })
        },
        change("retitled", &[path], move |s| {
            s.write(
                path,
                s.read(path).replace("Meldung 07", "Umbenannte Meldung"),
            );
        }),
        change("tags and region", &[path], move |s| {
            let t = s
                .read(path)
                .replace("region: Westfalen", "region: Sachsen")
                .replace("tags: [Förderung]", "tags: [Neu, Messe]");
            s.write(path, t);
        }),
        // The article moves within every list.
        change("date", &[path], move |s| {
            s.write(
                path,
                s.read(path).replace("date: 2021-01-07", "date: 2022-06-30"),
            );
        }),
        change("author", &[path], move |s| {
            let t = s
                .read(path)
                .replace("authors: [erika-muster]", "authors: []");
            s.write(path, t);
        }),
        change("article added", &["content/meldungen/meldung-99.md"], |s| {
            s.write("content/meldungen/meldung-99.md", "---\ntitle: Neu\ndate: 2021-01-15T12:00:00\nauthors: [erika-muster]\ntags: [Messe]\n---\nNeu.\n");
        }),
        change(
            "article deleted",
            &["content/meldungen/meldung-03.md"],
            |s| {
                s.remove("content/meldungen/meldung-03.md");
            },
        ),
        // A save by rename, as editors do it: both paths change.
        change(
            "article renamed",
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
        ),
        // The heading that an @/…#bau link points to: every linking page changes.
        change("link target", &[target], move |s| {
            let t = s
                .read(target)
                .replace("Gebaut wird ab Mai.", "Gebaut wird ab Juni.");
            s.write(target, t);
        }),
        // Every page's menu links it: its new URL is on every page.
        change("menu target moved", &[target], move |s| {
            let t = s
                .read(target)
                .replace("region: Rheinland", "slug: bruecken\nregion: Rheinland");
            s.write(target, t);
        }),
        // Pages showing the author box.
        change("author profile", &[profile], move |s| {
            s.write(profile, s.read(profile).replace("city: Köln", "city: Bonn"));
        }),
        // Only pages using it (here: articles) are rendered.
        Change {
            renders: Some(|n, total| n > 20 && n < total / 2),
            ..change("template", &["templates/page.html"], |s| {
                s.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% endblock content %}");
            })
        },
        // A partial included by many templates.
        change("partial", &[teaser], move |s| {
            s.write(teaser, s.read(teaser) + "\n<!-- geändert -->\n");
        }),
        change("static file", &["static/dateien/neu.txt"], |s| {
            s.write("static/dateien/neu.txt", "neu");
        }),
        change("colocated asset", &[asset], move |s| {
            s.write(asset, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        }),
        change("section index", &["content/meldungen/_index.md"], |s| {
            s.write(
                "content/meldungen/_index.md",
                "---\ntitle: Alle Meldungen\npaginate_by: 4\n---\nIntro.\n",
            );
        }),
        // Everything starts over.
        change("site.toml", &["site.toml"], |s| {
            s.write(
                "site.toml",
                s.read("site.toml").replace("Testblatt", "Neues Blatt"),
            );
        }),
        change("menu in site.toml", &["site.toml"], |s| {
            s.write(
                "site.toml",
                s.read("site.toml")
                    .replace("name = \"Brücken\"", "name = \"Brücken für Köln\""),
            );
        }),
        change("labels", &[labels], move |s| {
            s.write(labels, s.read(labels).replace("Weiterlesen", "Mehr lesen"));
        }),
        change("folder removed", &["content/termine"], |s| {
            std::fs::remove_dir_all(s.path("content/termine")).unwrap();
        }),
    ]
}

#[test]
fn every_kind_of_change_equals_a_full_build() {
    let site = site();
    let mut builder = Builder::new(&site.root, Overrides::default());
    let first = builder.build().expect("first build");
    let total = first.output.len();
    assert_eq!(builder.stats().outputs_reused, 0);
    for c in changes() {
        let n = check(&site, &mut builder, &c.paths, &c.apply);
        if let Some(bound) = c.renders {
            assert!(bound(n, total), "{}: rendered {n} of {total}", c.what);
        }
    }
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
