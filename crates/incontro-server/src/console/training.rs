//! Desk: the courses that close a person's gaps for one vacancy, with the score before and
//! after (`Engine::propose_courses`, like the CLI's `incontro training propose`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::{Action, AuditEntry, Outcome};
use incontro_core::model::EntityId;
use incontro_core::training::{GapProposal, TrainingOptions};
use maud::html;

use super::words;
use super::{now, sections, Ctx};
use crate::state::AppState;
use incontro_core::vocabulary::Vocabulary;

/// Registers the training page.
pub fn configure(config: &mut web::ServiceConfig) {
    config.route(
        "/desk/people/{id}/vacancies/{vacancy}/training",
        web::get().to(training_page),
    );
}

/// `GET /console/desk/people/{id}/vacancies/{vacancy}/training`
pub async fn training_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::DESK)?;
        let principal = user.principal.clone();
        principal.authorize(Action::ReadTraining)?;
        let (person, vacancy) = path.into_inner();
        let person = EntityId::parse(&person)?;
        let vacancy = EntityId::parse(&vacancy)?;
        let mut options = TrainingOptions::on(now(&state.engine).date());
        options.language = ctx.lang.code().to_string();
        let proposal = state
            .call(move |engine| {
                engine.job_seeker_for(&principal, Action::ReadTraining, &person)?;
                engine.check_vacancy_in_scope(&principal, &vacancy)?;
                let proposal = engine.propose_courses(&person, &vacancy, &options)?;
                engine.audit(vec![AuditEntry::now(
                    &principal,
                    "propose_courses",
                    Some(person.as_str()),
                    Some(vacancy.as_str()),
                    Outcome::Ok,
                )])?;
                Ok((proposal, engine.vocabulary()?))
            })
            .await?;
        let (proposal, vocabulary) = proposal;
        Ok(ctx.page(
            StatusCode::OK,
            ctx.t("training.title"),
            body(&ctx, &proposal, &vocabulary),
        ))
    }
    .await;
    ctx.finish(result)
}

fn percent(score: f32) -> String {
    format!("{:.0}%", score * 100.0)
}

fn body(ctx: &Ctx, proposal: &GapProposal, vocabulary: &Vocabulary) -> maud::Markup {
    html! {
        p { a href={ "/console/desk/people/" (proposal.job_seeker_id) } { "← " (ctx.t("desk.vacancies")) } }
        h1 { (ctx.t("training.title")) }
        p class="muted" { (proposal.vacancy_title) }
        div class="row" id="scores" {
            div {
                p { (ctx.t("training.before")) " " strong { (percent(proposal.score_before)) } }
                meter min="0" max="1" value=(proposal.score_before) aria-label=(ctx.t("training.before")) {}
            }
            div {
                p { (ctx.t("training.after")) " " strong id="score-after" { (percent(proposal.score_after)) } }
                meter min="0" max="1" value=(proposal.score_after) aria-label=(ctx.t("training.after")) {}
            }
        }
        h2 { (ctx.t("training.gaps")) }
        @if proposal.missing.is_empty() { p { (ctx.t("training.no_gaps")) } }
        ul {
            @for gap in &proposal.missing {
                li { (gap.label) " " span class="muted" { "(" (gap.held_level) "/" (gap.required_level) ")" } }
            }
        }
        h2 { (ctx.t("training.courses")) }
        @if proposal.courses.is_empty() { p { (ctx.t("training.no_courses")) } }
        @else {
            div class="table-wrap" {
                table id="courses" class="stack" {
                    thead { tr {
                        th scope="col" { (ctx.t("training.course")) } th scope="col" { (ctx.t("training.provider")) }
                        th scope="col" { (ctx.t("training.hours")) } th scope="col" { (ctx.t("training.dates")) }
                        th scope="col" { (ctx.t("training.where")) }
                    } }
                    tbody {
                        @for course in &proposal.courses {
                            tr {
                                td data-label=(ctx.t("training.course")) { (course.title) }
                                td data-label=(ctx.t("training.provider")) { (course.provider) }
                                td data-label=(ctx.t("training.hours")) { (course.hours) }
                                td data-label=(ctx.t("training.dates")) { (words::date_short(course.start)) " – " (words::date_short(course.end)) }
                                td data-label=(ctx.t("training.where")) {
                                    @match &course.comune {
                                        Some(comune) => { (vocabulary.comune_label(comune)) }
                                        None => { (ctx.t("words.online")) }
                                    }
                                    @if let Some(km) = course.distance_km { " · " (format!("{km:.0}")) " km" }
                                }
                            }
                        }
                    }
                }
            }
            p { (ctx.t("training.total")) " " (proposal.total_hours) " h · " (proposal.total_cost_eur) " €" }
        }
        @if !proposal.untaught.is_empty() {
            h2 { (ctx.t("training.untaught")) }
            ul { @for gap in &proposal.untaught { li { (gap.label) } } }
        }
        h2 { (ctx.t("training.placement")) }
        p { strong { (proposal.placement.path.label_it()) } }
        ul { @for reason in &proposal.placement.reasons { li { (reason) } } }
    }
}
