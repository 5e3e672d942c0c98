//! The competence demand report of an area and period (pure: interned skills in, numbers out).
//!
//! - **Skills**: each requirement of an open vacancy adds `positions × 1.0` (essential) or
//!   `positions × 0.5` (optional) to its skill's demand; the skill's required level is the level
//!   carrying most of that demand (ties: the higher level); its supply is the number of local job
//!   seekers holding the skill at that level or above; its gap is `max(0, demand − supply)`.
//! - **Readiness per vacancy**: a person is *ready now* when they hold every essential competence
//!   (every competence, when none is essential) at the required level, and *ready after one
//!   course* when one course with seats brings every missing one up to the level.
//! - **Course coverage**: greedy selection of the courses that make the most people eligible for
//!   the most vacancies. Each person takes at most one course; a course's value is the sum, over
//!   the `seats` unassigned people who gain most, of the number of vacancies each becomes eligible
//!   for; the best course is picked and its people assigned, until no course adds anything.

use std::collections::BinaryHeap;

use ahash::AHashMap;
use serde::Serialize;

use crate::scoring::Requirement;

/// An open vacancy of the area.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandVacancy {
    /// Id.
    pub id: String,
    /// Positions wanted.
    pub positions: u32,
    /// Requirements over interned skills.
    pub requirements: Vec<Requirement>,
}

/// A course with seats.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandCourse {
    /// Id.
    pub id: String,
    /// Seats.
    pub seats: u32,
    /// `(skill, level reached)`.
    pub teaches: Vec<(u32, u8)>,
}

/// What the report is computed from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemandInput {
    /// Open vacancies of the area in the period.
    pub vacancies: Vec<DemandVacancy>,
    /// Local job seekers' profiles, each sorted by skill.
    pub seekers: Vec<Vec<(u32, u8)>>,
    /// Available courses with seats.
    pub courses: Vec<DemandCourse>,
}

/// Demand and supply of one competence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillDemand {
    /// Interned skill.
    pub skill: u32,
    /// Σ positions × (1.0 essential, 0.5 optional).
    pub demand: f64,
    /// Vacancies requiring it.
    pub vacancies: u32,
    /// Of those, where it is essential.
    pub essential_in: u32,
    /// Positions of those vacancies.
    pub positions: u32,
    /// The level carrying most demand.
    pub required_level: u8,
    /// Local job seekers holding it at that level or above.
    pub seekers_at_level: u32,
    /// `max(0, demand − seekers_at_level)`.
    pub gap: f64,
}

/// Readiness of the local job seekers for one vacancy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VacancyReadiness {
    /// Index into [`DemandInput::vacancies`].
    pub vacancy: usize,
    /// Positions wanted.
    pub positions: u32,
    /// Essential competences considered.
    pub essentials: u32,
    /// People holding every one at the level.
    pub ready_now: u32,
    /// People not ready now whom a single course makes ready.
    pub after_one_course: u32,
}

/// One course picked by the greedy coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoursePick {
    /// Index into [`DemandInput::courses`].
    pub course: usize,
    /// People assigned (at most the seats).
    pub people: u32,
    /// (person, vacancy) eligibilities those people gain.
    pub eligibilities: u64,
    /// People assigned so far, this course included.
    pub cumulative_people: u32,
    /// Eligibilities gained so far.
    pub cumulative_eligibilities: u64,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemandReport {
    /// Vacancies considered.
    pub vacancy_count: usize,
    /// Positions wanted.
    pub position_count: u64,
    /// Local job seekers.
    pub seeker_count: usize,
    /// Courses with seats considered.
    pub course_count: usize,
    /// Every required competence, largest gap first (then largest demand, then skill).
    pub skills: Vec<SkillDemand>,
    /// One row per vacancy, in input order.
    pub vacancies: Vec<VacancyReadiness>,
    /// Greedy course coverage, in pick order.
    pub courses: Vec<CoursePick>,
}

/// The eligibility set of a vacancy: essential requirements, or all when none is essential
/// (at most 64).
fn eligibility_set(requirements: &[Requirement]) -> Vec<(u32, u8)> {
    let any_essential = requirements.iter().any(|r| r.essential);
    requirements
        .iter()
        .filter(|r| r.essential || !any_essential)
        .map(|r| (r.skill, r.level))
        .take(64)
        .collect()
}

