//! The training module.
