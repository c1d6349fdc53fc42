//! The body of an imported document, in presswerk's Markdown: Hugo shortcodes
//! (`{{< figure >}}`, `{{% note %}}`) and Jekyll's Liquid (`{% highlight %}`, `{{ site.url }}`)
//! are rewritten once, by the Markdown stage's translator, so the new files are presswerk's
//! own. What it cannot translate it removes; each of those is kept for the report, with its
//! line, so an editor can look at every one.

/// A call that was not translated: (the line within the body, 0-based; what happened).
pub(super) type Kept = (usize, String);

/// The body to write, and the calls that were not translated.
pub(super) fn convert(body: &str) -> (String, Vec<Kept>) {
    let t = crate::markdown::hugo::translate(body);
    let mut kept = Vec::with_capacity(t.warnings.len());
    // The warnings come sorted by position: count lines in one pass, not once per warning.
    let (mut line, mut at) = (0, 0);
    for w in &t.warnings {
        let start = crate::source::floor_char_boundary(body, w.span.start.max(at));
        line += body[at..start].matches('\n').count();
        at = start;
        let what = if w.help.is_empty() {
            w.message.clone()
        } else {
            format!("{} ({})", w.message, w.help)
        };
        kept.push((line, what));
    }
    (t.text, kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_calls_are_translated_and_unknown_ones_reported_at_their_line() {
        let body = "Text\n\n{{< figure src=\"a.jpg\" alt=\"Fest\" >}}\n\n{{< unbekannt x >}}\n\n```\n{{< figure >}}\n```\n";
        let (text, kept) = convert(body);
        assert!(!text.contains("{{< figure src"), "{text}");
        assert!(text.contains("a.jpg"), "{text}");
        assert!(!text.contains("unbekannt"), "{text}");
        // Code blocks show calls; they are kept as written.
        assert!(text.contains("```\n{{< figure >}}\n```"), "{text}");
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0].0, 4);
        assert!(kept[0].1.contains("unbekannt"), "{kept:?}");
    }
}
