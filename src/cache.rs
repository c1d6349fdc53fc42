//! What one build leaves for the next: rendered Markdown, template values and rendered
//! outputs, each with the fingerprint of its inputs. `serve` keeps a [`Cache`] between
//! rebuilds, so a save renders only what the change reaches; `build` starts with what the
//! last `build` stored under the site ([`store`]), or with an empty one, and both go through
//! the same code, which is why an incremental build gives the same bytes as a full one.

pub(crate) mod search;
pub(crate) mod store;

use std::collections::HashMap;
use std::sync::Arc;

use crate::markdown::Rendered;

/// One document's rendered Markdown.
#[derive(Clone)]
pub(crate) struct MarkdownEntry {
    pub(crate) key: u64,
    pub(crate) content: Arc<Rendered>,
    pub(crate) summary: Option<String>,
}

/// Files made together, by output path.
pub(crate) type GeneratedFiles = Arc<Vec<(String, Arc<[u8]>)>>;

/// What an earlier `build` wrote for one output file: the fingerprint of what it shows, and
/// the size and XXH3-128 hash of the bytes that fingerprint gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stored {
    pub(crate) fingerprint: u64,
    pub(crate) size: u64,
    pub(crate) hash: u128,
}

/// How much of a build was reused.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    /// Documents whose Markdown was rendered.
    pub markdown_rendered: usize,
    /// Documents whose rendered Markdown was reused.
    pub markdown_reused: usize,
    /// Outputs rendered with a template.
    pub outputs_rendered: usize,
    /// Outputs whose bytes were reused.
    pub outputs_reused: usize,
}

/// Rendered Markdown, values and outputs of the last build, by fingerprint.
#[derive(Default)]
pub struct Cache {
    /// Source name → rendered Markdown.
    pub(crate) markdown: HashMap<String, MarkdownEntry>,
    /// Source name → (page fingerprint, page value).
    pub(crate) values: HashMap<String, (u64, tera::Value)>,
    /// Output file → (fingerprint, bytes).
    pub(crate) outputs: HashMap<String, (u64, Arc<[u8]>)>,
    /// Source name → (page fingerprint, id, the article's entry in articles.json). The id is
    /// new whenever the bytes are: equal ids in equal order mean an equal file.
    pub(crate) json: HashMap<String, (u64, u64, Arc<[u8]>)>,
    /// The last id given to a JSON fragment.
    pub(crate) json_ids: u64,
    /// Generated files made as a whole (sitemap, authors.json) → (fingerprint, their files).
    pub(crate) files: HashMap<&'static str, (u64, GeneratedFiles)>,
    /// Edition source name → (fingerprint, its e-mail files).
    pub(crate) editions: HashMap<String, (u64, GeneratedFiles)>,
    /// Output file → what the last `build` wrote there (from [`store`]): a job whose
    /// fingerprint matches is not rendered if the staging folder holds those bytes.
    pub(crate) stored: HashMap<String, Stored>,
    /// Output file → fingerprint, for the outputs this build wrote to disk (their bytes are
    /// not kept), for [`store`].
    pub(crate) written: HashMap<String, u64>,
    /// The search index's documents and words ([`crate::search`]).
    pub(crate) search: search::Memo,
    /// What the last build reused.
    pub stats: CacheStats,
}

impl Cache {
    /// An empty cache: the next build renders everything.
    pub fn new() -> Self {
        Self::default()
    }
}
