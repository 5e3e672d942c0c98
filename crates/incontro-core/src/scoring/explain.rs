//! Explanations: requirement by requirement, what met it and what is missing.

use super::kernel::{credit_of, requirement_weight, score_of_credits, Held};
use super::{Credit, Relation, Requirement, ScoringConfig, SkillGraph};

/// How one requirement was met.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatchOutcome {
    /// The person holds the required skill.
    Exact {
        /// Level held.
        level: u8,
        /// Levels missing to the required one (0 when met).
        deficit: u8,
    },
    /// A related skill earned discounted credit.
    Related {
        /// The held skill.
        via_skill: u32,
        /// Its label.
        via_label: String,
        /// How it relates to the required skill.
        relation: Relation,
        /// For [`Relation::SameBroader`]: the parent both share, and its label.
        #[serde(skip_serializing_if = "Option::is_none")]
        parent_label: Option<String>,
        /// Level held.
        level: u8,
        /// Levels missing to the required one (0 when met).
        deficit: u8,
    },
    /// Nothing earned credit.
    Missing,
}

/// One requirement of the vacancy, explained.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RequirementExplanation {
    /// The required skill.
    pub skill: u32,
    /// Its label.
    pub label: String,
    /// Essential or optional.
    pub essential: bool,
    /// The required level.
    pub required_level: u8,
    /// The requirement's weight under the configuration.
    pub weight: f32,
    /// The credit earned, in [0, 1].
    pub credit: f32,
    /// What earned it.
    pub outcome: MatchOutcome,
    /// True when this requirement is an **essential gap** ([`essential_gaps`]): an essential
    /// requirement (any requirement, when none is essential) whose very skill is missing or held
    /// below the required level. Related credit earns score but does not close a gap; the course
    /// proposal closes exactly these.
    pub gap: bool,
    /// When the competence that earned the credit was inferred from work history and not yet
    /// assessed: its source ("ESCO: …, 77 mesi, in corso"). Set by the matching layer, which
    /// knows the evidence; `None` from [`explain`] alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presumed_from: Option<String>,
    /// When the competence that earned the credit was presumed from one of the person's records
    /// (a neighbouring ESCO concept the rest of the profile points to, `matching::reading`) and
    /// not yet assessed: how ("registrata come «…», stessa competenza madre «…», …").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_from: Option<String>,
}

impl RequirementExplanation {
    /// The requirement line in Italian, as the desk shows it: requirement, what earned the credit
    /// and why, and whether it is an essential gap.
    pub fn line_it(&self) -> String {
        let kind = if self.essential {
            "essenziale"
        } else {
            "facoltativa"
        };
        let mut line = format!("{} ({kind}, livello {}): ", self.label, self.required_level);
        match &self.outcome {
            MatchOutcome::Exact { level, deficit: 0 } => {
                line.push_str(&format!("posseduta a livello {level}"));
            }
            MatchOutcome::Exact { level, deficit } => {
                line.push_str(&format!(
                    "posseduta a livello {level}, mancano {deficit} livelli"
                ));
            }
            MatchOutcome::Related {
                via_label,
                relation,
                parent_label,
                level,
                ..
            } => {
                let why = match parent_label {
                    Some(parent) => format!("{} «{parent}»", relation.describe_it()),
                    None => relation.describe_it().to_string(),
                };
                line.push_str(&format!(
                    "correlata: {why}: «{via_label}» (livello {level}), credito {:.0}%",
                    self.credit * 100.0
                ));
            }
            MatchOutcome::Missing => line.push_str("manca"),
        }
        if let Some(source) = &self.presumed_from {
            line.push_str(&format!(" — presunta da esperienza ({source})"));
        }
        if let Some(source) = &self.read_from {
            line.push_str(&format!(" — presunta dalla registrazione ({source})"));
        }
        if self.gap {
            line.push_str(" — lacuna essenziale");
        }
        line
    }

