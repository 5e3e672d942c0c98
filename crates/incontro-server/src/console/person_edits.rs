//! Desk: what staff change on a person after an interview (issue 15) — a competence assessed
//! (level and note), and the person's conditions (tirocinio, contract types, weekly hours,
//! maximum distance). Both audited; the engine checks everything (`Engine::assess_competence`,
//! `Engine::set_conditions`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::{Action, AuditEntry, Outcome};
use incontro_core::model::{EntityId, JobSeeker, SkillUri, WorkConditions};
use incontro_core::placements::{Placement, PlacementCorrection, PlacementMode};
use incontro_core::vocabulary::Vocabulary;
use maud::{html, Markup};
use serde::Deserialize;

use super::layout::{self, csrf_field};
use super::{now, sections, Ctx, Fail};
use crate::state::AppState;

/// Registers the forms.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route(
            "/desk/people/{id}/competences",
            web::post().to(assess_competence),
        )
        .route(
            "/desk/people/{id}/conditions",
            web::get().to(conditions_page),
        )
        .route(
            "/desk/people/{id}/conditions",
            web::post().to(set_conditions),
        )
        .route(
            "/desk/people/{id}/placements/{record}/correct",
            web::post().to(correct_placement),
        )
        .route(
            "/desk/people/{id}/placements/{record}/withdraw",
            web::post().to(withdraw_placement),
        );
}

/// The small "assess" form of one competence row of the person page.
pub fn assess_form(ctx: &Ctx, person: &str, skill: &str, level: u8, row: usize) -> Markup {
    let field = |name: &str| format!("{name}-{row}");
    html! {
        details class="assess" {
            summary { (ctx.t("words.assess")) }
            form method="post" action={ "/console/desk/people/" (person) "/competences" } class="assess-form" {
                (csrf_field(ctx))
                input type="hidden" name="skill" value=(skill);
                label for=(field("level")) { (ctx.t("desk.level")) }
                select id=(field("level")) name="level" {
                    @for value in 1..=4u8 {
                        option value=(value) selected[value == level] { (value) }
                    }
                }
                label for=(field("note")) { (ctx.t("words.interview_note")) }
                textarea id=(field("note")) name="note" maxlength="500" rows="2" {}
                button type="submit" { (ctx.t("words.assess_submit")) }
            }
        }
    }
}

/// The form that adds a competence assessed at the interview (one the person did not have), on
/// the person page; a refused one comes back on its own page (`assess_body`).
pub fn add_competence_form(ctx: &Ctx, person: &str) -> Markup {
    html! {
        details class="add-competence" id="add-competence" {
            summary { (ctx.t("words.add_competence")) }
            (assess_fields(ctx, person, &AssessForm::default(), &layout::FieldErrors(None)))
        }
    }
}

/// The fields of the assessment form: the skill (type-ahead, or text without the script), the
/// level and the note, with `typed` values and the error next to its field.
fn assess_fields(
    ctx: &Ctx,
    person: &str,
    typed: &AssessForm,
    errors: &layout::FieldErrors<'_>,
) -> Markup {
    let skill_described = match errors.described("skill") {
        Some(error) => format!("assess-skill-help {error}"),
        None => "assess-skill-help".to_string(),
    };
    html! {
        form method="post" action={ "/console/desk/people/" (person) "/competences" } class="assess-new" {
            (csrf_field(ctx))
            @if let Some(text) = errors.message("") { p class="notice error" role="alert" id="assess-error" { (text) } }
            div class="typeahead" id="assess-skill-box" data-url="/console/api/skills" data-lang=(ctx.lang.code()) {
                label for="assess-skill-text" { (ctx.t("vacancy.skill_search")) }
                input type="search" id="assess-skill-text" name="skill_text" autocomplete="off" role="combobox"
                    aria-autocomplete="list" aria-expanded="false" aria-controls="assess-skill-list"
                    aria-describedby=(skill_described) aria-invalid=[errors.invalid("skill")]
                    required minlength="2" value=(typed.skill_text);
                input type="hidden" name="skill" value=(typed.skill);
                ul id="assess-skill-list" role="listbox" aria-label=(ctx.t("vacancy.skill_search")) {}
                p class="chosen" aria-live="polite" {}
                p id="assess-skill-help" class="muted" { (ctx.t("vacancy.skill_help")) }
                (errors.render("skill"))
            }
            label for="assess-level" { (ctx.t("desk.level")) }
            select id="assess-level" name="level" aria-invalid=[errors.invalid("level")] aria-describedby=[errors.described("level")] {
                (super::validator::level_options_typed(ctx, if typed.level.is_empty() { "2" } else { &typed.level }))
            }
            (errors.render("level"))
            label for="assess-note" { (ctx.t("words.interview_note")) }
            textarea id="assess-note" name="note" maxlength="500" rows="2"
                aria-invalid=[errors.invalid("note")] aria-describedby=[errors.described("note")] { (typed.note) }
            (errors.render("note"))
            button type="submit" { (ctx.t("words.assess_submit")) }
        }
    }
}

