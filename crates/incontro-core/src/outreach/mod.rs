//! The outreach module.
