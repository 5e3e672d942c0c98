//! The batch's output file: an [`OutputFile`] (a temporary file beside a regular target, renamed
//! over it on commit, so a failed run leaves nothing behind; a device node or symlink written
//! through, never replaced).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::output::OutputFile;
use crate::Result;

/// The batch output with its header written.
pub(super) struct PartialFile {
    target: PathBuf,
    output: OutputFile,
}

impl PartialFile {
    pub(super) fn create(target: &Path) -> Result<Self> {
        let mut output = OutputFile::create(target)?;
        output
            .write_all(b"worker_id,rank,vacancy_id,score\n")
            .map_err(|e| crate::Error::io(target, e))?;
        Ok(PartialFile {
            target: target.to_path_buf(),
            output,
        })
    }

    pub(super) fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.output
            .write_all(bytes)
            .map_err(|e| crate::Error::io(&self.target, e))
    }

    pub(super) fn commit(self) -> Result<()> {
        self.output.commit()
    }
}
