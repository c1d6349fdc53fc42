//! Search: the index the search page queries in the browser, built with the site.
//!
//! ```text
//! Site ──docs──▶ documents ──words──▶ keys per word ──index──▶ files under /_search/
//! ```
//!
//! Each document (article, edition, page, author profile, as `[search]` chooses) is read
//! into its words with their counts in the title and the text; each distinct word becomes
//! its keys (folded Snowball stems, [`words`]); the keys go into an inverted index cut into
//! chunks by key ([`index`]). The browser (`static/search.js` of the default theme) loads
//! `meta.json`, then only the chunks its query words fall into, then the files of the
//! results it shows: a query at ten thousand articles transfers a few hundred KB at most,
//! not the archive.
//!
//! What a document's text gives is kept in [`Memo`] by the hash of its title and HTML, and
//! each word's keys by the word, so `serve` reads again only the documents a save changed.

mod docs;
mod index;
mod text;
pub(crate) mod words;

use std::sync::Arc;

use rayon::prelude::*;

pub(crate) use crate::cache::search::{Analyzed, Memo};
use crate::site::Site;
use docs::Source;

/// The folder of the index files in the output.
pub(crate) const DIR: &str = "_search";

/// The index files of `site`: (output path, bytes), or nothing when the site has no
/// search. `html`: per page, its Markdown HTML when a one-shot build took it out of the
/// page (else the page's own is read).
pub(crate) fn files(
    site: &Site,
    html: &[Option<String>],
    memo: &mut Memo,
) -> Vec<(String, Arc<[u8]>)> {
    let Some(search) = &site.config.search else {
        return Vec::new();
    };
    let language = site.config.language.as_str();
    let analyzer = words::Analyzer::new(language);
    if memo.language != language {
        *memo = Memo {
            language: language.to_string(),
            ..Memo::default()
        };
    }
    let timer = crate::timing::Timer::start();
    let docs = docs::collect(site, search);
    let analyzed: Vec<(u64, Arc<Analyzed>, bool)> = docs
        .par_iter()
        .map(|d| {
            let body = match d.source {
                Source::Page(i) => html
                    .get(i)
                    .and_then(Option::as_deref)
                    .unwrap_or(&site.pages[i].content.html),
                Source::Author(i) => &site.authors[i].bio.html,
            };
            let hash = content_hash(&d.title, body);
            match memo.docs.get(&d.name) {
                Some((h, a)) if *h == hash => (hash, Arc::clone(a), false),
                _ => (hash, Arc::new(analyze(&d.title, body)), true),
            }
        })
        .collect();
    timer.mark("    search: documents read");
    let mut new_words: std::collections::HashSet<&str, words::Fast> = Default::default();
    for (_, a, fresh) in &analyzed {
        if *fresh {
            new_words.extend(
                a.counts()
                    .map(|(w, _, _)| w)
                    .filter(|w| !memo.keys.contains_key(*w)),
            );
        }
    }
    let new_words: Vec<&str> = new_words.into_iter().collect();
    let stemmed: Vec<(String, Vec<String>)> = new_words
        .par_iter()
        .map(|w| (w.to_string(), analyzer.keys(w)))
        .collect();
    memo.keys.extend(stemmed);
    timer.mark("    search: words stemmed");
    let files = index::files(
        &docs,
        &analyzed
            .iter()
            .map(|(_, a, _)| Arc::clone(a))
            .collect::<Vec<_>>(),
        &memo.keys,
        &analyzer,
        language,
    );
    timer.mark("    search: index files");
    memo.docs = docs
        .iter()
        .zip(analyzed)
        .map(|(d, (h, a, _))| (d.name.clone(), (h, a)))
        .collect();
    files
}

fn content_hash(title: &str, html: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(title.as_bytes());
    h.update(&[0]);
    h.update(html.as_bytes());
    h.digest()
}

/// The words of one document with their counts.
fn analyze(title: &str, html: &str) -> Analyzed {
    let text = text::plain(html);
    // Lower-cased once as a whole, so that the counts borrow their words from these two
    // strings instead of allocating one for each.
    let (title_lower, text_lower) = (words::lower_words(title), words::lower_words(&text));
    let mut counts = words::Counts::default();
    counts.add(&title_lower, true);
    counts.add(&text_lower, false);
    let words = counts.words.into_iter().map(|(w, (t, b))| (w, t, b));
    Analyzed::new(words, text)
}
