//! Finding a person: the search form, by name or codice fiscale (audited).

use super::audit;
use crate::console::{sections, Ctx, Fail};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::Action;
use incontro_core::model::{CodiceFiscale, EntityId};
use maud::{html, Markup};
use serde::Deserialize;

/// The search box: a GET form (issue 15, point 6: results are a page, Back works); the
/// console's script sends a codice fiscale by POST instead (`data-cf-post`), so that it does not
/// stay in the browser's history.
fn search_form(ctx: &Ctx, value: &str) -> Markup {
    search_form_with(ctx, value, None)
}

/// The search form; `error` is shown next to the field (and the field says it is invalid).
fn search_form_with(ctx: &Ctx, value: &str, error: Option<&str>) -> Markup {
    let csrf = ctx
        .user
        .as_ref()
        .map(|user| user.csrf.as_str())
        .unwrap_or("");
    html! {
        form method="get" action="/console/desk" role="search" data-cf-post="/console/desk/search" data-csrf=(csrf) {
            label for="q" { (ctx.t("desk.search_label")) }
            @if let Some(error) = error {
                p id="q-error" class="field-error" data-code="invalid_codice_fiscale" { (error) }
            }
            input type="search" id="q" name="q" value=(value) required minlength="2" maxlength="100"
                autocomplete="off" aria-invalid=[error.map(|_| "true")]
                aria-describedby=(if error.is_some() { "q-error q-help" } else { "q-help" });
            p id="q-help" class="muted" { (ctx.t("desk.search_help")) }
            button type="submit" { (ctx.t("desk.search")) }
        }
    }
}

/// `?q=` of the desk page.
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

/// `GET /console/desk[?q=]`: the search box, and with `q` the results (a codice fiscale goes
/// straight to the person).
pub async fn search_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
) -> HttpResponse {
    if let Err(fail) = ctx.require(sections::DESK) {
        return ctx.finish(Err(fail));
    }
    if let Some(q) = query.into_inner().q.filter(|q| !q.trim().is_empty()) {
        let result = find_people(&ctx, &state, q).await;
        return ctx.finish(result);
    }
    let body = html! {
        h1 { (ctx.t("desk.title")) }
        (search_form(&ctx, ""))
    };
    ctx.page(StatusCode::OK, ctx.t("desk.title"), body)
}

/// The search form (POST, so a codice fiscale never lands in a URL or a log).
#[derive(Debug, Deserialize)]
pub struct SearchForm {
    csrf: String,
    q: String,
}

/// `POST /console/desk/search`: a codice fiscale goes straight to the person; a name lists the
/// people of the caller's office whose name contains it. Every person found is audited.
pub async fn search(
    ctx: Ctx,
    state: web::Data<AppState>,
    form: web::Form<SearchForm>,
) -> HttpResponse {
    let result = search_inner(&ctx, &state, form.into_inner()).await;
    ctx.finish(result)
}

async fn search_inner(ctx: &Ctx, state: &AppState, form: SearchForm) -> Result<HttpResponse, Fail> {
    ctx.require(sections::DESK)?;
    ctx.check_csrf(&form.csrf)?;
    find_people(ctx, state, form.q).await
}

async fn find_people(ctx: &Ctx, state: &AppState, q: String) -> Result<HttpResponse, Fail> {
    let user = ctx.require(sections::DESK)?;
    let principal = user.principal.clone();
    principal.authorize(Action::FindPerson)?;
    let text = q.trim().to_string();
    if let Ok(codice_fiscale) = CodiceFiscale::parse(&text) {
        let id = state
            .call(move |engine| {
                let id = engine.find_job_seeker_by_cf(&codice_fiscale)?;
                engine.job_seeker_for(&principal, Action::FindPerson, &id)?;
                audit(engine, &principal, "find_by_codice_fiscale", id.as_str())?;
                Ok(id)
            })
            .await?;
        return Ok(ctx.see_other(&format!("/console/desk/people/{id}")));
    }
    if CodiceFiscale::looks_like_one(&text) {
        // Meant as a codice fiscale but its check fails: say so, keep what was typed.
        let body = html! {
            h1 { (ctx.t("desk.title")) }
            (search_form_with(ctx, &text, Some(ctx.t("words.invalid_cf"))))
        };
        return Ok(ctx.page(StatusCode::BAD_REQUEST, ctx.t("desk.title"), body));
    }
    let query = text.clone();
    let found = state
        .call(move |engine| {
            let mut visible = Vec::new();
            for (id, first_name, last_name) in engine.find_job_seekers_by_name(&query, 50)? {
                let Ok(entity) = EntityId::parse(&id) else {
                    continue;
                };
                // Only people of the caller's office; each one listed is audited.
                let Ok(seeker) = engine.job_seeker_for(&principal, Action::FindPerson, &entity)
                else {
                    continue;
                };
                audit(engine, &principal, "find_by_name", &id)?;
                let masked = engine
                    .get_personal_data(&entity)
                    .map(|personal| personal.codice_fiscale.masked())
                    .unwrap_or_default();
                visible.push(FoundPerson {
                    id,
                    first_name,
                    last_name,
                    birth_year: seeker.birth_year,
                    comune: seeker.comune.as_str().to_string(),
                    masked_cf: masked,
                });
            }
            Ok((visible, engine.vocabulary()?))
        })
        .await?;
    let (found, vocabulary) = found;
    let body = html! {
        h1 { (ctx.t("desk.title")) }
        (search_form(ctx, &text))
        h2 { (ctx.t("desk.results")) }
        @if found.is_empty() {
            p { (ctx.t("desk.no_results")) }
        } @else {
            div class="table-wrap" {
                table class="stack people" {
                    thead { tr {
                        th scope="col" { (ctx.t("words.name")) }
                        th scope="col" { (ctx.t("words.birth_year")) }
                        th scope="col" { (ctx.t("words.comune")) }
                        th scope="col" { (ctx.t("words.cf")) }
                    } }
                    tbody {
                        @for person in &found {
                            tr {
                                th scope="row" data-label=(ctx.t("words.name")) {
                                    a href={ "/console/desk/people/" (person.id) } { (person.last_name) " " (person.first_name) }
                                }
                                td data-label=(ctx.t("words.birth_year")) { (person.birth_year) }
                                td data-label=(ctx.t("words.comune")) { (vocabulary.comune_label(&person.comune)) }
                                td data-label=(ctx.t("words.cf")) class="cf" { (person.masked_cf) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(ctx.page(StatusCode::OK, ctx.t("desk.results"), body))
}

/// One person of a name search, as the list shows them.
struct FoundPerson {
    id: String,
    first_name: String,
    last_name: String,
    birth_year: u16,
    comune: String,
    masked_cf: String,
}
