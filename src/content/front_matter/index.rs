//! Spans for the keys of a YAML block. serde_yaml's values carry no positions, so the block's
//! top-level `key:` lines are indexed once, and each typed key's diagnostic points at its value
//! (or at one item of a list value) in the whole file.

use crate::source::Span;

/// Spans of the top-level keys of a YAML block: `key:` lines starting at column 0.
pub(super) struct KeyIndex<'a> {
    text: &'a str,
    keys: Vec<(String, Span, Span)>,
}

impl<'a> KeyIndex<'a> {
    pub(super) fn new(text: &'a str, yaml: Span) -> Self {
        let mut keys: Vec<(String, Span, Span)> = Vec::new();
        let mut offset = yaml.start;
        for line in text[yaml.clone()].split_inclusive('\n') {
            let first = line.chars().next().unwrap_or(' ');
            if !first.is_whitespace() && first != '#' && first != '-' {
                if let Some(colon) = line.find(':') {
                    let name = line[..colon].trim().trim_matches(['"', '\'']).to_string();
                    let value_start = offset + colon + 1;
                    let value_start = value_start
                        + (text[value_start..].len()
                            - text[value_start..].trim_start_matches([' ', '\t']).len());
                    keys.push((
                        name,
                        offset..offset + colon,
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
        KeyIndex { text, keys }
    }

    pub(super) fn key(&self, key: &str) -> Option<Span> {
        self.keys.iter().find(|k| k.0 == key).map(|k| k.1.clone())
    }

    pub(super) fn value(&self, key: &str) -> Option<Span> {
        self.keys.iter().find(|k| k.0 == key).map(|k| {
            if k.2.is_empty() {
                k.1.clone()
            } else {
                k.2.clone()
            }
        })
    }

    /// Span of `item` inside the value of `key` (its `n`-th occurrence), or the whole value.
    pub(super) fn item(&self, key: &str, item: &str, n: usize) -> Option<Span> {
        let value = self.value(key)?;
        let hay = &self.text[value.clone()];
        let pos = hay.match_indices(item).nth(n).map(|(i, _)| i)?;
        Some(value.start + pos..value.start + pos + item.len())
    }
}
