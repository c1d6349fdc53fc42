//! One run of the real binary, as the user sees it: the exit code and the whole of stdout and
//! stderr, with the parts that change from run to run replaced by placeholders.
//!
//! Tests assert the complete output, not snippets of it, so a changed word, an extra line or
//! a lost hint all show up as a failing snapshot. What may differ between two runs of the same
//! input is redacted here, in one place:
//!
//! - the site's temporary folder → `[ROOT]`
//! - elapsed times (`in 14 ms`) → `in [ELAPSED]`
//! - presswerk's version → `[VERSION]`
//!
//! Anything else a single test makes volatile (a port, a date) it redacts itself with
//! [`Run::redact`].

use std::path::Path;

use assert_cmd::Command;

/// The outcome of one `presswerk` command.
pub struct Run {
    command: String,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Runs `cmd` to its end; `root` is the site folder whose path is redacted as `[ROOT]`.
    pub fn of(mut cmd: Command, root: &Path) -> Run {
        let command: Vec<String> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let command = command.join(" ");
        let out = cmd.output().expect("presswerk runs");
        // Snapshots ignore a final newline, so it is checked here: every line presswerk
        // writes is a whole line.
        let text = |bytes: Vec<u8>| {
            let text = String::from_utf8(bytes).expect("presswerk writes UTF-8");
            assert!(
                text.is_empty() || text.ends_with('\n'),
                "presswerk {command}: output ends mid-line:\n{text}"
            );
            redact_volatile(&text, root)
        };
        let (stdout, stderr) = (text(out.stdout), text(out.stderr));
        Run {
            command,
            code: out.status.code(),
            stdout,
            stderr,
        }
    }

    /// Expects exit code 0.
    pub fn expect_success(self) -> Run {
        self.expect_code(0)
    }

    /// Expects exit code 1, the code of every input problem.
    pub fn expect_failure(self) -> Run {
        self.expect_code(1)
    }

    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code,
            Some(code),
            "exit code of presswerk {}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.command,
            self.stdout,
            self.stderr
        );
        self
    }

    /// stdout, redacted.
    pub fn stdout(&self) -> &str {
        &self.stdout
    }

    /// stderr, redacted.
    pub fn stderr(&self) -> &str {
        &self.stderr
    }

    /// Replaces `value` with `placeholder` in both outputs, for what one test makes volatile.
    pub fn redact(mut self, value: &str, placeholder: &str) -> Run {
        self.stdout = self.stdout.replace(value, placeholder);
        self.stderr = self.stderr.replace(value, placeholder);
        self
    }
}

/// The output with the site folder, elapsed times and the version replaced.
pub fn redact_volatile(text: &str, root: &Path) -> String {
    let mut text = text.to_string();
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for path in [canonical.as_path(), root] {
        text = text.replace(&*path.to_string_lossy(), "[ROOT]");
    }
    let version = env!("CARGO_PKG_VERSION");
    for (with, placeholder) in [
        (format!("presswerk {version}"), "presswerk [VERSION]"),
        (format!("presswerk/{version}"), "presswerk/[VERSION]"),
    ] {
        text = text.replace(&with, placeholder);
    }
    redact_elapsed(&text)
}

/// `in 14 ms` and `in 0.8 ms` → `in [ELAPSED]`.
fn redact_elapsed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("in ") {
        let (head, tail) = rest.split_at(at + "in ".len());
        out.push_str(head);
        let number = tail
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(tail.len());
        let unit = tail[number..]
            .strip_prefix(" ms")
            .filter(|after| !after.starts_with(|c: char| c.is_alphanumeric()));
        match unit {
            Some(after) if number > 0 => {
                out.push_str("[ELAPSED]");
                rest = after;
            }
            _ => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn elapsed_times_are_redacted_and_other_numbers_kept() {
    assert_eq!(
        redact_elapsed("19 files in 52 ms → ./public; in 0.8 ms; in 3 pages; in 5 msgs"),
        "19 files in [ELAPSED] → ./public; in [ELAPSED]; in 3 pages; in 5 msgs"
    );
}