/// The assessment refused, on its own page: the error next to its field, everything typed kept
/// (issue 15, point 4).
fn assess_body(ctx: &Ctx, person: &str, typed: &AssessForm, error: &FieldError) -> Markup {
    let errors = layout::FieldErrors(Some(error));
    html! {
        p { a href={ "/console/desk/people/" (person) "#competences" } { "← " (ctx.t("words.back_to_person")) } }
        h1 { (ctx.t("words.assess_title")) }
        (assess_fields(ctx, person, typed, &errors))
    }
}

/// The assess form as typed (the level kept as text, so that a wrong one comes back as it was).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssessForm {
    #[serde(default)]
    csrf: String,
    /// The skill's URI (the row's, or the type-ahead's choice).
    #[serde(default)]
    skill: String,
    /// The skill as typed (the add form, without the script).
    #[serde(default)]
    skill_text: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    note: String,
}

/// `POST /console/desk/people/{id}/competences`: adds or changes a competence assessed at the
/// interview, audited as `assess_competence`; a refused one comes back next to its field,
/// everything typed kept (issue 15, point 4).
pub async fn assess_competence(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<AssessForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::DESK)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        principal.authorize(Action::WritePersonCompetences)?;
        let id = EntityId::parse(&path.into_inner())?;
        let typed = form.into_inner();
        let form = typed.clone();
        let target = id.as_str().to_string();
        let language = ctx.lang.code().to_string();
        let refused = state
            .call(move |engine| {
                engine.check_job_seeker_access(&principal, Action::WritePersonCompetences, &id)?;
                let day = now(engine).date();
                let assessed =
                    super::validator::skill_of(engine, &form.skill, &form.skill_text, &language)
                        .and_then(|skill| {
                            let level = super::validator::level_of(&form.level)?;
                            engine.assess_competence(&id, &skill, level, Some(&form.note), day)
                        });
                match assessed {
                    Ok(_) => {
                        engine.audit(vec![AuditEntry::now(
                            &principal,
                            "assess_competence",
                            Some(id.as_str()),
                            None,
                            Outcome::Ok,
                        )])?;
                        Ok(None)
                    }
                    Err(error) if error.kind() == incontro_core::ErrorKind::Invalid => {
                        // The row's skill is shown by its label, as on the person page.
                        let label = match SkillUri::parse(form.skill.trim()) {
                            Ok(uri) => engine
                                .skill_labels(&[uri.as_str()], &language)?
                                .into_iter()
                                .next()
                                .flatten(),
                            Err(_) => None,
                        };
                        Ok(Some((error, label)))
                    }
                    Err(error) => Err(error),
                }
            })
            .await?;
        let Some((error, label)) = refused else {
            return Ok(ctx.see_other(&format!(
                "/console/desk/people/{target}?recorded=assessed#competences"
            )));
        };
        let mut typed = typed;
        if typed.skill_text.trim().is_empty() {
            typed.skill_text = label.unwrap_or_default();
        }
        let error = (
            super::validator::competence_field(error.code()),
            ctx.lang.error_message(error.code(), &error.to_string()),
        );
        let body = assess_body(&ctx, &target, &typed, &error);
        Ok(ctx.page(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.t("words.assess_title"),
            body,
        ))
    }
    .await;
    ctx.finish(result)
}

