//! A job seeker entering the state: the profile interned, the records read
//! (`reading`), the presumptions kept for the explanation lines.

use super::*;

impl MatchState {
    /// Adds or replaces the job seeker `seeker` with its `profile` (built for `built_on`);
    /// `Err` when one of its skills has no id yet (nothing changed then).
    pub(super) fn put_worker(
        &mut self,
        seeker: &JobSeeker,
        profile: Vec<ProfileEntry>,
    ) -> std::result::Result<(), NeedsRebuild> {
        let prepared = self.prepare_worker(&profile)?;
        self.apply_worker(seeker, prepared)
    }

    /// A worker's interned profile (records, presumptions from work history and from reading the
    /// records) and the sources of its presumptions; `Err` when a skill has no id yet.
    pub(super) fn prepare_worker(
        &self,
        profile: &[ProfileEntry],
    ) -> std::result::Result<PreparedWorker, NeedsRebuild> {
        let mut interned: Vec<(u32, u8)> = Vec::with_capacity(profile.len());
        let mut presumed = Vec::new();
        for entry in profile {
            let skill = *self
                .skill_ids
                .get(entry.skill.as_str())
                .ok_or(NeedsRebuild)?;
            interned.push((skill, entry.level.get()));
            if entry.presumed {
                presumed.push((skill, entry.source.clone()));
            }
        }
        interned.sort_unstable();
        interned.dedup_by_key(|entry| entry.0);
        let read = self.read_records(&mut interned, &presumed);
        Ok(PreparedWorker {
            interned,
            presumed: presumed_list(presumed),
            read,
        })
    }

    /// Adds or replaces `seeker` with its prepared profile.
    pub(super) fn apply_worker(
        &mut self,
        seeker: &JobSeeker,
        prepared: PreparedWorker,
    ) -> std::result::Result<(), NeedsRebuild> {
        let PreparedWorker {
            interned,
            presumed,
            read,
        } = prepared;
        let conditions = Arc::new(PersonConditions {
            accepts_tirocinio: seeker.accepts_tirocinio,
            conditions: seeker.conditions.clone(),
        });
        let refresh = crate::profile::profile_changes_after(&seeker.work_history, self.built_on)
            .unwrap_or(NaiveDate::MAX);
        let comune = self.filters.comune(&seeker.comune, &self.coordinates);
        match self.worker_position.get(seeker.id.as_str()) {
            Some(&position) => {
                self.set
                    .replace_worker(position, interned)
                    .map_err(|_| NeedsRebuild)?;
                self.presumed.set(position, presumed);
                self.read.set(position, read);
                self.worker_conditions.set(position, conditions);
                self.filters.worker_comuni.set(position, comune);
                self.worker_comuni.set(position, seeker.comune.clone());
                self.worker_refresh.set(position, refresh);
            }
            None => {
                let position = self
                    .set
                    .add_worker(seeker.id.as_str(), interned)
                    .map_err(|_| NeedsRebuild)?;
                self.worker_position.insert(seeker.id.as_str(), position);
                self.presumed.push(presumed);
                self.read.push(read);
                self.worker_conditions.push(conditions);
                self.filters.worker_comuni.push(comune);
                self.worker_comuni.push(seeker.comune.clone());
                self.worker_refresh.push(refresh);
            }
        }
        Ok(())
    }

    /// Adds to `interned` (sorted by skill) the competences presumed from its records (every
    /// entry not in `presumed`, the work-history presumptions), and returns them with the
    /// sources the explanation lines name. See: issue 14, point 7.
    fn read_records(&self, interned: &mut Vec<(u32, u8)>, presumed: &[(u32, String)]) -> Presumed {
        let from_history = |skill: u32| presumed.iter().any(|entry| entry.0 == skill);
        let readings = self.reader.read(interned, &|skill| !from_history(skill));
        if readings.is_empty() {
            return presumed_list(Vec::new());
        }
        let mut sources = Vec::with_capacity(readings.len());
        for reading in &readings {
            interned.push((reading.skill, reading.level));
            let why = match reading.parent {
                Some(parent) => format!(
                    "{} «{}»",
                    reading.relation.describe_it(),
                    self.label(parent, "it")
                ),
                None => reading.relation.describe_it().to_string(),
            };
            let occupation = reading
                .occupation
                .and_then(|occupation| {
                    self.taxonomy
                        .occupation_label(occupation, "it")
                        .map(|label| format!(", profilo vicino a «{label}»"))
                })
                .unwrap_or_default();
            sources.push((
                reading.skill,
                format!(
                    "registrata come «{}», {why}{occupation}; probabilità {:.0}%, livello al più {}",
                    self.label(reading.via, "it"),
                    reading.probability * 100.0,
                    self.reader.config().cap
                ),
            ));
        }
        interned.sort_unstable();
        presumed_list(sources)
    }
}
