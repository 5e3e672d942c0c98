//! Validator pages: the companies of the office, a company's page with its vacancies and a new
//! vacancy form, and the vacancy page where the competence breakdown is built (skill type-ahead
//! in Italian and English, level 1–4, essential or optional, suggestions from the chosen ESCO
//! occupation's essential skills) and validated (draft → validated, with name and date).
//! The two JSON routes behind the type-ahead call `Engine::skill_search` and
//! `Engine::occupation_search`, like `/v1/skills/search`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse, ResponseError};
use chrono::NaiveDate;
use incontro_core::access::{Action, StatusFilter, VacancyFilter};
use incontro_core::model::{Company, EntityId, PlacementType, Vacancy, VacancyStatus};
use incontro_core::taxonomy::ConceptRef;
use incontro_core::training::placement::TirocinioRule;
use incontro_core::ErrorCode;
use maud::{html, Markup};
use serde::{Deserialize, Serialize};

use super::layout::{self, csrf_field};
use super::session::random_token;
use super::{now, sections, Ctx, Fail};
use crate::api::{self, PlacementBody, RequirementBody, SourceBody, VacancyBody};
use crate::error::ApiError;
use crate::state::AppState;

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

/// `GET /console/companies/{id}`
pub async fn company_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::VALIDATOR)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path)?;
        let page = load_company(&state, principal, id).await?;
        let body = company_body(
            &ctx,
            &page,
            now(&state.engine).date(),
            &NewVacancyForm::default(),
            None,
        );
        Ok(ctx.page(StatusCode::OK, &page.company.name, body))
    }
    .await;
    ctx.finish(result)
}

/// What the company page shows: the company, its vacancies, the words for codes and the
/// tirocinio rule of each site's region (checked live as the form is filled).
struct CompanyPage {
    company: Company,
    vacancies: Vec<Vacancy>,
    words: incontro_core::vocabulary::Vocabulary,
    rules: Vec<(String, TirocinioRule)>,
}

impl CompanyPage {
    fn rule_of(&self, comune: &str) -> Option<&TirocinioRule> {
        self.rules
            .iter()
            .find(|(code, _)| code == comune)
            .map(|(_, rule)| rule)
    }
}

async fn load_company(
    state: &AppState,
    principal: incontro_core::access::Principal,
    id: EntityId,
) -> Result<CompanyPage, Fail> {
    Ok(state
        .call(move |engine| {
            let company = engine.company_for(&principal, Action::ReadCompany, &id)?;
            let filter = VacancyFilter {
                company_id: Some(id.clone()),
                comune: None,
                status: None::<StatusFilter>,
            };
            let (vacancies, _) = engine.vacancies_visible_to(&principal, &filter, 100, 0)?;
            let mut rules = Vec::new();
            for site in &company.sites {
                rules.push((
                    site.comune.as_str().to_string(),
                    engine.tirocinio_rule_at(&site.comune)?,
                ));
            }
            Ok(CompanyPage {
                company,
                vacancies,
                words: engine.vocabulary()?,
                rules,
            })
        })
        .await?)
}

/// "Toscana" for the rule of `toscana`.
fn region_words(rule: &TirocinioRule) -> String {
    let mut chars = rule.region.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// A message with `{name}` holes filled.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The rule in words: "Regole della Toscana: da 2 a 12 mesi, almeno 500 € al mese."
fn rule_words(ctx: &Ctx, rule: &TirocinioRule) -> String {
    fill(
        ctx.t("vacancy.rule_text"),
        &[
            ("region", region_words(rule)),
            ("min", rule.min_months.to_string()),
            ("max", rule.max_months.to_string()),
            ("eur", rule.min_monthly_indemnity_eur.to_string()),
        ],
    )
}

/// Why `months` and `indemnity` break the rule, in the page's language (the same words the
/// script shows live); `None` when they keep to it.
fn rule_problem(ctx: &Ctx, rule: &TirocinioRule, months: u8, indemnity: u32) -> Option<String> {
    if months < rule.min_months {
        return Some(fill(
            ctx.t("vacancy.rule_short"),
            &[("min", rule.min_months.to_string())],
        ));
    }
    if months > rule.max_months {
        return Some(fill(
            ctx.t("vacancy.rule_long"),
            &[("max", rule.max_months.to_string())],
        ));
    }
    if indemnity < rule.min_monthly_indemnity_eur {
        return Some(fill(
            ctx.t("vacancy.rule_low"),
            &[("eur", rule.min_monthly_indemnity_eur.to_string())],
        ));
    }
    None
}

/// A form error next to its field: `(field, message)`.
type FormError = Option<(&'static str, String)>;

fn error_of<'e>(error: &'e FormError, field: &str) -> Option<&'e str> {
    error
        .as_ref()
        .filter(|(of, _)| *of == field)
        .map(|(_, message)| message.as_str())
}

