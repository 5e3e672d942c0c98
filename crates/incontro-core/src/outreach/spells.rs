//! Employment spells from notice chains.
//!
//! Only notices sent (`DataInvio`) on or before the reference day count: the spells are what a
//! job centre could know that day. What each code does comes from the code tables
//! ([`SpellRules::from_codes`]), never from constants here.
//!
//! 1. **Rapporto identity** follows `CodiceComunicazionePrecedente`: a notice pointing to an
//!    earlier one belongs to that notice's rapporto (so a cessazione still carrying the start date
//!    from before a rettifica closes the rettified rapporto). A hiring (`ASS`, `URG`) with no
//!    pointer opens a rapporto of its own, so two hirings by one employer on one day are two
//!    rapporti. A later notice with no pointer joins the rapporto of the same employer and
//!    `DataInizio` (the open one, of the same contract type when several match); with none it
//!    opens a rapporto whose hiring is not in the data (a period extract: [`Spell::hiring_seen`]).
//! 2. **Chains**: a rettifica (`03`) or the regularisation of an urgenza replaces the notice it
//!    points to; an annullamento (`04`) cancels it and is no event itself.
//! 3. **Replay** of each rapporto's remaining notices in date order:
//!    - start = `DataInizio` of the hiring; contract = its `TipologiaContrattuale`;
//!    - planned end = `DataFine`, replaced by each proroga's `DataFineProroga`; a trasformazione
//!      whose code makes the contract open-ended (`DI`, `AI`, `FI`, `II`) removes it even when the
//!      row still carries a `DataFine`, and no later proroga gives it one again; the other codes
//!      (`PP`, `TP` …) keep it;
//!    - `VAR` moves the rapporto to the notice's employer, `TRD` (and `DL`/`TL`) to its workplace;
//!    - a trasformazione carrying a new `TipologiaContrattuale` adds it to the contract history;
//!    - effective end = `DataCessazione` of a cessazione (with its `CodCausa`), else the planned
//!      end once it has passed (a fixed-term contract that simply expires sends no cessazione);
//!    - occupation, sector and workplace come from the latest notice that carries them;
//!    - a spell whose contracts are all tirocinio codes is a tirocinio.
//!
//! Everything is kept compact (interned strings, 64-bit code hashes) so that a whole region's
//! notices fit in memory: about 80 bytes per notice while building.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::cob::{code_hash, EventType, Notice};
use super::codes::{CodeEffect, CodeScheme, CodeTables};
use crate::model::{CodiceFiscale, OccupationCode, PastJob, Sex};

/// What the codes mean for spells, read from the code tables.
#[derive(Debug, Clone, Default)]
pub struct SpellRules {
    /// Effect of each `TipoComunicazione` code (by its number).
    kinds: HashMap<i64, CodeEffect>,
    /// `CodTrasformazione` codes and their effect.
    transformations: HashMap<String, CodeEffect>,
    /// `TipologiaContrattuale` codes of tirocini.
    tirocini: Vec<String>,
}

impl SpellRules {
    /// The rules of the given code tables.
    pub fn from_codes(codes: &CodeTables) -> Self {
        let mut rules = SpellRules::default();
        for entry in codes.entries() {
            let Some(effect) = entry.effect else { continue };
            match entry.scheme {
                CodeScheme::TipoComunicazione => {
                    if let Ok(number) = entry.code.parse::<i64>() {
                        rules.kinds.insert(number, effect);
                    }
                }
                CodeScheme::Trasformazione => {
                    rules.transformations.insert(entry.code.clone(), effect);
                }
                CodeScheme::TipologiaContrattuale if effect == CodeEffect::Tirocinio => {
                    rules.tirocini.push(entry.code.clone());
                }
                _ => {}
            }
        }
        rules
    }

    /// The symbols of the tirocinio contract codes in `strings` (those interned).
    pub(crate) fn tirocini_in(&self, strings: &Interner) -> Vec<Sym> {
        self.tirocini
            .iter()
            .filter_map(|code| strings.get(code))
            .collect()
    }

