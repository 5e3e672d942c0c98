//! SQL of the entities area.
