//! [`Builder`]: builds a site in memory, and builds it again after files changed, reading
//! and rendering only what the change reaches.
//!
//! `presswerk build` makes one Builder and builds once. `serve` keeps one: on a save it calls
//! [`Builder::changed`] with the paths the watcher saw, then [`Builder::build`] again. A
//! changed article is read again alone; a changed template or static file reloads the theme;
//! `site.toml`, labels or `theme.toml` start over from nothing. Rendering reuses every output
//! whose inputs' fingerprint did not change ([`crate::cache`]).

use std::path::{Path, PathBuf};

use crate::cache::Cache;
use crate::config::{Config, Overrides};
use crate::content::Files;
use crate::diagnostics::Diagnostics;
use crate::render::Theme;
use crate::{Built, Error, Output, markdown, render, site};

/// What a changed path means for the next build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A file below `content/`.
    Content,
    /// A non-Markdown file below `content/`.
    Asset,
    /// A template or static file of the site or the theme.
    Theme,
    /// `site.toml`, labels, `theme.toml`: everything starts over.
    Everything,
    /// Not part of the site (the output folder, editor files, …).
    Ignored,
}

/// Sorts a path of the site (absolute or relative to the root) into a [`ChangeKind`].
pub fn classify(root: &Path, path: &Path, theme: Option<&str>) -> ChangeKind {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if crate::content::is_ignored(&name) {
        return ChangeKind::Ignored;
    }
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next().unwrap_or_default();
    match first.as_str() {
        "site.toml" if rel.components().count() == 1 => ChangeKind::Everything,
        "i18n" => ChangeKind::Everything,
        "content" => {
            let is_dir = path.is_dir();
            if rel.extension().is_some_and(|e| e == "md") || is_dir || rel.extension().is_none() {
                ChangeKind::Content
            } else {
                ChangeKind::Asset
            }
        }
        "templates" | "static" => ChangeKind::Theme,
        "themes" => {
            let theme_name = parts.next().unwrap_or_default();
            if Some(theme_name.as_str()) != theme {
                return ChangeKind::Ignored;
            }
            match parts.next().as_deref() {
                Some("templates") | Some("static") => ChangeKind::Theme,
                Some("i18n") | Some("theme.toml") => ChangeKind::Everything,
                Some(_) | None => ChangeKind::Everything,
            }
        }
        _ => ChangeKind::Ignored,
    }
}

struct State {
    config: Config,
    theme: Option<Theme>,
    theme_diags: Diagnostics,
    files: Files,
}

/// Builds one site, again and again.
pub struct Builder {
    root: PathBuf,
    overrides: Overrides,
    state: Option<State>,
    cache: Cache,
}

impl Builder {
    /// A builder for the site at `root`; nothing is read until [`Builder::build`].
    pub fn new(root: &Path, overrides: Overrides) -> Self {
        Builder {
            root: root.to_path_buf(),
            overrides,
            state: None,
            cache: Cache::new(),
        }
    }

    /// What the last build reused.
    pub fn stats(&self) -> crate::cache::CacheStats {
        self.cache.stats
    }

    /// The theme folder name, once the configuration was read.
    pub fn theme_name(&self) -> Option<&str> {
        self.state.as_ref().and_then(|s| s.config.theme.as_deref())
    }

    /// Takes note of changed paths (created, modified, removed or renamed: the builder looks
    /// at what is on disk now). Returns the strongest kind of change among them.
    pub fn changed(&mut self, paths: &[PathBuf]) -> ChangeKind {
        let theme = self.theme_name().map(str::to_string);
        let mut strongest = ChangeKind::Ignored;
        let kinds: Vec<(PathBuf, ChangeKind)> = paths
            .iter()
            .map(|p| {
                let abs = if p.is_absolute() {
                    p.clone()
                } else {
                    self.root.join(p)
                };
                let kind = classify(&self.root, &abs, theme.as_deref());
                (abs, kind)
            })
            .collect();
        if kinds.iter().any(|(_, k)| *k == ChangeKind::Everything) {
            // New configuration or labels: every fingerprint would have to include them, so
            // start over instead.
            self.state = None;
            self.cache = Cache::new();
            return ChangeKind::Everything;
        }
        let Some(state) = self.state.as_mut() else {
            return ChangeKind::Everything;
        };
        for (path, kind) in kinds {
            match kind {
                ChangeKind::Content => state.files.update(&state.config, &path),
                ChangeKind::Asset => state.files.rescan_assets(&state.config),
                ChangeKind::Theme => {}
                ChangeKind::Everything | ChangeKind::Ignored => {}
            }
            if kind == ChangeKind::Theme {
                let mut d = Diagnostics::new();
                state.theme = render::load_theme(&state.config, &mut d);
                state.theme_diags = d;
            }
            strongest = strongest.max(kind);
        }
        strongest
    }

