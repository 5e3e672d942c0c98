//! Sign-in with an API key, sign-out, and the home page of each role.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::Role;
use maud::html;
use serde::Deserialize;

use super::layout::{self, form_token_field};
use super::session::{self, SESSION_COOKIE};
use super::{ConsoleState, Ctx, Fail};
use crate::state::AppState;

/// `GET /console`: the home page of the signed-in role (or the sign-in page).
pub async fn home(ctx: Ctx) -> HttpResponse {
    let Some(user) = &ctx.user else {
        return ctx.see_other("/console/sign-in");
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
    ]
    .into_iter()
    .filter(|(roles, ..)| roles.contains(&role))
    .map(|(_, path, title, text)| (path, title, text))
    .collect();
    let body = html! {
        h1 { (ctx.t("home.title")) ", " (user.principal.label) }
        p class="muted" { (ctx.t(layout::role_key(role)))
            @if let Some(office) = &user.principal.office { " · " (ctx.t("home.office")) " " (office) } }
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

/// `GET /console/sign-in`
pub async fn form(ctx: Ctx) -> HttpResponse {
    if ctx.user.is_some() {
        return ctx.see_other("/console");
    }
    sign_in_page(&ctx, StatusCode::OK, None)
}

fn sign_in_page(ctx: &Ctx, status: StatusCode, error: Option<&str>) -> HttpResponse {
    let body = html! {
        h1 { (ctx.t("signin.title")) }
        @if let Some(error) = error { (layout::notice("error", error)) }
        form method="post" action="/console/sign-in" class="signin" {
            (form_token_field(ctx))
            label for="key" { (ctx.t("signin.key")) }
            input type="password" id="key" name="key" autocomplete="current-password" required
                aria-describedby="key-help";
            p id="key-help" class="muted" { (ctx.t("signin.key_help")) }
            button type="submit" { (ctx.t("signin.submit")) }
        }
        p { a href="/prenota" { (ctx.t("signin.public_booking")) } }
    };
    ctx.page(status, ctx.t("signin.title"), body)
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    key: String,
    form_token: String,
}

/// `POST /console/sign-in`: checks the key like the API does, opens a session.
pub async fn submit(
    ctx: Ctx,
    state: web::Data<AppState>,
    console: web::Data<ConsoleState>,
    form: web::Form<SignInForm>,
) -> HttpResponse {
    if let Err(fail) = ctx.check_form_token(&form.form_token) {
        return ctx.finish(Err(fail));
    }
    let key = form.key.trim().to_string();
    if key.is_empty() || key.len() > 200 {
        return sign_in_page(
            &ctx,
            StatusCode::UNAUTHORIZED,
            Some(ctx.t("signin.invalid")),
        );
    }
    let checked = key.clone();
    let principal = match state
        .call(move |engine| engine.authenticate(&checked))
        .await
    {
        Ok(principal) => principal,
        Err(error) => return ctx.finish(Err(Fail::from(error))),
    };
    let Some(principal) = principal else {
        tracing::info!("console sign-in refused");
        return sign_in_page(
            &ctx,
            StatusCode::UNAUTHORIZED,
            Some(ctx.t("signin.invalid")),
        );
    };
    // A fresh id on every sign-in (no session fixation); the old one, if any, ends.
    if let Some(old) = &ctx.user {
        console.sessions.close(&old.session_id);
    }
    let session_id = console.sessions.open(key);
    tracing::info!(key_id = %principal.key_id, role = principal.role.as_str(), "console sign-in");
    let mut response = ctx.see_other("/console");
    ctx.set_cookie(
        &mut response,
        session::set_cookie(SESSION_COOKIE, &session_id, None, ctx.secure),
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
    console: web::Data<ConsoleState>,
    form: web::Form<CsrfOnly>,
) -> HttpResponse {
    let user = match ctx.check_csrf(&form.csrf) {
        Ok(user) => user,
        Err(fail) => return ctx.finish(Err(fail)),
    };
    console.sessions.close(&user.session_id);
    let mut response = ctx.see_other("/console/sign-in");
    ctx.set_cookie(
        &mut response,
        session::set_cookie(SESSION_COOKIE, "", Some(0), ctx.secure),
    );
    response
}
