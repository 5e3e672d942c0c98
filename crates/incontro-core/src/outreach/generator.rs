//! Synthetic COB notices for tests and benchmarks: a metropolitan area (Milan's comuni) over
//! three years with fixed-term contracts, extensions, transformations to open-ended, terminations
//! (and fixed terms that simply expire), tirocini, short jobs, rettifiche and annullamenti.
//! Every codice fiscale is valid (check character computed) and unique per person; notice codes
//! increase in file order; a proroga, trasformazione or cessazione points
//! (`CodiceComunicazionePrecedente`) to the hiring of its rapporto. The output uses the canonical
//! UniLav column names.
//!
//! **Period extracts**: with [`CobGeneratorConfig::extract_from`] only the notices sent from that
//! day to the end of the period are written, as a region's extract cut out of a longer history.
//! **The true list**: with [`CobGeneratorConfig::truth`] the generator also writes who Cob23 should
//! call, computed from each person's true jobs (not from the notices) as a job centre could know
//! them on the rule's `as_of` (a notice counts once sent): a job ended in the window, no new job
//! within six calendar months, no job on `as_of`, tirocini not jobs. Each row says whether the
//! job that ended has any notice in the extract (a fixed-term contract hired before the extract
//! that simply expires leaves none).

use std::io::Write;

use chrono::{Datelike, Duration, NaiveDate};

use crate::model::{CodiceFiscale, PartitaIva};
use crate::seeded::SeededRng;
use crate::{Error, Result};

/// What to generate.
#[derive(Debug, Clone)]
pub struct CobGeneratorConfig {
    /// Number of people.
    pub people: usize,
    /// Random seed (same seed, same file).
    pub seed: u64,
    /// First day of the period.
    pub from: NaiveDate,
    /// Length of the period in days.
    pub days: i64,
    /// Write only the notices sent on or after this day (a period extract).
    pub extract_from: Option<NaiveDate>,
    /// Also compute the true list of people to call for this window.
    pub truth: Option<TruthWindow>,
}

/// The selection the true list is computed for (the defaults of the cohort rule: six calendar
/// months, tirocini not jobs, no short-job tolerance, no other filter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TruthWindow {
    /// First day of the window in which the job ended.
    pub ended_from: NaiveDate,
    /// Last day of that window.
    pub ended_to: NaiveDate,
    /// The reference day.
    pub as_of: NaiveDate,
}

/// One person Cob23 should call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthEntry {
    /// The codice fiscale.
    pub worker: String,
    /// End of the job that ended in the window.
    pub reference_end: NaiveDate,
    /// End of the last job.
    pub last_job_end: NaiveDate,
    /// True when that job has at least one notice in the written file.
    pub in_file: bool,
}

impl CobGeneratorConfig {
    /// `people` people over 2022–2024 with `seed`.
    pub fn new(people: usize, seed: u64) -> Self {
        CobGeneratorConfig {
            people,
            seed,
            from: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default(),
            days: 3 * 365 + 1,
            extract_from: None,
            truth: None,
        }
    }
}

/// Counts of what was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CobGeneratorStats {
    /// People.
    pub people: u64,
    /// Notices (rows).
    pub notices: u64,
    /// Rettifiche among them.
    pub rettifiche: u64,
    /// Annullamenti among them.
    pub annullamenti: u64,
    /// Tirocini hired.
    pub tirocini: u64,
    /// The true list of people to call (with [`CobGeneratorConfig::truth`]).
    pub truth: Vec<TruthEntry>,
}

/// The header written by the generator.
pub const HEADER: &str = "CodiceComunicazione,CodiceComunicazionePrecedente,TipoComunicazione,TipoEvento,DataInvio,CodFiscaleLavoratore,Sesso,DataNascita,ComuneDomicilio,CodFiscaleDatore,DataInizio,DataFine,DataFineProroga,DataTrasformazione,CodTrasformazione,DataCessazione,CodCausa,TipologiaContrattuale,QualificaProfessionaleIstat,Settore,ComuneSedeLavoro";

/// Comuni of the Città metropolitana di Milano (codice catastale), Milan weighted most.
pub const MILAN_COMUNI: [(&str, &str); 10] = [
    ("F205", "Milano"),
    ("I690", "Sesto San Giovanni"),
    ("C707", "Cinisello Balsamo"),
    ("E514", "Legnano"),
    ("H264", "Rho"),
    ("G686", "Pioltello"),
    ("H623", "Rozzano"),
    ("A010", "Abbiategrasso"),
    ("E801", "Magenta"),
    ("D045", "Corsico"),
];

