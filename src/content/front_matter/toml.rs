//! TOML front matter between `+++` lines, as Hugo writes it: read with the `toml` crate (the
//! one that reads `site.toml`), its errors placed in the whole file, and its values turned into
//! the YAML values every other step reads, so both formats follow one set of key rules.

use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use super::budget::{MAX_DEPTH, too_deep};
use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, Span, floor_char_boundary};

/// The mapping a TOML block holds, or `None` with the diagnostic pushed.
pub(super) fn mapping(
    source: &Arc<SourceFile>,
    block: &Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Mapping> {
    if let Some(d) = super::yaml::too_long(source, block) {
        diags.push(d);
        return None;
    }
    let text = &source.text[block.clone()];
    if let Some(at) = too_deep(text, true) {
        let at = block.start + at;
        diags.push(
            Diagnostic::error(
                "front-matter-too-large",
                format!("front matter is nested more than {MAX_DEPTH} levels deep"),
            )
            .at(source, at..at + 1, "reading stopped here")
            .help("flatten the arrays and tables; front matter needs only a few levels"),
        );
        return None;
    }
    match text.parse::<toml::Table>() {
        Ok(table) => Some(
            table
                .into_iter()
                .map(|(k, v)| (Value::String(k), yaml(v)))
                .collect(),
        ),
        Err(e) => {
            let at = e.span().map_or(block.start..block.start, |s| {
                let start = floor_char_boundary(&source.text, block.start + s.start);
                let end = floor_char_boundary(&source.text, block.start + s.end.max(s.start));
                start..end.max(start)
            });
            let message = e.message().trim().to_string();
            diags.push(
                Diagnostic::error("toml-syntax", "invalid TOML in front matter")
                    .at(source, at, message)
                    .help(
                        "front matter between `+++` lines is TOML: quote text (title = \"…\") \
                         and write each key once",
                    ),
            );
            None
        }
    }
}

/// A TOML value as the YAML value it would be: dates and times stay as written, so the date
/// rules read them like any other date.
fn yaml(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(n) => Value::Number(n.into()),
        toml::Value::Float(f) => Value::Number(f.into()),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Sequence(items.into_iter().map(yaml).collect()),
        toml::Value::Table(t) => Value::Mapping(
            t.into_iter()
                .map(|(k, v)| (Value::String(k), yaml(v)))
                .collect(),
        ),
    }
}
