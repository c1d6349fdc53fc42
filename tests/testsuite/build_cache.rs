//! `build` with its persistent cache (`.presswerk-cache/`): after every change an editor can
//! make, a cached build gives the bytes of a clean `--no-cache` build; a damaged, cut or
//! foreign cache file is ignored with a warning; a build killed at any moment leaves a
//! cache that the next build uses or ignores, never one that changes its output.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use presswerk::{BuildOptions, Overrides, Summary};

use crate::harness::{Site, tree};
use crate::incremental;

const CACHE: &str = ".presswerk-cache/build.bin";

/// A build into `public/` with the cache, as `presswerk build` does it.
fn cached(site: &Site) -> Summary {
    presswerk::build(&site.root, &site.path("public"), &Overrides::default())
        .unwrap_or_else(|e| panic!("cached build failed: {e:?}"))
}

/// A clean build, without the cache, into a folder no build wrote before.
fn clean(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let options = BuildOptions { cache: false };
    presswerk::build_with(&site.root, &out, &Overrides::default(), &options)
        .unwrap_or_else(|e| panic!("clean build failed: {e:?}"));
    tree(&out)
}

/// `public/` holds what a clean build makes, byte for byte.
fn assert_clean(site: &Site, what: &str) {
    let (got, want) = (tree(&site.path("public")), clean(site));
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want), "{what}: the same files");
    for (name, bytes) in &got {
        assert!(
            *bytes == want[name],
            "{what}: {name} differs from a clean build:\n--- cached\n{}\n--- clean\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&want[name])
        );
    }
}

fn cache_warnings(summary: &Summary) -> Vec<String> {
    summary
        .warnings
        .iter()
        .filter(|d| d.code.starts_with("cache-"))
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn cached_builds_equal_clean_builds_after_every_change() {
    let site = incremental::site();
    // The first two builds write fresh folders (no standby tree yet): all is rendered.
    let first = cached(&site);
    assert_eq!(
        (first.cache.outputs_reused, first.cache.markdown_reused),
        (0, 0)
    );
    assert!(site.path(CACHE).is_file(), "the cache is stored");
    let second = cached(&site);
    assert!(second.cache.markdown_rendered == 0 && second.cache.markdown_reused > 20);
    for c in incremental::changes() {
        (c.apply)(&site);
        let summary = cached(&site);
        assert_clean(&site, c.what);
        let rendered = summary.cache.outputs_rendered;
        let warned = cache_warnings(&summary);
        match c.what {
            // Nothing is rendered, Markdown included.
            "nothing" => assert_eq!(
                (rendered, summary.cache.markdown_rendered),
                (0, 0),
                "{warned:?}"
            ),
            // Only the edited article's Markdown; its page and what lists it.
            "body edited" => {
                assert_eq!(summary.cache.markdown_rendered, 1);
                assert!(rendered > 0 && rendered < summary.files / 3, "{rendered}");
            }
            _ => {}
        }
        // Fingerprints leave out site.toml and the labels: for those the key of the cache
        // changes, and it is not used.
        if matches!(c.what, "site.toml" | "menu in site.toml" | "labels") {
            assert_eq!(warned.len(), 1, "{}: {warned:?}", c.what);
            assert!(warned[0].contains("site.toml, the labels"), "{warned:?}");
            assert_eq!(summary.cache.outputs_reused, 0);
        } else {
            assert!(warned.is_empty(), "{}: {warned:?}", c.what);
        }
    }
}

/// A build with `--base-url` or `--drafts` renders other bytes: it does not use the cache
/// of a build without them.
#[test]
fn other_overrides_do_not_use_the_cache() {
    let site = incremental::site();
    cached(&site);
    cached(&site);
    let other = Overrides {
        base_url: Some("https://anders.example".into()),
        ..Overrides::default()
    };
    let summary = presswerk::build(&site.root, &site.path("public"), &other).expect("build");
    assert_eq!(summary.cache.outputs_reused, 0);
    assert_eq!(cache_warnings(&summary).len(), 1);
    let page = site.read("public/index.html");
    assert!(page.contains("https://anders.example/"));
}

/// Damage to the file: it is ignored with one warning, the output is that of a clean
/// build, and the next build has a good cache again.
fn build_with_damaged_cache(site: &Site, what: &str, damage: impl FnOnce(&mut Vec<u8>)) {
    let mut bytes = std::fs::read(site.path(CACHE)).expect("cache stored");
    damage(&mut bytes);
    std::fs::write(site.path(CACHE), &bytes).expect("write");
    // A change, so that wrongly reused bytes would show.
    let path = "content/meldungen/meldung-10.md";
    site.write(path, site.read(path) + &format!("\n{what}\n"));
    let run = site.run(&["build"]).expect_success();
    assert!(
        run.stderr().contains("the build cache was not used"),
        "{what}: {}",
        run.stderr()
    );
    assert_clean(site, what);
    let next = cached(site);
    assert!(
        cache_warnings(&next).is_empty(),
        "{what}: not stored again: {:?}",
        cache_warnings(&next)
    );
    assert_clean(site, what);
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored_with_a_warning() {
    let site = incremental::site();
    cached(&site);
    cached(&site);
    let len = std::fs::metadata(site.path(CACHE)).expect("cache").len() as usize;
    // Bytes flipped at offsets spread over the header and the payload, by a fixed sequence.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..8 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        let at = [0, 17, 40, 70][i % 4].max((state >> 33) as usize % len) % len;
        let mask = (state >> 8) as u8 | 1;
        build_with_damaged_cache(&site, &format!("flipped at {at}"), |b| b[at] ^= mask);
    }
    for cut in [0, 1, 15, 60, len / 2, len - 1] {
        build_with_damaged_cache(&site, &format!("cut at {cut}"), |b| b.truncate(cut));
    }
    // Another format version: the number after the 16-byte magic.
    build_with_damaged_cache(&site, "format 99", |b| {
        b[16..20].copy_from_slice(&99u32.to_le_bytes())
    });
    // Not a cache at all.
    build_with_damaged_cache(&site, "text", |b| *b = b"hallo\n".to_vec());
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let site = incremental::site();
    site.run(&["build", "--no-cache"]).expect_success();
    assert!(!site.path(".presswerk-cache").exists());
    site.build();
    let stored = std::fs::read(site.path(CACHE)).expect("stored");
    std::fs::write(site.path(CACHE), b"kaputt").expect("write");
    let run = site.run(&["build", "--no-cache"]).expect_success();
    assert!(!run.stderr().contains("cache"), "{}", run.stderr());
    assert_eq!(std::fs::read(site.path(CACHE)).expect("kept"), b"kaputt");
    assert_ne!(stored, b"kaputt");
}

fn spawn_build(root: &Path) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("presswerk"))
        .arg("build")
        .current_dir(root)
        .env_clear()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start presswerk")
}

