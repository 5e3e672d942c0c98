//! The taxonomy module.
