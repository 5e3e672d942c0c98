//! `incontro training propose|doors` and `incontro report demand`: training that closes gaps and
//! the competence demand of an area.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use incontro_core::model::{ComuneCode, EntityId, Modality};
use incontro_core::training::{DemandQuery, DoorsOptions, GapProposal, TrainingOptions};

use crate::progress::Bar;

/// `incontro training …`.
#[derive(Debug, Subcommand)]
pub enum TrainingCommand {
    /// The minimum-hours course set that closes a person's gap for one vacancy, the score before
    /// and after, and the placement path.
    Propose(ProposeArgs),
    /// The courses that unlock the most open vacancies for one person.
    Doors(DoorsArgs),
}

/// `incontro report …`.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Competence demand of an area and period: CSV tables and SVG charts.
    Demand(DemandArgs),
    /// Bias figures of the rankings by sex, age band, citizenship and disability, with the
    /// override rates of staff: CSV, SVG and a printed table (docs/fairness.md).
    Fairness(super::fairness::FairnessArgs),
    /// The system card: purpose, inputs, scoring method, measured figures, latest bias figures,
    /// limitations and oversight measures, as Markdown.
    SystemCard(super::fairness::SystemCardArgs),
}

/// Course availability shared by `propose` and `doors`.
#[derive(Debug, Args)]
pub struct CourseFilterArgs {
    /// Day of the proposal (default: today): courses ended before it are left out.
    #[arg(long)]
    today: Option<NaiveDate>,
    /// Courses must start within this many days.
    #[arg(long, default_value_t = 365)]
    horizon_days: u32,
    /// Allowed modalities, comma-separated (in_presence, online, blended; default any).
    #[arg(long, value_delimiter = ',')]
    modality: Vec<String>,
    /// In-presence and blended courses within this many km of the person's comune (0 = any).
    #[arg(long, default_value_t = 50.0)]
    max_km: f64,
    /// Score with exact coverage.
    #[arg(long)]
    exact: bool,
    /// Tirocinio rules of this region (toscana, lombardia, nazionale).
    #[arg(long, default_value = "toscana")]
    region: String,
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
}

impl CourseFilterArgs {
    fn options(&self, engine_today: chrono::NaiveDate) -> anyhow::Result<TrainingOptions> {
        let today = self.today.unwrap_or(engine_today);
        let mut options = TrainingOptions::on(today);
        options.horizon_days = self.horizon_days;
        options.modalities = self
            .modality
            .iter()
            .map(|raw| Modality::parse(raw))
            .collect::<Result<_, _>>()?;
        options.max_km = (self.max_km > 0.0).then_some(self.max_km);
        options.exact = self.exact;
        options.placement.region = self.region.clone();
        Ok(options)
    }
}

/// Arguments of `incontro training propose`.
#[derive(Debug, Args)]
pub struct ProposeArgs {
    /// The job seeker.
    #[arg(long)]
    person: String,
    /// The open vacancy.
    #[arg(long)]
    vacancy: String,
    #[command(flatten)]
    filter: CourseFilterArgs,
}

/// Arguments of `incontro training doors`.
#[derive(Debug, Args)]
pub struct DoorsArgs {
    /// The job seeker.
    #[arg(long)]
    person: String,
    /// Also count a vacancy as open when the score reaches this (default: essentials only).
    #[arg(long)]
    min_score: Option<f32>,
    /// How many courses.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Only vacancies within this many km of the person's comune.
    #[arg(long)]
    vacancy_km: Option<f64>,
    #[command(flatten)]
    filter: CourseFilterArgs,
}

