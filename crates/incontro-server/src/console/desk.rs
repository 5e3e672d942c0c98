//! Desk (sportello) pages: find a person (by name or codice fiscale, audited), their
//! competences with evidence and work history, and the ranked vacancies with the explanation of
//! each score as bars (met / related / missing per requirement) and the API's filters; per
//! ranked vacancy a form records a proposal or a placement (`Engine::record_placement`), and the
//! person's recorded ones are listed.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::{
    Action, AuditEntry, Channel, Outcome, Principal, RankedItem, RankingLogEntry, RankingRequest,
    Whose,
};
use incontro_core::matching::VacancyMatch;
use incontro_core::model::{
    CodiceFiscale, EntityId, Evidence, JobSeeker, OccupationCode, PersonalData, PlacementType,
    VacancySource,
};
use incontro_core::placements::{NewPlacement, Placement, PlacementKind, PlacementMode};
use incontro_core::profile::ProfileEntry;
use incontro_core::scoring::{MatchOutcome, RequirementExplanation};
use incontro_core::Engine;
use maud::{html, Markup};
use serde::Deserialize;

use super::i18n::Lang;
use super::layout::csrf_field;
use super::{now, sections, Ctx, Fail};
use crate::api::MatchParams;
use crate::state::AppState;

/// Registers the desk pages.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/desk", web::get().to(search_page))
        .route("/desk/search", web::post().to(search))
        .route("/desk/people/{id}", web::get().to(person_page))
        .route(
            "/desk/people/{id}/placements",
            web::post().to(record_placement),
        );
}

fn audit(
    engine: &Engine,
    principal: &Principal,
    action: &str,
    person: &str,
) -> incontro_core::Result<()> {
    engine.audit(vec![AuditEntry::now(
        principal,
        action,
        Some(person),
        None,
        Outcome::Ok,
    )])
}

/// The search box: a GET form (issue 15, point 6: results are a page, Back works); the
/// console's script sends a codice fiscale by POST instead (`data-cf-post`), so that it does not
/// stay in the browser's history.
fn search_form(ctx: &Ctx, value: &str) -> Markup {
    let csrf = ctx
        .user
        .as_ref()
        .map(|user| user.csrf.as_str())
        .unwrap_or("");
    html! {
        form method="get" action="/console/desk" role="search" data-cf-post="/console/desk/search" data-csrf=(csrf) {
            label for="q" { (ctx.t("desk.search_label")) }
            input type="search" id="q" name="q" value=(value) required minlength="2" maxlength="100"
                autocomplete="off" aria-describedby="q-help";
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
    let query = text.clone();
    let found = state
        .call(move |engine| {
            let mut visible = Vec::new();
            for (id, first_name, last_name) in engine.find_job_seekers_by_name(&query, 50)? {
                let Ok(entity) = EntityId::parse(&id) else {
                    continue;
                };
                // Only people of the caller's office; each one listed is audited.
                if engine
                    .job_seeker_for(&principal, Action::FindPerson, &entity)
                    .is_ok()
                {
                    audit(engine, &principal, "find_by_name", &id)?;
                    visible.push((id, first_name, last_name));
                }
            }
            Ok(visible)
        })
        .await?;
    let body = html! {
        h1 { (ctx.t("desk.title")) }
        (search_form(ctx, &text))
        h2 { (ctx.t("desk.results")) }
        @if found.is_empty() {
            p { (ctx.t("desk.no_results")) }
        } @else {
            ul class="people" {
                @for (id, first_name, last_name) in &found {
                    li { a href={ "/console/desk/people/" (id) } { (last_name) " " (first_name) } " " span class="muted" { "(" (id) ")" } }
                }
            }
        }
    };
    Ok(ctx.page(StatusCode::OK, ctx.t("desk.results"), body))
}

/// Filters of the person page (the API's matching parameters, as a GET form).
#[derive(Debug, Default, Deserialize)]
pub struct PersonFilters {
    near_km: Option<String>,
    placement: Option<String>,
    source: Option<String>,
    exact: Option<String>,
    all: Option<String>,
    recorded: Option<String>,
    recorded_vacancy: Option<String>,
}

impl PersonFilters {
    /// The filters as a query string (without the notices).
    fn query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("near_km", &self.near_km),
            ("placement", &self.placement),
            ("source", &self.source),
            ("exact", &self.exact),
            ("all", &self.all),
        ]
        .into_iter()
        .filter_map(|(name, value)| {
            value
                .as_deref()
                .filter(|value| !value.is_empty())
                .map(|value| (name, value))
        })
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// Filters from a query string sent back by a form; anything else in it is dropped.
    fn from_query(raw: &str) -> PersonFilters {
        let filters: PersonFilters = serde_urlencoded::from_str(raw).unwrap_or_default();
        PersonFilters {
            recorded: None,
            recorded_vacancy: None,
            ..filters
        }
    }

    fn to_params(&self, lang: Lang) -> Result<MatchParams, Fail> {
        let near_km = match self.near_km.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(
                raw.replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .filter(|km| km.is_finite() && *km > 0.0 && *km <= 1000.0)
                    .ok_or_else(|| {
                        Fail::bad_request("distance must be a number of km from 1 to 1000")
                    })?,
            ),
        };
        Ok(MatchParams {
            k: Some(10),
            offset: None,
            exact: Some(self.exact.as_deref() == Some("on")),
            near_km,
            near: None,
            tirocinio: match self.placement.as_deref() {
                Some("tirocinio") => Some(true),
                Some("contract") => Some(false),
                _ => None,
            },
            contract_type: None,
            public_source: match self.source.as_deref() {
                Some("public") => Some(true),
                Some("agency") => Some(false),
                _ => None,
            },
            min_score: None,
            include_unsuitable: Some(self.all.as_deref() == Some("on")),
            lang: Some(lang.code().to_string()),
        })
    }
}

