//! The Cob23 cohort rule and the selection report.
//!
//! Cob23 calls people **without a job**: a job ended in the window, no new job started within
//! six calendar months of that end, and no job covers the reference day. Tirocini are not jobs (a
//! tirocinante keeps the stato di disoccupazione) unless `tirocini_count_as_work` is set: they are
//! then neither the job that ended nor a rehire. A person is selected when, in this order (the
//! report counts each person under the first rule that excludes them):
//!
//! 1. `last_end_not_in_window`: their latest job ending on or before `ended_to` ended on or
//!    after `ended_from` (the *reference job*; short jobs are passed over when tolerated);
//! 2. `too_recent`: the no-new-hire period after that end (six calendar months by default, an
//!    end on 28 February is followed by 28 August; or `no_new_hire_days`) is over on `as_of`;
//! 3. `rehired`: no other job started within that period or was still going on the day after the
//!    end (jobs of at most `ignore_short_jobs_up_to_days` days are ignored when set, as a
//!    contract of up to six months only suspends unemployment, art. 19 D.Lgs. 150/2015);
//! 4. `employed_on_as_of`: no job (short ones included) covers `as_of`;
//! 5. `excluded_contract_type`: the reference job's last contract type is not excluded;
//! 6. `excluded_end_reason`: its termination reason is not excluded;
//! 7. `sex`, 8. `age` (on `as_of`; unknown birth excludes), 9. `comune` of domicile;
//! 10. `do_not_contact`: the person has not objected;
//! 11. `no_mobile_number`: a mobile is on record (when `require_mobile`).
//!
//! Only notices sent on or before `as_of` count, for the jobs and for sex, birth and domicile
//! (see [`super::spells`]).

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::contacts::ContactBook;
use super::spells::{CobData, Interner, Person, Spell, Sym};
use crate::model::Sex;
use crate::{Error, ErrorCode, Result};

fn default_fitting_vacancy_km() -> u32 {
    50
}

/// The priority's weights (a rule setting; the defaults give 0–100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PriorityWeights {
    /// Points for two years or more without work (linear below).
    pub time_without_work: u32,
    /// Points per fitting open vacancy.
    pub per_fitting_vacancy: u32,
    /// At most this many points for fitting vacancies.
    pub fitting_vacancies_max: u32,
    /// Points for people aged 55 and over (a GOL priority group).
    pub age_55_plus: u32,
    /// Points for people under 30 (a GOL priority group).
    pub under_30: u32,
}

impl Default for PriorityWeights {
    fn default() -> Self {
        PriorityWeights {
            time_without_work: 40,
            per_fitting_vacancy: 10,
            fitting_vacancies_max: 40,
            age_55_plus: 20,
            under_30: 10,
        }
    }
}

/// The default no-new-hire period: six calendar months.
pub const DEFAULT_NO_NEW_HIRE_MONTHS: u32 = 6;

fn default_true() -> bool {
    true
}

/// The configurable selection rule, saved with each campaign as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortRule {
    /// First day of the window in which the last spell ended.
    pub ended_from: NaiveDate,
    /// Last day of that window.
    pub ended_to: NaiveDate,
    /// No new hire within this many calendar months after the end (default 6 when
    /// `no_new_hire_days` is not set).
    #[serde(default)]
    pub no_new_hire_months: Option<u32>,
    /// No new hire within this many days after the end, instead of months.
    #[serde(default)]
    pub no_new_hire_days: Option<i64>,
    /// Count tirocini as jobs (default false: a tirocinio is neither the job that ended nor a
    /// rehire, and a tirocinante on `as_of` is not employed).
    #[serde(default)]
    pub tirocini_count_as_work: bool,
    /// Jobs lasting at most this many days do not count as a new hire.
    #[serde(default)]
    pub ignore_short_jobs_up_to_days: Option<i64>,
    /// Only this sex.
    #[serde(default)]
    pub sex: Option<Sex>,
    /// Minimum age on `as_of`.
    #[serde(default)]
    pub age_min: Option<u32>,
    /// Maximum age on `as_of`.
    #[serde(default)]
    pub age_max: Option<u32>,
    /// Only these comuni of domicile (codice catastale); empty = all.
    #[serde(default)]
    pub comuni: Vec<String>,
    /// Reference spells ending with these contract types are left out (e.g. `C.01.00`).
    #[serde(default)]
    pub exclude_contract_types: Vec<String>,
    /// Reference spells ended for these reasons are left out (e.g. `PE` pensionamento).
    #[serde(default)]
    pub exclude_end_reasons: Vec<String>,
    /// Only people with a mobile number on record (default true).
    #[serde(default = "default_true")]
    pub require_mobile: bool,
    /// Fitting vacancies (priority and call list) are those within this many km of the
    /// person's domicile (default 50).
    #[serde(default = "default_fitting_vacancy_km")]
    pub fitting_vacancy_km: u32,
    /// The priority's weights.
    #[serde(default)]
    pub priority: PriorityWeights,
    /// How many of the first calls the reach table counts (default: the campaign's total daily
    /// operator capacity once operators are assigned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_calls: Option<u32>,
    /// The reference day (ages, elapsed time, expired fixed terms).
    pub as_of: NaiveDate,
}

