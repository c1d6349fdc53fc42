//! presswerk: a static site generator for newsletters.
//!
//! Data flows one way, each stage a plain type:
//!
//! ```text
//! Config ──load──▶ Loaded ──resolve──▶ Site ──render──▶ Output ──write (atomic) / serve
//! ```
//!
//! Problems in files are [`Diagnostic`]s, collected across the whole site so one run reports
//! all of them; conditions that stop a run (an output folder that cannot be written) are
//! [`Error`]s.

#![warn(missing_docs, unreachable_pub)]

mod build;
pub mod builder;
pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
mod error;
mod fingerprint;
pub mod init;
pub mod markdown;
pub mod new;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
pub mod source;
pub mod text;
mod timing;

pub use build::{Summary, build, build_in_memory};
pub use builder::Built;
pub use config::{Config, Overrides};
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use error::Error;
pub use output::{Entry, Output};
pub use site::Site;
