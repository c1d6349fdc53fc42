//! Watching the site with `notify`: events are filtered (editor temporaries, the output
//! folder), gathered while they keep coming (debounced), and handed over as one batch per save.
//! Every raw event is also shown to the [`Report`] (which prints it only when asked to).

use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use super::{Notice, Report};

/// The paths of one save.
pub(crate) struct Batch {
    pub(crate) paths: Vec<PathBuf>,
    /// When the first event of the batch arrived.
    pub(crate) first_event: Instant,
}

/// Quiet time that ends a batch: an editor's save (write a temporary file, rename it over
/// the original) arrives within a few milliseconds.
const QUIET: Duration = Duration::from_millis(8);
/// After a file was closed for writing or renamed into place (a save is complete), only
/// this long is waited for more.
const SETTLE: Duration = Duration::from_millis(2);
/// A batch is handed over after this long even if events keep coming.
const MAX_WAIT: Duration = Duration::from_millis(200);

/// The folders of a site that are watched recursively.
const WATCHED: &[&str] = &["content", "templates", "static", "themes", "i18n"];

/// Starts watching `root`; batches of changed paths arrive on the returned channel.
pub(crate) fn watch(root: &Path, report: Arc<dyn Report>) -> notify::Result<mpsc::Receiver<Batch>> {
    let (raw_tx, raw_rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(raw_tx)?;
    // The root itself only for site.toml and for watched folders that appear later.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let (tx, rx) = mpsc::channel();
    let root = root.to_path_buf();
    // The thread owns the watcher: it adds a watch when a watched folder appears later.
    std::thread::spawn(move || gather(&root, watcher, raw_rx, tx, &*report));
    Ok(rx)
}

fn relevant(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if crate::content::is_ignored(&name) || name.ends_with(".tmp") || name.starts_with(".#") {
        return false;
    }
    match rel.components().next() {
        Some(first) => {
            let first = first.as_os_str().to_string_lossy();
            first == "site.toml" || WATCHED.contains(&first.as_ref())
        }
        None => false,
    }
}

fn gather(
    root: &Path,
    mut watcher: notify::RecommendedWatcher,
    raw: mpsc::Receiver<notify::Result<notify::Event>>,
    tx: mpsc::Sender<Batch>,
    report: &dyn Report,
) {
    while let Ok(first) = raw.recv() {
        let first_event = Instant::now();
        let mut save = Save::default();
        report.notice(Notice::WatchEvent(&first));
        save.take(root, first);
        loop {
            let left = MAX_WAIT.saturating_sub(first_event.elapsed());
            let quiet = if save.complete { SETTLE } else { QUIET };
            match raw.recv_timeout(quiet.min(left)) {
                Ok(event) => save.take(root, event),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
            if first_event.elapsed() >= MAX_WAIT {
                break;
            }
        }
        if save.paths.is_empty() {
            continue;
        }
        watch_new_folders(root, &mut watcher, &save.paths);
        let batch = Batch {
            paths: save.paths,
            first_event,
        };
        if tx.send(batch).is_err() {
            return;
        }
    }
}

/// The events of one save, gathered until it is complete and quiet.
#[derive(Default)]
struct Save {
    /// The relevant paths it touched, each once, in the order seen.
    paths: Vec<PathBuf>,
    /// Whether an event said the save is done (a written file closed, one renamed into
    /// place, one removed): then a shorter quiet time ends the batch.
    complete: bool,
}

impl Save {
    fn take(&mut self, root: &Path, event: notify::Result<notify::Event>) {
        use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
        let Ok(event) = event else { return };
        let relevant_paths = event.paths.iter().any(|p| relevant(root, p));
        if relevant_paths
            && matches!(
                event.kind,
                EventKind::Access(AccessKind::Close(AccessMode::Write))
                    | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
                    | EventKind::Remove(_)
            )
        {
            self.complete = true;
        }
        if event.kind.is_access() {
            return;
        }
        for p in event.paths {
            if relevant(root, &p) && !self.paths.contains(&p) {
                self.paths.push(p);
            }
        }
    }
}

/// A watched top-level folder (`content/`, `static/`, …) created after the start is
/// watched from now on.
fn watch_new_folders(root: &Path, watcher: &mut notify::RecommendedWatcher, paths: &[PathBuf]) {
    for p in paths {
        let top_level = p.parent() == Some(root);
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if top_level && p.is_dir() && WATCHED.contains(&name.as_str()) {
            // Already watched or not: watching again is harmless.
            let _ = watcher.watch(p, RecursiveMode::Recursive);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_files_count() {
        let root = Path::new("/s");
        assert!(relevant(root, Path::new("/s/content/a.md")));
        assert!(relevant(root, Path::new("/s/site.toml")));
        assert!(relevant(
            root,
            Path::new("/s/themes/kontor/templates/base.html")
        ));
        assert!(!relevant(root, Path::new("/s/public/index.html")));
        assert!(!relevant(root, Path::new("/s/content/.a.md.swp")));
        assert!(!relevant(root, Path::new("/s/content/a.md~")));
        assert!(!relevant(root, Path::new("/s/target/debug/x")));
    }
}
