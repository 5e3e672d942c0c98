//! Companies, vacancies, job seekers and courses.
//!
//! Personal data (codice fiscale, names, phone) lives only in [`PersonalData`], stored apart from
//! the analytical [`JobSeeker`] record, which is keyed by a pseudonymous [`EntityId`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    Citizenship, CodiceFiscale, ComuneCode, Evidence, Level, OccupationUri, PartitaIva, Sex,
    SkillUri, Weight,
};
use crate::{Error, ErrorCode, Result};

/// The id of a company, vacancy, job seeker or course: 1–64 characters of `[A-Za-z0-9_.-]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EntityId(String);

impl EntityId {
    /// Parses an id.
    pub fn parse(raw: &str) -> Result<Self> {
        let id = raw.trim();
        let ok = !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
        if ok {
            Ok(EntityId(id.to_string()))
        } else {
            Err(Error::invalid(
                ErrorCode::InvalidId,
                format!("id must be 1-64 characters of A-Z a-z 0-9 _ - ., got {id:?}"),
            ))
        }
    }
    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EntityId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EntityId {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        EntityId::parse(&value)
    }
}

impl From<EntityId> for String {
    fn from(value: EntityId) -> Self {
        value.0
    }
}

/// One competence a vacancy requires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requirement {
    /// The ESCO skill.
    pub skill: SkillUri,
    /// The minimum level.
    pub level: Level,
    /// Essential (true) or optional.
    pub essential: bool,
    /// Extra weight set by the validator (1.0 when not given).
    pub weight: Weight,
}

impl Requirement {
    /// An essential requirement of `skill` at `level`, with the neutral weight.
    pub fn essential(skill: SkillUri, level: Level) -> Self {
        Requirement {
            skill,
            level,
            essential: true,
            weight: Weight::NEUTRAL,
        }
    }

    /// An optional requirement of `skill` at `level`, with the neutral weight.
    pub fn optional(skill: SkillUri, level: Level) -> Self {
        Requirement {
            essential: false,
            ..Requirement::essential(skill, level)
        }
    }
}

/// A company and its sites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Company {
    /// Id.
    pub id: EntityId,
    /// Name (denominazione).
    pub name: String,
    /// Codice fiscale of the company (16 or 11 characters).
    pub codice_fiscale: CodiceFiscale,
    /// Partita IVA, when distinct.
    pub partita_iva: Option<PartitaIva>,
    /// ATECO 2007 code, e.g. `17.12.00`.
    pub ateco: Option<String>,
    /// Whether the company offers extracurricular internships (tirocini).
    pub offers_tirocini: bool,
    /// The company's sites.
    pub sites: Vec<Site>,
}

impl Company {
    /// A company with no partita IVA, ATECO code or sites, not offering tirocini; set the other
    /// fields with struct update syntax or [`Company::with_site`].
    pub fn new(id: EntityId, name: impl Into<String>, codice_fiscale: CodiceFiscale) -> Self {
        Company {
            id,
            name: name.into(),
            codice_fiscale,
            partita_iva: None,
            ateco: None,
            offers_tirocini: false,
            sites: Vec::new(),
        }
    }

    /// The company with one more site in `comune` (no street address).
    pub fn with_site(mut self, comune: ComuneCode) -> Self {
        self.sites.push(Site {
            comune,
            address: None,
        });
        self
    }
}

/// A site (sede operativa) of a company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// The comune.
    pub comune: ComuneCode,
    /// Street address.
    pub address: Option<String>,
}

/// How a vacancy places a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlacementType {
    /// An employment contract of a COB `TipologiaContrattuale` type, e.g. `A.02.00`.
    Contract {
        /// Contract type code.
        contract_type: String,
    },
    /// A tirocinio extracurriculare.
    Tirocinio {
        /// Duration in months.
        months: u8,
        /// Monthly indemnity in euro.
        monthly_indemnity_eur: u32,
    },
}

