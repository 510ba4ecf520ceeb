//! JPEG: walks the marker segments up to the first scan, then the entropy-coded data and any
//! later segments (progressive files have several scans) up to the end-of-image marker.
//!
//! Kept: APP0 when it is JFIF (minus its optional thumbnail), APP2 when it is an ICC profile,
//! APP14 when it is Adobe's (it says how to read the colour channels), and every segment that
//! is not an APPn or COM. Dropped: APP1 (EXIF, XMP), APP13 (IPTC, Photoshop), every other APPn
//! (including APP2's MPF and FlashPix data), COM, and anything after the end-of-image marker
//! (camera trailers, the extra images of MPF files).
//!
//! The EXIF orientation goes with the EXIF: a photo that relied on it shows turned. Mastodon
//! loses it the same way when it re-encodes; acceptable for now, rotating would mean decoding.

use super::Reader;
use crate::{error::Result, media::Format};

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const APP0: u8 = 0xE0;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;
const APP15: u8 = 0xEF;
const COM: u8 = 0xFE;
/// A JFIF APP0 up to (not including) its thumbnail's pixels.
const JFIF_HEADER_LEN: usize = 14;

pub fn strip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut r = Reader::new(bytes, Format::Jpeg);
    if r.array::<2>()? != [0xFF, SOI] {
        return Err(r.malformed("it does not start with a start-of-image marker"));
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, SOI]);
    loop {
        let marker = next_marker(&mut r)?;
        match marker {
            EOI => {
                out.extend_from_slice(&[0xFF, EOI]);
                return Ok(out);
            }
            SOI => return Err(r.malformed("it has a second start-of-image marker")),
            // Markers without a length: TEM and the restart markers.
            0x01 | 0xD0..=0xD7 => out.extend_from_slice(&[0xFF, marker]),
            _ => {
                let len = usize::from(r.u16_be()?);
                let body_len = len
                    .checked_sub(2)
                    .ok_or_else(|| r.malformed("a segment length is below 2"))?;
                let body = r.take(body_len)?;
                if let Some(kept) = keep(marker, body) {
                    out.extend_from_slice(&[0xFF, marker]);
                    // `kept` is never longer than `body`, so its length fits as it did.
                    let kept_len = u16::try_from(kept.len() + 2)
                        .map_err(|_| r.malformed("a segment is too long"))?;
                    out.extend_from_slice(&kept_len.to_be_bytes());
                    out.extend_from_slice(&kept);
                }
                if marker == SOS {
                    copy_scan(&mut r, &mut out)?;
                }
            }
        }
    }
}

/// Reads `FF xx` (after any fill bytes) and returns `xx`.
fn next_marker(r: &mut Reader) -> Result<u8> {
    if r.u8()? != 0xFF {
        return Err(r.malformed("a marker was expected"));
    }
    let mut marker = r.u8()?;
    while marker == 0xFF {
        marker = r.u8()?;
    }
    if marker == 0x00 {
        return Err(r.malformed("a marker was expected"));
    }
    Ok(marker)
}

/// Copies entropy-coded data up to the next marker (not a stuffed `FF 00` nor a restart
/// marker), leaving the reader on that marker's `FF`.
fn copy_scan(r: &mut Reader, out: &mut Vec<u8>) -> Result<()> {
    let rest = r.data.get(r.pos..).unwrap_or_default();
    let mut from = 0;
    loop {
        let at = rest
            .get(from..)
            .and_then(|tail| tail.iter().position(|&b| b == 0xFF))
            .map(|off| from + off)
            .ok_or_else(|| r.malformed("it ends before its end-of-image marker"))?;
        match rest.get(at + 1) {
            None => return Err(r.malformed("it ends before its end-of-image marker")),
            Some(0x00 | 0xD0..=0xD7) => from = at + 2,
            Some(_) => {
                out.extend_from_slice(r.take(at)?);
                return Ok(());
            }
        }
    }
}

