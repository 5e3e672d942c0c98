//! Validators: competences suggested from a job ad or visit notes (issue 15, point 10). The
//! text is pasted (the vacancy's description by default), `Engine::suggest_competences` proposes
//! ESCO skills, and each comes with its level and essential/optional already set, to change
//! before adding; "add all" adds every one. Nothing is stored until added
//! (`Engine::set_requirements`, as `PUT /v1/vacancies/{id}/requirements`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::Action;
use incontro_core::model::{EntityId, Vacancy};
use incontro_core::suggest::SuggestedSkill;
use maud::{html, Markup};
use serde::Deserialize;

use super::layout::csrf_field;
use super::{sections, Ctx, Fail};
use crate::api::{self, RequirementBody};
use crate::state::AppState;

/// Most suggestions shown.
const TOP: usize = 15;

/// Registers the pages.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/vacancies/{id}/from-text", web::get().to(text_page))
        .route("/vacancies/{id}/from-text", web::post().to(suggest))
        .route(
            "/vacancies/{id}/requirements/bulk",
            web::post().to(add_suggested),
        );
}

fn text_form(ctx: &Ctx, vacancy: &Vacancy, text: &str) -> Markup {
    html! {
        p { a href={ "/console/vacancies/" (vacancy.id) } { "← " (vacancy.title) } }
        h1 { (ctx.t("vacancies.from_text")) }
        form method="post" action={ "/console/vacancies/" (vacancy.id) "/from-text" } class="from-text" {
            (csrf_field(ctx))
            label for="text" { (ctx.t("vacancies.text")) }
            textarea id="text" name="text" rows="8" maxlength="20000" required aria-describedby="text-help" { (text) }
            p id="text-help" class="muted" { (ctx.t("vacancies.text_help")) }
            button type="submit" { (ctx.t("vacancies.suggest")) }
        }
    }
}

/// `GET /console/vacancies/{id}/from-text`: the text box, with the vacancy's description.
pub async fn text_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::VALIDATOR)?;
        let principal = user.principal.clone();
        principal.authorize(Action::SuggestCompetences)?;
        let id = EntityId::parse(&path.into_inner())?;
        let vacancy = state
            .call(move |engine| engine.vacancy_for(&principal, Action::ReadVacancy, &id))
            .await?;
        let body = text_form(&ctx, &vacancy, &vacancy.description);
        Ok(ctx.page(StatusCode::OK, ctx.t("vacancies.from_text"), body))
    }
    .await;
    ctx.finish(result)
}

/// The pasted text.
#[derive(Debug, Deserialize)]
pub struct TextForm {
    csrf: String,
    text: String,
}

/// The level and kind a suggestion starts with: level 2 (intermedio); essential when the text
/// names the skill plainly (score at least 0.5), optional otherwise.
fn starting_point(skill: &SuggestedSkill) -> (u8, bool) {
    (2, skill.score >= 0.5)
}

