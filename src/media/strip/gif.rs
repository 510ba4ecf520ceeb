//! GIF: walks the blocks after the header, the screen descriptor and its colour table. Drops
//! comment extensions and application extensions other than the looping ones (NETSCAPE2.0,
//! ANIMEXTS1.0), which is where XMP and other metadata go; keeps images, graphic control and
//! plain-text extensions; drops anything after the trailer.

use super::Reader;
use crate::{error::Result, media::Format};

const IMAGE: u8 = 0x2C;
const EXTENSION: u8 = 0x21;
const TRAILER: u8 = 0x3B;
const COMMENT: u8 = 0xFE;
const APPLICATION: u8 = 0xFF;
const LOOPING: [&[u8]; 2] = [b"NETSCAPE2.0", b"ANIMEXTS1.0"];

pub fn strip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut r = Reader::new(bytes, Format::Gif);
    let signature = r.take(6)?;
    if signature != b"GIF87a" && signature != b"GIF89a" {
        return Err(r.malformed("the GIF signature is wrong"));
    }
    let screen = r.array::<7>()?;
    skip_colour_table(&mut r, screen[4])?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(r.since(0));
    loop {
        let start = r.pos();
        match r.u8()? {
            IMAGE => {
                let descriptor = r.array::<9>()?;
                skip_colour_table(&mut r, descriptor[8])?;
                // The LZW minimum code size, then the compressed pixels.
                r.u8()?;
                skip_sub_blocks(&mut r)?;
                out.extend_from_slice(r.since(start));
            }
            EXTENSION => {
                let keep = match r.u8()? {
                    COMMENT => false,
                    // The first sub-block names the application.
                    APPLICATION => r.peek() == Some(11) && LOOPING.contains(&&r.take(12)?[1..]),
                    _ => true,
                };
                skip_sub_blocks(&mut r)?;
                if keep {
                    out.extend_from_slice(r.since(start));
                }
            }
            TRAILER => {
                out.push(TRAILER);
                return Ok(out);
            }
            _ => return Err(r.malformed("it holds a block of unknown type")),
        }
    }
}

/// Skips the colour table that a descriptor's packed field announces, if any.
fn skip_colour_table(r: &mut Reader, packed: u8) -> Result<()> {
    if packed & 0x80 != 0 {
        r.take(3 << ((packed & 0x07) + 1))?;
    }
    Ok(())
}

/// Skips data sub-blocks (a length byte, that many bytes) up to and past the empty one.
fn skip_sub_blocks(r: &mut Reader) -> Result<()> {
    loop {
        match r.u8()? {
            0 => return Ok(()),
            n => {
                r.take(usize::from(n))?;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    /// `data` as GIF data sub-blocks, terminated.
    fn sub_blocks(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for part in data.chunks(255) {
            out.push(u8::try_from(part.len()).unwrap());
            out.extend_from_slice(part);
        }
        out.push(0);
        out
    }

    fn extension(label: u8, blocks: &[&[u8]]) -> Vec<u8> {
        let mut out = vec![EXTENSION, label];
        for b in blocks {
            out.push(u8::try_from(b.len()).unwrap());
            out.extend_from_slice(b);
        }
        out.push(0);
        out
    }

    /// A looping GIF with comments before and after the image and an XMP application block.
    fn gif_with_metadata() -> Vec<u8> {
        let clean = encode(Format::Gif);
        let packed = clean[10];
        let header_len = 13
            + if packed & 0x80 != 0 {
                3 << ((packed & 7) + 1)
            } else {
                0
            };
        let mut out = clean[..header_len].to_vec();
        out.push(EXTENSION);
        out.push(COMMENT);
        out.extend(sub_blocks(COMMENT_TEXT.as_bytes()));
        out.extend_from_slice(&clean[header_len..clean.len() - 1]);
        let mut xmp = vec![EXTENSION, APPLICATION, 11];
        xmp.extend_from_slice(b"XMP DataXMP");
        xmp.extend(sub_blocks(XMP_PACKET.as_bytes()));
        out.extend(xmp);
        out.extend(extension(COMMENT, &[GPS.as_bytes(), SERIAL.as_bytes()]));
        out.push(TRAILER);
        out.extend_from_slice(SECRET.as_bytes());
        out
    }

    #[test]
    fn strips_comments_and_foreign_application_blocks_but_keeps_looping() {
        let dirty = gif_with_metadata();
        assert_contains_metadata(&dirty);
        let clean = strip(&dirty).unwrap();
        assert_no_metadata(&clean);
        assert!(!contains(&clean, b"XMP DataXMP"));
        assert!(contains(&clean, b"NETSCAPE2.0"), "looping stays");
        assert_eq!(clean.last(), Some(&TRAILER));
        assert_same_pixels(Format::Gif, &dirty, &clean);
    }

    #[test]
    fn malformed_files_are_errors() {
        let dirty = gif_with_metadata();
        assert_every_truncation_fails(Format::Gif, without_trailer(&dirty));
        assert_garbage_never_panics(Format::Gif, &dirty);
        assert!(
            strip(b"GIF89a\x01\0\x01\0\0\0\0\x99").is_err(),
            "unknown block"
        );
        assert!(
            strip(b"GIF89a\x01\0\x01\0\x87\0\0\x3B").is_err(),
            "colour table missing"
        );
        assert!(strip(b"GIF89a\x01\0\x01\0\0\0\0\x21\xFF\x0BNETSCAPE").is_err());
        assert_eq!(
            strip(b"GIF89a\x01\0\x01\0\0\0\0\x21\xFF\0\x3B").unwrap(),
            b"GIF89a\x01\0\x01\0\0\0\0\x3B"
        );
    }
}
