//! Embeds the default theme in the binary so `presswerk init` can write it anywhere: every
//! file below `themes/kontor/` becomes an entry of `THEME_FILES` (generated, never listed by
//! hand, so a new theme file cannot be forgotten).
//!
//! It also gives the binary a build id (`PRESSWERK_BUILD_ID`): a hash of the sources, the
//! lock file, the compiler and the target. The persistent build cache stores fingerprints
//! made by this binary's code and hasher, so a cache written by any other build of
//! presswerk, even of the same version number, is not trusted.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// A hash of everything that decides what this binary computes (see the module comment).
fn build_id(root: &Path) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut files = Vec::new();
    for part in ["src", "build.rs", "Cargo.toml", "Cargo.lock"] {
        let path = root.join(part);
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(&path, &mut files);
        } else {
            files.push(path);
        }
    }
    files.sort();
    let mut h = DefaultHasher::new();
    for file in &files {
        file.strip_prefix(root).unwrap_or(file).hash(&mut h);
        std::fs::read(file).unwrap_or_default().hash(&mut h);
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc).arg("-vV").output();
    version.map(|o| o.stdout).unwrap_or_default().hash(&mut h);
    std::env::var("TARGET").unwrap_or_default().hash(&mut h);
    std::env::var("PROFILE").unwrap_or_default().hash(&mut h);
    h.finish()
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!(
        "cargo:rustc-env=PRESSWERK_BUILD_ID={:016x}",
        build_id(&root)
    );
    let theme = root.join("themes/kontor");
    println!("cargo:rerun-if-changed={}", theme.display());
    let mut files = Vec::new();
    collect(&theme, &mut files);
    files.sort();
    let mut code = String::from("&[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(&root).expect("below the manifest dir");
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?}).as_slice()),",
            file.display().to_string()
        );
    }
    code.push(']');
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("theme_files.rs");
    std::fs::write(out, code).expect("write generated theme list");
}
