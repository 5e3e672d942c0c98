//! Gap → courses for one person and one vacancy, and the courses that open the most doors.

use std::sync::Arc;

use ahash::AHashMap;
use chrono::NaiveDate;
use serde::Serialize;

use super::cover::{min_hours_cover, CoverCourse};
use super::placement::{
    placement_path, PlacementAdvice, PlacementConfig, PlacementFacts, TirocinioRules,
};
use crate::matching::MatchState;
use crate::model::{Course, GolPath, Modality};
use crate::scoring::{requirement_credit, score, Requirement, ScoringConfig, LEVEL_CREDIT};
use crate::{Error, ErrorCode, Result};

mod doors;

pub use doors::{Door, DoorsOptions, UnlockedVacancy};

/// Which courses count as available, and how to score.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingOptions {
    /// The day of the proposal: courses that ended before it are left out.
    pub today: NaiveDate,
    /// Courses must start within this many days of `today`.
    pub horizon_days: u32,
    /// Allowed delivery modes (empty = any).
    pub modalities: Vec<Modality>,
    /// In-presence and blended courses must be within this many km of the person's comune
    /// (None = any distance). Online courses are always in reach.
    pub max_km: Option<f64>,
    /// Score with exact coverage instead of the default mode.
    pub exact: bool,
    /// Language of skill labels (`it`, `en`).
    pub language: String,
    /// The placement decision's thresholds and region.
    pub placement: PlacementConfig,
}

impl TrainingOptions {
    /// The defaults on a given day: a year's horizon, any modality, 50 km, default scoring,
    /// Italian labels, Toscana's rules.
    pub fn on(today: NaiveDate) -> Self {
        TrainingOptions {
            today,
            horizon_days: 365,
            modalities: Vec::new(),
            max_km: Some(50.0),
            exact: false,
            language: "it".into(),
            placement: PlacementConfig::default(),
        }
    }

    fn check(&self) -> Result<()> {
        if let Some(km) = self.max_km {
            if !km.is_finite() || km <= 0.0 {
                return Err(Error::invalid(
                    ErrorCode::InvalidDistance,
                    "max_km must be a positive number",
                ));
            }
        }
        Ok(())
    }

    fn scoring(&self) -> ScoringConfig {
        if self.exact {
            ScoringConfig::exact()
        } else {
            ScoringConfig::default()
        }
    }

    /// True when the course can be taken: not ended, starting within the horizon, seats left,
    /// an allowed modality and (unless online) within `max_km` (`distance_km` None = unknown,
    /// which fails a distance limit).
    pub fn admits(&self, course: &Course, distance_km: Option<f64>) -> bool {
        let horizon = self.today + chrono::Days::new(u64::from(self.horizon_days));
        if course.end < self.today || course.start > horizon || course.seats == 0 {
            return false;
        }
        if !self.modalities.is_empty() && !self.modalities.contains(&course.modality) {
            return false;
        }
        match (course.modality, self.max_km) {
            (Modality::Online, _) | (_, None) => true,
            (_, Some(km)) => distance_km.is_some_and(|distance| distance <= km),
        }
    }
}

/// What the placement decision needs to know about the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct PersonContext {
    /// Willing to do a tirocinio.
    pub accepts_tirocinio: bool,
    /// Recognised disability (L. 68/99).
    pub disability: bool,
}

/// An essential competence below the required level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillGap {
    /// ESCO URI.
    pub skill_uri: String,
    /// Label in the requested language.
    pub label: String,
    /// Level the vacancy requires.
    pub required_level: u8,
    /// Level the person holds (0 = none).
    pub held_level: u8,
}

/// A course as proposed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseOffer {
    /// Id.
    pub course_id: String,
    /// Title.
    pub title: String,
    /// Provider.
    pub provider: String,
    /// Hours.
    pub hours: u16,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Delivery mode.
    pub modality: Modality,
    /// Where, unless online.
    pub comune: Option<String>,
    /// Distance from the person's comune, when known.
    pub distance_km: Option<f64>,
    /// Seats available.
    pub seats: u32,
    /// Cost per participant.
    pub cost_eur: u32,
    /// Certification issued.
    pub certification: Option<String>,
    /// GOL path.
    pub gol_path: Option<GolPath>,
    /// Labels of the gaps this course closes (proposals) or of the skills it teaches (doors).
    pub closes: Vec<String>,
}