/// What one vacancy contributes to readiness and coverage.
#[derive(Debug, Default)]
struct VacancyOutcome {
    ready_now: Vec<u32>,
    after_one_course: u32,
    /// Courses that close the whole eligibility set: every person not ready now gains.
    full_cover: Vec<u32>,
    /// `(course, person)`: other courses, per person they make ready.
    pairs: Vec<(u32, u32)>,
}

struct Indexes {
    /// Per skill, `(person, level)`.
    seekers: Vec<Vec<(u32, u8)>>,
    /// Per skill, `(course, level)`.
    courses: Vec<Vec<(u32, u8)>>,
}

fn build_indexes(input: &DemandInput) -> Indexes {
    let max_skill = input
        .seekers
        .iter()
        .flatten()
        .map(|&(skill, _)| skill)
        .chain(
            input
                .courses
                .iter()
                .flat_map(|c| c.teaches.iter().map(|&(s, _)| s)),
        )
        .chain(
            input
                .vacancies
                .iter()
                .flat_map(|v| v.requirements.iter().map(|r| r.skill)),
        )
        .max()
        .map_or(0, |skill| skill as usize + 1);
    let mut seekers: Vec<Vec<(u32, u8)>> = vec![Vec::new(); max_skill];
    for (person, profile) in input.seekers.iter().enumerate() {
        for &(skill, level) in profile {
            seekers[skill as usize].push((person as u32, level));
        }
    }
    let mut courses: Vec<Vec<(u32, u8)>> = vec![Vec::new(); max_skill];
    for (course, offered) in input.courses.iter().enumerate() {
        for &(skill, level) in &offered.teaches {
            courses[skill as usize].push((course as u32, level));
        }
    }
    Indexes { seekers, courses }
}

fn vacancy_outcome(
    indexes: &Indexes,
    seeker_count: usize,
    vacancy: &DemandVacancy,
    masks: &mut [u64],
    touched: &mut Vec<u32>,
) -> VacancyOutcome {
    let set = eligibility_set(&vacancy.requirements);
    let mut outcome = VacancyOutcome::default();
    if set.is_empty() {
        return outcome;
    }
    let full: u64 = if set.len() == 64 {
        u64::MAX
    } else {
        (1u64 << set.len()) - 1
    };
    touched.clear();
    for (bit, &(skill, level)) in set.iter().enumerate() {
        for &(person, held) in &indexes.seekers[skill as usize] {
            if held >= level {
                if masks[person as usize] == 0 {
                    touched.push(person);
                }
                masks[person as usize] |= 1 << bit;
            }
        }
    }
    // What each course closes of this vacancy's set.
    let mut course_masks: AHashMap<u32, u64> = AHashMap::new();
    for (bit, &(skill, level)) in set.iter().enumerate() {
        for &(course, reached) in &indexes.courses[skill as usize] {
            if reached >= level {
                *course_masks.entry(course).or_default() |= 1 << bit;
            }
        }
    }
    let mut partial: Vec<(u32, u64)> = Vec::new();
    for (&course, &mask) in &course_masks {
        if mask == full {
            outcome.full_cover.push(course);
        } else {
            partial.push((course, mask));
        }
    }
    outcome.full_cover.sort_unstable();
    partial.sort_unstable();
    let mut after_touched = 0u32;
    for &person in touched.iter() {
        let mask = masks[person as usize];
        masks[person as usize] = 0;
        if mask == full {
            outcome.ready_now.push(person);
            continue;
        }
        let missing = full & !mask;
        let mut any = !outcome.full_cover.is_empty();
        for &(course, closes) in &partial {
            if missing & !closes == 0 {
                outcome.pairs.push((course, person));
                any = true;
            }
        }
        if any {
            after_touched += 1;
        }
    }
    outcome.ready_now.sort_unstable();
    outcome.after_one_course = if outcome.full_cover.is_empty() {
        after_touched
    } else {
        (seeker_count - outcome.ready_now.len()) as u32
    };
    outcome
}

/// Per course, what each person gains: `base` vacancies for everyone (courses that close a
/// whole set), plus per-person adjustments.
#[derive(Debug, Default, Clone)]
struct CourseGains {
    base: i64,
    adjust: AHashMap<u32, i64>,
}

