//! Booking in the browser (issue 15, point 12): slots grouped by day with the weekday, no
//! overlapping slots (the error in place, the times kept), a short reference that works in any
//! case, the `.ics` file and the cancel link on the confirmation.

use incontro_core::access::Role;

use crate::console::{browser, run_in_browser};
use crate::helpers::test_today;

const WEEKDAYS: [&str; 7] = [
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "domenica",
];

#[test]
fn resident_books_by_day_and_gets_a_short_reference_a_calendar_file_and_a_cancel_link() {
    run_in_browser(|app, driver| async move {
        use chrono::Datelike;
        let tomorrow = test_today() + chrono::Duration::days(1);
        let weekday = WEEKDAYS[tomorrow.weekday().num_days_from_monday() as usize];

        let staff = browser(&driver, &app).await;
        staff.sign_in(&app.keys[&Role::Desk]).await;
        staff.open("/console/appointments").await;
        staff.fill("#times", "09:00, 09:30").await;
        staff.click("#publish button[type=submit]").await;
        staff.find("#agenda-table").await;
        // 09:15 for 30 minutes overlaps both: refused next to the field, what was typed kept.
        staff.fill("#times", "09:15").await;
        staff.click("#publish button[type=submit]").await;
        staff.wait_text("#times-error", "sovrappone").await;
        assert_eq!(
            staff
                .find("#times")
                .await
                .prop("value")
                .await
                .expect("prop"),
            Some("09:15".to_string())
        );
        staff.assert_accessible("appointments with an error").await;
        assert_eq!(staff.count("#agenda-table tbody tr").await, 2);

        let resident = browser(&driver, &app).await;
        resident.open("/prenota").await;
        let day = resident.text("h3.slot-day").await;
        assert!(
            day.starts_with(weekday) && day.contains(&tomorrow.year().to_string()),
            "{day}"
        );
        resident.assert_accessible("booking page").await;
        resident.click("#booking input[name=slot_id]").await;
        resident.fill("#name", "Maria Rossi").await;
        resident.fill("#contact", "maria@example.org").await;
        resident.fill("#topic", "Cerco un tirocinio").await;
        resident.click("#booking input[name=privacy]").await;
        resident.click("#booking button[type=submit]").await;
        let reference = resident.text("#reference").await;
        assert_eq!(reference.len(), 8, "{reference}");
        assert!(
            reference
                .chars()
                .all(|c| "ABCDEFGHJKMNPQRSTUVWXYZ23456789".contains(c)),
            "{reference}"
        );
        assert!(resident.text("#when").await.starts_with(weekday));
        resident.assert_accessible("booking confirmation").await;
        let ics = resident
            .client
            .execute(
                "return fetch(document.getElementById('ics-link').href).then(r => r.text());",
                vec![],
            )
            .await
            .expect("ics");
        let ics = ics.as_str().unwrap_or_default();
        let start = format!("DTSTART:{}T090000", tomorrow.format("%Y%m%d"));
        assert!(
            ics.starts_with("BEGIN:VCALENDAR") && ics.contains(&start) && ics.contains(&reference),
            "{ics}"
        );
        // The cancel link fills the reference; typed in lower case it works as well.
        resident.click("#cancel-link").await;
        assert_eq!(
            resident
                .find("#reference")
                .await
                .prop("value")
                .await
                .expect("prop"),
            Some(reference.clone())
        );
        resident.fill("#reference", &reference.to_lowercase()).await;
        resident
            .click("form[action='/prenota/annulla'] button[type=submit]")
            .await;
        resident.wait_text("p.notice", "annullata").await;
        for browser in [staff, resident] {
            browser.close().await;
        }
    });
}
