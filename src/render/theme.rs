//! The template environment a site renders with: the theme's templates overridden file by
//! file by the site's own, presswerk's built-in feed templates, the labels of the site's
//! language and the static files. Loading reads files; it is a step of its own, run before
//! rendering, so that rendering itself reads nothing.
//!
//! Loading also analyses the templates once: a fingerprint per template (with everything
//! it extends or includes) and which templates reach the site functions, so the render
//! plan can tell which outputs a change touches.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tera::{Tera, Value};

use super::errors::{reference_errors, template_error};
use super::functions::{Lookup, register};
use super::values;
use crate::config::Config;
use crate::content::walk_files;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::Fingerprint;
use crate::source::{SourceFile, display_path};

/// Templates presswerk brings itself; a theme or site template of the same name wins.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("atom.xml", include_str!("builtin/atom.xml")),
    ("rss.xml", include_str!("builtin/rss.xml")),
];

/// The templates, labels and static files a site renders with.
pub struct Theme {
    pub(super) tera: Tera,
    /// Template name → its file, for diagnostics.
    pub(super) sources: HashMap<String, Arc<SourceFile>>,
    /// Static files, theme first, the site's own overriding by name.
    pub(super) statics: BTreeMap<String, PathBuf>,
    /// Shared with the template functions.
    pub(super) lookup: Arc<RwLock<Arc<Lookup>>>,
    /// Per template: a fingerprint of its text and of every template it extends or
    /// includes, so an output is rendered again exactly when one of its templates changed.
    pub(super) template_fps: HashMap<String, u64>,
    /// Templates that (themselves or through what they extend or include) call the site
    /// functions: their outputs may show any page, so any change renders them again.
    pub(super) site_wide: HashSet<String>,
    /// Fingerprint of the shortcode templates.
    pub(super) shortcodes_fp: u64,
    /// Whether any template calls `get_page` or `get_section`.
    pub(super) wants_pages: bool,
    /// Whether any template passes an `@/` path to `get_url`.
    pub(super) wants_links: bool,
    /// Whether any template calls `resize_image` or `image_meta`: its outputs are rendered
    /// every build, since a reused output would not ask for its variants (which the build
    /// then would not make) and its fingerprint does not cover the picture files.
    pub(super) asks_pictures: bool,
    /// The labels (`t`), for outputs made without a template (an edition's plain text).
    pub(super) labels: Value,
}

impl Theme {
    /// Whether a template of that name exists.
    pub fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    pub(super) fn set_lookup(&self, lookup: Lookup) {
        // A poisoned lock only means a template function panicked earlier; the data in it
        // is replaced whole, so it is safe to go on.
        let mut guard = self.lookup.write().unwrap_or_else(|e| e.into_inner());
        *guard = Arc::new(lookup);
    }

    /// Makes `@/` paths resolvable by `get_url` (shortcodes render before the site is done).
    pub fn set_links(&self, links: HashMap<String, String>) {
        self.set_lookup(Lookup {
            links,
            ..Lookup::default()
        });
    }
}

fn theme_dir(config: &Config) -> Option<PathBuf> {
    config
        .theme
        .as_ref()
        .map(|t| config.root.join("themes").join(t))
}

/// Loads templates (`themes/<theme>/templates/`, overridden file by file by `templates/`),
/// the labels of the site's language and the static files. Problems go to `diags`.
pub fn load_theme(config: &Config, diags: &mut Diagnostics) -> Option<Theme> {
    let theme = theme_dir(config);
    if let (Some(dir), Some(name)) = (&theme, &config.theme)
        && !dir.is_dir()
    {
        diags.push(
            Diagnostic::error("theme-missing", format!("theme `{name}` not found"))
                .at(
                    &config.source,
                    theme_key_span(config),
                    format!("no folder themes/{name}/"),
                )
                .help("put the theme in themes/<name>/, or remove `theme` to use only templates/"),
        );
        return None;
    }
    let templates = read_templates(config, theme.as_deref(), diags);
    let lookup: Arc<RwLock<Arc<Lookup>>> = Arc::default();
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    register(&mut tera, config, &lookup);
    tera.global_context()
        .insert_value("site", values::bare_site_value(config));
    tera.global_context().insert("lang", &config.language);
    let labels = labels(config, theme.as_deref(), diags);
    tera.global_context().insert_value("t", labels.clone());
    add_templates(&mut tera, &templates, config, &lookup, diags)?;
    let statics = read_statics(config, theme.as_deref(), diags);
    let (template_fps, site_wide) = analyse_templates(&templates);
    Some(Theme {
        tera,
        sources: templates_by_name(&templates),
        statics,
        lookup,
        shortcodes_fp: shortcodes_fingerprint(&template_fps),
        template_fps,
        site_wide,
        wants_pages: templates
            .values()
            .any(|t| t.text.contains("get_page(") || t.text.contains("get_section(")),
        wants_links: templates.values().any(|t| t.text.contains("@/")),
        asks_pictures: templates
            .values()
            .any(|t| t.text.contains("resize_image(") || t.text.contains("image_meta(")),
        labels,
    })
}

