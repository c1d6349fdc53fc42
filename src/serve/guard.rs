//! Whom the preview answers: the `Host` a request names, the `Origin` of a page that opens
//! the reload stream, the methods it accepts and the bodies it refuses.
//!
//! Previews hold drafts and embargoed pages, and any web page the editor has open can make
//! the browser send requests to the preview: by re-pointing its own name at 127.0.0.1 (DNS
//! rebinding: the browser then treats the preview as that page's own site) or by opening an
//! event stream from its own origin. Both carry a name that is not the preview's, so they
//! are refused here. A request without `Host` comes from no browser and is answered.

use std::net::IpAddr;

use super::request::Head;

/// The names and the port the preview answers to.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    /// `localhost` and the names given with `--allow-host`, in lower case.
    names: Vec<String>,
    /// The address bound; an unspecified one (0.0.0.0, ::) serves every address.
    bind: IpAddr,
    /// The port served, which a same-origin `Origin` names.
    port: u16,
}

impl Guard {
    /// The guard for a server bound to `bind:port` that also answers to `names`.
    pub(crate) fn new(bind: IpAddr, port: u16, names: &[String]) -> Guard {
        let mut all = vec!["localhost".to_string()];
        all.extend(names.iter().map(|n| n.to_ascii_lowercase()));
        Guard {
            names: all,
            bind,
            port,
        }
    }

    /// Whether a request may be answered at all: `Err` holds the status and text to refuse
    /// it with. Only GET and HEAD, a `Host` of the preview's, and no body.
    pub(crate) fn admit(&self, head: &Head) -> Result<(), (&'static str, &'static str)> {
        if head.method != "GET" && head.method != "HEAD" {
            return Err((
                "405 Method Not Allowed",
                "The preview answers GET and HEAD only.\n",
            ));
        }
        let host = head.one("host").map_err(|()| BAD_HOST)?;
        if host.is_some_and(|h| !self.host_allowed(h)) {
            return Err((
                "421 Misdirected Request",
                "The preview answers only to 127.0.0.1, localhost, [::1], the address it is bound to and names given with --allow-host.\n",
            ));
        }
        if head.all("transfer-encoding").next().is_some() {
            return Err(BODY_REFUSED_FRAMING);
        }
        for length in head.all("content-length") {
            match std::str::from_utf8(length)
                .ok()
                .map(|l| l.trim().parse::<u64>())
            {
                Some(Ok(0)) => {}
                Some(Ok(_)) => return Err(("413 Content Too Large", BODY_REFUSED)),
                _ => return Err(BODY_REFUSED_FRAMING),
            }
        }
        Ok(())
    }

    /// Whether a `Host` value names the preview: `localhost` or an allowed name, or an IP
    /// address that is loopback or the one bound (any address when bound to all of them,
    /// since an address cannot be re-pointed the way a name can). Any port.
    pub(crate) fn host_allowed(&self, host: &[u8]) -> bool {
        std::str::from_utf8(host)
            .ok()
            .and_then(|h| authority(h.trim()))
            .is_some_and(|(name, _)| self.name_allowed(&name))
    }

    /// Whether the `Origin` of a request is the preview itself: `http://`, a host the
    /// preview answers to and the port it serves. `null` and every other origin are not.
    pub(crate) fn origin_allowed(&self, origin: &[u8]) -> bool {
        let Some(rest) = std::str::from_utf8(origin)
            .ok()
            .and_then(|o| o.trim().strip_prefix("http://"))
        else {
            return false;
        };
        authority(rest)
            .is_some_and(|(name, port)| self.name_allowed(&name) && port.unwrap_or(80) == self.port)
    }

    fn name_allowed(&self, name: &str) -> bool {
        if self.names.iter().any(|n| n == name) {
            return true;
        }
        name.parse::<IpAddr>()
            .map(|ip| ip.to_canonical())
            .is_ok_and(|ip| {
                ip.is_loopback()
                    || ip == self.bind.to_canonical()
                    || self.bind.to_canonical().is_unspecified()
            })
    }
}

const BAD_HOST: (&str, &str) = (
    "400 Bad Request",
    "A request names one Host, with an optional port.\n",
);
const BODY_REFUSED: &str = "The preview takes no request bodies.\n";
const BODY_REFUSED_FRAMING: (&str, &str) = ("400 Bad Request", BODY_REFUSED);

/// Splits `host[:port]` or `[v6]:port` into the host in lower case (without brackets) and
/// the port. `None` for anything else: an empty host, a path, a port that is not a number.
fn authority(s: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        v6.parse::<std::net::Ipv6Addr>().ok()?;
        (v6, after)
    } else {
        match s.rsplit_once(':') {
            Some((host, _)) => (host, s.get(host.len()..).unwrap_or_default()),
            None => (s, ""),
        }
    };
    let port = match port {
        "" => None,
        p => Some(p.strip_prefix(':')?.parse::<u16>().ok()?),
    };
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == ':';
    if host.is_empty() || !host.chars().all(plain) || (host.contains(':') && !s.starts_with('[')) {
        return None;
    }
    Some((host.to_ascii_lowercase(), port))
}

/// Checks a name for `--allow-host`: a host name or IP address, without a port.
pub(crate) fn host_name(s: &str) -> Result<String, String> {
    let bracketed = s.starts_with('[');
    match authority(s) {
        Some((name, None)) if !bracketed || s.ends_with(']') => Ok(name),
        Some((_, Some(_))) => Err("give the name without a port".to_string()),
        _ => Err("not a host name (letters, digits, '-' and '.')".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(bind: &str) -> Guard {
        Guard::new(
            bind.parse().expect("an address"),
            1111,
            &["Vorschau.Example".to_string()],
        )
    }

    #[test]
    fn hosts_of_the_preview_are_allowed_and_others_not() {
        let g = guard("127.0.0.1");
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "[::1]:1111",
            "127.0.0.2",
            "[::ffff:127.0.0.1]:1111",
            "vorschau.example:1111",
        ] {
            assert!(g.host_allowed(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "localhost.evil.example",
            "192.168.1.5:1111",
            "",
            "localhost:x",
            "localhost:1111/",
            "::1",
            "[::1",
            "local host",
            "\u{fc}ber",
        ] {
            assert!(!g.host_allowed(bad.as_bytes()), "{bad}");
        }
        assert!(guard("192.168.1.5").host_allowed(b"192.168.1.5:1111"));
        assert!(guard("0.0.0.0").host_allowed(b"10.0.0.7:1111"));
        assert!(!guard("0.0.0.0").host_allowed(b"evil.example"));
    }

    #[test]
    fn only_the_preview_s_own_origin_may_open_the_stream() {
        let g = guard("127.0.0.1");
        for ok in [
            "http://127.0.0.1:1111",
            "http://localhost:1111",
            "http://[::1]:1111",
        ] {
            assert!(g.origin_allowed(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "http://evil.example",
            "http://evil.example:1111",
            "http://127.0.0.1:2222",
            "http://127.0.0.1",
            "https://127.0.0.1:1111",
            "null",
            "http://127.0.0.1:1111/x",
        ] {
            assert!(!g.origin_allowed(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn allowed_names_are_names_without_a_port() {
        assert_eq!(host_name("Mac.local"), Ok("mac.local".to_string()));
        assert_eq!(host_name("[::1]"), Ok("::1".to_string()));
        assert!(host_name("mac.local:1111").is_err());
        assert!(host_name("").is_err());
        assert!(host_name("a/b").is_err());
        assert!(host_name("::1").is_err());
    }
}
