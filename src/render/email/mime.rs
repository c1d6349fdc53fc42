//! `edition.eml`: the edition as one MIME message, `multipart/alternative` with the plain
//! text first and the HTML second (clients show the last part they can display), ready to
//! open in a mail client or to hand to a mailing tool.
//!
//! mail-builder writes the headers (RFC 2047 for the German subject and sender name) and
//! picks the transfer encodings. The parts that mail-builder would make up from the clock
//! and the host name, the `Date`, the `Message-ID` and the boundary, are given here from the
//! edition itself: the same edition builds to the same bytes.

use mail_builder::MessageBuilder;
use mail_builder::headers::content_type::ContentType;
use mail_builder::mime::MimePart;

/// What the message says and who sends it.
pub(crate) struct Message<'a> {
    /// `From`.
    pub from: (Option<String>, String),
    /// `Reply-To`, if any.
    pub reply_to: Option<(Option<String>, String)>,
    /// `Subject`.
    pub subject: &'a str,
    /// `Date`, seconds since 1970.
    pub date: i64,
    /// `Message-ID` without the angle brackets.
    pub message_id: &'a str,
    /// The editions archive, for the `List-Archive` header.
    pub archive_url: &'a str,
    /// The URLs of the `List-Unsubscribe` header (https first, then mailto), none to leave
    /// it out.
    pub unsubscribe: Vec<String>,
    /// Whether the https URL unsubscribes with one POST (RFC 8058): `List-Unsubscribe-Post`.
    pub one_click: bool,
    /// The plain text part.
    pub text: &'a str,
    /// The HTML part.
    pub html: &'a str,
}

fn address(
    (name, address): &(Option<String>, String),
) -> mail_builder::headers::address::Address<'_> {
    match name {
        Some(n) => (n.as_str(), address.as_str()).into(),
        None => address.as_str().into(),
    }
}

/// The message as bytes (CRLF line ends).
pub(crate) fn build(m: &Message<'_>) -> Vec<u8> {
    // A boundary from the content: stable across builds, and (with the `=_` that
    // quoted-printable and base64 never produce) unable to occur in either part.
    let boundary = format!("=_presswerk_{:016x}", fnv1a(&[m.text, m.html]));
    let body = MimePart::new(
        ContentType::new("multipart/alternative").attribute("boundary", boundary),
        vec![
            MimePart::new("text/plain", m.text),
            MimePart::new("text/html", m.html),
        ],
    );
    let mut builder = MessageBuilder::new()
        .from(address(&m.from))
        .to(address(&m.from))
        .subject(m.subject)
        .date(m.date)
        .message_id(m.message_id)
        .header(
            "List-Archive",
            mail_builder::headers::url::URL::new(m.archive_url),
        )
        .body(body);
    if let Some(r) = &m.reply_to {
        builder = builder.reply_to(address(r));
    }
    // Gmail and Yahoo want both from bulk senders: the header names where to unsubscribe,
    // the second says a POST there does it without a page to confirm on (RFC 8058).
    if !m.unsubscribe.is_empty() {
        let urls: Vec<&str> = m.unsubscribe.iter().map(String::as_str).collect();
        builder = builder.header(
            "List-Unsubscribe",
            mail_builder::headers::url::URL::from(urls.as_slice()),
        );
        if m.one_click {
            builder = builder.header(
                "List-Unsubscribe-Post",
                mail_builder::headers::raw::Raw::new("List-Unsubscribe=One-Click"),
            );
        }
    }
    builder.write_to_vec().unwrap_or_default()
}

/// FNV-1a, 64 bits: a hash whose value is fixed by its definition, so the boundary is the
/// same with every build of presswerk.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_input_same_bytes_and_both_parts() {
        let m = Message {
            from: (
                Some("iTeam Newsletter".into()),
                "newsletter@iteam.example".into(),
            ),
            reply_to: None,
            subject: "iTeam Newsletter: Ausgabe 1 – „Noch enger zusammenrücken“",
            date: 1_196_377_200,
            message_id: "ausgabe-1@newsletter.iteam.example",
            archive_url: "https://newsletter.iteam.example/ausgaben/",
            unsubscribe: vec![
                "https://newsletter.iteam.example/abmelden/?id=1".into(),
                "mailto:abmelden@iteam.example".into(),
            ],
            one_click: true,
            text: "Grüße aus dem Rheinland\n",
            html: "<p>Grüße aus dem Rheinland</p>",
        };
        let a = build(&m);
        assert_eq!(a, build(&m));
        let parsed = mail_parser::MessageParser::default().parse(&a).unwrap();
        assert_eq!(parsed.subject(), Some(m.subject));
        let urls = parsed.list_unsubscribe().as_address().unwrap();
        let urls: Vec<&str> = urls.iter().filter_map(|a| a.address()).collect();
        assert_eq!(urls, m.unsubscribe);
        assert_eq!(
            parsed.header_raw("List-Unsubscribe-Post").map(str::trim),
            Some("List-Unsubscribe=One-Click")
        );
        // Text travels with CRLF line ends, as MIME wants.
        assert_eq!(
            parsed.body_text(0).as_deref(),
            Some("Grüße aus dem Rheinland\r\n")
        );
        assert_eq!(
            parsed.body_html(0).as_deref(),
            Some("<p>Grüße aus dem Rheinland</p>")
        );
    }
}
