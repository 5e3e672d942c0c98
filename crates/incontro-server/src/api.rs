//! Wire types: query parameters, request bodies (every write body refuses unknown fields, so a
//! client cannot set what it may not — status, validator, dates of validation) and responses.
//!
//! Bodies convert into the engine's checked model types here ("parse, don't validate"); engine
//! results are wrapped in small envelopes with paging fields.

use chrono::NaiveDate;
use incontro_core::model::{
    CodiceFiscale, Company, ComuneCode, EntityId, OccupationUri, PartitaIva, PlacementType,
    Requirement, Site, SkillUri, Vacancy, VacancySource, VacancyStatus, Weight,
};
use incontro_core::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};

/// `?lang=` (default `it`).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LangParams {
    /// Label language (`it`, `en`, …); falls back to English, then any.
    pub lang: Option<String>,
}

/// Checks a language code (2-3 letters), default `it`.
pub fn language(raw: Option<&str>) -> ApiResult<String> {
    let Some(raw) = raw else {
        return Ok("it".to_string());
    };
    let ok = (2..=3).contains(&raw.len()) && raw.bytes().all(|byte| byte.is_ascii_alphabetic());
    if ok {
        Ok(raw.to_ascii_lowercase())
    } else {
        Err(ApiError::invalid(
            ErrorCode::InvalidLanguage,
            "lang must be a 2-3 letter language code",
        ))
    }
}

/// Checks a page: `limit` 1..=`max` (default 20), `offset` ≤ 100000.
pub fn page(limit: Option<usize>, offset: Option<usize>, max: usize) -> ApiResult<(usize, usize)> {
    let limit = limit.unwrap_or(20.min(max));
    if limit == 0 || limit > max {
        return Err(ApiError::invalid(
            ErrorCode::InvalidLimit,
            format!("limit must be 1 to {max}"),
        ));
    }
    let offset = offset.unwrap_or(0);
    if offset > 100_000 {
        return Err(ApiError::invalid(
            ErrorCode::InvalidOffset,
            "offset must be at most 100000",
        ));
    }
    Ok((limit, offset))
}

/// Parses a path id.
pub fn entity_id(raw: &str) -> ApiResult<EntityId> {
    EntityId::parse(raw).map_err(ApiError::from)
}

/// Skill type-ahead parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SkillSearchParams {
    /// What the user typed (1-100 characters), any language, typos tolerated.
    pub q: String,
    /// Label language of the results.
    pub lang: Option<String>,
    /// At most this many results (1-50, default 10).
    pub limit: Option<usize>,
}

/// Occupation search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OccupationSearchParams {
    /// Words every matching label contains (any language).
    pub q: String,
    /// Label language of the results.
    pub lang: Option<String>,
    /// Page size.
    pub limit: Option<usize>,
    /// Results to skip.
    pub offset: Option<usize>,
}

/// Paging parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size (1 to the configured maximum, default 20).
    pub limit: Option<usize>,
    /// Results to skip.
    pub offset: Option<usize>,
}

/// Vacancy listing parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VacancyListParams {
    /// Only this company.
    pub company_id: Option<String>,
    /// Only this comune (ISTAT/cadastral code, e.g. `L833`).
    pub comune: Option<String>,
    /// Only `draft`, `validated` or `closed`.
    #[param(value_type = Option<String>)]
    pub status: Option<incontro_core::access::StatusFilter>,
    /// Page size.
    pub limit: Option<usize>,
    /// Results to skip.
    pub offset: Option<usize>,
}

/// Matching parameters (both directions).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MatchParams {
    /// How many results (1 to the configured maximum, default 10).
    pub k: Option<usize>,
    /// Results to skip.
    pub offset: Option<usize>,
    /// Exact coverage instead of the default mode (related competences credited).
    pub exact: Option<bool>,
    /// Only within this many km (of the person's home, or of `near` when given).
    pub near_km: Option<f64>,
    /// Centre of `near_km` (a comune code); alone, within 30 km of it, as on the console.
    pub near: Option<String>,
    /// Only tirocini (true) or only contracts (false).
    pub tirocinio: Option<bool>,
    /// Only this COB contract type (e.g. `A.02.00`).
    pub contract_type: Option<String>,
    /// Only public job-centre (true) or private-agency (false) vacancies.
    pub public_source: Option<bool>,
    /// Only results scoring at least this much (0-1).
    pub min_score: Option<f32>,
    /// Also list what the person's own conditions rule out, last and marked (default false).
    pub include_unsuitable: Option<bool>,
    /// Label language of the explanations.
    pub lang: Option<String>,
}