/// Killed with SIGKILL at many moments, among them while the cache file is written: the
/// next build succeeds and equals a clean one.
#[test]
fn a_build_killed_at_any_moment_leaves_a_usable_or_ignored_cache() {
    let site = incremental::site();
    let body = "Die Regionalgruppe traf sich im Kölner Hyatt. ".repeat(60);
    for i in 0..300 {
        site.write(
            &format!("content/artikel/2020-02-{:02}-stueck-{i}.md", i % 28 + 1),
            format!("---\ntitle: \"Stück {i}\"\nauthors: [erika-muster]\n---\n\n{body}\n"),
        );
    }
    cached(&site);
    cached(&site);
    let temp = site.path(".presswerk-cache");
    for (round, delay_us) in [0u64, 2_000, 20_000, 60_000, 150_000, 400_000]
        .into_iter()
        .enumerate()
    {
        let path = "content/artikel/2020-02-01-stueck-0.md";
        site.write(path, site.read(path) + &format!("\nRunde {round}.\n"));
        let mut child = spawn_build(&site.root);
        let start = Instant::now();
        // Kill as soon as a temporary cache file shows, or after the delay.
        while start.elapsed() < Duration::from_micros(delay_us) || delay_us == 0 {
            let writing = std::fs::read_dir(&temp).is_ok_and(|d| {
                d.flatten()
                    .any(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            });
            if writing || child.try_wait().expect("poll").is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(100));
        }
        let _ = child.kill();
        child.wait().expect("reap");
        cached(&site);
        assert_clean(&site, &format!("killed after {delay_us} µs"));
    }
}
