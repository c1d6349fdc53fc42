//! Text rules that every stage shares and that depend on nothing above them: how a URL path
//! maps to an output file, percent-decoding, slugs, dates, mailboxes and UTF-8 decoding. Kept
//! on the ground floor so that config, loading, resolving, rendering, serving and checking all
//! apply the same rule, and so that none of them has to import another stage to get it.

pub(crate) mod dates;
pub(crate) mod mailbox;
pub(crate) mod percent;
pub(crate) mod scheme;
pub(crate) mod slug;
pub(crate) mod typography;
pub(crate) mod url_path;
pub(crate) mod utf8;

pub(crate) use url_path::UrlPath;
