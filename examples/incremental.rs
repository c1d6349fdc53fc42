//! Times incremental rebuilds in-process, phase by phase:
//!
//!     PRESSWERK_TIMINGS=1 cargo run --release --example incremental -- SITE [EDITS]
//!
//! Builds SITE once, then edits the body of one article EDITS times (default 20), each time
//! telling the builder and building again, and prints each rebuild's time and what it reused.
//! It edits a file of SITE: run it on a copy.

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let Some(root) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: incremental SITE [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let mut builder = presswerk::internals::Builder::new(&root, Default::default());
    let t = Instant::now();
    let built = match builder.build() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("the site does not build: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "full build: {:.1} ms, {} files",
        t.elapsed().as_secs_f64() * 1000.0,
        built.output.len()
    );
    drop(built);
    let dir = root.join("content/artikel");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    files.sort();
    let mut times = Vec::new();
    for i in 0..edits {
        let file = &files[(i * 397) % files.len()];
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let edited = format!("{}\n\nNachtrag {i}.\n", text.trim_end());
        if std::fs::write(file, edited).is_err() {
            continue;
        }
        let t = Instant::now();
        builder.changed(std::slice::from_ref(file));
        match builder.build() {
            Ok(_) => {
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                times.push(ms);
                println!("edit {i}: {ms:.1} ms {:?}", builder.stats());
            }
            Err(e) => println!("edit {i}: failed: {e}"),
        }
    }
    times.sort_by(f64::total_cmp);
    if !times.is_empty() {
        println!(
            "median rebuild: {:.1} ms over {} edits",
            times[times.len() / 2],
            times.len()
        );
    }
}
