//! Employment spells from notice chains.
//!
//! First rettifiche and annullamenti are applied: a rettifica (`03`) replaces the notice it
//! points to, an annullamento (`04`) cancels it (and is no event itself); only the last valid link
//! of each chain remains. Then the valid notices of one worker are grouped by rapporto (employer,
//! `DataInizio`) and replayed in date order:
//!
//! - start = `DataInizio`; contract = `TipologiaContrattuale` of the hiring;
//! - planned end = `DataFine`, replaced by each proroga's `DataFineProroga` and by the `DataFine`
//!   carried by a trasformazione (none = now open-ended);
//! - a trasformazione that carries a new `TipologiaContrattuale` adds it to the contract history;
//! - effective end = `DataCessazione` of a cessazione (with its `CodCausa`), else the planned end
//!   once it has passed (a fixed-term contract that simply expires sends no cessazione);
//! - occupation, sector and workplace come from the latest notice that carries them;
//! - a spell whose contract history has `C.01.00` is a tirocinio.
//!
//! Everything is kept compact (interned strings, 64-bit code hashes) so that a whole region's
//! notices fit in memory: about 70 bytes per notice while building.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::cob::{code_hash, EventType, HashSet64, Notice, RecordKind};
use crate::model::{CodiceFiscale, OccupationCode, PastJob, Sex};

/// The contract type of an extracurricular tirocinio.
pub const TIROCINIO: &str = "C.01.00";

/// An interned string (0 = none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(u32);

impl Sym {
    /// No value.
    pub const NONE: Sym = Sym(0);
    /// True for [`Sym::NONE`].
    pub fn is_none(self) -> bool {
        self.0 == 0
    }
}

/// String interner for the low-cardinality fields and the codici fiscali.
#[derive(Debug, Clone)]
pub struct Interner {
    map: HashMap<Box<str>, u32, ahash::RandomState>,
    strings: Vec<Box<str>>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            map: HashMap::default(),
            strings: vec!["".into()],
        }
    }
}

impl Interner {
    /// Interns `text` (empty → [`Sym::NONE`]).
    pub fn intern(&mut self, text: &str) -> Sym {
        if text.is_empty() {
            return Sym::NONE;
        }
        if let Some(&id) = self.map.get(text) {
            return Sym(id);
        }
        let id = self.strings.len() as u32;
        self.strings.push(text.into());
        self.map.insert(text.into(), id);
        Sym(id)
    }
    /// Interns an optional value.
    pub fn intern_opt(&mut self, text: Option<&str>) -> Sym {
        text.map_or(Sym::NONE, |text| self.intern(text))
    }
    /// The symbol of `text`, if interned.
    pub fn get(&self, text: &str) -> Option<Sym> {
        self.map.get(text).map(|&id| Sym(id))
    }
    /// The text of a symbol (None for [`Sym::NONE`]).
    pub fn text(&self, sym: Sym) -> Option<&str> {
        if sym.is_none() {
            None
        } else {
            self.strings.get(sym.0 as usize).map(|text| &**text)
        }
    }
}

/// One notice, compact.
#[derive(Debug, Clone, Copy)]
struct Compact {
    code: u64,
    previous: u64,
    kind: RecordKind,
    event: EventType,
    worker: Sym,
    employer: Sym,
    sent: NaiveDate,
    start: NaiveDate,
    planned_end: Option<NaiveDate>,
    extension_end: Option<NaiveDate>,
    transformation_date: Option<NaiveDate>,
    termination_date: Option<NaiveDate>,
    termination_reason: Sym,
    contract_type: Sym,
    qualifica: Sym,
    sector: Sym,
    workplace: Sym,
    /// The notice code itself, interned only when details are kept.
    code_text: Sym,
}

impl Compact {
    fn effective_date(&self) -> NaiveDate {
        match self.event {
            EventType::Assunzione => self.start,
            EventType::Proroga => self.sent.max(self.start),
            EventType::Trasformazione => self.transformation_date.unwrap_or(self.sent),
            EventType::Cessazione => self.termination_date.unwrap_or(self.sent),
        }
    }
}