    /// The requirement line in English (see [`RequirementExplanation::line_it`]).
    pub fn line_en(&self) -> String {
        let kind = if self.essential {
            "essential"
        } else {
            "optional"
        };
        let mut line = format!("{} ({kind}, level {}): ", self.label, self.required_level);
        match &self.outcome {
            MatchOutcome::Exact { level, deficit: 0 } => {
                line.push_str(&format!("held at level {level}"));
            }
            MatchOutcome::Exact { level, deficit } => {
                line.push_str(&format!("held at level {level}, {deficit} levels short"));
            }
            MatchOutcome::Related {
                via_label,
                relation,
                parent_label,
                level,
                ..
            } => {
                let why = match parent_label {
                    Some(parent) => format!("{} \"{parent}\"", relation.describe_en()),
                    None => relation.describe_en().to_string(),
                };
                line.push_str(&format!(
                    "related: {why}: \"{via_label}\" (level {level}), credit {:.0}%",
                    self.credit * 100.0
                ));
            }
            MatchOutcome::Missing => line.push_str("missing"),
        }
        if let Some(source) = &self.presumed_from {
            line.push_str(&format!(" — presumed from experience ({source})"));
        }
        if let Some(source) = &self.read_from {
            line.push_str(&format!(" — presumed from the record ({source})"));
        }
        if self.gap {
            line.push_str(" — essential gap");
        }
        line
    }
}

/// Why a person scores what they score against a vacancy.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Explanation {
    /// The score, equal to [`super::score`].
    pub score: f32,
    /// Mean credit over essential requirements (1 when there are none).
    pub essential_coverage: f32,
    /// One entry per requirement, in the vacancy's order.
    pub items: Vec<RequirementExplanation>,
    /// Essential gaps: requirements with [`RequirementExplanation::gap`].
    pub essential_gaps: usize,
    /// The requirements a gap is counted over: the essential ones (all, when none is essential).
    pub gap_basis: usize,
    /// One line in Italian.
    pub summary_it: String,
    /// One line in English.
    pub summary_en: String,
}

/// The essential gaps of a profile against a vacancy, as `(skill, required level, level held)`
/// (held 0 when missing): the essential requirements (all requirements when none is essential)
/// whose very skill is held below the required level. The one notion of a gap shared by the
/// explanation's summary and lines, the course proposal, the course doors and the console.
/// See: issue 14
pub fn essential_gaps(profile: &[(u32, u8)], requirements: &[Requirement]) -> Vec<(u32, u8, u8)> {
    let any_essential = requirements.iter().any(|r| r.essential);
    requirements
        .iter()
        .filter(|r| r.essential || !any_essential)
        .filter_map(|r| {
            let level = profile
                .binary_search_by_key(&r.skill, |&(held, _)| held)
                .map(|index| profile[index].1)
                .unwrap_or(0);
            (level < r.level).then_some((r.skill, r.level, level))
        })
        .collect()
}