/// Where site.toml names the theme: the `theme` key (the whole line when it is quoted).
fn theme_key_span(config: &Config) -> crate::source::Span {
    let text = &config.source.text;
    match crate::config::key_span(text, "theme") {
        Some(span) if text[span.start..].starts_with("theme") => span.start..span.start + 5,
        Some(span) => span,
        None => 0..0,
    }
}

/// Template name → file: the site's own templates replace the theme's of the same name,
/// and both replace presswerk's built-in ones.
fn read_templates(
    config: &Config,
    theme: Option<&Path>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Arc<SourceFile>> {
    let root = &config.root;
    let mut templates: BTreeMap<String, Arc<SourceFile>> = BTreeMap::new();
    for (name, text) in BUILTIN_TEMPLATES {
        let path = Path::new("(presswerk)").join(name);
        templates.insert(
            name.to_string(),
            Arc::new(SourceFile::new(Path::new(""), &path, text.to_string())),
        );
    }
    for dir in theme
        .iter()
        .map(|t| t.join("templates"))
        .chain([root.join("templates")])
    {
        for path in walk_files(root, &dir, diags) {
            let name = display_path(&dir, &path);
            match read_text(root, &path) {
                Ok(src) => {
                    templates.insert(name, src);
                }
                Err(d) => diags.push(*d),
            }
        }
    }
    templates
}

/// Parses every template into `tera`. `None` when one does not parse or names something
/// that does not exist; every such problem is in `diags`.
fn add_templates(
    tera: &mut Tera,
    templates: &BTreeMap<String, Arc<SourceFile>>,
    config: &Config,
    lookup: &Arc<RwLock<Arc<Lookup>>>,
    diags: &mut Diagnostics,
) -> Option<()> {
    let batch: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, s)| (n.as_str(), s.text.as_str()))
        .collect();
    let Err(e) = tera.add_raw_templates(batch) else {
        return Some(());
    };
    let sources = templates_by_name(templates);
    // Tera stops at the first template that does not parse: parse each alone to report
    // every syntax error. Only then does it check references (filters, includes,
    // blocks), all of them at once.
    let mut found = false;
    for (name, src) in templates {
        let mut single = Tera::new();
        register(&mut single, config, lookup);
        if let Err(e) = single.add_raw_template(name, &src.text)
            && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
        {
            diags.push(template_error(&e, &sources, None));
            found = true;
        }
    }
    if !found {
        match e.kind() {
            tera::ErrorKind::Msg(reports) => diags.extend(reference_errors(reports, &sources)),
            _ => diags.push(template_error(&e, &sources, None)),
        }
    }
    None
}

/// Static files by output name, theme first, the site's own overriding by name.
fn read_statics(
    config: &Config,
    theme: Option<&Path>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, PathBuf> {
    let root = &config.root;
    let mut statics = BTreeMap::new();
    for dir in theme
        .iter()
        .map(|t| t.join("static"))
        .chain([root.join("static")])
    {
        for path in walk_files(root, &dir, diags) {
            statics.insert(display_path(&dir, &path), path);
        }
    }
    statics
}

/// One fingerprint of the shortcode templates.
fn shortcodes_fingerprint(template_fps: &HashMap<String, u64>) -> u64 {
    let mut sorted: Vec<(&String, &u64)> = template_fps
        .iter()
        .filter(|(n, _)| n.starts_with("shortcodes/"))
        .collect();
    sorted.sort();
    Fingerprint::new("shortcodes").add(&sorted).finish()
}

/// The templates a template names in `{% extends "…" %}` and `{% include "…" %}`.
fn references(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("{%") {
        let rest = text[i + 2..].trim_start_matches(['-', ' ', '\t', '\n']);
        let rest = match rest
            .strip_prefix("extends")
            .or_else(|| rest.strip_prefix("include"))
        {
            Some(r) => r.trim_start(),
            None => continue,
        };
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            out.push(&rest[1..1 + end]);
        }
    }
    out
}

