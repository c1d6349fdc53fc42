//! Problems found in the site, with their place in a file.
//!
//! A [`Diagnostic`] is one problem in one file; loading and rendering record them and go on, so
//! a build reports every problem of the site at once (the way rustc does), and the exit code is
//! set at the end. Fatal conditions that stop a run before any file is looked at (an output
//! folder that cannot be written, say) are [`crate::Error`]s instead.
//!
//! A diagnostic renders in three [`Format`]s: rustc-style for people, JSON lines for scripts,
//! and GitHub Actions workflow commands, which turn into annotations on the changed lines of a
//! pull request. The JSON field names are part of presswerk's interface (the README lists
//! them): add fields, never rename or drop one.

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

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Format {
    /// rustc-style: message, `--> file:line:col`, the line with a caret, help.
    #[default]
    Human,
    /// One JSON object per line (see [`Diagnostic::to_json`]).
    Json,
    /// GitHub Actions workflow commands (see [`Diagnostic::to_github`]).
    Github,
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

    /// 1-based `(line, column)` where the primary span ends (equal to the start for an empty
    /// span).
    fn end(&self) -> Option<(usize, usize)> {
        self.primary.as_ref().map(|label| {
            let span = clamp(&label.source, &label.span);
            label.source.line_col(span.end)
        })
    }

    /// The diagnostic as one line of JSON, fields in this order:
    ///
    /// `severity` (`"error"` or `"warning"`), `code`, `message`, `file` (relative to the site
    /// root, or `null`), `line`, `column` (1-based, in characters; `null` without a file),
    /// `end_line`, `end_column` (where the marked text ends), `label` (what is wrong at that
    /// place), `hint` (what to do), and `related` (other places involved, each with `file`,
    /// `line`, `column` and `label`). Absent values are `null`, never left out.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Related<'a> {
            file: &'a str,
            line: usize,
            column: usize,
            label: &'a str,
        }
        #[derive(serde::Serialize)]
        struct Json<'a> {
            severity: String,
            code: &'a str,
            message: &'a str,
            file: Option<&'a str>,
            line: Option<usize>,
            column: Option<usize>,
            end_line: Option<usize>,
            end_column: Option<usize>,
            label: Option<&'a str>,
            hint: Option<&'a str>,
            related: Vec<Related<'a>>,
        }
        let location = self.location();
        let end = self.end().or(location.map(|(_, l, c)| (l, c)));
        let json = Json {
            severity: self.severity.to_string(),
            code: self.code,
            message: &self.message,
            file: location.map(|(f, _, _)| f),
            line: location.map(|(_, l, _)| l),
            column: location.map(|(_, _, c)| c),
            end_line: end.map(|(l, _)| l),
            end_column: end.map(|(_, c)| c),
            label: self
                .primary
                .as_ref()
                .map(|l| l.text.as_str())
                .filter(|t| !t.is_empty()),
            hint: self.help.as_deref(),
            related: self
                .secondary
                .iter()
                .map(|l| {
                    let (line, column) = l.source.line_col(l.span.start);
                    Related {
                        file: &l.source.name,
                        line,
                        column,
                        label: &l.text,
                    }
                })
                .collect(),
        };
        // Plain strings, numbers and options: serializing cannot fail.
        serde_json::to_string(&json).unwrap_or_default()
    }

    /// The diagnostic as a GitHub Actions workflow command, e.g.
    /// `::error file=content/a.md,line=2,col=12,title=yaml-syntax::invalid YAML…`, which the
    /// runner shows as an annotation at that line. `prefix` is put before the file name: the
    /// site folder relative to the repository checkout (empty when the site is at its top),
    /// because GitHub resolves annotation paths from the repository root.
    ///
    /// The message is the diagnostic's message, then its label after `: `, then `help: …` on a
    /// second line. Escaping follows the runner's rules: `%`, CR and LF in the message;
    /// additionally `:` and `,` in property values.
    pub fn to_github(&self, prefix: &str) -> String {
        let mut props: Vec<String> = Vec::new();
        if let Some((file, line, col)) = self.location() {
            let file = join_prefix(prefix, file);
            props.push(format!("file={}", escape_property(&file)));
            if self.primary.is_some() {
                props.push(format!("line={line}"));
                props.push(format!("col={col}"));
            }
        }
        props.push(format!("title={}", escape_property(self.code)));
        let mut message = self.message.clone();
        if let Some(label) = self.primary.as_ref().filter(|l| !l.text.is_empty()) {
            message.push_str(": ");
            message.push_str(&label.text);
        }
        if let Some(help) = &self.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        format!(
            "::{} {}::{}",
            self.severity,
            props.join(","),
            escape_data(&message)
        )
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

/// `prefix/file`, with `/` separators; just `file` for an empty or `.` prefix.
fn join_prefix(prefix: &str, file: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    let prefix = prefix.strip_prefix("./").unwrap_or(prefix);
    if prefix.is_empty() || prefix == "." {
        file.to_string()
    } else {
        format!("{prefix}/{file}")
    }
}

/// Escapes a workflow command's message: `%`, CR and LF.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value: as the message, plus `:` and `,`, which
/// would end the value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
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

    /// Turns every warning of kind `code` into an error (`check` is stricter than `build`).
    pub fn promote(&mut self, code: &str) {
        for d in &mut self.items {
            if d.code == code {
                d.severity = Severity::Error;
            }
        }
    }

    /// Turns every warning into an error (`--deny-warnings`).
    pub fn deny_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
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
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
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
pub(crate) fn did_you_mean<'a>(
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

    fn yaml_diagnostic() -> Diagnostic {
        let src = Arc::new(SourceFile::new(
            Path::new("/r"),
            Path::new("/r/content/a.md"),
            "---\ntitle: Rust: the good parts\n---\n".into(),
        ));
        Diagnostic::error("yaml-syntax", "invalid YAML in front matter")
            .at(&src, 15..16, "mapping values are not allowed")
            .help("quote values that contain `: `, e.g. title: \"A, B: 100%\"")
    }

    #[test]
    fn json_has_stable_fields_in_order() {
        assert_eq!(
            yaml_diagnostic().to_json(),
            r#"{"severity":"error","code":"yaml-syntax","message":"invalid YAML in front matter","file":"content/a.md","line":2,"column":12,"end_line":2,"end_column":13,"label":"mapping values are not allowed","hint":"quote values that contain `: `, e.g. title: \"A, B: 100%\"","related":[]}"#
        );
        let bare = Diagnostic::warning("x", "no place").to_json();
        assert_eq!(
            bare,
            r#"{"severity":"warning","code":"x","message":"no place","file":null,"line":null,"column":null,"end_line":null,"end_column":null,"label":null,"hint":null,"related":[]}"#
        );
    }

    #[test]
    fn github_workflow_command_is_escaped() {
        assert_eq!(
            yaml_diagnostic().to_github(""),
            "::error file=content/a.md,line=2,col=12,title=yaml-syntax::invalid YAML in front \
             matter: mapping values are not allowed%0Ahelp: quote values that contain `: `, e.g. \
             title: \"A, B: 100%25\""
        );
        let d = Diagnostic::warning("w", "50% done\r\nnext")
            .in_file("a,b:c.md")
            .help("x");
        assert_eq!(
            d.to_github("./site/"),
            "::warning file=site/a%2Cb%3Ac.md,title=w::50%25 done%0D%0Anext%0Ahelp: x"
        );
    }

    #[test]
    fn promote_and_deny_warnings() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::warning("front-matter-typo", "t"));
        ds.push(Diagnostic::warning("other", "o"));
        ds.promote("front-matter-typo");
        assert_eq!((ds.error_count(), ds.warning_count()), (1, 1));
        ds.deny_warnings();
        assert_eq!(ds.error_count(), 2);
    }
}