/// The radius of `near` given without `near_km` (the console's default too).
pub const NEAR_DEFAULT_KM: f64 = 30.0;

impl MatchParams {
    /// The engine query; `home` is the default centre of `near_km`.
    pub fn to_query(
        &self,
        max_k: usize,
        home: Option<&ComuneCode>,
    ) -> ApiResult<incontro_core::matching::MatchQuery> {
        let k = self.k.unwrap_or(10);
        if k == 0 || k > max_k {
            return Err(ApiError::invalid(
                ErrorCode::InvalidK,
                format!("k must be 1 to {max_k}"),
            ));
        }
        let near = match (self.near_km, &self.near) {
            (None, None) => None,
            (None, Some(code)) => Some((ComuneCode::parse(code)?, NEAR_DEFAULT_KM)),
            (Some(km), centre) => {
                let centre = match centre {
                    Some(code) => ComuneCode::parse(code)?,
                    None => home.cloned().ok_or_else(|| {
                        ApiError::invalid(
                            ErrorCode::InvalidDistance,
                            "near_km needs a centre: give near",
                        )
                    })?,
                };
                Some((centre, km))
            }
        };
        Ok(incontro_core::matching::MatchQuery {
            k,
            offset: self.offset.unwrap_or(0),
            exact: self.exact.unwrap_or(false),
            near,
            tirocinio: self.tirocinio,
            contract_type: self.contract_type.clone(),
            public_source: self.public_source,
            min_score: self.min_score.unwrap_or(0.0),
            include_unsuitable: self.include_unsuitable.unwrap_or(false),
            scope: None,
        })
    }
}

/// Explanation parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExplainParams {
    /// Exact coverage instead of the default mode.
    pub exact: Option<bool>,
    /// Label language.
    pub lang: Option<String>,
}

/// Audit query parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only this person (pseudonymous id).
    pub person_id: Option<String>,
    /// Only this key id.
    pub key_id: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// From this time (RFC 3339, inclusive).
    pub since: Option<String>,
    /// Before this time (RFC 3339, exclusive).
    pub until: Option<String>,
    /// Page size.
    pub limit: Option<usize>,
    /// Rows to skip.
    pub offset: Option<usize>,
}

/// A company site.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteBody {
    /// Comune code (e.g. `L833`).
    pub comune: String,
    /// Street address.
    pub address: Option<String>,
}

/// A company to create (`id` required) or replace (`id` absent or equal to the path's).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyBody {
    /// Id (1-64 of `A-Z a-z 0-9 _ - .`).
    pub id: Option<String>,
    /// Name (denominazione), 1-200 characters.
    pub name: String,
    /// The company's codice fiscale (11 digits or 16 characters).
    pub codice_fiscale: String,
    /// Partita IVA, when distinct.
    pub partita_iva: Option<String>,
    /// ATECO 2007 code.
    pub ateco: Option<String>,
    /// Offers tirocini.
    #[serde(default)]
    pub offers_tirocini: bool,
    /// Sites (at least one).
    pub sites: Vec<SiteBody>,
}

fn text(field: &'static str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(Error::invalid(
            ErrorCode::InvalidField,
            format!("{field} must be 1-{max} characters"),
        ));
    }
    Ok(value.to_string())
}

/// The id of a create (required) or replace (absent or equal to `path_id`).
fn body_id(body_id: Option<&str>, path_id: Option<&EntityId>) -> Result<EntityId> {
    match (body_id, path_id) {
        (Some(raw), None) => EntityId::parse(raw),
        (None, None) => Err(Error::invalid(ErrorCode::MissingId, "id is required")),
        (None, Some(path)) => Ok(path.clone()),
        (Some(raw), Some(path)) => {
            let id = EntityId::parse(raw)?;
            if &id == path {
                Ok(id)
            } else {
                Err(Error::invalid(
                    ErrorCode::IdMismatch,
                    "body id differs from the path",
                ))
            }
        }
    }
}

