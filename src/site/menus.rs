//! The menus of `site.toml` resolved: each entry's `@/` link to the permalink of its
//! document, a site path below the base URL, a URL kept as it is; each menu in the order of
//! its weights. An `@/` link to no document is an error at the entry in `site.toml`, as
//! the same link in Markdown is one at the link.

use std::collections::BTreeMap;

use crate::config::{Config, MenuItem};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};

/// One entry as the templates see it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MenuLink {
    /// The link text.
    pub name: String,
    /// The absolute URL.
    pub url: String,
    /// The site path it leads to (`/ueber/`), when it leads into the site: the theme marks
    /// the entry of the page a reader is on.
    pub path: Option<String>,
}

/// Both menus, resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Menus {
    pub main: Vec<MenuLink>,
    pub footer: Vec<MenuLink>,
    /// `subscribe.url`, resolved like a menu link.
    pub subscribe: Option<String>,
}

/// Resolves the menus of `config` against `links` (content path → permalink).
pub(super) fn resolve(
    config: &Config,
    links: &BTreeMap<&str, &str>,
    diags: &mut Diagnostics,
) -> Menus {
    let mut one = |items: &[MenuItem]| {
        let mut order: Vec<&MenuItem> = items.iter().collect();
        // A stable sort: equal weights keep the order of site.toml.
        order.sort_by_key(|i| i.weight);
        order
            .into_iter()
            .filter_map(|item| link(config, links, item, diags))
            .collect::<Vec<_>>()
    };
    let (main, footer) = (one(&config.menus.main), one(&config.menus.footer));
    let url = config.subscribe.url.trim();
    let subscribe = (!url.is_empty())
        .then(|| {
            let item = MenuItem {
                name: "subscribe".into(),
                link: url.to_string(),
                weight: 0,
            };
            link(config, links, &item, diags).map(|l| l.url)
        })
        .flatten();
    Menus {
        main,
        footer,
        subscribe,
    }
}

fn link(
    config: &Config,
    links: &BTreeMap<&str, &str>,
    item: &MenuItem,
    diags: &mut Diagnostics,
) -> Option<MenuLink> {
    let raw = item.link.trim();
    let (url, path) = if let Some(target) = raw.strip_prefix("@/") {
        let (file, anchor) = target
            .split_once('#')
            .map_or((target, None), |(f, a)| (f, Some(a)));
        let folder = format!("{}/_index.md", file.trim_end_matches('/'));
        let found = links.get(file).or_else(|| links.get(folder.as_str()));
        let Some(permalink) = found else {
            diags.push(broken(config, item, file, links));
            return None;
        };
        let path = permalink.strip_prefix(&config.base_url).map(str::to_string);
        let url = match anchor {
            Some(a) => format!("{permalink}#{a}"),
            None => permalink.to_string(),
        };
        (url, path)
    } else if raw.starts_with('/') && !raw.starts_with("//") {
        (config.permalink(raw), Some(raw.to_string()))
    } else {
        let path = raw
            .strip_prefix(&config.base_url)
            .filter(|p| p.starts_with('/'))
            .map(str::to_string);
        (raw.to_string(), path)
    };
    Some(MenuLink {
        name: item.name.clone(),
        url,
        path: path.map(|p| p.split('#').next().unwrap_or_default().to_string()),
    })
}

fn broken(
    config: &Config,
    item: &MenuItem,
    file: &str,
    links: &BTreeMap<&str, &str>,
) -> Diagnostic {
    let source = &config.source;
    let span = crate::config::menu_link_span(source, &item.link);
    let help = match did_you_mean(file, links.keys().copied()) {
        Some(k) => format!("did you mean `@/{k}`?"),
        None => "name a file below content/, e.g. @/ueber.md or @/artikel/_index.md".to_string(),
    };
    Diagnostic::error(
        "broken-internal-link",
        format!(
            "menu entry `{}` links to `@/{file}`, which is no page",
            item.name
        ),
    )
    .at(source, span, format!("there is no content/{file}"))
    .help(help)
}