/// Computes the report. `parallel`: run the per-vacancy pass in parallel (rayon) or not.
pub fn demand_report(input: &DemandInput, parallel: bool) -> DemandReport {
    demand_report_with_progress(input, parallel, &crate::NoProgress)
}

/// [`demand_report`], advancing `progress` by one per vacancy.
pub fn demand_report_with_progress(
    input: &DemandInput,
    parallel: bool,
    progress: &dyn crate::Progress,
) -> DemandReport {
    let indexes = build_indexes(input);
    let seeker_count = input.seekers.len();
    let skills = skill_table(input, &indexes);
    let mut gains: Vec<CourseGains> = vec![CourseGains::default(); input.courses.len()];
    let mut vacancies = Vec::with_capacity(input.vacancies.len());
    // Chunks bound the memory of the (course, person) pairs.
    let order: Vec<usize> = (0..input.vacancies.len()).collect();
    for chunk in order.chunks(1024) {
        let init = || (vec![0u64; seeker_count], Vec::<u32>::new());
        let work = |scratch: &mut (Vec<u64>, Vec<u32>), &index: &usize| {
            let (masks, touched) = scratch;
            vacancy_outcome(
                &indexes,
                seeker_count,
                &input.vacancies[index],
                masks,
                touched,
            )
        };
        let outcomes = if parallel {
            crate::scoring::parallel::map_with_scratch(chunk, init, work)
        } else {
            crate::scoring::parallel::map_with_scratch_sequential(chunk, init, work)
        };
        progress.advance(chunk.len() as u64);
        for (&index, outcome) in chunk.iter().zip(outcomes) {
            let vacancy = &input.vacancies[index];
            vacancies.push(VacancyReadiness {
                vacancy: index,
                positions: vacancy.positions,
                essentials: eligibility_set(&vacancy.requirements).len() as u32,
                ready_now: outcome.ready_now.len() as u32,
                after_one_course: outcome.after_one_course,
            });
            for &course in &outcome.full_cover {
                let gain = &mut gains[course as usize];
                gain.base += 1;
                for &person in &outcome.ready_now {
                    *gain.adjust.entry(person).or_default() -= 1;
                }
            }
            for (course, person) in outcome.pairs {
                *gains[course as usize].adjust.entry(person).or_default() += 1;
            }
        }
    }
    let courses = greedy_coverage(input, &gains, seeker_count);
    DemandReport {
        vacancy_count: input.vacancies.len(),
        position_count: input.vacancies.iter().map(|v| u64::from(v.positions)).sum(),
        seeker_count,
        course_count: input.courses.len(),
        skills,
        vacancies,
        courses,
    }
}

fn skill_table(input: &DemandInput, indexes: &Indexes) -> Vec<SkillDemand> {
    #[derive(Default)]
    struct Tally {
        demand: f64,
        vacancies: u32,
        essential_in: u32,
        positions: u32,
        by_level: [f64; 5],
    }
    let mut tallies: AHashMap<u32, Tally> = AHashMap::new();
    for vacancy in &input.vacancies {
        for requirement in &vacancy.requirements {
            let weight =
                f64::from(vacancy.positions) * if requirement.essential { 1.0 } else { 0.5 };
            let tally = tallies.entry(requirement.skill).or_default();
            tally.demand += weight;
            tally.vacancies += 1;
            tally.essential_in += u32::from(requirement.essential);
            tally.positions += vacancy.positions;
            tally.by_level[usize::from(requirement.level.min(4))] += weight;
        }
    }
    let mut skills: Vec<SkillDemand> = tallies
        .into_iter()
        .map(|(skill, tally)| {
            let mut required_level = 1u8;
            for level in 1..=4u8 {
                if tally.by_level[usize::from(level)] >= tally.by_level[usize::from(required_level)]
                {
                    required_level = level;
                }
            }
            let seekers_at_level = indexes.seekers[skill as usize]
                .iter()
                .filter(|&&(_, level)| level >= required_level)
                .count() as u32;
            SkillDemand {
                skill,
                demand: tally.demand,
                vacancies: tally.vacancies,
                essential_in: tally.essential_in,
                positions: tally.positions,
                required_level,
                seekers_at_level,
                gap: (tally.demand - f64::from(seekers_at_level)).max(0.0),
            }
        })
        .collect();
    skills.sort_by(|a, b| {
        b.gap
            .total_cmp(&a.gap)
            .then(b.demand.total_cmp(&a.demand))
            .then(a.skill.cmp(&b.skill))
    });
    skills
}