/// Gap → courses for one person and one vacancy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapProposal {
    /// The job seeker.
    pub job_seeker_id: String,
    /// The vacancy.
    pub vacancy_id: String,
    /// Its title.
    pub vacancy_title: String,
    /// Score now.
    pub score_before: f32,
    /// Score with the competences of the proposed courses added.
    pub score_after: f32,
    /// Essential competences below the required level.
    pub missing: Vec<SkillGap>,
    /// The minimum-hours course set closing every gap some available course closes.
    pub courses: Vec<CourseOffer>,
    /// Total hours.
    pub total_hours: u32,
    /// Total cost per participant.
    pub total_cost_eur: u32,
    /// Gaps no available course closes.
    pub untaught: Vec<SkillGap>,
    /// False when the gaps were too many for the exact search.
    pub optimal: bool,
    /// Contract now, after the courses, or tirocinio.
    pub placement: PlacementAdvice,
}

/// The person's profile with a course's competences added (max of the levels), sorted.
pub fn merge_course(profile: &[(u32, u8)], teaches: &[(u32, u8)]) -> Vec<(u32, u8)> {
    let mut merged: Vec<(u32, u8)> = Vec::with_capacity(profile.len() + teaches.len());
    merged.extend_from_slice(profile);
    merged.extend_from_slice(teaches);
    merged.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    merged.dedup_by_key(|entry| entry.0);
    merged
}

fn held(profile: &[(u32, u8)], skill: u32) -> u8 {
    profile
        .binary_search_by_key(&skill, |&(held, _)| held)
        .map(|index| profile[index].1)
        .unwrap_or(0)
}

// The essential requirements (all requirements when none is essential) below the level: the
// one notion of a gap, shared with the explanations (`scoring::essential_gaps`).
use crate::scoring::essential_gaps;

/// The course catalogue interned against a matching state's skill table: shared by the training
/// states of every matching state with the same courses and skill table (a write to a vacancy or
/// a person does not intern the courses again; a write to a course rebuilds this from the
/// courses in memory).
pub(crate) struct Catalogue {
    courses: Arc<Vec<Course>>,
    /// Per course, `(skill, level reached)` sorted by skill (skills no vacancy or person uses
    /// and the taxonomy does not know are dropped: they cannot close a gap).
    teaches: Vec<Vec<(u32, u8)>>,
    /// Per skill, `(course, level)`.
    course_postings: AHashMap<u32, Vec<(u32, u8)>>,
    max_taught: usize,
}

impl Catalogue {
    /// Interns `courses` with `skill_id`.
    fn build(courses: Arc<Vec<Course>>, skill_id: &dyn Fn(&str) -> Option<u32>) -> Self {
        let mut teaches = Vec::with_capacity(courses.len());
        let mut course_postings: AHashMap<u32, Vec<(u32, u8)>> = AHashMap::new();
        for (index, course) in courses.iter().enumerate() {
            let mut interned: Vec<(u32, u8)> = course
                .teaches
                .iter()
                .filter_map(|(skill, level)| skill_id(skill.as_str()).map(|id| (id, level.get())))
                .collect();
            interned.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            interned.dedup_by_key(|entry| entry.0);
            for &(skill, level) in &interned {
                course_postings
                    .entry(skill)
                    .or_default()
                    .push((index as u32, level));
            }
            teaches.push(interned);
        }
        let max_taught = teaches.iter().map(Vec::len).max().unwrap_or(0);
        Catalogue {
            courses,
            teaches,
            course_postings,
            max_taught,
        }
    }
}

/// The course catalogue interned against a [`MatchState`], cached until the data changes.
pub struct TrainingState {
    match_state: Arc<MatchState>,
    catalogue: Arc<Catalogue>,
    rules: TirocinioRules,
}

impl std::fmt::Debug for TrainingState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrainingState")
            .field("courses", &self.catalogue.courses.len())
            .field("match_state", &self.match_state)
            .finish()
    }
}

impl TrainingState {
    /// Interns `courses` against the matching state.
    pub fn build(match_state: Arc<MatchState>, courses: Vec<Course>) -> Self {
        let catalogue = Catalogue::build(Arc::new(courses), &|uri| match_state.skill_id(uri));
        TrainingState {
            match_state,
            catalogue: Arc::new(catalogue),
            rules: TirocinioRules::builtin(),
        }
    }

    /// The training state of `match_state` with the courses it holds
    /// ([`MatchState::courses`]), reusing `previous`'s interned catalogue when the courses and
    /// the skill table are the same.
    pub(crate) fn following(
        match_state: Arc<MatchState>,
        previous: Option<&TrainingState>,
    ) -> Self {
        let courses = match_state.courses();
        let reusable = previous.filter(|previous| {
            Arc::ptr_eq(&previous.catalogue.courses, courses)
                && match_state.same_skill_table(&previous.match_state)
        });
        let catalogue = match reusable {
            Some(previous) => Arc::clone(&previous.catalogue),
            None => Arc::new(Catalogue::build(Arc::clone(courses), &|uri| {
                match_state.skill_id(uri)
            })),
        };
        TrainingState {
            match_state,
            catalogue,
            rules: TirocinioRules::builtin(),
        }
    }

