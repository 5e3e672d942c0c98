//! Sign-in with an API key, sign-out, and the home page of each role.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::Role;
use maud::html;
use serde::Deserialize;

use super::layout::{self, form_token_field};
use super::session::{self, SESSION_COOKIE};
use super::{Ctx, Fail};
use crate::state::AppState;

/// `GET /console`: the home page of the signed-in role (or the sign-in page).
pub async fn home(ctx: Ctx, state: web::Data<AppState>) -> HttpResponse {
    let Some(user) = &ctx.user else {
        return ctx.see_other("/console/sign-in");
    };
    // The office by its name, not its code (issue 15, point 1).
    let office = match user.principal.office.clone() {
        Some(code) => match state
            .call(move |engine| Ok(engine.office_directory()?.name(&code)))
            .await
        {
            Ok(name) => Some(name),
            Err(error) => return ctx.finish(Err(Fail::from(error))),
        },
        None => None,
    };
    let role = user.role();
    let links: Vec<(&str, &str, &str)> = [
        (
            super::sections::DESK,
            "/console/desk",
            "nav.desk",
            "home.desk",
        ),
        (
            super::sections::VALIDATOR,
            "/console/companies",
            "nav.companies",
            "home.validator",
        ),
        (
            super::sections::OPERATOR,
            "/console/calls",
            "nav.calls",
            "home.calls",
        ),
        (
            super::sections::REPORTS,
            "/console/reports",
            "nav.reports",
            "home.reports",
        ),
        (
            super::sections::APPOINTMENTS,
            "/console/appointments",
            "nav.appointments",
            "home.appointments",
        ),
        (
            super::sections::ADMIN,
            "/console/admin",
            "nav.admin",
            "home.admin",
        ),
    ]
    .into_iter()
    .filter(|(roles, ..)| roles.contains(&role))
    .map(|(_, path, title, text)| (path, title, text))
    .collect();
    let body = html! {
        h1 { (ctx.t("home.title")) ", " (user.principal.label) }
        p class="muted" { (ctx.t(layout::role_key(role)))
            @if let Some(office) = &office { " · " span id="home-office" { (office) } } }
        @if links.is_empty() {
            p { (ctx.t("home.nothing")) }
        }
        @for (path, title, text) in &links {
            div class="card" {
                h2 { a href=(path) { (ctx.t(title)) } }
                p { (ctx.t(text)) }
            }
        }
        @if matches!(role, Role::Analyst | Role::Operator) && links.is_empty() {
            p class="muted" { (ctx.t("home.api_hint")) }
        }
    };
    ctx.page(StatusCode::OK, ctx.t("home.title"), body)
}

/// Where to go after sign-in.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /console/sign-in[?next=/console/…]`
pub async fn form(ctx: Ctx, query: web::Query<NextQuery>) -> HttpResponse {
    let next = query
        .into_inner()
        .next
        .filter(|path| super::resume::is_console_path(path));
    if ctx.user.is_some() {
        return ctx.see_other(next.as_deref().unwrap_or("/console"));
    }
    let typed = SignInForm {
        resume_action: next,
        ..SignInForm::default()
    };
    sign_in_page(&ctx, StatusCode::OK, None, &typed)
}

/// The sign-in page: name and password, or (for programs and tests) an API key; `resume` carries
/// a form whose session was lost (see [`super::resume`]).
pub(super) fn sign_in_page(
    ctx: &Ctx,
    status: StatusCode,
    error: Option<&str>,
    typed: &SignInForm,
) -> HttpResponse {
    let body = html! {
        h1 { (ctx.t("signin.title")) }
        @if let Some(error) = error { (layout::notice("error", error)) }
        @if typed.resume_action.is_some() {
            p class="notice info" id="resume-notice" role="status" { (ctx.t("signin.resume")) }
        }
        form method="post" action="/console/sign-in" class="signin" id="signin-account" {
            (form_token_field(ctx))
            (super::resume::hidden_fields(typed))
            label for="name" { (ctx.t("signin.name")) }
            input type="text" id="name" name="name" autocomplete="username" required
                value=(typed.name) autocapitalize="none" spellcheck="false";
            label for="password" { (ctx.t("signin.password")) }
            input type="password" id="password" name="password" autocomplete="current-password"
                required;
            button type="submit" { (ctx.t("signin.submit")) }
        }
        details class="signin-key" {
            summary { (ctx.t("signin.with_key")) }
            form method="post" action="/console/sign-in" class="signin" id="signin-key" {
                (form_token_field(ctx))
                (super::resume::hidden_fields(typed))
                label for="key" { (ctx.t("signin.key")) }
                input type="password" id="key" name="key" autocomplete="off" required
                    aria-describedby="key-help";
                p id="key-help" class="muted" { (ctx.t("signin.key_help")) }
                button type="submit" { (ctx.t("signin.submit")) }
            }
        }
        p { a href="/prenota" { (ctx.t("signin.public_booking")) } }
    };
    ctx.page(status, ctx.t("signin.title"), body)
}