/// COB qualifiche: a CP2011 unit of ISTAT's list (its title and source in `data/cp2011.csv`) and
/// the Ministry's sixth segment.
const QUALIFICHE: [&str; 12] = [
    "5.1.2.2.0.1",
    "5.2.2.3.2.2",
    "4.1.1.1.0.1",
    "4.1.2.3.0.2",
    "8.1.4.1.0.1",
    "8.1.3.1.0.1",
    "5.3.1.1.0.1",
    "7.2.7.2.0.1",
    "6.2.1.2.0.1",
    "3.3.1.2.1.1",
    "2.1.1.4.1.1",
    "5.2.2.1.0.1",
];

const SECTORS: [&str; 10] = [
    "47.11.10", "56.10.11", "56.30.00", "82.20.00", "81.21.00", "49.41.00", "52.10.10", "25.62.00",
    "62.01.00", "86.10.10",
];

const MONTHS: &[u8; 12] = b"ABCDEHLMPRST";

/// A row being written.
#[derive(Default)]
struct Row<'a> {
    previous: Option<u64>,
    kind: &'a str,
    event: &'a str,
    sent: Option<NaiveDate>,
    start: Option<NaiveDate>,
    planned_end: Option<NaiveDate>,
    extension_end: Option<NaiveDate>,
    transformation_date: Option<NaiveDate>,
    transformation: &'a str,
    termination_date: Option<NaiveDate>,
    reason: &'a str,
    contract: &'a str,
}

struct PersonFacts {
    cf: String,
    sex: &'static str,
    birth: NaiveDate,
    domicile: &'static str,
}

struct Writer<W: Write> {
    out: W,
    next_code: u64,
    until: NaiveDate,
    extract_from: Option<NaiveDate>,
    stats: CobGeneratorStats,
    /// Sending days of the notices of the current job (for the true list).
    job_notices: Vec<NaiveDate>,
}

