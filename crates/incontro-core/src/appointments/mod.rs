//! Online-desk appointments: staff publish slots, residents book one from a public page and
//! receive the video-call link; no double booking; staff see their agenda; either side cancels.
//!
//! Lucca's desk works online by appointment. A slot belongs to one staff member of one office; a
//! booking holds the resident's name, contact and topic (personal data, shown only to staff) and
//! a random reference that lets the resident cancel without an account.
//!
//! What it does NOT do: send e-mails or create video rooms. The desk configures the base address of
//! its video-call service (`room_url`); each booking gets a fresh, unguessable room under it.
//!
//! ```
//! use chrono::NaiveDateTime;
//! use incontro_core::appointments::{BookingRequest, NewSlots};
//! use incontro_core::Engine;
//!
//! let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).unwrap();
//! let now = NaiveDateTime::parse_from_str("2026-11-25T09:00", "%Y-%m-%dT%H:%M").unwrap();
//! let slots = engine
//!     .publish_slots(
//!         &NewSlots {
//!             office: "lucca".into(),
//!             staff: "desk-anna".into(),
//!             starts: vec!["2026-11-26T10:00".into()],
//!             minutes: 30,
//!             room_url: "https://meet.example.org".into(),
//!         },
//!         now,
//!     )
//!     .unwrap();
//! let request = BookingRequest {
//!     slot_id: slots[0].id,
//!     name: "Maria Rossi".into(),
//!     contact: "maria@example.org".into(),
//!     topic: "Cerco un tirocinio".into(),
//!     language: "it".into(),
//!     privacy_accepted: true,
//! };
//! let booking = engine.book_slot(&request, now).unwrap();
//! assert!(booking.video_link.starts_with("https://meet.example.org/incontro-"));
//! // The same slot cannot be booked twice.
//! assert_eq!(engine.book_slot(&request, now).unwrap_err().code(), "slot_already_booked");
//! ```

pub(crate) mod sql;
use chrono::{Duration, NaiveDateTime};
use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::store::db::Db;
use crate::{Engine, Error, ErrorCode, Result};

/// The wire and storage format of slot times (local time of the office, minutes precision).
pub const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// Longest name, contact and topic accepted.
const MAX_NAME: usize = 120;
const MAX_CONTACT: usize = 120;
const MAX_TOPIC: usize = 500;
/// At most this many slots in one publication.
const MAX_SLOTS_PER_CALL: usize = 200;

/// A published slot, as anyone may see it (no personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// Slot id.
    pub id: i64,
    /// The office (desk) that offers it.
    pub office: String,
    /// The staff member who holds it.
    pub staff: String,
    /// Start, `YYYY-MM-DDTHH:MM` local time.
    pub starts_at: String,
    /// Length in minutes.
    pub minutes: u32,
    /// Withdrawn by the desk.
    pub cancelled: bool,
    /// Has an active booking.
    pub booked: bool,
}

impl Slot {
    /// True when a resident may book it at `now`.
    pub fn is_bookable(&self, now: NaiveDateTime) -> bool {
        !self.cancelled && !self.booked && parse_time(&self.starts_at).is_ok_and(|t| t > now)
    }
}

/// Slots to publish: one per start time.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewSlots {
    /// The office (desk).
    pub office: String,
    /// The staff member who will take the calls.
    pub staff: String,
    /// Start times, `YYYY-MM-DDTHH:MM`.
    pub starts: Vec<String>,
    /// Length of each slot in minutes (5–240).
    pub minutes: u32,
    /// Base address of the desk's video-call service (`https://…`).
    pub room_url: String,
}

/// What a resident sends to book a slot.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BookingRequest {
    /// The slot wanted.
    pub slot_id: i64,
    /// Name and surname.
    pub name: String,
    /// E-mail address or phone number.
    pub contact: String,
    /// What the resident wants to talk about.
    pub topic: String,
    /// `it` or `en`: the language of the conversation.
    pub language: String,
    /// The resident has read the privacy notice (art. 13 GDPR).
    pub privacy_accepted: bool,
}

