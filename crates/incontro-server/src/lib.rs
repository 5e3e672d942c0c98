//! Incontro server