impl PlacementType {
    /// True for a tirocinio.
    pub fn is_tirocinio(&self) -> bool {
        matches!(self, PlacementType::Tirocinio { .. })
    }
}

/// Who published a vacancy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VacancySource {
    /// The public job centre.
    Public,
    /// A named private agency.
    Agency {
        /// The agency's name.
        name: String,
    },
}

/// Workflow status of a vacancy's competence breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum VacancyStatus {
    /// Being written.
    Draft,
    /// Checked by a competency validator.
    Validated {
        /// The validator's name.
        by: String,
        /// When.
        on: NaiveDate,
    },
    /// No longer open.
    Closed,
}

/// A vacancy, broken down into competences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vacancy {
    /// Id.
    pub id: EntityId,
    /// The company.
    pub company_id: EntityId,
    /// Title.
    pub title: String,
    /// Free-text description.
    pub description: String,
    /// The ESCO occupation, if chosen.
    pub occupation: Option<OccupationUri>,
    /// Where the job is.
    pub comune: ComuneCode,
    /// Contract or tirocinio.
    pub placement: PlacementType,
    /// How many people are wanted.
    pub positions: u16,
    /// Open from.
    pub opens: NaiveDate,
    /// Open until (inclusive), if set.
    pub closes: Option<NaiveDate>,
    /// Who published it.
    pub source: VacancySource,
    /// Workflow status.
    pub status: VacancyStatus,
    /// Weekly hours of the job, when stated (checked against a person's conditions).
    #[serde(default)]
    pub weekly_hours: Option<u8>,
    /// The competence breakdown.
    pub requirements: Vec<Requirement>,
}

impl Vacancy {
    /// A draft vacancy for one position under an open-ended contract (COB `A.01.00`), published
    /// by the public service, open from `opens` with no closing day, no description, occupation,
    /// hours or requirements. Set the rest with struct update syntax:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use incontro_core::model::{ComuneCode, EntityId, Level, Requirement, SkillUri, Vacancy};
    ///
    /// # fn main() -> incontro_core::Result<()> {
    /// let welding = SkillUri::parse("http://data.europa.eu/esco/skill/2fcd95a4-1f9a-41cf-95a9-4701bde476b4")?;
    /// let opens = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    /// let vacancy = Vacancy {
    ///     positions: 2,
    ///     requirements: vec![Requirement::essential(welding, Level::new(3)?)],
    ///     ..Vacancy::draft("V1".parse()?, "C1".parse()?, "Saldatore", "E715".parse()?, opens)
    /// };
    /// assert!(!vacancy.is_offerable_on(opens)); // a draft is never offered
    /// let vacancy = vacancy.validated("Paolo Giusti", opens);
    /// assert!(vacancy.is_offerable_on(opens));
    /// # Ok(())
    /// # }
    /// ```
    pub fn draft(
        id: EntityId,
        company_id: EntityId,
        title: impl Into<String>,
        comune: ComuneCode,
        opens: NaiveDate,
    ) -> Self {
        Vacancy {
            id,
            company_id,
            title: title.into(),
            description: String::new(),
            occupation: None,
            comune,
            placement: PlacementType::Contract {
                contract_type: "A.01.00".into(),
            },
            positions: 1,
            opens,
            closes: None,
            source: VacancySource::Public,
            status: VacancyStatus::Draft,
            weekly_hours: None,
            requirements: Vec::new(),
        }
    }

    /// The vacancy validated by `by` on `on`.
    pub fn validated(self, by: impl Into<String>, on: NaiveDate) -> Self {
        Vacancy {
            status: VacancyStatus::Validated { by: by.into(), on },
            ..self
        }
    }

    /// True when the vacancy is open on `day` (validated or draft, within its dates).
    pub fn is_open_on(&self, day: NaiveDate) -> bool {
        !matches!(self.status, VacancyStatus::Closed)
            && self.opens <= day
            && self.closes.is_none_or(|closes| day <= closes)
    }

