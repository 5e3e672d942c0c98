//! Training that closes competence gaps, and the competence demand of local companies.
//!
//! - [`cover`]: the exact minimum-hours set of courses that closes a set of gaps (a dynamic
//!   programme over the few gap skills, compared with exhaustive search in the tests);
//! - [`TrainingState`]: the course catalogue interned against the matching state
//!   ([`crate::matching::MatchState`]), with [`TrainingState::propose`] (gap → courses for one
//!   person and one vacancy, with the score before and after from the real scorer and the
//!   placement path) and [`TrainingState::doors`] (the courses that unlock the most open
//!   vacancies for one person);
//! - [`placement`]: contract now, after a course, or tirocinio, with the regional tirocinio rules
//!   as a data table;
//! - [`demand`]: the competence demand report of an area and period (pure), and [`chart`] its
//!   CSV tables and hand-written SVG charts.
//!
//! The `Engine` calls ([`crate::Engine::propose_courses`], [`crate::Engine::course_doors`],
//! [`crate::Engine::demand_report`]) load what they need from the store; the logic here is pure.
//! What it does NOT do: SQL (see `store::training`) or the scoring maths (see [`crate::scoring`]).

pub mod chart;
pub mod cover;
pub mod demand;
mod engine;
pub mod placement;
mod proposal;

pub use engine::{DemandQuery, TrainingCache};
pub use proposal::{
    merge_course, CourseOffer, Door, DoorsOptions, GapProposal, PersonContext, SkillGap,
    TrainingOptions, TrainingState, UnlockedVacancy,
};
