//! From text to index keys: words, folded and stemmed by the site's language.
//!
//! A key is the Snowball stem of the lower-cased word with its diacritics folded (ä → a,
//! ß → ss, é → e), so "Systemhäuser", "Systemhauses" and "systemhaus" share the key
//! `systemhaus`. German words written with "ae", "oe", "ue" for the umlaut ("Systemhaeuser")
//! get a second key with the plain vowel, so that either spelling finds the other. The
//! browser applies the same stemmer's output through the keys it looks up: it never stems,
//! it matches its folded query word as a prefix of the keys (see `static/search.js`).

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

/// Words longer than this are no words (hashes, base64 in a code block): not indexed.
const MAX_WORD: usize = 40;

/// Turns words into keys for one language.
pub(crate) struct Analyzer {
    stemmer: Stemmer,
    german: bool,
}

impl Analyzer {
    /// The analyzer for a site language (`de` or `en`; anything else is read as German,
    /// the default).
    pub(crate) fn new(language: &str) -> Analyzer {
        let english = language == "en";
        let algorithm = if english {
            Algorithm::English
        } else {
            Algorithm::German
        };
        Analyzer {
            stemmer: Stemmer::create(algorithm),
            german: !english,
        }
    }

    /// The keys of one lower-cased word: its folded stem, and for a German word with an
    /// "ae", "oe" or "ue" also the stem of the word with those read as umlauts.
    pub(crate) fn keys(&self, word: &str) -> Vec<String> {
        let mut keys = vec![fold(&self.stemmer.stem(word))];
        if self.german && (word.contains("ae") || word.contains("oe") || word.contains("ue")) {
            let plain = word
                .replace("ae", "ä")
                .replace("oe", "ö")
                .replace("ue", "ü");
            let other = fold(&self.stemmer.stem(&plain));
            if other != keys[0] {
                keys.push(other);
            }
        }
        keys.retain(|k| !k.is_empty());
        keys
    }
}

impl Analyzer {
    /// Whether words spelled with "ae", "oe", "ue" also stand for their umlaut (German).
    pub(crate) fn german(&self) -> bool {
        self.german
    }

    /// The word endings the stemmer can take off, longest first. The browser does not
    /// stem: it takes each of these off a query word and looks the rest up as a key, and
    /// looks the whole word up as the start of keys (see [`Analyzer::query`]).
    pub(crate) fn endings(&self) -> Vec<String> {
        let mut all: Vec<String> = if self.german {
            // Snowball German takes off an inflection (step 1), then a comparative (step 2)
            // or a derivational suffix (step 3): stem + step 2 or 3 + step 1.
            let s3 = [
                "", "end", "ung", "igend", "igung", "ig", "ik", "isch", "lich", "heit", "keit",
                "lichkeit", "igkeit", "erheit", "enheit",
            ];
            let s2 = ["en", "er", "est", "st"];
            let s1 = ["", "em", "ern", "er", "e", "en", "es", "s"];
            let mut v = Vec::new();
            for a in s3.iter().chain(&s2) {
                for b in s1 {
                    v.push(format!("{a}{b}"));
                }
            }
            v
        } else {
            [
                "s", "es", "ed", "ing", "ly", "er", "ers", "est", "ment", "ments", "ness", "ation",
                "ations", "ational", "ity", "ities", "ive", "ful", "ous", "al", "ance", "ence",
                "able", "ible", "ism", "ist", "ists", "e",
            ]
            .map(String::from)
            .to_vec()
        };
        all.retain(|e| !e.is_empty());
        all.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        all.dedup();
        all
    }

    #[cfg(test)]
    /// What the browser looks up for one query word: keys that start with one of the
    /// first list, keys equal to one of the second. The same steps as `search.js`.
    pub(crate) fn query(&self, word: &str) -> (Vec<String>, Vec<String>) {
        let folded = fold(word);
        let mut forms = vec![folded.clone()];
        if self.german {
            let plain = folded
                .replace("ae", "a")
                .replace("oe", "o")
                .replace("ue", "u");
            if plain != folded {
                forms.push(plain);
            }
        }
        let endings = self.endings();
        let mut exact = Vec::new();
        for f in &forms {
            for e in &endings {
                if let Some(stem) = f.strip_suffix(e.as_str())
                    && stem.chars().count() >= MIN_STEM
                {
                    exact.push(stem.to_string());
                }
            }
        }
        (forms, exact)
    }
}

