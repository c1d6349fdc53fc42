//! German-aware slugs.
//!
//! Umlauts are spelled out the German way (ä → ae, ß → ss) *before* the general
//! transliteration, which would otherwise drop the diaeresis (ä → a) and turn "Bücher"
//! into "bucher" instead of "buecher".

/// Turns a title or file name into a URL slug: German umlauts spelled out, everything else
/// transliterated to ASCII, lowercase, runs of anything but letters and digits as one `-`.
pub fn slugify(text: &str) -> String {
    let mut spelled = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ä' => spelled.push_str("ae"),
            'ö' => spelled.push_str("oe"),
            'ü' => spelled.push_str("ue"),
            'Ä' => spelled.push_str("Ae"),
            'Ö' => spelled.push_str("Oe"),
            'Ü' => spelled.push_str("Ue"),
            'ß' => spelled.push_str("ss"),
            'ẞ' => spelled.push_str("SS"),
            _ => spelled.push(c),
        }
    }
    let ascii = deunicode::deunicode(&spelled);
    let mut slug = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !slug.is_empty() {
            slug.push('-');
            dash = true;
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_umlauts_are_spelled_out() {
        assert_eq!(
            slugify("Größere Bücher für Ärzte"),
            "groessere-buecher-fuer-aerzte"
        );
        assert_eq!(slugify("Straße"), "strasse");
        assert_eq!(
            slugify("„Noch enger zusammenrücken“"),
            "noch-enger-zusammenruecken"
        );
        assert_eq!(slugify("Café Crème"), "cafe-creme");
        assert_eq!(slugify("  --Köln // Bonn--  "), "koeln-bonn");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Zürich 1 ½ Stunden"), "zuerich-1-1-2-stunden");
    }
}
