//! What one build of the search index leaves for the next (`serve`): each document's words
//! and each word's keys. Defined here, not in [`crate::search`], so that the cache depends
//! on no stage after it.

use std::collections::HashMap;
use std::sync::Arc;

/// One document's distinct words with their counts in the title and in the text, and its
/// plain text for the excerpt. The words lie end to end in one string: a document has
/// hundreds of them and a site ten thousand documents, and one allocation per word was a
/// fifth of the index's time and most of its memory.
#[derive(Debug, Default)]
pub(crate) struct Analyzed {
    words: String,
    /// Per word: (end of the word in `words`, count in the title, count in the text).
    counts: Vec<(u32, u32, u32)>,
    pub(crate) text: String,
}

impl Analyzed {
    /// A document's analysis from its words and their counts, in any order.
    pub(crate) fn new<'a>(
        counts: impl IntoIterator<Item = (&'a str, u32, u32)>,
        text: String,
    ) -> Analyzed {
        let mut a = Analyzed {
            text,
            ..Analyzed::default()
        };
        for (word, title, body) in counts {
            a.words.push_str(word);
            let end = u32::try_from(a.words.len()).unwrap_or(u32::MAX);
            a.counts.push((end, title, body));
        }
        a
    }

    /// (word, count in the title, count in the text) for each distinct word.
    pub(crate) fn counts(&self) -> impl Iterator<Item = (&str, u32, u32)> + '_ {
        let mut start = 0usize;
        self.counts.iter().map(move |&(end, title, body)| {
            let end = end as usize;
            let word = self.words.get(start..end).unwrap_or_default();
            start = end;
            (word, title, body)
        })
    }
}

/// The search index's memo.
#[derive(Default)]
pub(crate) struct Memo {
    /// Source name → (hash of title and HTML, its words).
    pub(crate) docs: HashMap<String, (u64, Arc<Analyzed>), ahash::RandomState>,
    /// Word → its keys, for the site's language.
    pub(crate) keys: HashMap<String, Vec<String>, ahash::RandomState>,
    /// The language `keys` were made for.
    pub(crate) language: String,
}
