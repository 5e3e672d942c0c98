//! The accumulator path behind [`MatchSet`](super::MatchSet)'s top-k queries.
//!
//! Instead of scoring every candidate requirement by requirement with the reference kernel, a
//! query walks the posting lists of the skills that can earn credit, in ascending skill order, and
//! adds each requirement's `weight × credit` (and, for essential requirements, its credit) into
//! dense per-thread arrays over vacancy (or worker) positions. Because a vacancy's requirements
//! are sorted by skill, each sum receives the same terms in the same order as in
//! [`score_parts`](super::kernel::score_parts) — the terms the reference adds for requirements that
//! earn nothing are zeros, which leave an `f32` sum unchanged — and the same closing arithmetic
//! ([`finish_score`]) turns them into a score. So the scores are bit-identical to the reference,
//! which the property tests in `scoring/matchset.rs` check.
//!
//! The credit of a required skill does not depend on the vacancy, only on the required level:
//! it is computed once per query for each reachable skill and level (the best exact or related
//! level held, see [`requirement_credit`](super::requirement_credit)). Per-vacancy total weights
//! and essential counts are precomputed when the vacancy is added. The filter is called only for
//! candidates whose score could still enter the top k, and the scratch arrays are reused across
//! queries of a thread (reset by generation stamps, not by clearing).

use std::cell::RefCell;
use std::cmp::Ordering;
use std::sync::Arc;

use super::cow::CowVec;

use super::kernel::{finish_score, related_factor, requirement_weight};
use super::{Requirement, ScoringConfig, SkillGraph, LEVEL_CREDIT};

/// One requirement in the posting list of its skill.
#[derive(Debug, Clone, Copy)]
struct VacancyPosting {
    vacancy: u32,
    /// `Requirement::base_weight()`, before the specificity multiplier.
    base_weight: f32,
    /// Required level minus one (0..=3), the level clamped to 1..=4 as the reference kernel does.
    level_index: u8,
    essential: bool,
}

/// The requirements of one skill, with the largest share of its vacancy's total weight any of
/// them has (the score upper bound of the pruned path, see [`top_vacancies_pruned`]).
#[derive(Debug, Default, Clone)]
struct VacancyList {
    postings: Vec<VacancyPosting>,
    /// max over the postings ever added of `weight / total weight of the vacancy`, without
    /// (`[0]`) and with (`[1]`) the specificity multiplier. A removal leaves it as it was: it
    /// stays an upper bound, which is all the pruning needs.
    max_share: [f32; 2],
}

/// Posting lists skill → requirements, with per-vacancy totals.
///
/// Each list is shared behind an `Arc` and the totals are [`CowVec`]s, so a clone is cheap and
/// a change to one vacancy copies only the lists of its skills (see `scoring/cow.rs`). The order
/// of a list does not matter: each vacancy appears at most once in it, and its sums receive the
/// terms in skill order whatever the order of the lists.
#[derive(Debug, Default, Clone)]
pub(crate) struct VacancyPostings {
    by_skill: Vec<Arc<VacancyList>>,
    /// Σ weight in requirement order, without the specificity multiplier.
    total_plain: CowVec<f32>,
    /// Σ weight in requirement order, with the specificity multiplier of the set's graph.
    total_specific: CowVec<f32>,
    essential_count: CowVec<u32>,
}

/// The list of `slot`, created (empty) when missing, to change.
fn list_mut<L: Clone + Default>(lists: &mut Vec<Arc<L>>, slot: usize) -> &mut L {
    if lists.len() <= slot {
        lists.resize_with(slot + 1, || Arc::new(L::default()));
    }
    Arc::make_mut(&mut lists[slot])
}

/// `part / whole`, or 0 when `whole` is not positive (such a vacancy scores 0).
fn share(part: f32, whole: f32) -> f32 {
    if whole > 0.0 {
        (part / whole).max(0.0)
    } else {
        0.0
    }
}

