//! Outreach operator pages: the operator's day (`Engine::operator_day`: every entry of their
//! list as a table with its state, and the day's progress), the person to call with the full
//! attempt history and notes (`Engine::entry_attempts`), outcome buttons with an optional note
//! and a call-back day and time (`Engine::record_attempt_with`), "Rifiuta" only after a
//! confirmation page (it makes the person do-not-contact; an admin may undo it, audited), and
//! "taken in charge" (`Engine::record_milestone`, only on an entry of the operator's own list
//! that answered; before that the button is disabled and says why). Admins manage a campaign's
//! entries: reassign one to another operator, undo a refusal. An operator's label is its
//! operator id, as in the API.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use incontro_core::access::{Action, AuditEntry, Outcome, Role};
use incontro_core::outreach::day::EntryState;
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
        .route("/calls/manage", web::get().to(manage_page))
        .route("/calls/{campaign}/{entry}/attempt", web::post().to(attempt))
        .route(
            "/calls/{campaign}/{entry}/taken",
            web::post().to(taken_in_charge),
        )
        .route(
            "/calls/{campaign}/{entry}/taken/undo",
            web::post().to(undo_taken_in_charge),
        )
        .route(
            "/calls/{campaign}/{entry}/reassign",
            web::post().to(reassign),
        )
        .route(
            "/calls/{campaign}/{entry}/undo-refusal",
            web::post().to(undo_refusal),
        );
}

/// Which campaign and which person of the list.
#[derive(Debug, Default, Deserialize)]
pub struct CallsQuery {
    campaign: Option<String>,
    /// The entry to show on the card (one of today's).
    entry: Option<u32>,
    done: Option<String>,
    /// The entry just answered: it leaves the list, and its "taken in charge" button shows.
    answered: Option<u32>,
    /// The entry just taken in charge: its undo button shows (issue 15, point 7).
    taken: Option<u32>,
    /// Why "taken in charge" was refused: `never_answered` or `refused`.
    problem: Option<String>,
}

/// The engine's refusal of "taken in charge" named by `problem=` of the redirect.
fn problem_code(problem: &str) -> Option<ErrorCode> {
    match problem {
        "never_answered" => Some(ErrorCode::EntryNeverAnswered),
        "refused" => Some(ErrorCode::EntryRefused),
        "not_taken" => Some(ErrorCode::EntryNotTakenInCharge),
        _ => None,
    }
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
    if done == "taken_undone" {
        return "calls.taken_undone";
    }
    RESULTS
        .iter()
        .find(|(value, _)| *value == done)
        .map_or("calls.recorded_other", |(_, key)| key)
}

/// The message key of an outcome.
fn result_key(result: CallResult) -> &'static str {
    match result {
        CallResult::Answered => "calls.answered",
        CallResult::NoAnswer => "calls.no_answer",
        CallResult::Busy => "calls.busy",
        CallResult::WrongNumber => "calls.wrong_number",
        CallResult::Refused => "calls.refused_done",
    }
}

fn day_words(ctx: &Ctx, day: chrono::NaiveDate) -> String {
    super::i18n::day_in_words(ctx.lang, day)
}

/// An entry's state in words.
fn state_words(ctx: &Ctx, state: &EntryState) -> String {
    match state {
        EntryState::ToCall => ctx.t("calls.state_to_call").to_string(),
        EntryState::CallBack { on, at } => {
            let mut words = format!("{} {}", ctx.t("calls.state_call_back"), day_words(ctx, *on));
            if let Some(at) = at {
                words.push_str(&format!(" {} {}", ctx.t("calls.at"), at.format("%H:%M")));
            }
            words
        }
        EntryState::Answered => ctx.t("calls.state_answered").to_string(),
        EntryState::Refused => ctx.t("calls.state_refused").to_string(),
        EntryState::WrongNumber => ctx.t("calls.state_wrong_number").to_string(),
        EntryState::MaxAttempts => ctx.t("calls.state_max_attempts").to_string(),
        EntryState::DoNotContact => ctx.t("calls.state_do_not_contact").to_string(),
    }
}

/// `GET /console/calls?campaign=&entry=`
pub async fn calls_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<CallsQuery>,
) -> HttpResponse {
    let result = render_calls(&ctx, &state, query.into_inner(), None).await;
    ctx.finish(result)
}