/// Everything the person page shows, gathered in one pool call.
struct PersonView {
    seeker: JobSeeker,
    personal: PersonalData,
    profile: Vec<(ProfileEntry, String)>,
    history: Vec<(String, String)>,
    matches: Vec<VacancyMatch>,
    /// The ranking log id of `matches` (issue 18: every ranking served is logged).
    ranking_log_id: Option<i64>,
    companies: HashMap<String, String>,
    comuni: HashMap<String, String>,
    placements: Vec<Placement>,
}

/// `GET /console/desk/people/{id}`
pub async fn person_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    filters: web::Query<PersonFilters>,
) -> HttpResponse {
    let result = person_inner(&ctx, &state, path.into_inner(), filters.into_inner()).await;
    ctx.finish(result)
}

async fn person_inner(
    ctx: &Ctx,
    state: &AppState,
    raw_id: String,
    filters: PersonFilters,
) -> Result<HttpResponse, Fail> {
    let user = ctx.require(sections::DESK)?;
    let principal = user.principal.clone();
    principal.authorize(Action::ReadPerson)?;
    let id = EntityId::parse(&raw_id)?;
    let params = filters.to_params(ctx.lang)?;
    let max_k = state.config.max_k;
    let language = ctx.lang.code().to_string();
    let view = state
        .call(move |engine| {
            let seeker = engine.job_seeker_for(&principal, Action::ReadPerson, &id)?;
            engine.job_seeker_for(&principal, Action::ReadPersonalData, &id)?;
            engine.job_seeker_for(&principal, Action::MatchForPerson, &id)?;
            let personal = engine.get_personal_data(&id)?;
            let profile = engine.person_profile(&id)?;
            let uris: Vec<&str> = profile.iter().map(|entry| entry.skill.as_str()).collect();
            let labels = engine.skill_labels(&uris, &language)?;
            let profile = profile
                .iter()
                .cloned()
                .zip(labels)
                .map(|(entry, label)| {
                    let label = label.unwrap_or_else(|| entry.skill.as_str().to_string());
                    (entry, label)
                })
                .collect();
            let taxonomy = engine.taxonomy()?;
            let history = seeker
                .work_history
                .iter()
                .map(|job| {
                    let occupation = match &job.occupation {
                        OccupationCode::Esco(uri) => taxonomy
                            .occupation_idx(uri.as_str())
                            .and_then(|idx| taxonomy.occupation_label(idx, &language))
                            .map(str::to_string)
                            .unwrap_or_else(|| uri.as_str().to_string()),
                        OccupationCode::Isco08(code) => format!("ISCO-08 {code}"),
                        OccupationCode::Cp2011(code) => format!("CP2011 {code}"),
                    };
                    let period = format!(
                        "{} – {}",
                        job.start,
                        job.end
                            .map_or_else(|| "…".to_string(), |end| end.to_string())
                    );
                    let employer = job.employer.clone().unwrap_or_default();
                    (
                        format!(
                            "{occupation}{}{employer}",
                            if employer.is_empty() { "" } else { " · " }
                        ),
                        period,
                    )
                })
                .collect();
            let mut query = params
                .to_query(max_k, Some(&seeker.comune))
                .map_err(|error| incontro_core::Error::invalid(error.code(), error.message()))?;
            let scope_offices = engine.scope_offices(&principal, Whose::Vacancies);
            query.scope = engine.matching_scope(&principal, Whose::Vacancies)?;
            let revision = engine.data_revision()?;
            let matches = engine.vacancies_for_person(&id, &query, &language)?;
            let ranking = RankingLogEntry::new(
                engine,
                &principal,
                Channel::Console,
                revision,
                RankingRequest::vacancies_for_person(&id, &query, scope_offices, &language),
                RankedItem::of_vacancies(&matches),
            );
            let mut companies = HashMap::new();
            for found in &matches {
                if companies.contains_key(&found.company_id) {
                    continue;
                }
                if let Ok(company_id) = EntityId::parse(&found.company_id) {
                    if let Ok(company) = engine.get_company(&company_id) {
                        companies.insert(found.company_id.clone(), company.name);
                    }
                }
            }
            let comuni = engine.comuni_names()?;
            let placements = engine.placements_for_person(&id)?;
            let ranking_log_id = engine
                .submit_audit_and_ranking(
                    [
                        "read_job_seeker",
                        "read_personal_data",
                        "read_competences",
                        "vacancies_for_person",
                        "read_placements",
                    ]
                    .into_iter()
                    .map(|action| {
                        AuditEntry::now(&principal, action, Some(id.as_str()), None, Outcome::Ok)
                    })
                    .collect(),
                    ranking,
                )?
                .wait_for_log_id()?;
            Ok(PersonView {
                seeker,
                personal,
                profile,
                history,
                matches,
                ranking_log_id,
                companies,
                comuni,
                placements,
            })
        })
        .await?;
    let title = format!("{} {}", view.personal.first_name, view.personal.last_name);
    let body = person_body(ctx, &view, &filters);
    Ok(ctx.page(StatusCode::OK, &title, body))
}

