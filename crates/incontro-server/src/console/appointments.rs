//! Online-desk appointments. Staff publish slots and see their office's agenda (bookings
//! included) under `/console/appointments`; residents book a slot on the public page `/prenota`
//! (alias `/book`) with name, contact, topic and the privacy notice, get the video-call link and
//! a cancellation reference, and may cancel at `/prenota/annulla`. A second booking of a slot is
//! refused by the engine (unique index), and the page says so.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Duration, NaiveDate};
use incontro_core::access::{AuditEntry, OfficeDirectory, Outcome};
use incontro_core::appointments::{AgendaEntry, Booking, BookingRequest, NewSlots, Slot};
use incontro_core::ErrorCode;
use maud::{html, Markup};
use serde::Deserialize;

use super::layout::{self, csrf_field, form_token_field};
use super::{now, sections, ConsoleState, Ctx, Fail};
use crate::error::status_of_code;
use crate::state::AppState;

/// The default base address of the video-call rooms, shown in the publish form.
pub const DEFAULT_ROOM_URL: &str = "https://meet.incontro.example/sportello";

/// Days of agenda shown to staff and of slots offered to residents.
const DAYS_AHEAD: u32 = 30;

/// Registers the staff pages (under `/console`).
pub fn configure_staff(config: &mut web::ServiceConfig) {
    config
        .route("/appointments", web::get().to(agenda_page))
        .route("/appointments/slots", web::post().to(publish))
        .route(
            "/appointments/slots/{id}/cancel",
            web::post().to(cancel_slot),
        )
        .route(
            "/appointments/bookings/{id}/{action}",
            web::post().to(booking_action),
        );
}

/// Registers the public booking pages (resources at the root, beside the API).
pub fn configure_public(config: &mut web::ServiceConfig, form_errors: web::FormConfig) {
    for path in ["/prenota", "/book"] {
        config.service(
            web::resource(path)
                .app_data(form_errors.clone())
                .route(web::get().to(booking_page))
                .route(web::post().to(book)),
        );
    }
    config.service(
        web::resource("/prenota/annulla")
            .app_data(form_errors)
            .route(web::get().to(cancel_page))
            .route(web::post().to(cancel_booking)),
    );
    config.route(
        "/prenota/calendario/{reference}",
        web::get().to(calendar_file),
    );
}

/// Whether the client may post to a public page now (see [`super::limit`]); a request without
/// a peer address (not over TCP) is let through.
fn within_limit(console: &ConsoleState, request: &HttpRequest) -> bool {
    match request.peer_addr() {
        Some(peer) => console.public_limit.allow(peer.ip()),
        None => true,
    }
}

fn office_of(ctx: &Ctx) -> String {
    ctx.user
        .as_ref()
        .and_then(|user| user.principal.office.clone())
        .unwrap_or_else(|| "LU".to_string())
}

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

/// What the resident typed, echoed back when the booking fails.
#[derive(Debug, Default, Deserialize)]
pub struct BookingForm {
    form_token: String,
    slot_id: Option<i64>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    language: String,
    privacy: Option<String>,
}

/// `GET /prenota` (and `/book`): the free slots and the booking form.
pub async fn booking_page(ctx: Ctx, state: web::Data<AppState>) -> HttpResponse {
    let result =
        booking_form_page(&ctx, &state, StatusCode::OK, None, &BookingForm::default()).await;
    ctx.finish(result)
}

async fn booking_form_page(
    ctx: &Ctx,
    state: &AppState,
    status: StatusCode,
    error: Option<String>,
    typed: &BookingForm,
) -> Result<HttpResponse, Fail> {
    let at = now(&state.engine);
    let (slots, offices) = state
        .call(move |engine| {
            Ok((
                engine.bookable_slots(None, at, DAYS_AHEAD)?,
                engine.office_directory()?,
            ))
        })
        .await?;
    let body = booking_body(ctx, &slots, &offices, error.as_deref(), typed);
    Ok(ctx.page(status, ctx.t("booking.title"), body))
}

