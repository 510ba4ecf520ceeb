//! WebP: a RIFF container. Drops the `EXIF` and `XMP ` chunks, clears their flags in the
//! `VP8X` header so that readers do not look for them, and writes the RIFF size anew. The
//! image chunks (`VP8 `, `VP8L`, `ALPH`, `ANIM`, `ANMF`) and the ICC profile are copied.

use super::Reader;
use crate::{error::Result, media::Format};

const EXIF: &[u8; 4] = b"EXIF";
const XMP: &[u8; 4] = b"XMP ";
const VP8X: &[u8; 4] = b"VP8X";
/// The VP8X flags byte's bits for "has EXIF" and "has XMP".
const EXIF_FLAG: u8 = 0x08;
const XMP_FLAG: u8 = 0x04;
/// What may come first: the extended header, or a simple lossy or lossless image.
const FIRST: [&[u8; 4]; 3] = [VP8X, b"VP8 ", b"VP8L"];

pub fn strip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut r = Reader::new(bytes, Format::WebP);
    if &r.array::<4>()? != b"RIFF" {
        return Err(r.malformed("it is not a RIFF file"));
    }
    let riff_size =
        usize::try_from(r.u32_le()?).map_err(|_| r.malformed("the RIFF size is too large"))?;
    if &r.array::<4>()? != b"WEBP" {
        return Err(r.malformed("the RIFF file is not WebP"));
    }
    // The RIFF size counts from the `WEBP` tag on; trailing bytes past it are dropped.
    let body = riff_size
        .checked_sub(4)
        .and_then(|n| n.checked_add(12))
        .and_then(|end| bytes.get(12..end))
        .ok_or_else(|| r.malformed("it is cut short, or its RIFF size is wrong"))?;
    let mut r = Reader::new(body, Format::WebP);
    let mut chunks = Vec::with_capacity(body.len());
    let mut vp8x_flags_at = None;
    while !r.is_at_end() {
        let kind = r.array::<4>()?;
        let len = r.u32_le()?;
        let data = r.take(usize::try_from(len).map_err(|_| r.malformed("a chunk is too long"))?)?;
        let padded = len % 2 == 1;
        if padded && !r.is_at_end() {
            r.take(1)?;
        }
        if chunks.is_empty() && !FIRST.contains(&&kind) {
            return Err(r.malformed("it does not start with a VP8, VP8L or VP8X chunk"));
        }
        if &kind == EXIF || &kind == XMP {
            continue;
        }
        if &kind == VP8X {
            if data.len() < 10 {
                return Err(r.malformed("its VP8X chunk is too short"));
            }
            vp8x_flags_at = Some(chunks.len() + 8);
        }
        chunks.extend_from_slice(&kind);
        chunks.extend_from_slice(&len.to_le_bytes());
        chunks.extend_from_slice(data);
        if padded {
            chunks.push(0);
        }
    }
    if chunks.is_empty() {
        return Err(r.malformed("it holds no image"));
    }
    if let Some(flags) = vp8x_flags_at.and_then(|at| chunks.get_mut(at)) {
        *flags &= !(EXIF_FLAG | XMP_FLAG);
    }
    let riff_size = u32::try_from(chunks.len() + 4).map_err(|_| r.malformed("it is too large"))?;
    let mut out = Vec::with_capacity(chunks.len() + 12);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&riff_size.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&chunks);
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = kind.to_vec();
        c.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    fn riff(chunks: &[u8]) -> Vec<u8> {
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&u32::try_from(chunks.len() + 4).unwrap().to_le_bytes());
        out.extend_from_slice(b"WEBP");
        out.extend_from_slice(chunks);
        out
    }

    /// An extended WebP (VP8X saying EXIF and XMP follow) with both, the EXIF of odd length.
    fn webp_with_metadata() -> Vec<u8> {
        let clean = encode(Format::WebP);
        let mut vp8x = vec![EXIF_FLAG | XMP_FLAG, 0, 0, 0];
        vp8x.extend_from_slice(&(WIDTH - 1).to_le_bytes()[..3]);
        vp8x.extend_from_slice(&(HEIGHT - 1).to_le_bytes()[..3]);
        let mut exif = b"MM\0*".to_vec();
        exif.extend_from_slice(GPS.as_bytes());
        exif.extend_from_slice(SERIAL.as_bytes());
        if exif.len().is_multiple_of(2) {
            exif.push(b'!');
        }
        let mut chunks = chunk(VP8X, &vp8x);
        chunks.extend_from_slice(&clean[12..]);
        chunks.extend(chunk(EXIF, &exif));
        chunks.extend(chunk(XMP, XMP_PACKET.as_bytes()));
        let mut out = riff(&chunks);
        out.extend_from_slice(SECRET.as_bytes());
        out
    }

    #[test]
    fn strips_exif_and_xmp_and_clears_their_flags() {
        let dirty = webp_with_metadata();
        assert_contains_metadata(&dirty);
        let clean = strip(&dirty).unwrap();
        assert_no_metadata(&clean);
        assert!(!contains(&clean, EXIF) && !contains(&clean, XMP));
        assert_eq!(&clean[12..16], VP8X);
        assert_eq!(clean[20], 0, "the EXIF and XMP flags are cleared");
        let riff_size = u32::from_le_bytes(clean[4..8].try_into().unwrap());
        assert_eq!(riff_size as usize, clean.len() - 8);
        assert_same_pixels(Format::WebP, &dirty, &clean);
    }

    #[test]
    fn malformed_files_are_errors() {
        let dirty = webp_with_metadata();
        assert_every_truncation_fails(Format::WebP, without_trailer(&dirty));
        assert_garbage_never_panics(Format::WebP, &dirty);
        assert!(strip(&riff(&chunk(EXIF, b"x"))).is_err(), "no image first");
        assert!(strip(&riff(&chunk(VP8X, b"short"))).is_err());
        assert!(strip(&riff(b"")).is_err(), "no chunks");
        assert!(strip(b"RIFF\x02\0\0\0WEBP").is_err(), "size below 4");
    }
}