fn evidence_key(evidence: &Evidence) -> &'static str {
    match evidence {
        Evidence::Declared => "evidence.declared",
        Evidence::Assessed => "evidence.assessed",
        Evidence::Certified => "evidence.certified",
        Evidence::WorkHistory => "evidence.work_history",
        Evidence::Course => "evidence.course",
    }
}

fn person_body(ctx: &Ctx, view: &PersonView, filters: &PersonFilters) -> Markup {
    let seeker = &view.seeker;
    let comune = view
        .comuni
        .get(seeker.comune.as_str())
        .cloned()
        .unwrap_or_else(|| seeker.comune.as_str().to_string());
    let selected = |value: &Option<String>, option: &str| value.as_deref() == Some(option);
    html! {
        p { a href="/console/desk" { "← " (ctx.t("desk.title")) } }
        h1 { (view.personal.first_name) " " (view.personal.last_name) }
        p class="muted" {
            (ctx.t("desk.id")) " " (seeker.id) " · " (ctx.t("desk.born")) " " (seeker.birth_year) " · " (comune)
            @if seeker.accepts_tirocinio { " · " (ctx.t("desk.accepts_tirocinio")) } @else { " · " (ctx.t("desk.no_tirocinio")) }
            @if !seeker.conditions.contract_types.is_empty() { " · " (ctx.t("desk.contract_types")) " " (seeker.conditions.contract_types.join(", ")) }
            @if let Some(max) = seeker.conditions.max_weekly_hours { " · " (ctx.t("desk.max_hours")) " " (max) }
            @if let Some(km) = seeker.conditions.max_distance_km { " · " (ctx.t("desk.max_km")) " " (km) " km" }
        }
        // Long page: tabs to its parts (issue 15, point 6).
        nav class="tabs" aria-label=(ctx.t("desk.sections")) {
            ul {
                li { a href="#competences" { (ctx.t("desk.competences")) } }
                li { a href="#vacancies" { (ctx.t("desk.vacancies")) } }
                li { a href="#placements" { (ctx.t("desk.placements")) } }
            }
        }
        h2 id="competences" { (ctx.t("desk.competences")) }
        div class="table-wrap" {
            table class="stack" {
                thead { tr { th scope="col" { (ctx.t("desk.skill")) } th scope="col" { (ctx.t("desk.level")) }
                    th scope="col" { (ctx.t("desk.evidence")) } th scope="col" { (ctx.t("desk.source")) } } }
                tbody {
                    @for (entry, label) in &view.profile {
                        tr {
                            td data-label=(ctx.t("desk.skill")) { (label) }
                            td data-label=(ctx.t("desk.level")) { (entry.level.get()) " / 4" }
                            td data-label=(ctx.t("desk.evidence")) { (ctx.t(evidence_key(&entry.evidence)))
                                @if entry.confidence < 1.0 { " " span class="muted" { "(" (format!("{:.0}", entry.confidence * 100.0)) "%)" } } }
                            td data-label=(ctx.t("desk.source")) {
                                @if entry.presumed { (entry.provenance_it()) } @else { (entry.source) }
                            }
                        }
                    }
                }
            }
        }
        h2 id="history" { (ctx.t("desk.history")) }
        @if view.history.is_empty() { p { (ctx.t("desk.no_history")) } }
        ul {
            @for (occupation, period) in &view.history { li { (occupation) " " span class="muted" { "(" (period) ")" } } }
        }
        h2 id="placements" { (ctx.t("desk.placements")) }
        @if let Some(kind) = &filters.recorded {
            p class="notice ok" role="status" {
                (ctx.t(if kind == "placement" { "desk.placement_recorded" } else { "desk.proposal_recorded" }))
            }
        }
        @if view.placements.is_empty() { p { (ctx.t("desk.no_placements")) } }
        ul class="placements" {
            @for record in &view.placements {
                li data-kind=(record.kind.as_str()) {
                    strong { (ctx.t(kind_key(record.kind))) } " · "
                    (record.vacancy_title.clone().unwrap_or_else(|| record.vacancy_id.clone())) " · "
                    (ctx.t(mode_key(record.placement_type))) " "
                    span class="muted" { "(" (record.recorded_on) ", " (record.recorded_by) ")" }
                    @if !record.course_ids.is_empty() { " · " (ctx.t("desk.courses")) " " (record.course_ids.join(", ")) }
                    @if let Some(note) = &record.note { br; span class="note" { (note) } }
                }
            }
        }
        h2 id="vacancies" { (ctx.t("desk.vacancies")) }
        form method="get" action={ "/console/desk/people/" (seeker.id) "#vacancies" } class="filters" {
            fieldset {
                legend { (ctx.t("desk.filters")) }
                div class="row" {
                    div {
                        label for="near_km" { (ctx.t("desk.distance")) }
                        input type="number" id="near_km" name="near_km" min="1" max="1000" step="1"
                            value=(filters.near_km.clone().unwrap_or_default());
                    }
                    div {
                        label for="placement" { (ctx.t("desk.placement")) }
                        select id="placement" name="placement" {
                            option value="" { (ctx.t("desk.any")) }
                            option value="contract" selected[selected(&filters.placement, "contract")] { (ctx.t("desk.contract")) }
                            option value="tirocinio" selected[selected(&filters.placement, "tirocinio")] { (ctx.t("desk.tirocinio")) }
                        }
                    }
                    div {
                        label for="source" { (ctx.t("desk.vacancy_source")) }
                        select id="source" name="source" {
                            option value="" { (ctx.t("desk.any")) }
                            option value="public" selected[selected(&filters.source, "public")] { (ctx.t("desk.public")) }
                            option value="agency" selected[selected(&filters.source, "agency")] { (ctx.t("desk.agency")) }
                        }
                    }
                    div {
                        label class="check" {
                            input type="checkbox" name="exact" checked[filters.exact.as_deref() == Some("on")];
                            (ctx.t("desk.exact"))
                        }
                    }
                    div {
                        label class="check" {
                            input type="checkbox" name="all" checked[filters.all.as_deref() == Some("on")];
                            (ctx.t("desk.all_conditions"))
                        }
                    }
                }
                button type="submit" { (ctx.t("desk.apply")) }
            }
        }
        @if view.matches.is_empty() { p { (ctx.t("desk.no_vacancies")) } }
        p class="notice ranking-suggestion" role="note" {
            (ctx.t("ranking.suggestion"))
            @if let Some(log_id) = view.ranking_log_id {
                " " span class="ranking-log-id" data-log-id=(log_id) { (ctx.t("ranking.logged")) " " (log_id) "." }
            }
        }
        ol class="matches" {
            @for found in &view.matches {
                li class="card" data-vacancy=(found.vacancy_id) id={ "vacancy-" (found.vacancy_id) } {
                    @if filters.recorded_vacancy.as_deref() == Some(found.vacancy_id.as_str()) {
                        p class="notice ok recorded-here" role="status" {
                            (ctx.t(if filters.recorded.as_deref() == Some("placement") { "desk.placement_recorded" } else { "desk.proposal_recorded" }))
                        }
                    }
                    (match_card(ctx, view, found, &filters.query()))
                }
            }
        }
    }
}

