//! `presswerk build` and building in memory: runs the [`Builder`] once and says what it made.
//!
//! Separate from the builder, which keeps state between rebuilds for `serve`, because a
//! one-off build adds what only it needs: the output-folder safety check, the atomic swap of
//! the staging folder, and the [`Summary`] the command line prints.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::builder::{Builder, Built};
use crate::config::Overrides;
use crate::diagnostics::Diagnostics;
use crate::error::Error;

/// Loads, resolves and renders the site at `root` in memory. Writes nothing.
pub fn build_in_memory(root: &Path, overrides: &Overrides) -> Result<Built, Error> {
    Builder::new(root, overrides.clone()).build()
}

/// What `build` did.
#[derive(Debug)]
pub struct Summary {
    /// Pages rendered (articles and other pages, not editions).
    pub pages: usize,
    /// Newsletter editions.
    pub editions: usize,
    /// Sections (including the home page).
    pub sections: usize,
    /// Author profiles.
    pub authors: usize,
    /// Taxonomy terms, over all taxonomies.
    pub terms: usize,
    /// Files in the output (with the standby tree, most of them may be unchanged and not
    /// written again).
    pub files: usize,
    /// Bytes in the output.
    pub bytes: u64,
    /// Documents left out (drafts, embargoed, expired).
    pub held_back: usize,
    /// What was rendered and what was reused from the build cache.
    pub cache: crate::cache::CacheStats,
    /// Pictures decoded and made into variants (0 when the image cache had them all).
    pub images_processed: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Warnings to show.
    pub warnings: Diagnostics,
}

/// How `build` goes about it.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Start from the build cache under the site (`.presswerk-cache/`) and store a new one:
    /// only what changed since the last build is rendered. Off: everything is rendered and
    /// the cache is neither read nor written (`--no-cache`).
    pub cache: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions { cache: true }
    }
}

/// Builds the site at `root` and swaps the result in for `output` atomically, with the
/// build cache.
pub fn build(root: &Path, output: &Path, overrides: &Overrides) -> Result<Summary, Error> {
    build_with(root, output, overrides, &BuildOptions::default())
}

/// [`build`] with [`BuildOptions`].
pub fn build_with(
    root: &Path,
    output: &Path,
    overrides: &Overrides,
    options: &BuildOptions,
) -> Result<Summary, Error> {
    let start = Instant::now();
    check_output_dir(root, output)?;
    let mut builder = Builder::new(root, overrides.clone());
    builder.keep_pictures();
    if options.cache {
        builder.use_build_cache();
    }
    // Pages are written while they render; the rest when the staging folder is committed.
    let (mut built, staging) = builder.build_into(output)?;
    // Broken pictures let the build go on (to report everything at once); they still fail
    // it, before anything is swapped in (dropping the staging folder removes it).
    if built.warnings.has_errors() {
        drop(staging);
        return Err(Error::Site(built.warnings));
    }
    let timer = crate::timing::Timer::start();
    let (bytes, hashes) = staging.commit_recorded(&built.output)?;
    timer.mark("commit");
    // Stored only once the output is in place: a failed build leaves the last cache, which
    // still says what the trees hold.
    built.warnings.extend(builder.save_build_cache(&hashes));
    timer.mark("build cache stored");
    let images = &built.site.images;
    if let Err(e) = images.save(true) {
        built.warnings.push(crate::diagnostics::Diagnostic::warning(
            "image-cache",
            format!("the image cache could not be stored: {e}"),
        ));
    }
    timer.mark(&format!(
        "image cache stored ({} processed)",
        images.processed()
    ));
    let summary = Summary {
        pages: built.site.pages.iter().filter(|p| !p.is_edition()).count(),
        editions: built.site.pages.iter().filter(|p| p.is_edition()).count(),
        sections: built.site.sections.len(),
        authors: built.site.authors.len(),
        terms: built.site.taxonomies.iter().map(|t| t.terms.len()).sum(),
        files: built.output.len(),
        bytes,
        held_back: built.site.held_back,
        cache: builder.stats(),
        images_processed: built.site.images.processed(),
        elapsed: start.elapsed(),
        warnings: built.warnings,
    };
    // Freeing a large site's memory takes a while and nobody waits for it: do it on another
    // thread (a process that exits right away skips it).
    let (site, out) = (built.site, built.output);
    std::thread::spawn(move || drop((builder, site, out)));
    Ok(summary)
}

/// Refuses an output folder whose replacement would destroy the site: the root itself, a
/// folder above it, or one inside `content/`, `static/`, `templates/`, `themes/` or `i18n/`.
fn check_output_dir(root: &Path, output: &Path) -> Result<(), Error> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Canonicalize the longest existing ancestor, keep the rest as written.
        let mut existing = p.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut out = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_path_buf());
        for part in rest.iter().rev() {
            out.push(part);
        }
        out
    };
    let root = abs(root);
    let out = abs(output);
    let unsafe_dir = out
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
        || root.starts_with(&out)
        || [
            "content",
            "static",
            "templates",
            "themes",
            "i18n",
            "site.toml",
        ]
        .iter()
        .any(|d| out.starts_with(root.join(d)));
    if unsafe_dir {
        return Err(Error::UnsafeOutput(output.to_path_buf()));
    }
    Ok(())
}