/// One employment spell (rapporto di lavoro).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spell {
    /// The employer's codice fiscale.
    pub employer: Sym,
    /// `DataInizio`.
    pub start: NaiveDate,
    /// `DataFine` or the last `DataFineProroga` (None = open-ended).
    pub planned_end: Option<NaiveDate>,
    /// `DataCessazione`, or the planned end once passed; None while the job goes on.
    pub effective_end: Option<NaiveDate>,
    /// True when a cessazione notice ended it.
    pub terminated: bool,
    /// `CodCausa` of the cessazione (none = natural end of a fixed term).
    pub end_reason: Sym,
    /// Contract type over time: the hiring's, then each trasformazione's.
    pub contracts: Vec<(NaiveDate, Sym)>,
    /// CP2011 qualifica (6 segments as in COB).
    pub qualifica: Sym,
    /// ATECO sector.
    pub sector: Sym,
    /// Workplace comune (codice catastale).
    pub workplace: Sym,
    /// Tirocinio (`C.01.00`).
    pub tirocinio: bool,
    /// The hiring notice's `CodiceComunicazione` (kept only when details are asked for).
    pub hiring_notice: Sym,
    /// How many valid notices make the spell.
    pub notices: u32,
}

impl Spell {
    /// The contract type in force at the end.
    pub fn contract_type(&self) -> Sym {
        self.contracts.last().map_or(Sym::NONE, |(_, sym)| *sym)
    }
    /// Days from start to effective end (None while open).
    pub fn duration_days(&self) -> Option<i64> {
        self.effective_end
            .map(|end| (end - self.start).num_days() + 1)
    }
    /// True when the person is in this job on `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.start <= day && self.effective_end.is_none_or(|end| day <= end)
    }
}

/// One worker with their spells.
#[derive(Debug, Clone)]
pub struct Person {
    /// The worker's codice fiscale.
    pub worker: Sym,
    /// `Sesso` of the latest notice.
    pub sex: Option<Sex>,
    /// `DataNascita` of the latest notice.
    pub birth: Option<NaiveDate>,
    /// `ComuneDomicilio` of the latest notice.
    pub domicile: Sym,
    /// Spells by start date.
    pub spells: Vec<Spell>,
}

impl Person {
    /// Age in whole years on `day`.
    pub fn age_on(&self, day: NaiveDate) -> Option<u32> {
        self.birth.map(|birth| day.years_since(birth).unwrap_or(0))
    }
}

/// Workers and spells built from the stored notices, with the strings they refer to.
#[derive(Debug, Clone, Default)]
pub struct CobData {
    /// Interned strings.
    pub strings: Interner,
    /// People, in no particular order.
    pub people: Vec<Person>,
    /// Valid notices used.
    pub valid_notices: u64,
    /// Notices dropped by rettifiche and annullamenti.
    pub superseded_notices: u64,
}

/// Collects notices, then builds spells.
#[derive(Debug, Default)]
pub struct SpellBuilder {
    strings: Interner,
    notices: Vec<Compact>,
    facts: HashMap<Sym, (NaiveDate, Option<Sex>, Option<NaiveDate>, Sym)>,
    keep_codes: bool,
}

impl SpellBuilder {
    /// A builder; with `keep_codes` every notice code is interned (for small sets of people).
    pub fn new(keep_codes: bool) -> Self {
        SpellBuilder {
            keep_codes,
            ..SpellBuilder::default()
        }
    }

    /// Reserves room for `additional` more notices (the whole store's count, when known, saves
    /// the copies and page faults of growing a vector of millions).
    pub fn reserve(&mut self, additional: usize) {
        self.notices.reserve_exact(additional);
    }

