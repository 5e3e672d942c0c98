//! Outreach operator pages: today's call list of the signed-in operator (the minimised view
//! of `Engine::call_list`, whose retries come back on their due day), one person at a time,
//! outcome buttons with an optional note and next-call day (`Engine::record_attempt_with`; the
//! latest note is shown on the person) and "taken in charge" (`Engine::record_milestone`,
//! only on an entry of the operator's own list). An operator key's label is its operator id,
//! as in the API.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::{Action, AuditEntry, Outcome};
use incontro_core::outreach::{AttemptDetails, CallResult, Milestone};
use incontro_core::ErrorCode;
use maud::html;
use serde::Deserialize;

use super::layout::csrf_field;
use super::{now, sections, Ctx, Fail};
use crate::state::AppState;

/// Registers the operator pages.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/calls", web::get().to(calls_page))
        .route("/calls/{campaign}/{entry}/attempt", web::post().to(attempt))
        .route(
            "/calls/{campaign}/{entry}/taken",
            web::post().to(taken_in_charge),
        );
}

/// Which campaign and which person of the list.
#[derive(Debug, Default, Deserialize)]
pub struct CallsQuery {
    campaign: Option<String>,
    n: Option<usize>,
    done: Option<String>,
    /// The entry just answered: it leaves the list, and its "taken in charge" button shows.
    answered: Option<u32>,
}

const RESULTS: [(&str, &str); 5] = [
    ("answered", "calls.answered"),
    ("no_answer", "calls.no_answer"),
    ("busy", "calls.busy"),
    ("wrong_number", "calls.wrong_number"),
    ("refused", "calls.refused"),
];

/// The message key of what was just recorded (`done=` of the redirect), in the page's language.
fn done_key(done: &str) -> &'static str {
    if done == "taken_in_charge" {
        return "calls.taken";
    }
    RESULTS
        .iter()
        .find(|(value, _)| *value == done)
        .map_or("calls.recorded_other", |(_, key)| key)
}

/// `GET /console/calls?campaign=&n=`
pub async fn calls_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<CallsQuery>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::OPERATOR)?;
        let principal = user.principal.clone();
        principal.authorize(Action::ReadOwnCallList)?;
        let query = query.into_inner();
        let wanted = query.campaign.clone();
        let (campaigns, chosen, entries) = state
            .call(move |engine| {
                let campaigns: Vec<(String, String)> = engine
                    .campaigns()?
                    .into_iter()
                    .filter(|campaign| campaign.purged_on.is_none())
                    .map(|campaign| (campaign.id, campaign.name))
                    .collect();
                let chosen = wanted.or_else(|| campaigns.first().map(|(id, _)| id.clone()));
                let entries = match &chosen {
                    Some(campaign) => match engine.call_list(campaign, &principal.label, now(engine).date()) {
                        Ok(entries) => entries,
                        Err(error) if error.code() == ErrorCode::OperatorNotFound => Vec::new(),
                        Err(error) => return Err(error),
                    },
                    None => Vec::new(),
                };
                if let Some(campaign) = &chosen {
                    let audit = entries
                        .iter()
                        .map(|entry| {
                            AuditEntry::now(
                                &principal,
                                "read_call_list_entry",
                                Some(&entry.person_ref),
                                Some(campaign),
                                Outcome::Ok,
                            )
                        })
                        .collect();
                    engine.audit(audit)?;
                }
                Ok((campaigns, chosen, entries))
            })
            .await?;
        let index = query.n.unwrap_or(0).min(entries.len().saturating_sub(1));
        let today = now(&state.engine).date();
        let body = html! {
            h1 { (ctx.t("calls.title")) }
            @if let Some(done) = &query.done { p class="notice ok" role="status" { (ctx.t("calls.recorded")) " " (ctx.t(done_key(done))) } }
            @if let (Some(campaign), Some(answered)) = (&chosen, query.answered) {
                // Only an answered person can be taken in charge (issue 13, point 9).
                div class="card" id="answered" {
                    form method="post" action={ "/console/calls/" (campaign) "/" (answered) "/taken" } {
                        (csrf_field(&ctx))
                        button type="submit" { (ctx.t("calls.taken")) " #" (answered) }
                    }
                }
            }
            @if campaigns.len() > 1 {
                form method="get" action="/console/calls" {
                    label for="campaign" { (ctx.t("reports.campaign")) }
                    select id="campaign" name="campaign" {
                        @for (id, name) in &campaigns { option value=(id) selected[chosen.as_deref() == Some(id.as_str())] { (name) } }
                    }
                    button type="submit" { (ctx.t("desk.apply")) }
                }
            }
            @match (&chosen, entries.get(index)) {
                (Some(campaign), Some(entry)) => {
                    p class="muted" { (ctx.t("calls.person")) " " (index + 1) " / " (entries.len()) }
                    p class="notice ranking-suggestion" role="note" { (ctx.t("ranking.suggestion")) }
                    div class="card" id="entry" {
                        h2 { (entry.name.clone().unwrap_or_else(|| format!("#{}", entry.entry_no))) }
                        @if let Some(mobile) = &entry.mobile { p class="big" { a href={ "tel:" (mobile) } { (mobile) } } }
                        p class="muted" {
                            (entry.comune.clone().unwrap_or_default())
                            @if let Some(sector) = &entry.last_sector { " · " (sector) }
                            " · " (ctx.t("calls.ended")) " " (entry.end_date) " · " (ctx.t("calls.attempts")) " " (entry.attempts)
                        }
                        @if !entry.vacancies.is_empty() {
                            p { (ctx.t("calls.vacancies")) " " (entry.vacancies.join(", ")) }
                        }
                        @if let Some(note) = &entry.last_note {
                            p class="note" id="last-note" { strong { (ctx.t("calls.last_note")) } " " (note) }
                        }
                        form method="post" action={ "/console/calls/" (campaign) "/" (entry.entry_no) "/attempt" } {
                            (csrf_field(&ctx))
                            label for="note" { (ctx.t("calls.note")) }
                            textarea id="note" name="note" maxlength="500" rows="2" aria-describedby="note-help" {}
                            p id="note-help" class="muted" { (ctx.t("calls.note_help")) }
                            label for="next_call" { (ctx.t("calls.next_call")) }
                            input type="date" id="next_call" name="next_call" min=((today + chrono::Duration::days(1)).to_string())
                                aria-describedby="next-call-help";
                            p id="next-call-help" class="muted" { (ctx.t("calls.next_call_help")) }
                            fieldset {
                                legend { (ctx.t("calls.outcome")) }
                                @for (value, key) in RESULTS {
                                    button type="submit" name="result" value=(value) class="secondary" { (ctx.t(key)) }
                                }
                            }
                        }
                    }
                    nav aria-label=(ctx.t("calls.person")) {
                        @if index > 0 { a href={ "/console/calls?campaign=" (campaign) "&n=" (index - 1) } { "← " (ctx.t("calls.previous")) } " " }
                        @if index + 1 < entries.len() { a href={ "/console/calls?campaign=" (campaign) "&n=" (index + 1) } { (ctx.t("calls.next")) " →" } }
                    }
                }
                _ => { p { (ctx.t("calls.empty")) } }
            }
        };
        Ok(ctx.page(StatusCode::OK, ctx.t("calls.title"), body))
    }
    .await;
    ctx.finish(result)
}

