//! Manager / analyst pages: the competence-demand report of an area and period
//! (`Engine::demand_report`) and the outreach funnel of a campaign (`Engine::funnel`), as
//! tables, SVG charts (served as images, so the page needs no inline code) and CSV downloads.
//! Aggregates only: no person appears.

use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{Duration, NaiveDate};
use incontro_core::access::Action;
use incontro_core::model::ComuneCode;
use incontro_core::outreach::funnel::{self, FunnelRow};
use incontro_core::training::chart::DemandTables;
use incontro_core::training::DemandQuery;
use incontro_core::NoProgress;
use maud::html;
use serde::Deserialize;

use super::words;
use super::{sections, Ctx, Fail};
use crate::state::AppState;
use incontro_core::italian::decimal;

/// Registers the report pages.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/reports", web::get().to(reports_page))
        .route("/reports/demand.svg", web::get().to(demand_svg))
        .route("/reports/demand.csv", web::get().to(demand_csv))
        .route("/reports/funnel.svg", web::get().to(funnel_svg))
        .route("/reports/funnel.csv", web::get().to(funnel_csv));
}

/// The report parameters (a GET form).
#[derive(Debug, Default, Deserialize, Clone)]
pub struct ReportQuery {
    #[serde(default)]
    comuni: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    campaign: String,
}

impl ReportQuery {
    fn dates(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), Fail> {
        let parse = |raw: &str, default: NaiveDate| match raw.trim() {
            "" => Ok(default),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| Fail::bad_request("dates are YYYY-MM-DD")),
        };
        Ok((
            parse(&self.from, today)?,
            parse(&self.to, today + Duration::days(90))?,
        ))
    }

    fn query_string(&self, today: NaiveDate) -> String {
        let (from, to) = self.dates(today).unwrap_or_default();
        let encode = |text: &str| {
            text.replace(' ', "+")
                .replace('&', "%26")
                .replace('#', "%23")
        };
        format!(
            "comuni={}&from={from}&to={to}&campaign={}",
            encode(&self.comuni),
            encode(&self.campaign)
        )
    }
}

/// The demand tables and the funnel of the query.
struct Reports {
    demand: DemandTables,
    campaigns: Vec<(String, String)>,
    funnel: Vec<FunnelRow>,
    words: incontro_core::vocabulary::Vocabulary,
}

async fn load(ctx: &Ctx, state: &AppState, query: &ReportQuery) -> Result<Reports, Fail> {
    let user = ctx.require(sections::REPORTS)?;
    let principal = user.principal.clone();
    principal.authorize(Action::ReadAggregates)?;
    let (from, to) = query.dates(state.engine.today())?;
    let wanted: Vec<String> = query
        .comuni
        .split(',')
        .map(|item| item.trim().to_string())
        .filter(|item| !item.is_empty())
        .collect();
    let campaign = query.campaign.trim().to_string();
    let language = ctx.lang.code().to_string();
    let reports = state
        .call(move |engine| {
            let words = engine.vocabulary()?;
            let mut comuni = Vec::new();
            if wanted.is_empty() {
                let mut codes: Vec<String> = engine.comuni_names()?.into_keys().collect();
                codes.sort();
                for code in codes {
                    comuni.push(ComuneCode::parse(&code)?);
                }
            } else {
                // Names as staff type them ("Lucca, Capannori"), codes still accepted.
                for item in &wanted {
                    comuni.push(words.find_comune(item)?);
                }
            }
            let demand = engine.demand_report(
                &DemandQuery {
                    comuni,
                    from,
                    to,
                    course_max_km: Some(50.0),
                    include_drafts: false,
                },
                &language,
                &NoProgress,
            )?;
            let campaigns: Vec<(String, String)> = engine
                .campaigns()?
                .into_iter()
                .map(|campaign| (campaign.id, campaign.name))
                .collect();
            let chosen = if campaign.is_empty() {
                campaigns.first().map(|(id, _)| id.clone())
            } else {
                Some(campaign)
            };
            let funnel = match chosen {
                Some(id) => engine.funnel(&id)?,
                None => Vec::new(),
            };
            Ok(Reports {
                demand,
                campaigns,
                funnel,
                words,
            })
        })
        .await?;
    Ok(reports)
}

