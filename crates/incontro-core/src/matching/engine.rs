//! The engine's matching calls: vacancies for a person, candidates for a vacancy, explanations,
//! the nightly batch over the store.

use super::*;

/// A distance filter needs the centre's coordinates: without them it would silently match
/// nothing. See: issue 19.
fn check_near(state: &MatchState, query: &MatchQuery) -> Result<()> {
    match &query.near {
        Some((centre, _)) if !state.coordinates.contains_key(centre) => Err(Error::invalid(
            ErrorCode::UnknownComune,
            format!(
                "no coordinates for comune {}: import the comuni list (comuni.csv, see \
                 docs/formats.md) to filter by distance",
                centre.as_str()
            ),
        )),
        _ => Ok(()),
    }
}

/// **Matching**: vacancies for a person, candidates for a vacancy, explanations.
impl Engine {
    /// A job seeker's competence profile with evidence (explicit plus inferred from work history).
    pub fn person_profile(&self, id: &EntityId) -> Result<Vec<ProfileEntry>> {
        let seeker = self.get_job_seeker(id)?;
        let taxonomy = self.taxonomy()?;
        let crosswalk = self.cp2011_crosswalk()?;
        let resolve = |code: &OccupationCode| resolve_occupation(&taxonomy, &crosswalk, code);
        let today = self.today();
        Ok(build_profile(
            &seeker.competences,
            &seeker.work_history,
            &resolve,
            &InferenceConfig::new(today),
        ))
    }

    /// The best open vacancies for a job seeker, with explanations (labels in `language`).
    pub fn vacancies_for_person(
        &self,
        id: &EntityId,
        query: &MatchQuery,
        language: &str,
    ) -> Result<Vec<VacancyMatch>> {
        query.check()?;
        let state = self.match_state()?;
        let Some(&position) = state.worker_position.get(id.as_str()) else {
            return Err(Error::not_found(
                ErrorCode::JobSeekerNotFound,
                "job seeker",
                id.as_str(),
            ));
        };
        let home = state.worker_comuni[position].clone();
        let mut query = query.clone();
        if let Some((_, km)) = &query.near {
            // "near" without an explicit centre means near the person's home.
            query.near = Some((
                query
                    .near
                    .as_ref()
                    .map(|(c, _)| c.clone())
                    .unwrap_or(home.clone()),
                *km,
            ));
        }
        self.check_language(language)?;
        check_near(&state, &query)?;
        let profile = state.set.worker_profile(position).to_vec();
        state.vacancies_for(&profile, Some(position), Some(&home), &query, language)
    }

    /// The best candidates for an open vacancy, with explanations.
    pub fn candidates_for_vacancy(
        &self,
        id: &EntityId,
        query: &MatchQuery,
        language: &str,
    ) -> Result<Vec<CandidateMatch>> {
        query.check()?;
        let state = self.match_state()?;
        let Some(&position) = state.vacancy_position.get(id.as_str()) else {
            return Err(Error::not_found(
                ErrorCode::VacancyNotFound,
                "open vacancy",
                id.as_str(),
            ));
        };
        self.check_language(language)?;
        check_near(&state, query)?;
        let config = query.scoring();
        let workplace = state.vacancy_facts[position].comune.clone();
        let near = NearFilter::new(&state.filters, &state.coordinates, query.near.as_ref());
        let in_scope = state.comuni_in_scope(query.scope.as_ref());
        let filter = |worker: usize| {
            let comune = state.filters.worker_comuni[worker];
            if let Some(in_scope) = &in_scope {
                if !in_scope[comune as usize] {
                    return false;
                }
            }
            match &near {
                Some(near) => near.within(comune),
                None => true,
            }
        };
        // The vacancy is offered only to people whose own conditions it meets (the others last
        // and marked with `include_unsuitable`).
        let rank = |k: usize, extra: &dyn Fn(usize) -> bool| {
            state
                .set
                .top_workers_for_vacancy(position, k, &config, &|worker| {
                    filter(worker) && extra(worker)
                })
        };
        let suitable = |worker: usize| state.suits(worker, position);
        let ranked = MatchState::rank_suitable_first(
            query.offset + query.k,
            &rank,
            &suitable,
            query.include_unsuitable,
        );
        let labels = |skill: u32| state.label(skill, language);
        let mut results = Vec::new();
        for (rank, (worker, score)) in ranked.into_iter().enumerate().skip(query.offset) {
            let profile = state.set.worker_profile(worker);
            let mut explanation =
                state
                    .set
                    .explain(profile, position, &config, state.set.graph(), &labels)?;
            state.mark_presumed(worker, &mut explanation);
            results.push(CandidateMatch {
                rank: rank + 1,
                job_seeker_id: state.set.worker_id(worker).to_string(),
                comune: state.worker_comuni[worker].as_str().to_string(),
                distance_km: state.distance(&workplace, &state.worker_comuni[worker]),
                score,
                explanation,
                unmet_conditions: state.unmet_conditions(worker, position),
            });
        }
        Ok(results)
    }

