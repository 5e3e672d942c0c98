//! Progress reporting without any terminal dependency.
//!
//! Long-running calls (imports, batch matching) take a `&dyn Progress`. The CLI implements it with
//! an indicatif bar; library users and tests pass [`NoProgress`].

/// Receives progress of a long-running operation.
pub trait Progress: Sync {
    /// A new phase starts; `total` is the expected number of units (bytes, rows…) if known.
    fn start(&self, phase: &str, total: Option<u64>);
    /// `delta` more units are done.
    fn advance(&self, delta: u64);
    /// The current phase is finished.
    fn finish(&self);
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _phase: &str, _total: Option<u64>) {}
    fn advance(&self, _delta: u64) {}
    fn finish(&self) {}
}