/// The people a course would take now (at most `seats`, largest gain first, then lowest id) and
/// the total gain.
fn best_people(
    gains: &CourseGains,
    seats: u32,
    assigned: &[bool],
    seeker_count: usize,
) -> (u64, Vec<u32>) {
    let seats = seats as usize;
    let mut listed: Vec<(i64, u32)> = gains
        .adjust
        .iter()
        .filter(|(&person, _)| !assigned[person as usize])
        .map(|(&person, &adjust)| (gains.base + adjust, person))
        .filter(|&(gain, _)| gain > 0)
        .collect();
    listed.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<(i64, u32)> = Vec::with_capacity(seats);
    let mut listed = listed.into_iter().peekable();
    // People without an adjustment gain `base`; take them (lowest id first) where they beat
    // the listed ones.
    let mut plain = (0..seeker_count as u32)
        .filter(|&person| {
            gains.base > 0 && !assigned[person as usize] && !gains.adjust.contains_key(&person)
        })
        .peekable();
    while chosen.len() < seats {
        let next_listed = listed.peek().copied();
        let next_plain = plain.peek().copied();
        match (next_listed, next_plain) {
            (Some((gain, person)), Some(plain_person)) => {
                if gain > gains.base || (gain == gains.base && person < plain_person) {
                    chosen.push((gain, person));
                    listed.next();
                } else {
                    chosen.push((gains.base, plain_person));
                    plain.next();
                }
            }
            (Some(entry), None) => {
                chosen.push(entry);
                listed.next();
            }
            (None, Some(plain_person)) => {
                chosen.push((gains.base, plain_person));
                plain.next();
            }
            (None, None) => break,
        }
    }
    let total = chosen.iter().map(|&(gain, _)| gain as u64).sum();
    (
        total,
        chosen.into_iter().map(|(_, person)| person).collect(),
    )
}

