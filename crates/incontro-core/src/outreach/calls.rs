//! Campaigns, call lists and outcomes.
//!
//! A campaign saves its cohort rule (JSON) and selection report, and one call-list entry per
//! selected person with its priority and reasons. Entries are numbered by priority (1 = first) and
//! operators refer to them by that number, never by codice fiscale.
//!
//! - **Fair assignment** ([`assign_fairly`]): entries in priority order go, one at a time, to the
//!   operator with the lowest `(assigned + 1) / daily_capacity`, so each operator's share is
//!   proportional to their capacity and every operator gets the same mix of priorities.
//! - **Retry policy**: an unanswered or busy call is retried after `retry_days`, at most
//!   `max_attempts` attempts; answered, refused and wrong-number calls close the entry. The
//!   operator may choose the next-call day of an unanswered or busy attempt
//!   ([`AttemptDetails::next_call`]): the entry then comes back on that day instead (still
//!   counting against `max_attempts`). An attempt may carry a short note (personal data: stored,
//!   shown to the entry's operator, never logged).
//! - **Operator view** ([`OperatorEntry`]): only the operator's own entries, due on the day, up to
//!   their capacity: name, mobile, comune, last sector, end date and best-fitting vacancies. No
//!   termination reason, no salary, no codice fiscale.
//! - **Outcomes**: every attempt; taken in charge, enrolled in a course, placed (reported);
//!   placement confirmed automatically by a later COB hiring notice (contract or tirocinio).
//!   `refused` sets the person's do-not-contact flag; only [`Engine::undo_refusal`] reopens the
//!   entry, keeping who undid it, when and why.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::cohort::{age_band, priority, CohortRule, PriorityReason, SelectionReport};
use crate::matching::MatchQuery;
use crate::model::CodiceFiscale;
use crate::outreach::sql;
use crate::{Engine, Error, ErrorCode, Progress, Result};

pub use super::reach::{reach, Reach, ReachRow};
pub use super::undo::RefusalUndo;

/// What a new campaign needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CampaignSpec {
    /// Identifier (letters, digits, `-`, `_`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Cohort rule.
    pub rule: CohortRule,
    /// Call lists and outcomes are purged after this day (aggregates are kept).
    pub retention_until: NaiveDate,
    /// Attempts per person (default 3).
    pub max_attempts: u32,
    /// Days between unanswered attempts (default 2).
    pub retry_days: u32,
}

/// A stored campaign.
#[derive(Debug, Clone, Serialize)]
pub struct Campaign {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// The rule it was selected with.
    pub rule: CohortRule,
    /// Its selection report.
    pub report: SelectionReport,
    /// Creation day.
    pub created_on: NaiveDate,
    /// Retention limit.
    pub retention_until: NaiveDate,
    /// Attempts per person.
    pub max_attempts: u32,
    /// Days between attempts.
    pub retry_days: u32,
    /// When its call lists were purged.
    pub purged_on: Option<NaiveDate>,
}

/// One stored call-list entry (for the campaign owner, not the operator view).
#[derive(Debug, Clone, Serialize)]
pub struct EntryRecord {
    /// Number in the campaign (1 = highest priority).
    pub entry_no: u32,
    /// Priority 0–100.
    pub priority: f32,
    /// Its reasons.
    pub reasons: Vec<PriorityReason>,
    /// Assigned operator.
    pub operator: Option<String>,
    /// Sex.
    pub sex: Option<String>,
    /// Age band.
    pub age_band: String,
    /// Comune of domicile.
    pub comune: Option<String>,
    /// Sector of the last job.
    pub last_sector: Option<String>,
    /// End of the last job.
    pub end_date: NaiveDate,
}

/// An entry to store.
#[derive(Debug, Clone)]
pub(crate) struct NewEntry {
    pub entry_no: u32,
    pub worker: String,
    pub record: EntryRecord,
    /// The reference job's COB contract type (shown in words on the operator's card).
    pub last_contract: Option<String>,
}

fn check_id(id: &str) -> Result<()> {
    if id.is_empty()
        || id.len() > 64
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(Error::invalid(
            ErrorCode::InvalidCampaignId,
            "campaign id must be 1-64 letters, digits, '-' or '_'",
        ));
    }
    Ok(())
}