/// `GET /console/reports`
pub async fn reports_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<ReportQuery>,
) -> HttpResponse {
    let result = async {
        let query = query.into_inner();
        let reports = load(&ctx, &state, &query).await?;
        let (from, to) = query.dates(state.engine.today())?;
        let demand = &reports.demand;
        let link = query.query_string(state.engine.today());
        let body = html! {
            h1 { (ctx.t("reports.title")) }
            form method="get" action="/console/reports" {
                fieldset {
                    legend { (ctx.t("reports.area")) }
                    div class="row" {
                        div {
                            label for="comuni" { (ctx.t("reports.comuni")) }
                            input type="text" id="comuni" name="comuni" value=(query.comuni) aria-describedby="comuni-help"
                                list="report-comuni" autocomplete="off";
                            (words::comuni_datalist("report-comuni", &reports.words))
                        }
                        div { label for="from" { (ctx.t("reports.from")) } input type="date" id="from" name="from" value=(from.to_string()); }
                        div { label for="to" { (ctx.t("reports.to")) } input type="date" id="to" name="to" value=(to.to_string()); }
                    }
                    p id="comuni-help" class="muted" { (ctx.t("reports.comuni_help")) }
                    @if !reports.campaigns.is_empty() {
                        label for="campaign" { (ctx.t("reports.campaign")) }
                        select id="campaign" name="campaign" {
                            @for (id, name) in &reports.campaigns {
                                option value=(id) selected[*id == query.campaign] { (name) " (" (id) ")" }
                            }
                        }
                    }
                    button type="submit" { (ctx.t("desk.apply")) }
                }
            }
            p { a id="fairness-link" href="/console/reports/fairness" { (ctx.t("reports.fairness_link")) } }
            h2 id="demand" { (ctx.t("reports.demand")) }
            p { (demand.area.join(", ")) " · " (demand.vacancy_count) " " (ctx.t("reports.vacancies")) " (" (demand.position_count) " " (ctx.t("vacancy.positions_short")) ") · "
                (demand.seeker_count) " " (ctx.t("reports.seekers")) " · " (demand.course_count) " " (ctx.t("reports.courses")) }
            p class="muted" { (ctx.t("reports.validated_only")) }
            img class="chart" src={ "/console/reports/demand.svg?" (link) } alt=(ctx.t("reports.demand_chart"));
            p { a href={ "/console/reports/demand.csv?" (link) } download="competenze.csv" { (ctx.t("reports.download_csv")) } }
            // Scrolls sideways on a phone: focusable, so the keyboard can scroll it too.
            div class="table-wrap" tabindex="0" role="region" aria-label=(ctx.t("reports.demand")) {
                table id="demand-table" {
                    thead { tr {
                        th scope="col" { (ctx.t("desk.skill")) } th scope="col" { (ctx.t("desk.level")) }
                        th scope="col" { (ctx.t("reports.demand_col")) } th scope="col" { (ctx.t("reports.supply")) }
                        th scope="col" { (ctx.t("reports.gap")) }
                    } }
                    tbody {
                        @for row in demand.skills.iter().take(25) {
                            tr {
                                td { (row.label) } td { (row.required_level) } td { (decimal(row.demand, 1)) }
                                td { (row.seekers_at_level) } td { (decimal(row.gap, 1)) }
                            }
                        }
                    }
                }
            }
            h2 id="funnel" { (ctx.t("reports.funnel")) }
            @if reports.funnel.is_empty() { p { (ctx.t("reports.no_funnel")) } }
            @else {
                img class="chart" src={ "/console/reports/funnel.svg?" (link) } alt=(ctx.t("reports.funnel_chart"));
                p { a href={ "/console/reports/funnel.csv?" (link) } download="funnel.csv" { (ctx.t("reports.download_csv")) } }
                div class="table-wrap" tabindex="0" role="region" aria-label=(ctx.t("reports.funnel")) {
                    table id="funnel-table" {
                        thead { tr {
                            th scope="col" { (ctx.t("reports.dimension")) } th scope="col" { (ctx.t("reports.people")) }
                            th scope="col" { (ctx.t("reports.called")) } th scope="col" { (ctx.t("reports.answered")) }
                            th scope="col" { (ctx.t("reports.taken")) } th scope="col" { (ctx.t("reports.enrolled")) }
                            th scope="col" { (ctx.t("reports.placed")) } th scope="col" { (ctx.t("reports.confirmed")) }
                        } }
                        tbody {
                            @for row in &reports.funnel {
                                tr {
                                    td { (funnel::dimension_label(&row.dimension, funnel_lang(ctx.lang))) ": " (funnel::value_label(row, funnel_lang(ctx.lang))) } td { (row.people) } td { (row.called) } td { (row.answered) }
                                    td { (row.taken_in_charge) } td { (row.enrolled) } td { (row.placed_reported) } td { (row.placed_confirmed) }
                                }
                            }
                        }
                    }
                }
                h3 { (ctx.t("reports.definitions")) }
                ul id="funnel-definitions" {
                    @for definition in funnel::definitions(funnel_lang(ctx.lang)) { li { (definition) } }
                }
            }
        };
        Ok(ctx.page(StatusCode::OK, ctx.t("reports.title"), body))
    }
    .await;
    ctx.finish(result)
}

