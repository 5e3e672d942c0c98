//! BM25 over the skills of one language, each a document of its description and its labels
//! (preferred, alternative, hidden): how competence suggestions find skills a sentence describes
//! rather than names.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED,
};
use tantivy::{doc, Index, IndexReader, TantivyDocument, Term};

use super::{register_analyzers, ENGLISH, ITALIAN};
use crate::suggest::Lang;
use crate::taxonomy::{SkillIdx, Taxonomy};
use crate::Result;

/// The descriptions and labels of every skill in one language, in RAM.
pub struct SkillDescriptionIndex {
    reader: IndexReader,
    description: Field,
    labels: Field,
    skill: Field,
    documents: usize,
}

impl std::fmt::Debug for SkillDescriptionIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SkillDescriptionIndex")
            .field("documents", &self.documents)
            .finish_non_exhaustive()
    }
}

/// A query uses at most this many distinct words.
const MAX_QUERY_WORDS: usize = 48;
/// A word found in a skill's labels weighs this many times a word of its description.
const LABEL_BOOST: f32 = 2.0;

impl SkillDescriptionIndex {
    /// Indexes the descriptions and labels written in `lang` (not the fallbacks of other
    /// languages) of every skill, leaving out the labels `exclude` names (for held-out
    /// evaluation).
    pub fn build(
        taxonomy: &Taxonomy,
        lang: Lang,
        exclude: &dyn Fn(SkillIdx, &str) -> bool,
    ) -> Result<Self> {
        let mut builder = Schema::builder();
        let tokenizer = match lang {
            Lang::Italian => ITALIAN,
            Lang::English => ENGLISH,
        };
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let description = builder.add_text_field("description", text.clone());
        let labels = builder.add_text_field("labels", text);
        let skill = builder.add_u64_field("skill", STORED | FAST);
        let index = Index::create_in_ram(builder.build());
        register_analyzers(&index);
        let mut writer = index.writer_with_num_threads(1, 50_000_000)?;
        let mut documents = 0;
        for id in 0..taxonomy.skill_count() as SkillIdx {
            if taxonomy.is_group(id) {
                continue;
            }
            let body: Vec<&str> = taxonomy
                .descriptions(id)
                .filter(|(language, body)| *language == lang.code() && !body.trim().is_empty())
                .map(|(_, body)| body)
                .collect();
            let names: Vec<&str> = taxonomy
                .labels(id)
                .filter(|(language, _, label)| *language == lang.code() && !exclude(id, label))
                .map(|(_, _, label)| label)
                .collect();
            if body.is_empty() && names.is_empty() {
                continue;
            }
            writer.add_document(doc!(
                description => body.join("\n"),
                labels => names.join("\n"),
                skill => id as u64
            ))?;
            documents += 1;
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(SkillDescriptionIndex {
            reader,
            description,
            labels,
            skill,
            documents,
        })
    }

    /// How many skills are indexed.
    pub fn len(&self) -> usize {
        self.documents
    }

    /// True when no skill is indexed.
    pub fn is_empty(&self) -> bool {
        self.documents == 0
    }

    /// The `limit` skills whose descriptions and labels best match `stems` (already analysed
    /// words of the index's language, stop words removed), with their BM25 scores (a word in the
    /// labels weighs double).
    pub fn search(&self, stems: &[&str], limit: usize) -> Result<Vec<(SkillIdx, f32)>> {
        if self.documents == 0 || stems.is_empty() {
            return Ok(Vec::new());
        }
        let mut seen = std::collections::HashSet::new();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for stem in stems {
            if clauses.len() >= MAX_QUERY_WORDS {
                break;
            }
            if seen.insert(*stem) {
                let term = Term::from_field_text(self.description, stem);
                clauses.push((
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                ));
                let term = Term::from_field_text(self.labels, stem);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                        LABEL_BOOST,
                    )),
                ));
            }
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let document: TantivyDocument = searcher.doc(address)?;
            if let Some(skill) = document.get_first(self.skill).and_then(|v| v.as_u64()) {
                hits.push((skill as SkillIdx, score));
            }
        }
        Ok(hits)
    }
}
