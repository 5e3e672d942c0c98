//! `incontro explain --log-id N` (reproduce a logged ranking) and `incontro purge` (retention),
//! issue 18 point 4: the ranking log of [`incontro_core::access`].

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::bail;
use clap::Args;
use incontro_core::access::{RankingRequest, Replay, ReplayOutcome};
use incontro_core::clock::FixedClock;
use incontro_server::{ConfigLayer, ServerConfig};

/// Arguments of `incontro explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The ranking log id (the `X-Ranking-Log-Id` header of the API's ranked lists, the number
    /// the console shows under a ranking).
    #[arg(long)]
    log_id: i64,
}

/// Arguments of `incontro purge`.
#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// TOML config file of the service (its `ranking_log_retention_months` is used).
    #[arg(long, env = "INCONTRO_CONFIG")]
    config: Option<PathBuf>,
    /// Months the ranking log keeps a ranking (overrides the config file and
    /// `INCONTRO_RANKING_LOG_RETENTION_MONTHS`; default 6).
    #[arg(long)]
    ranking_log_retention_months: Option<u32>,
}

fn describe_request(request: &RankingRequest) -> String {
    let scoring = request.scoring();
    let mut text = format!(
        "scoring: {} (related discount {}, specificity {}, essential factor {}, min score {})",
        request.mode_name(),
        scoring.related_discount,
        if scoring.specificity { "on" } else { "off" },
        if scoring.essential_factor {
            "on"
        } else {
            "off"
        },
        scoring.min_score
    );
    let (parameters, scope) = match request {
        RankingRequest::VacanciesForPerson {
            query,
            scope_offices,
            ..
        }
        | RankingRequest::CandidatesForVacancy {
            query,
            scope_offices,
            ..
        } => (serde_json::to_string(query), scope_offices),
        RankingRequest::CourseDoors {
            options,
            scope_offices,
            ..
        } => (serde_json::to_string(options), scope_offices),
    };
    let _ = write!(
        text,
        "\nparameters: {}\nscope: {}",
        parameters.unwrap_or_default(),
        scope
            .as_ref()
            .map_or_else(|| "every office".to_string(), |offices| offices.join(", "))
    );
    text
}

/// The report of a replay, and whether it reproduced the ranking.
pub fn replay_report(replay: &Replay) -> (String, bool) {
    let entry = &replay.record.entry;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "ranking {}: {} {}, served {} (day {}) through the {}",
        replay.record.id,
        entry.request.kind().as_str(),
        entry.request.subject(),
        entry.at,
        entry.day,
        entry.channel.as_str()
    );
    let _ = writeln!(
        text,
        "caller: key {}, role {}, office {}",
        entry.key_id,
        entry.role.as_str(),
        entry.office.as_deref().unwrap_or("every office")
    );
    let _ = writeln!(text, "data revision: {}", entry.data_revision);
    let _ = writeln!(text, "{}", describe_request(&entry.request));
    let _ = writeln!(text, "results logged: {}", entry.results.len());
    for (index, item) in entry.results.iter().enumerate() {
        let _ = writeln!(
            text,
            "  {:>3}. {:<12} {:.4}",
            index + 1,
            item.id,
            item.score
        );
    }
    let reproduced = replay.outcome == ReplayOutcome::Reproduced;
    match &replay.outcome {
        ReplayOutcome::Reproduced => {
            let _ = writeln!(
                text,
                "reproduced: ranked again on revision {} and day {}: the same {} ids with the \
                 same scores in the same order",
                entry.data_revision,
                entry.day,
                entry.results.len()
            );
        }
        ReplayOutcome::DataChanged {
            logged_revision,
            current_revision,
        } => {
            let _ = writeln!(
                text,
                "cannot reproduce: the data changed since the ranking (revision {logged_revision} \
                 then, {current_revision} now: {} write(s) since); no snapshot of the data is kept",
                current_revision - logged_revision
            );
        }
        ReplayOutcome::Differs => {
            let _ = writeln!(
                text,
                "cannot reproduce: same data revision {}, yet ranking again gives another result \
                 (the office setup or the software version changed)",
                entry.data_revision
            );
        }
    }
    if !reproduced {
        match &replay.now {
            Err(why) => {
                let _ = writeln!(text, "ranking again now fails: {why}");
            }
            Ok(_) if replay.differences.is_empty() => {
                let _ = writeln!(
                    text,
                    "ranking again on the current data gives the same ids and scores"
                );
            }
            Ok(_) => {
                let _ = writeln!(text, "what differs on the current data:");
                for line in &replay.differences {
                    let _ = writeln!(text, "  {line}");
                }
            }
        }
    }
    (text, reproduced)
}

/// `incontro explain --log-id N`: ranks again on the logged day and compares.
pub fn explain(args: ExplainArgs, data_dir: &Path) -> anyhow::Result<()> {
    let engine = super::open_engine(data_dir)?;
    let record = engine.ranking_log_entry(args.log_id)?;
    let engine = engine.with_clock(Arc::new(FixedClock::on(record.entry.day)));
    let replay = engine.replay_ranking(args.log_id)?;
    let (text, reproduced) = replay_report(&replay);
    print!("{text}");
    if !reproduced {
        bail!("ranking {} cannot be reproduced", args.log_id);
    }
    Ok(())
}

/// `incontro purge`: what is past its retention — the ranking log rows older than the office's
/// retention, and the call lists of outreach campaigns past their retention date.
pub fn purge(args: PurgeArgs, data_dir: &Path) -> anyhow::Result<()> {
    let flags = ConfigLayer {
        ranking_log_retention_months: args.ranking_log_retention_months,
        ..ConfigLayer::default()
    };
    let config = ServerConfig::load(
        args.config.as_deref(),
        &|name| std::env::var(name).ok(),
        flags,
    )?;
    let engine = super::open_engine(data_dir)?;
    let span = engine.purge_ranking_log(config.ranking_log_retention_months)?;
    println!(
        "ranking log: purged {} ranking(s) served before {} (retention {} months); {} kept{}",
        span.purged,
        span.first_kept_day,
        config.ranking_log_retention_months,
        span.rows,
        span.oldest_day
            .map(|day| format!(", the oldest of {day}"))
            .unwrap_or_default()
    );
    let campaigns = engine.purge_outreach(engine.today())?;
    if campaigns.is_empty() {
        println!("outreach: no campaign past its retention date");
    }
    for id in campaigns {
        println!("outreach: purged call lists and outcomes of {id} (aggregates kept)");
    }
    Ok(())
}
