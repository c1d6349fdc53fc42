//! presswerk's integration tests: one binary, a module per feature.

mod harness;

mod browser;
mod build;
mod check;
mod editions;
mod errors;
mod features;
mod incremental;
mod init;
mod linkcheck;
mod properties;
mod publish;
pub(crate) mod serve;
