//! The company page: its vacancies, the tirocinio rules of its sites and the new vacancy form.

use super::status_tag;
use crate::api::{PlacementBody, SourceBody, VacancyBody};
use crate::console::layout::csrf_field;
use crate::console::session::random_token;
use crate::console::{now, sections, Ctx, Fail};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use incontro_core::access::{Action, StatusFilter, VacancyFilter};
use incontro_core::model::{Company, EntityId, Vacancy};
use incontro_core::training::placement::TirocinioRule;
use incontro_core::ErrorCode;
use maud::{html, Markup};
use serde::Deserialize;

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
