//! Reading a YAML block into a value at a bounded cost. serde_yaml expands every alias
//! (`*name`) into a full copy of its anchored value (`&name`), so a few kilobytes of YAML can
//! ask for gigabytes (one anchored paragraph, aliased a million times). Building the value
//! through this seed counts what the copies would hold and stops at the first value past the
//! budget, long before the memory is spent; it also caps the nesting depth and, at the top
//! level, keeps the last of two equal keys (as Hugo does) instead of failing.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Value};

/// At most this many values (scalars, lists, mappings) once aliases are expanded.
pub(crate) const MAX_VALUES: usize = 100_000;
/// At most this many bytes of text once aliases are expanded.
pub(crate) const MAX_TEXT: usize = 4 << 20;
/// At most this many levels of lists and mappings inside each other.
pub(crate) const MAX_DEPTH: usize = 32;

/// Which bound a block went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Limit {
    /// More than [`MAX_VALUES`] values.
    Values,
    /// More than [`MAX_TEXT`] bytes of text.
    Text,
    /// Deeper than [`MAX_DEPTH`].
    Depth,
}

/// What reading a block has spent so far, and what it found on the way.
#[derive(Default)]
pub(super) struct Budget {
    values: Cell<usize>,
    text: Cell<usize>,
    over: Cell<Option<Limit>>,
    /// Top-level keys written more than once, each time it was repeated.
    duplicates: RefCell<Vec<String>>,
}

impl Budget {
    /// The bound the block went past, if reading stopped at one.
    pub(super) fn exceeded(&self) -> Option<Limit> {
        self.over.get()
    }

    /// Top-level keys that were written again (the later one was kept), in file order.
    pub(super) fn take_duplicates(&self) -> Vec<String> {
        std::mem::take(&mut self.duplicates.borrow_mut())
    }

    /// Reads the whole block with this budget.
    pub(super) fn read(&self, block: &str) -> Result<Value, serde_yaml::Error> {
        Node {
            budget: self,
            depth: 0,
        }
        .deserialize(serde_yaml::Deserializer::from_str(block))
    }

    fn spend<E: de::Error>(&self, text: usize) -> Result<(), E> {
        self.values.set(self.values.get() + 1);
        self.text.set(self.text.get().saturating_add(text));
        if self.values.get() > MAX_VALUES {
            return self.stop(Limit::Values);
        }
        if self.text.get() > MAX_TEXT {
            return self.stop(Limit::Text);
        }
        Ok(())
    }

    fn stop<E: de::Error>(&self, limit: Limit) -> Result<(), E> {
        self.over.set(Some(limit));
        // serde_yaml places this message at the value being read; the caller words it.
        Err(E::custom("front matter too large"))
    }
}

/// One value at `depth`, read against the shared budget.
#[derive(Clone, Copy)]
struct Node<'b> {
    budget: &'b Budget,
    depth: usize,
}

impl Node<'_> {
    fn inner<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            self.budget.stop(Limit::Depth)?;
        }
        Ok(Node {
            budget: self.budget,
            depth: self.depth + 1,
        })
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.budget.spend(0)?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.budget.spend(0)?;
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.budget.spend(0)?;
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.budget.spend(0)?;
        Ok(Value::Number(v.into()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.budget.spend(v.len())?;
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.budget.spend(v.len())?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.budget.spend(0)?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.budget.spend(0)?;
        let inner = self.inner()?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            items.push(v);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.budget.spend(0)?;
        let inner = self.inner()?;
        let mut out = Mapping::new();
        while let Some(key) = map.next_key_seed(inner)? {
            let value = map.next_value_seed(inner)?;
            // The later of two equal keys wins, as in Hugo; only the top level is reported,
            // since only there does a key stand at the start of its own line.
            if out.contains_key(&key)
                && self.depth == 0
                && let Value::String(k) = &key
            {
                self.budget.duplicates.borrow_mut().push(k.clone());
            }
            out.insert(key, value);
        }
        Ok(Value::Mapping(out))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        self.budget.spend(0)?;
        let (tag, contents) = data.variant::<String>()?;
        let value = contents.newtype_variant_seed(self.inner()?)?;
        Ok(Value::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

/// Where `[`/`{` lists and mappings open more than [`MAX_DEPTH`] levels deep, if they do.
/// The YAML parser spends time in the square of the depth on such nesting (40,000 levels
/// took seconds), so this is counted on the text before any parser reads it. In YAML
/// (`anywhere` false) a bracket opens a level where a flow collection may start: inside one,
/// or at the start of a value (after `: `, `- ` or at the start of a line); in TOML every
/// bracket outside a string does. Text in quotes and comments is skipped. Nesting by
/// indentation needs no such guard: each level costs a longer line.
pub(super) fn too_deep(text: &str, anywhere: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    // The last byte that was not a space: what a bracket at depth 0 follows.
    let mut before = b'\n';
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'[' | b'{' if anywhere || depth > 0 || matches!(before, b'\n' | b':' | b'-') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' if depth > 0 => depth -= 1,
            // A quote starts a quoted scalar only where a value starts: `it's` is plain text.
            b'"' | b'\''
                if anywhere
                    || matches!(before, b'\n' | b':' | b'-' | b'[' | b'{' | b',' | b'?') =>
            {
                i = closing_quote(bytes, i);
            }
            b'#' if matches!(
                bytes.get(i.wrapping_sub(1)),
                None | Some(b' ' | b'\t' | b'\n')
            ) =>
            {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        if b != b' ' && b != b'\t' {
            before = if i < bytes.len() { bytes[i] } else { b };
        }
        i += 1;
    }
    None
}

/// The index of the quote that closes the quoted scalar opening at `open` (or the end).
fn closing_quote(bytes: &[u8], open: usize) -> usize {
    let quote = bytes[open];
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 1,
            // `''` inside single quotes is one quote.
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            c if c == quote => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_yaml_reads_as_serde_yaml_reads_it() {
        let block = "title: A\ntags: [x, 2, true]\nextra:\n  a: ~\n  b: !wert 3\n";
        let b = Budget::default();
        let ours = b.read(block).unwrap();
        let theirs: Value = serde_yaml::from_str(block).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(b.exceeded(), None);
    }

    #[test]
    fn aliases_count_every_copy_and_stop_at_the_budget() {
        let long = "x".repeat(4096);
        let block = format!("a: &a \"{long}\"\nb: [{}*a]\n", "*a, ".repeat(2000));
        let b = Budget::default();
        assert!(b.read(&block).is_err());
        assert_eq!(b.exceeded(), Some(Limit::Text));
        let block = format!("a: &a [1]\nb: [{}*a]\n", "*a, ".repeat(MAX_VALUES));
        let b = Budget::default();
        assert!(b.read(&block).is_err());
        assert_eq!(b.exceeded(), Some(Limit::Values));
    }

    #[test]
    fn nesting_is_capped() {
        let deep = format!("a: {}1{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let b = Budget::default();
        assert!(b.read(&deep).is_err());
        assert_eq!(b.exceeded(), Some(Limit::Depth));
        let ok = format!(
            "a: {}1{}\n",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert!(Budget::default().read(&ok).is_ok());
    }

    #[test]
    fn the_last_of_two_equal_keys_wins_and_is_reported() {
        let b = Budget::default();
        let v = b.read("title: A\ndate: 2020-01-01\ntitle: B\n").unwrap();
        assert_eq!(v.get("title").and_then(Value::as_str), Some("B"));
        assert_eq!(b.take_duplicates(), ["title"]);
    }
}