    /// A stable text of what the codes mean: summaries built under other meanings are stale.
    pub fn fingerprint(&self) -> String {
        let mut kinds: Vec<String> = self
            .kinds
            .iter()
            .map(|(number, effect)| format!("{number}={}", effect.as_str()))
            .collect();
        kinds.sort();
        let mut transformations: Vec<String> = self
            .transformations
            .iter()
            .map(|(code, effect)| format!("{code}={}", effect.as_str()))
            .collect();
        transformations.sort();
        let mut tirocini = self.tirocini.clone();
        tirocini.sort();
        format!(
            "v1;kinds:{};transformations:{};tirocini:{}",
            kinds.join(","),
            transformations.join(","),
            tirocini.join(",")
        )
    }

    fn kind_effect(&self, notice: &Notice) -> CodeEffect {
        self.kinds
            .get(&notice.kind.as_i64())
            .copied()
            .unwrap_or(CodeEffect::Ordinary)
    }

    fn transformation_effect(&self, code: Option<&str>) -> CodeEffect {
        code.and_then(|code| self.transformations.get(code))
            .copied()
            .unwrap_or(CodeEffect::KeepsEnd)
    }
}

/// An interned string (0 = none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(u32);

impl Sym {
    /// The symbol's number (the stored form).
    pub(crate) fn id(self) -> u32 {
        self.0
    }
    /// The symbol of a stored number.
    pub(crate) fn from_id(id: u32) -> Sym {
        Sym(id)
    }
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
    /// An interner holding `strings` as symbols 1, 2, … in order (the stored dictionary).
    pub(crate) fn from_strings(strings: impl IntoIterator<Item = String>) -> Self {
        let mut interner = Interner::default();
        for text in strings {
            let id = interner.strings.len() as u32;
            interner.map.insert(text.as_str().into(), id);
            interner.strings.push(text.into());
        }
        interner
    }
    /// The number of symbols, [`Sym::NONE`] included.
    pub(crate) fn len(&self) -> usize {
        self.strings.len()
    }
    /// The texts of the symbols from `first` on, with their numbers.
    pub(crate) fn texts_from(&self, first: usize) -> impl Iterator<Item = (u32, &str)> {
        self.strings
            .iter()
            .enumerate()
            .skip(first.max(1))
            .map(|(id, text)| (id as u32, &**text))
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

/// One notice, compact (also the form kept per worker in the store, see [`super::summary`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Compact {
    pub(crate) code: u64,
    pub(crate) previous: u64,
    /// The `TipoComunicazione`'s effect.
    pub(crate) kind: CodeEffect,
    /// The `CodTrasformazione`'s effect (trasformazioni only).
    pub(crate) transformation: CodeEffect,
    pub(crate) event: EventType,
    pub(crate) worker: Sym,
    pub(crate) employer: Sym,
    pub(crate) sent: NaiveDate,
    pub(crate) start: NaiveDate,
    pub(crate) planned_end: Option<NaiveDate>,
    pub(crate) extension_end: Option<NaiveDate>,
    pub(crate) transformation_date: Option<NaiveDate>,
    pub(crate) termination_date: Option<NaiveDate>,
    pub(crate) termination_reason: Sym,
    pub(crate) contract_type: Sym,
    pub(crate) qualifica: Sym,
    pub(crate) sector: Sym,
    pub(crate) workplace: Sym,
    /// The notice code itself, interned only when details are kept.
    pub(crate) code_text: Sym,
    /// The worker's facts as this notice gives them.
    pub(crate) sex: Option<Sex>,
    pub(crate) birth: Option<NaiveDate>,
    pub(crate) domicile: Sym,
}

impl Compact {
    /// The compact form of a notice of `worker`, its other strings interned in `strings`
    /// (the notice code only with `keep_code`, occupation and workplace only with `details`).
    pub(crate) fn of(
        notice: &Notice,
        rules: &SpellRules,
        strings: &mut Interner,
        keep_code: bool,
        details: bool,
        worker: Sym,
    ) -> Compact {
        let mut detail = |text: Option<&str>| {
            if details {
                strings.intern_opt(text)
            } else {
                Sym::NONE
            }
        };
        let qualifica = detail(notice.qualifica.as_deref());
        let workplace = detail(notice.workplace.as_deref());
        Compact {
            code: code_hash(&notice.code),
            previous: notice.previous.as_deref().map_or(0, code_hash),
            kind: rules.kind_effect(notice),
            transformation: rules.transformation_effect(notice.transformation.as_deref()),
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
            qualifica,
            sector: strings.intern_opt(notice.sector.as_deref()),
            workplace,
            code_text: if keep_code {
                strings.intern(&notice.code)
            } else {
                Sym::NONE
            },
            sex: notice.sex,
            birth: notice.birth,
            domicile: strings.intern_opt(notice.domicile.as_deref()),
        }
    }

