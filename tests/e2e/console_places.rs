//! Words for places and jobs in the browser (issue 15, points 1, 7, 11 and 12): offices by name
//! (the home page, the agenda, the admin's tables), the operator's card with the last job's
//! sector and contract in words, "Presa in carico" refused before an answered call and undone by
//! an audited action, and the office's name and address on the booking confirmation and its
//! `.ics`, edited by the admin. Every page is checked by axe at desktop and phone width.

use incontro_core::access::{AuditQuery, Role};
use incontro_core::outreach::{CallResult, CampaignSpec, CohortRule, Operator};

use crate::console::{browser, run_in_browser, Browser};
use crate::helpers::{test_today, TestApp};

const CAMPAIGN: &str = "cob23-parole";
const LUCCA: &str = "Centro per l'impiego di Lucca";

/// A campaign over the demo's COB notices for one operator of office LU; returns the key.
fn campaign(app: &TestApp) -> String {
    let engine = incontro_core::Engine::open_with(
        app.data_dir(),
        &crate::helpers::database_url(app.data_dir()),
    )
    .expect("second engine");
    let rule_file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/outreach_rule.json");
    let rule: CohortRule = serde_json::from_str(&std::fs::read_to_string(rule_file).expect("rule"))
        .expect("rule json");
    let spec = CampaignSpec {
        id: CAMPAIGN.into(),
        name: "Cob23 parole".into(),
        retention_until: test_today() + chrono::Duration::days(365),
        rule,
        max_attempts: 3,
        retry_days: 2,
    };
    engine
        .create_campaign(&spec, &incontro_core::NoProgress)
        .expect("campaign");
    engine
        .assign_operators(
            CAMPAIGN,
            &[Operator {
                id: "op_carla".into(),
                daily_capacity: 50,
            }],
        )
        .expect("assign");
    engine
        .create_api_key(Role::Operator, Some("LU"), "op_carla")
        .expect("operator key")
        .token
}

/// Posts "Presa in carico" for `entry` from the page (as a stale tab or a crafted request would:
/// the card shows the button disabled).
async fn post_taken(browser: &Browser, entry: u32) {
    browser
        .client
        .execute(
            "const form = document.createElement('form');\
             form.method = 'post';\
             form.action = '/console/calls/' + arguments[0] + '/' + arguments[1] + '/taken';\
             const csrf = document.querySelector('input[name=csrf]').cloneNode();\
             form.appendChild(csrf); document.body.appendChild(form); form.submit();",
            vec![CAMPAIGN.into(), entry.into()],
        )
        .await
        .expect("post");
}

fn audited(engine: &incontro_core::Engine, action: &str) -> usize {
    engine
        .audit_log(&AuditQuery {
            action: Some(action.into()),
            limit: 100,
            ..Default::default()
        })
        .expect("audit")
        .len()
}

/// Whether `text` looks like a code (`62.01.00`, `A.02.00`) rather than words.
fn looks_like_a_code(text: &str) -> bool {
    text.split_whitespace()
        .any(|word| word.contains('.') && word.chars().filter(char::is_ascii_digit).count() >= 2)
}

#[test]
fn the_operator_reads_the_last_job_in_words_and_undoes_a_wrong_taken_in_charge() {
    run_in_browser(|app, driver| async move {
        let key = campaign(&app);
        let engine = incontro_core::Engine::open_with(
            app.data_dir(),
            &crate::helpers::database_url(app.data_dir()),
        )
        .expect("second engine")
        .with_clock(std::sync::Arc::new(incontro_core::clock::FixedClock::on(
            test_today(),
        )));
        let list = engine
            .call_list(CAMPAIGN, "op_carla", test_today())
            .expect("call list");
        let words = engine.vocabulary().expect("vocabulary");
        let first = list
            .iter()
            .find(|entry| {
                entry
                    .last_sector
                    .as_deref()
                    .and_then(|s| words.ateco(s))
                    .is_some()
                    && entry
                        .last_contract
                        .as_deref()
                        .and_then(|c| words.contract_type(c))
                        .is_some()
            })
            .expect("an entry whose sector and contract have words");
        let sector = words.ateco(first.last_sector.as_deref().unwrap()).unwrap();
        let contract = words
            .contract_type(first.last_contract.as_deref().unwrap())
            .unwrap();

        let carla = browser(&driver, &app).await;
        carla.sign_in(&key).await;
        // The home page names the office, not its code.
        assert_eq!(carla.text("#home-office").await, LUCCA);
        carla
            .open(&format!(
                "/console/calls?campaign={CAMPAIGN}&entry={}",
                first.entry_no
            ))
            .await;
        let shown_sector = carla.text("#last-sector").await;
        let shown_contract = carla.text("#last-contract").await;
        assert_eq!(shown_sector, sector);
        assert_eq!(shown_contract, contract);
        assert!(
            !looks_like_a_code(&shown_sector) && !looks_like_a_code(&shown_contract),
            "{shown_sector} / {shown_contract}"
        );

        // Before an answered call "Presa in carico" is refused, with a clear message on the card.
        post_taken(&carla, first.entry_no).await;
        let problem = carla.wait_text("#problem", "risposta").await;
        assert!(problem.contains("Ha risposto"), "{problem}");
        assert_eq!(
            engine
                .taken_in_charge_on(CAMPAIGN, first.entry_no)
                .expect("day"),
            None
        );
        carla.assert_accessible("taken in charge refused").await;

        // Answered, taken in charge, then undone: both steps audited.
        carla
            .open(&format!(
                "/console/calls?campaign={CAMPAIGN}&entry={}",
                first.entry_no
            ))
            .await;
        carla.click("#entry button[value=answered]").await;
        carla.click("#answered form[action$='/taken'] button").await;
        carla.wait_text("#done", "Presa in carico").await;
        assert_eq!(
            engine
                .taken_in_charge_on(CAMPAIGN, first.entry_no)
                .expect("day"),
            Some(test_today())
        );
        carla
            .assert_accessible("taken in charge, with its undo")
            .await;
        carla.click("#taken button[type=submit]").await;
        carla.wait_text("#done", "annullata").await;
        assert_eq!(
            engine
                .taken_in_charge_on(CAMPAIGN, first.entry_no)
                .expect("day"),
            None
        );
        assert_eq!(audited(&engine, "record_taken_in_charge"), 1);
        assert_eq!(audited(&engine, "undo_taken_in_charge"), 1);
        // The answered call stays: taken in charge can be recorded again.
        assert_eq!(
            engine
                .entry_attempts(CAMPAIGN, first.entry_no)
                .expect("attempts")
                .iter()
                .filter(|attempt| attempt.result == CallResult::Answered)
                .count(),
            1
        );
        carla.close().await;
    });
}

