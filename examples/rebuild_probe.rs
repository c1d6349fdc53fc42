use std::time::Instant;
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let mut b = presswerk::builder::Builder::new(&root, Default::default());
    let t = Instant::now();
    let built = b.build().unwrap();
    println!("full: {:?} files {}", t.elapsed(), built.output.len());
    let dir = root.join("content/artikel");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .nth(500)
        .unwrap();
    for i in 0..5 {
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replacen("\n\n", &format!("\n\nEdit {i}. "), 1)).unwrap();
        let t = Instant::now();
        b.changed(std::slice::from_ref(&file));
        let t1 = t.elapsed();
        let built = b.build().unwrap();
        println!(
            "edit {i}: changed {:?} total {:?} stats {:?} files {}",
            t1,
            t.elapsed(),
            b.stats(),
            built.output.len()
        );
    }
}