impl VacancyPostings {
    /// Adds the vacancy at `position` (the next one, or one whose postings were just removed);
    /// `requirements` sorted by skill; `graph` is the set's graph (for the specificity totals).
    pub(crate) fn add(
        &mut self,
        position: usize,
        requirements: &[Requirement],
        graph: Option<&SkillGraph>,
    ) {
        debug_assert!(position <= self.total_plain.len());
        let plain = ScoringConfig::exact();
        let specific = ScoringConfig::default();
        let mut total_plain = 0.0f32;
        let mut total_specific = 0.0f32;
        let mut essential_count = 0u32;
        for requirement in requirements {
            total_plain += requirement_weight(requirement, &plain, graph);
            total_specific += requirement_weight(requirement, &specific, graph);
            if requirement.essential {
                essential_count += 1;
            }
        }
        for requirement in requirements {
            let list = list_mut(&mut self.by_skill, requirement.skill as usize);
            list.postings.push(VacancyPosting {
                vacancy: position as u32,
                base_weight: requirement.base_weight(),
                level_index: requirement.level.clamp(1, 4) - 1,
                essential: requirement.essential,
            });
            let shares = [
                share(requirement_weight(requirement, &plain, graph), total_plain),
                share(
                    requirement_weight(requirement, &specific, graph),
                    total_specific,
                ),
            ];
            for (max, share) in list.max_share.iter_mut().zip(shares) {
                *max = max.max(share);
            }
        }
        if position == self.total_plain.len() {
            self.total_plain.push(total_plain);
            self.total_specific.push(total_specific);
            self.essential_count.push(essential_count);
        } else {
            self.total_plain.set(position, total_plain);
            self.total_specific.set(position, total_specific);
            self.essential_count.set(position, essential_count);
        }
    }

    /// Removes the postings of the vacancy at `position` (its `requirements`); its totals stay
    /// until [`VacancyPostings::add`] replaces them or [`VacancyPostings::swap_remove`] drops them.
    pub(crate) fn remove_postings(&mut self, position: usize, requirements: &[Requirement]) {
        for requirement in requirements {
            let list = &mut list_mut(&mut self.by_skill, requirement.skill as usize).postings;
            if let Some(at) = list.iter().position(|p| p.vacancy as usize == position) {
                list.remove(at);
            }
        }
    }

    /// Drops the totals at `position` (whose postings were removed), moving the last vacancy's
    /// (with `last_requirements`) into its place, like `Vec::swap_remove`.
    pub(crate) fn swap_remove(&mut self, position: usize, last_requirements: &[Requirement]) {
        let last = self.total_plain.len() - 1;
        if position != last {
            for requirement in last_requirements {
                let list = &mut list_mut(&mut self.by_skill, requirement.skill as usize).postings;
                if let Some(posting) = list.iter_mut().find(|p| p.vacancy as usize == last) {
                    posting.vacancy = position as u32;
                }
            }
        }
        self.total_plain.swap_remove(position);
        self.total_specific.swap_remove(position);
        self.essential_count.swap_remove(position);
    }

    /// The per-vacancy total weights a query under `config` divides by.
    fn totals(&self, graph: Option<&SkillGraph>, config: &ScoringConfig) -> &CowVec<f32> {
        if graph.is_some() && config.uses_specificity() {
            &self.total_specific
        } else {
            &self.total_plain
        }
    }

    /// The positions of the vacancies requiring `skill`, in no particular order.
    pub(crate) fn vacancies_requiring(&self, skill: u32) -> impl Iterator<Item = u32> + '_ {
        self.by_skill
            .get(skill as usize)
            .into_iter()
            .flat_map(|list| list.postings.iter())
            .map(|posting| posting.vacancy)
    }
}

/// Posting lists skill → `(worker position, level held)`, shared like [`VacancyPostings`]'.
#[derive(Debug, Default, Clone)]
pub(crate) struct WorkerPostings {
    by_skill: Vec<Arc<Vec<(u32, u8)>>>,
}

impl WorkerPostings {
    /// Adds the worker at `position` with its profile.
    pub(crate) fn add(&mut self, position: usize, profile: &[(u32, u8)]) {
        for &(skill, level) in profile {
            list_mut(&mut self.by_skill, skill as usize).push((position as u32, level));
        }
    }

