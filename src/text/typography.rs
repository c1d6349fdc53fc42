//! Typography of running text by the site's language: a hyphen typed with a space on each
//! side between words is a dash. German sets it as a spaced en dash („offen – ja – fast“,
//! Duden), English as an em dash set closed (“open—yes—almost”, the Chicago Manual of Style).
//! Markdown's smart punctuation already makes `--` and `---` dashes; this is the one case
//! editors type most and smart punctuation leaves as it is.

use std::borrow::Cow;

/// `text` with each ` - ` between words made the dash of `language` (`de` or `en`; any
/// other language is left alone). Linear in the length of `text`.
pub(crate) fn dashes<'a>(text: &'a str, language: &str) -> Cow<'a, str> {
    let dash = match language {
        "de" => " \u{2013} ",
        "en" => "\u{2014}",
        _ => return Cow::Borrowed(text),
    };
    if !text.contains(" - ") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(at) = rest.find(" - ") {
        let before = rest[..at].chars().next_back();
        let after = rest[at + 3..].chars().next();
        // A word (or the end of an element, at the start of a text) on the left, a word on
        // the right: "a - b", not a list marker or "a -  b" or "- -".
        let between_words = before.is_none_or(|c| !c.is_whitespace() && c != '-')
            && after.is_some_and(|c| !c.is_whitespace() && c != '-');
        out.push_str(&rest[..at]);
        out.push_str(if between_words { dash } else { " - " });
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spaced_hyphen_between_words_becomes_the_dash_of_the_language() {
        assert_eq!(
            dashes("Regionalgruppe - „Noch enger“", "de"),
            "Regionalgruppe – „Noch enger“"
        );
        assert_eq!(dashes("offenen – ja - fast", "de"), "offenen – ja – fast");
        assert_eq!(dashes("open - yes - almost", "en"), "open—yes—almost");
        assert_eq!(dashes("a - b", "fr"), "a - b");
    }

    #[test]
    fn other_hyphens_stay() {
        for text in [
            "IT-Service",
            "Bergisch-Gladbach",
            "a -b",
            "a- b",
            "a  -  b",
            "- Punkt",
            "a - ",
            "x - - y",
        ] {
            assert_eq!(dashes(text, "de"), text, "{text}");
        }
        // After an element (`**fett** - weiter` reaches this as " - weiter").
        assert_eq!(dashes(" - weiter", "de"), " – weiter");
    }
}
