//! Making the variants of one picture: decoded once (with the decoder limits), turned as
//! its EXIF orientation says, then for each variant resized with `fast_image_resize`
//! (Lanczos3) and encoded anew. Encoding from pixels is what strips the metadata: no EXIF,
//! no GPS position, no camera serial number survives into a variant.

use std::io::Cursor;

use fast_image_resize::images::Image as FirImage;
use fast_image_resize::{PixelType, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder};

use super::probe::{self, reader};
use super::{Format, ImageError, Job, Op};

/// JPEG quality of the variants (libjpeg's scale): a photo at 82 shows no artefacts at its
/// size and weighs a third of one at 95.
const JPEG_QUALITY: u8 = 82;
/// WebP quality (libwebp's scale); 75 is its default and about JPEG 82.
const WEBP_QUALITY: f32 = 75.0;

/// A picture decoded and turned upright.
pub(crate) struct Decoded {
    pixels: DynamicImage,
}

/// Decodes `bytes` with the limits and applies the EXIF orientation.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, ImageError> {
    // The header again: `decode` may be called without `probe::header` having run.
    let header = probe::header(bytes)?;
    let mut decoder = reader(bytes, header.format)
        .into_decoder()
        .map_err(ImageError::from_decoding)?;
    let orientation = decoder.orientation().ok();
    let mut pixels = DynamicImage::from_decoder(decoder).map_err(ImageError::from_decoding)?;
    if let Some(o) = orientation {
        pixels.apply_orientation(o);
    }
    // Processing works on 8-bit RGB or RGBA: 16-bit PNGs and grey pictures become those.
    let pixels = if pixels.color().has_alpha() {
        DynamicImage::ImageRgba8(pixels.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(pixels.into_rgb8())
    };
    Ok(Decoded { pixels })
}

impl Decoded {
    /// Width and height as shown.
    pub(crate) fn size(&self) -> (u32, u32) {
        (self.pixels.width(), self.pixels.height())
    }

    /// The bytes of one variant.
    pub(crate) fn variant(&self, job: &Job) -> Result<Vec<u8>, ImageError> {
        let (w, h, rgba) = self.resized(job)?;
        encode(&rgba, w, h, self.pixels.color().has_alpha(), job.format)
    }

    /// The pixels of `job`'s size: scaled, or (`Op::Fill`) cropped around the middle to its
    /// aspect ratio and scaled.
    fn resized(&self, job: &Job) -> Result<(u32, u32, Vec<u8>), ImageError> {
        let (sw, sh) = self.size();
        let (w, h) = (job.width, job.height);
        let alpha = self.pixels.color().has_alpha();
        let pixel = if alpha {
            PixelType::U8x4
        } else {
            PixelType::U8x3
        };
        if (w, h) == (sw, sh) {
            return Ok((w, h, self.pixels.as_bytes().to_vec()));
        }
        let src = FirImage::from_vec_u8(sw, sh, self.pixels.as_bytes().to_vec(), pixel)
            .map_err(|e| ImageError::Process(e.to_string()))?;
        let mut dst = FirImage::new(w, h, pixel);
        let mut options = ResizeOptions::new();
        if job.op == Op::Fill {
            options = options.fit_into_destination(Some((0.5, 0.5)));
        }
        Resizer::new()
            .resize(&src, &mut dst, &options)
            .map_err(|e| ImageError::Process(e.to_string()))?;
        Ok((w, h, dst.into_vec()))
    }
}

/// Encodes pixels (`rgba`: four bytes a pixel, else three) in `format`.
fn encode(
    pixels: &[u8],
    w: u32,
    h: u32,
    rgba: bool,
    format: Format,
) -> Result<Vec<u8>, ImageError> {
    let fail = |e: image::ImageError| ImageError::Process(e.to_string());
    let color = if rgba {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let mut out = Vec::with_capacity(pixels.len() / 8);
    match format {
        Format::Jpeg => {
            // JPEG has no alpha: a transparent PNG shown as JPEG (e-mail) lies on white.
            let rgb;
            let (pixels, color) = if rgba {
                rgb = on_white(pixels);
                (rgb.as_slice(), image::ExtendedColorType::Rgb8)
            } else {
                (pixels, color)
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                .encode(pixels, w, h, color)
                .map_err(fail)?;
        }
        Format::Png => {
            use image::ImageEncoder as _;
            image::codecs::png::PngEncoder::new(Cursor::new(&mut out))
                .write_image(pixels, w, h, color)
                .map_err(fail)?;
        }
        Format::Webp => {
            let encoder = if rgba {
                webp::Encoder::from_rgba(pixels, w, h)
            } else {
                webp::Encoder::from_rgb(pixels, w, h)
            };
            out.extend_from_slice(&encoder.encode(WEBP_QUALITY));
        }
    }
    Ok(out)
}

/// RGBA pixels laid on white, as RGB.
fn on_white(rgba: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgba.len() / 4 * 3);
    for p in rgba.chunks_exact(4) {
        let a = u16::from(p[3]);
        for &c in &p[..3] {
            out.push(((u16::from(c) * a + 255 * (255 - a)) / 255) as u8);
        }
    }
    out
}