    /// Removes the postings of the worker at `position` (its `profile`).
    pub(crate) fn remove(&mut self, position: usize, profile: &[(u32, u8)]) {
        for &(skill, _) in profile {
            let list = list_mut(&mut self.by_skill, skill as usize);
            if let Some(at) = list.iter().position(|p| p.0 as usize == position) {
                list.remove(at);
            }
        }
    }

    /// Renames the worker at position `from` (with `profile`) to position `to`.
    pub(crate) fn renumber(&mut self, from: usize, to: usize, profile: &[(u32, u8)]) {
        for &(skill, _) in profile {
            let list = list_mut(&mut self.by_skill, skill as usize);
            if let Some(posting) = list.iter_mut().find(|p| p.0 as usize == from) {
                posting.0 = to as u32;
            }
        }
    }

    /// The positions of the workers holding `skill`, in no particular order.
    pub(crate) fn workers_holding(&self, skill: u32) -> impl Iterator<Item = u32> + '_ {
        self.by_skill
            .get(skill as usize)
            .into_iter()
            .flat_map(|list| list.iter())
            .map(|&(worker, _)| worker)
    }

    fn holding(&self, skill: u32) -> &[(u32, u8)] {
        self.by_skill
            .get(skill as usize)
            .map(|list| list.as_slice())
            .unwrap_or(&[])
    }
}

/// One position's values in [`Dense`] (one cache line access per posting).
#[derive(Debug, Default, Clone, Copy)]
struct Slot {
    stamp: u32,
    first: f32,
    second: f32,
}

/// Dense per-position values reset by generation stamps: a position whose stamp is not the
/// current generation holds nothing yet.
#[derive(Debug, Default)]
struct Dense {
    generation: u32,
    slots: Vec<Slot>,
    touched: Vec<u32>,
}

impl Dense {
    fn begin(&mut self, size: usize) {
        if self.slots.len() < size {
            self.slots.resize(size, Slot::default());
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.slots.fill(Slot::default());
            self.generation = 1;
        }
        self.touched.clear();
    }

    /// `first += base_weight × multiplier × credit` for each posting whose required level earns
    /// a credit (`credits` by required level), starting from zero: the accumulator of the
    /// pruned path, with the slots, the generation and the touched list held in locals.
    #[inline]
    fn add_postings(&mut self, postings: &[VacancyPosting], credits: &[f32; 4], multiplier: f32) {
        let generation = self.generation;
        let slots = &mut self.slots[..];
        let touched = &mut self.touched;
        for posting in postings {
            let credit = credits[usize::from(posting.level_index & 3)];
            if credit > 0.0 {
                let value = posting.base_weight * multiplier * credit;
                let slot = &mut slots[posting.vacancy as usize];
                if slot.stamp == generation {
                    slot.first += value;
                } else {
                    *slot = Slot {
                        stamp: generation,
                        first: value,
                        second: 0.0,
                    };
                    touched.push(posting.vacancy);
                }
            }
        }
    }

    /// `first += a; second += b` at `position`, starting from zero.
    #[inline]
    fn add(&mut self, position: u32, a: f32, b: f32) {
        let generation = self.generation;
        let slot = &mut self.slots[position as usize];
        if slot.stamp != generation {
            *slot = Slot {
                stamp: generation,
                first: 0.0,
                second: 0.0,
            };
            self.touched.push(position);
        }
        slot.first += a;
        slot.second += b;
    }

    /// Marks `position` as met; false when it already was in this generation.
    #[inline]
    fn mark(&mut self, position: u32) -> bool {
        let generation = self.generation;
        let slot = &mut self.slots[position as usize];
        if slot.stamp == generation {
            return false;
        }
        slot.stamp = generation;
        true
    }

    /// `first = max(first, value)` at `position`, starting from `value`.
    #[inline]
    fn raise(&mut self, position: u32, value: f32) {
        let generation = self.generation;
        let slot = &mut self.slots[position as usize];
        if slot.stamp != generation {
            *slot = Slot {
                stamp: generation,
                first: value,
                second: 0.0,
            };
            self.touched.push(position);
        } else if value > slot.first {
            slot.first = value;
        }
    }
}

/// Skill → index of the query's term, reset by generation stamps like [`Dense`].
#[derive(Debug, Default)]
struct TermTable {
    generation: u32,
    slots: Vec<(u32, u32)>,
}

