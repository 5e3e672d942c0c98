//! The staff's side: the office's agenda, publishing and cancelling slots, and acting on a
//! booking.

use super::{office_of, DAYS_AHEAD, DEFAULT_ROOM_URL};
use crate::console::layout::csrf_field;
use crate::console::{now, sections, Ctx, Fail};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{Duration, NaiveDate};
use incontro_core::access::{AuditEntry, Outcome};
use incontro_core::appointments::{AgendaEntry, Booking, NewSlots, Slot};
use incontro_core::ErrorCode;
use maud::{html, Markup};
use serde::Deserialize;

/// `GET /console/appointments`: the publish form and the office's agenda.
pub async fn agenda_page(ctx: Ctx, state: web::Data<AppState>) -> HttpResponse {
    let result = async {
        let user = ctx.require(sections::APPOINTMENTS)?;
        let principal = user.principal.clone();
        let office = office_of(&ctx);
        let from = now(&state.engine);
        let to = from + Duration::days(i64::from(DAYS_AHEAD));
        let agenda_office = office.clone();
        // From the start of today: this morning's bookings can be marked as no-shows.
        let since = from.date().and_time(chrono::NaiveTime::MIN);
        let (agenda, office_name) = state
            .call(move |engine| {
                let agenda = engine.agenda(Some(&agenda_office), None, since, to)?;
                let target = format!("agenda:{agenda_office}");
                engine.audit(vec![AuditEntry::now(
                    &principal,
                    "read_agenda",
                    None,
                    Some(&target),
                    Outcome::Ok,
                )])?;
                Ok((agenda, engine.office_directory()?.name(&agenda_office)))
            })
            .await?;
        let body = agenda_body(&ctx, &office_name, &agenda, from, None, None);
        Ok(ctx.page(StatusCode::OK, ctx.t("appointments.title"), body))
    }
    .await;
    ctx.finish(result)
}

async fn load_agenda(
    ctx: &Ctx,
    state: &AppState,
) -> Result<(String, Vec<AgendaEntry>, chrono::NaiveDateTime), Fail> {
    let office = office_of(ctx);
    let from = now(&state.engine);
    let to = from + Duration::days(i64::from(DAYS_AHEAD));
    let agenda_office = office.clone();
    let since = from.date().and_time(chrono::NaiveTime::MIN);
    let (agenda, office_name) = state
        .call(move |engine| {
            let agenda = engine.agenda(Some(&agenda_office), None, since, to)?;
            Ok((agenda, engine.office_directory()?.name(&agenda_office)))
        })
        .await?;
    Ok((office_name, agenda, from))
}

