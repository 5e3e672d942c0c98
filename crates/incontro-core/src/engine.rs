//! [`Engine`]: the one façade that applications, the CLI and the HTTP server call.
//!
//! The struct lives here; each area adds its calls in an `impl Engine` block of its own module
//! (`taxonomy`, `scoring`, `training`, `outreach`, …), so this file stays small.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use crate::clock::{Clock, SystemClock};
use crate::store::Store;
use crate::Result;

/// The engine: the store plus in-memory caches derived from it.
#[derive(Debug)]
pub struct Engine {
    store: Store,
    data_dir: Option<PathBuf>,
    clock: Arc<dyn Clock>,
    pub(crate) taxonomy: crate::taxonomy::TaxonomyCache,
    pub(crate) match_cache: crate::matching::MatchCache,
    pub(crate) search: crate::index::SearchCache,
    pub(crate) suggest: crate::suggest::SuggestCache,
    pub(crate) training: crate::training::TrainingCache,
    pub(crate) audit: crate::access::AuditLog,
    pub(crate) keys: crate::access::KeyCache,
    /// Offices whose vacancies every office sees in matching (off by default).
    pub(crate) vacancy_sharing: std::sync::RwLock<Vec<String>>,
    /// The data revision last read (reused for a moment on a shared database).
    pub(crate) revision: crate::records::RevisionCache,
    /// Per data revision: comune → province, and people's offices (see `access`).
    pub(crate) offices: crate::access::OfficeCache,
}

/// Opening an engine, its clock and its data revision.
impl Engine {
    /// Opens the engine over a data directory (created if missing).
    pub fn open(data_dir: &Path) -> Result<Self> {
        Self::open_with(data_dir, &crate::DatabaseUrl::in_dir(data_dir))
    }

    /// Opens the engine over the database `database` names (SQLite in a directory, or a shared
    /// PostgreSQL), keeping its local files (search indexes) in `data_dir`. Several engines
    /// (replicas) may open one PostgreSQL database: each follows the others' writes through the
    /// data revision (see `docs/deploy.md`).
    pub fn open_with(data_dir: &Path, database: &crate::DatabaseUrl) -> Result<Self> {
        let store = Store::open_url(database)?;
        std::fs::create_dir_all(data_dir).map_err(|source| crate::Error::io(data_dir, source))?;
        let engine = Engine {
            store,
            data_dir: Some(data_dir.to_path_buf()),
            clock: Arc::new(SystemClock),
            taxonomy: Default::default(),
            match_cache: Default::default(),
            search: Default::default(),
            suggest: Default::default(),
            training: Default::default(),
            audit: Default::default(),
            keys: Default::default(),
            vacancy_sharing: Default::default(),
            revision: Default::default(),
            offices: Default::default(),
        };
        if engine.is_shared_database() {
            engine.keys.set_shared();
        }
        Ok(engine)
    }

    /// An engine over a private in-memory database (tests, examples).
    pub fn open_in_memory() -> Result<Self> {
        Ok(Engine {
            store: Store::open_in_memory()?,
            data_dir: None,
            clock: Arc::new(SystemClock),
            taxonomy: Default::default(),
            match_cache: Default::default(),
            search: Default::default(),
            suggest: Default::default(),
            training: Default::default(),
            audit: Default::default(),
            keys: Default::default(),
            vacancy_sharing: Default::default(),
            revision: Default::default(),
            offices: Default::default(),
        })
    }

    /// An in-memory engine whose clock is frozen on `day` (tests, examples, reproducible runs).
    pub fn open_in_memory_on(day: NaiveDate) -> Result<Self> {
        Ok(Self::open_in_memory()?.with_clock(Arc::new(crate::clock::FixedClock::on(day))))
    }

    /// The same engine reading time from `clock` (see [`crate::clock`]): every date rule (open
    /// vacancies, months in a job, outreach cohorts, course availability) asks it.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The engine's clock.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Today, by the engine's clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// Now, by the engine's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The store (system of record).
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Which database the engine's store is (`sqlite://…` or the PostgreSQL URL without its
    /// password).
    pub fn database_location(&self) -> String {
        self.store.location()
    }

    /// True when the store is a shared PostgreSQL database.
    pub fn is_shared_database(&self) -> bool {
        self.store.backend() == crate::store::Backend::Postgres
    }

    /// Copies this engine's embedded store (its audit file included) into the empty PostgreSQL
    /// database at `url`, in one transaction, and checks every table's row count (`incontro
    /// migrate --to`). The embedded store is left as it was.
    pub fn move_to_postgres(&self, url: &str) -> Result<crate::store::migrate::MoveReport> {
        crate::store::migrate::move_to_postgres(&self.store, url)
    }

    /// How many schema migrations the store has applied.
    pub fn schema_version(&self) -> Result<usize> {
        self.store.schema_version()
    }

    /// The data directory, if the engine is on disk.
    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }
}
