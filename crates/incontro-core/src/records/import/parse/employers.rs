//! Companies, vacancies and their competence requirements.

use super::super::*;
use super::Parsed;

#[derive(Deserialize)]
struct CompanyRow {
    id: String,
    name: String,
    codice_fiscale: String,
    partita_iva: Option<String>,
    ateco: Option<String>,
    offers_tirocini: String,
    comuni: String,
}

#[derive(Deserialize)]
struct VacancyRow {
    id: String,
    company_id: String,
    title: String,
    description: String,
    occupation_uri: Option<String>,
    comune: String,
    placement: String,
    contract_type: Option<String>,
    tirocinio_months: Option<String>,
    tirocinio_indemnity_eur: Option<String>,
    positions: String,
    opens: String,
    closes: Option<String>,
    source: String,
    agency: Option<String>,
    status: String,
    validated_by: Option<String>,
    validated_on: Option<String>,
    /// Optional column.
    weekly_hours: Option<String>,
}

#[derive(Deserialize)]
struct RequirementRow {
    vacancy_id: String,
    skill_uri: String,
    level: String,
    essential: String,
    weight: Option<String>,
}

/// Companies, their vacancies and the vacancies' competence requirements.
pub(super) fn parse_employers(
    files: &RecordFiles,
    known_skill: &dyn Fn(&str) -> Option<bool>,
    existing_companies: &HashSet<String>,
    stored: &super::Stored<'_>,
    parsed: &mut Parsed,
    problems: &mut Problems,
) -> Result<()> {
    let mut company_ids: HashSet<String> = existing_companies.clone();
    if let Some(path) = &files.companies {
        let file = file_name(path);
        let mut seen = HashSet::new();
        let columns = [
            "id",
            "name",
            "codice_fiscale",
            "partita_iva",
            "ateco",
            "offers_tirocini",
            "comuni",
        ];
        for (line, row) in read_rows::<CompanyRow>(files, path, &columns, problems)? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let id = check.field("id", EntityId::parse(&row.id));
            let cf = check.field("codice_fiscale", CodiceFiscale::parse(&row.codice_fiscale));
            let piva = optional(&row.partita_iva)
                .map(|p| check.field("partita_iva", PartitaIva::parse(p)));
            let tirocini = check.field("offers_tirocini", parse_bool(&row.offers_tirocini));
            let mut sites = Vec::new();
            for code in row
                .comuni
                .split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                if let Some(comune) = check.field("comuni", ComuneCode::parse(code)) {
                    sites.push(Site {
                        comune,
                        address: None,
                    });
                }
            }
            if row.name.trim().is_empty() {
                check.fail("name", "name is empty");
            }
            if let Some(id) = &id {
                if !seen.insert(id.clone()) {
                    check.fail("id", format!("duplicate company id {id}"));
                }
            }
            if let (true, Some(id), Some(cf), Some(tirocini)) = (check.ok, id, cf, tirocini) {
                company_ids.insert(id.to_string());
                parsed.companies.push(Company {
                    id,
                    name: row.name,
                    codice_fiscale: cf,
                    partita_iva: piva.flatten(),
                    ateco: optional(&row.ateco).map(str::to_string),
                    offers_tirocini: tirocini,
                    sites,
                });
            }
        }
    }
    let mut vacancy_index: HashMap<String, usize> = HashMap::new();
    // Line of each vacancy of vacancies.csv, to report a validated one left without competences.
    let mut vacancy_lines: Vec<(String, u64)> = Vec::new();
    if let Some(path) = &files.vacancies {
        let file = file_name(path);
        let columns = [
            "id",
            "company_id",
            "title",
            "description",
            "occupation_uri",
            "comune",
            "placement",
            "contract_type",
            "tirocinio_months",
            "tirocinio_indemnity_eur",
            "positions",
            "opens",
            "closes",
            "source",
            "agency",
            "status",
            "validated_by",
            "validated_on",
        ];
        for (line, row) in
            read_rows_with::<VacancyRow>(files, path, &columns, &["weekly_hours"], problems)?
        {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let id = check.field("id", EntityId::parse(&row.id));
            let company = check.field("company_id", EntityId::parse(&row.company_id));
            if let Some(company) = &company {
                if !company_ids.contains(company.as_str()) {
                    check.fail("company_id", format!("unknown company {company}"));
                }
            }
            let occupation = optional(&row.occupation_uri)
                .and_then(|uri| check.field("occupation_uri", OccupationUri::parse(uri)));
            let comune = check.field("comune", ComuneCode::parse(&row.comune));
            let placement = match row.placement.trim() {
                "contract" => match optional(&row.contract_type) {
                    Some(code) if code.len() == 7 && code.as_bytes()[1] == b'.' => {
                        Some(PlacementType::Contract {
                            contract_type: code.to_string(),
                        })
                    }
                    _ => {
                        check.fail(
                            "contract_type",
                            "a contract needs a COB contract type like A.02.00",
                        );
                        None
                    }
                },
                "tirocinio" => {
                    let months = optional(&row.tirocinio_months).and_then(|m| m.parse::<u8>().ok());
                    let indemnity =
                        optional(&row.tirocinio_indemnity_eur).and_then(|m| m.parse::<u32>().ok());
                    match (months, indemnity) {
                        (Some(months), Some(monthly_indemnity_eur))
                            if (1..=24).contains(&months) =>
                        {
                            Some(PlacementType::Tirocinio {
                                months,
                                monthly_indemnity_eur,
                            })
                        }
                        _ => {
                            check.fail(
                                "tirocinio_months",
                                "a tirocinio needs months (1-24) and a monthly indemnity in euro",
                            );
                            None
                        }
                    }
                }
                other => {
                    check.fail(
                        "placement",
                        format!("placement must be contract or tirocinio, got {other:?}"),
                    );
                    None
                }
            };
            let positions = match row.positions.trim().parse::<u16>() {
                Ok(count) if count > 0 => Some(count),
                _ => {
                    check.fail(
                        "positions",
                        format!(
                            "positions must be a positive number, got {:?}",
                            row.positions
                        ),
                    );
                    None
                }
            };
            let opens = check.field("opens", parse_date(&row.opens));
            let closes = optional(&row.closes).and_then(|d| check.field("closes", parse_date(d)));
            if let (Some(opens), Some(closes)) = (opens, closes) {
                if closes < opens {
                    check.fail("closes", "closes before it opens");
                }
            }
            let source = match row.source.trim() {
                "public" => Some(VacancySource::Public),
                "agency" => match optional(&row.agency) {
                    Some(name) => Some(VacancySource::Agency {
                        name: name.to_string(),
                    }),
                    None => {
                        check.fail("agency", "an agency vacancy needs the agency's name");
                        None
                    }
                },
                other => {
                    check.fail(
                        "source",
                        format!("source must be public or agency, got {other:?}"),
                    );
                    None
                }
            };
            let status = match row.status.trim() {
                "draft" => Some(VacancyStatus::Draft),
                "closed" => Some(VacancyStatus::Closed),
                "validated" => match (optional(&row.validated_by), optional(&row.validated_on)) {
                    (Some(by), Some(on)) => check.field("validated_on", parse_date(on)).map(|on| {
                        VacancyStatus::Validated {
                            by: by.to_string(),
                            on,
                        }
                    }),
                    _ => {
                        check.fail(
                            "validated_by",
                            "a validated vacancy needs validated_by and validated_on",
                        );
                        None
                    }
                },
                other => {
                    check.fail(
                        "status",
                        format!("status must be draft, validated or closed, got {other:?}"),
                    );
                    None
                }
            };
            let weekly_hours = match optional(&row.weekly_hours) {
                None => None,
                Some(text) => match text.parse::<u8>() {
                    Ok(hours) if (1..=60).contains(&hours) => Some(hours),
                    _ => {
                        check.fail(
                            "weekly_hours",
                            format!("weekly hours must be 1-60, got {text:?}"),
                        );
                        None
                    }
                },
            };
            if let Some(id) = &id {
                if vacancy_index.contains_key(id.as_str()) {
                    check.fail("id", format!("duplicate vacancy id {id}"));
                }
            }
            if let (
                true,
                Some(id),
                Some(company_id),
                Some(comune),
                Some(placement),
                Some(positions),
                Some(opens),
                Some(source),
                Some(status),
            ) = (
                check.ok, id, company, comune, placement, positions, opens, source, status,
            ) {
                vacancy_index.insert(id.to_string(), parsed.vacancies.len());
                vacancy_lines.push((id.to_string(), line));
                // Without requirements.csv, a stored vacancy keeps its breakdown.
                let kept = match &files.requirements {
                    Some(_) => Vec::new(),
                    None => (stored.vacancy)(id.as_str())?
                        .map(|vacancy| vacancy.requirements)
                        .unwrap_or_default(),
                };
                parsed.vacancies.push(Vacancy {
                    id,
                    company_id,
                    title: row.title,
                    description: row.description,
                    occupation,
                    comune,
                    placement,
                    positions,
                    opens,
                    closes,
                    source,
                    status,
                    weekly_hours,
                    requirements: kept,
                });
            }
        }
    }
    // Stored vacancies named by requirements.csv alone: (position, stored breakdown).
    let mut pulled: Vec<(usize, Vec<Requirement>)> = Vec::new();
    if let Some(path) = &files.requirements {
        let file = file_name(path);
        let mut seen = HashSet::new();
        for (line, row) in read_rows::<RequirementRow>(
            files,
            path,
            &["vacancy_id", "skill_uri", "level", "essential", "weight"],
            problems,
        )? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let mut position = vacancy_index.get(row.vacancy_id.trim()).copied();
            if position.is_none() {
                let found = (stored.vacancy)(row.vacancy_id.trim())?;
                if let Some(vacancy) = &found {
                    if matches!(vacancy.status, VacancyStatus::Closed) {
                        check.fail(
                            "vacancy_id",
                            format!(
                                "vacancy {} is closed: its competences cannot change",
                                vacancy.id
                            ),
                        );
                    }
                }
                if let Some(mut vacancy) = found.filter(|_| check.ok) {
                    let before = std::mem::take(&mut vacancy.requirements);
                    vacancy_index.insert(vacancy.id.to_string(), parsed.vacancies.len());
                    pulled.push((parsed.vacancies.len(), before));
                    position = Some(parsed.vacancies.len());
                    parsed.vacancies.push(vacancy);
                }
            }
            if position.is_none() {
                check.fail(
                    "vacancy_id",
                    format!(
                        "unknown vacancy {} (neither in the vacancies file nor stored)",
                        row.vacancy_id.trim()
                    ),
                );
            }
            let skill = check_skill(
                &mut check,
                &row.skill_uri,
                known_skill,
                &mut parsed.unchecked,
            );
            let level = check.field("level", Level::parse(&row.level));
            let essential = check.field("essential", parse_bool(&row.essential));
            let weight = match optional(&row.weight) {
                Some(text) => match text.parse::<f32>() {
                    Ok(value) => check.field("weight", Weight::new(value)),
                    Err(_) => {
                        check.fail("weight", format!("weight must be a number, got {text:?}"));
                        None
                    }
                },
                None => Some(Weight::NEUTRAL),
            };
            if let Some(skill) = &skill {
                if !seen.insert((row.vacancy_id.trim().to_string(), skill.clone())) {
                    check.fail("skill_uri", "duplicate requirement for this vacancy");
                }
            }
            if let (true, Some(position), Some(skill), Some(level), Some(essential), Some(weight)) =
                (check.ok, position, skill, level, essential, weight)
            {
                parsed.vacancies[position].requirements.push(Requirement {
                    skill,
                    level,
                    essential,
                    weight,
                });
            }
        }
    }
    // A stored validated vacancy whose breakdown changed goes back to draft, like
    // `Engine::set_requirements`: a validator checks it again.
    let sorted = |requirements: &[Requirement]| {
        let mut list: Vec<(String, u8, bool, u32)> = requirements
            .iter()
            .map(|r| {
                (
                    r.skill.as_str().to_string(),
                    r.level.get(),
                    r.essential,
                    r.weight.get().to_bits(),
                )
            })
            .collect();
        list.sort();
        list
    };
    for (position, before) in pulled {
        let vacancy = &mut parsed.vacancies[position];
        if matches!(vacancy.status, VacancyStatus::Validated { .. })
            && sorted(&before) != sorted(&vacancy.requirements)
        {
            vacancy.status = VacancyStatus::Draft;
            parsed.back_to_draft.push(vacancy.id.to_string());
        }
    }
    // A validated vacancy needs competences. See: issue 14
    if let Some(path) = &files.vacancies {
        let file = file_name(path);
        let mut empty_validated = HashSet::new();
        for (id, line) in &vacancy_lines {
            let Some(&position) = vacancy_index.get(id) else {
                continue;
            };
            let vacancy = &parsed.vacancies[position];
            if matches!(vacancy.status, VacancyStatus::Validated { .. })
                && vacancy.requirements.is_empty()
            {
                problems.push(
                    &file,
                    *line,
                    Some("status"),
                    format!("vacancy {id} is validated but has no competences: give its requirements or import it as a draft"),
                );
                empty_validated.insert(id.clone());
            }
        }
        parsed
            .vacancies
            .retain(|vacancy| !empty_validated.contains(vacancy.id.as_str()));
    }
    Ok(())
}