/// A booking (personal data: staff only, and the resident through the reference).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    /// Booking id.
    pub id: i64,
    /// The slot.
    pub slot_id: i64,
    /// The resident's secret reference, used to cancel.
    pub reference: String,
    /// Name and surname.
    pub name: String,
    /// E-mail address or phone number.
    pub contact: String,
    /// Topic.
    pub topic: String,
    /// Language of the conversation.
    pub language: String,
    /// The video-call link for this appointment.
    pub video_link: String,
    /// When it was booked.
    pub booked_at: String,
    /// When it was cancelled, if it was.
    pub cancelled_at: Option<String>,
    /// When staff marked that the resident did not come.
    #[serde(default)]
    pub no_show_at: Option<String>,
}

impl std::fmt::Debug for Booking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Name and contact are personal data: never in logs.
        f.debug_struct("Booking")
            .field("id", &self.id)
            .field("slot_id", &self.slot_id)
            .field("cancelled_at", &self.cancelled_at)
            .finish_non_exhaustive()
    }
}

/// One line of a staff member's agenda.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaEntry {
    /// The slot.
    pub slot: Slot,
    /// Its active booking, if any.
    pub booking: Option<Booking>,
}

/// Parses a slot time (`YYYY-MM-DDTHH:MM`).
pub fn parse_time(text: &str) -> Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text.trim(), TIME_FORMAT).map_err(|_| {
        Error::invalid(
            ErrorCode::InvalidTime,
            format!("time {text:?} is not YYYY-MM-DDTHH:MM"),
        )
    })
}

fn format_time(time: NaiveDateTime) -> String {
    time.format(TIME_FORMAT).to_string()
}

fn random_token(bytes: usize) -> String {
    let mut rng = rand::rng();
    (0..bytes)
        .map(|_| format!("{:02x}", rng.random::<u8>()))
        .collect()
}

/// Weekly availability (issue 15, point 12): the start times `times` (`HH:MM`) on `day` and on
/// the same weekday of the following `weeks - 1` weeks (1–26), as `YYYY-MM-DDTHH:MM`.
pub fn weekly_starts(day: chrono::NaiveDate, times: &[String], weeks: u32) -> Result<Vec<String>> {
    if !(1..=26).contains(&weeks) {
        return Err(Error::invalid(
            ErrorCode::InvalidWeeks,
            "repeat for 1 to 26 weeks",
        ));
    }
    let mut starts = Vec::with_capacity(times.len() * weeks as usize);
    for week in 0..weeks {
        let date = day + Duration::weeks(i64::from(week));
        for time in times {
            starts.push(format!("{date}T{}", time.trim()));
        }
    }
    Ok(starts)
}

