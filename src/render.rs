//! Render: the Tera environment (theme + site overrides), template values, and the parallel
//! rendering of every page into an [`Output`].
//!
//! Each page, section and author is turned into a `tera::Value` once; those values share
//! their strings and lists through reference counts, so a section listing 10,000 articles
//! and the articles' own pages use the same data, and a per-page context is a few pointers.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use crate::config::Config;
use crate::content::walk_files;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::markdown::TocEntry;
use crate::output::{Entry, Output};
use crate::site::{Author, Page, Section, Site};
use crate::source::{SourceFile, display_path};

/// The templates, labels and static files a site renders with.
pub struct Theme {
    tera: Tera,
    /// Template name → its file, for diagnostics.
    sources: HashMap<String, Arc<SourceFile>>,
    /// Static files, theme first, the site's own overriding by name.
    statics: BTreeMap<String, std::path::PathBuf>,
}

impl Theme {
    /// Whether a template of that name exists.
    pub fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }
}

fn theme_dir(config: &Config) -> Option<std::path::PathBuf> {
    config
        .theme
        .as_ref()
        .map(|t| config.root.join("themes").join(t))
}

/// Loads templates (`themes/<theme>/templates/`, overridden file by file by `templates/`),
/// the labels of the site's language and the static files. Problems go to `diags`.
pub fn load_theme(config: &Config, diags: &mut Diagnostics) -> Option<Theme> {
    let root = &config.root;
    let theme = theme_dir(config);
    if let (Some(dir), Some(name)) = (&theme, &config.theme)
        && !dir.is_dir()
    {
        let span = config.source.text.find("theme").map_or(0..0, |i| i..i + 5);
        diags.push(
            Diagnostic::error("theme-missing", format!("theme `{name}` not found"))
                .at(&config.source, span, format!("no folder themes/{name}/"))
                .help("put the theme in themes/<name>/, or remove `theme` to use only templates/"),
        );
        return None;
    }

    // Templates: name → file; the site's own templates replace the theme's of the same name.
    let mut templates: BTreeMap<String, Arc<SourceFile>> = BTreeMap::new();
    for dir in theme
        .iter()
        .map(|t| t.join("templates"))
        .chain([root.join("templates")])
    {
        for path in walk_files(root, &dir, diags) {
            let name = display_path(&dir, &path);
            match read_text(root, &path) {
                Ok(src) => {
                    templates.insert(name, src);
                }
                Err(d) => diags.push(*d),
            }
        }
    }

    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    register(&mut tera, config);
    tera.global_context()
        .insert_value("site", site_value(config));
    tera.global_context().insert("lang", &config.language);
    tera.global_context()
        .insert_value("t", labels(config, theme.as_deref(), diags));

    let batch: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, s)| (n.as_str(), s.text.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(batch) {
        let sources = templates_by_name(&templates);
        // Tera stops at the first template that does not parse: parse each alone to report
        // every syntax error. Only then does it check references (filters, includes,
        // blocks), all of them at once.
        let mut found = false;
        for (name, src) in &templates {
            let mut single = Tera::new();
            register(&mut single, config);
            if let Err(e) = single.add_raw_template(name, &src.text)
                && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
            {
                diags.push(template_error(&e, &sources, None));
                found = true;
            }
        }
        if !found {
            match e.kind() {
                tera::ErrorKind::Msg(reports) => diags.extend(reference_errors(reports, &sources)),
                _ => diags.push(template_error(&e, &sources, None)),
            }
        }
        return None;
    }

    let mut statics = BTreeMap::new();
    for dir in theme
        .iter()
        .map(|t| t.join("static"))
        .chain([root.join("static")])
    {
        for path in walk_files(root, &dir, diags) {
            statics.insert(display_path(&dir, &path), path);
        }
    }
    Some(Theme {
        tera,
        sources: templates_by_name(&templates),
        statics,
    })
}

fn templates_by_name(t: &BTreeMap<String, Arc<SourceFile>>) -> HashMap<String, Arc<SourceFile>> {
    t.iter().map(|(k, v)| (k.clone(), Arc::clone(v))).collect()
}