    /// Replaces the regional tirocinio rules (default: the built-in table).
    pub fn with_rules(mut self, rules: TirocinioRules) -> Self {
        self.rules = rules;
        self
    }

    /// The matching state this was built on.
    pub fn match_state(&self) -> &Arc<MatchState> {
        &self.match_state
    }

    /// The courses.
    pub fn courses(&self) -> &[Course] {
        &self.catalogue.courses
    }

    fn worker(&self, id: &str) -> Result<usize> {
        self.match_state
            .worker_index(id)
            .ok_or_else(|| Error::not_found(ErrorCode::JobSeekerNotFound, "job seeker", id))
    }

    fn vacancy(&self, id: &str) -> Result<usize> {
        self.match_state
            .vacancy_index(id)
            .ok_or_else(|| Error::not_found(ErrorCode::VacancyNotFound, "open vacancy", id))
    }

    /// Course availability for the person at `worker`: `(admitted, distance)` per course.
    fn available(&self, worker: usize, options: &TrainingOptions) -> Vec<(bool, Option<f64>)> {
        let home = self.match_state.worker_comune(worker);
        self.catalogue
            .courses
            .iter()
            .map(|course| {
                let distance = course
                    .comune
                    .as_ref()
                    .and_then(|comune| self.match_state.distance_km(home, comune));
                (options.admits(course, distance), distance)
            })
            .collect()
    }

    fn offer(&self, course: usize, distance_km: Option<f64>, closes: Vec<String>) -> CourseOffer {
        let source = &self.catalogue.courses[course];
        CourseOffer {
            course_id: source.id.to_string(),
            title: source.title.clone(),
            provider: source.provider.clone(),
            hours: source.hours,
            start: source.start,
            end: source.end,
            modality: source.modality,
            comune: source.comune.as_ref().map(|c| c.as_str().to_string()),
            distance_km,
            seats: source.seats,
            cost_eur: source.cost_eur,
            certification: source.certification.clone(),
            gol_path: source.gol_path,
            closes,
        }
    }

    fn gap(&self, (skill, required, held): (u32, u8, u8), language: &str) -> SkillGap {
        SkillGap {
            skill_uri: self.match_state.skill_uri(skill).to_string(),
            label: self.match_state.skill_label(skill, language),
            required_level: required,
            held_level: held,
        }
    }

