//! The courses that open the most doors: for one person, which available courses would unlock the
//! most vacancies (all essentials met, or a score threshold reached).

use super::*;
use crate::ErrorCode;

/// Options of [`TrainingState::doors`].
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoorsOptions {
    /// Course availability and scoring.
    pub training: TrainingOptions,
    /// A vacancy also counts as open to the person when the score reaches this (None: only
    /// "every essential competence at the required level" counts).
    pub min_score: Option<f32>,
    /// How many courses to return.
    pub k: usize,
    /// Only vacancies within this many km of the person's comune.
    pub vacancy_max_km: Option<f64>,
    /// Only vacancies in these comuni (the caller's office, set by the access layer:
    /// [`crate::Engine::matching_scope`]); `None`: every office.
    #[serde(skip)]
    pub vacancy_scope: Option<crate::matching::ComuneScope>,
}

impl DoorsOptions {
    /// Defaults on a day: essentials rule only, top 10, any distance for vacancies.
    pub fn on(today: NaiveDate) -> Self {
        DoorsOptions {
            training: TrainingOptions::on(today),
            min_score: None,
            k: 10,
            vacancy_max_km: None,
            vacancy_scope: None,
        }
    }
}

/// A vacancy a course unlocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnlockedVacancy {
    /// The vacancy.
    pub vacancy_id: String,
    /// Its title.
    pub title: String,
    /// Its comune.
    pub comune: String,
    /// Score now.
    pub score_before: f32,
    /// Score after the course.
    pub score_after: f32,
}

/// A course and the vacancies it unlocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Door {
    /// The course.
    pub course: CourseOffer,
    /// Vacancies newly open to the person after it, best score after first.
    pub unlocks: Vec<UnlockedVacancy>,
}

impl TrainingState {
    /// The available courses ranked by how many open vacancies each unlocks for the person: a
    /// vacancy is unlocked when it was not open to the person before the course and is after it
    /// (open = every essential competence at the required level, or, with
    /// [`DoorsOptions::min_score`], a score at least that). Ties: fewer hours, then course id.
    pub fn doors(&self, person_id: &str, options: &DoorsOptions) -> Result<Vec<Door>> {
        options.training.check()?;
        if options.k == 0 || options.k > crate::matching::MAX_K {
            return Err(Error::invalid(
                ErrorCode::InvalidK,
                format!("k must be 1 to {}", crate::matching::MAX_K),
            ));
        }
        if let Some(threshold) = options.min_score {
            if !(0.0..=1.0).contains(&threshold) {
                return Err(Error::invalid(
                    ErrorCode::InvalidMinScore,
                    "min_score must be in [0, 1]",
                ));
            }
        }
        let worker = self.worker(person_id)?;
        let set = self.match_state.match_set();
        let profile = set.worker_profile(worker);
        let config = options.training.scoring();
        let graph = set.graph();
        let availability = self.available(worker, &options.training);
        let home = self.match_state.worker_comune(worker);
        // A door only counts vacancies the person's own conditions accept (issue 14), and only
        // vacancies the caller may see (issue 21).
        let vacancy_in_scope = |vacancy: usize| {
            options
                .vacancy_scope
                .as_ref()
                .is_none_or(|scope| scope.contains(self.match_state.vacancy_comune(vacancy)))
        };
        let vacancy_in_reach = |vacancy: usize| {
            vacancy_in_scope(vacancy)
                && self.match_state.suits(worker, vacancy)
                && match options.vacancy_max_km {
                    None => true,
                    Some(km) => self
                        .match_state
                        .distance_km(home, self.match_state.vacancy_comune(vacancy))
                        .is_some_and(|distance| distance <= km),
                }
        };
        // Vacancies open to the person now are skipped; `closed_before[v]` marks the rest.
        let vacancy_count = set.vacancy_count();
        let mut closed_before = vec![false; vacancy_count];
        let mut unlocked: Vec<Vec<u32>> = vec![Vec::new(); self.catalogue.courses.len()];
        for (vacancy, closed) in closed_before.iter_mut().enumerate() {
            if !vacancy_in_reach(vacancy) {
                continue;
            }
            let requirements = set.vacancy_requirements(vacancy);
            let gaps = essential_gaps(profile, requirements);
            if gaps.is_empty() {
                continue;
            }
            // With a score threshold, vacancies already open by score are dropped below.
            *closed = true;
            if gaps.len() > self.catalogue.max_taught {
                continue;
            }
            let (first_skill, first_level, _) = gaps[0];
            for &(course, level) in self
                .catalogue
                .course_postings
                .get(&first_skill)
                .into_iter()
                .flatten()
            {
                if level < first_level || !availability[course as usize].0 {
                    continue;
                }
                let teaches = &self.catalogue.teaches[course as usize];
                if gaps[1..]
                    .iter()
                    .all(|&(skill, required, _)| held(teaches, skill) >= required)
                {
                    unlocked[course as usize].push(vacancy as u32);
                }
            }
        }
        if let Some(threshold) = options.min_score {
            let open_by_score = self.unlock_by_score(
                profile,
                threshold,
                &config,
                &availability,
                &mut closed_before,
                &mut unlocked,
            );
            for list in &mut unlocked {
                list.retain(|&vacancy| !open_by_score[vacancy as usize]);
            }
        }
        let mut ranked: Vec<usize> = (0..self.catalogue.courses.len())
            .filter(|&course| !unlocked[course].is_empty())
            .collect();
        ranked.sort_by(|&a, &b| {
            unlocked[b]
                .len()
                .cmp(&unlocked[a].len())
                .then(
                    self.catalogue.courses[a]
                        .hours
                        .cmp(&self.catalogue.courses[b].hours),
                )
                .then(
                    self.catalogue.courses[a]
                        .id
                        .cmp(&self.catalogue.courses[b].id),
                )
        });
        ranked.truncate(options.k);
        let language = options.training.language.as_str();
        let score_before: AHashMap<u32, f32> = ranked
            .iter()
            .flat_map(|&course| unlocked[course].iter().copied())
            .map(|vacancy| {
                let requirements = set.vacancy_requirements(vacancy as usize);
                (vacancy, score(profile, requirements, &config, graph))
            })
            .collect();
        let mut doors = Vec::with_capacity(ranked.len());
        for course in ranked {
            let merged = merge_course(profile, &self.catalogue.teaches[course]);
            let mut unlocks: Vec<UnlockedVacancy> = unlocked[course]
                .iter()
                .map(|&vacancy| {
                    let position = vacancy as usize;
                    let requirements = set.vacancy_requirements(position);
                    UnlockedVacancy {
                        vacancy_id: set.vacancy_id(position).to_string(),
                        title: self.match_state.vacancy_title(position).to_string(),
                        comune: self
                            .match_state
                            .vacancy_comune(position)
                            .as_str()
                            .to_string(),
                        score_before: score_before[&vacancy],
                        score_after: score(&merged, requirements, &config, graph),
                    }
                })
                .collect();
            unlocks.sort_by(|a, b| {
                b.score_after
                    .total_cmp(&a.score_after)
                    .then(a.vacancy_id.cmp(&b.vacancy_id))
            });
            let teaches = self.catalogue.teaches[course]
                .iter()
                .map(|&(skill, level)| {
                    format!(
                        "{} ({level})",
                        self.match_state.skill_label(skill, language)
                    )
                })
                .collect();
            doors.push(Door {
                course: self.offer(course, availability[course].1, teaches),
                unlocks,
            });
        }
        Ok(doors)
    }
}

