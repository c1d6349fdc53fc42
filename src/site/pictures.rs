//! The site's pictures: which file a Markdown image, a hero image (`image:` in front matter)
//! or an author's `photo:` names, and its [`Picture`] from the [`Pipeline`]. A picture that
//! cannot be shown is an error at the line that names it; the image stays as written and the
//! build goes on to report everything else (and then fails, leaving `public/` as it was).
//! A photo that is not there is such an error too (in `build`, not only in `check`): a page
//! must not go out with a hole where its picture was. Pictures a theme ships (its `static/`)
//! are shown as written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Author, CopiedFile, Page};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::images::{Caption, ImageError, Picture, Pipeline, caption_from_title};
use crate::markdown::{ImageRef, Shown};
use crate::source::{SourceFile, Span};

/// Extensions of the pictures presswerk processes.
const PROCESSED: &[&str] = &["jpg", "jpeg", "png", "webp"];
/// Extensions of pictures no browser shows: an error, with the hint to convert them.
const REFUSED: &[&str] = &[
    "bmp", "tif", "tiff", "heic", "heif", "psd", "raw", "cr2", "nef",
];

/// Where the site's picture files are: output path → file, for colocated files; `static/`.
#[derive(Debug)]
pub(crate) struct Pictures {
    pub(crate) pipeline: Arc<Pipeline>,
    by_output: HashMap<String, PathBuf>,
    statics: PathBuf,
    /// The theme's `static/`: its pictures are the theme's, copied as they are.
    theme_statics: Option<PathBuf>,
    content: PathBuf,
}

impl Pictures {
    pub(crate) fn new(pipeline: Arc<Pipeline>, config: &Config, assets: &[CopiedFile]) -> Self {
        Pictures {
            pipeline,
            by_output: assets
                .iter()
                .map(|a| (a.output.clone(), a.path.clone()))
                .collect(),
            statics: config.root.join("static"),
            theme_statics: config
                .theme
                .as_ref()
                .map(|t| config.root.join("themes").join(t).join("static")),
            content: config.root.join("content"),
        }
    }

    /// The file and output path of a picture a template names: `@/artikel/x/foto.jpg` (a
    /// file of `content/`), or its path in the output (`/bilder/a.png`, also from `static/`).
    pub(crate) fn file_for_template(&self, path: &str) -> Option<(PathBuf, String)> {
        if let Some(content) = path.strip_prefix("@/") {
            let file = self.content.join(content);
            return self
                .by_output
                .iter()
                .find(|(_, p)| **p == file)
                .map(|(rel, p)| (p.clone(), rel.clone()));
        }
        self.file_of(path, "/")
    }

    /// A variant for `resize_image`.
    pub(crate) fn resize(
        &self,
        path: &str,
        (op, width, height): (crate::images::Op, u32, u32),
    ) -> Result<crate::images::Variant, String> {
        let (file, rel) = self
            .file_for_template(path)
            .ok_or_else(|| format!("no picture `{path}` in content/ or static/"))?;
        let (dir, name) = split_dir(&rel);
        self.pipeline
            .resize(&file, &dir, name, (op, width, height))
            .map_err(|e| format!("{}: `{path}`: {}", e.message(), e.detail()))
    }

    /// `image_meta`: width, height (as shown) and format of a picture.
    pub(crate) fn meta(&self, path: &str) -> Result<(u32, u32, &'static str), String> {
        let (file, _) = self
            .file_for_template(path)
            .ok_or_else(|| format!("no picture `{path}` in content/ or static/"))?;
        let s = self
            .pipeline
            .source(&file)
            .map_err(|e| format!("{}: `{path}`: {}", e.message(), e.detail()))?;
        Ok((s.header.width, s.header.height, s.header.format.name()))
    }

    /// The file and output path of `dest` written on the page at URL path `page_path`:
    /// colocated (relative, or by its output path), or from `static/`.
    fn file_of(&self, dest: &str, page_path: &str) -> Option<(PathBuf, String)> {
        let rel = output_path(dest, page_path)?;
        if let Some(path) = self.by_output.get(&rel) {
            return Some((path.clone(), rel));
        }
        let path = self.statics.join(&rel);
        path.is_file().then_some((path, rel))
    }