/// The letters of a booking reference: no 0/O, 1/I/L (issue 15, point 12).
const REFERENCE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A booking reference: 8 characters of [`REFERENCE_ALPHABET`] (31^8 ≈ 8.5 × 10^11; the public
/// cancellation form is rate-limited per address).
fn short_reference() -> String {
    // The thread's generator: a CSPRNG seeded from the operating system.
    let mut rng = rand::rng();
    (0..8)
        .map(|_| REFERENCE_ALPHABET[rng.random_range(0..REFERENCE_ALPHABET.len())] as char)
        .collect()
}

/// A reference as typed: case and spaces or hyphens do not matter.
pub fn normalize_reference(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// The stored booking for a typed reference: the short form (any case), or an older 24-digit
/// reference as given.
fn find_booking(connection: &Db<'_>, typed: &str) -> Result<Option<Booking>> {
    match sql::booking_by_reference(connection, &normalize_reference(typed))? {
        Some(booking) => Ok(Some(booking)),
        None => sql::booking_by_reference(connection, typed.trim()),
    }
}

/// The booking as an iCalendar file (RFC 5545) for the resident's calendar: start, end, the
/// office by name (and its address, when known: issue 15, point 12), the video link, and the
/// reference to cancel with. `starts_at` is the office's local time, written as a floating time.
pub fn booking_ics(
    booking: &Booking,
    slot: &Slot,
    office: &str,
    office_address: Option<&str>,
    cancel_url: &str,
) -> String {
    let start = NaiveDateTime::parse_from_str(&slot.starts_at, TIME_FORMAT).ok();
    let format = |time: NaiveDateTime| time.format("%Y%m%dT%H%M%S").to_string();
    let (start, end) = match start {
        Some(start) => (
            format(start),
            format(start + Duration::minutes(i64::from(slot.minutes))),
        ),
        None => (String::new(), String::new()),
    };
    let stamp = booking
        .booked_at
        .replace(['-', ':'], "")
        .chars()
        .take(13)
        .collect::<String>();
    let escape = |text: &str| {
        text.replace('\\', "\\\\")
            .replace(';', "\\;")
            .replace(',', "\\,")
            .replace('\n', "\\n")
    };
    [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Incontro//Sportello online//IT".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:incontro-{}@incontro", booking.reference),
        format!("DTSTAMP:{stamp}00"),
        format!("DTSTART:{start}"),
        format!("DTEND:{end}"),
        format!("SUMMARY:{}", escape(&format!("Appuntamento: {office}"))),
        format!("LOCATION:{}", escape(&booking.video_link)),
        format!(
            "DESCRIPTION:{}",
            escape(&format!(
                "Ufficio: {office}{}\nCollegamento video: {}\nCodice di prenotazione: {}\nPer annullare: {}",
                office_address.map(|address| format!(", {address}")).unwrap_or_default(),
                booking.video_link,
                booking.reference,
                cancel_url
            ))
        ),
        format!("URL:{}", booking.video_link),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ]
    .join("\r\n")
        + "\r\n"
}

fn required_text(field: &'static str, value: &str, max: usize) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(
            ErrorCode::MissingField,
            format!("{field} is required"),
        ));
    }
    if trimmed.chars().count() > max {
        return Err(Error::invalid(
            ErrorCode::FieldTooLong,
            format!("{field} is longer than {max} characters"),
        ));
    }
    if trimmed.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(
            ErrorCode::InvalidText,
            format!("{field} contains control characters"),
        ));
    }
    Ok(trimmed.to_string())
}

/// Accepts an e-mail address (`local@domain.tld`) or a phone number (6–15 digits, optional
/// leading `+`, spaces allowed).
pub fn validate_contact(contact: &str) -> Result<String> {
    let contact = required_text("contact", contact, MAX_CONTACT)?;
    let is_email = contact.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.starts_with('.')
            && domain.contains('.')
            && !domain.ends_with('.')
            && !contact.contains(char::is_whitespace)
    });
    let digits: String = contact
        .strip_prefix('+')
        .unwrap_or(&contact)
        .chars()
        .filter(|c| *c != ' ')
        .collect();
    let is_phone = (6..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit());
    if is_email || is_phone {
        Ok(contact)
    } else {
        Err(Error::invalid(
            ErrorCode::InvalidContact,
            "contact must be an e-mail address or a phone number",
        ))
    }
}

fn validate_room_url(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let valid = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.contains(char::is_whitespace);
    if valid {
        Ok(url.to_string())
    } else {
        Err(Error::invalid(
            ErrorCode::InvalidRoomUrl,
            "room_url must be an http(s) address",
        ))
    }
}

