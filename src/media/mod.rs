//! Image attachments: what an upload must be (JPEG, PNG, GIF or WebP, by its bytes; under the
//! size limit; not a decompression bomb), its metadata stripped without re-encoding, its size
//! and blurhash, where the file is kept, and how it is described to other servers.
//!
//! Pure functions over bytes and paths: no database, no HTTP. `services::media` puts them
//! together; `routes::media` serves the files.

mod attachment;
mod format;
mod inspect;
mod store;
mod strip;

pub use attachment::{to_attachment, url_of};
pub use format::Format;
pub use inspect::{Inspected, MAX_PIXELS};
pub use store::{file_format, media_dir, remove, save};
pub use strip::strip;

use crate::error::{Error, Result};

/// An accepted upload, ready to be stored.
#[derive(Debug, Clone)]
pub struct Processed {
    pub format: Format,
    /// The file without its metadata.
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub blurhash: String,
}

/// Checks `bytes` (at most `max_bytes` of them), strips their metadata, and measures what is
/// left. CPU-bound: call it off the async executor.
pub fn process(bytes: &[u8], max_bytes: usize) -> Result<Processed> {
    if bytes.len() > max_bytes {
        return Err(Error::PayloadTooLarge(max_bytes));
    }
    let format = Format::detect(bytes).ok_or_else(|| {
        Error::Unprocessable("the file is not a JPEG, PNG, GIF or WebP image".into())
    })?;
    let bytes = strip(format, bytes)?;
    let Inspected {
        width,
        height,
        blurhash,
    } = inspect::inspect(format, &bytes)?;
    Ok(Processed {
        format,
        bytes,
        width,
        height,
        blurhash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_an_image_or_too_large() {
        let err = process(b"just some text", 1000).expect_err("text");
        assert!(
            err.to_string()
                .contains("is not a JPEG, PNG, GIF or WebP image"),
            "{err}"
        );
        let err = process(&[0; 2000], 1000).expect_err("too large");
        assert!(matches!(err, Error::PayloadTooLarge(1000)), "{err}");
    }
}
