//! Front matter: finding the fences (`---` YAML, `+++` TOML) and reading the keys.
//!
//! - the split's spans lie in the file, on char boundaries, in order, the body to the end;
//! - every diagnostic of parsing points into the file ([`check_diagnostic`]);
//! - splitting a joined file gives back exactly what was joined:
//!   `split(join(fm, body)) == (fm, body)`, for any `fm` without a fence line of its own.
//!
//! Each front matter format is one line of [`FORMATS`].
#![no_main]

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use presswerk::internals::front_matter::{self, Split};
use presswerk::internals::{Kind, SourceFile};
use presswerk_fuzz::{check_diagnostic, choice_and_text};

/// One way of writing front matter: its fence line and how presswerk finds and reads it.
struct Format {
    fence: &'static str,
    split: fn(&str) -> Result<Split, Range<usize>>,
}

const FORMATS: &[Format] = &[
    Format {
        fence: "---",
        split: front_matter::split,
    },
    Format {
        fence: "+++",
        split: front_matter::split,
    },
];

const KINDS: [Kind; 4] = [Kind::Page, Kind::Section, Kind::Author, Kind::Edition];

fuzz_target!(|data: &[u8]| {
    let (choice, text) = choice_and_text(data, FORMATS.len() * KINDS.len());
    let format = &FORMATS[choice % FORMATS.len()];
    let kind = KINDS[choice / FORMATS.len()];
    parse_checked(format, kind, &text);
    round_trip(format, &text);
});

fn on_boundaries(text: &str, span: &Range<usize>) -> bool {
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
}

fn parse_checked(format: &Format, kind: Kind, text: &str) {
    let split = match (format.split)(text) {
        Ok(s) => s,
        Err(fence) => {
            assert!(on_boundaries(text, &fence), "fence {fence:?}");
            return;
        }
    };
    for span in [&split.fence, &split.yaml, &split.body] {
        assert!(on_boundaries(text, span), "{split:?}");
    }
    assert!(split.fence.end <= split.yaml.start && split.yaml.end <= split.body.start);
    assert_eq!(split.body.end, text.len(), "the body runs to the end");
    let root = Path::new("/site");
    let source = Arc::new(SourceFile::new(
        root,
        &root.join("content/artikel/a.md"),
        text.to_string(),
    ));
    let mut diags = Vec::new();
    let tz = jiff::tz::TimeZone::UTC;
    let settings = front_matter::Settings {
        tz: &tz,
        term_keys: &["themen"],
    };
    let parsed = front_matter::parse(&source, &split, kind, &settings, &mut diags);
    for d in &diags {
        check_diagnostic(d);
    }
    if let Some(front) = parsed {
        assert!(
            on_boundaries(text, &front.span),
            "front matter span {:?}",
            front.span
        );
    }
}

/// Cuts `text` into front matter and body, joins them with the format's fences and splits
/// the result again.
fn round_trip(format: &Format, text: &str) {
    let cut = text.len() / 2;
    let cut = (0..=cut)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let (fm, body) = text.split_at(cut);
    let mut fm = fm.to_string();
    if !fm.is_empty() && !fm.ends_with('\n') {
        fm.push('\n');
    }
    // Front matter with a fence line of its own ends there: not a case of the round trip.
    if fm
        .split_inclusive('\n')
        .any(|l| l.trim_end() == format.fence)
    {
        return;
    }
    let joined = format!("{fence}\n{fm}{fence}\n{body}", fence = format.fence);
    let split = (format.split)(&joined).expect("a closed front matter");
    assert_eq!(&joined[split.yaml.clone()], fm, "{split:?}");
    assert_eq!(&joined[split.body.clone()], body, "{split:?}");
}