/// The shortest stem a query word is cut down to.
pub(crate) const MIN_STEM: usize = 3;

#[cfg(test)]
/// The words of `text`, lower-cased: runs of letters and digits. A hyphen or an apostrophe
/// splits ("Hewlett-Packard" is two words); overlong runs are skipped.
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().count() <= MAX_WORD)
        .map(str::to_lowercase)
}

/// Lower-case `word` with its diacritics folded: ä → a, ß → ss, é → e; letters without a
/// Latin reading stay as they are.
pub(crate) fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match deunicode::deunicode_char(c) {
            Some(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric()) => {
                out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
            }
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Counts the words of one document: per word, how often it occurs in the title and in
/// the text. The words are borrowed from the lower-cased text they were counted in.
#[derive(Debug, Default, Clone)]
pub(crate) struct Counts<'a> {
    pub(crate) words: HashMap<&'a str, (u32, u32), Fast>,
}

/// aHash for the word maps: millions of short keys per build. XXH3's streaming hasher sets
/// up a state of several hundred bytes for every key, which made it slower than SipHash
/// here; aHash is made for short keys and seeded per process (check uses it too).
pub(crate) type Fast = ahash::RandomState;

/// The words of `text` (runs of letters and digits), lower-cased, each followed by one
/// space: what [`Counts::add`] reads. One pass with a fast path for runs of ASCII letters
/// and digits (copied and lower-cased as a block); lower-casing the text as a whole and
/// then splitting it by characters cost twice as much.
pub(crate) fn lower_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    let mut in_word = false;
    let mut rest = text;
    while let Some(&b) = rest.as_bytes().first() {
        let (alnum, len) = if b.is_ascii_alphanumeric() {
            let run = rest
                .bytes()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            let start = out.len();
            out.push_str(&rest[..run]);
            if let Some(added) = out.get_mut(start..) {
                added.make_ascii_lowercase();
            }
            (true, run)
        } else if b.is_ascii() {
            (false, 1)
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
            }
            (c.is_alphanumeric(), c.len_utf8())
        };
        if !alnum && in_word {
            out.push(' ');
        }
        in_word = alnum;
        rest = rest.get(len..).unwrap_or_default();
    }
    if in_word {
        out.push(' ');
    }
    out
}

