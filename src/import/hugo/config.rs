//! `hugo.toml` and its kin: which file (top level or `config/_default/`), and the settings
//! the import takes from it (title, address, language, permalinks, taxonomies, languages).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use super::super::config_file::{language, parse_config};
use super::super::values::{flag, get, list, text};
use super::super::walk;
use super::super::{Report, SiteInfo, Tool};
use crate::diagnostics::Diagnostics;
use crate::error::Error;

const CONFIG_NAMES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// The settings of `hugo.toml` the import uses.
pub(super) struct Config {
    pub(super) site: SiteInfo,
    pub(super) content_dir: String,
    pub(super) static_dirs: Vec<String>,
    pub(super) data_dir: String,
    /// Top-level section → permalink pattern of its pages.
    pub(super) permalinks: HashMap<String, String>,
    pub(super) ugly: bool,
    pub(super) lower: bool,
    /// The default language's code, lowercased.
    pub(super) default_language: String,
    /// The site's languages other than the default one.
    pub(super) other_languages: Vec<String>,
}

/// The configuration file and its contents; under `config/_default/`, the files beside it
/// (`params.toml`, `permalinks.toml`, …) are the keys they are named after.
pub(super) fn read_config(src: &Path) -> Result<(Mapping, PathBuf), Error> {
    let top = CONFIG_NAMES
        .iter()
        .map(|n| src.join(n))
        .find(|p| p.is_file());
    let default_dir = src.join("config/_default");
    let split = CONFIG_NAMES
        .iter()
        .map(|n| default_dir.join(n))
        .find(|p| p.is_file());
    let Some(path) = top.or(split.clone()) else {
        return Err(super::super::not_a_site(
            src,
            Tool::Hugo,
            "has no hugo.toml, hugo.yaml, hugo.json or config.toml, config.yaml, config.json",
        ));
    };
    let mut config = parse_config(&path)?;
    if split.as_ref() == Some(&path) {
        let mut diags = Diagnostics::new();
        for f in walk::files(&default_dir, "", &mut Report::default(), &|_| true) {
            let stem = f.rel.rsplit_once('.').map_or(f.rel.as_str(), |(s, _)| s);
            if f.path == path || get(&config, stem).is_some() || !is_config_file(&f.rel) {
                continue;
            }
            match parse_config(&f.path) {
                Ok(m) => {
                    config.insert(stem.into(), Value::Mapping(m));
                }
                Err(Error::Site(d)) => diags.extend(d.iter().cloned()),
                Err(e) => return Err(e),
            }
        }
        if diags.has_errors() {
            return Err(Error::Site(diags));
        }
    }
    Ok((config, path))
}

fn is_config_file(name: &str) -> bool {
    [".toml", ".yaml", ".yml", ".json"]
        .iter()
        .any(|e| name.ends_with(e))
}

/// What the import takes from the configuration.
pub(super) fn settings(raw: &Mapping, path: &Path, src: &Path, report: &mut Report) -> Config {
    let config_name = crate::source::display_path(src, path);
    let params = get(raw, "params")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    let default_lang = text(raw, "defaultContentLanguage").unwrap_or_else(|| "en".into());
    let languages = get(raw, "languages")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    let mut content_dir = text(raw, "contentDir").unwrap_or_else(|| "content".into());
    let mut other_languages = Vec::new();
    for (code, lang) in &languages {
        let Some(code) = code.as_str() else { continue };
        if code.eq_ignore_ascii_case(&default_lang) {
            if let Some(dir) = lang.as_mapping().and_then(|l| text(l, "contentDir")) {
                content_dir = dir;
            }
        } else {
            other_languages.push(code.to_lowercase());
        }
    }
    if !other_languages.is_empty() {
        report.skip(
            config_name.clone(),
            0,
            format!(
                "languages {}: presswerk builds one language, the default one ({default_lang}) is imported",
                other_languages.join(", ")
            ),
        );
    }
    if let Some(dir) = mounted(raw, "content", &default_lang) {
        content_dir = dir;
    }
    let lang_code = text(raw, "languageCode")
        .or_else(|| text(raw, "locale"))
        .unwrap_or_else(|| default_lang.clone());
    let taxonomies = taxonomies(raw);
    Config {
        site: SiteInfo {
            config_name,
            title: text(raw, "title").unwrap_or_else(|| "Newsletter".into()),
            description: text(&params, "description")
                .or_else(|| text(raw, "description"))
                .unwrap_or_default(),
            base_url: text(raw, "baseURL")
                .map(|u| u.trim_end_matches('/').to_string())
                .filter(|u| u.starts_with("http")),
            language: language(&lang_code),
            timezone: text(raw, "timeZone").filter(|tz| jiff::tz::TimeZone::get(tz).is_ok()),
            taxonomies,
            authors_section: "authors".into(),
        },
        static_dirs: mounted(raw, "static", &default_lang).map_or_else(
            || get(raw, "staticDir").map_or_else(|| vec!["static".into()], |v| list(v, false)),
            |dir| vec![dir],
        ),
        data_dir: text(raw, "dataDir").unwrap_or_else(|| "data".into()),
        content_dir,
        permalinks: permalinks(raw),
        ugly: flag(raw, "uglyURLs"),
        lower: !flag(raw, "disablePathToLower"),
        default_language: default_lang.to_lowercase(),
        other_languages,
    }
}

