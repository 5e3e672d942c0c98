//! A vacancy page: description, positions, dates, status, contract in words, and its ranked
//! candidates with the explanation of each score.

use super::status_tag;
use crate::api::MatchParams;
use crate::console::desk::requirement_bar;
use crate::console::i18n::Lang;
use crate::console::layout::csrf_field;
use crate::console::words;
use crate::console::{sections, Ctx};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::{
    Action, AuditEntry, Channel, Outcome, RankedItem, RankingLogEntry, RankingRequest, Whose,
};
use incontro_core::matching::CandidateMatch;
use incontro_core::model::{Company, EntityId, PlacementType, Vacancy, VacancyStatus};
use incontro_core::vocabulary::Vocabulary;
use maud::{html, Markup};
use serde::Deserialize;

/// What the vacancy page shows.
struct VacancyView {
    vacancy: Vacancy,
    company: Company,
    occupation: Option<String>,
    candidates: Option<Vec<(CandidateMatch, String)>>,
    words: Vocabulary,
    labels: Vec<String>,
}

/// Flags after a redirect.
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /console/offers/{id}`: the vacancy and its ranked candidates (each listed person
/// audited as `candidates_for_vacancy`, as over the API).
pub async fn vacancy_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<DoneQuery>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::DESK)?;
        let principal = user.principal.clone();
        principal.authorize(Action::MatchForVacancy)?;
        let id = EntityId::parse(&path.into_inner())?;
        let language = ctx.lang.code().to_string();
        let max_k = state.config.max_k;
        let view = state
            .call(move |engine| {
                let vacancy = engine.vacancy_for(&principal, Action::ReadVacancy, &id)?;
                let company = engine.get_company(&vacancy.company_id)?;
                let occupation = match &vacancy.occupation {
                    Some(uri) => engine
                        .occupation_detail(uri.as_str(), &language)
                        .map(|detail| detail.occupation.label)
                        .ok(),
                    None => None,
                };
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
                // Only a validated, open vacancy has candidates.
                let offered = matches!(vacancy.status, VacancyStatus::Validated { .. })
                    && vacancy.is_open_on(engine.today());
                let candidates = if offered {
                    let params = MatchParams {
                        k: Some(10),
                        offset: None,
                        exact: None,
                        near_km: None,
                        near: None,
                        tirocinio: None,
                        contract_type: None,
                        public_source: None,
                        min_score: None,
                        include_unsuitable: None,
                        lang: Some(language.clone()),
                    };
                    let mut query =
                        params
                            .to_query(max_k, Some(&vacancy.comune))
                            .map_err(|error| {
                                incontro_core::Error::invalid(error.code(), error.message())
                            })?;
                    let scope_offices = engine.scope_offices(&principal, Whose::People);
                    query.scope = engine.matching_scope(&principal, Whose::People)?;
                    let revision = engine.data_revision()?;
                    let found = engine.candidates_for_vacancy(&id, &query, &language)?;
                    // Every ranking served is logged (issue 18), the console's too.
                    let ranking = RankingLogEntry::new(
                        engine,
                        &principal,
                        Channel::Console,
                        revision,
                        RankingRequest::candidates_for_vacancy(
                            &id,
                            &query,
                            scope_offices,
                            &language,
                        ),
                        RankedItem::of_candidates(&found),
                    );
                    let mut named = Vec::with_capacity(found.len());
                    let mut audit = Vec::with_capacity(found.len());
                    for candidate in found {
                        let person = EntityId::parse(&candidate.job_seeker_id)?;
                        let personal = engine.get_personal_data(&person)?;
                        audit.push(AuditEntry::now(
                            &principal,
                            "candidates_for_vacancy",
                            Some(&candidate.job_seeker_id),
                            Some(id.as_str()),
                            Outcome::Ok,
                        ));
                        named.push((
                            candidate,
                            format!("{} {}", personal.last_name, personal.first_name),
                        ));
                    }
                    engine
                        .submit_audit_and_ranking(audit, ranking)?
                        .wait_for_log_id()?;
                    Some(named)
                } else {
                    None
                };
                Ok(VacancyView {
                    vacancy,
                    company,
                    occupation,
                    candidates,
                    words: engine.vocabulary()?,
                    labels,
                })
            })
            .await?;
        let body = vacancy_body(&ctx, &view, query.done.as_deref());
        Ok(ctx.page(StatusCode::OK, &view.vacancy.title, body))
    }
    .await;
    ctx.finish(result)
}

fn vacancy_body(ctx: &Ctx, view: &VacancyView, done: Option<&str>) -> Markup {
    let vacancy = &view.vacancy;
    let words = &view.words;
    let closed = matches!(vacancy.status, VacancyStatus::Closed);
    html! {
        p { a href="/console/offers" { "← " (ctx.t("vacancies.title")) } }
        h1 { (vacancy.title) }
        @match done {
            Some("closed") => { p class="notice ok" role="status" { (ctx.t("vacancies.closed_done")) } }
            Some("edited") => { p class="notice ok" role="status" { (ctx.t("vacancies.edited_done")) } }
            _ => {}
        }
        dl class="facts" id="facts" {
            dt { (ctx.t("vacancies.status")) } dd id="status" { (status_tag(ctx, &vacancy.status)) }
            dt { (ctx.t("words.company")) } dd { a href={ "/console/employers/" (view.company.id) } { (view.company.name) } }
            dt { (ctx.t("words.comune")) } dd { (words.comune_label(vacancy.comune.as_str())) }
            dt { (ctx.t("vacancy.placement")) } dd id="contract" {
                (words::placement(ctx.lang, words, &vacancy.placement))
                @if let PlacementType::Tirocinio { monthly_indemnity_eur, .. } = &vacancy.placement {
                    ", " (monthly_indemnity_eur) " € " (ctx.t("vacancies.per_month"))
                }
            }
            dt { (ctx.t("vacancy.positions")) } dd id="positions" { (words::count(ctx.lang, usize::from(vacancy.positions), "words.position", "words.positions")) }
            dt { (ctx.t("vacancy.opens")) } dd id="opens" { (words::date_long(ctx.lang, vacancy.opens)) }
            dt { (ctx.t("vacancy.closes")) } dd id="closes" {
                @match vacancy.closes { Some(day) => { (words::date_long(ctx.lang, day)) }, None => { (ctx.t("vacancies.no_end")) } }
            }
            @if let Some(occupation) = &view.occupation { dt { (ctx.t("vacancy.occupation")) } dd { (occupation) } }
            @if let Some(hours) = vacancy.weekly_hours { dt { (ctx.t("vacancies.weekly_hours")) } dd { (hours) } }
        }
        @if !vacancy.description.is_empty() {
            h2 { (ctx.t("vacancy.description")) }
            p id="description" { (vacancy.description) }
        }
        h2 { (ctx.t("vacancy.breakdown")) " " span class="muted" { "(" (words::count(ctx.lang, vacancy.requirements.len(), "words.competence", "words.competences")) ")" } }
        ul class="requirements" {
            @for (requirement, label) in vacancy.requirements.iter().zip(&view.labels) {
                li {
                    (label) " · " (ctx.t("desk.level")) " " (requirement.level.get()) " · "
                    (ctx.t(if requirement.essential { "vacancy.essential" } else { "vacancy.optional" }))
                }
            }
        }
        @if !closed {
            div class="row actions" {
                a class="button" id="edit" href={ "/console/offers/" (vacancy.id) "/edit" } { (ctx.t("vacancies.edit")) }
                form method="post" action={ "/console/offers/" (vacancy.id) "/close" } class="inline" {
                    (csrf_field(ctx))
                    button type="submit" id="close" { (ctx.t("vacancies.close")) }
                }
            }
            p class="muted" { (ctx.t("vacancies.close_help")) }
        }
        h2 id="candidates" { (ctx.t("vacancies.candidates")) }
        @match &view.candidates {
            None => { p id="no-candidates" { (ctx.t("vacancies.candidates_after_validation")) } }
            Some(list) => {
                p class="notice ranking-suggestion" role="note" { (ctx.t("ranking.suggestion")) }
                @if list.is_empty() { p id="no-candidates" { (ctx.t("vacancies.no_candidates")) } }
                ol class="matches candidates" {
                    @for (candidate, name) in list {
                        li class="card" data-person=(candidate.job_seeker_id) {
                            h3 { (candidate.rank) ". " a href={ "/console/desk/people/" (candidate.job_seeker_id) } { (name) } }
                            p class="muted" {
                                (words.comune_label(&candidate.comune))
                                @if let Some(km) = candidate.distance_km { " · " (format!("{km:.0}")) " km" }
                            }
                            p {
                                span class="score" { (ctx.t("desk.score")) " " (format!("{:.0}", candidate.score * 100.0)) "%" } " "
                                meter min="0" max="1" value=(candidate.score) aria-label={ (ctx.t("desk.score")) " " (name) } {}
                            }
                            p { (match ctx.lang { Lang::It => &candidate.explanation.summary_it, Lang::En => &candidate.explanation.summary_en }) }
                            details {
                                summary { (ctx.t("desk.explanation")) }
                                ul class="bars" {
                                    @for item in &candidate.explanation.items { (requirement_bar(ctx, item)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