fn company_body(
    ctx: &Ctx,
    page: &CompanyPage,
    today: chrono::NaiveDate,
    typed: &NewVacancyForm,
    error: FormError,
) -> Markup {
    let company = &page.company;
    let comuni = &page.words;
    let comune_name = |code: &str| comuni.comune_name(code);
    let tirocinio = typed.placement == "tirocinio";
    let chosen_site = company
        .sites
        .iter()
        .find(|site| site.comune.as_str() == typed.comune)
        .or(company.sites.first())
        .map(|site| site.comune.as_str().to_string())
        .unwrap_or_default();
    let field_error = |field: &str| {
        html! {
            @if let Some(message) = error_of(&error, field) {
                p class="field-error" id={ (field) "-error" } role="alert" { (message) }
            }
        }
    };
    let invalid = |field: &str| error_of(&error, field).map(|_| "true");
    let described = |field: &str, help: Option<&str>| {
        let mut ids: Vec<String> = help.map(str::to_string).into_iter().collect();
        if error_of(&error, field).is_some() {
            ids.push(format!("{field}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let value = |typed: &str, default: &str| {
        if typed.is_empty() {
            default.to_string()
        } else {
            typed.to_string()
        }
    };
    let contract = value(&typed.contract_type, "A.02.00");
    html! {
        p { a href="/console/companies" { "← " (ctx.t("companies.title")) } }
        h1 { (company.name) }
        p class="muted" {
            (ctx.t("companies.tax_code")) " " (company.codice_fiscale.as_str())
            @if let Some(ateco) = &company.ateco { " · " (comuni.ateco(ateco).unwrap_or(ateco)) " (ATECO " (ateco) ")" }
            @if company.offers_tirocini { " · " (ctx.t("companies.offers_tirocini")) }
        }
        p { (ctx.t("companies.sites")) ": "
            (company.sites.iter().map(|site| comune_name(site.comune.as_str())).collect::<Vec<_>>().join(", ")) }
        h2 { (ctx.t("companies.vacancies")) }
        @if page.vacancies.is_empty() { p { (ctx.t("companies.no_vacancies")) } }
        ul {
            @for vacancy in &page.vacancies {
                li {
                    a href={ "/console/vacancies/" (vacancy.id) } { (vacancy.title) } " · "
                    (comune_name(vacancy.comune.as_str())) " · " (status_tag(ctx, &vacancy.status))
                }
            }
        }
        h2 id="new-vacancy" { (ctx.t("vacancy.new")) }
        // Errors come back here, next to their field, with everything typed kept (issue 15,
        // point 4); the tirocinio rule is checked live by the script and again by the server.
        form method="post" action={ "/console/companies/" (company.id) "/vacancies" } id="vacancy-form"
            data-placement-form="true"
            data-rule-text=(ctx.t("vacancy.rule_text")) data-rule-short=(ctx.t("vacancy.rule_short"))
            data-rule-long=(ctx.t("vacancy.rule_long")) data-rule-low=(ctx.t("vacancy.rule_low")) {
            (csrf_field(ctx))
            @if let Some(message) = error_of(&error, "") { p class="notice error" role="alert" id="form-error" { (message) } }
            label for="title" { (ctx.t("vacancy.title_field")) }
            input type="text" id="title" name="title" required maxlength="200" value=(typed.title)
                aria-invalid=[invalid("title")] aria-describedby=[described("title", None)];
            (field_error("title"))
            label for="description" { (ctx.t("vacancy.description")) }
            textarea id="description" name="description" maxlength="10000" { (typed.description) }
            div class="typeahead" id="occupation-box" data-url="/console/api/occupations" data-lang=(ctx.lang.code()) {
                label for="occupation-text" { (ctx.t("vacancy.occupation")) }
                input type="search" id="occupation-text" name="occupation_text" autocomplete="off" role="combobox"
                    aria-autocomplete="list" aria-expanded="false" aria-controls="occupation-list"
                    aria-describedby="occupation-help" value=(typed.occupation_text);
                input type="hidden" name="occupation" value=(typed.occupation);
                ul id="occupation-list" role="listbox" aria-label=(ctx.t("vacancy.occupation")) {}
                p class="chosen" aria-live="polite" {}
                p id="occupation-help" class="muted" { (ctx.t("vacancy.occupation_help")) }
            }
            div class="row" {
                div {
                    label for="comune" { (ctx.t("vacancy.comune")) }
                    select id="comune" name="comune" required aria-invalid=[invalid("comune")] aria-describedby=[described("comune", None)] {
                        @for site in &company.sites {
                            @let code = site.comune.as_str();
                            @let rule = page.rule_of(code);
                            option value=(code) selected[code == chosen_site]
                                data-region=[rule.map(region_words)]
                                data-min-months=[rule.map(|rule| rule.min_months)]
                                data-max-months=[rule.map(|rule| rule.max_months)]
                                data-min-indemnity=[rule.map(|rule| rule.min_monthly_indemnity_eur)] { (comune_name(code)) }
                        }
                    }
                    (field_error("comune"))
                }
                div {
                    label for="positions" { (ctx.t("vacancy.positions")) }
                    input type="number" id="positions" name="positions" min="1" max="1000" value=(value(&typed.positions, "1")) required
                        aria-invalid=[invalid("positions")] aria-describedby=[described("positions", None)];
                    (field_error("positions"))
                }
            }
            fieldset id="placement" {
                legend { (ctx.t("vacancy.placement")) }
                label class="check" { input type="radio" name="placement" value="contract" checked[!tirocinio]; (ctx.t("desk.contract")) }
                label class="check" { input type="radio" name="placement" value="tirocinio" checked[tirocinio]; (ctx.t("desk.tirocinio")) }
                div id="contract-fields" data-when="contract" {
                    label for="contract_type" { (ctx.t("vacancy.contract_type")) }
                    // The COB list in words (issue 15), not a code to type.
                    select id="contract_type" name="contract_type" aria-invalid=[invalid("contract_type")]
                        aria-describedby=[described("contract_type", None)] {
                        @for (code, label) in comuni.contract_types() {
                            option value=(code) selected[code == contract] { (label) }
                        }
                    }
                    (field_error("contract_type"))
                }
                // Only for a tirocinio (issue 15, point 10); without the script both stay visible.
                div id="tirocinio-fields" data-when="tirocinio" {
                    div class="row" {
                        div {
                            label for="months" { (ctx.t("vacancy.months")) }
                            input type="number" id="months" name="months" min="1" max="24" value=(value(&typed.months, "6"))
                                aria-invalid=[invalid("tirocinio")] aria-describedby={ "tirocinio-rule tirocinio-check" @if invalid("tirocinio").is_some() { " tirocinio-error" } };
                        }
                        div {
                            label for="indemnity" { (ctx.t("vacancy.indemnity")) }
                            input type="number" id="indemnity" name="indemnity" min="0" max="5000" value=(value(&typed.indemnity, "600"))
                                aria-invalid=[invalid("tirocinio")] aria-describedby={ "tirocinio-rule tirocinio-check" @if invalid("tirocinio").is_some() { " tirocinio-error" } };
                        }
                    }
                    p id="tirocinio-rule" class="muted" {
                        @if let Some(rule) = page.rule_of(&chosen_site) { (rule_words(ctx, rule)) }
                    }
                    p id="tirocinio-check" class="field-error" aria-live="polite" {}
                    (field_error("tirocinio"))
                }
            }
            div class="row" {
                div {
                    label for="opens" { (ctx.t("vacancy.opens")) }
                    input type="date" id="opens" name="opens" value=(value(&typed.opens, &today.to_string())) required
                        aria-invalid=[invalid("opens")] aria-describedby=[described("opens", None)];
                    (field_error("opens"))
                }
                div {
                    label for="closes" { (ctx.t("vacancy.closes")) }
                    input type="date" id="closes" name="closes" value=(typed.closes)
                        aria-invalid=[invalid("closes")] aria-describedby=[described("closes", None)];
                    (field_error("closes"))
                }
            }
            button type="submit" { (ctx.t("vacancy.create")) }
        }
    }
}

/// The new-vacancy form: every field as typed, so that an error gives it all back.
#[derive(Debug, Default, Deserialize)]
pub struct NewVacancyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    occupation: String,
    #[serde(default)]
    occupation_text: String,
    #[serde(default)]
    comune: String,
    #[serde(default)]
    positions: String,
    #[serde(default)]
    placement: String,
    #[serde(default)]
    contract_type: String,
    #[serde(default)]
    months: String,
    #[serde(default)]
    indemnity: String,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
}

fn parse_date(raw: &str) -> Result<NaiveDate, Fail> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| Fail::bad_request("dates are YYYY-MM-DD"))
}

