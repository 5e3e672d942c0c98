//! The public booking page: the free slots by day, the booking form and its confirmation.

use super::{within_limit, DAYS_AHEAD};
use crate::console::layout::{self, form_token_field};
use crate::console::{now, ConsoleState, Ctx, Fail};
use crate::error::status_of_code;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use incontro_core::access::OfficeDirectory;
use incontro_core::appointments::{Booking, BookingRequest, Slot};
use incontro_core::ErrorCode;
use maud::{html, Markup};
use serde::Deserialize;

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
                        h3 class="slot-day" { (crate::console::i18n::day_in_words(ctx.lang, day)) }
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
        .map(|start| crate::console::i18n::day_in_words(ctx.lang, start.date()))
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