/// `POST /console/vacancies/{id}/from-text`: the suggestions, each with level and kind to
/// adjust; skills the vacancy already requires are left out.
pub async fn suggest(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<TextForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::VALIDATOR)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        principal.authorize(Action::SuggestCompetences)?;
        let id = EntityId::parse(&path.into_inner())?;
        let text = form.into_inner().text;
        let typed = text.clone();
        let (vacancy, suggestions) = state
            .call(move |engine| {
                let vacancy = engine.vacancy_for(&principal, Action::ReadVacancy, &id)?;
                let found = engine.suggest_competences(text.as_bytes(), None, TOP)?;
                let taken: std::collections::HashSet<&str> = vacancy
                    .requirements
                    .iter()
                    .map(|requirement| requirement.skill.as_str())
                    .collect();
                let skills: Vec<SuggestedSkill> = found
                    .skills
                    .into_iter()
                    .filter(|skill| !taken.contains(skill.uri.as_str()))
                    .collect();
                Ok((vacancy, skills))
            })
            .await?;
        let body = html! {
            (text_form(&ctx, &vacancy, &typed))
            h2 id="suggested" { (ctx.t("vacancies.suggested")) }
            @if suggestions.is_empty() { p id="no-suggestions" { (ctx.t("vacancies.no_suggestions")) } }
            @else {
                form method="post" action={ "/console/vacancies/" (vacancy.id) "/requirements/bulk" } class="suggested" {
                    (csrf_field(&ctx))
                    div class="table-wrap" tabindex="0" role="region" aria-labelledby="suggested" {
                        table class="stack" {
                            thead { tr {
                                th scope="col" { (ctx.t("vacancies.add_this")) }
                                th scope="col" { (ctx.t("desk.skill")) }
                                th scope="col" { (ctx.t("desk.level")) }
                                th scope="col" { (ctx.t("vacancy.kind")) }
                            } }
                            tbody {
                                @for (index, skill) in suggestions.iter().enumerate() {
                                    @let (level, essential) = starting_point(skill);
                                    tr data-skill=(skill.uri) {
                                        td data-label=(ctx.t("vacancies.add_this")) {
                                            input type="checkbox" name="add" value=(index) checked id={ "add-" (index) }
                                                aria-label={ (ctx.t("vacancies.add_this")) ": " (skill.label) };
                                            input type="hidden" name={ "skill_" (index) } value=(skill.uri);
                                        }
                                        td data-label=(ctx.t("desk.skill")) {
                                            label for={ "add-" (index) } { (skill.label) }
                                            " " span class="muted" { "«" (skill.matched_label) "»" }
                                        }
                                        td data-label=(ctx.t("desk.level")) {
                                            select name={ "level_" (index) } aria-label={ (ctx.t("desk.level")) ": " (skill.label) } {
                                                @for value in 1..=4u8 { option value=(value) selected[value == level] { (value) } }
                                            }
                                        }
                                        td data-label=(ctx.t("vacancy.kind")) {
                                            select name={ "essential_" (index) } aria-label={ (ctx.t("vacancy.kind")) ": " (skill.label) } {
                                                option value="true" selected[essential] { (ctx.t("vacancy.essential")) }
                                                option value="false" selected[!essential] { (ctx.t("vacancy.optional")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    div class="row actions" {
                        button type="submit" name="which" value="chosen" id="add-chosen" { (ctx.t("vacancies.add_chosen")) }
                        button type="submit" name="which" value="all" id="add-all" class="secondary" { (ctx.t("vacancies.add_all")) }
                    }
                }
            }
        };
        Ok(ctx.page(StatusCode::OK, ctx.t("vacancies.from_text"), body))
    }
    .await;
    ctx.finish(result)
}

/// `POST /console/vacancies/{id}/requirements/bulk`: adds the chosen (or all) suggestions with
/// their level and kind; a skill already required is replaced.
pub async fn add_suggested(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: String,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::VALIDATOR)?;
        let pairs: Vec<(String, String)> = web::Query::<Vec<(String, String)>>::from_query(&body)
            .map_err(|_| Fail::bad_request("invalid form"))?
            .into_inner();
        let value = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        let user = ctx.check_csrf(value("csrf").unwrap_or(""))?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path.into_inner())?;
        let all = value("which") == Some("all");
        let mut chosen = Vec::new();
        for index in 0..TOP {
            let Some(skill) = value(&format!("skill_{index}")) else {
                continue;
            };
            let ticked = pairs
                .iter()
                .any(|(key, value)| key == "add" && value == &index.to_string());
            if !(all || ticked) {
                continue;
            }
            let level = value(&format!("level_{index}"))
                .and_then(|level| level.parse::<u8>().ok())
                .ok_or_else(|| Fail::bad_request("each competence needs a level from 1 to 4"))?;
            chosen.push(RequirementBody {
                skill: skill.to_string(),
                level,
                essential: value(&format!("essential_{index}")) == Some("true"),
                weight: None,
            });
        }
        let target = id.as_str().to_string();
        state
            .call(move |engine| {
                let vacancy = engine.vacancy_for(&principal, Action::WriteVacancy, &id)?;
                let added = api::requirements(chosen)?;
                let mut requirements: Vec<_> = vacancy
                    .requirements
                    .into_iter()
                    .filter(|existing| added.iter().all(|new| new.skill != existing.skill))
                    .collect();
                requirements.extend(added);
                engine.set_requirements(&id, requirements)
            })
            .await?;
        Ok(ctx.see_other(&format!("/console/vacancies/{target}#breakdown")))
    }
    .await;
    ctx.finish(result)
}
