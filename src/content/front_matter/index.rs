//! Spans for the keys of a YAML block. serde_yaml's values carry no positions, so the block's
//! top-level `key:` lines are indexed once, and each typed key's diagnostic points at its value
//! (or at one item of a list value) in the whole file.

use std::collections::HashMap;

use super::split::Format;
use crate::source::Span;

/// Spans of the top-level keys of a block: `key:` lines (YAML) or `key = ` lines before the
/// first `[table]` (TOML) starting at column 0. A key written twice has both lines here; the
/// later one is the one that counts.
pub(super) struct KeyIndex<'a> {
    text: &'a str,
    keys: Vec<(String, Span, Span)>,
    /// Key name → its lines in `keys`, so a lookup costs the same in a block of any length.
    by_name: HashMap<String, Vec<usize>>,
}

impl<'a> KeyIndex<'a> {
    pub(super) fn new(text: &'a str, yaml: Span, format: Format) -> Self {
        let mut keys: Vec<(String, Span, Span)> = Vec::new();
        let mut offset = yaml.start;
        let separator = if format == Format::Toml { '=' } else { ':' };
        let mut in_table = false;
        for line in text[yaml.clone()].split_inclusive('\n') {
            let first = line.chars().next().unwrap_or(' ');
            // TOML keys after a `[table]` header belong to that table, not to the top level.
            in_table |= format == Format::Toml && first == '[';
            if in_table {
                offset += line.len();
                continue;
            }
            if !first.is_whitespace() && !matches!(first, '#' | '-' | ']') {
                if let Some(colon) = line.find(separator) {
                    let name = line[..colon].trim().trim_matches(['"', '\'']).to_string();
                    let value_start = offset + colon + 1;
                    let value_start = value_start
                        + (text[value_start..].len()
                            - text[value_start..].trim_start_matches([' ', '\t']).len());
                    keys.push((
                        name,
                        offset..offset + line[..colon].trim_end().len(),
                        value_start..offset + line.trim_end().len(),
                    ));
                }
            } else if let Some(last) = keys.last_mut()
                && !line.trim().is_empty()
            {
                // An indented continuation line belongs to the value of the key above.
                last.2.end = offset + line.trim_end().len();
            }
            offset += line.len();
        }
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            by_name.entry(k.0.clone()).or_default().push(i);
        }
        KeyIndex {
            text,
            keys,
            by_name,
        }
    }

    /// The line of `key` that counts: the last one that writes it.
    fn last(&self, key: &str) -> Option<&(String, Span, Span)> {
        let lines = self.by_name.get(key)?;
        lines.last().map(|&i| &self.keys[i])
    }

    pub(super) fn key(&self, key: &str) -> Option<Span> {
        self.last(key).map(|k| k.1.clone())
    }

    /// The span of the `n`-th line (0-based) that writes `key`.
    pub(super) fn key_nth(&self, key: &str, n: usize) -> Option<Span> {
        let i = *self.by_name.get(key)?.get(n)?;
        Some(self.keys[i].1.clone())
    }

    pub(super) fn value(&self, key: &str) -> Option<Span> {
        self.last(key).map(|k| {
            if k.2.is_empty() {
                k.1.clone()
            } else {
                k.2.clone()
            }
        })
    }

    /// Span of `item` inside the value of `key`, the first at or after byte `from` of the
    /// file (the end of the item before it: a list's items are found in one pass, not each
    /// from the start), or `None`.
    pub(super) fn item(&self, key: &str, item: &str, from: usize) -> Option<Span> {
        let value = self.value(key)?;
        let from = from.clamp(value.start, value.end);
        let hay = self.text.get(from..value.end)?;
        let pos = hay.find(item)?;
        Some(from + pos..from + pos + item.len())
    }
}
