use super::*;

fn entry(key: u64, html: &str) -> MarkdownEntry {
    MarkdownEntry {
        key,
        content: Arc::new(Rendered {
            html: html.to_string(),
            summary: Some("<p>kurz</p>".into()),
            toc: vec![TocEntry {
                level: 2,
                id: "bau".into(),
                title: "Bau".into(),
                children: vec![TocEntry {
                    level: 3,
                    id: "mai".into(),
                    title: "Mai".into(),
                    children: Vec::new(),
                }],
            }],
            word_count: 42,
            anchor_links: vec![("artikel/a.md".into(), "bau".into(), 3..17)],
            problems: Vec::new(),
        }),
        summary: None,
    }
}

fn cache() -> Cache {
    let mut cache = Cache::new();
    cache
        .markdown
        .insert("content/a.md".into(), entry(7, "<p>Straße „A“</p>"));
    cache.markdown.insert("content/b.md".into(), entry(8, ""));
    cache
}

fn outputs() -> HashMap<String, Stored> {
    let stored = Stored {
        fingerprint: 1,
        size: 300,
        hash: u128::MAX - 5,
    };
    HashMap::from([("a/index.html".to_string(), stored)])
}

/// A store in a fresh folder, with the file it wrote.
fn saved() -> (tempfile::TempDir, Store, Vec<u8>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store {
        dir: dir.path().join(FOLDER),
        key: 99,
        loaded: None,
    };
    store
        .save(store.markdown_part(&cache()).expect("part"), &outputs())
        .expect("saved");
    let bytes = fs::read(store.dir.join(FILE)).expect("written");
    (dir, store, bytes)
}

#[test]
fn what_is_saved_loads_back() {
    let (_dir, mut store, _) = saved();
    let mut loaded = Cache::new();
    assert_eq!(store.load(&mut loaded), Ok(true));
    assert_eq!(loaded.stored, outputs());
    let original = cache();
    assert_eq!(loaded.markdown.len(), 2);
    for (name, e) in &original.markdown {
        let l = &loaded.markdown[name];
        assert_eq!((l.key, &l.summary), (e.key, &e.summary));
        assert_eq!(format!("{:?}", l.content), format!("{:?}", e.content));
    }
}

#[test]
fn entries_with_problems_are_not_stored() {
    let mut c = cache();
    let mut bad = entry(9, "<p>x</p>");
    Arc::make_mut(&mut bad.content)
        .problems
        .push(crate::markdown::Problem {
            code: "broken-link",
            span: 0..1,
            message: "m".into(),
            label: "l".into(),
            help: "h".into(),
            warning: false,
        });
    c.markdown.insert("content/c.md".into(), bad);
    let (markdown, count) = decode_markdown(&encode_markdown(&c)).expect("decodes");
    assert!(!markdown.contains_key("content/c.md"));
    assert_eq!((markdown.len(), count), (2, 2));
}

#[test]
fn no_file_is_a_first_build() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store {
        dir: dir.path().join(FOLDER),
        key: 1,
        loaded: None,
    };
    assert_eq!(store.load(&mut Cache::new()), Ok(false));
}

#[test]
fn another_key_or_build_is_refused() {
    let (_dir, mut store, bytes) = saved();
    let mut other = Store {
        key: 100,
        ..store.clone()
    };
    assert_eq!(other.load(&mut Cache::new()), Err(Unusable::OtherSite));
    let other_build = String::from_utf8_lossy(&bytes).replacen(BUILD_ID, &"0".repeat(16), 1);
    fs::write(store.dir.join(FILE), other_build.as_bytes()).expect("write");
    assert_eq!(store.load(&mut Cache::new()), Err(Unusable::OtherBuild));
}

/// Every truncation and a flipped bit at every offset: refused (or, for the few bytes that
/// the checksum cannot see, such as the key, refused as another site), never a panic, and
/// nothing left in the cache.
#[test]
fn damaged_files_are_refused_everywhere() {
    let (_dir, mut store, bytes) = saved();
    let path = store.dir.join(FILE);
    for len in 0..bytes.len() {
        fs::write(&path, &bytes[..len]).expect("write");
        assert!(store.load(&mut Cache::new()).is_err(), "cut at {len}");
    }
    for at in 0..bytes.len() {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x10;
        fs::write(&path, &damaged).expect("write");
        assert!(store.load(&mut Cache::new()).is_err(), "flipped at {at}");
    }
}

/// A checksum that matches over garbage (a file made to pass it) still decodes to nothing
/// rather than panicking or allocating without bounds.
#[test]
fn garbage_with_a_right_checksum_is_refused() {
    for garbage in [
        vec![0xff; 64],
        vec![0; 3],
        [u64::MAX.to_le_bytes(), 1u64.to_le_bytes()].concat(),
    ] {
        assert!(decode_markdown(&garbage).is_none());
        assert!(decode_outputs(&garbage).is_none());
    }
    // Headings nested deeper than any Markdown can nest them.
    let mut w = Writer(Vec::new());
    for _ in 0..=MAX_TOC_DEPTH + 1 {
        w.u64(1);
        w.0.push(1);
        w.str("a");
        w.str("b");
    }
    w.u64(0);
    assert!(Reader(&w.0).toc(0).is_none());
}

#[test]
fn leftovers_of_killed_writes_are_removed() {
    let (_dir, mut store, _) = saved();
    let stale = store.dir.join(format!("{FILE}.tmp-1"));
    fs::write(&stale, b"half").expect("write");
    store
        .save(store.markdown_part(&cache()).expect("part"), &outputs())
        .expect("saved");
    assert!(!stale.exists());
    assert_eq!(store.load(&mut Cache::new()), Ok(true));
}

/// An unchanged payload is not written again; a changed one is.
#[test]
fn an_unchanged_cache_is_not_written_again() {
    let (_dir, mut store, _) = saved();
    let file = store.dir.join(FILE);
    assert_eq!(store.load(&mut Cache::new()), Ok(true));
    let stamp = || {
        fs::metadata(&file)
            .and_then(|m| m.modified())
            .expect("stamp")
    };
    let before = stamp();
    std::thread::sleep(std::time::Duration::from_millis(20));
    store
        .save(store.markdown_part(&cache()).expect("part"), &outputs())
        .expect("saved");
    assert_eq!(stamp(), before, "written again");
    let part = store.markdown_part(&Cache::new()).expect("part");
    store.save(part, &outputs()).expect("saved");
    assert_ne!(stamp(), before, "not written");
    let mut loaded = Cache::new();
    assert_eq!(store.load(&mut loaded), Ok(true));
    assert!(loaded.markdown.is_empty());
}

/// Unchanged Markdown with changed outputs: the Markdown part is copied from the old file.
#[test]
fn unchanged_markdown_is_copied_when_the_outputs_change() {
    let (_dir, mut store, _) = saved();
    assert_eq!(store.load(&mut Cache::new()), Ok(true));
    let part = store.markdown_part(&cache()).expect("part");
    assert!(matches!(part, MarkdownPart::AsLoaded));
    let mut other = outputs();
    other.insert(
        "b/index.html".into(),
        Stored {
            fingerprint: 2,
            size: 1,
            hash: 3,
        },
    );
    store.save(part, &other).expect("saved");
    let mut loaded = Cache::new();
    assert_eq!(store.load(&mut loaded), Ok(true));
    assert_eq!(loaded.stored, other);
    assert_eq!(loaded.markdown.len(), 2);
    assert_eq!(
        loaded.markdown["content/a.md"].content.html,
        "<p>Straße „A“</p>"
    );
}