/// `GET /console/desk/people/{id}/conditions`
pub async fn conditions_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::DESK)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path.into_inner())?;
        let (seeker, vocabulary) = state
            .call(move |engine| {
                let seeker = engine.job_seeker_for(&principal, Action::ReadPerson, &id)?;
                engine.audit(vec![AuditEntry::now(
                    &principal,
                    "read_job_seeker",
                    Some(id.as_str()),
                    None,
                    Outcome::Ok,
                )])?;
                Ok((seeker, engine.vocabulary()?))
            })
            .await?;
        let typed = ConditionsTyped::of(&seeker);
        let body = conditions_body(&ctx, &seeker, &vocabulary, &typed, None);
        Ok(ctx.page(StatusCode::OK, ctx.t("words.conditions"), body))
    }
    .await;
    ctx.finish(result)
}

/// The conditions form as typed (numbers kept as text, so a wrong one comes back as it was).
#[derive(Debug, Clone, Default)]
struct ConditionsTyped {
    accepts_tirocinio: bool,
    contracts: Vec<String>,
    min_hours: String,
    max_hours: String,
    max_km: String,
}

impl ConditionsTyped {
    fn of(seeker: &JobSeeker) -> Self {
        let conditions = &seeker.conditions;
        let number = |value: Option<u16>| value.map(|v| v.to_string()).unwrap_or_default();
        ConditionsTyped {
            accepts_tirocinio: seeker.accepts_tirocinio,
            contracts: conditions.contract_types.clone(),
            min_hours: number(conditions.min_weekly_hours.map(u16::from)),
            max_hours: number(conditions.max_weekly_hours.map(u16::from)),
            max_km: number(conditions.max_distance_km),
        }
    }
}

/// A form error next to its field: `(field, message)`; field `hours` marks both hour fields.
type FieldError = (&'static str, String);

fn conditions_body(
    ctx: &Ctx,
    seeker: &JobSeeker,
    vocabulary: &Vocabulary,
    typed: &ConditionsTyped,
    error: Option<FieldError>,
) -> Markup {
    let errors = layout::FieldErrors(error.as_ref());
    let message = |field: &str| errors.message(field);
    let invalid = |field: &str| errors.invalid(field);
    let described = |field: &str| errors.described(field);
    let field_error = |field: &str| errors.render(field);
    html! {
        p { a href={ "/console/desk/people/" (seeker.id) } { "← " (ctx.t("desk.title")) } }
        h1 { (ctx.t("words.conditions")) }
        @if let Some(text) = message("") { p class="notice error" role="alert" id="conditions-error" { (text) } }
        form method="post" action={ "/console/desk/people/" (seeker.id) "/conditions" } class="conditions" {
            (csrf_field(ctx))
            label class="check" {
                input type="checkbox" name="accepts_tirocinio" checked[typed.accepts_tirocinio];
                (ctx.t("desk.accepts_tirocinio"))
            }
            fieldset aria-invalid=[invalid("contract")] aria-describedby=[described("contract")] {
                legend { (ctx.t("words.contract_types")) }
                p class="muted" { (ctx.t("words.contract_types_help")) }
                @for (code, label) in vocabulary.contract_types() {
                    label class="check" {
                        input type="checkbox" name="contract" value=(code) checked[typed.contracts.iter().any(|c| c == code)];
                        (label)
                    }
                }
                (field_error("contract"))
            }
            div class="row" {
                div {
                    label for="min_hours" { (ctx.t("words.min_hours")) }
                    input type="number" id="min_hours" name="min_hours" min="1" max="80" value=(typed.min_hours)
                        aria-invalid=[invalid("hours")] aria-describedby=[described("hours")];
                }
                div {
                    label for="max_hours" { (ctx.t("words.max_hours")) }
                    input type="number" id="max_hours" name="max_hours" min="1" max="80" value=(typed.max_hours)
                        aria-invalid=[invalid("hours")] aria-describedby=[described("hours")];
                }
                div {
                    label for="max_km" { (ctx.t("words.max_km")) }
                    input type="number" id="max_km" name="max_km" min="1" max="1000" value=(typed.max_km)
                        aria-invalid=[invalid("max_km")] aria-describedby=[described("max_km")];
                    (field_error("max_km"))
                }
            }
            (field_error("hours"))
            button type="submit" { (ctx.t("vacancies.save")) }
        }
    }
}

/// The field of the conditions form an engine error belongs to (`""`: the whole form).
fn conditions_field(code: incontro_core::ErrorCode) -> &'static str {
    use incontro_core::ErrorCode;
    match code {
        ErrorCode::InvalidWeeklyHours => "hours",
        ErrorCode::InvalidDistance => "max_km",
        ErrorCode::UnknownContractType => "contract",
        _ => "",
    }
}

