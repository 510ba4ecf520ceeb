//! Decodes a (stripped) image with the image crate for its width, height and blurhash. The
//! dimensions are read from the header first, so that a decompression bomb is refused before
//! anything large is allocated; the decoder's own limits back that up.

use super::Format;
use crate::error::{Error, Result};
use image::{ImageReader, Limits};
use std::io::Cursor;

/// The most pixels an image may have (40 megapixels, e.g. 7744×5164).
pub const MAX_PIXELS: u64 = 40_000_000;
/// The most the decoder may allocate: 40 megapixels at 16 bits per RGBA channel.
const MAX_ALLOC: u64 = MAX_PIXELS * 8;
/// The blurhash is computed from a thumbnail at most this wide and high: it is a blur anyway.
const THUMBNAIL: u32 = 64;
/// Blurhash components across and down, as Mastodon computes them.
const COMPONENTS: (u32, u32) = (4, 3);

/// What perch records about an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    pub width: u32,
    pub height: u32,
    pub blurhash: String,
}

pub fn inspect(format: Format, bytes: &[u8]) -> Result<Inspected> {
    let undecodable = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => too_large(format),
        e => Error::Unprocessable(format!(
            "the {} image cannot be decoded: {e}",
            format.name()
        )),
    };
    let (width, height) = reader(format, bytes, None)
        .into_dimensions()
        .map_err(undecodable)?;
    if width == 0 || height == 0 {
        return Err(Error::Unprocessable(format!(
            "the {} image is empty ({width}×{height} pixels)",
            format.name()
        )));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Error::Unprocessable(format!(
            "the image is {width}×{height} pixels; the limit is {} megapixels",
            MAX_PIXELS / 1_000_000
        )));
    }
    let image = reader(format, bytes, Some((width, height)))
        .decode()
        .map_err(undecodable)?;
    let thumbnail = image.thumbnail(THUMBNAIL, THUMBNAIL).to_rgba8();
    let blurhash = blurhash::encode(
        COMPONENTS.0,
        COMPONENTS.1,
        thumbnail.width(),
        thumbnail.height(),
        thumbnail.as_raw(),
    )
    .map_err(|e| Error::internal(format!("blurhash: {e:?}")))?;
    Ok(Inspected {
        width,
        height,
        blurhash,
    })
}

fn too_large(format: Format) -> Error {
    Error::Unprocessable(format!(
        "the {} image needs more memory to decode than perch allows ({} megapixels)",
        format.name(),
        MAX_PIXELS / 1_000_000
    ))
}

/// A reader for `format` with perch's limits; `size`, once known, caps every frame.
fn reader(format: Format, bytes: &[u8], size: Option<(u32, u32)>) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.to_image());
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    if let Some((width, height)) = size {
        limits.max_image_width = Some(width);
        limits.max_image_height = Some(height);
    }
    reader.limits(limits);
    reader
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::strip::test_support::{crc32, encode};
    use super::*;

    #[test]
    fn measures_and_blurs_every_format() {
        for format in Format::ALL {
            let found = inspect(format, &encode(format)).unwrap();
            assert_eq!((found.width, found.height), (40, 30), "{format:?}");
            // 4×3 components: 1 size + 1 max + 4 DC + 2 × 11 AC characters.
            assert_eq!(found.blurhash.len(), 28, "{format:?}: {}", found.blurhash);
        }
    }

    #[test]
    fn refuses_decompression_bombs_from_the_header() {
        // A PNG claiming 10000×10000 pixels, with a few bytes of pixel data behind it.
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            let crc = crc32(&c[4..]);
            c.extend_from_slice(&crc.to_be_bytes());
            c
        };
        let mut ihdr = 10_000u32.to_be_bytes().repeat(2);
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &ihdr));
        png.extend(chunk(b"IDAT", &[0x78, 0x01, 0x00]));
        png.extend(chunk(b"IEND", b""));
        let err = inspect(Format::Png, &png).unwrap_err().to_string();
        assert!(
            err.contains("10000×10000 pixels; the limit is 40 megapixels"),
            "{err}"
        );
    }
}
