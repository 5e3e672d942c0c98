//! The person page: competences with evidence, work history, and the ranked vacancies (with
//! the API's filters) with the explanation of each score.

use super::proposals::placement_form;
use super::requirement_bar;
use crate::api::MatchParams;
use crate::console::i18n::Lang;
use crate::console::words;
use crate::console::{now, sections, Ctx, Fail};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::{
    Action, AuditEntry, Channel, Outcome, RankedItem, RankingLogEntry, RankingRequest, Whose,
};
use incontro_core::matching::VacancyMatch;
use incontro_core::model::{
    EntityId, Evidence, JobSeeker, OccupationCode, PersonalData, VacancySource,
};
use incontro_core::placements::{Placement, PlacementKind, PlacementMode};
use incontro_core::profile::ProfileEntry;
use incontro_core::vocabulary::Vocabulary;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;

/// Filters of the person page (the API's matching parameters, as a GET form).
#[derive(Debug, Default, Deserialize)]
pub struct PersonFilters {
    near_km: Option<String>,
    near: Option<String>,
    placement: Option<String>,
    source: Option<String>,
    exact: Option<String>,
    all: Option<String>,
    recorded: Option<String>,
    recorded_vacancy: Option<String>,
}

impl PersonFilters {
    /// The filters as a query string (without the notices).
    pub(super) fn query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("near", &self.near),
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
    pub(super) fn from_query(raw: &str) -> PersonFilters {
        let filters: PersonFilters = serde_urlencoded::from_str(raw).unwrap_or_default();
        PersonFilters {
            recorded: None,
            recorded_vacancy: None,
            ..filters
        }
    }

    fn to_params(&self, lang: Lang, words: &Vocabulary) -> Result<MatchParams, Fail> {
        // The centre of the distance filter, typed as a name ("Capannori (LU)").
        let near = match self.near.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                words
                    .find_comune(text)
                    .map_err(Fail::from)?
                    .as_str()
                    .to_string(),
            ),
        };
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
            near_km: near_km.or(near.as_ref().map(|_| 30.0)),
            near,
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
pub(super) struct PersonView {
    pub(super) seeker: JobSeeker,
    personal: PersonalData,
    profile: Vec<(ProfileEntry, String)>,
    history: Vec<(String, String)>,
    matches: Vec<VacancyMatch>,
    /// The ranking log id of `matches` (issue 18: every ranking served is logged).
    ranking_log_id: Option<i64>,
    companies: HashMap<String, String>,
    /// Vacancy id → company id, for the recorded proposals.
    vacancy_companies: HashMap<String, String>,
    words: Vocabulary,
    placements: Vec<Placement>,
    /// Courses not yet ended, `(id, title)`, for a proposal that carries one.
    pub(super) courses: Vec<(String, String)>,
    /// A proposal the engine refused, shown again on its card with the reason (issue 15, point 4).
    pub(super) kept: Option<KeptPlacement>,
}

/// What the desk typed in a refused proposal, and why it was refused.
#[derive(Debug, Clone)]
pub(super) struct KeptPlacement {
    pub(super) vacancy: String,
    pub(super) kind: String,
    pub(super) placement_type: String,
    pub(super) course: String,
    pub(super) note: String,
    pub(super) error: String,
    /// The engine's error code (`proposal_exists`…), on the message as `data-code`.
    pub(super) code: &'static str,
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
    person_inner_with(ctx, state, raw_id, filters, None).await
}