/// `POST /console/desk/people/{id}/conditions`: audited as `set_conditions`; a refused value
/// comes back next to its field, everything typed kept (issue 15, point 4).
pub async fn set_conditions(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: String,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::DESK)?;
        // Repeated `contract` fields: read the form by hand.
        let pairs: Vec<(String, String)> = web::Query::<Vec<(String, String)>>::from_query(&body)
            .map_err(|_| Fail::bad_request("invalid form"))?
            .into_inner();
        let value = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.trim().to_string())
                .unwrap_or_default()
        };
        let user = ctx.check_csrf(&value("csrf"))?;
        let principal = user.principal.clone();
        principal.authorize(Action::WritePersonCompetences)?;
        let id = EntityId::parse(&path.into_inner())?;
        let typed = ConditionsTyped {
            accepts_tirocinio: !value("accepts_tirocinio").is_empty(),
            contracts: pairs
                .iter()
                .filter(|(key, _)| key == "contract")
                .map(|(_, code)| code.trim().to_string())
                .collect(),
            min_hours: value("min_hours"),
            max_hours: value("max_hours"),
            max_km: value("max_km"),
        };
        // A number that is not one: back to the form at once, next to its field.
        let number = |text: &str| -> Result<Option<u16>, ()> {
            match text {
                "" => Ok(None),
                text => text.parse::<u16>().map(Some).map_err(|_| ()),
            }
        };
        let hours = |text: &str| -> Result<Option<u8>, ()> {
            number(text)?
                .map(|hours| u8::try_from(hours).map_err(|_| ()))
                .transpose()
        };
        let parsed = match (
            hours(&typed.min_hours),
            hours(&typed.max_hours),
            number(&typed.max_km),
        ) {
            (Ok(min), Ok(max), Ok(km)) => Ok((min, max, km)),
            (Err(()), _, _) | (_, Err(()), _) => {
                Err(("hours", ctx.t("words.hours_invalid").to_string()))
            }
            (_, _, Err(())) => Err(("max_km", ctx.t("words.km_invalid").to_string())),
        };
        let target = id.as_str().to_string();
        let kept = typed.clone();
        let outcome = state
            .call(move |engine| {
                let seeker =
                    engine.job_seeker_for(&principal, Action::WritePersonCompetences, &id)?;
                let (min, max, km) = match parsed {
                    Ok(numbers) => numbers,
                    Err(error) => return Ok(Some((Err(error), seeker, engine.vocabulary()?))),
                };
                let conditions = WorkConditions {
                    contract_types: kept.contracts.clone(),
                    min_weekly_hours: min,
                    max_weekly_hours: max,
                    max_distance_km: km,
                };
                match engine.set_conditions(&id, kept.accepts_tirocinio, conditions) {
                    Ok(_) => {
                        engine.audit(vec![AuditEntry::now(
                            &principal,
                            "set_conditions",
                            Some(id.as_str()),
                            None,
                            Outcome::Ok,
                        )])?;
                        Ok(None)
                    }
                    Err(error) if error.kind() == incontro_core::ErrorKind::Invalid => {
                        Ok(Some((Ok(error), seeker, engine.vocabulary()?)))
                    }
                    Err(error) => Err(error),
                }
            })
            .await?;
        match outcome {
            None => Ok(ctx.see_other(&format!(
                "/console/desk/people/{target}?recorded=conditions"
            ))),
            Some((refused, seeker, vocabulary)) => {
                let error = match refused {
                    Err(error) => error,
                    Ok(error) => (
                        conditions_field(error.code()),
                        ctx.lang.error_message(error.code(), &error.to_string()),
                    ),
                };
                let body = conditions_body(&ctx, &seeker, &vocabulary, &typed, Some(error));
                Ok(ctx.page(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ctx.t("words.conditions"),
                    body,
                ))
            }
        }
    }
    .await;
    ctx.finish(result)
}

