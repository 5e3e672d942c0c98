//! Desk: the courses that open the most doors for a person (`Engine::course_doors`, like
//! `GET /v1/job-seekers/{id}/course-doors`), one click from the person page.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::{
    Action, AuditEntry, Channel, Outcome, RankedItem, RankingLogEntry, RankingRequest, Whose,
};
use incontro_core::model::EntityId;
use incontro_core::training::{Door, DoorsOptions};
use incontro_core::vocabulary::Vocabulary;
use maud::html;

use super::words;
use super::{now, sections, Ctx};
use crate::state::AppState;

/// Registers the page.
pub fn configure(config: &mut web::ServiceConfig) {
    config.route("/desk/people/{id}/doors", web::get().to(doors_page));
}

/// `GET /console/desk/people/{id}/doors`
pub async fn doors_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::DESK)?;
        let principal = user.principal.clone();
        principal.authorize(Action::ReadTraining)?;
        let id = EntityId::parse(&path.into_inner())?;
        let mut options = DoorsOptions::on(now(&state.engine).date());
        options.k = 10;
        options.training.language = ctx.lang.code().to_string();
        let person = id.clone();
        let (doors, vocabulary) = state
            .call(move |engine| {
                engine.check_job_seeker_access(&principal, Action::ReadTraining, &person)?;
                let scope_offices = engine.scope_offices(&principal, Whose::Vacancies);
                options.vacancy_scope = engine.matching_scope(&principal, Whose::Vacancies)?;
                let revision = engine.data_revision()?;
                let doors = engine.course_doors(&person, &options)?;
                // Every ranking served is logged (issue 18), the console's too.
                let ranking = RankingLogEntry::new(
                    engine,
                    &principal,
                    Channel::Console,
                    revision,
                    RankingRequest::course_doors(&person, &options, scope_offices),
                    RankedItem::of_doors(&doors),
                );
                engine
                    .submit_audit_and_ranking(
                        vec![AuditEntry::now(
                            &principal,
                            "course_doors",
                            Some(person.as_str()),
                            None,
                            Outcome::Ok,
                        )],
                        ranking,
                    )?
                    .wait_for_log_id()?;
                Ok((doors, engine.vocabulary()?))
            })
            .await?;
        Ok(ctx.page(
            StatusCode::OK,
            ctx.t("words.doors"),
            body(&ctx, id.as_str(), &doors, &vocabulary),
        ))
    }
    .await;
    ctx.finish(result)
}

fn body(ctx: &Ctx, person: &str, doors: &[Door], vocabulary: &Vocabulary) -> maud::Markup {
    html! {
        p { a href={ "/console/desk/people/" (person) "#vacancies" } { "← " (ctx.t("desk.vacancies")) } }
        h1 { (ctx.t("words.doors")) }
        p class="muted" { (ctx.t("words.doors_help")) }
        @if doors.is_empty() { p id="no-doors" { (ctx.t("words.doors_none")) } }
        ol class="doors" {
            @for door in doors {
                li class="card" data-course=(door.course.course_id) {
                    h2 { (door.course.title) }
                    p class="muted" {
                        (door.course.provider) " · " (door.course.hours) " h · "
                        (words::date_short(door.course.start)) " – " (words::date_short(door.course.end)) " · "
                        @match &door.course.comune {
                            Some(comune) => { (vocabulary.comune_label(comune)) }
                            None => { (ctx.t("words.online")) }
                        }
                    }
                    p class="opens" {
                        strong { (words::count(ctx.lang, door.unlocks.len(), "words.doors_opens_one", "words.doors_opens")) }
                    }
                    ul {
                        @for vacancy in &door.unlocks {
                            li {
                                a href={ "/console/desk/people/" (person) "/vacancies/" (vacancy.vacancy_id) "/training" } { (vacancy.title) }
                                " · " (vocabulary.comune_label(&vacancy.comune)) " · "
                                (format!("{:.0}%", vacancy.score_before * 100.0)) " → "
                                strong { (format!("{:.0}%", vacancy.score_after * 100.0)) }
                            }
                        }
                    }
                }
            }
        }
    }
}
