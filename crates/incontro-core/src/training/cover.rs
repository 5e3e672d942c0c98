//! The exact minimum-hours course set that closes a set of competence gaps.
//!
//! A gap is a skill with the level a vacancy requires; a course closes it when it teaches the skill
//! at that level or above. Gaps are few (a vacancy's missing essential competences, typically at
//! most ten), so the search runs over subsets of gaps: a dynamic programme over bit masks where
//! each state is extended only by the courses that close its lowest open gap (every cover must
//! contain one of them, so nothing optimal is lost). Courses that close no gap are dropped first,
//! and so are courses dominated by another that closes a superset for no more hours.

/// A course as the search sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoverCourse<'a> {
    /// Length in hours (the cost minimised).
    pub hours: u32,
    /// Cost in euro (second criterion on ties).
    pub cost_eur: u32,
    /// `(skill, level reached)`, any order.
    pub teaches: &'a [(u32, u8)],
}

/// The result of [`min_hours_cover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    /// Indexes (into the `courses` given) of the chosen courses, ascending.
    pub courses: Vec<usize>,
    /// Total hours of the chosen courses.
    pub hours: u32,
    /// Indexes (into the `gaps` given) that no course closes.
    pub uncovered: Vec<usize>,
    /// False when the gaps were too many for the exact search and a greedy cover was used.
    pub optimal: bool,
}

/// The largest number of coverable gaps searched exactly (2^20 states at most).
pub const MAX_EXACT_GAPS: usize = 20;

/// The mask of the gaps a course closes.
fn closes(gaps: &[(u32, u8)], teaches: &[(u32, u8)]) -> u32 {
    let mut mask = 0u32;
    for (index, &(skill, level)) in gaps.iter().enumerate().take(32) {
        if teaches
            .iter()
            .any(|&(taught, reached)| taught == skill && reached >= level)
        {
            mask |= 1 << index;
        }
    }
    mask
}

