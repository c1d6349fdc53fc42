//! The new site's `site.toml`: the old site's title, address, language and taxonomies, the
//! rest as `presswerk init` writes it.

use super::SiteInfo;

/// Where a site without an address in its configuration is said to live; the report says
/// to change it.
pub(super) const PLACEHOLDER_URL: &str = "https://example.org";

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The heading of a taxonomy's pages in the site's language.
fn taxonomy_title(name: &str, language: &str) -> Option<&'static str> {
    Some(match (name, language) {
        ("tags", "de") => "Schlagwörter",
        ("tags", _) => "Tags",
        ("categories", "de") => "Kategorien",
        ("categories", _) => "Categories",
        ("series", "de") => "Serien",
        _ => return None,
    })
}

/// The text of `site.toml`.
pub(super) fn site_toml(site: &SiteInfo, tool: &str) -> String {
    let base_url = site.base_url.as_deref().unwrap_or(PLACEHOLDER_URL);
    let timezone = site.timezone.as_deref().unwrap_or("Europe/Berlin");
    let mut t = format!(
        "# presswerk site configuration, imported from {tool} ({}).\n\
         title = {}\n\
         description = {}\n\
         base_url = {}\n\
         language = {}\n\
         theme = \"kontor\"\n\
         timezone = {}\n\
         authors_section = {}\n\n\
         [feeds]\natom = true\nrss = true\nlimit = 20\n",
        site.config_name,
        quoted(&site.title),
        quoted(&site.description),
        quoted(base_url),
        quoted(&site.language),
        quoted(timezone),
        quoted(&site.authors_section),
    );
    for name in &site.taxonomies {
        t.push_str(&format!("\n[[taxonomies]]\nname = {}\n", quoted(name)));
        if let Some(title) = taxonomy_title(name, &site.language) {
            t.push_str(&format!("title = {}\n", quoted(title)));
        }
        t.push_str("paginate_by = 10\n");
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_configuration_is_one_presswerk_reads() {
        let site = SiteInfo {
            config_name: "hugo.toml".into(),
            title: "Verein \"Grün\" e.V.".into(),
            description: String::new(),
            base_url: None,
            language: "de".into(),
            timezone: None,
            taxonomies: vec!["tags".into(), "series".into(), "themen".into()],
            authors_section: "authors".into(),
        };
        let text = site_toml(&site, "Hugo");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), &text).unwrap();
        let config = crate::config::Config::load(dir.path(), &Default::default())
            .unwrap_or_else(|d| panic!("{text}\n{d:?}"));
        assert_eq!(config.title, "Verein \"Grün\" e.V.");
        assert_eq!(config.taxonomies.len(), 3);
        assert_eq!(config.authors_section, "authors");
    }
}
