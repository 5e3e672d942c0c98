//! The admin's offices page (issue 15, point 12): each office's name, address and comune, as the
//! booking confirmation and its `.ics` show them. Saving is `Engine::save_office`, audited; a form
//! error comes back next to its field with everything typed kept.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::{AuditEntry, Office, Outcome};
use incontro_core::vocabulary::Vocabulary;
use incontro_core::ErrorCode;
use maud::html;
use serde::Deserialize;

use super::admin::{admin_of, error_for, field_error, tabs, FieldError};
use super::layout::{self, csrf_field};
use super::{words, Ctx, Fail};
use crate::state::AppState;

/// Registers the offices pages.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/admin/offices", web::get().to(offices_page))
        .route("/admin/offices", web::post().to(save_office));
}

/// What the admin typed.
#[derive(Debug, Default, Deserialize)]
pub struct OfficeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    address: String,
    /// The comune by name ("Lucca (LU)"), as the type-ahead offers it.
    #[serde(default)]
    comune: String,
}

/// `?done=` and `?code=` (the office to edit).
#[derive(Debug, Deserialize)]
pub struct OfficesQuery {
    done: Option<String>,
    code: Option<String>,
}

/// The field an engine error belongs to.
fn field_of(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidOffice => "code",
        ErrorCode::InvalidOfficeName => "name",
        ErrorCode::InvalidOfficeAddress => "address",
        _ => "comune",
    }
}

/// `GET /console/admin/offices[?code=LU]`
pub async fn offices_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<OfficesQuery>,
) -> HttpResponse {
    let result = async {
        admin_of(&ctx)?;
        let (offices, words) = state
            .call(|engine| Ok((engine.offices()?, engine.vocabulary()?)))
            .await?;
        let typed = query
            .code
            .as_deref()
            .and_then(|code| {
                offices
                    .iter()
                    .find(|office| office.code.eq_ignore_ascii_case(code))
            })
            .map(|office| OfficeForm {
                code: office.code.clone(),
                name: office.name.clone(),
                address: office.address.clone(),
                comune: words.comune_label(&office.comune),
                ..OfficeForm::default()
            })
            .unwrap_or_default();
        let done = query.done.is_some();
        Ok(render(
            &ctx,
            StatusCode::OK,
            &offices,
            &words,
            &typed,
            None,
            done,
        ))
    }
    .await;
    ctx.finish(result)
}