fn read_text(root: &Path, path: &Path) -> Result<Arc<SourceFile>, Box<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(
            Diagnostic::error("io", format!("cannot read file: {e}"))
                .in_file(display_path(root, path)),
        )
    })?;
    crate::content::decode_utf8(root, path, bytes).map(Arc::new)
}

/// The labels of `i18n/<language>.toml`: the theme's, overridden key by key by the site's.
fn labels(config: &Config, theme: Option<&Path>, diags: &mut Diagnostics) -> Value {
    let file = format!("{}.toml", config.language);
    let mut map = tera::Map::new();
    let mut found = false;
    for dir in theme
        .into_iter()
        .map(|t| t.join("i18n"))
        .chain([config.root.join("i18n")])
    {
        let path = dir.join(&file);
        if !path.is_file() {
            continue;
        }
        found = true;
        let src = match read_text(&config.root, &path) {
            Ok(s) => s,
            Err(d) => {
                diags.push(*d);
                continue;
            }
        };
        match toml::from_str::<BTreeMap<String, String>>(&src.text) {
            Ok(table) => {
                for (k, v) in table {
                    map.insert(k.into(), Value::from(v));
                }
            }
            Err(e) => diags.push(
                Diagnostic::error("i18n-syntax", "invalid label file")
                    .at(
                        &src,
                        e.span().unwrap_or(0..0),
                        e.message().trim().to_string(),
                    )
                    .help("a label file holds lines like `key = \"Text\"`"),
            ),
        }
    }
    if !found && theme.is_some() {
        diags.push(
            Diagnostic::error(
                "i18n-missing",
                format!("no labels for language `{}`", config.language),
            )
            .in_file(format!(
                "themes/{}/i18n/{file}",
                config.theme.as_deref().unwrap_or("")
            ))
            .help("add the file, or set `language` in site.toml to one the theme has"),
        );
    }
    Value::from(map)
}

fn site_value(config: &Config) -> Value {
    let mut m = tera::Map::new();
    m.insert("title".into(), Value::from(config.title.as_str()));
    m.insert(
        "description".into(),
        Value::from(config.description.as_str()),
    );
    m.insert("base_url".into(), Value::from(config.base_url.as_str()));
    m.insert("language".into(), Value::from(config.language.as_str()));
    m.insert(
        "extra".into(),
        Value::try_from_serializable(&config.extra).unwrap_or_else(|_| Value::none()),
    );
    Value::from(m)
}

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Formats the date part of an RFC 3339 value: `long` ("6. November 2007" / "November 6,
/// 2007"), `short` ("06.11.2007" / "11/06/2007") or `iso` ("2007-11-06").
pub fn format_date(value: &str, format: &str, language: &str) -> Result<String, String> {
    let date: jiff::civil::Date = value
        .get(..10)
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| format!("format_date: `{value}` is not a date"))?;
    let (y, m, d) = (date.year(), date.month(), date.day());
    let month = usize::try_from(m - 1).unwrap_or(0);
    Ok(match (format, language) {
        ("iso", _) => format!("{y:04}-{m:02}-{d:02}"),
        ("short", "de") => format!("{d:02}.{m:02}.{y:04}"),
        ("short", _) => format!("{m:02}/{d:02}/{y:04}"),
        ("long", "de") => format!("{d}. {} {y}", MONTHS_DE[month]),
        ("long", _) => format!("{} {d}, {y}", MONTHS_EN[month]),
        (other, _) => {
            return Err(format!(
                "format_date: unknown format `{other}` (long, short, iso)"
            ));
        }
    })
}

fn register(tera: &mut Tera, config: &Config) {
    let language = config.language.clone();
    tera.register_filter(
        "format_date",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format: Option<&str> = kwargs.get("format")?;
            format_date(value, format.unwrap_or("long"), &language).map_err(tera::Error::message)
        },
    );
    let base = config.base_url.clone();
    tera.register_function(
        "get_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            Ok(format!("{}/{}", base, path.trim_start_matches('/')))
        },
    );
}