    /// Whether `dest` on the page at `page_path` is a file of the theme's `static/`.
    fn in_theme(&self, dest: &str, page_path: &str) -> bool {
        let (Some(dir), Some(rel)) = (&self.theme_statics, output_path(dest, page_path)) else {
            return false;
        };
        dir.join(rel).is_file()
    }

    /// How a Markdown image on the page at `page_path` is shown.
    /// `at`: the document and the offset of its body (the image's span counts from there).
    pub(crate) fn show(
        &self,
        image: &ImageRef,
        page_path: &str,
        (source, body_start): (&Arc<SourceFile>, usize),
    ) -> Shown {
        let Some(ext) = extension(image.dest) else {
            return Shown::AsWritten;
        };
        if REFUSED.contains(&ext.as_str()) {
            return failed(
                image.dest,
                &ImageError::Unsupported(format!(".{ext} files")),
            );
        }
        if !PROCESSED.contains(&ext.as_str()) {
            return Shown::AsWritten;
        }
        let Some((path, rel)) = self.file_of(image.dest, page_path) else {
            if self.in_theme(image.dest, page_path) {
                return Shown::AsWritten;
            }
            return failed(image.dest, &missing(image.dest));
        };
        let span = body_start + image.span.start..body_start + image.span.end;
        self.pipeline.refer(&path, source, span);
        let caption = caption_from_title(image.alt, image.title);
        match self.picture(&path, &rel, false, caption) {
            Ok(p) => Shown::Markup {
                inline: p.html(false, None),
                figure: p.figure(false, self.pipeline.settings()),
            },
            Err(e) => failed(image.dest, &e),
        }
    }

    fn picture(
        &self,
        path: &Path,
        rel: &str,
        social: bool,
        caption: Caption,
    ) -> Result<Picture, ImageError> {
        let (dir, name) = split_dir(rel);
        self.pipeline.picture(path, &dir, name, social, caption)
    }

    /// A picture named in front matter (`image:`, `photo:`) of the document at `page_path`;
    /// `None` for none or a URL of another site; an error names the key's line.
    fn front(
        &self,
        source: &Arc<SourceFile>,
        front_span: &Span,
        (key, dest): (&str, &str),
        page_path: &str,
        caption: Caption,
    ) -> Result<Option<Picture>, Box<Diagnostic>> {
        let is_url = dest.contains("://") || dest.starts_with("//") || dest.starts_with("data:");
        if dest.trim().is_empty() || is_url {
            return Ok(None);
        }
        let at = key_span(&source.text, front_span, key);
        let error = |e: &ImageError| {
            Box::new(
                Diagnostic::error("image", format!("{}: `{dest}`", e.message()))
                    .at(source, at.clone(), e.detail().to_string())
                    .help(e.help()),
            )
        };
        let ext = extension(dest).unwrap_or_default();
        if REFUSED.contains(&ext.as_str()) {
            return Err(error(&ImageError::Unsupported(format!(
                "`{key}` names a .{ext} file"
            ))));
        }
        // An SVG or a GIF is shown as written (`author.photo`; a hero needs a photo).
        if !PROCESSED.contains(&ext.as_str()) {
            return Ok(None);
        }
        let Some((path, rel)) = self.file_of(dest, page_path) else {
            if self.in_theme(dest, page_path) {
                return Ok(None);
            }
            return Err(error(&missing(dest)));
        };
        self.pipeline.refer(&path, source, at.clone());
        self.picture(&path, &rel, true, caption)
            .map(Some)
            .map_err(|e| error(&e))
    }

    /// Every page's hero image and every author's photo.
    pub(crate) fn heroes(&self, pages: &mut [Page], authors: &mut [Author]) {
        use rayon::prelude::*;
        let found: Vec<Result<Option<Picture>, Box<Diagnostic>>> = pages
            .par_iter()
            .map(|p| {
                let Some((dest, caption)) = hero_of(&p.front.extra) else {
                    return Ok(None);
                };
                self.front(&p.source, &p.front.span, ("image", &dest), &p.path, caption)
            })
            .collect();
        for (p, f) in pages.iter_mut().zip(found) {
            match f {
                Ok(hero) => p.hero = hero.map(Arc::new),
                Err(d) => self.pipeline.report(*d),
            }
        }
        for a in authors.iter_mut() {
            let Some(photo) = a.front.photo.clone() else {
                continue;
            };
            let caption = Caption {
                alt: a.title.clone(),
                ..Caption::default()
            };
            match self.front(
                &a.source,
                &a.front.span,
                ("photo", &photo),
                &a.path,
                caption,
            ) {
                Ok(p) => a.picture = p.map(Arc::new),
                Err(d) => self.pipeline.report(*d),
            }
        }
    }
}

