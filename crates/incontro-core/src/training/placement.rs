//! The placement path of a proposal: a contract now, after a course, or through a tirocinio.
//!
//! The regional rules of extracurricular internships (tirocini) are data, not code: the table
//! `data/tirocinio_rules.csv` (built in, one row per region) gives the minimum and maximum duration
//! (12 months; 24 for people with disabilities, L. 68/99) and the minimum monthly indemnity
//! (Toscana: €500; national floor €300). See `/work/shared/domain/italy-pes.md` §4.3.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::PlacementType;
use crate::{Error, ErrorCode, Result};

/// The built-in table of regional tirocinio rules.
pub const BUILTIN_RULES_CSV: &str = include_str!("../../data/tirocinio_rules.csv");

/// The tirocinio rules of one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TirocinioRule {
    /// Region, lower case (`toscana`, `lombardia`, `nazionale`).
    pub region: String,
    /// Shortest duration in months.
    pub min_months: u8,
    /// Longest duration in months.
    pub max_months: u8,
    /// Longest duration for people with disabilities (L. 68/99).
    pub max_months_disability: u8,
    /// Minimum monthly indemnity in euro.
    pub min_monthly_indemnity_eur: u32,
    /// The legal source.
    pub source: String,
}

impl TirocinioRule {
    /// The longest duration for this person.
    pub fn max_months_for(&self, disability: bool) -> u8 {
        if disability {
            self.max_months_disability
        } else {
            self.max_months
        }
    }

    /// Why a tirocinio of `months` paying `indemnity` breaks the rule, in Italian (None = it
    /// complies).
    pub fn violation(&self, months: u8, indemnity: u32, disability: bool) -> Option<String> {
        let max = self.max_months_for(disability);
        if months < self.min_months {
            return Some(format!(
                "durata {months} mesi sotto il minimo di {} ({})",
                self.min_months, self.region
            ));
        }
        if months > max {
            return Some(format!(
                "durata {months} mesi oltre il massimo di {max} ({})",
                self.region
            ));
        }
        if indemnity < self.min_monthly_indemnity_eur {
            return Some(format!(
                "indennità {indemnity} €/mese sotto il minimo di {} € ({})",
                self.min_monthly_indemnity_eur, self.region
            ));
        }
        None
    }
}

/// The table of regional rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TirocinioRules(pub Vec<TirocinioRule>);

impl TirocinioRules {
    /// The built-in table ([`BUILTIN_RULES_CSV`]).
    pub fn builtin() -> Self {
        Self::from_csv(BUILTIN_RULES_CSV).expect("the built-in tirocinio rules parse")
    }

    /// Parses a table with the columns of `data/tirocinio_rules.csv`.
    pub fn from_csv(text: &str) -> Result<Self> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut rules = Vec::new();
        for (index, row) in reader.deserialize::<TirocinioRule>().enumerate() {
            let mut rule = row.map_err(|error| {
                Error::invalid(
                    ErrorCode::InvalidTirocinioRules,
                    format!("line {}: {error}", index + 2),
                )
            })?;
            rule.region = rule.region.trim().to_lowercase();
            if rule.min_months == 0
                || rule.min_months > rule.max_months
                || rule.max_months > rule.max_months_disability
            {
                return Err(Error::invalid(
                    ErrorCode::InvalidTirocinioRules,
                    format!(
                        "line {}: durations must be 0 < min ≤ max ≤ max_disability",
                        index + 2
                    ),
                ));
            }
            rules.push(rule);
        }
        Ok(TirocinioRules(rules))
    }

    /// The rule of a region, or the national floor (`nazionale`) when the table has none for it.
    pub fn region_or_national(&self, region: Option<&str>) -> Result<&TirocinioRule> {
        match region.map(|region| self.region(region)) {
            Some(Ok(rule)) => Ok(rule),
            _ => self.region("nazionale"),
        }
    }

    /// The rule of a region (case-insensitive).
    pub fn region(&self, region: &str) -> Result<&TirocinioRule> {
        let wanted = region.trim().to_lowercase();
        self.0
            .iter()
            .find(|rule| rule.region == wanted)
            .ok_or_else(|| {
                Error::invalid(
                    ErrorCode::UnknownRegion,
                    format!("no tirocinio rules for region {wanted:?}"),
                )
            })
    }
}

/// The thresholds of the placement decision.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementConfig {
    /// The region whose tirocinio rules apply.
    pub region: String,
    /// A tirocinio is proposed only when the score before training is at least this.
    pub tirocinio_min_score: f32,
    /// … and at most this many essential competences are missing.
    pub tirocinio_max_missing: usize,
    /// The duration proposed for a tirocinio (capped by the regional rule).
    pub tirocinio_months: u8,
}

impl Default for PlacementConfig {
    fn default() -> Self {
        PlacementConfig {
            region: "toscana".into(),
            tirocinio_min_score: 0.5,
            tirocinio_max_missing: 3,
            tirocinio_months: 6,
        }
    }
}

