//! The only module that uses rayon. Every parallel helper has a sequential twin used as the
//! reference in tests.

use rayon::prelude::*;

use super::{MatchSet, ScoringConfig};

/// The number of worker threads available.
pub fn threads() -> usize {
    rayon::current_num_threads()
}

/// Maps `items` in parallel, keeping order; each thread gets its own scratch from `init`.
pub fn map_with_scratch<T, S, R, I, F>(items: &[T], init: I, work: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, &T) -> R + Sync + Send,
{
    items.par_iter().map_init(init, work).collect()
}

/// The sequential twin of [`map_with_scratch`].
pub fn map_with_scratch_sequential<T, S, R, I, F>(items: &[T], init: I, work: F) -> Vec<R>
where
    I: Fn() -> S,
    F: Fn(&mut S, &T) -> R,
{
    let mut scratch = init();
    items.iter().map(|item| work(&mut scratch, item)).collect()
}

/// Top `k` vacancies for each worker of the set, in parallel (one entry per worker position).
pub fn top_vacancies_for_all_workers(
    set: &MatchSet,
    k: usize,
    config: &ScoringConfig,
) -> Vec<Vec<(usize, f32)>> {
    let positions: Vec<usize> = (0..set.worker_count()).collect();
    positions
        .par_iter()
        .map(|&position| {
            set.top_vacancies_for_worker(set.worker_profile(position), k, config, &|_| true)
        })
        .collect()
}

/// The sequential twin of [`top_vacancies_for_all_workers`].
pub fn top_vacancies_for_all_workers_sequential(
    set: &MatchSet,
    k: usize,
    config: &ScoringConfig,
) -> Vec<Vec<(usize, f32)>> {
    (0..set.worker_count())
        .map(|position| {
            set.top_vacancies_for_worker(set.worker_profile(position), k, config, &|_| true)
        })
        .collect()
}

/// Runs `work` on each `items[i]` with `outputs[i]` in parallel; each thread gets its own
/// scratch from `init`. The outputs are reused by the caller from one call to the next.
pub fn zip_with_scratch<T, O, S, I, F>(items: &[T], outputs: &mut [O], init: I, work: F)
where
    T: Sync,
    O: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, &T, &mut O) + Sync + Send,
{
    items
        .par_iter()
        .zip(outputs.par_iter_mut())
        .for_each_init(init, |scratch, (item, output)| work(scratch, item, output));
}

/// The sequential twin of [`zip_with_scratch`].
pub fn zip_with_scratch_sequential<T, O, S, I, F>(items: &[T], outputs: &mut [O], init: I, work: F)
where
    I: Fn() -> S,
    F: Fn(&mut S, &T, &mut O),
{
    let mut scratch = init();
    for (item, output) in items.iter().zip(outputs.iter_mut()) {
        work(&mut scratch, item, output);
    }
}