/// An operator and their daily capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    /// Identifier.
    pub id: String,
    /// Calls per day.
    pub daily_capacity: u32,
}

#[derive(PartialEq, Eq)]
struct Load {
    assigned: u64,
    capacity: u64,
    index: usize,
}

impl Ord for Load {
    fn cmp(&self, other: &Self) -> Ordering {
        // Max-heap: the smallest (assigned + 1) / capacity first, then the lowest index.
        let mine = (self.assigned + 1) * other.capacity;
        let theirs = (other.assigned + 1) * self.capacity;
        theirs.cmp(&mine).then_with(|| other.index.cmp(&self.index))
    }
}

impl PartialOrd for Load {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Assigns `entries` entries (already in priority order) to operators with these daily
/// capacities: the operator index of each entry. Each operator's share is proportional to their
/// capacity (within one entry) and priorities are interleaved.
pub fn assign_fairly(entries: usize, capacities: &[u32]) -> Vec<usize> {
    let mut heap: BinaryHeap<Load> = capacities
        .iter()
        .enumerate()
        .filter(|(_, &capacity)| capacity > 0)
        .map(|(index, &capacity)| Load {
            assigned: 0,
            capacity: capacity as u64,
            index,
        })
        .collect();
    let mut assignment = Vec::with_capacity(entries);
    if heap.is_empty() {
        return assignment;
    }
    for _ in 0..entries {
        let Some(mut load) = heap.pop() else { break };
        assignment.push(load.index);
        load.assigned += 1;
        heap.push(load);
    }
    assignment
}

/// Result of a call attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallResult {
    /// The person answered.
    Answered,
    /// No answer (retried).
    NoAnswer,
    /// Busy (retried).
    Busy,
    /// Wrong number (closes the entry).
    WrongNumber,
    /// The person refused to be contacted: do-not-contact from now on.
    Refused,
}

impl CallResult {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CallResult::Answered => "answered",
            CallResult::NoAnswer => "no_answer",
            CallResult::Busy => "busy",
            CallResult::WrongNumber => "wrong_number",
            CallResult::Refused => "refused",
        }
    }
    /// Parses a stored or typed name.
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim() {
            "answered" => Ok(CallResult::Answered),
            "no_answer" => Ok(CallResult::NoAnswer),
            "busy" => Ok(CallResult::Busy),
            "wrong_number" => Ok(CallResult::WrongNumber),
            "refused" => Ok(CallResult::Refused),
            other => Err(Error::invalid(
                ErrorCode::InvalidCallResult,
                format!("call result must be answered, no_answer, busy, wrong_number or refused, got {other:?}"),
            )),
        }
    }
    /// True when the entry needs another attempt.
    pub fn retry(self) -> bool {
        matches!(self, CallResult::NoAnswer | CallResult::Busy)
    }
}

/// Optional details of a call attempt.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptDetails {
    /// Free text, at most [`crate::placements::MAX_NOTE_CHARS`] characters (personal data:
    /// never logged).
    #[serde(default)]
    pub note: Option<String>,
    /// The day to call again (after the attempt's day); used for `no_answer` and `busy`.
    #[serde(default)]
    pub next_call: Option<NaiveDate>,
    /// The time of day to call back on `next_call` (issue 15, point 11); only with `next_call`.
    #[serde(default)]
    pub next_call_time: Option<chrono::NaiveTime>,
}

/// A later step of the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// Accepted to be taken in charge (DID + patto di servizio).
    TakenInCharge,
    /// Enrolled in a course.
    Enrolled,
    /// Placed, as reported by the operator.
    Placed,
}

impl Milestone {
    /// Parses `taken_in_charge`, `enrolled` or `placed`.
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim() {
            "taken_in_charge" => Ok(Milestone::TakenInCharge),
            "enrolled" => Ok(Milestone::Enrolled),
            "placed" => Ok(Milestone::Placed),
            other => Err(Error::invalid(
                ErrorCode::InvalidMilestone,
                format!("milestone must be taken_in_charge, enrolled or placed, got {other:?}"),
            )),
        }
    }
}

