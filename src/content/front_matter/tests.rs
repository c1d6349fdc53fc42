//! Front matter as a whole: typed keys, other generators' keys and formats, bounds.
use super::*;
use std::path::Path;

fn parse_str(text: &str, kind: Kind) -> (Option<FrontMatter>, Vec<Diagnostic>, Arc<SourceFile>) {
    let source = Arc::new(SourceFile::new(
        Path::new("/r"),
        Path::new("/r/content/a.md"),
        text.into(),
    ));
    let s = split(text).unwrap();
    let mut diags = Vec::new();
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    let settings = Settings {
        tz: &tz,
        term_keys: &["categories"],
    };
    let fm = parse(&source, &s, kind, &settings, &mut diags);
    (fm, diags, source)
}

#[test]
fn typed_keys_and_extra() {
    let (fm, diags, _) = parse_str(
        "---\ntitle: Hallo\ndate: 2007-11-06\nauthors: [ann-labus]\ntags: [A, B]\nregion: Rheinland\nfarbe: blau\n---\n",
        Kind::Page,
    );
    assert!(diags.is_empty(), "{diags:?}");
    let fm = fm.unwrap();
    assert_eq!(fm.title.as_deref(), Some("Hallo"));
    assert_eq!(
        fm.date.unwrap().value.to_string(),
        "2007-11-06T00:00:00+01:00[Europe/Berlin]"
    );
    assert_eq!(fm.authors[0].value, "ann-labus");
    assert_eq!(fm.tags, ["A", "B"]);
    assert_eq!(fm.extra.get("farbe").and_then(|v| v.as_str()), Some("blau"));
}

#[test]
fn yaml_error_line_counts_from_file_start() {
    let (fm, diags, _) = parse_str("---\ntitle: Rust: the good parts\n---\n", Kind::Page);
    assert!(fm.is_none());
    assert_eq!(diags[0].code, "yaml-syntax");
    assert_eq!(diags[0].location(), Some(("content/a.md", 2, 12)));
}

#[test]
fn wrong_type_and_bad_date_point_at_their_values() {
    let (_, diags, _) = parse_str(
        "---\ntitle: A\ntags:\n  a: 1\ndate: 2007-02-30\n---\n",
        Kind::Page,
    );
    let tags = diags.iter().find(|d| d.message.contains("`tags`")).unwrap();
    assert_eq!(tags.location().unwrap().1, 3);
    let date = diags
        .iter()
        .find(|d| d.message.contains("not a valid date"))
        .unwrap();
    assert_eq!(date.location().unwrap().1, 5);
}

#[test]
fn typo_is_a_warning_with_suggestion() {
    let (fm, diags, _) = parse_str("---\ntittle: A\n---\n", Kind::Page);
    assert!(fm.unwrap().extra.contains_key("tittle"));
    assert_eq!(diags[0].help.as_deref(), Some("did you mean `title`?"));
    assert_eq!(diags[0].location(), Some(("content/a.md", 2, 1)));
}

#[test]
fn slug_with_path_parts_is_rejected() {
    let (fm, diags, _) = parse_str("---\nslug: ../../etc\n---\n", Kind::Page);
    assert!(fm.unwrap().slug.is_none());
    assert_eq!(diags[0].code, "front-matter-slug");
}

/// The diagnostic with `code`, which must be there.
fn find<'d>(diags: &'d [Diagnostic], code: &str) -> &'d Diagnostic {
    diags
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no `{code}` in {diags:?}"))
}

#[test]
fn toml_front_matter_reads_like_yaml_and_places_its_errors() {
    let (fm, diags, _) = parse_str(
        "+++\ntitle = \"Hallo\"\ndate = 2023-11-02T08:00:00+02:00\ntags = [\"A\"]\n\n[params]\nfarbe = \"blau\"\n+++\nText\n",
        Kind::Page,
    );
    assert!(diags.is_empty(), "{diags:?}");
    let fm = fm.unwrap();
    assert_eq!(fm.title.as_deref(), Some("Hallo"));
    assert_eq!(
        fm.date.unwrap().value.timestamp().to_string(),
        "2023-11-02T06:00:00Z"
    );
    assert_eq!(fm.tags, ["A"]);
    assert!(fm.extra.contains_key("params"));
    let (fm, diags, _) = parse_str("+++\ntitle = \"A\"\ndate = 2023-13-01\n+++\n", Kind::Page);
    assert!(fm.is_none());
    assert_eq!(diags[0].code, "toml-syntax");
    assert_eq!(diags[0].location().map(|l| l.1), Some(3));
}