/// An outcome button.
#[derive(Debug, Deserialize)]
pub struct AttemptForm {
    csrf: String,
    result: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    next_call: String,
}

/// `POST /console/calls/{campaign}/{entry}/attempt`
pub async fn attempt(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, u32)>,
    form: web::Form<AttemptForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::OPERATOR)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        principal.authorize(Action::WriteOwnOutcome)?;
        let (campaign, entry_no) = path.into_inner();
        let outcome = CallResult::parse(&form.result)?;
        let next_call = match form.next_call.trim() {
            "" => None,
            raw => Some(
                chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .map_err(|_| Fail::bad_request("the next-call date must be YYYY-MM-DD"))?,
            ),
        };
        // A next-call day only matters for a retried call; ignore it on the other buttons.
        let details = AttemptDetails {
            note: Some(form.note.clone()),
            next_call: next_call.filter(|_| outcome.retry()),
        };
        let target = campaign.clone();
        state
            .call(move |engine| {
                engine.record_attempt_with(
                    &campaign,
                    entry_no,
                    &principal.label,
                    outcome,
                    now(engine).date(),
                    &details,
                )?;
                let person = engine.entry_person_ref(&campaign, entry_no)?;
                engine.audit(vec![AuditEntry::now(
                    &principal,
                    "record_call_attempt",
                    Some(&person),
                    Some(&campaign),
                    Outcome::Ok,
                )])
            })
            .await?;
        let answered = if outcome == CallResult::Answered {
            format!("&answered={entry_no}")
        } else {
            String::new()
        };
        Ok(ctx.see_other(&format!(
            "/console/calls?campaign={target}&done={}{answered}",
            outcome.as_str()
        )))
    }
    .await;
    ctx.finish(result)
}

/// The "taken in charge" button.
#[derive(Debug, Deserialize)]
pub struct TakenForm {
    csrf: String,
}

/// `POST /console/calls/{campaign}/{entry}/taken`: only on an entry assigned to the caller (the
/// engine refuses it unless the person answered a call).
pub async fn taken_in_charge(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, u32)>,
    form: web::Form<TakenForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::OPERATOR)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let principal = user.principal.clone();
        principal.authorize(Action::WriteOwnOutcome)?;
        let (campaign, entry_no) = path.into_inner();
        let target = campaign.clone();
        state
            .call(move |engine| {
                let today = now(engine).date();
                let own = engine.campaign_entries(&campaign)?.iter().any(|entry| {
                    entry.entry_no == entry_no
                        && entry.operator.as_deref() == Some(principal.label.as_str())
                });
                if !own {
                    return Err(incontro_core::Error::Forbidden {
                        code: ErrorCode::NotYourEntry,
                        message: "this entry is not on your call list".into(),
                    });
                }
                engine.record_milestone(&campaign, entry_no, Milestone::TakenInCharge, today)?;
                let person = engine.entry_person_ref(&campaign, entry_no)?;
                engine.audit(vec![AuditEntry::now(
                    &principal,
                    "record_taken_in_charge",
                    Some(&person),
                    Some(&campaign),
                    Outcome::Ok,
                )])
            })
            .await?;
        Ok(ctx.see_other(&format!(
            "/console/calls?campaign={target}&done=taken_in_charge"
        )))
    }
    .await;
    ctx.finish(result)
}
