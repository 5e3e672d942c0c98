//! # Incontro core
//!
//! The engine of Incontro, a skills-based job matching engine for Italian public employment
//! services ("incontro tra domanda e offerta"). It matches people to vacancies by individual ESCO
//! competences with levels, explains every match, proposes training that closes a gap, and turns
//! the *comunicazioni obbligatorie* into outreach call lists.
//!
//! This crate has no HTTP and no async runtime: applications embed [`Engine`], the one façade.
//!
//! Runnable programs live in `examples/`: `embed` (load ESCO, add a company, a vacancy and people
//! from code, rank both ways, explain a match), `nightly_batch` (the top vacancies of every person
//! as CSV) and `cohort` (a Cob23 cohort from a COB file and a rule):
//! `cargo run -p incontro-core --example embed`. Time is an input ([`clock`]): pin it with
//! [`Engine::open_in_memory_on`] or [`Engine::with_clock`].
//!
//! ## A tour
//!
//! Everything goes through [`Engine`]; its methods come in groups (each `impl` block of its page
//! is headed by its group):
//!
//! - **Opening**: [`Engine::open`] (a data directory), [`Engine::open_in_memory_on`] (tests), the
//!   clock ([`Engine::today`], [`Engine::with_clock`]).
//! - **Taxonomy**: [`Engine::import_esco`] (the official release zips, English or Italian),
//!   [`Engine::taxonomy`].
//! - **Records**: [`Engine::put_company`], [`Engine::put_vacancy`], [`Engine::put_job_seekers`],
//!   [`Engine::put_course`] — checked exactly as the importers check files —
//!   [`Engine::import_records`], [`Engine::import_demo`]. The model types have constructors with
//!   defaults ([`model::Vacancy::draft`], [`model::JobSeeker::new`], [`model::Company::new`],
//!   [`model::Course::new`], [`model::Requirement::essential`]) and identifiers parse with
//!   [`str::parse`] (`"V001".parse::<model::EntityId>()`).
//! - **Matching**: [`Engine::vacancies_for_person`], [`Engine::candidates_for_vacancy`],
//!   [`Engine::explain_match`], [`Engine::match_all`] (the nightly batch).
//! - **Training**: [`Engine::propose_courses`], [`Engine::course_doors`],
//!   [`Engine::demand_report`].
//! - **Suggestions**: [`Engine::suggest_competences`] (competences from a job ad).
//! - **Outreach (Cob23)**: [`Engine::import_cob`], [`Engine::create_campaign`],
//!   [`Engine::call_list`], [`Engine::record_attempt`], [`Engine::funnel`].
//! - **Access and oversight**: roles and offices ([`access`]), the audit log, the ranking log,
//!   fairness figures ([`fairness`]).
//!
//! Errors are one [`Error`] type: match on [`Error::code`] (a stable [`ErrorCode`]) or
//! [`Error::kind`]; the storage library behind it is not part of the interface.
//!
//! ```
//! use incontro_core::{Engine, model::{CodiceFiscale, Level}};
//!
//! let engine = Engine::open_in_memory().expect("engine");
//! assert!(CodiceFiscale::parse("RSSMRA80A01H501U").is_ok());
//! assert_eq!(Level::parse("avanzato").unwrap().get(), 3);
//! # let _ = engine;
//! ```

pub mod clock;
pub mod error;
pub mod input;
pub mod model;
pub mod output;
pub mod progress;
pub(crate) mod store;

pub mod access;
pub mod appointments;
pub mod fairness;
pub mod index;
pub mod italian;
pub mod matching;
pub mod outreach;
pub mod placements;
pub mod profile;
pub mod records;
pub mod scoring;
pub mod spreadsheet;
pub mod suggest;
pub mod taxonomy;
#[doc(hidden)]
pub mod testing;
pub mod training;
pub mod vocabulary;

mod engine;
mod seeded;

pub use engine::Engine;
pub use error::{DatabaseError, DbErrorKind, Error, ErrorCode, ErrorKind, InputProblem, Problems};
pub use progress::{NoProgress, Progress};
pub use store::DatabaseUrl;

/// The result type of every fallible engine call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
