//! Problems found in the site, with their place in a file.
//!
//! A [`Diagnostic`] is one problem in one file; loading and rendering record them and go on, so
//! a build reports every problem of the site at once (the way rustc does), and the exit code is
//! set at the end. Fatal conditions that stop a run before any file is looked at (an output
//! folder that cannot be written, say) are [`crate::Error`]s instead.

use std::fmt;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::source::{SourceFile, Span};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Reported; the build goes on.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A labelled span in a source file.
#[derive(Debug, Clone)]
pub struct Label {
    /// The file the span points into.
    pub source: Arc<SourceFile>,
    /// Byte range in the whole file.
    pub span: Span,
    /// What is wrong there (shown beside the caret).
    pub text: String,
}

/// One problem, located in a file where possible.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable, machine-readable name of the kind of problem, e.g. `yaml-syntax`.
    pub code: &'static str,
    /// One-line description.
    pub message: String,
    /// The file, when there is no span to show (e.g. a file that could not be read).
    pub file: Option<String>,
    /// Where the problem is.
    pub primary: Option<Label>,
    /// Other places involved (the first of two files writing the same output, say).
    pub secondary: Vec<Label>,
    /// One line the user can act on.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error of kind `code`.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A new warning of kind `code`.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: None,
            primary: None,
            secondary: Vec::new(),
            help: None,
        }
    }

    /// Points the diagnostic at `span` of `source`.
    pub fn at(mut self, source: &Arc<SourceFile>, span: Span, label: impl Into<String>) -> Self {
        self.file = Some(source.name.clone());
        self.primary = Some(Label {
            source: Arc::clone(source),
            span,
            text: label.into(),
        });
        self
    }

    /// Names the file when there is no text to point into.
    pub fn in_file(mut self, name: impl Into<String>) -> Self {
        self.file = Some(name.into());
        self
    }

    /// Adds a secondary place.
    pub fn also(mut self, source: &Arc<SourceFile>, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push(Label {
            source: Arc::clone(source),
            span,
            text: label.into(),
        });
        self
    }

    /// Adds the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `(file, line, column)`, 1-based, of the primary place.
    pub fn location(&self) -> Option<(&str, usize, usize)> {
        match (&self.primary, &self.file) {
            (Some(label), _) => {
                let (line, col) = label.source.line_col(label.span.start);
                Some((&label.source.name, line, col))
            }
            (None, Some(file)) => Some((file, 1, 1)),
            (None, None) => None,
        }
    }

    /// Renders the diagnostic rustc-style: message, `--> file:line:col`, the source line with
    /// a caret and label, secondary places, and the help line.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        match (&self.primary, &self.file) {
            (Some(label), _) => {
                let mut snippet = Snippet::source(label.source.text.as_str())
                    .path(label.source.name.as_str())
                    .annotation(
                        AnnotationKind::Primary
                            .span(clamp(&label.source, &label.span))
                            .label(label.text.as_str()),
                    );
                for other in &self.secondary {
                    if Arc::ptr_eq(&other.source, &label.source) {
                        snippet = snippet.annotation(
                            AnnotationKind::Context
                                .span(clamp(&other.source, &other.span))
                                .label(other.text.as_str()),
                        );
                    }
                }
                group = group.element(snippet);
                for other in &self.secondary {
                    if !Arc::ptr_eq(&other.source, &label.source) {
                        group = group.element(
                            Snippet::source(other.source.text.as_str())
                                .path(other.source.name.as_str())
                                .annotation(
                                    AnnotationKind::Context
                                        .span(clamp(&other.source, &other.span))
                                        .label(other.text.as_str()),
                                ),
                        );
                    }
                }
            }
            (None, Some(file)) => group = group.element(Origin::path(file.as_str())),
            (None, None) => {}
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }
}

/// Keeps a span inside its text and on char boundaries: the renderer must never be handed a
/// span that an external parser computed past the end.
fn clamp(source: &SourceFile, span: &Span) -> Span {
    let text = &source.text;
    let start = crate::source::floor_char_boundary(text, span.start);
    let end = crate::source::floor_char_boundary(text, span.end.max(start));
    start..end
}

/// All diagnostics of one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No diagnostics yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Records many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// Whether any error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// The diagnostics in a stable order (file, line, column, message), so that two runs over
    /// the same site print the same report although loading ran in parallel.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location()
                    .map(|(f, l, c)| (f.to_string(), l, c))
                    .unwrap_or_default()
            };
            key(a)
                .cmp(&key(b))
                .then_with(|| a.severity.cmp(&b.severity))
                .then_with(|| a.message.cmp(&b.message))
        });
        self.items
    }

    /// Iterates in recording order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Levenshtein distance, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a likely typo: at most a
/// third of the word's length away (and at least one edit allowed).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["title", "authors", "tags", "date"];
        assert_eq!(did_you_mean("tittle", keys), Some("title"));
        assert_eq!(did_you_mean("autors", keys), Some("authors"));
        assert_eq!(did_you_mean("colour", keys), None);
    }

    #[test]
    fn renders_path_line_column_caret_and_help() {
        let src = Arc::new(SourceFile::new(
            Path::new("/r"),
            Path::new("/r/content/a.md"),
            "---\ntitle: Rust: the good parts\n---\n".into(),
        ));
        let d = Diagnostic::error("yaml-syntax", "invalid YAML in front matter")
            .at(
                &src,
                15..16,
                "mapping values are not allowed in this context",
            )
            .help("quote values that contain `: `");
        assert_eq!(d.location(), Some(("content/a.md", 2, 12)));
        let out = d.render(false);
        assert!(out.contains("error: invalid YAML in front matter"), "{out}");
        assert!(out.contains("--> content/a.md:2:12"), "{out}");
        assert!(out.contains("2 | title: Rust: the good parts"), "{out}");
        assert!(out.contains("^ mapping values"), "{out}");
        assert!(out.contains("help: quote values"), "{out}");
    }
}
