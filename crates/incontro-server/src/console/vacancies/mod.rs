//! Vacancies as the desk works them (issue 15): the office's vacancies, a vacancy page
//! (description, positions, dates, status, contract in words) with its ranked candidates and the
//! explanation of each score, edit (back to draft) and close; a new company; and the validators'
//! queue of drafts waiting for validation. Same engine calls and checks as the `/v1` routes.

mod companies;
mod edit;
mod page;

use super::words;
use super::{now, sections, Ctx};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use companies::{company_page, create_company, new_company_page};
use edit::{close, edit, edit_page};
use incontro_core::access::{StatusFilter, VacancyFilter};
use incontro_core::model::{Vacancy, VacancyStatus};
use incontro_core::vocabulary::Vocabulary;
use maud::{html, Markup};
use page::vacancy_page;

/// Registers the pages (before the validator's `/vacancies/{id}`).
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/offers", web::get().to(list_page))
        .route("/offers/{id}", web::get().to(vacancy_page))
        .route("/offers/{id}/edit", web::get().to(edit_page))
        .route("/offers/{id}/edit", web::post().to(edit))
        .route("/offers/{id}/close", web::post().to(close))
        .route("/employers/new", web::get().to(new_company_page))
        .route("/employers", web::post().to(create_company))
        .route("/employers/{id}", web::get().to(company_page))
        .route("/drafts", web::get().to(drafts_page));
}

fn status_tag(ctx: &Ctx, status: &VacancyStatus) -> Markup {
    match status {
        VacancyStatus::Draft => html! { span class="tag draft" { (ctx.t("vacancy.draft")) } },
        VacancyStatus::Validated { by, on } => html! {
            span class="tag validated" { (ctx.t("vacancy.validated")) }
            " " span class="muted" { (by) ", " (words::date_short(*on)) }
        },
        VacancyStatus::Closed => html! { span class="tag closed" { (ctx.t("vacancy.closed")) } },
    }
}

/// `GET /console/offers`: the office's vacancies, open first.
pub async fn list_page(ctx: Ctx, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::DESK)?;
        let principal = user.principal.clone();
        let (vacancies, vocabulary) = state
            .call(move |engine| {
                let filter = VacancyFilter {
                    company_id: None,
                    comune: None,
                    status: None::<StatusFilter>,
                };
                let (mut vacancies, _) = engine.vacancies_visible_to(&principal, &filter, 500, 0)?;
                vacancies.sort_by_key(|vacancy| {
                    (
                        match vacancy.status {
                            VacancyStatus::Validated { .. } => 0,
                            VacancyStatus::Draft => 1,
                            VacancyStatus::Closed => 2,
                        },
                        vacancy.title.clone(),
                    )
                });
                Ok((vacancies, engine.vocabulary()?))
            })
            .await?;
        let body = html! {
            h1 { (ctx.t("vacancies.title")) }
            p { a href="/console/employers/new" class="button" { (ctx.t("vacancies.new_company")) } }
            (vacancy_table(&ctx, &vacancies, &vocabulary, "/console/offers/"))
        };
        Ok(ctx.page(StatusCode::OK, ctx.t("vacancies.title"), body))
    }
    .await;
    ctx.finish(result)
}

fn vacancy_table(ctx: &Ctx, vacancies: &[Vacancy], vocabulary: &Vocabulary, base: &str) -> Markup {
    html! {
        @if vacancies.is_empty() { p { (ctx.t("vacancies.none")) } }
        @else {
            div class="table-wrap" {
                table class="stack vacancies" {
                    thead { tr {
                        th scope="col" { (ctx.t("vacancy.title_field")) }
                        th scope="col" { (ctx.t("words.comune")) }
                        th scope="col" { (ctx.t("vacancy.placement")) }
                        th scope="col" { (ctx.t("vacancy.positions")) }
                        th scope="col" { (ctx.t("vacancy.opens")) }
                        th scope="col" { (ctx.t("vacancies.status")) }
                    } }
                    tbody {
                        @for vacancy in vacancies {
                            tr data-vacancy=(vacancy.id) {
                                th scope="row" data-label=(ctx.t("vacancy.title_field")) { a href={ (base) (vacancy.id) } { (vacancy.title) } }
                                td data-label=(ctx.t("words.comune")) { (vocabulary.comune_label(vacancy.comune.as_str())) }
                                td data-label=(ctx.t("vacancy.placement")) { (words::placement(ctx.lang, vocabulary, &vacancy.placement)) }
                                td data-label=(ctx.t("vacancy.positions")) { (vacancy.positions) }
                                td data-label=(ctx.t("vacancy.opens")) { (words::date_short(vacancy.opens)) }
                                td data-label=(ctx.t("vacancies.status")) { (status_tag(ctx, &vacancy.status)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /console/drafts`: the validators' queue, oldest opening first, each draft linked to
/// its competence breakdown.
pub async fn drafts_page(ctx: Ctx, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::VALIDATOR)?;
        let principal = user.principal.clone();
        let today = now(&state.engine).date();
        let (drafts, vocabulary) = state
            .call(move |engine| Ok((engine.drafts_to_validate(&principal)?, engine.vocabulary()?)))
            .await?;
        let body = html! {
            h1 { (ctx.t("vacancies.drafts")) }
            p class="muted" { (ctx.t("vacancies.drafts_help")) }
            @if drafts.is_empty() { p id="no-drafts" { (ctx.t("vacancies.no_drafts")) } }
            @else {
                div class="table-wrap" {
                    table class="stack drafts" {
                        thead { tr {
                            th scope="col" { (ctx.t("vacancy.title_field")) }
                            th scope="col" { (ctx.t("words.comune")) }
                            th scope="col" { (ctx.t("vacancy.opens")) }
                            th scope="col" { (ctx.t("vacancy.breakdown")) }
                        } }
                        tbody {
                            @for vacancy in &drafts {
                                tr data-vacancy=(vacancy.id) {
                                    th scope="row" data-label=(ctx.t("vacancy.title_field")) { a href={ "/console/vacancies/" (vacancy.id) } { (vacancy.title) } }
                                    td data-label=(ctx.t("words.comune")) { (vocabulary.comune_label(vacancy.comune.as_str())) }
                                    td data-label=(ctx.t("vacancy.opens")) {
                                        (words::date_short(vacancy.opens))
                                        @if vacancy.opens <= today { " " span class="tag gap" { (ctx.t("vacancies.waiting")) } }
                                    }
                                    td data-label=(ctx.t("vacancy.breakdown")) { (words::count(ctx.lang, vacancy.requirements.len(), "words.competence", "words.competences")) }
                                }
                            }
                        }
                    }
                }
            }
        };
        Ok(ctx.page(StatusCode::OK, ctx.t("vacancies.drafts"), body))
    }
    .await;
    ctx.finish(result)
}
