//! Editing a vacancy (back to draft) and closing it.

use crate::console::layout::{self, csrf_field};
use crate::console::words;
use crate::console::{sections, Ctx, Fail};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::Action;
use incontro_core::model::{EntityId, Vacancy, VacancyStatus};
use incontro_core::vocabulary::Vocabulary;
use maud::{html, Markup};
use serde::Deserialize;

/// The edit form's fields (the vacancy as the validators' create form has it).
#[derive(Debug, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    comune: String,
    #[serde(default)]
    positions: String,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
}

impl EditForm {
    /// The form as the vacancy fills it.
    fn of(vacancy: &Vacancy, vocabulary: &Vocabulary) -> EditForm {
        EditForm {
            csrf: String::new(),
            title: vacancy.title.clone(),
            description: vacancy.description.clone(),
            comune: vocabulary.comune_label(vacancy.comune.as_str()),
            positions: vacancy.positions.to_string(),
            opens: vacancy.opens.to_string(),
            closes: vacancy
                .closes
                .map(|day| day.to_string())
                .unwrap_or_default(),
        }
    }
}

/// A form error next to its field: `(field, message)`.
type FieldError = (&'static str, String);

/// `GET /console/offers/{id}/edit`
pub async fn edit_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::DESK)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path.into_inner())?;
        let (vacancy, vocabulary) = state
            .call(move |engine| {
                Ok((
                    engine.vacancy_for(&principal, Action::WriteVacancy, &id)?,
                    engine.vocabulary()?,
                ))
            })
            .await?;
        let typed = EditForm::of(&vacancy, &vocabulary);
        let body = edit_body(&ctx, &vacancy, &vocabulary, &typed, None);
        Ok(ctx.page(StatusCode::OK, ctx.t("vacancies.edit"), body))
    }
    .await;
    ctx.finish(result)
}

fn edit_body(
    ctx: &Ctx,
    vacancy: &Vacancy,
    vocabulary: &Vocabulary,
    typed: &EditForm,
    error: Option<FieldError>,
) -> Markup {
    let errors = layout::FieldErrors(error.as_ref());
    let message = |field: &str| errors.message(field);
    let invalid = |field: &str| errors.invalid(field);
    let described = |field: &str| errors.described(field);
    let field_error = |field: &str| errors.render(field);
    html! {
        p { a href={ "/console/offers/" (vacancy.id) } { "← " (vacancy.title) } }
        h1 { (ctx.t("vacancies.edit")) }
        @if matches!(vacancy.status, VacancyStatus::Validated { .. }) {
            p class="notice" role="note" id="back-to-draft" { (ctx.t("vacancies.back_to_draft")) }
        }
        @if let Some(text) = message("") { p class="notice error" role="alert" id="edit-error" { (text) } }
        form method="post" action={ "/console/offers/" (vacancy.id) "/edit" } class="edit-vacancy" {
            (csrf_field(ctx))
            label for="title" { (ctx.t("vacancy.title_field")) }
            input type="text" id="title" name="title" required maxlength="200" value=(typed.title)
                aria-invalid=[invalid("title")] aria-describedby=[described("title")];
            (field_error("title"))
            label for="description" { (ctx.t("vacancy.description")) }
            textarea id="description" name="description" rows="4" maxlength="5000" { (typed.description) }
            label for="comune" { (ctx.t("vacancy.comune")) }
            input type="text" id="comune" name="comune" list="edit-comuni" required autocomplete="off"
                value=(typed.comune) aria-invalid=[invalid("comune")] aria-describedby=[described("comune")];
            (words::comuni_datalist("edit-comuni", vocabulary))
            (field_error("comune"))
            div class="row" {
                div {
                    label for="positions" { (ctx.t("vacancy.positions")) }
                    input type="number" id="positions" name="positions" min="1" max="999" required value=(typed.positions)
                        aria-invalid=[invalid("positions")] aria-describedby=[described("positions")];
                    (field_error("positions"))
                }
                div {
                    label for="opens" { (ctx.t("vacancy.opens")) }
                    input type="date" id="opens" name="opens" required value=(typed.opens)
                        aria-invalid=[invalid("opens")] aria-describedby=[described("opens")];
                    (field_error("opens"))
                }
                div {
                    label for="closes" { (ctx.t("vacancy.closes")) }
                    input type="date" id="closes" name="closes" value=(typed.closes)
                        aria-invalid=[invalid("closes")] aria-describedby=[described("closes")];
                    (field_error("closes"))
                }
            }
            button type="submit" { (ctx.t("vacancies.save")) }
        }
    }
}

fn parse_day(raw: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// The field of the edit form an engine error belongs to (`""`: the whole form).
fn edit_field(code: incontro_core::ErrorCode) -> &'static str {
    use incontro_core::ErrorCode;
    match code {
        ErrorCode::InvalidField | ErrorCode::InvalidVacancy => "title",
        ErrorCode::UnknownComune
        | ErrorCode::AmbiguousComune
        | ErrorCode::InvalidComune
        | ErrorCode::OtherOffice => "comune",
        ErrorCode::InvalidPositions => "positions",
        ErrorCode::InvalidDates | ErrorCode::InvalidDate => "closes",
        _ => "",
    }
}