fn opt(v: Option<&str>) -> Value {
    v.map_or_else(Value::none, Value::from)
}

fn rfc3339(z: Option<&jiff::ZonedDateTime>) -> Value {
    z.map_or_else(Value::none, |z| {
        Value::from(z.timestamp().display_with_offset(z.offset()).to_string())
    })
}

fn toc_value(toc: &[TocEntry]) -> Value {
    Value::try_from_serializable(toc).unwrap_or_else(|_| Value::from(Vec::<Value>::new()))
}

fn author_value(a: &Author) -> Value {
    let f = &a.front;
    let mut address = tera::Map::new();
    address.insert("street".into(), opt(f.address.street.as_deref()));
    address.insert("postal_code".into(), opt(f.address.postal_code.as_deref()));
    address.insert("city".into(), opt(f.address.city.as_deref()));
    let mut m = tera::Map::new();
    m.insert("slug".into(), Value::from(a.slug.as_str()));
    m.insert("path".into(), Value::from(a.path.as_str()));
    m.insert("permalink".into(), Value::from(a.permalink.as_str()));
    m.insert("title".into(), Value::from(a.title.as_str()));
    m.insert("first_name".into(), opt(f.first_name.as_deref()));
    m.insert("last_name".into(), opt(f.last_name.as_deref()));
    m.insert("company".into(), opt(f.company.as_deref()));
    m.insert("address".into(), Value::from(address));
    m.insert("homepage".into(), opt(f.homepage.as_deref()));
    m.insert("industry".into(), opt(f.industry.as_deref()));
    m.insert("email".into(), opt(f.email.as_deref()));
    m.insert("photo".into(), opt(f.photo.as_deref()));
    m.insert("bio".into(), Value::safe_string(&a.bio.html));
    m.insert("summary".into(), opt(f.summary.as_deref()));
    m.insert(
        "extra".into(),
        Value::try_from_serializable(&f.extra).unwrap_or_else(|_| Value::none()),
    );
    Value::from(m)
}

/// Plain text of a bit of HTML, for meta descriptions.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_value(p: &Page, site: &Site, authors: &[Value]) -> Value {
    let f = &p.front;
    let mut m = tera::Map::new();
    m.insert("title".into(), opt(f.title.as_deref()));
    m.insert("slug".into(), Value::from(p.slug.as_str()));
    m.insert("path".into(), Value::from(p.path.as_str()));
    m.insert("permalink".into(), Value::from(p.permalink.as_str()));
    m.insert("date".into(), rfc3339(p.date.as_ref()));
    m.insert("updated".into(), rfc3339(f.updated.as_ref()));
    m.insert(
        "summary".into(),
        p.summary_html
            .as_deref()
            .map_or_else(Value::none, Value::safe_string),
    );
    let description = f
        .description
        .clone()
        .or_else(|| f.summary.clone())
        .unwrap_or_else(|| {
            p.summary_html
                .as_deref()
                .map(strip_tags)
                .unwrap_or_default()
        });
    m.insert("description".into(), Value::from(description));
    m.insert("content".into(), Value::safe_string(&p.content.html));
    m.insert("toc".into(), toc_value(&p.content.toc));
    m.insert(
        "tags".into(),
        Value::from(
            f.tags
                .iter()
                .map(|t| Value::from(t.as_str()))
                .collect::<Vec<_>>(),
        ),
    );
    m.insert("region".into(), opt(f.region.as_deref()));
    m.insert(
        "authors".into(),
        Value::from(
            p.authors
                .iter()
                .map(|&i| authors[i].clone())
                .collect::<Vec<_>>(),
        ),
    );
    m.insert("word_count".into(), Value::from(p.content.word_count));
    m.insert(
        "reading_time".into(),
        Value::from(p.content.word_count.div_ceil(200).max(1)),
    );
    m.insert(
        "extra".into(),
        Value::try_from_serializable(&f.extra).unwrap_or_else(|_| Value::none()),
    );
    m.insert("draft".into(), Value::from(f.draft));
    m.insert(
        "section".into(),
        Value::from(site.sections[p.section].dir.as_str()),
    );
    Value::from(m)
}

