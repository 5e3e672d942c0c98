//! SQL of the outreach area.
