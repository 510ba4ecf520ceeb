//! Test images made with the image crate's encoders, the metadata the tests splice into them,
//! and the checks every format's tests share.
#![allow(clippy::unwrap_used)]

use super::strip;
use crate::media::{process, Format};
use image::{codecs, ExtendedColorType, ImageEncoder};

pub const WIDTH: u32 = 40;
pub const HEIGHT: u32 = 30;
pub const GPS: &str = "GPSLatitude 52/1 22/1 3/1 N";
pub const SERIAL: &str = "BodySerialNumber CAM-SN-0042-XYZ";
pub const XMP_PACKET: &str = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:Description \
                              photoshop:City='Secretville'/></x:xmpmeta>";
pub const COMMENT_TEXT: &str = "taken at home, 12 Example Street";
pub const LOCATION: &str = "Location=Somewhere";
/// Bytes after the end of the image, where some cameras put more.
pub const SECRET: &str = "SECRET-TRAILER-DATA";

/// A WIDTH×HEIGHT gradient in `format`, straight from the image crate's encoder.
pub fn encode(format: Format) -> Vec<u8> {
    let rgba = image::RgbaImage::from_fn(WIDTH, HEIGHT, |x, y| {
        image::Rgba([(x * 6) as u8, (y * 8) as u8, 128, 255])
    });
    let rgb = image::DynamicImage::ImageRgba8(rgba.clone()).to_rgb8();
    let mut out = Vec::new();
    match format {
        Format::Jpeg => codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .write_image(rgb.as_raw(), WIDTH, HEIGHT, ExtendedColorType::Rgb8)
            .unwrap(),
        Format::Png => codecs::png::PngEncoder::new(&mut out)
            .write_image(rgb.as_raw(), WIDTH, HEIGHT, ExtendedColorType::Rgb8)
            .unwrap(),
        Format::WebP => codecs::webp::WebPEncoder::new_lossless(&mut out)
            .write_image(rgba.as_raw(), WIDTH, HEIGHT, ExtendedColorType::Rgba8)
            .unwrap(),
        Format::Gif => {
            let mut encoder = codecs::gif::GifEncoder::new(&mut out);
            encoder.set_repeat(codecs::gif::Repeat::Infinite).unwrap();
            encoder.encode_frame(image::Frame::new(rgba)).unwrap();
            // The trailer is written when the encoder is dropped.
        }
    }
    out
}

/// The CRC-32 PNG uses (bitwise; small inputs only).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `bytes` without the [`SECRET`] the test files end with.
pub fn without_trailer(bytes: &[u8]) -> &[u8] {
    bytes.strip_suffix(SECRET.as_bytes()).unwrap()
}

pub fn assert_contains_metadata(bytes: &[u8]) {
    for needle in [GPS, SERIAL, SECRET] {
        assert!(
            contains(bytes, needle.as_bytes()),
            "test file lacks {needle}"
        );
    }
}

pub fn assert_no_metadata(bytes: &[u8]) {
    for needle in [
        GPS,
        SERIAL,
        XMP_PACKET,
        "Secretville",
        COMMENT_TEXT,
        LOCATION,
        SECRET,
    ] {
        assert!(!contains(bytes, needle.as_bytes()), "{needle} survived");
    }
}

/// Both decode to the same WIDTH×HEIGHT pixels.
pub fn assert_same_pixels(format: Format, a: &[u8], b: &[u8]) {
    let decode = |bytes| {
        image::load_from_memory_with_format(bytes, format.to_image())
            .unwrap()
            .to_rgba8()
    };
    let (a, b) = (decode(a), decode(b));
    assert_eq!(a.dimensions(), (WIDTH, HEIGHT));
    assert!(a == b, "the pixels changed");
}

/// Every proper prefix of a valid file is refused, by the stripper and by the whole upload.
pub fn assert_every_truncation_fails(format: Format, bytes: &[u8]) {
    assert!(strip(format, bytes).is_ok());
    assert!(process(bytes, usize::MAX).is_ok());
    for n in 0..bytes.len() {
        let cut = &bytes[..n];
        assert!(strip(format, cut).is_err(), "{n} bytes were stripped");
        assert!(process(cut, usize::MAX).is_err(), "{n} bytes were accepted");
    }
}

/// Damaged files and random bytes behind the right magic number give errors or (when the
/// damage hit only pixels) images, and never a panic.
pub fn assert_garbage_never_panics(format: Format, bytes: &[u8]) {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..300 {
        let mut damaged = bytes.to_vec();
        if round % 3 == 0 {
            damaged.truncate(12);
            damaged.extend((0..next() % 200).map(|_| next() as u8));
        } else {
            for _ in 0..=next() % 4 {
                let at = (next() % damaged.len() as u64) as usize;
                damaged[at] = next() as u8;
            }
        }
        let _ = strip(format, &damaged);
        let _ = process(&damaged, usize::MAX);
    }
}