    /// Adds one notice.
    pub fn push(&mut self, notice: &Notice) {
        let strings = &mut self.strings;
        let worker = strings.intern(notice.worker.as_str());
        let compact = Compact {
            code: code_hash(&notice.code),
            previous: notice.previous.as_deref().map_or(0, code_hash),
            kind: notice.kind,
            event: notice.event,
            worker,
            employer: strings.intern(notice.employer.as_str()),
            sent: notice.sent,
            start: notice.start,
            planned_end: notice.planned_end,
            extension_end: notice.extension_end,
            transformation_date: notice.transformation_date,
            termination_date: notice.termination_date,
            termination_reason: strings.intern_opt(notice.termination_reason.as_deref()),
            contract_type: strings.intern_opt(notice.contract_type.as_deref()),
            qualifica: strings.intern_opt(notice.qualifica.as_deref()),
            sector: strings.intern_opt(notice.sector.as_deref()),
            workplace: strings.intern_opt(notice.workplace.as_deref()),
            code_text: if self.keep_codes {
                strings.intern(&notice.code)
            } else {
                Sym::NONE
            },
        };
        let domicile = strings.intern_opt(notice.domicile.as_deref());
        let facts =
            self.facts
                .entry(worker)
                .or_insert((notice.sent, notice.sex, notice.birth, domicile));
        if notice.sent >= facts.0 {
            *facts = (
                notice.sent,
                notice.sex.or(facts.1),
                notice.birth.or(facts.2),
                if domicile.is_none() {
                    facts.3
                } else {
                    domicile
                },
            );
        }
        self.notices.push(compact);
    }

    /// Applies rettifiche and annullamenti and builds every worker's spells as known on `as_of`.
    pub fn build(self, as_of: NaiveDate) -> CobData {
        let SpellBuilder {
            strings,
            mut notices,
            facts,
            ..
        } = self;
        // 1. Chains: a rettifica replaces its target, an annullamento cancels it and itself.
        let mut dead = HashSet64::default();
        for notice in &notices {
            match notice.kind {
                RecordKind::Ordinaria => {}
                RecordKind::Rettifica => {
                    dead.insert(notice.previous);
                }
                RecordKind::Annullamento => {
                    dead.insert(notice.previous);
                    dead.insert(notice.code);
                }
            }
        }
        let before = notices.len();
        if !dead.is_empty() {
            notices.retain(|notice| !dead.contains(&notice.code));
        }
        let superseded = (before - notices.len()) as u64;
        // 2. Group by worker and rapporto, replay in date order.
        notices.sort_unstable_by(|a, b| {
            (
                a.worker,
                a.employer,
                a.start,
                a.effective_date(),
                a.event,
                a.sent,
            )
                .cmp(&(
                    b.worker,
                    b.employer,
                    b.start,
                    b.effective_date(),
                    b.event,
                    b.sent,
                ))
        });
        let tirocinio = strings.get(TIROCINIO);
        let mut people = Vec::with_capacity(facts.len());
        let mut index = 0;
        while index < notices.len() {
            let worker = notices[index].worker;
            let mut end = index;
            while end < notices.len() && notices[end].worker == worker {
                end += 1;
            }
            let mut spells = Vec::new();
            let mut rapporto_start = index;
            while rapporto_start < end {
                let key = (
                    notices[rapporto_start].employer,
                    notices[rapporto_start].start,
                );
                let mut rapporto_end = rapporto_start;
                while rapporto_end < end
                    && (notices[rapporto_end].employer, notices[rapporto_end].start) == key
                {
                    rapporto_end += 1;
                }
                spells.push(replay(
                    &notices[rapporto_start..rapporto_end],
                    as_of,
                    tirocinio,
                ));
                rapporto_start = rapporto_end;
            }
            spells.sort_by_key(|spell| spell.start);
            let (_, sex, birth, domicile) =
                facts
                    .get(&worker)
                    .copied()
                    .unwrap_or((as_of, None, None, Sym::NONE));
            people.push(Person {
                worker,
                sex,
                birth,
                domicile,
                spells,
            });
            index = end;
        }
        CobData {
            strings,
            people,
            valid_notices: notices.len() as u64,
            superseded_notices: superseded,
        }
    }
}

