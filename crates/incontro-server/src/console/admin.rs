//! Admin pages (issue 15, points 5 and 13): staff accounts (create, reset a password, disable),
//! API keys (create, shown once; revoke) and "who looked at this person" (the audit log of one
//! person). Every write is the engine's, audited there; a form error comes back in place, next
//! to its field, with everything typed kept (never a password).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::{ApiKey, OfficeDirectory, PersonAccess, Principal, Role, StaffAccount};
use maud::{html, Markup};
use serde::Deserialize;

use super::layout::{self, csrf_field};
use super::{sections, Ctx, Fail};
use crate::state::AppState;

/// Registers the admin pages.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/admin", web::get().to(accounts_page))
        .route("/admin/accounts", web::get().to(accounts_page))
        .route("/admin/accounts", web::post().to(create_account))
        .route(
            "/admin/accounts/{name}/password",
            web::post().to(reset_password),
        )
        .route(
            "/admin/accounts/{name}/disabled",
            web::post().to(set_disabled),
        )
        .route("/admin/keys", web::get().to(keys_page))
        .route("/admin/keys", web::post().to(create_key))
        .route("/admin/keys/{id}/revoke", web::post().to(revoke_key))
        .route("/admin/audit", web::get().to(audit_page));
}

const ROLES: [Role; 5] = [
    Role::Desk,
    Role::Validator,
    Role::Operator,
    Role::Analyst,
    Role::Admin,
];

/// What the create-account form sent (kept on error, except the password).
#[derive(Debug, Default, Deserialize)]
pub struct AccountForm {
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    password: String,
}

/// A form error placed next to its field.
pub(super) struct FieldError {
    pub(super) field: &'static str,
    pub(super) message: String,
}

/// The field an engine error code belongs to.
fn field_of(code: &str) -> &'static str {
    match code {
        "invalid_account_name" | "account_exists" | "account_not_found" => "name",
        "weak_password" => "password",
        "invalid_label" => "label",
        "invalid_role" => "role",
        "office_required" | "invalid_office" => "office",
        _ => "",
    }
}

/// `aria-describedby` / `aria-invalid` and the message of one field.
pub(super) fn error_for<'e>(error: &'e Option<FieldError>, field: &str) -> Option<&'e str> {
    error
        .as_ref()
        .filter(|error| error.field == field)
        .map(|error| error.message.as_str())
}

pub(super) fn field_error(id: &str, message: Option<&str>) -> Markup {
    html! {
        @if let Some(message) = message {
            p class="field-error" id={ (id) "-error" } { (message) }
        }
    }
}

pub(super) fn tabs(ctx: &Ctx, current: &str) -> Markup {
    let items = [
        ("/console/admin/accounts", "admin.accounts"),
        ("/console/admin/keys", "admin.keys"),
        ("/console/admin/offices", "admin.offices"),
        ("/console/admin/audit", "admin.audit"),
    ];
    html! {
        nav class="tabs" aria-label=(ctx.t("admin.title")) {
            ul {
                @for (path, key) in items {
                    li { a href=(path) aria-current=[(path == current).then_some("page")] { (ctx.t(key)) } }
                }
            }
        }
    }
}

/// A list with the offices in words, for its office column (issue 15, point 1).
fn with_offices<T>(
    engine: &incontro_core::Engine,
    items: Vec<T>,
) -> incontro_core::Result<(Vec<T>, OfficeDirectory)> {
    Ok((items, engine.office_directory()?))
}

pub(super) fn admin_of(ctx: &Ctx) -> Result<Principal, Fail> {
    Ok(ctx.require(sections::ADMIN)?.principal.clone())
}

/// `GET /console/admin/accounts`
pub async fn accounts_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<DoneQuery>,
) -> HttpResponse {
    let result = async {
        let admin = admin_of(&ctx)?;
        let accounts = state
            .call(move |engine| with_offices(engine, engine.list_accounts(&admin)?))
            .await?;
        let done = query.done.as_deref().and_then(done_key);
        Ok(render_accounts(
            &ctx,
            StatusCode::OK,
            &accounts,
            &AccountForm::default(),
            None,
            done,
        ))
    }
    .await;
    ctx.finish(result)
}

/// `?done=` after a write.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

fn done_key(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("admin.account_created"),
        "password" => Some("admin.password_reset"),
        "disabled" => Some("admin.account_disabled"),
        "enabled" => Some("admin.account_enabled"),
        "revoked" => Some("admin.key_revoked"),
        _ => None,
    }
}

