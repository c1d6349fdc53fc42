//! The inverted index and its files: keys in sorted order cut into chunks, so a query
//! fetches only the chunks its words fall into; one small file per document for its result
//! line and excerpt; one file per filter value; `meta.json` to find them all.
//!
//! Every file is made from sorted data only, so the same site gives the same bytes; chunk
//! and filter files are named by their content's hash, so a browser never mixes an old
//! chunk with a new `meta.json`, and a rebuild that changes one document rewrites only the
//! chunks its keys are in.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::Arc;

use rayon::prelude::*;

use super::docs::Doc;
use super::words::Analyzer;
use super::{Analyzed, DIR};

/// A chunk is closed once it holds this many bytes of postings (one key alone may be more).
const CHUNK_BYTES: usize = 24 * 1024;
/// A document file holds at most this much of its text, for the excerpt.
const MAX_EXCERPT_TEXT: usize = 8 * 1024;
/// Word counts above this are all the same for ranking.
const MAX_COUNT: u32 = 999;

/// Per key, its postings: (document id, weight), ids ascending.
type Postings = Vec<(u32, u32)>;

/// The weight of a key in a document: title occurrences count above any body count, so
/// a title match ranks first.
fn weight(title: u32, body: u32) -> u32 {
    let body = body.min(MAX_COUNT);
    if title > 0 { 1000 + body } else { body }
}

/// Documents inverted together by one thread; the parts are joined in document order.
const INVERT_PART: usize = 512;

/// The inverted index of `docs` (`analyzed[i]` belongs to `docs[i]`), with `keys` the
/// memo of each word's keys. Parts of the documents are inverted in parallel and then
/// joined in order, so each key's postings stay in ascending document order.
fn invert(
    analyzed: &[Arc<Analyzed>],
    keys: &HashMap<String, Vec<String>, super::words::Fast>,
) -> BTreeMap<String, Postings> {
    let parts: Vec<HashMap<&str, Postings, super::words::Fast>> = analyzed
        .par_chunks(INVERT_PART)
        .enumerate()
        .map(|(n, part)| invert_part(n * INVERT_PART, part, keys))
        .collect();
    let mut index: BTreeMap<String, Postings> = BTreeMap::new();
    for part in parts {
        for (key, list) in part {
            match index.get_mut(key) {
                Some(all) => all.extend(list),
                None => {
                    index.insert(key.to_string(), list);
                }
            }
        }
    }
    index
}

fn invert_part<'k>(
    first: usize,
    analyzed: &[Arc<Analyzed>],
    keys: &'k HashMap<String, Vec<String>, super::words::Fast>,
) -> HashMap<&'k str, Postings, super::words::Fast> {
    let mut postings: HashMap<&str, Postings, super::words::Fast> = HashMap::default();
    for (n, a) in analyzed.iter().enumerate() {
        let id = u32::try_from(first + n).unwrap_or(u32::MAX);
        for (word, title, body) in a.counts() {
            for key in keys.get(word).into_iter().flatten() {
                let list = postings.entry(key.as_str()).or_default();
                match list.last_mut() {
                    // Two words of one document with the same key ("Köln", "Koeln").
                    Some((last, w)) if *last == id => *w = (*w).max(weight(title, body)),
                    _ => list.push((id, weight(title, body))),
                }
            }
        }
    }
    postings
}

/// The files of the index: (output path, bytes), in a fixed order.
pub(super) fn files(
    docs: &[Doc],
    analyzed: &[Arc<Analyzed>],
    keys: &HashMap<String, Vec<String>, super::words::Fast>,
    analyzer: &Analyzer,
    language: &str,
) -> Vec<(String, Arc<[u8]>)> {
    let index = invert(analyzed, keys);
    let mut out = Vec::new();
    let chunks = chunk_files(&index, &mut out);
    let filters = filter_files(docs, &mut out);
    out.par_extend(
        docs.par_iter()
            .zip(analyzed)
            .enumerate()
            .map(|(id, (doc, a))| (format!("{DIR}/d/{id}.json"), doc_file(doc, &a.text))),
    );
    let meta = meta_file(docs.len(), &chunks, &filters, analyzer, language);
    out.push((format!("{DIR}/meta.json"), meta));
    // Files are named by their content: two filter values with the same documents share
    // one file.
    let mut seen: std::collections::HashSet<_, super::words::Fast> = Default::default();
    out.retain(|(path, _)| seen.insert(path.clone()));
    out
}

/// Writes the key chunks into `out`; returns each chunk's first key and file name.
fn chunk_files(
    index: &BTreeMap<String, Postings>,
    out: &mut Vec<(String, Arc<[u8]>)>,
) -> Vec<(String, String)> {
    let mut chunks = Vec::new();
    let mut body = String::new();
    let mut first: Option<&str> = None;
    for (key, postings) in index {
        if let Some(f) = first
            && body.len() >= CHUNK_BYTES
        {
            chunks.push(close_chunk(f, &mut body, out));
            first = None;
        }
        first.get_or_insert(key.as_str());
        body.push(if body.is_empty() { '{' } else { ',' });
        push_json_str(&mut body, key);
        body.push_str(":[");
        // Millions of numbers at ten thousand documents: itoa, not the formatting machinery.
        let mut num = itoa::Buffer::new();
        let mut prev = 0u32;
        for (n, (id, w)) in postings.iter().enumerate() {
            if n > 0 {
                body.push(',');
            }
            body.push_str(num.format(id - prev));
            body.push(',');
            body.push_str(num.format(*w));
            prev = *id;
        }
        body.push(']');
    }
    if let Some(f) = first {
        chunks.push(close_chunk(f, &mut body, out));
    }
    chunks
}