impl CompanyBody {
    /// The checked company; `path_id` is the id of a replace.
    pub fn into_company(self, path_id: Option<&EntityId>) -> Result<Company> {
        if self.sites.is_empty() {
            return Err(Error::invalid(
                ErrorCode::InvalidField,
                "a company needs at least one site",
            ));
        }
        let mut sites = Vec::with_capacity(self.sites.len());
        for site in self.sites {
            sites.push(Site {
                comune: ComuneCode::parse(&site.comune)?,
                address: site
                    .address
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty()),
            });
        }
        Ok(Company {
            id: body_id(self.id.as_deref(), path_id)?,
            name: text("name", &self.name, 200)?,
            codice_fiscale: CodiceFiscale::parse(&self.codice_fiscale)?,
            partita_iva: self
                .partita_iva
                .as_deref()
                .map(PartitaIva::parse)
                .transpose()?,
            ateco: self
                .ateco
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty()),
            offers_tirocini: self.offers_tirocini,
            sites,
        })
    }
}

/// How a vacancy places a person.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PlacementBody {
    /// An employment contract.
    Contract {
        /// COB contract type, e.g. `A.02.00`.
        contract_type: String,
    },
    /// A tirocinio extracurriculare.
    Tirocinio {
        /// Months (1-24).
        #[serde(deserialize_with = "whole_number::deserialize")]
        months: u8,
        /// Monthly indemnity in euro.
        #[serde(deserialize_with = "whole_number::deserialize")]
        monthly_indemnity_eur: u32,
    },
}

/// Who publishes a vacancy.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum SourceBody {
    /// The public job centre.
    Public,
    /// A private agency.
    Agency {
        /// Its name.
        name: String,
    },
}

/// One required competence.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementBody {
    /// ESCO skill URI.
    pub skill: String,
    /// Minimum level 1-4 (base, intermedio, avanzato, esperto).
    #[serde(deserialize_with = "whole_number::deserialize")]
    pub level: u8,
    /// Essential (default) or optional.
    #[serde(default = "yes")]
    pub essential: bool,
    /// Extra weight (default 1).
    pub weight: Option<f32>,
}

fn yes() -> bool {
    true
}

impl RequirementBody {
    fn into_requirement(self) -> Result<Requirement> {
        Ok(Requirement {
            skill: SkillUri::parse(&self.skill)?,
            level: incontro_core::model::Level::new(self.level)?,
            essential: self.essential,
            weight: Weight::new(self.weight.unwrap_or(1.0))?,
        })
    }
}

/// Converts requirement bodies.
pub fn requirements(bodies: Vec<RequirementBody>) -> Result<Vec<Requirement>> {
    if bodies.len() > 200 {
        return Err(Error::invalid(
            ErrorCode::TooManyRequirements,
            "a vacancy has at most 200 requirements",
        ));
    }
    bodies
        .into_iter()
        .map(RequirementBody::into_requirement)
        .collect()
}

/// A vacancy to create (`id` required; it starts as a draft) or replace (it goes back to draft).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VacancyBody {
    /// Id.
    pub id: Option<String>,
    /// The company (must exist and be visible to the caller).
    pub company_id: String,
    /// Title, 1-200 characters.
    pub title: String,
    /// Description, up to 10000 characters.
    #[serde(default)]
    pub description: String,
    /// ESCO occupation URI.
    pub occupation: Option<String>,
    /// Where the job is (comune code).
    pub comune: String,
    /// Contract or tirocinio.
    pub placement: PlacementBody,
    /// How many people (1-1000).
    #[serde(deserialize_with = "whole_number::deserialize")]
    pub positions: u16,
    /// Open from.
    #[schema(value_type = String, format = Date)]
    pub opens: NaiveDate,
    /// Open until (inclusive).
    #[schema(value_type = Option<String>, format = Date)]
    pub closes: Option<NaiveDate>,
    /// Who publishes it.
    pub source: SourceBody,
    /// Weekly hours (1-60), when stated; checked against people's declared hours.
    #[serde(default, deserialize_with = "whole_number::option")]
    pub weekly_hours: Option<u8>,
    /// The competence breakdown.
    #[serde(default)]
    pub requirements: Vec<RequirementBody>,
}

