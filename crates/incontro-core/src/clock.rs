//! Time as an input: the [`Clock`] an [`Engine`](crate::Engine) reads "today" and "now" from.
//!
//! Every rule that depends on the date (which vacancies are open, how long a job lasted, who is in
//! an outreach cohort, which courses have started) asks the engine's clock, never the wall clock.
//! The default is [`SystemClock`]; tests pin a date with [`FixedClock`]; the binary accepts
//! `--today` / `INCONTRO_TODAY` and runs on a [`ShiftedClock`] (the wall clock moved to that day,
//! so timeouts and timestamps still advance).
//!
//! ```
//! use std::sync::Arc;
//! use chrono::NaiveDate;
//! use incontro_core::{Engine, clock::FixedClock};
//!
//! let day = NaiveDate::from_ymd_opt(2027, 7, 1).unwrap();
//! let engine = Engine::open_in_memory().unwrap().with_clock(Arc::new(FixedClock::on(day)));
//! assert_eq!(engine.today(), day);
//! ```

use std::fmt::Debug;

use chrono::{DateTime, Local, NaiveDate, TimeDelta, Utc};

/// Where the engine reads the current instant and the current day.
pub trait Clock: Debug + Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// The current day in the office's time zone (the machine's local zone).
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&Local).date_naive()
    }
}

/// The machine's clock (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock frozen at one instant: tests and reproducible runs.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock {
    instant: DateTime<Utc>,
    day: NaiveDate,
}

impl FixedClock {
    /// Frozen at noon (local time) of `day`, so `today()` is `day` in any time zone.
    pub fn on(day: NaiveDate) -> Self {
        let noon = day.and_time(chrono::NaiveTime::MIN) + TimeDelta::hours(12);
        let instant = noon
            .and_local_timezone(Local)
            .earliest()
            .map(|local| local.with_timezone(&Utc))
            .unwrap_or_else(|| noon.and_utc());
        FixedClock { instant, day }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.instant
    }

    fn today(&self) -> NaiveDate {
        self.day
    }
}

/// The machine's clock moved by a whole number of days, so that today is a chosen day while the
/// time of day still runs (session timeouts, audit timestamps). What `--today` sets.
#[derive(Debug, Clone, Copy)]
pub struct ShiftedClock {
    shift: TimeDelta,
}

impl ShiftedClock {
    /// A clock whose `today()` is `day` now, and advances normally from there.
    pub fn to_day(day: NaiveDate) -> Self {
        let real = Local::now().date_naive();
        ShiftedClock {
            shift: TimeDelta::days(day.signed_duration_since(real).num_days()),
        }
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.shift
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_keeps_its_day() {
        let day = NaiveDate::from_ymd_opt(2027, 2, 28).unwrap();
        let clock = FixedClock::on(day);
        assert_eq!(clock.today(), day);
        assert_eq!(clock.now(), clock.now());
    }

    #[test]
    fn shifted_clock_lands_on_the_day_and_runs() {
        let day = NaiveDate::from_ymd_opt(2031, 7, 1).unwrap();
        let clock = ShiftedClock::to_day(day);
        assert_eq!(clock.today(), day);
        let first = clock.now();
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(clock.now() > first);
    }
}
