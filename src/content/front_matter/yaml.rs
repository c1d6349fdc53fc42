//! Reading the YAML block into a mapping, and serde_yaml's errors as diagnostics at their
//! place in the whole file: the parser only sees the block, so its positions are shifted by the
//! block's offset.

use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, Span, floor_char_boundary};

/// The mapping the block at `yaml` holds (empty for a block of only comments), or `None` with
/// the diagnostic pushed when it is no YAML or no mapping.
pub(super) fn mapping(
    source: &Arc<SourceFile>,
    yaml: &Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Mapping> {
    let block = &source.text[yaml.clone()];
    let value: Value = match serde_yaml::from_str(block) {
        Ok(v) => v,
        Err(e) => {
            diags.push(yaml_error(source, yaml.start, &e));
            return None;
        }
    };
    match value {
        Value::Mapping(m) => Some(m),
        Value::Null => Some(Mapping::new()),
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

/// Turns a serde_yaml error into a diagnostic at its place in the whole file.
fn yaml_error(source: &Arc<SourceFile>, block_start: usize, e: &serde_yaml::Error) -> Diagnostic {
    let text = e.to_string();
    // serde_yaml appends " at line L column C" relative to the block; the span replaces it.
    let message = text.split(" at line ").next().unwrap_or(&text).to_string();
    let at = e
        .location()
        .map(|l| floor_char_boundary(&source.text, block_start + l.index()))
        .unwrap_or(block_start);
    let end = source.text[at..]
        .char_indices()
        .nth(1)
        .map_or(at, |(i, _)| at + i);
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