impl VacancyBody {
    /// The checked vacancy (a draft); `path_id` is the id of a replace.
    pub fn into_vacancy(self, path_id: Option<&EntityId>) -> Result<Vacancy> {
        if !(1..=1000).contains(&self.positions) {
            return Err(Error::invalid(
                ErrorCode::InvalidField,
                "positions must be 1-1000",
            ));
        }
        if self
            .weekly_hours
            .is_some_and(|hours| !(1..=60).contains(&hours))
        {
            return Err(Error::invalid(
                ErrorCode::InvalidField,
                "weekly_hours must be 1-60",
            ));
        }
        if self.description.chars().count() > 10_000 {
            return Err(Error::invalid(
                ErrorCode::InvalidField,
                "description must be at most 10000 characters",
            ));
        }
        if self.closes.is_some_and(|closes| closes < self.opens) {
            return Err(Error::invalid(
                ErrorCode::InvalidField,
                "closes is before opens",
            ));
        }
        let placement = match self.placement {
            PlacementBody::Contract { contract_type } => PlacementType::Contract {
                contract_type: text("contract_type", &contract_type, 20)?,
            },
            PlacementBody::Tirocinio {
                months,
                monthly_indemnity_eur,
            } => {
                if !(1..=24).contains(&months) {
                    return Err(Error::invalid(
                        ErrorCode::InvalidField,
                        "months must be 1-24",
                    ));
                }
                PlacementType::Tirocinio {
                    months,
                    monthly_indemnity_eur,
                }
            }
        };
        let source = match self.source {
            SourceBody::Public => VacancySource::Public,
            SourceBody::Agency { name } => VacancySource::Agency {
                name: text("agency name", &name, 200)?,
            },
        };
        Ok(Vacancy {
            id: body_id(self.id.as_deref(), path_id)?,
            company_id: EntityId::parse(&self.company_id)?,
            title: text("title", &self.title, 200)?,
            description: self.description.trim().to_string(),
            occupation: self
                .occupation
                .as_deref()
                .map(OccupationUri::parse)
                .transpose()?,
            comune: ComuneCode::parse(&self.comune)?,
            placement,
            positions: self.positions,
            opens: self.opens,
            closes: self.closes,
            source,
            status: VacancyStatus::Draft,
            weekly_hours: self.weekly_hours,
            requirements: requirements(self.requirements)?,
        })
    }
}

/// A new competence breakdown.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementsBody {
    /// The requirements (replacing the current ones).
    pub requirements: Vec<RequirementBody>,
}

/// Find a job seeker by codice fiscale (in the body, so it never appears in a URL or log).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupBody {
    /// The codice fiscale.
    pub codice_fiscale: String,
}

/// A list of results with paging.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    /// The results.
    pub items: Vec<T>,
    /// How many match in all (when known).
    pub total: Option<usize>,
    /// Page size asked for.
    pub limit: usize,
    /// Results skipped.
    pub offset: usize,
}

/// One requirement of a vacancy, with its label.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequirementView {
    /// ESCO skill URI.
    pub skill: String,
    /// Preferred label in the language asked for (empty when the skill is not in the taxonomy).
    pub label: String,
    /// Minimum level 1-4.
    pub level: u8,
    /// Level name in Italian.
    pub level_name: String,
    /// Essential or optional.
    pub essential: bool,
    /// Weight.
    pub weight: f32,
}

/// A vacancy's competence breakdown and workflow status.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequirementsView {
    /// The vacancy.
    pub vacancy_id: String,
    /// Workflow status (`draft`; `validated` with `by` and `on`; `closed`).
    #[schema(value_type = Object)]
    pub status: VacancyStatus,
    /// Essential requirements.
    pub essential: Vec<RequirementView>,
    /// Optional requirements.
    pub optional: Vec<RequirementView>,
}

