//! `incontro stats`

use std::path::Path;

use clap::Args;
use serde_json::{json, Map, Value};

/// Arguments of `incontro stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Prints the counts: `{"taxonomy": {...}, "entities": {...}}`.
pub fn run(args: StatsArgs, data_dir: &Path) -> anyhow::Result<()> {
    let engine = super::open_engine(data_dir)?;
    let taxonomy = engine.taxonomy_stats()?;
    // Each area adds its own object; entity counts join `entities`.
    let mut entities = Map::new();
    for (name, count) in engine.entity_counts()?.0 {
        entities.insert(name, Value::from(count));
    }
    entities.insert(
        "cob_notices".into(),
        Value::from(engine.cob_notice_count()?),
    );
    entities.insert(
        "outreach_campaigns".into(),
        Value::from(engine.campaigns()?.len()),
    );
    if args.json {
        let stats = json!({
            "taxonomy": serde_json::to_value(&taxonomy)?,
            "entities": Value::Object(entities),
        });
        println!("{}", serde_json::to_string_pretty(&stats)?);
        return Ok(());
    }
    println!(
        "taxonomy: ESCO {} ({})",
        taxonomy.version.as_deref().unwrap_or("version unknown"),
        taxonomy.languages.join(", ")
    );
    let rows = [
        ("skills", taxonomy.skills),
        ("skill groups", taxonomy.skill_groups),
        ("occupations", taxonomy.occupations),
        ("ISCO groups", taxonomy.isco_groups),
        (
            "occupation-skill relations",
            taxonomy.occupation_skill_relations,
        ),
        ("broader relations", taxonomy.broader_relations),
        ("skill-skill relations", taxonomy.skill_skill_relations),
    ];
    for (name, count) in rows {
        println!("  {name:<28} {count:>9}");
    }
    println!("entities:");
    for (name, count) in &entities {
        println!("  {name:<28} {count:>9}");
    }
    Ok(())
}