/// One line of an operator's call list: the minimised view.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorEntry {
    /// Entry number (what the operator reports outcomes on).
    pub entry_no: u32,
    /// The person's pseudonym (what the audit log names; not reversible to the codice fiscale).
    pub person_ref: String,
    /// Name, when a contact source gave one.
    pub name: Option<String>,
    /// Mobile number.
    pub mobile: Option<String>,
    /// Comune of domicile.
    pub comune: Option<String>,
    /// Sector of the last job (ATECO).
    pub last_sector: Option<String>,
    /// Contract type of the last job (COB TipologiaContrattuale, e.g. `A.02.00`).
    pub last_contract: Option<String>,
    /// When the last job ended.
    pub end_date: NaiveDate,
    /// Attempts made so far.
    pub attempts: u32,
    /// The note of the latest attempt that had one.
    pub last_note: Option<String>,
    /// Titles of the best-fitting open vacancies (when the person is known to the matching
    /// engine).
    pub vacancies: Vec<String>,
}

/// What creating a campaign did.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignSummary {
    /// The campaign.
    pub id: String,
    /// The selection report.
    pub report: SelectionReport,
    /// Seconds spent on the selection (from the per-worker summaries).
    pub select_seconds: f64,
    /// Seconds spent on the priorities (fitting vacancies of each selected person).
    pub priority_seconds: f64,
}

/// The do-not-contact source a refusal in `campaign` writes (and its undo clears).
pub(super) fn refusal_source(campaign: &str) -> String {
    format!("refused in campaign {campaign}")
}

/// Score from which an open vacancy "fits" a person for priorities.
pub const FIT_SCORE: f32 = 0.5;

/// **Outreach (Cob23)**: call lists and call outcomes.
impl Engine {
    /// Open vacancies that fit a person now (none when the person is not known to the matching
    /// engine), best first; with `near`, only those within that many km of the comune (none
    /// when the comune is unknown or has no coordinates: a far vacancy is no help).
    pub fn fitting_vacancies(
        &self,
        worker: &str,
        k: usize,
        near: Option<(&str, u32)>,
    ) -> Vec<String> {
        let Ok(cf) = CodiceFiscale::parse(worker) else {
            return Vec::new();
        };
        let Ok(id) = self.find_job_seeker_by_cf(&cf) else {
            return Vec::new();
        };
        let near = match near {
            None => None,
            Some((comune, km)) => match crate::model::ComuneCode::parse(comune) {
                Ok(code) => Some((code, f64::from(km))),
                Err(_) => return Vec::new(),
            },
        };
        let query = MatchQuery {
            k,
            min_score: FIT_SCORE,
            near,
            ..MatchQuery::default()
        };
        self.vacancies_for_person(&id, &query, "it")
            .map(|matches| matches.into_iter().map(|m| m.title).collect())
            .unwrap_or_default()
    }