impl<'a> Counts<'a> {
    /// Counts the words of `lower`, made by [`lower_words`].
    pub(crate) fn add(&mut self, lower: &'a str, title: bool) {
        // About one distinct word in ten bytes of text: sized once instead of growing.
        self.words.reserve(lower.len() / 10);
        for w in lower.split(' ') {
            let long =
                w.len() > MAX_WORD && (w.len() > 4 * MAX_WORD || w.chars().count() > MAX_WORD);
            if w.is_empty() || long {
                continue;
            }
            let e = self.words.entry(w).or_default();
            if title {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each word with the key the query word must find: the table of stemming and folding.
    #[test]
    fn german_keys() {
        let a = Analyzer::new("de");
        let key = |w: &str| a.keys(&w.to_lowercase());
        let same = [
            ("Systemhaus", "Systemhäuser"),
            ("Systemhaus", "Systemhauses"),
            ("Systemhaus", "Systemhaeuser"),
            ("Systemhaus", "SYSTEMHÄUSER"),
            ("Partnerschaften", "Partnerschaft"),
            ("Flammkuchen", "flammkuchen"),
            ("kollegial", "kollegiale"),
            ("Zusammenarbeit", "Zusammenarbeiten"),
            ("Köln", "Koeln"),
            ("Kölner", "Koelner"),
            ("Straße", "Strasse"),
            ("Gruppe", "Gruppen"),
            ("Müller", "Mueller"),
        ];
        for (q, d) in same {
            let (qk, dk) = (key(q), key(d));
            assert!(
                qk.iter().any(|k| dk.contains(k)),
                "{q} {qk:?} should find {d} {dk:?}"
            );
        }
        // Folding: no key keeps an umlaut or ß.
        assert_eq!(key("Schälsick"), vec!["schalsick"]);
        assert_eq!(key("Größe")[0], "gross");
        // Different words stay apart.
        assert!(!key("Haus").iter().any(|k| key("Hersteller").contains(k)));
    }

    /// Whether query word `q` finds a document with word `d`, as the browser looks it up.
    fn finds(a: &Analyzer, q: &str, d: &str) -> bool {
        let keys = a.keys(&d.to_lowercase());
        let (prefixes, exact) = a.query(&q.to_lowercase());
        keys.iter()
            .any(|k| prefixes.iter().any(|p| k.starts_with(p.as_str())) || exact.contains(k))
    }

    /// Query words as typed (whole, or cut short while typing) against the words of a text.
    #[test]
    fn german_queries() {
        let a = Analyzer::new("de");
        let found = [
            ("Systemhaus", "Systemhäuser"),
            ("Systemhaus", "Systemhauses"),
            ("Systemhaus", "Systemhauskooperation"),
            ("Systemhäuser", "Systemhaus"),
            ("Systemhaeuser", "Systemhäusern"),
            ("systemhauser", "Systemhäuser"),
            ("Systemh", "Systemhäuser"),
            ("Partnerschaften", "Partnerschaft"),
            ("Partnerschaft", "Partnerschaften"),
            ("Flammkuchen", "Flammkuchen"),
            ("Flammku", "Flammkuchen"),
            ("kollegial", "kollegiale"),
            ("Kolleg", "kollegiale"),
            ("Koeln", "Kölner"),
            ("Köln", "Koeln"),
            ("KÖLN", "Köln"),
            ("Schalsick", "Schälsick"),
            ("Strasse", "Straße"),
            ("Zusammenarbeit", "Zusammenarbeiten"),
            ("Hewlett", "Hewlett-Packard"),
        ];
        for (q, d) in found {
            assert!(finds(&a, q, d), "{q} should find {d}");
        }
        let not_found = [
            ("Systemhaus", "System"),
            ("Flammkuchen", "Kuchen"),
            ("Partner", "Part"),
            ("Hersteller", "Haus"),
        ];
        for (q, d) in not_found {
            assert!(!finds(&a, q, d), "{q} should not find {d}");
        }
    }

    #[test]
    fn english_keys() {
        let a = Analyzer::new("en");
        assert_eq!(a.keys("partnerships"), a.keys("partnership"));
        assert_eq!(a.keys("running"), vec!["run"]);
        assert_eq!(a.keys("café"), vec!["cafe"]);
        // English has no "ae" reading of umlauts.
        assert_eq!(a.keys("blue").len(), 1);
        assert!(finds(&a, "partnerships", "partnership"));
        assert!(finds(&a, "companies", "company"));
        assert!(finds(&a, "part", "partnership"));
        assert!(!finds(&a, "partnership", "part"));
    }

    #[test]
    fn words_split_on_punctuation() {
        let w: Vec<String> = words("Hewlett-Packard, „Die Schälsick Bar“ 1½ x").collect();
        assert_eq!(
            w,
            ["hewlett", "packard", "die", "schälsick", "bar", "1½", "x"]
        );
        assert_eq!(words(&"a".repeat(41)).count(), 0);
    }

    /// What the index counts is what [`words`] splits: the same words in the same order.
    #[test]
    fn lower_words_are_the_words() {
        for text in [
            "Hewlett-Packard, „Die Schälsick Bar“ 1½ x",
            "  ÄRGER über STRASSE und Straße… 2007!",
            "",
            "ein",
            "Ende.",
        ] {
            let lower = lower_words(text);
            let mut counts = Counts::default();
            counts.add(&lower, false);
            let split: Vec<String> = words(text).collect();
            let joined: Vec<&str> = lower.split(' ').filter(|w| !w.is_empty()).collect();
            assert_eq!(joined, split, "{text}");
            assert!(lower.is_empty() || lower.ends_with(' '));
            assert_eq!(
                counts.words.values().map(|c| c.1 as usize).sum::<usize>(),
                split.len()
            );
        }
    }
}
