//! The vacancy page: its competence breakdown, the notices of a removal and the level choices.

use super::requirements::RequirementForm;
use super::status_tag;
use crate::console::layout::{self, csrf_field};
use crate::console::{sections, Ctx, Fail};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::Action;
use incontro_core::model::{Company, EntityId, PlacementType, Vacancy, VacancyStatus};
use incontro_core::taxonomy::ConceptRef;
use maud::{html, Markup};
use serde::Deserialize;

/// What the vacancy page shows.
pub(super) struct VacancyView {
    /// The contract in words (issue 15).
    contract: String,
    pub(super) vacancy: Vacancy,
    company: Company,
    labels: Vec<String>,
    occupation: Option<String>,
    suggestions: Vec<ConceptRef>,
}

/// `GET /console/vacancies/{id}`
pub async fn vacancy_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    removed: web::Query<RemovedQuery>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::VALIDATOR)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path)?;
        let view = load_view(&ctx, &state, principal, id).await?;
        let body = html! {
            (removed_notice(&ctx, &view, &removed))
            (vacancy_body(&ctx, &view, None))
        };
        Ok(ctx.page(StatusCode::OK, &view.vacancy.title, body))
    }
    .await;
    ctx.finish(result)
}

/// What the vacancy page shows, read for `principal`.
pub(super) async fn load_view(
    ctx: &Ctx,
    state: &AppState,
    principal: incontro_core::access::Principal,
    id: EntityId,
) -> Result<VacancyView, Fail> {
    let language = ctx.lang.code().to_string();
    let view = state
        .call(move |engine| {
            let vacancy = engine.vacancy_for(&principal, Action::ReadVacancy, &id)?;
            let company = engine.get_company(&vacancy.company_id)?;
            let uris: Vec<&str> = vacancy
                .requirements
                .iter()
                .map(|r| r.skill.as_str())
                .collect();
            let labels = engine
                .skill_labels(&uris, &language)?
                .into_iter()
                .zip(&uris)
                .map(|(label, uri)| label.unwrap_or_else(|| uri.to_string()))
                .collect();
            let (occupation, suggestions) = match &vacancy.occupation {
                Some(uri) => match engine.occupation_detail(uri.as_str(), &language) {
                    Ok(detail) => {
                        let taken: std::collections::HashSet<&str> = uris.iter().copied().collect();
                        let suggestions = detail
                            .essential_skills
                            .into_iter()
                            .filter(|skill| !taken.contains(skill.uri.as_str()))
                            .collect();
                        (Some(detail.occupation.label), suggestions)
                    }
                    Err(_) => (Some(uri.as_str().to_string()), Vec::new()),
                },
                None => (None, Vec::new()),
            };
            let words = engine.vocabulary()?;
            let contract = match &vacancy.placement {
                PlacementType::Contract { contract_type } => words
                    .contract_type(contract_type)
                    .map_or_else(|| contract_type.clone(), str::to_string),
                PlacementType::Tirocinio { .. } => String::new(),
            };
            Ok(VacancyView {
                contract,
                vacancy,
                company,
                labels,
                occupation,
                suggestions,
            })
        })
        .await?;
    Ok(view)
}

fn level_options(ctx: &Ctx, selected: u8) -> Markup {
    level_options_typed(ctx, &selected.to_string())
}

/// The four levels, `typed` selected; a typed value that is no level is kept as one more option
/// (so that a refused form shows what was sent).
pub(in crate::console) fn level_options_typed(ctx: &Ctx, typed: &str) -> Markup {
    let typed = typed.trim();
    let known = (1..=4u8).any(|level| level.to_string() == typed);
    html! {
        @for level in 1..=4u8 {
            option value=(level) selected[level.to_string() == typed] { (level) " – " (ctx.t(level_key(level))) }
        }
        @if !known && !typed.is_empty() {
            option value=(typed) selected { (typed) }
        }
    }
}

fn level_key(level: u8) -> &'static str {
    match level {
        1 => "level.1",
        2 => "level.2",
        3 => "level.3",
        _ => "level.4",
    }
}

/// The competence just removed (issue 15, point 7), to offer its undo.
#[derive(Debug, Default, Deserialize)]
pub struct RemovedQuery {
    removed: Option<String>,
    label: Option<String>,
    level: Option<u8>,
    essential: Option<bool>,
}

/// "Removed: … — Annulla": puts the competence back as it was (audited).
fn removed_notice(ctx: &Ctx, view: &VacancyView, removed: &RemovedQuery) -> Markup {
    let (Some(skill), Some(level), Some(essential)) =
        (&removed.removed, removed.level, removed.essential)
    else {
        return html! {};
    };
    let label = removed.label.clone().unwrap_or_else(|| skill.clone());
    html! {
        div class="notice ok" role="status" id="removed" {
            (ctx.t("vacancy.removed")) " «" (label) "». "
            form method="post" action={ "/console/vacancies/" (view.vacancy.id) "/requirements" } class="inline" {
                (csrf_field(ctx))
                input type="hidden" name="skill" value=(skill);
                input type="hidden" name="skill_text" value=(label);
                input type="hidden" name="level" value=(level);
                input type="hidden" name="essential" value=(essential);
                input type="hidden" name="restore" value="yes";
                button type="submit" class="secondary" { (ctx.t("vacancy.undo_remove")) }
            }
        }
    }
}