/// What the operator typed on the card, kept when the outcome was refused (issue 15, point 4).
struct Kept {
    note: String,
    next_call: String,
    next_call_time: String,
    error: String,
}

async fn render_calls(
    ctx: &Ctx,
    state: &AppState,
    query: CallsQuery,
    kept: Option<Kept>,
) -> Result<HttpResponse, Fail> {
    let ctx = ctx.clone();
    let result: Result<HttpResponse, Fail> = async {
        let user = ctx.require(sections::OPERATOR)?;
        let principal = user.principal.clone();
        principal.authorize(Action::ReadOwnCallList)?;
        let wanted = query.campaign.clone();
        let wanted_entry = query.entry;
        let (campaigns, chosen, entries, day, history, words) = state
            .call(move |engine| {
                let campaigns: Vec<(String, String)> = engine
                    .campaigns()?
                    .into_iter()
                    .filter(|campaign| campaign.purged_on.is_none())
                    .map(|campaign| (campaign.id, campaign.name))
                    .collect();
                let chosen = wanted.or_else(|| campaigns.first().map(|(id, _)| id.clone()));
                let today = now(engine).date();
                let (entries, day) = match &chosen {
                    Some(campaign) => match engine.call_list(campaign, &principal.label, today) {
                        Ok(entries) => (entries, Some(engine.operator_day(campaign, &principal.label, today)?)),
                        Err(error) if error.code() == ErrorCode::OperatorNotFound => (Vec::new(), None),
                        Err(error) => return Err(error),
                    },
                    None => (Vec::new(), None),
                };
                let shown = wanted_entry
                    .and_then(|wanted| entries.iter().find(|entry| entry.entry_no == wanted))
                    .or(entries.first());
                let history = match (&chosen, shown) {
                    (Some(campaign), Some(entry)) => engine.entry_attempts(campaign, entry.entry_no)?,
                    _ => Vec::new(),
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
                Ok((campaigns, chosen, entries, day, history, engine.vocabulary()?))
            })
            .await?;
        let shown = query
            .entry
            .and_then(|wanted| entries.iter().position(|entry| entry.entry_no == wanted))
            .unwrap_or(0);
        let today = now(&state.engine).date();
        let is_admin = user.role() == Role::Admin;
        let body = html! {
            h1 { (ctx.t("calls.title")) }
            p class="muted" { (day_words(&ctx, today)) }
            @if let Some(done) = &query.done { p class="notice ok" role="status" id="done" { (ctx.t("calls.recorded")) " " (ctx.t(done_key(done))) } }
            @if let Some(code) = query.problem.as_deref().and_then(problem_code) {
                p class="notice error" role="alert" id="problem" { (ctx.lang.error_message(code, "")) }
            }
            // "Taken in charge" by mistake is undone here, audited (issue 15, point 7).
            @if let (Some(campaign), Some(taken), Some("taken_in_charge")) = (&chosen, query.taken, query.done.as_deref()) {
                div class="card" id="taken" {
                    p { (ctx.t("calls.taken_undo_help")) }
                    form method="post" action={ "/console/calls/" (campaign) "/" (taken) "/taken/undo" } {
                        (csrf_field(&ctx))
                        button type="submit" class="secondary" { (ctx.t("calls.taken_undo")) " #" (taken) }
                    }
                }
            }
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
            @if is_admin {
                @if let Some(campaign) = &chosen {
                    p { a id="manage-link" href={ "/console/calls/manage?campaign=" (campaign) } { (ctx.t("calls.manage")) } }
                }
            }
            @if let Some(day) = &day {
                @let total = day.called_today + day.still_due;
                p id="progress" {
                    (ctx.t("calls.progress_called")) " " strong { (day.called_today) } " · "
                    (ctx.t("calls.progress_due")) " " strong { (day.still_due) }
                    " "
                    progress value=(day.called_today) max=(total.max(1)) aria-label=(ctx.t("calls.progress")) {}
                }
            }
            @match (&chosen, entries.get(shown)) {
                (Some(campaign), Some(entry)) => {
                    p class="notice ranking-suggestion" role="note" { (ctx.t("ranking.suggestion")) }
                    div class="card" id="entry" {
                        h2 { (entry.name.clone().unwrap_or_else(|| format!("#{}", entry.entry_no))) }
                        @if let Some(mobile) = &entry.mobile { p class="big" { a href={ "tel:" (mobile) } { (mobile) } } }
                        p class="muted" {
                            (entry.comune.clone().unwrap_or_default())
                            " · " (ctx.t("calls.ended")) " " (entry.end_date.format("%d/%m/%Y")) " · " (ctx.t("calls.attempts")) " " (entry.attempts)
                        }
                        // The last job in words, not codes (issue 15, point 11).
                        @if entry.last_sector.is_some() || entry.last_contract.is_some() {
                            dl class="kept" id="last-job" {
                                @if let Some(sector) = &entry.last_sector {
                                    dt { (ctx.t("words.sector")) }
                                    dd id="last-sector" { (words.ateco(sector).map_or_else(|| sector.clone(), str::to_string)) }
                                }
                                @if let Some(contract) = &entry.last_contract {
                                    dt { (ctx.t("calls.contract")) }
                                    dd id="last-contract" { (words.contract_type(contract).map_or_else(|| contract.clone(), str::to_string)) }
                                }
                            }
                        }
                        @if !entry.vacancies.is_empty() {
                            p { (ctx.t("calls.vacancies")) " " (entry.vacancies.join(", ")) }
                        }
                        @if let Some(note) = &entry.last_note {
                            p class="note" id="last-note" { strong { (ctx.t("calls.last_note")) } " " (note) }
                        }
                        @if !history.is_empty() {
                            h3 { (ctx.t("calls.history")) }
                            ol id="history" {
                                @for attempt in &history {
                                    li {
                                        (attempt.called_on.format("%d/%m/%Y")) " · " (ctx.t(result_key(attempt.result)))
                                        " · " (attempt.operator)
                                        @if let Some(next) = attempt.next_call {
                                            " · " (ctx.t("calls.state_call_back")) " " (day_words(&ctx, next))
                                            @if let Some(at) = attempt.next_call_time { " " (ctx.t("calls.at")) " " (at.format("%H:%M")) }
                                        }
                                        @if let Some(note) = &attempt.note { br; span class="note" { (note) } }
                                    }
                                }
                            }
                        }
                        form method="post" action={ "/console/calls/" (campaign) "/" (entry.entry_no) "/attempt" } {
                            (csrf_field(&ctx))
                            label for="note" { (ctx.t("calls.note")) }
                            textarea id="note" name="note" maxlength="500" rows="2" aria-describedby="note-help" {
                                @if let Some(kept) = &kept { (kept.note) }
                            }
                            p id="note-help" class="muted" { (ctx.t("calls.note_help")) }
                            div class="row" {
                                div {
                                    label for="next_call" { (ctx.t("calls.next_call")) }
                                    input type="date" id="next_call" name="next_call" min=((today + chrono::Duration::days(1)).to_string())
                                        value=[kept.as_ref().map(|kept| kept.next_call.as_str())]
                                        aria-invalid=[kept.as_ref().map(|_| "true")]
                                        aria-describedby={ "next-call-help" @if kept.is_some() { " next-call-error" } };
                                }
                                div {
                                    label for="next_call_time" { (ctx.t("calls.next_call_time")) }
                                    input type="time" id="next_call_time" name="next_call_time" aria-describedby="next-call-help"
                                        value=[kept.as_ref().map(|kept| kept.next_call_time.as_str())];
                                }
                            }
                            @if let Some(kept) = &kept {
                                p class="field-error" id="next-call-error" role="alert" { (kept.error) }
                            }
                            p id="next-call-help" class="muted" { (ctx.t("calls.next_call_help")) }
                            fieldset {
                                legend { (ctx.t("calls.outcome")) }
                                @for (value, key) in RESULTS {
                                    button type="submit" name="result" value=(value)
                                        class=(if value == "refused" { "danger" } else { "secondary" }) { (ctx.t(key)) }
                                }
                                p class="muted" id="refused-help" { (ctx.t("calls.refused_help")) }
                            }
                        }
                        // Taken in charge only after an answered call: before that, disabled and why.
                        p {
                            button type="button" disabled aria-describedby="taken-why" id="taken-disabled" { (ctx.t("calls.taken")) }
                            " " span id="taken-why" class="muted" { (ctx.t("calls.taken_why")) }
                        }
                    }
                }
                _ => { p { (ctx.t("calls.empty")) } }
            }
            @if let (Some(campaign), Some(day)) = (&chosen, &day) {
                @if !day.entries.is_empty() {
                    h2 id="day" { (ctx.t("calls.day_list")) }
                    div class="table-wrap" {
                        table id="day-table" class="stack" {
                            thead { tr {
                                th scope="col" { "N." }
                                th scope="col" { (ctx.t("calls.person")) }
                                th scope="col" { (ctx.t("calls.state")) }
                                th scope="col" { (ctx.t("calls.attempts_column")) }
                            } }
                            tbody {
                                @for row in &day.entries {
                                    tr data-entry=(row.entry_no) data-due=(row.due) {
                                        td data-label="N." { (row.entry_no) }
                                        td data-label=(ctx.t("calls.person")) {
                                            @let name = row.name.clone().unwrap_or_else(|| format!("#{}", row.entry_no));
                                            @if row.due {
                                                a href={ "/console/calls?campaign=" (campaign) "&entry=" (row.entry_no) "#entry" } { (name) }
                                            } @else { (name) }
                                        }
                                        td data-label=(ctx.t("calls.state")) {
                                            (state_words(&ctx, &row.state))
                                            @if row.called_today { " · " (ctx.t("calls.called_today")) }
                                        }
                                        td data-label=(ctx.t("calls.attempts_column")) { (row.attempts) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        };
        let status = if kept.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        Ok(ctx.page(status, ctx.t("calls.title"), body))
    }
    .await;
    result
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
    #[serde(default)]
    next_call_time: String,
    /// `yes` once the operator confirmed a refusal.
    #[serde(default)]
    confirm: String,
}

/// `POST /console/calls/{campaign}/{entry}/attempt`; "Rifiuta" first shows a confirmation page.
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
        if outcome == CallResult::Refused && form.confirm != "yes" {
            return Ok(confirm_refusal(&ctx, &campaign, entry_no, &form.note));
        }
        let next_call = match form.next_call.trim() {
            "" => None,
            raw => Some(
                chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .map_err(|_| Fail::bad_request("the next-call date must be YYYY-MM-DD"))?,
            ),
        };
        let next_call_time = match form.next_call_time.trim() {
            "" => None,
            raw => Some(
                chrono::NaiveTime::parse_from_str(raw, "%H:%M")
                    .map_err(|_| Fail::bad_request("the call-back time must be HH:MM"))?,
            ),
        };
        // A next-call day only matters for a retried call; ignore it on the other buttons.
        let retried = outcome.retry();
        let details = AttemptDetails {
            note: Some(form.note.clone()),
            next_call: next_call.filter(|_| retried),
            next_call_time: next_call_time.filter(|_| retried && next_call.is_some()),
        };
        let target = campaign.clone();
        let recorded = state
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
            .await;
        if let Err(error) = recorded {
            // A refused outcome (a wrong call-back day…) comes back on the card, next to its
            // field, with the note and the day typed kept.
            if error.code() != ErrorCode::InvalidNextCall {
                return Err(Fail::from(error));
            }
            let kept = Kept {
                note: form.note.clone(),
                next_call: form.next_call.clone(),
                next_call_time: form.next_call_time.clone(),
                error: ctx.lang.error_message(error.code(), error.message()),
            };
            let query = CallsQuery {
                campaign: Some(target),
                entry: Some(entry_no),
                ..CallsQuery::default()
            };
            return render_calls(&ctx, &state, query, Some(kept)).await;
        }
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

/// The confirmation page of "Rifiuta": says what it does and how it is undone; the note typed is
/// kept.
fn confirm_refusal(ctx: &Ctx, campaign: &str, entry_no: u32, note: &str) -> HttpResponse {
    let body = html! {
        h1 { (ctx.t("calls.confirm_refusal_title")) }
        div class="card" id="confirm-refusal" {
            p { (ctx.t("calls.confirm_refusal_text")) }
            form method="post" action={ "/console/calls/" (campaign) "/" (entry_no) "/attempt" } {
                (csrf_field(ctx))
                input type="hidden" name="result" value="refused";
                input type="hidden" name="confirm" value="yes";
                input type="hidden" name="note" value=(note);
                button type="submit" class="danger" { (ctx.t("calls.confirm_refusal")) }
            }
            p { a href={ "/console/calls?campaign=" (campaign) "&entry=" (entry_no) "#entry" } { (ctx.t("calls.confirm_back")) } }
        }
    };
    ctx.page(StatusCode::OK, ctx.t("calls.confirm_refusal_title"), body)
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
        let recorded = state
            .call(move |engine| {
                let today = now(engine).date();
                check_own_entry(engine, &campaign, entry_no, &principal.label)?;
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
            .await;
        // Before an answered call (or after a refusal) it is refused, and the card says why.
        let problem = match &recorded {
            Err(error) if error.code() == ErrorCode::EntryNeverAnswered => Some("never_answered"),
            Err(error) if error.code() == ErrorCode::EntryRefused => Some("refused"),
            _ => None,
        };
        if let Some(problem) = problem {
            return Ok(ctx.see_other(&format!(
                "/console/calls?campaign={target}&entry={entry_no}&problem={problem}#problem"
            )));
        }
        recorded?;
        Ok(ctx.see_other(&format!(
            "/console/calls?campaign={target}&done=taken_in_charge&taken={entry_no}#taken"
        )))
    }
    .await;
    ctx.finish(result)
}

/// Refuses an entry that is not on `operator`'s list.
fn check_own_entry(
    engine: &incontro_core::Engine,
    campaign: &str,
    entry_no: u32,
    operator: &str,
) -> incontro_core::Result<()> {
    let own = engine
        .campaign_entries(campaign)?
        .iter()
        .any(|entry| entry.entry_no == entry_no && entry.operator.as_deref() == Some(operator));
    if own {
        Ok(())
    } else {
        Err(incontro_core::Error::Forbidden {
            code: ErrorCode::NotYourEntry,
            message: "this entry is not on your call list".into(),
        })
    }
}

/// `POST /console/calls/{campaign}/{entry}/taken/undo`: undoes "taken in charge" recorded by
/// mistake on an entry of the caller's own list (`Engine::undo_taken_in_charge`), audited.
pub async fn undo_taken_in_charge(
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
        let undone = state
            .call(move |engine| {
                check_own_entry(engine, &campaign, entry_no, &principal.label)?;
                engine.undo_taken_in_charge(&campaign, entry_no)?;
                let person = engine.entry_person_ref(&campaign, entry_no)?;
                engine.audit(vec![AuditEntry::now(
                    &principal,
                    "undo_taken_in_charge",
                    Some(&person),
                    Some(&campaign),
                    Outcome::Ok,
                )])
            })
            .await;
        if let Err(error) = &undone {
            if error.code() == ErrorCode::EntryNotTakenInCharge {
                return Ok(ctx.see_other(&format!(
                    "/console/calls?campaign={target}&problem=not_taken#problem"
                )));
            }
        }
        undone?;
        Ok(ctx.see_other(&format!(
            "/console/calls?campaign={target}&done=taken_undone"
        )))
    }
    .await;
    ctx.finish(result)
}

/// `GET /console/calls/manage?campaign=`: every entry of a campaign with its operator and state;
/// reassign, undo a refusal (admins).
pub async fn manage_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<CallsQuery>,
) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::ADMIN)?;
        let campaign = query
            .campaign
            .clone()
            .ok_or_else(|| Fail::bad_request("which campaign?"))?;
        let wanted = campaign.clone();
        let _ = user;
        let (operators, rows) = state
            .call(move |engine| {
                let today = now(engine).date();
                let operators = engine.campaign_operators(&wanted)?;
                let mut rows = Vec::new();
                for operator in &operators {
                    for entry in engine.operator_day(&wanted, operator, today)?.entries {
                        rows.push((operator.clone(), entry));
                    }
                }
                rows.sort_by_key(|(_, entry)| entry.entry_no);
                Ok((operators, rows))
            })
            .await?;
        let body = html! {
            h1 { (ctx.t("calls.manage")) " · " (campaign) }
            @if let Some(done) = &query.done { (super::layout::notice("ok", ctx.t(manage_done_key(done)))) }
            div class="table-wrap" {
                table id="manage-table" class="stack" {
                    thead { tr {
                        th scope="col" { "N." }
                        th scope="col" { (ctx.t("calls.state")) }
                        th scope="col" { (ctx.t("calls.attempts_column")) }
                        th scope="col" { (ctx.t("calls.operator")) }
                        th scope="col" { (ctx.t("admin.actions")) }
                    } }
                    tbody {
                        @for (operator, entry) in &rows {
                            tr data-entry=(entry.entry_no) {
                                td data-label="N." { (entry.entry_no) }
                                td data-label=(ctx.t("calls.state")) { (state_words(&ctx, &entry.state)) }
                                td data-label=(ctx.t("calls.attempts_column")) { (entry.attempts) }
                                td data-label=(ctx.t("calls.operator")) { (operator) }
                                td data-label=(ctx.t("admin.actions")) {
                                    form method="post" action={ "/console/calls/" (campaign) "/" (entry.entry_no) "/reassign" } class="reassign" {
                                        (csrf_field(&ctx))
                                        label for={ "operator-" (entry.entry_no) } { (ctx.t("calls.reassign_to")) }
                                        select id={ "operator-" (entry.entry_no) } name="operator" {
                                            @for other in &operators {
                                                option value=(other) selected[other == operator] { (other) }
                                            }
                                        }
                                        button type="submit" class="secondary" { (ctx.t("calls.reassign")) }
                                    }
                                    @if entry.state == EntryState::Refused {
                                        form method="post" action={ "/console/calls/" (campaign) "/" (entry.entry_no) "/undo-refusal" } class="undo" {
                                            (csrf_field(&ctx))
                                            label for={ "reason-" (entry.entry_no) } { (ctx.t("calls.undo_reason")) }
                                            input type="text" id={ "reason-" (entry.entry_no) } name="reason" required maxlength="500";
                                            button type="submit" class="secondary" { (ctx.t("calls.undo_refusal")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p { a href={ "/console/calls?campaign=" (campaign) } { (ctx.t("calls.title")) } }
        };
        Ok(ctx.page(StatusCode::OK, ctx.t("calls.manage"), body))
    }
    .await;
    ctx.finish(result)
}

fn manage_done_key(done: &str) -> &'static str {
    match done {
        "reassigned" => "calls.reassigned",
        _ => "calls.refusal_undone",
    }
}

/// The reassign form.
#[derive(Debug, Deserialize)]
pub struct ReassignForm {
    csrf: String,
    operator: String,
}

/// `POST /console/calls/{campaign}/{entry}/reassign` (admins; audited by the engine).
pub async fn reassign(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, u32)>,
    form: web::Form<ReassignForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::ADMIN)?;
        let principal = ctx.check_csrf(&form.csrf)?.principal.clone();
        let (campaign, entry_no) = path.into_inner();
        let operator = form.into_inner().operator;
        let target = campaign.clone();
        state
            .call(move |engine| engine.reassign_entry(&principal, &campaign, entry_no, &operator))
            .await?;
        Ok(ctx.see_other(&format!(
            "/console/calls/manage?campaign={target}&done=reassigned#manage-table"
        )))
    }
    .await;
    ctx.finish(result)
}

/// The undo-refusal form.
#[derive(Debug, Deserialize)]
pub struct UndoForm {
    csrf: String,
    reason: String,
}

/// `POST /console/calls/{campaign}/{entry}/undo-refusal` (admins): the audited undo of "Rifiuta".
pub async fn undo_refusal(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, u32)>,
    form: web::Form<UndoForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::ADMIN)?;
        let principal = ctx.check_csrf(&form.csrf)?.principal.clone();
        principal.authorize(Action::UndoRefusal)?;
        let (campaign, entry_no) = path.into_inner();
        let reason = form.into_inner().reason;
        let target = campaign.clone();
        state
            .call(move |engine| {
                let by = format!("{} ({})", principal.label, principal.key_id);
                engine.undo_refusal(&campaign, entry_no, &by, &reason)?;
                let person = engine.entry_person_ref(&campaign, entry_no)?;
                engine.audit(vec![AuditEntry::now(
                    &principal,
                    "undo_refusal",
                    Some(&person),
                    Some(&campaign),
                    Outcome::Ok,
                )])
            })
            .await?;
        Ok(ctx.see_other(&format!(
            "/console/calls/manage?campaign={target}&done=undone#manage-table"
        )))
    }
    .await;
    ctx.finish(result)
}
