//! Bad-input cases as folders: a new case is one new folder, no code.
//!
//! ```text
//! tests/fixtures/errors/<case>/
//!     case.toml    the command: args = ["build"], and optionally base = "editions"
//!                  (default "basic"), remove = ["site.toml"] (files of the base to delete)
//!                  and whole_file = true (the message names a file but no line, because the
//!                  problem is the file's name or its absence)
//!     site/        the input: files laid over a copy of tests/fixtures/<base>/
//!     stderr.snap  the exact expected stderr (an insta snapshot)
//!     stdout.snap  the exact expected stdout, if there is any
//! ```
//!
//! To write or update the snapshots after a deliberate change of a message, run the tests with
//! `INSTA_UPDATE=always` (or use `cargo insta review`), then read the diff.
//!
//! The folder name is the specification ("unknown-author-suggests-the-near-miss"). Every case
//! under `errors/` is held to the promise for bad input: exit code 1, a message that names
//! the file (`--> file:line:column`), and a site folder exactly as it was, including the
//! `public/` of the good build made before the input was broken. Cases under `warnings/`
//! exit 0 and name the file too.

use std::collections::BTreeMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{REPO, Site, copy_dir, tree};

/// `case.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    args: Vec<String>,
    #[serde(default = "basic")]
    base: String,
    #[serde(default)]
    remove: Vec<String>,
    /// The problem is a file as a whole (its name, its absence), so the message names the
    /// file without a line.
    #[serde(default)]
    whole_file: bool,
}

fn basic() -> String {
    "basic".into()
}

/// What every case in a folder of cases must show besides its snapshots.
#[derive(Clone, Copy, PartialEq)]
pub enum Expect {
    /// Exit 1, the site folder untouched.
    Failure,
    /// Exit 0.
    Success,
}

/// Runs every case below `tests/fixtures/<folder>/` and panics at the end, naming each case
/// that failed, so one run shows all of them.
pub fn run_all(folder: &str, expect: Expect) {
    let dir = Path::new(REPO).join("tests/fixtures").join(folder);
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    let mut built = BTreeMap::new();
    let failed: Vec<String> = cases
        .iter()
        .filter(|case| {
            catch_unwind(AssertUnwindSafe(|| run_case(case, expect, &mut built))).is_err()
        })
        .map(|case| name(case))
        .collect();
    assert!(failed.is_empty(), "failed cases in {folder}/: {failed:?}");
}

fn name(case: &Path) -> String {
    case.file_name()
        .expect("a case folder")
        .to_string_lossy()
        .into_owned()
}

/// `built` keeps one built copy of each base fixture, so each case costs one run.
fn run_case(case: &Path, expect: Expect, built: &mut BTreeMap<String, Site>) {
    let spec = fs::read_to_string(case.join("case.toml"))
        .unwrap_or_else(|e| panic!("{}: case.toml: {e}", name(case)));
    let spec: Spec = toml::from_str(&spec).unwrap_or_else(|e| panic!("{}: {e}", name(case)));
    let base = built.entry(spec.base.clone()).or_insert_with(|| {
        let site = Site::fixture(&spec.base);
        site.build();
        site
    });
    let site = base.copy();
    let input = case.join("site");
    if input.exists() {
        copy_dir(&input, &site.root);
    }
    for rel in &spec.remove {
        site.remove(rel);
    }
    let before = (tree(&site.root), entries(&site.root));
    let args: Vec<&str> = spec.args.iter().map(String::as_str).collect();
    let run = site.run(&args);
    let run = match expect {
        Expect::Failure => run.expect_failure(),
        Expect::Success => run.expect_success(),
    };
    if expect == Expect::Failure {
        assert!(
            tree(&site.root) == before.0 && entries(&site.root) == before.1,
            "{}: the failed run changed the site folder",
            name(case)
        );
    }
    assert!(
        names_a_place(run.stderr(), spec.whole_file),
        "{}: no `--> file:line:column`{} in\n{}",
        name(case),
        if spec.whole_file {
            " or `--> file`"
        } else {
            ""
        },
        run.stderr()
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(case);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(case.join("case.toml"));
    settings.bind(|| {
        insta::assert_snapshot!("stderr", run.stderr());
        if !run.stdout().is_empty() || case.join("stdout.snap").exists() {
            insta::assert_snapshot!("stdout", run.stdout());
        }
    });
}

/// Whether some `-->` line gives a place: `file:line:column`, or with `whole_file` at least
/// the file.
fn names_a_place(stderr: &str, whole_file: bool) -> bool {
    let number =
        |n: Option<&str>| n.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .any(|place| {
            let mut parts = place.rsplitn(3, ':');
            let (column, line, file) = (parts.next(), parts.next(), parts.next());
            let numbered = number(column) && number(line) && file.is_some_and(|f| !f.is_empty());
            numbered || (whole_file && !place.is_empty())
        })
}

/// The names directly in `dir`, so that a leftover empty folder shows too.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("readable site folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
