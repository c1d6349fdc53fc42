//! Text rules that every stage shares and that depend on nothing above them: how a URL path
//! maps to an output file, and percent-decoding. Kept on the ground floor so that config,
//! loading, resolving, rendering, serving and checking all apply the same rule.

pub mod percent;
pub mod url_path;

pub use url_path::UrlPath;
