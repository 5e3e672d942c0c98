//! A new company (form and creation) and a company's page.

use super::vacancy_table;
use crate::api::{CompanyBody, SiteBody};
use crate::console::layout::csrf_field;
use crate::console::session::random_token;
use crate::console::words;
use crate::console::{sections, Ctx, Fail};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::{Action, StatusFilter, VacancyFilter};
use incontro_core::model::EntityId;
use incontro_core::vocabulary::Vocabulary;
use maud::{html, Markup};
use serde::Deserialize;

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
