//! SQL of the access area.
