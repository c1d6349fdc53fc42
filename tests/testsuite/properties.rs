//! Properties of the parsers, over generated input: they never panic, spans stay on char
//! boundaries, and splitting front matter undoes joining it.

use std::path::Path;
use std::sync::Arc;

use presswerk::internals::{Kind, SourceFile, front_matter, markdown, slugify};
use proptest::prelude::*;

proptest! {
    #[test]
    fn split_undoes_join(fm in "([a-z_]{1,8}: [^\n\r-]{0,20}\n){0,5}", body in "[^\r]{0,200}") {
        let joined = format!("---\n{fm}---\n{body}");
        let s = front_matter::split(&joined).expect("closed front matter");
        prop_assert_eq!(&joined[s.yaml], fm.as_str());
        prop_assert_eq!(&joined[s.body], body.as_str());
    }

    #[test]
    fn slugs_are_safe_single_segments(text in "\\PC{0,40}") {
        let slug = slugify(&text);
        prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        let path = format!("{}/index.html", slug);
        prop_assert!(slug.is_empty() || presswerk::internals::check_path(&path).is_ok());
    }

    #[test]
    fn front_matter_parsing_never_panics_and_spans_fall_on_char_boundaries(text in "(---\n)?\\PC{0,200}(\n---\n)?\\PC{0,20}") {
        let source = Arc::new(SourceFile::new(Path::new("/r"), Path::new("/r/content/a.md"), text.clone()));
        if let Ok(s) = front_matter::split(&text) {
            let tz = jiff::tz::TimeZone::UTC;
            let mut diags = Vec::new();
            let settings = front_matter::Settings { tz: &tz, term_keys: &[] };
            let _ = front_matter::parse(&source, &s, Kind::Page, &settings, &mut diags);
            for d in diags {
                if let Some(label) = &d.primary {
                    prop_assert!(text.is_char_boundary(label.span.start) && text.is_char_boundary(label.span.end.min(text.len())));
                }
                let _ = d.render(false);
            }
        }
    }

    #[test]
    fn markdown_rendering_never_panics(text in "\\PC{0,300}", german in any::<bool>()) {
        let r = markdown::render(&text, markdown::Options { german_quotes: german, dashes: german.then_some("de") });
        let mut ids = std::collections::HashSet::new();
        fn walk<'a>(toc: &'a [markdown::TocEntry], ids: &mut std::collections::HashSet<&'a str>) -> bool {
            toc.iter().all(|e| ids.insert(e.id.as_str()) && walk(&e.children, ids))
        }
        prop_assert!(walk(&r.toc, &mut ids), "heading ids are unique");
    }
}