fn greedy_coverage(
    input: &DemandInput,
    gains: &[CourseGains],
    seeker_count: usize,
) -> Vec<CoursePick> {
    let mut assigned = vec![false; seeker_count];
    // Lazy greedy: a course's value only falls as people are assigned.
    let mut heap: BinaryHeap<(u64, std::cmp::Reverse<usize>)> = BinaryHeap::new();
    for (course, gain) in gains.iter().enumerate() {
        let (value, _) = best_people(gain, input.courses[course].seats, &assigned, seeker_count);
        if value > 0 {
            heap.push((value, std::cmp::Reverse(course)));
        }
    }
    let mut picks = Vec::new();
    let mut cumulative_people = 0u32;
    let mut cumulative_eligibilities = 0u64;
    while let Some((stale, std::cmp::Reverse(course))) = heap.pop() {
        let (value, people) = best_people(
            &gains[course],
            input.courses[course].seats,
            &assigned,
            seeker_count,
        );
        if value == 0 {
            continue;
        }
        let still_best = heap.peek().is_none_or(|&(next, std::cmp::Reverse(other))| {
            value > next || (value == next && course < other)
        });
        if value < stale && !still_best {
            heap.push((value, std::cmp::Reverse(course)));
            continue;
        }
        for &person in &people {
            assigned[person as usize] = true;
        }
        cumulative_people += people.len() as u32;
        cumulative_eligibilities += value;
        picks.push(CoursePick {
            course,
            people: people.len() as u32,
            eligibilities: value,
            cumulative_people,
            cumulative_eligibilities,
        });
    }
    picks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(skill: u32, level: u8, essential: bool) -> Requirement {
        Requirement::new(skill, level, essential).unwrap()
    }

    /// A tiny area computed by hand.
    ///
    /// Vacancies: A (2 positions) needs 1@2 and 2@3 essential, 3@1 optional; B (1 position) needs
    /// 2@2 essential and 4@2 essential. People: p0 {1:2, 2:3} (ready for A; for B lacks 4),
    /// p1 {1:1, 2:2} (A lacks 1 and 2; B lacks 4), p2 {4:3} (A lacks 1, 2; B lacks 2), p3 {}.
    /// Courses: c0 teaches 4@2 (3 seats), c1 teaches 1@2 and 2@3 (1 seat), c2 teaches 2@1.
    fn tiny() -> DemandInput {
        DemandInput {
            vacancies: vec![
                DemandVacancy {
                    id: "A".into(),
                    positions: 2,
                    requirements: vec![req(1, 2, true), req(2, 3, true), req(3, 1, false)],
                },
                DemandVacancy {
                    id: "B".into(),
                    positions: 1,
                    requirements: vec![req(2, 2, true), req(4, 2, true)],
                },
            ],
            seekers: vec![
                vec![(1, 2), (2, 3)],
                vec![(1, 1), (2, 2)],
                vec![(4, 3)],
                vec![],
            ],
            courses: vec![
                DemandCourse {
                    id: "c0".into(),
                    seats: 3,
                    teaches: vec![(4, 2)],
                },
                DemandCourse {
                    id: "c1".into(),
                    seats: 1,
                    teaches: vec![(1, 2), (2, 3)],
                },
                DemandCourse {
                    id: "c2".into(),
                    seats: 5,
                    teaches: vec![(2, 1)],
                },
            ],
        }
    }

    #[test]
    fn skill_table_by_hand() {
        let report = demand_report(&tiny(), false);
        let row = |skill: u32| report.skills.iter().find(|s| s.skill == skill).unwrap();
        // Skill 2: A essential level 3 (weight 2), B essential level 2 (weight 1) → demand 3,
        // required level 3; holders at ≥3: p0 → supply 1, gap 2.
        assert_eq!(
            (
                row(2).demand,
                row(2).required_level,
                row(2).seekers_at_level,
                row(2).gap
            ),
            (3.0, 3, 1, 2.0)
        );
        assert_eq!(
            (row(2).vacancies, row(2).essential_in, row(2).positions),
            (2, 2, 3)
        );
        // Skill 1: demand 2 at level 2, holders p0 → gap 1.
        assert_eq!(
            (row(1).demand, row(1).seekers_at_level, row(1).gap),
            (2.0, 1, 1.0)
        );
        // Skill 3: optional, 2 × 0.5 = 1, nobody holds it → gap 1.
        assert_eq!((row(3).demand, row(3).gap), (1.0, 1.0));
        // Skill 4: demand 1 at level 2, p2 holds 3 → gap 0.
        assert_eq!(
            (row(4).demand, row(4).seekers_at_level, row(4).gap),
            (1.0, 1, 0.0)
        );
        // Ordered by gap, then demand: 2, then 1 (demand 2) before 3 (demand 1), then 4.
        let order: Vec<u32> = report.skills.iter().map(|s| s.skill).collect();
        assert_eq!(order, vec![2, 1, 3, 4]);
        assert_eq!(report.position_count, 3);
    }

    #[test]
    fn readiness_by_hand() {
        let report = demand_report(&tiny(), false);
        // A: ready p0; c1 closes the whole set, so every other person (p1, p2, p3) is ready after
        // one course.
        assert_eq!(
            (
                report.vacancies[0].ready_now,
                report.vacancies[0].after_one_course
            ),
            (1, 3)
        );
        // B: nobody ready; p0 lacks 4 (c0), p1 lacks 4 (c0), p2 lacks 2@2 (c1 teaches 2@3),
        // p3 lacks both (no single course).
        assert_eq!(
            (
                report.vacancies[1].ready_now,
                report.vacancies[1].after_one_course
            ),
            (0, 3)
        );
    }

    #[test]
    fn greedy_coverage_by_hand() {
        let report = demand_report(&tiny(), false);
        // Gains: c0 → p0: B, p1: B (1 each; 3 seats) = 2. c1 (1 seat) → p1: A, p2: A+B = 2,
        // p3: A = 1; best single person p2 with 2. c2 → nothing (2@1 closes no gap).
        // Tie at 2: lower course index first → c0 takes p0, p1; then c1 takes p2 (2).
        let picks: Vec<(usize, u32, u64)> = report
            .courses
            .iter()
            .map(|p| (p.course, p.people, p.eligibilities))
            .collect();
        assert_eq!(picks, vec![(0, 2, 2), (1, 1, 2)]);
        assert_eq!(report.courses[1].cumulative_people, 3);
        assert_eq!(report.courses[1].cumulative_eligibilities, 4);
    }

    #[test]
    fn parallel_equals_sequential() {
        let input = tiny();
        assert_eq!(demand_report(&input, true), demand_report(&input, false));
    }
}
