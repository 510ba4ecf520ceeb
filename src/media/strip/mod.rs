//! Lossless metadata removal at the container level: each format's segments, chunks or blocks
//! are walked and copied, minus the ones that carry metadata (EXIF with its GPS position and
//! camera serial, XMP, IPTC, comments, text, timestamps). The pixels are never re-encoded.
//!
//! The input comes from the network: every read is bounds-checked, and anything malformed is
//! an `Unprocessable` error, never a panic. Nothing here decodes pixels.

mod gif;
mod jpeg;
mod png;
mod webp;

use super::Format;
use crate::error::{Error, Result};

/// `bytes` without their metadata; `format` must be what [`Format::detect`] said.
pub fn strip(format: Format, bytes: &[u8]) -> Result<Vec<u8>> {
    match format {
        Format::Jpeg => jpeg::strip(bytes),
        Format::Png => png::strip(bytes),
        Format::Gif => gif::strip(bytes),
        Format::WebP => webp::strip(bytes),
    }
}

/// The error for a file that breaks its format's structure.
fn malformed(format: Format, what: &str) -> Error {
    Error::Unprocessable(format!(
        "the file is not a valid {} image: {what}",
        format.name()
    ))
}

/// A bounds-checked reader over the input: every read either fits or is an error.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    format: Format,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8], format: Format) -> Reader<'a> {
        Reader {
            data,
            pos: 0,
            format,
        }
    }

    fn pos(&self) -> usize {
        self.pos
    }

    fn is_at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.data.len())
            .ok_or_else(|| malformed(self.format, "it is cut short"))?;
        let out = &self.data[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn u16_be(&mut self) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    fn u32_be(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    fn u32_le(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// The input from `start` to where the reader stands.
    fn since(&self, start: usize) -> &'a [u8] {
        self.data.get(start..self.pos).unwrap_or_default()
    }

    fn malformed(&self, what: &str) -> Error {
        malformed(self.format, what)
    }
}

#[cfg(test)]
pub(super) mod test_support;