    /// True when the vacancy may be offered to people on `day`: validated, open within its
    /// dates, and with at least one competence. Drafts and empty breakdowns are never offered
    /// (ranked vacancies, candidates, course doors). See: issue 14
    pub fn is_offerable_on(&self, day: NaiveDate) -> bool {
        matches!(self.status, VacancyStatus::Validated { .. })
            && self.is_open_on(day)
            && !self.requirements.is_empty()
    }
}

/// Highest education level (simplified ISCED).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EducationLevel {
    /// Up to licenza media (ISCED 0–2).
    LowerSecondary,
    /// Qualifica professionale (ISCED 3, vocational 3 years).
    Vocational,
    /// Diploma (ISCED 3).
    UpperSecondary,
    /// ITS or laurea triennale (ISCED 5–6).
    Bachelor,
    /// Laurea magistrale or above (ISCED 7–8).
    Master,
}

impl EducationLevel {
    /// Parses the snake_case name.
    pub fn parse(raw: &str) -> Result<Self> {
        serde_json::from_value(serde_json::Value::String(raw.trim().to_string())).map_err(|_| {
            Error::invalid(
                ErrorCode::InvalidEducation,
                format!("unknown education level {:?}", raw.trim()),
            )
        })
    }
}

/// Personal data of a job seeker, kept apart from the analytical record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalData {
    /// Codice fiscale.
    pub codice_fiscale: CodiceFiscale,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Mobile phone, if known.
    pub mobile: Option<String>,
    /// E-mail, if known.
    pub email: Option<String>,
}

/// A job seeker's analytical record (no direct identifiers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobSeeker {
    /// Pseudonymous id.
    pub id: EntityId,
    /// Year of birth.
    pub birth_year: u16,
    /// Sex.
    pub sex: Sex,
    /// Comune of domicile.
    pub comune: ComuneCode,
    /// Education.
    pub education: EducationLevel,
    /// Available from this date.
    pub available_from: Option<NaiveDate>,
    /// Willing to do a tirocinio.
    pub accepts_tirocinio: bool,
    /// Has a recognised disability (L. 68/99): tirocini up to 24 months.
    pub disability: bool,
    /// Citizenship group, when recorded: only for the bias report, never a matching input.
    #[serde(default)]
    pub citizenship: Option<Citizenship>,
    /// The person's own conditions besides tirocini (contract types, hours, distance), recorded
    /// by desk staff at the first interview.
    #[serde(default)]
    pub conditions: WorkConditions,
    /// Competences with evidence.
    pub competences: Vec<Competence>,
    /// Past jobs.
    pub work_history: Vec<PastJob>,
}

/// What a person declared they accept, beside tirocini ([`JobSeeker::accepts_tirocinio`]).
/// Every field unset means "anything". See: issue 14
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkConditions {
    /// COB contract types accepted (e.g. `A.02.00`, `A.03.00`); empty: any.
    #[serde(default)]
    pub contract_types: Vec<String>,
    /// Fewest weekly hours accepted.
    #[serde(default)]
    pub min_weekly_hours: Option<u8>,
    /// Most weekly hours accepted.
    #[serde(default)]
    pub max_weekly_hours: Option<u8>,
    /// Farthest workplace accepted, in km from the comune of domicile.
    #[serde(default)]
    pub max_distance_km: Option<u16>,
}

/// One condition of a person that a vacancy does not meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnmetCondition {
    /// A tirocinio for someone who does not accept tirocini.
    Tirocinio,
    /// A contract type the person did not list.
    ContractType,
    /// Weekly hours outside the person's range.
    Hours,
    /// Farther than the person's maximum distance.
    Distance,
}

