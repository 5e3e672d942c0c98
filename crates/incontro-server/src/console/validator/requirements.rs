//! The forms of the vacancy page: adding, changing and removing requirements, and validating.

use super::vacancy::{load_view, vacancy_body, KeptRequirement};
use crate::api::{self, RequirementBody};
use crate::console::layout::csrf_field;
use crate::console::{now, sections, Ctx};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::Action;
use incontro_core::model::{EntityId, VacancyStatus};
use incontro_core::ErrorCode;
use maud::html;
use serde::Deserialize;

/// Adding one requirement (or changing the level of one, `edit=level`), as typed: numbers are
/// kept as text so that a refused one comes back as it was.
#[derive(Debug, Clone, Deserialize)]
pub struct RequirementForm {
    csrf: String,
    #[serde(default)]
    pub(super) skill: String,
    #[serde(default)]
    pub(super) skill_text: String,
    #[serde(default)]
    pub(super) level: String,
    #[serde(default)]
    pub(super) essential: String,
    /// `level` when the form is the level edited in place of a row.
    #[serde(default)]
    pub(super) edit: String,
    /// `yes` when this puts back a competence just removed (audited as its undo).
    #[serde(default)]
    restore: String,
}

/// The skill of a form: its URI when the type-ahead chose one, else the best label match of the
/// text typed (without the script); an error naming the `skill` field otherwise.
pub(in crate::console) fn skill_of(
    engine: &incontro_core::Engine,
    uri: &str,
    text: &str,
    language: &str,
) -> incontro_core::Result<incontro_core::model::SkillUri> {
    let uri = uri.trim();
    if !uri.is_empty() {
        return incontro_core::model::SkillUri::parse(uri);
    }
    let text = text.trim();
    if text.chars().count() < 2 {
        return Err(incontro_core::Error::invalid(
            ErrorCode::MissingField,
            "choose a competence from the list",
        ));
    }
    let hits = engine.skill_search(text, language, 1)?;
    let Some(hit) = hits.into_iter().next() else {
        return Err(incontro_core::Error::invalid(
            ErrorCode::UnknownSkill,
            "no skill matches this text; pick one from the list",
        ));
    };
    incontro_core::model::SkillUri::parse(&hit.uri)
}

/// A level typed in a form, 1..=4.
pub(in crate::console) fn level_of(
    typed: &str,
) -> incontro_core::Result<incontro_core::model::Level> {
    let value = typed.trim().parse::<u8>().map_err(|_| {
        incontro_core::Error::invalid(ErrorCode::InvalidLevel, "level must be 1 to 4")
    })?;
    incontro_core::model::Level::new(value)
}

/// The field of a competence form an engine error belongs to (`""`: the whole form).
pub(in crate::console) fn competence_field(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::UnknownSkill
        | ErrorCode::InvalidSkillUri
        | ErrorCode::MissingField
        | ErrorCode::QueryTooShort => "skill",
        ErrorCode::InvalidLevel => "level",
        ErrorCode::NoteTooLong => "note",
        _ => "",
    }
}

/// `POST /console/vacancies/{id}/requirements`: adds (or replaces) one requirement through
/// `Engine::set_requirements`, like `PUT /v1/vacancies/{id}/requirements`. A refused one comes
/// back on the vacancy page next to its field, everything typed kept (issue 15, point 4).
pub async fn add_requirement(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<RequirementForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::VALIDATOR)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path)?;
        let typed = form.into_inner();
        let form = typed.clone();
        let language = ctx.lang.code().to_string();
        let writer = principal.clone();
        let vacancy_id = id.clone();
        let refused = state
            .call(move |engine| {
                let vacancy = engine.vacancy_for(&writer, Action::WriteVacancy, &vacancy_id)?;
                let added =
                    skill_of(engine, &form.skill, &form.skill_text, &language).and_then(|skill| {
                        let level = level_of(&form.level)?;
                        api::requirements(vec![RequirementBody {
                            skill: skill.as_str().to_string(),
                            level: level.get(),
                            essential: form.essential == "true",
                            weight: None,
                        }])
                    });
                let outcome = added.and_then(|added| {
                    let mut requirements: Vec<_> = vacancy
                        .requirements
                        .into_iter()
                        .filter(|existing| added.iter().all(|new| new.skill != existing.skill))
                        .collect();
                    requirements.extend(added);
                    engine.set_requirements(&vacancy_id, requirements)
                });
                match outcome {
                    Ok(_) => {
                        // The undo of a removal is audited once it is done.
                        if form.restore == "yes" {
                            engine.audit(vec![incontro_core::access::AuditEntry::now(
                                &writer,
                                "requirement_restored",
                                None,
                                Some(vacancy_id.as_str()),
                                incontro_core::access::Outcome::Ok,
                            )])?;
                        }
                        Ok(None)
                    }
                    Err(error) if error.kind() == incontro_core::ErrorKind::Invalid => {
                        Ok(Some(error))
                    }
                    Err(error) => Err(error),
                }
            })
            .await?;
        let Some(error) = refused else {
            return Ok(ctx.see_other(&format!("/console/vacancies/{}#breakdown", path.as_str())));
        };
        let field = match (typed.edit.as_str(), competence_field(error.code())) {
            ("level", _) => "row-level",
            (_, field) => field,
        };
        let message = ctx.lang.error_message(error.code(), &error.to_string());
        let kept = KeptRequirement {
            typed,
            error: (field, message),
        };
        let view = load_view(&ctx, &state, principal, id).await?;
        let body = vacancy_body(&ctx, &view, Some(&kept));
        Ok(ctx.page(StatusCode::UNPROCESSABLE_ENTITY, &view.vacancy.title, body))
    }
    .await;
    ctx.finish(result)
}