/// **Appointments**: slots, bookings and the agenda of the online desk.
impl Engine {
    /// Publishes slots (all or none). Times must be in the future and free for that staff
    /// member.
    pub fn publish_slots(&self, new: &NewSlots, now: NaiveDateTime) -> Result<Vec<Slot>> {
        let office = required_text("office", &new.office, 60)?;
        let staff = required_text("staff", &new.staff, 60)?;
        let room_url = validate_room_url(&new.room_url)?;
        if !(5..=240).contains(&new.minutes) {
            return Err(Error::invalid(
                ErrorCode::InvalidMinutes,
                "minutes must be between 5 and 240",
            ));
        }
        if new.starts.is_empty() || new.starts.len() > MAX_SLOTS_PER_CALL {
            return Err(Error::invalid(
                ErrorCode::InvalidSlotCount,
                format!("publish between 1 and {MAX_SLOTS_PER_CALL} slots at a time"),
            ));
        }
        let mut starts = Vec::with_capacity(new.starts.len());
        for start in &new.starts {
            let time = parse_time(start)?;
            if time <= now {
                return Err(Error::invalid(
                    ErrorCode::SlotInPast,
                    format!("slot {start} is not in the future"),
                ));
            }
            starts.push(format_time(time));
        }
        let created_at = format_time(now);
        let ids = self.store().write(|tx| {
            // No two slots of one staff member overlap (issue 15, point 12): against the stored
            // ones (not cancelled) and among the new ones.
            let minutes = Duration::minutes(i64::from(new.minutes));
            let mut sorted: Vec<NaiveDateTime> = starts
                .iter()
                .filter_map(|start| parse_time(start).ok())
                .collect();
            sorted.sort();
            for pair in sorted.windows(2) {
                if pair[0] + minutes > pair[1] {
                    return Err(Error::invalid(
                        ErrorCode::SlotOverlaps,
                        format!(
                            "the slots at {} and {} overlap",
                            format_time(pair[0]),
                            format_time(pair[1])
                        ),
                    ));
                }
            }
            for start in &sorted {
                let from = *start - Duration::minutes(240);
                let to = *start + minutes;
                for other in
                    sql::list_slots(tx, &format_time(from), &format_time(to), None, Some(&staff))?
                {
                    let Ok(other_start) = parse_time(&other.starts_at) else {
                        continue;
                    };
                    let other_end = other_start + Duration::minutes(i64::from(other.minutes));
                    if !other.cancelled && other_start < to && *start < other_end {
                        return Err(Error::invalid(
                            ErrorCode::SlotOverlaps,
                            format!(
                                "the slot at {} overlaps the published one at {}",
                                format_time(*start),
                                other.starts_at
                            ),
                        ));
                    }
                }
            }
            let mut ids = Vec::with_capacity(starts.len());
            for start in &starts {
                ids.push(sql::insert_slot(
                    tx,
                    &office,
                    &staff,
                    start,
                    new.minutes,
                    &room_url,
                    &created_at,
                )?);
            }
            Ok(ids)
        })?;
        ids.into_iter().map(|id| self.slot(id)).collect()
    }

    /// One slot.
    pub fn slot(&self, id: i64) -> Result<Slot> {
        self.store()
            .read(|c| sql::get_slot(c, id))?
            .map(|(slot, _)| slot)
            .ok_or_else(|| Error::not_found(ErrorCode::SlotNotFound, "slot", id.to_string()))
    }

    /// Slots a resident can book now, from `now` for `days` days, optionally of one office.
    pub fn bookable_slots(
        &self,
        office: Option<&str>,
        now: NaiveDateTime,
        days: u32,
    ) -> Result<Vec<Slot>> {
        let to = now + Duration::days(i64::from(days.min(366)));
        let slots = self
            .store()
            .read(|c| sql::list_slots(c, &format_time(now), &format_time(to), office, None))?;
        Ok(slots
            .into_iter()
            .filter(|slot| slot.is_bookable(now))
            .collect())
    }