/// How a person can realistically be placed in a vacancy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "path", rename_all = "snake_case")]
pub enum PlacementPath {
    /// Every essential competence is there: a contract now.
    ContractNow,
    /// The proposed courses close every essential gap: a contract after them.
    AfterCourse {
        /// Total hours of the courses.
        hours: u32,
        /// The last day of the last course.
        ready_on: NaiveDate,
    },
    /// A tirocinio extracurriculare (learning on the job) within the regional rules.
    Tirocinio {
        /// Duration in months.
        months: u8,
        /// Monthly indemnity in euro.
        monthly_indemnity_eur: u32,
    },
    /// Not realistic yet.
    NotYet,
}

impl PlacementPath {
    /// A short Italian label.
    pub fn label_it(&self) -> String {
        match self {
            PlacementPath::ContractNow => "assunzione subito".into(),
            PlacementPath::AfterCourse { hours, ready_on } => {
                format!("assunzione dopo i corsi ({hours} ore, pronta/o dal {ready_on})")
            }
            PlacementPath::Tirocinio {
                months,
                monthly_indemnity_eur,
            } => format!("tirocinio di {months} mesi, {monthly_indemnity_eur} €/mese"),
            PlacementPath::NotYet => "non ancora realistico".into(),
        }
    }
}

/// What the placement decision looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacementFacts<'a> {
    /// The vacancy's placement type.
    pub vacancy: &'a PlacementType,
    /// The company offers tirocini.
    pub company_offers_tirocini: bool,
    /// The person accepts a tirocinio.
    pub person_accepts_tirocinio: bool,
    /// The person has a recognised disability (L. 68/99).
    pub person_disability: bool,
    /// Missing essential competences (below the required level).
    pub missing_essentials: usize,
    /// Of those, how many no available course closes.
    pub uncovered: usize,
    /// The score before training.
    pub score_before: f32,
    /// Total hours and last day of the proposed courses, if any.
    pub courses: Option<(u32, NaiveDate)>,
}

/// The advice: the main path, a tirocinio alternative when one fits, and the reasons (Italian).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacementAdvice {
    /// The recommended path.
    pub path: PlacementPath,
    /// A tirocinio that would also fit, when the main path is something else.
    pub tirocinio_alternative: Option<PlacementPath>,
    /// Why, one short sentence each.
    pub reasons: Vec<String>,
}