fn render_accounts(
    ctx: &Ctx,
    status: StatusCode,
    (accounts, offices): &(Vec<StaffAccount>, OfficeDirectory),
    typed: &AccountForm,
    error: Option<FieldError>,
    done: Option<&str>,
) -> HttpResponse {
    let body = html! {
        h1 { (ctx.t("admin.title")) }
        (tabs(ctx, "/console/admin/accounts"))
        @if let Some(done) = done { (layout::notice("ok", ctx.t(done))) }
        h2 id="accounts" { (ctx.t("admin.accounts")) }
        @if accounts.is_empty() {
            p class="muted" { (ctx.t("admin.no_accounts")) }
        } @else {
            div class="table-wrap" {
                table id="accounts-table" class="stack" {
                    thead { tr {
                        th scope="col" { (ctx.t("admin.name")) }
                        th scope="col" { (ctx.t("admin.label")) }
                        th scope="col" { (ctx.t("admin.role")) }
                        th scope="col" { (ctx.t("admin.office")) }
                        th scope="col" { (ctx.t("admin.state")) }
                        th scope="col" { (ctx.t("admin.actions")) }
                    } }
                    tbody {
                        @for account in accounts {
                            tr data-account=(account.name) {
                                td data-label=(ctx.t("admin.name")) { (account.name) }
                                td data-label=(ctx.t("admin.label")) { (account.label) }
                                td data-label=(ctx.t("admin.role")) { (ctx.t(layout::role_key(account.role))) }
                                td data-label=(ctx.t("admin.office")) { (account.office.as_deref().map_or_else(|| "—".to_string(), |code| offices.name(code))) }
                                td data-label=(ctx.t("admin.state")) {
                                    @if account.disabled_at.is_some() { span class="tag closed" { (ctx.t("admin.disabled")) } }
                                    @else { span class="tag validated" { (ctx.t("admin.active")) } }
                                }
                                td data-label=(ctx.t("admin.actions")) {
                                    details class="reset" {
                                        summary { (ctx.t("admin.reset_password")) }
                                        form method="post" action={ "/console/admin/accounts/" (account.name) "/password" } {
                                            (csrf_field(ctx))
                                            label for={ "password-" (account.name) } { (ctx.t("admin.new_password")) }
                                            input type="password" id={ "password-" (account.name) } name="password"
                                                autocomplete="new-password" required minlength="10"
                                                aria-describedby="password-help";
                                            button type="submit" { (ctx.t("admin.reset_submit")) }
                                        }
                                    }
                                    form method="post" action={ "/console/admin/accounts/" (account.name) "/disabled" } class="inline" {
                                        (csrf_field(ctx))
                                        @if account.disabled_at.is_some() {
                                            input type="hidden" name="disabled" value="false";
                                            button type="submit" class="secondary" { (ctx.t("admin.enable")) }
                                        } @else {
                                            input type="hidden" name="disabled" value="true";
                                            button type="submit" class="secondary" { (ctx.t("admin.disable")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 id="new-account" { (ctx.t("admin.new_account")) }
        @if let Some(message) = error.as_ref().filter(|error| error.field.is_empty()).map(|error| error.message.as_str()) {
            (layout::notice("error", message))
        }
        form method="post" action="/console/admin/accounts" id="account-form" novalidate {
            (csrf_field(ctx))
            div class="row" {
                div {
                    label for="name" { (ctx.t("admin.name")) }
                    input type="text" id="name" name="name" value=(typed.name) required autocomplete="off"
                        autocapitalize="none" spellcheck="false"
                        aria-invalid=[error_for(&error, "name").map(|_| "true")]
                        aria-describedby={ "name-help" @if error_for(&error, "name").is_some() { " name-error" } };
                    p class="muted" id="name-help" { (ctx.t("admin.name_help")) }
                    (field_error("name", error_for(&error, "name")))
                }
                div {
                    label for="label" { (ctx.t("admin.label")) }
                    input type="text" id="label" name="label" value=(typed.label) required
                        aria-invalid=[error_for(&error, "label").map(|_| "true")]
                        aria-describedby=[error_for(&error, "label").map(|_| "label-error")];
                    (field_error("label", error_for(&error, "label")))
                }
            }
            div class="row" {
                div {
                    label for="role" { (ctx.t("admin.role")) }
                    select id="role" name="role" {
                        @for role in ROLES {
                            option value=(role.as_str()) selected[typed.role == role.as_str()] { (ctx.t(layout::role_key(role))) }
                        }
                    }
                }
                div {
                    label for="office" { (ctx.t("admin.office")) }
                    input type="text" id="office" name="office" value=(typed.office) maxlength="8"
                        aria-invalid=[error_for(&error, "office").map(|_| "true")]
                        aria-describedby={ "office-help" @if error_for(&error, "office").is_some() { " office-error" } };
                    p class="muted" id="office-help" { (ctx.t("admin.office_help")) }
                    (field_error("office", error_for(&error, "office")))
                }
            }
            label for="password" { (ctx.t("admin.password")) }
            input type="password" id="password" name="password" required autocomplete="new-password"
                aria-invalid=[error_for(&error, "password").map(|_| "true")]
                aria-describedby={ "password-help" @if error_for(&error, "password").is_some() { " password-error" } };
            p class="muted" id="password-help" { (ctx.t("admin.password_help")) }
            (field_error("password", error_for(&error, "password")))
            button type="submit" { (ctx.t("admin.create_account")) }
        }
    };
    ctx.page(status, ctx.t("admin.accounts"), body)
}

/// `POST /console/admin/accounts`: creates an account; an error comes back next to its field.
pub async fn create_account(
    ctx: Ctx,
    state: web::Data<AppState>,
    form: web::Form<AccountForm>,
) -> HttpResponse {
    let result = async {
        ctx.check_csrf(&form.csrf)?;
        let admin = admin_of(&ctx)?;
        let form = form.into_inner();
        let (name, label, role, office, password) = (
            form.name.clone(),
            form.label.clone(),
            form.role.clone(),
            form.office.clone(),
            form.password.clone(),
        );
        let lister = admin.clone();
        let (created, accounts) = state
            .call(move |engine| {
                let created = Role::parse(&role).and_then(|role| {
                    let office = Some(office.as_str()).filter(|office| !office.trim().is_empty());
                    engine.create_account(&admin, &name, &label, role, office, &password)
                });
                Ok((
                    created,
                    with_offices(engine, engine.list_accounts(&lister)?)?,
                ))
            })
            .await?;
        match created {
            Ok(_) => Ok(ctx.see_other("/console/admin/accounts?done=created#accounts")),
            Err(error)
                if error.kind() == incontro_core::ErrorKind::Invalid
                    || error.kind() == incontro_core::ErrorKind::Conflict =>
            {
                let field_error = FieldError {
                    field: field_of(error.code().as_str()),
                    message: ctx.lang.error_message(error.code(), &error.to_string()),
                };
                let typed = AccountForm {
                    password: String::new(),
                    ..form
                };
                Ok(render_accounts(
                    &ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &accounts,
                    &typed,
                    Some(field_error),
                    None,
                ))
            }
            Err(error) => Err(Fail::from(error)),
        }
    }
    .await;
    ctx.finish(result)
}

/// The reset-password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    csrf: String,
    password: String,
}

/// `POST /console/admin/accounts/{name}/password`
pub async fn reset_password(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<PasswordForm>,
) -> HttpResponse {
    let result = async {
        ctx.check_csrf(&form.csrf)?;
        let admin = admin_of(&ctx)?;
        let name = path.into_inner();
        let password = form.into_inner().password;
        let lister = admin.clone();
        let (reset, accounts) = state
            .call(move |engine| {
                let reset = engine.reset_account_password(&admin, &name, &password);
                Ok((reset, with_offices(engine, engine.list_accounts(&lister)?)?))
            })
            .await?;
        match reset {
            Ok(()) => Ok(ctx.see_other("/console/admin/accounts?done=password#accounts")),
            Err(error) if error.kind() == incontro_core::ErrorKind::Invalid => {
                let message = ctx.lang.error_message(error.code(), &error.to_string());
                let field_error = FieldError { field: "", message };
                Ok(render_accounts(
                    &ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &accounts,
                    &AccountForm::default(),
                    Some(field_error),
                    None,
                ))
            }
            Err(error) => Err(Fail::from(error)),
        }
    }
    .await;
    ctx.finish(result)
}

/// The disable / enable form.
#[derive(Debug, Deserialize)]
pub struct DisableForm {
    csrf: String,
    disabled: bool,
}

/// `POST /console/admin/accounts/{name}/disabled`
pub async fn set_disabled(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<DisableForm>,
) -> HttpResponse {
    let result = async {
        ctx.check_csrf(&form.csrf)?;
        let admin = admin_of(&ctx)?;
        let name = path.into_inner();
        let disabled = form.disabled;
        state
            .call(move |engine| engine.set_account_disabled(&admin, &name, disabled))
            .await?;
        let done = if disabled { "disabled" } else { "enabled" };
        Ok(ctx.see_other(&format!("/console/admin/accounts?done={done}#accounts")))
    }
    .await;
    ctx.finish(result)
}

/// `GET /console/admin/keys`
pub async fn keys_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<DoneQuery>,
) -> HttpResponse {
    let result = async {
        admin_of(&ctx)?;
        let keys = state
            .call(|engine| with_offices(engine, engine.list_api_keys()?))
            .await?;
        let done = query.done.as_deref().and_then(done_key);
        Ok(render_keys(
            &ctx,
            &keys,
            None,
            done,
            &KeyForm::default(),
            None,
        ))
    }
    .await;
    ctx.finish(result)
}

fn render_keys(
    ctx: &Ctx,
    (keys, offices): &(Vec<ApiKey>, OfficeDirectory),
    token: Option<&str>,
    done: Option<&str>,
    typed: &KeyForm,
    error: Option<FieldError>,
) -> HttpResponse {
    let body = html! {
        h1 { (ctx.t("admin.title")) }
        (tabs(ctx, "/console/admin/keys"))
        @if let Some(done) = done { (layout::notice("ok", ctx.t(done))) }
        @if let Some(token) = token {
            div class="notice ok" role="status" {
                p { (ctx.t("admin.key_once")) }
                p class="big" { code id="new-key" { (token) } }
            }
        }
        p class="muted" { (ctx.t("admin.keys_help")) }
        div class="table-wrap" {
            table id="keys-table" class="stack" {
                thead { tr {
                    th scope="col" { "Id" }
                    th scope="col" { (ctx.t("admin.label")) }
                    th scope="col" { (ctx.t("admin.role")) }
                    th scope="col" { (ctx.t("admin.office")) }
                    th scope="col" { (ctx.t("admin.state")) }
                    th scope="col" { (ctx.t("admin.actions")) }
                } }
                tbody {
                    @for key in keys {
                        tr data-key=(key.id) {
                            td data-label="Id" { code { (key.id) } }
                            td data-label=(ctx.t("admin.label")) { (key.label) }
                            td data-label=(ctx.t("admin.role")) { (ctx.t(layout::role_key(key.role))) }
                            td data-label=(ctx.t("admin.office")) { (key.office.as_deref().map_or_else(|| "—".to_string(), |code| offices.name(code))) }
                            td data-label=(ctx.t("admin.state")) {
                                @if key.revoked_at.is_some() { span class="tag closed" { (ctx.t("admin.revoked")) } }
                                @else { span class="tag validated" { (ctx.t("admin.active")) } }
                            }
                            td data-label=(ctx.t("admin.actions")) {
                                @if key.revoked_at.is_none() {
                                    form method="post" action={ "/console/admin/keys/" (key.id) "/revoke" } class="inline" {
                                        (csrf_field(ctx))
                                        button type="submit" class="danger" { (ctx.t("admin.revoke")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 id="new-key-form" { (ctx.t("admin.new_key")) }
        form method="post" action="/console/admin/keys" id="key-form" novalidate {
            (csrf_field(ctx))
            div class="row" {
                div {
                    label for="key-label" { (ctx.t("admin.label")) }
                    input type="text" id="key-label" name="label" value=(typed.label) required
                        aria-invalid=[error_for(&error, "label").map(|_| "true")]
                        aria-describedby=[error_for(&error, "label").map(|_| "key-label-error")];
                    (field_error("key-label", error_for(&error, "label")))
                }
                div {
                    label for="key-role" { (ctx.t("admin.role")) }
                    select id="key-role" name="role" {
                        @for role in ROLES {
                            option value=(role.as_str()) selected[typed.role == role.as_str()] { (ctx.t(layout::role_key(role))) }
                        }
                    }
                }
                div {
                    label for="key-office" { (ctx.t("admin.office")) }
                    input type="text" id="key-office" name="office" value=(typed.office) maxlength="8"
                        aria-invalid=[error_for(&error, "office").map(|_| "true")]
                        aria-describedby=[error_for(&error, "office").map(|_| "key-office-error")];
                    (field_error("key-office", error_for(&error, "office")))
                }
            }
            button type="submit" { (ctx.t("admin.create_key")) }
        }
    };
    ctx.page(StatusCode::OK, ctx.t("admin.keys"), body)
}

/// The create-key form.
#[derive(Debug, Default, Deserialize)]
pub struct KeyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    office: String,
}

/// `POST /console/admin/keys`: the token is shown once, on this page.
pub async fn create_key(
    ctx: Ctx,
    state: web::Data<AppState>,
    form: web::Form<KeyForm>,
) -> HttpResponse {
    let result = async {
        ctx.check_csrf(&form.csrf)?;
        let admin = admin_of(&ctx)?;
        let form = form.into_inner();
        let (label, role, office) = (form.label.clone(), form.role.clone(), form.office.clone());
        let (created, keys) = state
            .call(move |engine| {
                let created = Role::parse(&role).and_then(|role| {
                    let office = Some(office.as_str()).filter(|office| !office.trim().is_empty());
                    engine.create_api_key(role, office, &label)
                });
                if let Ok(created) = &created {
                    engine.audit(vec![incontro_core::access::AuditEntry::now(
                        &admin,
                        "api_key_created",
                        None,
                        Some(&created.key.id),
                        incontro_core::access::Outcome::Ok,
                    )])?;
                }
                Ok((created, with_offices(engine, engine.list_api_keys()?)?))
            })
            .await?;
        match created {
            Ok(created) => Ok(render_keys(
                &ctx,
                &keys,
                Some(&created.token),
                None,
                &KeyForm::default(),
                None,
            )),
            Err(error) if error.kind() == incontro_core::ErrorKind::Invalid => {
                let field_error = FieldError {
                    field: field_of(error.code().as_str()),
                    message: ctx.lang.error_message(error.code(), &error.to_string()),
                };
                Ok(render_keys(
                    &ctx,
                    &keys,
                    None,
                    None,
                    &form,
                    Some(field_error),
                ))
            }
            Err(error) => Err(Fail::from(error)),
        }
    }
    .await;
    ctx.finish(result)
}

/// The revoke form.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    csrf: String,
    /// `yes` once the admin confirmed.
    #[serde(default)]
    confirm: String,
}

/// `POST /console/admin/keys/{id}/revoke`: asks first (issue 15, point 7: the programs using the
/// key stop at once, and a revoked key cannot be turned back on), then audited as
/// `api_key_revoked`.
pub async fn revoke_key(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<RevokeForm>,
) -> HttpResponse {
    let result = async {
        ctx.check_csrf(&form.csrf)?;
        let admin = admin_of(&ctx)?;
        let id = path.into_inner();
        if form.confirm != "yes" {
            let wanted = id.clone();
            let key = state
                .call(move |engine| {
                    engine
                        .list_api_keys()?
                        .into_iter()
                        .find(|key| key.id == wanted && key.revoked_at.is_none())
                        .ok_or_else(|| {
                            incontro_core::Error::not_found(
                                incontro_core::ErrorCode::ApiKeyNotFound,
                                "api key",
                                wanted.clone(),
                            )
                        })
                })
                .await?;
            let body = html! {
                h1 { (ctx.t("admin.confirm_revoke_title")) }
                div class="card" id="confirm-revoke" {
                    p { (ctx.t("admin.confirm_revoke_text")) " «" (key.label) "» (" (ctx.t(layout::role_key(key.role))) ")." }
                    p { (ctx.t("admin.confirm_revoke_final")) }
                    form method="post" action={ "/console/admin/keys/" (key.id) "/revoke" } {
                        (csrf_field(&ctx))
                        input type="hidden" name="confirm" value="yes";
                        button type="submit" class="danger" { (ctx.t("admin.confirm_revoke")) }
                    }
                    p { a href="/console/admin/keys" { (ctx.t("admin.confirm_revoke_back")) } }
                }
            };
            return Ok(ctx.page(StatusCode::OK, ctx.t("admin.confirm_revoke_title"), body));
        }
        state
            .call(move |engine| {
                engine.revoke_api_key(&id)?;
                engine.audit(vec![incontro_core::access::AuditEntry::now(
                    &admin,
                    "api_key_revoked",
                    None,
                    Some(&id),
                    incontro_core::access::Outcome::Ok,
                )])
            })
            .await?;
        Ok(ctx.see_other("/console/admin/keys?done=revoked"))
    }
    .await;
    ctx.finish(result)
}

/// `?person=` of the audit page.
#[derive(Debug, Deserialize)]
pub struct AuditPageQuery {
    person: Option<String>,
}

/// `GET /console/admin/audit?person=JS0001`: who looked at this person (a GET form: Back works).
pub async fn audit_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<AuditPageQuery>,
) -> HttpResponse {
    let result = async {
        let admin = admin_of(&ctx)?;
        let person = query
            .into_inner()
            .person
            .map(|person| person.trim().to_uppercase())
            .filter(|person| !person.is_empty());
        let accesses: Option<Vec<PersonAccess>> = match person.clone() {
            Some(person) => Some(
                state
                    .call(move |engine| engine.person_access_log(&admin, &person, 500))
                    .await?,
            ),
            None => None,
        };
        let body = html! {
            h1 { (ctx.t("admin.title")) }
            (tabs(&ctx, "/console/admin/audit"))
            h2 { (ctx.t("admin.audit")) }
            form method="get" action="/console/admin/audit" role="search" {
                label for="person" { (ctx.t("admin.person")) }
                input type="search" id="person" name="person" value=(person.as_deref().unwrap_or(""))
                    aria-describedby="person-help" required;
                p class="muted" id="person-help" { (ctx.t("admin.person_help")) }
                button type="submit" { (ctx.t("admin.audit_submit")) }
            }
            @if let (Some(person), Some(accesses)) = (&person, &accesses) {
                h3 { (ctx.t("admin.audit_of")) " " (person) }
                @if accesses.is_empty() {
                    p class="muted" id="audit-empty" { (ctx.t("admin.audit_none")) }
                } @else {
                    div class="table-wrap" {
                        table id="audit-table" class="stack" {
                            thead { tr {
                                th scope="col" { (ctx.t("admin.when")) }
                                th scope="col" { (ctx.t("admin.who")) }
                                th scope="col" { (ctx.t("admin.role")) }
                                th scope="col" { (ctx.t("admin.what")) }
                                th scope="col" { (ctx.t("admin.outcome")) }
                            } }
                            tbody {
                                @for access in accesses {
                                    tr {
                                        td data-label=(ctx.t("admin.when")) { (when(&access.at)) }
                                        td data-label=(ctx.t("admin.who")) {
                                            (access.who.as_deref().unwrap_or(&access.who_id))
                                            " " span class="muted" { "(" (access.who_id) ")" }
                                        }
                                        td data-label=(ctx.t("admin.role")) {
                                            (Role::parse(&access.role).map(|role| ctx.t(layout::role_key(role))).unwrap_or(&access.role))
                                        }
                                        td data-label=(ctx.t("admin.what")) { (action_words(&ctx, &access.action)) }
                                        td data-label=(ctx.t("admin.outcome")) {
                                            @if access.outcome == "ok" { (ctx.t("admin.outcome_ok")) }
                                            @else { strong { (ctx.t("admin.outcome_denied")) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        };
        Ok(ctx.page(StatusCode::OK, ctx.t("admin.audit"), body))
    }
    .await;
    ctx.finish(result)
}

/// An RFC 3339 UTC time as the office reads it: `02/12/2026 09:30` local time.
fn when(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|at| {
            at.with_timezone(&chrono::Local)
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}

/// An audit action in words where the console has them; the code otherwise.
fn action_words<'a>(ctx: &Ctx, action: &'a str) -> &'a str {
    let key = match action {
        "read_job_seeker" => "audit.read_job_seeker",
        "read_personal_data" => "audit.read_personal_data",
        "vacancies_for_person" => "audit.vacancies_for_person",
        "read_competences" => "audit.read_competences",
        "read_placements" => "audit.read_placements",
        "explain_match" => "audit.explain_match",
        "record_placement" => "audit.record_placement",
        "propose_courses" => "audit.propose_courses",
        "course_doors" => "audit.course_doors",
        "candidates_for_vacancy" => "audit.candidates_for_vacancy",
        "record_competence_feedback" => "audit.record_competence_feedback",
        "read_call_list_entry" => "audit.read_call_list_entry",
        "record_call_attempt" => "audit.record_call_attempt",
        "record_taken_in_charge" => "audit.record_taken_in_charge",
        "undo_refusal" => "audit.undo_refusal",
        "office_refused" => "audit.office_refused",
        "read_person_audit" => "audit.read_person_audit",
        _ => return action,
    };
    ctx.t(key)
}
