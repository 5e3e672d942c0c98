//! Desk (sportello) pages: find a person (by name or codice fiscale, audited), their
//! competences with evidence and work history, and the ranked vacancies with the explanation of
//! each score as bars (met / related / missing per requirement) and the API's filters; per
//! ranked vacancy a form records a proposal or a placement (`Engine::record_placement`), and the
//! person's recorded ones are listed.

mod person;
mod proposals;
mod search;

use super::i18n::Lang;
use super::Ctx;
use actix_web::web;
use incontro_core::access::{AuditEntry, Outcome, Principal};
use incontro_core::scoring::{MatchOutcome, RequirementExplanation};
use incontro_core::Engine;
use maud::{html, Markup};
use person::person_page;
use proposals::record_placement;
use search::{search, search_page};

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

/// One requirement as a bar: label, credit as a meter, met / related / missing with why.
pub(crate) fn requirement_bar(ctx: &Ctx, item: &RequirementExplanation) -> Markup {
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
    if let Some(source) = &item.read_from {
        why.push_str(&format!(" — {} ({source})", ctx.t("explain.read")));
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