/// `artikel/x/foto.jpg` → (`artikel/x/`, `foto.jpg`).
fn split_dir(rel: &str) -> (String, &str) {
    match rel.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n),
        None => (String::new(), rel),
    }
}

/// The error for a picture whose file is not there.
fn missing(dest: &str) -> ImageError {
    ImageError::Missing(format!("no file {dest} beside the page or in static/"))
}

/// A picture that cannot be shown, as the Markdown stage reports it.
fn failed(dest: &str, e: &ImageError) -> Shown {
    Shown::Failed {
        message: format!("{}: `{dest}`", e.message()),
        label: e.detail().to_string(),
        help: e.help().to_string(),
    }
}

/// The hero of a page's front matter: `image: foto.jpg`, or `image:` with `src` (or `file`),
/// `alt`, `caption` and `credit`.
fn hero_of(extra: &serde_yaml::Mapping) -> Option<(String, Caption)> {
    let value = extra.get("image")?;
    if let Some(src) = value.as_str() {
        return Some((src.to_string(), Caption::default()));
    }
    let text = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let src = text("src").or_else(|| text("file"))?;
    Some((
        src,
        Caption {
            alt: text("alt").unwrap_or_default(),
            caption: text("caption"),
            credit: text("credit").map(|c| {
                c.trim_start_matches("Foto:")
                    .trim_start_matches("Photo:")
                    .trim()
                    .to_string()
            }),
        },
    ))
}

/// The lowercased extension of a destination, without query or fragment.
fn extension(dest: &str) -> Option<String> {
    let path = dest.split(['?', '#']).next()?;
    let name = path.rsplit('/').next()?;
    let (_, ext) = name.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// The output path an image's destination names, from the page at URL path `page_path`:
/// `foto.jpg` on `/artikel/x/` is `artikel/x/foto.jpg`, `/bilder/a.png` is `bilder/a.png`.
/// `None` for a path that leaves the site.
pub(crate) fn output_path(dest: &str, page_path: &str) -> Option<String> {
    let dest = dest.split(['?', '#']).next()?.replace("%20", " ");
    let joined = if let Some(abs) = dest.strip_prefix('/') {
        abs.to_string()
    } else {
        format!("{}{dest}", page_path.trim_start_matches('/'))
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The span of `key:`'s value in the front matter that opens at `front` (its `---`); the
/// opening line if the key is not found at the top level.
fn key_span(text: &str, front: &Span, key: &str) -> Span {
    let rest = text.get(front.start..).unwrap_or("");
    let mut offset = front.start;
    for (n, line) in rest.split_inclusive('\n').enumerate() {
        if n > 0 && line.trim_end() == "---" {
            break;
        }
        if let Some(value) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let start = offset + key.len() + 1 + (value.len() - value.trim_start().len());
            let value = value.trim();
            if !value.is_empty() {
                return start..start + value.len();
            }
            return offset..offset + key.len();
        }
        offset += line.len();
    }
    front.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_name_output_paths_beside_the_page_or_from_the_root() {
        assert_eq!(
            output_path("foto.jpg", "/artikel/x/").as_deref(),
            Some("artikel/x/foto.jpg")
        );
        assert_eq!(
            output_path("/bilder/a.png", "/artikel/x/").as_deref(),
            Some("bilder/a.png")
        );
        assert_eq!(
            output_path("../y/b.jpg?v=1", "/artikel/x/").as_deref(),
            Some("artikel/y/b.jpg")
        );
        assert_eq!(output_path("../../../etc/a.jpg", "/artikel/x/"), None);
    }

    #[test]
    fn the_key_span_is_its_value() {
        let text = "---\ntitle: A\nimage: foto.jpg\n---\n";
        let span = key_span(text, &(0..3), "image");
        assert_eq!(&text[span], "foto.jpg");
    }
}