/// The folder that `[[module.mounts]]` mounts as `target` (`content`, `static`) for the
/// default language: a mount without a language, or one whose `lang` or
/// `sites.matrix.languages` names it (Hugo's documentation mounts `content/en` so).
fn mounted(raw: &Mapping, target: &str, default_lang: &str) -> Option<String> {
    let mounts = get(raw, "module")
        .and_then(Value::as_mapping)
        .and_then(|m| get(m, "mounts"))
        .and_then(Value::as_sequence)?;
    mounts.iter().filter_map(Value::as_mapping).find_map(|m| {
        let to = text(m, "target")?;
        if to.trim_end_matches('/') != target {
            return None;
        }
        let matrix = get(m, "sites")
            .and_then(Value::as_mapping)
            .and_then(|s| get(s, "matrix"))
            .and_then(Value::as_mapping)
            .and_then(|m| get(m, "languages"))
            .map(|l| list(l, false));
        let langs = matrix.or_else(|| text(m, "lang").map(|l| vec![l]));
        let ours = langs.is_none_or(|l| l.iter().any(|l| l.eq_ignore_ascii_case(default_lang)));
        ours.then(|| text(m, "source")).flatten()
    })
}

/// The taxonomies' plural names (Hugo's default: tags and categories) without `authors`,
/// whose terms are people and become author profiles.
fn taxonomies(raw: &Mapping) -> Vec<String> {
    let plurals: Vec<String> = match get(raw, "taxonomies").and_then(Value::as_mapping) {
        Some(m) => m
            .values()
            .filter_map(super::super::values::scalar)
            .collect(),
        None => vec!["tags".into(), "categories".into()],
    };
    let mut out: Vec<String> = plurals
        .into_iter()
        .map(|p| p.to_lowercase())
        .filter(|p| p != "authors" && p != "author" && !p.is_empty() && !p.contains('/'))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `[permalinks]`: `post = "/:year/:slug/"`, or the newer `[permalinks.page]` table.
fn permalinks(raw: &Mapping) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Some(m) = get(raw, "permalinks").and_then(Value::as_mapping) else {
        return out;
    };
    for (k, v) in m {
        let Some(k) = k.as_str() else { continue };
        match v {
            Value::String(p) => {
                out.insert(k.trim_matches('/').to_lowercase(), p.clone());
            }
            Value::Mapping(pages) if k == "page" => {
                for (s, p) in pages {
                    if let (Some(s), Some(p)) = (s.as_str(), p.as_str()) {
                        out.insert(s.trim_matches('/').to_lowercase(), p.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings_of(yaml: &str) -> Config {
        let raw: Mapping = serde_yaml::from_str(yaml).expect("a mapping");
        settings(
            &raw,
            Path::new("/s/hugo.yaml"),
            Path::new("/s"),
            &mut Report::default(),
        )
    }

    #[test]
    fn module_mounts_of_the_default_language_are_the_content_and_static_folders() {
        let c = settings_of(
            "defaultContentLanguage: en\nmodule:\n  mounts:\n\
             \x20 - {source: assets, target: assets}\n\
             \x20 - {source: content/de, target: content, lang: de}\n\
             \x20 - {source: content/en, target: content, sites: {matrix: {languages: [en]}}}\n\
             \x20 - {source: files, target: static}\n",
        );
        assert_eq!(c.content_dir, "content/en");
        assert_eq!(c.static_dirs, ["files"]);
        let plain = settings_of("title: x\n");
        assert_eq!(
            (plain.content_dir.as_str(), plain.static_dirs),
            ("content", vec!["static".to_string()])
        );
    }
}
