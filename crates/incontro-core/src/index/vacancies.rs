//! The vacancy index: full text in Italian and English, required skills as terms, filters as
//! fast fields.

use std::collections::HashMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, TantivyDocument, Term};

use super::{register_analyzers, ENGLISH, ITALIAN};
use crate::matching::haversine_km;
use crate::model::{ComuneCode, PlacementType, Vacancy, VacancySource, VacancyStatus};
use crate::{Error, ErrorCode, Result};

/// A search over the vacancy index. Every filter is optional.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VacancyQuery {
    /// Words searched in title and description (Italian and English stemming).
    #[serde(default)]
    pub text: Option<String>,
    /// Vacancies requiring all these skill URIs.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Within `km` of (`lat`, `lon`).
    #[serde(default)]
    pub near: Option<(f64, f64, f64)>,
    /// Only this comune.
    #[serde(default)]
    pub comune: Option<String>,
    /// Only tirocini (`Some(true)`) or only contracts (`Some(false)`).
    #[serde(default)]
    pub tirocinio: Option<bool>,
    /// Only this contract type.
    #[serde(default)]
    pub contract_type: Option<String>,
    /// Only public job-centre (`Some(true)`) or private-agency (`Some(false)`) vacancies.
    #[serde(default)]
    pub public_source: Option<bool>,
    /// Only vacancies open on this day.
    #[serde(default)]
    pub open_on: Option<NaiveDate>,
    /// Only this status: `draft`, `validated` or `closed`.
    #[serde(default)]
    pub status: Option<String>,
    /// At most this many ids (default 20, at most 1000).
    #[serde(default)]
    pub limit: Option<usize>,
    /// Skip this many.
    #[serde(default)]
    pub offset: usize,
}

struct Fields {
    id: Field,
    title_it: Field,
    title_en: Field,
    description_it: Field,
    description_en: Field,
    skills: Field,
    comune: Field,
    lat: Field,
    lon: Field,
    tirocinio: Field,
    contract_type: Field,
    public: Field,
    opens: Field,
    closes: Field,
    status: Field,
}

/// The vacancy index (on disk under the data directory, or in RAM).
pub struct VacancyIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    revision_file: Option<PathBuf>,
    revision: i64,
}

impl std::fmt::Debug for VacancyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VacancyIndex")
            .field("revision", &self.revision)
            .finish_non_exhaustive()
    }
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        title_it: builder.add_text_field("title_it", text(ITALIAN)),
        title_en: builder.add_text_field("title_en", text(ENGLISH)),
        description_it: builder.add_text_field("description_it", text(ITALIAN)),
        description_en: builder.add_text_field("description_en", text(ENGLISH)),
        skills: builder.add_text_field("skills", STRING),
        comune: builder.add_text_field("comune", STRING | STORED),
        lat: builder.add_f64_field("lat", INDEXED | FAST | STORED),
        lon: builder.add_f64_field("lon", INDEXED | FAST | STORED),
        tirocinio: builder.add_u64_field("tirocinio", INDEXED | FAST),
        contract_type: builder.add_text_field("contract_type", STRING),
        public: builder.add_u64_field("public", INDEXED | FAST),
        opens: builder.add_i64_field("opens", INDEXED | FAST),
        closes: builder.add_i64_field("closes", INDEXED | FAST),
        status: builder.add_text_field("status", STRING),
    };
    (builder.build(), fields)
}

fn day_number(day: NaiveDate) -> i64 {
    day.signed_duration_since(NaiveDate::default()).num_days()
}

fn status_name(status: &VacancyStatus) -> &'static str {
    match status {
        VacancyStatus::Draft => "draft",
        VacancyStatus::Validated { .. } => "validated",
        VacancyStatus::Closed => "closed",
    }
}