#[test]
fn duplicate_key_warns_at_the_repeat_and_the_last_wins() {
    let (fm, diags, _) = parse_str(
        "---\ntitle: A\ndate: 2020-01-01\ntitle: B\n---\n",
        Kind::Page,
    );
    assert_eq!(fm.unwrap().title.as_deref(), Some("B"));
    let d = find(&diags, "front-matter-duplicate");
    assert_eq!(d.location(), Some(("content/a.md", 4, 1)));
}

#[test]
fn foreign_keys_map_to_presswerk_keys_or_extra_and_are_no_typos() {
    let (fm, diags, _) = parse_str(
        "---\ntitle: A\nlastmod: 2021-02-03\npublishdate: 2021-01-01\nexpiryDate: 2030-01-01\n\
         categories: [Verband]\nlayout: post\nurl: /alt/a/\nexcerpt: Kurz\npublished: false\n---\n",
        Kind::Page,
    );
    assert!(diags.is_empty(), "{diags:?}");
    let fm = fm.unwrap();
    assert!(fm.updated.is_some() && fm.publish_date.is_some() && fm.expiry_date.is_some());
    assert_eq!(fm.summary.as_deref(), Some("Kurz"));
    assert!(fm.draft);
    assert_eq!(fm.old_url.unwrap().value, "/alt/a/");
    assert!(fm.extra.contains_key("categories") && fm.extra.contains_key("layout"));
    // A presswerk key written beside its foreign name wins.
    let (fm, _, _) = parse_str(
        "---\ntitle: A\nupdated: 2022-01-01\nlastmod: 2021-02-03\n---\n",
        Kind::Page,
    );
    assert_eq!(fm.unwrap().updated.unwrap().year(), 2022);
}

#[test]
fn author_as_a_name_a_mapping_or_a_list() {
    let (fm, diags, _) = parse_str(
        "---\ntitle: A\nauthor:\n  name: Ann Labus\n  image: /img/ann.jpg\n  bio: Schreibt.\n  links:\n    - website: https://labus.example\n---\n",
        Kind::Page,
    );
    assert!(diags.is_empty(), "{diags:?}");
    let b = &fm.unwrap().bylines[0];
    assert_eq!(b.value.name, "Ann Labus");
    assert_eq!(b.value.link.as_deref(), Some("https://labus.example"));
    assert_eq!(b.value.image.as_deref(), Some("/img/ann.jpg"));
    assert_eq!(b.span.start, 29);
    let (fm, _, _) = parse_str("---\ntitle: A\nauthor: [Ann, Bert]\n---\n", Kind::Page);
    let names: Vec<_> = fm
        .unwrap()
        .bylines
        .into_iter()
        .map(|b| b.value.name)
        .collect();
    assert_eq!(names, ["Ann", "Bert"]);
}

#[test]
fn links_with_other_schemes_are_refused_at_their_value() {
    let (fm, diags, _) = parse_str(
        "---\ntitle: A\nfirst_name: A\nhomepage: \"javascript:alert(1)\"\n---\n",
        Kind::Author,
    );
    assert!(fm.unwrap().homepage.is_none());
    let d = find(&diags, "front-matter-url");
    assert_eq!(d.location(), Some(("content/a.md", 4, 12)));
    let (_, diags, _) = parse_str(
        "---\ntitle: A\nauthor:\n  name: X\n  url: \"data:text/html,x\"\n---\n",
        Kind::Page,
    );
    assert_eq!(
        find(&diags, "front-matter-url").location().map(|l| l.1),
        Some(5)
    );
}

