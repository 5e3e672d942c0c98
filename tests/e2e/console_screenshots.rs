//! Screenshots of each role's main page for `docs/console/` (issue 15, "done when"): desk,
//! validator, operator, analyst, admin and the resident's booking page, taken with the same
//! Debian Chromium as the browser tests at desktop width. Ignored: run it on purpose with
//!
//! ```text
//! cargo test --workspace --test e2e -- --ignored console_screenshots
//! ```
//!
//! It checks each file stays under 300 KB (a page that grew too long should be cropped, not
//! committed as a large image).

use std::path::{Path, PathBuf};

use incontro_core::access::Role;
use incontro_core::appointments::NewSlots;

use crate::console::{browser, run_in_browser, Browser};
use crate::helpers::{prepare_campaign, test_today, PERSON};

const MAX_BYTES: usize = 300 * 1024;

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/console")
}

async fn shoot(browser: &Browser, path: &str, ready: &str, name: &str) {
    browser.open(path).await;
    browser.find(ready).await;
    let png = browser.client.screenshot().await.expect("screenshot");
    assert!(
        png.len() < MAX_BYTES,
        "{name}.png is {} bytes (at most {MAX_BYTES})",
        png.len()
    );
    std::fs::create_dir_all(docs_dir()).expect("docs/console");
    std::fs::write(docs_dir().join(format!("{name}.png")), png).expect("write screenshot");
}

#[test]
#[ignore = "writes docs/console/*.png; run on purpose"]
fn console_screenshots() {
    run_in_browser(|app, driver| async move {
        let (_, operator_key) = prepare_campaign(&app, "cob23-schermate");
        let engine = incontro_core::Engine::open_with(
            app.data_dir(),
            &crate::helpers::database_url(app.data_dir()),
        )
        .expect("second engine");
        let tomorrow = test_today() + chrono::Duration::days(1);
        engine
            .publish_slots(
                &NewSlots {
                    office: "LU".into(),
                    staff: "sportello".into(),
                    starts: ["09:00", "09:30", "10:00", "11:30"]
                        .iter()
                        .map(|time| format!("{tomorrow}T{time}"))
                        .collect(),
                    minutes: 30,
                    room_url: "https://meet.example.org/sportello-lucca".into(),
                },
                test_today().and_time(chrono::NaiveTime::MIN),
            )
            .expect("slots");
        let pages: [(&str, String, &str, &str); 5] = [
            (
                app.keys[&Role::Desk].as_str(),
                format!("/console/desk/people/{PERSON}"),
                "ol.matches",
                "desk",
            ),
            (
                app.keys[&Role::Validator].as_str(),
                "/console/vacancies/V001".to_string(),
                "#requirements",
                "validator",
            ),
            (
                operator_key.as_str(),
                "/console/calls".to_string(),
                "#entry",
                "operator",
            ),
            (
                app.keys[&Role::Analyst].as_str(),
                "/console/reports".to_string(),
                "main h1",
                "analyst",
            ),
            (
                app.keys[&Role::Admin].as_str(),
                "/console/admin/accounts".to_string(),
                "#accounts",
                "admin",
            ),
        ];
        for (key, path, ready, name) in &pages {
            let staff = browser(&driver, &app).await;
            staff.sign_in(key).await;
            shoot(&staff, path, ready, name).await;
            staff.close().await;
        }
        let resident = browser(&driver, &app).await;
        shoot(&resident, "/prenota", "#booking", "resident-booking").await;
        resident.close().await;
    });
}
