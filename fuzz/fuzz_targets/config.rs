//! `site.toml`: reading and validating the configuration.
//!
//! - every diagnostic points into `site.toml` ([`check_diagnostic`]);
//! - reading is deterministic: the same text twice gives the same verdict and the same
//!   diagnostics;
//! - a configuration that is accepted makes absolute URLs under its `base_url`.
#![no_main]

use std::path::Path;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use presswerk::internals::SourceFile;
use presswerk::{Config, Overrides};
use presswerk_fuzz::check_diagnostic;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let root = Path::new("/site");
    let parse = || {
        let source = SourceFile::new(root, &root.join("site.toml"), text.clone());
        Config::parse(root, Arc::new(source), &Overrides::default())
    };
    let (first, second) = (parse(), parse());
    match (&first, &second) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.base_url, b.base_url);
            let url = a.permalink("/artikel/a/");
            assert!(url.starts_with(&a.base_url), "{url} under {}", a.base_url);
        }
        (Err(a), Err(b)) => {
            let render = |ds: &presswerk::Diagnostics| {
                ds.iter().map(|d| d.render(false)).collect::<Vec<_>>()
            };
            assert_eq!(render(a), render(b), "deterministic diagnostics");
            assert!(a.has_errors(), "a refused configuration says why");
            for d in a.iter() {
                check_diagnostic(d);
            }
        }
        _ => panic!("the same text accepted once and refused once"),
    }
});