/// A generated file shown inline (charts), not cached, sandboxed by its own CSP.
pub(super) fn file(content_type: &str, name: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}\""),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'",
        ))
        .body(body)
}

/// `GET /console/reports/demand.svg`
pub async fn demand_svg(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<ReportQuery>,
) -> HttpResponse {
    let result = async {
        let reports = load(&ctx, &state, &query).await?;
        Ok(file(
            "image/svg+xml",
            "divari.svg",
            reports.demand.gap_chart(15),
        ))
    }
    .await;
    ctx.finish(result)
}

/// `GET /console/reports/demand.csv`
pub async fn demand_csv(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<ReportQuery>,
) -> HttpResponse {
    let result = async {
        let reports = load(&ctx, &state, &query).await?;
        Ok(words::csv_download(
            "competenze.csv",
            &incontro_core::spreadsheet::demand(&reports.demand.skills),
        ))
    }
    .await;
    ctx.finish(result)
}

/// The core funnel's language for the console's (Italian unless the user switched).
fn funnel_lang(lang: super::i18n::Lang) -> funnel::Lang {
    match lang {
        super::i18n::Lang::It => funnel::Lang::It,
        super::i18n::Lang::En => funnel::Lang::En,
    }
}

/// `GET /console/reports/funnel.svg`: the core's funnel chart, by operator, in the console's
/// language (Italian by default).
pub async fn funnel_svg(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<ReportQuery>,
) -> HttpResponse {
    let result = async {
        let reports = load(&ctx, &state, &query).await?;
        let svg = funnel::funnel_svg_in(
            &reports.funnel,
            "operator",
            ctx.t("reports.funnel"),
            funnel_lang(ctx.lang),
        );
        Ok(file("image/svg+xml", "funnel.svg", svg))
    }
    .await;
    ctx.finish(result)
}

/// `GET /console/reports/funnel.csv`: the funnel for Italian Excel (the CLI keeps the machine CSV).
pub async fn funnel_csv(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<ReportQuery>,
) -> HttpResponse {
    let result = async {
        let reports = load(&ctx, &state, &query).await?;
        Ok(words::csv_download(
            "funnel.csv",
            &incontro_core::spreadsheet::funnel(&reports.funnel),
        ))
    }
    .await;
    ctx.finish(result)
}