fn booking_body(
    ctx: &Ctx,
    slots: &[Slot],
    offices: &OfficeDirectory,
    error: Option<&str>,
    typed: &BookingForm,
) -> Markup {
    let language = if typed.language.is_empty() {
        ctx.lang.code()
    } else {
        typed.language.as_str()
    };
    html! {
        h1 { (ctx.t("booking.title")) }
        p { (ctx.t("booking.intro")) }
        @if let Some(error) = error { (layout::notice("error", error)) }
        @if slots.is_empty() {
            p { (ctx.t("booking.no_slots")) }
        } @else {
            form method="post" action="/prenota" id="booking" {
                (form_token_field(ctx))
                fieldset {
                    legend { (ctx.t("booking.slot")) }
                    // Grouped by day, each day with its weekday (issue 15, point 12).
                    @for (day, group) in by_day(slots) {
                        h3 class="slot-day" { (super::i18n::day_in_words(ctx.lang, day)) }
                        ul class="slots" {
                            @for slot in group {
                                li {
                                    label class="check" {
                                        input type="radio" name="slot_id" value=(slot.id) required
                                            checked[typed.slot_id == Some(slot.id)];
                                        span { (slot.starts_at.get(11..16).unwrap_or(&slot.starts_at)) " · " (slot.minutes) " min"
                                            br; span class="muted" { (offices.place(&slot.office)) } }
                                    }
                                }
                            }
                        }
                    }
                }
                label for="name" { (ctx.t("booking.name")) }
                input type="text" id="name" name="name" required maxlength="120" autocomplete="name" value=(typed.name);
                label for="contact" { (ctx.t("booking.contact")) }
                input type="text" id="contact" name="contact" required maxlength="120" autocomplete="email"
                    aria-describedby="contact-help" value=(typed.contact);
                p id="contact-help" class="muted" { (ctx.t("booking.contact_help")) }
                label for="topic" { (ctx.t("booking.topic")) }
                textarea id="topic" name="topic" required maxlength="500" { (typed.topic) }
                label for="language" { (ctx.t("booking.language")) }
                select id="language" name="language" {
                    option value="it" selected[language == "it"] { "Italiano" }
                    option value="en" selected[language == "en"] { "English" }
                }
                details open {
                    summary { (ctx.t("booking.privacy_title")) }
                    p id="privacy-text" { (ctx.t("booking.privacy_text")) }
                }
                label class="check" {
                    input type="checkbox" name="privacy" value="yes" required aria-describedby="privacy-text";
                    (ctx.t("booking.privacy_accept"))
                }
                button type="submit" { (ctx.t("booking.submit")) }
            }
        }
        p { a href="/prenota/annulla" { (ctx.t("booking.cancel_link")) } }
    }
}

/// `POST /prenota`: `Engine::book_slot`; a slot already taken is refused with 409 and the form.
pub async fn book(
    ctx: Ctx,
    state: web::Data<AppState>,
    console: web::Data<ConsoleState>,
    request: HttpRequest,
    form: web::Form<BookingForm>,
) -> HttpResponse {
    let result = async {
        ctx.check_form_token(&form.form_token)?;
        let form = form.into_inner();
        if !within_limit(&console, &request) {
            return booking_form_page(
                &ctx,
                &state,
                status_of_code(ErrorCode::TooManyRequests),
                Some(ctx.lang.error_message(ErrorCode::TooManyRequests, "")),
                &form,
            )
            .await;
        }
        let Some(slot_id) = form.slot_id else {
            return booking_form_page(
                &ctx,
                &state,
                StatusCode::BAD_REQUEST,
                Some(ctx.t("booking.choose_slot").into()),
                &form,
            )
            .await;
        };
        let request = BookingRequest {
            slot_id,
            name: form.name.clone(),
            contact: form.contact.clone(),
            topic: form.topic.clone(),
            language: form.language.clone(),
            privacy_accepted: form.privacy.as_deref() == Some("yes"),
        };
        let at = now(&state.engine);
        let booked = state
            .call(move |engine| {
                let booking = engine.book_slot(&request, at)?;
                let slot = engine.slot(booking.slot_id)?;
                let offices = engine.office_directory()?;
                Ok((booking, slot, offices))
            })
            .await;
        match booked {
            Ok((booking, slot, offices)) => Ok(confirmation(&ctx, &booking, &slot, &offices)),
            Err(error) => {
                let fail = Fail::from(error);
                let status = fail.status();
                if status.is_server_error() {
                    return Err(fail);
                }
                let message = fail.message_in(ctx.lang);
                booking_form_page(&ctx, &state, status, Some(message), &form).await
            }
        }
    }
    .await;
    ctx.finish(result)
}