/// `POST /console/offers/{id}/edit`: `Engine::update_vacancy` (a validated vacancy goes back
/// to draft, its competences stay). A mistake comes back next to its field with everything
/// typed kept (issue 15, point 4).
pub async fn edit(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<EditForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::DESK)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path.into_inner())?;
        let form = form.into_inner();
        let target = id.as_str().to_string();
        let typed = EditForm {
            csrf: String::new(),
            ..form
        };
        let sent = EditForm {
            csrf: String::new(),
            title: typed.title.clone(),
            description: typed.description.clone(),
            comune: typed.comune.clone(),
            positions: typed.positions.clone(),
            opens: typed.opens.clone(),
            closes: typed.closes.clone(),
        };
        let invalid_date = ctx.t("words.invalid_date").to_string();
        let invalid_number = ctx.t("vacancy.number_invalid").to_string();
        let (outcome, existing, vocabulary) = state
            .call(move |engine| {
                let existing = engine.vacancy_for(&principal, Action::WriteVacancy, &id)?;
                let vocabulary = engine.vocabulary()?;
                let checked = (|| -> Result<Result<Vacancy, FieldError>, incontro_core::Error> {
                    let Some(opens) = parse_day(&sent.opens) else {
                        return Ok(Err(("opens", invalid_date.clone())));
                    };
                    let closes = match sent.closes.trim() {
                        "" => None,
                        raw => match parse_day(raw) {
                            Some(day) => Some(day),
                            None => return Ok(Err(("closes", invalid_date.clone()))),
                        },
                    };
                    let Ok(positions) = sent.positions.trim().parse::<u16>() else {
                        return Ok(Err(("positions", invalid_number.clone())));
                    };
                    let comune = vocabulary.find_comune(&sent.comune)?;
                    let title = sent.title.trim().to_string();
                    if title.is_empty() || title.chars().count() > 200 {
                        return Err(incontro_core::Error::invalid(
                            incontro_core::ErrorCode::InvalidField,
                            "title must be 1-200 characters",
                        ));
                    }
                    let updated = Vacancy {
                        title,
                        description: sent.description.trim().to_string(),
                        comune,
                        positions,
                        opens,
                        closes,
                        ..existing.clone()
                    };
                    engine.update_vacancy(&principal, &updated).map(Ok)
                })();
                Ok((checked, existing, vocabulary))
            })
            .await?;
        let error = match outcome {
            Ok(Ok(_)) => return Ok(ctx.see_other(&format!("/console/offers/{target}?done=edited"))),
            Ok(Err(error)) => error,
            Err(error) if error.code() == incontro_core::ErrorCode::InvalidField => {
                ("title", ctx.t("vacancy.title_invalid").to_string())
            }
            Err(error) if error.kind() == incontro_core::ErrorKind::Invalid => (
                edit_field(error.code()),
                ctx.lang.error_message(error.code(), &error.to_string()),
            ),
            Err(error) => return Err(Fail::from(error)),
        };
        let body = edit_body(&ctx, &existing, &vocabulary, &typed, Some(error));
        Ok(ctx.page(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.t("vacancies.edit"),
            body,
        ))
    }
    .await;
    ctx.finish(result)
}

/// The close form.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
    /// `yes` once the desk confirmed (closing is final: issue 15, point 7).
    #[serde(default)]
    confirm: String,
}

/// `POST /console/offers/{id}/close`
pub async fn close(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::DESK)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path.into_inner())?;
        let target = id.as_str().to_string();
        if form.confirm != "yes" {
            // Closing cannot be undone: say so and ask first.
            let checked = principal.clone();
            let lookup = id.clone();
            let vacancy = state
                .call(move |engine| engine.vacancy_for(&checked, Action::WriteVacancy, &lookup))
                .await?;
            let body = html! {
                h1 { (ctx.t("vacancies.confirm_close_title")) }
                div class="card" id="confirm-close" {
                    p { (ctx.t("vacancies.confirm_close_text")) " «" (vacancy.title) "»." }
                    form method="post" action={ "/console/offers/" (target) "/close" } {
                        (csrf_field(&ctx))
                        input type="hidden" name="confirm" value="yes";
                        button type="submit" class="danger" { (ctx.t("vacancies.confirm_close")) }
                    }
                    p { a href={ "/console/offers/" (target) } { (ctx.t("vacancies.confirm_back")) } }
                }
            };
            return Ok(ctx.page(
                StatusCode::OK,
                ctx.t("vacancies.confirm_close_title"),
                body,
            ));
        }
        state
            .call(move |engine| engine.close_vacancy(&principal, &id))
            .await?;
        Ok(ctx.see_other(&format!("/console/offers/{target}?done=closed")))
    }
    .await;
    ctx.finish(result)
}
