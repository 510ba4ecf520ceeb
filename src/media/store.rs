//! Where uploads live: `<data_dir>/media/<hex id>.<ext>`. A file is written under a temporary
//! name in the same directory and renamed into place, so a half-written file is never served.

use super::Format;
use crate::error::Result;
use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

/// The directory stored media live in.
pub fn media_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("media")
}

/// Writes `bytes` as `dir/file_name` (creating `dir`), all at once or not at all.
pub fn save(dir: &Path, file_name: &str, bytes: &[u8]) -> Result<PathBuf> {
    fs::create_dir_all(dir)?;
    let path = dir.join(file_name);
    // A leading dot and a `.tmp` suffix: never a name that `file_format` accepts.
    let temp = dir.join(format!(".{file_name}.tmp"));
    let written = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, &path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(e.into());
    }
    Ok(path)
}

/// Removes a stored file (when what refers to it could not be recorded).
pub fn remove(dir: &Path, file_name: &str) {
    if let Err(e) = fs::remove_file(dir.join(file_name)) {
        tracing::warn!(file = file_name, error = %e, "could not remove a media file");
    }
}

/// The format of a stored file's name, if the name is one perch gives: lower-case hex, a dot,
/// one of the four extensions. Nothing else (no path separators, no dots) gets through.
pub fn file_format(file_name: &str) -> Option<Format> {
    let (stem, ext) = file_name.split_once('.')?;
    let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    if stem.is_empty() || stem.len() > 64 || !stem.chars().all(hex) {
        return None;
    }
    Format::from_extension(ext)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_names_perch_gives_are_files() {
        assert_eq!(
            file_format("0192f3a1b2c37d4e8f90a1b2c3d4e5f6.jpg"),
            Some(Format::Jpeg)
        );
        assert_eq!(file_format("abc.webp"), Some(Format::WebP));
        for bad in [
            "",
            ".jpg",
            "abc",
            "abc.",
            "abc.exe",
            "abc.jpg.tmp",
            ".abc.jpg.tmp",
            "ABC.jpg",
            "abc.JPG",
            "../perch.db",
            "..%2fperch.jpg",
            "ab/cd.png",
            "ab\\cd.png",
            "abcg.png",
            "abc.png\0",
        ] {
            assert_eq!(file_format(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn saves_whole_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let media = media_dir(dir.path());
        let path = save(&media, "abc.png", b"bytes").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"bytes");
        assert!(save(&media, "abc.png", b"again").is_ok(), "rename replaces");
        let names: Vec<_> = fs::read_dir(&media)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["abc.png"]);
        remove(&media, "abc.png");
        assert!(!path.exists());
    }
}