impl TrainingState {
    /// Adds to `unlocked` the closed vacancies whose score reaches `threshold` after one
    /// available course. A requirement's credit after a course is the larger of its credit now
    /// and the credit the course's competences earn alone (the scorer takes the best held or
    /// related level, and levels only grow). So, per closed vacancy: an upper bound first (a
    /// course gives exact credit to at most as many requirements as it teaches skills, and
    /// related credit of at most the discount to the others) skips the vacancies no course can
    /// lift to the threshold; then the courses teaching a required skill (or, in default mode, a
    /// related one) are found through the course postings, their gains accumulated, and the
    /// courses that come within 1e-4 of the threshold confirmed with the real scorer. Vacancies
    /// whose score reaches the threshold already are reopened (returned, and no longer closed).
    fn unlock_by_score(
        &self,
        profile: &[(u32, u8)],
        threshold: f32,
        config: &ScoringConfig,
        availability: &[(bool, Option<f64>)],
        closed_before: &mut [bool],
        unlocked: &mut [Vec<u32>],
    ) -> Vec<bool> {
        let set = self.match_state.match_set();
        let graph = set.graph();
        let related_graph = graph.filter(|_| config.uses_related());
        let discount = if related_graph.is_some() {
            config.related_discount
        } else {
            0.0
        };
        let weight = |requirement: &Requirement| -> f32 {
            let specificity = match graph {
                Some(graph) if config.uses_specificity() => {
                    graph.specificity(requirement.skill).multiplier()
                }
                _ => 1.0,
            };
            requirement.base_weight() * specificity
        };
        let factor = |essential: f32, count: u32| -> f32 {
            if !config.uses_essential_factor() {
                return 1.0;
            }
            let coverage = if count == 0 {
                1.0
            } else {
                (essential / count as f32).min(1.0)
            };
            0.5 + 0.5 * coverage
        };
        let already: ahash::AHashSet<(u32, u32)> = unlocked
            .iter()
            .enumerate()
            .flat_map(|(course, list)| list.iter().map(move |&v| (course as u32, v)))
            .collect();
        let course_count = self.catalogue.courses.len();
        // Per course: (weighted gain, essential gain) for the current vacancy, and the best
        // credit for the current requirement.
        let mut gains = vec![(0f32, 0f32); course_count];
        let mut gained: Vec<u32> = Vec::new();
        let mut best = vec![0f32; course_count];
        let mut offered: Vec<u32> = Vec::new();
        let mut credits: Vec<f32> = Vec::new();
        let mut exact_room: Vec<f32> = Vec::new();
        let mut essential_room: Vec<f32> = Vec::new();
        let mut open_by_score = vec![false; closed_before.len()];
        for (vacancy, closed) in closed_before.iter_mut().enumerate() {
            if !*closed {
                continue;
            }
            let requirements = set.vacancy_requirements(vacancy);
            credits.clear();
            exact_room.clear();
            essential_room.clear();
            let (mut weighted, mut total_weight, mut essential, mut essential_count) =
                (0f32, 0f32, 0f32, 0u32);
            let (mut related_bound, mut essential_related_bound) = (0f32, 0f32);
            for requirement in requirements {
                let credit = requirement_credit(profile, requirement, config, graph).value();
                credits.push(credit);
                let requirement_weight = weight(requirement);
                weighted += requirement_weight * credit;
                total_weight += requirement_weight;
                let related_room = (discount - credit).max(0.0);
                related_bound += requirement_weight * related_room;
                exact_room.push(requirement_weight * ((1.0 - credit) - related_room));
                if requirement.essential {
                    essential += credit;
                    essential_count += 1;
                    essential_related_bound += related_room;
                    essential_room.push((1.0 - credit) - related_room);
                }
            }
            if total_weight <= 0.0 {
                continue;
            }
            let estimate_now =
                (weighted / total_weight * factor(essential, essential_count)).clamp(0.0, 1.0);
            if estimate_now + 1e-4 >= threshold
                && (estimate_now - 1e-4 >= threshold
                    || score(profile, requirements, config, graph) >= threshold)
            {
                open_by_score[vacancy] = true;
                *closed = false;
                continue;
            }
            let top = |room: &mut Vec<f32>| -> f32 {
                room.sort_unstable_by(|a, b| b.total_cmp(a));
                room.iter().take(self.catalogue.max_taught).sum()
            };
            let weighted_bound = related_bound + top(&mut exact_room);
            let essential_bound = essential_related_bound + top(&mut essential_room);
            let bound = ((weighted + weighted_bound) / total_weight
                * factor(essential + essential_bound, essential_count))
            .clamp(0.0, 1.0);
            if bound + 1e-4 < threshold {
                continue;
            }
            gained.clear();
            for (requirement, &now) in requirements.iter().zip(&credits) {
                let required = usize::from(requirement.level.clamp(1, 4));
                offered.clear();
                let mut offer = |course: u32, credit: f32| {
                    let slot = &mut best[course as usize];
                    if *slot == 0.0 {
                        offered.push(course);
                    }
                    if credit > *slot {
                        *slot = credit;
                    }
                };
                for &(course, level) in self
                    .catalogue
                    .course_postings
                    .get(&requirement.skill)
                    .into_iter()
                    .flatten()
                {
                    offer(course, LEVEL_CREDIT[usize::from(level.min(4))][required]);
                }
                if let Some(graph) = related_graph {
                    for &(neighbour, _, closeness) in graph.related_to(requirement.skill) {
                        let factor = discount * closeness;
                        for &(course, level) in self
                            .catalogue
                            .course_postings
                            .get(&neighbour)
                            .into_iter()
                            .flatten()
                        {
                            offer(
                                course,
                                factor * LEVEL_CREDIT[usize::from(level.min(4))][required],
                            );
                        }
                    }
                }
                for &course in &offered {
                    let credit = std::mem::take(&mut best[course as usize]);
                    if credit <= now || !availability[course as usize].0 {
                        continue;
                    }
                    let gain = &mut gains[course as usize];
                    if *gain == (0.0, 0.0) {
                        gained.push(course);
                    }
                    gain.0 += weight(requirement) * (credit - now);
                    if requirement.essential {
                        gain.1 += credit - now;
                    }
                }
            }
            gained.sort_unstable();
            for &course in &gained {
                let (weighted_gain, essential_gain) = std::mem::take(&mut gains[course as usize]);
                if already.contains(&(course, vacancy as u32)) {
                    continue;
                }
                let estimate = ((weighted + weighted_gain) / total_weight
                    * factor(essential + essential_gain, essential_count))
                .clamp(0.0, 1.0);
                if estimate + 1e-4 < threshold {
                    continue;
                }
                let merged = merge_course(profile, &self.catalogue.teaches[course as usize]);
                if score(&merged, requirements, config, graph) >= threshold {
                    unlocked[course as usize].push(vacancy as u32);
                }
            }
        }
        open_by_score
    }
}
