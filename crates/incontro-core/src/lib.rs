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
pub mod training;
pub mod vocabulary;

mod engine;

pub use engine::Engine;
pub use error::{DatabaseError, Error, ErrorCode, ErrorKind, InputProblem, Problems};
pub use progress::{NoProgress, Progress};

/// The result type of every fallible engine call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
