//! `check --external`: asks every external URL whether it is still there.
//!
//! Off by default: it needs the network, takes time, and its answers change without the site
//! changing. When on, each distinct URL is requested once, with a `HEAD` request and, if that
//! fails, a `GET` (many servers refuse `HEAD`). At most [`Options::per_host`] requests go to
//! one host at a time, so a site with hundreds of links to one server does not hammer it (or
//! get throttled by it), while different hosts are asked in parallel.
//!
//! A server that answers "gone" (a 4xx status other than 429) makes an error; timeouts,
//! connection failures, 429 and 5xx make warnings, because they are as likely the network's
//! fault as the link's.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// How to check external links.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Time allowed for one request, including redirects and reading the headers.
    pub timeout: Duration,
    /// Requests to one host at the same time.
    pub per_host: usize,
    /// Requests in flight overall.
    pub workers: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            per_host: 2,
            workers: 8,
        }
    }
}

/// Why a URL does not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The server answered with this status.
    Status(u16),
    /// No answer in time.
    Timeout,
    /// No connection, no such host, a TLS failure, …
    Network(String),
}

impl Failure {
    /// Whether the link is certainly broken (and not just unreachable right now).
    pub(crate) fn is_error(&self) -> bool {
        matches!(self, Failure::Status(s) if (400..500).contains(s) && *s != 429)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Status(s) => write!(f, "the server answers {s}"),
            Failure::Timeout => f.write_str("no answer in time"),
            Failure::Network(why) => write!(f, "cannot connect: {why}"),
        }
    }
}

/// The URLs waiting, per host, and how many requests each host has open.
struct Queue<'a> {
    hosts: BTreeMap<String, (VecDeque<&'a str>, usize)>,
    failures: HashMap<String, Failure>,
}

impl<'a> Queue<'a> {
    /// The next URL whose host has a free slot; `Err(true)` if all remaining URLs wait for a
    /// slot, `Err(false)` if nothing is left.
    fn next(&mut self, per_host: usize) -> Result<(String, &'a str), bool> {
        let mut waiting = false;
        for (host, (urls, open)) in &mut self.hosts {
            if urls.is_empty() {
                continue;
            }
            if *open < per_host {
                *open += 1;
                let url = urls.pop_front().unwrap_or_default();
                return Ok((host.clone(), url));
            }
            waiting = true;
        }
        Err(waiting)
    }
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    host.to_ascii_lowercase()
}

/// Requests every URL; returns the ones that do not work.
pub(crate) fn check_urls(urls: &[&str], opts: &Options) -> HashMap<String, Failure> {
    if urls.is_empty() {
        return HashMap::new();
    }
    let mut hosts: BTreeMap<String, (VecDeque<&str>, usize)> = BTreeMap::new();
    for url in urls {
        hosts.entry(host_of(url)).or_default().0.push_back(url);
    }
    let queue = Mutex::new(Queue {
        hosts,
        failures: HashMap::new(),
    });
    let freed = Condvar::new();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .http_status_as_error(false)
        .user_agent(concat!(
            "presswerk/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let per_host = opts.per_host.max(1);
    let workers = opts.workers.max(1).min(urls.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let (host, url) = {
                        let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                        loop {
                            match q.next(per_host) {
                                Ok(next) => break next,
                                Err(true) => {
                                    q = freed.wait(q).unwrap_or_else(|e| e.into_inner());
                                }
                                Err(false) => return,
                            }
                        }
                    };
                    let result = request(&agent, url);
                    let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                    if let Some((_, open)) = q.hosts.get_mut(&host) {
                        *open -= 1;
                    }
                    if let Err(f) = result {
                        q.failures.insert(url.to_string(), f);
                    }
                    freed.notify_all();
                }
            });
        }
    });
    queue
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .failures
}

/// `HEAD`, then `GET` if `HEAD` did not succeed.
fn request(agent: &ureq::Agent, url: &str) -> Result<(), Failure> {
    match status(agent.head(url).call()) {
        Ok(()) => Ok(()),
        Err(Failure::Timeout) => Err(Failure::Timeout),
        Err(_) => status(agent.get(url).call()),
    }
}

fn status(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<(), Failure> {
    match result {
        Ok(r) if r.status().as_u16() < 400 => Ok(()),
        Ok(r) => Err(Failure::Status(r.status().as_u16())),
        Err(ureq::Error::Timeout(_)) => Err(Failure::Timeout),
        Err(e) => Err(Failure::Network(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_severity() {
        assert_eq!(
            host_of("https://User@Example.org:8080/a?b"),
            "example.org:8080"
        );
        assert!(Failure::Status(404).is_error());
        assert!(!Failure::Status(429).is_error());
        assert!(!Failure::Status(503).is_error());
        assert!(!Failure::Timeout.is_error());
    }

    #[test]
    fn never_more_than_per_host_requests_to_one_host() {
        let urls = ["http://a/1", "http://a/2", "http://a/3", "http://b/1"];
        let mut hosts: BTreeMap<String, (VecDeque<&str>, usize)> = BTreeMap::new();
        for u in urls {
            hosts.entry(host_of(u)).or_default().0.push_back(u);
        }
        let mut q = Queue {
            hosts,
            failures: HashMap::new(),
        };
        assert_eq!(q.next(2).unwrap().1, "http://a/1");
        assert_eq!(q.next(2).unwrap().1, "http://a/2");
        assert_eq!(q.next(2).unwrap().1, "http://b/1");
        assert_eq!(q.next(2), Err(true));
        q.hosts.get_mut("a").unwrap().1 -= 1;
        assert_eq!(q.next(2).unwrap().1, "http://a/3");
        assert_eq!(q.next(2), Err(false));
    }
}