impl TermTable {
    fn begin(&mut self, size: usize) {
        if self.slots.len() < size {
            self.slots.resize(size, (0, 0));
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.slots.fill((0, 0));
            self.generation = 1;
        }
    }

    fn set(&mut self, skill: u32, term: u32) {
        self.slots[skill as usize] = (self.generation, term);
    }

    #[inline]
    fn get(&self, skill: u32) -> Option<u32> {
        match self.slots.get(skill as usize) {
            Some(&(stamp, term)) if stamp == self.generation => Some(term),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
struct Scratch {
    sums: Dense,
    best: Dense,
    terms: Vec<Term>,
    table: TermTable,
    /// `(bound, term index)` of the pruned path.
    by_bound: Vec<(f32, u32)>,
    /// `(estimate or bound, vacancy)` of the pruned path.
    estimates: Vec<(f32, u32)>,
    /// `(skill, exact level held, related level held, related factor)` before merging.
    reachable: Vec<(u32, u8, u8, f32)>,
    selected: Vec<(usize, f32)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `work` with this thread's scratch (a fresh one if it is already in use, e.g. a filter
/// that queries again).
fn with_scratch<R>(work: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => work(&mut scratch),
        Err(_) => work(&mut Scratch::default()),
    })
}

/// The ranking order: score descending, then `order` (id, then position) ascending.
pub(crate) type Order<'a> = dyn Fn(&(usize, f32), &(usize, f32)) -> Ordering + 'a;

/// Keeps the `k` best of the candidates offered, by `order`; `filter` is asked only about
/// candidates that could enter.
struct TopK<'a> {
    k: usize,
    best: &'a mut Vec<(usize, f32)>,
    order: &'a Order<'a>,
    filter: &'a dyn Fn(usize) -> bool,
    /// With a large `k`, collect every accepted candidate and select at the end.
    collect_all: bool,
    /// Scores below this cannot enter: `min_score`, then the k-th score once there are k.
    threshold: f32,
}

const INSERTION_LIMIT: usize = 64;

/// Up to this `k` the top vacancies go through the pruned path: beyond it the top `k` is
/// collected whole, no k-th score rises to prune against, and the accumulator is cheaper.
pub(crate) const PRUNED_MAX_K: usize = INSERTION_LIMIT;

impl<'a> TopK<'a> {
    fn new(
        k: usize,
        best: &'a mut Vec<(usize, f32)>,
        order: &'a Order<'a>,
        filter: &'a dyn Fn(usize) -> bool,
        config: &ScoringConfig,
    ) -> Self {
        best.clear();
        TopK {
            k,
            best,
            order,
            filter,
            collect_all: k > INSERTION_LIMIT,
            threshold: config.min_score,
        }
    }

    /// Offers a candidate; only scores > 0 and ≥ `min_score` are kept.
    #[inline(always)]
    fn offer(&mut self, position: usize, value: f32) {
        if value > 0.0 && value >= self.threshold {
            self.consider(position, value);
        }
    }

    #[inline(never)]
    fn consider(&mut self, position: usize, value: f32) {
        if self.collect_all {
            if (self.filter)(position) {
                self.best.push((position, value));
            }
            return;
        }
        let entry = (position, value);
        if self.best.len() == self.k {
            let last = &self.best[self.k - 1];
            if value < last.1 || (self.order)(&entry, last) != Ordering::Less {
                return;
            }
        }
        if !(self.filter)(position) {
            return;
        }
        let at = self
            .best
            .partition_point(|existing| (self.order)(existing, &entry) == Ordering::Less);
        self.best.insert(at, entry);
        self.best.truncate(self.k);
        if self.best.len() == self.k {
            self.threshold = self.threshold.max(self.best[self.k - 1].1);
        }
    }

