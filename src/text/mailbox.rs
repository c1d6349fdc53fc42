//! Mailboxes as `site.toml` writes them (`Name <address>` or a bare address). Config
//! validates `editions.from` with the same rule the e-mail rendering uses to build the
//! `From` header, so it lives below both.

/// A mailbox from `site.toml`: `Name <address>` or a bare `address`.
pub(crate) fn parse_mailbox(text: &str) -> Option<(Option<String>, String)> {
    let text = text.trim();
    let (name, address) = match text.rfind('<') {
        Some(open) => {
            let address = text[open + 1..].strip_suffix('>')?.trim();
            let name = text[..open].trim().trim_matches('"').trim();
            ((!name.is_empty()).then(|| name.to_string()), address)
        }
        None => (None, text),
    };
    let (local, domain) = address.split_once('@')?;
    let plain = |s: &str| {
        !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || "<>@,;\"".contains(c))
    };
    (plain(local) && plain(domain) && domain.contains('.')).then(|| (name, address.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes() {
        assert_eq!(
            parse_mailbox("iTeam Newsletter <newsletter@iteam.example>"),
            Some((
                Some("iTeam Newsletter".into()),
                "newsletter@iteam.example".into()
            ))
        );
        assert_eq!(parse_mailbox("a@b.de"), Some((None, "a@b.de".into())));
        assert_eq!(parse_mailbox("kein Absender"), None);
        assert_eq!(parse_mailbox("Name <a@b>"), None);
    }
}