/// The field of the new-vacancy form an engine error belongs to (`""`: the whole form).
fn vacancy_field(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidVacancy => "title",
        ErrorCode::InvalidPositions => "positions",
        ErrorCode::InvalidDates => "closes",
        ErrorCode::InvalidContractType | ErrorCode::UnknownContractType => "contract_type",
        ErrorCode::InvalidTirocinio | ErrorCode::TirocinioOutsideRules => "tirocinio",
        ErrorCode::OtherOffice | ErrorCode::InvalidComune => "comune",
        _ => "",
    }
}

/// The form as a vacancy body, or the field that is wrong and why.
fn vacancy_body_of(
    ctx: &Ctx,
    page: &CompanyPage,
    form: &NewVacancyForm,
) -> Result<VacancyBody, (&'static str, String)> {
    let number_error = || ctx.t("vacancy.number_invalid").to_string();
    let date_error = || ctx.t("words.invalid_date").to_string();
    let placement = if form.placement == "tirocinio" {
        let months: u8 = form
            .months
            .trim()
            .parse()
            .map_err(|_| ("tirocinio", number_error()))?;
        let indemnity: u32 = form
            .indemnity
            .trim()
            .parse()
            .map_err(|_| ("tirocinio", number_error()))?;
        if let Some(problem) = page
            .rule_of(form.comune.trim())
            .and_then(|rule| rule_problem(ctx, rule, months, indemnity))
        {
            return Err(("tirocinio", problem));
        }
        PlacementBody::Tirocinio {
            months,
            monthly_indemnity_eur: indemnity,
        }
    } else {
        PlacementBody::Contract {
            contract_type: form.contract_type.clone(),
        }
    };
    let positions: u16 = form
        .positions
        .trim()
        .parse()
        .map_err(|_| ("positions", number_error()))?;
    let opens = parse_date(&form.opens).map_err(|_| ("opens", date_error()))?;
    let closes = match form.closes.trim() {
        "" => None,
        raw => Some(parse_date(raw).map_err(|_| ("closes", date_error()))?),
    };
    Ok(VacancyBody {
        id: Some(format!("V{}", random_token()[..10].to_uppercase())),
        company_id: page.company.id.to_string(),
        title: form.title.clone(),
        description: form.description.clone(),
        occupation: Some(form.occupation.trim().to_string()).filter(|uri| !uri.is_empty()),
        comune: form.comune.clone(),
        placement,
        positions,
        opens,
        closes,
        source: SourceBody::Public,
        weekly_hours: None,
        requirements: Vec::new(),
    })
}

