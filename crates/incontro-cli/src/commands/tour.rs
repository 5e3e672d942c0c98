//! `incontro demo`: the main job on the demo data — loads it when the data directory is empty
//! and shows what the desk sees for one person and one vacancy.

use std::path::Path;

use clap::Args;
use incontro_core::matching::MatchQuery;
use incontro_core::model::EntityId;
use incontro_core::scoring::MatchOutcome;
use incontro_core::training::TrainingOptions;

use crate::progress::Bar;

/// Arguments of `incontro demo`.
#[derive(Debug, Args)]
pub struct TourArgs {
    /// The job seeker to show (default: the demo's JS0001).
    #[arg(long, default_value = "JS0001")]
    person: String,
    /// How many vacancies and candidates to list.
    #[arg(long, default_value_t = 5)]
    top: usize,
}

fn bar(value: f32) -> String {
    let filled = (value.clamp(0.0, 1.0) * 20.0).round() as usize;
    format!("[{}{}]", "#".repeat(filled), ".".repeat(20 - filled))
}

/// Runs the tour.
pub fn run(args: TourArgs, data_dir: &Path, quiet: bool) -> anyhow::Result<()> {
    let engine = super::open_engine(data_dir)?;
    if engine.is_empty()? {
        println!(
            "Empty data directory {}: loading the demo dataset (Lucca).",
            data_dir.display()
        );
        engine.import_demo(&Bar::new(quiet))?;
    }
    let person = EntityId::parse(&args.person)?;
    let seeker = engine.get_job_seeker(&person)?;
    let names = engine.comuni_names()?;
    let comune_name = |code: &str| names.get(code).cloned().unwrap_or_else(|| code.to_string());
    println!(
        "\n== Sportello lavoro: {} (nata/o nel {}, domicilio {})",
        person,
        seeker.birth_year,
        comune_name(seeker.comune.as_str())
    );
    let profile = engine.person_profile(&person)?;
    let taxonomy = engine.taxonomy()?;
    println!("Competenze ({}):", profile.len());
    for entry in profile.iter().take(12) {
        let label = taxonomy
            .skill_idx(entry.skill.as_str())
            .and_then(|skill| taxonomy.preferred_label(skill, "it"))
            .unwrap_or(entry.skill.as_str());
        println!(
            "  {:<58} livello {} — {}",
            label,
            entry.level.get(),
            entry.provenance_it()
        );
    }
    if profile.len() > 12 {
        println!("  … e altre {}", profile.len() - 12);
    }
    let query = MatchQuery {
        k: args.top,
        ..MatchQuery::default()
    };
    let matches = engine.vacancies_for_person(&person, &query, "it")?;
    println!(
        "\nOfferte più adatte (solo offerte validate che rispettano le condizioni della persona{}):",
        if seeker.accepts_tirocinio {
            ""
        } else {
            ": niente tirocini"
        }
    );
    for found in &matches {
        println!(
            "  {}. {:<6} {:<40} {:<22} {} {:.2}",
            found.rank,
            found.vacancy_id,
            found.title,
            comune_name(&found.comune),
            bar(found.score),
            found.score
        );
        println!("     {}", found.explanation.summary_it);
    }
    let Some(near) = matches
        .iter()
        .find(|found| found.score < 0.95)
        .or(matches.first())
    else {
        println!("  nessuna offerta con competenze in comune");
        return Ok(());
    };
    println!("\nSpiegazione per {} ({}):", near.vacancy_id, near.title);
    println!("  {}", near.explanation.summary_it);
    for item in &near.explanation.items {
        let mark = match &item.outcome {
            MatchOutcome::Exact { deficit: 0, .. } => "ok",
            MatchOutcome::Missing => "--",
            _ => "~",
        };
        println!("  {:<3} {}", mark, item.line_it());
    }
    let vacancy = EntityId::parse(&near.vacancy_id)?;
    let today = engine.today();
    println!("\nCorsi che colmano il divario (il minor numero di ore in tutto):");
    let proposal = engine.propose_courses(&person, &vacancy, &TrainingOptions::on(today))?;
    super::training::print_proposal(&proposal);
    let candidates = engine.candidates_for_vacancy(&vacancy, &query, "it")?;
    println!("\nCandidati per {} (in ordine):", near.vacancy_id);
    for candidate in candidates {
        println!(
            "  {}. {:<8} {:<24} {} {:.2}",
            candidate.rank,
            candidate.job_seeker_id,
            comune_name(&candidate.comune),
            bar(candidate.score),
            candidate.score
        );
    }
    println!(
        "\nDati in {}. Prova: incontro --data-dir {} stats",
        data_dir.display(),
        data_dir.display()
    );
    Ok(())
}
