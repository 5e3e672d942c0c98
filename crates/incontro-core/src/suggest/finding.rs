//! Label finding: the phrase dictionaries of a language, built from the taxonomy, and the
//! suggestion of one text from its label hits (then description matches and resemblance).

use super::description::SkillWords;
use super::dictionary::{Dictionary, LabelInput};
use super::matcher::Hit;
use super::ranking::aggregate;
use super::{
    baseline, matcher, Candidate, HintSkill, Lang, OccupationHint, Span, SuggestedSkill, Suggester,
    OCCUPATION_HINTS, RESEMBLANCE_WEIGHT,
};
use crate::index::{SkillDescriptionIndex, Word, WordAnalyser};
use crate::taxonomy::{LabelKind, SkillIdx, Taxonomy};
use crate::Result;

impl Suggester {
    /// Builds the dictionaries and the description index of `lang`, leaving out the skill labels
    /// `exclude` names (for held-out evaluation).
    pub(crate) fn build(
        taxonomy: &Taxonomy,
        lang: Lang,
        exclude: &dyn Fn(SkillIdx, &str) -> bool,
    ) -> Result<Self> {
        let code = lang.code();
        let mut skill_labels = Vec::new();
        let mut native = 0;
        for skill in 0..taxonomy.skill_count() as SkillIdx {
            if taxonomy.is_group(skill) {
                continue;
            }
            let before = skill_labels.len();
            for (language, kind, text) in taxonomy.labels(skill) {
                if language == code && !exclude(skill, text) {
                    skill_labels.push(LabelInput {
                        concept: skill,
                        fallback: false,
                        kind,
                        text: text.into(),
                    });
                }
            }
            native += skill_labels.len() - before;
            let has_own = taxonomy
                .labels(skill)
                .any(|(language, _, _)| language == code);
            if has_own || lang == Lang::English {
                continue;
            }
            // No label in the language: its English labels stand in, word for word.
            for (language, kind, text) in taxonomy.labels(skill) {
                if language == Lang::English.code() && kind != LabelKind::Hidden {
                    skill_labels.push(LabelInput {
                        concept: skill,
                        fallback: true,
                        kind,
                        text: text.into(),
                    });
                }
            }
        }
        // Preferred labels first, so a label repeated as alternative keeps the better kind.
        skill_labels.sort_by_key(|label| (label.kind.to_db(), label.concept));
        let skills = Dictionary::build(lang, skill_labels.into_iter());
        let mut occupation_labels = Vec::new();
        for occupation in 0..taxonomy.occupation_count() as u32 {
            for (language, kind, text) in taxonomy.occupation_labels(occupation) {
                if language != code {
                    continue;
                }
                for variant in gendered_forms(text) {
                    occupation_labels.push(LabelInput {
                        concept: occupation,
                        fallback: false,
                        kind,
                        text: variant,
                    });
                }
            }
        }
        occupation_labels.sort_by_key(|label| (label.kind.to_db(), label.concept));
        let occupations = Dictionary::build(lang, occupation_labels.into_iter());
        let descriptions = SkillDescriptionIndex::build(taxonomy, lang, exclude)?;
        let skill_words = SkillWords::build(taxonomy, lang, exclude);
        let similar = baseline::TfIdfBaseline::build_excluding(taxonomy, lang, exclude);
        Ok(Suggester {
            lang,
            native_labels: native,
            skills,
            occupations,
            descriptions,
            skill_words,
            similar,
        })
    }

