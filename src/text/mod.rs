//! Text rules that every stage shares and that depend on nothing above them: how a URL path
//! maps to an output file, percent-decoding, slugs, dates, mailboxes and UTF-8 decoding. Kept
//! on the ground floor so that config, loading, resolving, rendering, serving and checking all
//! apply the same rule, and so that none of them has to import another stage to get it.

pub mod dates;
pub mod mailbox;
pub mod percent;
pub mod slug;
pub mod url_path;
pub mod utf8;

pub use url_path::UrlPath;
