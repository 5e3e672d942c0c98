//! The new-vacancy form in the browser (issue 15, points 4 and 10): the contract type from the
//! COB list in words, tirocinio fields only for a tirocinio, the region's duration and indemnity
//! rule checked live as the form is filled, the server's check authoritative with its error next
//! to the fields and everything typed kept. Checked by axe at desktop and phone width.

use incontro_core::access::Role;

use crate::console::{browser, run_in_browser, Browser};

async fn hidden(browser: &Browser, css: &str) -> bool {
    browser
        .client
        .execute(
            "return document.querySelector(arguments[0]).hidden;",
            vec![css.into()],
        )
        .await
        .expect("hidden")
        .as_bool()
        .expect("bool")
}

#[test]
fn tirocinio_fields_show_only_for_a_tirocinio_and_the_regions_rule_is_checked_live_and_on_the_server(
) {
    run_in_browser(|app, driver| async move {
        let validator = browser(&driver, &app).await;
        validator.sign_in(&app.keys[&Role::Validator]).await;
        validator.open("/console/companies/C01").await;
        validator.find("#vacancy-form").await;
        // A contract by default: its type in words from the COB list, no tirocinio fields.
        assert!(hidden(&validator, "#tirocinio-fields").await);
        assert!(!hidden(&validator, "#contract-fields").await);
        let contract = validator.text("#contract_type option:checked").await;
        assert_eq!(contract, "Lavoro a tempo determinato");
        validator.assert_accessible("new vacancy, contract").await;

        validator.click("#placement input[value=tirocinio]").await;
        assert!(!hidden(&validator, "#tirocinio-fields").await);
        assert!(hidden(&validator, "#contract-fields").await);
        // Capannori is in Toscana: 2 to 12 months, at least €500 a month.
        let rule = validator.text("#tirocinio-rule").await;
        assert!(
            rule.contains("Toscana") && rule.contains("12 mesi") && rule.contains("500"),
            "{rule}"
        );
        validator.fill("#indemnity", "400").await;
        validator.wait_text("#tirocinio-check", "almeno 500").await;
        assert_eq!(
            validator
                .find("#indemnity")
                .await
                .attr("aria-invalid")
                .await
                .expect("attr")
                .as_deref(),
            Some("true")
        );
        validator.fill("#indemnity", "600").await;
        validator.fill("#months", "14").await;
        validator
            .wait_text("#tirocinio-check", "al massimo 12")
            .await;
        validator.fill("#months", "6").await;
        let started = std::time::Instant::now();
        while !validator.text("#tirocinio-check").await.is_empty() {
            assert!(started.elapsed() < std::time::Duration::from_secs(10));
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        validator.assert_accessible("new vacancy, tirocinio").await;

        // The server decides: €400 is refused next to the fields, everything typed kept.
        validator
            .fill("#title", "Tirocinio in magazzino (prova)")
            .await;
        validator
            .fill("#description", "Affiancamento al capo magazzino.")
            .await;
        validator.fill("#indemnity", "400").await;
        validator.click("#vacancy-form button[type=submit]").await;
        validator.wait_text("#tirocinio-error", "almeno 500").await;
        assert_eq!(
            validator
                .find("#title")
                .await
                .prop("value")
                .await
                .expect("prop")
                .as_deref(),
            Some("Tirocinio in magazzino (prova)")
        );
        assert_eq!(
            validator
                .find("#description")
                .await
                .prop("value")
                .await
                .expect("prop")
                .as_deref(),
            Some("Affiancamento al capo magazzino.")
        );
        assert!(validator
            .find("#placement input[value=tirocinio]")
            .await
            .prop("checked")
            .await
            .expect("prop")
            .is_some_and(|checked| checked == "true"));
        assert!(!hidden(&validator, "#tirocinio-fields").await);
        validator.assert_accessible("new vacancy refused").await;
        validator.fill("#indemnity", "550").await;
        validator.click("#vacancy-form button[type=submit]").await;
        validator.wait_url("/console/vacancies/V").await;
        let contract = validator.text("#contract").await;
        assert!(
            contract.contains("6 mesi") && contract.contains("550 € al mese"),
            "{contract}"
        );
        validator.close().await;
    });
}
