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

/// `FromStr` through each type's checked `parse`, so ids read from text, arguments or
/// configuration parse with `"V001".parse::<EntityId>()` and fail with the same error.
macro_rules! from_str_by_parse {
    ($($ty:ty),* $(,)?) => {
        $(
            impl std::str::FromStr for $ty {
                type Err = crate::Error;
                fn from_str(raw: &str) -> crate::Result<Self> {
                    <$ty>::parse(raw)
                }
            }
        )*
    };
}

from_str_by_parse!(
    EntityId,
    SkillUri,
    OccupationUri,
    Level,
    Evidence,
    CodiceFiscale,
    PartitaIva,
    ComuneCode,
    Sex,
    Citizenship,
    EducationLevel,
    Modality,
    GolPath,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn identifiers_parse_from_str_with_the_checked_constructor() {
        let id: EntityId = " V001 ".parse().expect("id");
        assert_eq!(id.as_str(), "V001");
        let error = "V 001".parse::<EntityId>().expect_err("space");
        assert_eq!(error.code(), ErrorCode::InvalidId);
        let cf: CodiceFiscale = "RSSMRA80A01H501U".parse().expect("cf");
        assert_eq!(cf.as_str(), "RSSMRA80A01H501U");
        // A wrong check character is refused exactly as `CodiceFiscale::parse` refuses it.
        let wrong = "RSSMRA80A01H501V"
            .parse::<CodiceFiscale>()
            .expect_err("checksum");
        assert_eq!(
            wrong.code(),
            CodiceFiscale::parse("RSSMRA80A01H501V").unwrap_err().code()
        );
        assert_eq!("3".parse::<Level>().expect("level").get(), 3);
        assert!("9".parse::<Level>().is_err());
        assert!("http://data.europa.eu/esco/skill/abc"
            .parse::<SkillUri>()
            .is_ok());
        assert!("http://example.org/skill/abc".parse::<SkillUri>().is_err());
    }

    #[test]
    fn constructors_fill_documented_defaults() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("day");
        let vacancy = Vacancy::draft(
            "V1".parse().expect("id"),
            "C1".parse().expect("id"),
            "Saldatore",
            "E715".parse().expect("comune"),
            day,
        );
        assert_eq!(vacancy.status, VacancyStatus::Draft);
        assert_eq!(vacancy.positions, 1);
        assert!(!vacancy.is_offerable_on(day));
        let skill: SkillUri = "http://data.europa.eu/esco/skill/abc"
            .parse()
            .expect("skill");
        let vacancy = Vacancy {
            requirements: vec![Requirement::optional(
                skill.clone(),
                Level::new(2).expect("level"),
            )],
            ..vacancy.validated("Paolo Giusti", day)
        };
        assert!(vacancy.is_offerable_on(day));
        assert!(!vacancy.requirements[0].essential);
        assert_eq!(vacancy.requirements[0].weight, Weight::NEUTRAL);
        let person = JobSeeker::new(
            "P1".parse().expect("id"),
            1990,
            Sex::F,
            "E715".parse().expect("comune"),
            EducationLevel::UpperSecondary,
        );
        assert!(person.competences.is_empty() && !person.accepts_tirocinio);
        let company = Company::new(
            "C1".parse().expect("id"),
            "Officine Serchio",
            "02100000468".parse().expect("cf"),
        )
        .with_site("E715".parse().expect("comune"));
        assert_eq!(company.sites.len(), 1);
    }
}
