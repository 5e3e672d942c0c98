//! Keeping the matching state up to date object by object (issue 20).
//!
//! Every write to matching data records what it changed in the store's journal (`data_change`,
//! see [`crate::records::sql::bump_revision`]). When the state is behind the data revision,
//! the journal tells which vacancies, people and courses changed since it was built; the next
//! state is a cheap clone of the current one (its parts are copy-on-write) with just those
//! objects read again from the store and replaced, and it is published by swapping one `Arc`.
//! A full build happens only at start, when the taxonomy changed, after an import (journal kind
//! `all`), when the state is further behind than the journal reaches, or when a write brings a
//! skill the state has no id for.
//!
//! Who waits: the engine call that wrote brings the state up to date before it returns (so an
//! acknowledged write is visible to the next query), holding the update lock. Queries never wait
//! for it: a query that finds the state behind while someone else is bringing it up to date
//! answers from the current state. A query that finds it behind with nobody at work (a write by
//! another process, or the first query of a new day) brings it up to date itself, which is the
//! object-by-object update, not a rebuild, except in the cases above.
//!
//! The day: a vacancy leaves the state on the day after its last open day, and one whose first
//! open day comes enters on that day; a person's profile is computed again on the first day it
//! may change (months in a job, years since it ended: [`crate::profile::profile_changes_after`]).
//! Nothing else depends on the day, so a new day is an object-by-object update too.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::Instant;

use chrono::NaiveDate;

use super::{resolve_occupation, MatchState, NeedsRebuild};
use crate::model::{Course, JobSeeker, OccupationCode, Vacancy};
use crate::profile::{build_profile, InferenceConfig, ProfileEntry};
use crate::records::sql::{self as sql, Change};
use crate::taxonomy::Taxonomy;
use crate::{Engine, Result};

/// Beyond this many changed objects a full rebuild is the cheaper way up to date.
const MAX_INCREMENTAL_CHANGES: usize = 20_000;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The engine's current [`MatchState`], and the lock of whoever brings it up to date.
///
/// Readers take the `current` mutex only to clone the `Arc` (no work is done under it), so a
/// query never waits behind an update or a rebuild: those run under `update` and publish the new
/// state when it is complete.
#[derive(Debug, Default)]
pub struct MatchCache {
    current: Mutex<Option<Arc<MatchState>>>,
    update: Mutex<()>,
    /// Full builds so far (the tests and benches check that writes do not rebuild).
    builds: AtomicU64,
}

impl MatchCache {
    fn current(&self) -> Option<Arc<MatchState>> {
        lock(&self.current).clone()
    }

    fn publish(&self, state: Arc<MatchState>) {
        *lock(&self.current) = Some(state);
    }
}

impl MatchState {
    /// True when this state is the one for data `revision`, day `today` and `taxonomy`.
    fn is_current(&self, revision: i64, today: NaiveDate, taxonomy: &Arc<Taxonomy>) -> bool {
        self.built_from == revision
            && self.built_on == today
            && Arc::ptr_eq(&self.taxonomy, taxonomy)
    }

    /// The profile of `seeker` on the state's day.
    fn profile_of(&self, seeker: &JobSeeker) -> Vec<ProfileEntry> {
        let resolve =
            |code: &OccupationCode| resolve_occupation(&self.taxonomy, &self.crosswalk, code);
        build_profile(
            &seeker.competences,
            &seeker.work_history,
            &resolve,
            &InferenceConfig::new(self.built_on),
        )
    }

    /// Makes the state hold vacancy `id` as the store has it now (`None`: not there): in the
    /// state when it may be offered on the state's day, out of it otherwise.
    pub(crate) fn apply_vacancy(
        &mut self,
        id: &str,
        stored: Option<&Vacancy>,
    ) -> std::result::Result<(), NeedsRebuild> {
        match stored {
            Some(vacancy) if vacancy.is_offerable_on(self.built_on) => self.put_vacancy(vacancy),
            _ => {
                self.remove_vacancy(id);
                Ok(())
            }
        }
    }

