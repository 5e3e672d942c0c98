//! Online-desk appointments. Staff publish slots and see their office's agenda (bookings
//! included) under `/console/appointments`; residents book a slot on the public page `/prenota`
//! (alias `/book`) with name, contact, topic and the privacy notice, get the video-call link and
//! a cancellation reference, and may cancel at `/prenota/annulla`. A second booking of a slot is
//! refused by the engine (unique index), and the page says so.

mod agenda;
mod booking;
mod reference;

use super::{ConsoleState, Ctx};
use actix_web::{web, HttpRequest};
use agenda::{agenda_page, booking_action, cancel_slot, publish};
use booking::{book, booking_page};
use reference::{calendar_file, cancel_booking, cancel_page};

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
