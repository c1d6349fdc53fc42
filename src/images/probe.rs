//! Reading a picture's header: its format, its size as shown (EXIF orientation applied) and
//! the hash of its bytes, without decoding a pixel. The header is read before any decoding so
//! that a file claiming 60,000 × 60,000 pixels is refused in microseconds, not after the
//! allocation it asks for.

use std::io::Cursor;

use image::{ImageDecoder, ImageFormat, ImageReader, Limits};

use super::{Format, ImageError};

/// The most pixels (width × height) a picture may have: 50 megapixels, a large camera's
/// photo. Decoding one takes 200 MB as RGBA; larger ones are refused before decoding.
pub(crate) const MAX_PIXELS: u64 = 50_000_000;
/// The longest side a picture may have.
pub(crate) const MAX_SIDE: u32 = 20_000;
/// The most a file may weigh (a camera JPEG is 3–12 MB).
pub(crate) const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What the header of a picture says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) format: Format,
    /// Width and height as shown, with the EXIF orientation applied.
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// The decoder limits for every picture: the sides and an allocation ceiling a little
/// above what a picture of [`MAX_PIXELS`] needs as RGBA.
pub(crate) fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (16 << 20));
    limits
}

/// The format of `bytes` by its magic number; only the formats presswerk processes.
pub(crate) fn format_of(bytes: &[u8]) -> Result<Format, ImageError> {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(Format::Jpeg),
        Ok(ImageFormat::Png) => Ok(Format::Png),
        Ok(ImageFormat::WebP) => Ok(Format::Webp),
        Ok(other) => Err(ImageError::Unsupported(format!("{other:?}").to_uppercase())),
        Err(_) => Err(ImageError::Corrupt(
            "not a JPEG, PNG or WebP file".to_string(),
        )),
    }
}

/// Reads the header of `bytes`: its format and its size as shown, refusing a picture over
/// the limits before anything is decoded.
pub(crate) fn header(bytes: &[u8]) -> Result<Header, ImageError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(ImageError::TooLarge(format!(
            "{} MB, more than the {} MB a picture may have",
            bytes.len() >> 20,
            MAX_BYTES >> 20
        )));
    }
    let format = format_of(bytes)?;
    if format == Format::Jpeg && !jpeg_is_whole(bytes) {
        return Err(ImageError::Corrupt(
            "the JPEG data ends before its end marker: the file is cut short".to_string(),
        ));
    }
    let (w, h) = reader(bytes, format)
        .into_dimensions()
        .map_err(ImageError::from_decoding)?;
    check_size(w, h)?;
    let mut decoder = reader(bytes, format)
        .into_decoder()
        .map_err(ImageError::from_decoding)?;
    let turned = decoder
        .orientation()
        .map(|o| {
            use image::metadata::Orientation::*;
            matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
        })
        .unwrap_or(false);
    let (width, height) = if turned { (h, w) } else { (w, h) };
    Ok(Header {
        format,
        width,
        height,
    })
}

/// Whether a JPEG's image data is followed by its end marker (FF D9). The decoder fills a
/// file cut short with grey and says nothing; in the entropy-coded data after the start of
/// scan (FF DA) a FF byte is always stuffed, so an end marker there is the real one.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let scan = bytes.windows(2).position(|w| w == [0xFF, 0xDA]);
    let end = bytes.windows(2).rposition(|w| w == [0xFF, 0xD9]);
    matches!((scan, end), (Some(s), Some(e)) if e > s)
}

/// A reader of `bytes` in `format`, with the decoder limits.
pub(crate) fn reader(bytes: &[u8], format: Format) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    reader.limits(limits());
    reader
}

/// Refuses sizes over the limits (and empty pictures).
fn check_size(w: u32, h: u32) -> Result<(), ImageError> {
    if w == 0 || h == 0 {
        return Err(ImageError::Corrupt(format!(
            "the header says {w} × {h} pixels"
        )));
    }
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ImageError::TooLarge(format!(
            "the header says {w} × {h} pixels, more than the {} megapixels (and {MAX_SIDE} pixels a side) a picture may have",
            MAX_PIXELS / 1_000_000
        )));
    }
    Ok(())
}
