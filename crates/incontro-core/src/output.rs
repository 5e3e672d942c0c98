//! Output files (`--out`): written so that a failed run leaves the old content, and so that a
//! device node, a FIFO or a symbolic link is never replaced by a regular file.
//!
//! [`OutputFile::create`] looks at what the target is:
//! - nothing yet, or a regular file: the content goes to a temporary file beside it, synced and
//!   renamed over the target on [`OutputFile::commit`] (atomic: readers see the old file or the
//!   new one, never half of it; dropped without commit, the temporary file is removed);
//! - a symbolic link: it is followed and the file it points to is written as above (the link
//!   stays a link);
//! - a device node, FIFO or socket (`/dev/null`, `/dev/stdout`, a named pipe): written in place;
//! - a directory: an error (`output_is_directory`).
//!
//! What it does NOT do: create missing parent folders.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::{Error, ErrorCode, Result};

/// How an output file is written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    /// Through a temporary file renamed over `target`.
    Atomic { temporary: PathBuf, target: PathBuf },
    /// Straight into the existing node.
    InPlace,
}

/// An output file being written (see the module documentation).
#[derive(Debug)]
pub struct OutputFile {
    path: PathBuf,
    mode: Mode,
    writer: Option<BufWriter<File>>,
}

impl OutputFile {
    /// Opens `path` for writing.
    pub fn create(path: &Path) -> Result<Self> {
        let io = |source| Error::io(path, source);
        let resolved = match std::fs::symlink_metadata(path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                // The file the link points to (it may not exist yet).
                let target = std::fs::read_link(path).map_err(io)?;
                let target = match path.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
                Some(target)
            }
            _ => None,
        };
        let target = resolved.unwrap_or_else(|| path.to_path_buf());
        let mode = match std::fs::metadata(&target) {
            Ok(metadata) if metadata.is_dir() => {
                return Err(Error::invalid(
                    ErrorCode::OutputIsDirectory,
                    format!(
                        "{} is a directory: give a file name for the output",
                        path.display()
                    ),
                ));
            }
            Ok(metadata) if !metadata.is_file() => Mode::InPlace,
            Ok(_) => Mode::Atomic {
                temporary: temporary_beside(&target),
                target: target.clone(),
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Mode::Atomic {
                temporary: temporary_beside(&target),
                target: target.clone(),
            },
            Err(error) => return Err(io(error)),
        };
        let file = match &mode {
            Mode::Atomic { temporary, .. } => OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(temporary)
                .map_err(|source| Error::io(temporary, source))?,
            Mode::InPlace => OpenOptions::new().write(true).open(&target).map_err(io)?,
        };
        Ok(OutputFile {
            path: path.to_path_buf(),
            mode,
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Whether the output goes through a temporary file renamed over the target.
    pub fn is_atomic(&self) -> bool {
        matches!(self.mode, Mode::Atomic { .. })
    }

    /// Flushes and, for a regular file, syncs and renames the temporary file over the target.
    pub fn commit(mut self) -> Result<()> {
        let io = |source| Error::io(&self.path, source);
        if let Some(writer) = self.writer.take() {
            let file = writer
                .into_inner()
                .map_err(|error| io(error.into_error()))?;
            if let Mode::Atomic { .. } = self.mode {
                file.sync_all().map_err(io)?;
            }
        }
        if let Mode::Atomic { temporary, target } = &self.mode {
            std::fs::rename(temporary, target).map_err(|source| Error::io(&self.path, source))?;
            self.mode = Mode::InPlace;
        }
        Ok(())
    }

    fn writer(&mut self) -> std::io::Result<&mut BufWriter<File>> {
        self.writer
            .as_mut()
            .ok_or_else(|| std::io::Error::other("output already committed"))
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.writer()?.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer()?.flush()
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        self.writer.take();
        if let Mode::Atomic { temporary, .. } = &self.mode {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

/// A hidden, unique temporary name in the target's folder (so the rename stays on one file
/// system).
fn temporary_beside(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let unique: u64 = rand::random();
    target.with_file_name(format!(
        ".{name}.partial-{}-{unique:016x}",
        std::process::id()
    ))
}

/// Writes `bytes` to `path` as an [`OutputFile`].
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut output = OutputFile::create(path)?;
    output
        .write_all(bytes)
        .map_err(|source| Error::io(path, source))?;
    output.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_replaced_atomically_and_a_failed_run_leaves_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old\n").expect("write");
        {
            let mut output = OutputFile::create(&path).expect("create");
            assert!(output.is_atomic());
            output.write_all(b"half").expect("write");
            // Dropped without commit: the old content stays, no temporary file is left.
        }
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "old\n");
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);
        write_output(&path, b"new\n").expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new\n");
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let error = OutputFile::create(dir.path()).expect_err("directory");
        assert_eq!(error.code(), "output_is_directory");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_stays_a_symlink_and_a_device_is_written_in_place() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.csv");
        std::fs::write(&real, "old\n").expect("write");
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("real.csv", &link).expect("symlink");
        write_output(&link, b"through the link\n").expect("write");
        assert!(std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink());
        assert_eq!(
            std::fs::read_to_string(&real).expect("read"),
            "through the link\n"
        );
        let null = Path::new("/dev/null");
        if null.exists() {
            let output = OutputFile::create(null).expect("open /dev/null");
            assert!(!output.is_atomic());
            write_output(null, b"discarded").expect("write");
            assert!(!std::fs::metadata(null).expect("meta").is_file());
        }
    }
}
