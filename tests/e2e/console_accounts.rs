//! Staff accounts and durable sessions in the browser (issue 15, points 4, 5 and 13): sign in
//! with a name and password, the session survives a restart of the real server process and ends
//! when idle (on the server's clock); an admin creates accounts (errors in place, input kept),
//! resets passwords and manages keys; a form sent after the session was lost is kept through
//! sign-in and then sent; "who looked at this person" lists the desk's reads.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use incontro_core::access::Role;

use crate::console::{browser, browser_at, browser_available, run_in_browser, Driver, ONE_BROWSER};
use crate::helpers::{http_agent, set_cookie, test_today, PERSON};

/// The `incontro` binary cargo built for this test (or `INCONTRO_BIN`).
fn incontro_binary() -> PathBuf {
    match std::env::var_os("INCONTRO_BIN") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_BIN_EXE_incontro")),
    }
}

/// `incontro serve` as a child process on `today`, killed on drop.
struct Served {
    child: Child,
    address: String,
}

impl Served {
    fn start(data_dir: &Path, today: chrono::NaiveDate) -> Served {
        let mut child = Command::new(incontro_binary())
            .env("INCONTRO_TODAY", today.to_string())
            .arg("--data-dir")
            .arg(data_dir)
            .envs(crate::helpers::database_env(data_dir))
            .args(["serve", "--bind", "127.0.0.1:0", "--workers", "1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn incontro serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read port line");
        let port = line
            .trim()
            .strip_prefix("incontro: listening on port ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Served {
            child,
            address: format!("http://127.0.0.1:{port}"),
        }
    }

    /// SIGKILL, as a crash or a hurried deploy would.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `incontro accounts …` with `stdin` as standard input.
fn accounts(data_dir: &Path, args: &[&str], stdin: &str) {
    let mut child = Command::new(incontro_binary())
        .env("INCONTRO_TODAY", test_today().to_string())
        .arg("--data-dir")
        .arg(data_dir)
        .envs(crate::helpers::database_env(data_dir))
        .arg("accounts")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run incontro accounts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write password");
    let output = child.wait_with_output().expect("wait");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_staff_session_survives_a_restart_and_ends_when_idle() {
    if !browser_available() {
        return;
    }
    let _one = ONE_BROWSER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let data_dir = tempfile::tempdir().expect("tempdir");
    let today = test_today();
    let server = Served::start(data_dir.path(), today);
    accounts(
        data_dir.path(),
        &[
            "create",
            "--name",
            "marta.lazzari",
            "--label",
            "Marta Lazzari, sportello Lucca",
            "--role",
            "desk",
            "--office",
            "LU",
        ],
        "prima-luce-42\n",
    );
    let driver = Driver::start();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let mut browser = browser_at(&driver, &server.address).await;
            // A page asked for before sign-in comes back after it.
            browser.open("/console/desk").await;
            browser.find("#name").await;
            assert_eq!(browser.path().await, "/console/sign-in");
            browser.assert_accessible("sign-in").await;
            browser
                .submit_account("marta.lazzari", "sbagliata-00")
                .await;
            browser
                .wait_text("p.notice.error", "Nome o password errati")
                .await;
            assert_eq!(
                browser
                    .find("#name")
                    .await
                    .prop("value")
                    .await
                    .expect("prop"),
                Some("marta.lazzari".to_string()),
                "the name typed is kept"
            );
            browser
                .submit_account("marta.lazzari", "prima-luce-42")
                .await;
            browser.wait_url("/console/desk").await;
            assert!(browser.text(".who").await.contains("Marta Lazzari"));
            assert_eq!(browser.path().await, "/console/desk");

            // The server process dies and comes back (another port, same data): still signed in.
            server.kill();
            let restarted = Served::start(data_dir.path(), today);
            browser.base = restarted.address.clone();
            browser.open("/console/desk").await;
            browser.find("header nav").await;
            assert_eq!(browser.path().await, "/console/desk");
            assert!(
                browser.text(".who").await.contains("Marta Lazzari"),
                "the session survived the restart"
            );
            restarted.kill();

            // The next morning (the server's clock a day later): the idle session has ended.
            let next_day = Served::start(data_dir.path(), today + chrono::Duration::days(1));
            browser.base = next_day.address.clone();
            browser.open("/console/desk").await;
            browser.find("#name").await;
            assert_eq!(browser.path().await, "/console/sign-in");
            browser
                .submit_account("marta.lazzari", "prima-luce-42")
                .await;
            browser.wait_url("/console/desk").await;
            next_day.kill();
            browser.close().await;
        });
}

#[test]
fn admin_manages_accounts_and_a_lost_session_keeps_the_form() {
    run_in_browser(|app, driver| async move {
        let admin = browser(&driver, &app).await;
        admin.sign_in(&app.keys[&Role::Admin]).await;
        admin.click("header nav a[href='/console/admin']").await;
        admin.find("#account-form").await;
        admin.assert_accessible("admin accounts").await;

        // Errors come back next to their field, with what was typed kept (never the password).
        admin.fill("#name", "marta.lazzari").await;
        admin.fill("#label", "Marta Lazzari, sportello Lucca").await;
        admin
            .find("#role")
            .await
            .select_by_value("desk")
            .await
            .expect("role");
        admin.fill("#password", "prima-luce-42").await;
        admin.click("#account-form button[type=submit]").await;
        admin
            .wait_text("#office-error", "sigla della provincia")
            .await;
        assert_eq!(
            admin
                .find("#office")
                .await
                .attr("aria-invalid")
                .await
                .expect("attr"),
            Some("true".to_string())
        );
        assert_eq!(
            admin
                .find("#label")
                .await
                .prop("value")
                .await
                .expect("prop"),
            Some("Marta Lazzari, sportello Lucca".to_string())
        );
        assert_eq!(
            admin.find("#role").await.prop("value").await.expect("prop"),
            Some("desk".to_string())
        );
        admin
            .assert_accessible("admin accounts with an error")
            .await;
        admin.fill("#office", "LU").await;
        admin.fill("#password", "corta").await;
        admin.click("#account-form button[type=submit]").await;
        admin.wait_text("#password-error", "10").await;
        assert_eq!(admin.count("#office-error").await, 0);
        admin.fill("#password", "prima-luce-42").await;
        admin.click("#account-form button[type=submit]").await;
        admin.wait_text("p.notice.ok", "Account creato").await;
        let row = admin.text("tr[data-account='marta.lazzari']").await;
        assert!(
            // The office by its name, not its code (issue 15, point 1).
            row.contains("operatore di sportello") && row.contains("Centro per l'impiego di Lucca"),
            "{row}"
        );

        // Marta signs in with her account and starts recording a proposal.
        let desk = browser(&driver, &app).await;
        desk.open("/console/sign-in").await;
        desk.submit_account("marta.lazzari", "prima-luce-42").await;
        desk.find("header nav").await;
        desk.open(&format!("/console/desk/people/{PERSON}")).await;
        desk.click("ol.matches > li.card:first-child details.record summary")
            .await;
        desk.fill(
            "ol.matches > li.card:first-child .placement-form textarea",
            "colloquio fissato per giovedì",
        )
        .await;

        // Meanwhile the admin resets her password: her session ends.
        admin
            .click("tr[data-account='marta.lazzari'] details.reset summary")
            .await;
        admin
            .fill("[id='password-marta.lazzari']", "luna-di-aprile")
            .await;
        admin
            .click("tr[data-account='marta.lazzari'] details.reset button[type=submit]")
            .await;
        admin.wait_text("p.notice.ok", "Password reimpostata").await;

        // Her form is kept through the new sign-in, then sent.
        desk.click("ol.matches > li.card:first-child .placement-form button[type=submit]")
            .await;
        desk.wait_text("#resume-notice", "conservato").await;
        assert_eq!(desk.path().await, "/console/desk/people/JS0001/placements");
        desk.assert_accessible("sign-in with a kept form").await;
        desk.submit_account("marta.lazzari", "luna-di-aprile").await;
        desk.wait_text("p.notice.ok", "Proposta").await;
        desk.wait_text(
            "ul.placements li[data-kind=proposal]",
            "colloquio fissato per giovedì",
        )
        .await;
        assert!(desk.text(".who").await.contains("Marta Lazzari"));

        // Who looked at this person: Marta's reads, in words.
        admin.click("nav.tabs a[href='/console/admin/audit']").await;
        admin.fill("#person", PERSON).await;
        admin.click("form[role=search] button[type=submit]").await;
        admin.wait_url("person=JS0001").await;
        let audit = admin.text("#audit-table").await;
        assert!(
            audit.contains("Marta Lazzari, sportello Lucca")
                && audit.contains("offerte compatibili")
                && audit.contains("proposta o inserimento"),
            "{audit}"
        );
        admin.assert_accessible("admin audit").await;

        // Keys for programs: created (shown once) and revoked.
        admin.click("nav.tabs a[href='/console/admin/keys']").await;
        admin.fill("#key-label", "Estrazione notturna").await;
        admin
            .find("#key-role")
            .await
            .select_by_value("analyst")
            .await
            .expect("role");
        admin.click("#key-form button[type=submit]").await;
        let token = admin.text("#new-key").await;
        assert!(token.starts_with("inc_") && token.len() == 68, "{token}");
        admin.assert_accessible("admin keys").await;
        let key_row = "#keys-table tbody tr:last-child";
        assert!(admin.text(key_row).await.contains("Estrazione notturna"));
        // Revoking asks first (issue 15, point 7): going back leaves the key active.
        admin.click(&format!("{key_row} button[type=submit]")).await;
        let confirm = admin
            .wait_text("#confirm-revoke", "Estrazione notturna")
            .await;
        assert!(confirm.contains("non si può riattivare"), "{confirm}");
        admin.assert_accessible("revoke confirmation").await;
        admin.click("#confirm-revoke a").await;
        admin.find("#keys-table").await;
        let row = admin.text(key_row).await;
        assert!(
            row.contains("Estrazione notturna")
                && row.contains("attivo")
                && !row.contains("revocata"),
            "not revoked before confirming: {row}"
        );
        admin.click(&format!("{key_row} button[type=submit]")).await;
        admin.find("#confirm-revoke").await;
        admin.click("#confirm-revoke button[type=submit]").await;
        admin.wait_text("p.notice.ok", "Chiave revocata").await;
        assert!(admin.text(key_row).await.contains("revocata"));

        // Disabling the account ends Marta's session at once.
        admin
            .click("nav.tabs a[href='/console/admin/accounts']")
            .await;
        admin
            .click("tr[data-account='marta.lazzari'] form.inline button[type=submit]")
            .await;
        admin.wait_text("p.notice.ok", "disattivato").await;
        desk.open("/console/desk").await;
        desk.find("#name").await;
        assert_eq!(desk.path().await, "/console/sign-in");
        for browser in [admin, desk] {
            browser.close().await;
        }
    });
}

/// Without a browser: passwords of one account cannot be tried in bulk from one address (10 at
/// once, then 6 a minute), while another name from the same address is unaffected.
#[test]
fn sign_in_attempts_are_limited_per_address_and_name() {
    let app = crate::helpers::spawn_app();
    let admin = incontro_core::access::Principal {
        key_id: "test".into(),
        role: Role::Admin,
        office: None,
        label: "test".into(),
    };
    incontro_core::Engine::open_with(
        app.data_dir(),
        &crate::helpers::database_url(app.data_dir()),
    )
    .expect("second engine")
    .create_account(
        &admin,
        "marta",
        "Marta",
        Role::Desk,
        Some("LU"),
        "prima-luce-42",
    )
    .expect("account");
    let agent = http_agent();
    let page = agent
        .get(format!("{}/console/sign-in", app.address))
        .call()
        .expect("sign-in page");
    let form = set_cookie(&page, "incontro_form").expect("form cookie");
    let attempt = |name: &str, password: &str| -> u16 {
        agent
            .post(format!("{}/console/sign-in", app.address))
            .header("Cookie", format!("incontro_form={form}"))
            .send_form([
                ("name", name),
                ("password", password),
                ("form_token", form.as_str()),
            ])
            .unwrap_or_else(|error| panic!("transport: {error}"))
            .status()
            .as_u16()
    };
    for n in 0..10 {
        assert_eq!(
            attempt("marta", &format!("tentativo-{n:04}")),
            401,
            "attempt {n}"
        );
    }
    assert_eq!(attempt("marta", "tentativo-9999"), 429);
    assert_eq!(
        attempt("marta", "prima-luce-42"),
        429,
        "even the right one, for a while"
    );
    assert_eq!(
        attempt("bruno", "tentativo-0000"),
        401,
        "another name is not limited"
    );
}
