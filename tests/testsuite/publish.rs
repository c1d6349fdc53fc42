//! Publishing: reproducible output and the atomic swap of `public/`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Site, presswerk, tree};

/// The basic fixture plus `n` generated articles of a few kilobytes each.
fn big_site(n: usize) -> Site {
    let site = Site::fixture("basic");
    let body = "Die Regionalgruppe traf sich im Kölner Hyatt. ".repeat(40);
    for i in 0..n {
        site.write(
            &format!("content/artikel/2020-01-{:02}-artikel-{i}.md", i % 28 + 1),
            format!(
                "---\ntitle: \"Artikel {i}\"\nauthors: [erika-muster]\n---\n\n## Teil eins\n\n{body}\n\n## Teil zwei\n\n{body}\n"
            ),
        );
    }
    site
}

fn staging_exists(root: &Path) -> bool {
    std::fs::read_dir(root).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".public.presswerk-new-")
        })
    })
}

fn spawn_build(site: &Site) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("presswerk"))
        .args(["build"])
        .current_dir(&site.root)
        .env_clear()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start presswerk")
}

/// Starts a build and kills it with SIGKILL as soon as its staging folder is there, i.e. in
/// the middle of writing; the folder must still be there afterwards, or the kill came too
/// late to test anything.
fn kill_while_writing(site: &Site) {
    let mut child = spawn_build(site);
    let deadline = Instant::now() + Duration::from_secs(120);
    while !staging_exists(&site.root) {
        assert!(
            child.try_wait().expect("poll").is_none(),
            "the build ended before it was killed"
        );
        assert!(Instant::now() < deadline, "no staging folder appeared");
        std::thread::sleep(Duration::from_micros(200));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    assert!(
        staging_exists(&site.root),
        "the kill came too late to test anything"
    );
}

#[test]
fn build_killed_while_writing_leaves_the_previous_output_intact() {
    let site = big_site(2000);
    site.build();
    let before = tree(&site.path("public"));
    assert!(before.len() > 2000);
    // The next build would change every article page.
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}<h1>neu: {{ page.title }}</h1>{% endblock content %}\n");

    // Killed as soon as the staging folder appears, i.e. in the middle of writing.
    kill_while_writing(&site);
    assert!(
        tree(&site.path("public")) == before,
        "public/ changed after a killed build"
    );

    // The next build cleans up the leftovers and swaps in the new output.
    site.build();
    assert!(!staging_exists(&site.root));
    let after = tree(&site.path("public"));
    assert_ne!(after, before);
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .flatten()
        .filter(|e| {
            // The build cache is kept on purpose; killed builds leave nothing else.
            let name = e.file_name().to_string_lossy().into_owned();
            name.contains("presswerk-") && name != ".presswerk-cache"
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Killed at other moments (rendering, writing, swapping, cleaning up): public/ is always
    // one whole output, the old or the new one, never a mix and never missing.
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}<h1>noch neuer: {{ page.title }}</h1>{% endblock content %}\n");
    site.cmd(&["build", "--output", "erwartet"])
        .assert()
        .success();
    let newest = tree(&site.path("erwartet"));
    for delay_ms in [50, 150, 300, 600, 1000, 2000] {
        let mut child = spawn_build(&site);
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        child.wait().expect("reap");
        let now = tree(&site.path("public"));
        assert!(
            now == after || now == newest,
            "public/ is neither the old nor the new output after a kill at {delay_ms} ms"
        );
    }
}

#[test]
fn builds_are_byte_identical_across_folders_threads_and_environments() {
    // Two copies of the same site in different folders stand in for two machines; one build
    // runs on one thread in another time zone and locale, the other on several threads.
    let a = big_site(60);
    let b = big_site(60);
    presswerk()
        .current_dir(&a.root)
        .args(["build"])
        .env("RAYON_NUM_THREADS", "1")
        .env("TZ", "America/New_York")
        .env("LANG", "en_US.UTF-8")
        .assert()
        .success();
    presswerk()
        .current_dir(&b.root)
        .args(["build"])
        .env("RAYON_NUM_THREADS", "4")
        .env("TZ", "Asia/Tokyo")
        .env("LC_ALL", "C")
        .assert()
        .success();
    let (ta, tb) = (tree(&a.path("public")), tree(&b.path("public")));
    assert!(ta.len() > 60);
    assert!(ta == tb, "outputs differ");
    // Nothing in the output names the folder the site was built in.
    let folder = a.root.to_string_lossy().into_owned();
    for (path, bytes) in &ta {
        assert!(
            !String::from_utf8_lossy(bytes).contains(&folder),
            "{path} contains the build folder"
        );
    }
    // A rebuild in place gives the same bytes again.
    a.build();
    assert!(tree(&a.path("public")) == ta);
}

#[test]
fn base_url_sets_every_absolute_url() {
    let site = Site::fixture("basic");
    site.cmd(&["build", "--base-url", "https://www.example.org/newsletter"])
        .assert()
        .success();
    for (path, bytes) in tree(&site.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("test.example"),
            "{path} keeps the old base URL"
        );
        for url in text
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            assert!(
                !url.starts_with("http")
                    || url.starts_with("https://www.example.org/newsletter/")
                    || url == "https://muster.example",
                "{path}: {url}"
            );
        }
    }
}