fn agenda_body(
    ctx: &Ctx,
    office: &str,
    agenda: &[AgendaEntry],
    at: chrono::NaiveDateTime,
    typed: Option<&PublishForm>,
    error: Option<&str>,
) -> Markup {
    let today = at.date();
    let tomorrow = today + Duration::days(1);
    let weeks_value = typed.and_then(|typed| typed.weeks).unwrap_or(1);
    // Free slots still to come: where a booking can be moved.
    let free: Vec<&Slot> = agenda
        .iter()
        .filter(|entry| entry.booking.is_none() && entry.slot.is_bookable(at))
        .map(|entry| &entry.slot)
        .collect();
    let day_value = typed
        .map(|typed| typed.day.clone())
        .unwrap_or_else(|| tomorrow.to_string());
    let times_value = typed
        .map(|typed| typed.times.clone())
        .unwrap_or_else(|| "09:00, 09:30, 10:00".to_string());
    let minutes_value = typed.map(|typed| typed.minutes).unwrap_or(30);
    let room_value = typed
        .map(|typed| typed.room_url.clone())
        .unwrap_or_else(|| DEFAULT_ROOM_URL.to_string());
    html! {
        h1 { (ctx.t("appointments.title")) }
        h2 { (ctx.t("appointments.publish")) }
        form method="post" action="/console/appointments/slots" id="publish" {
            (csrf_field(ctx))
            div class="row" {
                div {
                    label for="day" { (ctx.t("appointments.day")) }
                    input type="date" id="day" name="day" value=(day_value) required;
                }
                div {
                    label for="times" { (ctx.t("appointments.times")) }
                    input type="text" id="times" name="times" value=(times_value) required
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby={ "times-help" @if error.is_some() { " times-error" } } maxlength="2000";
                    @if let Some(error) = error { p class="field-error" id="times-error" { (error) } }
                }
                div {
                    label for="weeks" { (ctx.t("appointments.weeks")) }
                    input type="number" id="weeks" name="weeks" min="1" max="26" value=(weeks_value)
                        aria-describedby="weeks-help";
                    p id="weeks-help" class="muted" { (ctx.t("appointments.weeks_help")) }
                }
                div {
                    label for="minutes" { (ctx.t("appointments.minutes")) }
                    input type="number" id="minutes" name="minutes" min="5" max="240" value=(minutes_value) required;
                }
            }
            p id="times-help" class="muted" { (ctx.t("appointments.times_help")) }
            label for="room_url" { (ctx.t("appointments.room_url")) }
            input type="url" id="room_url" name="room_url" value=(room_value) required;
            p class="muted" id="agenda-office" { (ctx.t("appointments.office")) " " (office) }
            button type="submit" { (ctx.t("appointments.publish_button")) }
        }
        h2 id="agenda" { (ctx.t("appointments.agenda")) }
        @if agenda.is_empty() { p { (ctx.t("appointments.empty")) } }
        @else {
            div class="table-wrap" {
                table id="agenda-table" {
                    thead { tr {
                        th scope="col" { (ctx.t("appointments.when")) } th scope="col" { (ctx.t("appointments.staff")) }
                        th scope="col" { (ctx.t("appointments.state")) } th scope="col" { (ctx.t("appointments.resident")) }
                        th scope="col" { span class="muted" { (ctx.t("vacancy.actions")) } }
                    } }
                    tbody {
                        @for entry in agenda {
                            tr data-slot=(entry.slot.id) {
                                td { (entry.slot.starts_at.replace('T', " ")) " (" (entry.slot.minutes) "′)" }
                                td { (entry.slot.staff) }
                                td {
                                    @if entry.slot.cancelled { span class="tag closed" { (ctx.t("appointments.withdrawn")) } }
                                    @else if entry.booking.is_some() { span class="tag validated" { (ctx.t("appointments.booked")) } }
                                    @else { span class="tag draft" { (ctx.t("appointments.free")) } }
                                }
                                td {
                                    @if let Some(booking) = &entry.booking {
                                        (booking.name) " · " (booking.contact) br;
                                        span class="muted" { (booking.topic) " (" (booking.language) ")" } br;
                                        a href=(booking.video_link) rel="noreferrer" { (ctx.t("appointments.video")) }
                                        @if booking.no_show_at.is_some() { " " span class="tag closed no-show" { (ctx.t("appointments.no_show_tag")) } }
                                    }
                                }
                                td {
                                    @if let Some(booking) = &entry.booking {
                                        @let started = incontro_core::appointments::parse_time(&entry.slot.starts_at).is_ok_and(|start| start <= at);
                                        @if started {
                                            @if booking.no_show_at.is_none() {
                                                form method="post" action={ "/console/appointments/bookings/" (booking.id) "/no-show" } class="inline no-show" {
                                                    (csrf_field(ctx))
                                                    button type="submit" class="secondary" { (ctx.t("appointments.no_show")) }
                                                }
                                            }
                                        } @else {
                                            form method="post" action={ "/console/appointments/bookings/" (booking.id) "/cancel" } class="inline cancel-booking" {
                                                (csrf_field(ctx))
                                                button type="submit" class="secondary" { (ctx.t("appointments.cancel_booking")) }
                                            }
                                            @if !free.is_empty() {
                                                form method="post" action={ "/console/appointments/bookings/" (booking.id) "/move" } class="move" {
                                                    (csrf_field(ctx))
                                                    label for={ "move-" (booking.id) } { (ctx.t("appointments.move_to")) }
                                                    select id={ "move-" (booking.id) } name="slot_id" {
                                                        @for slot in &free {
                                                            option value=(slot.id) { (slot.starts_at.replace('T', " ")) " · " (slot.staff) }
                                                        }
                                                    }
                                                    button type="submit" class="secondary" { (ctx.t("appointments.move")) }
                                                }
                                            }
                                        }
                                    }
                                    @if !entry.slot.cancelled && entry.booking.is_none() {
                                        form method="post" action={ "/console/appointments/slots/" (entry.slot.id) "/cancel" } class="inline" {
                                            (csrf_field(ctx))
                                            button type="submit" class="secondary" { (ctx.t("appointments.withdraw")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The publish form.
#[derive(Debug, Deserialize)]
pub struct PublishForm {
    csrf: String,
    day: String,
    times: String,
    minutes: u32,
    room_url: String,
    /// Repeat on the same weekday for this many weeks (1 = this day only).
    #[serde(default)]
    weeks: Option<u32>,
}

/// `POST /console/appointments/slots`: `Engine::publish_slots` for the signed-in staff member.
pub async fn publish(
    ctx: Ctx,
    state: web::Data<AppState>,
    form: web::Form<PublishForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::APPOINTMENTS)?;
        let user = ctx.check_csrf(&form.csrf)?;
        let form = form.into_inner();
        let day = form.day.trim().to_string();
        let times: Vec<String> = form
            .times
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|time| !time.is_empty())
            .map(str::to_string)
            .collect();
        // Weekly availability: the same times on the same weekday for `weeks` weeks.
        let starts = match NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
            Ok(first) => {
                incontro_core::appointments::weekly_starts(first, &times, form.weeks.unwrap_or(1))
                    .map_err(Fail::from)?
            }
            Err(_) => times.iter().map(|time| format!("{day}T{time}")).collect(),
        };
        let new = NewSlots {
            office: office_of(&ctx),
            staff: user.principal.label.clone(),
            starts,
            minutes: form.minutes,
            room_url: form.room_url.clone(),
        };
        let at = now(&state.engine);
        let published = state
            .call(move |engine| Ok(engine.publish_slots(&new, at)))
            .await?;
        match published {
            Ok(_) => Ok(ctx.see_other("/console/appointments#agenda")),
            // A refused time comes back next to the field, with everything typed kept.
            Err(error) if error.kind() == incontro_core::ErrorKind::Invalid => {
                let message = ctx.lang.error_message(error.code(), &error.to_string());
                let (office, agenda, from) = load_agenda(&ctx, &state).await?;
                let body = agenda_body(&ctx, &office, &agenda, from, Some(&form), Some(&message));
                Ok(ctx.page(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ctx.t("appointments.title"),
                    body,
                ))
            }
            Err(error) => Err(Fail::from(error)),
        }
    }
    .await;
    ctx.finish(result)
}

/// The withdraw form.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /console/appointments/slots/{id}/cancel`: withdraws a slot of the office.
pub async fn cancel_slot(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::APPOINTMENTS)?;
        ctx.check_csrf(&form.csrf)?;
        let office = office_of(&ctx);
        let id = path.into_inner();
        let at = now(&state.engine);
        state
            .call(move |engine| {
                let slot = engine.slot(id)?;
                if !slot.office.eq_ignore_ascii_case(&office) {
                    return Err(incontro_core::Error::Forbidden {
                        code: ErrorCode::OtherOffice,
                        message: "the slot belongs to another office".into(),
                    });
                }
                engine.cancel_slot(id, at)
            })
            .await?;
        Ok(ctx.see_other("/console/appointments#agenda"))
    }
    .await;
    ctx.finish(result)
}

/// A staff action on a booking.
#[derive(Debug, Deserialize)]
pub struct BookingActionForm {
    csrf: String,
    slot_id: Option<i64>,
    /// `yes` once staff confirmed a cancellation.
    #[serde(default)]
    confirm: String,
}

/// The confirmation page of a staff cancellation (issue 15, point 7): whose appointment, when,
/// and that the resident is not told by the service.
fn confirm_cancel(ctx: &Ctx, booking: &Booking, slot: &Slot) -> HttpResponse {
    let body = html! {
        h1 { (ctx.t("appointments.confirm_cancel_title")) }
        div class="card" id="confirm-cancel" {
            p { (ctx.t("appointments.confirm_cancel_text")) " " strong { (booking.name) } ", " (slot.starts_at.replace('T', " ")) "." }
            p { (ctx.t("appointments.confirm_cancel_tell")) " " (booking.contact) "." }
            form method="post" action={ "/console/appointments/bookings/" (booking.id) "/cancel" } {
                (csrf_field(ctx))
                input type="hidden" name="confirm" value="yes";
                button type="submit" class="danger" { (ctx.t("appointments.confirm_cancel")) }
            }
            p { a href="/console/appointments#agenda" { (ctx.t("appointments.confirm_cancel_back")) } }
        }
    };
    ctx.page(
        StatusCode::OK,
        ctx.t("appointments.confirm_cancel_title"),
        body,
    )
}

/// `POST /console/appointments/bookings/{id}/{cancel|move|no-show}` (issue 15, point 12): staff
/// cancel a booking, move it to another free slot of the office, or mark a no-show; audited.
pub async fn booking_action(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
    form: web::Form<BookingActionForm>,
) -> HttpResponse {
    let result = async {
        ctx.require(sections::APPOINTMENTS)?;
        let principal = ctx.check_csrf(&form.csrf)?.principal.clone();
        let office = office_of(&ctx);
        let (id, action) = path.into_inner();
        let new_slot = form.slot_id;
        let at = now(&state.engine);
        if action == "cancel" && form.confirm != "yes" {
            let office = office.clone();
            let (booking, slot) = state
                .call(move |engine| {
                    let booking = engine.booking(id)?;
                    let slot = engine.slot(booking.slot_id)?;
                    if !slot.office.eq_ignore_ascii_case(&office) {
                        return Err(incontro_core::Error::Forbidden {
                            code: ErrorCode::OtherOffice,
                            message: "the booking belongs to another office".into(),
                        });
                    }
                    Ok((booking, slot))
                })
                .await?;
            return Ok(confirm_cancel(&ctx, &booking, &slot));
        }
        state
            .call(move |engine| {
                let booking = engine.booking(id)?;
                let slot = engine.slot(booking.slot_id)?;
                if !slot.office.eq_ignore_ascii_case(&office) {
                    return Err(incontro_core::Error::Forbidden {
                        code: ErrorCode::OtherOffice,
                        message: "the booking belongs to another office".into(),
                    });
                }
                let audited = match action.as_str() {
                    "cancel" => {
                        engine.cancel_booking_by_id(id, at)?;
                        "booking_cancelled_by_staff"
                    }
                    "move" => {
                        let Some(new_slot) = new_slot else {
                            return Err(incontro_core::Error::invalid(
                                ErrorCode::MissingField,
                                "choose the slot to move the booking to",
                            ));
                        };
                        engine.reschedule_booking(id, new_slot, at)?;
                        "booking_moved"
                    }
                    "no-show" => {
                        engine.mark_no_show(id, at)?;
                        "booking_no_show"
                    }
                    _ => {
                        return Err(incontro_core::Error::not_found(
                            ErrorCode::NotFound,
                            "booking action",
                            action.clone(),
                        ))
                    }
                };
                engine.audit(vec![AuditEntry::now(
                    &principal,
                    audited,
                    None,
                    Some(&format!("booking:{id}")),
                    Outcome::Ok,
                )])
            })
            .await?;
        Ok(ctx.see_other("/console/appointments#agenda"))
    }
    .await;
    ctx.finish(result)
}
