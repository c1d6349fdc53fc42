//! The plain-text e-mail: rendered HTML (an editorial, an article's summary) to text.
//!
//! - the conversion is deterministic;
//! - the text ends with a newline and holds none of the converter's own link markers;
//! - the link list at the end numbers each URL once, from 1 without gaps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use presswerk::internals::email_text;
use presswerk_fuzz::choice_and_text;

fuzz_target!(|data: &[u8]| {
    let (_, text) = choice_and_text(data, 1);
    let cut = (0..=text.len() / 2)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let (editorial, summary) = text.split_at(cut);
    let articles = [
        ("Erster Artikel", summary),
        ("Zweiter Artikel", "<p>Kurz.</p>"),
    ];
    let out = email_text(editorial, &articles);
    assert_eq!(out, email_text(editorial, &articles), "deterministic");
    assert!(out.ends_with('\n'));
    if !text.contains('\u{1}') {
        assert!(!out.contains('\u{1}'), "a link marker was left: {out:?}");
    }
    let list = out.rsplit("\nLinks\n-----\n\n").next().unwrap_or_default();
    let mut urls = std::collections::HashSet::new();
    for (i, line) in list.lines().enumerate() {
        let prefix = format!("[{}] ", i + 1);
        let url = line
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("link {} is {line:?}", i + 1));
        assert!(urls.insert(url), "{url} listed twice");
    }
});