impl CohortRule {
    /// Checks the rule's own consistency.
    pub fn check(&self) -> Result<()> {
        if self.ended_from > self.ended_to {
            return Err(Error::invalid(
                ErrorCode::InvalidCohortRule,
                "ended_from is after ended_to",
            ));
        }
        if self.no_new_hire_days.is_some() && self.no_new_hire_months.is_some() {
            return Err(Error::invalid(
                ErrorCode::InvalidCohortRule,
                "set no_new_hire_months or no_new_hire_days, not both",
            ));
        }
        if self
            .no_new_hire_days
            .is_some_and(|days| !(0..=3650).contains(&days))
        {
            return Err(Error::invalid(
                ErrorCode::InvalidCohortRule,
                "no_new_hire_days must be 0-3650",
            ));
        }
        if self.no_new_hire_months.is_some_and(|months| months > 120) {
            return Err(Error::invalid(
                ErrorCode::InvalidCohortRule,
                "no_new_hire_months must be 0-120",
            ));
        }
        let weights = &self.priority;
        let most = weights.time_without_work
            + weights.fitting_vacancies_max
            + weights.age_55_plus.max(weights.under_30);
        if most > 100 {
            return Err(Error::invalid(
                ErrorCode::InvalidCohortRule,
                format!("the priority weights add up to {most}: at most 100"),
            ));
        }
        if self.ended_to > self.as_of {
            return Err(Error::invalid(
                ErrorCode::InvalidCohortRule,
                "ended_to is after as_of",
            ));
        }
        if let (Some(min), Some(max)) = (self.age_min, self.age_max) {
            if min > max {
                return Err(Error::invalid(
                    ErrorCode::InvalidCohortRule,
                    "age_min is above age_max",
                ));
            }
        }
        Ok(())
    }
}

impl CohortRule {
    /// The last day of the no-new-hire period after a job that ended on `end`: six calendar
    /// months by default (28 February → 28 August; 31 August → 28 or 29 February).
    pub fn no_new_hire_until(&self, end: NaiveDate) -> NaiveDate {
        match self.no_new_hire_days {
            Some(days) => end + chrono::Duration::days(days),
            None => {
                let months = self
                    .no_new_hire_months
                    .unwrap_or(DEFAULT_NO_NEW_HIRE_MONTHS);
                end.checked_add_months(chrono::Months::new(months))
                    .unwrap_or(NaiveDate::MAX)
            }
        }
    }
}

/// The rules of the selection, in the order they are applied.
pub const RULES: [&str; 11] = [
    "last_end_not_in_window",
    "too_recent",
    "rehired",
    "employed_on_as_of",
    "excluded_contract_type",
    "excluded_end_reason",
    "sex",
    "age",
    "comune",
    "do_not_contact",
    "no_mobile_number",
];

/// How many people each rule excluded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionReport {
    /// People with at least one spell.
    pub people: u64,
    /// `(rule, people excluded by it)` in [`RULES`] order.
    pub excluded: Vec<(String, u64)>,
    /// People selected.
    pub selected: u64,
}

