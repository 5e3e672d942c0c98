//! The operator's day in the browser (issue 15, points 7 and 11): the day's list as a table with
//! states and progress, the full attempt history with notes on the card, a call-back day and
//! time, "Rifiuta" only after a confirmation page, "Presa in carico" disabled (and why) before an
//! answered call, and the admin's reassignment and audited undo of a refusal.

use incontro_core::access::Role;
use incontro_core::outreach::{AttemptDetails, CallResult, CampaignSpec, CohortRule, Operator};

use crate::console::{browser, run_in_browser, Browser};
use crate::helpers::{test_today, TestApp};

const CAMPAIGN: &str = "cob23-giornata";

/// A campaign over the demo's COB notices shared by two operators; returns anna's key.
fn campaign_for_two(app: &TestApp) -> String {
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
        name: "Cob23 giornata".into(),
        retention_until: test_today() + chrono::Duration::days(365),
        rule,
        max_attempts: 3,
        retry_days: 2,
    };
    engine
        .create_campaign(&spec, &incontro_core::NoProgress)
        .expect("campaign");
    let operators = [
        Operator {
            id: "op_anna".into(),
            daily_capacity: 50,
        },
        Operator {
            id: "op_bruno".into(),
            daily_capacity: 50,
        },
    ];
    engine
        .assign_operators(CAMPAIGN, &operators)
        .expect("assign");
    engine
        .create_api_key(Role::Operator, Some("LU"), "op_anna")
        .expect("operator key")
        .token
}

/// The entry numbers of the rows of the day's table that are due today.
async fn due_entries(browser: &Browser) -> Vec<u32> {
    let mut entries = Vec::new();
    for row in browser
        .client
        .find_all(fantoccini::Locator::Css("#day-table tr[data-due=true]"))
        .await
        .expect("rows")
    {
        let number = row
            .attr("data-entry")
            .await
            .expect("attr")
            .unwrap_or_default();
        entries.push(number.parse().expect("entry number"));
    }
    entries
}

async fn set_value(browser: &Browser, id: &str, value: &str) {
    browser
        .client
        .execute(
            "document.getElementById(arguments[0]).value = arguments[1];",
            vec![id.into(), value.into()],
        )
        .await
        .expect("set value");
}