/// The sign-in form: an account's name and password, or an API key; plus the form being
/// resubmitted after a lost session, if any.
#[derive(Debug, Default, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) password: String,
    #[serde(default)]
    pub(super) key: String,
    #[serde(default)]
    pub(super) form_token: String,
    /// Where the lost form was going (a console path).
    #[serde(default)]
    pub resume_action: Option<String>,
    /// The lost form's fields, URL-encoded (without its CSRF token).
    #[serde(default)]
    pub resume_fields: Option<String>,
}

/// `POST /console/sign-in`: checks the name and password (or the key), opens a session kept in
/// the store; then goes home, or shows the lost form again to send it (see [`super::resume`]).
pub async fn submit(
    ctx: Ctx,
    state: web::Data<AppState>,
    console: web::Data<super::ConsoleState>,
    request: actix_web::HttpRequest,
    form: web::Form<SignInForm>,
) -> HttpResponse {
    if let Err(fail) = ctx.check_form_token(&form.form_token) {
        return ctx.finish(Err(fail));
    }
    let form = form.into_inner();
    let tried = if form.key.trim().is_empty() {
        form.name.as_str()
    } else {
        "(key)"
    };
    let allowed = match request.peer_addr() {
        Some(peer) => console.sign_in_limit.allow(peer.ip(), tried),
        None => true,
    };
    if !allowed {
        tracing::info!("console sign-in rate-limited");
        let typed = SignInForm {
            password: String::new(),
            key: String::new(),
            ..form
        };
        let message = ctx
            .lang
            .error_message(incontro_core::ErrorCode::TooManyRequests, "");
        return sign_in_page(&ctx, StatusCode::TOO_MANY_REQUESTS, Some(&message), &typed);
    }
    let key = form.key.trim().to_string();
    let name = form.name.trim().to_string();
    let password = form.password.clone();
    let too_long = key.len() > 200 || name.len() > 200 || password.len() > 1000;
    if (key.is_empty() && (name.is_empty() || password.is_empty())) || too_long {
        let typed = SignInForm {
            password: String::new(),
            key: String::new(),
            ..form
        };
        return sign_in_page(
            &ctx,
            StatusCode::UNAUTHORIZED,
            Some(ctx.t("signin.invalid")),
            &typed,
        );
    }
    let opened = state
        .call(move |engine| {
            if key.is_empty() {
                engine.sign_in_with_password(&name, &password)
            } else {
                engine.sign_in_with_key(&key)
            }
        })
        .await;
    let opened = match opened {
        Ok(opened) => opened,
        Err(error) => return ctx.finish(Err(Fail::from(error))),
    };
    let Some(opened) = opened else {
        tracing::info!("console sign-in refused");
        let typed = SignInForm {
            password: String::new(),
            key: String::new(),
            ..form
        };
        return sign_in_page(
            &ctx,
            StatusCode::UNAUTHORIZED,
            Some(ctx.t("signin.invalid")),
            &typed,
        );
    };
    // A fresh token on every sign-in (no session fixation); the old session, if any, ends.
    if let Some(old) = &ctx.user {
        let old_token = old.session_token.clone();
        let _ = state
            .call(move |engine| engine.end_console_session(&old_token))
            .await;
    }
    let principal = &opened.session.principal;
    tracing::info!(who = %principal.key_id, role = principal.role.as_str(), "console sign-in");
    let mut response = match super::resume::after_sign_in(&ctx, &opened.session, &form) {
        Some(page) => page,
        None => ctx.see_other("/console"),
    };
    ctx.set_cookie(
        &mut response,
        session::set_cookie(SESSION_COOKIE, &opened.token, None, ctx.secure),
    );
    response
}

/// The sign-out form.
#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

/// `POST /console/sign-out`
pub async fn sign_out(
    ctx: Ctx,
    state: web::Data<AppState>,
    form: web::Form<CsrfOnly>,
) -> HttpResponse {
    let user = match ctx.check_csrf(&form.csrf) {
        Ok(user) => user,
        Err(fail) => return ctx.finish(Err(fail)),
    };
    let token = user.session_token.clone();
    if let Err(error) = state
        .call(move |engine| engine.end_console_session(&token))
        .await
    {
        return ctx.finish(Err(Fail::from(error)));
    }
    let mut response = ctx.see_other("/console/sign-in");
    ctx.set_cookie(
        &mut response,
        session::set_cookie(SESSION_COOKIE, "", Some(0), ctx.secure),
    );
    response
}