    /// The competences and occupations `text` (already checked) names.
    pub(crate) fn suggest(
        &self,
        taxonomy: &Taxonomy,
        analyser: &mut WordAnalyser,
        text: &str,
        top_k: usize,
    ) -> Result<(Vec<SuggestedSkill>, Vec<OccupationHint>)> {
        let words = analyser.words(text);
        if words.is_empty() {
            // Letters or digits, but no word the analyser keeps (a number 16,000 digits long):
            // nothing to suggest, like a text that names no competence. A text without any
            // letter or digit was refused by `check_text` (`empty_text`).
            return Ok((Vec::new(), Vec::new()));
        }
        let info = matcher::annotate(self.lang, text, &words);
        let segments = matcher::segments(&info);

        let hits = matcher::drop_covered(matcher::find_labels(
            self.lang,
            &self.skills,
            &words,
            &segments,
            true,
        ));
        let mut candidates: Vec<Candidate> = hits
            .iter()
            .map(|hit| self.candidate(&self.skills, hit))
            .collect();
        // The description search and the label resemblance of every sentence do not depend on
        // each other: on two cores they run side by side (same candidates, in the same order).
        let (described, resemblance) = rayon::join(
            || {
                let mut described = Vec::new();
                self.describe_sentences(&words, &info, top_k, &mut described)
                    .map(|()| described)
            },
            || self.resemblance(&words, &info),
        );
        candidates.extend(described?);
        for candidate in candidates.iter_mut() {
            if let Some(cosine) = resemblance.get(&candidate.concept) {
                candidate.score += RESEMBLANCE_WEIGHT * cosine;
            }
        }
        let skills = aggregate(candidates, top_k, 0.03)
            .into_iter()
            .map(|(best, mentions)| SuggestedSkill {
                uri: taxonomy.skill_uri(best.concept).to_string(),
                label: skill_label(taxonomy, best.concept, self.lang).0,
                label_fallback: skill_label(taxonomy, best.concept, self.lang).1,
                score: best.score,
                kind: best.kind,
                matched_label: self.matched_label(&self.skills, best.matched),
                span: span(text, &words, best.first, best.last),
                mentions,
            })
            .collect();

        let occupation_hits = matcher::drop_covered(matcher::find_labels(
            self.lang,
            &self.occupations,
            &words,
            &segments,
            false,
        ));
        let occupation_candidates = occupation_hits
            .iter()
            .map(|hit| self.candidate(&self.occupations, hit))
            .collect();
        // A title repeated in an ad ("a welder … the welder will …") weighs more than a skill.
        let occupations = aggregate(occupation_candidates, OCCUPATION_HINTS, 0.1)
            .into_iter()
            .map(|(best, _)| {
                let mut essential_skills: Vec<HintSkill> = taxonomy
                    .occupation_skills(best.concept)
                    .iter()
                    .filter(|(_, essential)| *essential)
                    .map(|&(skill, _)| {
                        let (label, label_fallback) = skill_label(taxonomy, skill, self.lang);
                        HintSkill {
                            uri: taxonomy.skill_uri(skill).to_string(),
                            label,
                            label_fallback,
                        }
                    })
                    .collect();
                essential_skills.sort_by(|a, b| a.label.cmp(&b.label).then(a.uri.cmp(&b.uri)));
                OccupationHint {
                    uri: taxonomy.occupation_uri(best.concept).to_string(),
                    label: taxonomy
                        .occupation_label(best.concept, self.lang.code())
                        .unwrap_or_default()
                        .to_string(),
                    score: best.score,
                    kind: best.kind,
                    matched_label: self.matched_label(&self.occupations, best.matched),
                    span: span(text, &words, best.first, best.last),
                    essential_skills,
                }
            })
            .collect();
        Ok((skills, occupations))
    }

    fn candidate(&self, dictionary: &Dictionary, hit: &Hit) -> Candidate {
        Candidate {
            concept: dictionary.entries[hit.entry as usize].concept,
            first: hit.first,
            last: hit.last,
            kind: hit.kind,
            score: hit.score,
            cap: if hit.single_word {
                matcher::SINGLE_WORD_CAP
            } else {
                1.0
            },
            matched: Some(hit.entry),
        }
    }

    fn matched_label(&self, dictionary: &Dictionary, entry: Option<u32>) -> String {
        match entry {
            Some(entry) => dictionary.entries[entry as usize].label.to_string(),
            None => "description".to_string(),
        }
    }
}

/// The forms of an occupation label that lists gendered forms: "saldatore/saldatrice di
/// tubazioni" gives "saldatore di tubazioni" and "saldatrice di tubazioni" (the words after the
/// last form apply to every form); a label without `/` gives itself.
fn gendered_forms(label: &str) -> Vec<std::borrow::Cow<'_, str>> {
    let forms: Vec<&str> = label
        .split('/')
        .map(str::trim)
        .filter(|form| !form.is_empty())
        .collect();
    let Some(last) = forms.last() else {
        return Vec::new();
    };
    let last_words: Vec<&str> = last.split_whitespace().collect();
    let last_position = forms.len() - 1;
    forms
        .iter()
        .enumerate()
        .map(|(position, form)| {
            let words = form.split_whitespace().count();
            if position < last_position && words < last_words.len() {
                let tail = last_words[words..].join(" ");
                std::borrow::Cow::Owned(format!("{form} {tail}"))
            } else {
                std::borrow::Cow::Borrowed(*form)
            }
        })
        .collect()
}

/// The preferred label of `skill` in `lang`, else in English (else any), and whether it is such
/// a fallback.
fn skill_label(taxonomy: &Taxonomy, skill: SkillIdx, lang: Lang) -> (String, bool) {
    let own = taxonomy
        .labels(skill)
        .any(|(language, kind, _)| language == lang.code() && kind == LabelKind::Preferred);
    let label = taxonomy
        .preferred_label(skill, lang.code())
        .unwrap_or_default()
        .to_string();
    (label, !own)
}

fn span(text: &str, words: &[Word], first: usize, last: usize) -> Span {
    let start = words[first].from;
    let end = words[last].to;
    Span {
        start,
        end,
        quote: text.get(start..end).unwrap_or_default().to_string(),
    }
}
