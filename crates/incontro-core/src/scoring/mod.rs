//! The scoring module.