/// Explains the score of `profile` against `requirements`; `labels` names a skill.
pub fn explain(
    profile: &[(u32, u8)],
    requirements: &[Requirement],
    config: &ScoringConfig,
    graph: Option<&SkillGraph>,
    labels: &dyn Fn(u32) -> String,
) -> Explanation {
    let held = Held::new(profile);
    let credits: Vec<Credit> = requirements
        .iter()
        .map(|requirement| credit_of(&held, requirement, config, graph))
        .collect();
    let (score, essential_coverage) = score_of_credits(
        requirements,
        credits.iter().map(Credit::value),
        config,
        graph,
    );
    let gaps = essential_gaps(profile, requirements);
    let any_essential = requirements.iter().any(|r| r.essential);
    let mut items = Vec::with_capacity(requirements.len());
    for (requirement, &credit) in requirements.iter().zip(&credits) {
        let deficit = |level: u8| requirement.level.saturating_sub(level);
        let outcome = match credit {
            Credit::Exact { level, .. } => MatchOutcome::Exact {
                level,
                deficit: deficit(level),
            },
            Credit::Related {
                via,
                relation,
                level,
                ..
            } => MatchOutcome::Related {
                via_skill: via,
                via_label: labels(via),
                relation,
                parent_label: match (relation, graph) {
                    (Relation::SameBroader, Some(graph)) => {
                        graph.common_broader(via, requirement.skill).map(labels)
                    }
                    _ => None,
                },
                level,
                deficit: deficit(level),
            },
            Credit::Missing => MatchOutcome::Missing,
        };
        items.push(RequirementExplanation {
            skill: requirement.skill,
            label: labels(requirement.skill),
            essential: requirement.essential,
            required_level: requirement.level,
            weight: requirement_weight(requirement, config, graph),
            credit: credit.value(),
            outcome,
            gap: gaps.iter().any(|&(skill, _, _)| skill == requirement.skill),
            presumed_from: None,
            read_from: None,
        });
    }
    let count =
        |pick: &dyn Fn(&RequirementExplanation) -> bool| items.iter().filter(|i| pick(i)).count();
    let total = items.len();
    let met = count(&|i| matches!(i.outcome, MatchOutcome::Exact { deficit: 0, .. }));
    let partly =
        count(&|i| i.credit > 0.0 && !matches!(i.outcome, MatchOutcome::Exact { deficit: 0, .. }));
    let related = count(&|i| matches!(i.outcome, MatchOutcome::Related { .. }));
    let essential_gaps = gaps.len();
    let gap_basis = count(&|i| i.essential || !any_essential);
    let percent = (score * 100.0).round();
    // Italian agreement: "1 requisito su 3", "0 su 1 requisito essenziale".
    let noun_it = |n: usize| if n == 1 { "requisito" } else { "requisiti" };
    let (basis_it, basis_en) = match (any_essential, gap_basis == 1) {
        (true, true) => ("requisito essenziale", "essential requirement"),
        (true, false) => ("requisiti essenziali", "essential requirements"),
        (false, true) => (
            "requisito (nessuno essenziale)",
            "requirement (none essential)",
        ),
        (false, false) => (
            "requisiti (nessuno essenziale)",
            "requirements (none essential)",
        ),
    };
    let met_noun_it = noun_it(met);
    let summary_it = format!(
        "Punteggio {percent}%: soddisfa pienamente {met} {met_noun_it} su {total}, in parte {partly} ({related} tramite competenze correlate); lacune essenziali (mancanti o sotto livello): {essential_gaps} su {gap_basis} {basis_it}."
    );
    let summary_en = format!(
        "Score {percent}%: fully meets {met} of {total} {}, partly {partly} ({related} through related skills); essential gaps (missing or below level): {essential_gaps} of {gap_basis} {basis_en}.",
        if total == 1 { "requirement" } else { "requirements" }
    );
    Explanation {
        score,
        essential_coverage,
        items,
        essential_gaps,
        gap_basis,
        summary_it,
        summary_en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::score;

    #[test]
    fn explains_exact_related_and_missing() {
        let graph = SkillGraph::new(4, &[], &[(1, 3)], vec![]).unwrap();
        // Hand-computed with a related discount of 0.5, set explicitly (the default is 0.25).
        let config = ScoringConfig {
            related_discount: 0.5,
            ..ScoringConfig::default()
        };
        let requirements = [
            Requirement::new(0, 3, true).unwrap(),
            Requirement::new(1, 2, true).unwrap(),
            Requirement::new(2, 1, false).unwrap(),
        ];
        let profile = [(0, 2), (3, 2)];
        let labels = |skill: u32| format!("skill {skill}");
        let explanation = explain(&profile, &requirements, &config, Some(&graph), &labels);
        assert_eq!(
            explanation.items[0].outcome,
            MatchOutcome::Exact {
                level: 2,
                deficit: 1
            }
        );
        assert_eq!(
            explanation.items[1].outcome,
            MatchOutcome::Related {
                via_skill: 3,
                via_label: "skill 3".into(),
                relation: Relation::Related,
                parent_label: None,
                level: 2,
                deficit: 0
            }
        );
        assert_eq!(explanation.items[1].credit, 0.5);
        assert_eq!(explanation.items[2].outcome, MatchOutcome::Missing);
        assert_eq!(
            explanation.score,
            score(&profile, &requirements, &config, Some(&graph))
        );
        // essential: (2/3 + 0.5) / 2
        assert!((explanation.essential_coverage - (2.0 / 3.0 + 0.5) / 2.0).abs() < 1e-6);
        // Requirement 0 is held below its level, requirement 1 only through a related skill:
        // both are essential gaps; nothing is fully met.
        assert!(explanation.items[0].gap && explanation.items[1].gap);
        assert!(
            !explanation.items[2].gap,
            "optional requirements are never gaps"
        );
        assert_eq!(explanation.essential_gaps, 2);
        assert_eq!(explanation.gap_basis, 2);
        assert!(
            explanation
                .summary_en
                .contains("fully meets 0 of 3 requirements, partly 2"),
            "{}",
            explanation.summary_en
        );
        assert!(explanation
            .summary_it
            .contains("lacune essenziali (mancanti o sotto livello): 2 su 2"));
        assert!(explanation.items[1]
            .line_it()
            .contains("correlata: collegata in ESCO: «skill 3»"));
        assert!(explanation.items[1]
            .line_it()
            .ends_with("lacuna essenziale"));
        assert!(!explanation.items[2].line_it().contains("lacuna"));
    }
}
