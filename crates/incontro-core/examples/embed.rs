//! Embed the matcher: load an ESCO release, add a company, a vacancy and two people from code,
//! rank the vacancies for a person, rank the candidates for the vacancy, and explain one match.
//!
//! ```sh
//! cargo run -p incontro-core --example embed                      # the demo's ESCO subset
//! cargo run -p incontro-core --example embed -- PATH/TO/ESCO.zip…   # an official release
//! ```

use std::path::PathBuf;

use incontro_core::matching::MatchQuery;
use incontro_core::model::{
    Company, Competence, ComuneCode, EducationLevel, EntityId, Evidence, JobSeeker, Level,
    PlacementType, Requirement, Sex, SkillUri, Vacancy,
};
use incontro_core::taxonomy::EscoImportOptions;
use incontro_core::{Engine, NoProgress};

const SKILL: &str = "http://data.europa.eu/esco/skill/";
/// "utilizzare apparecchiature per saldatura" (operate welding equipment).
const WELDING: &str = "2fcd95a4-1f9a-41cf-95a9-4701bde476b4";
/// "standard di qualità" and "individuare e risolvere i guasti" (quality standards, troubleshoot).
const QUALITY_STANDARDS: &str = "8d4271ca-c9fd-40b3-875f-15f78332a49e";
const TROUBLESHOOTING: &str = "334e3e49-fb02-4051-809a-f06adfdc1c40";

fn skill(id: &str) -> incontro_core::Result<SkillUri> {
    SkillUri::parse(&format!("{SKILL}{id}"))
}

fn competence(id: &str, level: u8) -> incontro_core::Result<Competence> {
    Ok(Competence::new(
        skill(id)?,
        Level::new(level)?,
        Evidence::Assessed,
    ))
}

fn person(id: &str, competences: Vec<Competence>) -> incontro_core::Result<JobSeeker> {
    Ok(JobSeeker {
        accepts_tirocinio: true,
        competences,
        ..JobSeeker::new(
            id.parse()?,
            1990,
            Sex::F,
            "E715".parse()?,
            EducationLevel::UpperSecondary,
        )
    })
}

fn main() -> incontro_core::Result<()> {
    let releases: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let releases = if releases.is_empty() {
        vec![incontro_core::records::demo_dir().join("esco-v1.1.1-it-demo")]
    } else {
        releases
    };
    // An engine in memory; `Engine::open(dir)` keeps everything in a SQLite file instead.
    let engine = Engine::open_in_memory()?;
    let report = engine.import_esco(&releases, &EscoImportOptions::default(), &NoProgress)?;
    println!(
        "ESCO: {} skills, languages {:?}",
        report.skills, report.languages
    );

    let lucca = ComuneCode::parse("E715")?;
    engine.put_company(&Company {
        ateco: Some("25.62.00".into()),
        offers_tirocini: true,
        ..Company::new(
            "C1".parse()?,
            "Officine Serchio S.r.l.",
            "02100000468".parse()?,
        )
        .with_site(lucca.clone())
    })?;
    let requirement =
        |id: &str, level: u8, essential: bool| -> incontro_core::Result<Requirement> {
            let (skill, level) = (skill(id)?, Level::new(level)?);
            Ok(if essential {
                Requirement::essential(skill, level)
            } else {
                Requirement::optional(skill, level)
            })
        };
    let vacancy_id = EntityId::parse("V1")?;
    let today = engine.today();
    engine.put_vacancy(
        &Vacancy {
            description: "Saldatura a filo, controllo qualità e ricerca guasti.".into(),
            placement: PlacementType::Contract {
                contract_type: "A.02.00".into(),
            },
            weekly_hours: Some(40),
            requirements: vec![
                requirement(WELDING, 3, true)?,
                requirement(QUALITY_STANDARDS, 2, true)?,
                requirement(TROUBLESHOOTING, 2, false)?,
            ],
            ..Vacancy::draft(vacancy_id.clone(), "C1".parse()?, "Saldatore", lucca, today)
        }
        .validated("Paolo Giusti", today),
    )?;
    engine.put_job_seekers(&[
        person(
            "P1",
            vec![competence(WELDING, 3)?, competence(QUALITY_STANDARDS, 2)?],
        )?,
        person(
            "P2",
            vec![competence(WELDING, 2)?, competence(TROUBLESHOOTING, 3)?],
        )?,
    ])?;

    let query = MatchQuery::default();
    for id in ["P1", "P2"] {
        let matches = engine.vacancies_for_person(&EntityId::parse(id)?, &query, "it")?;
        for found in &matches {
            println!(
                "{id}: {} {:.3} — {}",
                found.vacancy_id, found.score, found.explanation.summary_it
            );
        }
    }
    for candidate in engine.candidates_for_vacancy(&vacancy_id, &query, "it")? {
        println!(
            "#{} {} {:.3}",
            candidate.rank, candidate.job_seeker_id, candidate.score
        );
    }
    let explanation = engine.explain_match(&EntityId::parse("P2")?, &vacancy_id, false, "it")?;
    println!("P2 → V1: {}", explanation.summary_it);
    for line in &explanation.items {
        println!(
            "  {} (livello {}, {}): credito {:.2}",
            line.label,
            line.required_level,
            if line.essential {
                "essenziale"
            } else {
                "facoltativa"
            },
            line.credit
        );
    }
    Ok(())
}