/// The "correct or withdraw" forms of one recorded proposal or placement.
pub fn placement_actions(
    ctx: &Ctx,
    person: &str,
    record: &Placement,
    courses: &[(String, String)],
) -> Markup {
    let field = |name: &str| format!("{name}-r{}", record.id);
    let tirocinio = record.placement_type == PlacementMode::Tirocinio;
    let base = format!("/console/desk/people/{person}/placements/{}", record.id);
    html! {
        details class="change" {
            summary { (ctx.t("words.correct_or_withdraw")) }
            form method="post" action={ (base) "/correct" } class="correct-form" {
                (csrf_field(ctx))
                label for=(field("type")) { (ctx.t("desk.placement")) }
                select id=(field("type")) name="placement_type" {
                    option value="contract" selected[!tirocinio] { (ctx.t("desk.contract")) }
                    option value="tirocinio" selected[tirocinio] { (ctx.t("desk.tirocinio")) }
                }
                (course_select(ctx, &field("course"), courses, record.course_ids.first().map(String::as_str)))
                label for=(field("note")) { (ctx.t("desk.note")) }
                textarea id=(field("note")) name="note" maxlength="500" rows="2" { (record.note.clone().unwrap_or_default()) }
                button type="submit" { (ctx.t("words.correct")) }
            }
            form method="post" action={ (base) "/withdraw" } class="withdraw-form" {
                (csrf_field(ctx))
                label for=(field("reason")) { (ctx.t("words.withdraw_reason")) }
                input type="text" id=(field("reason")) name="reason" maxlength="500" autocomplete="off";
                button type="submit" class="danger" { (ctx.t("words.withdraw")) }
            }
        }
    }
}

/// A select of the available courses ("none" first), for a proposal that carries a course.
pub fn course_select(
    ctx: &Ctx,
    id: &str,
    courses: &[(String, String)],
    selected: Option<&str>,
) -> Markup {
    html! {
        label for=(id) { (ctx.t("words.proposed_course")) }
        select id=(id) name="course" {
            option value="" { (ctx.t("words.no_course")) }
            @for (course_id, title) in courses {
                option value=(course_id) selected[selected == Some(course_id.as_str())] { (title) }
            }
        }
    }
}

/// The correction form.
#[derive(Debug, Deserialize)]
pub struct CorrectForm {
    csrf: String,
    placement_type: String,
    #[serde(default)]
    course: String,
    #[serde(default)]
    note: String,
}