#[test]
fn terms_that_slug_to_nothing_are_errors_at_the_term() {
    let (fm, diags, _) = parse_str(
        "---\ntitle: A\ntags: [Gut, \"..\", \"/\"]\ncategories: [\"!!!\"]\nregion: \"..\"\n---\n",
        Kind::Page,
    );
    let fm = fm.unwrap();
    assert_eq!(fm.tags, ["Gut"]);
    assert!(fm.region.is_none());
    let terms: Vec<_> = diags
        .iter()
        .filter(|d| d.code == "front-matter-term")
        .map(|d| d.location().unwrap())
        .collect();
    assert_eq!(
        terms,
        [
            ("content/a.md", 3, 14),
            ("content/a.md", 3, 20),
            ("content/a.md", 4, 15),
            ("content/a.md", 5, 10)
        ]
    );
}

#[test]
fn alias_bombs_and_deep_nesting_stop_at_a_line() {
    let mut text = String::from("---\ntitle: A\nx: &a \"");
    text.push_str(&"Regionalgruppe ".repeat(100));
    text.push_str("\"\nliste: [");
    text.push_str(&"*a,".repeat(50_000));
    text.push_str("*a]\n---\n");
    let (fm, diags, _) = parse_str(&text, Kind::Page);
    assert!(fm.is_none());
    let d = find(&diags, "front-matter-too-large");
    assert!(d.message.contains("aliases"), "{}", d.message);
    assert_eq!(d.location().map(|l| l.1), Some(3));
    let deep = format!("---\na: {}1{}\n---\n", "[".repeat(40), "]".repeat(40));
    let (_, diags, _) = parse_str(&deep, Kind::Page);
    assert!(
        find(&diags, "front-matter-too-large")
            .message
            .contains("nested")
    );
    let long = format!("---\ntitle: A\n{}---\n", "k: v\n".repeat(60_000));
    let (_, diags, _) = parse_str(&long, Kind::Page);
    let d = find(&diags, "front-matter-too-large");
    assert!(d.message.contains("KiB"), "{}", d.message);
}

#[test]
fn flow_nesting_is_refused_before_the_parser_reads_it() {
    let deep = format!(
        "---\ntitle: A\nt: {}1{}\n---\n",
        "[".repeat(40_000),
        "]".repeat(40_000)
    );
    let started = std::time::Instant::now();
    let (fm, diags, _) = parse_str(&deep, Kind::Page);
    assert!(fm.is_none());
    let d = find(&diags, "front-matter-too-large");
    assert_eq!(d.location(), Some(("content/a.md", 3, 36)));
    // Without the guard this took seconds; the bound is loose on purpose (debug builds).
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    // Brackets in text, quotes and comments open nothing.
    let text = format!(
        "---\ntitle: \"{}\"\nsummary: 'x {}'\nzitat: Text [mit {}\n# {}\ntags: [a, [b], {{c: [d]}}]\n---\n",
        "[".repeat(50),
        "[".repeat(50),
        "[".repeat(50),
        "{".repeat(50)
    );
    let (fm, diags, _) = parse_str(&text, Kind::Page);
    assert!(fm.is_some(), "{diags:?}");
}

#[test]
fn toml_nesting_is_capped_but_brackets_in_strings_are_text() {
    let deep = format!(
        "+++\ntitle = \"A\"\nt = {}1{}\n+++\n",
        "[".repeat(40),
        "]".repeat(40)
    );
    let (fm, diags, _) = parse_str(&deep, Kind::Page);
    assert!(fm.is_none());
    assert_eq!(
        find(&diags, "front-matter-too-large")
            .location()
            .map(|l| l.1),
        Some(3)
    );
    let text = format!(
        "+++\ntitle = \"{}\"\nsummary = '{}'\n[params]\nx = [[1], [2]]\n[[menu.main]]\nname = \"a\"\n+++\n",
        "[".repeat(50),
        "{".repeat(50)
    );
    let (fm, diags, _) = parse_str(&text, Kind::Page);
    assert!(fm.is_some() && diags.is_empty(), "{diags:?}");
}

#[test]
fn a_quote_inside_plain_text_hides_no_brackets() {
    let text = format!(
        "---\nt: [it's, {}1{}']\n---\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    let (_, diags, _) = parse_str(&text, Kind::Page);
    let d = find(&diags, "front-matter-too-large");
    assert!(d.message.contains("nested"), "{}", d.message);
}
