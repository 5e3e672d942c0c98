//! Type-ahead over skill labels in every imported language, with typo tolerance.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED, STRING,
};
use tantivy::{doc, Index, IndexReader, TantivyDocument, Term};

use super::{folded_words, register_analyzers, FOLDED};
use crate::taxonomy::{LabelKind, Taxonomy};
use crate::{Error, ErrorCode, Result};

/// One type-ahead result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillHit {
    /// The taxonomy's index of the skill.
    pub skill: u32,
    /// The ESCO URI.
    pub uri: String,
    /// The label that matched.
    pub matched_label: String,
    /// Its language.
    pub language: String,
    /// The preferred label in the language asked for (falls back to English, then any).
    pub preferred_label: String,
    /// Relevance (higher is better).
    pub score: f32,
}

/// The skill-label index (in RAM; rebuilt from the taxonomy in well under a second per 100k labels).
pub struct SkillLabelIndex {
    reader: IndexReader,
    label: Field,
    skill: Field,
    language: Field,
    kind: Field,
}

impl std::fmt::Debug for SkillLabelIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SkillLabelIndex").finish_non_exhaustive()
    }
}

fn kind_boost(kind: u64) -> f32 {
    match kind {
        0 => 1.5,
        1 => 1.0,
        _ => 0.7,
    }
}

impl SkillLabelIndex {
    /// Indexes every label of every skill (not skill groups) of the taxonomy.
    pub fn build(taxonomy: &Taxonomy) -> Result<Self> {
        let mut builder = Schema::builder();
        let text = TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(FOLDED)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let label = builder.add_text_field("label", text);
        let skill = builder.add_u64_field("skill", STORED | FAST);
        let language = builder.add_text_field("lang", STRING | STORED);
        let kind = builder.add_u64_field("kind", STORED | FAST);
        let index = Index::create_in_ram(builder.build());
        register_analyzers(&index);
        let mut writer = index.writer_with_num_threads(1, 50_000_000)?;
        for id in 0..taxonomy.skill_count() as u32 {
            if taxonomy.is_group(id) {
                continue;
            }
            for (lang, label_kind, text) in taxonomy.labels(id) {
                let kind_number = match label_kind {
                    LabelKind::Preferred => 0u64,
                    LabelKind::Alternative => 1,
                    LabelKind::Hidden => 2,
                };
                writer.add_document(
                    doc!(label => text, skill => id as u64, language => lang, kind => kind_number),
                )?;
            }
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(SkillLabelIndex {
            reader,
            label,
            skill,
            language,
            kind,
        })
    }

    /// Up to `limit` skills whose labels match `text`: every word fuzzily (1 edit for words of 4–7
    /// letters, 2 from 8), the last word also as a prefix (type-ahead). Labels in `language` rank
    /// first among equals; preferred labels weigh more than alternative and hidden ones.
    pub fn search(
        &self,
        taxonomy: &Taxonomy,
        text: &str,
        language: &str,
        limit: usize,
    ) -> Result<Vec<SkillHit>> {
        let words = folded_words(text);
        if words.is_empty() {
            return Err(Error::invalid(
                ErrorCode::EmptyQuery,
                "type at least one word",
            ));
        }
        if words.len() > 12 || text.len() > 200 {
            return Err(Error::invalid(
                ErrorCode::QueryTooLong,
                "type-ahead takes at most 12 words",
            ));
        }
        let last = words.len() - 1;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (position, word) in words.iter().enumerate() {
            let term = Term::from_field_text(self.label, word);
            let distance = match word.chars().count() {
                0..=3 => 0,
                4..=7 => 1,
                _ => 2,
            };
            let query: Box<dyn Query> = if position == last {
                Box::new(FuzzyTermQuery::new_prefix(term, distance.min(1), true))
            } else {
                Box::new(FuzzyTermQuery::new(term, distance, true))
            };
            clauses.push((Occur::Must, query));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BoostQuery::new(Box::new(query), 1.0),
            &TopDocs::with_limit(limit.clamp(1, 100) * 8).order_by_score(),
        )?;
        let mut best: HashMap<u64, SkillHit> = HashMap::new();
        for (score, address) in top {
            let document: TantivyDocument = searcher.doc(address)?;
            let skill = document
                .get_first(self.skill)
                .and_then(|v| v.as_u64())
                .unwrap_or_default();
            let kind = document
                .get_first(self.kind)
                .and_then(|v| v.as_u64())
                .unwrap_or(2);
            let lang = document
                .get_first(self.language)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let matched = document
                .get_first(self.label)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let language_boost = if lang == language { 1.2 } else { 1.0 };
            let adjusted = score * kind_boost(kind) * language_boost;
            let id = skill as u32;
            if best.get(&skill).is_none_or(|hit| hit.score < adjusted) {
                best.insert(
                    skill,
                    SkillHit {
                        skill: id,
                        uri: taxonomy.skill_uri(id).to_string(),
                        matched_label: matched,
                        language: lang,
                        preferred_label: taxonomy
                            .preferred_label(id, language)
                            .unwrap_or_default()
                            .to_string(),
                        score: adjusted,
                    },
                );
            }
        }
        let mut hits: Vec<SkillHit> = best.into_values().collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.uri.cmp(&b.uri)));
        hits.truncate(limit);
        Ok(hits)
    }
}