/// The set of courses with the fewest total hours (then the lowest total cost, then the fewest
/// courses) that closes every gap some course can close; gaps no course closes are listed in
/// [`Cover::uncovered`]. With no gaps the cover is empty.
pub fn min_hours_cover(gaps: &[(u32, u8)], courses: &[CoverCourse<'_>]) -> Cover {
    let gaps = &gaps[..gaps.len().min(32)];
    let masks: Vec<u32> = courses.iter().map(|c| closes(gaps, c.teaches)).collect();
    let coverable = masks.iter().fold(0u32, |all, &mask| all | mask);
    let uncovered: Vec<usize> = (0..gaps.len())
        .filter(|&index| coverable & (1 << index) == 0)
        .collect();
    // Useful courses, without dominated ones.
    let mut useful: Vec<usize> = (0..courses.len()).filter(|&i| masks[i] != 0).collect();
    useful.sort_by_key(|&i| (courses[i].hours, courses[i].cost_eur, i));
    let mut kept: Vec<usize> = Vec::with_capacity(useful.len());
    for &candidate in &useful {
        let dominated = kept.iter().any(|&better| {
            masks[candidate] & !masks[better] == 0
                && courses[better].hours <= courses[candidate].hours
                && courses[better].cost_eur <= courses[candidate].cost_eur
        });
        if !dominated {
            kept.push(candidate);
        }
    }
    let gap_count = coverable.count_ones() as usize;
    if coverable == 0 {
        return Cover {
            courses: Vec::new(),
            hours: 0,
            uncovered,
            optimal: true,
        };
    }
    // Compress the coverable gaps to bits 0..gap_count.
    let positions: Vec<u32> = (0..32).filter(|&bit| coverable & (1 << bit) != 0).collect();
    let compress = |mask: u32| -> u32 {
        positions
            .iter()
            .enumerate()
            .filter(|(_, &bit)| mask & (1 << bit) != 0)
            .fold(0u32, |acc, (index, _)| acc | (1 << index))
    };
    let compressed: Vec<(usize, u32)> = kept.iter().map(|&i| (i, compress(masks[i]))).collect();
    let (chosen, optimal) = if gap_count <= MAX_EXACT_GAPS {
        (exact(gap_count, &compressed, courses), true)
    } else {
        (greedy(gap_count, &compressed, courses), false)
    };
    let mut chosen = chosen;
    chosen.sort_unstable();
    let hours = chosen.iter().map(|&i| courses[i].hours).sum();
    Cover {
        courses: chosen,
        hours,
        uncovered,
        optimal,
    }
}

/// `(hours, cost, number of courses)`: the order of preference.
type Key = (u64, u64, u32);

fn exact(gap_count: usize, candidates: &[(usize, u32)], courses: &[CoverCourse<'_>]) -> Vec<usize> {
    let full: u32 = if gap_count == 32 {
        u32::MAX
    } else {
        (1u32 << gap_count) - 1
    };
    let states = 1usize << gap_count;
    let mut best: Vec<Option<Key>> = vec![None; states];
    // (previous state, course) that reached each state first at its best key.
    let mut parent: Vec<(u32, u32)> = vec![(0, u32::MAX); states];
    best[0] = Some((0, 0, 0));
    // Courses closing each gap, for the "lowest open gap" branching.
    let by_gap: Vec<Vec<(usize, u32)>> = (0..gap_count)
        .map(|gap| {
            candidates
                .iter()
                .copied()
                .filter(|&(_, mask)| mask & (1 << gap) != 0)
                .collect()
        })
        .collect();
    // Supersets have larger numbers, so increasing order visits a state after all its sources.
    for state in 0..states {
        let Some(key) = best[state] else { continue };
        let state = state as u32;
        if state == full {
            break;
        }
        let lowest_open = (!state).trailing_zeros() as usize;
        for &(course, mask) in &by_gap[lowest_open] {
            let next = (state | mask) as usize;
            let offered = &courses[course];
            let candidate = (
                key.0 + u64::from(offered.hours),
                key.1 + u64::from(offered.cost_eur),
                key.2 + 1,
            );
            if best[next].is_none_or(|current| candidate < current) {
                best[next] = Some(candidate);
                parent[next] = (state, course as u32);
            }
        }
    }
    let mut chosen = Vec::new();
    let mut state = full as usize;
    while state != 0 {
        let (previous, course) = parent[state];
        debug_assert!(course != u32::MAX, "full state must be reachable");
        chosen.push(course as usize);
        state = previous as usize;
    }
    chosen
}

fn greedy(
    gap_count: usize,
    candidates: &[(usize, u32)],
    courses: &[CoverCourse<'_>],
) -> Vec<usize> {
    let full: u32 = if gap_count == 32 {
        u32::MAX
    } else {
        (1u32 << gap_count) - 1
    };
    let mut covered = 0u32;
    let mut chosen = Vec::new();
    while covered != full {
        // Most newly closed gaps per hour.
        let Some(&(course, mask)) = candidates
            .iter()
            .filter(|(_, mask)| mask & !covered != 0)
            .max_by(|a, b| {
                let rate = |(i, m): &(usize, u32)| {
                    (m & !covered).count_ones() as f64 / f64::from(courses[*i].hours.max(1))
                };
                rate(a).total_cmp(&rate(b)).then(b.0.cmp(&a.0))
            })
        else {
            break;
        };
        covered |= mask;
        chosen.push(course);
    }
    chosen
}

/// The reference: every subset of courses (use only with few courses), the fewest hours among
/// those that close every coverable gap.
pub fn min_hours_exhaustive(gaps: &[(u32, u8)], courses: &[CoverCourse<'_>]) -> Option<u32> {
    assert!(
        courses.len() <= 20,
        "exhaustive search over at most 20 courses"
    );
    let masks: Vec<u32> = courses.iter().map(|c| closes(gaps, c.teaches)).collect();
    let coverable = masks.iter().fold(0u32, |all, &mask| all | mask);
    let mut best: Option<u32> = None;
    for subset in 0u32..(1 << courses.len()) {
        let mut covered = 0u32;
        let mut hours = 0u32;
        for (index, mask) in masks.iter().enumerate() {
            if subset & (1 << index) != 0 {
                covered |= mask;
                hours += courses[index].hours;
            }
        }
        if covered == coverable && best.is_none_or(|b| hours < b) {
            best = Some(hours);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn course(hours: u32, teaches: &[(u32, u8)]) -> CoverCourse<'_> {
        CoverCourse {
            hours,
            cost_eur: 0,
            teaches,
        }
    }

    #[test]
    fn picks_two_short_courses_over_one_long_by_hand() {
        let gaps = [(1, 2), (2, 3), (3, 1)];
        let long = [(1, 4), (2, 4), (3, 4)];
        let first = [(1, 2), (3, 2)];
        let second = [(2, 3)];
        let courses = [course(100, &long), course(40, &first), course(50, &second)];
        let cover = min_hours_cover(&gaps, &courses);
        assert_eq!(cover.courses, vec![1, 2]);
        assert_eq!(cover.hours, 90);
        assert!(cover.uncovered.is_empty());
        assert!(cover.optimal);
    }

    #[test]
    fn a_course_below_the_required_level_does_not_close_the_gap() {
        let gaps = [(1, 3), (2, 1)];
        let low = [(1, 2), (2, 2)];
        let cover = min_hours_cover(&gaps, &[course(10, &low)]);
        assert_eq!(cover.courses, vec![0]);
        assert_eq!(cover.uncovered, vec![0]);
    }

    #[test]
    fn no_gaps_no_courses() {
        let some = [(1, 4)];
        let cover = min_hours_cover(&[], &[course(10, &some)]);
        assert!(cover.courses.is_empty());
        assert_eq!(cover.hours, 0);
    }

    #[test]
    fn greedy_fallback_covers_many_gaps() {
        let gaps: Vec<(u32, u8)> = (0..24).map(|skill| (skill, 1)).collect();
        let teach: Vec<Vec<(u32, u8)>> = (0..24).map(|skill| vec![(skill, 2)]).collect();
        let courses: Vec<CoverCourse<'_>> = teach.iter().map(|t| course(5, t)).collect();
        let cover = min_hours_cover(&gaps, &courses);
        assert!(!cover.optimal);
        assert_eq!(cover.courses.len(), 24);
        assert_eq!(cover.hours, 120);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The search finds the optimum of the exhaustive reference, and its set really covers.
        #[test]
        fn optimum_equals_exhaustive_search(
            gap_levels in proptest::collection::vec(1u8..=4, 0..8),
            raw_courses in proptest::collection::vec(
                (1u32..120, proptest::collection::vec((0u32..10, 1u8..=4), 0..5)),
                0..11,
            ),
        ) {
            let gaps: Vec<(u32, u8)> = gap_levels
                .iter()
                .enumerate()
                .map(|(skill, &level)| (skill as u32, level))
                .collect();
            let courses: Vec<CoverCourse<'_>> =
                raw_courses.iter().map(|(hours, teaches)| course(*hours, teaches)).collect();
            let cover = min_hours_cover(&gaps, &courses);
            let reference = min_hours_exhaustive(&gaps, &courses);
            prop_assert_eq!(Some(cover.hours), reference);
            prop_assert!(cover.optimal);
            for (index, &(skill, level)) in gaps.iter().enumerate() {
                let closed = cover.courses.iter().any(|&c| {
                    courses[c].teaches.iter().any(|&(t, l)| t == skill && l >= level)
                });
                prop_assert_eq!(closed, !cover.uncovered.contains(&index));
            }
        }
    }
}