    /// Selects the cohort, computes priorities and stores the campaign with its call list.
    pub fn create_campaign(
        &self,
        spec: &CampaignSpec,
        progress: &dyn Progress,
    ) -> Result<CampaignSummary> {
        check_id(&spec.id)?;
        spec.rule.check()?;
        if spec.max_attempts == 0 || spec.max_attempts > 20 {
            return Err(Error::invalid(
                ErrorCode::InvalidCampaign,
                "max_attempts must be 1-20",
            ));
        }
        if self.store().read(|c| sql::campaign_exists(c, &spec.id))? {
            return Err(Error::conflict(
                ErrorCode::CampaignExists,
                format!("campaign {} already exists", spec.id),
            ));
        }
        progress.start("selecting", None);
        let started = std::time::Instant::now();
        let (candidates, report) = self.select_cohort(&spec.rule)?;
        let select_seconds = started.elapsed().as_secs_f64();
        progress.finish();
        let started = std::time::Instant::now();
        progress.start("priorities", Some(candidates.len() as u64));
        let mut scored: Vec<(f32, Vec<PriorityReason>, &super::cohort::Candidate)> = candidates
            .iter()
            .map(|candidate| {
                let near = candidate
                    .comune
                    .as_deref()
                    .map(|comune| (comune, spec.rule.fitting_vacancy_km));
                let fitting = match near {
                    Some(near) => self
                        .fitting_vacancies(&candidate.worker, 50, Some(near))
                        .len(),
                    None => 0,
                };
                progress.advance(1);
                let (points, reasons) = priority(
                    candidate.days_since_end,
                    fitting,
                    candidate.age,
                    &spec.rule.priority,
                );
                (points, reasons, candidate)
            })
            .collect();
        progress.finish();
        let priority_seconds = started.elapsed().as_secs_f64();
        scored.sort_by(|a, b| {
            b.0.partial_cmp(&a.0)
                .unwrap_or(Ordering::Equal)
                .then_with(|| a.2.end_date.cmp(&b.2.end_date))
                .then_with(|| a.2.worker.cmp(&b.2.worker))
        });
        let entries: Vec<NewEntry> = scored
            .into_iter()
            .enumerate()
            .map(|(rank, (points, reasons, candidate))| NewEntry {
                entry_no: rank as u32 + 1,
                worker: candidate.worker.clone(),
                record: EntryRecord {
                    entry_no: rank as u32 + 1,
                    priority: points,
                    reasons,
                    operator: None,
                    sex: candidate.sex.map(|sex| sex.as_str().to_string()),
                    age_band: age_band(candidate.age).to_string(),
                    comune: candidate.comune.clone(),
                    last_sector: candidate.last_sector.clone(),
                    end_date: candidate.end_date,
                },
                last_contract: candidate.last_contract.clone(),
            })
            .collect();
        let today = self.today();
        self.store().write(|tx| {
            // Checked again in the transaction: a create that raced this one wins, this one is 409.
            if sql::campaign_exists(tx, &spec.id)? {
                return Err(Error::conflict(
                    ErrorCode::CampaignExists,
                    format!("campaign {} already exists", spec.id),
                ));
            }
            sql::insert_campaign(tx, spec, &report, today)?;
            for entry in &entries {
                sql::insert_entry(tx, &spec.id, entry)?;
            }
            Ok(())
        })?;
        Ok(CampaignSummary {
            id: spec.id.clone(),
            report,
            select_seconds,
            priority_seconds,
        })
    }

    /// One campaign.
    pub fn campaign(&self, id: &str) -> Result<Campaign> {
        self.store()
            .read(|c| sql::get_campaign(c, id))?
            .ok_or_else(|| Error::not_found(ErrorCode::CampaignNotFound, "campaign", id))
    }

    /// Every campaign.
    pub fn campaigns(&self) -> Result<Vec<Campaign>> {
        self.store().read(sql::list_campaigns)
    }

    /// The campaign's call list (for its owner; operators use [`Engine::call_list`]).
    pub fn campaign_entries(&self, id: &str) -> Result<Vec<EntryRecord>> {
        self.campaign(id)?;
        self.store().read(|c| sql::list_entries(c, id))
    }

    /// Assigns the campaign's entries fairly to operators; returns entries per operator.
    pub fn assign_operators(
        &self,
        campaign: &str,
        operators: &[Operator],
    ) -> Result<Vec<(String, u64)>> {
        let stored = self.campaign(campaign)?;
        if stored.purged_on.is_some() {
            return Err(Error::conflict(
                ErrorCode::CampaignPurged,
                "the campaign's call lists were purged",
            ));
        }
        let mut seen = HashSet::new();
        for operator in operators {
            check_id(&operator.id).map_err(|_| {
                Error::invalid(
                    ErrorCode::InvalidOperator,
                    "operator id must be 1-64 letters, digits, '-' or '_'",
                )
            })?;
            if operator.daily_capacity == 0 || !seen.insert(operator.id.as_str()) {
                return Err(Error::invalid(
                    ErrorCode::InvalidOperator,
                    format!("operator {} is repeated or has no capacity", operator.id),
                ));
            }
        }
        if operators.is_empty() {
            return Err(Error::invalid(
                ErrorCode::InvalidOperator,
                "give at least one operator",
            ));
        }
        self.store().write(|tx| {
            let entry_numbers = sql::entry_numbers_by_priority(tx, campaign)?;
            let capacities: Vec<u32> = operators.iter().map(|o| o.daily_capacity).collect();
            let assignment = assign_fairly(entry_numbers.len(), &capacities);
            sql::replace_operators(tx, campaign, operators)?;
            let mut counts = vec![0u64; operators.len()];
            for (entry_no, operator) in entry_numbers.iter().zip(&assignment) {
                sql::set_entry_operator(tx, campaign, *entry_no, &operators[*operator].id)?;
                counts[*operator] += 1;
            }
            Ok(operators.iter().map(|o| o.id.clone()).zip(counts).collect())
        })
    }