impl UnmetCondition {
    /// Italian text for the desk.
    pub fn describe_it(self) -> &'static str {
        match self {
            UnmetCondition::Tirocinio => "non accetta tirocini",
            UnmetCondition::ContractType => "tipo di contratto non accettato",
            UnmetCondition::Hours => "orario fuori da quello indicato",
            UnmetCondition::Distance => "oltre la distanza massima indicata",
        }
    }

    /// English text.
    pub fn describe_en(self) -> &'static str {
        match self {
            UnmetCondition::Tirocinio => "does not accept tirocini",
            UnmetCondition::ContractType => "contract type not accepted",
            UnmetCondition::Hours => "hours outside the stated range",
            UnmetCondition::Distance => "beyond the stated maximum distance",
        }
    }
}

impl JobSeeker {
    /// A person with no competences, work history, recorded conditions, citizenship or
    /// availability date, not declared disabled and not (yet) accepting tirocini; set the rest
    /// with struct update syntax.
    pub fn new(
        id: EntityId,
        birth_year: u16,
        sex: Sex,
        comune: ComuneCode,
        education: EducationLevel,
    ) -> Self {
        JobSeeker {
            id,
            birth_year,
            sex,
            comune,
            education,
            available_from: None,
            accepts_tirocinio: false,
            disability: false,
            citizenship: None,
            conditions: WorkConditions::default(),
            competences: Vec::new(),
            work_history: Vec::new(),
        }
    }

    /// The person's conditions that a vacancy does not meet (empty: it suits them), given the
    /// distance from home when known. A stated condition the vacancy says nothing about (no
    /// hours, unknown distance) is not counted as unmet: the desk checks it.
    pub fn unmet_conditions(
        &self,
        placement: &PlacementType,
        weekly_hours: Option<u8>,
        distance_km: Option<f64>,
    ) -> Vec<UnmetCondition> {
        unmet_conditions(
            self.accepts_tirocinio,
            &self.conditions,
            placement,
            weekly_hours,
            distance_km,
        )
    }
}

/// [`JobSeeker::unmet_conditions`] from the conditions alone.
pub fn unmet_conditions(
    accepts_tirocinio: bool,
    conditions: &WorkConditions,
    placement: &PlacementType,
    weekly_hours: Option<u8>,
    distance_km: Option<f64>,
) -> Vec<UnmetCondition> {
    let mut unmet = Vec::new();
    match placement {
        PlacementType::Tirocinio { .. } if !accepts_tirocinio => {
            unmet.push(UnmetCondition::Tirocinio);
        }
        PlacementType::Contract { contract_type }
            if !conditions.contract_types.is_empty()
                && !conditions.contract_types.contains(contract_type) =>
        {
            unmet.push(UnmetCondition::ContractType);
        }
        _ => {}
    }
    if let Some(hours) = weekly_hours {
        let too_few = conditions.min_weekly_hours.is_some_and(|min| hours < min);
        let too_many = conditions.max_weekly_hours.is_some_and(|max| hours > max);
        if too_few || too_many {
            unmet.push(UnmetCondition::Hours);
        }
    }
    if let (Some(max), Some(distance)) = (conditions.max_distance_km, distance_km) {
        if distance > f64::from(max) {
            unmet.push(UnmetCondition::Distance);
        }
    }
    unmet
}

/// One competence of a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Competence {
    /// The ESCO skill.
    pub skill: SkillUri,
    /// Level.
    pub level: Level,
    /// Where it comes from.
    pub evidence: Evidence,
    /// When it was asserted.
    pub since: Option<NaiveDate>,
    /// Free-text note on the evidence (course id, assessor, spell…).
    pub note: Option<String>,
}

impl Competence {
    /// A competence of `skill` at `level` from `evidence`, with no date or note.
    pub fn new(skill: SkillUri, level: Level, evidence: Evidence) -> Self {
        Competence {
            skill,
            level,
            evidence,
            since: None,
            note: None,
        }
    }
}

