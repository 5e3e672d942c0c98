//! The batch's output file: written to a temporary file beside the target and renamed over it on
//! commit, so a failed run leaves nothing behind.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// A temporary file next to the target, renamed over it on commit, removed otherwise.
pub(super) struct PartialFile {
    temporary: PathBuf,
    target: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl PartialFile {
    pub(super) fn create(target: &Path) -> Result<Self> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "matches.csv".into());
        let temporary = target.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let file = File::create(&temporary).map_err(|e| Error::io(&temporary, e))?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        writer
            .write_all(b"worker_id,rank,vacancy_id,score\n")
            .map_err(|e| Error::io(&temporary, e))?;
        Ok(PartialFile {
            temporary,
            target: target.to_path_buf(),
            writer: Some(writer),
        })
    }

    pub(super) fn write(&mut self, bytes: &[u8]) -> Result<()> {
        match self.writer.as_mut() {
            Some(writer) => writer
                .write_all(bytes)
                .map_err(|e| Error::io(&self.temporary, e)),
            None => Err(Error::Internal("output already closed".into())),
        }
    }

    pub(super) fn commit(mut self) -> Result<()> {
        if let Some(writer) = self.writer.take() {
            let file = writer
                .into_inner()
                .map_err(|e| Error::io(&self.temporary, e.into_error()))?;
            file.sync_all().map_err(|e| Error::io(&self.temporary, e))?;
        }
        std::fs::rename(&self.temporary, &self.target).map_err(|e| Error::io(&self.target, e))
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() || self.temporary.exists() {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}