/// `POST /console/companies/{id}/vacancies`: the same conversion and engine call as
/// `POST /v1/vacancies`; the vacancy starts as a draft. A mistake comes back on the company
/// page, next to its field, with everything typed kept.
pub async fn create_vacancy(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<NewVacancyForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::VALIDATOR)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        let form = form.into_inner();
        let id = EntityId::parse(&path)?;
        let page = load_company(&state, principal.clone(), id).await?;
        let today = now(&state.engine).date();
        let again = |page: &CompanyPage, error: (&'static str, String)| {
            let body = company_body(&ctx, page, today, &form, Some(error));
            ctx.page(StatusCode::UNPROCESSABLE_ENTITY, &page.company.name, body)
        };
        let body = match vacancy_body_of(&ctx, &page, &form) {
            Ok(body) => body,
            Err(error) => return Ok(again(&page, error)),
        };
        let occupation_text = form.occupation_text.trim().to_string();
        let language = ctx.lang.code().to_string();
        let created = state
            .call(move |engine| {
                let mut body = body;
                // Without the script the occupation comes as text: take the best label match.
                if body.occupation.is_none() && occupation_text.len() >= 2 {
                    let (hits, _) = engine.occupation_search(&occupation_text, &language, 1, 0)?;
                    body.occupation = hits.into_iter().next().map(|hit| hit.uri);
                }
                Ok(body
                    .into_vacancy(None)
                    .and_then(|vacancy| engine.create_vacancy(&principal, &vacancy)))
            })
            .await?;
        match created {
            Ok(vacancy) => Ok(ctx.see_other(&format!("/console/vacancies/{}", vacancy.id))),
            Err(error) if error.kind() == incontro_core::ErrorKind::Invalid => {
                let message = ctx.lang.error_message(error.code(), &error.to_string());
                Ok(again(&page, (vacancy_field(error.code()), message)))
            }
            Err(error) => Err(Fail::from(error)),
        }
    }
    .await;
    ctx.finish(result)
}

/// What the vacancy page shows.
struct VacancyView {
    /// The contract in words (issue 15).
    contract: String,
    vacancy: Vacancy,
    company: Company,
    labels: Vec<String>,
    occupation: Option<String>,
    suggestions: Vec<ConceptRef>,
}

/// `GET /console/vacancies/{id}`
pub async fn vacancy_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    removed: web::Query<RemovedQuery>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::VALIDATOR)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path)?;
        let view = load_view(&ctx, &state, principal, id).await?;
        let body = html! {
            (removed_notice(&ctx, &view, &removed))
            (vacancy_body(&ctx, &view, None))
        };
        Ok(ctx.page(StatusCode::OK, &view.vacancy.title, body))
    }
    .await;
    ctx.finish(result)
}

/// What the vacancy page shows, read for `principal`.
async fn load_view(
    ctx: &Ctx,
    state: &AppState,
    principal: incontro_core::access::Principal,
    id: EntityId,
) -> Result<VacancyView, Fail> {
    let language = ctx.lang.code().to_string();
    let view = state
        .call(move |engine| {
            let vacancy = engine.vacancy_for(&principal, Action::ReadVacancy, &id)?;
            let company = engine.get_company(&vacancy.company_id)?;
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
            let (occupation, suggestions) = match &vacancy.occupation {
                Some(uri) => match engine.occupation_detail(uri.as_str(), &language) {
                    Ok(detail) => {
                        let taken: std::collections::HashSet<&str> = uris.iter().copied().collect();
                        let suggestions = detail
                            .essential_skills
                            .into_iter()
                            .filter(|skill| !taken.contains(skill.uri.as_str()))
                            .collect();
                        (Some(detail.occupation.label), suggestions)
                    }
                    Err(_) => (Some(uri.as_str().to_string()), Vec::new()),
                },
                None => (None, Vec::new()),
            };
            let words = engine.vocabulary()?;
            let contract = match &vacancy.placement {
                PlacementType::Contract { contract_type } => words
                    .contract_type(contract_type)
                    .map_or_else(|| contract_type.clone(), str::to_string),
                PlacementType::Tirocinio { .. } => String::new(),
            };
            Ok(VacancyView {
                contract,
                vacancy,
                company,
                labels,
                occupation,
                suggestions,
            })
        })
        .await?;
    Ok(view)
}