/// One selected person.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The codice fiscale (text).
    pub worker: String,
    /// End of the reference job (the one that ended in the window).
    pub end_date: NaiveDate,
    /// End of the last job of all (short ones included): time without work counts from here.
    pub last_job_end: NaiveDate,
    /// Days without work on `as_of`: from the end of the last job.
    pub days_since_end: i64,
    /// Age on `as_of`.
    pub age: Option<u32>,
    /// ATECO sector of the reference spell.
    pub last_sector: Option<String>,
    /// COB contract type (TipologiaContrattuale) of the reference spell at its end.
    pub last_contract: Option<String>,
    /// Comune of domicile.
    pub comune: Option<String>,
    /// Sex.
    pub sex: Option<Sex>,
    /// The mobile on record.
    pub mobile: Option<String>,
}

/// The age band used in priorities and the funnel; the GOL priority groups (under 30, 55 and
/// over) are bands of their own.
pub fn age_band(age: Option<u32>) -> &'static str {
    match age {
        None => "unknown",
        Some(age) if age < 30 => "<30",
        Some(age) if age < 40 => "30-39",
        Some(age) if age < 55 => "40-54",
        Some(_) => "55+",
    }
}

/// The rule's codes as symbols of the strings the spells refer to.
pub(crate) struct Prepared {
    excluded_contracts: HashSet<Sym>,
    excluded_reasons: HashSet<Sym>,
    comuni: Option<HashSet<Sym>>,
}

impl Prepared {
    pub(crate) fn new(strings: &Interner, rule: &CohortRule) -> Self {
        let syms = |codes: &[String]| -> HashSet<Sym> {
            codes.iter().filter_map(|code| strings.get(code)).collect()
        };
        Prepared {
            excluded_contracts: syms(&rule.exclude_contract_types),
            excluded_reasons: syms(&rule.exclude_end_reasons),
            comuni: (!rule.comuni.is_empty()).then(|| syms(&rule.comuni)),
        }
    }
}

/// Counts the exclusions of each rule and collects the selected people.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    counts: [u64; RULES.len()],
    people: u64,
    /// The people selected so far.
    pub(crate) selected: Vec<Candidate>,
}

impl Tally {
    /// One more person with at least one spell.
    pub(crate) fn person(&mut self) {
        self.people += 1;
    }
    /// One person excluded by the rule at `rule_index` in [`RULES`].
    pub(crate) fn exclude(&mut self, rule_index: usize) {
        self.counts[rule_index] += 1;
    }
    /// The candidates in codice fiscale order, and the report.
    pub(crate) fn finish(mut self) -> (Vec<Candidate>, SelectionReport) {
        self.selected
            .sort_unstable_by(|a, b| a.worker.cmp(&b.worker));
        let report = SelectionReport {
            people: self.people,
            excluded: RULES
                .iter()
                .zip(self.counts)
                .map(|(rule, count)| (rule.to_string(), count))
                .collect(),
            selected: self.selected.len() as u64,
        };
        (self.selected, report)
    }
}

/// Applies `rule` to every person; returns the selected people (in codice fiscale order) and
/// the report. This is the reference computation over spells built from every notice;
/// [`crate::Engine::select_cohort`] gives the same from the summaries kept at import
/// ([`super::summary`]).
pub fn select(
    data: &CobData,
    contacts: &ContactBook,
    rule: &CohortRule,
) -> Result<(Vec<Candidate>, SelectionReport)> {
    rule.check()?;
    let prepared = Prepared::new(&data.strings, rule);
    let mut tally = Tally::default();
    for person in &data.people {
        if person.spells.is_empty() {
            continue;
        }
        tally.person();
        let outcome = check_person(&data.strings, rule, &prepared, person).and_then(|passed| {
            let worker = data.text(person.worker).unwrap_or_default();
            passed.contact(
                rule,
                worker,
                contacts.do_not_contact.contains(worker),
                contacts.mobiles.get(worker).cloned(),
            )
        });
        match outcome {
            Ok(candidate) => tally.selected.push(candidate),
            Err(rule_index) => tally.exclude(rule_index),
        }
    }
    Ok(tally.finish())
}

/// A person who passed rules 1–9 (the contact rules are left).
#[derive(Debug, Clone)]
pub(crate) struct Passed {
    end_date: NaiveDate,
    last_job_end: NaiveDate,
    age: Option<u32>,
    last_sector: Option<String>,
    last_contract: Option<String>,
    comune: Option<String>,
    sex: Option<Sex>,
}

