//! A site in a temporary folder, built by the real `presswerk` binary.
//!
//! `Site::fixture("basic")` copies `tests/fixtures/basic/` and the repo's default theme into
//! a fresh folder; tests then change files and run commands against it, the way a user would.
//! `site.run(&["check"])` gives the whole output of a command ([`Run`]), ready to be compared
//! with a snapshot; [`case`] runs the bad-input fixtures, one folder per case.

pub mod case;
mod run;

pub use run::Run;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

pub struct Site {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

/// The `presswerk` binary with a clean environment: no colors, no inherited settings.
pub fn presswerk() -> Command {
    let mut cmd = Command::cargo_bin("presswerk").expect("binary built by cargo");
    cmd.env_clear().env("NO_COLOR", "1");
    cmd
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let rel = entry.path().strip_prefix(from).expect("below fixture");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("create dir");
        } else {
            fs::copy(entry.path(), &dest).expect("copy file");
        }
    }
}

impl Site {
    /// A copy of `tests/fixtures/<name>/` with `themes/kontor/` from the repo.
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        copy_dir(&Path::new(REPO).join("tests/fixtures").join(name), &root);
        copy_dir(
            &Path::new(REPO).join("themes/kontor"),
            &root.join("themes/kontor"),
        );
        Site { _dir: dir, root }
    }

    /// A copy of the repo's own newsletter site.
    pub fn repo() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        for part in ["content", "themes", "static"] {
            copy_dir(&Path::new(REPO).join(part), &root.join(part));
        }
        fs::copy(Path::new(REPO).join("site.toml"), root.join("site.toml"))
            .expect("copy site.toml");
        Site { _dir: dir, root }
    }

    /// A fresh copy of this site, `public/` included.
    pub fn copy(&self) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        copy_dir(&self.root, &root);
        Site { _dir: dir, root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("has parent")).expect("create dir");
        fs::write(path, text).expect("write file");
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.path(rel)).expect("remove file");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// `presswerk <args> --root <site>` run in the site folder.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = presswerk();
        cmd.current_dir(&self.root).args(args);
        cmd
    }

    /// Runs `presswerk <args>` in the site folder and keeps its whole output.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.cmd(args), &self.root)
    }

    /// Runs `presswerk <args>` in `dir`, redacting this site's folder in the output.
    pub fn run_in(&self, dir: &Path, args: &[&str]) -> Run {
        let mut cmd = presswerk();
        cmd.current_dir(dir).args(args);
        Run::of(cmd, &self.root)
    }

    /// Builds into `public/` and expects success.
    pub fn build(&self) -> &Self {
        self.cmd(&["build"]).assert().success();
        self
    }
}

/// Every file below `dir`: relative path → bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("below dir")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect()
}