fn match_card(ctx: &Ctx, view: &PersonView, found: &VacancyMatch, back: &str) -> Markup {
    let company = view
        .companies
        .get(&found.company_id)
        .cloned()
        .unwrap_or_else(|| found.company_id.clone());
    let comune = view
        .comuni
        .get(&found.comune)
        .cloned()
        .unwrap_or_else(|| found.comune.clone());
    let percent = (found.score * 100.0).round();
    let summary = match ctx.lang {
        Lang::It => &found.explanation.summary_it,
        Lang::En => &found.explanation.summary_en,
    };
    html! {
        h3 { (found.rank) ". " (found.title) }
        p class="muted" {
            (company) " · " (comune)
            @if let Some(km) = found.distance_km { " · " (format!("{km:.0}")) " km" }
            " · "
            @match &found.placement {
                PlacementType::Contract { contract_type } => { (ctx.t("desk.contract")) " " (contract_type) }
                PlacementType::Tirocinio { months, .. } => { (ctx.t("desk.tirocinio")) " " (months) " " (ctx.t("desk.months")) }
            }
            " · "
            @match &found.source {
                VacancySource::Public => { (ctx.t("desk.public")) }
                VacancySource::Agency { name } => { (ctx.t("desk.agency")) " " (name) }
            }
        }
        p {
            span class="score" { (ctx.t("desk.score")) " " (percent) "%" } " "
            meter min="0" max="1" value=(found.score) aria-label=(ctx.t("desk.score")) {}
        }
        @if !found.unmet_conditions.is_empty() {
            p class="unsuitable" {
                strong { (ctx.t("desk.unsuitable")) } " "
                (found.unmet_conditions.iter().map(|condition| match ctx.lang {
                    Lang::It => condition.describe_it(),
                    Lang::En => condition.describe_en(),
                }).collect::<Vec<_>>().join("; "))
            }
        }
        p { (summary) }
        p { a class="training" href={ "/console/desk/people/" (view.seeker.id) "/vacancies/" (found.vacancy_id) "/training" } { (ctx.t("training.link")) } }
        details {
            summary { (ctx.t("desk.explanation")) }
            ul class="bars" {
                @for item in &found.explanation.items { (requirement_bar(ctx, item)) }
            }
        }
        (placement_form(ctx, view, found, back))
    }
}