    /// Builds the site in memory: in full the first time (or after a configuration change),
    /// incrementally after [`Builder::changed`].
    pub fn build(&mut self) -> Result<Built, Error> {
        if self.state.is_none() {
            let config = Config::load(&self.root, &self.overrides).map_err(Error::Site)?;
            // The theme and the content are independent: both are read (and checked) in one
            // run, so a template error and a content error are reported together.
            let (files, (theme, theme_diags)) = rayon::join(
                || Files::read(&config),
                || {
                    let mut d = Diagnostics::new();
                    (render::load_theme(&config, &mut d), d)
                },
            );
            self.state = Some(State {
                config,
                theme,
                theme_diags,
                files,
            });
        }
        let Some(state) = self.state.as_ref() else {
            return Err(Error::Site(Diagnostics::new()));
        };
        let timer = crate::timing::Timer::start();
        let mut diags = Diagnostics::new();
        let (loaded, load_diags) = state.files.loaded();
        timer.mark("collect files");
        diags.extend(load_diags);
        diags.extend(state.theme_diags.iter().cloned());
        let theme = state.theme.as_ref();
        let shortcodes = theme.map(|t| t as &dyn markdown::shortcodes::Shortcodes);
        let site = site::resolve(
            state.config.clone(),
            loaded,
            shortcodes,
            &mut self.cache,
            &mut diags,
        );
        if let Some(theme) = theme {
            render::check_templates(&site, theme, &mut diags);
        }
        let output = match (theme, diags.has_errors()) {
            (Some(theme), false) => render::render(&site, theme, &mut self.cache, &mut diags),
            _ => Output::new(),
        };
        timer.mark("render");
        if diags.has_errors() || theme.is_none() {
            return Err(Error::Site(diags));
        }
        Ok(Built {
            site,
            output,
            warnings: diags,
        })
    }
}

impl PartialOrd for ChangeKind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ChangeKind {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let rank = |k: &ChangeKind| match k {
            ChangeKind::Ignored => 0,
            ChangeKind::Asset => 1,
            ChangeKind::Content => 2,
            ChangeKind::Theme => 3,
            ChangeKind::Everything => 4,
        };
        rank(self).cmp(&rank(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, &root.join(p), Some("kontor"));
        assert_eq!(c("site.toml"), ChangeKind::Everything);
        assert_eq!(c("content/artikel/a.md"), ChangeKind::Content);
        assert_eq!(c("content/artikel/a/foto.jpg"), ChangeKind::Asset);
        assert_eq!(c("content/artikel/.a.md.swp"), ChangeKind::Ignored);
        assert_eq!(c("content/artikel/a.md~"), ChangeKind::Ignored);
        assert_eq!(c("templates/page.html"), ChangeKind::Theme);
        assert_eq!(c("themes/kontor/templates/base.html"), ChangeKind::Theme);
        assert_eq!(c("themes/kontor/static/style.css"), ChangeKind::Theme);
        assert_eq!(c("themes/kontor/i18n/de.toml"), ChangeKind::Everything);
        assert_eq!(c("themes/anderes/templates/base.html"), ChangeKind::Ignored);
        assert_eq!(c("public/index.html"), ChangeKind::Ignored);
        assert_eq!(c("i18n/de.toml"), ChangeKind::Everything);
    }
}