    /// Books a slot. Refused when the slot is cancelled, past, or already booked — checked
    /// inside the write transaction and enforced by a unique index, so a second booking of the
    /// same slot always fails with `slot_already_booked`.
    pub fn book_slot(&self, request: &BookingRequest, now: NaiveDateTime) -> Result<Booking> {
        if !request.privacy_accepted {
            return Err(Error::invalid(
                ErrorCode::PrivacyNotAccepted,
                "the privacy notice must be accepted to book",
            ));
        }
        let name = required_text("name", &request.name, MAX_NAME)?;
        let contact = validate_contact(&request.contact)?;
        let topic = required_text("topic", &request.topic, MAX_TOPIC)?;
        let language = match request.language.trim() {
            "it" | "" => "it",
            "en" => "en",
            other => {
                return Err(Error::invalid(
                    ErrorCode::UnknownLanguage,
                    format!("language {other:?} is not it or en"),
                ))
            }
        };
        self.store().write(|tx| {
            let (slot, room_url) = sql::get_slot(tx, request.slot_id)?.ok_or_else(|| {
                Error::not_found(ErrorCode::SlotNotFound, "slot", request.slot_id.to_string())
            })?;
            if slot.booked {
                return Err(Error::conflict(
                    ErrorCode::SlotAlreadyBooked,
                    "this slot has just been booked by someone else; choose another",
                ));
            }
            if slot.cancelled || !slot.is_bookable(now) {
                return Err(Error::conflict(
                    ErrorCode::SlotNotBookable,
                    "this slot is no longer available",
                ));
            }
            let mut booking = Booking {
                id: 0,
                slot_id: slot.id,
                reference: short_reference(),
                name,
                contact,
                topic,
                language: language.to_string(),
                video_link: format!("{room_url}/incontro-{}", random_token(8)),
                booked_at: format_time(now),
                cancelled_at: None,
                no_show_at: None,
            };
            booking.id = sql::insert_booking(tx, &booking)?;
            Ok(booking)
        })
    }

    /// The booking with this reference (for the resident's confirmation page).
    pub fn booking_by_reference(&self, reference: &str) -> Result<Booking> {
        self.store()
            .read(|c| find_booking(c, reference))?
            .ok_or_else(|| Error::not_found(ErrorCode::BookingNotFound, "booking", "(reference)"))
    }

    /// Cancels a booking by its reference; the slot becomes bookable again.
    pub fn cancel_booking(&self, reference: &str, now: NaiveDateTime) -> Result<()> {
        self.store().write(|tx| {
            let Some(booking) = find_booking(tx, reference)? else {
                return Err(Error::not_found(
                    ErrorCode::BookingNotFound,
                    "booking",
                    "(reference)",
                ));
            };
            if !sql::cancel_booking(tx, &booking.reference, &format_time(now))? {
                return Err(Error::conflict(
                    ErrorCode::BookingAlreadyCancelled,
                    "this booking was already cancelled",
                ));
            }
            Ok(())
        })
    }

    /// One booking by id (staff).
    pub fn booking(&self, id: i64) -> Result<Booking> {
        self.store()
            .read(|c| sql::booking_by_id(c, id))?
            .ok_or_else(|| Error::not_found(ErrorCode::BookingNotFound, "booking", id.to_string()))
    }

    /// Cancels a booking by id (staff; the resident cancels by reference).
    pub fn cancel_booking_by_id(&self, id: i64, now: NaiveDateTime) -> Result<()> {
        let booking = self.booking(id)?;
        self.cancel_booking(&booking.reference, now)
    }