/// Each file below `dir` with its inode and time stamps (modification, change): a file
/// whose entry is unchanged was not written.
fn stamps(dir: &Path) -> std::collections::BTreeMap<String, [i64; 5]> {
    use std::os::unix::fs::MetadataExt as _;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().expect("metadata");
            let rel = e.path().strip_prefix(dir).expect("below dir");
            let ino = i64::try_from(m.ino()).expect("inode");
            let stamps = [ino, m.mtime(), m.mtime_nsec(), m.ctime(), m.ctime_nsec()];
            (rel.to_string_lossy().into_owned(), stamps)
        })
        .collect()
}

/// A clean build of the site, into a folder of its own that no earlier build wrote.
fn clean_build(site: &Site, name: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    site.cmd(&["build", "--output", name]).assert().success();
    tree(&site.path(name))
}

#[test]
fn a_rebuild_writes_only_the_files_that_changed() {
    let site = big_site(200);
    site.build();
    site.build();
    let (public, standby) = (site.path("public"), site.path(".public.presswerk.standby"));
    assert!(standby.is_dir(), "no standby tree after two builds");

    // Nothing changed: the two trees trade places, and not one file is written.
    let (live, kept) = (stamps(&public), stamps(&standby));
    site.build();
    assert!(stamps(&public) == kept, "a file of public/ was written");
    assert!(
        stamps(&standby) == live,
        "a file of the standby tree was written"
    );
    assert!(tree(&public) == clean_build(&site, "sauber-1"));

    // One article's body edited: exactly the files whose bytes differ are written, and they
    // are few.
    let article = "content/artikel/2020-01-08-artikel-7.md";
    let text = site.read(article).replace("Teil zwei", "Teil drei");
    site.write(article, text);
    let (old_bytes, old_stamps) = (tree(&standby), stamps(&standby));
    site.build();
    let (new_bytes, new_stamps) = (tree(&public), stamps(&public));
    let written: Vec<&String> = new_stamps
        .iter()
        .filter(|(p, s)| old_stamps.get(*p) != Some(s))
        .map(|(p, _)| p)
        .collect();
    let changed: Vec<&String> = new_bytes
        .iter()
        .filter(|(p, b)| old_bytes.get(*p) != Some(b))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(written, changed);
    assert!(
        written.iter().any(|p| p.contains("artikel-7/")),
        "{written:?}"
    );
    assert!(written.len() * 10 < new_bytes.len(), "{written:?}");
    assert!(new_bytes == clean_build(&site, "sauber-2"));

    // A deleted article: its files and its folder go, in both trees in turn.
    site.remove(article);
    for round in ["sauber-3", "sauber-4"] {
        site.build();
        let now = tree(&public);
        assert!(!now.keys().any(|p| p.contains("artikel-7/")), "{round}");
        let folders = walkdir::WalkDir::new(&public).into_iter().flatten();
        let left: Vec<_> = folders.filter(|e| e.file_name() == "artikel-7").collect();
        assert!(left.is_empty(), "{round}: {left:?}");
        assert!(now == clean_build(&site, round), "{round}");
    }
}

#[test]
fn build_killed_while_updating_the_standby_tree_leaves_the_previous_output_intact() {
    let site = big_site(2000);
    site.build();
    site.build();
    assert!(site.path(".public.presswerk.standby").is_dir());
    let before = tree(&site.path("public"));
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}<h1>neu: {{ page.title }}</h1>{% endblock content %}\n");

    // The standby tree becomes the staging folder; killed as soon as it has.
    kill_while_writing(&site);
    assert!(
        tree(&site.path("public")) == before,
        "public/ changed after a killed build"
    );

    // The half-updated tree is not trusted: the next builds give the clean output.
    let expected = clean_build(&site, "erwartet");
    assert_ne!(expected, before);
    for _ in 0..3 {
        site.build();
        assert!(!staging_exists(&site.root));
        assert!(tree(&site.path("public")) == expected);
    }
}
