//! The system card (`incontro report system-card`): the technical documentation of the ranking
//! generated from the running system (EU AI Act, art. 11 and Annex IV in spirit): intended
//! purpose, inputs, scoring method, figures measured now on the data in the store, the latest
//! bias figures, known limitations and the human-oversight measures, dated and versioned.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::{FairnessQuery, FairnessReport, OVERSIGHT_TOP};
use crate::matching::MAX_K;
use crate::model::OccupationCode;
use crate::scoring::ScoringConfig;
use crate::{Engine, Error, ErrorCode, Result};

/// The scoring documentation, shipped with the binary.
const SCORING_DOC: &str = include_str!("../../docs/scoring.md");

/// What the card measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemCardOptions {
    /// Length of each ranked list.
    pub k: usize,
    /// Suggestion queries drawn from the taxonomy (0: not measured).
    pub suggestion_queries: usize,
}

impl Default for SystemCardOptions {
    fn default() -> Self {
        SystemCardOptions {
            k: 10,
            suggestion_queries: 200,
        }
    }
}

/// How well the ranking puts a person's own occupation first, on the data in the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnOccupationFigures {
    /// People whose latest past job has an ESCO occupation that some open vacancy is for.
    pub people: usize,
    /// Mean nDCG@k, default mode (relevance 1 for a vacancy of the person's own occupation).
    pub ndcg_default: f64,
    /// The same in exact mode.
    pub ndcg_exact: f64,
}

/// `DCG / ideal DCG` of a ranked list of relevances (0/1), with `relevant` relevant items in all.
fn ndcg(relevances: &[bool], relevant: usize, k: usize) -> f64 {
    let gain = |index: usize| 1.0 / ((index + 2) as f64).log2();
    let dcg: f64 = relevances
        .iter()
        .take(k)
        .enumerate()
        .filter(|(_, relevant)| **relevant)
        .map(|(index, _)| gain(index))
        .sum();
    let ideal: f64 = (0..relevant.min(k)).map(gain).sum();
    if ideal == 0.0 {
        0.0
    } else {
        dcg / ideal
    }
}

/// The first `##` section of a Markdown document whose title starts with `title`.
fn section<'a>(document: &'a str, title: &str) -> &'a str {
    let heading = format!("## {title}");
    let Some(start) = document.find(&heading) else {
        return "";
    };
    let rest = &document[start..];
    let end = rest[3..]
        .find("\n## ")
        .map_or(rest.len(), |index| index + 4);
    rest[..end].trim_end()
}

/// **Fairness**: the model card.
impl Engine {
    /// Own-occupation nDCG@k on the data in the store (see [`OwnOccupationFigures`]).
    pub fn own_occupation_figures(&self, k: usize) -> Result<OwnOccupationFigures> {
        let today = self.today();
        let state = self.match_state()?;
        let set = state.match_set();
        let vacancies = self.list_open_vacancies(today)?;
        let occupation_of: HashMap<&str, &str> = vacancies
            .iter()
            .filter_map(|v| Some((v.id.as_str(), v.occupation.as_ref()?.as_str())))
            .collect();
        let mut per_occupation: HashMap<&str, usize> = HashMap::new();
        for position in 0..set.vacancy_count() {
            if let Some(occupation) = occupation_of.get(set.vacancy_id(position)) {
                *per_occupation.entry(occupation).or_default() += 1;
            }
        }
        let (mut people, mut sum_default, mut sum_exact) = (0, 0.0, 0.0);
        for seeker in self.all_job_seekers()? {
            let latest = seeker.work_history.iter().max_by_key(|job| job.start);
            let Some(OccupationCode::Esco(own)) = latest.map(|job| &job.occupation) else {
                continue;
            };
            let Some(&relevant) = per_occupation.get(own.as_str()) else {
                continue;
            };
            let Some(worker) = state.worker_index(seeker.id.as_str()) else {
                continue;
            };
            let profile = set.worker_profile(worker);
            let measure = |config: &ScoringConfig| {
                let relevances: Vec<bool> = set
                    .top_vacancies_for_worker(profile, k, config, &|_| true)
                    .into_iter()
                    .map(|(position, _)| {
                        occupation_of.get(set.vacancy_id(position)) == Some(&own.as_str())
                    })
                    .collect();
                ndcg(&relevances, relevant, k)
            };
            sum_default += measure(&ScoringConfig::default());
            sum_exact += measure(&ScoringConfig::exact());
            people += 1;
        }
        let mean = |sum: f64| {
            if people == 0 {
                0.0
            } else {
                sum / people as f64
            }
        };
        Ok(OwnOccupationFigures {
            people,
            ndcg_default: mean(sum_default),
            ndcg_exact: mean(sum_exact),
        })
    }

