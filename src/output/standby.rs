//! The standby tree: the output folder as it was before the last swap, kept beside it
//! (`.<name>.presswerk.standby`) with its manifest (`.<name>.presswerk.standby.manifest`),
//! so that the next build brings it up to date instead of writing a whole new tree.
//!
//! The live folder's manifest is `.<name>.presswerk.manifest`; at a swap it becomes the
//! standby's. A manifest names its tree by the folder's device and inode, which a rename
//! keeps, and is trusted only after [`Manifest::verify`]. It is removed before its tree is
//! changed, so a build killed while updating leaves a tree that nobody trusts: the next
//! build removes it and writes a fresh one (a build that fails, rather than being killed,
//! puts the tree back with a manifest of what it then holds). The price is the disk space of a second tree;
//! deleting the standby folder and both manifests gives it back (the next build is then a
//! fresh one).

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::Output;
use super::manifest::{Manifest, Record};
use crate::error::Error;

/// The names beside the output folder that belong to the standby tree.
#[derive(Debug)]
pub(crate) struct Names {
    /// The standby tree.
    pub standby: PathBuf,
    /// The standby tree's manifest.
    pub standby_manifest: PathBuf,
    /// The live output folder's manifest.
    pub live_manifest: PathBuf,
    /// Where a manifest is written before it is renamed into place (a leftover of a killed
    /// build, removed like its staging folder).
    pub temp_manifest: PathBuf,
}

impl Names {
    /// The names for the output folder `name` in `parent`.
    pub(crate) fn new(parent: &Path, name: &str) -> Names {
        Names {
            standby: parent.join(format!(".{name}.presswerk.standby")),
            standby_manifest: parent.join(format!(".{name}.presswerk.standby.manifest")),
            live_manifest: parent.join(format!(".{name}.presswerk.manifest")),
            temp_manifest: parent.join(format!(
                ".{name}.presswerk-new-{}.manifest",
                std::process::id()
            )),
        }
    }
}

/// Moves the standby tree to `dir` (the staging folder) if its manifest is whole and the tree
/// is as the manifest says, and returns what it holds. Otherwise removes the tree and its
/// manifest, and returns `None`: the build writes a fresh tree.
pub(crate) fn take(names: &Names, dir: &Path) -> Option<Manifest> {
    let manifest = Manifest::read(&names.standby_manifest);
    // From here on the tree changes: without its manifest, a build killed meanwhile leaves a
    // tree that the next one does not trust.
    let unlinked = match fs::remove_file(&names.standby_manifest) {
        Ok(()) => true,
        Err(e) => e.kind() == io::ErrorKind::NotFound,
    };
    let usable = manifest.filter(|m| unlinked && m.verify(&names.standby));
    match usable {
        Some(m) if fs::rename(&names.standby, dir).is_ok() => Some(m),
        _ => {
            let _ = fs::remove_dir_all(&names.standby);
            None
        }
    }
}

/// Makes room for a file at `dir/rel` in a reused tree: removes a folder where the file goes,
/// and files where its folders go (the output's shape changed since the tree was written).
pub(crate) fn clear_way(dir: &Path, rel: &str) {
    let dest = dir.join(rel);
    if fs::symlink_metadata(&dest).is_ok_and(|m| m.is_dir()) {
        let _ = fs::remove_dir_all(&dest);
    }
    for (i, _) in rel.match_indices('/') {
        let folder = dir.join(&rel[..i]);
        if fs::symlink_metadata(&folder).is_ok_and(|m| !m.is_dir()) {
            let _ = fs::remove_file(&folder);
        }
    }
}

/// Removes from a reused tree the files of `old` that are not in `output`, and the folders
/// that became empty.
pub(crate) fn prune(
    dir: &Path,
    old: &HashMap<String, Record>,
    output: &Output,
) -> Result<(), Error> {
    let mut folders = BTreeSet::new();
    for rel in old.keys().filter(|p| !output.contains(p)) {
        let path = dir.join(rel);
        if let Err(e) = fs::remove_file(&path) {
            // Gone already, or a folder now (see `clear_way`): fine. A file that stays is not.
            if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                return Err(Error::write(&path, e));
            }
        }
        folders.extend(rel.match_indices('/').map(|(i, _)| &rel[..i]));
    }
    let mut folders: Vec<&str> = folders.into_iter().collect();
    // Deepest first, so a folder is empty once its subfolders are gone.
    folders.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    for folder in folders {
        let path = dir.join(folder);
        if let Err(e) = fs::remove_dir(&path)
            && fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none())
        {
            return Err(Error::write(&path, e));
        }
    }
    Ok(())
}

/// Removes a manifest that is no longer true (ignoring one that is not there).
pub(crate) fn forget(path: &Path) {
    let _ = fs::remove_file(path);
}
