//! Vacancies as the desk works them (issue 15): the office's vacancies, a vacancy page
//! (description, positions, dates, status, contract in words) with its ranked candidates and the
//! explanation of each score, edit (back to draft) and close; a new company; and the validators'
//! queue of drafts waiting for validation. Same engine calls and checks as the `/v1` routes.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::{
    Action, AuditEntry, Channel, Outcome, RankedItem, RankingLogEntry, RankingRequest,
    StatusFilter, VacancyFilter, Whose,
};
use incontro_core::matching::CandidateMatch;
use incontro_core::model::{Company, EntityId, PlacementType, Vacancy, VacancyStatus};
use incontro_core::vocabulary::Vocabulary;
use maud::{html, Markup};
use serde::Deserialize;

use super::desk::requirement_bar;
use super::i18n::Lang;
use super::layout::{self, csrf_field};
use super::session::random_token;
use super::words;
use super::{now, sections, Ctx, Fail};
use crate::api::{CompanyBody, MatchParams, SiteBody};
use crate::state::AppState;

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

/// The edit form's fields (the vacancy as the validators' create form has it).
#[derive(Debug, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    comune: String,
    #[serde(default)]
    positions: String,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
}

impl EditForm {
    /// The form as the vacancy fills it.
    fn of(vacancy: &Vacancy, vocabulary: &Vocabulary) -> EditForm {
        EditForm {
            csrf: String::new(),
            title: vacancy.title.clone(),
            description: vacancy.description.clone(),
            comune: vocabulary.comune_label(vacancy.comune.as_str()),
            positions: vacancy.positions.to_string(),
            opens: vacancy.opens.to_string(),
            closes: vacancy
                .closes
                .map(|day| day.to_string())
                .unwrap_or_default(),
        }
    }
}

/// A form error next to its field: `(field, message)`.
type FieldError = (&'static str, String);

/// `GET /console/offers/{id}/edit`
pub async fn edit_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::DESK)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path.into_inner())?;
        let (vacancy, vocabulary) = state
            .call(move |engine| {
                Ok((
                    engine.vacancy_for(&principal, Action::WriteVacancy, &id)?,
                    engine.vocabulary()?,
                ))
            })
            .await?;
        let typed = EditForm::of(&vacancy, &vocabulary);
        let body = edit_body(&ctx, &vacancy, &vocabulary, &typed, None);
        Ok(ctx.page(StatusCode::OK, ctx.t("vacancies.edit"), body))
    }
    .await;
    ctx.finish(result)
}

fn edit_body(
    ctx: &Ctx,
    vacancy: &Vacancy,
    vocabulary: &Vocabulary,
    typed: &EditForm,
    error: Option<FieldError>,
) -> Markup {
    let errors = layout::FieldErrors(error.as_ref());
    let message = |field: &str| errors.message(field);
    let invalid = |field: &str| errors.invalid(field);
    let described = |field: &str| errors.described(field);
    let field_error = |field: &str| errors.render(field);
    html! {
        p { a href={ "/console/offers/" (vacancy.id) } { "← " (vacancy.title) } }
        h1 { (ctx.t("vacancies.edit")) }
        @if matches!(vacancy.status, VacancyStatus::Validated { .. }) {
            p class="notice" role="note" id="back-to-draft" { (ctx.t("vacancies.back_to_draft")) }
        }
        @if let Some(text) = message("") { p class="notice error" role="alert" id="edit-error" { (text) } }
        form method="post" action={ "/console/offers/" (vacancy.id) "/edit" } class="edit-vacancy" {
            (csrf_field(ctx))
            label for="title" { (ctx.t("vacancy.title_field")) }
            input type="text" id="title" name="title" required maxlength="200" value=(typed.title)
                aria-invalid=[invalid("title")] aria-describedby=[described("title")];
            (field_error("title"))
            label for="description" { (ctx.t("vacancy.description")) }
            textarea id="description" name="description" rows="4" maxlength="5000" { (typed.description) }
            label for="comune" { (ctx.t("vacancy.comune")) }
            input type="text" id="comune" name="comune" list="edit-comuni" required autocomplete="off"
                value=(typed.comune) aria-invalid=[invalid("comune")] aria-describedby=[described("comune")];
            (words::comuni_datalist("edit-comuni", vocabulary))
            (field_error("comune"))
            div class="row" {
                div {
                    label for="positions" { (ctx.t("vacancy.positions")) }
                    input type="number" id="positions" name="positions" min="1" max="999" required value=(typed.positions)
                        aria-invalid=[invalid("positions")] aria-describedby=[described("positions")];
                    (field_error("positions"))
                }
                div {
                    label for="opens" { (ctx.t("vacancy.opens")) }
                    input type="date" id="opens" name="opens" required value=(typed.opens)
                        aria-invalid=[invalid("opens")] aria-describedby=[described("opens")];
                    (field_error("opens"))
                }
                div {
                    label for="closes" { (ctx.t("vacancy.closes")) }
                    input type="date" id="closes" name="closes" value=(typed.closes)
                        aria-invalid=[invalid("closes")] aria-describedby=[described("closes")];
                    (field_error("closes"))
                }
            }
            button type="submit" { (ctx.t("vacancies.save")) }
        }
    }
}