    /// The system card as Markdown.
    pub fn system_card(&self, options: &SystemCardOptions) -> Result<String> {
        if options.k == 0 || options.k > MAX_K {
            return Err(Error::invalid(
                ErrorCode::InvalidK,
                format!("k must be 1 to {MAX_K}, got {}", options.k),
            ));
        }
        let today = self.today();
        let revision = self.data_revision()?;
        let state = self.match_state()?;
        let (vacancies, people) = state.counts();
        let own = self.own_occupation_figures(options.k)?;
        let bias = self.fairness_report(&FairnessQuery {
            comuni: Vec::new(),
            k: options.k,
        })?;
        let mut card = String::new();
        let _ = writeln!(card, "# Incontro — system card\n");
        let _ = writeln!(
            card,
            "Generated by `incontro report system-card` on {today} from Incontro {} (data revision \
             {revision}, {people} job seekers, {vacancies} open vacancies). Regenerate it after \
             every release and every data import: the figures below are measured, not copied.\n",
            env!("CARGO_PKG_VERSION"),
        );
        card.push_str(INTENDED_PURPOSE);
        card.push_str(INPUTS);
        let _ = writeln!(card, "## Scoring method\n");
        let _ = writeln!(
            card,
            "From `docs/scoring.md` (the document the scorer's tests are written against):\n"
        );
        for title in ["Exact coverage", "Default mode"] {
            let text = section(SCORING_DOC, title).replacen("## ", "### ", 1);
            let _ = writeln!(card, "{text}\n");
        }
        let _ = writeln!(card, "## Measured quality\n");
        let _ = writeln!(
            card,
            "Own-occupation nDCG@{k} on the data in the store: for each of the {} job seekers whose \
             latest job has an ESCO occupation that an open vacancy is for, relevance 1 for a \
             vacancy of that occupation.\n\n| mode | nDCG@{k} |\n|---|---|\n| default | {:.4} |\n\
             | exact | {:.4} |\n",
            own.people,
            own.ndcg_default,
            own.ndcg_exact,
            k = options.k,
        );
        self.write_suggestion_quality(&mut card, options.suggestion_queries);
        write_bias(&mut card, &bias);
        card.push_str(OVERSIGHT);
        let o = &bias.oversight;
        let _ = writeln!(
            card,
            "Recorded so far: {} proposals and placements with their rank; {} ({:.1}%) were first \
             in neither list, {} ({:.1}%) beyond the top {OVERSIGHT_TOP} of both, {} not ranked at \
             all.\n",
            o.records,
            o.not_first,
            o.not_first_rate() * 100.0,
            o.beyond_top,
            o.beyond_top_rate() * 100.0,
            o.unranked
        );
        card.push_str(LIMITATIONS);
        Ok(card)
    }

    fn write_suggestion_quality(&self, card: &mut String, queries: usize) {
        let _ = writeln!(card, "### Competence suggestions from text\n");
        if queries == 0 {
            let _ = writeln!(
                card,
                "Not measured in this run (`--suggestion-queries 0`).\n"
            );
            return;
        }
        let mut measured = false;
        for language in ["it", "en"] {
            let Ok(report) = self.suggest_eval_taxonomy(language, queries) else {
                continue;
            };
            let sets: Vec<_> = report.sets.iter().filter(|set| set.queries > 0).collect();
            if sets.is_empty() {
                continue;
            }
            if !measured {
                let _ = writeln!(
                    card,
                    "Query sets built from the imported taxonomy (`incontro suggest eval`), at \
                     most {queries} queries each.\n\n| language | set | queries | recall@10 | MRR |\n|---|---|---|---|---|"
                );
            }
            measured = true;
            for set in sets {
                let _ = writeln!(
                    card,
                    "| {language} | {} | {} | {:.4} | {:.4} |",
                    set.name, set.queries, set.recall_at_10, set.mrr
                );
            }
        }
        if measured {
            card.push('\n');
        } else {
            let _ = writeln!(
                card,
                "Not measurable on this taxonomy (no occupation descriptions nor alternative \
                 labels to build queries from).\n"
            );
        }
    }
}

