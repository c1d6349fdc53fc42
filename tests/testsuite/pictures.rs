//! Pictures: variants with srcset, width and height, EXIF orientation applied and metadata
//! stripped, the image cache reused and pruned, and bad pictures reported at the line that
//! shows them (each fixture made here, none downloaded).

use std::time::{Duration, Instant};

use crate::harness::{Site, tree};

/// A `w` × `h` JPEG of a colour gradient.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            pixels.extend([(x * 255 / w) as u8, (y * 255 / h) as u8, 120]);
        }
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode(&pixels, w, h, image::ExtendedColorType::Rgb8)
        .expect("JPEG encodes");
    out
}

/// An EXIF APP1 segment (big-endian TIFF) with orientation `orientation` and a GPS IFD
/// holding a latitude reference "N" and the marker text `GPSMARK`.
fn exif_app1(orientation: u16) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0: two entries (Orientation, GPS IFD pointer), then no next IFD.
    tiff.extend(2u16.to_be_bytes());
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend(orientation.to_be_bytes());
    tiff.extend([0, 0]);
    let gps_at = 8 + 2 + 2 * 12 + 4;
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1]);
    tiff.extend((gps_at as u32).to_be_bytes());
    tiff.extend(0u32.to_be_bytes());
    // GPS IFD: GPSLatitudeRef "N", and a user comment-like ASCII tag with the marker.
    tiff.extend(2u16.to_be_bytes());
    tiff.extend([0x00, 0x01, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    let text_at = gps_at + 2 + 2 * 12 + 4;
    tiff.extend([0x00, 0x1b, 0, 7, 0, 0, 0, 8]);
    tiff.extend((text_at as u32).to_be_bytes());
    tiff.extend(0u32.to_be_bytes());
    tiff.extend(b"GPSMARK\0");
    let mut seg = vec![0xFF, 0xE1];
    seg.extend(((tiff.len() + 8) as u16).to_be_bytes());
    seg.extend(b"Exif\0\0");
    seg.extend(tiff);
    seg
}

/// `jpeg` with `app1` put right after its SOI marker.
fn with_segment(jpeg: &[u8], app1: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

/// The width and height of an image file's pixels.
fn size_of(bytes: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory(bytes).expect("a picture");
    (img.width(), img.height())
}

fn site_with_article(body: &str, front: &str) -> Site {
    let site = Site::fixture("basic");
    site.write(
        "content/artikel/bilder.md",
        format!("---\ntitle: Bilder\ndate: 2021-01-01\n{front}---\n\n{body}\n"),
    );
    site
}

#[test]
fn a_photo_turned_by_exif_comes_out_upright_without_its_metadata() {
    let photo = with_segment(&jpeg(1000, 600), &exif_app1(6));
    assert!(photo.windows(7).any(|w| w == b"GPSMARK"));
    let site = site_with_article("![Der Platz](foto.jpg)", "");
    site.write("content/artikel/bilder/foto.jpg", &photo);
    site.run(&["build"]).expect_success();
    let dir = site.path("public/artikel/bilder");
    // Orientation 6: turned a quarter clockwise, 600 × 1000 as shown.
    let widest = std::fs::read(dir.join("foto-600w.jpg")).expect("the full-width variant");
    assert_eq!(size_of(&widest), (600, 1000));
    let small = std::fs::read(dir.join("foto-480w.webp")).expect("a WebP variant");
    assert_eq!(size_of(&small), (480, 800));
    for (name, bytes) in tree(&dir) {
        if name.ends_with(".jpg") || name.ends_with(".webp") {
            assert!(
                !bytes.windows(4).any(|w| w == b"Exif")
                    && !bytes.windows(7).any(|w| w == b"GPSMARK"),
                "{name} keeps metadata"
            );
        }
    }
    // The original (with its GPS position) is not published.
    assert!(!dir.join("foto.jpg").exists());
    let html = site.read("public/artikel/bilder/index.html");
    assert!(html.contains(r#"width="600" height="1000""#), "{html}");
}

/// The markup of one `<figure>` or `<picture>` of a page, with the base URL cut.
fn markup(html: &str, start: &str, end: &str) -> String {
    let at = html.find(start).expect("the element");
    let len = html[at..].find(end).expect("its end") + end.len();
    html[at..at + len].replace("https://test.example", "")
}

#[test]
fn markdown_images_heroes_and_author_photos_have_their_markup() {
    let front = "image:\n  src: held.jpg\n  alt: Die Bühne\n  caption: Das Sommerfest 2021\n  credit: Erika Muster\nauthors: [erika-muster]\n";
    let body = "Vorher.\n\n![Der Saal von oben](saal.jpg \"Der Saal am Abend. Foto: Ann Labus\")\n\nIm Text ![klein](saal.jpg) daneben.";
    let site = site_with_article(body, front);
    site.write("content/artikel/bilder/held.jpg", jpeg(2400, 1600));
    site.write("content/artikel/bilder/saal.jpg", jpeg(1000, 750));
    site.write("static/erika.jpg", jpeg(500, 500));
    let profile = site.read("content/autoren/erika-muster.md");
    site.write(
        "content/autoren/erika-muster.md",
        profile.replacen("---\n", "---\nphoto: /erika.jpg\n", 1),
    );
    site.run(&["build"]).expect_success();
    let html = site.read("public/artikel/bilder/index.html");
    insta::assert_snapshot!(
        "hero",
        markup(&html, "<figure class=\"figure hero\"", "</figure>")
    );
    insta::assert_snapshot!(
        "markdown_figure",
        markup(&html, "<figure class=\"figure\">", "</figure>")
    );
    let inline = &html[html.find("Im Text").expect("inline image")..];
    insta::assert_snapshot!("markdown_inline", markup(inline, "<picture>", "</picture>"));
    let box_at = html.find("author-box").expect("author box");
    insta::assert_snapshot!(
        "author_photo",
        markup(&html[box_at..], "<picture>", "</picture>")
    );
    let og = markup(&html, "<meta property=\"og:image\"", ">");
    assert!(og.contains("/artikel/bilder/held-1200x630.jpg"), "{og}");
    let social = std::fs::read(site.path("public/artikel/bilder/held-1200x630.jpg")).expect("crop");
    assert_eq!(size_of(&social), (1200, 630));
    // No variant wider than its original.
    assert!(!site.path("public/artikel/bilder/saal-1200w.jpg").exists());
    assert!(site.path("public/artikel/bilder/saal-1000w.jpg").exists());
}

/// `PRESSWERK_TIMINGS` says how many pictures a build decoded.
fn processed(stderr: &str) -> usize {
    let at = stderr
        .find("image cache stored (")
        .expect("the timing line")
        + 20;
    stderr[at..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count")
}

fn build_timed(site: &Site) -> String {
    let out = site
        .cmd(&["build"])
        .env("PRESSWERK_TIMINGS", "1")
        .output()
        .expect("presswerk runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn cache_files(site: &Site) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.path(".presswerk-cache/images"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.retain(|n| n != "index.tsv");
    names.sort();
    names
}

#[test]
fn a_second_build_processes_no_picture_and_unused_entries_are_pruned() {
    let site = site_with_article("![Eins](eins.jpg)\n\n![Zwei](zwei.png)", "");
    site.write("content/artikel/bilder/eins.jpg", jpeg(900, 600));
    site.write("content/artikel/bilder/zwei.png", png(300, 200));
    assert_eq!(processed(&build_timed(&site)), 2);
    let first = tree(&site.path("public"));
    assert_eq!(processed(&build_timed(&site)), 0);
    assert_eq!(
        tree(&site.path("public")),
        first,
        "the same output from the cache"
    );
    let before = cache_files(&site);
    assert!(before.iter().any(|n| n.ends_with(".png")));
    // zwei.png goes: its variants leave the cache.
    site.write(
        "content/artikel/bilder.md",
        "---\ntitle: Bilder\ndate: 2021-01-01\n---\n\n![Eins](eins.jpg)\n",
    );
    assert_eq!(processed(&build_timed(&site)), 0);
    let pruned = tree(&site.path("public"));
    let after = cache_files(&site);
    assert!(
        after.len() < before.len() && !after.iter().any(|n| n.ends_with(".png")),
        "{after:?}"
    );
    // A damaged entry is made again, with a warning.
    let victim = site.path(".presswerk-cache/images").join(&after[0]);
    std::fs::write(&victim, b"kaputt").expect("damage the entry");
    let stderr = build_timed(&site);
    assert!(stderr.contains("damaged picture in the cache"), "{stderr}");
    assert_eq!(processed(&stderr), 1);
    assert_eq!(
        tree(&site.path("public")),
        pruned,
        "the damaged entry made again"
    );
}

#[test]
fn templates_ask_for_variants_and_read_sizes_in_every_build() {
    let site = site_with_article("Text.", "");
    site.write("content/artikel/bilder/foto.jpg", jpeg(1000, 600));
    site.write("static/bilder/logo.png", png(300, 200));
    // The site's own page template, printing what the functions give.
    site.write(
        "templates/page.html",
        concat!(
            "{% set f = resize_image(path=\"@/artikel/bilder/foto.jpg\", width=320, height=200, op=\"fill\") %}",
            "{% set w = resize_image(path=\"@/artikel/bilder/foto.jpg\", width=400) %}",
            "{% set m = image_meta(path=\"/bilder/logo.png\") %}",
            "fill {{ f.url }} {{ f.width }}x{{ f.height }}\n",
            "fit {{ w.permalink }} {{ w.width }}x{{ w.height }}\n",
            "meta {{ m.width }}x{{ m.height }} {{ m.format }}\n",
        ),
    );
    site.run(&["build"]).expect_success();
    let page = site.read("public/artikel/bilder/index.html");
    assert!(
        page.contains("fill /artikel/bilder/foto-320x200.jpg 320x200\n"),
        "{page}"
    );
    assert!(
        page.contains("fit https://test.example/artikel/bilder/foto-400w.jpg 400x240\n"),
        "{page}"
    );
    assert!(page.contains("meta 300x200 png\n"), "{page}");
    let crop = std::fs::read(site.path("public/artikel/bilder/foto-320x200.jpg"));
    assert_eq!(size_of(&crop.expect("the crop")), (320, 200));
    let first = tree(&site.path("public"));
    // With the build cache, a second build still asks for them (and gets them).
    site.run(&["build"]).expect_success();
    assert_eq!(tree(&site.path("public")), first);
    // A bad call is a template error naming the picture.
    site.write(
        "templates/page.html",
        "{{ resize_image(path=\"@/artikel/bilder/fehlt.jpg\", width=10).url }}",
    );
    let run = site.run(&["build"]).expect_failure();
    assert!(run.stderr().contains("fehlt.jpg"), "{}", run.stderr());
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 9]));
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("PNG encodes");
    out
}

/// A PNG whose header claims `w` × `h` pixels, with almost no data.
fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    fn crc(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc(&body).to_be_bytes());
        out
    };
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

#[test]
fn bad_pictures_fail_the_build_at_their_line_and_leave_public_untouched() {
    let good = jpeg(800, 600);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "kaputt.jpg",
            b"das ist kein Bild, nur Text".to_vec(),
            "picture is broken",
        ),
        (
            "halb.jpg",
            good[..good.len() / 2].to_vec(),
            "picture is broken",
        ),
        (
            "bild.jpg",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            "format presswerk does not read",
        ),
        ("bombe.png", png_header_only(60_000, 60_000), "too large"),
    ];
    for (name, bytes, message) in cases {
        let site = Site::fixture("basic");
        site.build();
        let before = tree(&site.path("public"));
        site.write(
            "content/artikel/bilder.md",
            format!("---\ntitle: Bilder\ndate: 2021-01-01\n---\n\nText.\n\n![Ein Bild]({name})\n"),
        );
        site.write(&format!("content/artikel/bilder/{name}"), &bytes);
        let start = Instant::now();
        let run = site.run(&["build"]).expect_failure();
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{name}: took {:?}",
            start.elapsed()
        );
        let err = run.stderr();
        assert!(err.contains(message), "{name}: {err}");
        assert!(
            err.contains("--> content/artikel/bilder.md:8:13"),
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert_eq!(
            tree(&site.path("public")),
            before,
            "{name}: public/ changed"
        );
        // check reports it too, and still checks the links.
        let check = site.run(&["check"]).expect_failure();
        assert!(
            check.stderr().contains(message) && check.stderr().contains("internal links"),
            "{name}: {}",
            check.stderr()
        );
    }
}

