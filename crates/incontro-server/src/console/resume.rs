//! A lost session never loses what was typed (issue 15, point 4).
//!
//! A console page opened without a live session redirects to the sign-in page with `next`, and
//! sign-in goes back there. A form posted without a live session (it expired, the account's
//! password was reset) is caught by [`guard`] before its handler runs: the sign-in page comes
//! back with the form's fields kept in hidden inputs (never its old CSRF token), and after
//! sign-in [`after_sign_in`] shows the same form again with the new session's CSRF token, ready
//! to send with one click (the console's script sends it at once; without the script the
//! button does). Only console paths are accepted as destinations.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web;
use maud::{html, Markup};

use super::signin::{sign_in_page, SignInForm};
use super::{load_user, session, ConsoleState, Ctx, User};
use crate::state::AppState;

/// At most this many bytes of a lost form are kept.
const MAX_KEPT_BYTES: usize = 64 * 1024;

/// Whether `path` may be returned to after sign-in: a console page other than sign-in itself.
pub fn is_console_path(path: &str) -> bool {
    path.starts_with("/console/")
        && !path.starts_with("/console/sign-in")
        && !path.starts_with("/console/sign-out")
        && !path.contains("//")
        && !path.contains('\\')
        && path.len() <= 2000
        && !path.chars().any(char::is_control)
}

/// The hidden inputs that carry `next` and a lost form through the sign-in form.
pub fn hidden_fields(typed: &SignInForm) -> Markup {
    html! {
        @if let Some(action) = typed.resume_action.as_deref().filter(|path| is_console_path(path)) {
            input type="hidden" name="resume_action" value=(action);
            @if let Some(fields) = &typed.resume_fields {
                input type="hidden" name="resume_fields" value=(fields);
            }
        }
    }
}

/// The form's fields without its CSRF token.
fn kept_fields(raw: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
        .unwrap_or_default()
        .into_iter()
        .filter(|(name, _)| name != "csrf")
        .collect()
}

/// After a successful sign-in: back to the page that asked for it, or the lost form again with
/// the new session's CSRF token. `None`: go home.
pub fn after_sign_in(
    ctx: &Ctx,
    session: &incontro_core::access::ConsoleSession,
    form: &SignInForm,
) -> Option<actix_web::HttpResponse> {
    let action = form
        .resume_action
        .as_deref()
        .filter(|path| is_console_path(path))?;
    let Some(raw) = &form.resume_fields else {
        return Some(ctx.see_other(action));
    };
    let mut signed_in = ctx.clone();
    signed_in.user = Some(User {
        principal: session.principal.clone(),
        csrf: session.csrf.clone(),
        session_token: String::new(),
    });
    let fields = kept_fields(raw);
    let body = html! {
        h1 { (ctx.t("resume.title")) }
        p class="notice info" role="status" { (ctx.t("resume.text")) }
        form method="post" action=(action) id="resume-form" data-autosubmit="true" {
            input type="hidden" name="csrf" value=(session.csrf);
            @for (name, value) in &fields {
                input type="hidden" name=(name) value=(value);
            }
            @let typed: Vec<&(String, String)> = fields.iter().filter(|(_, value)| !value.trim().is_empty()).collect();
            @if !typed.is_empty() {
                dl class="kept" {
                    @for (name, value) in typed {
                        dt { (name) }
                        dd { (value) }
                    }
                }
            }
            button type="submit" { (ctx.t("resume.send")) }
        }
        p { a href="/console" { (ctx.t("resume.discard")) } }
    };
    Some(signed_in.page(StatusCode::OK, ctx.t("resume.title"), body))
}

/// Middleware of the console scope: a POST to a console page without a live session gets the
/// sign-in page with its fields kept, instead of reaching its handler (which would lose them).
pub async fn guard(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let path = request.path().to_string();
    if request.method() != Method::POST || !is_console_path(&path) {
        return next
            .call(request)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let signed_in = match (
        session_token(&request),
        request.app_data::<web::Data<ConsoleState>>().cloned(),
        request.app_data::<web::Data<AppState>>().cloned(),
    ) {
        (Some(token), Some(console), Some(state)) => {
            load_user(&token, &console, &state).await.is_some()
        }
        _ => false,
    };
    if signed_in {
        return next
            .call(request)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let body = request.extract::<web::Bytes>().await.unwrap_or_default();
    let raw = if body.len() <= MAX_KEPT_BYTES {
        String::from_utf8(body.to_vec()).unwrap_or_default()
    } else {
        String::new()
    };
    let kept = serde_urlencoded::to_string(kept_fields(&raw)).unwrap_or_default();
    let (http_request, _) = request.into_parts();
    let ctx = Ctx::load(&http_request).await;
    let typed = SignInForm {
        resume_action: Some(path),
        resume_fields: Some(kept),
        ..SignInForm::default()
    };
    let response = sign_in_page(&ctx, StatusCode::UNAUTHORIZED, None, &typed);
    Ok(ServiceResponse::new(http_request, response))
}

fn session_token(request: &ServiceRequest) -> Option<String> {
    let cookies = request
        .headers()
        .get(actix_web::http::header::COOKIE)?
        .to_str()
        .ok()?;
    session::cookie_value(cookies, session::SESSION_COOKIE).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_console_pages_are_destinations() {
        assert!(is_console_path("/console/desk/people/JS0001/placements"));
        assert!(!is_console_path("/console/sign-in"));
        assert!(!is_console_path("https://evil.example/console/"));
        assert!(!is_console_path("//evil.example/console/x"));
        assert!(!is_console_path("/console//evil.example"));
        assert!(!is_console_path("/prenota"));
    }

    #[test]
    fn the_old_csrf_token_is_never_kept() {
        let kept = kept_fields("csrf=old&note=colloquio+fissato&vacancy_id=V009");
        assert_eq!(
            kept,
            vec![
                ("note".to_string(), "colloquio fissato".to_string()),
                ("vacancy_id".to_string(), "V009".to_string())
            ]
        );
    }
}
