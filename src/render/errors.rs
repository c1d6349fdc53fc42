//! Template problems as diagnostics: Tera's errors pointed into the template file (and
//! naming the content file being rendered), and the check that every template a page
//! asks for exists.

use std::collections::HashMap;
use std::sync::Arc;

use super::Theme;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::site::Site;
use crate::source::SourceFile;

/// Tera reports unknown filters, functions, includes and blocks as one message of
/// pre-rendered reports (`error: …` / ` --> name:line:col`), naming templates, not files.
/// Each becomes a diagnostic in the template's file; text that does not look like a report
/// is kept whole.
pub(super) fn reference_errors(
    reports: &str,
    sources: &HashMap<String, Arc<SourceFile>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for report in reports.split("\n\n").filter(|r| !r.trim().is_empty()) {
        let message = report
            .lines()
            .next()
            .unwrap_or(report)
            .trim()
            .trim_start_matches("error:")
            .trim();
        let located = report
            .lines()
            .find_map(|l| l.trim().strip_prefix("--> "))
            .and_then(|loc| {
                let mut parts = loc.rsplitn(3, ':');
                let col: usize = parts.next()?.trim().parse().ok()?;
                let line: usize = parts.next()?.trim().parse().ok()?;
                let src = sources.get(parts.next()?)?;
                let width = report
                    .lines()
                    .last()
                    .map_or(1, |l| l.matches('^').count().max(1));
                let start = src.line_offset(line);
                let line_text = &src.text[start..];
                let from = line_text
                    .char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(line_text.len(), |(i, _)| i);
                let to = line_text[from..]
                    .char_indices()
                    .nth(width)
                    .map_or(line_text.len(), |(i, _)| from + i);
                Some((Arc::clone(src), start + from..start + to))
            });
        let d = Diagnostic::error("template-reference", format!("template error: {message}"));
        out.push(match located {
            Some((src, span)) => d
                .at(&src, span, message.to_string())
                .help("check the name: filters, functions and included templates must exist"),
            None => d,
        });
    }
    out
}

/// Every template a page asks for must exist: one error per missing name, at the
/// `template:` key that asked for it, or naming the theme for a default template.
pub(crate) fn check_templates(site: &Site, theme: &Theme, diags: &mut Diagnostics) {
    let mut reported: Vec<String> = Vec::new();
    let names: Vec<&str> = theme.tera.get_template_names().collect();
    let mut check = |name: &str,
                     asked: Option<(&Arc<SourceFile>, &crate::source::Span)>,
                     diags: &mut Diagnostics| {
        if theme.has_template(name) || reported.iter().any(|r| r == name) {
            return;
        }
        let help = missing_help(name, &names);
        let d = Diagnostic::error("template-missing", format!("template `{name}` not found"));
        diags.push(match asked {
            Some((src, span)) => d
                .at(src, span.clone(), "no template of this name")
                .help(help),
            None => d
                .in_file(site.config.theme.as_ref().map_or_else(
                    || "templates/".to_string(),
                    |t| format!("themes/{t}/templates/"),
                ))
                .help(help),
        });
        if asked.is_none() {
            reported.push(name.to_string());
        }
    };
    for s in &site.sections {
        let asked = s
            .front
            .template
            .as_ref()
            .and_then(|t| s.source.as_ref().map(|src| (src, &t.span)));
        check(&s.template, asked, diags);
    }
    for p in &site.pages {
        check(
            &p.template,
            p.front.template.as_ref().map(|t| (&p.source, &t.span)),
            diags,
        );
    }
    if !site.taxonomies.is_empty() {
        check("taxonomy_list.html", None, diags);
        check("taxonomy_term.html", None, diags);
    }
    for a in &site.authors {
        check(
            &a.template,
            a.front.template.as_ref().map(|t| (&a.source, &t.span)),
            diags,
        );
    }
}

/// The hint for a missing template: a template of a similar name, or where to add it.
fn missing_help(name: &str, names: &[&str]) -> String {
    // Compare names without their extension: `.html` would make any two names look alike.
    let stem = |n: &str| n.rsplit_once('.').map_or(n, |(s, _)| s).to_string();
    let stems: Vec<String> = names.iter().map(|n| stem(n)).collect();
    match did_you_mean(&stem(name), stems.iter().map(String::as_str)) {
        Some(n) => format!(
            "did you mean `{}`?",
            names[stems.iter().position(|s| s == n).unwrap_or(0)]
        ),
        None => format!("add templates/{name} to the site or to the theme"),
    }
}

/// A Tera error as a diagnostic in the template file, naming the content file being rendered.
pub(super) fn template_error(
    e: &tera::Error,
    sources: &HashMap<String, Arc<SourceFile>>,
    rendering: Option<&str>,
) -> Diagnostic {
    use std::error::Error as _;
    let while_rendering = rendering.map(|r| format!("while rendering {r}"));
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => Some(("template-syntax", "template syntax error", r)),
        tera::ErrorKind::RenderingError(r) => Some(("template-render", "template error", r)),
        _ => None,
    };
    if let Some((code, title, r)) = report
        && let Some(src) = sources.get(r.filename())
    {
        let mut message = r.message().to_string();
        let mut cause = e.source();
        while let Some(c) = cause {
            message.push_str(": ");
            message.push_str(&c.to_string());
            cause = c.source();
        }
        let d = Diagnostic::error(code, format!("{title} in {}", r.filename())).at(
            src,
            r.span().range.clone(),
            message,
        );
        return match while_rendering {
            Some(w) => d.help(w),
            None => d.help("see the Tera documentation for the template syntax"),
        };
    }
    let mut message = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    let d = Diagnostic::error("template", message);
    match rendering {
        Some(r) => d.in_file(r.to_string()),
        None => d,
    }
}
