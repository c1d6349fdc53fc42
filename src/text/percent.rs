//! Percent-decoding of URL paths and fragments (`%C3%A4` → `ä`), in the two strengths its
//! callers need: strict for the preview server, which refuses what it cannot decode, and
//! lenient for the link checker, which reads what editors wrote.

/// Decodes every `%XX` escape into its byte. `None` if an escape is malformed.
pub(crate) fn decode_strict(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(hex_byte(b.get(i + 1..i + 3)?)?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Decodes `%XX` escapes (as UTF-8, lossily); leaves malformed escapes as they are.
pub(crate) fn decode_lossy(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1..i + 3).and_then(hex_byte)) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (other, _) => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    let hex = std::str::from_utf8(pair).ok()?;
    // from_str_radix takes a sign; `%+1` is not an escape.
    if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u8::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_refuses_what_lossy_keeps() {
        assert_eq!(decode_strict("/k%C3%B6ln/").unwrap(), "/köln/".as_bytes());
        assert_eq!(decode_strict("/a%2"), None);
        assert_eq!(decode_strict("/a%zz"), None);
        assert_eq!(decode_strict("/a%+1"), None);
        assert_eq!(decode_lossy("/k%C3%B6ln/"), "/köln/");
        assert_eq!(decode_lossy("/a%2"), "/a%2");
        assert_eq!(decode_lossy("/a%zz%41"), "/a%zzA");
        assert_eq!(decode_lossy("plain"), "plain");
    }
}
