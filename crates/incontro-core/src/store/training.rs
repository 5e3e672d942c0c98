//! SQL of the training area.
