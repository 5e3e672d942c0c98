//! The index module.
