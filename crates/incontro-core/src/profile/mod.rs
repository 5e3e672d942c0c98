//! Competence profiles: what a person can do, with the evidence for each competence.
//!
//! A job seeker's profile is the union of
//! - the **explicit** competences (declared, assessed by an operator, certified, gained through a
//!   course), and
//! - the competences **inferred from work history**: each past job's occupation (an ESCO occupation,
//!   an ISCO-08 code or an Italian CP2011 code through the crosswalk) contributes the ESCO skills of
//!   that occupation, essential ones at higher confidence than optional ones, with a level that grows
//!   with the time spent in the job and decays with the time since it ended.
//!
//! Explicit competences override inferred ones for the same skill, whatever their level. Every
//! entry keeps its evidence, so an explanation can say where a competence comes from.
//!
//! What it does NOT do: resolve occupation codes (the caller passes a resolver built from the
//! taxonomy and the crosswalk) or touch storage.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Competence, Evidence, Level, OccupationCode, PastJob, SkillUri};

/// The skills an occupation contributes, as resolved by the taxonomy.
#[derive(Debug, Clone, PartialEq)]
pub struct OccupationSkills {
    /// A label for the explanation ("ESCO: saldatore", "ISCO 7212", …).
    pub source: String,
    /// `(skill, essential)` pairs; for ISCO/CP2011 codes the skills shared by the group's occupations.
    pub skills: Vec<(SkillUri, bool)>,
    /// How much to trust this resolution (1.0 for an exact ESCO occupation; less for a group code).
    pub resolution_confidence: f32,
    /// True when the job is known only by a CP2011 or ISCO-08 group, not an exact ESCO
    /// occupation (a lower cap applies to what it implies).
    pub group_only: bool,
}

/// Tunables of the inference, with documented defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InferenceConfig {
    /// The day the profile is computed for (time since a job ended counts up to here).
    pub today: NaiveDate,
    /// Months in a job needed for level 2, 3 and 4 (level 1 below the first threshold).
    pub months_for_level: [u32; 3],
    /// Years since a job ended after which the level drops by one, and by two.
    pub decay_years: [u32; 2],
    /// Confidence of an essential skill of an ESCO occupation.
    pub essential_confidence: f32,
    /// Confidence of an optional skill (also lowered by one level).
    pub optional_confidence: f32,
    /// Whether optional skills of past occupations are inferred at all.
    pub include_optional: bool,
    /// The highest level a competence inferred from a job known by its exact ESCO occupation
    /// may reach until someone assesses it (also for stored competences whose evidence is
    /// `work_history`).
    pub cap_exact_occupation: u8,
    /// The highest level a competence inferred from a job known only by a CP2011 or ISCO-08
    /// group may reach (the group's skills are a guess about what the person did).
    pub cap_group: u8,
}

impl InferenceConfig {
    /// The defaults: levels 2/3/4 after 6/24/60 months; −1 level after 5 years, −2 after 10,
    /// never below level 1 (the floor); essential skills at confidence 0.8, optional ones at 0.4
    /// and one level lower; capped at level 3 (avanzato) for an exact ESCO occupation and at
    /// level 2 (intermedio) for a CP2011/ISCO group until assessed. See: issue 14
    pub fn new(today: NaiveDate) -> Self {
        InferenceConfig {
            today,
            months_for_level: [6, 24, 60],
            decay_years: [5, 10],
            essential_confidence: 0.8,
            optional_confidence: 0.4,
            include_optional: true,
            cap_exact_occupation: 3,
            cap_group: 2,
        }
    }
}

/// One competence of a profile, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileEntry {
    /// The skill.
    pub skill: SkillUri,
    /// Level used for matching.
    pub level: Level,
    /// Where it comes from.
    pub evidence: Evidence,
    /// 1.0 for explicit competences; lower for inferred ones.
    pub confidence: f32,
    /// Human-readable provenance ("dichiarata", "ESCO: saldatore, 38 mesi, fino al 2024-03-31").
    pub source: String,
    /// True for a competence presumed from experience (inferred from work history, or stored
    /// with `work_history` evidence) that nobody has assessed: explanations say "presunta da
    /// esperienza" with its source.
    pub presumed: bool,
    /// The level the experience alone would give, when the cap lowered it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capped_from: Option<Level>,
}