    /// The order a worker's notices are replayed in (a pointer always goes to an earlier
    /// notice).
    pub(crate) fn sending_order(&self) -> (NaiveDate, EventType, u64) {
        (self.sent, self.event, self.code)
    }

    fn effective_date(&self) -> NaiveDate {
        match self.event {
            EventType::Assunzione | EventType::Urgenza => self.start,
            EventType::Proroga => self.sent.max(self.start),
            EventType::Trasformazione
            | EventType::TrasferimentoDistacco
            | EventType::Variazione => self.transformation_date.unwrap_or(self.sent),
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
    /// Tirocinio: every contract of the rapporto has the `tirocinio` effect (`C.01.00`).
    pub tirocinio: bool,
    /// False when no hiring of the rapporto is in the data (a period extract that begins after
    /// the hiring): `start` is then the `DataInizio` carried by the later notices.
    pub hiring_seen: bool,
    /// Employers before a `VAR` (change of name or transfer of the business), oldest first.
    pub previous_employers: Vec<Sym>,
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
    /// Notices sent after the reference day, left out.
    pub unsent_notices: u64,
}

/// Collects notices, then builds spells.
#[derive(Debug, Default)]
pub struct SpellBuilder {
    strings: Interner,
    notices: Vec<Compact>,
    keep_codes: bool,
    rules: SpellRules,
}

impl SpellBuilder {
    /// A builder with the meaning of the codes; with `keep_codes` every notice code is interned
    /// (for small sets of people).
    pub fn new(keep_codes: bool, rules: SpellRules) -> Self {
        SpellBuilder {
            keep_codes,
            rules,
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
        let worker = self.strings.intern(notice.worker.as_str());
        let compact = Compact::of(
            notice,
            &self.rules,
            &mut self.strings,
            self.keep_codes,
            true,
            worker,
        );
        self.notices.push(compact);
    }

    /// Builds every worker's spells as known on `as_of` (notices sent after it are left out).
    pub fn build(self, as_of: NaiveDate) -> CobData {
        let SpellBuilder {
            strings,
            mut notices,
            rules,
            ..
        } = self;
        let before = notices.len();
        notices.retain(|notice| notice.sent <= as_of);
        let unsent = before - notices.len();
        // Per worker, in the order they were sent (a pointer always goes to an earlier notice).
        notices.sort_unstable_by(|a, b| {
            (a.worker, a.sending_order()).cmp(&(b.worker, b.sending_order()))
        });
        let tirocini = rules.tirocini_in(&strings);
        let mut people = Vec::new();
        let mut valid = 0u64;
        let mut superseded = 0u64;
        let mut scratch = Scratch::default();
        let mut index = 0;
        while index < notices.len() {
            let worker = notices[index].worker;
            let mut end = index;
            while end < notices.len() && notices[end].worker == worker {
                end += 1;
            }
            let group = &notices[index..end];
            let person = scratch.person_of(group, as_of, &tirocini);
            valid += scratch.live as u64;
            superseded += (group.len() - scratch.live) as u64;
            people.push(person);
            index = end;
        }
        CobData {
            strings,
            people,
            valid_notices: valid,
            superseded_notices: superseded,
            unsent_notices: unsent as u64,
        }
    }
}

/// Reused buffers for one worker's notices.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Rapporto of each notice of the group.
    rapporto: Vec<u32>,
    /// Dead (replaced or cancelled) notices.
    dead: Vec<bool>,
    /// Per rapporto: (employer, start, contract type of its hiring, terminated) keys seen.
    keys: Vec<(Sym, NaiveDate, u32)>,
    hiring_contract: Vec<Sym>,
    terminated: Vec<bool>,
    members: Vec<Compact>,
    path: Vec<usize>,
    /// Notices of the last worker still valid (neither replaced nor cancelled).
    pub(crate) live: usize,
}

const UNSET: u32 = u32::MAX;

impl Scratch {
    /// One worker with their spells, from their notices sent by `as_of` in sending order
    /// ([`Compact::sending_order`]); sex, birth and domicile as the latest of them gives them.
    pub(crate) fn person_of(
        &mut self,
        group: &[Compact],
        as_of: NaiveDate,
        tirocini: &[Sym],
    ) -> Person {
        let spells = self.spells_of(group, as_of, tirocini);
        let latest = |get: &dyn Fn(&Compact) -> bool| group.iter().rev().find(|n| get(n));
        Person {
            worker: group.first().map_or(Sym::NONE, |notice| notice.worker),
            sex: latest(&|n| n.sex.is_some()).and_then(|n| n.sex),
            birth: latest(&|n| n.birth.is_some()).and_then(|n| n.birth),
            domicile: latest(&|n| !n.domicile.is_none()).map_or(Sym::NONE, |n| n.domicile),
            spells,
        }
    }

    /// The spells of one worker's notices (sorted by sending date).
    fn spells_of(&mut self, group: &[Compact], as_of: NaiveDate, tirocini: &[Sym]) -> Vec<Spell> {
        let count = group.len();
        self.rapporto.clear();
        self.rapporto.resize(count, UNSET);
        self.dead.clear();
        self.dead.resize(count, false);
        self.keys.clear();
        self.hiring_contract.clear();
        self.terminated.clear();
        // The earlier notice each one points to, within this worker's notices.
        let target_of = |position: usize| -> Option<usize> {
            let previous = group[position].previous;
            if previous == 0 {
                return None;
            }
            group.iter().position(|other| other.code == previous)
        };
        for position in 0..count {
            // Follow the pointers up to a notice whose rapporto is known, or to the root.
            let mut path = std::mem::take(&mut self.path);
            path.clear();
            path.push(position);
            let mut cursor = position;
            let mut known = None;
            while let Some(target) = target_of(cursor) {
                if self.rapporto[target] != UNSET {
                    known = Some(self.rapporto[target]);
                    break;
                }
                if path.contains(&target) {
                    break;
                }
                path.push(target);
                cursor = target;
            }
            let rapporto = match known {
                Some(rapporto) => rapporto,
                None => self.root_rapporto(&group[cursor]),
            };
            for &member in &path {
                if self.rapporto[member] == UNSET {
                    self.rapporto[member] = rapporto;
                    let notice = &group[member];
                    let key = (notice.employer, notice.start, rapporto);
                    if !self.keys.contains(&key) {
                        self.keys.push(key);
                    }
                    if notice.event == EventType::Cessazione {
                        self.terminated[rapporto as usize] = true;
                    }
                }
            }
            self.path = path;
            // Chains: replacements and cancellations.
            let notice = &group[position];
            if let Some(target) = target_of(position) {
                match notice.kind {
                    CodeEffect::Rettifica | CodeEffect::Regularises => self.dead[target] = true,
                    CodeEffect::Annullamento => {
                        self.dead[target] = true;
                        self.dead[position] = true;
                    }
                    _ => {}
                }
            } else if notice.kind == CodeEffect::Annullamento {
                // Cancels a notice from before the data: nothing to replay.
                self.dead[position] = true;
            }
        }
        self.live = self.dead.iter().filter(|dead| !**dead).count();
        let mut spells = Vec::with_capacity(self.hiring_contract.len());
        for rapporto in 0..self.hiring_contract.len() as u32 {
            self.members.clear();
            for (position, notice) in group.iter().enumerate() {
                if self.rapporto[position] == rapporto && !self.dead[position] {
                    self.members.push(*notice);
                }
            }
            if self.members.is_empty() {
                continue;
            }
            self.members
                .sort_by_key(|notice| (notice.effective_date(), notice.event, notice.sent));
            spells.push(replay(&self.members, as_of, tirocini));
        }
        spells.sort_by_key(|spell| (spell.start, spell.effective_end.is_none()));
        spells
    }

    /// The rapporto of a notice that points to no earlier notice of the data.
    fn root_rapporto(&mut self, notice: &Compact) -> u32 {
        if !notice.event.is_hiring() {
            // Same employer and DataInizio: the open one, of the same contract when several.
            let matching: Vec<u32> = self
                .keys
                .iter()
                .filter(|(employer, start, _)| {
                    *employer == notice.employer && *start == notice.start
                })
                .map(|(_, _, rapporto)| *rapporto)
                .collect();
            let open: Vec<u32> = matching
                .iter()
                .copied()
                .filter(|rapporto| !self.terminated[*rapporto as usize])
                .collect();
            let pool = if open.is_empty() { &matching } else { &open };
            let same_contract = pool.iter().copied().find(|rapporto| {
                !notice.contract_type.is_none()
                    && self.hiring_contract[*rapporto as usize] == notice.contract_type
            });
            if let Some(rapporto) = same_contract.or_else(|| pool.first().copied()) {
                return rapporto;
            }
        }
        let rapporto = self.hiring_contract.len() as u32;
        self.hiring_contract.push(if notice.event.is_hiring() {
            notice.contract_type
        } else {
            Sym::NONE
        });
        self.terminated.push(false);
        rapporto
    }
}

/// Replays the live notices of one rapporto (sorted by effective date).
fn replay(notices: &[Compact], as_of: NaiveDate, tirocini: &[Sym]) -> Spell {
    let first = &notices[0];
    let hiring = notices.iter().rev().find(|notice| notice.event.is_hiring());
    let mut spell = Spell {
        employer: first.employer,
        start: hiring.map_or_else(
            || {
                notices
                    .iter()
                    .map(|notice| notice.start)
                    .min()
                    .unwrap_or(first.start)
            },
            |hiring| hiring.start,
        ),
        planned_end: None,
        effective_end: None,
        terminated: false,
        end_reason: Sym::NONE,
        contracts: Vec::new(),
        qualifica: Sym::NONE,
        sector: Sym::NONE,
        workplace: Sym::NONE,
        tirocinio: false,
        hiring_seen: hiring.is_some(),
        previous_employers: Vec::new(),
        hiring_notice: Sym::NONE,
        notices: notices.len() as u32,
    };
    let mut termination: Option<(NaiveDate, Sym)> = None;
    // Without the hiring, the end date carried by the later notices is the best known.
    let mut end_known = spell.hiring_seen;
    // Once a trasformazione made the contract open-ended, a proroga cannot give it an end again.
    let mut made_open_ended = false;
    for notice in notices {
        if !end_known && notice.planned_end.is_some() {
            spell.planned_end = notice.planned_end;
            end_known = true;
        }
        match notice.event {
            EventType::Assunzione | EventType::Urgenza => {
                spell.planned_end = notice.planned_end;
                spell.hiring_notice = notice.code_text;
                if !notice.contract_type.is_none() {
                    match spell.contracts.first_mut() {
                        Some(first) => *first = (spell.start, notice.contract_type),
                        None => spell.contracts.push((spell.start, notice.contract_type)),
                    }
                }
            }
            EventType::Proroga => {
                if !made_open_ended {
                    spell.planned_end = notice.extension_end.or(spell.planned_end);
                }
                end_known = true;
            }
            EventType::Trasformazione => {
                if notice.transformation == CodeEffect::ToOpenEnded {
                    spell.planned_end = None;
                    end_known = true;
                    made_open_ended = true;
                }
                let day = notice.transformation_date.unwrap_or(notice.sent);
                if !notice.contract_type.is_none()
                    && !spell.contracts.is_empty()
                    && spell.contract_type() != notice.contract_type
                {
                    spell.contracts.push((day, notice.contract_type));
                }
            }
            EventType::Variazione => {
                if notice.employer != spell.employer {
                    spell.previous_employers.push(spell.employer);
                    spell.employer = notice.employer;
                }
            }
            EventType::TrasferimentoDistacco => {}
            EventType::Cessazione => {
                if let Some(day) = notice.termination_date {
                    termination = Some((day, notice.termination_reason));
                }
            }
        }
        if spell.contracts.is_empty() && !notice.contract_type.is_none() {
            spell.contracts.push((spell.start, notice.contract_type));
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
    spell.tirocinio = !spell.contracts.is_empty()
        && spell
            .contracts
            .iter()
            .all(|(_, contract)| tirocini.contains(contract));
    spell
}

impl CobData {
    /// Builds the data from notices.
    pub fn from_notices<'a>(
        notices: impl IntoIterator<Item = &'a Notice>,
        rules: SpellRules,
        as_of: NaiveDate,
    ) -> Self {
        let mut builder = SpellBuilder::new(true, rules);
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
