//! Fingerprints: 64-bit hashes of what an output depends on. An incremental build renders an
//! output again only when its fingerprint changed; equal fingerprints mean equal inputs, so
//! the bytes of the last build are reused. They are compared only within one process and
//! never stored.

use std::hash::{DefaultHasher, Hash, Hasher};

/// A hasher with fixed keys, so equal inputs give equal fingerprints for the whole process.
pub(crate) struct Fingerprint(DefaultHasher);

impl Fingerprint {
    /// Starts a fingerprint with a tag naming what it is for, so that fingerprints of
    /// different kinds of things never coincide by construction.
    pub(crate) fn new(tag: &str) -> Self {
        let mut h = DefaultHasher::new();
        tag.hash(&mut h);
        Fingerprint(h)
    }

    /// Adds a value.
    pub(crate) fn add<T: Hash + ?Sized>(&mut self, value: &T) -> &mut Self {
        value.hash(&mut self.0);
        self
    }

    /// The fingerprint.
    pub(crate) fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// The fingerprint of a text.
pub(crate) fn of_str(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    h.write(text.as_bytes());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_equal_fingerprints_tags_separate() {
        let a = Fingerprint::new("page").add("x").add(&1u64).finish();
        let b = Fingerprint::new("page").add("x").add(&1u64).finish();
        let c = Fingerprint::new("list").add("x").add(&1u64).finish();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(of_str("abc"), of_str("abc"));
        assert_ne!(of_str("abc"), of_str("abd"));
    }
}
