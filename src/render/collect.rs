//! Putting what rendering made into the [`Output`]: static files and colocated assets,
//! the results of the template jobs (kept in the cache for the next build, template
//! errors reported once with a count), and the files made without templates. Every path
//! is checked, and two outputs of the same path are an error, never a silent overwrite.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::Theme;
use crate::cache::Cache;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Entry, Output, Sink};
use crate::site::Site;
use crate::source::display_path;

/// One job's result: its output file, its fingerprint, whether its bytes were reused, and
/// the entry or the error.
pub(super) struct Rendered {
    pub(super) file: String,
    pub(super) fingerprint: u64,
    pub(super) reused: bool,
    pub(super) result: Result<Entry, Diagnostic>,
}

/// Adds `entry` at `file`, refusing a path that could leave the output folder.
pub(super) fn insert_entry(
    output: &mut Output,
    file: String,
    entry: Entry,
    diags: &mut Diagnostics,
) {
    if let Err(e) = output.insert(file, entry) {
        diags.push(Diagnostic::error(
            "unsafe-path",
            format!("refusing to write `{}`", e.0),
        ));
    }
}

/// Adds a generated file, unless a page or static file has its path already.
pub(super) fn insert(output: &mut Output, file: String, bytes: Vec<u8>, diags: &mut Diagnostics) {
    if output.contains(&file) {
        diags.push(
            Diagnostic::error("duplicate-path", format!("two outputs would write /{file}"))
                .help("a redirect, feed or generated file collides with a page or static file"),
        );
        return;
    }
    insert_entry(output, file, Entry::Bytes(bytes.into()), diags);
}

/// Puts generated files (the search index) into `sink`, unless a page or static file has
/// one of their paths already.
pub(super) fn put_all(
    files: Vec<(String, Arc<[u8]>)>,
    output: &mut Output,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
) {
    let (clash, free): (Vec<_>, Vec<_>) = files.into_iter().partition(|(f, _)| output.contains(f));
    for (file, _) in clash {
        diags.push(
            Diagnostic::error("duplicate-path", format!("two outputs would write /{file}"))
                .help("the search index collides with a page or static file"),
        );
    }
    // Thousands of small files: written in parallel, as the rendering threads write pages.
    let entries: Vec<(String, Entry)> = free
        .into_par_iter()
        .map(|(file, bytes)| {
            let entry = sink.put(&file, bytes);
            (file, entry)
        })
        .collect();
    for (file, entry) in entries {
        insert_entry(output, file, entry, diags);
    }
}

/// The theme's and site's static files and the pages' colocated assets, copied as they are.
pub(super) fn copied_files(site: &Site, theme: &Theme, diags: &mut Diagnostics) -> Output {
    let root = &site.config.root;
    let mut output = Output::new();
    for (name, path) in &theme.statics {
        if let Err(e) = output.insert(name.clone(), Entry::Copy(path.clone())) {
            diags.push(
                Diagnostic::error("unsafe-path", format!("refusing to write `{}`", e.0))
                    .in_file(display_path(root, path)),
            );
        }
    }
    for asset in &site.assets {
        if output.contains(&asset.output) {
            diags.push(
                Diagnostic::error(
                    "duplicate-path",
                    format!("two files would write /{}", asset.output),
                )
                .in_file(display_path(root, &asset.path))
                .help("a static file has the same name; rename one of them"),
            );
        }
        if let Err(e) = output.insert(asset.output.clone(), Entry::Copy(asset.path.clone())) {
            diags.push(
                Diagnostic::error("unsafe-path", format!("refusing to write `{}`", e.0))
                    .in_file(display_path(root, &asset.path)),
            );
        }
    }
    output
}

/// Adds the processed pictures to `output`, each from the image cache; a picture that
/// could not be made is an error at the line that shows it.
pub(super) fn pictures(
    site: &Site,
    ran: crate::images::Ran,
    output: &mut Output,
    diags: &mut Diagnostics,
) {
    for warning in ran.cache_warnings {
        diags.push(Diagnostic::warning("image-cache", warning));
    }
    for (path, e) in &ran.failed {
        let name = display_path(&site.config.root, path);
        let d = Diagnostic::error("image", format!("{}: `{name}`", e.message())).help(e.help());
        let d = match site.images.referrer(path) {
            Some((source, span)) => d.at(&source, span, e.detail().to_string()),
            None => d.in_file(name),
        };
        site.images.report(d);
    }
    for (file, made) in ran.files {
        let entry = match made {
            crate::images::Made::Stored { path, size, hash } => Entry::Known { path, size, hash },
            crate::images::Made::Bytes(bytes) => Entry::Bytes(bytes),
        };
        insert_entry(output, file, entry, diags);
    }
}

/// Adds the jobs' results to `output` and keeps their new bytes in `cache`. The same
/// template bug fails every page that uses it: it is reported once, with a count.
pub(super) fn rendered(
    results: Vec<Rendered>,
    cache: &mut Cache,
    output: &mut Output,
    diags: &mut Diagnostics,
) {
    let mut errors: BTreeMap<String, (Diagnostic, usize)> = BTreeMap::new();
    let (mut reused, mut fresh) = (0, 0);
    for r in results {
        let entry = match r.result {
            Ok(entry) => entry,
            Err(d) => {
                let key = format!("{:?}{}", d.location(), d.message);
                errors.entry(key).or_insert((d, 0)).1 += 1;
                continue;
            }
        };
        if r.reused {
            reused += 1
        } else {
            fresh += 1
        }
        let file = r.file;
        if output.contains(&file) {
            diags.push(
                Diagnostic::error(
                    "duplicate-path",
                    format!("a page and a static file would both write /{file}"),
                )
                .in_file(format!("static/{file}"))
                .help("rename the static file or give the page another slug"),
            );
        }
        match &entry {
            // Only new bytes are stored; reused ones are in the cache already.
            Entry::Bytes(bytes) if !r.reused => {
                cache
                    .outputs
                    .insert(file.clone(), (r.fingerprint, Arc::clone(bytes)));
            }
            Entry::Bytes(_) => {}
            // Written to disk: its fingerprint goes to the build cache.
            Entry::Written(_) | Entry::Copy(_) | Entry::Known { .. } => {
                cache.written.insert(file.clone(), r.fingerprint);
            }
        }
        insert_entry(output, file, entry, diags);
    }
    if cache.outputs.len() != reused + fresh {
        // Outputs went away (or failed): keep only what this build made.
        cache.outputs.retain(|file, _| output.contains(file));
    }
    cache.stats.outputs_rendered = fresh;
    cache.stats.outputs_reused = reused;
    for (_, (mut d, n)) in errors {
        if n > 1 {
            d.message = format!("{} (in {n} pages)", d.message);
        }
        diags.push(d);
    }
}