impl Passed {
    /// Rules 10–11 (do-not-contact, mobile): the candidate, or the index of the rule.
    pub(crate) fn contact(
        self,
        rule: &CohortRule,
        worker: &str,
        do_not_contact: bool,
        mobile: Option<String>,
    ) -> std::result::Result<Candidate, usize> {
        if do_not_contact {
            return Err(9);
        }
        if rule.require_mobile && mobile.is_none() {
            return Err(10);
        }
        Ok(Candidate {
            worker: worker.to_string(),
            end_date: self.end_date,
            last_job_end: self.last_job_end,
            days_since_end: (rule.as_of - self.last_job_end).num_days(),
            age: self.age,
            last_sector: self.last_sector,
            last_contract: self.last_contract,
            comune: self.comune,
            sex: self.sex,
            mobile,
        })
    }
}

/// Rules 1–9 for one person: what the contact rules need, or the index in [`RULES`] of the
/// first rule that excludes the person.
pub(crate) fn check_person(
    strings: &Interner,
    rule: &CohortRule,
    prepared: &Prepared,
    person: &Person,
) -> std::result::Result<Passed, usize> {
    // Jobs only: tirocini are not jobs unless the rule says so.
    let jobs: Vec<&Spell> = person
        .spells
        .iter()
        .filter(|spell| rule.tirocini_count_as_work || !spell.tirocinio)
        .collect();
    // 1. The reference job: the latest end on or before the window's end.
    // Short jobs are skipped when tolerated, unless they are all there is.
    let is_short = |spell: &Spell| {
        matches!(
            (rule.ignore_short_jobs_up_to_days, spell.duration_days()),
            (Some(limit), Some(duration)) if duration <= limit
        )
    };
    let ended = |spell: &&&Spell| spell.effective_end.is_some_and(|end| end <= rule.ended_to);
    let latest = |spells: &mut dyn Iterator<Item = &&Spell>| -> Option<usize> {
        spells
            .max_by_key(|spell| (spell.effective_end, spell.start))
            .and_then(|chosen| jobs.iter().position(|spell| std::ptr::eq(*spell, *chosen)))
    };
    let reference = latest(&mut jobs.iter().filter(ended).filter(|spell| !is_short(spell)))
        .or_else(|| latest(&mut jobs.iter().filter(ended)));
    let Some(reference_index) = reference else {
        return Err(0);
    };
    let reference = jobs[reference_index];
    let Some(end) = reference.effective_end else {
        return Err(0);
    };
    if end < rule.ended_from {
        return Err(0);
    }
    // 2. Enough time has passed to know there was no new hire.
    let horizon = rule.no_new_hire_until(end);
    if rule.as_of < horizon {
        return Err(1);
    }
    // 3. No new job (or job still going on) within the period.
    let day_after = end + chrono::Duration::days(1);
    let rehired = jobs.iter().enumerate().any(|(position, spell)| {
        position != reference_index
            && !is_short(spell)
            && ((spell.start > end && spell.start <= horizon)
                || (spell.start <= end && spell.covers(day_after)))
    });
    if rehired {
        return Err(2);
    }
    // 4. No job at all on the reference day.
    if jobs.iter().any(|spell| spell.covers(rule.as_of)) {
        return Err(3);
    }
    let last_job_end = jobs
        .iter()
        .filter_map(|spell| spell.effective_end)
        .filter(|day| *day <= rule.as_of)
        .max()
        .unwrap_or(end)
        .max(end);
    // 5–6. Contract type and end reason of the reference job.
    if prepared
        .excluded_contracts
        .contains(&reference.contract_type())
    {
        return Err(4);
    }
    if !reference.end_reason.is_none() && prepared.excluded_reasons.contains(&reference.end_reason)
    {
        return Err(5);
    }
    // 7–9. Sex, age, comune.
    if rule.sex.is_some() && person.sex != rule.sex {
        return Err(6);
    }
    let age = person.age_on(rule.as_of);
    if rule.age_min.is_some() || rule.age_max.is_some() {
        let Some(age) = age else { return Err(7) };
        if rule.age_min.is_some_and(|min| age < min) || rule.age_max.is_some_and(|max| age > max) {
            return Err(7);
        }
    }
    if let Some(comuni) = &prepared.comuni {
        if !comuni.contains(&person.domicile) {
            return Err(8);
        }
    }
    Ok(Passed {
        end_date: end,
        last_job_end,
        age,
        last_sector: strings.text(reference.sector).map(str::to_string),
        last_contract: strings.text(reference.contract_type()).map(str::to_string),
        comune: strings.text(person.domicile).map(str::to_string),
        sex: person.sex,
    })
}

