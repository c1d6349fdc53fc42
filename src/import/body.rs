//! The body of an imported document, in presswerk's Markdown.
//!
//! Hugo shortcodes (`{{< name >}}`, `{{% name %}}`) and Jekyll's Liquid tags (`{% … %}`,
//! `{{ … }}`) are not presswerk's. Translating them belongs to the Markdown stage's
//! translator; until it is called here, bodies are kept as written and every line with such
//! a call is listed in the report, so an editor can look at each one. presswerk leaves
//! calls it does not know as text, so the site still builds.

/// A call kept as written: (the line within the body, 0-based; what it is).
pub(super) type Kept = (usize, String);

/// The body to write, and the calls it keeps as written.
pub(super) fn convert(body: &str) -> (String, Vec<Kept>) {
    let mut kept = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        // Code blocks show calls; they do not make them.
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            continue;
        }
        if let Some(what) = call_on(line) {
            kept.push((i, what));
        }
    }
    (body.to_string(), kept)
}

/// What kind of foreign call `line` has, if any, with the call's start as written.
fn call_on(line: &str) -> Option<String> {
    let (at, kind) = ["{{<", "{{%", "{%", "{{"]
        .iter()
        .filter_map(|open| line.find(open).map(|i| (i, *open)))
        .min_by_key(|(i, open)| (*i, std::cmp::Reverse(open.len())))?;
    let what = match kind {
        "{{<" | "{{%" => "Hugo shortcode",
        "{%" => "Liquid tag",
        _ => "Liquid output",
    };
    let call: String = line[at..].chars().take(60).collect();
    let end = match call.find('}') {
        Some(i) => i + 1 + usize::from(call[i + 1..].starts_with('}')),
        None => call.len(),
    };
    Some(format!("{what} kept as written: `{}`", &call[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_outside_code_are_listed_with_their_line() {
        let body =
            "Text\n\n{{< youtube abc >}}\n\n```\n{{< figure >}}\n```\n{% highlight ruby %}\n";
        let (text, kept) = convert(body);
        assert_eq!(text, body);
        assert_eq!(
            kept,
            [
                (
                    2,
                    "Hugo shortcode kept as written: `{{< youtube abc >}}`".to_string()
                ),
                (
                    7,
                    "Liquid tag kept as written: `{% highlight ruby %}`".to_string()
                ),
            ]
        );
    }
}
