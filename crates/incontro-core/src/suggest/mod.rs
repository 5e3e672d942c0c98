//! The suggest module.
