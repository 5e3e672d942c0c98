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
        // Wait for the redirect: an agenda table may already be on the form's page.
        staff.wait_url("#agenda").await;
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

#[test]
fn staff_publish_weekly_availability_move_and_cancel_bookings_and_mark_no_shows() {
    run_in_browser(|app, driver| async move {
        use incontro_core::appointments::{BookingRequest, NewSlots};
        let today = test_today();
        let midnight = today.and_time(chrono::NaiveTime::MIN);
        let engine = incontro_core::Engine::open_with(
            app.data_dir(),
            &crate::helpers::database_url(app.data_dir()),
        )
        .expect("second engine");
        let request = |slot_id: i64, name: &str| BookingRequest {
            slot_id,
            name: name.into(),
            contact: "+39 333 1234567".into(),
            topic: "orientamento".into(),
            language: "it".into(),
            privacy_accepted: true,
        };
        // This morning's appointment (booked at midnight), to be marked as a no-show.
        let early = engine
            .publish_slots(
                &NewSlots {
                    office: "LU".into(),
                    staff: "test desk".into(),
                    starts: vec![format!("{today}T00:05")],
                    minutes: 10,
                    room_url: "https://meet.example.org/sportello".into(),
                },
                midnight,
            )
            .expect("early slot");
        engine
            .book_slot(&request(early[0].id, "Luca Verdi"), midnight)
            .expect("early booking");

        let staff = browser(&driver, &app).await;
        staff.sign_in(&app.keys[&Role::Desk]).await;
        staff.open("/console/appointments").await;
        staff.fill("#times", "10:00").await;
        staff.fill("#weeks", "3").await;
        staff.click("#publish button[type=submit]").await;
        // Wait for the redirect: an agenda table may already be on the form's page.
        staff.wait_url("#agenda").await;
        staff.find("#agenda-table").await;
        let tomorrow = today + chrono::Duration::days(1);
        let weekly: Vec<String> = (0..3)
            .map(|week| format!("{}T10:00", tomorrow + chrono::Duration::weeks(week)))
            .collect();
        let agenda = engine
            .agenda(
                Some("LU"),
                None,
                midnight,
                midnight + chrono::Duration::days(30),
            )
            .expect("agenda");
        let starts: Vec<&str> = agenda
            .iter()
            .map(|entry| entry.slot.starts_at.as_str())
            .collect();
        for start in &weekly {
            assert!(starts.contains(&start.as_str()), "{start} in {starts:?}");
        }
        let slot_of = |start: &str| {
            agenda
                .iter()
                .find(|entry| entry.slot.starts_at == start)
                .expect("slot")
                .slot
                .id
        };
        let booking = engine
            .book_slot(&request(slot_of(&weekly[0]), "Maria Rossi"), midnight)
            .expect("booking");

        // Moved to next week: the same reference, the first slot free again.
        staff.open("/console/appointments").await;
        let row = format!("#agenda-table tr[data-slot='{}']", slot_of(&weekly[0]));
        staff
            .find(&format!("{row} form.move select"))
            .await
            .select_by_value(&slot_of(&weekly[1]).to_string())
            .await
            .expect("select");
        staff.click(&format!("{row} form.move button")).await;
        let moved_row = format!("#agenda-table tr[data-slot='{}']", slot_of(&weekly[1]));
        staff.wait_text(&moved_row, "Maria Rossi").await;
        assert!(!staff.text(&row).await.contains("Maria Rossi"));
        let moved = engine
            .booking_by_reference(&booking.reference)
            .expect("same reference");
        assert_eq!(moved.slot_id, slot_of(&weekly[1]));
        staff.assert_accessible("agenda").await;

        // Cancelled by staff, after a confirmation (issue 15, point 7): the slot is free.
        staff
            .click(&format!("{moved_row} form.cancel-booking button"))
            .await;
        let confirm = staff.wait_text("#confirm-cancel", "Maria Rossi").await;
        assert!(confirm.contains("avvisala"), "{confirm}");
        staff.assert_accessible("cancel confirmation").await;
        assert!(
            engine
                .booking_by_reference(&booking.reference)
                .expect("booking")
                .cancelled_at
                .is_none(),
            "not cancelled before confirming"
        );
        staff.click("#confirm-cancel button[type=submit]").await;
        let started = std::time::Instant::now();
        while engine
            .booking_by_reference(&booking.reference)
            .expect("booking")
            .cancelled_at
            .is_none()
        {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "the booking was never cancelled"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        staff.open("/console/appointments").await;
        assert!(!staff.text(&moved_row).await.contains("Maria Rossi"));

        // This morning's resident did not come.
        let early_row = format!("#agenda-table tr[data-slot='{}']", early[0].id);
        staff
            .click(&format!("{early_row} form.no-show button"))
            .await;
        staff
            .wait_text(&format!("{early_row} .no-show"), "assente")
            .await;
        staff.close().await;
    });
}