fn parse_day(raw: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// The field of the edit form an engine error belongs to (`""`: the whole form).
fn edit_field(code: incontro_core::ErrorCode) -> &'static str {
    use incontro_core::ErrorCode;
    match code {
        ErrorCode::InvalidField | ErrorCode::InvalidVacancy => "title",
        ErrorCode::UnknownComune
        | ErrorCode::AmbiguousComune
        | ErrorCode::InvalidComune
        | ErrorCode::OtherOffice => "comune",
        ErrorCode::InvalidPositions => "positions",
        ErrorCode::InvalidDates | ErrorCode::InvalidDate => "closes",
        _ => "",
    }
}

/// `POST /console/offers/{id}/edit`: `Engine::update_vacancy` (a validated vacancy goes back
/// to draft, its competences stay). A mistake comes back next to its field with everything
/// typed kept (issue 15, point 4).
pub async fn edit(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<EditForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::DESK)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path.into_inner())?;
        let form = form.into_inner();
        let target = id.as_str().to_string();
        let typed = EditForm {
            csrf: String::new(),
            ..form
        };
        let sent = EditForm {
            csrf: String::new(),
            title: typed.title.clone(),
            description: typed.description.clone(),
            comune: typed.comune.clone(),
            positions: typed.positions.clone(),
            opens: typed.opens.clone(),
            closes: typed.closes.clone(),
        };
        let invalid_date = ctx.t("words.invalid_date").to_string();
        let invalid_number = ctx.t("vacancy.number_invalid").to_string();
        let (outcome, existing, vocabulary) = state
            .call(move |engine| {
                let existing = engine.vacancy_for(&principal, Action::WriteVacancy, &id)?;
                let vocabulary = engine.vocabulary()?;
                let checked = (|| -> Result<Result<Vacancy, FieldError>, incontro_core::Error> {
                    let Some(opens) = parse_day(&sent.opens) else {
                        return Ok(Err(("opens", invalid_date.clone())));
                    };
                    let closes = match sent.closes.trim() {
                        "" => None,
                        raw => match parse_day(raw) {
                            Some(day) => Some(day),
                            None => return Ok(Err(("closes", invalid_date.clone()))),
                        },
                    };
                    let Ok(positions) = sent.positions.trim().parse::<u16>() else {
                        return Ok(Err(("positions", invalid_number.clone())));
                    };
                    let comune = vocabulary.find_comune(&sent.comune)?;
                    let title = sent.title.trim().to_string();
                    if title.is_empty() || title.chars().count() > 200 {
                        return Err(incontro_core::Error::invalid(
                            incontro_core::ErrorCode::InvalidField,
                            "title must be 1-200 characters",
                        ));
                    }
                    let updated = Vacancy {
                        title,
                        description: sent.description.trim().to_string(),
                        comune,
                        positions,
                        opens,
                        closes,
                        ..existing.clone()
                    };
                    engine.update_vacancy(&principal, &updated).map(Ok)
                })();
                Ok((checked, existing, vocabulary))
            })
            .await?;
        let error = match outcome {
            Ok(Ok(_)) => return Ok(ctx.see_other(&format!("/console/offers/{target}?done=edited"))),
            Ok(Err(error)) => error,
            Err(error) if error.code() == incontro_core::ErrorCode::InvalidField => {
                ("title", ctx.t("vacancy.title_invalid").to_string())
            }
            Err(error) if error.kind() == incontro_core::ErrorKind::Invalid => (
                edit_field(error.code()),
                ctx.lang.error_message(error.code(), &error.to_string()),
            ),
            Err(error) => return Err(Fail::from(error)),
        };
        let body = edit_body(&ctx, &existing, &vocabulary, &typed, Some(error));
        Ok(ctx.page(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.t("vacancies.edit"),
            body,
        ))
    }
    .await;
    ctx.finish(result)
}