fn kind_key(kind: PlacementKind) -> &'static str {
    match kind {
        PlacementKind::Proposal => "desk.proposal",
        PlacementKind::Placement => "desk.placement_kind",
    }
}

fn mode_key(mode: PlacementMode) -> &'static str {
    match mode {
        PlacementMode::Contract => "desk.contract",
        PlacementMode::Tirocinio => "desk.tirocinio",
    }
}

/// The small "record a proposal or a placement" form of one ranked vacancy.
fn placement_form(ctx: &Ctx, view: &PersonView, found: &VacancyMatch, back: &str) -> Markup {
    let field = |name: &str| format!("{name}-{}", found.vacancy_id);
    let tirocinio = matches!(found.placement, PlacementType::Tirocinio { .. });
    html! {
        details class="record" {
            summary { (ctx.t("desk.record")) }
            form method="post" action={ "/console/desk/people/" (view.seeker.id) "/placements" } class="placement-form" {
                (csrf_field(ctx))
                input type="hidden" name="vacancy" value=(found.vacancy_id);
                input type="hidden" name="back" value=(back);
                div class="row" {
                    div {
                        label for=(field("kind")) { (ctx.t("desk.kind")) }
                        select id=(field("kind")) name="kind" {
                            option value="proposal" { (ctx.t("desk.proposal")) }
                            option value="placement" { (ctx.t("desk.placement_kind")) }
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
                label for=(field("note")) { (ctx.t("desk.note")) }
                textarea id=(field("note")) name="note" maxlength="500" rows="2" aria-describedby=(field("note-help")) {}
                p id=(field("note-help")) class="muted" { (ctx.t("desk.note_help")) }
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
            course_ids: Vec::new(),
            note: Some(form.note),
            recorded_by: principal.label.clone(),
        };
        let kind = record.kind;
        let target = id.as_str().to_string();
        let vacancy = record.vacancy_id.as_str().to_string();
        let back = PersonFilters::from_query(&form_back);
        state
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
            .await?;
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

/// One requirement as a bar: label, credit as a meter, met / related / missing with why.
fn requirement_bar(ctx: &Ctx, item: &RequirementExplanation) -> Markup {
    let (kind, mut why) = match &item.outcome {
        MatchOutcome::Exact { level, deficit } if *deficit == 0 => (
            "met",
            format!(
                "{} {level}/{}",
                ctx.t("explain.level_held"),
                item.required_level
            ),
        ),
        MatchOutcome::Exact { level, .. } => (
            "related",
            format!(
                "{} {level}/{}",
                ctx.t("explain.level_low"),
                item.required_level
            ),
        ),
        MatchOutcome::Related {
            via_label,
            relation,
            parent_label,
            level,
            ..
        } => {
            let relation = match (ctx.lang, parent_label) {
                (Lang::It, Some(parent)) => format!("{} «{parent}»", relation.describe_it()),
                (Lang::En, Some(parent)) => format!("{} \"{parent}\"", relation.describe_en()),
                (Lang::It, None) => relation.describe_it().to_string(),
                (Lang::En, None) => relation.describe_en().to_string(),
            };
            (
                "related",
                format!(
                    "{} {via_label} ({relation}, {} {level})",
                    ctx.t("explain.via"),
                    ctx.t("explain.level")
                ),
            )
        }
        MatchOutcome::Missing => ("missing", ctx.t("explain.missing_detail").to_string()),
    };
    // The same notes as the core's requirement lines (`RequirementExplanation::line_it`).
    if let Some(source) = &item.presumed_from {
        why.push_str(&format!(" — {} ({source})", ctx.t("explain.presumed")));
    }
    let tag = match kind {
        "met" => ctx.t("explain.met"),
        "related" => ctx.t("explain.related"),
        _ => ctx.t("explain.missing"),
    };
    html! {
        li data-outcome=(kind) {
            span {
                (item.label)
                @if item.essential { " " abbr title=(ctx.t("explain.essential")) { "*" } }
            }
            meter min="0" max="1" low="0.34" high="0.99" optimum="1" value=(item.credit)
                aria-label={ (item.label) ": " (format!("{:.0}", item.credit * 100.0)) "%" } {}
            span class="why" {
                span class={ "tag " (kind) } { (tag) } " " (why)
                @if item.gap { " " span class="tag gap" { (ctx.t("explain.gap")) } }
            }
        }
    }
}