pub(super) async fn person_inner_with(
    ctx: &Ctx,
    state: &AppState,
    raw_id: String,
    filters: PersonFilters,
    kept: Option<KeptPlacement>,
) -> Result<HttpResponse, Fail> {
    let status = if kept.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let user = ctx.require(sections::DESK)?;
    let principal = user.principal.clone();
    principal.authorize(Action::ReadPerson)?;
    let id = EntityId::parse(&raw_id)?;
    let vocabulary = state.call(|engine| engine.vocabulary()).await?;
    let params = filters.to_params(ctx.lang, &vocabulary)?;
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
                        OccupationCode::Cp2011(code) => vocabulary
                            .cp2011(code)
                            .map_or_else(|| format!("CP2011 {code}"), str::to_string),
                    };
                    let period = format!(
                        "{} – {}",
                        words::date_short(job.start),
                        job.end.map_or_else(|| "…".to_string(), words::date_short)
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
            let mut vacancy_companies = HashMap::new();
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
            let placements = engine.placements_for_person(&id)?;
            let today = now(engine).date();
            let mut courses: Vec<(String, String)> = engine
                .list_courses()?
                .into_iter()
                .filter(|course| course.end >= today)
                .map(|course| (course.id.as_str().to_string(), course.title))
                .collect();
            courses.sort_by(|a, b| a.1.cmp(&b.1));
            // Proposals name the company.
            for record in &placements {
                if let Ok(vacancy_id) = EntityId::parse(&record.vacancy_id) {
                    if let Ok(vacancy) = engine.get_vacancy(&vacancy_id) {
                        let company_id = vacancy.company_id.as_str().to_string();
                        if !companies.contains_key(&company_id) {
                            if let Ok(company) = engine.get_company(&vacancy.company_id) {
                                companies.insert(company_id.clone(), company.name);
                            }
                        }
                        vacancy_companies.insert(record.vacancy_id.clone(), company_id);
                    }
                }
            }
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
                vacancy_companies,
                words: vocabulary,
                placements,
                courses,
                kept,
            })
        })
        .await?;
    let title = format!("{} {}", view.personal.first_name, view.personal.last_name);
    let body = person_body(ctx, &view, &filters);
    Ok(ctx.page(status, &title, body))
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
    let comune = view.words.comune_label(seeker.comune.as_str());
    // Sex is always recorded for a job seeker (the "nato/a" form is for records without it).
    let born = match seeker.sex {
        incontro_core::model::Sex::F => ctx.t("words.born_f"),
        incontro_core::model::Sex::M => ctx.t("words.born_m"),
    };
    let contract_types: Vec<String> = seeker
        .conditions
        .contract_types
        .iter()
        .map(|code| {
            view.words
                .contract_type(code)
                .map_or_else(|| code.clone(), str::to_string)
        })
        .collect();
    let selected = |value: &Option<String>, option: &str| value.as_deref() == Some(option);
    html! {
        p { a href="/console/desk" { "← " (ctx.t("desk.title")) } }
        h1 { (view.personal.first_name) " " (view.personal.last_name) }
        @match filters.recorded.as_deref() {
            Some("assessed") => { p class="notice ok" role="status" id="saved" { (ctx.t("words.assessed")) } }
            Some("conditions") => { p class="notice ok" role="status" id="saved" { (ctx.t("words.conditions_saved")) } }
            _ => {}
        }
        p class="muted" {
            (ctx.t("desk.id")) " " (seeker.id) " · " (born) " " (seeker.birth_year) " · " (comune)
            @if seeker.accepts_tirocinio { " · " (ctx.t("desk.accepts_tirocinio")) } @else { " · " (ctx.t("desk.no_tirocinio")) }
            @if !contract_types.is_empty() { " · " (ctx.t("desk.contract_types")) " " (contract_types.join(", ")) }
            @if let Some(max) = seeker.conditions.max_weekly_hours { " · " (ctx.t("desk.max_hours")) " " (max) }
            @if let Some(km) = seeker.conditions.max_distance_km { " · " (ctx.t("desk.max_km")) " " (km) " km" }
        }
        p { a id="edit-conditions" href={ "/console/desk/people/" (seeker.id) "/conditions" } { (ctx.t("words.edit_conditions")) } }
        section aria-labelledby="contacts" {
            h2 id="contacts" { (ctx.t("words.contacts")) }
            dl class="contacts" {
                dt { (ctx.t("words.mobile")) }
                dd { @match &view.personal.mobile { Some(mobile) => { a href={ "tel:" (mobile) } { (mobile) } }, None => { span class="muted" { (ctx.t("words.no_contact")) } } } }
                dt { (ctx.t("words.email")) }
                dd { @match &view.personal.email { Some(email) => { a href={ "mailto:" (email) } { (email) } }, None => { span class="muted" { (ctx.t("words.no_contact")) } } } }
            }
            p class="muted" { (ctx.t("words.contacts_audited")) }
        }
        // Long page: tabs to its parts (issue 15, point 6).
        nav class="tabs" aria-label=(ctx.t("desk.sections")) {
            ul {
                li { a href="#competences" { (ctx.t("desk.competences")) } }
                li { a href="#vacancies" { (ctx.t("desk.vacancies")) } }
                li { a href="#placements" { (ctx.t("desk.placements")) } }
            }
        }
        h2 id="competences" { (ctx.t("desk.competences")) " " span class="muted" { "(" (words::count(ctx.lang, view.profile.len(), "words.competence", "words.competences")) ")" } }
        div class="table-wrap" {
            table class="stack" {
                thead { tr { th scope="col" { (ctx.t("desk.skill")) } th scope="col" { (ctx.t("desk.level")) }
                    th scope="col" { (ctx.t("desk.evidence")) } th scope="col" { (ctx.t("desk.source")) }
                    th scope="col" { (ctx.t("words.assess_column")) } } }
                tbody {
                    @for (row, (entry, label)) in view.profile.iter().enumerate() {
                        tr {
                            td data-label=(ctx.t("desk.skill")) { (label) }
                            td data-label=(ctx.t("desk.level")) { (entry.level.get()) " / 4" }
                            td data-label=(ctx.t("desk.evidence")) { (ctx.t(evidence_key(&entry.evidence)))
                                @if entry.confidence < 1.0 { " " span class="muted" { "(" (format!("{:.0}", entry.confidence * 100.0)) "%)" } } }
                            td data-label=(ctx.t("desk.source")) {
                                @match ctx.lang { Lang::It => { (view.words.name_codes(&entry.provenance_it())) }, Lang::En => { (entry.source) } }
                            }
                            td data-label=(ctx.t("words.assess_column")) {
                                (crate::console::person_edits::assess_form(ctx, seeker.id.as_str(), entry.skill.as_str(), entry.level.get(), row))
                            }
                        }
                    }
                }
            }
        }
        (crate::console::person_edits::add_competence_form(ctx, seeker.id.as_str()))
        h2 id="history" { (ctx.t("desk.history")) }
        @if view.history.is_empty() { p { (ctx.t("desk.no_history")) } }
        ul {
            @for (occupation, period) in &view.history { li { (occupation) " " span class="muted" { "(" (period) ")" } } }
        }
        h2 id="placements" { (ctx.t("desk.placements")) }
        @if let Some(kind) = filters.recorded.as_deref().filter(|kind| ["placement", "proposal", "corrected", "withdrawn"].contains(kind)) {
            p class="notice ok" role="status" {
                (ctx.t(match kind {
                    "placement" => "desk.placement_recorded",
                    "corrected" => "words.corrected",
                    "withdrawn" => "words.withdrawn_done",
                    _ => "desk.proposal_recorded",
                }))
            }
        }
        @if view.placements.is_empty() { p { (ctx.t("desk.no_placements")) } }
        ul class="placements" {
            @for record in &view.placements {
                li data-kind=(record.kind.as_str()) {
                    strong { (ctx.t(kind_key(record.kind))) } " · "
                    (record.vacancy_title.clone().unwrap_or_else(|| record.vacancy_id.clone()))
                    @if let Some(company) = view.vacancy_companies.get(&record.vacancy_id).and_then(|id| view.companies.get(id)) {
                        " · " span class="company" { (company) }
                    }
                    " · " (ctx.t(mode_key(record.placement_type))) " "
                    span class="muted" { "(" (words::date_short(record.recorded_on)) ", " (record.recorded_by) ")" }
                    @if !record.course_ids.is_empty() {
                        " · " (ctx.t("desk.courses")) " "
                        span class="courses" {
                            (record.course_ids.iter().map(|id| view.courses.iter().find(|(course, _)| course == id).map_or(id.as_str(), |(_, title)| title.as_str())).collect::<Vec<_>>().join(", "))
                        }
                    }
                    @if let Some(note) = &record.note { br; span class="note" { (note) } }
                    (crate::console::person_edits::placement_actions(ctx, seeker.id.as_str(), record, &view.courses))
                }
            }
        }
        h2 id="vacancies" { (ctx.t("desk.vacancies")) }
        p { a class="doors" href={ "/console/desk/people/" (seeker.id) "/doors" } { (ctx.t("words.doors")) } }
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
                        label for="near" { (ctx.t("words.near")) }
                        input type="text" id="near" name="near" list="comuni-list" autocomplete="off"
                            aria-describedby="near-help"
                            value=(filters.near.clone().unwrap_or_default());
                        (words::comuni_datalist("comuni-list", &view.words))
                        p id="near-help" class="muted" { (ctx.t("words.near_help")) }
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
    let comune = view.words.comune_label(&found.comune);
    let has_gap = found.explanation.items.iter().any(|item| item.gap);
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
            span class="contract" { (words::placement(ctx.lang, &view.words, &found.placement)) }
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
        // Courses only where there is a gap to close: a full match needs none.
        @if has_gap {
            p { a class="training" href={ "/console/desk/people/" (view.seeker.id) "/vacancies/" (found.vacancy_id) "/training" } { (ctx.t("training.link")) } }
        } @else if percent >= 100.0 {
            p class="full-match" { (ctx.t("words.full_match")) }
        }
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