    /// Explains one person–vacancy pair.
    pub fn explain_match(
        &self,
        person: &EntityId,
        vacancy: &EntityId,
        exact: bool,
        language: &str,
    ) -> Result<Explanation> {
        self.check_language(language)?;
        let state = self.match_state()?;
        let Some(&worker) = state.worker_position.get(person.as_str()) else {
            return Err(Error::not_found(
                ErrorCode::JobSeekerNotFound,
                "job seeker",
                person.as_str(),
            ));
        };
        let Some(&position) = state.vacancy_position.get(vacancy.as_str()) else {
            return Err(Error::not_found(
                ErrorCode::VacancyNotFound,
                "open vacancy",
                vacancy.as_str(),
            ));
        };
        let config = if exact {
            ScoringConfig::exact()
        } else {
            ScoringConfig::default()
        };
        let labels = |skill: u32| state.label(skill, language);
        let mut explanation = state.set.explain(
            state.set.worker_profile(worker),
            position,
            &config,
            state.set.graph(),
            &labels,
        )?;
        state.mark_presumed(worker, &mut explanation);
        Ok(explanation)
    }

    /// Matches every job seeker against every open vacancy and writes
    /// `worker_id,rank,vacancy_id,score` to `out` (the nightly batch, `incontro match --all`).
    pub fn match_all(
        &self,
        k: usize,
        exact: bool,
        out: &Path,
        progress: &dyn Progress,
    ) -> Result<usize> {
        self.match_all_shard(k, exact, Shard::WHOLE, out, progress)
    }

    /// [`Engine::match_all`] for one shard of the job seekers (`incontro match --all --shard
    /// I/N`), so that N machines share the nightly batch: each job seeker is in exactly one
    /// shard (by a stable hash of the id), and the union of the N outputs is the unsharded
    /// output, row for row.
    pub fn match_all_shard(
        &self,
        k: usize,
        exact: bool,
        shard: Shard,
        out: &Path,
        progress: &dyn Progress,
    ) -> Result<usize> {
        if k == 0 || k > MAX_K {
            return Err(Error::invalid(
                ErrorCode::InvalidK,
                format!("k must be 1 to {MAX_K}"),
            ));
        }
        let state = self.match_state()?;
        let config = if exact {
            ScoringConfig {
                mode: Mode::Exact,
                ..ScoringConfig::exact()
            }
        } else {
            ScoringConfig::default()
        };
        // In id order, as a fresh build holds them (positions move as the state follows writes).
        let workers: Vec<usize> = state
            .workers_by_id()
            .into_iter()
            .filter(|&worker| shard.contains(state.set.worker_id(worker)))
            .collect();
        progress.start("matching", Some(workers.len() as u64));
        let results = crate::scoring::parallel::map_with_scratch(
            &workers,
            || (),
            |_, &worker| {
                let ranked = state.set.top_vacancies_for_worker(
                    state.set.worker_profile(worker),
                    k,
                    &config,
                    &|_| true,
                );
                progress.advance(1);
                ranked
            },
        );
        progress.finish();
        let mut writer = crate::output::OutputFile::create(out)?;
        let mut rows = 0;
        let io = |source| Error::io(out, source);
        writeln!(writer, "worker_id,rank,vacancy_id,score").map_err(io)?;
        for (worker, ranked) in workers.iter().zip(results) {
            for (rank, (position, score)) in ranked.into_iter().enumerate() {
                writeln!(
                    writer,
                    "{},{},{},{:.6}",
                    state.set.worker_id(*worker),
                    rank + 1,
                    state.set.vacancy_id(position),
                    score
                )
                .map_err(io)?;
                rows += 1;
            }
        }
        writer.commit()?;
        Ok(rows)
    }
}