    /// The operator's call list for `day`: their own entries that are due, not closed and not
    /// do-not-contact, by priority, up to their daily capacity.
    pub fn call_list(
        &self,
        campaign: &str,
        operator: &str,
        day: NaiveDate,
    ) -> Result<Vec<OperatorEntry>> {
        let stored = self.campaign(campaign)?;
        if stored.purged_on.is_some() {
            return Err(Error::conflict(
                ErrorCode::CampaignPurged,
                "the campaign's call lists were purged",
            ));
        }
        let capacity = self
            .store()
            .read(|c| sql::operator_capacity(c, campaign, operator))?
            .ok_or_else(|| Error::not_found(ErrorCode::OperatorNotFound, "operator", operator))?;
        let rows = self
            .store()
            .read(|c| sql::operator_entries(c, campaign, operator))?;
        let comuni = self.comuni_names().unwrap_or_default();
        let mut list = Vec::new();
        for row in rows {
            if list.len() >= capacity as usize {
                break;
            }
            let closed = row.last_result.is_some_and(|result| !result.retry())
                || row.attempts >= stored.max_attempts;
            let due = match (row.last_called_on, row.last_next_call) {
                (None, _) => true,
                (Some(_), Some(next)) => day >= next,
                (Some(last), None) => {
                    day >= last + chrono::Duration::days(stored.retry_days as i64)
                }
            };
            if closed || !due {
                continue;
            }
            let (do_not_contact, name, mobile) = self.store().read(|c| {
                Ok((
                    sql::is_do_not_contact(c, &row.worker)?,
                    sql::display_name(c, &row.worker)?,
                    sql::mobile_of(c, &row.worker)?,
                ))
            })?;
            if do_not_contact {
                continue;
            }
            let vacancies = match row.comune.as_deref() {
                Some(comune) => self.fitting_vacancies(
                    &row.worker,
                    3,
                    Some((comune, stored.rule.fitting_vacancy_km)),
                ),
                None => Vec::new(),
            };
            list.push(OperatorEntry {
                entry_no: row.entry_no,
                person_ref: crate::model::person_pseudonym(&row.worker),
                name,
                mobile,
                comune: row
                    .comune
                    .map(|code| comuni.get(&code).cloned().unwrap_or(code)),
                last_sector: row.last_sector,
                last_contract: row.last_contract,
                end_date: row.end_date,
                attempts: row.attempts,
                last_note: row.last_note,
                vacancies,
            });
        }
        Ok(list)
    }

    /// The pseudonym of the person of a call-list entry (for audit rows).
    pub fn entry_person_ref(&self, campaign: &str, entry_no: u32) -> Result<String> {
        let (worker, _) = self
            .store()
            .read(|c| sql::entry_worker(c, campaign, entry_no))?
            .ok_or_else(|| {
                Error::not_found(
                    ErrorCode::EntryNotFound,
                    "call-list entry",
                    entry_no.to_string(),
                )
            })?;
        Ok(crate::model::person_pseudonym(&worker))
    }

    /// Records one call attempt by the entry's operator.
    pub fn record_attempt(
        &self,
        campaign: &str,
        entry_no: u32,
        operator: &str,
        result: CallResult,
        day: NaiveDate,
    ) -> Result<u32> {
        self.record_attempt_with(
            campaign,
            entry_no,
            operator,
            result,
            day,
            &AttemptDetails::default(),
        )
    }

