//! The console's forms over plain HTTP, without a browser: CSRF and double-submit tokens, session
//! cookie attributes, and the rate limit of the public pages.

use incontro_core::access::Role;

use crate::helpers::{all_set_cookies, body_text, http_agent, set_cookie, spawn_app};

/// Without a browser: a signed-in POST without the session's CSRF token is refused and changes
/// nothing; the sign-in form refuses a missing double-submit token.
#[test]
fn console_forms_refuse_a_missing_csrf_token() {
    let app = spawn_app();
    let agent = http_agent();
    let sign_in_page = agent
        .get(format!("{}/console/sign-in", app.address))
        .call()
        .expect("sign-in page");
    let form_cookie = set_cookie(&sign_in_page, "incontro_form").expect("form cookie");
    let refused = agent
        .post(format!("{}/console/sign-in", app.address))
        .send_form([
            ("key", app.keys[&Role::Desk].as_str()),
            ("form_token", "forged"),
        ])
        .expect("refusal");
    assert_eq!(refused.status(), 403, "{refused:?}");
    let signed_in = agent
        .post(format!("{}/console/sign-in", app.address))
        .header("Cookie", format!("incontro_form={form_cookie}"))
        .send_form([
            ("key", app.keys[&Role::Desk].as_str()),
            ("form_token", form_cookie.as_str()),
        ])
        .expect("sign in");
    assert_eq!(signed_in.status(), 303);
    let session = set_cookie(&signed_in, "incontro_session").expect("session cookie");
    let all = all_set_cookies(&signed_in);
    let header = all.join(" | ");
    assert!(
        all.iter()
            .any(|cookie| cookie.starts_with("incontro_session=")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Strict")),
        "{header}"
    );
    let forged = agent
        .post(format!("{}/console/appointments/slots", app.address))
        .header("Cookie", format!("incontro_session={session}"))
        .send_form([
            ("csrf", "forged"),
            ("day", "2030-01-01"),
            ("times", "09:00"),
            ("minutes", "30"),
            ("room_url", "https://meet.example.org"),
        ])
        .expect("a reply");
    assert_eq!(forged.status(), 403, "{forged:?}");
    assert!(body_text(forged).contains("invalid_csrf_token"));
    let agenda = body_text(
        agent
            .get(format!("{}/console/appointments", app.address))
            .header("Cookie", format!("incontro_session={session}"))
            .call()
            .expect("agenda"),
    );
    assert!(!agenda.contains("agenda-table"), "no slot was published");
}

/// Without a browser: one address may post to the public cancellation form a burst of times,
/// then gets 429 (the limit also guards the booking form).
#[test]
fn public_pages_limit_posts_per_address() {
    let app = spawn_app();
    let agent = http_agent();
    let page = agent
        .get(format!("{}/prenota/annulla", app.address))
        .call()
        .expect("cancel page");
    let form_cookie = set_cookie(&page, "incontro_form").expect("form cookie");
    let mut statuses = Vec::new();
    for _ in 0..(incontro_server::console::limit::BURST + 2) {
        let reply = agent
            .post(format!("{}/prenota/annulla", app.address))
            .header("Cookie", format!("incontro_form={form_cookie}"))
            .send_form([
                ("form_token", form_cookie.as_str()),
                ("reference", "NO-SUCH-REF"),
            ])
            .unwrap_or_else(|error| panic!("transport: {error}"));
        let status = reply.status().as_u16();
        let body = body_text(reply);
        statuses.push(status);
        if status == 429 {
            assert!(body.contains("Troppi tentativi"), "{body}");
        }
    }
    let burst = incontro_server::console::limit::BURST as usize;
    assert!(
        statuses[..burst].iter().all(|&status| status != 429),
        "{statuses:?}"
    );
    assert_eq!(&statuses[burst..], [429, 429], "{statuses:?}");
}