#[test]
fn the_booking_names_the_office_and_its_address_which_the_admin_edits() {
    run_in_browser(|app, driver| async move {
        let staff = browser(&driver, &app).await;
        staff.sign_in(&app.keys[&Role::Desk]).await;
        staff.open("/console/appointments").await;
        assert!(staff.text("#agenda-office").await.contains(LUCCA));
        staff.fill("#times", "11:00").await;
        staff.click("#publish button[type=submit]").await;
        staff.wait_url("#agenda").await;
        staff.find("#agenda-table").await;

        let resident = browser(&driver, &app).await;
        resident.open("/prenota").await;
        assert!(resident
            .text("#booking")
            .await
            .contains("Centro per l'impiego di Lucca, Via di Tiglio 2, 55100 Lucca"));
        resident.click("#booking input[name=slot_id]").await;
        resident.fill("#name", "Giulia Neri").await;
        resident.fill("#contact", "giulia@example.org").await;
        resident.fill("#topic", "Iscrizione a un corso").await;
        resident.click("#booking input[name=privacy]").await;
        resident.click("#booking button[type=submit]").await;
        resident.find("#reference").await;
        assert!(resident.text("#office").await.starts_with(LUCCA));
        assert_eq!(
            resident.text("#office-address").await,
            "Via di Tiglio 2, 55100 Lucca"
        );
        resident
            .assert_accessible("booking confirmation with the office")
            .await;
        let ics = resident
            .client
            .execute(
                "return fetch(document.getElementById('ics-link').href).then(r => r.text());",
                vec![],
            )
            .await
            .expect("ics");
        let ics = ics.as_str().unwrap_or_default().to_string();
        assert!(
            ics.contains(&format!("SUMMARY:Appuntamento: {LUCCA}\r\n"))
                && ics.contains(
                    "Ufficio: Centro per l'impiego di Lucca\\, Via di Tiglio 2\\, 55100 Lucca"
                ),
            "{ics}"
        );

        // The admin reads offices by name, and moves Lucca's office: the next .ics says so.
        let admin = browser(&driver, &app).await;
        admin.sign_in(&app.keys[&Role::Admin]).await;
        admin.open("/console/admin/keys").await;
        assert!(admin.text("#keys-table").await.contains(LUCCA));
        admin
            .click("nav.tabs a[href='/console/admin/offices']")
            .await;
        admin.find("#offices-table").await;
        admin.assert_accessible("offices").await;
        admin.click("#offices-table tr[data-office='LU'] a").await;
        admin.fill("#office-address", "Via").await;
        admin.click("#office-edit button[type=submit]").await;
        admin.wait_text("#office-address-error", "indirizzo").await;
        assert_eq!(
            admin
                .find("#office-name")
                .await
                .prop("value")
                .await
                .expect("prop"),
            Some(LUCCA.to_string())
        );
        admin.assert_accessible("offices with an error").await;
        admin
            .fill("#office-address", "Piazza San Michele 1, 55100 Lucca")
            .await;
        admin.click("#office-edit button[type=submit]").await;
        admin.wait_text("main", "Ufficio salvato").await;
        assert!(admin
            .text("#offices-table tr[data-office='LU']")
            .await
            .contains("Piazza San Michele 1"));
        assert!(admin
            .text("#offices-table tr[data-office='MI']")
            .await
            .contains("Viale Jenner"));
        let ics = resident
            .client
            .execute(
                "return fetch(document.getElementById('ics-link').href).then(r => r.text());",
                vec![],
            )
            .await
            .expect("ics");
        assert!(ics
            .as_str()
            .unwrap_or_default()
            .contains("Piazza San Michele 1\\, 55100 Lucca"));
        let engine = incontro_core::Engine::open_with(
            app.data_dir(),
            &crate::helpers::database_url(app.data_dir()),
        )
        .expect("second engine");
        assert_eq!(audited(&engine, "office_saved"), 1);
        for browser in [staff, resident, admin] {
            browser.close().await;
        }
    });
}