    fn finish(self) -> Vec<(usize, f32)> {
        let order = self.order;
        if self.collect_all && self.best.len() > self.k {
            self.best.select_nth_unstable_by(self.k - 1, order);
            self.best.truncate(self.k);
        }
        if self.collect_all {
            self.best.sort_unstable_by(order);
        }
        self.best.clone()
    }
}

/// One skill a query's profile can earn credit for: the credit per required level (exact or
/// the best related, see [`requirement_credit`](super::requirement_credit)) and the weight
/// multiplier of the skill.
#[derive(Debug, Clone, Copy, Default)]
struct Term {
    skill: u32,
    credits: [f32; 4],
    multiplier: f32,
}

/// The terms of a query, in ascending skill order, for the skills some vacancy requires.
fn query_terms(
    postings: &VacancyPostings,
    graph: Option<&SkillGraph>,
    profile: &[(u32, u8)],
    config: &ScoringConfig,
    reachable: &mut Vec<(u32, u8, u8, f32)>,
    terms: &mut Vec<Term>,
) {
    let related_graph = graph.filter(|_| config.uses_related());
    let specificity_graph = graph.filter(|_| config.uses_specificity());
    reachable.clear();
    terms.clear();
    for &(held, level) in profile {
        reachable.push((held, level, 0, 0.0));
        if let Some(graph) = related_graph {
            reachable.extend(
                graph
                    .related_to(held)
                    .iter()
                    .map(|&(required, _, closeness)| {
                        (required, 0, level, related_factor(config, closeness))
                    }),
            );
        }
    }
    reachable.sort_unstable_by_key(|entry| entry.0);
    let mut index = 0;
    while index < reachable.len() {
        let skill = reachable[index].0;
        let mut exact = 0u8;
        let mut credits = [0.0f32; 4];
        let start = index;
        while index < reachable.len() && reachable[index].0 == skill {
            exact = exact.max(reachable[index].1);
            index += 1;
        }
        let Some(list) = postings.by_skill.get(skill as usize) else {
            continue;
        };
        if list.postings.is_empty() {
            continue;
        }
        for (slot, credit) in credits.iter_mut().enumerate() {
            *credit = LEVEL_CREDIT[usize::from(exact.min(4))][slot + 1];
        }
        if related_graph.is_some() {
            for &(_, _, level, factor) in &reachable[start..index] {
                if level == 0 {
                    continue;
                }
                for (slot, credit) in credits.iter_mut().enumerate() {
                    let related = factor * LEVEL_CREDIT[usize::from(level.min(4))][slot + 1];
                    if related > *credit {
                        *credit = related;
                    }
                }
            }
        }
        let multiplier = match specificity_graph {
            Some(graph) => graph.specificity(skill).multiplier(),
            None => 1.0,
        };
        terms.push(Term {
            skill,
            credits,
            multiplier,
        });
    }
}

/// The `k` best vacancies for `profile` (strictly sorted by skill, levels as in the reference):
/// the accumulator twin of `MatchSet::top_vacancies_for_worker_reference`, every posting of
/// every term added up.
#[allow(clippy::too_many_arguments)]
pub(crate) fn top_vacancies(
    postings: &VacancyPostings,
    graph: Option<&SkillGraph>,
    profile: &[(u32, u8)],
    k: usize,
    config: &ScoringConfig,
    filter: &dyn Fn(usize) -> bool,
    order: &Order<'_>,
) -> Vec<(usize, f32)> {
    debug_assert!(profile.windows(2).all(|w| w[0].0 < w[1].0));
    if k == 0 {
        return Vec::new();
    }
    with_scratch(|scratch| {
        let Scratch {
            sums,
            reachable,
            selected,
            terms,
            ..
        } = scratch;
        query_terms(postings, graph, profile, config, reachable, terms);
        sums.begin(postings.total_plain.len());
        for term in terms.iter() {
            let list = &postings.by_skill[term.skill as usize];
            for posting in list.postings.iter() {
                let credit = term.credits[usize::from(posting.level_index & 3)];
                if credit > 0.0 {
                    let weight = posting.base_weight * term.multiplier;
                    let essential = if posting.essential { credit } else { 0.0 };
                    sums.add(posting.vacancy, weight * credit, essential);
                }
            }
        }
        let totals = postings.totals(graph, config);
        let mut top = TopK::new(k, selected, order, filter, config);
        for &vacancy in &sums.touched {
            let index = vacancy as usize;
            let slot = &sums.slots[index];
            let (value, _) = finish_score(
                slot.first,
                totals[index],
                slot.second,
                postings.essential_count[index],
                config,
            );
            top.offer(index, value);
        }
        top.finish()
    })
}

#[cfg(test)]
thread_local! {
    /// Posting lists the pruned path skipped on this thread (the tests check it prunes).
    pub(crate) static PRUNED_LISTS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The lowest estimate in `estimates` (not empty) and where it is.
fn lowest_of(estimates: &[(f32, u32)]) -> (f32, usize) {
    estimates
        .iter()
        .enumerate()
        .fold((f32::INFINITY, 0), |lowest, (at, &(value, _))| {
            if value < lowest.0 {
                (value, at)
            } else {
                lowest
            }
        })
}

/// The smallest `f32` not below `value` (≥ 0).
fn next_up(value: f64) -> f32 {
    let rounded = value as f32;
    if f64::from(rounded) >= value {
        rounded
    } else {
        f32::from_bits(rounded.to_bits() + 1)
    }
}

/// Relative and absolute slack added to a sum of upper bounds before it is compared with a
/// score: covers the `f32` rounding of the shares, of the sums and of the closing arithmetic
/// (a few ulps each, far below 1e-4), so the bound stays above every score it bounds.
const BOUND_SLACK: f32 = 1e-4;

/// The `k` best vacancies for `profile`, like [`top_vacancies`] and with the same scores to the
/// bit, skipping the posting lists that cannot change the top `k` (MaxScore).
///
/// A vacancy's score is `Σ weight × credit / total weight`, times the essential factor (at most
/// 1 while no credit exceeds 1), clamped to [0, 1]. What one term (a skill of the query) can add
/// to any vacancy's score is at most its `bound = max share × max credit`, where the list's max
/// share is the largest `weight / total weight` of its postings. The terms are taken in
/// descending bound and added up in the accumulator (an estimate: not in skill order); once the
/// bounds of the terms left sum to less than the score a vacancy needs to enter (the k-th best
/// exact score found so far, or `min_score`), a vacancy none of the terms taken reached cannot
/// enter, and the lists left are skipped. The vacancies reached are then scored exactly, best
/// estimate first, while `estimate + bounds left` can still enter: requirement by requirement
/// in skill order with the query's credit table — the same terms in the same order as the
/// accumulator, hence the same bits. Halfway through the bound mass, the best `2k` estimates
/// are scored exactly first, so that the k-th score is known early. Every comparison of a
/// bound with a score adds [`BOUND_SLACK`]. See docs/scoring.md, "Pruning".
#[allow(clippy::too_many_arguments)]
pub(crate) fn top_vacancies_pruned(
    postings: &VacancyPostings,
    requirements: &CowVec<Arc<[Requirement]>>,
    graph: Option<&SkillGraph>,
    profile: &[(u32, u8)],
    k: usize,
    config: &ScoringConfig,
    filter: &dyn Fn(usize) -> bool,
    order: &Order<'_>,
) -> Vec<(usize, f32)> {
    debug_assert!(profile.windows(2).all(|w| w[0].0 < w[1].0));
    if k == 0 {
        return Vec::new();
    }
    with_scratch(|scratch| {
        let Scratch {
            sums,
            best: scored,
            reachable,
            selected,
            terms,
            table,
            by_bound,
            estimates,
        } = scratch;
        query_terms(postings, graph, profile, config, reachable, terms);
        let specific = usize::from(graph.is_some() && config.uses_specificity());
        // The query's credit table, skill → term, for the exact scoring of a vacancy.
        table.begin(postings.by_skill.len());
        let mut top_credit = 0.0f32;
        by_bound.clear();
        for (index, term) in terms.iter().enumerate() {
            table.set(term.skill, index as u32);
            let credit = term.credits.iter().copied().fold(0.0f32, f32::max);
            top_credit = top_credit.max(credit);
            let share = postings.by_skill[term.skill as usize].max_share[specific];
            by_bound.push(((share * credit).max(0.0), index as u32));
        }
        // The essential factor is 0.5 + 0.5 × (Σ essential credit / essential count): at most
        // 1 while credits are at most 1, as in every configuration the engine builds; a
        // related discount or closeness above 1 raises it, and the bound with it.
        let factor = if config.uses_essential_factor() {
            (0.5 + 0.5 * top_credit).max(1.0)
        } else {
            1.0
        };
        let bound_of = |estimate: f32| estimate * factor * (1.0 + BOUND_SLACK) + BOUND_SLACK;
        by_bound.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        // remaining[i]: the sum of the bounds from the i-th term on (in f64: no rounding to
        // speak of, whatever the number of terms).
        let mut remaining = vec![0.0f64; by_bound.len() + 1];
        for index in (0..by_bound.len()).rev() {
            remaining[index] = remaining[index + 1] + f64::from(by_bound[index].0);
        }
        let total_bound = remaining[0];
        let totals = postings.totals(graph, config);
        let essential_counts = &postings.essential_count;
        let exact = |vacancy: usize| {
            let mut weighted = 0.0f32;
            let mut essential = 0.0f32;
            for requirement in requirements[vacancy].iter() {
                let Some(at) = table.get(requirement.skill) else {
                    continue;
                };
                let term = &terms[at as usize];
                let credit = term.credits[usize::from((requirement.level.clamp(1, 4) - 1) & 3)];
                if credit > 0.0 {
                    let weight = requirement.base_weight() * term.multiplier;
                    weighted += weight * credit;
                    essential += if requirement.essential { credit } else { 0.0 };
                }
            }
            finish_score(
                weighted,
                totals[vacancy],
                essential,
                essential_counts[vacancy],
                config,
            )
            .0
        };
        // The estimate of a vacancy reached: its share of the terms taken so far.
        let estimate = |slot: &Slot, vacancy: usize| {
            let total = totals[vacancy];
            if total > 0.0 {
                slot.first / total
            } else {
                0.0
            }
        };
        sums.begin(postings.total_plain.len());
        scored.begin(postings.total_plain.len());
        let mut top = TopK::new(k, selected, order, filter, config);
        let add_list = |sums: &mut Dense, term: &Term| {
            sums.add_postings(
                &postings.by_skill[term.skill as usize].postings,
                &term.credits,
                term.multiplier,
            );
        };
        let mut left = 0.0f32;
        let mut taken = by_bound.len();
        let mut seeded = false;
        for (rank, &(_, term)) in by_bound.iter().enumerate() {
            // Rounded up to the next f32: still at least the exact sum.
            left = next_up(remaining[rank]);
            if bound_of(left) < top.threshold || remaining[rank] <= 0.0 {
                #[cfg(test)]
                PRUNED_LISTS.with(|skipped| skipped.set(skipped.get() + by_bound.len() - rank));
                taken = rank;
                break;
            }
            add_list(sums, &terms[term as usize]);
            left = next_up(remaining[rank + 1]);
            if !seeded && remaining[rank + 1] <= total_bound / 2.0 {
                // Score the best 2k estimates exactly: the k-th score they give prunes the rest.
                // One pass keeps the best 2k estimates (which ones among equals does not
                // matter: seeds only raise the threshold early).
                seeded = true;
                estimates.clear();
                let seeds = 2 * k;
                let mut lowest = (f32::NEG_INFINITY, 0usize);
                for &vacancy in &sums.touched {
                    let value = estimate(&sums.slots[vacancy as usize], vacancy as usize);
                    if estimates.len() < seeds {
                        estimates.push((value, vacancy));
                        if estimates.len() == seeds {
                            lowest = lowest_of(estimates);
                        }
                    } else if value > lowest.0 {
                        estimates[lowest.1] = (value, vacancy);
                        lowest = lowest_of(estimates);
                    }
                }
                for &(_, vacancy) in estimates.iter() {
                    scored.mark(vacancy);
                    top.offer(vacancy as usize, exact(vacancy as usize));
                }
            }
        }
        // The terms left (`left`) were skipped: a vacancy reached scores at most its estimate
        // plus `left`; one not reached at most `left`, which is below the threshold.
        let candidates = |estimates: &mut Vec<(f32, u32)>, sums: &Dense, left: f32, at: f32| {
            estimates.clear();
            let mut cost = 0usize;
            for &vacancy in &sums.touched {
                let slot = &sums.slots[vacancy as usize];
                let bound = bound_of(estimate(slot, vacancy as usize) + left);
                if bound >= at {
                    estimates.push((bound, vacancy));
                    cost += requirements[vacancy as usize].len();
                }
            }
            cost
        };
        let skipped: usize = by_bound[taken..]
            .iter()
            .map(|&(_, term)| {
                postings.by_skill[terms[term as usize].skill as usize]
                    .postings
                    .len()
            })
            .sum();
        if taken < by_bound.len() && skipped < sums.touched.len() {
            // Adding up the few postings skipped costs less than one more pass over the
            // vacancies reached: add them, and every estimate is its vacancy's whole sum.
            for &(_, term) in &by_bound[taken..] {
                add_list(sums, &terms[term as usize]);
            }
            left = 0.0;
        }
        if left == 0.0 {
            // Every term is in the sums, and the best estimates were scored when seeding: one
            // pass scores exactly each vacancy whose bound still reaches the k-th score (the
            // top k does not depend on the order of the offers).
            for &vacancy in &sums.touched {
                let slot = &sums.slots[vacancy as usize];
                if bound_of(estimate(slot, vacancy as usize)) >= top.threshold
                    && scored.mark(vacancy)
                {
                    top.offer(vacancy as usize, exact(vacancy as usize));
                }
            }
            return top.finish();
        }
        let cost = candidates(estimates, sums, left, top.threshold);
        if taken < by_bound.len() && cost > skipped {
            // Scoring the candidates one by one would cost more than adding up the lists
            // skipped: add them up, and only the vacancies that can enter remain candidates.
            for &(_, term) in &by_bound[taken..] {
                add_list(sums, &terms[term as usize]);
            }
            left = 0.0;
            candidates(estimates, sums, left, top.threshold);
        }
        estimates.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(bound, vacancy) in estimates.iter() {
            if bound < top.threshold {
                break;
            }
            if scored.mark(vacancy) {
                top.offer(vacancy as usize, exact(vacancy as usize));
            }
        }
        top.finish()
    })
}

/// The `k` best workers for a vacancy's `requirements` (sorted by skill): the accumulator twin of
/// `MatchSet::top_workers_for_vacancy_reference`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn top_workers(
    postings: &WorkerPostings,
    worker_count: usize,
    graph: Option<&SkillGraph>,
    requirements: &[Requirement],
    k: usize,
    config: &ScoringConfig,
    filter: &dyn Fn(usize) -> bool,
    order: &Order<'_>,
) -> Vec<(usize, f32)> {
    if k == 0 {
        return Vec::new();
    }
    let related_graph = graph.filter(|_| config.uses_related());
    with_scratch(|scratch| {
        let Scratch {
            sums,
            best,
            selected,
            ..
        } = scratch;
        sums.begin(worker_count);
        let mut total_weight = 0.0f32;
        let mut essential_count = 0u32;
        for requirement in requirements {
            let required = usize::from(requirement.level.clamp(1, 4));
            let weight = requirement_weight(requirement, config, graph);
            total_weight += weight;
            if requirement.essential {
                essential_count += 1;
            }
            // The best credit of each worker for this requirement: exact, or the best related.
            best.begin(worker_count);
            for &(worker, level) in postings.holding(requirement.skill) {
                best.raise(worker, LEVEL_CREDIT[usize::from(level.min(4))][required]);
            }
            if let Some(graph) = related_graph {
                for &(held, _, closeness) in graph.related_to(requirement.skill) {
                    let factor = related_factor(config, closeness);
                    for &(worker, level) in postings.holding(held) {
                        let credit = factor * LEVEL_CREDIT[usize::from(level.min(4))][required];
                        best.raise(worker, credit);
                    }
                }
            }
            for &worker in &best.touched {
                let credit = best.slots[worker as usize].first;
                if credit > 0.0 {
                    let essential = if requirement.essential { credit } else { 0.0 };
                    sums.add(worker, weight * credit, essential);
                }
            }
        }
        let mut top = TopK::new(k, selected, order, filter, config);
        for &worker in &sums.touched {
            let index = worker as usize;
            let slot = &sums.slots[index];
            let (value, _) = finish_score(
                slot.first,
                total_weight,
                slot.second,
                essential_count,
                config,
            );
            top.offer(index, value);
        }
        top.finish()
    })
}