/// Arguments of `incontro report demand`.
#[derive(Debug, Args)]
pub struct DemandArgs {
    /// Comuni of the area: Belfiore codes or names, comma-separated (e.g. Lucca,Capannori).
    #[arg(long, value_delimiter = ',', required = true)]
    comuni: Vec<String>,
    /// First day of the period (default: today).
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Last day of the period (default: `--from`).
    #[arg(long)]
    to: Option<NaiveDate>,
    /// In-presence courses within this many km of the area (0 = any).
    #[arg(long, default_value_t = 50.0)]
    course_km: f64,
    /// Count draft vacancies too (default: validated vacancies only).
    #[arg(long)]
    include_drafts: bool,
    /// Output folder for the CSV tables and SVG charts.
    #[arg(long)]
    out: PathBuf,
    /// Rows of the tables printed on stdout.
    #[arg(long, default_value_t = 10)]
    top: usize,
}

/// Runs `incontro training …`.
pub fn run(command: TrainingCommand, data_dir: &Path) -> anyhow::Result<()> {
    let engine = super::open_engine(data_dir)?;
    match command {
        TrainingCommand::Propose(args) => {
            let options = args.filter.options(engine.today())?;
            let proposal = engine.propose_courses(
                &EntityId::parse(&args.person)?,
                &EntityId::parse(&args.vacancy)?,
                &options,
            )?;
            if args.filter.json {
                println!("{}", serde_json::to_string_pretty(&proposal)?);
            } else {
                print_proposal(&proposal);
            }
        }
        TrainingCommand::Doors(args) => {
            let mut options = DoorsOptions::on(args.filter.options(engine.today())?.today);
            options.training = args.filter.options(engine.today())?;
            options.min_score = args.min_score;
            options.k = args.top;
            options.vacancy_max_km = args.vacancy_km;
            let person = EntityId::parse(&args.person)?;
            let doors = engine.course_doors(&person, &options)?;
            if args.filter.json {
                println!("{}", serde_json::to_string_pretty(&doors)?);
                return Ok(());
            }
            println!("Corsi che aprono più porte per {person}:");
            if doors.is_empty() {
                println!("  nessun corso disponibile sblocca nuove offerte");
            }
            println!(
                "  {:>3}  {:<7} {:<44} {:>5} {:>9}  offerte sbloccate",
                "#", "corso", "titolo", "ore", "costo €"
            );
            for (rank, door) in doors.iter().enumerate() {
                println!(
                    "  {:>3}  {:<7} {:<44} {:>5} {:>9}  {}",
                    rank + 1,
                    door.course.course_id,
                    cut(&door.course.title, 44),
                    door.course.hours,
                    door.course.cost_eur,
                    door.unlocks.len()
                );
                for unlocked in &door.unlocks {
                    println!(
                        "         → {:<7} {:<40} punteggio {:.2} → {:.2}",
                        unlocked.vacancy_id,
                        cut(&unlocked.title, 40),
                        unlocked.score_before,
                        unlocked.score_after
                    );
                }
            }
        }
    }
    Ok(())
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(max - 1).collect();
        short.push('…');
        short
    }
}

/// Prints a proposal as the desk reads it (Italian).
pub fn print_proposal(proposal: &GapProposal) {
    println!(
        "Proposta per {} → {} ({})",
        proposal.job_seeker_id, proposal.vacancy_id, proposal.vacancy_title
    );
    println!(
        "  punteggio {:.2} → {:.2} dopo i corsi",
        proposal.score_before, proposal.score_after
    );
    if proposal.missing.is_empty() {
        println!("  nessuna competenza essenziale mancante");
    } else {
        println!("  competenze essenziali da colmare:");
        for gap in &proposal.missing {
            let held = if gap.held_level == 0 {
                "manca".to_string()
            } else {
                format!("livello {}", gap.held_level)
            };
            println!(
                "    - {:<56} {held:<10} richiesto {}",
                cut(&gap.label, 56),
                gap.required_level
            );
        }
    }
    if !proposal.courses.is_empty() {
        println!(
            "  corsi ({} ore in tutto, {} € a persona){}:",
            proposal.total_hours,
            proposal.total_cost_eur,
            if proposal.optimal {
                ""
            } else {
                " [non ottimo]"
            }
        );
        for course in &proposal.courses {
            let place = match (&course.comune, course.distance_km) {
                (Some(comune), Some(km)) => format!("{comune}, {km:.0} km"),
                (Some(comune), None) => comune.clone(),
                (None, _) => "online".into(),
            };
            println!(
                "    {:<7} {:<44} {:>4} ore  {} – {}  {:<11} {}",
                course.course_id,
                cut(&course.title, 44),
                course.hours,
                course.start,
                course.end,
                course.modality.as_str(),
                place
            );
            println!("            chiude: {}", course.closes.join("; "));
        }
    }
    if !proposal.untaught.is_empty() {
        println!("  nessun corso disponibile insegna:");
        for gap in &proposal.untaught {
            println!("    - {} (livello {})", gap.label, gap.required_level);
        }
    }
    println!("  percorso: {}", proposal.placement.path.label_it());
    if let Some(alternative) = &proposal.placement.tirocinio_alternative {
        println!("  in alternativa: {}", alternative.label_it());
    }
    for reason in &proposal.placement.reasons {
        println!("    · {reason}");
    }
}

