//! presswerk's integration tests: one binary, a module per feature.

mod harness;

mod browser;
mod build;
mod errors;
mod init;
mod properties;
mod publish;