/// What of a segment's body to keep, if anything.
fn keep(marker: u8, body: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    use std::borrow::Cow;
    match marker {
        APP0 if body.starts_with(b"JFIF\0") && body.len() >= JFIF_HEADER_LEN => {
            let mut header = body[..JFIF_HEADER_LEN].to_vec();
            // No thumbnail: it would show the picture as it was before any crop.
            header[12] = 0;
            header[13] = 0;
            Some(Cow::Owned(header))
        }
        APP2 if body.starts_with(b"ICC_PROFILE\0") => Some(Cow::Borrowed(body)),
        APP14 if body.starts_with(b"Adobe") => Some(Cow::Borrowed(body)),
        APP0..=APP15 | COM => None,
        _ => Some(Cow::Borrowed(body)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    /// A JPEG segment: marker, length, body.
    fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(body.len() + 2).unwrap().to_be_bytes());
        s.extend_from_slice(body);
        s
    }

    /// A JPEG with EXIF (GPS and a camera serial), XMP, IPTC, a comment and a trailer.
    fn jpeg_with_metadata() -> Vec<u8> {
        let clean = encode(Format::Jpeg);
        let mut exif = b"Exif\0\0MM\0*".to_vec();
        exif.extend_from_slice(GPS.as_bytes());
        exif.extend_from_slice(SERIAL.as_bytes());
        let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
        xmp.extend_from_slice(XMP_PACKET.as_bytes());
        let mut iptc = b"Photoshop 3.0\0".to_vec();
        iptc.extend_from_slice(SECRET.as_bytes());
        let mut mpf = b"MPF\0".to_vec();
        mpf.extend_from_slice(SECRET.as_bytes());
        let mut out = clean[..2].to_vec();
        out.extend(segment(0xE1, &exif));
        out.extend_from_slice(&clean[2..clean.len() - 2]);
        // Metadata may sit anywhere before the end, even between scans.
        out.extend(segment(0xE1, &xmp));
        out.extend(segment(0xED, &iptc));
        out.extend(segment(0xE2, &mpf));
        out.extend(segment(COM, COMMENT_TEXT.as_bytes()));
        out.extend_from_slice(&[0xFF, EOI]);
        out.extend_from_slice(SECRET.as_bytes());
        out
    }

    #[test]
    fn strips_exif_xmp_iptc_comments_and_trailers_losslessly() {
        let dirty = jpeg_with_metadata();
        assert_contains_metadata(&dirty);
        let clean = strip(&dirty).unwrap();
        assert_no_metadata(&clean);
        assert!(!contains(&clean, b"Exif"));
        assert!(contains(&clean, b"JFIF\0"), "the JFIF header stays");
        assert_same_pixels(Format::Jpeg, &dirty, &clean);
    }

    #[test]
    fn keeps_the_icc_profile_and_drops_the_jfif_thumbnail() {
        let mut jfif = b"JFIF\0\x01\x02\0\0\x01\0\x01".to_vec();
        jfif.extend_from_slice(&[1, 1, 0xAB, 0xCD, 0xEF]);
        let icc = b"ICC_PROFILE\0\x01\x01profile".to_vec();
        let mut dirty = vec![0xFF, SOI];
        dirty.extend(segment(APP0, &jfif));
        dirty.extend(segment(APP2, &icc));
        dirty.extend(segment(SOS, b"\x01\x01\0\0?\0"));
        dirty.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, EOI]);
        let clean = strip(&dirty).unwrap();
        let mut want = vec![0xFF, SOI];
        want.extend(segment(APP0, b"JFIF\0\x01\x02\0\0\x01\0\x01\0\0"));
        want.extend(segment(APP2, &icc));
        want.extend(segment(SOS, b"\x01\x01\0\0?\0"));
        want.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, EOI]);
        assert_eq!(clean, want);
    }

    #[test]
    fn malformed_files_are_errors() {
        let dirty = jpeg_with_metadata();
        assert_every_truncation_fails(Format::Jpeg, without_trailer(&dirty));
        assert_garbage_never_panics(Format::Jpeg, &dirty);
        for bad in [
            &b"\xFF\xD8\xFF\xE1\x00\x01"[..],
            b"\xFF\xD8\x00",
            b"\xFF\xD8\xFF\xD8",
            b"\xFF\xD8\xFF\x00",
            b"\xFF\xD8\xFF\xDA\x00\x02\x01\x02",
        ] {
            assert!(strip(bad).is_err(), "{bad:?}");
        }
    }
}