fn section_value(s: &Section, sections: &[Section], pages: &[Value]) -> Value {
    let mut m = tera::Map::new();
    m.insert("title".into(), Value::from(s.title.as_str()));
    m.insert("path".into(), Value::from(s.path.as_str()));
    m.insert("permalink".into(), Value::from(s.permalink.as_str()));
    m.insert("content".into(), Value::safe_string(&s.content.html));
    m.insert("description".into(), opt(s.front.description.as_deref()));
    m.insert(
        "pages".into(),
        Value::from(
            s.pages
                .iter()
                .map(|&i| pages[i].clone())
                .collect::<Vec<_>>(),
        ),
    );
    let subsections = s
        .subsections
        .iter()
        .map(|&i| {
            let sub = &sections[i];
            let mut m = tera::Map::new();
            m.insert("title".into(), Value::from(sub.title.as_str()));
            m.insert("path".into(), Value::from(sub.path.as_str()));
            m.insert("permalink".into(), Value::from(sub.permalink.as_str()));
            Value::from(m)
        })
        .collect::<Vec<_>>();
    m.insert("subsections".into(), Value::from(subsections));
    m.insert(
        "extra".into(),
        Value::try_from_serializable(&s.front.extra).unwrap_or_else(|_| Value::none()),
    );
    Value::from(m)
}

/// One file to render.
enum Job {
    Section(usize),
    Page(usize),
    Author(usize),
    NotFound,
}

/// Renders the whole site into an [`Output`]. Problems go to `diags`.
pub fn render(site: &Site, theme: &Theme, diags: &mut Diagnostics) -> Output {
    let author_values: Vec<Value> = site.authors.iter().map(author_value).collect();
    let page_values: Vec<Value> = site
        .pages
        .par_iter()
        .map(|p| page_value(p, site, &author_values))
        .collect();
    let section_values: Vec<Value> = site
        .sections
        .iter()
        .map(|s| section_value(s, &site.sections, &page_values))
        .collect();
    let latest: Value = Value::from(
        site.latest()
            .into_iter()
            .filter(|&i| Some(site.pages[i].section) != site.authors_section())
            .take(site.config.home_latest)
            .map(|i| page_values[i].clone())
            .collect::<Vec<_>>(),
    );

    let mut jobs: Vec<Job> = (0..site.sections.len()).map(Job::Section).collect();
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend((0..site.authors.len()).map(Job::Author));
    if theme.has_template("404.html") {
        jobs.push(Job::NotFound);
    }

    let rendered: Vec<(String, Result<Vec<u8>, Diagnostic>)> = jobs
        .par_iter()
        .map(|job| {
            let mut ctx = Context::new();
            let (template, path, source) = match *job {
                Job::Section(i) => {
                    let s = &site.sections[i];
                    ctx.insert_value("section", section_values[i].clone());
                    if i == 0 {
                        ctx.insert_value("latest", latest.clone());
                    }
                    if Some(i) == site.authors_section() {
                        ctx.insert_value("authors", Value::from(author_values.clone()));
                    }
                    (s.template.as_str(), s.path.as_str(), s.source.as_ref())
                }
                Job::Page(i) => {
                    let p = &site.pages[i];
                    ctx.insert_value("page", page_values[i].clone());
                    (p.template.as_str(), p.path.as_str(), Some(&p.source))
                }
                Job::Author(i) => {
                    let a = &site.authors[i];
                    ctx.insert_value("author", author_values[i].clone());
                    ctx.insert_value(
                        "pages",
                        Value::from(
                            a.pages
                                .iter()
                                .map(|&p| page_values[p].clone())
                                .collect::<Vec<_>>(),
                        ),
                    );
                    (a.template.as_str(), a.path.as_str(), Some(&a.source))
                }
                Job::NotFound => ("404.html", "/404.html", None),
            };
            ctx.insert("current_path", path);
            let file = if path.ends_with('/') {
                format!("{}index.html", &path[1..])
            } else {
                path[1..].to_string()
            };
            let mut buf = Vec::with_capacity(16 * 1024);
            let result = theme
                .tera
                .render_to(template, &ctx, &mut buf)
                .map(|()| buf)
                .map_err(|e| template_error(&e, &theme.sources, source.map(|s| s.name.as_str())));
            (file, result)
        })
        .collect();

    let mut output = Output::new();
    for (name, path) in &theme.statics {
        if let Err(e) = output.insert(name.clone(), Entry::Copy(path.clone())) {
            diags.push(
                Diagnostic::error("unsafe-path", format!("refusing to write `{}`", e.0))
                    .in_file(display_path(&site.config.root, path)),
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
                .in_file(display_path(&site.config.root, &asset.path))
                .help("a static file has the same name; rename one of them"),
            );
        }
        if let Err(e) = output.insert(asset.output.clone(), Entry::Copy(asset.path.clone())) {
            diags.push(
                Diagnostic::error("unsafe-path", format!("refusing to write `{}`", e.0))
                    .in_file(display_path(&site.config.root, &asset.path)),
            );
        }
    }
    // The same template bug fails every page that uses it: report it once, with a count.
    let mut errors: BTreeMap<String, (Diagnostic, usize)> = BTreeMap::new();
    for (file, result) in rendered {
        match result {
            Ok(bytes) => {
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
                if let Err(e) = output.insert(file, Entry::Bytes(bytes)) {
                    diags.push(Diagnostic::error(
                        "unsafe-path",
                        format!("refusing to write `{}`", e.0),
                    ));
                }
            }
            Err(d) => {
                let key = format!("{:?}{}", d.location(), d.message);
                errors.entry(key).or_insert((d, 0)).1 += 1;
            }
        }
    }
    for (_, (mut d, n)) in errors {
        if n > 1 {
            d.message = format!("{} (in {n} pages)", d.message);
        }
        diags.push(d);
    }
    output
}

