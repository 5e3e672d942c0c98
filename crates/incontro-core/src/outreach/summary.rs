//! Per-worker summaries kept up to date at import, so that a cohort reads one row per person
//! instead of rebuilding every spell from every notice.
//!
//! Each worker's row (`cob_person`) holds:
//!
//! - `first_sent` / `last_sent`: the first and last `DataInvio` of their notices;
//! - `summary`: sex, birth, domicile and the spells **as of all their notices**, each with its
//!   start, planned end, termination (date and `CodCausa`), last contract type, sector and
//!   tirocinio flag. The one thing of a spell that depends on the reference day — a fixed term
//!   that has not ended yet has no effective end — is resolved when read: effective end =
//!   termination, else the planned end once it is before `as_of` (as [`super::spells`] does);
//! - `history`: their notices in compact form (about 40 bytes each: code hashes, code effects,
//!   dates, dictionary numbers), from which the spells are rebuilt exactly as from the stored
//!   notices.
//!
//! A cohort with reference day `as_of` then reads, for each person whose first notice was sent
//! by `as_of`, the summary when every notice of theirs was sent by `as_of` (`last_sent ≤ as_of`),
//! and rebuilds the spells from the history, keeping only the notices sent by `as_of`, for the
//! few others (point in time). Both give exactly what [`super::spells::SpellBuilder`] gives from
//! the stored notices for the fields the cohort rule reads; the reference computation stays
//! ([`crate::Engine::select_cohort_from_notices`]) and tests compare the two.
//!
//! An import appends the new notices to each touched worker's history and rebuilds their
//! summary, in the import's transaction (all or nothing), in parallel. The strings are numbered
//! in `cob_dict`. The meaning of the codes (from the code tables) is recorded with the rows: a
//! change of meaning, or a store from before the summaries, rebuilds them from `cob_notice`.

use std::collections::HashMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::cob::{from_days, to_days, EventType, Notice};
use super::codes::CodeEffect;
use super::cohort::{check_person, Candidate, CohortRule, Prepared, SelectionReport, Tally};
use super::spells::{Compact, Interner, Person, Scratch, Spell, SpellRules, Sym};
use crate::model::Sex;
use crate::outreach::sql as notice_sql;
use crate::outreach::sql::summary as sql;
use crate::store::db::Db;
use crate::{Engine, Error, Result};

/// The summary format written first in each summary blob.
const FORMAT: u8 = 1;

const EFFECTS: [CodeEffect; 9] = [
    CodeEffect::Ordinary,
    CodeEffect::Rettifica,
    CodeEffect::Annullamento,
    CodeEffect::Regularises,
    CodeEffect::ToOpenEnded,
    CodeEffect::KeepsEnd,
    CodeEffect::Transfer,
    CodeEffect::Work,
    CodeEffect::Tirocinio,
];

fn effect_number(effect: CodeEffect) -> u8 {
    EFFECTS
        .iter()
        .position(|known| *known == effect)
        .unwrap_or(0) as u8
}

fn sex_number(sex: Option<Sex>) -> u8 {
    match sex {
        None => 0,
        Some(Sex::F) => 1,
        Some(Sex::M) => 2,
    }
}

