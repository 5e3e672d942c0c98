//! The real `incontro outreach` binary as a manager uses it: output piped into a reader that
//! closes early (`| head -1`) must not panic, and `--csv` files are written whatever happens to
//! stdout. See: issue 13, point 11.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn incontro_binary() -> PathBuf {
    match std::env::var_os("INCONTRO_BIN") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_BIN_EXE_incontro")),
    }
}

fn command(data_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(incontro_binary());
    command
        .env("INCONTRO_TODAY", crate::helpers::test_today().to_string())
        .arg("--quiet")
        .arg("--data-dir")
        .arg(data_dir)
        .envs(crate::helpers::database_env(data_dir))
        .args(args);
    command
}

fn incontro(data_dir: &Path, args: &[&str]) -> String {
    let output = command(data_dir, args).output().expect("run incontro");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).to_string()
}

/// Runs the command with its stdout a pipe whose reader is already closed.
fn into_closed_pipe(data_dir: &Path, args: &[&str]) -> Output {
    let mut child = command(data_dir, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn incontro");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait")
}

fn campaign(data_dir: &Path) {
    incontro(data_dir, &["import", "demo"]);
    let rule = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/outreach_rule.json");
    incontro(
        data_dir,
        &[
            "outreach",
            "cohort",
            "--campaign",
            "pipe",
            "--rule",
            rule.to_str().expect("utf-8 path"),
        ],
    );
    incontro(
        data_dir,
        &[
            "outreach",
            "assign",
            "--campaign",
            "pipe",
            "--operator",
            "anna:50",
        ],
    );
}

#[test]
fn funnel_and_calls_survive_a_closed_pipe_and_write_their_csv() {
    let data_dir = tempfile::tempdir().expect("tempdir");
    campaign(data_dir.path());
    // Italian by default, in the natural order of bands, with the definitions.
    let funnel = incontro(
        data_dir.path(),
        &["outreach", "funnel", "--campaign", "pipe"],
    );
    assert!(funnel.contains("fascia d'età") && funnel.contains("Tassi per operatore"));
    assert!(funnel.contains("Milano (F205)"), "{funnel}");
    let english = incontro(
        data_dir.path(),
        &["outreach", "funnel", "--campaign", "pipe", "--lang", "en"],
    );
    assert!(english.contains("age band") && english.contains("tirocini count"));

    let csv = data_dir.path().join("funnel.csv");
    let output = into_closed_pipe(
        data_dir.path(),
        &[
            "outreach",
            "funnel",
            "--campaign",
            "pipe",
            "--csv",
            csv.to_str().expect("utf-8 path"),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "funnel: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let written = std::fs::read_to_string(&csv).expect("the CSV was written");
    assert!(written.starts_with("dimension,value,people,called"));
    assert!(written.contains("\ncampaign,pipe,"));

    for args in [
        &[
            "outreach",
            "calls",
            "--campaign",
            "pipe",
            "--operator",
            "anna",
        ][..],
        &[
            "outreach",
            "calls",
            "--campaign",
            "pipe",
            "--operator",
            "anna",
            "--json",
        ][..],
    ] {
        let output = into_closed_pipe(data_dir.path(), args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }

    // A refusal counts as answered; an explicit, audited undo reopens the entry.
    let outcome = |extra: &[&str]| {
        let mut args = vec!["outreach", "outcome", "--campaign", "pipe", "--entry", "1"];
        args.extend_from_slice(extra);
        command(data_dir.path(), &args)
            .output()
            .expect("run incontro")
    };
    assert!(outcome(&["--operator", "anna", "--result", "refused"])
        .status
        .success());
    let funnel = incontro(
        data_dir.path(),
        &[
            "outreach",
            "funnel",
            "--campaign",
            "pipe",
            "--by",
            "campaign",
        ],
    );
    let campaign_row = funnel
        .lines()
        .find(|line| line.starts_with("campagna"))
        .expect("campaign row");
    let figures: Vec<&str> = campaign_row.split_whitespace().skip(2).collect();
    assert_eq!(
        &figures[1..3],
        ["1", "1"],
        "called, answered: {campaign_row}"
    );
    let refused_again = outcome(&["--operator", "anna", "--result", "answered"]);
    assert!(!refused_again.status.success());
    let without_reason = outcome(&["--undo-refusal", "--by", "rita"]);
    assert!(!without_reason.status.success());
    let undone = outcome(&["--undo-refusal", "--by", "rita", "--reason", "wrong entry"]);
    let stdout = String::from_utf8_lossy(&undone.stdout);
    assert!(
        undone.status.success(),
        "{}",
        String::from_utf8_lossy(&undone.stderr)
    );
    assert!(stdout.contains("undone by rita"), "{stdout}");
    assert!(outcome(&["--operator", "anna", "--result", "answered"])
        .status
        .success());
}

#[test]
fn an_admin_undoes_a_refusal_over_http_and_the_operator_calls_again() {
    use crate::helpers::*;
    use incontro_core::access::Role;
    let app = spawn_app();
    let (assigned, operator) = prepare_campaign(&app, "undo");
    assert!(assigned > 0);
    let attempt = |result: &str| {
        app.request(
            "POST",
            "/v1/campaigns/undo/entries/1/attempts",
            Some(&operator),
            Some(&serde_json::json!({ "result": result })),
        )
    };
    assert_eq!(attempt("refused").status, 200);
    assert_eq!(attempt("answered").code(), "entry_refused");
    let undo = |key: &str, reason: &str| {
        app.request(
            "POST",
            "/v1/campaigns/undo/entries/1/undo-refusal",
            Some(key),
            Some(&serde_json::json!({ "reason": reason })),
        )
    };
    assert_eq!(undo(&operator, "x").code(), "forbidden_role");
    let admin = app.keys[&Role::Admin].clone();
    assert_eq!(undo(&admin, " ").code(), "invalid_undo");
    let done = undo(&admin, "asked to be called again");
    assert_eq!(done.status, 200, "{:?}", done.body);
    assert_eq!(done.body["attempt_no"], 1);
    assert!(done.body["undone_by"]
        .as_str()
        .is_some_and(|by| by.contains(&app.key_ids[&Role::Admin])));
    assert_eq!(done.body["reason"], "asked to be called again");
    assert_eq!(attempt("answered").status, 200);
    assert_eq!(
        undo(&admin, "again").code(),
        "entry_not_refused",
        "nothing left to undo"
    );
    let audit = app.get("/v1/admin/audit?action=undo_refusal", Role::Admin);
    assert_eq!(audit.status, 200, "{:?}", audit.body);
    assert_eq!(audit.body["items"][0]["action"], "undo_refusal");
}
