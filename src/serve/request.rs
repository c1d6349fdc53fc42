//! Reading one request head from a preview client, within limits: a deadline for the whole
//! head (not for each read, so a client that trickles a byte at a time is cut off too), a
//! cap on the request line, on the head and on the number of header fields.
//!
//! The parsing itself is httparse's: small, strict about the grammar, and fuzzed far more
//! than a parser written here for the preview alone would be. This module owns only what
//! httparse leaves to its caller: when to read more, when to give up, and how each limit
//! is answered.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// More header fields than this get a 431. Browsers send about 15.
pub(crate) const MAX_HEADERS: usize = 64;

/// How much a client may send, and how slowly.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The whole head (request line and header fields) must arrive within this.
    pub head_timeout: Duration,
    /// The request line may not be longer (414).
    pub max_line: usize,
    /// The request line and the header fields together may not be longer (431).
    pub max_head: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            head_timeout: Duration::from_secs(10),
            max_line: 8 * 1024,
            max_head: 16 * 1024,
        }
    }
}

/// A request head that parsed.
#[derive(Debug)]
pub(crate) struct Head {
    /// `GET`, `HEAD`, …, as sent.
    pub method: String,
    /// The request target, as sent (origin form: `/artikel/?x`).
    pub target: String,
    headers: Vec<(String, Vec<u8>)>,
}

impl Head {
    /// Every value of the header field `name` (compared without regard to case).
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    /// The value of `name` when it is sent once; `Err` when it is sent more than once.
    pub(crate) fn one<'a>(&'a self, name: &'a str) -> Result<Option<&'a [u8]>, ()> {
        let mut values = self.all(name);
        let first = values.next();
        match values.next() {
            Some(_) => Err(()),
            None => Ok(first),
        }
    }
}

/// How reading a head ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// A complete head.
    Head(Head),
    /// The head breaks a limit or the grammar: answer with this status and text.
    Refused(&'static str, &'static str),
    /// The client sent part of a head and then too little for too long.
    TimedOut,
    /// The client went away, or connected and sent nothing: nobody to answer.
    Gone,
}

/// Reads from `stream` until a head is complete, a limit is broken, or time is up. Bytes
/// after the head (a body, pipelined requests) may have been read and are dropped.
pub(crate) fn read_head(stream: &mut TcpStream, limits: &Limits) -> Outcome {
    let deadline = Instant::now() + limits.head_timeout;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return timed_out(&buf);
        }
        // One byte more than the head may hold tells a full head from an overlong one.
        let room = (limits.max_head + 1)
            .saturating_sub(buf.len())
            .min(chunk.len());
        let n = match stream.read(&mut chunk[..room]) {
            Ok(0) => return Outcome::Gone,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return timed_out(&buf);
            }
            Err(_) => return Outcome::Gone,
        };
        buf.extend_from_slice(&chunk[..n]);
        if let Some(outcome) = parse(&buf, limits) {
            return outcome;
        }
    }
}

fn timed_out(buf: &[u8]) -> Outcome {
    if buf.is_empty() {
        Outcome::Gone
    } else {
        Outcome::TimedOut
    }
}

/// What `buf` holds so far: `None` while a head could still follow.
pub(crate) fn parse(buf: &[u8], limits: &Limits) -> Option<Outcome> {
    let line = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
    if line > limits.max_line {
        return Some(Outcome::Refused(
            "414 URI Too Long",
            "The request line is too long.\n",
        ));
    }
    let too_large = Outcome::Refused(
        "431 Request Header Fields Too Large",
        "The request's header fields are too large or too many.\n",
    );
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut fields);
    match request.parse(buf) {
        Ok(httparse::Status::Complete(len)) if len > limits.max_head => Some(too_large),
        Ok(httparse::Status::Complete(_)) => Some(Outcome::Head(Head {
            method: request.method.unwrap_or_default().to_string(),
            target: request.path.unwrap_or_default().to_string(),
            headers: request
                .headers
                .iter()
                .map(|h| (h.name.to_string(), h.value.to_vec()))
                .collect(),
        })),
        Ok(httparse::Status::Partial) if buf.len() > limits.max_head => Some(too_large),
        Ok(httparse::Status::Partial) => None,
        Err(httparse::Error::TooManyHeaders) => Some(too_large),
        Err(_) => Some(Outcome::Refused(
            "400 Bad Request",
            "This is not an HTTP/1.1 request.\n",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(raw: &str) -> Option<Outcome> {
        parse(raw.as_bytes(), &Limits::default())
    }

    fn status(raw: &str) -> &'static str {
        match parsed(raw) {
            Some(Outcome::Refused(status, _)) => status,
            other => panic!("{raw:?} was not refused: {other:?}"),
        }
    }

    #[test]
    fn a_complete_head_parses_and_a_partial_one_waits() {
        let Some(Outcome::Head(head)) =
            parsed("GET /a/?x HTTP/1.1\r\nHost: localhost:1111\r\nX: 1\r\nx: 2\r\n\r\n")
        else {
            panic!("no head");
        };
        assert_eq!(
            (head.method.as_str(), head.target.as_str()),
            ("GET", "/a/?x")
        );
        assert_eq!(head.one("HOST"), Ok(Some(&b"localhost:1111"[..])));
        assert_eq!(head.one("x"), Err(()), "sent twice");
        assert_eq!(head.one("origin"), Ok(None));
        assert!(parsed("GET / HTTP/1.1\r\nHost: loc").is_none());
        assert!(parsed("").is_none());
    }

    #[test]
    fn each_limit_has_its_status() {
        let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9000));
        assert_eq!(status(&long_line), "414 URI Too Long");
        // Still arriving, and already too long.
        assert_eq!(status(&long_line[..8500]), "414 URI Too Long");
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(17000));
        assert_eq!(status(&big), "431 Request Header Fields Too Large");
        assert_eq!(status(&big[..16500]), "431 Request Header Fields Too Large");
        let many: String = (0..65).map(|i| format!("X-{i}: y\r\n")).collect();
        assert_eq!(
            status(&format!("GET / HTTP/1.1\r\n{many}\r\n")),
            "431 Request Header Fields Too Large"
        );
        assert_eq!(
            status("GET / HTTP/1.1\r\nNo colon\r\n\r\n"),
            "400 Bad Request"
        );
        assert_eq!(status("\x16\x03\x01\x02\x00\x01\x00"), "400 Bad Request");
    }
}