/// The close form.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
    /// `yes` once the desk confirmed (closing is final: issue 15, point 7).
    #[serde(default)]
    confirm: String,
}

/// `POST /console/offers/{id}/close`
pub async fn close(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::DESK)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path.into_inner())?;
        let target = id.as_str().to_string();
        if form.confirm != "yes" {
            // Closing cannot be undone: say so and ask first.
            let checked = principal.clone();
            let lookup = id.clone();
            let vacancy = state
                .call(move |engine| engine.vacancy_for(&checked, Action::WriteVacancy, &lookup))
                .await?;
            let body = html! {
                h1 { (ctx.t("vacancies.confirm_close_title")) }
                div class="card" id="confirm-close" {
                    p { (ctx.t("vacancies.confirm_close_text")) " «" (vacancy.title) "»." }
                    form method="post" action={ "/console/offers/" (target) "/close" } {
                        (csrf_field(&ctx))
                        input type="hidden" name="confirm" value="yes";
                        button type="submit" class="danger" { (ctx.t("vacancies.confirm_close")) }
                    }
                    p { a href={ "/console/offers/" (target) } { (ctx.t("vacancies.confirm_back")) } }
                }
            };
            return Ok(ctx.page(
                StatusCode::OK,
                ctx.t("vacancies.confirm_close_title"),
                body,
            ));
        }
        state
            .call(move |engine| engine.close_vacancy(&principal, &id))
            .await?;
        Ok(ctx.see_other(&format!("/console/offers/{target}?done=closed")))
    }
    .await;
    ctx.finish(result)
}

/// The new-company form.
#[derive(Debug, Default, Deserialize)]
pub struct CompanyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    codice_fiscale: String,
    #[serde(default)]
    partita_iva: String,
    #[serde(default)]
    ateco: String,
    #[serde(default)]
    comune: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    offers_tirocini: Option<String>,
}

/// `GET /console/employers/new`
pub async fn new_company_page(ctx: Ctx, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        ctx.require(sections::DESK)?;
        let vocabulary = state.call(|engine| engine.vocabulary()).await?;
        let body = company_form(&ctx, &CompanyForm::default(), &vocabulary, None);
        Ok(ctx.page(StatusCode::OK, ctx.t("vacancies.new_company"), body))
    }
    .await;
    ctx.finish(result)
}

fn company_form(
    ctx: &Ctx,
    form: &CompanyForm,
    vocabulary: &Vocabulary,
    error: Option<&str>,
) -> Markup {
    html! {
        p { a href="/console/offers" { "← " (ctx.t("vacancies.title")) } }
        h1 { (ctx.t("vacancies.new_company")) }
        @if let Some(error) = error { p class="notice error" role="alert" id="company-error" { (error) } }
        form method="post" action="/console/employers" class="new-company" {
            (csrf_field(ctx))
            label for="name" { (ctx.t("companies.name")) }
            input type="text" id="name" name="name" required maxlength="200" value=(form.name);
            div class="row" {
                div {
                    label for="codice_fiscale" { (ctx.t("words.cf")) }
                    input type="text" id="codice_fiscale" name="codice_fiscale" required maxlength="16" autocomplete="off" value=(form.codice_fiscale);
                }
                div {
                    label for="partita_iva" { (ctx.t("vacancies.partita_iva")) }
                    input type="text" id="partita_iva" name="partita_iva" maxlength="11" inputmode="numeric" autocomplete="off" value=(form.partita_iva);
                }
            }
            label for="ateco" { (ctx.t("words.sector")) }
            input type="text" id="ateco" name="ateco" list="ateco-list" autocomplete="off" aria-describedby="ateco-help" value=(form.ateco);
            datalist id="ateco-list" {
                @for (code, label) in vocabulary.labels(incontro_core::vocabulary::CodeList::Ateco) {
                    option value=(code) { (label) }
                }
            }
            p id="ateco-help" class="muted" { (ctx.t("vacancies.ateco_help")) }
            label for="comune" { (ctx.t("vacancies.site")) }
            input type="text" id="comune" name="comune" list="company-comuni" required autocomplete="off" value=(form.comune);
            (words::comuni_datalist("company-comuni", vocabulary))
            label for="address" { (ctx.t("vacancies.address")) }
            input type="text" id="address" name="address" maxlength="200" autocomplete="off" value=(form.address);
            label class="check" {
                input type="checkbox" name="offers_tirocini" checked[form.offers_tirocini.is_some()];
                (ctx.t("vacancies.offers_tirocini"))
            }
            button type="submit" { (ctx.t("vacancies.create_company")) }
        }
    }
}

