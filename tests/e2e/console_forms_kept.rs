//! Form errors in place and nothing lost (issue 15, point 4) on the desk's vacancy edit and the
//! person's conditions: the error next to its field, in Italian, everything typed kept; a form
//! sent after the session was lost is kept through sign-in and then saved. Checked by axe at
//! desktop and phone width.

use incontro_core::access::Role;
use incontro_core::model::EntityId;

use crate::console::{browser, run_in_browser, Browser};
use crate::helpers::PERSON;

/// Loses the session (its cookie is gone, as after an expiry), sends the form with `submit`,
/// and signs in again with `key` from the sign-in page that keeps the form.
async fn send_after_a_lost_session(browser: &Browser, submit: &str, key: &str) {
    browser
        .client
        .delete_all_cookies()
        .await
        .expect("delete cookies");
    browser.click(submit).await;
    browser.wait_text("#resume-notice", "conservato").await;
    browser.click("details.signin-key summary").await;
    browser.fill("#key", key).await;
    browser.click("#signin-key button[type=submit]").await;
}

async fn value(browser: &Browser, css: &str) -> String {
    browser
        .find(css)
        .await
        .prop("value")
        .await
        .expect("prop")
        .unwrap_or_default()
}

#[test]
fn desk_forms_keep_what_was_typed_through_an_error_and_a_lost_session() {
    run_in_browser(|app, driver| async move {
        let key = app.keys[&Role::Desk].clone();
        let desk = browser(&driver, &app).await;
        desk.sign_in(&key).await;

        // The vacancy edit: an unknown comune is refused next to its field, the title kept.
        desk.open("/console/offers/V003/edit").await;
        desk.fill("#title", "Conduttore di macchine continue (turni)")
            .await;
        desk.fill("#comune", "Atlantide").await;
        desk.click("form.edit-vacancy button[type=submit]").await;
        let error = desk.wait_text("#comune-error", "comune").await;
        assert!(error.contains("Nessun comune"), "in Italian: {error}");
        assert_eq!(
            value(&desk, "#title").await,
            "Conduttore di macchine continue (turni)"
        );
        assert_eq!(value(&desk, "#comune").await, "Atlantide");
        desk.assert_accessible("vacancy edit with an error").await;
        // Corrected, then sent after the session was lost: kept, and saved after sign-in.
        desk.fill("#comune", "Capannori").await;
        send_after_a_lost_session(&desk, "form.edit-vacancy button[type=submit]", &key).await;
        desk.wait_url("done=edited").await;
        let engine = incontro_core::Engine::open_with(
            app.data_dir(),
            &crate::helpers::database_url(app.data_dir()),
        )
        .expect("second engine");
        let vacancy = engine
            .get_vacancy(&EntityId::parse("V003").expect("id"))
            .expect("V003");
        assert_eq!(vacancy.title, "Conduttore di macchine continue (turni)");

        // The person's conditions: a distance over 1000 km next to its field, the rest kept.
        desk.open(&format!("/console/desk/people/{PERSON}/conditions"))
            .await;
        desk.fill("#min_hours", "20").await;
        desk.fill("#max_hours", "30").await;
        // (The field's `max` stops this in the browser; without it the server still refuses.)
        desk.client
            .execute(
                "document.getElementById('max_km').removeAttribute('max');",
                vec![],
            )
            .await
            .expect("remove max");
        desk.fill("#max_km", "5000").await;
        desk.click("form.conditions button[type=submit]").await;
        let error = desk.wait_text("#max_km-error", "km").await;
        assert!(error.contains("1000"), "{error}");
        assert_eq!(value(&desk, "#min_hours").await, "20");
        assert_eq!(value(&desk, "#max_hours").await, "30");
        assert_eq!(value(&desk, "#max_km").await, "5000");
        desk.assert_accessible("conditions with an error").await;
        desk.fill("#max_km", "35").await;
        send_after_a_lost_session(&desk, "form.conditions button[type=submit]", &key).await;
        desk.wait_url("recorded=conditions").await;
        let person = engine
            .get_job_seeker(&EntityId::parse(PERSON).expect("id"))
            .expect("person");
        assert_eq!(person.conditions.max_distance_km, Some(35));
        assert_eq!(person.conditions.min_weekly_hours, Some(20));
        desk.close().await;
    });
}

#[test]
fn a_refused_proposal_comes_back_on_its_card_with_the_note_kept() {
    run_in_browser(|app, driver| async move {
        let desk = browser(&driver, &app).await;
        desk.sign_in(&app.keys[&Role::Desk]).await;
        desk.open(&format!("/console/desk/people/{PERSON}")).await;
        let card = "ol.matches > li.card:first-child";
        desk.click(&format!("{card} details.record summary")).await;
        desk.fill(
            &format!("{card} .placement-form textarea"),
            "primo contatto",
        )
        .await;
        desk.click(&format!("{card} .placement-form button[type=submit]"))
            .await;
        desk.wait_text("p.notice.ok", "Proposta").await;
        // The same proposal again: refused on its card, in Italian, the new note kept.
        desk.click(&format!("{card} details.record summary")).await;
        desk.fill(
            &format!("{card} .placement-form textarea"),
            "secondo tentativo, da non perdere",
        )
        .await;
        desk.click(&format!("{card} .placement-form button[type=submit]"))
            .await;
        desk.wait_text(".record-error", "già registrata").await;
        assert_eq!(
            value(&desk, "details.record[open] textarea").await,
            "secondo tentativo, da non perdere"
        );
        desk.assert_accessible("a refused proposal").await;
        desk.close().await;
    });
}
