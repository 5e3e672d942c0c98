//! SQL of the online-desk appointments (slots and bookings).

use crate::store::db::{params, Db, OptionalExtension, Row};

use crate::appointments::{Booking, Slot};
use crate::{Error, ErrorCode, Result};

const SLOT_COLUMNS: &str = "s.id, s.office, s.staff, s.starts_at, s.minutes, s.cancelled,
    (SELECT count(*) FROM appointment_booking b WHERE b.slot_id = s.id AND b.cancelled_at IS NULL)";

fn slot_from_row(row: &Row<'_>) -> crate::Result<Slot> {
    Ok(Slot {
        id: row.get(0)?,
        office: row.get(1)?,
        staff: row.get(2)?,
        starts_at: row.get(3)?,
        minutes: row.get(4)?,
        cancelled: row.get(5)?,
        booked: row.get::<_, i64>(6)? > 0,
    })
}

fn booking_from_row(row: &Row<'_>) -> crate::Result<Booking> {
    Ok(Booking {
        id: row.get(0)?,
        slot_id: row.get(1)?,
        reference: row.get(2)?,
        name: row.get(3)?,
        contact: row.get(4)?,
        topic: row.get(5)?,
        language: row.get(6)?,
        video_link: row.get(7)?,
        booked_at: row.get(8)?,
        cancelled_at: row.get(9)?,
        no_show_at: row.get(10)?,
    })
}

const BOOKING_COLUMNS: &str =
    "id, slot_id, reference, name, contact, topic, language, video_link, booked_at, cancelled_at,
     no_show_at";

/// The booking with id `id`.
pub fn booking_by_id(connection: &Db<'_>, id: i64) -> Result<Option<Booking>> {
    connection
        .query_row(
            &format!("SELECT {BOOKING_COLUMNS} FROM appointment_booking WHERE id = ?1"),
            [id],
            booking_from_row,
        )
        .optional()
}

/// Moves an active booking to another slot; `Conflict` when that slot has an active booking
/// (the partial unique index decides).
pub fn move_booking(connection: &Db<'_>, id: i64, slot_id: i64) -> Result<()> {
    let result = connection.savepoint(|| {
        connection.execute(
            "UPDATE appointment_booking SET slot_id = ?2 WHERE id = ?1 AND cancelled_at IS NULL",
            params![id, slot_id],
        )
    });
    match result {
        Ok(_) => Ok(()),
        Err(error) if error.is_constraint_violation() => Err(Error::conflict(
            ErrorCode::SlotAlreadyBooked,
            "this slot has just been booked by someone else; choose another",
        )),
        Err(error) => Err(error),
    }
}

/// Marks a booking's resident as not come.
pub fn set_no_show(connection: &Db<'_>, id: i64, at: &str) -> Result<()> {
    connection.execute(
        "UPDATE appointment_booking SET no_show_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    Ok(())
}

/// Inserts one slot; `Conflict` when the same staff member already has a slot at that time.
pub fn insert_slot(
    connection: &Db<'_>,
    office: &str,
    staff: &str,
    starts_at: &str,
    minutes: u32,
    room_url: &str,
    created_at: &str,
) -> Result<i64> {
    let inserted: Option<i64> = connection
        .query_row(
            "INSERT INTO appointment_slot (office, staff, starts_at, minutes, room_url, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(staff, starts_at) DO NOTHING
             RETURNING id",
            params![office, staff, starts_at, minutes, room_url, created_at],
            |row| row.get(0),
        )
        .optional()?;
    inserted.ok_or_else(|| {
        Error::conflict(
            ErrorCode::SlotExists,
            format!("{staff} already has a slot at {starts_at}"),
        )
    })
}

/// One slot with its room base, if it exists.
pub fn get_slot(connection: &Db<'_>, id: i64) -> Result<Option<(Slot, String)>> {
    connection
        .query_row(
            &format!("SELECT {SLOT_COLUMNS}, s.room_url FROM appointment_slot s WHERE s.id = ?1"),
            [id],
            |row| Ok((slot_from_row(row)?, row.get::<_, String>(7)?)),
        )
        .optional()
}

/// Slots starting in `[from, to)`, optionally of one office or one staff member, by time.
pub fn list_slots(
    connection: &Db<'_>,
    from: &str,
    to: &str,
    office: Option<&str>,
    staff: Option<&str>,
) -> Result<Vec<Slot>> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {SLOT_COLUMNS} FROM appointment_slot s
         WHERE s.starts_at >= ?1 AND s.starts_at < ?2
           AND (CAST(?3 AS TEXT) IS NULL OR s.office = ?3) AND (CAST(?4 AS TEXT) IS NULL OR s.staff = ?4)
         ORDER BY s.starts_at, s.id"
    ))?;
    let rows = statement.query_map(params![from, to, office, staff], slot_from_row)?;
    rows.collect::<crate::Result<_>>()
}

/// Marks a slot cancelled (its active booking, if any, is cancelled too).
pub fn cancel_slot(connection: &Db<'_>, id: i64, now: &str) -> Result<bool> {
    let changed = connection.execute(
        "UPDATE appointment_slot SET cancelled = 1 WHERE id = ?1 AND cancelled = 0",
        [id],
    )?;
    connection.execute(
        "UPDATE appointment_booking SET cancelled_at = ?2 WHERE slot_id = ?1 AND cancelled_at IS NULL",
        params![id, now],
    )?;
    Ok(changed > 0)
}

/// Inserts a booking; `Conflict` when the slot already has an active one (the partial unique
/// index decides, so two concurrent bookings cannot both succeed).
pub fn insert_booking(connection: &Db<'_>, booking: &Booking) -> Result<i64> {
    let result = connection.savepoint(|| {
        connection.query_row(
            "INSERT INTO appointment_booking
               (slot_id, reference, name, contact, topic, language, video_link, booked_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             RETURNING id",
            params![
                booking.slot_id,
                booking.reference,
                booking.name,
                booking.contact,
                booking.topic,
                booking.language,
                booking.video_link,
                booking.booked_at,
            ],
            |row| row.get::<_, i64>(0),
        )
    });
    match result {
        Ok(id) => Ok(id),
        Err(error) if error.is_constraint_violation() => Err(Error::conflict(
            ErrorCode::SlotAlreadyBooked,
            "this slot has just been booked by someone else; choose another",
        )),
        Err(error) => Err(error),
    }
}

/// The active or past booking with this reference.
pub fn booking_by_reference(connection: &Db<'_>, reference: &str) -> Result<Option<Booking>> {
    connection
        .query_row(
            &format!("SELECT {BOOKING_COLUMNS} FROM appointment_booking WHERE reference = ?1"),
            [reference],
            booking_from_row,
        )
        .optional()
}

/// The active booking of a slot.
pub fn active_booking(connection: &Db<'_>, slot_id: i64) -> Result<Option<Booking>> {
    connection
        .query_row(
            &format!(
                "SELECT {BOOKING_COLUMNS} FROM appointment_booking
                 WHERE slot_id = ?1 AND cancelled_at IS NULL"
            ),
            [slot_id],
            booking_from_row,
        )
        .optional()
}

/// Cancels a booking by reference; false when it was already cancelled.
pub fn cancel_booking(connection: &Db<'_>, reference: &str, now: &str) -> Result<bool> {
    let changed = connection.execute(
        "UPDATE appointment_booking SET cancelled_at = ?2
         WHERE reference = ?1 AND cancelled_at IS NULL",
        params![reference, now],
    )?;
    Ok(changed > 0)
}