fn put_unsigned(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn put_day(out: &mut Vec<u8>, day: NaiveDate) {
    put_unsigned(out, zigzag(to_days(day)));
}

fn put_opt_day(out: &mut Vec<u8>, day: Option<NaiveDate>) {
    put_unsigned(out, day.map_or(0, |day| zigzag(to_days(day)) + 1));
}

fn put_sym(out: &mut Vec<u8>, sym: Sym) {
    put_unsigned(out, u64::from(sym.id()));
}

/// Reads what the `put_*` functions wrote.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

fn corrupt() -> Error {
    Error::Internal("a stored COB summary is corrupt: run `incontro import cob` again".into())
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8> {
        let byte = *self.bytes.get(self.at).ok_or_else(corrupt)?;
        self.at += 1;
        Ok(byte)
    }
    fn word(&mut self) -> Result<u64> {
        let bytes = self.bytes.get(self.at..self.at + 8).ok_or_else(corrupt)?;
        self.at += 8;
        let mut word = [0u8; 8];
        word.copy_from_slice(bytes);
        Ok(u64::from_le_bytes(word))
    }
    fn unsigned(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err(corrupt())
    }
    fn day(&mut self) -> Result<NaiveDate> {
        let value = self.unsigned()?;
        Ok(from_days(unzigzag(value)))
    }
    fn opt_day(&mut self) -> Result<Option<NaiveDate>> {
        Ok(match self.unsigned()? {
            0 => None,
            value => Some(from_days(unzigzag(value - 1))),
        })
    }
    fn sym(&mut self) -> Result<Sym> {
        u32::try_from(self.unsigned()?)
            .map(Sym::from_id)
            .map_err(|_| corrupt())
    }
    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

fn effect_of(number: u8) -> Result<CodeEffect> {
    EFFECTS.get(number as usize).copied().ok_or_else(corrupt)
}

fn sex_of(number: u8) -> Result<Option<Sex>> {
    match number {
        0 => Ok(None),
        1 => Ok(Some(Sex::F)),
        2 => Ok(Some(Sex::M)),
        _ => Err(corrupt()),
    }
}

/// Appends one notice's compact form (the fields spells are built from; occupation and
/// workplace are not kept: the cohort does not read them).
fn encode_notice(notice: &Compact, out: &mut Vec<u8>) {
    out.extend_from_slice(&notice.code.to_le_bytes());
    out.extend_from_slice(&notice.previous.to_le_bytes());
    out.push(notice.event.as_i64() as u8 | sex_number(notice.sex) << 4);
    out.push(effect_number(notice.kind) | effect_number(notice.transformation) << 4);
    put_sym(out, notice.employer);
    put_day(out, notice.sent);
    put_day(out, notice.start);
    for day in [
        notice.planned_end,
        notice.extension_end,
        notice.transformation_date,
        notice.termination_date,
        notice.birth,
    ] {
        put_opt_day(out, day);
    }
    for sym in [
        notice.termination_reason,
        notice.contract_type,
        notice.sector,
        notice.domicile,
    ] {
        put_sym(out, sym);
    }
}

/// The notices of a history (in the order they were added).
fn decode_notices(bytes: &[u8], notices: &mut Vec<Compact>) -> Result<()> {
    notices.clear();
    let mut reader = Reader { bytes, at: 0 };
    while !reader.done() {
        let code = reader.word()?;
        let previous = reader.word()?;
        let packed = reader.byte()?;
        let event = EventType::from_i64(i64::from(packed & 0x0f)).ok_or_else(corrupt)?;
        let sex = sex_of(packed >> 4)?;
        let effects = reader.byte()?;
        let kind = effect_of(effects & 0x0f)?;
        let transformation = effect_of(effects >> 4)?;
        let employer = reader.sym()?;
        let sent = reader.day()?;
        let start = reader.day()?;
        let planned_end = reader.opt_day()?;
        let extension_end = reader.opt_day()?;
        let transformation_date = reader.opt_day()?;
        let termination_date = reader.opt_day()?;
        let birth = reader.opt_day()?;
        let termination_reason = reader.sym()?;
        let contract_type = reader.sym()?;
        let sector = reader.sym()?;
        let domicile = reader.sym()?;
        notices.push(Compact {
            code,
            previous,
            kind,
            transformation,
            event,
            worker: Sym::NONE,
            employer,
            sent,
            start,
            planned_end,
            extension_end,
            transformation_date,
            termination_date,
            termination_reason,
            contract_type,
            qualifica: Sym::NONE,
            sector,
            workplace: Sym::NONE,
            code_text: Sym::NONE,
            sex,
            birth,
            domicile,
        });
    }
    Ok(())
}

const TERMINATED: u8 = 1;
const TIROCINIO: u8 = 2;
const HIRING_SEEN: u8 = 4;

/// A person's summary as of all their notices (spells built with no reference day).
fn encode_summary(person: &Person, out: &mut Vec<u8>) {
    out.push(FORMAT);
    out.push(sex_number(person.sex));
    put_opt_day(out, person.birth);
    put_sym(out, person.domicile);
    put_unsigned(out, person.spells.len() as u64);
    for spell in &person.spells {
        let mut flags = 0;
        if spell.terminated {
            flags |= TERMINATED;
        }
        if spell.tirocinio {
            flags |= TIROCINIO;
        }
        if spell.hiring_seen {
            flags |= HIRING_SEEN;
        }
        out.push(flags);
        put_day(out, spell.start);
        put_opt_day(out, spell.planned_end);
        if spell.terminated {
            put_opt_day(out, spell.effective_end);
        }
        put_sym(out, spell.end_reason);
        put_sym(out, spell.contract_type());
        put_sym(out, spell.sector);
    }
}

/// A person as known on `as_of` from a summary whose notices were all sent by `as_of`.
fn decode_summary(bytes: &[u8], as_of: NaiveDate, person: &mut Person) -> Result<()> {
    let mut reader = Reader { bytes, at: 0 };
    if reader.byte()? != FORMAT {
        return Err(corrupt());
    }
    person.worker = Sym::NONE;
    person.sex = sex_of(reader.byte()?)?;
    person.birth = reader.opt_day()?;
    person.domicile = reader.sym()?;
    let count = reader.unsigned()? as usize;
    person.spells.clear();
    for _ in 0..count {
        let flags = reader.byte()?;
        let terminated = flags & TERMINATED != 0;
        let start = reader.day()?;
        let planned_end = reader.opt_day()?;
        let effective_end = if terminated {
            reader.opt_day()?
        } else {
            // A fixed term ends by itself once its end is before the reference day.
            planned_end.filter(|end| *end < as_of)
        };
        let end_reason = reader.sym()?;
        let contract = reader.sym()?;
        let sector = reader.sym()?;
        person.spells.push(Spell {
            employer: Sym::NONE,
            start,
            planned_end,
            effective_end,
            terminated,
            end_reason,
            contracts: if contract.is_none() {
                Vec::new()
            } else {
                vec![(start, contract)]
            },
            qualifica: Sym::NONE,
            sector,
            workplace: Sym::NONE,
            tirocinio: flags & TIROCINIO != 0,
            hiring_seen: flags & HIRING_SEEN != 0,
            previous_employers: Vec::new(),
            hiring_notice: Sym::NONE,
            notices: 0,
        });
    }
    if !reader.done() {
        return Err(corrupt());
    }
    // The spells' order as the builder gives it on `as_of` (an unended fixed term sorts last).
    person
        .spells
        .sort_by_key(|spell| (spell.start, spell.effective_end.is_none()));
    Ok(())
}

/// The person as known on `as_of` from their history: only notices sent by `as_of` count.
fn person_from_history(
    history: &[u8],
    as_of: NaiveDate,
    tirocini: &[Sym],
    scratch: &mut Scratch,
    notices: &mut Vec<Compact>,
) -> Result<Person> {
    decode_notices(history, notices)?;
    notices.retain(|notice| notice.sent <= as_of);
    notices.sort_unstable_by_key(Compact::sending_order);
    Ok(scratch.person_of(notices, as_of, tirocini))
}

/// First and last `DataInvio` and the summary of one history.
fn summarise(
    history: &[u8],
    tirocini: &[Sym],
    scratch: &mut Scratch,
    notices: &mut Vec<Compact>,
) -> Result<(i64, i64, Vec<u8>)> {
    let person = person_from_history(history, NaiveDate::MAX, tirocini, scratch, notices)?;
    let first = notices.first().ok_or_else(corrupt)?.sent;
    let last = notices.last().ok_or_else(corrupt)?.sent;
    let mut summary = Vec::with_capacity(8 + 16 * person.spells.len());
    encode_summary(&person, &mut summary);
    Ok((to_days(first), to_days(last), summary))
}

/// New notices per worker, collected during an import and written at its end.
pub(crate) struct Histories {
    /// The dictionary (the stored entries, then the new ones).
    strings: Interner,
    stored_strings: usize,
    rules: SpellRules,
    workers: HashMap<Box<str>, Vec<u8>, ahash::RandomState>,
    notices: u64,
}

impl Histories {
    /// Collects notices to add to the stored summaries (their dictionary is loaded).
    pub(crate) fn load(connection: &Db<'_>, rules: SpellRules) -> Result<Self> {
        let strings = Interner::from_strings(sql::load_dict(connection)?);
        Ok(Histories {
            stored_strings: strings.len(),
            strings,
            rules,
            workers: HashMap::default(),
            notices: 0,
        })
    }

    /// Collects notices for a store without notices: an empty dictionary, whatever is stored
    /// (write with `fresh` clears the stored summaries and dictionary first).
    pub(crate) fn empty(rules: SpellRules) -> Self {
        Histories {
            strings: Interner::default(),
            stored_strings: 0,
            rules,
            workers: HashMap::default(),
            notices: 0,
        }
    }

    /// Room for about `workers` workers.
    pub(crate) fn reserve(&mut self, workers: usize) {
        self.workers.reserve(workers);
    }

    /// Notices added.
    pub(crate) fn notices(&self) -> u64 {
        self.notices
    }

    /// Adds one notice to its worker's history.
    pub(crate) fn add(&mut self, notice: &Notice) {
        let compact = Compact::of(
            notice,
            &self.rules,
            &mut self.strings,
            false,
            false,
            Sym::NONE,
        );
        let worker = notice.worker.as_str();
        let history = match self.workers.get_mut(worker) {
            Some(history) => history,
            None => self
                .workers
                .entry(worker.into())
                .or_insert_with(|| Vec::with_capacity(4 * 48)),
        };
        encode_notice(&compact, history);
        self.notices += 1;
    }

    /// Writes the touched workers' rows (their stored history first when `merge`), the new
    /// dictionary entries and the state; returns the number of workers written.
    pub(crate) fn write(self, tx: &Db<'_>, merge: bool) -> Result<u64> {
        let Histories {
            strings,
            stored_strings,
            rules,
            workers,
            ..
        } = self;
        sql::insert_dict(tx, strings.texts_from(stored_strings))?;
        let mut rows: Vec<(Box<str>, Vec<u8>)> = workers.into_iter().collect();
        rows.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if merge {
            for (worker, history) in &mut rows {
                if let Some(mut stored) = sql::stored_history(tx, worker)? {
                    stored.extend_from_slice(history);
                    *history = stored;
                }
            }
        }
        let tirocini = rules.tirocini_in(&strings);
        let summaries: Vec<(i64, i64, Vec<u8>)> = rows
            .par_iter()
            .map_init(
                || (Scratch::default(), Vec::new()),
                |(scratch, notices), (_, history)| summarise(history, &tirocini, scratch, notices),
            )
            .collect::<Result<_>>()?;
        // Written in chunks: one bulk statement (or COPY) per chunk, memory bounded by it.
        const CHUNK: usize = 8192;
        for (rows, summaries) in rows.chunks(CHUNK).zip(summaries.chunks(CHUNK)) {
            let mut chunk = Vec::with_capacity(rows.len());
            for ((worker, history), summary) in rows.iter().zip(summaries) {
                let (first_sent, last_sent, summary) = summary;
                chunk.push(sql::PersonRow {
                    worker,
                    first_sent: *first_sent,
                    last_sent: *last_sent,
                    summary,
                    history,
                });
            }
            sql::write_persons(tx, &chunk)?;
        }
        sql::set_summary_state(tx, &rules.fingerprint())?;
        Ok(rows.len() as u64)
    }
}

/// Rebuilds every worker's row from the stored notices, in `tx`.
pub(crate) fn rebuild(tx: &Db<'_>, rules: &SpellRules) -> Result<u64> {
    sql::clear_summaries(tx)?;
    let mut histories = Histories::load(tx, rules.clone())?;
    notice_sql::for_each_notice(tx, None, |notice| histories.add(&notice))?;
    histories.write(tx, false)
}

/// True when the stored summaries were built with the meaning of the codes in `rules`.
pub(crate) fn current(connection: &Db<'_>, rules: &SpellRules) -> Result<bool> {
    Ok(sql::summary_state(connection)?.as_deref() == Some(rules.fingerprint().as_str()))
}

/// **Outreach (Cob23)**: per-person summaries kept up to date at import.
impl Engine {
    /// Rebuilds every worker's summary from the stored notices (done by itself when the code
    /// tables change meaning or on a store from before the summaries); returns the number of
    /// workers.
    pub fn rebuild_cob_summaries(&self) -> Result<u64> {
        let rules = SpellRules::from_codes(&self.cob_code_tables()?);
        self.store().write(|tx| rebuild(tx, &rules))
    }

    /// The meaning of the codes, with the summaries made current for it.
    fn current_summaries(&self) -> Result<SpellRules> {
        let rules = SpellRules::from_codes(&self.cob_code_tables()?);
        if !self.store().read(|c| current(c, &rules))? {
            self.store().write(|tx| {
                if current(tx, &rules)? {
                    return Ok(0);
                }
                rebuild(tx, &rules)
            })?;
        }
        Ok(rules)
    }

    /// Applies a cohort rule from the per-worker summaries kept at import (nothing else is
    /// stored): the selected people in codice fiscale order and the report. The same as
    /// [`Engine::select_cohort_from_notices`].
    pub fn select_cohort(&self, rule: &CohortRule) -> Result<(Vec<Candidate>, SelectionReport)> {
        rule.check()?;
        let rules = self.current_summaries()?;
        self.store().read(|c| {
            let strings = Interner::from_strings(sql::load_dict(c)?);
            let tirocini = rules.tirocini_in(&strings);
            let prepared = Prepared::new(&strings, rule);
            let as_of = rule.as_of;
            let as_of_days = to_days(as_of);
            let mut tally = Tally::default();
            let mut passed = Vec::new();
            let mut person = Person {
                worker: Sym::NONE,
                sex: None,
                birth: None,
                domicile: Sym::NONE,
                spells: Vec::new(),
            };
            let mut scratch = Scratch::default();
            let mut notices = Vec::new();
            sql::for_each_person(c, as_of_days, |row| {
                if row.last_sent <= as_of_days {
                    decode_summary(row.summary, as_of, &mut person)?;
                } else {
                    // Some notices were sent after the reference day: rebuild without them.
                    person = person_from_history(
                        row.history,
                        as_of,
                        &tirocini,
                        &mut scratch,
                        &mut notices,
                    )?;
                }
                if person.spells.is_empty() {
                    return Ok(());
                }
                tally.person();
                match check_person(&strings, rule, &prepared, &person) {
                    Ok(ok) => passed.push((row.worker.to_string(), ok)),
                    Err(rule_index) => tally.exclude(rule_index),
                }
                Ok(())
            })?;
            // The contact rules for those left only.
            let do_not_contact = notice_sql::load_do_not_contact(c)?;
            let mobiles = sql::mobiles_of(c, passed.iter().map(|(worker, _)| worker.as_str()))?;
            for ((worker, ok), mobile) in passed.into_iter().zip(mobiles) {
                let dnc = do_not_contact.contains(&worker);
                match ok.contact(rule, &worker, dnc, mobile) {
                    Ok(candidate) => tally.selected.push(candidate),
                    Err(rule_index) => tally.exclude(rule_index),
                }
            }
            Ok(tally.finish())
        })
    }

    /// The reference computation of [`Engine::select_cohort`]: every worker's spells rebuilt
    /// from every stored notice sent by `as_of`, then the rule (slow on millions of notices;
    /// kept to check the summaries against).
    pub fn select_cohort_from_notices(
        &self,
        rule: &CohortRule,
    ) -> Result<(Vec<Candidate>, SelectionReport)> {
        rule.check()?;
        let data = self.cob_data(rule.as_of)?;
        let contacts = self.contact_book()?;
        super::cohort::select(&data, &contacts, rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    #[test]
    fn numbers_and_days_round_trip() {
        let mut out = Vec::new();
        for value in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            put_unsigned(&mut out, value);
        }
        for value in [day("1950-02-28"), day("2024-12-31"), day("1970-01-01")] {
            put_day(&mut out, value);
        }
        put_opt_day(&mut out, None);
        put_opt_day(&mut out, Some(day("1969-12-31")));
        let mut reader = Reader { bytes: &out, at: 0 };
        for value in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(reader.unsigned().expect("number"), value);
        }
        assert_eq!(reader.day().expect("day"), day("1950-02-28"));
        assert_eq!(reader.day().expect("day"), day("2024-12-31"));
        assert_eq!(reader.day().expect("day"), day("1970-01-01"));
        assert_eq!(reader.opt_day().expect("none"), None);
        assert_eq!(reader.opt_day().expect("day"), Some(day("1969-12-31")));
        assert!(reader.done());
        // A truncated blob is an error, never a panic.
        let mut short = Reader {
            bytes: &out[..1],
            at: 0,
        };
        assert!(short.word().is_err());
    }

    #[test]
    fn a_notice_round_trips() {
        let notice = Compact {
            code: 0xdead_beef_0123_4567,
            previous: 42,
            kind: CodeEffect::Rettifica,
            transformation: CodeEffect::ToOpenEnded,
            event: EventType::TrasferimentoDistacco,
            worker: Sym::NONE,
            employer: Sym::from_id(70_000),
            sent: day("2024-03-01"),
            start: day("2023-01-02"),
            planned_end: Some(day("2024-12-31")),
            extension_end: None,
            transformation_date: Some(day("2024-02-29")),
            termination_date: None,
            termination_reason: Sym::NONE,
            contract_type: Sym::from_id(3),
            qualifica: Sym::NONE,
            sector: Sym::from_id(200),
            workplace: Sym::NONE,
            code_text: Sym::NONE,
            sex: Some(Sex::F),
            birth: Some(day("1961-07-14")),
            domicile: Sym::from_id(9),
        };
        let mut bytes = Vec::new();
        encode_notice(&notice, &mut bytes);
        encode_notice(&notice, &mut bytes);
        let mut decoded = Vec::new();
        decode_notices(&bytes, &mut decoded).expect("decodes");
        assert_eq!(decoded, vec![notice, notice]);
        assert!(decode_notices(&bytes[..bytes.len() - 1], &mut decoded).is_err());
    }
}