/// `POST /console/employers`: `Engine::create_company` (the same checks as `POST
/// /v1/companies`); a mistake shows the form again, with everything typed kept.
pub async fn create_company(
    ctx: Ctx,
    state: web::Data<AppState>,
    form: web::Form<CompanyForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let result = async {
        ctx.require(sections::DESK)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        let kept = CompanyForm {
            csrf: String::new(),
            name: form.name.clone(),
            codice_fiscale: form.codice_fiscale.clone(),
            partita_iva: form.partita_iva.clone(),
            ateco: form.ateco.clone(),
            comune: form.comune.clone(),
            address: form.address.clone(),
            offers_tirocini: form.offers_tirocini.clone(),
        };
        let outcome = state
            .call(move |engine| {
                let vocabulary = engine.vocabulary()?;
                let attempt = (|| {
                    let comune = vocabulary.find_comune(&form.comune)?;
                    // The sector may be typed as its code or picked by its description.
                    let ateco = form.ateco.trim();
                    let ateco = vocabulary
                        .labels(incontro_core::vocabulary::CodeList::Ateco)
                        .into_iter()
                        .find(|(code, label)| *code == ateco || label.eq_ignore_ascii_case(ateco))
                        .map_or_else(|| ateco.to_string(), |(code, _)| code.to_string());
                    let body = CompanyBody {
                        id: Some(format!("C{}", random_token()[..10].to_uppercase())),
                        name: form.name.trim().to_string(),
                        codice_fiscale: form.codice_fiscale.trim().to_string(),
                        partita_iva: Some(form.partita_iva.trim().to_string())
                            .filter(|p| !p.is_empty()),
                        ateco: Some(ateco).filter(|a| !a.is_empty()),
                        offers_tirocini: form.offers_tirocini.is_some(),
                        sites: vec![SiteBody {
                            comune: comune.as_str().to_string(),
                            address: Some(form.address.trim().to_string())
                                .filter(|a| !a.is_empty()),
                        }],
                    };
                    let company = body.into_company(None)?;
                    engine.create_company(&principal, &company)?;
                    Ok::<_, incontro_core::Error>(company.id)
                })();
                Ok((attempt, vocabulary))
            })
            .await?;
        match outcome {
            (Ok(id), _) => Ok(ctx.see_other(&format!("/console/employers/{id}"))),
            (Err(error), vocabulary) if error.kind() == incontro_core::ErrorKind::Invalid => {
                let message = ctx.lang.error_message(error.code(), &error.to_string());
                let body = company_form(&ctx, &kept, &vocabulary, Some(&message));
                Ok(ctx.page(
                    StatusCode::BAD_REQUEST,
                    ctx.t("vacancies.new_company"),
                    body,
                ))
            }
            (Err(error), _) => Err(Fail::from(error)),
        }
    }
    .await;
    ctx.finish(result)
}

/// `GET /console/employers/{id}`: a company as the desk sees it, with its vacancies.
pub async fn company_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::DESK)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path.into_inner())?;
        let (company, vacancies, vocabulary) = state
            .call(move |engine| {
                let company = engine.company_for(&principal, Action::ReadCompany, &id)?;
                let filter = VacancyFilter {
                    company_id: Some(id.clone()),
                    comune: None,
                    status: None::<StatusFilter>,
                };
                let (vacancies, _) = engine.vacancies_visible_to(&principal, &filter, 200, 0)?;
                Ok((company, vacancies, engine.vocabulary()?))
            })
            .await?;
        let sector = company.ateco.as_deref().map(|code| {
            vocabulary
                .ateco(code)
                .map_or_else(|| code.to_string(), |label| format!("{label} ({code})"))
        });
        let body = html! {
            p { a href="/console/offers" { "← " (ctx.t("vacancies.title")) } }
            h1 { (company.name) }
            dl class="facts" {
                dt { (ctx.t("words.sector")) } dd id="sector" { (sector.unwrap_or_default()) }
                dt { (ctx.t("companies.sites")) } dd {
                    (company.sites.iter().map(|site| vocabulary.comune_label(site.comune.as_str())).collect::<Vec<_>>().join(", "))
                }
                dt { (ctx.t("vacancies.offers_tirocini")) } dd { (ctx.t(if company.offers_tirocini { "vacancies.yes" } else { "vacancies.no" })) }
            }
            h2 { (ctx.t("vacancies.title")) }
            (vacancy_table(&ctx, &vacancies, &vocabulary, "/console/offers/"))
        };
        Ok(ctx.page(StatusCode::OK, &company.name, body))
    }
    .await;
    ctx.finish(result)
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
