//! presswerk's integration tests: one binary, a module per feature.
//!
//! Commands are asserted by their whole output (`Site::run`, with the volatile parts redacted),
//! and bad input is data: one folder per case under `tests/fixtures/errors/`, run by
//! `harness::case`.

mod harness;

mod axe;
mod browser;
mod build;
mod build_cache;
mod check;
mod editions;
mod errors;
mod features;
mod foreign;
mod front_matter;
mod import;
pub(crate) mod incremental;
mod init;
mod linkcheck;
mod pictures;
mod properties;
mod publish;
mod publishing;
mod search;
pub(crate) mod serve;
mod serve_broken;