    /// The minimum-hours set of available courses that brings every missing essential
    /// competence of `vacancy_id` up to the required level for `person_id`, with the score before
    /// and after (the real scorer, with the courses' competences added) and the placement path.
    pub fn propose(
        &self,
        person_id: &str,
        vacancy_id: &str,
        person: PersonContext,
        company_offers_tirocini: bool,
        options: &TrainingOptions,
    ) -> Result<GapProposal> {
        options.check()?;
        let rule = self.rules.region(&options.placement.region)?;
        let worker = self.worker(person_id)?;
        let vacancy = self.vacancy(vacancy_id)?;
        let set = self.match_state.match_set();
        let profile = set.worker_profile(worker);
        let requirements = set.vacancy_requirements(vacancy);
        let config = options.scoring();
        let graph = set.graph();
        let score_before = score(profile, requirements, &config, graph);
        let gaps = essential_gaps(profile, requirements);
        let gap_pairs: Vec<(u32, u8)> = gaps.iter().map(|&(s, l, _)| (s, l)).collect();
        // Candidates: available courses that teach at least one gap skill.
        let availability = self.available(worker, options);
        let mut candidates: Vec<usize> = gap_pairs
            .iter()
            .flat_map(|(skill, _)| {
                self.catalogue
                    .course_postings
                    .get(skill)
                    .into_iter()
                    .flatten()
            })
            .map(|&(course, _)| course as usize)
            .filter(|&course| availability[course].0)
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let cover_courses: Vec<CoverCourse<'_>> = candidates
            .iter()
            .map(|&course| CoverCourse {
                hours: u32::from(self.catalogue.courses[course].hours),
                cost_eur: self.catalogue.courses[course].cost_eur,
                teaches: &self.catalogue.teaches[course],
            })
            .collect();
        let cover = min_hours_cover(&gap_pairs, &cover_courses);
        let chosen: Vec<usize> = cover.courses.iter().map(|&i| candidates[i]).collect();
        let mut after = profile.to_vec();
        for &course in &chosen {
            after = merge_course(&after, &self.catalogue.teaches[course]);
        }
        let score_after = score(&after, requirements, &config, graph);
        let language = options.language.as_str();
        let courses: Vec<CourseOffer> = chosen
            .iter()
            .map(|&course| {
                let closes = gap_pairs
                    .iter()
                    .filter(|&&(skill, level)| {
                        held(&self.catalogue.teaches[course], skill) >= level
                    })
                    .map(|&(skill, _)| self.match_state.skill_label(skill, language))
                    .collect();
                self.offer(course, availability[course].1, closes)
            })
            .collect();
        let total_cost_eur = chosen
            .iter()
            .map(|&c| self.catalogue.courses[c].cost_eur)
            .sum();
        let ready_on = chosen.iter().map(|&c| self.catalogue.courses[c].end).max();
        let placement = placement_path(
            &PlacementFacts {
                vacancy: self.match_state.vacancy_placement(vacancy),
                company_offers_tirocini,
                person_accepts_tirocinio: person.accepts_tirocinio,
                person_disability: person.disability,
                missing_essentials: gaps.len(),
                uncovered: cover.uncovered.len(),
                score_before,
                courses: ready_on.map(|day| (cover.hours, day)),
            },
            &options.placement,
            rule,
        );
        Ok(GapProposal {
            job_seeker_id: person_id.to_string(),
            vacancy_id: vacancy_id.to_string(),
            vacancy_title: self.match_state.vacancy_title(vacancy).to_string(),
            score_before,
            score_after,
            missing: gaps.iter().map(|&gap| self.gap(gap, language)).collect(),
            untaught: cover
                .uncovered
                .iter()
                .map(|&index| self.gap(gaps[index], language))
                .collect(),
            courses,
            total_hours: cover.hours,
            total_cost_eur,
            optimal: cover.optimal,
            placement,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The accumulated score gains equal full rescoring: on the demo data (real ESCO relations,
    /// default and exact mode), every (course, vacancy) pair that the brute force finds crossing
    /// the threshold is unlocked, and nothing else.
    #[test]
    fn score_threshold_unlocks_equal_brute_force_on_the_demo() {
        let engine = crate::Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).expect("engine");
        engine.import_demo(&crate::NoProgress).expect("demo");
        let state = engine.training_state().expect("state");
        let set = state.match_state.match_set();
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("day");
        let mut compared = 0;
        for exact in [false, true] {
            for threshold in [0.4f32, 0.6, 0.8] {
                for worker in (0..set.worker_count()).step_by(7) {
                    let mut options = DoorsOptions::on(today);
                    options.training.exact = exact;
                    options.min_score = Some(threshold);
                    options.k = crate::matching::MAX_K;
                    let person = set.worker_id(worker).to_string();
                    let doors = state.doors(&person, &options).expect("doors");
                    let mut found: Vec<(String, String)> = doors
                        .iter()
                        .flat_map(|door| {
                            door.unlocks
                                .iter()
                                .map(|u| (door.course.course_id.clone(), u.vacancy_id.clone()))
                        })
                        .collect();
                    found.sort();
                    let config = options.training.scoring();
                    let profile = set.worker_profile(worker);
                    let availability = state.available(worker, &options.training);
                    let open = |p: &[(u32, u8)], vacancy: usize| {
                        let requirements = set.vacancy_requirements(vacancy);
                        essential_gaps(p, requirements).is_empty()
                            || score(p, requirements, &config, set.graph()) >= threshold
                    };
                    let mut expected = Vec::new();
                    for (course, teaches) in state.catalogue.teaches.iter().enumerate() {
                        if !availability[course].0 {
                            continue;
                        }
                        let merged = merge_course(profile, teaches);
                        for vacancy in 0..set.vacancy_count() {
                            // Doors count only vacancies the person's conditions accept.
                            if !state.match_state.suits(worker, vacancy) {
                                continue;
                            }
                            if !open(profile, vacancy) && open(&merged, vacancy) {
                                expected.push((
                                    state.catalogue.courses[course].id.to_string(),
                                    set.vacancy_id(vacancy).to_string(),
                                ));
                            }
                        }
                    }
                    expected.sort();
                    compared += expected.len();
                    assert_eq!(found, expected, "{person} exact={exact} t={threshold}");
                }
            }
        }
        assert!(compared > 0, "some course unlocks something");
    }

    #[test]
    fn merge_keeps_the_higher_level() {
        let merged = merge_course(&[(1, 2), (3, 4)], &[(1, 3), (2, 1), (3, 2)]);
        assert_eq!(merged, vec![(1, 3), (2, 1), (3, 4)]);
    }

    #[test]
    fn gaps_are_essentials_below_level() {
        let requirements = [
            Requirement::new(1, 3, true).unwrap(),
            Requirement::new(2, 2, true).unwrap(),
            Requirement::new(3, 4, false).unwrap(),
        ];
        assert_eq!(
            essential_gaps(&[(1, 2), (2, 2)], &requirements),
            vec![(1, 3, 2)]
        );
        // With no essential requirement, every requirement counts.
        let optional = [Requirement::new(5, 2, false).unwrap()];
        assert_eq!(essential_gaps(&[], &optional), vec![(5, 2, 0)]);
    }
}