    /// Moves an active booking to another free slot of the same office, not yet started (staff);
    /// the reference and the video link stay, the old slot is free again.
    pub fn reschedule_booking(
        &self,
        id: i64,
        new_slot_id: i64,
        now: NaiveDateTime,
    ) -> Result<Booking> {
        self.store().write(|tx| {
            let booking = sql::booking_by_id(tx, id)?.ok_or_else(|| {
                Error::not_found(ErrorCode::BookingNotFound, "booking", id.to_string())
            })?;
            if booking.cancelled_at.is_some() {
                return Err(Error::conflict(
                    ErrorCode::BookingAlreadyCancelled,
                    "this booking was already cancelled",
                ));
            }
            let (old, _) = sql::get_slot(tx, booking.slot_id)?.ok_or_else(|| {
                Error::not_found(ErrorCode::SlotNotFound, "slot", booking.slot_id.to_string())
            })?;
            let (new, _) = sql::get_slot(tx, new_slot_id)?.ok_or_else(|| {
                Error::not_found(ErrorCode::SlotNotFound, "slot", new_slot_id.to_string())
            })?;
            if !new.office.eq_ignore_ascii_case(&old.office) {
                return Err(Error::invalid(
                    ErrorCode::SlotOfOtherOffice,
                    "a booking moves only to a slot of the same office",
                ));
            }
            if new.booked {
                return Err(Error::conflict(
                    ErrorCode::SlotAlreadyBooked,
                    "this slot has just been booked by someone else; choose another",
                ));
            }
            if new.cancelled || !new.is_bookable(now) {
                return Err(Error::conflict(
                    ErrorCode::SlotNotBookable,
                    "this slot is no longer available",
                ));
            }
            sql::move_booking(tx, id, new_slot_id)?;
            Ok(Booking {
                slot_id: new_slot_id,
                ..booking
            })
        })
    }

    /// Marks that the resident of a booking did not come (staff; only once the slot started).
    pub fn mark_no_show(&self, id: i64, now: NaiveDateTime) -> Result<()> {
        self.store().write(|tx| {
            let booking = sql::booking_by_id(tx, id)?.ok_or_else(|| {
                Error::not_found(ErrorCode::BookingNotFound, "booking", id.to_string())
            })?;
            let (slot, _) = sql::get_slot(tx, booking.slot_id)?.ok_or_else(|| {
                Error::not_found(ErrorCode::SlotNotFound, "slot", booking.slot_id.to_string())
            })?;
            if booking.cancelled_at.is_some() || parse_time(&slot.starts_at)? > now {
                return Err(Error::invalid(
                    ErrorCode::NoShowTooEarly,
                    "a booking is marked as a no-show only after its slot started",
                ));
            }
            sql::set_no_show(tx, id, &format_time(now))
        })
    }

    /// Withdraws a slot (and cancels its booking, if any).
    pub fn cancel_slot(&self, id: i64, now: NaiveDateTime) -> Result<()> {
        self.store().write(|tx| {
            if sql::get_slot(tx, id)?.is_none() {
                return Err(Error::not_found(
                    ErrorCode::SlotNotFound,
                    "slot",
                    id.to_string(),
                ));
            }
            sql::cancel_slot(tx, id, &format_time(now))?;
            Ok(())
        })
    }