/// A requirement form the engine refused, as typed, with its error next to its field (issue 15,
/// point 4): `skill`, `level` or `""` (the add form's own) on the add form, `row-level` on the
/// level edited in place of the row of `typed.skill`.
pub struct KeptRequirement {
    pub(super) typed: RequirementForm,
    pub(super) error: (&'static str, String),
}

impl KeptRequirement {
    /// Whether the error belongs to the level edited in place of the row of `skill`.
    fn on_row(&self, skill: &str) -> bool {
        self.typed.edit == "level" && self.typed.skill.trim() == skill
    }
}

pub(super) fn vacancy_body(
    ctx: &Ctx,
    view: &VacancyView,
    kept: Option<&KeptRequirement>,
) -> Markup {
    let vacancy = &view.vacancy;
    let base = format!("/console/vacancies/{}", vacancy.id);
    let may_validate = ctx
        .user
        .as_ref()
        .is_some_and(|user| user.role().allows(Action::ValidateVacancy));
    // The add form's error and what was typed in it; the row's level when the error is its.
    let add_kept = kept.filter(|kept| kept.typed.edit != "level");
    let add_errors = layout::FieldErrors(add_kept.map(|kept| &kept.error));
    let typed_text = add_kept.map_or("", |kept| kept.typed.skill_text.as_str());
    let typed_skill = add_kept.map_or("", |kept| kept.typed.skill.as_str());
    let typed_level = add_kept.map_or("2", |kept| kept.typed.level.as_str());
    let typed_optional = add_kept.is_some_and(|kept| kept.typed.essential == "false");
    let skill_described = match add_errors.described("skill") {
        Some(error) => format!("skill-help {error}"),
        None => "skill-help".to_string(),
    };
    html! {
        p { a href={ "/console/companies/" (view.company.id) } { "← " (view.company.name) } }
        h1 { (vacancy.title) }
        p { (status_tag(ctx, &vacancy.status)) }
        p class="muted" {
            @match &vacancy.placement {
                PlacementType::Contract { .. } => { span id="contract" { (view.contract) } }
                PlacementType::Tirocinio { months, monthly_indemnity_eur } => {
                    span id="contract" { (ctx.t("desk.tirocinio")) " " (months) " " (ctx.t("desk.months")) ", " (monthly_indemnity_eur) " € " (ctx.t("vacancies.per_month")) }
                }
            }
            " · " (vacancy.positions) " " (ctx.t("vacancy.positions_short"))
            @if let Some(occupation) = &view.occupation { " · ESCO: " (occupation) }
        }
        @if !vacancy.description.is_empty() { p { (vacancy.description) } }
        h2 id="breakdown" { (ctx.t("vacancy.breakdown")) }
        @if vacancy.requirements.is_empty() { p { (ctx.t("vacancy.no_requirements")) } }
        @else {
            div class="table-wrap" {
                table id="requirements" {
                    thead { tr {
                        th scope="col" { (ctx.t("desk.skill")) } th scope="col" { (ctx.t("desk.level")) }
                        th scope="col" { (ctx.t("vacancy.kind")) } th scope="col" { span class="muted" { (ctx.t("vacancy.actions")) } }
                    } }
                    tbody {
                        @for (requirement, label) in vacancy.requirements.iter().zip(&view.labels) {
                            @let row_kept = kept.filter(|kept| kept.on_row(requirement.skill.as_str()));
                            @let row_errors = layout::FieldErrors(row_kept.map(|kept| &kept.error));
                            tr data-skill=(requirement.skill.as_str()) {
                                td { (label) }
                                td {
                                    // The level edited in place (issue 15).
                                    form method="post" action={ (base) "/requirements" } class="inline level-edit" {
                                        (csrf_field(ctx))
                                        input type="hidden" name="skill" value=(requirement.skill.as_str());
                                        input type="hidden" name="essential" value=(requirement.essential);
                                        input type="hidden" name="edit" value="level";
                                        select name="level" aria-label={ (ctx.t("desk.level")) ": " (label) }
                                            aria-invalid=[row_errors.invalid("row-level")] aria-describedby=[row_errors.described("row-level")] {
                                            @match row_kept {
                                                Some(kept) => { (level_options_typed(ctx, &kept.typed.level)) }
                                                None => { (level_options(ctx, requirement.level.get())) }
                                            }
                                        }
                                        " " button type="submit" class="secondary" aria-label={ (ctx.t("vacancies.save_level")) ": " (label) } { (ctx.t("vacancies.save_level")) }
                                        (row_errors.render("row-level"))
                                    }
                                }
                                td { @if requirement.essential { (ctx.t("vacancy.essential")) } @else { (ctx.t("vacancy.optional")) } }
                                td {
                                    form method="post" action={ (base) "/requirements/remove" } class="inline" {
                                        (csrf_field(ctx))
                                        input type="hidden" name="skill" value=(requirement.skill.as_str());
                                        input type="hidden" name="label" value=(label);
                                        button type="submit" class="secondary" aria-label={ (ctx.t("vacancy.remove")) ": " (label) } { (ctx.t("vacancy.remove")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if matches!(vacancy.status, VacancyStatus::Validated { .. }) {
            p class="notice info" id="draft-warning" role="note" { (ctx.t("vacancy.back_to_draft")) }
        }
        p { a id="from-text" href={ (base) "/from-text" } { (ctx.t("vacancies.from_text")) } }
        h3 id="add" { (ctx.t("vacancy.add")) }
        form method="post" action={ (base) "/requirements" } id="add-requirement" {
            (csrf_field(ctx))
            @if let Some(text) = add_errors.message("") { p class="notice error" role="alert" id="add-requirement-error" { (text) } }
            div class="typeahead" id="skill-box" data-url="/console/api/skills" data-lang=(ctx.lang.code()) {
                label for="skill-text" { (ctx.t("vacancy.skill_search")) }
                input type="search" id="skill-text" name="skill_text" autocomplete="off" role="combobox"
                    aria-autocomplete="list" aria-expanded="false" aria-controls="skill-list"
                    aria-describedby=(skill_described) aria-invalid=[add_errors.invalid("skill")]
                    required minlength="2" value=(typed_text);
                input type="hidden" name="skill" value=(typed_skill);
                ul id="skill-list" role="listbox" aria-label=(ctx.t("vacancy.skill_search")) {}
                p class="chosen" aria-live="polite" {}
                p id="skill-help" class="muted" { (ctx.t("vacancy.skill_help")) }
                (add_errors.render("skill"))
            }
            div class="row" {
                div {
                    label for="level" { (ctx.t("desk.level")) }
                    select id="level" name="level" aria-invalid=[add_errors.invalid("level")] aria-describedby=[add_errors.described("level")] {
                        (level_options_typed(ctx, typed_level))
                    }
                    (add_errors.render("level"))
                }
                div {
                    fieldset {
                        legend { (ctx.t("vacancy.kind")) }
                        label class="check" { input type="radio" name="essential" value="true" checked[!typed_optional]; (ctx.t("vacancy.essential")) }
                        label class="check" { input type="radio" name="essential" value="false" checked[typed_optional]; (ctx.t("vacancy.optional")) }
                    }
                }
            }
            button type="submit" { (ctx.t("vacancy.add_button")) }
        }
        @if !view.suggestions.is_empty() {
            h3 id="suggestions" { (ctx.t("vacancy.suggestions")) }
            p class="muted" { (ctx.t("vacancy.suggestions_help")) }
            ul class="suggestions" {
                @for skill in &view.suggestions {
                    li {
                        form method="post" action={ (base) "/requirements" } class="inline" {
                            (csrf_field(ctx))
                            input type="hidden" name="skill" value=(skill.uri);
                            input type="hidden" name="skill_text" value=(skill.label);
                            input type="hidden" name="level" value="2";
                            input type="hidden" name="essential" value="true";
                            button type="submit" class="secondary" aria-label={ (ctx.t("vacancy.add_button")) ": " (skill.label) } { "+ " }
                        }
                        " " (skill.label)
                    }
                }
            }
        }
        h2 id="validation" { (ctx.t("vacancy.validation")) }
        @match &vacancy.status {
            VacancyStatus::Validated { by, on } => {
                p id="validated" { (ctx.t("vacancy.validated_by")) " " strong { (by) } " " (ctx.t("vacancy.on")) " " (crate::console::words::date_long(ctx.lang, *on)) }
            }
            VacancyStatus::Closed => { p { (ctx.t("vacancy.closed")) } }
            VacancyStatus::Draft => {
                @if may_validate {
                    form method="post" action={ (base) "/validate" } {
                        (csrf_field(ctx))
                        p { (ctx.t("vacancy.validate_help")) }
                        button type="submit" id="validate" disabled[vacancy.requirements.is_empty()]
                            aria-describedby=[vacancy.requirements.is_empty().then_some("validate-why")] { (ctx.t("vacancy.validate")) }
                        @if vacancy.requirements.is_empty() {
                            " " span id="validate-why" class="muted" { (ctx.t("vacancy.validate_why")) }
                        }
                    }
                } @else {
                    p { (ctx.t("vacancy.validate_not_allowed")) }
                }
            }
        }
    }
}