fn write_bias(card: &mut String, bias: &FairnessReport) {
    let _ = writeln!(card, "## Latest bias figures\n");
    let _ = writeln!(
        card,
        "`incontro report fairness` on {} (data revision {}), every job seeker and open vacancy, \
         top {}: exposure ratio = share of top-k slots over share of people; rate and score \
         ratios against the best group of the dimension; flagged below 0.8 (four-fifths rule, a \
         signal, not a verdict). Explained in `docs/fairness.md`.\n",
        bias.day, bias.data_revision, bias.k
    );
    let _ = writeln!(
        card,
        "| dimension | group | people | exposure ratio | top-k rate ratio | mean score ratio | flag | competences only: exposure / rate / score ratio |\n|---|---|---|---|---|---|---|---|"
    );
    let ratio = |value: Option<f64>| value.map_or("–".to_string(), |v| format!("{v:.2}"));
    for row in &bias.rows {
        let _ = writeln!(
            card,
            "| {} | {} | {} | {} | {} | {} | {} | {} / {} / {} |",
            row.dimension.label_it(),
            row.group,
            row.people,
            ratio(row.served.exposure_ratio),
            ratio(row.served.top_k_rate_ratio),
            ratio(row.served.mean_score_ratio),
            if row.served.four_fifths_flag {
                "**yes**"
            } else {
                "no"
            },
            ratio(row.competences_only.exposure_ratio),
            ratio(row.competences_only.top_k_rate_ratio),
            ratio(row.competences_only.mean_score_ratio),
        );
    }
    card.push('\n');
}

const INTENDED_PURPOSE: &str = "## Intended purpose\n\n\
Incontro helps the staff of Italian public employment services (centri per l'impiego) match job \
seekers and vacancies on the competences they hold and require (ESCO skills), propose training \
that closes gaps, and plan outreach calls to people who lost a job. It ranks open vacancies for a \
person and candidates for a vacancy. It is a decision aid for trained staff: it never contacts, \
selects, rejects or places anyone by itself. This use — ranking people for employment and access \
to public services — is high-risk under the EU AI Act (Annex III, points 4 and 5).\n\n";

const INPUTS: &str = "## Inputs\n\n\
Used by the score: the person's competences (declared, assessed, certified, from courses) with \
their levels; competences inferred from their work history (ESCO, ISCO-08 or CP2011 occupation and \
months in the job); the vacancy's required competences, levels, essential/optional flags and \
validator weights; the ESCO taxonomy (hierarchy, skill–skill relations, reuse levels). Used only \
as filters the caller asks for: distance between comuni, contract or tirocinio, contract type, \
public or agency source, dates.\n\n\
Never used by the score: sex, year of birth, citizenship, disability, names, codice fiscale, \
contact details. Sex, age band, citizenship and disability are read only after ranking, to \
measure the bias figures; a test (`tests/fairness.rs`) changes only them and finds every ranking \
unchanged.\n\n";

const OVERSIGHT: &str = "## Human oversight\n\n\
- Every ranked list in the console says that it is a suggestion for staff to judge, and shows \
the explanation of each score requirement by requirement.\n\
- Staff decide: a proposal or placement is recorded by a named member of staff, who may choose \
any person or vacancy, ranked or not.\n\
- Each proposal and placement keeps the rank of the vacancy in the person's list, the rank of \
the person among the vacancy's candidates and the score at that moment, so that the office can \
see how often staff go beyond the top of the list (`supervisione_umana.csv` of the bias report).\n\
- Every read of a person's data is audited (who, when, what).\n\
- Every ranking served (API and console) is logged with its time, caller (key, role, office), \
data revision, scoring mode and parameters, and the ids and scores returned; `incontro explain \
--log-id N` reproduces it while the data is unchanged, and `incontro purge` applies the office's \
retention (6 months by default).\n\n";

const LIMITATIONS: &str = "## Known limitations\n\n\
- Scores measure coverage of recorded competences only: competences nobody recorded, soft skills \
described in free text and motivation are invisible. Incomplete records rank lower.\n\
- Competences inferred from work history favour people with long, recorded, formal careers; \
people with informal or foreign work experience may be ranked lower until staff record it.\n\
- The related-credit discount (0.25) was tuned on one synthetic workload; treat it as a tunable.\n\
- Bias figures on small groups are unstable: a group of a few people can cross the four-fifths \
line by chance. The demo data's protected attributes are synthetic.\n\
- Citizenship is recorded only when the office records it; people without it are left out of \
that dimension.\n\
- Suggestions from text are offline and dictionary-based (Italian and English only).\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndcg_by_hand() {
        // One relevant item at rank 2 of 3 relevant in all, k = 3:
        // DCG = 1/log2(3); IDCG = 1 + 1/log2(3) + 1/2.
        let value = ndcg(&[false, true, false], 3, 3);
        let expected = (1.0 / 3f64.log2()) / (1.0 + 1.0 / 3f64.log2() + 0.5);
        assert!((value - expected).abs() < 1e-12);
        assert_eq!(ndcg(&[true], 1, 10), 1.0);
        assert_eq!(ndcg(&[false, false], 0, 10), 0.0);
    }

    #[test]
    fn scoring_sections_are_found() {
        assert!(section(SCORING_DOC, "Exact coverage").contains("credit(w,v,s)"));
        assert!(section(SCORING_DOC, "Default mode").contains("Essential-coverage factor"));
        assert!(!section(SCORING_DOC, "Default mode").contains("## Properties"));
    }
}
