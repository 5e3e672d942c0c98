//! The analyst's fairness page (issue 18): the bias figures of the rankings by sex, age band,
//! citizenship and disability, served against competences only, and the override rates of staff
//! (`Engine::fairness_report`), as a table, an SVG chart (served as an image) and a CSV download.
//! Aggregates only: no person appears.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::Action;
use incontro_core::fairness::{FairnessQuery, FairnessReport};
use incontro_core::model::ComuneCode;
use maud::html;
use serde::Deserialize;

use super::reports::file;
use super::{sections, Ctx, Fail};
use crate::state::AppState;

/// Registers the fairness pages.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/reports/fairness", web::get().to(fairness_page))
        .route("/reports/fairness.svg", web::get().to(fairness_svg))
        .route("/reports/fairness.csv", web::get().to(fairness_csv));
}

/// The page's parameters (a GET form): the area's comuni, comma-separated (empty: everywhere).
#[derive(Debug, Default, Deserialize, Clone)]
pub struct FairnessParams {
    #[serde(default)]
    comuni: String,
}

impl FairnessParams {
    fn link(&self) -> String {
        format!(
            "comuni={}",
            self.comuni
                .replace(' ', "+")
                .replace('&', "%26")
                .replace('#', "%23")
        )
    }
}

async fn load(
    ctx: &Ctx,
    state: &AppState,
    params: &FairnessParams,
) -> Result<FairnessReport, Fail> {
    let user = ctx.require(sections::REPORTS)?;
    user.principal.authorize(Action::ReadAggregates)?;
    let wanted: Vec<String> = params
        .comuni
        .split(',')
        .map(|code| code.trim().to_ascii_uppercase())
        .filter(|code| !code.is_empty())
        .collect();
    let report = state
        .call(move |engine| {
            let mut comuni = Vec::new();
            for code in &wanted {
                comuni.push(ComuneCode::parse(code)?);
            }
            engine.fairness_report(&FairnessQuery { comuni, k: 10 })
        })
        .await?;
    Ok(report)
}

fn ratio(value: Option<f64>) -> String {
    value.map_or("–".to_string(), |v| format!("{v:.2}"))
}

/// `GET /console/reports/fairness`
pub async fn fairness_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    params: web::Query<FairnessParams>,
) -> HttpResponse {
    let result = async {
        let params = params.into_inner();
        let report = load(&ctx, &state, &params).await?;
        let link = params.link();
        let o = &report.oversight;
        let body = html! {
            p { a href="/console/reports" { "← " (ctx.t("reports.title")) } }
            h1 { (ctx.t("fairness.title")) }
            form method="get" action="/console/reports/fairness" {
                fieldset {
                    legend { (ctx.t("fairness.area")) }
                    label for="comuni" { (ctx.t("reports.comuni")) }
                    input type="text" id="comuni" name="comuni" value=(params.comuni) aria-describedby="comuni-help";
                    p id="comuni-help" class="muted" { (ctx.t("reports.comuni_help")) }
                    button type="submit" { (ctx.t("desk.apply")) }
                }
            }
            p id="fairness-summary" {
                (report.people) " " (ctx.t("reports.seekers")) " · " (report.vacancies) " " (ctx.t("reports.vacancies"))
                " · top " (report.k) " · " (report.day) " · rev. " (report.data_revision)
            }
            p class="notice" role="note" { (ctx.t("fairness.explain")) }
            img class="chart" src={ "/console/reports/fairness.svg?" (link) } alt=(ctx.t("fairness.chart"));
            p { a href={ "/console/reports/fairness.csv?" (link) } download="equita_ranking.csv" { (ctx.t("reports.download_csv")) } }
            div class="table-wrap" {
                table id="fairness-table" {
                    thead {
                        tr {
                            th scope="col" { (ctx.t("reports.dimension")) }
                            th scope="col" { (ctx.t("fairness.people")) }
                            th scope="col" { (ctx.t("fairness.exposure")) }
                            th scope="col" { (ctx.t("fairness.rate")) }
                            th scope="col" { (ctx.t("fairness.score")) }
                            th scope="col" { (ctx.t("fairness.flag")) }
                            th scope="col" { (ctx.t("fairness.competences_only")) }
                        }
                    }
                    tbody {
                        @for row in &report.rows {
                            tr class=[row.served.four_fifths_flag.then_some("flagged")] {
                                td { (row.dimension.label_it()) ": " (row.group) }
                                td { (row.people) }
                                td { (ratio(row.served.exposure_ratio)) }
                                td { (ratio(row.served.top_k_rate_ratio)) }
                                td { (ratio(row.served.mean_score_ratio)) }
                                td { @if row.served.four_fifths_flag { strong { (ctx.t("fairness.yes")) } } @else { (ctx.t("fairness.no")) } }
                                td {
                                    (ratio(row.competences_only.exposure_ratio)) " / "
                                    (ratio(row.competences_only.top_k_rate_ratio)) " / "
                                    (ratio(row.competences_only.mean_score_ratio))
                                }
                            }
                        }
                    }
                }
            }
            h2 id="oversight" { (ctx.t("fairness.oversight")) }
            p id="oversight-figures" {
                (o.records) " " (ctx.t("fairness.records")) " · "
                (ctx.t("fairness.not_first")) " " (format!("{:.0}%", o.not_first_rate() * 100.0)) " · "
                (ctx.t("fairness.beyond_top")) " " (format!("{:.0}%", o.beyond_top_rate() * 100.0)) " · "
                (ctx.t("fairness.unranked")) " " (o.unranked)
            }
        };
        Ok(ctx.page(StatusCode::OK, ctx.t("fairness.title"), body))
    }
    .await;
    ctx.finish(result)
}

/// `GET /console/reports/fairness.svg`: exposure ratios, served against competences only.
pub async fn fairness_svg(
    ctx: Ctx,
    state: web::Data<AppState>,
    params: web::Query<FairnessParams>,
) -> HttpResponse {
    let result = async {
        let report = load(&ctx, &state, &params).await?;
        let svg = report.ratio_chart(ctx.t("fairness.chart"), |f| f.exposure_ratio);
        Ok(file("image/svg+xml", "equita_esposizione.svg", svg))
    }
    .await;
    ctx.finish(result)
}

/// `GET /console/reports/fairness.csv`: the core's table, Italian headers.
pub async fn fairness_csv(
    ctx: Ctx,
    state: web::Data<AppState>,
    params: web::Query<FairnessParams>,
) -> HttpResponse {
    let result = async {
        let report = load(&ctx, &state, &params).await?;
        Ok(super::words::csv_download(
            "equita_ranking.csv",
            &incontro_core::spreadsheet::from_records(&report.csv_records()),
        ))
    }
    .await;
    ctx.finish(result)
}