/// Replays the notices of one rapporto (sorted by effective date).
fn replay(notices: &[Compact], as_of: NaiveDate, tirocinio: Option<Sym>) -> Spell {
    let first = &notices[0];
    let mut spell = Spell {
        employer: first.employer,
        start: first.start,
        planned_end: None,
        effective_end: None,
        terminated: false,
        end_reason: Sym::NONE,
        contracts: Vec::new(),
        qualifica: Sym::NONE,
        sector: Sym::NONE,
        workplace: Sym::NONE,
        tirocinio: false,
        hiring_notice: Sym::NONE,
        notices: notices.len() as u32,
    };
    let mut termination: Option<(NaiveDate, Sym)> = None;
    for notice in notices {
        match notice.event {
            EventType::Assunzione => {
                spell.planned_end = notice.planned_end;
                spell.hiring_notice = notice.code_text;
                if !notice.contract_type.is_none() {
                    spell
                        .contracts
                        .insert(0, (notice.start, notice.contract_type));
                }
            }
            EventType::Proroga => {
                spell.planned_end = notice.extension_end.or(spell.planned_end);
            }
            EventType::Trasformazione => {
                spell.planned_end = notice.planned_end;
                if !notice.contract_type.is_none() && spell.contract_type() != notice.contract_type
                {
                    spell.contracts.push((
                        notice.transformation_date.unwrap_or(notice.sent),
                        notice.contract_type,
                    ));
                }
            }
            EventType::Cessazione => {
                if let Some(day) = notice.termination_date {
                    termination = Some((day, notice.termination_reason));
                }
            }
        }
        if spell.contracts.is_empty() && !notice.contract_type.is_none() {
            spell.contracts.push((notice.start, notice.contract_type));
        }
        for (target, value) in [
            (&mut spell.qualifica, notice.qualifica),
            (&mut spell.sector, notice.sector),
            (&mut spell.workplace, notice.workplace),
        ] {
            if !value.is_none() {
                *target = value;
            }
        }
    }
    match termination {
        Some((day, reason)) => {
            spell.effective_end = Some(day);
            spell.end_reason = reason;
            spell.terminated = true;
        }
        None => {
            spell.effective_end = spell.planned_end.filter(|end| *end < as_of);
        }
    }
    spell.tirocinio = tirocinio.is_some_and(|tirocinio| {
        spell
            .contracts
            .iter()
            .any(|(_, contract)| *contract == tirocinio)
    });
    spell
}

impl CobData {
    /// Builds the data from notices.
    pub fn from_notices<'a>(
        notices: impl IntoIterator<Item = &'a Notice>,
        as_of: NaiveDate,
    ) -> Self {
        let mut builder = SpellBuilder::new(true);
        for notice in notices {
            builder.push(notice);
        }
        builder.build(as_of)
    }

    /// The text of a symbol.
    pub fn text(&self, sym: Sym) -> Option<&str> {
        self.strings.text(sym)
    }

    /// The person with this codice fiscale.
    pub fn person(&self, cf: &CodiceFiscale) -> Option<&Person> {
        let sym = self.strings.get(cf.as_str())?;
        self.people.iter().find(|person| person.worker == sym)
    }

    /// A person's spells as work history for the matching engine: the CP2011 unit (first five
    /// segments of the COB qualifica) with start and effective end. Spells without a qualifica are
    /// left out.
    pub fn past_jobs(&self, person: &Person) -> Vec<PastJob> {
        person
            .spells
            .iter()
            .filter_map(|spell| {
                let qualifica = self.text(spell.qualifica)?;
                Some(PastJob {
                    occupation: OccupationCode::Cp2011(cp2011_unit(qualifica)),
                    start: spell.start,
                    end: spell.effective_end,
                    employer: None,
                })
            })
            .collect()
    }
}

/// The CP2011 unit (5 segments) of a COB qualifica (6 segments).
pub fn cp2011_unit(qualifica: &str) -> String {
    qualifica.split('.').take(5).collect::<Vec<_>>().join(".")
}
