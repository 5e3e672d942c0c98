-- Online-desk appointments: slots published by staff, bookings made by residents.
-- A partial unique index makes double booking impossible even under concurrent writers.
CREATE TABLE appointment_slot (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    office       TEXT NOT NULL,
    staff        TEXT NOT NULL,
    starts_at    TEXT NOT NULL,          -- local time of the office, ISO 8601 'YYYY-MM-DDTHH:MM'
    minutes      INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 240),
    room_url     TEXT NOT NULL,          -- the video-call room base of the desk
    cancelled    INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    UNIQUE (staff, starts_at)
);
CREATE INDEX appointment_slot_start ON appointment_slot(starts_at);
CREATE TABLE appointment_booking (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    slot_id       INTEGER NOT NULL REFERENCES appointment_slot(id),
    reference     TEXT NOT NULL UNIQUE,  -- random token the resident keeps to cancel
    name          TEXT NOT NULL,
    contact       TEXT NOT NULL,
    topic         TEXT NOT NULL,
    language      TEXT NOT NULL,
    video_link    TEXT NOT NULL,
    booked_at     TEXT NOT NULL,
    cancelled_at  TEXT
);
CREATE UNIQUE INDEX appointment_one_active_booking
    ON appointment_booking(slot_id) WHERE cancelled_at IS NULL;
