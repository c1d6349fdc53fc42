//! Reading the YAML block into a mapping, and serde_yaml's errors as diagnostics at their
//! place in the whole file: the parser only sees the block, so its positions are shifted by the
//! block's offset.

use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use super::budget::{Budget, Limit, MAX_DEPTH, MAX_TEXT, MAX_VALUES, too_deep};
use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, Span, floor_char_boundary};

/// At most this many bytes of front matter (YAML or TOML) per file.
pub(crate) const MAX_BYTES: usize = 256 << 10;

/// A mapping as read, with the top-level keys that were written twice (the later one kept).
pub(super) type Read = (Mapping, Vec<String>);

/// The mapping the block at `yaml` holds (empty for a block of only comments), or `None` with
/// the diagnostic pushed when it is no YAML or no mapping.
pub(super) fn mapping(
    source: &Arc<SourceFile>,
    yaml: &Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Read> {
    let block = &source.text[yaml.clone()];
    if let Some(d) = too_long(source, yaml) {
        diags.push(d);
        return None;
    }
    if let Some(at) = too_deep(block, false) {
        let at = yaml.start + at;
        diags.push(
            Diagnostic::error(
                "front-matter-too-large",
                format!("front matter is nested more than {MAX_DEPTH} levels deep"),
            )
            .at(source, at..at + 1, "reading stopped here")
            .help("flatten the lists and mappings; front matter needs only a few levels"),
        );
        return None;
    }
    let budget = Budget::default();
    let value: Value = match budget.read(block) {
        Ok(v) => v,
        Err(e) => {
            diags.push(match budget.exceeded().or_else(|| own_limit(&e)) {
                Some(limit) => over_budget(source, yaml.start, &e, limit),
                None => yaml_error(source, yaml.start, &e),
            });
            return None;
        }
    };
    let duplicates = budget.take_duplicates();
    match value {
        Value::Mapping(m) => Some((m, duplicates)),
        Value::Null => Some((Mapping::new(), duplicates)),
        other => {
            diags.push(
                Diagnostic::error(
                    "front-matter-not-mapping",
                    "front matter must be a list of `key: value` lines",
                )
                .at(
                    source,
                    yaml.start..yaml.start + block.find('\n').unwrap_or(block.len()),
                    format!("found {}", describe(&other)),
                )
                .help("write e.g. `title: Mein Artikel` on its own line"),
            );
            None
        }
    }
}

/// A front matter block over [`MAX_BYTES`]: refused before any parser reads it, at the line
/// where the cap is passed.
pub(super) fn too_long(source: &Arc<SourceFile>, block: &Span) -> Option<Diagnostic> {
    if block.len() <= MAX_BYTES {
        return None;
    }
    let at = floor_char_boundary(&source.text, block.start + MAX_BYTES);
    let end = source.text[at..]
        .chars()
        .next()
        .map_or(at, |c| at + c.len_utf8());
    Some(
        Diagnostic::error(
            "front-matter-too-large",
            format!(
                "front matter is {} KiB long, more than the {} KiB presswerk reads",
                block.len() >> 10,
                MAX_BYTES >> 10
            ),
        )
        .at(source, at..end, "the limit is passed here")
        .help("move long data into the page body or a file beside the page"),
    )
}

/// The error for a block that went past a bound of [`Budget`], at the value where it did.
fn over_budget(
    source: &Arc<SourceFile>,
    block_start: usize,
    e: &serde_yaml::Error,
    limit: Limit,
) -> Diagnostic {
    let (message, help) = match limit {
        Limit::Depth => (
            format!("front matter is nested more than {MAX_DEPTH} levels deep"),
            "flatten the lists and mappings; front matter needs only a few levels".to_string(),
        ),
        Limit::Values | Limit::Text => (
            format!(
                "front matter holds more than {MAX_VALUES} values or {} MiB of text once \
                 its aliases are expanded",
                MAX_TEXT >> 20
            ),
            "each `*alias` repeats the whole value anchored with `&`; write the values out, \
             or use fewer aliases"
                .to_string(),
        ),
    };
    let (at, label) = match e.location() {
        Some(_) => (
            place(source, block_start, e),
            "reading stopped at this value",
        ),
        // serde_yaml's own alias bound carries no position: point at the first alias.
        None => match first_alias(&source.text[block_start..]) {
            Some(alias) => (
                block_start + alias.start..block_start + alias.end,
                "the aliases start here",
            ),
            None => (block_start..block_start, "in this front matter"),
        },
    };
    Diagnostic::error("front-matter-too-large", message)
        .at(source, at, label)
        .help(help)
}

/// The span of the first `*alias` in `text`: a `*` after a space, `[`, `,` or `{`, followed
/// by a letter or digit.
fn first_alias(text: &str) -> Option<Span> {
    let bytes = text.as_bytes();
    let start = (1..bytes.len()).find(|&i| {
        bytes[i] == b'*'
            && matches!(bytes[i - 1], b' ' | b'[' | b',' | b'{')
            && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
    })?;
    let len = bytes[start + 1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    Some(start..start + 1 + len)
}

/// serde_yaml's own bounds, for input that reaches them before the budget does: it stops
/// after a hundred alias jumps per event of the block, and at 128 levels.
fn own_limit(e: &serde_yaml::Error) -> Option<Limit> {
    let text = e.to_string();
    if text.starts_with("repetition limit exceeded") {
        Some(Limit::Values)
    } else if text.starts_with("recursion limit exceeded") {
        Some(Limit::Depth)
    } else {
        None
    }
}

/// Where serde_yaml's error `e` lies in the whole file: its position shifted by the block's
/// offset, one character wide.
fn place(source: &Arc<SourceFile>, block_start: usize, e: &serde_yaml::Error) -> Span {
    let at = e
        .location()
        .map(|l| floor_char_boundary(&source.text, block_start + l.index()))
        .unwrap_or(block_start);
    let end = source.text[at..]
        .char_indices()
        .nth(1)
        .map_or(at, |(i, _)| at + i);
    at..end
}

/// Turns a serde_yaml error into a diagnostic at its place in the whole file.
fn yaml_error(source: &Arc<SourceFile>, block_start: usize, e: &serde_yaml::Error) -> Diagnostic {
    let text = e.to_string();
    // serde_yaml appends " at line L column C" relative to the block; the span replaces it.
    let message = text.split(" at line ").next().unwrap_or(&text).to_string();
    let Span { start: at, end } = place(source, block_start, e);
    let help = if message.contains("mapping values are not allowed") {
        "quote values that contain `: `, e.g. title: \"Regionalgruppe: Rheinland\""
    } else if message.contains("duplicate") {
        "each key may appear once; remove one of them"
    } else if message.contains("did not find expected")
        || message.contains("could not find expected")
    {
        "check quotes and brackets: every `\"`, `[` and `{` needs its closing partner"
    } else {
        "front matter is YAML between two `---` lines; check indentation and quoting"
    };
    Diagnostic::error("yaml-syntax", "invalid YAML in front matter")
        .at(source, at..end, message)
        .help(help)
}

/// How a diagnostic names the kind of a YAML value.
pub(super) fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}