#[test]
fn operator_works_the_day_and_the_admin_reassigns_and_undoes_a_refusal() {
    run_in_browser(|app, driver| async move {
        let anna_key = campaign_for_two(&app);
        let anna = browser(&driver, &app).await;
        anna.sign_in(&anna_key).await;
        anna.open(&format!("/console/calls?campaign={CAMPAIGN}"))
            .await;
        anna.find("#day-table").await;
        let due = due_entries(&anna).await;
        assert!(due.len() >= 3, "anna has people to call: {due:?}");
        assert!(anna
            .text("#progress")
            .await
            .contains("Chiamate fatte oggi: 0"));
        anna.assert_accessible("operator day").await;

        // Before an answered call, "Presa in carico" is disabled and says why.
        let taken = anna.find("#taken-disabled").await;
        assert!(taken.attr("disabled").await.expect("attr").is_some());
        assert!(anna.text("#taken-why").await.contains("risposta"));

        // An earlier unanswered call (three days ago, with a note) is on the card's history.
        // A second engine on the server's day (the suite may run on another day).
        let engine = incontro_core::Engine::open_with(
            app.data_dir(),
            &crate::helpers::database_url(app.data_dir()),
        )
        .expect("second engine")
        .with_clock(std::sync::Arc::new(incontro_core::clock::FixedClock::on(
            test_today(),
        )));
        let (first, second, third) = (due[0], due[1], due[2]);
        engine
            .record_attempt_with(
                CAMPAIGN,
                second,
                "op_anna",
                CallResult::NoAnswer,
                test_today() - chrono::Duration::days(3),
                &AttemptDetails {
                    note: Some("segreteria, riprovare".into()),
                    ..Default::default()
                },
            )
            .expect("earlier attempt");
        anna.open(&format!(
            "/console/calls?campaign={CAMPAIGN}&entry={second}"
        ))
        .await;
        let history = anna.text("#history").await;
        assert!(
            history.contains("Non risponde") && history.contains("segreteria, riprovare"),
            "{history}"
        );

        // A call-back day that is not after today comes back next to its field, the note kept.
        anna.open(&format!("/console/calls?campaign={CAMPAIGN}&entry={first}"))
            .await;
        anna.fill("#note", "richiamare dopo pranzo").await;
        // (The field's `min` stops this in the browser; without it the server still refuses.)
        anna.client
            .execute(
                "document.getElementById('next_call').removeAttribute('min');",
                vec![],
            )
            .await
            .expect("remove min");
        set_value(&anna, "next_call", &test_today().to_string()).await;
        anna.click("#entry button[value=no_answer]").await;
        anna.wait_text("#next-call-error", "successiva").await;
        assert_eq!(
            anna.find("#note").await.prop("value").await.expect("prop"),
            Some("richiamare dopo pranzo".to_string())
        );
        assert!(engine
            .entry_attempts(CAMPAIGN, first)
            .expect("attempts")
            .is_empty());
        anna.assert_accessible("call outcome with an error").await;

        // No answer now: call back tomorrow at 15:30, as agreed.
        let tomorrow = test_today() + chrono::Duration::days(1);
        set_value(&anna, "next_call", &tomorrow.to_string()).await;
        set_value(&anna, "next_call_time", "15:30").await;
        anna.click("#entry button[value=no_answer]").await;
        anna.wait_text("p.notice.ok", "Non risponde").await;
        let row = anna
            .text(&format!("#day-table tr[data-entry='{first}']"))
            .await;
        assert!(
            row.contains("da richiamare")
                && row.contains("alle 15:30")
                && row.contains("chiamata oggi"),
            "{row}"
        );
        assert!(anna
            .text("#progress")
            .await
            .contains("Chiamate fatte oggi: 1"));

        // "Rifiuta" asks first; the note typed is kept through the confirmation.
        anna.open(&format!("/console/calls?campaign={CAMPAIGN}&entry={third}"))
            .await;
        anna.fill("#note", "non interessata").await;
        anna.click("#entry button[value=refused]").await;
        anna.find("#confirm-refusal").await;
        assert!(anna
            .text("#confirm-refusal")
            .await
            .contains("non contattare"));
        anna.assert_accessible("refusal confirmation").await;
        let before = engine.entry_attempts(CAMPAIGN, third).expect("attempts");
        assert!(before.is_empty(), "nothing recorded before confirming");
        anna.click("#confirm-refusal button[type=submit]").await;
        anna.wait_text("p.notice.ok", "Rifiuta").await;
        let row = anna
            .text(&format!("#day-table tr[data-entry='{third}']"))
            .await;
        assert!(row.contains("ha rifiutato"), "{row}");
        let attempts = engine.entry_attempts(CAMPAIGN, third).expect("attempts");
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].note.as_deref(), Some("non interessata"));

        // The admin undoes the refusal (with a reason) and gives the second person to bruno.
        let admin = browser(&driver, &app).await;
        admin.sign_in(&app.keys[&Role::Admin]).await;
        admin
            .open(&format!("/console/calls?campaign={CAMPAIGN}"))
            .await;
        admin.click("#manage-link").await;
        admin.find("#manage-table").await;
        admin.assert_accessible("campaign management").await;
        let refused_row = format!("#manage-table tr[data-entry='{third}']");
        admin
            .fill(
                &format!("{refused_row} input[name=reason]"),
                "registrato sulla persona sbagliata",
            )
            .await;
        admin
            .click(&format!("{refused_row} form.undo button[type=submit]"))
            .await;
        admin.wait_text("p.notice.ok", "Rifiuto annullato").await;
        assert!(admin.text(&refused_row).await.contains("da chiamare"));
        assert_eq!(
            engine
                .refusal_undos(CAMPAIGN, third)
                .expect("undo log")
                .len(),
            1
        );
        let second_row = format!("#manage-table tr[data-entry='{second}']");
        admin
            .find(&format!("{second_row} select[name=operator]"))
            .await
            .select_by_value("op_bruno")
            .await
            .expect("select");
        admin
            .click(&format!("{second_row} form.reassign button[type=submit]"))
            .await;
        admin.wait_text("p.notice.ok", "riassegnata").await;
        assert!(admin.text(&second_row).await.contains("op_bruno"));

        // Anna's list follows: the second person is bruno's now, the third is back.
        anna.open(&format!("/console/calls?campaign={CAMPAIGN}"))
            .await;
        anna.find("#day-table").await;
        assert_eq!(
            anna.count(&format!("#day-table tr[data-entry='{second}']"))
                .await,
            0
        );
        let back = anna
            .text(&format!("#day-table tr[data-entry='{third}']"))
            .await;
        assert!(back.contains("da chiamare"), "{back}");
        for browser in [anna, admin] {
            browser.close().await;
        }
    });
}