/// The slots grouped by day, in order.
fn by_day(slots: &[Slot]) -> Vec<(NaiveDate, Vec<&Slot>)> {
    let mut days: Vec<(NaiveDate, Vec<&Slot>)> = Vec::new();
    for slot in slots {
        let Ok(start) = incontro_core::appointments::parse_time(&slot.starts_at) else {
            continue;
        };
        match days.last_mut() {
            Some((day, group)) if *day == start.date() => group.push(slot),
            _ => days.push((start.date(), vec![slot])),
        }
    }
    days
}

fn confirmation(
    ctx: &Ctx,
    booking: &Booking,
    slot: &Slot,
    offices: &OfficeDirectory,
) -> HttpResponse {
    let day = incontro_core::appointments::parse_time(&slot.starts_at)
        .map(|start| super::i18n::day_in_words(ctx.lang, start.date()))
        .unwrap_or_default();
    let body = html! {
        h1 { (ctx.t("booking.confirmed")) }
        (layout::notice("ok", ctx.t("booking.confirmed_text")))
        dl {
            dt { (ctx.t("appointments.when")) } dd id="when" { (day) " " (ctx.t("calls.at")) " " (slot.starts_at.get(11..16).unwrap_or(&slot.starts_at)) " · " (slot.minutes) " min" }
            dt { (ctx.t("booking.desk")) } dd id="office" {
                (offices.name(&slot.office))
                @if let Some(office) = offices.office(&slot.office) {
                    br; span id="office-address" { (office.address) }
                }
            }
            dt { (ctx.t("booking.video_link")) } dd { a id="video-link" class="big" href=(booking.video_link) rel="noreferrer" { (booking.video_link) } }
            dt { (ctx.t("booking.reference")) } dd { code id="reference" class="big" { (booking.reference) } }
        }
        p { (ctx.t("booking.keep_reference")) }
        p { a id="ics-link" href={ "/prenota/calendario/" (booking.reference) } download="appuntamento.ics" { (ctx.t("booking.ics")) } }
        p { a id="cancel-link" href={ "/prenota/annulla?ref=" (booking.reference) } { (ctx.t("booking.cancel_link")) } }
    };
    ctx.page(StatusCode::CREATED, ctx.t("booking.confirmed"), body)
}

/// `?ref=` of the cancellation page (the confirmation's link fills the field).
#[derive(Debug, Deserialize)]
pub struct CancelQuery {
    #[serde(rename = "ref")]
    reference: Option<String>,
}

/// `GET /prenota/annulla[?ref=]`
pub async fn cancel_page(ctx: Ctx, query: web::Query<CancelQuery>) -> HttpResponse {
    let typed = query.into_inner().reference.unwrap_or_default();
    cancel_form_with(&ctx, StatusCode::OK, None, &typed)
}