/// Tera reports unknown filters, functions, includes and blocks as one message of
/// pre-rendered reports (`error: …` / ` --> name:line:col`), naming templates, not files.
/// Each becomes a diagnostic in the template's file; text that does not look like a report
/// is kept whole.
fn reference_errors(reports: &str, sources: &HashMap<String, Arc<SourceFile>>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for report in reports.split("\n\n").filter(|r| !r.trim().is_empty()) {
        let message = report
            .lines()
            .next()
            .unwrap_or(report)
            .trim()
            .trim_start_matches("error:")
            .trim();
        let located = report
            .lines()
            .find_map(|l| l.trim().strip_prefix("--> "))
            .and_then(|loc| {
                let mut parts = loc.rsplitn(3, ':');
                let col: usize = parts.next()?.trim().parse().ok()?;
                let line: usize = parts.next()?.trim().parse().ok()?;
                let src = sources.get(parts.next()?)?;
                let width = report
                    .lines()
                    .last()
                    .map_or(1, |l| l.matches('^').count().max(1));
                let start = src.line_offset(line);
                let line_text = &src.text[start..];
                let from = line_text
                    .char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(line_text.len(), |(i, _)| i);
                let to = line_text[from..]
                    .char_indices()
                    .nth(width)
                    .map_or(line_text.len(), |(i, _)| from + i);
                Some((Arc::clone(src), start + from..start + to))
            });
        let d = Diagnostic::error("template-reference", format!("template error: {message}"));
        out.push(match located {
            Some((src, span)) => d
                .at(&src, span, message.to_string())
                .help("check the name: filters, functions and included templates must exist"),
            None => d,
        });
    }
    out
}

