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

#[test]
fn build_killed_while_writing_leaves_the_previous_output_intact() {
    let site = big_site(2000);
    site.build();
    let before = tree(&site.path("public"));
    assert!(before.len() > 2000);
    // The next build would change every article page.
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}<h1>neu: {{ page.title }}</h1>{% endblock content %}\n");

    // Killed as soon as the staging folder appears, i.e. in the middle of writing.
    let mut child = spawn_build(&site);
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
        tree(&site.path("public")) == before,
        "public/ changed after a killed build"
    );
    assert!(
        staging_exists(&site.root),
        "the kill came too late to test anything"
    );

    // The next build cleans up the leftovers and swaps in the new output.
    site.build();
    assert!(!staging_exists(&site.root));
    let after = tree(&site.path("public"));
    assert_ne!(after, before);
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("presswerk-"))
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