/// How a past job's occupation is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scheme", content = "code", rename_all = "snake_case")]
pub enum OccupationCode {
    /// An ESCO occupation.
    Esco(OccupationUri),
    /// An ISCO-08 code (1–4 digits).
    Isco08(String),
    /// An Italian CP2011 code (`d.d.d.d.d`, optionally a 6th COB segment).
    Cp2011(String),
}

/// A past job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastJob {
    /// The occupation.
    pub occupation: OccupationCode,
    /// Start date.
    pub start: NaiveDate,
    /// End date (None = still in this job).
    pub end: Option<NaiveDate>,
    /// Employer's name, free text.
    pub employer: Option<String>,
}

/// Delivery mode of a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// In presence.
    InPresence,
    /// Online.
    Online,
    /// Blended.
    Blended,
}

impl Modality {
    /// Parses the snake_case name (Italian synonyms accepted).
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "in_presence" | "presenza" | "in presenza" => Ok(Modality::InPresence),
            "online" | "distanza" | "fad" => Ok(Modality::Online),
            "blended" | "mista" => Ok(Modality::Blended),
            other => Err(Error::invalid(
                ErrorCode::InvalidModality,
                format!("unknown modality {other:?}"),
            )),
        }
    }
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::InPresence => "in_presence",
            Modality::Online => "online",
            Modality::Blended => "blended",
        }
    }
}

/// The GOL path a course belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GolPath {
    /// Reinserimento lavorativo.
    Reinserimento,
    /// Aggiornamento (upskilling).
    Upskilling,
    /// Riqualificazione (reskilling).
    Reskilling,
    /// Lavoro e inclusione.
    LavoroInclusione,
}

impl GolPath {
    /// Parses the snake_case name (Italian synonyms accepted).
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "reinserimento" => Ok(GolPath::Reinserimento),
            "upskilling" | "aggiornamento" => Ok(GolPath::Upskilling),
            "reskilling" | "riqualificazione" => Ok(GolPath::Reskilling),
            "lavoro_inclusione" | "lavoro e inclusione" => Ok(GolPath::LavoroInclusione),
            other => Err(Error::invalid(
                ErrorCode::InvalidGolPath,
                format!("unknown GOL path {other:?}"),
            )),
        }
    }
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            GolPath::Reinserimento => "reinserimento",
            GolPath::Upskilling => "upskilling",
            GolPath::Reskilling => "reskilling",
            GolPath::LavoroInclusione => "lavoro_inclusione",
        }
    }
}

/// A training course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Course {
    /// Id.
    pub id: EntityId,
    /// Title.
    pub title: String,
    /// Training provider.
    pub provider: String,
    /// Length in hours.
    pub hours: u16,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Delivery mode.
    pub modality: Modality,
    /// Where (for in-presence and blended courses).
    pub comune: Option<ComuneCode>,
    /// Seats available.
    pub seats: u32,
    /// Cost per participant in euro (0 = free, e.g. GOL-funded).
    pub cost_eur: u32,
    /// Certification issued, if any.
    pub certification: Option<String>,
    /// GOL path.
    pub gol_path: Option<GolPath>,
    /// Competences taught, each with the level reached.
    pub teaches: Vec<(SkillUri, Level)>,
}

impl Course {
    /// An online course of `hours` hours from `start` to `end` with `seats` seats, free of
    /// charge, with no certification, GOL path or competences taught yet; set the rest (an
    /// in-presence course's comune, what it teaches) with struct update syntax.
    pub fn new(
        id: EntityId,
        title: impl Into<String>,
        provider: impl Into<String>,
        hours: u16,
        (start, end): (NaiveDate, NaiveDate),
        seats: u32,
    ) -> Self {
        Course {
            id,
            title: title.into(),
            provider: provider.into(),
            hours,
            start,
            end,
            modality: Modality::Online,
            comune: None,
            seats,
            cost_eur: 0,
            certification: None,
            gol_path: None,
            teaches: Vec::new(),
        }
    }
}