fn date(day: Option<NaiveDate>) -> String {
    day.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

impl<W: Write> Writer<W> {
    /// Writes one notice if it was sent within the period; returns its code.
    #[allow(clippy::too_many_arguments)]
    fn write(
        &mut self,
        person: &PersonFacts,
        employer: &str,
        qualifica: &str,
        sector: &str,
        workplace: &str,
        row: Row<'_>,
    ) -> Result<Option<u64>> {
        let sent = row.sent.unwrap_or(self.until);
        if sent > self.until {
            return Ok(None);
        }
        self.next_code += 1;
        let code = self.next_code;
        if self.extract_from.is_some_and(|from| sent < from) {
            // Sent before the extract: it exists (later notices may point to it), unwritten.
            return Ok(Some(code));
        }
        self.job_notices.push(sent);
        match row.kind {
            "03" => self.stats.rettifiche += 1,
            "04" => self.stats.annullamenti += 1,
            _ => {}
        }
        self.stats.notices += 1;
        writeln!(
            self.out,
            "{code:016},{},{},{},{},{},{},{},{},{employer},{},{},{},{},{},{},{},{},{qualifica},{sector},{workplace}",
            row.previous.map(|p| format!("{p:016}")).unwrap_or_default(),
            row.kind,
            row.event,
            date(Some(sent)),
            person.cf,
            person.sex,
            date(Some(person.birth)),
            person.domicile,
            date(row.start),
            date(row.planned_end),
            date(row.extension_end),
            date(row.transformation_date),
            row.transformation,
            date(row.termination_date),
            row.reason,
            row.contract,
        )
        .map_err(|source| Error::io("generated COB file", source))?;
        Ok(Some(code))
    }
}

/// One job as it truly was, with the sending day of each notice that tells about it.
struct TrueJob {
    start: NaiveDate,
    hire_sent: NaiveDate,
    tirocinio: bool,
    /// Sending day of the annullamento of the hiring.
    annulled_on: Option<NaiveDate>,
    /// `(sent, planned end)` of the hiring, its rettifica and each proroga, in order.
    planned: Vec<(NaiveDate, Option<NaiveDate>)>,
    /// Sending day of the trasformazione to open-ended.
    open_ended_on: Option<NaiveDate>,
    /// `(sent, last day, sending day of its annullamento)` of the cessazione.
    termination: Option<(NaiveDate, NaiveDate, Option<NaiveDate>)>,
    /// At least one of its notices is in the written file.
    in_file: bool,
}

impl TrueJob {
    /// Known on `as_of` (hired and not annulled by notices sent by then).
    fn known(&self, as_of: NaiveDate) -> bool {
        self.hire_sent <= as_of && self.annulled_on.is_none_or(|on| on > as_of)
    }

    /// The end known on `as_of`: a cessazione sent by then and not annulled, else the planned
    /// end once passed.
    fn end(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        if let Some((sent, day, annulled)) = self.termination {
            if sent <= as_of && annulled.is_none_or(|on| on > as_of) {
                return Some(day);
            }
        }
        if self.open_ended_on.is_some_and(|sent| sent <= as_of) {
            return None;
        }
        self.planned
            .iter()
            .rfind(|(sent, _)| *sent <= as_of)
            .and_then(|(_, end)| *end)
            .filter(|end| *end < as_of)
    }

    fn covers(&self, day: NaiveDate, as_of: NaiveDate) -> bool {
        self.start <= day && self.end(as_of).is_none_or(|end| day <= end)
    }
}

/// Whether Cob23 should call this person, from their true jobs (see the module docs).
fn to_call(worker: &str, jobs: &[TrueJob], window: &TruthWindow) -> Option<TruthEntry> {
    let as_of = window.as_of;
    let jobs: Vec<&TrueJob> = jobs
        .iter()
        .filter(|job| job.known(as_of) && !job.tirocinio)
        .collect();
    let (reference, end) = jobs
        .iter()
        .enumerate()
        .filter_map(|(index, job)| Some((index, job.end(as_of)?)))
        .filter(|(_, end)| *end <= window.ended_to)
        .max_by_key(|(index, end)| (*end, jobs[*index].start))?;
    if end < window.ended_from {
        return None;
    }
    let horizon = end.checked_add_months(chrono::Months::new(6))?;
    if as_of < horizon {
        return None;
    }
    let day_after = end + Duration::days(1);
    let rehired = jobs.iter().enumerate().any(|(index, job)| {
        index != reference
            && ((job.start > end && job.start <= horizon)
                || (job.start <= end && job.covers(day_after, as_of)))
    });
    if rehired || jobs.iter().any(|job| job.covers(as_of, as_of)) {
        return None;
    }
    let last_job_end = jobs
        .iter()
        .filter_map(|job| job.end(as_of))
        .max()
        .unwrap_or(end);
    Some(TruthEntry {
        worker: worker.to_string(),
        reference_end: end,
        last_job_end,
        in_file: jobs[reference].in_file,
    })
}

/// Writes the true list as CSV: `codice_fiscale,reference_end,last_job_end,in_file`.
pub fn write_truth(entries: &[TruthEntry], out: impl Write) -> Result<()> {
    let mut out = std::io::BufWriter::new(out);
    let fail = |source| Error::io("true list file", source);
    writeln!(out, "codice_fiscale,reference_end,last_job_end,in_file").map_err(fail)?;
    for entry in entries {
        writeln!(
            out,
            "{},{},{},{}",
            entry.worker, entry.reference_end, entry.last_job_end, entry.in_file
        )
        .map_err(fail)?;
    }
    out.flush().map_err(fail)
}

fn pick<'a, T>(rng: &mut SeededRng, items: &'a [T]) -> &'a T {
    &items[rng.range(0..items.len())]
}

fn person_cf(index: usize, sex_female: bool, birth: NaiveDate, comune: &str) -> Result<String> {
    // Six letters from the index make every person's code unique.
    let mut letters = [b'A'; 6];
    let mut rest = index;
    for letter in letters.iter_mut().rev() {
        *letter = b'A' + (rest % 26) as u8;
        rest /= 26;
    }
    let day = birth.day() + if sex_female { 40 } else { 0 };
    let first15 = format!(
        "{}{:02}{}{:02}{}",
        std::str::from_utf8(&letters).unwrap_or("AAAAAA"),
        birth.year() % 100,
        MONTHS[birth.month0() as usize] as char,
        day,
        comune
    );
    Ok(CodiceFiscale::complete(&first15)?.as_str().to_string())
}

