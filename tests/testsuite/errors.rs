//! Bad input: every class of error gives exit code 1, names file:line:column, shows the line
//! with a caret and a hint, and leaves the previous `public/` exactly as it was.
//!
//! Each case is a folder under `tests/fixtures/errors/`: the broken input, the command, and the
//! exact output it must give (see `harness/case.rs`). Adding a case is adding a folder.

use crate::harness::case::{Expect, run_all};

/// `tests/fixtures/errors/*`: exit 1, the whole expected message, the site folder untouched.
#[test]
fn every_bad_input_fails_with_its_exact_message_and_leaves_the_site_untouched() {
    run_all("errors", Expect::Failure);
}

/// `tests/fixtures/warnings/*`: the build succeeds and says what looks wrong, and where.
#[test]
fn doubtful_input_builds_with_its_exact_warning() {
    run_all("warnings", Expect::Success);
}
