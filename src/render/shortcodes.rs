//! Shortcodes render with the theme's `shortcodes/<name>.html` templates: the Markdown stage
//! sees the theme only through the [`Shortcodes`] trait, so it needs nothing of Tera.

use tera::{Context, Value};

use super::Theme;
use crate::markdown::shortcodes::{ArgValue, Shortcodes};

impl Shortcodes for Theme {
    fn fingerprint(&self) -> u64 {
        self.shortcodes_fp
    }

    fn exists(&self, name: &str) -> bool {
        self.tera
            .contains_template(&format!("shortcodes/{name}.html"))
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tera
            .get_template_names()
            .filter_map(|n| {
                n.strip_prefix("shortcodes/")
                    .and_then(|n| n.strip_suffix(".html"))
            })
            .map(str::to_string)
            .collect();
        names.sort();
        names
    }

    fn render(
        &self,
        name: &str,
        args: &[(String, ArgValue)],
        body: Option<&str>,
    ) -> Result<String, String> {
        let mut ctx = Context::new();
        for (key, value) in args {
            let v = match value {
                ArgValue::Text(s) => Value::from(s.as_str()),
                ArgValue::Int(i) => Value::from(*i),
                ArgValue::Float(f) => Value::from(*f),
                ArgValue::Bool(b) => Value::from(*b),
            };
            ctx.insert_value(key.clone(), v);
        }
        if let Some(body) = body {
            ctx.insert_value("body", Value::safe_string(body));
        }
        let template = format!("shortcodes/{name}.html");
        self.tera
            .render(&template, &ctx)
            .map(|html| html.trim().to_string())
            .map_err(|e| match e.kind() {
                tera::ErrorKind::RenderingError(r) => {
                    let file = self
                        .sources
                        .get(r.filename())
                        .map_or(r.filename(), |s| s.name.as_str());
                    format!(
                        "{} ({file}:{}:{})",
                        r.message(),
                        r.span().start_line,
                        r.span().start_col + 1
                    )
                }
                _ => e.to_string(),
            })
    }
}
