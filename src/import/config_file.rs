//! Reading the old site's configuration and data files (TOML, YAML, JSON) into one YAML
//! mapping; a syntax error is a diagnostic at its line and column, so the user can fix the
//! file the old tool reads too.

use std::path::Path;
use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use super::walk::{self, read_text};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::source::SourceFile;

/// Parses one configuration file; a syntax error is a diagnostic at its line and column.
pub(super) fn parse_config(path: &Path) -> Result<Mapping, Error> {
    let text = read_text(path).map_err(|e| match e {
        walk::Unreadable::Io(io) => Error::read(path, io),
        other => Error::read(path, std::io::Error::other(other.to_string())),
    })?;
    let toml = path.extension().is_some_and(|e| e == "toml");
    let parsed: Result<Value, (String, usize)> = if toml {
        text.parse::<toml::Table>()
            .map(|t| super::values::toml_to_yaml(toml::Value::Table(t)))
            .map_err(|e| (e.message().to_string(), e.span().map_or(0, |s| s.start)))
    } else {
        serde_yaml::from_str::<Value>(&text).map_err(|e| {
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            (msg, e.location().map_or(0, |l| l.index()))
        })
    };
    match parsed {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(_) => Err(config_error(
            path,
            text,
            0,
            "the configuration is not a table of settings",
        )),
        Err((msg, at)) => Err(config_error(path, text, at, &msg)),
    }
}

fn config_error(path: &Path, text: String, at: usize, msg: &str) -> Error {
    let at = crate::source::floor_char_boundary(&text, at);
    let source = Arc::new(SourceFile::new(Path::new(""), path, text));
    let mut d = Diagnostics::new();
    d.push(
        Diagnostic::error("import-config", "cannot read the old site's configuration")
            .at(&source, at..at, msg.trim().to_string())
            .help("fix the file (the old tool cannot read it either), then import again"),
    );
    Error::Site(d)
}

/// `de` for German sites, else `en` (the languages presswerk's theme speaks).
pub(super) fn language(code: &str) -> String {
    if code.to_lowercase().starts_with("de") {
        "de"
    } else {
        "en"
    }
    .to_string()
}