    /// A staff member's (or an office's) agenda between two times, with bookings.
    pub fn agenda(
        &self,
        office: Option<&str>,
        staff: Option<&str>,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<Vec<AgendaEntry>> {
        self.store().read(|c| {
            let slots = sql::list_slots(c, &format_time(from), &format_time(to), office, staff)?;
            let mut entries = Vec::with_capacity(slots.len());
            for slot in slots {
                let booking = sql::active_booking(c, slot.id)?;
                entries.push(AgendaEntry { slot, booking });
            }
            Ok(entries)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        parse_time(text).expect("time")
    }

    fn publish(engine: &Engine, starts: &[&str]) -> Vec<Slot> {
        engine
            .publish_slots(
                &NewSlots {
                    office: "lucca".into(),
                    staff: "anna".into(),
                    starts: starts.iter().map(|s| s.to_string()).collect(),
                    minutes: 30,
                    room_url: "https://meet.example.org/".into(),
                },
                at("2026-11-25T09:00"),
            )
            .expect("publish")
    }

    fn request(slot_id: i64) -> BookingRequest {
        BookingRequest {
            slot_id,
            name: "Maria Rossi".into(),
            contact: "+39 333 1234567".into(),
            topic: "tirocinio".into(),
            language: "it".into(),
            privacy_accepted: true,
        }
    }

    #[test]
    fn book_cancel_rebook() {
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).expect("engine");
        let now = at("2026-11-25T09:00");
        let slots = publish(&engine, &["2026-11-26T10:00", "2026-11-26T10:30"]);
        assert_eq!(engine.bookable_slots(None, now, 7).expect("list").len(), 2);
        let booking = engine.book_slot(&request(slots[0].id), now).expect("book");
        assert!(booking
            .video_link
            .starts_with("https://meet.example.org/incontro-"));
        let second = engine.book_slot(&request(slots[0].id), now).unwrap_err();
        assert_eq!(second.code(), "slot_already_booked");
        assert_eq!(engine.bookable_slots(None, now, 7).expect("list").len(), 1);
        engine
            .cancel_booking(&booking.reference, now)
            .expect("cancel");
        assert_eq!(
            engine
                .cancel_booking(&booking.reference, now)
                .unwrap_err()
                .code(),
            "booking_already_cancelled"
        );
        engine
            .book_slot(&request(slots[0].id), now)
            .expect("rebook after cancellation");
        let agenda = engine
            .agenda(Some("lucca"), Some("anna"), now, at("2026-11-27T00:00"))
            .expect("agenda");
        assert_eq!(agenda.len(), 2);
        assert!(agenda[0].booking.is_some());
        assert!(agenda[1].booking.is_none());
    }

    #[test]
    fn references_are_short_unambiguous_and_read_in_any_case() {
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).expect("engine");
        let now = at("2026-11-25T09:00");
        let slots = publish(&engine, &["2026-11-26T10:00"]);
        let booking = engine.book_slot(&request(slots[0].id), now).expect("book");
        assert_eq!(booking.reference.len(), 8);
        assert!(booking
            .reference
            .bytes()
            .all(|byte| REFERENCE_ALPHABET.contains(&byte)));
        for ambiguous in ['0', 'O', '1', 'I', 'L'] {
            assert!(!booking.reference.contains(ambiguous));
        }
        let typed = format!(
            " {}-{} ",
            booking.reference[..4].to_lowercase(),
            &booking.reference[4..]
        );
        assert_eq!(
            engine.booking_by_reference(&typed).expect("found").id,
            booking.id
        );
        engine
            .cancel_booking(&typed, now)
            .expect("cancel in lower case");
        let ics = booking_ics(
            &booking,
            &slots[0],
            "Centro per l'impiego di Lucca",
            Some("Via di Tiglio 2, 55100 Lucca"),
            "https://x.example/prenota/annulla?ref=R",
        );
        assert!(
            ics.contains("DTSTART:20261126T100000\r\nDTEND:20261126T103000\r\n"),
            "{ics}"
        );
        assert!(ics.contains("SUMMARY:Appuntamento: Centro per l'impiego di Lucca\r\n"));
        assert!(
            ics.contains(
                "Ufficio: Centro per l'impiego di Lucca\\, Via di Tiglio 2\\, 55100 Lucca"
            ),
            "{ics}"
        );
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn a_staff_member_cannot_publish_overlapping_slots() {
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).expect("engine");
        let now = at("2026-11-25T09:00");
        let slots = publish(&engine, &["2026-11-26T10:00", "2026-11-26T10:30"]);
        let new = |starts: &[&str], staff: &str| NewSlots {
            office: "lucca".into(),
            staff: staff.into(),
            starts: starts.iter().map(|s| s.to_string()).collect(),
            minutes: 30,
            room_url: "https://meet.example.org/".into(),
        };
        for starts in [
            &["2026-11-26T10:15"][..],
            &["2026-11-26T09:45"],
            &["2026-11-26T12:00", "2026-11-26T12:20"],
        ] {
            let error = engine.publish_slots(&new(starts, "anna"), now).unwrap_err();
            assert_eq!(error.code(), "slot_overlaps", "{starts:?}");
        }
        // A withdrawn slot frees its time; back to back is fine, another staff member too.
        engine.cancel_slot(slots[1].id, now).expect("withdraw");
        engine
            .publish_slots(&new(&["2026-11-26T10:40"], "anna"), now)
            .expect("the withdrawn time is free");
        engine
            .publish_slots(&new(&["2026-11-26T11:10", "2026-11-26T09:30"], "anna"), now)
            .expect("back to back");
        engine
            .publish_slots(&new(&["2026-11-26T10:15"], "bruno"), now)
            .expect("other staff");
    }

    #[test]
    fn bad_input_is_refused_and_nothing_is_stored() {
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).expect("engine");
        let now = at("2026-11-25T09:00");
        let slots = publish(&engine, &["2026-11-26T10:00"]);
        let mut bad = request(slots[0].id);
        bad.privacy_accepted = false;
        assert_eq!(
            engine.book_slot(&bad, now).unwrap_err().code(),
            "privacy_not_accepted"
        );
        let mut bad = request(slots[0].id);
        bad.contact = "not a contact".into();
        assert_eq!(
            engine.book_slot(&bad, now).unwrap_err().code(),
            "invalid_contact"
        );
        let mut bad = request(slots[0].id);
        bad.name = " ".into();
        assert_eq!(
            engine.book_slot(&bad, now).unwrap_err().code(),
            "missing_field"
        );
        assert_eq!(
            engine.book_slot(&request(999), now).unwrap_err().code(),
            "slot_not_found"
        );
        // After the slot's start it cannot be booked.
        assert_eq!(
            engine
                .book_slot(&request(slots[0].id), at("2026-11-26T10:00"))
                .unwrap_err()
                .code(),
            "slot_not_bookable"
        );
        assert_eq!(engine.bookable_slots(None, now, 7).expect("list").len(), 1);
        // Publishing a past slot or a duplicate publishes nothing.
        let past = engine.publish_slots(
            &NewSlots {
                office: "lucca".into(),
                staff: "anna".into(),
                starts: vec!["2026-11-27T10:00".into(), "2026-11-20T10:00".into()],
                minutes: 30,
                room_url: "https://meet.example.org".into(),
            },
            now,
        );
        assert_eq!(past.unwrap_err().code(), "slot_in_past");
        let duplicate = engine.publish_slots(
            &NewSlots {
                office: "lucca".into(),
                staff: "anna".into(),
                starts: vec!["2026-11-27T10:00".into(), "2026-11-26T10:00".into()],
                minutes: 30,
                room_url: "https://meet.example.org".into(),
            },
            now,
        );
        // A second slot at the same time overlaps the first (issue 15, point 12).
        assert_eq!(duplicate.unwrap_err().code(), "slot_overlaps");
        assert_eq!(engine.bookable_slots(None, now, 7).expect("list").len(), 1);
    }

    #[test]
    fn cancelled_slot_is_not_bookable() {
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).expect("engine");
        let now = at("2026-11-25T09:00");
        let slots = publish(&engine, &["2026-11-26T10:00"]);
        let booking = engine.book_slot(&request(slots[0].id), now).expect("book");
        engine.cancel_slot(slots[0].id, now).expect("cancel slot");
        let stored = engine
            .booking_by_reference(&booking.reference)
            .expect("booking");
        assert!(stored.cancelled_at.is_some());
        assert_eq!(
            engine
                .book_slot(&request(slots[0].id), now)
                .unwrap_err()
                .code(),
            "slot_not_bookable"
        );
    }

    #[test]
    fn contacts() {
        assert!(validate_contact("a@b.it").is_ok());
        assert!(validate_contact("+39 0583 123456").is_ok());
        assert!(validate_contact("a@b").is_err());
        assert!(validate_contact("12345").is_err());
        assert!(validate_contact("ciao").is_err());
    }
}
