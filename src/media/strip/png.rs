//! PNG: walks the chunks from IHDR to IEND and drops the ones that carry metadata: `eXIf`
//! (EXIF), `tEXt`, `zTXt` and `iTXt` (free text, where XMP also lives) and `tIME` (when it was
//! last changed). Everything else, colour chunks and APNG's animation chunks included, is
//! copied as it is; anything after IEND is dropped.

use super::Reader;
use crate::{error::Result, media::Format};

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
const DROPPED: [&[u8; 4]; 5] = [b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"];
/// The PNG specification's cap on a chunk's length.
const MAX_CHUNK_LEN: u32 = (1 << 31) - 1;

pub fn strip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut r = Reader::new(bytes, Format::Png);
    if &r.array::<8>()? != SIGNATURE {
        return Err(r.malformed("the PNG signature is wrong"));
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(SIGNATURE);
    let mut first = true;
    loop {
        let start = r.pos();
        let len = r.u32_be()?;
        if len > MAX_CHUNK_LEN {
            return Err(r.malformed("a chunk is longer than PNG allows"));
        }
        let kind = r.array::<4>()?;
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(r.malformed("a chunk type is not four letters"));
        }
        if first && &kind != b"IHDR" {
            return Err(r.malformed("it does not start with an IHDR chunk"));
        }
        first = false;
        // The data and the CRC.
        let len = usize::try_from(len).map_err(|_| r.malformed("a chunk is too long"))?;
        r.take(len)?;
        r.take(4)?;
        if !DROPPED.contains(&&kind) {
            out.extend_from_slice(r.since(start));
        }
        if &kind == b"IEND" {
            return Ok(out);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    /// A PNG chunk with its CRC.
    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        let crc = crc32(&c[4..]);
        c.extend_from_slice(&crc.to_be_bytes());
        c
    }

    /// `data` as a zlib stream of one stored (uncompressed) block.
    fn zlib_stored(data: &[u8]) -> Vec<u8> {
        let len = u16::try_from(data.len()).unwrap();
        let mut z = vec![0x78, 0x01, 0x01];
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(data);
        let (mut a, mut b) = (1u32, 0u32);
        for &byte in data {
            a = (a + u32::from(byte)) % 65521;
            b = (b + a) % 65521;
        }
        z.extend_from_slice(&((b << 16) | a).to_be_bytes());
        z
    }

    /// A PNG with text (a location, XMP), EXIF and a timestamp, some of it after the pixels.
    fn png_with_metadata() -> Vec<u8> {
        let clean = encode(Format::Png);
        // Signature (8) and IHDR (25) first, then ours, then the rest.
        let (head, rest) = clean.split_at(33);
        let (body, iend) = rest.split_at(rest.len() - 12);
        let mut out = head.to_vec();
        out.extend(chunk(b"tEXt", format!("Comment\0{LOCATION}").as_bytes()));
        let mut exif = b"MM\0*".to_vec();
        exif.extend_from_slice(GPS.as_bytes());
        exif.extend_from_slice(SERIAL.as_bytes());
        out.extend(chunk(b"eXIf", &exif));
        out.extend(chunk(b"tIME", &[7, 233, 11, 25, 12, 0, 0]));
        out.extend_from_slice(body);
        let mut itxt = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
        itxt.extend_from_slice(XMP_PACKET.as_bytes());
        out.extend(chunk(b"iTXt", &itxt));
        let ztxt = [&b"Author\0\0"[..], &zlib_stored(SECRET.as_bytes())].concat();
        out.extend(chunk(b"zTXt", &ztxt));
        out.extend_from_slice(iend);
        out.extend_from_slice(SECRET.as_bytes());
        out
    }

    #[test]
    fn strips_text_exif_and_time_losslessly() {
        let dirty = png_with_metadata();
        assert_contains_metadata(&dirty);
        assert!(contains(&dirty, LOCATION.as_bytes()));
        let clean = strip(&dirty).unwrap();
        assert_no_metadata(&clean);
        for kind in DROPPED {
            assert!(!contains(&clean, kind), "{kind:?}");
        }
        assert!(!contains(&clean, LOCATION.as_bytes()));
        assert_same_pixels(Format::Png, &dirty, &clean);
    }

    #[test]
    fn malformed_files_are_errors() {
        let dirty = png_with_metadata();
        assert_every_truncation_fails(Format::Png, without_trailer(&dirty));
        assert_garbage_never_panics(Format::Png, &dirty);
        let mut no_ihdr = SIGNATURE.to_vec();
        no_ihdr.extend(chunk(b"IEND", b""));
        assert!(strip(&no_ihdr).is_err());
        let mut huge = SIGNATURE.to_vec();
        huge.extend_from_slice(b"\xFF\xFF\xFF\xF0IHDR");
        assert!(strip(&huge).is_err());
    }
}
