//! `incontro keys`: create, list and revoke API keys.

use std::path::Path;

use clap::Subcommand;
use incontro_core::access::Role;

/// API key commands.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Creates a key and prints its token once (only its SHA-256 is stored).
    Create {
        /// admin, validator, desk, operator or analyst.
        #[arg(long)]
        role: String,
        /// Office (province code, e.g. LU) for validator, desk and operator keys.
        #[arg(long)]
        office: Option<String>,
        /// Who holds the key (recorded as the validator's name when validating).
        #[arg(long, default_value = "unnamed")]
        label: String,
    },
    /// Lists keys (never tokens).
    List,
    /// Revokes a key by id.
    Revoke {
        /// The key id (`key_…`).
        id: String,
    },
}

/// Runs a keys command.
pub fn run(command: KeysCommand, data_dir: &Path) -> anyhow::Result<()> {
    let engine = super::open_engine(data_dir)?;
    match command {
        KeysCommand::Create {
            role,
            office,
            label,
        } => {
            let role = Role::parse(&role)?;
            let created = engine.create_api_key(role, office.as_deref(), &label)?;
            eprintln!(
                "created {} ({}{}); the token below is shown only now:",
                created.key.id,
                role.as_str(),
                created
                    .key
                    .office
                    .as_deref()
                    .map(|office| format!(", office {office}"))
                    .unwrap_or_default()
            );
            println!("{}", created.token);
        }
        KeysCommand::List => {
            for key in engine.list_api_keys()? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    key.id,
                    key.role.as_str(),
                    key.office.as_deref().unwrap_or("-"),
                    key.created_at,
                    key.revoked_at.as_deref().unwrap_or("active"),
                    key.label
                );
            }
        }
        KeysCommand::Revoke { id } => {
            engine.revoke_api_key(&id)?;
            eprintln!("revoked {id}");
        }
    }
    Ok(())
}