/// One reason of a priority, with its points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorityReason {
    /// What is measured (`days_since_end`, `fitting_vacancies`, `age_band`).
    pub factor: String,
    /// The person's value.
    pub value: String,
    /// Points it gives.
    pub points: f32,
}

/// The priority of one candidate (0–100 with the default weights) and its reasons:
///
/// - up to 40 points for time without work, counted from the end of the last job (linear up to
///   two years: the longer without work, the more help is needed);
/// - 10 points per open vacancy that fits the person now (score ≥ 0.5 in the matching engine,
///   within the rule's distance of the domicile), up to 40;
/// - 20 points for 55 and over and 10 for under 30 (GOL priority groups).
pub fn priority(
    days_since_end: i64,
    fitting_vacancies: usize,
    age: Option<u32>,
    weights: &PriorityWeights,
) -> (f32, Vec<PriorityReason>) {
    let time_points =
        weights.time_without_work as f32 * (days_since_end.clamp(0, 730) as f32) / 730.0;
    let vacancy_points = (weights.per_fitting_vacancy as f32 * fitting_vacancies as f32)
        .min(weights.fitting_vacancies_max as f32);
    let band = age_band(age);
    let age_points = match band {
        "55+" => weights.age_55_plus as f32,
        "<30" => weights.under_30 as f32,
        _ => 0.0,
    };
    let round = |points: f32| (points * 10.0).round() / 10.0;
    let reasons = vec![
        PriorityReason {
            factor: "days_since_end".into(),
            value: days_since_end.to_string(),
            points: round(time_points),
        },
        PriorityReason {
            factor: "fitting_vacancies".into(),
            value: fitting_vacancies.to_string(),
            points: round(vacancy_points),
        },
        PriorityReason {
            factor: "age_band".into(),
            value: band.to_string(),
            points: round(age_points),
        },
    ];
    let total = reasons.iter().map(|reason| reason.points).sum();
    (total, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_is_capped_and_explained() {
        let weights = PriorityWeights::default();
        let (points, reasons) = priority(365, 2, Some(55), &weights);
        assert_eq!(reasons.len(), 3);
        assert!((points - (20.0 + 20.0 + 20.0)).abs() < 0.01, "{points}");
        let (fifty_four, _) = priority(365, 2, Some(54), &weights);
        assert!(
            (fifty_four - 40.0).abs() < 0.01,
            "55 and over only: {fifty_four}"
        );
        let (max, _) = priority(10_000, 100, Some(25), &weights);
        assert!((max - 90.0).abs() < 0.01, "{max}");
        let (low, _) = priority(-5, 0, None, &weights);
        assert_eq!(low, 0.0);
        // Longer without work never lowers the priority.
        assert!(priority(400, 0, Some(40), &weights).0 >= priority(200, 0, Some(40), &weights).0);
        // The weights are the rule's.
        let no_age = PriorityWeights {
            age_55_plus: 0,
            ..weights
        };
        assert!((priority(365, 2, Some(60), &no_age).0 - 40.0).abs() < 0.01);
    }

    #[test]
    fn age_bands() {
        assert_eq!(age_band(Some(29)), "<30");
        assert_eq!(age_band(Some(30)), "30-39");
        assert_eq!(age_band(Some(50)), "40-54");
        assert_eq!(age_band(Some(55)), "55+");
        assert_eq!(age_band(None), "unknown");
    }

    #[test]
    fn rule_json_rejects_unknown_keys_and_checks_itself() {
        let unknown = serde_json::from_str::<CohortRule>(
            r#"{"ended_from":"2023-01-01","ended_to":"2023-12-31","as_of":"2024-09-01","typo":1}"#,
        );
        assert!(unknown.is_err());
        let backwards: CohortRule = serde_json::from_str(
            r#"{"ended_from":"2024-01-01","ended_to":"2023-12-31","as_of":"2024-09-01"}"#,
        )
        .expect("parses");
        assert_eq!(
            backwards.check().expect_err("checked").code(),
            "invalid_cohort_rule"
        );
    }
}
