//! What every fuzz target checks of presswerk's diagnostics: a diagnostic must be
//! printable, and every place it names must be a place in its file.

use presswerk::Diagnostic;

/// Panics unless every span of `d` lies inside its file's text and on char boundaries, its
/// line and column exist, and it renders.
pub fn check_diagnostic(d: &Diagnostic) {
    for label in d.primary.iter().chain(&d.secondary) {
        let text = &label.source.text;
        let span = &label.span;
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "span {span:?} outside a text of {} bytes: {d:?}",
            text.len()
        );
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "span {span:?} not on char boundaries: {d:?}"
        );
    }
    if let Some((_, line, column)) = d.location() {
        assert!(line >= 1 && column >= 1, "{line}:{column}: {d:?}");
        if let Some(label) = &d.primary {
            let lines = label.source.text.split('\n').count();
            assert!(line <= lines, "line {line} of {lines}: {d:?}");
        }
    }
    assert!(!d.render(false).is_empty());
}

/// The first byte of fuzz input as a choice among `n`, and the rest as text.
pub fn choice_and_text(data: &[u8], n: usize) -> (usize, String) {
    match data.split_first() {
        Some((&b, rest)) => (b as usize % n, String::from_utf8_lossy(rest).into_owned()),
        None => (0, String::new()),
    }
}
