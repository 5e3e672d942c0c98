//! The training calls of [`Engine`].

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use ahash::AHashMap;
use chrono::NaiveDate;
use serde::Serialize;

use super::chart::{CourseRow, DemandTables, SkillRow, VacancyRow};
use super::demand::{demand_report_with_progress, DemandCourse, DemandInput, DemandVacancy};
use super::proposal::{
    Door, DoorsOptions, GapProposal, PersonContext, TrainingOptions, TrainingState,
};
use crate::matching::haversine_km;
use crate::model::{ComuneCode, EntityId, Modality, VacancyStatus};
use crate::scoring::Requirement;
use crate::{Engine, Error, ErrorCode, Progress, Result};

/// The engine's cached [`TrainingState`], rebuilt with the matching state.
#[derive(Debug, Default)]
pub struct TrainingCache(Mutex<Option<Arc<TrainingState>>>);

/// The area and period of a demand report.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandQuery {
    /// The comuni of the area (vacancies located there, job seekers living there).
    pub comuni: Vec<ComuneCode>,
    /// First day of the period: vacancies open on any day of it count.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// In-presence and blended courses count when held within this many km of a comune of the
    /// area (None = anywhere); online courses always count.
    pub course_max_km: Option<f64>,
    /// Count draft vacancies too (default: validated ones only; the report says which).
    #[serde(default)]
    pub include_drafts: bool,
}

impl DemandQuery {
    fn check(&self) -> Result<()> {
        if self.comuni.is_empty() {
            return Err(Error::invalid(
                ErrorCode::InvalidArea,
                "give at least one comune",
            ));
        }
        if self.to < self.from {
            return Err(Error::invalid(
                ErrorCode::InvalidPeriod,
                format!("period ends ({}) before it starts ({})", self.to, self.from),
            ));
        }
        Ok(())
    }
}

/// **Training**: courses that close a person's gaps, courses that open most doors, demand.
impl Engine {
    /// The course catalogue interned against the current matching state (cached until the
    /// matching state changes; the interned courses are reused until a course changes).
    pub fn training_state(&self) -> Result<Arc<TrainingState>> {
        let match_state = self.match_state()?;
        let mut cached = self
            .training
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(state) = cached.as_ref() {
            if Arc::ptr_eq(state.match_state(), &match_state) {
                return Ok(Arc::clone(state));
            }
        }
        let state = Arc::new(TrainingState::following(match_state, cached.as_deref()));
        *cached = Some(Arc::clone(&state));
        Ok(state)
    }

    /// Gap → courses for one person and one open vacancy: the minimum-hours set of available
    /// courses closing every missing essential competence, the score before and after, the
    /// competences no course teaches, and the placement path.
    pub fn propose_courses(
        &self,
        person: &EntityId,
        vacancy: &EntityId,
        options: &TrainingOptions,
    ) -> Result<GapProposal> {
        let state = self.training_state()?;
        let seeker = self.get_job_seeker(person)?;
        let record = self.get_vacancy(vacancy)?;
        let offers_tirocini = match self.get_company(&record.company_id) {
            Ok(company) => company.offers_tirocini,
            Err(error) if error.kind() == crate::ErrorKind::NotFound => false,
            Err(error) => return Err(error),
        };
        state.propose(
            person.as_str(),
            vacancy.as_str(),
            PersonContext {
                accepts_tirocinio: seeker.accepts_tirocinio,
                disability: seeker.disability,
            },
            offers_tirocini,
            options,
        )
    }

    /// The courses that open the most doors for one person (see [`TrainingState::doors`]).
    pub fn course_doors(&self, person: &EntityId, options: &DoorsOptions) -> Result<Vec<Door>> {
        self.training_state()?.doors(person.as_str(), options)
    }