/// Runs `incontro report …`.
pub fn run_report(command: ReportCommand, data_dir: &Path, quiet: bool) -> anyhow::Result<()> {
    let args = match command {
        ReportCommand::Demand(args) => args,
        ReportCommand::Fairness(args) => return super::fairness::run_fairness(args, data_dir),
        ReportCommand::SystemCard(args) => return super::fairness::run_system_card(args, data_dir),
    };
    let engine = super::open_engine(data_dir)?;
    let comuni = resolve_comuni(&engine, &args.comuni)?;
    let from = args.from.unwrap_or_else(|| engine.today());
    let query = DemandQuery {
        comuni,
        from,
        to: args.to.unwrap_or(from),
        course_max_km: (args.course_km > 0.0).then_some(args.course_km),
        include_drafts: args.include_drafts,
    };
    let tables = engine.demand_report(&query, "it", &Bar::new(quiet))?;
    let written = tables.write_to(&args.out)?;
    println!(
        "Domanda di competenze — {} — dal {} al {}",
        tables.area.join(", "),
        tables.from,
        tables.to
    );
    println!(
        "{} offerte aperte ({} posti), {} persone in cerca di lavoro, {} corsi con posti",
        tables.vacancy_count, tables.position_count, tables.seeker_count, tables.course_count
    );
    println!("Offerte contate: {}", tables.vacancies_note());
    println!(
        "\n{:<52} {:>4} {:>8} {:>8} {:>8}",
        "competenza (livello richiesto)", "liv", "domanda", "persone", "divario"
    );
    for row in tables.skills.iter().take(args.top) {
        println!(
            "{:<52} {:>4} {:>8.1} {:>8} {:>8.1}",
            cut(&row.label, 52),
            row.required_level,
            row.demand,
            row.seekers_at_level,
            row.gap
        );
    }
    println!(
        "\n{:<7} {:<44} {:>6} {:>7} {:>8}",
        "corso", "titolo", "posti", "persone", "idoneità"
    );
    for row in tables.courses.iter().take(args.top) {
        println!(
            "{:<7} {:<44} {:>6} {:>7} {:>8}",
            row.course_id,
            cut(&row.title, 44),
            row.seats,
            row.people,
            row.eligibilities
        );
    }
    println!("\nScritti:");
    for path in written {
        println!("  {}", path.display());
    }
    Ok(())
}

/// Comuni given as Belfiore codes or names (case-insensitive).
pub fn resolve_comuni(
    engine: &incontro_core::Engine,
    raw_comuni: &[String],
) -> anyhow::Result<Vec<ComuneCode>> {
    let names = engine.comuni_names()?;
    let mut comuni = Vec::new();
    for raw in raw_comuni {
        let wanted = raw.trim();
        let by_name = names
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(wanted))
            .map(|(code, _)| code.clone());
        let code = match by_name {
            Some(code) => code,
            None => wanted.to_ascii_uppercase(),
        };
        comuni
            .push(ComuneCode::parse(&code).with_context(|| format!("unknown comune {wanted:?}"))?);
    }
    Ok(comuni)
}
