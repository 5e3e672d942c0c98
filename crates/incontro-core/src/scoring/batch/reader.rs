//! The worker file read ahead on its own thread: blocks are read while the vacancy index is
//! built and while the previous block is scored, so the matcher never waits for a `read` on one
//! core while the other idles.
//!
//! Each block carries [`HEADROOM`] bytes in front of its data, where the unprocessed tail of the
//! previous block (the rows of a worker cut by the block's end) is copied: a block is handed to
//! the scorer without copying its megabytes into another buffer. Blocks go back to the reader
//! to be refilled, so their pages are faulted in once.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender};
use std::thread::{Scope, ScopedJoinHandle};

use crate::{Error, Result};

/// Room in front of each block for the previous block's unprocessed tail (one worker's rows).
pub(super) const HEADROOM: usize = 1 << 20;

/// Blocks read ahead of the scorer (besides the one being scored and the one being read).
const AHEAD: usize = 3;

/// A block: `HEADROOM` bytes, then up to the block size of the file's data. No data: the end.
pub(super) struct Block {
    pub(super) bytes: Vec<u8>,
}

impl Block {
    /// The file's bytes in this block.
    pub(super) fn data_len(&self) -> usize {
        self.bytes.len() - HEADROOM
    }
}

/// The receiving end: blocks in file order, then one empty block, or an error.
pub(super) struct BlockReader<'scope> {
    blocks: Receiver<std::io::Result<Block>>,
    recycle: Sender<Block>,
    _thread: Option<ScopedJoinHandle<'scope, ()>>,
    /// Opening the file failed: reported when the first block is asked for, so that the vacancy
    /// file's errors still come first.
    open_error: Option<Error>,
    at_end: bool,
}

impl<'scope> BlockReader<'scope> {
    /// Opens `path` and starts reading it in blocks of `block_bytes` on a thread of `scope`.
    pub(super) fn start<'env>(
        scope: &'scope Scope<'scope, 'env>,
        path: &Path,
        block_bytes: usize,
    ) -> Self {
        let (sender, blocks) = sync_channel(AHEAD);
        let (recycle, returned) = channel::<Block>();
        let (thread, open_error) = match File::open(path) {
            Ok(file) => {
                let thread = std::thread::Builder::new()
                    .name("incontro-read".into())
                    .spawn_scoped(scope, move || {
                        read_blocks(file, block_bytes, &sender, &returned)
                    });
                match thread {
                    Ok(thread) => (Some(thread), None),
                    Err(e) => (None, Some(Error::io(path, e))),
                }
            }
            Err(e) => (None, Some(Error::io(path, e))),
        };
        BlockReader {
            blocks,
            recycle,
            _thread: thread,
            open_error,
            at_end: false,
        }
    }

    /// The next block; `None` after the empty block that ends the file.
    pub(super) fn next(&mut self, path: &Path) -> Result<Option<Block>> {
        if let Some(error) = self.open_error.take() {
            return Err(error);
        }
        if self.at_end {
            return Ok(None);
        }
        match self.blocks.recv() {
            Ok(Ok(block)) => {
                self.at_end = block.data_len() == 0;
                Ok(Some(block))
            }
            Ok(Err(e)) => Err(Error::io(path, e)),
            Err(_) => Err(Error::io(
                path,
                std::io::Error::other("the reading thread stopped"),
            )),
        }
    }

    /// Gives a block back to be refilled.
    pub(super) fn recycle(&self, block: Block) {
        let _ = self.recycle.send(block);
    }
}

fn read_blocks(
    mut file: File,
    block_bytes: usize,
    blocks: &std::sync::mpsc::SyncSender<std::io::Result<Block>>,
    returned: &Receiver<Block>,
) {
    loop {
        let mut block = returned.try_recv().unwrap_or_else(|_| Block {
            bytes: Vec::with_capacity(HEADROOM + block_bytes),
        });
        // The headroom's old bytes are overwritten by the scorer; only a new block is zeroed.
        block.bytes.truncate(HEADROOM);
        block.bytes.resize(HEADROOM, 0);
        let read = (&mut file)
            .take(block_bytes as u64)
            .read_to_end(&mut block.bytes);
        let done = !matches!(read, Ok(n) if n > 0);
        let sent = blocks.send(read.map(|_| block));
        if done || sent.is_err() {
            return;
        }
    }
}
