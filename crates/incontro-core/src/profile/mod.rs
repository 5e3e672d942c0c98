//! The profile module.