/// Items of one person.
#[derive(Debug, Serialize)]
pub struct PersonItems<T> {
    /// The person's pseudonymous id.
    pub job_seeker_id: String,
    /// The items.
    pub items: Vec<T>,
}

/// The shape of [`Page`] in the OpenAPI document.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Page)]
pub struct PageDoc {
    /// The results.
    pub items: Vec<serde_json::Value>,
    /// How many match in all (when known).
    pub total: Option<usize>,
    /// Page size asked for.
    pub limit: usize,
    /// Results skipped.
    pub offset: usize,
}

/// The shape of [`PersonItems`] in the OpenAPI document.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PersonItems)]
pub struct PersonItemsDoc {
    /// The person's pseudonymous id.
    pub job_seeker_id: String,
    /// The items.
    pub items: Vec<serde_json::Value>,
}

/// The job seeker a lookup found.
#[derive(Debug, Serialize, ToSchema)]
pub struct LookupResult {
    /// Pseudonymous id.
    pub job_seeker_id: String,
}

/// `GET /health`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// The store's data revision.
    pub data_revision: i64,
}

/// Counts (no person in them).
#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    /// Taxonomy counts.
    #[schema(value_type = Object)]
    pub taxonomy: incontro_core::taxonomy::TaxonomyStats,
    /// Rows per entity.
    #[schema(value_type = Object)]
    pub entities: std::collections::BTreeMap<String, i64>,
}

/// Mutation fuzzing of the API's JSON bodies (issue 21): any bytes, and valid bodies with a field
/// mutated, deserialize into the wire type or are refused, and the conversion into the core's
/// checked types answers or refuses, never panics. `scripts/fuzz.sh` runs it with many cases.
#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;
    use serde_json::{json, Value};

    use super::*;

    fn cases() -> u32 {
        std::env::var("INCONTRO_FUZZ_CASES")
            .ok()
            .and_then(|raw| raw.parse().ok())
            .unwrap_or(64)
    }

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_map(|n| serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)),
            "\\PC{0,40}".prop_map(Value::from),
            Just(Value::from("E715")),
            Just(Value::from("2026-01-01")),
            Just(Value::from(format!(
                "http://data.europa.eu/esco/skill/{}",
                "8d4271ca-c9fd-40b3-875f-15f78332a49e"
            ))),
        ]
    }

    fn bodies() -> Vec<Value> {
        vec![
            json!({"id": "C9", "name": "Officine", "codice_fiscale": "02100000468", "offers_tirocini": true,
                   "sites": [{"comune": "E715", "address": "Via Roma 1"}]}),
            json!({"id": "V9", "company_id": "C01", "title": "Saldatore", "description": "x", "comune": "B648",
                   "placement": {"kind": "contract", "contract_type": "A.02.00"}, "positions": 2,
                   "opens": "2026-01-01", "closes": "2030-12-31", "source": {"kind": "public"},
                   "requirements": [{"skill": "http://data.europa.eu/esco/skill/8d4271ca-c9fd-40b3-875f-15f78332a49e", "level": 3}]}),
        ]
    }

    /// A valid body with one field replaced (or removed, or added).
    fn mutated_body() -> impl Strategy<Value = (usize, Value)> {
        (
            0..2usize,
            any::<prop::sample::Index>(),
            scalar(),
            any::<u8>(),
        )
            .prop_map(|(which, field, value, how)| {
                let mut body = bodies()[which].clone();
                if let Some(object) = body.as_object_mut() {
                    let keys: Vec<String> = object.keys().cloned().collect();
                    let key = field.get(&keys).clone();
                    match how % 3 {
                        0 => {
                            object.insert(key, value);
                        }
                        1 => {
                            object.remove(&key);
                        }
                        _ => {
                            object.insert(format!("{key}_x"), value);
                        }
                    }
                }
                (which, body)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_are_parsed_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = serde_json::from_slice::<CompanyBody>(&bytes);
            let _ = serde_json::from_slice::<VacancyBody>(&bytes);
            let _ = serde_json::from_slice::<RequirementsBody>(&bytes);
            let _ = serde_json::from_slice::<LookupBody>(&bytes);
            let _ = serde_json::from_slice::<crate::routes::outreach::AttemptBody>(&bytes);
            let _ = serde_json::from_slice::<crate::routes::placements::PlacementRecordBody>(&bytes);
            let _ = serde_json::from_slice::<crate::routes::suggest::SuggestBody>(&bytes);
            if let Ok(body) = serde_json::from_slice::<crate::routes::suggest::FeedbackBody>(&bytes) {
                let _ = body.into_decisions();
            }
        }

        #[test]
        fn mutated_bodies_convert_or_are_refused((which, body) in mutated_body()) {
            if which == 0 {
                if let Ok(company) = serde_json::from_value::<CompanyBody>(body) {
                    let _ = company.into_company(None);
                }
            } else if let Ok(vacancy) = serde_json::from_value::<VacancyBody>(body) {
                if let Ok(converted) = vacancy.into_vacancy(None) {
                    // What converts is whole: an id and at least its company.
                    prop_assert!(!converted.id.as_str().is_empty());
                }
            }
        }
    }
}

