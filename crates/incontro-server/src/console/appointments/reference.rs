//! What a resident reaches with a booking's reference: the calendar file and the cancellation.

use super::within_limit;
use crate::console::layout::{self, form_token_field};
use crate::console::{now, ConsoleState, Ctx, Fail};
use crate::error::status_of_code;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use incontro_core::ErrorCode;
use maud::html;
use serde::Deserialize;

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
