//! [`Builder`]: builds a site in memory, and builds it again after files changed, reading
//! and rendering only what the change reaches.
//!
//! `presswerk build` makes one Builder and builds once. `serve` keeps one: on a save it calls
//! [`Builder::changed`] with the paths the watcher saw, then [`Builder::build`] again. A
//! changed article is read again alone; a changed template or static file reloads the theme;
//! `site.toml`, labels or `theme.toml` start over from nothing. Rendering reuses every output
//! whose inputs' fingerprint did not change ([`crate::cache`]).
//!
//! With [`Builder::use_build_cache`], a one-shot build starts from what the last one stored
//! under the site ([`crate::cache::store`]) and stores what it made for the next one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::cache::store::{self, Store};
use crate::cache::{Cache, Stored};
use crate::config::{Config, Overrides};
use crate::content::Files;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::error::Error;
use crate::output::Output;
use crate::output::{Hashes, Staging};
use crate::render::Theme;
use crate::site::Site;
use crate::{markdown, render, site};

mod leave_out;

/// A site built in memory.
#[derive(Debug)]
pub struct Built {
    /// The resolved site.
    pub site: std::sync::Arc<Site>,
    /// Every output file.
    pub output: Output,
    /// Warnings (never errors: those make the build fail).
    pub warnings: Diagnostics,
}

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
pub(crate) fn classify(root: &Path, path: &Path, theme: Option<&str>) -> ChangeKind {
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

impl State {
    /// Reads the configuration, then the theme and the content.
    fn read(root: &Path, overrides: &Overrides) -> Result<State, Error> {
        let config = Config::load(root, overrides).map_err(Error::Site)?;
        // The theme and the content are independent: both are read (and checked) in one
        // run, so a template error and a content error are reported together.
        let (files, (theme, theme_diags)) = rayon::join(
            || Files::read(&config),
            || {
                let mut d = Diagnostics::new();
                (render::load_theme(&config, &mut d), d)
            },
        );
        Ok(State {
            config,
            theme,
            theme_diags,
            files,
        })
    }

    /// Reads a changed file of `content/` again. Returns whether only its body changed: it
    /// was read without problems before and after, with the same front matter.
    fn reread(&mut self, path: &Path) -> bool {
        let front_of = |files: &Files| {
            files.markdown.get(path).and_then(|(doc, ds)| {
                doc.as_ref()
                    .filter(|_| ds.is_empty())
                    .map(|d| d.source.text[..d.body.start].to_string())
            })
        };
        let before = front_of(&self.files);
        self.files.update(&self.config, path);
        let after = front_of(&self.files);
        before.is_some() && before == after
    }
}

/// Builds one site, again and again.
pub struct Builder {
    root: PathBuf,
    overrides: Overrides,
    state: Option<State>,
    cache: Cache,
    /// The last good site, for the fast path.
    last: Option<std::sync::Arc<Site>>,
    /// Markdown files whose body alone changed since the last build.
    body_only: Vec<PathBuf>,
    /// Whether anything else changed since the last build.
    structural: bool,
    /// Whether documents with errors of their own are left out (for `serve`).
    leave_out: bool,
    /// Whether pictures made go into the image cache (see [`Builder::keep_pictures`]).
    keep_pictures: bool,
    /// The errors of the documents the last build left out.
    left_out: Diagnostics,
    /// The persistent build cache, for one-shot builds that use it.
    persistent: Persistent,
}

/// The persistent build cache of a one-shot build: off, or on with what it needs.
#[derive(Default)]
enum Persistent {
    #[default]
    Off,
    /// On; nothing loaded yet.
    On,
    /// Loaded, or found unusable.
    Loaded(Box<Loaded>),
}

/// The build cache once loaded (or found unusable, with the warning to show), then the
/// Markdown entries encoded before the build let go of them.
struct Loaded {
    store: Store,
    warning: Option<Diagnostic>,
    markdown: Option<std::io::Result<store::MarkdownPart>>,
}

impl Builder {
    /// A builder for the site at `root`; nothing is read until [`Builder::build`].
    pub fn new(root: &Path, overrides: Overrides) -> Self {
        Builder {
            root: root.to_path_buf(),
            overrides,
            state: None,
            cache: Cache::new(),
            last: None,
            body_only: Vec::new(),
            structural: true,
            leave_out: false,
            keep_pictures: false,
            left_out: Diagnostics::new(),
            persistent: Persistent::Off,
        }
    }

    /// Makes the next [`Builder::build_into`] start from the build cache under the site and
    /// keep what it made for [`Builder::save_build_cache`].
    pub fn use_build_cache(&mut self) {
        self.persistent = Persistent::On;
    }

    /// Makes the builds write the pictures they make into the image cache under the site
    /// (`.presswerk-cache/images/`), as `build` and `serve` do; `check` writes nothing.
    pub fn keep_pictures(&mut self) {
        self.keep_pictures = true;
    }

    /// Makes [`Builder::build`] leave out the documents of `content/` that have errors of
    /// their own (front matter, Markdown, an unknown author, …) and build the rest, as
    /// `serve` wants: one broken file must not hide the others. Their errors are then
    /// [`Builder::left_out`] instead of failing the build. `build` and `check` never do
    /// this: there every error fails the run.
    pub fn leave_out_broken_documents(&mut self) {
        self.leave_out = true;
    }

    /// The errors of the documents the last build left out (see
    /// [`Builder::leave_out_broken_documents`]).
    pub fn left_out(&self) -> &Diagnostics {
        &self.left_out
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
        let logo = self.state.as_ref().and_then(|s| s.config.logo.clone());
        let mut strongest = ChangeKind::Ignored;
        let kinds: Vec<(PathBuf, ChangeKind)> = paths
            .iter()
            .map(|p| {
                let abs = if p.is_absolute() {
                    p.clone()
                } else {
                    self.root.join(p)
                };
                let mut kind = classify(&self.root, &abs, theme.as_deref());
                // The logo's size is read with site.toml (for the manifest and previews).
                let static_logo = logo
                    .as_deref()
                    .map(|l| Path::new("static").join(l.trim_start_matches('/')));
                if kind == ChangeKind::Theme && static_logo.is_some_and(|l| abs.ends_with(l)) {
                    kind = ChangeKind::Everything;
                }
                (abs, kind)
            })
            .collect();
        if kinds.iter().any(|(_, k)| *k == ChangeKind::Everything) {
            // New configuration or labels: every fingerprint would have to include them, so
            // start over instead.
            self.state = None;
            self.cache = Cache::new();
            self.structural = true;
            return ChangeKind::Everything;
        }
        let Some(state) = self.state.as_mut() else {
            return ChangeKind::Everything;
        };
        for (path, kind) in kinds {
            match kind {
                ChangeKind::Content => {
                    if !state.reread(&path) {
                        self.structural = true;
                    } else if !self.body_only.contains(&path) {
                        self.body_only.push(path.clone());
                    }
                }
                ChangeKind::Asset => {
                    state.files.rescan_assets(&state.config);
                    self.structural = true;
                }
                ChangeKind::Theme => self.structural = true,
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
        if let Some(built) = self.body_only_build() {
            return Ok(built);
        }
        let result = self.resolve_and_render(None).map(|(built, _)| built);
        if let Ok(built) = &result {
            // `serve`: the index of what the cache holds, for the next save and run.
            let _ = built.site.images.save(false);
        }
        self.body_only.clear();
        // While documents are left out, every save resolves again: fixing one must bring
        // it back, and the fast path only knows the pages of the last site.
        self.structural = result.is_err() || !self.left_out.is_empty();
        self.last = result.as_ref().ok().map(|b| std::sync::Arc::clone(&b.site));
        result
    }

    /// Builds the site in full for `presswerk build`: once the site has resolved without
    /// errors, a [`Staging`] folder beside `target` is made, and every page is written into it
    /// as soon as it is rendered (its bytes are not kept, in the output or in the cache).
    /// The returned output holds the rest, for [`Staging::commit`]. On an error the staging
    /// folder is removed again and `target` is untouched.
    pub fn build_into(&mut self, target: &Path) -> Result<(Built, Staging), Error> {
        self.load_build_cache()?;
        let result = self.resolve_and_render(Some(target));
        // Its files were handed to this build: the next build reads them again.
        self.state = None;
        let (mut built, staging) = result?;
        if let Persistent::Loaded(loaded) = &mut self.persistent {
            built.warnings.extend(loaded.warning.take());
        }
        self.body_only.clear();
        self.structural = true;
        self.last = None;
        match staging {
            Some(staging) => Ok((built, staging)),
            None => Err(Error::Site(built.warnings)),
        }
    }

    /// Reads the configuration and, if the build cache is on, fills the cache from it.
    fn load_build_cache(&mut self) -> Result<(), Error> {
        if !matches!(self.persistent, Persistent::On) {
            return Ok(());
        }
        if self.state.is_none() {
            self.state = Some(State::read(&self.root, &self.overrides)?);
        }
        if let Some(state) = self.state.as_mut() {
            state.config.images.keep = self.keep_pictures;
        }
        let Some(state) = &self.state else {
            return Ok(());
        };
        let timer = crate::timing::Timer::start();
        let mut store = Store::new(&state.config, &self.overrides);
        let loaded = store.load(&mut self.cache);
        timer.mark("build cache read");
        let warning = loaded.err().map(|why| {
            self.cache = Cache::new();
            Diagnostic::warning(
                "cache-ignored",
                format!("the build cache was not used: {why}"),
            )
            .in_file(Store::display_name())
            .help("this build renders everything and stores a new cache; nothing else is wrong")
        });
        self.persistent = Persistent::Loaded(Box::new(Loaded {
            store,
            warning,
            markdown: None,
        }));
        Ok(())
    }

    /// Stores what the last [`Builder::build_into`] made in the build cache, once its
    /// staging folder was committed: `hashes` gives the size and hash of each output file
    /// (from [`Staging::commit_recorded`]). Returns a warning if it could not be written.
    pub fn save_build_cache(&mut self, hashes: &Hashes) -> Option<Diagnostic> {
        let Persistent::Loaded(loaded) = &mut self.persistent else {
            return None;
        };
        let outputs: HashMap<String, Stored> = self
            .cache
            .written
            .iter()
            .filter_map(|(file, &fingerprint)| {
                let &(size, hash) = hashes.get(file)?;
                Some((
                    file.clone(),
                    Stored {
                        fingerprint,
                        size,
                        hash,
                    },
                ))
            })
            .collect();
        let saved = loaded
            .markdown
            .take()?
            .and_then(|part| loaded.store.save(part, &outputs));
        saved.err().map(|e| {
            Diagnostic::warning(
                "cache-unwritable",
                format!("the build cache was not stored: {e}"),
            )
            .in_file(Store::display_name())
            .help("the output is complete; the next build renders everything")
        })
    }

    /// The fast path for the commonest save: only the bodies of articles changed, their
    /// front matter is as it was. The site's structure (URLs, lists, terms, authors) cannot
    /// have changed, so the last site is kept and only those articles' Markdown is rendered
    /// again before rendering outputs (which renders only what shows them). Anything else,
    /// or anything unusual (links or shortcodes in the body, anchors anywhere, a problem in
    /// the new text), takes the full path; both give the same bytes.
    fn body_only_build(&mut self) -> Option<Built> {
        if self.structural || self.body_only.is_empty() {
            return None;
        }
        let state = self.state.as_ref()?;
        let theme = state.theme.as_ref()?;
        let last = self.last.take()?;
        let bodies = new_bodies(state, &self.body_only, &last)?;
        for body in &bodies {
            self.cache
                .markdown
                .insert(body.name().to_string(), body.entry().clone());
        }
        // The last site is handed over when nothing else holds it (the usual case: the last
        // build's output was replaced); else it is copied, and whoever holds it keeps it as it was.
        let last = std::sync::Arc::try_unwrap(last).unwrap_or_else(|shared| (*shared).clone());
        let site = std::sync::Arc::new(last.with_new_bodies(bodies));
        let mut diags = Diagnostics::new();
        let output = render::render(&site, theme, &mut self.cache, &mut diags);
        if diags.has_errors() {
            self.structural = true;
            return None;
        }
        self.body_only.clear();
        self.last = Some(std::sync::Arc::clone(&site));
        Some(Built {
            site,
            output,
            warnings: self.warnings_of_state(),
        })
    }

    /// Warnings found while reading files (a body-only build reads nothing else).
    fn warnings_of_state(&self) -> Diagnostics {
        let mut d = Diagnostics::new();
        if let Some(state) = &self.state {
            d.extend(state.files.diagnostics());
            d.extend(state.theme_diags.iter().cloned());
        }
        d
    }

    /// With a `target`, renders into a [`Staging`] folder beside it (see [`Builder::build_into`]).
    fn resolve_and_render(
        &mut self,
        target: Option<&Path>,
    ) -> Result<(Built, Option<Staging>), Error> {
        if self.state.is_none() {
            self.state = Some(State::read(&self.root, &self.overrides)?);
        }
        if let Some(state) = self.state.as_mut() {
            state.config.images.keep = self.keep_pictures;
        }
        // A one-shot build (into a folder) hands the files over instead of copying them, so
        // their texts can be freed after resolving; the builder forgets its state after it.
        let taken = match (target, self.state.as_mut()) {
            (Some(_), Some(state)) => Some(std::mem::take(&mut state.files).into_loaded()),
            _ => None,
        };
        let Some(state) = self.state.as_ref() else {
            return Err(Error::Site(Diagnostics::new()));
        };
        let timer = crate::timing::Timer::start();
        let mut diags = Diagnostics::new();
        let (loaded, load_diags) = taken.unwrap_or_else(|| state.files.loaded());
        timer.mark("collect files");
        diags.extend(state.theme_diags.iter().cloned());
        let theme = state.theme.as_ref();
        let shortcodes = theme.map(|t| t as &dyn markdown::shortcodes::Shortcodes);
        let site = if self.leave_out && target.is_none() {
            let (site, left_out) =
                leave_out::resolve(state, loaded, load_diags, &mut self.cache, &mut diags);
            self.left_out = left_out;
            site
        } else {
            diags.extend(load_diags);
            site::resolve(
                state.config.clone(),
                loaded,
                shortcodes,
                &mut self.cache,
                &mut diags,
            )
        };
        timer.mark("resolve");
        if let Some(theme) = theme {
            render::check_templates(&site, theme, &mut diags);
        }
        timer.mark("check templates");
        let mut staging = None;
        let (site, output) = match (theme, diags.has_errors(), target) {
            (Some(theme), false, Some(target)) => {
                let into = Staging::begin(target)?;
                timer.mark("staging begun");
                if let Persistent::Loaded(loaded) = &mut self.persistent {
                    // Before the pages take their HTML out of the cache.
                    loaded.markdown = Some(loaded.store.markdown_part(&self.cache));
                    timer.mark("build cache: Markdown part");
                }
                let (site, html) =
                    render::take_page_html(site.without_source_texts(), &mut self.cache);
                let out = render::render_to(&site, theme, &mut self.cache, &mut diags, &into, html);
                staging = Some(into);
                (site, out)
            }
            (Some(theme), false, None) => {
                let out = render::render(&site, theme, &mut self.cache, &mut diags);
                (site, out)
            }
            _ => (site, Output::new()),
        };
        timer.mark("render");
        // Broken pictures come last: they stopped nothing, so a site without other errors
        // is built (and checked) with them; `build` then fails before the swap.
        diags.extend(site.images.take_problems());
        let stops = |d: &Diagnostic| d.severity == Severity::Error && d.code != "image";
        if theme.is_none() || diags.iter().any(stops) {
            return Err(Error::Site(diags));
        }
        let built = Built {
            site: std::sync::Arc::new(site),
            output,
            warnings: diags,
        };
        Ok((built, staging))
    }
}

/// The new bodies of the files in `body_only`, read again into `state`, for the pages of
/// `last`: `None` when one of them cannot take the fast path (a problem reading it, links,
/// shortcodes or anchors anywhere; see [`site::bodies::body_only`]).
fn new_bodies(
    state: &State,
    body_only: &[PathBuf],
    last: &Site,
) -> Option<Vec<site::bodies::NewBody>> {
    if last.has_anchor_links {
        return None;
    }
    let mut bodies = Vec::with_capacity(body_only.len());
    for path in body_only {
        let (Some(doc), ds) = state.files.markdown.get(path)? else {
            return None;
        };
        if !ds.is_empty() {
            return None;
        }
        bodies.push(site::bodies::body_only(last, path, doc)?);
    }
    Some(bodies)
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