/// Integer fields of the JSON bodies: `3` and `3.0` are the same integer, as JSON Schema's
/// `integer` type (which the OpenAPI document states) says; a fraction, a negative number or a
/// number out of the field's range is refused (`invalid_body`).
pub mod whole_number {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, Deserializer, Unexpected, Visitor};

    struct Whole<T>(PhantomData<T>);

    impl<'de, T: TryFrom<u64>> Visitor<'de> for Whole<T> {
        type Value = T;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a whole number in the field's range")
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
            T::try_from(value).map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
            match u64::try_from(value) {
                Ok(value) => self.visit_u64(value),
                Err(_) => Err(E::invalid_value(Unexpected::Signed(value), &self)),
            }
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
            // 2^64 is exactly representable; every whole f64 below it converts exactly.
            if value.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&value) {
                self.visit_u64(value as u64)
            } else {
                Err(E::invalid_value(Unexpected::Float(value), &self))
            }
        }
    }

    /// A whole number (`3` or `3.0`).
    pub fn deserialize<'de, D: Deserializer<'de>, T: TryFrom<u64>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        deserializer.deserialize_any(Whole(PhantomData))
    }

    struct MaybeWhole<T>(PhantomData<T>);

    impl<'de, T: TryFrom<u64>> Visitor<'de> for MaybeWhole<T> {
        type Value = Option<T>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("null or a whole number in the field's range")
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
            deserialize(deserializer).map(Some)
        }
    }

    /// `null` or a whole number (use with `#[serde(default)]` so that absence is `None`).
    pub fn option<'de, D: Deserializer<'de>, T: TryFrom<u64>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_option(MaybeWhole(PhantomData))
    }

    #[cfg(test)]
    mod tests {
        #[derive(Debug, serde::Deserialize)]
        struct Body {
            #[serde(deserialize_with = "super::deserialize")]
            level: u8,
            #[serde(default, deserialize_with = "super::option")]
            top: Option<usize>,
        }

        fn parse(text: &str) -> Result<Body, String> {
            serde_json::from_str(text).map_err(|error| error.to_string())
        }

        #[test]
        fn integral_floats_are_integers_and_fractions_are_not() {
            let body = parse(r#"{"level": 3.0, "top": 48.0}"#).expect("whole floats");
            assert_eq!((body.level, body.top), (3, Some(48)));
            let body = parse(r#"{"level": 4}"#).expect("plain");
            assert_eq!((body.level, body.top), (4, None));
            assert_eq!(
                parse(r#"{"level": 2, "top": null}"#).expect("null").top,
                None
            );
            for bad in [
                r#"{"level": 3.5}"#,
                r#"{"level": -1}"#,
                r#"{"level": 256}"#,
                r#"{"level": 1e300}"#,
                r#"{"level": "3"}"#,
                r#"{"level": 1, "top": -2.0}"#,
            ] {
                assert!(parse(bad).is_err(), "{bad} accepted");
            }
        }
    }
}
