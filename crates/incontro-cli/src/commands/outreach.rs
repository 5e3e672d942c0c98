//! `incontro outreach …`: Cob23 campaigns from the COB notices.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;
use clap::Subcommand;
use incontro_core::outreach::{
    funnel::{check_dimension, DIMENSIONS},
    funnel_csv, funnel_svg, CallResult, CampaignSpec, CohortRule, Milestone, Operator,
};

use crate::progress::Bar;

/// The outreach steps.
#[derive(Debug, Subcommand)]
pub enum OutreachCommand {
    /// Select a cohort with a rule (JSON file) and store it as a campaign with its call list.
    Cohort {
        /// Campaign id.
        #[arg(long)]
        campaign: String,
        /// Campaign name (default: the id).
        #[arg(long)]
        name: Option<String>,
        /// The cohort rule as JSON (see docs in `incontro_core::outreach::cohort`).
        #[arg(long)]
        rule: PathBuf,
        /// Purge call lists and outcomes after this day (default: one year after the rule's as_of).
        #[arg(long)]
        retention_until: Option<NaiveDate>,
        /// Attempts per person.
        #[arg(long, default_value_t = 3)]
        max_attempts: u32,
        /// Days between unanswered attempts.
        #[arg(long, default_value_t = 2)]
        retry_days: u32,
        /// Only print the selection report; store nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Assign a campaign's call list fairly to operators (`ID:DAILY_CAPACITY`, repeatable, or a
    /// CSV file `operator_id,daily_capacity`).
    Assign {
        /// Campaign id.
        #[arg(long)]
        campaign: String,
        /// An operator as `ID:CAPACITY`.
        #[arg(long = "operator")]
        operators: Vec<String>,
        /// A CSV file of operators.
        #[arg(long)]
        operators_file: Option<PathBuf>,
    },
    /// An operator's call list for a day (the minimised view).
    Calls {
        /// Campaign id.
        #[arg(long)]
        campaign: String,
        /// Operator id.
        #[arg(long)]
        operator: String,
        /// Day (default today).
        #[arg(long)]
        date: Option<NaiveDate>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Record a call attempt (`--result`) or a later step (`--milestone`) for an entry.
    Outcome {
        /// Campaign id.
        #[arg(long)]
        campaign: String,
        /// Entry number.
        #[arg(long)]
        entry: u32,
        /// Operator id (required with --result).
        #[arg(long)]
        operator: Option<String>,
        /// answered, no_answer, busy, wrong_number or refused.
        #[arg(long)]
        result: Option<String>,
        /// taken_in_charge, enrolled or placed.
        #[arg(long)]
        milestone: Option<String>,
        /// Day (default today).
        #[arg(long)]
        date: Option<NaiveDate>,
        /// A note on the attempt (at most 500 characters; personal data, never logged).
        #[arg(long)]
        note: Option<String>,
        /// Call again on this day (YYYY-MM-DD; only with --result no_answer or busy).
        #[arg(long = "next-call")]
        next_call: Option<NaiveDate>,
    },
    /// The funnel of a campaign: called → answered → taken in charge → placed.
    Funnel {
        /// Campaign id.
        #[arg(long)]
        campaign: String,
        /// Only this dimension in the table (campaign, operator, sex, age_band, comune).
        #[arg(long)]
        by: Option<String>,
        /// Write every dimension as CSV here.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Write an SVG chart of the `--by` dimension (default campaign) here.
        #[arg(long)]
        svg: Option<PathBuf>,
    },
    /// Purge call lists and outcomes of campaigns past their retention date (aggregates kept).
    Purge {
        /// Day to compare with (default today).
        #[arg(long)]
        today: Option<NaiveDate>,
    },
    /// The campaign's call list with priorities and their reasons (campaign owner's view).
    Entries {
        /// Campaign id.
        #[arg(long)]
        campaign: String,
        /// Show the first N entries.
        #[arg(long, default_value_t = 20)]
        top: usize,
    },
    /// List campaigns.
    List,
}

fn parse_operators(list: &[String], file: Option<&Path>) -> anyhow::Result<Vec<Operator>> {
    let mut operators = Vec::new();
    for item in list {
        let (id, capacity) = item
            .split_once(':')
            .with_context(|| format!("operator {item:?} must be ID:CAPACITY"))?;
        operators.push(Operator {
            id: id.trim().to_string(),
            daily_capacity: capacity
                .trim()
                .parse()
                .with_context(|| format!("capacity of {id} must be a number"))?,
        });
    }
    if let Some(file) = file {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        for (index, line) in text.lines().enumerate().skip(1) {
            if line.trim().is_empty() {
                continue;
            }
            let (id, capacity) = line.split_once(',').with_context(|| {
                format!(
                    "{}:{}: expected operator_id,daily_capacity",
                    file.display(),
                    index + 1
                )
            })?;
            operators.push(Operator {
                id: id.trim().to_string(),
                daily_capacity: capacity.trim().parse().with_context(|| {
                    format!(
                        "{}:{}: daily_capacity must be a number",
                        file.display(),
                        index + 1
                    )
                })?,
            });
        }
    }
    Ok(operators)
}

/// Runs an outreach command.
pub fn run(command: OutreachCommand, data_dir: &Path, quiet: bool) -> anyhow::Result<()> {
    let engine = super::open_engine(data_dir)?;
    match command {
        OutreachCommand::Cohort {
            campaign,
            name,
            rule,
            retention_until,
            max_attempts,
            retry_days,
            dry_run,
        } => {
            let text = std::fs::read_to_string(&rule)
                .with_context(|| format!("reading {}", rule.display()))?;
            let rule: CohortRule = serde_json::from_str(&text)
                .with_context(|| format!("{}: not a valid cohort rule", rule.display()))?;
            let started = std::time::Instant::now();
            if dry_run {
                let (_, report) = engine.select_cohort(&rule)?;
                print_report(&report);
                println!(
                    "  {:<28} {:>8.2}s",
                    "elapsed",
                    started.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            let spec = CampaignSpec {
                id: campaign.clone(),
                name: name.unwrap_or_else(|| campaign.clone()),
                retention_until: retention_until
                    .unwrap_or(rule.as_of + chrono::Duration::days(365)),
                rule,
                max_attempts,
                retry_days,
            };
            let summary = engine.create_campaign(&spec, &Bar::new(quiet))?;
            println!("campaign {}", summary.id);
            print_report(&summary.report);
            println!(
                "  {:<28} {:>8.2}s (load {:.2}s, selection {:.3}s)",
                "elapsed",
                started.elapsed().as_secs_f64(),
                summary.load_seconds,
                summary.select_seconds
            );
            Ok(())
        }
        OutreachCommand::Assign {
            campaign,
            operators,
            operators_file,
        } => {
            let operators = parse_operators(&operators, operators_file.as_deref())?;
            let started = std::time::Instant::now();
            let counts = engine.assign_operators(&campaign, &operators)?;
            for (operator, count) in counts {
                println!("  {operator:<28} {count:>9}");
            }
            println!(
                "  {:<28} {:>8.2}s",
                "elapsed",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        OutreachCommand::Calls {
            campaign,
            operator,
            date,
            json,
        } => {
            let list =
                engine.call_list(&campaign, &operator, date.unwrap_or_else(|| engine.today()))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(());
            }
            println!(
                "{:>5}  {:<24} {:<14} {:<20} {:<9} {:<10} {:>3}  vacancies",
                "entry", "name", "mobile", "comune", "sector", "ended", "att"
            );
            for entry in list {
                println!(
                    "{:>5}  {:<24} {:<14} {:<20} {:<9} {:<10} {:>3}  {}",
                    entry.entry_no,
                    entry.name.unwrap_or_default(),
                    entry.mobile.unwrap_or_default(),
                    entry.comune.unwrap_or_default(),
                    entry.last_sector.unwrap_or_default(),
                    entry.end_date,
                    entry.attempts,
                    entry.vacancies.join("; ")
                );
            }
            Ok(())
        }
        OutreachCommand::Outcome {
            campaign,
            entry,
            operator,
            result,
            milestone,
            date,
            note,
            next_call,
        } => {
            let day = date.unwrap_or_else(|| engine.today());
            if milestone.is_some() && (note.is_some() || next_call.is_some()) {
                anyhow::bail!("--note and --next-call go with --result");
            }
            match (result, milestone) {
                (Some(result), None) => {
                    let operator = operator.context("--result needs --operator")?;
                    let result = CallResult::parse(&result)?;
                    let details = incontro_core::outreach::AttemptDetails { note, next_call };
                    let attempt = engine
                        .record_attempt_with(&campaign, entry, &operator, result, day, &details)?;
                    println!(
                        "entry {entry}: attempt {attempt} recorded ({})",
                        result.as_str()
                    );
                }
                (None, Some(milestone)) => {
                    engine.record_milestone(
                        &campaign,
                        entry,
                        Milestone::parse(&milestone)?,
                        day,
                    )?;
                    println!("entry {entry}: {milestone} recorded");
                }
                _ => anyhow::bail!("give exactly one of --result or --milestone"),
            }
            Ok(())
        }
        OutreachCommand::Funnel {
            campaign,
            by,
            csv,
            svg,
        } => {
            if let Some(by) = &by {
                check_dimension(by)?;
            }
            let rows = engine.funnel(&campaign)?;
            println!(
                "{:<10} {:<22} {:>7} {:>7} {:>8} {:>8} {:>8} {:>9} {:>9}",
                "dimension",
                "value",
                "people",
                "called",
                "answered",
                "in charge",
                "enrolled",
                "placed(r)",
                "placed(c)"
            );
            for row in rows
                .iter()
                .filter(|row| by.as_deref().is_none_or(|by| row.dimension == by))
            {
                println!(
                    "{:<10} {:<22} {:>7} {:>7} {:>8} {:>8} {:>8} {:>9} {:>9}",
                    row.dimension,
                    row.value,
                    row.people,
                    row.called,
                    row.answered,
                    row.taken_in_charge,
                    row.enrolled,
                    row.placed_reported,
                    row.placed_confirmed
                );
            }
            if let Some(path) = csv {
                incontro_core::output::write_output(&path, funnel_csv(&rows).as_bytes())
                    .with_context(|| format!("writing {}", path.display()))?;
                println!("wrote {}", path.display());
            }
            if let Some(path) = svg {
                let dimension = by.as_deref().unwrap_or(DIMENSIONS[0]);
                let title = format!("Campaign {campaign}: funnel by {dimension}");
                incontro_core::output::write_output(
                    &path,
                    funnel_svg(&rows, dimension, &title).as_bytes(),
                )
                .with_context(|| format!("writing {}", path.display()))?;
                println!("wrote {}", path.display());
            }
            Ok(())
        }
        OutreachCommand::Purge { today: day } => {
            let purged = engine.purge_outreach(day.unwrap_or_else(|| engine.today()))?;
            if purged.is_empty() {
                println!("no campaign past its retention date");
            }
            for id in purged {
                println!("purged call lists and outcomes of {id} (aggregates kept)");
            }
            Ok(())
        }
        OutreachCommand::Entries { campaign, top } => {
            let stored = engine.campaign(&campaign)?;
            println!("rule: {}", serde_json::to_string(&stored.rule)?);
            for entry in engine.campaign_entries(&campaign)?.into_iter().take(top) {
                let reasons: Vec<String> = entry
                    .reasons
                    .iter()
                    .map(|r| format!("{}={} (+{})", r.factor, r.value, r.points))
                    .collect();
                println!(
                    "{:>5}  {:>5.1}  {:<8} {:<3} {:<7} {:<6} ended {}  {}",
                    entry.entry_no,
                    entry.priority,
                    entry.operator.unwrap_or_default(),
                    entry.sex.unwrap_or_default(),
                    entry.age_band,
                    entry.comune.unwrap_or_default(),
                    entry.end_date,
                    reasons.join(", ")
                );
            }
            Ok(())
        }
        OutreachCommand::List => {
            for campaign in engine.campaigns()? {
                println!(
                    "{:<20} {:<30} selected {:>7}  created {}  retention until {}{}",
                    campaign.id,
                    campaign.name,
                    campaign.report.selected,
                    campaign.created_on,
                    campaign.retention_until,
                    campaign
                        .purged_on
                        .map(|day| format!("  purged {day}"))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
    }
}

fn print_report(report: &incontro_core::outreach::SelectionReport) {
    println!("  {:<34} {:>9}", "people with spells", report.people);
    for (rule, count) in &report.excluded {
        println!("  excluded: {rule:<24} {count:>9}");
    }
    println!("  {:<34} {:>9}", "selected", report.selected);
}