fn close_chunk(
    first: &str,
    body: &mut String,
    out: &mut Vec<(String, Arc<[u8]>)>,
) -> (String, String) {
    body.push_str("}\n");
    let bytes = std::mem::take(body).into_bytes();
    let file = format!("t/{}.json", short_hash(&bytes));
    out.push((format!("{DIR}/{file}"), Arc::from(bytes)));
    (first.to_string(), file)
}

fn short_hash(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// One filter: its name and per value (count, file).
type Filter = (&'static str, Vec<(String, usize, String)>);

/// Writes one file of document ids per filter value; returns the filters for `meta.json`.
fn filter_files(docs: &[Doc], out: &mut Vec<(String, Arc<[u8]>)>) -> Vec<Filter> {
    let mut by: [(&'static str, BTreeMap<String, Vec<u32>>); 4] = Default::default();
    by[0].0 = "type";
    by[1].0 = "region";
    by[2].0 = "tag";
    by[3].0 = "author";
    for (id, d) in docs.iter().enumerate() {
        let id = u32::try_from(id).unwrap_or(u32::MAX);
        by[0].1.entry(d.kind.name().into()).or_default().push(id);
        if let Some(r) = &d.region {
            by[1].1.entry(r.clone()).or_default().push(id);
        }
        for t in &d.tags {
            let list = by[2].1.entry(t.clone()).or_default();
            if list.last() != Some(&id) {
                list.push(id);
            }
        }
        for a in &d.authors {
            let list = by[3].1.entry(a.clone()).or_default();
            if list.last() != Some(&id) {
                list.push(id);
            }
        }
    }
    by.into_iter()
        .map(|(name, values)| {
            let values = values
                .into_iter()
                .map(|(value, ids)| {
                    let mut body = String::from("[");
                    let mut prev = 0;
                    for (n, id) in ids.iter().enumerate() {
                        let _ = write!(body, "{}{}", if n > 0 { "," } else { "" }, id - prev);
                        prev = *id;
                    }
                    body.push_str("]\n");
                    let bytes = body.into_bytes();
                    let file = format!("f/{}.json", short_hash(&bytes));
                    out.push((format!("{DIR}/{file}"), Arc::from(bytes)));
                    (value, ids.len(), file)
                })
                .collect();
            (name, values)
        })
        .collect()
}

/// A document's result line and the start of its text, as the search page reads it.
#[derive(serde::Serialize)]
struct DocFile<'a> {
    url: &'a str,
    title: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    date: &'a str,
    date_text: &'a str,
    authors: &'a [String],
    region: Option<&'a str>,
    tags: &'a [String],
    text: &'a str,
}

/// A document's result line and the start of its text.
fn doc_file(doc: &Doc, text: &str) -> Arc<[u8]> {
    let mut end = text.len().min(MAX_EXCERPT_TEXT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let file = DocFile {
        url: &doc.url,
        title: &doc.title,
        kind: doc.kind.name(),
        date: &doc.iso_date,
        date_text: &doc.date,
        authors: &doc.authors,
        region: doc.region.as_deref(),
        tags: &doc.tags,
        text: &text[..end],
    };
    let mut bytes = serde_json::to_vec(&file).unwrap_or_default();
    bytes.push(b'\n');
    Arc::from(bytes)
}

fn meta_file(
    docs: usize,
    chunks: &[(String, String)],
    filters: &[Filter],
    analyzer: &Analyzer,
    language: &str,
) -> Arc<[u8]> {
    let mut f = serde_json::Map::new();
    for (name, values) in filters {
        let list: Vec<serde_json::Value> = values
            .iter()
            .map(|(v, n, file)| serde_json::json!([v, n, file]))
            .collect();
        f.insert((*name).into(), list.into());
    }
    let value = serde_json::json!({
        "version": 1,
        "language": language,
        "docs": docs,
        "endings": analyzer.endings(),
        "umlaut_spellings": analyzer.german(),
        "min_stem": super::words::MIN_STEM,
        "chunks": chunks,
        "filters": f,
    });
    let mut s = value.to_string();
    s.push('\n');
    Arc::from(s.into_bytes())
}

fn push_json_str(out: &mut String, s: &str) {
    out.push_str(&serde_json::Value::from(s).to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many keys make many chunks; each chunk starts with the key meta.json names for it,
    /// holds only keys below the next chunk's first, and postings decode to their ids.
    #[test]
    fn chunks_cover_the_keys_in_order() {
        let mut index = BTreeMap::new();
        for n in 0..5000u32 {
            index.insert(format!("wort{n:05}"), vec![(n, 1), (n + 7, 1001)]);
        }
        let mut out = Vec::new();
        let chunks = chunk_files(&index, &mut out);
        assert!(chunks.len() > 3, "{}", chunks.len());
        let mut seen = 0;
        for (n, (first, file)) in chunks.iter().enumerate() {
            let bytes = &out
                .iter()
                .find(|(p, _)| p.ends_with(file.as_str()))
                .unwrap()
                .1;
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(bytes).unwrap();
            assert_eq!(map.keys().next(), Some(first));
            if let Some((next, _)) = chunks.get(n + 1) {
                assert!(map.keys().all(|k| k < next));
            }
            if let Some(postings) = map.get("wort00007") {
                assert_eq!(*postings, serde_json::json!([7, 1, 7, 1001]));
            }
            seen += map.len();
        }
        assert_eq!(seen, 5000);
    }
}