    /// Makes the state hold job seeker `id` as the store has it now.
    pub(crate) fn apply_job_seeker(
        &mut self,
        id: &str,
        stored: Option<&JobSeeker>,
    ) -> std::result::Result<(), NeedsRebuild> {
        match stored {
            Some(seeker) => {
                let profile = self.profile_of(seeker);
                self.put_worker(seeker, profile)
            }
            None => {
                self.remove_worker(id);
                Ok(())
            }
        }
    }

    /// Makes the catalogue hold course `id` as the store has it now (kept in id order).
    pub(crate) fn apply_course(&mut self, id: &str, stored: Option<Course>) {
        let courses = Arc::make_mut(&mut self.courses);
        match (
            courses.binary_search_by(|course| course.id.as_str().cmp(id)),
            stored,
        ) {
            (Ok(index), Some(course)) => courses[index] = course,
            (Ok(index), None) => {
                courses.remove(index);
            }
            (Err(index), Some(course)) => courses.insert(index, course),
            (Err(_), None) => {}
        }
    }

    /// Removes the job seeker `id` if held (the last one takes its position).
    fn remove_worker(&mut self, id: &str) {
        let Some(position) = self.worker_position.remove(id) else {
            return;
        };
        if self.set.remove_worker(position).is_some() {
            let moved = self.set.worker_id(position).to_string();
            self.worker_position.insert(&moved, position);
        }
        self.presumed.swap_remove(position);
        self.read.swap_remove(position);
        self.worker_conditions.swap_remove(position);
        self.filters.worker_comuni.swap_remove(position);
        self.worker_comuni.swap_remove(position);
        self.worker_refresh.swap_remove(position);
    }

    /// Moves the state to `today` (not before its day): lets go of the vacancies whose last
    /// open day has passed. Returns the job seekers whose profile may have changed since (the
    /// caller applies them, and the vacancies whose first open day came).
    pub(crate) fn move_to_day(&mut self, today: NaiveDate) -> Vec<String> {
        debug_assert!(today >= self.built_on);
        self.built_on = today;
        let closed: Vec<String> = (0..self.set.vacancy_count())
            .filter(|&position| {
                self.vacancy_facts[position]
                    .closes
                    .is_some_and(|closes| closes < today)
            })
            .map(|position| self.set.vacancy_id(position).to_string())
            .collect();
        for id in &closed {
            self.remove_vacancy(id);
        }
        (0..self.set.worker_count())
            .filter(|&position| self.worker_refresh[position] <= today)
            .map(|position| self.set.worker_id(position).to_string())
            .collect()
    }
}

/// **Matching**: the in-memory matching state (incremental updates, rebuilds).
impl Engine {
    /// How many times this engine built its matching state from scratch (at start, after a
    /// taxonomy change or an import; never for a write of one object or a new day).
    pub fn match_state_builds(&self) -> u64 {
        self.match_cache.builds.load(Ordering::Relaxed)
    }

