//! The competence model: identifiers checked once at the boundary, and the entities built on them.
//!
//! "Parse, don't validate": every type here has a constructor that checks its input, so the rest
//! of the engine never re-checks a codice fiscale, a level or a URI.

mod codes;
mod entities;
mod ids;

pub use codes::{person_pseudonym, Citizenship, CodiceFiscale, ComuneCode, PartitaIva, Sex};
pub use entities::{
    unmet_conditions, Company, Competence, Course, EducationLevel, EntityId, GolPath, JobSeeker,
    Modality, OccupationCode, PastJob, PersonalData, PlacementType, Requirement, Site,
    UnmetCondition, Vacancy, VacancySource, VacancyStatus, WorkConditions,
};
pub use ids::{
    Evidence, Level, OccupationUri, SkillUri, Weight, ESCO_ISCO_PREFIX, ESCO_OCCUPATION_PREFIX,
    ESCO_SKILL_PREFIX,
};
