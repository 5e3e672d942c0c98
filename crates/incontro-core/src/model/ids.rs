//! Identifiers and small value types of the competence model.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, ErrorCode, Result};

/// Prefix of every ESCO skill concept URI.
pub const ESCO_SKILL_PREFIX: &str = "http://data.europa.eu/esco/skill/";
/// Prefix of every ESCO occupation concept URI.
pub const ESCO_OCCUPATION_PREFIX: &str = "http://data.europa.eu/esco/occupation/";
/// Prefix of ESCO ISCO group URIs.
pub const ESCO_ISCO_PREFIX: &str = "http://data.europa.eu/esco/isco/";

fn check_uri(raw: &str, prefix: &str, code: ErrorCode, what: &str) -> Result<String> {
    let uri = raw.trim();
    let Some(rest) = uri.strip_prefix(prefix) else {
        return Err(Error::invalid(
            code,
            format!("{what} URI must start with {prefix}: {uri:?}"),
        ));
    };
    if rest.is_empty()
        || !rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
    {
        return Err(Error::invalid(
            code,
            format!("malformed {what} URI: {uri:?}"),
        ));
    }
    Ok(uri.to_string())
}

/// An ESCO skill (or knowledge) concept URI.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SkillUri(String);

impl SkillUri {
    /// Parses an ESCO skill URI (`http://data.europa.eu/esco/skill/<id>`).
    pub fn parse(raw: &str) -> Result<Self> {
        check_uri(raw, ESCO_SKILL_PREFIX, ErrorCode::InvalidSkillUri, "skill").map(SkillUri)
    }
    /// The URI.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SkillUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SkillUri({})", self.0)
    }
}

impl fmt::Display for SkillUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for SkillUri {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        SkillUri::parse(&value)
    }
}

impl From<SkillUri> for String {
    fn from(value: SkillUri) -> Self {
        value.0
    }
}

/// An ESCO occupation concept URI.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OccupationUri(String);

impl OccupationUri {
    /// Parses an ESCO occupation URI.
    pub fn parse(raw: &str) -> Result<Self> {
        check_uri(
            raw,
            ESCO_OCCUPATION_PREFIX,
            ErrorCode::InvalidOccupationUri,
            "occupation",
        )
        .map(OccupationUri)
    }
    /// The URI.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for OccupationUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OccupationUri({})", self.0)
    }
}

impl fmt::Display for OccupationUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for OccupationUri {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        OccupationUri::parse(&value)
    }
}

impl From<OccupationUri> for String {
    fn from(value: OccupationUri) -> Self {
        value.0
    }
}

/// Proficiency level on the engine's 1–4 scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Level(u8);

impl Level {
    /// Base (1).
    pub const BASE: Level = Level(1);
    /// Intermedio (2).
    pub const INTERMEDIO: Level = Level(2);
    /// Avanzato (3).
    pub const AVANZATO: Level = Level(3);
    /// Esperto (4).
    pub const ESPERTO: Level = Level(4);

    /// A level from its number, 1..=4.
    pub fn new(value: u8) -> Result<Self> {
        if (1..=4).contains(&value) {
            Ok(Level(value))
        } else {
            Err(Error::invalid(
                ErrorCode::InvalidLevel,
                format!("level must be 1 to 4, got {value}"),
            ))
        }
    }

    /// Parses `1`..`4` or the Italian/English names (base, intermedio, avanzato, esperto).
    pub fn parse(raw: &str) -> Result<Self> {
        let text = raw.trim().to_ascii_lowercase();
        match text.as_str() {
            "base" | "basic" => Ok(Level::BASE),
            "intermedio" | "intermediate" => Ok(Level::INTERMEDIO),
            "avanzato" | "advanced" => Ok(Level::AVANZATO),
            "esperto" | "expert" => Ok(Level::ESPERTO),
            _ => match text.parse::<u8>() {
                Ok(number) => Level::new(number),
                Err(_) => Err(Error::invalid(
                    ErrorCode::InvalidLevel,
                    format!("level must be 1 to 4, got {:?}", raw.trim()),
                )),
            },
        }
    }