fn level_options(ctx: &Ctx, selected: u8) -> Markup {
    level_options_typed(ctx, &selected.to_string())
}

/// The four levels, `typed` selected; a typed value that is no level is kept as one more option
/// (so that a refused form shows what was sent).
pub(super) fn level_options_typed(ctx: &Ctx, typed: &str) -> Markup {
    let typed = typed.trim();
    let known = (1..=4u8).any(|level| level.to_string() == typed);
    html! {
        @for level in 1..=4u8 {
            option value=(level) selected[level.to_string() == typed] { (level) " – " (ctx.t(level_key(level))) }
        }
        @if !known && !typed.is_empty() {
            option value=(typed) selected { (typed) }
        }
    }
}

fn level_key(level: u8) -> &'static str {
    match level {
        1 => "level.1",
        2 => "level.2",
        3 => "level.3",
        _ => "level.4",
    }
}

/// The competence just removed (issue 15, point 7), to offer its undo.
#[derive(Debug, Default, Deserialize)]
pub struct RemovedQuery {
    removed: Option<String>,
    label: Option<String>,
    level: Option<u8>,
    essential: Option<bool>,
}

/// "Removed: … — Annulla": puts the competence back as it was (audited).
fn removed_notice(ctx: &Ctx, view: &VacancyView, removed: &RemovedQuery) -> Markup {
    let (Some(skill), Some(level), Some(essential)) =
        (&removed.removed, removed.level, removed.essential)
    else {
        return html! {};
    };
    let label = removed.label.clone().unwrap_or_else(|| skill.clone());
    html! {
        div class="notice ok" role="status" id="removed" {
            (ctx.t("vacancy.removed")) " «" (label) "». "
            form method="post" action={ "/console/vacancies/" (view.vacancy.id) "/requirements" } class="inline" {
                (csrf_field(ctx))
                input type="hidden" name="skill" value=(skill);
                input type="hidden" name="skill_text" value=(label);
                input type="hidden" name="level" value=(level);
                input type="hidden" name="essential" value=(essential);
                input type="hidden" name="restore" value="yes";
                button type="submit" class="secondary" { (ctx.t("vacancy.undo_remove")) }
            }
        }
    }
}