impl ProfileEntry {
    /// The provenance as the desk shows it: "presunta da esperienza (…)" for presumed
    /// competences (with the level before the cap, if any), the evidence otherwise.
    pub fn provenance_it(&self) -> String {
        if !self.presumed {
            // The stored source is `evidence` or `evidence: note` (machine words): in Italian.
            let note = self
                .source
                .strip_prefix(self.evidence.as_str())
                .map_or(self.source.as_str(), |rest| rest.trim_start_matches(':'))
                .trim();
            let word = match self.evidence {
                Evidence::Declared => "dichiarata dalla persona",
                Evidence::Assessed => "valutata al colloquio",
                Evidence::Certified => "certificata",
                Evidence::Course => "acquisita con un corso",
                Evidence::WorkHistory => "da esperienza",
            };
            return if note.is_empty() {
                word.to_string()
            } else {
                format!("{word} — {note}")
            };
        }
        match self.capped_from {
            Some(level) => format!(
                "presunta da esperienza ({}); livello limitato a {} da {} finché non è valutata",
                self.source,
                self.level.get(),
                level.get()
            ),
            None => format!("presunta da esperienza ({})", self.source),
        }
    }
}

/// Whole months between two dates (0 when `end` is before `start`).
fn months_between(start: NaiveDate, end: NaiveDate) -> u32 {
    if end <= start {
        return 0;
    }
    let days = (end - start).num_days();
    (days as f64 / 30.4375).floor() as u32
}

/// The level a job of `months` that ended `years_ago` years ago gives to its essential skills,
/// before the cap: grown with the months, decayed with the years, never below level 1.
pub fn inferred_level(months: u32, years_ago: u32, config: &InferenceConfig) -> Level {
    let mut level: u8 = 1 + config
        .months_for_level
        .iter()
        .filter(|&&threshold| months >= threshold)
        .count() as u8;
    let decay = config
        .decay_years
        .iter()
        .filter(|&&threshold| years_ago >= threshold)
        .count() as u8;
    level = level.saturating_sub(decay).max(1);
    Level::new(level).unwrap_or(Level::BASE)
}

/// The first day after `today` on which [`build_profile`] over `history` may give another profile
/// than on `today` (`None`: never): the months in a job grow while it runs, and the whole years
/// since it ended grow after. Explicit competences do not depend on the day. Conservative: the
/// profile may also be the same on the day returned (the matching state then recomputes it for
/// nothing), never different on a day before it.
pub fn profile_changes_after(history: &[PastJob], today: NaiveDate) -> Option<NaiveDate> {
    // The first day whose whole months since `from` exceed `months` (months_between's rounding,
    // one day early so that a float rounding can only make it early).
    let after_months = |from: NaiveDate, months: u32| -> NaiveDate {
        let days = (f64::from(months + 1) * 30.4375).ceil() as u64;
        from.checked_add_days(chrono::Days::new(days.saturating_sub(1)))
            .unwrap_or(NaiveDate::MAX)
    };
    let mut first: Option<NaiveDate> = None;
    for job in history {
        let running = job.end.is_none_or(|end| end > today);
        if running {
            let months = months_between(job.start, today);
            first = Some(
                first.map_or(after_months(job.start, months), |day: NaiveDate| {
                    day.min(after_months(job.start, months))
                }),
            );
        }
        if let Some(end) = job.end {
            let years = if end < today {
                months_between(end, today) / 12
            } else {
                0
            };
            let day = after_months(end, (years + 1) * 12 - 1);
            first = Some(first.map_or(day, |first| first.min(day)));
        }
    }
    first.map(|day| day.max(today.succ_opt().unwrap_or(NaiveDate::MAX)))
}

