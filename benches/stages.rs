//! Micro-benchmarks of the hot stages of a build, on small inputs made here:
//!
//! - `front_matter`: splitting and parsing the front matter of this repo's Rheinland article;
//! - `markdown`: rendering its body;
//! - `template`: rendering its page with the default theme (values made beforehand);
//! - `resolve`: resolving a generated site of a few hundred articles (Markdown included),
//!   from files already read.
//!
//! `cargo bench --bench stages` runs them (`-- --quick` for a short run, `-- markdown` for
//! one). Criterion compares each run with the last one on this machine.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use presswerk::internals::markdown::{self, Options};
use presswerk::internals::{
    Cache, Files, Kind, PageRenderer, SourceFile, front_matter, load, load_theme,
};
use presswerk::{Config, Diagnostics, Overrides};

const REPO: &str = env!("CARGO_MANIFEST_DIR");
const ARTICLE: &str = "content/artikel/2007-11-06-regionalgruppe-rheinland.md";
/// Articles of the generated site for `resolve`.
const ARTICLES: usize = 300;

fn article() -> Arc<SourceFile> {
    let path = Path::new(REPO).join(ARTICLE);
    let text = std::fs::read_to_string(&path).expect("the Rheinland article");
    Arc::new(SourceFile::new(Path::new(REPO), &path, text))
}

fn front_matter(c: &mut Criterion) {
    let source = article();
    let tz = jiff::tz::TimeZone::get("Europe/Berlin").expect("time zone");
    c.bench_function("front_matter", |b| {
        b.iter(|| {
            let split = front_matter::split(&source.text).expect("front matter");
            let mut diags = Vec::new();
            let settings = front_matter::Settings {
                tz: &tz,
                term_keys: &[],
            };
            front_matter::parse(&source, &split, Kind::Page, &settings, &mut diags)
                .expect("valid front matter")
        })
    });
}

fn markdown(c: &mut Criterion) {
    let source = article();
    let split = front_matter::split(&source.text).expect("front matter");
    let body = &source.text[split.body];
    let opts = Options {
        german_quotes: true,
        dashes: Some("de"),
    };
    c.bench_function("markdown", |b| b.iter(|| markdown::render(body, opts)));
}

fn template(c: &mut Criterion) {
    let config = Config::load(Path::new(REPO), &Overrides::default()).expect("site.toml");
    let mut diags = Diagnostics::new();
    let theme = load_theme(&config, &mut diags).expect("theme");
    let loaded = load(&config, &mut diags);
    let site =
        presswerk::internals::resolve(config, loaded, Some(&theme), &mut Cache::new(), &mut diags);
    assert!(!diags.has_errors(), "{diags:?}");
    let index = site
        .pages
        .iter()
        .position(|p| p.source.path.ends_with(ARTICLE))
        .expect("the Rheinland article is a page");
    let pages = PageRenderer::new(&site, &theme);
    c.bench_function("template", |b| {
        b.iter(|| pages.render(index).expect("renders"))
    });
}

/// A copy of this repo's site (configuration, theme, author) with `n` articles made from
/// the Rheinland article: each its own title, date, tags and region.
fn generated_site(dir: &Path, n: usize) -> PathBuf {
    let root = dir.join("site");
    copy_dir(&Path::new(REPO).join("themes"), &root.join("themes"));
    std::fs::copy(Path::new(REPO).join("site.toml"), root.join("site.toml")).expect("site.toml");
    for part in [
        "content/_index.md",
        "content/artikel/_index.md",
        "content/autoren/_index.md",
        "content/autoren/ann-labus.md",
    ] {
        let to = root.join(part);
        std::fs::create_dir_all(to.parent().expect("folder")).expect("folder");
        std::fs::copy(Path::new(REPO).join(part), to).expect("copy");
    }
    let text = std::fs::read_to_string(Path::new(REPO).join(ARTICLE)).expect("article");
    let split = front_matter::split(&text).expect("front matter");
    let body = &text[split.body];
    let regions = [
        "Rheinland",
        "Westfalen",
        "Hessen",
        "Bayern",
        "Sachsen",
        "Nord",
    ];
    let tags = [
        "Kooperation",
        "Partnerschaft",
        "Regionalgruppen",
        "Hersteller",
        "Vertrieb",
        "Marketing",
        "Service",
    ];
    for i in 0..n {
        let md = format!(
            "---\ntitle: \"Bericht {i}: {region} rückt enger zusammen\"\ndate: 2020-{m:02}-{d:02}\nauthors: [ann-labus]\nregion: {region}\ntags: [{t1}, {t2}]\n---\n{body}",
            region = regions[i % regions.len()],
            m = i % 12 + 1,
            d = i % 28 + 1,
            t1 = tags[i % tags.len()],
            t2 = tags[(i / 3 + 1) % tags.len()],
        );
        std::fs::write(root.join(format!("content/artikel/bericht-{i}.md")), md).expect("write");
    }
    root
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("read folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy");
        }
    }
}

fn resolve(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = generated_site(tmp.path(), ARTICLES);
    let config = Config::load(&root, &Overrides::default()).expect("site.toml");
    let mut diags = Diagnostics::new();
    let theme = load_theme(&config, &mut diags).expect("theme");
    let files = Files::read(&config);
    let mut group = c.benchmark_group("resolve");
    group.sample_size(20);
    group.bench_function(format!("{ARTICLES}_articles"), |b| {
        b.iter_batched(
            || (config.clone(), files.loaded().0),
            |(config, loaded)| {
                let mut diags = Diagnostics::new();
                let site = presswerk::internals::resolve(
                    config,
                    loaded,
                    Some(&theme),
                    &mut Cache::new(),
                    &mut diags,
                );
                assert!(!diags.has_errors());
                site
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(stages, front_matter, markdown, template, resolve);
criterion_main!(stages);