/// The synthetic citizenship and disability of generated person `index`, as its contacts row
/// records them (issue 18: outreach coverage by group). Derived from the index alone, never from
/// the random stream, so adding them left every generated notice as it was: about 14% non-EU,
/// 6% EU, 4% not recorded, the rest Italian; about 5% with a disability, 4% not recorded.
/// `data/generate_demo.py` applies the same rule to the demo's contacts file.
pub fn synthetic_protected_facts(index: usize) -> (Option<&'static str>, Option<bool>) {
    let citizenship = if index % 23 == 11 {
        None
    } else if index % 7 == 3 {
        Some("non_EU")
    } else if index % 17 == 5 {
        Some("EU")
    } else {
        Some("IT")
    };
    let disability = if index % 29 == 13 {
        None
    } else {
        Some(index % 19 == 7)
    };
    (citizenship, disability)
}

/// Writes a synthetic COB CSV file (header included) and returns what it wrote.
pub fn generate_cob(config: &CobGeneratorConfig, out: impl Write) -> Result<CobGeneratorStats> {
    generate_cob_with_contacts(config, out, None::<std::io::Sink>)
}

/// Like [`generate_cob`], also writing a contacts file: a mobile for about 70% of the people
/// (source `SAP`), and a do-not-contact flag for 1%, with [`synthetic_protected_facts`].
pub fn generate_cob_with_contacts<C: Write>(
    config: &CobGeneratorConfig,
    out: impl Write,
    contacts: Option<C>,
) -> Result<CobGeneratorStats> {
    let mut contacts = contacts.map(|c| std::io::BufWriter::with_capacity(1 << 16, c));
    if let Some(contacts) = contacts.as_mut() {
        writeln!(
            contacts,
            "codice_fiscale,kind,value,source,observed_on,display_name,do_not_contact,citizenship,disability"
        )
        .map_err(|source| Error::io("generated contacts file", source))?;
    }
    let mut rng = SeededRng::new(config.seed);
    let until = config.from + Duration::days(config.days - 1);
    let employer_count = (config.people / 8).clamp(20, 200_000);
    let mut employers = Vec::with_capacity(employer_count);
    for index in 0..employer_count {
        let first10 = format!("{:010}", 1_000_000_000 + index * 7919 % 900_000_000);
        employers.push(PartitaIva::complete(&first10)?.as_str().to_string());
    }
    let mut writer = Writer {
        out: std::io::BufWriter::with_capacity(1 << 20, out),
        next_code: 1_000_000_000,
        until,
        extract_from: config.extract_from,
        stats: CobGeneratorStats::default(),
        job_notices: Vec::new(),
    };
    writeln!(writer.out, "{HEADER}").map_err(|source| Error::io("generated COB file", source))?;
    for index in 0..config.people {
        let female = rng.bool(0.5);
        let birth =
            NaiveDate::from_ymd_opt(rng.range(1960..=2004), rng.range(1..=12), rng.range(1..=28))
                .unwrap_or_default();
        let domicile = if rng.bool(0.5) {
            MILAN_COMUNI[0].0
        } else {
            pick(&mut rng, &MILAN_COMUNI).0
        };
        let person = PersonFacts {
            cf: person_cf(index, female, birth, domicile)?,
            sex: if female { "F" } else { "M" },
            birth,
            domicile,
        };
        writer.stats.people += 1;
        if let Some(contacts) = contacts.as_mut() {
            let has_mobile = rng.bool(0.7);
            let objected = rng.bool(0.01);
            if has_mobile || objected {
                let observed = config.from + Duration::days(rng.range(0..config.days));
                let (kind, value) = if has_mobile {
                    (
                        "mobile",
                        format!("3{:09}", rng.range(200_000_000u32..999_999_999)),
                    )
                } else {
                    ("", String::new())
                };
                let (citizenship, disability) = synthetic_protected_facts(index);
                writeln!(
                    contacts,
                    "{},{kind},{value},SAP,{},Persona {index},{objected},{},{}",
                    person.cf,
                    observed.format("%Y-%m-%d"),
                    citizenship.unwrap_or(""),
                    disability.map_or(String::new(), |flag| flag.to_string())
                )
                .map_err(|source| Error::io("generated contacts file", source))?;
            }
        }
        let mut true_jobs: Vec<TrueJob> = Vec::new();
        // Jobs one after another, starting somewhere in the first year (or before the period).
        let mut start = config.from + Duration::days(rng.range(-200..365));
        let qualifica = *pick(&mut rng, &QUALIFICHE);
        while start <= until {
            let employer = pick(&mut rng, &employers).clone();
            let sector = *pick(&mut rng, &SECTORS);
            let workplace = pick(&mut rng, &MILAN_COMUNI).0;
            let roll: f64 = rng.unit();
            let (contract, planned_days): (&str, Option<i64>) = if roll < 0.15 {
                ("A.01.00", None)
            } else if roll < 0.22 {
                ("C.01.00", Some(rng.range(60..=365)))
            } else if roll < 0.30 {
                ("A.03.09", Some(rng.range(365..=1095)))
            } else if roll < 0.40 {
                ("A.06.01", Some(rng.range(7..=180)))
            } else if roll < 0.60 {
                ("A.02.00", Some(rng.range(1..=30)))
            } else {
                ("A.02.00", Some(rng.range(31..=365)))
            };
            if contract == "C.01.00" {
                writer.stats.tirocini += 1;
            }
            let mut planned_end = planned_days.map(|days| start + Duration::days(days));
            writer.job_notices.clear();
            let hired = writer.write(
                &person,
                &employer,
                qualifica,
                sector,
                workplace,
                Row {
                    kind: "01",
                    event: "ASS",
                    sent: Some(start - Duration::days(1)),
                    start: Some(start),
                    planned_end,
                    contract,
                    ..Row::default()
                },
            )?;
            let Some(hiring_code) = hired else { break };
            let mut job = TrueJob {
                start,
                hire_sent: start - Duration::days(1),
                tirocinio: contract == "C.01.00",
                annulled_on: None,
                planned: vec![(start - Duration::days(1), planned_end)],
                open_ended_on: None,
                termination: None,
                in_file: false,
            };
            let mut latest_hiring = hiring_code;
            let mut notices_of_rapporto = 1;
            // A rettifica of the hiring (e.g. a corrected end date).
            if rng.bool(0.03) {
                if let Some(end) = planned_end.as_mut() {
                    *end += Duration::days(rng.range(1..=10));
                }
                job.planned.push((start, planned_end));
                let rettifica = writer.write(
                    &person,
                    &employer,
                    qualifica,
                    sector,
                    workplace,
                    Row {
                        previous: Some(hiring_code),
                        kind: "03",
                        event: "ASS",
                        sent: Some(start),
                        start: Some(start),
                        planned_end,
                        contract,
                        ..Row::default()
                    },
                )?;
                latest_hiring = rettifica.unwrap_or(latest_hiring);
            }
            // An annulled hiring: the job never started.
            if rng.bool(0.01) {
                job.annulled_on = Some(start);
                writer.write(
                    &person,
                    &employer,
                    qualifica,
                    sector,
                    workplace,
                    Row {
                        previous: Some(latest_hiring),
                        kind: "04",
                        event: "ASS",
                        sent: Some(start),
                        start: Some(start),
                        planned_end,
                        contract,
                        ..Row::default()
                    },
                )?;
                job.in_file = !writer.job_notices.is_empty();
                true_jobs.push(job);
                start += Duration::days(rng.range(1..=60));
                continue;
            }
            let mut current_contract = contract;
            // The day of the latest notice so far: each later event comes after it.
            let mut last_event = start;
            // Extensions of longer fixed terms.
            if let Some(end) = planned_end {
                if contract != "C.01.00" && (end - start).num_days() > 30 {
                    let mut end = end;
                    for _ in 0..2 {
                        if !rng.bool(0.3) {
                            break;
                        }
                        let new_end = end + Duration::days(rng.range(30..=180));
                        let proroga = writer.write(
                            &person,
                            &employer,
                            qualifica,
                            sector,
                            workplace,
                            Row {
                                previous: Some(hiring_code),
                                kind: "01",
                                event: "PRO",
                                sent: Some(end - Duration::days(3)),
                                start: Some(start),
                                planned_end: Some(end),
                                extension_end: Some(new_end),
                                contract,
                                ..Row::default()
                            },
                        )?;
                        if proroga.is_some() {
                            job.planned.push((end - Duration::days(3), Some(new_end)));
                        }
                        last_event = last_event.max(end - Duration::days(3));
                        notices_of_rapporto += 1;
                        end = new_end;
                    }
                    planned_end = Some(end);
                    // Transformation to open-ended.
                    if contract == "A.02.00" && rng.bool(0.12) {
                        // After the last proroga: a proroga follows no trasformazione.
                        let day = last_event + Duration::days((end - last_event).num_days() / 2);
                        let transformed = writer.write(
                            &person,
                            &employer,
                            qualifica,
                            sector,
                            workplace,
                            Row {
                                previous: Some(hiring_code),
                                kind: "01",
                                event: "TRS",
                                sent: Some(day + Duration::days(2)),
                                start: Some(start),
                                transformation_date: Some(day),
                                transformation: "DI",
                                contract: "A.01.00",
                                ..Row::default()
                            },
                        )?;
                        if transformed.is_some() {
                            job.open_ended_on = Some(day + Duration::days(2));
                        }
                        last_event = day + Duration::days(2);
                        notices_of_rapporto += 1;
                        planned_end = None;
                        current_contract = "A.01.00";
                    }
                }
            }
            // How it ends.
            let (end, reason) = match planned_end {
                None => {
                    if rng.bool(0.5) {
                        let earliest = (last_event - start).num_days() + 1;
                        let days = rng.range(60.max(earliest)..=900.max(earliest + 60));
                        (
                            Some(start + Duration::days(days)),
                            *pick(&mut rng, &["DV", "LI", "GM", "RC", "PE"]),
                        )
                    } else {
                        (None, "")
                    }
                }
                Some(planned) => {
                    let roll: f64 = rng.unit();
                    // An early end comes after the latest proroga was sent.
                    let earliest = (last_event - start).num_days() + 1;
                    if roll < 0.15 && (planned - start).num_days() > earliest + 10 {
                        let days = rng.range(earliest..(planned - start).num_days());
                        (
                            Some(start + Duration::days(days)),
                            *pick(&mut rng, &["DV", "LI", "PR", "DP"]),
                        )
                    } else if roll < 0.55 {
                        (
                            Some(planned),
                            if current_contract == "C.01.00" {
                                "AL"
                            } else {
                                "TE"
                            },
                        )
                    } else {
                        // Natural expiry: no cessazione notice.
                        (Some(planned), "")
                    }
                }
            };
            if let (Some(end), false) = (end, reason.is_empty()) {
                let ces = writer.write(
                    &person,
                    &employer,
                    qualifica,
                    sector,
                    workplace,
                    Row {
                        previous: Some(hiring_code),
                        kind: "01",
                        event: "CES",
                        sent: Some(end + Duration::days(3)),
                        start: Some(start),
                        planned_end: if current_contract == "A.01.00" {
                            None
                        } else {
                            planned_end
                        },
                        termination_date: Some(end),
                        reason,
                        contract: current_contract,
                        ..Row::default()
                    },
                )?;
                notices_of_rapporto += 1;
                if ces.is_some() {
                    job.termination = Some((end + Duration::days(3), end, None));
                }
                // A cessazione sent by mistake and annulled: the job goes on until its term.
                if let Some(ces) = ces {
                    if notices_of_rapporto > 1 && rng.bool(0.01) {
                        let annulled = writer.write(
                            &person,
                            &employer,
                            qualifica,
                            sector,
                            workplace,
                            Row {
                                previous: Some(ces),
                                kind: "04",
                                event: "CES",
                                sent: Some(end + Duration::days(4)),
                                start: Some(start),
                                termination_date: Some(end),
                                reason,
                                contract: current_contract,
                                ..Row::default()
                            },
                        )?;
                        if annulled.is_some() {
                            if let Some(termination) = job.termination.as_mut() {
                                termination.2 = Some(end + Duration::days(4));
                            }
                        }
                    }
                }
            }
            job.in_file = !writer.job_notices.is_empty();
            true_jobs.push(job);
            let Some(end) = end else { break };
            // The gap before the next job: short for most, long for some.
            let gap = if rng.bool(0.6) {
                rng.range(1..=90)
            } else {
                rng.range(91..=500)
            };
            start = end + Duration::days(gap);
        }
        if let Some(window) = config.truth {
            if let Some(entry) = to_call(&person.cf, &true_jobs, &window) {
                writer.stats.truth.push(entry);
            }
        }
    }
    writer
        .out
        .flush()
        .map_err(|source| Error::io("generated COB file", source))?;
    if let Some(contacts) = contacts.as_mut() {
        contacts
            .flush()
            .map_err(|source| Error::io("generated contacts file", source))?;
    }
    Ok(writer.stats)
}
