//! Recording a proposal or a placement of the person for a ranked vacancy, from its card.

use super::person::{person_inner_with, KeptPlacement, PersonFilters, PersonView};
use crate::console::layout::csrf_field;
use crate::console::{now, sections, Ctx, Fail};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use incontro_core::access::{Action, AuditEntry, Outcome};
use incontro_core::matching::VacancyMatch;
use incontro_core::model::{EntityId, PlacementType};
use incontro_core::placements::{NewPlacement, PlacementKind, PlacementMode};
use maud::{html, Markup};
use serde::Deserialize;

/// The small "record a proposal or a placement" form of one ranked vacancy.
pub(super) fn placement_form(
    ctx: &Ctx,
    view: &PersonView,
    found: &VacancyMatch,
    back: &str,
) -> Markup {
    let field = |name: &str| format!("{name}-{}", found.vacancy_id);
    let kept = view
        .kept
        .as_ref()
        .filter(|kept| kept.vacancy == found.vacancy_id);
    let tirocinio = match kept {
        Some(kept) => kept.placement_type == "tirocinio",
        None => matches!(found.placement, PlacementType::Tirocinio { .. }),
    };
    let placement_kind = kept.map_or("proposal", |kept| kept.kind.as_str());
    html! {
        details class="record" open[kept.is_some()] {
            summary { (ctx.t("desk.record")) }
            form method="post" action={ "/console/desk/people/" (view.seeker.id) "/placements" } class="placement-form" {
                (csrf_field(ctx))
                input type="hidden" name="vacancy" value=(found.vacancy_id);
                input type="hidden" name="back" value=(back);
                div class="row" {
                    div {
                        label for=(field("kind")) { (ctx.t("desk.kind")) }
                        select id=(field("kind")) name="kind" {
                            option value="proposal" selected[placement_kind == "proposal"] { (ctx.t("desk.proposal")) }
                            option value="placement" selected[placement_kind == "placement"] { (ctx.t("desk.placement_kind")) }
                        }
                    }
                    div {
                        label for=(field("type")) { (ctx.t("desk.placement")) }
                        select id=(field("type")) name="placement_type" {
                            option value="contract" selected[!tirocinio] { (ctx.t("desk.contract")) }
                            option value="tirocinio" selected[tirocinio] { (ctx.t("desk.tirocinio")) }
                        }
                    }
                }
                (crate::console::person_edits::course_select(ctx, &field("course"), &view.courses, kept.map(|kept| kept.course.as_str()).filter(|course| !course.is_empty())))
                label for=(field("note")) { (ctx.t("desk.note")) }
                textarea id=(field("note")) name="note" maxlength="500" rows="2"
                    aria-invalid=[kept.map(|_| "true")]
                    aria-describedby={ (field("note-help")) @if kept.is_some() { " " (field("record-error")) } } {
                    @if let Some(kept) = kept { (kept.note) }
                }
                p id=(field("note-help")) class="muted" { (ctx.t("desk.note_help")) }
                @if let Some(kept) = kept {
                    p class="field-error record-error" id=(field("record-error")) role="alert" data-code=(kept.code) { (kept.error) }
                }
                button type="submit" { (ctx.t("desk.record_submit")) }
            }
        }
    }
}

/// The "record a proposal or a placement" form.
#[derive(Debug, Deserialize)]
pub struct PlacementForm {
    csrf: String,
    vacancy: String,
    kind: String,
    placement_type: String,
    #[serde(default)]
    course: String,
    #[serde(default)]
    note: String,
    /// The page's filters (a query string), kept on the way back.
    #[serde(default)]
    back: String,
}

/// `POST /console/desk/people/{id}/placements`: records a proposal or a placement for a person
/// of the caller's office (`Engine::record_placement`), audited as `record_placement`.
pub async fn record_placement(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<PlacementForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::DESK)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        principal.authorize(Action::RecordPlacement)?;
        let id = EntityId::parse(&path.into_inner())?;
        let form = form.into_inner();
        let form_back = form.back.clone();
        let record = NewPlacement {
            job_seeker_id: id.clone(),
            vacancy_id: EntityId::parse(&form.vacancy)?,
            kind: PlacementKind::parse(&form.kind)?,
            placement_type: PlacementMode::parse(&form.placement_type)?,
            course_ids: Some(form.course.trim().to_string())
                .filter(|course| !course.is_empty())
                .into_iter()
                .collect(),
            note: Some(form.note),
            recorded_by: principal.label.clone(),
        };
        let kind = record.kind;
        let target = id.as_str().to_string();
        let vacancy = record.vacancy_id.as_str().to_string();
        let back = PersonFilters::from_query(&form_back);
        let typed = (
            form.kind.clone(),
            form.placement_type.clone(),
            form.course.clone(),
            record.note.clone().unwrap_or_default(),
        );
        let recorded = state
            .call(move |engine| {
                engine.check_job_seeker_access(&principal, Action::RecordPlacement, &id)?;
                engine.check_vacancy_in_scope(&principal, &record.vacancy_id)?;
                let stored = engine.record_placement(&record, now(engine).date())?;
                engine.audit(vec![AuditEntry::now(
                    &principal,
                    "record_placement",
                    Some(id.as_str()),
                    Some(&stored.vacancy_id),
                    Outcome::Ok,
                )])
            })
            .await;
        // Refused (already proposed, the vacancy closed meanwhile, a note too long): the page
        // again with the form open on its card, the reason next to it, everything typed kept.
        if let Err(error) = &recorded {
            if matches!(
                error.code().kind(),
                incontro_core::ErrorKind::Invalid | incontro_core::ErrorKind::Conflict
            ) {
                let (kind, placement_type, course, note) = typed;
                let kept = KeptPlacement {
                    vacancy: vacancy.clone(),
                    kind,
                    placement_type,
                    course,
                    note,
                    error: Fail::from(error.clone()).message_in(ctx.lang),
                    code: error.code().as_str(),
                };
                return person_inner_with(&ctx, &state, target, back, Some(kept)).await;
            }
        }
        recorded?;
        // Back to the same card, with the page's filters kept (issue 15, point 6).
        let mut query = back.query();
        if !query.is_empty() {
            query.push('&');
        }
        Ok(ctx.see_other(&format!(
            "/console/desk/people/{target}?{query}recorded={}&recorded_vacancy={vacancy}#vacancy-{vacancy}",
            kind.as_str()
        )))
    }
    .await;
    ctx.finish(result)
}