fn render(
    ctx: &Ctx,
    status: StatusCode,
    offices: &[Office],
    words: &Vocabulary,
    typed: &OfficeForm,
    error: Option<FieldError>,
    done: bool,
) -> HttpResponse {
    let invalid = |field: &str| error_for(&error, field).map(|_| "true");
    let described = |field: &str, help: Option<&str>| {
        let mut ids: Vec<String> = help.map(str::to_string).into_iter().collect();
        if error_for(&error, field).is_some() {
            ids.push(format!("office-{field}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let body = html! {
        h1 { (ctx.t("admin.title")) }
        (tabs(ctx, "/console/admin/offices"))
        @if done { (layout::notice("ok", ctx.t("admin.office_saved"))) }
        h2 id="offices" { (ctx.t("admin.offices")) }
        p class="muted" { (ctx.t("admin.offices_help")) }
        div class="table-wrap" {
            table id="offices-table" class="stack" {
                thead { tr {
                    th scope="col" { (ctx.t("admin.office_code")) }
                    th scope="col" { (ctx.t("admin.office_name")) }
                    th scope="col" { (ctx.t("admin.office_address")) }
                    th scope="col" { (ctx.t("words.comune")) }
                    th scope="col" { (ctx.t("admin.actions")) }
                } }
                tbody {
                    @for office in offices {
                        tr data-office=(office.code) {
                            td data-label=(ctx.t("admin.office_code")) { (office.code) }
                            td data-label=(ctx.t("admin.office_name")) { (office.name) }
                            td data-label=(ctx.t("admin.office_address")) { (office.address) }
                            td data-label=(ctx.t("words.comune")) { (words.comune_label(&office.comune)) }
                            td data-label=(ctx.t("admin.actions")) {
                                a href={ "/console/admin/offices?code=" (office.code) "#office-form" } { (ctx.t("admin.office_edit")) " " (office.code) }
                            }
                        }
                    }
                }
            }
        }
        h2 id="office-form" { (ctx.t("admin.office_form")) }
        form method="post" action="/console/admin/offices" id="office-edit" novalidate {
            (csrf_field(ctx))
            @if let Some(error) = error.as_ref().filter(|error| error.field.is_empty()) {
                (layout::notice("error", &error.message))
            }
            label for="office-code" { (ctx.t("admin.office_code")) }
            input type="text" id="office-code" name="code" value=(typed.code) maxlength="8" required
                aria-invalid=[invalid("code")] aria-describedby=[described("code", Some("office-code-help"))];
            p class="muted" id="office-code-help" { (ctx.t("admin.office_code_help")) }
            (field_error("office-code", error_for(&error, "code")))
            label for="office-name" { (ctx.t("admin.office_name")) }
            input type="text" id="office-name" name="name" value=(typed.name) maxlength="120" required
                aria-invalid=[invalid("name")] aria-describedby=[described("name", None)];
            (field_error("office-name", error_for(&error, "name")))
            label for="office-address" { (ctx.t("admin.office_address")) }
            input type="text" id="office-address" name="address" value=(typed.address) maxlength="200" required
                autocomplete="off" aria-invalid=[invalid("address")] aria-describedby=[described("address", None)];
            (field_error("office-address", error_for(&error, "address")))
            label for="office-comune" { (ctx.t("words.comune")) }
            input type="text" id="office-comune" name="comune" value=(typed.comune) list="office-comuni" required
                autocomplete="off" aria-invalid=[invalid("comune")] aria-describedby=[described("comune", None)];
            (words::comuni_datalist("office-comuni", words))
            (field_error("office-comune", error_for(&error, "comune")))
            button type="submit" { (ctx.t("admin.office_save")) }
        }
    };
    ctx.page(status, ctx.t("admin.offices"), body)
}

/// `POST /console/admin/offices`: adds or replaces an office (audited `office_saved`).
pub async fn save_office(
    ctx: Ctx,
    state: web::Data<AppState>,
    form: web::Form<OfficeForm>,
) -> HttpResponse {
    let result = async {
        admin_of(&ctx)?;
        let admin = ctx.check_csrf(&form.csrf)?.principal.clone();
        let form = form.into_inner();
        let (code, name, address, comune) = (
            form.code.clone(),
            form.name.clone(),
            form.address.clone(),
            form.comune.clone(),
        );
        let (saved, offices, words) = state
            .call(move |engine| {
                let words = engine.vocabulary()?;
                let saved = words.find_comune(&comune).and_then(|comune| {
                    let office = Office::new(&code, &name, &address, comune.as_str())?;
                    engine.save_office(&office)?;
                    engine.audit(vec![AuditEntry::now(
                        &admin,
                        "office_saved",
                        None,
                        Some(&office.code),
                        Outcome::Ok,
                    )])?;
                    Ok(office)
                });
                Ok((saved, engine.offices()?, words))
            })
            .await?;
        match saved {
            Ok(office) => Ok(ctx.see_other(&format!(
                "/console/admin/offices?done=saved&code={}#offices",
                office.code
            ))),
            Err(error) if error.kind() == incontro_core::ErrorKind::Invalid => {
                let field_error = FieldError {
                    field: field_of(error.code()),
                    message: ctx.lang.error_message(error.code(), &error.to_string()),
                };
                Ok(render(
                    &ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &offices,
                    &words,
                    &form,
                    Some(field_error),
                    false,
                ))
            }
            Err(error) => Err(Fail::from(error)),
        }
    }
    .await;
    ctx.finish(result)
}