    /// Records one call attempt by the entry's operator with a note and/or a chosen next-call
    /// day (only for `no_answer` and `busy`, and after `day`).
    pub fn record_attempt_with(
        &self,
        campaign: &str,
        entry_no: u32,
        operator: &str,
        result: CallResult,
        day: NaiveDate,
        details: &AttemptDetails,
    ) -> Result<u32> {
        let note = crate::placements::clean_note(details.note.as_deref())?;
        if details.next_call_time.is_some() && details.next_call.is_none() {
            return Err(Error::invalid(
                ErrorCode::InvalidNextCall,
                "a call-back time needs a next-call day",
            ));
        }
        if let Some(next) = details.next_call {
            if !result.retry() {
                return Err(Error::invalid(
                    ErrorCode::InvalidNextCall,
                    "a next-call day is only for no_answer and busy",
                ));
            }
            if next <= day {
                return Err(Error::invalid(
                    ErrorCode::InvalidNextCall,
                    "the next-call day must come after the call",
                ));
            }
        }
        let stored = self.campaign(campaign)?;
        if stored.purged_on.is_some() {
            return Err(Error::conflict(
                ErrorCode::CampaignPurged,
                "the campaign's call lists were purged",
            ));
        }
        let today = self.today();
        if day > today {
            return Err(Error::invalid(
                ErrorCode::InvalidAttemptDate,
                format!("the call day {day} is in the future (today is {today})"),
            ));
        }
        if day < stored.rule.as_of {
            return Err(Error::invalid(
                ErrorCode::InvalidAttemptDate,
                format!(
                    "the call day {day} is before the campaign's reference day {}",
                    stored.rule.as_of
                ),
            ));
        }
        self.store().write(|tx| {
            let (worker, assigned) =
                sql::entry_worker(tx, campaign, entry_no)?.ok_or_else(|| {
                    Error::not_found(
                        ErrorCode::EntryNotFound,
                        "call-list entry",
                        entry_no.to_string(),
                    )
                })?;
            if assigned.as_deref() != Some(operator) {
                return Err(Error::Forbidden {
                    code: ErrorCode::EntryNotAssigned,
                    message: format!("entry {entry_no} is not assigned to operator {operator}"),
                });
            }
            let summary = sql::attempt_summary(tx, campaign, entry_no)?;
            if summary.refused {
                return Err(Error::conflict(
                    ErrorCode::EntryRefused,
                    format!("entry {entry_no}: the person refused to be contacted"),
                ));
            }
            if summary.attempts >= stored.max_attempts {
                return Err(Error::conflict(
                    ErrorCode::MaxAttemptsReached,
                    format!(
                        "entry {entry_no} already has the campaign's {} attempts",
                        stored.max_attempts
                    ),
                ));
            }
            if summary.latest.is_some_and(|latest| day < latest) {
                return Err(Error::invalid(
                    ErrorCode::InvalidAttemptDate,
                    format!("the call day {day} is before the entry's latest attempt"),
                ));
            }
            let attempt = sql::insert_attempt(
                tx,
                campaign,
                entry_no,
                operator,
                result,
                day,
                note.as_deref(),
                details.next_call,
                details.next_call_time,
            )?;
            if result == CallResult::Refused {
                let cf = CodiceFiscale::parse(&worker)?;
                sql::update_person(
                    tx,
                    &super::contacts::PersonUpdate {
                        worker: cf,
                        display_name: None,
                        do_not_contact: Some((true, day, refusal_source(campaign))),
                        citizenship: None,
                        disability: None,
                    },
                )?;
            }
            Ok(attempt)
        })
    }

    /// Records a later step of the funnel for an entry.
    pub fn record_milestone(
        &self,
        campaign: &str,
        entry_no: u32,
        milestone: Milestone,
        day: NaiveDate,
    ) -> Result<()> {
        let stored = self.campaign(campaign)?;
        if stored.purged_on.is_some() {
            return Err(Error::conflict(
                ErrorCode::CampaignPurged,
                "the campaign's call lists were purged",
            ));
        }
        let today = self.today();
        if day > today {
            return Err(Error::invalid(
                ErrorCode::InvalidMilestoneDate,
                format!("the milestone day {day} is in the future (today is {today})"),
            ));
        }
        self.store().write(|tx| {
            if sql::entry_worker(tx, campaign, entry_no)?.is_none() {
                return Err(Error::not_found(
                    ErrorCode::EntryNotFound,
                    "call-list entry",
                    entry_no.to_string(),
                ));
            }
            let summary = sql::attempt_summary(tx, campaign, entry_no)?;
            if summary.refused {
                return Err(Error::conflict(
                    ErrorCode::EntryRefused,
                    format!("entry {entry_no}: the person refused to be contacted"),
                ));
            }
            let Some(answered) = summary.first_answered else {
                return Err(Error::conflict(
                    ErrorCode::EntryNeverAnswered,
                    format!("entry {entry_no} has no answered call: no milestone yet"),
                ));
            };
            if day < answered {
                return Err(Error::invalid(
                    ErrorCode::InvalidMilestoneDate,
                    format!("the milestone day {day} is before the first answered call"),
                ));
            }
            sql::set_milestone(tx, campaign, entry_no, milestone, day)
        })
    }

