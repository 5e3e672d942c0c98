//! `incontro outreach …`: Cob23 campaigns from the COB notices.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;
use clap::Subcommand;
use incontro_core::outreach::{
    funnel::{self, check_dimension, DIMENSIONS},
    funnel_csv, funnel_svg_in, funnel_table, CallResult, CampaignSpec, CohortRule, Lang, Milestone,
    Operator,
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
        /// Show who the first N calls reach by age band and sex (default: the rule's
        /// `first_calls`; without either, `outreach assign` shows it for the operators' capacity).
        #[arg(long)]
        first: Option<usize>,
    },
    /// Who the first N calls reach, by age band and sex (default N: the rule's `first_calls`,
    /// else the operators' total daily capacity).
    Reach {
        /// Campaign id.
        #[arg(long)]
        campaign: String,
        /// Number of first calls.
        #[arg(long)]
        first: Option<usize>,
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
        /// Undo the entry's `refused` outcome (audited: needs --by and --reason).
        #[arg(long, conflicts_with_all = ["result", "milestone", "note", "next_call"])]
        undo_refusal: bool,
        /// Who undoes the refusal (e.g. the manager's id).
        #[arg(long, requires = "undo_refusal")]
        by: Option<String>,
        /// Why the refusal is undone.
        #[arg(long, requires = "undo_refusal")]
        reason: Option<String>,
    },
    /// The funnel of a campaign for a manager: called → answered → taken in charge → enrolled →
    /// placed, rates by operator and what each step counts.
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
        /// Language of the labels: it (default) or en.
        #[arg(long, default_value = "it")]
        lang: String,
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
            first,
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
            let show_reach = first.is_some() || spec.rule.first_calls.is_some();
            let summary = engine.create_campaign(&spec, &Bar::new(quiet))?;
            println!("campaign {}", summary.id);
            print_report(&summary.report);
            if show_reach {
                print_reach(&engine.campaign_reach(&summary.id, first)?);
            }
            println!(
                "  {:<28} {:>8.2}s (selection {:.2}s, priorities {:.2}s)",
                "elapsed",
                started.elapsed().as_secs_f64(),
                summary.select_seconds,
                summary.priority_seconds
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
            print_reach(&engine.campaign_reach(&campaign, None)?);
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
                return print_out(&format!("{}\n", serde_json::to_string_pretty(&list)?));
            }
            let mut out = format!(
                "{:>5}  {:<24} {:<14} {:<20} {:<9} {:<10} {:>3}  vacancies\n",
                "entry", "name", "mobile", "comune", "sector", "ended", "att"
            );
            for entry in list {
                let _ = writeln!(
                    out,
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
            print_out(&out)
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
            undo_refusal,
            by,
            reason,
        } => {
            if undo_refusal {
                let undo = engine.undo_refusal(
                    &campaign,
                    entry,
                    by.as_deref().unwrap_or_default(),
                    reason.as_deref().unwrap_or_default(),
                )?;
                println!(
                    "entry {entry}: refusal of {} (attempt {}) undone by {} at {}",
                    undo.called_on, undo.attempt_no, undo.undone_by, undo.undone_at
                );
                return Ok(());
            }
            let day = date.unwrap_or_else(|| engine.today());
            if milestone.is_some() && (note.is_some() || next_call.is_some()) {
                anyhow::bail!("--note and --next-call go with --result");
            }
            match (result, milestone) {
                (Some(result), None) => {
                    let operator = operator.context("--result needs --operator")?;
                    let result = CallResult::parse(&result)?;
                    let details = incontro_core::outreach::AttemptDetails {
                        note,
                        next_call,
                        ..Default::default()
                    };
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
            lang,
        } => {
            if let Some(by) = &by {
                check_dimension(by)?;
            }
            let lang = Lang::parse(&lang)?;
            let rows = engine.funnel(&campaign)?;
            // Files first: they are written whatever happens to stdout afterwards.
            let mut wrote = String::new();
            if let Some(path) = csv {
                incontro_core::output::write_output(&path, funnel_csv(&rows).as_bytes())
                    .with_context(|| format!("writing {}", path.display()))?;
                let _ = writeln!(wrote, "wrote {}", path.display());
            }
            if let Some(path) = svg {
                let dimension = by.as_deref().unwrap_or(DIMENSIONS[0]);
                let title = match lang {
                    Lang::It => format!(
                        "Campagna {campaign}: imbuto per {}",
                        funnel::dimension_label(dimension, lang)
                    ),
                    Lang::En => format!(
                        "Campaign {campaign}: funnel by {}",
                        funnel::dimension_label(dimension, lang)
                    ),
                };
                incontro_core::output::write_output(
                    &path,
                    funnel_svg_in(&rows, dimension, &title, lang).as_bytes(),
                )
                .with_context(|| format!("writing {}", path.display()))?;
                let _ = writeln!(wrote, "wrote {}", path.display());
            }
            print_out(&(funnel_table(&rows, by.as_deref(), lang) + &wrote))
        }
        OutreachCommand::Reach { campaign, first } => {
            print_reach(&engine.campaign_reach(&campaign, first)?);
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

/// Writes `text` to stdout; a closed reader (`| head -1`) ends the output quietly instead of
/// panicking, so whatever was written to files before stays written.
fn print_out(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn print_reach(reach: &incontro_core::outreach::Reach) {
    let basis = match reach.basis {
        "asked" => "--first",
        "rule" => "the rule's first_calls",
        "operator_capacity" => "the operators' daily capacity",
        _ => "the whole list",
    };
    println!("  reach of the first {} calls ({basis}):", reach.first);
    println!(
        "  {:<8} {:<6} {:>9} {:>9} {:>7}",
        "age", "sex", "selected", "reached", "share"
    );
    for row in &reach.rows {
        let share = 100.0 * row.reached as f64 / row.selected.max(1) as f64;
        let starved = if row.reached == 0 {
            "  none reached"
        } else {
            ""
        };
        println!(
            "  {:<8} {:<6} {:>9} {:>9} {:>6.0}%{starved}",
            row.age_band, row.sex, row.selected, row.reached, share
        );
    }
}

fn print_report(report: &incontro_core::outreach::SelectionReport) {
    println!("  {:<34} {:>9}", "people with spells", report.people);
    for (rule, count) in &report.excluded {
        println!("  excluded: {rule:<24} {count:>9}");
    }
    println!("  {:<34} {:>9}", "selected", report.selected);
}
