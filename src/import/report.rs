//! What an import did: counts, every file it skipped and why (file:line), every URL that
//! changed (old → new, and whether the old one redirects), and notes on what was kept as
//! written. The CLI prints it; the same lines are written to `import-report.txt` in DEST, so
//! the list stays with the site after the terminal is gone.

use std::fmt::Write as _;

/// A file that was not converted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Skipped {
    /// The file, relative to SRC.
    pub(crate) file: String,
    /// The 1-based line, 0 when the whole file is meant.
    pub(crate) line: usize,
    /// Why.
    pub(crate) why: String,
}

/// A URL of the old site that is not the new one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Changed {
    /// The old path.
    pub(crate) old: String,
    /// The new path.
    pub(crate) new: String,
    /// Whether the old path gets a redirect page (an alias); if not, why not.
    pub(crate) redirect: Result<(), String>,
}

/// The outcome of an import.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// "Hugo" or "Jekyll".
    pub(crate) tool: &'static str,
    /// Pages written.
    pub(crate) pages: usize,
    /// Section indexes written (the home page's included).
    pub(crate) sections: usize,
    /// Author profiles written.
    pub(crate) authors: usize,
    /// Files copied as they are (static files, files beside pages).
    pub(crate) copied: usize,
    /// Files not converted.
    pub(crate) skipped: Vec<Skipped>,
    /// URLs that changed.
    pub(crate) changed: Vec<Changed>,
    /// Things kept as written that may need a look (shortcodes), with file:line.
    pub(crate) notes: Vec<Skipped>,
}

impl Report {
    pub(super) fn skip(&mut self, file: String, line: usize, why: impl Into<String>) {
        self.skipped.push(Skipped {
            file,
            line,
            why: why.into(),
        });
    }

    pub(super) fn note(&mut self, file: String, line: usize, what: impl Into<String>) {
        self.notes.push(Skipped {
            file,
            line,
            why: what.into(),
        });
    }

    /// Sorts every list, so the report reads the same on every run.
    pub(super) fn finish(&mut self) {
        self.skipped.sort();
        self.skipped.dedup();
        self.changed.sort();
        self.changed.dedup();
        self.notes.sort();
        self.notes.dedup();
    }

    /// The counts in one line.
    pub(crate) fn summary(&self) -> String {
        let redirected = self.changed.iter().filter(|c| c.redirect.is_ok()).count();
        format!(
            "{} pages, {} sections, {} authors, {} files copied; {} skipped; {} URLs changed ({} redirected)",
            self.pages,
            self.sections,
            self.authors,
            self.copied,
            self.skipped.len(),
            self.changed.len(),
            redirected
        )
    }

    /// One line per skipped file, changed URL and note; `src` is put before file names.
    pub(crate) fn lines(&self, src: &str) -> Vec<String> {
        let place = |s: &Skipped| {
            let file = super::walk::join(src, &s.file);
            match s.line {
                0 => file,
                n => format!("{file}:{n}"),
            }
        };
        let mut out = Vec::new();
        for s in &self.skipped {
            out.push(format!("skipped {}: {}", place(s), s.why));
        }
        for c in &self.changed {
            let mut line = format!("moved {} → {}", c.old, c.new);
            if let Err(why) = &c.redirect {
                let _ = write!(line, " (no redirect: {why})");
            }
            out.push(line);
        }
        for n in &self.notes {
            out.push(format!("check {}: {}", place(n), n.why));
        }
        out
    }

    /// The text of `import-report.txt`: the summary, then every line.
    pub(crate) fn text(&self, src: &str) -> String {
        let mut t = format!("Imported from {}: {}\n", self.tool, self.summary());
        for l in self.lines(src) {
            t.push_str(&l);
            t.push('\n');
        }
        t
    }
}
