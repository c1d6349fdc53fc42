//! What one build of the search index leaves for the next (`serve`): each document's words
//! and each word's keys. Defined here, not in [`crate::search`], so that the cache depends
//! on no stage after it.

use std::collections::HashMap;
use std::sync::Arc;

/// One document's words: (word, count in the title, count in the text), in word order,
/// and its plain text for the excerpt.
#[derive(Debug)]
pub(crate) struct Analyzed {
    pub(crate) counts: Vec<(String, u32, u32)>,
    pub(crate) text: String,
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