impl VacancyIndex {
    /// Opens the index in `dir` (creating it if missing); `None` keeps it in RAM.
    pub fn open_or_create(dir: Option<&Path>) -> Result<Self> {
        let (schema, fields) = schema();
        let (index, revision_file) = match dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| Error::io(dir, source))?;
                let directory = tantivy::directory::MmapDirectory::open(dir)
                    .map_err(|e| Error::Index(e.to_string()))?;
                let index = Index::open_or_create(directory, schema)?;
                (index, Some(dir.join("incontro-revision")))
            }
            None => (Index::create_in_ram(schema), None),
        };
        register_analyzers(&index);
        let revision = revision_file
            .as_ref()
            .and_then(|file| std::fs::read_to_string(file).ok())
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(-1);
        let reader = index.reader()?;
        Ok(VacancyIndex {
            index,
            reader,
            fields,
            revision_file,
            revision,
        })
    }

    /// The store data revision the index was last built from (-1 when never built).
    pub fn revision(&self) -> i64 {
        self.revision
    }

    fn document(
        &self,
        vacancy: &Vacancy,
        coordinates: &HashMap<ComuneCode, (f64, f64)>,
    ) -> TantivyDocument {
        let f = &self.fields;
        let mut document = TantivyDocument::default();
        document.add_text(f.id, vacancy.id.as_str());
        for field in [f.title_it, f.title_en] {
            document.add_text(field, &vacancy.title);
        }
        for field in [f.description_it, f.description_en] {
            document.add_text(field, &vacancy.description);
        }
        for requirement in &vacancy.requirements {
            document.add_text(f.skills, requirement.skill.as_str());
        }
        document.add_text(f.comune, vacancy.comune.as_str());
        if let Some(&(lat, lon)) = coordinates.get(&vacancy.comune) {
            document.add_f64(f.lat, lat);
            document.add_f64(f.lon, lon);
        }
        document.add_u64(f.tirocinio, u64::from(vacancy.placement.is_tirocinio()));
        if let PlacementType::Contract { contract_type } = &vacancy.placement {
            document.add_text(f.contract_type, contract_type);
        }
        document.add_u64(
            f.public,
            u64::from(matches!(vacancy.source, VacancySource::Public)),
        );
        document.add_i64(f.opens, day_number(vacancy.opens));
        document.add_i64(f.closes, vacancy.closes.map(day_number).unwrap_or(i64::MAX));
        document.add_text(f.status, status_name(&vacancy.status));
        document
    }

    /// Replaces the whole index with `vacancies` and records `revision`.
    pub fn rebuild(
        &mut self,
        vacancies: &[Vacancy],
        coordinates: &HashMap<ComuneCode, (f64, f64)>,
        revision: i64,
    ) -> Result<()> {
        let mut writer: IndexWriter = self.index.writer_with_num_threads(1, 50_000_000)?;
        writer.delete_all_documents()?;
        for vacancy in vacancies {
            writer.add_document(self.document(vacancy, coordinates))?;
        }
        writer.commit()?;
        self.reader.reload()?;
        self.set_revision(revision)
    }

    /// Adds or replaces one vacancy (after it is committed in the store) and records `revision`.
    pub fn upsert(
        &mut self,
        vacancy: &Vacancy,
        coordinates: &HashMap<ComuneCode, (f64, f64)>,
        revision: i64,
    ) -> Result<()> {
        let mut writer: IndexWriter = self.index.writer_with_num_threads(1, 15_000_000)?;
        writer.delete_term(Term::from_field_text(self.fields.id, vacancy.id.as_str()));
        writer.add_document(self.document(vacancy, coordinates))?;
        writer.commit()?;
        self.reader.reload()?;
        self.set_revision(revision)
    }

    fn set_revision(&mut self, revision: i64) -> Result<()> {
        if let Some(file) = &self.revision_file {
            std::fs::write(file, revision.to_string()).map_err(|source| Error::io(file, source))?;
        }
        self.revision = revision;
        Ok(())
    }

    fn query(&self, query: &VacancyQuery) -> Result<Box<dyn Query>> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(text) = query
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if text.len() > 1000 {
                return Err(Error::invalid(
                    ErrorCode::QueryTooLong,
                    "text query over 1000 characters",
                ));
            }
            let mut parser = QueryParser::for_index(
                &self.index,
                vec![f.title_it, f.title_en, f.description_it, f.description_en],
            );
            parser.set_field_boost(f.title_it, 2.0);
            parser.set_field_boost(f.title_en, 2.0);
            let (parsed, _errors) = parser.parse_query_lenient(text);
            clauses.push((Occur::Must, parsed));
        }
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        for skill in &query.skills {
            clauses.push((Occur::Must, term(f.skills, skill)));
        }
        if let Some(comune) = &query.comune {
            clauses.push((Occur::Must, term(f.comune, &comune.to_ascii_uppercase())));
        }
        if let Some(contract) = &query.contract_type {
            clauses.push((Occur::Must, term(f.contract_type, contract)));
        }
        if let Some(status) = &query.status {
            clauses.push((Occur::Must, term(f.status, status)));
        }
        let flag = |field: Field, value: bool| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_u64(field, u64::from(value)),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(tirocinio) = query.tirocinio {
            clauses.push((Occur::Must, flag(f.tirocinio, tirocinio)));
        }
        if let Some(public) = query.public_source {
            clauses.push((Occur::Must, flag(f.public, public)));
        }
        if let Some(day) = query.open_on {
            let day = day_number(day);
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Included(Term::from_field_i64(f.opens, day)),
                )),
            ));
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(f.closes, day)),
                    Bound::Unbounded,
                )),
            ));
        }
        if let Some((lat, lon, km)) = query.near {
            // Bounding box in the index; the exact distance is checked on the hits.
            let dlat = km / 111.0;
            let dlon = km / (111.0 * lat.to_radians().cos().abs().max(0.01));
            let range = |field: Field, low: f64, high: f64| -> Box<dyn Query> {
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_f64(field, low)),
                    Bound::Included(Term::from_field_f64(field, high)),
                ))
            };
            clauses.push((Occur::Must, range(f.lat, lat - dlat, lat + dlat)));
            clauses.push((Occur::Must, range(f.lon, lon - dlon, lon + dlon)));
        }
        if clauses.is_empty() {
            return Ok(Box::new(AllQuery));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// The ids of the matching vacancies, most relevant first (text relevance; otherwise by id),
    /// and how many match in all.
    pub fn search(&self, query: &VacancyQuery) -> Result<(Vec<String>, usize)> {
        let limit = query.limit.unwrap_or(20);
        if limit == 0 || limit > 1000 {
            return Err(Error::invalid(
                ErrorCode::InvalidLimit,
                "limit must be 1 to 1000",
            ));
        }
        let searcher = self.reader.searcher();
        let tantivy_query = self.query(query)?;
        let total = searcher.search(&tantivy_query, &Count)?;
        let wanted = if query.near.is_some() {
            total.max(1)
        } else {
            (query.offset + limit).max(1)
        };
        let top = searcher.search(
            &tantivy_query,
            &TopDocs::with_limit(wanted).order_by_score(),
        )?;
        let mut hits = Vec::new();
        for (score, address) in top {
            let document: TantivyDocument = searcher.doc(address)?;
            if let Some((lat, lon, km)) = query.near {
                let here = (
                    document
                        .get_first(self.fields.lat)
                        .and_then(|v| v.as_f64())
                        .unwrap_or(f64::NAN),
                    document
                        .get_first(self.fields.lon)
                        .and_then(|v| v.as_f64())
                        .unwrap_or(f64::NAN),
                );
                // A vacancy without coordinates (NaN distance) is never "near".
                let within = haversine_km((lat, lon), here) <= km;
                if !within {
                    continue;
                }
            }
            let id = document
                .get_first(self.fields.id)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            hits.push((score, id));
        }
        let total = if query.near.is_some() {
            hits.len()
        } else {
            total
        };
        if query.text.is_none() {
            hits.sort_by(|a, b| a.1.cmp(&b.1));
        }
        Ok((
            hits.into_iter()
                .skip(query.offset)
                .take(limit)
                .map(|(_, id)| id)
                .collect(),
            total,
        ))
    }
}
