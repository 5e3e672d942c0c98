//! Explanations: requirement by requirement, what met it and what is missing.

use super::kernel::{requirement_credit, requirement_weight, score_parts};
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
    /// One line in Italian.
    pub summary_it: String,
    /// One line in English.
    pub summary_en: String,
}

/// Explains the score of `profile` against `requirements`; `labels` names a skill.
pub fn explain(
    profile: &[(u32, u8)],
    requirements: &[Requirement],
    config: &ScoringConfig,
    graph: Option<&SkillGraph>,
    labels: &dyn Fn(u32) -> String,
) -> Explanation {
    let (score, essential_coverage) = score_parts(profile, requirements, config, graph);
    let mut items = Vec::with_capacity(requirements.len());
    for requirement in requirements {
        let credit = requirement_credit(profile, requirement, config, graph);
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
        });
    }
    let count =
        |pick: &dyn Fn(&RequirementExplanation) -> bool| items.iter().filter(|i| pick(i)).count();
    let total = items.len();
    let met = count(&|i| i.credit > 0.0);
    let related = count(&|i| matches!(i.outcome, MatchOutcome::Related { .. }));
    let essential_total = count(&|i| i.essential);
    let essential_missing = count(&|i| i.essential && i.credit == 0.0);
    let percent = (score * 100.0).round();
    let summary_it = format!(
        "Punteggio {percent}%: soddisfa {met} requisiti su {total} ({related} tramite competenze correlate); requisiti essenziali mancanti: {essential_missing} su {essential_total}."
    );
    let summary_en = format!(
        "Score {percent}%: meets {met} of {total} requirements ({related} through related skills); essential requirements missing: {essential_missing} of {essential_total}."
    );
    Explanation {
        score,
        essential_coverage,
        items,
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
        assert!(explanation.summary_en.contains("meets 2 of 3"));
        assert!(explanation.summary_it.contains("soddisfa 2 requisiti su 3"));
    }
}