    /// The in-memory matching state, up to date with the store and the day.
    ///
    /// When it is behind and nobody is bringing it up to date, this call does (object by
    /// object; see the module doc); when someone is, this call answers from the current state.
    pub fn match_state(&self) -> Result<Arc<MatchState>> {
        let current = self.match_cache.current();
        if let Some(state) = &current {
            if state.is_current(self.data_revision()?, self.today(), &self.taxonomy()?) {
                return Ok(Arc::clone(state));
            }
        }
        let guard = match self.match_cache.update.try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => match current {
                Some(state) => return Ok(state),
                None => lock(&self.match_cache.update),
            },
        };
        self.bring_match_state_up_to_date(&guard)
    }

    /// After a committed write: brings the state (if one was built) up to date, so that the
    /// write is visible to the next query. A failure here does not undo the write: it is
    /// logged, and the next query tries again.
    pub(crate) fn match_state_after_write(&self) {
        if self.match_cache.current().is_none() {
            return;
        }
        let guard = lock(&self.match_cache.update);
        if let Err(error) = self.bring_match_state_up_to_date(&guard) {
            tracing::warn!(
                code = error.code().as_str(),
                "matching state not updated after a write"
            );
        }
    }

    fn bring_match_state_up_to_date(
        &self,
        _update: &MutexGuard<'_, ()>,
    ) -> Result<Arc<MatchState>> {
        let taxonomy = self.taxonomy()?;
        let today = self.today();
        if let Some(state) = self.match_cache.current() {
            if state.is_current(self.data_revision()?, today, &taxonomy) {
                return Ok(state);
            }
            let started = Instant::now();
            if let Some(next) = self.caught_up(&state, &taxonomy, today)? {
                tracing::debug!(
                    revision = next.built_from,
                    elapsed_us = started.elapsed().as_micros() as u64,
                    "matching state brought up to date"
                );
                let next = Arc::new(next);
                self.match_cache.publish(Arc::clone(&next));
                return Ok(next);
            }
        }
        let started = Instant::now();
        let revision = self.data_revision()?;
        let vacancies = self.list_offerable_vacancies(today)?;
        let job_seekers = self.all_job_seekers()?;
        let coordinates = self.comuni_coordinates()?;
        let crosswalk = self.cp2011_crosswalk()?;
        let courses = self.list_courses()?;
        let state = Arc::new(
            MatchState::build(
                taxonomy,
                &vacancies,
                &job_seekers,
                coordinates,
                &crosswalk,
                today,
                revision,
            )?
            .with_courses(courses),
        );
        tracing::info!(
            vacancies = vacancies.len(),
            job_seekers = job_seekers.len(),
            unknown_skills = state.unknown_skills,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "matching state rebuilt"
        );
        self.match_cache.builds.fetch_add(1, Ordering::Relaxed);
        self.match_cache.publish(Arc::clone(&state));
        Ok(state)
    }

    /// The next state of `state` from the journal and the day, object by object; `None` when
    /// only a full rebuild will do.
    fn caught_up(
        &self,
        state: &MatchState,
        taxonomy: &Arc<Taxonomy>,
        today: NaiveDate,
    ) -> Result<Option<MatchState>> {
        if !Arc::ptr_eq(&state.taxonomy, taxonomy) || today < state.built_on {
            return Ok(None);
        }
        // On a read-only connection: the writer's mutex stays free for writes (and for the
        // audit of queries) while the state is brought up to date.
        self.store().read_only(|connection| {
            // `read_only` is one read transaction: the journal and the objects as of one
            // revision.
            let snapshot = connection;
            let (revision, changes) = sql::changes_since(snapshot, state.built_from)?;
            let Some(changes) = changes else {
                return Ok(None);
            };
            if changes.len() > MAX_INCREMENTAL_CHANGES {
                return Ok(None);
            }
            let (mut vacancies, mut seekers, mut courses) =
                (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
            for change in changes {
                match change {
                    Change::Vacancy(id) => vacancies.insert(id),
                    Change::JobSeeker(id) => seekers.insert(id),
                    Change::Course(id) => courses.insert(id),
                    Change::Everything => return Ok(None),
                };
            }
            let mut next = state.clone();
            if today > state.built_on {
                seekers.extend(next.move_to_day(today));
                vacancies.extend(sql::vacancies_opening(snapshot, state.built_on, today)?);
            }
            for id in &vacancies {
                let stored = sql::get_vacancy(snapshot, id)?;
                if next.apply_vacancy(id, stored.as_ref()).is_err() {
                    return Ok(None);
                }
            }
            for id in &seekers {
                let stored = sql::get_job_seeker(snapshot, id)?;
                if next.apply_job_seeker(id, stored.as_ref()).is_err() {
                    return Ok(None);
                }
            }
            for id in &courses {
                next.apply_course(id, sql::get_course(snapshot, id)?);
            }
            next.built_from = revision;
            Ok(Some(next))
        })
    }
}