    /// Confirms placements from COB: an answered person with a hiring (contract or tirocinio)
    /// that starts on or after their first answered call. Returns how many entries were newly confirmed.
    pub fn confirm_placements(&self, campaign: &str) -> Result<u64> {
        let pending = self
            .store()
            .read(|c| sql::unconfirmed_called(c, campaign))?;
        if pending.is_empty() {
            return Ok(0);
        }
        let workers: HashSet<String> = pending
            .iter()
            .map(|(_, worker, _)| worker.clone())
            .collect();
        let today = self.today();
        let data = self.cob_data_for(&workers, today)?;
        let by_worker: HashMap<&str, &super::spells::Person> = data
            .people
            .iter()
            .filter_map(|person| Some((data.text(person.worker)?, person)))
            .collect();
        let mut confirmations = Vec::new();
        for (entry_no, worker, first_call) in &pending {
            let Some(person) = by_worker.get(worker.as_str()) else {
                continue;
            };
            let hire = person
                .spells
                .iter()
                .filter(|spell| spell.start >= *first_call && !spell.hiring_notice.is_none())
                .min_by_key(|spell| spell.start);
            if let Some(spell) = hire {
                let contract = data.text(spell.contract_type()).unwrap_or_default();
                let kind = if spell.tirocinio {
                    format!("tirocinio {contract}")
                } else {
                    format!("contract {contract}")
                };
                confirmations.push((
                    *entry_no,
                    spell.start,
                    data.text(spell.hiring_notice)
                        .unwrap_or_default()
                        .to_string(),
                    kind,
                ));
            }
        }
        self.store().write(|tx| {
            for (entry_no, day, code, kind) in &confirmations {
                sql::confirm_placement(tx, campaign, *entry_no, *day, code, kind)?;
            }
            Ok(confirmations.len() as u64)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignment_is_proportional_and_interleaved() {
        let assignment = assign_fairly(1000, &[10, 10, 20]);
        let mut counts = [0usize; 3];
        for &operator in &assignment {
            counts[operator] += 1;
        }
        assert_eq!(counts, [250, 250, 500]);
        // The first entries (highest priority) are spread over all operators.
        let first: HashSet<usize> = assignment[..4].iter().copied().collect();
        assert_eq!(first.len(), 3);
    }

    #[test]
    fn no_capacity_no_assignment() {
        assert!(assign_fairly(10, &[0, 0]).is_empty());
        assert_eq!(assign_fairly(3, &[0, 5]), vec![1, 1, 1]);
    }

    fn record(entry_no: u32, sex: &str, age_band: &str) -> EntryRecord {
        EntryRecord {
            entry_no,
            priority: 50.0,
            reasons: Vec::new(),
            operator: None,
            sex: Some(sex.into()),
            age_band: age_band.into(),
            comune: None,
            last_sector: None,
            end_date: NaiveDate::from_ymd_opt(2024, 1, 31).expect("day"),
        }
    }

    #[test]
    fn reach_shows_a_starved_group_in_band_order() {
        // The two top priorities are older women: the first 2 calls reach no one under 30.
        let entries = [
            record(1, "F", "55+"),
            record(2, "F", "55+"),
            record(3, "M", "<30"),
            record(4, "F", "<30"),
            record(5, "F", "30-39"),
        ];
        let rows = reach(&entries, 2);
        let seen: Vec<(&str, &str, u64, u64)> = rows
            .iter()
            .map(|r| (r.age_band.as_str(), r.sex.as_str(), r.selected, r.reached))
            .collect();
        assert_eq!(
            seen,
            [
                ("<30", "F", 1, 0),
                ("<30", "M", 1, 0),
                ("30-39", "F", 1, 0),
                ("55+", "F", 2, 2)
            ]
        );
        assert_eq!(
            reach(&entries, 10).iter().map(|r| r.reached).sum::<u64>(),
            5
        );
    }
}
