//! `incontro accounts`: staff accounts of the console (create, list, reset a password, disable,
//! enable). Passwords are read from standard input (one line), never from the command line, and
//! stored only as their argon2id hash. The command runs as the local administrator: the audit
//! log names it `cli`.

use std::io::BufRead;
use std::path::Path;

use clap::Subcommand;
use incontro_core::access::{Principal, Role};

/// Staff account commands.
#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Creates an account; the initial password is read from standard input.
    Create {
        /// The sign-in name (e.g. marta.lazzari).
        #[arg(long)]
        name: String,
        /// Who holds it ("Marta Lazzari, sportello Lucca"); for operators, their operator id.
        #[arg(long)]
        label: String,
        /// admin, validator, desk, operator or analyst.
        #[arg(long)]
        role: String,
        /// Office (province code, e.g. LU); required for validator, desk and operator.
        #[arg(long)]
        office: Option<String>,
    },
    /// Lists accounts (never passwords).
    List,
    /// Sets a new password (read from standard input); the account's sessions end.
    ResetPassword {
        /// The sign-in name.
        name: String,
    },
    /// Disables an account; its sessions end.
    Disable {
        /// The sign-in name.
        name: String,
    },
    /// Enables a disabled account.
    Enable {
        /// The sign-in name.
        name: String,
    },
}

/// The local administrator running the command (as the audit log records it).
fn local_admin() -> Principal {
    Principal {
        key_id: "cli".into(),
        role: Role::Admin,
        office: None,
        label: "incontro accounts".into(),
    }
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Runs an accounts command.
pub fn run(command: AccountsCommand, data_dir: &Path) -> anyhow::Result<()> {
    let engine = super::open_engine(data_dir)?;
    let admin = local_admin();
    match command {
        AccountsCommand::Create {
            name,
            label,
            role,
            office,
        } => {
            let role = Role::parse(&role)?;
            let password = read_password()?;
            let account =
                engine.create_account(&admin, &name, &label, role, office.as_deref(), &password)?;
            eprintln!(
                "created account {} ({}{})",
                account.name,
                role.as_str(),
                account
                    .office
                    .as_deref()
                    .map(|office| format!(", office {office}"))
                    .unwrap_or_default()
            );
        }
        AccountsCommand::List => {
            for account in engine.list_accounts(&admin)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    account.name,
                    account.role.as_str(),
                    account.office.as_deref().unwrap_or("-"),
                    account.created_at,
                    account.disabled_at.as_deref().unwrap_or("active"),
                    account.label
                );
            }
        }
        AccountsCommand::ResetPassword { name } => {
            let password = read_password()?;
            engine.reset_account_password(&admin, &name, &password)?;
            eprintln!("password of {name} reset; its sessions ended");
        }
        AccountsCommand::Disable { name } => {
            engine.set_account_disabled(&admin, &name, true)?;
            eprintln!("disabled {name}; its sessions ended");
        }
        AccountsCommand::Enable { name } => {
            engine.set_account_disabled(&admin, &name, false)?;
            eprintln!("enabled {name}");
        }
    }
    Ok(())
}
