//! How a broken link is explained: one diagnostic for one link at one place, saying what is
//! wrong, on which other pages the same link shows up and how it got there (the page's own
//! text, text shown on a list page, a template), and what to do about it. Kept apart from the
//! link pass in `check`, which only finds the problems.

use super::{Occurrence, Origin, Place, Problem, Scans, content, links};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// The diagnostic for one broken link at one place, found on the pages of `occurrences`.
pub(super) fn describe(
    place: &Place,
    raw: &str,
    occurrences: &[Occurrence],
    scans: &Scans<'_>,
    all_paths: &[String],
) -> Diagnostic {
    // The page the text belongs to explains the problem best; else the first page.
    let Some(main) = occurrences
        .iter()
        .find(|o| o.origin == Origin::OwnText)
        .or(occurrences.first())
    else {
        return Diagnostic::error("broken-link", format!("broken link to `{raw}`"));
    };
    let count = if occurrences.len() > 1 && main.origin != Origin::OwnText {
        format!(" (on {} pages)", occurrences.len())
    } else {
        String::new()
    };
    let what = problem_text(&main.problem, raw, &count, scans, all_paths);
    let help = help_lines(place, main, occurrences, what.hint);
    let d = match &main.problem {
        Problem::External { error: false, .. } => Diagnostic::warning(what.code, what.message),
        _ => Diagnostic::error(what.code, what.message),
    };
    d.at(&place.source, place.span.clone(), what.label)
        .help(help.join("; "))
}

/// What a broken link's diagnostic says, before it says where else the link is.
struct ProblemText {
    code: &'static str,
    message: String,
    label: String,
    hint: String,
}

/// The code, message, label and hint for one kind of problem.
fn problem_text(
    problem: &Problem,
    raw: &str,
    count: &str,
    scans: &Scans<'_>,
    all_paths: &[String],
) -> ProblemText {
    let (code, message, label, hint) = match problem {
        Problem::Missing(path) => (
            "broken-link",
            format!("broken link to `{raw}`{count}"),
            if path == raw {
                "nothing in the site at this path".to_string()
            } else {
                format!("nothing in the site at {path}")
            },
            did_you_mean(
                path,
                all_paths
                    .iter()
                    .map(String::as_str)
                    .filter(|p| p.ends_with('/') == path.ends_with('/')),
            )
            .map(|p| format!("did you mean `{p}`?")),
        ),
        Problem::Anchor { path, fragment } => (
            "broken-anchor",
            format!("broken link to `{raw}`{count}"),
            format!("{path} has no element with id `{fragment}`"),
            links::candidates(path)
                .into_iter()
                .flatten()
                .find_map(|f| scans.get(f.as_str()))
                .and_then(|s| did_you_mean(fragment, s.ids.iter().map(String::as_str)))
                .map(|id| format!("did you mean `#{id}`?")),
        ),
        Problem::Outside => (
            "broken-link",
            format!("broken link to `{raw}`{count}"),
            "this path climbs above the site's top folder".to_string(),
            None,
        ),
        Problem::External { why, .. } => (
            "external-link",
            format!("external link `{raw}` does not work{count}"),
            why.clone(),
            Some("update or remove the link".to_string()),
        ),
    };
    let hint = hint.unwrap_or_else(|| match problem {
        Problem::Anchor { .. } => "link to a heading's id: `## Köln` gets id=\"koeln\"".into(),
        _ => "fix the path, or add the page or file it points to".into(),
    });
    ProblemText {
        code,
        message,
        label,
        hint,
    }
}

/// The help lines: on which other pages the link shows up and how it got there, then the
/// hint when the link is fixed where it is written.
fn help_lines(
    place: &Place,
    main: &Occurrence,
    occurrences: &[Occurrence],
    hint: String,
) -> Vec<String> {
    let mut help = Vec::new();
    let shown = pages_of(occurrences, Origin::OtherText);
    if !shown.is_empty() {
        let in_front_matter = place.span.end <= content::body_span(&place.source).start;
        help.push(if matches!(main.problem, Problem::External { .. }) {
            format!("the link is also on {}", list_pages(&shown))
        } else if in_front_matter {
            format!(
                "a template makes a link of this value on {}, where it breaks: a relative path \
                 resolves against the page that shows it, so start it with / (from the site's top)",
                list_pages(&shown)
            )
        } else {
            format!(
                "this text is also shown on {}, where the link breaks: a relative link resolves \
                 against the page that shows it, so start it with / (from the site's top)",
                list_pages(&shown)
            )
        });
    }
    let made = pages_of(occurrences, Origin::Template);
    if !made.is_empty() {
        help.push(format!(
            "the template makes this link on {}",
            list_pages(&made)
        ));
    }
    let unknown = pages_of(occurrences, Origin::Unknown);
    if !unknown.is_empty() {
        help.push(format!(
            "template {} makes this link on {}, from a value in no content or template file",
            main.template,
            list_pages(&unknown)
        ));
    }
    if main.origin == Origin::OwnText || shown.is_empty() {
        help.push(hint);
    }
    help
}

/// The pages, sorted, where the link got on by `origin`.
fn pages_of(occurrences: &[Occurrence], origin: Origin) -> Vec<&str> {
    let mut pages: Vec<&str> = occurrences
        .iter()
        .filter(|o| o.origin == origin)
        .map(|o| o.page.as_str())
        .collect();
    pages.sort_unstable();
    pages
}

/// "a", "a and b", "a, b and c", "a and 3 more pages".
fn list_pages(pages: &[&str]) -> String {
    match pages {
        [one] => one.to_string(),
        [a, b] => format!("{a} and {b}"),
        [a, b, c] => format!("{a}, {b} and {c}"),
        [first, rest @ ..] => format!("{first} and {} more pages", rest.len()),
        [] => String::new(),
    }
}