/// Every template a page asks for must exist: one error per missing name, at the
/// `template:` key that asked for it, or naming the theme for a default template.
pub fn check_templates(site: &Site, theme: &Theme, diags: &mut Diagnostics) {
    let mut reported: Vec<String> = Vec::new();
    let names: Vec<&str> = theme.tera.get_template_names().collect();
    let mut check = |name: &str,
                     asked: Option<(&Arc<SourceFile>, &crate::source::Span)>,
                     diags: &mut Diagnostics| {
        if theme.has_template(name) || reported.iter().any(|r| r == name) {
            return;
        }
        // Compare names without their extension: `.html` would make any two names look alike.
        let stem = |n: &str| n.rsplit_once('.').map_or(n, |(s, _)| s).to_string();
        let stems: Vec<String> = names.iter().map(|n| stem(n)).collect();
        let help = match did_you_mean(&stem(name), stems.iter().map(String::as_str)) {
            Some(n) => format!(
                "did you mean `{}`?",
                names[stems.iter().position(|s| s == n).unwrap_or(0)]
            ),
            None => format!("add templates/{name} to the site or to the theme"),
        };
        let d = Diagnostic::error("template-missing", format!("template `{name}` not found"));
        diags.push(match asked {
            Some((src, span)) => d
                .at(src, span.clone(), "no template of this name")
                .help(help),
            None => d
                .in_file(site.config.theme.as_ref().map_or_else(
                    || "templates/".to_string(),
                    |t| format!("themes/{t}/templates/"),
                ))
                .help(help),
        });
        if asked.is_none() {
            reported.push(name.to_string());
        }
    };
    for s in &site.sections {
        let asked = s
            .front
            .template
            .as_ref()
            .and_then(|t| s.source.as_ref().map(|src| (src, &t.span)));
        check(&s.template, asked, diags);
    }
    for p in &site.pages {
        check(
            &p.template,
            p.front.template.as_ref().map(|t| (&p.source, &t.span)),
            diags,
        );
    }
    for a in &site.authors {
        check(
            &a.template,
            a.front.template.as_ref().map(|t| (&a.source, &t.span)),
            diags,
        );
    }
}

/// A Tera error as a diagnostic in the template file, naming the content file being rendered.
fn template_error(
    e: &tera::Error,
    sources: &HashMap<String, Arc<SourceFile>>,
    rendering: Option<&str>,
) -> Diagnostic {
    use std::error::Error as _;
    let while_rendering = rendering.map(|r| format!("while rendering {r}"));
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => Some(("template-syntax", "template syntax error", r)),
        tera::ErrorKind::RenderingError(r) => Some(("template-render", "template error", r)),
        _ => None,
    };
    if let Some((code, title, r)) = report
        && let Some(src) = sources.get(r.filename())
    {
        let mut message = r.message().to_string();
        let mut cause = e.source();
        while let Some(c) = cause {
            message.push_str(": ");
            message.push_str(&c.to_string());
            cause = c.source();
        }
        let d = Diagnostic::error(code, format!("{title} in {}", r.filename())).at(
            src,
            r.span().range.clone(),
            message,
        );
        return match while_rendering {
            Some(w) => d.help(w),
            None => d.help("see the Tera documentation for the template syntax"),
        };
    }
    let mut message = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    let d = Diagnostic::error("template", message);
    match rendering {
        Some(r) => d.in_file(r.to_string()),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_languages() {
        let v = "2007-11-06T00:00:00+01:00";
        assert_eq!(format_date(v, "long", "de").unwrap(), "6. November 2007");
        assert_eq!(format_date(v, "long", "en").unwrap(), "November 6, 2007");
        assert_eq!(format_date(v, "short", "de").unwrap(), "06.11.2007");
        assert_eq!(format_date(v, "iso", "de").unwrap(), "2007-11-06");
        assert_eq!(
            format_date("2026-03-01", "long", "de").unwrap(),
            "1. März 2026"
        );
        assert!(format_date("gestern", "long", "de").is_err());
        assert!(format_date(v, "kurz", "de").is_err());
    }

    #[test]
    fn strip_tags_gives_plain_text() {
        assert_eq!(
            strip_tags("<p>Ein <em>kurzer</em>\nText</p>\n"),
            "Ein kurzer Text"
        );
    }
}
