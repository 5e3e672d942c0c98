//! Query filters as array look-ups: comuni and contract types interned once per matching state,
//! and a distance filter answered once per comune for a query.

use std::collections::HashMap;
use std::sync::Arc;

use ahash::AHashMap;

use super::haversine_km;
use crate::model::ComuneCode;
use crate::scoring::cow::CowVec;

/// The filter facts of a vacancy, as small numbers (see [`FilterTables`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct VacancyFilterFacts {
    pub(super) tirocinio: bool,
    /// Index into `FilterTables::contract_types` (`None`: a tirocinio).
    pub(super) contract_type: Option<u32>,
    pub(super) public: bool,
    pub(super) comune: u32,
}

/// Comuni and contract types interned, so that a query's filters are array look-ups.
///
/// Shared like the rest of the matching state: the per-object arrays are copy-on-write, the
/// interning tables are copied only when a write brings a comune or contract type not seen yet.
/// The numbers depend on the order objects arrived in, and only ever serve equality look-ups.
#[derive(Debug, Default, Clone)]
pub(super) struct FilterTables {
    pub(super) comuni: Arc<AHashMap<ComuneCode, u32>>,
    pub(super) comune_coordinates: Arc<Vec<Option<(f64, f64)>>>,
    pub(super) contract_types: Arc<AHashMap<String, u32>>,
    pub(super) vacancies: CowVec<VacancyFilterFacts>,
    pub(super) worker_comuni: CowVec<u32>,
}

impl FilterTables {
    pub(super) fn comune(
        &mut self,
        code: &ComuneCode,
        coordinates: &HashMap<ComuneCode, (f64, f64)>,
    ) -> u32 {
        if let Some(&index) = self.comuni.get(code) {
            return index;
        }
        let index = self.comune_coordinates.len() as u32;
        Arc::make_mut(&mut self.comuni).insert(code.clone(), index);
        Arc::make_mut(&mut self.comune_coordinates).push(coordinates.get(code).copied());
        index
    }

    pub(super) fn contract_type(&mut self, contract_type: &str) -> u32 {
        if let Some(&index) = self.contract_types.get(contract_type) {
            return index;
        }
        let next = self.contract_types.len() as u32;
        Arc::make_mut(&mut self.contract_types).insert(contract_type.to_string(), next);
        next
    }
}

/// "Within `km` of a centre", answered once per comune and remembered for the query.
pub(super) struct NearFilter<'a> {
    centre: Option<(f64, f64)>,
    km: f64,
    coordinates: &'a [Option<(f64, f64)>],
    /// 0: not asked yet, 1: within, 2: not within.
    known: Vec<std::cell::Cell<u8>>,
}

impl<'a> NearFilter<'a> {
    pub(super) fn new(
        tables: &'a FilterTables,
        all_coordinates: &HashMap<ComuneCode, (f64, f64)>,
        near: Option<&(ComuneCode, f64)>,
    ) -> Option<Self> {
        let (centre, km) = near?;
        Some(NearFilter {
            centre: all_coordinates.get(centre).copied(),
            km: *km,
            coordinates: &tables.comune_coordinates,
            known: vec![std::cell::Cell::new(0); tables.comune_coordinates.len()],
        })
    }

    /// The same answer as `distance(centre, comune) <= km` (haversine from the centre).
    pub(super) fn within(&self, comune: u32) -> bool {
        let slot = &self.known[comune as usize];
        match slot.get() {
            1 => true,
            2 => false,
            _ => {
                let within = match (self.centre, self.coordinates[comune as usize]) {
                    (Some(centre), Some(place)) => haversine_km(centre, place) <= self.km,
                    _ => false,
                };
                slot.set(if within { 1 } else { 2 });
                within
            }
        }
    }
}
