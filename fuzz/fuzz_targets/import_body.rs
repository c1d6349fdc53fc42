//! `presswerk import`: a content file of another tool's site, its front matter read (YAML,
//! TOML or JSON) and the links of its body rebased to the new site's URLs.
//!
//! - reading and rebasing are deterministic;
//! - a front matter error names a line of the file;
//! - a body with no link syntax in it (`](`, `]:`, `href`, `src`) comes back as it was;
//! - rebasing again changes nothing: a rebased link points at a new URL, which is no old one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use presswerk::internals::import::read_and_rebase;
use presswerk_fuzz::choice_and_text;

/// Old URL path → new, as an import of a small Hugo site has them.
const PAGES: &[(&str, &str)] = &[
    ("/de/treffen/tickets.html", "/treffen/tickets/"),
    ("/de/treffen/anmeldung.html", "/treffen/anmeldung/"),
    ("/2024/04/fest/", "/aktuelles/fest/"),
    ("/post/2019-02-01-anfang/", "/post/anfang/"),
];

const OLD_URLS: [Option<&str>; 3] = [
    Some("/de/treffen/anmeldung.html"),
    Some("/2024/04/fest/"),
    None,
];

fuzz_target!(|data: &[u8]| {
    let (choice, text) = choice_and_text(data, OLD_URLS.len());
    let old_url = OLD_URLS[choice];
    let first = read_and_rebase(&text, old_url, PAGES);
    assert_eq!(first, read_and_rebase(&text, old_url, PAGES), "deterministic");
    let body = match first {
        Ok((_, body)) => body,
        Err((line, why)) => {
            assert!(!why.is_empty());
            assert!(
                (1..=text.lines().count().max(1) + 1).contains(&line),
                "line {line} of {} lines: {why}",
                text.lines().count()
            );
            return;
        }
    };
    if !["](", "]:", "href", "src"]
        .iter()
        .any(|s| text.to_ascii_lowercase().contains(s))
    {
        assert!(text.ends_with(body.as_str()), "{body:?} from {text:?}");
    }
    // The rebased body, read as a file without front matter, is left as it is.
    if !body.trim_start().starts_with(['-', '+', '{']) {
        let again = read_and_rebase(&body, old_url, PAGES).map(|(_, b)| b);
        assert_eq!(again.as_deref(), Ok(body.as_str()), "rebasing twice");
    }
});