/// Decides the placement path (pure).
pub fn placement_path(
    facts: &PlacementFacts<'_>,
    config: &PlacementConfig,
    rule: &TirocinioRule,
) -> PlacementAdvice {
    let mut reasons = Vec::new();
    let in_band = facts.score_before >= config.tirocinio_min_score
        && facts.missing_essentials <= config.tirocinio_max_missing;
    // The tirocinio this vacancy would be, and whether it complies with the regional rule.
    let tirocinio = match facts.vacancy {
        PlacementType::Tirocinio {
            months,
            monthly_indemnity_eur,
        } => match rule.violation(*months, *monthly_indemnity_eur, facts.person_disability) {
            Some(violation) => {
                reasons.push(format!("tirocinio non conforme: {violation}"));
                None
            }
            None => Some(PlacementPath::Tirocinio {
                months: *months,
                monthly_indemnity_eur: *monthly_indemnity_eur,
            }),
        },
        PlacementType::Contract { .. } => {
            if facts.company_offers_tirocini {
                let months = config.tirocinio_months.clamp(
                    rule.min_months,
                    rule.max_months_for(facts.person_disability),
                );
                Some(PlacementPath::Tirocinio {
                    months,
                    monthly_indemnity_eur: rule.min_monthly_indemnity_eur,
                })
            } else {
                None
            }
        }
    };
    let tirocinio_fits = |reasons: &mut Vec<String>| -> Option<PlacementPath> {
        let offer = tirocinio.clone()?;
        if facts.missing_essentials > 0 && !in_band {
            reasons.push(format!(
                "divario fuori dalla fascia del tirocinio (punteggio almeno {:.2}, al massimo {} essenziali mancanti)",
                config.tirocinio_min_score, config.tirocinio_max_missing
            ));
            return None;
        }
        if !facts.person_accepts_tirocinio {
            reasons.push("la persona non accetta tirocini".into());
            return None;
        }
        Some(offer)
    };
    let is_tirocinio_vacancy = facts.vacancy.is_tirocinio();
    if facts.missing_essentials == 0 {
        if is_tirocinio_vacancy {
            let path = tirocinio_fits(&mut reasons).unwrap_or(PlacementPath::NotYet);
            return PlacementAdvice {
                path,
                tirocinio_alternative: None,
                reasons,
            };
        }
        reasons.push("tutte le competenze essenziali sono presenti".into());
        return PlacementAdvice {
            path: PlacementPath::ContractNow,
            tirocinio_alternative: None,
            reasons,
        };
    }
    if facts.uncovered == 0 {
        if let Some((hours, ready_on)) = facts.courses {
            reasons.push(format!(
                "i corsi proposti colmano le {} competenze essenziali mancanti",
                facts.missing_essentials
            ));
            let alternative = tirocinio_fits(&mut reasons);
            return PlacementAdvice {
                path: PlacementPath::AfterCourse { hours, ready_on },
                tirocinio_alternative: alternative,
                reasons,
            };
        }
    } else {
        reasons.push(format!(
            "{} competenze essenziali non sono insegnate da nessun corso disponibile",
            facts.uncovered
        ));
    }
    if !facts.company_offers_tirocini && !is_tirocinio_vacancy {
        reasons.push("l'azienda non offre tirocini".into());
    }
    let path = tirocinio_fits(&mut reasons).unwrap_or(PlacementPath::NotYet);
    PlacementAdvice {
        path,
        tirocinio_alternative: None,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> PlacementType {
        PlacementType::Contract {
            contract_type: "A.02.00".into(),
        }
    }

    fn facts(vacancy: &PlacementType) -> PlacementFacts<'_> {
        PlacementFacts {
            vacancy,
            company_offers_tirocini: true,
            person_accepts_tirocinio: true,
            person_disability: false,
            missing_essentials: 0,
            uncovered: 0,
            score_before: 0.9,
            courses: None,
        }
    }

    fn toscana() -> TirocinioRule {
        TirocinioRules::builtin().region("Toscana").unwrap().clone()
    }

    #[test]
    fn builtin_rules_hold_the_regional_numbers() {
        let rules = TirocinioRules::builtin();
        let toscana = rules.region("toscana").unwrap();
        assert_eq!(
            (toscana.max_months, toscana.max_months_disability),
            (12, 24)
        );
        assert_eq!(toscana.min_monthly_indemnity_eur, 500);
        assert_eq!(
            rules.region("nazionale").unwrap().min_monthly_indemnity_eur,
            300
        );
        assert!(rules.region("atlantide").is_err());
    }

    #[test]
    fn no_gap_is_a_contract_now() {
        let vacancy = contract();
        let advice = placement_path(&facts(&vacancy), &PlacementConfig::default(), &toscana());
        assert_eq!(advice.path, PlacementPath::ContractNow);
    }

    #[test]
    fn closable_gap_is_after_course_with_a_tirocinio_alternative() {
        let vacancy = contract();
        let day = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        let advice = placement_path(
            &PlacementFacts {
                missing_essentials: 2,
                score_before: 0.6,
                courses: Some((80, day)),
                ..facts(&vacancy)
            },
            &PlacementConfig::default(),
            &toscana(),
        );
        assert_eq!(
            advice.path,
            PlacementPath::AfterCourse {
                hours: 80,
                ready_on: day
            }
        );
        assert_eq!(
            advice.tirocinio_alternative,
            Some(PlacementPath::Tirocinio {
                months: 6,
                monthly_indemnity_eur: 500
            })
        );
    }

    #[test]
    fn untaught_gap_in_band_goes_to_tirocinio_out_of_band_not_yet() {
        let vacancy = contract();
        let in_band = PlacementFacts {
            missing_essentials: 1,
            uncovered: 1,
            score_before: 0.7,
            ..facts(&vacancy)
        };
        let config = PlacementConfig::default();
        assert!(matches!(
            placement_path(&in_band, &config, &toscana()).path,
            PlacementPath::Tirocinio { .. }
        ));
        let out_of_band = PlacementFacts {
            score_before: 0.3,
            ..in_band.clone()
        };
        assert_eq!(
            placement_path(&out_of_band, &config, &toscana()).path,
            PlacementPath::NotYet
        );
        let no_tirocini = PlacementFacts {
            company_offers_tirocini: false,
            ..in_band
        };
        assert_eq!(
            placement_path(&no_tirocini, &config, &toscana()).path,
            PlacementPath::NotYet
        );
    }

    #[test]
    fn tirocinio_vacancies_must_respect_duration_and_indemnity() {
        let long = PlacementType::Tirocinio {
            months: 18,
            monthly_indemnity_eur: 600,
        };
        let advice = placement_path(&facts(&long), &PlacementConfig::default(), &toscana());
        assert_eq!(advice.path, PlacementPath::NotYet);
        // 18 months are allowed for a person with a disability (up to 24).
        let advice = placement_path(
            &PlacementFacts {
                person_disability: true,
                ..facts(&long)
            },
            &PlacementConfig::default(),
            &toscana(),
        );
        assert!(matches!(
            advice.path,
            PlacementPath::Tirocinio { months: 18, .. }
        ));
        let cheap = PlacementType::Tirocinio {
            months: 6,
            monthly_indemnity_eur: 450,
        };
        let advice = placement_path(&facts(&cheap), &PlacementConfig::default(), &toscana());
        assert_eq!(advice.path, PlacementPath::NotYet);
        assert!(advice.reasons[0].contains("indennità"));
    }
}