    /// The competence demand report of an area and period, labelled in `language`.
    pub fn demand_report(
        &self,
        query: &DemandQuery,
        language: &str,
        progress: &dyn Progress,
    ) -> Result<DemandTables> {
        query.check()?;
        let state = self.match_state()?;
        let area: HashSet<&str> = query.comuni.iter().map(ComuneCode::as_str).collect();
        let coordinates = self.comuni_coordinates()?;
        let names = self.comuni_names()?;
        let set = state.match_set();
        // Local job seekers: the matching state's profiles (explicit plus inferred).
        let seekers: Vec<Vec<(u32, u8)>> = state
            .workers_by_id()
            .into_iter()
            .filter(|&worker| area.contains(state.worker_comune(worker).as_str()))
            .map(|worker| set.worker_profile(worker).to_vec())
            .collect();
        // Vacancies of the area open on some day of the period.
        let mut extra: AHashMap<String, u32> = AHashMap::new();
        let mut extra_uris: Vec<String> = Vec::new();
        let mut intern = |uri: &str| -> u32 {
            if let Some(id) = state.skill_id(uri) {
                return id;
            }
            let next = (state.skill_count_interned() + extra.len()) as u32;
            *extra.entry(uri.to_string()).or_insert_with(|| {
                extra_uris.push(uri.to_string());
                next
            })
        };
        let mut vacancy_rows = Vec::new();
        let mut vacancies = Vec::new();
        let mut drafts_counted = 0;
        let mut without_competences = 0;
        for vacancy in self.list_vacancies(None)? {
            let open_in_period = !matches!(vacancy.status, VacancyStatus::Closed)
                && vacancy.opens <= query.to
                && vacancy.closes.is_none_or(|closes| closes >= query.from);
            if !open_in_period || !area.contains(vacancy.comune.as_str()) {
                continue;
            }
            // Drafts count only when asked; a vacancy with no competences demands nothing.
            // See: issue 14
            let draft = matches!(vacancy.status, VacancyStatus::Draft);
            if draft && !query.include_drafts {
                continue;
            }
            if vacancy.requirements.is_empty() {
                without_competences += 1;
                continue;
            }
            if draft {
                drafts_counted += 1;
            }
            let mut requirements = Vec::with_capacity(vacancy.requirements.len());
            for requirement in &vacancy.requirements {
                requirements.push(Requirement::with_weight(
                    intern(requirement.skill.as_str()),
                    requirement.level.get(),
                    requirement.essential,
                    requirement.weight.get(),
                )?);
            }
            vacancy_rows.push((
                vacancy.id.to_string(),
                vacancy.title.clone(),
                vacancy.comune.as_str().to_string(),
            ));
            vacancies.push(DemandVacancy {
                id: vacancy.id.to_string(),
                positions: u32::from(vacancy.positions),
                requirements,
            });
        }
        // Courses with seats, not ended before the period, in reach of the area.
        let area_points: Vec<(f64, f64)> = query
            .comuni
            .iter()
            .filter_map(|code| coordinates.get(code).copied())
            .collect();
        let mut course_records = Vec::new();
        let mut courses = Vec::new();
        for course in self.list_courses()? {
            if course.seats == 0 || course.end < query.from {
                continue;
            }
            let in_reach = match (course.modality, query.course_max_km, &course.comune) {
                (Modality::Online, _, _) | (_, None, _) => true,
                (_, Some(km), Some(comune)) => {
                    area.contains(comune.as_str())
                        || coordinates.get(comune).is_some_and(|&point| {
                            area_points
                                .iter()
                                .any(|&centre| haversine_km(centre, point) <= km)
                        })
                }
                (_, Some(_), None) => false,
            };
            if !in_reach {
                continue;
            }
            let teaches: Vec<(u32, u8)> = course
                .teaches
                .iter()
                .map(|(skill, level)| (intern(skill.as_str()), level.get()))
                .collect();
            courses.push(DemandCourse {
                id: course.id.to_string(),
                seats: course.seats,
                teaches,
            });
            course_records.push(course);
        }
        let input = DemandInput {
            vacancies,
            seekers,
            courses,
        };
        progress.start("demand report", Some(input.vacancies.len() as u64));
        let report = demand_report_with_progress(&input, true, progress);
        let label = |skill: u32| -> (String, String) {
            if (skill as usize) < state.skill_count_interned() {
                (
                    state.skill_uri(skill).to_string(),
                    state.skill_label(skill, language),
                )
            } else {
                let uri = extra_uris[skill as usize - state.skill_count_interned()].clone();
                (uri.clone(), uri)
            }
        };
        let skills = report
            .skills
            .iter()
            .map(|row| {
                let (skill_uri, label) = label(row.skill);
                SkillRow {
                    skill_uri,
                    label,
                    demand: row.demand,
                    vacancies: row.vacancies,
                    essential_in: row.essential_in,
                    positions: row.positions,
                    required_level: row.required_level,
                    seekers_at_level: row.seekers_at_level,
                    gap: row.gap,
                }
            })
            .collect();
        let vacancy_table = report
            .vacancies
            .iter()
            .map(|row| {
                let (id, title, comune) = &vacancy_rows[row.vacancy];
                VacancyRow {
                    vacancy_id: id.clone(),
                    title: title.clone(),
                    comune: names.get(comune).cloned().unwrap_or_else(|| comune.clone()),
                    positions: row.positions,
                    essentials: row.essentials,
                    ready_now: row.ready_now,
                    after_one_course: row.after_one_course,
                }
            })
            .collect();
        let course_table = report
            .courses
            .iter()
            .map(|pick| {
                let course = &course_records[pick.course];
                CourseRow {
                    course_id: course.id.to_string(),
                    title: course.title.clone(),
                    provider: course.provider.clone(),
                    hours: course.hours,
                    seats: course.seats,
                    people: pick.people,
                    eligibilities: pick.eligibilities,
                    cumulative_people: pick.cumulative_people,
                    cumulative_eligibilities: pick.cumulative_eligibilities,
                }
            })
            .collect();
        progress.finish();
        Ok(DemandTables {
            area: query
                .comuni
                .iter()
                .map(|code| {
                    names
                        .get(code.as_str())
                        .cloned()
                        .unwrap_or_else(|| code.as_str().to_string())
                })
                .collect(),
            from: query.from,
            to: query.to,
            vacancy_count: report.vacancy_count,
            drafts_included: query.include_drafts,
            drafts_counted,
            without_competences,
            position_count: report.position_count,
            seeker_count: report.seeker_count,
            course_count: report.course_count,
            skills,
            vacancies: vacancy_table,
            courses: course_table,
        })
    }
}
