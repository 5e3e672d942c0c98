//! Validator pages: the companies of the office, a company's page with its vacancies and a new
//! vacancy form, and the vacancy page where the competence breakdown is built (skill type-ahead
//! in Italian and English, level 1–4, essential or optional, suggestions from the chosen ESCO
//! occupation's essential skills) and validated (draft → validated, with name and date).
//! The two JSON routes behind the type-ahead call `Engine::skill_search` and
//! `Engine::occupation_search`, like `/v1/skills/search`.

mod company;
mod requirements;
mod vacancy;

use super::{sections, Ctx};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse, ResponseError};
use company::{company_page, create_vacancy};
use incontro_core::access::Action;
use incontro_core::model::VacancyStatus;
use incontro_core::ErrorCode;
use maud::{html, Markup};
use requirements::{add_requirement, remove_requirement, validate};
use serde::{Deserialize, Serialize};
use vacancy::vacancy_page;

pub(super) use requirements::{competence_field, level_of, skill_of};
pub(super) use vacancy::level_options_typed;

/// Registers the validator pages and the type-ahead routes.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/companies", web::get().to(companies_page))
        .route("/companies/{id}", web::get().to(company_page))
        .route("/companies/{id}/vacancies", web::post().to(create_vacancy))
        .route("/vacancies/{id}", web::get().to(vacancy_page))
        .route(
            "/vacancies/{id}/requirements",
            web::post().to(add_requirement),
        )
        .route(
            "/vacancies/{id}/requirements/remove",
            web::post().to(remove_requirement),
        )
        .route("/vacancies/{id}/validate", web::post().to(validate))
        .route("/api/skills", web::get().to(skill_search))
        .route("/api/occupations", web::get().to(occupation_search));
}

/// `GET /console/companies`
pub async fn companies_page(ctx: Ctx, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::VALIDATOR)?;
        let principal = user.principal.clone();
        let ((companies, total), vocabulary) = state
            .call(move |engine| {
                Ok((
                    engine.companies_visible_to(&principal, 100, 0)?,
                    engine.vocabulary()?,
                ))
            })
            .await?;
        let body = html! {
            h1 { (ctx.t("companies.title")) }
            p class="muted" { (total) " " (ctx.t("companies.count")) }
            div class="table-wrap" {
                table {
                    thead { tr { th scope="col" { (ctx.t("companies.name")) } th scope="col" { (ctx.t("words.sector")) } th scope="col" { (ctx.t("companies.sites")) } } }
                    tbody {
                        @for company in &companies {
                            tr {
                                td { a href={ "/console/companies/" (company.id) } { (company.name) } }
                                // Words, not codes (issue 15): the ATECO description and the comuni's names.
                                td class="sector" {
                                    @if let Some(code) = &company.ateco {
                                        (vocabulary.ateco(code).unwrap_or(code)) " " span class="muted" { "(" (code) ")" }
                                    }
                                }
                                td { (company.sites.iter().map(|site| vocabulary.comune_name(site.comune.as_str())).collect::<Vec<_>>().join(", ")) }
                            }
                        }
                    }
                }
            }
        };
        Ok(ctx.page(StatusCode::OK, ctx.t("companies.title"), body))
    }
    .await;
    ctx.finish(result)
}

fn status_tag(ctx: &Ctx, status: &VacancyStatus) -> Markup {
    match status {
        VacancyStatus::Draft => html! { span class="tag draft" { (ctx.t("vacancy.draft")) } },
        VacancyStatus::Validated { by, on } => html! {
            span class="tag validated" { (ctx.t("vacancy.validated")) } " " span class="muted" { (by) ", " (super::words::date_short(*on)) }
        },
        VacancyStatus::Closed => html! { span class="tag closed" { (ctx.t("vacancy.closed")) } },
    }
}

/// The type-ahead query.
#[derive(Debug, Deserialize)]
pub struct TypeaheadQuery {
    q: String,
    lang: Option<String>,
}

/// One type-ahead suggestion.
#[derive(Debug, Serialize)]
pub struct Suggestion {
    uri: String,
    label: String,
    matched: String,
}

/// `GET /console/api/skills?q=&lang=`: `Engine::skill_search` for the signed-in user.
pub async fn skill_search(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<TypeaheadQuery>,
) -> HttpResponse {
    typeahead(ctx, state, query.into_inner(), false).await
}

/// `GET /console/api/occupations?q=&lang=`: `Engine::occupation_search`.
pub async fn occupation_search(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<TypeaheadQuery>,
) -> HttpResponse {
    typeahead(ctx, state, query.into_inner(), true).await
}

async fn typeahead(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: TypeaheadQuery,
    occupations: bool,
) -> HttpResponse {
    let Some(user) = &ctx.user else {
        return ApiError::new(ErrorCode::SignIn, "sign in first").error_response();
    };
    if let Err(error) = user.principal.authorize(Action::ReadTaxonomy) {
        return ApiError::from(error).error_response();
    }
    let language = match query.lang.as_deref() {
        Some("en") => "en",
        _ => "it",
    };
    let text: String = query.q.chars().take(100).collect();
    let found = state
        .call(move |engine| {
            if occupations {
                let (hits, _) = engine.occupation_search(&text, language, 10, 0)?;
                Ok(hits
                    .into_iter()
                    .map(|hit| Suggestion {
                        matched: hit.label.clone(),
                        uri: hit.uri,
                        label: hit.label,
                    })
                    .collect::<Vec<_>>())
            } else {
                let hits = engine.skill_search(&text, language, 10)?;
                Ok(hits
                    .into_iter()
                    .map(|hit| Suggestion {
                        uri: hit.uri,
                        label: hit.preferred_label,
                        matched: hit.matched_label,
                    })
                    .collect())
            }
        })
        .await;
    match found {
        Ok(suggestions) => HttpResponse::Ok().json(suggestions),
        Err(error) => actix_web::ResponseError::error_response(&error),
    }
}