/// Removing one requirement.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    csrf: String,
    skill: String,
    #[serde(default)]
    label: String,
    /// `yes` once the validator confirmed.
    #[serde(default)]
    confirm: String,
}

/// `POST /console/vacancies/{id}/requirements/remove`
pub async fn remove_requirement(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<RemoveForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::VALIDATOR)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path)?;
        let skill = form.skill.trim().to_string();
        let label = form.label.trim().to_string();
        if form.confirm != "yes" {
            // Removing asks first, and says a validated vacancy goes back to draft.
            let check = id.clone();
            let vacancy = state
                .call(move |engine| engine.vacancy_for(&principal, Action::WriteVacancy, &check))
                .await?;
            let validated = matches!(vacancy.status, VacancyStatus::Validated { .. });
            let body = html! {
                h1 { (ctx.t("vacancy.confirm_remove_title")) }
                div class="card" id="confirm-remove" {
                    p { (ctx.t("vacancy.confirm_remove_text")) " «" (label) "» (" (vacancy.title) ")." }
                    @if validated { p class="notice info" { (ctx.t("vacancy.back_to_draft")) } }
                    form method="post" action={ "/console/vacancies/" (id) "/requirements/remove" } {
                        (csrf_field(&ctx))
                        input type="hidden" name="skill" value=(skill);
                        input type="hidden" name="label" value=(label);
                        input type="hidden" name="confirm" value="yes";
                        button type="submit" class="danger" { (ctx.t("vacancy.confirm_remove")) }
                    }
                    p { a href={ "/console/vacancies/" (id) "#breakdown" } { (ctx.t("vacancy.confirm_back")) } }
                }
            };
            return Ok(ctx.page(StatusCode::OK, ctx.t("vacancy.confirm_remove_title"), body));
        }
        let removed_skill = skill.clone();
        let removed = state
            .call(move |engine| {
                let vacancy = engine.vacancy_for(&principal, Action::WriteVacancy, &id)?;
                let removed = vacancy
                    .requirements
                    .iter()
                    .find(|existing| existing.skill.as_str() == skill)
                    .cloned();
                let requirements = vacancy
                    .requirements
                    .into_iter()
                    .filter(|existing| existing.skill.as_str() != skill)
                    .collect();
                engine.set_requirements(&id, requirements)?;
                engine.audit(vec![incontro_core::access::AuditEntry::now(
                    &principal,
                    "requirement_removed",
                    None,
                    Some(id.as_str()),
                    incontro_core::access::Outcome::Ok,
                )])?;
                Ok(removed)
            })
            .await?;
        let Some(removed) = removed else {
            return Ok(ctx.see_other(&format!("/console/vacancies/{}#breakdown", path.as_str())));
        };
        let query = serde_urlencoded::to_string([
            ("removed", removed_skill.as_str()),
            ("label", label.as_str()),
            ("level", &removed.level.get().to_string()),
            ("essential", if removed.essential { "true" } else { "false" }),
        ])
        .unwrap_or_default();
        Ok(ctx.see_other(&format!(
            "/console/vacancies/{}?{query}#removed",
            path.as_str()
        )))
    }
    .await;
    ctx.finish(result)
}

/// The validation form.
#[derive(Debug, Deserialize)]
pub struct ValidateForm {
    csrf: String,
}

/// `POST /console/vacancies/{id}/validate`: draft → validated by the signed-in validator today.
pub async fn validate(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ValidateForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::VALIDATOR)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        principal.authorize(Action::ValidateVacancy)?;
        let id = EntityId::parse(&path)?;
        let today = now(&state.engine).date();
        state
            .call(move |engine| {
                engine.vacancy_for(&principal, Action::ValidateVacancy, &id)?;
                engine.validate_vacancy(&id, &principal.label, today)
            })
            .await?;
        Ok(ctx.see_other(&format!("/console/vacancies/{}#validation", path.as_str())))
    }
    .await;
    ctx.finish(result)
}