    /// The number 1..=4.
    pub fn get(self) -> u8 {
        self.0
    }

    /// The Italian name.
    pub fn name_it(self) -> &'static str {
        ["base", "intermedio", "avanzato", "esperto"][(self.0 - 1) as usize]
    }
}

impl TryFrom<u8> for Level {
    type Error = Error;
    fn try_from(value: u8) -> Result<Self> {
        Level::new(value)
    }
}

impl From<Level> for u8 {
    fn from(value: Level) -> Self {
        value.0
    }
}

/// The validator's extra multiplier on one requirement, finite and in (0, 10]; 1.0 ([`Weight::NEUTRAL`])
/// when not given. Distinct from the essential/optional factor, which the scorer applies itself.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f32", into = "f32")]
pub struct Weight(f32);

impl Weight {
    /// No extra weight: the requirement counts by its essential/optional factor alone. The
    /// essential (1.0) and optional (0.5) factors belong to the scorer, never to this type: a
    /// weight is only the validator's extra multiplier on top of them.
    pub const NEUTRAL: Weight = Weight(1.0);

    /// A weight in (0, 10].
    pub fn new(value: f32) -> Result<Self> {
        if value.is_finite() && value > 0.0 && value <= 10.0 {
            Ok(Weight(value))
        } else {
            Err(Error::invalid(
                ErrorCode::InvalidWeight,
                format!("weight must be in (0, 10], got {value}"),
            ))
        }
    }
    /// The value.
    pub fn get(self) -> f32 {
        self.0
    }
}

impl Default for Weight {
    fn default() -> Self {
        Weight::NEUTRAL
    }
}

impl TryFrom<f32> for Weight {
    type Error = Error;
    fn try_from(value: f32) -> Result<Self> {
        Weight::new(value)
    }
}

impl From<Weight> for f32 {
    fn from(value: Weight) -> Self {
        value.0
    }
}

/// Where a person's competence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Declared by the person.
    Declared,
    /// Assessed by an operator.
    Assessed,
    /// Certified (a qualification).
    Certified,
    /// Inferred from work history.
    WorkHistory,
    /// Gained through a course.
    Course,
}

impl Evidence {
    /// Parses the snake_case name (Italian synonyms accepted).
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "declared" | "dichiarata" => Ok(Evidence::Declared),
            "assessed" | "valutata" => Ok(Evidence::Assessed),
            "certified" | "certificata" => Ok(Evidence::Certified),
            "work_history" | "esperienza" => Ok(Evidence::WorkHistory),
            "course" | "corso" => Ok(Evidence::Course),
            other => Err(Error::invalid(
                ErrorCode::InvalidEvidence,
                format!("unknown evidence {other:?}"),
            )),
        }
    }
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Declared => "declared",
            Evidence::Assessed => "assessed",
            Evidence::Certified => "certified",
            Evidence::WorkHistory => "work_history",
            Evidence::Course => "course",
        }
    }
    /// Explicit evidence overrides what is inferred from work history.
    pub fn is_explicit(self) -> bool {
        !matches!(self, Evidence::WorkHistory)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(Level::parse("avanzato").expect("ok").get(), 3);
        assert_eq!(Level::parse(" 4 ").expect("ok"), Level::ESPERTO);
        assert_eq!(Level::parse("5").unwrap_err().code(), "invalid_level");
        assert!(Level::new(0).is_err());
    }

    #[test]
    fn uris() {
        assert!(SkillUri::parse(
            "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
        )
        .is_ok());
        assert_eq!(
            SkillUri::parse("skill/xyz").unwrap_err().code(),
            "invalid_skill_uri"
        );
        assert!(OccupationUri::parse(
            "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"
        )
        .is_ok());
    }
}