/// Builds a profile from explicit competences and work history.
///
/// `resolve` maps a past job's occupation code to the skills it contributes (or `None` when the
/// code is unknown to the taxonomy; such jobs contribute nothing). The result is sorted by skill URI
/// and holds one entry per skill: the explicit one if any, else the highest inferred level (ties:
/// higher confidence).
pub fn build_profile(
    explicit: &[Competence],
    history: &[PastJob],
    resolve: &dyn Fn(&OccupationCode) -> Option<OccupationSkills>,
    config: &InferenceConfig,
) -> Vec<ProfileEntry> {
    let mut by_skill: std::collections::BTreeMap<SkillUri, ProfileEntry> =
        std::collections::BTreeMap::new();
    for job in history {
        let Some(resolved) = resolve(&job.occupation) else {
            continue;
        };
        let end = job.end.unwrap_or(config.today).min(config.today);
        let months = months_between(job.start, end);
        let years_ago = months_between(end, config.today) / 12;
        let essential_level = inferred_level(months, years_ago, config);
        let cap = if resolved.group_only {
            config.cap_group
        } else {
            config.cap_exact_occupation
        }
        .clamp(1, 4);
        let until = match job.end {
            Some(day) => format!("fino al {day}"),
            None => "in corso".to_string(),
        };
        for (skill, essential) in &resolved.skills {
            if !essential && !config.include_optional {
                continue;
            }
            let (uncapped, confidence) = if *essential {
                (essential_level, config.essential_confidence)
            } else {
                let lowered = Level::new(essential_level.get().saturating_sub(1).max(1))
                    .unwrap_or(Level::BASE);
                (lowered, config.optional_confidence)
            };
            let level = Level::new(uncapped.get().min(cap)).unwrap_or(Level::BASE);
            let candidate = ProfileEntry {
                skill: skill.clone(),
                level,
                evidence: Evidence::WorkHistory,
                confidence: confidence * resolved.resolution_confidence,
                source: format!("{}, {} mesi, {}", resolved.source, months, until),
                presumed: true,
                capped_from: (uncapped > level).then_some(uncapped),
            };
            let replace = match by_skill.get(skill) {
                None => true,
                Some(current) => {
                    (candidate.level, candidate.confidence) > (current.level, current.confidence)
                }
            };
            if replace {
                by_skill.insert(skill.clone(), candidate);
            }
        }
    }
    for competence in explicit {
        let source = match &competence.note {
            Some(note) => format!("{}: {}", competence.evidence.as_str(), note),
            None => competence.evidence.as_str().to_string(),
        };
        // A stored competence with work-history evidence is presumed too, and capped like an
        // inference from an exact occupation.
        let presumed = !competence.evidence.is_explicit();
        let level = if presumed {
            Level::new(
                competence
                    .level
                    .get()
                    .min(config.cap_exact_occupation.clamp(1, 4)),
            )
            .unwrap_or(Level::BASE)
        } else {
            competence.level
        };
        let entry = ProfileEntry {
            skill: competence.skill.clone(),
            level,
            evidence: competence.evidence,
            confidence: if competence.evidence.is_explicit() {
                1.0
            } else {
                0.8
            },
            source,
            presumed,
            capped_from: (competence.level > level).then_some(competence.level),
        };
        // Explicit evidence overrides inferred; between explicit ones the higher level wins.
        let replace = match by_skill.get(&competence.skill) {
            None => true,
            Some(current) => !current.evidence.is_explicit() || entry.level > current.level,
        };
        if replace {
            by_skill.insert(competence.skill.clone(), entry);
        }
    }
    by_skill.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    fn skill(n: u32) -> SkillUri {
        SkillUri::parse(&format!("http://data.europa.eu/esco/skill/s{n}")).expect("uri")
    }

    fn welder_resolver(code: &OccupationCode) -> Option<OccupationSkills> {
        match code {
            OccupationCode::Isco08(isco) if isco == "7212" => Some(OccupationSkills {
                source: "ISCO 7212".into(),
                skills: vec![(skill(1), true), (skill(2), false)],
                resolution_confidence: 0.75,
                group_only: true,
            }),
            OccupationCode::Esco(_) => Some(OccupationSkills {
                source: "ESCO: saldatore".into(),
                skills: vec![(skill(1), true), (skill(2), false)],
                resolution_confidence: 1.0,
                group_only: false,
            }),
            _ => None,
        }
    }

    proptest::proptest! {
        /// No profile changes between a day and the day `profile_changes_after` gives.
        #[test]
        fn profile_is_stable_until_the_day_given(
            jobs in proptest::collection::vec((0i64..6000, proptest::option::of(0i64..4000), proptest::bool::ANY), 0..4),
            today in 0i64..7000,
        ) {
            let base = day("2010-01-01");
            let at = |offset: i64| base + chrono::Duration::days(offset);
            let history: Vec<PastJob> = jobs
                .iter()
                .map(|&(start, length, exact)| PastJob {
                    occupation: if exact {
                        OccupationCode::Esco(crate::model::OccupationUri::parse("http://data.europa.eu/esco/occupation/x").expect("uri"))
                    } else {
                        OccupationCode::Isco08("7212".into())
                    },
                    start: at(start),
                    end: length.map(|length| at(start + length)),
                    employer: None,
                })
                .collect();
            let today = at(today);
            let profile_on = |day: NaiveDate| {
                build_profile(&[], &history, &welder_resolver, &InferenceConfig::new(day))
                    .into_iter()
                    .map(|entry| (entry.skill, entry.level, entry.source, entry.capped_from))
                    .collect::<Vec<_>>()
            };
            let now = profile_on(today);
            let until = profile_changes_after(&history, today);
            proptest::prop_assert!(until.is_none_or(|until| until > today));
            let last = until.map_or(today + chrono::Duration::days(800), |until| until.pred_opt().expect("day"));
            let mut day = today;
            while day < last {
                day = day.succ_opt().expect("day");
                proptest::prop_assert_eq!(&profile_on(day), &now, "changed on {} before {:?}", day, until);
            }
            if history.is_empty() {
                proptest::prop_assert!(until.is_none());
            }
        }
    }

    #[test]
    fn level_grows_with_time_and_decays_with_age() {
        let config = InferenceConfig::new(day("2026-01-01"));
        assert_eq!(inferred_level(3, 0, &config).get(), 1);
        assert_eq!(inferred_level(12, 0, &config).get(), 2);
        assert_eq!(inferred_level(30, 0, &config).get(), 3);
        assert_eq!(inferred_level(80, 0, &config).get(), 4);
        assert_eq!(inferred_level(80, 6, &config).get(), 3);
        assert_eq!(inferred_level(80, 12, &config).get(), 2);
        assert_eq!(inferred_level(2, 12, &config).get(), 1);
    }

    #[test]
    fn explicit_provenance_reads_in_italian() {
        let entry = |evidence: Evidence, source: &str| ProfileEntry {
            skill: skill(1),
            level: Level::BASE,
            evidence,
            confidence: 1.0,
            source: source.into(),
            presumed: false,
            capped_from: None,
        };
        assert_eq!(
            entry(Evidence::Assessed, "assessed: colloquio allo sportello").provenance_it(),
            "valutata al colloquio — colloquio allo sportello"
        );
        assert_eq!(
            entry(Evidence::Declared, "declared").provenance_it(),
            "dichiarata dalla persona"
        );
    }

    #[test]
    fn inferred_skills_with_evidence_and_explicit_override() {
        let config = InferenceConfig::new(day("2026-01-01"));
        let history = vec![PastJob {
            occupation: OccupationCode::Isco08("7212".into()),
            start: day("2020-01-01"),
            end: Some(day("2025-01-01")),
            employer: None,
        }];
        let profile = build_profile(&[], &history, &welder_resolver, &config);
        assert_eq!(profile.len(), 2);
        let essential = profile.iter().find(|e| e.skill == skill(1)).expect("s1");
        // 60 months, ended 1 year ago: level 4 by experience, capped at 2 for a group code.
        assert_eq!(essential.level.get(), 2);
        assert_eq!(essential.capped_from.map(Level::get), Some(4));
        assert!(essential.presumed);
        assert!(essential
            .provenance_it()
            .starts_with("presunta da esperienza (ISCO 7212, 60 mesi"));
        assert_eq!(essential.evidence, Evidence::WorkHistory);
        assert!((essential.confidence - 0.6).abs() < 1e-6);
        let optional = profile.iter().find(|e| e.skill == skill(2)).expect("s2");
        assert_eq!(
            optional.level.get(),
            2,
            "level 3 by experience, capped at 2"
        );

        let explicit = vec![Competence {
            skill: skill(1),
            level: Level::BASE,
            evidence: Evidence::Assessed,
            since: None,
            note: Some("colloquio".into()),
        }];
        let profile = build_profile(&explicit, &history, &welder_resolver, &config);
        let overridden = profile.iter().find(|e| e.skill == skill(1)).expect("s1");
        assert_eq!(
            overridden.level,
            Level::BASE,
            "explicit overrides inferred even when lower"
        );
        assert_eq!(overridden.evidence, Evidence::Assessed);
    }

    /// A long job caps at level 3 when known by its ESCO occupation, at 2 when known only by a
    /// group code; a short one stays below the cap; an assessment lifts the cap. See: issue 14
    #[test]
    fn inferred_levels_are_capped_lower_for_group_codes() {
        let config = InferenceConfig::new(day("2026-11-25"));
        let job = |occupation: OccupationCode, start: &str| PastJob {
            occupation,
            start: day(start),
            end: None,
            employer: None,
        };
        let esco = OccupationCode::Esco(
            crate::model::OccupationUri::parse("http://data.europa.eu/esco/occupation/o1")
                .expect("uri"),
        );
        let group = OccupationCode::Isco08("7212".into());
        let level_of = |history: &[PastJob], explicit: &[Competence]| {
            build_profile(explicit, history, &welder_resolver, &config)
                .into_iter()
                .find(|e| e.skill == skill(1))
                .expect("s1")
        };
        // 77 months, still in the job.
        let long_esco = level_of(&[job(esco.clone(), "2020-06-01")], &[]);
        assert_eq!((long_esco.level.get(), long_esco.presumed), (3, true));
        assert_eq!(long_esco.capped_from.map(Level::get), Some(4));
        let long_group = level_of(&[job(group.clone(), "2020-06-01")], &[]);
        assert_eq!(long_group.level.get(), 2);
        // 8 months: level 2 by experience, under both caps.
        let short = level_of(&[job(esco.clone(), "2026-03-01")], &[]);
        assert_eq!((short.level.get(), short.capped_from), (2, None));
        // Both jobs: the higher capped level wins.
        let both = level_of(&[job(group, "2020-06-01"), job(esco, "2020-06-01")], &[]);
        assert_eq!(both.level.get(), 3);
        assert!(both.source.starts_with("ESCO: saldatore"));
        // An assessment replaces the presumption, above the cap too.
        let assessed = Competence {
            skill: skill(1),
            level: Level::new(4).expect("level"),
            evidence: Evidence::Assessed,
            since: None,
            note: None,
        };
        let after = level_of(&[], std::slice::from_ref(&assessed));
        assert_eq!((after.level.get(), after.presumed), (4, false));
        // A stored competence with work-history evidence is presumed and capped.
        let stored = Competence {
            evidence: Evidence::WorkHistory,
            ..assessed
        };
        let stored = level_of(&[], &[stored]);
        assert_eq!((stored.level.get(), stored.presumed), (3, true));
    }

    #[test]
    fn unknown_occupations_contribute_nothing() {
        let config = InferenceConfig::new(day("2026-01-01"));
        let history = vec![PastJob {
            occupation: OccupationCode::Cp2011("9.9.9.9.9".into()),
            start: day("2020-01-01"),
            end: None,
            employer: None,
        }];
        assert!(build_profile(&[], &history, &welder_resolver, &config).is_empty());
    }
}
