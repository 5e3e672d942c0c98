//! The console's forms over plain HTTP, without a browser: CSRF and double-submit tokens, session
//! cookie attributes, and the rate limit of the public pages.

use incontro_core::access::Role;

use crate::helpers::spawn_app;

/// Without a browser: a signed-in POST without the session's CSRF token is refused and changes
/// nothing; the sign-in form refuses a missing double-submit token.
#[test]
fn console_forms_refuse_a_missing_csrf_token() {
    let app = spawn_app();
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let sign_in_page = agent
        .get(&format!("{}/console/sign-in", app.address))
        .call()
        .expect("sign-in page");
    let form_cookie = set_cookie(&sign_in_page, "incontro_form").expect("form cookie");
    let refused = agent
        .post(&format!("{}/console/sign-in", app.address))
        .send_form(&[("key", &app.keys[&Role::Desk]), ("form_token", "forged")]);
    assert!(
        matches!(refused, Err(ureq::Error::Status(403, _))),
        "{refused:?}"
    );
    let signed_in = agent
        .post(&format!("{}/console/sign-in", app.address))
        .set("Cookie", &format!("incontro_form={form_cookie}"))
        .send_form(&[
            ("key", &app.keys[&Role::Desk]),
            ("form_token", &form_cookie),
        ])
        .expect("sign in");
    assert_eq!(signed_in.status(), 303);
    let session = set_cookie(&signed_in, "incontro_session").expect("session cookie");
    let header = signed_in
        .header("set-cookie")
        .unwrap_or_default()
        .to_string();
    let all: Vec<&str> = signed_in.all("set-cookie");
    assert!(
        all.iter()
            .any(|cookie| cookie.starts_with("incontro_session=")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Strict")),
        "{header}"
    );
    let forged = agent
        .post(&format!("{}/console/appointments/slots", app.address))
        .set("Cookie", &format!("incontro_session={session}"))
        .send_form(&[
            ("csrf", "forged"),
            ("day", "2030-01-01"),
            ("times", "09:00"),
            ("minutes", "30"),
            ("room_url", "https://meet.example.org"),
        ]);
    match forged {
        Err(ureq::Error::Status(403, response)) => {
            assert!(response
                .into_string()
                .expect("body")
                .contains("invalid_csrf_token"));
        }
        other => panic!("expected 403, got {other:?}"),
    }
    let agenda = agent
        .get(&format!("{}/console/appointments", app.address))
        .set("Cookie", &format!("incontro_session={session}"))
        .call()
        .expect("agenda")
        .into_string()
        .expect("body");
    assert!(!agenda.contains("agenda-table"), "no slot was published");
}

fn set_cookie(response: &ureq::Response, name: &str) -> Option<String> {
    response.all("set-cookie").into_iter().find_map(|cookie| {
        let (pair, _) = cookie.split_once(';').unwrap_or((cookie, ""));
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.to_string())
    })
}

/// Without a browser: one address may post to the public cancellation form a burst of times,
/// then gets 429 (the limit also guards the booking form).
#[test]
fn public_pages_limit_posts_per_address() {
    let app = spawn_app();
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let page = agent
        .get(&format!("{}/prenota/annulla", app.address))
        .call()
        .expect("cancel page");
    let form_cookie = set_cookie(&page, "incontro_form").expect("form cookie");
    let mut statuses = Vec::new();
    for _ in 0..(incontro_server::console::limit::BURST + 2) {
        let reply = agent
            .post(&format!("{}/prenota/annulla", app.address))
            .set("Cookie", &format!("incontro_form={form_cookie}"))
            .send_form(&[("form_token", &form_cookie), ("reference", "NO-SUCH-REF")]);
        let (status, body) = match reply {
            Ok(response) => (
                response.status(),
                response.into_string().unwrap_or_default(),
            ),
            Err(ureq::Error::Status(status, response)) => {
                (status, response.into_string().unwrap_or_default())
            }
            Err(other) => panic!("transport: {other}"),
        };
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