/// `POST /console/desk/people/{id}/placements/{record}/correct`: audited as
/// `correct_placement`.
pub async fn correct_placement(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    form: web::Form<CorrectForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::DESK)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        principal.authorize(Action::RecordPlacement)?;
        let (person, record_id) = path.into_inner();
        let id = EntityId::parse(&person)?;
        let form = form.into_inner();
        let correction = PlacementCorrection {
            placement_type: PlacementMode::parse(&form.placement_type)?,
            course_ids: Some(form.course.trim().to_string())
                .filter(|course| !course.is_empty())
                .into_iter()
                .collect(),
            note: Some(form.note),
        };
        state
            .call(move |engine| {
                engine.check_job_seeker_access(&principal, Action::RecordPlacement, &id)?;
                let day = now(engine).date();
                engine.correct_placement(&id, record_id, &correction, &principal.label, day)?;
                engine.audit(vec![AuditEntry::now(
                    &principal,
                    "correct_placement",
                    Some(id.as_str()),
                    None,
                    Outcome::Ok,
                )])
            })
            .await?;
        Ok(ctx.see_other(&format!(
            "/console/desk/people/{person}?recorded=corrected#placements"
        )))
    }
    .await;
    ctx.finish(result)
}

/// The withdraw form.
#[derive(Debug, Deserialize)]
pub struct WithdrawForm {
    csrf: String,
    #[serde(default)]
    reason: String,
    /// `yes` once the desk confirmed.
    #[serde(default)]
    confirm: String,
}

/// The confirmation page of a withdrawal (issue 15, point 7): says what goes and what stays;
/// the reason typed is carried to the confirming form.
fn confirm_withdrawal(ctx: &Ctx, person: &str, record: &Placement, reason: &str) -> HttpResponse {
    let what = record
        .vacancy_title
        .clone()
        .unwrap_or_else(|| record.vacancy_id.clone());
    let body = html! {
        h1 { (ctx.t("words.confirm_withdraw_title")) }
        div class="card" id="confirm-withdraw" {
            p { (ctx.t("words.confirm_withdraw_text")) " «" (what) "»." }
            p { (ctx.t("words.confirm_withdraw_stays")) }
            form method="post" action={ "/console/desk/people/" (person) "/placements/" (record.id) "/withdraw" } {
                (csrf_field(ctx))
                input type="hidden" name="reason" value=(reason);
                input type="hidden" name="confirm" value="yes";
                button type="submit" class="danger" { (ctx.t("words.confirm_withdraw")) }
            }
            p { a href={ "/console/desk/people/" (person) "#placements" } { (ctx.t("words.confirm_withdraw_back")) } }
        }
    };
    ctx.page(StatusCode::OK, ctx.t("words.confirm_withdraw_title"), body)
}

/// `POST /console/desk/people/{id}/placements/{record}/withdraw`: asks first, then audited as
/// `withdraw_placement`.
pub async fn withdraw_placement(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    form: web::Form<WithdrawForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::DESK)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        principal.authorize(Action::RecordPlacement)?;
        let (person, record_id) = path.into_inner();
        let id = EntityId::parse(&person)?;
        let form = form.into_inner();
        let reason = form.reason;
        if form.confirm != "yes" {
            let reader = principal.clone();
            let record = state
                .call(move |engine| {
                    engine.check_job_seeker_access(&reader, Action::RecordPlacement, &id)?;
                    engine
                        .placements_for_person(&id)?
                        .into_iter()
                        .find(|record| record.id == record_id)
                        .ok_or_else(|| {
                            incontro_core::Error::not_found(
                                incontro_core::ErrorCode::NotFound,
                                "placement",
                                record_id.to_string(),
                            )
                        })
                })
                .await?;
            return Ok(confirm_withdrawal(&ctx, &person, &record, &reason));
        }
        state
            .call(move |engine| {
                engine.check_job_seeker_access(&principal, Action::RecordPlacement, &id)?;
                let day = now(engine).date();
                engine.withdraw_placement(&id, record_id, &principal.label, day, Some(&reason))?;
                engine.audit(vec![AuditEntry::now(
                    &principal,
                    "withdraw_placement",
                    Some(id.as_str()),
                    None,
                    Outcome::Ok,
                )])
            })
            .await?;
        Ok(ctx.see_other(&format!(
            "/console/desk/people/{person}?recorded=withdrawn#placements"
        )))
    }
    .await;
    ctx.finish(result)
}
