//! SQL of the taxonomy area.