/// Fingerprints every template together with what it extends and includes, and finds the
/// templates that reach the site functions.
fn analyse_templates(
    templates: &BTreeMap<String, Arc<SourceFile>>,
) -> (HashMap<String, u64>, HashSet<String>) {
    fn visit(
        name: &str,
        templates: &BTreeMap<String, Arc<SourceFile>>,
        fps: &mut HashMap<String, (u64, bool)>,
        stack: &mut Vec<String>,
    ) -> (u64, bool) {
        if let Some(done) = fps.get(name) {
            return *done;
        }
        let Some(src) = templates.get(name) else {
            return (0, false);
        };
        if stack.iter().any(|s| s == name) {
            return (0, false);
        }
        stack.push(name.to_string());
        let mut fp = Fingerprint::new("template");
        fp.add(name).add(&src.text);
        let mut site_wide = ["get_page(", "get_section(", "get_taxonomy(", "get_author("]
            .iter()
            .any(|f| src.text.contains(f));
        for r in references(&src.text) {
            let (child, wide) = visit(r, templates, fps, stack);
            fp.add(r).add(&child);
            site_wide |= wide;
        }
        stack.pop();
        let result = (fp.finish(), site_wide);
        fps.insert(name.to_string(), result);
        result
    }
    let mut fps = HashMap::new();
    for name in templates.keys() {
        visit(name, templates, &mut fps, &mut Vec::new());
    }
    let site_wide = fps
        .iter()
        .filter(|(_, (_, w))| *w)
        .map(|(n, _)| n.clone())
        .collect();
    (
        fps.into_iter().map(|(n, (fp, _))| (n, fp)).collect(),
        site_wide,
    )
}

fn templates_by_name(t: &BTreeMap<String, Arc<SourceFile>>) -> HashMap<String, Arc<SourceFile>> {
    t.iter().map(|(k, v)| (k.clone(), Arc::clone(v))).collect()
}

fn read_text(root: &Path, path: &Path) -> Result<Arc<SourceFile>, Box<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(
            Diagnostic::error("io", format!("cannot read file: {e}"))
                .in_file(display_path(root, path)),
        )
    })?;
    crate::text::utf8::decode_utf8(root, path, bytes).map(Arc::new)
}

/// The labels of `i18n/<language>.toml`: the theme's, overridden key by key by the site's.
fn labels(config: &Config, theme: Option<&Path>, diags: &mut Diagnostics) -> Value {
    let file = format!("{}.toml", config.language);
    let mut map = tera::Map::new();
    let mut found = false;
    for dir in theme
        .into_iter()
        .map(|t| t.join("i18n"))
        .chain([config.root.join("i18n")])
    {
        let path = dir.join(&file);
        if !path.is_file() {
            continue;
        }
        found = true;
        let src = match read_text(&config.root, &path) {
            Ok(s) => s,
            Err(d) => {
                diags.push(*d);
                continue;
            }
        };
        match toml::from_str::<BTreeMap<String, String>>(&src.text) {
            Ok(table) => {
                for (k, v) in table {
                    map.insert(k.into(), Value::from(v));
                }
            }
            Err(e) => diags.push(
                Diagnostic::error("i18n-syntax", "invalid label file")
                    .at(
                        &src,
                        e.span().unwrap_or(0..0),
                        e.message().trim().to_string(),
                    )
                    .help("a label file holds lines like `key = \"Text\"`"),
            ),
        }
    }
    if !found && theme.is_some() {
        diags.push(
            Diagnostic::error(
                "i18n-missing",
                format!("no labels for language `{}`", config.language),
            )
            .in_file(format!(
                "themes/{}/i18n/{file}",
                config.theme.as_deref().unwrap_or("")
            ))
            .help("add the file, or set `language` in site.toml to one the theme has"),
        );
    }
    Value::from(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        let src = Arc::new(SourceFile::new(
            Path::new("/r"),
            Path::new("/r/site.toml"),
            text.into(),
        ));
        Config::parse(Path::new("/r"), src, &Default::default()).unwrap()
    }

    #[test]
    fn a_missing_theme_is_reported_at_its_key() {
        let text = "title = \"A theme site\"\nbase_url = \"https://x.org\"\ntheme = \"nope\"\n";
        let at = text.find("theme =").unwrap();
        assert_eq!(theme_key_span(&config(text)), at..at + 5);
        let mut diags = Diagnostics::new();
        assert!(load_theme(&config(text), &mut diags).is_none());
        assert!(diags.has_errors());
    }
}