#[test]
fn a_missing_hero_is_an_error_at_its_front_matter_line() {
    let site = Site::fixture("basic");
    site.build();
    let before = tree(&site.path("public"));
    site.write(
        "content/artikel/bilder.md",
        "---\ntitle: Bilder\ndate: 2021-01-01\nimage: fehlt.jpg\n---\n\nText.\n",
    );
    let run = site.run(&["build"]).expect_failure();
    assert!(
        run.stderr().contains("picture not found: `fehlt.jpg`"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("--> content/artikel/bilder.md:4:8"),
        "{}",
        run.stderr()
    );
    assert_eq!(tree(&site.path("public")), before);
}

#[test]
fn a_missing_markdown_picture_or_author_photo_fails_the_build_at_its_line() {
    let cases = [
        (
            "content/artikel/bilder.md",
            "---\ntitle: Bilder\ndate: 2021-01-01\n---\n\nText.\n\n![Der Platz](platz.jpg)\n",
            "picture not found: `platz.jpg`",
            "--> content/artikel/bilder.md:8:14",
        ),
        (
            "content/autoren/erika-muster.md",
            "---\nfirst_name: Erika\nlast_name: Muster\nphoto: erika.jpg\n---\n\nText.\n",
            "picture not found: `erika.jpg`",
            "--> content/autoren/erika-muster.md:4:8",
        ),
    ];
    for (file, text, message, at) in cases {
        let site = Site::fixture("basic");
        site.build();
        let before = tree(&site.path("public"));
        site.write(file, text);
        let run = site.run(&["build"]).expect_failure();
        let err = run.stderr();
        assert!(err.contains(message) && err.contains(at), "{file}: {err}");
        assert_eq!(
            tree(&site.path("public")),
            before,
            "{file}: public/ changed"
        );
        // `check` names it once, as the build does, not a second time as a broken link.
        let run = site.run(&["check"]).expect_failure();
        let check = run.stderr();
        assert_eq!(check.matches(message).count(), 1, "{file}: {check}");
        assert!(!check.contains("broken link"), "{file}: {check}");
    }
}

#[test]
fn the_e_mail_shows_heroes_and_pictures_as_single_jpeg_images_sized_for_its_column() {
    let site = Site::fixture("editions");
    let article = "content/artikel/2020-03-02-bruecken-fuer-koeln.md";
    let text = site.read(article);
    let text = text.replacen(
        "tags: [Verkehr]\n",
        "tags: [Verkehr]\nimage:\n  src: held.jpg\n  alt: Die Brücke\n",
        1,
    );
    // The summary (before the marker) holds a picture too.
    let text = text.replacen(
        "---\n\n",
        "---\n\n![Der Rhein](rhein.jpg \"Am Ufer. Foto: Ann Labus\")\n\n<!-- more -->\n\n",
        1,
    );
    site.write(article, text);
    site.write(
        "content/artikel/2020-03-02-bruecken-fuer-koeln/held.jpg",
        jpeg(2000, 1000),
    );
    site.write(
        "content/artikel/2020-03-02-bruecken-fuer-koeln/rhein.jpg",
        jpeg(1600, 1200),
    );
    site.run(&["build"]).expect_success();
    let mail = site.read("public/ausgaben/2020-03/email.html");
    assert!(
        !mail.contains(".webp") && !mail.contains("<source") && !mail.contains("srcset"),
        "{mail}"
    );
    let hero = markup(&mail, "<img class=\"hero\"", ">");
    assert!(
        hero.contains("/held-1200w.jpg\"") && hero.contains("width=\"552\" height=\"276\""),
        "{hero}"
    );
    assert!(hero.contains("alt=\"Die Brücke\""), "{hero}");
    let picture = markup(
        &mail,
        "<img src=\"https://test.example/artikel/bruecken-fuer-koeln/rhein-1200w.jpg\"",
        ">",
    );
    assert!(
        picture.contains("width=\"552\" height=\"414\"") && picture.contains("alt=\"Der Rhein\""),
        "{picture}"
    );
    let caption = markup(&mail, "<figcaption", "</figcaption>");
    assert!(
        caption.contains("style=") && caption.contains("Foto: Ann Labus"),
        "{caption}"
    );
    let figure = markup(&mail, "<figure", ">");
    assert!(figure.contains("margin: 0 0 16px"), "{figure}");
    // The e-mail check (WebP, srcset, width, alt) has nothing to say about it.
    let run = site.run(&["check"]);
    assert!(!run.stderr().contains("email-image"), "{}", run.stderr());
    // The page's markup in the e-mail template becomes the single JPEG too.
    let theme_mail = site.read("themes/kontor/templates/email.html");
    let marked = "{{ item.title }}</a></h2>";
    site.write(
        "templates/email.html",
        theme_mail.replacen(
            marked,
            &format!("{marked}{{{{ item.image.html | safe }}}}"),
            1,
        ),
    );
    site.run(&["build"]).expect_success();
    let mail = site.read("public/ausgaben/2020-03/email.html");
    assert!(
        !mail.contains(".webp") && !mail.contains("<picture"),
        "{mail}"
    );
    // A WebP file written into the e-mail by hand is warned about.
    let webp = "<img src=\"https://test.example/a.webp\" width=\"10\" alt=\"\">";
    site.write(
        "templates/email.html",
        theme_mail.replacen(marked, &format!("{marked}{webp}"), 1),
    );
    let run = site.run(&["check"]);
    assert!(
        run.stderr().contains("an image of the e-mail is WebP"),
        "{}{}",
        run.stderr(),
        run.stdout()
    );
}