/// A requirement form the engine refused, as typed, with its error next to its field (issue 15,
/// point 4): `skill`, `level` or `""` (the add form's own) on the add form, `row-level` on the
/// level edited in place of the row of `typed.skill`.
pub struct KeptRequirement {
    typed: RequirementForm,
    error: (&'static str, String),
}

impl KeptRequirement {
    /// Whether the error belongs to the level edited in place of the row of `skill`.
    fn on_row(&self, skill: &str) -> bool {
        self.typed.edit == "level" && self.typed.skill.trim() == skill
    }
}

fn vacancy_body(ctx: &Ctx, view: &VacancyView, kept: Option<&KeptRequirement>) -> Markup {
    let vacancy = &view.vacancy;
    let base = format!("/console/vacancies/{}", vacancy.id);
    let may_validate = ctx
        .user
        .as_ref()
        .is_some_and(|user| user.role().allows(Action::ValidateVacancy));
    // The add form's error and what was typed in it; the row's level when the error is its.
    let add_kept = kept.filter(|kept| kept.typed.edit != "level");
    let add_errors = layout::FieldErrors(add_kept.map(|kept| &kept.error));
    let typed_text = add_kept.map_or("", |kept| kept.typed.skill_text.as_str());
    let typed_skill = add_kept.map_or("", |kept| kept.typed.skill.as_str());
    let typed_level = add_kept.map_or("2", |kept| kept.typed.level.as_str());
    let typed_optional = add_kept.is_some_and(|kept| kept.typed.essential == "false");
    let skill_described = match add_errors.described("skill") {
        Some(error) => format!("skill-help {error}"),
        None => "skill-help".to_string(),
    };
    html! {
        p { a href={ "/console/companies/" (view.company.id) } { "← " (view.company.name) } }
        h1 { (vacancy.title) }
        p { (status_tag(ctx, &vacancy.status)) }
        p class="muted" {
            @match &vacancy.placement {
                PlacementType::Contract { .. } => { span id="contract" { (view.contract) } }
                PlacementType::Tirocinio { months, monthly_indemnity_eur } => {
                    span id="contract" { (ctx.t("desk.tirocinio")) " " (months) " " (ctx.t("desk.months")) ", " (monthly_indemnity_eur) " € " (ctx.t("vacancies.per_month")) }
                }
            }
            " · " (vacancy.positions) " " (ctx.t("vacancy.positions_short"))
            @if let Some(occupation) = &view.occupation { " · ESCO: " (occupation) }
        }
        @if !vacancy.description.is_empty() { p { (vacancy.description) } }
        h2 id="breakdown" { (ctx.t("vacancy.breakdown")) }
        @if vacancy.requirements.is_empty() { p { (ctx.t("vacancy.no_requirements")) } }
        @else {
            div class="table-wrap" {
                table id="requirements" {
                    thead { tr {
                        th scope="col" { (ctx.t("desk.skill")) } th scope="col" { (ctx.t("desk.level")) }
                        th scope="col" { (ctx.t("vacancy.kind")) } th scope="col" { span class="muted" { (ctx.t("vacancy.actions")) } }
                    } }
                    tbody {
                        @for (requirement, label) in vacancy.requirements.iter().zip(&view.labels) {
                            @let row_kept = kept.filter(|kept| kept.on_row(requirement.skill.as_str()));
                            @let row_errors = layout::FieldErrors(row_kept.map(|kept| &kept.error));
                            tr data-skill=(requirement.skill.as_str()) {
                                td { (label) }
                                td {
                                    // The level edited in place (issue 15).
                                    form method="post" action={ (base) "/requirements" } class="inline level-edit" {
                                        (csrf_field(ctx))
                                        input type="hidden" name="skill" value=(requirement.skill.as_str());
                                        input type="hidden" name="essential" value=(requirement.essential);
                                        input type="hidden" name="edit" value="level";
                                        select name="level" aria-label={ (ctx.t("desk.level")) ": " (label) }
                                            aria-invalid=[row_errors.invalid("row-level")] aria-describedby=[row_errors.described("row-level")] {
                                            @match row_kept {
                                                Some(kept) => { (level_options_typed(ctx, &kept.typed.level)) }
                                                None => { (level_options(ctx, requirement.level.get())) }
                                            }
                                        }
                                        " " button type="submit" class="secondary" aria-label={ (ctx.t("vacancies.save_level")) ": " (label) } { (ctx.t("vacancies.save_level")) }
                                        (row_errors.render("row-level"))
                                    }
                                }
                                td { @if requirement.essential { (ctx.t("vacancy.essential")) } @else { (ctx.t("vacancy.optional")) } }
                                td {
                                    form method="post" action={ (base) "/requirements/remove" } class="inline" {
                                        (csrf_field(ctx))
                                        input type="hidden" name="skill" value=(requirement.skill.as_str());
                                        input type="hidden" name="label" value=(label);
                                        button type="submit" class="secondary" aria-label={ (ctx.t("vacancy.remove")) ": " (label) } { (ctx.t("vacancy.remove")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if matches!(vacancy.status, VacancyStatus::Validated { .. }) {
            p class="notice info" id="draft-warning" role="note" { (ctx.t("vacancy.back_to_draft")) }
        }
        p { a id="from-text" href={ (base) "/from-text" } { (ctx.t("vacancies.from_text")) } }
        h3 id="add" { (ctx.t("vacancy.add")) }
        form method="post" action={ (base) "/requirements" } id="add-requirement" {
            (csrf_field(ctx))
            @if let Some(text) = add_errors.message("") { p class="notice error" role="alert" id="add-requirement-error" { (text) } }
            div class="typeahead" id="skill-box" data-url="/console/api/skills" data-lang=(ctx.lang.code()) {
                label for="skill-text" { (ctx.t("vacancy.skill_search")) }
                input type="search" id="skill-text" name="skill_text" autocomplete="off" role="combobox"
                    aria-autocomplete="list" aria-expanded="false" aria-controls="skill-list"
                    aria-describedby=(skill_described) aria-invalid=[add_errors.invalid("skill")]
                    required minlength="2" value=(typed_text);
                input type="hidden" name="skill" value=(typed_skill);
                ul id="skill-list" role="listbox" aria-label=(ctx.t("vacancy.skill_search")) {}
                p class="chosen" aria-live="polite" {}
                p id="skill-help" class="muted" { (ctx.t("vacancy.skill_help")) }
                (add_errors.render("skill"))
            }
            div class="row" {
                div {
                    label for="level" { (ctx.t("desk.level")) }
                    select id="level" name="level" aria-invalid=[add_errors.invalid("level")] aria-describedby=[add_errors.described("level")] {
                        (level_options_typed(ctx, typed_level))
                    }
                    (add_errors.render("level"))
                }
                div {
                    fieldset {
                        legend { (ctx.t("vacancy.kind")) }
                        label class="check" { input type="radio" name="essential" value="true" checked[!typed_optional]; (ctx.t("vacancy.essential")) }
                        label class="check" { input type="radio" name="essential" value="false" checked[typed_optional]; (ctx.t("vacancy.optional")) }
                    }
                }
            }
            button type="submit" { (ctx.t("vacancy.add_button")) }
        }
        @if !view.suggestions.is_empty() {
            h3 id="suggestions" { (ctx.t("vacancy.suggestions")) }
            p class="muted" { (ctx.t("vacancy.suggestions_help")) }
            ul class="suggestions" {
                @for skill in &view.suggestions {
                    li {
                        form method="post" action={ (base) "/requirements" } class="inline" {
                            (csrf_field(ctx))
                            input type="hidden" name="skill" value=(skill.uri);
                            input type="hidden" name="skill_text" value=(skill.label);
                            input type="hidden" name="level" value="2";
                            input type="hidden" name="essential" value="true";
                            button type="submit" class="secondary" aria-label={ (ctx.t("vacancy.add_button")) ": " (skill.label) } { "+ " }
                        }
                        " " (skill.label)
                    }
                }
            }
        }
        h2 id="validation" { (ctx.t("vacancy.validation")) }
        @match &vacancy.status {
            VacancyStatus::Validated { by, on } => {
                p id="validated" { (ctx.t("vacancy.validated_by")) " " strong { (by) } " " (ctx.t("vacancy.on")) " " (super::words::date_long(ctx.lang, *on)) }
            }
            VacancyStatus::Closed => { p { (ctx.t("vacancy.closed")) } }
            VacancyStatus::Draft => {
                @if may_validate {
                    form method="post" action={ (base) "/validate" } {
                        (csrf_field(ctx))
                        p { (ctx.t("vacancy.validate_help")) }
                        button type="submit" id="validate" disabled[vacancy.requirements.is_empty()]
                            aria-describedby=[vacancy.requirements.is_empty().then_some("validate-why")] { (ctx.t("vacancy.validate")) }
                        @if vacancy.requirements.is_empty() {
                            " " span id="validate-why" class="muted" { (ctx.t("vacancy.validate_why")) }
                        }
                    }
                } @else {
                    p { (ctx.t("vacancy.validate_not_allowed")) }
                }
            }
        }
    }
}

/// Adding one requirement (or changing the level of one, `edit=level`), as typed: numbers are
/// kept as text so that a refused one comes back as it was.
#[derive(Debug, Clone, Deserialize)]
pub struct RequirementForm {
    csrf: String,
    #[serde(default)]
    skill: String,
    #[serde(default)]
    skill_text: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    essential: String,
    /// `level` when the form is the level edited in place of a row.
    #[serde(default)]
    edit: String,
    /// `yes` when this puts back a competence just removed (audited as its undo).
    #[serde(default)]
    restore: String,
}

/// The skill of a form: its URI when the type-ahead chose one, else the best label match of the
/// text typed (without the script); an error naming the `skill` field otherwise.
pub(super) fn skill_of(
    engine: &incontro_core::Engine,
    uri: &str,
    text: &str,
    language: &str,
) -> incontro_core::Result<incontro_core::model::SkillUri> {
    let uri = uri.trim();
    if !uri.is_empty() {
        return incontro_core::model::SkillUri::parse(uri);
    }
    let text = text.trim();
    if text.chars().count() < 2 {
        return Err(incontro_core::Error::invalid(
            ErrorCode::MissingField,
            "choose a competence from the list",
        ));
    }
    let hits = engine.skill_search(text, language, 1)?;
    let Some(hit) = hits.into_iter().next() else {
        return Err(incontro_core::Error::invalid(
            ErrorCode::UnknownSkill,
            "no skill matches this text; pick one from the list",
        ));
    };
    incontro_core::model::SkillUri::parse(&hit.uri)
}

/// A level typed in a form, 1..=4.
pub(super) fn level_of(typed: &str) -> incontro_core::Result<incontro_core::model::Level> {
    let value = typed.trim().parse::<u8>().map_err(|_| {
        incontro_core::Error::invalid(ErrorCode::InvalidLevel, "level must be 1 to 4")
    })?;
    incontro_core::model::Level::new(value)
}

/// The field of a competence form an engine error belongs to (`""`: the whole form).
pub(super) fn competence_field(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::UnknownSkill
        | ErrorCode::InvalidSkillUri
        | ErrorCode::MissingField
        | ErrorCode::QueryTooShort => "skill",
        ErrorCode::InvalidLevel => "level",
        ErrorCode::NoteTooLong => "note",
        _ => "",
    }
}

/// `POST /console/vacancies/{id}/requirements`: adds (or replaces) one requirement through
/// `Engine::set_requirements`, like `PUT /v1/vacancies/{id}/requirements`. A refused one comes
/// back on the vacancy page next to its field, everything typed kept (issue 15, point 4).
pub async fn add_requirement(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<RequirementForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::VALIDATOR)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path)?;
        let typed = form.into_inner();
        let form = typed.clone();
        let language = ctx.lang.code().to_string();
        let writer = principal.clone();
        let vacancy_id = id.clone();
        let refused = state
            .call(move |engine| {
                let vacancy = engine.vacancy_for(&writer, Action::WriteVacancy, &vacancy_id)?;
                let added =
                    skill_of(engine, &form.skill, &form.skill_text, &language).and_then(|skill| {
                        let level = level_of(&form.level)?;
                        api::requirements(vec![RequirementBody {
                            skill: skill.as_str().to_string(),
                            level: level.get(),
                            essential: form.essential == "true",
                            weight: None,
                        }])
                    });
                let outcome = added.and_then(|added| {
                    let mut requirements: Vec<_> = vacancy
                        .requirements
                        .into_iter()
                        .filter(|existing| added.iter().all(|new| new.skill != existing.skill))
                        .collect();
                    requirements.extend(added);
                    engine.set_requirements(&vacancy_id, requirements)
                });
                match outcome {
                    Ok(_) => {
                        // The undo of a removal is audited once it is done.
                        if form.restore == "yes" {
                            engine.audit(vec![incontro_core::access::AuditEntry::now(
                                &writer,
                                "requirement_restored",
                                None,
                                Some(vacancy_id.as_str()),
                                incontro_core::access::Outcome::Ok,
                            )])?;
                        }
                        Ok(None)
                    }
                    Err(error) if error.kind() == incontro_core::ErrorKind::Invalid => {
                        Ok(Some(error))
                    }
                    Err(error) => Err(error),
                }
            })
            .await?;
        let Some(error) = refused else {
            return Ok(ctx.see_other(&format!("/console/vacancies/{}#breakdown", path.as_str())));
        };
        let field = match (typed.edit.as_str(), competence_field(error.code())) {
            ("level", _) => "row-level",
            (_, field) => field,
        };
        let message = ctx.lang.error_message(error.code(), &error.to_string());
        let kept = KeptRequirement {
            typed,
            error: (field, message),
        };
        let view = load_view(&ctx, &state, principal, id).await?;
        let body = vacancy_body(&ctx, &view, Some(&kept));
        Ok(ctx.page(StatusCode::UNPROCESSABLE_ENTITY, &view.vacancy.title, body))
    }
    .await;
    ctx.finish(result)
}

/// Removing one requirement.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    csrf: String,
    skill: String,
    #[serde(default)]
    label: String,
    /// `yes` once the validator confirmed.
    #[serde(default)]
    confirm: String,
}

/// `POST /console/vacancies/{id}/requirements/remove`
pub async fn remove_requirement(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<RemoveForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::VALIDATOR)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        let id = EntityId::parse(&path)?;
        let skill = form.skill.trim().to_string();
        let label = form.label.trim().to_string();
        if form.confirm != "yes" {
            // Removing asks first, and says a validated vacancy goes back to draft.
            let check = id.clone();
            let vacancy = state
                .call(move |engine| engine.vacancy_for(&principal, Action::WriteVacancy, &check))
                .await?;
            let validated = matches!(vacancy.status, VacancyStatus::Validated { .. });
            let body = html! {
                h1 { (ctx.t("vacancy.confirm_remove_title")) }
                div class="card" id="confirm-remove" {
                    p { (ctx.t("vacancy.confirm_remove_text")) " «" (label) "» (" (vacancy.title) ")." }
                    @if validated { p class="notice info" { (ctx.t("vacancy.back_to_draft")) } }
                    form method="post" action={ "/console/vacancies/" (id) "/requirements/remove" } {
                        (csrf_field(&ctx))
                        input type="hidden" name="skill" value=(skill);
                        input type="hidden" name="label" value=(label);
                        input type="hidden" name="confirm" value="yes";
                        button type="submit" class="danger" { (ctx.t("vacancy.confirm_remove")) }
                    }
                    p { a href={ "/console/vacancies/" (id) "#breakdown" } { (ctx.t("vacancy.confirm_back")) } }
                }
            };
            return Ok(ctx.page(StatusCode::OK, ctx.t("vacancy.confirm_remove_title"), body));
        }
        let removed_skill = skill.clone();
        let removed = state
            .call(move |engine| {
                let vacancy = engine.vacancy_for(&principal, Action::WriteVacancy, &id)?;
                let removed = vacancy
                    .requirements
                    .iter()
                    .find(|existing| existing.skill.as_str() == skill)
                    .cloned();
                let requirements = vacancy
                    .requirements
                    .into_iter()
                    .filter(|existing| existing.skill.as_str() != skill)
                    .collect();
                engine.set_requirements(&id, requirements)?;
                engine.audit(vec![incontro_core::access::AuditEntry::now(
                    &principal,
                    "requirement_removed",
                    None,
                    Some(id.as_str()),
                    incontro_core::access::Outcome::Ok,
                )])?;
                Ok(removed)
            })
            .await?;
        let Some(removed) = removed else {
            return Ok(ctx.see_other(&format!("/console/vacancies/{}#breakdown", path.as_str())));
        };
        let query = serde_urlencoded::to_string([
            ("removed", removed_skill.as_str()),
            ("label", label.as_str()),
            ("level", &removed.level.get().to_string()),
            ("essential", if removed.essential { "true" } else { "false" }),
        ])
        .unwrap_or_default();
        Ok(ctx.see_other(&format!(
            "/console/vacancies/{}?{query}#removed",
            path.as_str()
        )))
    }
    .await;
    ctx.finish(result)
}

/// The validation form.
#[derive(Debug, Deserialize)]
pub struct ValidateForm {
    csrf: String,
}

/// `POST /console/vacancies/{id}/validate`: draft → validated by the signed-in validator today.
pub async fn validate(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ValidateForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::VALIDATOR)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        principal.authorize(Action::ValidateVacancy)?;
        let id = EntityId::parse(&path)?;
        let today = now(&state.engine).date();
        state
            .call(move |engine| {
                engine.vacancy_for(&principal, Action::ValidateVacancy, &id)?;
                engine.validate_vacancy(&id, &principal.label, today)
            })
            .await?;
        Ok(ctx.see_other(&format!("/console/vacancies/{}#validation", path.as_str())))
    }
    .await;
    ctx.finish(result)
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
