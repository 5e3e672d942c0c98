//! Cob23: import a file of comunicazioni obbligatorie and select the people to call with a
//! cohort rule (JSON, see docs/formats.md), printing who each step of the rule excluded.
//!
//! ```sh
//! cargo run -p incontro-core --example cohort                 # the demo's Milan extract and rule
//! cargo run -p incontro-core --example cohort -- COB.csv RULE.json [CONTACTS.csv]
//! ```

use std::path::PathBuf;

use incontro_core::outreach::cob::CobImportOptions;
use incontro_core::outreach::cohort::CohortRule;
use incontro_core::outreach::contacts::ContactImportOptions;
use incontro_core::{Engine, Error, ErrorCode, NoProgress};

fn main() -> incontro_core::Result<()> {
    let demo = incontro_core::records::demo_dir().join("demo");
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let cob = args.next().unwrap_or_else(|| demo.join("outreach_cob.csv"));
    let rule_path = args
        .next()
        .unwrap_or_else(|| demo.join("outreach_rule.json"));
    let contacts = args
        .next()
        .unwrap_or_else(|| demo.join("outreach_contacts.csv"));

    let engine = Engine::open_in_memory()?;
    engine.import_cob_codes(&incontro_core::records::demo_dir().join("cob_codes.csv"))?;
    let imported = engine.import_cob(&cob, &CobImportOptions::default(), &NoProgress)?;
    println!(
        "{} notices imported from {}",
        imported.inserted,
        cob.display()
    );
    // Mobiles come from outside the COB (the regional SIL, the person's own booking).
    engine.import_contacts(&contacts, &ContactImportOptions::default())?;

    let text = std::fs::read_to_string(&rule_path).map_err(|error| Error::io(&rule_path, error))?;
    let rule: CohortRule = serde_json::from_str(&text).map_err(|error| {
        Error::invalid(
            ErrorCode::InvalidRule,
            format!("{}: {error}", rule_path.display()),
        )
    })?;
    let (cohort, report) = engine.select_cohort(&rule)?;
    println!("{:<28} {:>8}", "people with a job spell", report.people);
    for (rule, excluded) in &report.excluded {
        println!("{:<28} {:>8}", format!("excluded: {rule}"), excluded);
    }
    println!("{:<28} {:>8}", "selected", report.selected);
    for candidate in cohort.iter().take(5) {
        println!(
            "  ended {} ({} days before the reference date)",
            candidate.end_date, candidate.days_since_end
        );
    }
    Ok(())
}