/// `GET /prenota/calendario/{reference}`: the booking as an `.ics` file (rate-limited like the
/// cancellation form, since the reference is the secret).
pub async fn calendar_file(
    ctx: Ctx,
    state: web::Data<AppState>,
    console: web::Data<ConsoleState>,
    request: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    if !within_limit(&console, &request) {
        let message = ctx.lang.error_message(ErrorCode::TooManyRequests, "");
        return cancel_form(
            &ctx,
            StatusCode::TOO_MANY_REQUESTS,
            Some(("error", message)),
        );
    }
    let reference = path.into_inner();
    let host = request.connection_info().host().to_string();
    let scheme = request.connection_info().scheme().to_string();
    let found = state
        .call(move |engine| {
            let booking = engine.booking_by_reference(&reference)?;
            let slot = engine.slot(booking.slot_id)?;
            let offices = engine.office_directory()?;
            let name = offices.name(&slot.office);
            let address = offices
                .office(&slot.office)
                .map(|office| office.address.clone());
            Ok((booking, slot, (name, address)))
        })
        .await;
    match found {
        Ok((booking, slot, (office, address))) => {
            let cancel_url = format!(
                "{scheme}://{host}/prenota/annulla?ref={}",
                booking.reference
            );
            let ics = incontro_core::appointments::booking_ics(
                &booking,
                &slot,
                &office,
                address.as_deref(),
                &cancel_url,
            );
            HttpResponse::Ok()
                .insert_header((
                    actix_web::http::header::CONTENT_TYPE,
                    "text/calendar; charset=utf-8",
                ))
                .insert_header((
                    actix_web::http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"appuntamento.ics\"",
                ))
                .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
                .body(ics)
        }
        Err(error) => ctx.finish(Err(Fail::from(error))),
    }
}

fn cancel_form(ctx: &Ctx, status: StatusCode, message: Option<(&str, String)>) -> HttpResponse {
    cancel_form_with(ctx, status, message, "")
}

fn cancel_form_with(
    ctx: &Ctx,
    status: StatusCode,
    message: Option<(&str, String)>,
    typed: &str,
) -> HttpResponse {
    let body = html! {
        h1 { (ctx.t("booking.cancel_title")) }
        @if let Some((kind, text)) = &message { (layout::notice(kind, text)) }
        form method="post" action="/prenota/annulla" {
            (form_token_field(ctx))
            label for="reference" { (ctx.t("booking.reference")) }
            input type="text" id="reference" name="reference" required maxlength="64" autocomplete="off"
                value=(typed) autocapitalize="characters" spellcheck="false";
            button type="submit" class="danger" { (ctx.t("booking.cancel_button")) }
        }
        p { a href="/prenota" { (ctx.t("booking.title")) } }
    };
    ctx.page(status, ctx.t("booking.cancel_title"), body)
}

/// The cancellation form.
#[derive(Debug, Deserialize)]
pub struct CancelForm {
    form_token: String,
    reference: String,
}

/// `POST /prenota/annulla`: `Engine::cancel_booking` by reference.
pub async fn cancel_booking(
    ctx: Ctx,
    state: web::Data<AppState>,
    console: web::Data<ConsoleState>,
    request: HttpRequest,
    form: web::Form<CancelForm>,
) -> HttpResponse {
    if let Err(fail) = ctx.check_form_token(&form.form_token) {
        return ctx.finish(Err(fail));
    }
    if !within_limit(&console, &request) {
        let message = ctx.lang.error_message(ErrorCode::TooManyRequests, "");
        return cancel_form(
            &ctx,
            status_of_code(ErrorCode::TooManyRequests),
            Some(("error", message)),
        );
    }
    let reference = form.reference.trim().to_string();
    let at = now(&state.engine);
    match state
        .call(move |engine| engine.cancel_booking(&reference, at))
        .await
    {
        Ok(()) => cancel_form(
            &ctx,
            StatusCode::OK,
            Some(("ok", ctx.t("booking.cancelled").to_string())),
        ),
        Err(error) => {
            let fail = Fail::from(error);
            let status = fail.status();
            if status.is_server_error() {
                return ctx.finish(Err(fail));
            }
            let message = fail.message_in(ctx.lang);
            cancel_form(&ctx, status, Some(("error", message)))
        }
    }
}
