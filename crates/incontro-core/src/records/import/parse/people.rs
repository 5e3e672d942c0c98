//! Job seekers, their competences and their work history.

use super::super::*;
use super::Parsed;

/// The longest first or last name accepted, in characters.
const MAX_NAME_CHARS: usize = 100;

#[derive(Deserialize)]
struct SeekerRow {
    id: String,
    codice_fiscale: String,
    first_name: String,
    last_name: String,
    mobile: Option<String>,
    email: Option<String>,
    birth_year: String,
    sex: String,
    comune: String,
    education: String,
    available_from: Option<String>,
    accepts_tirocinio: String,
    disability: String,
    /// Optional column (files written before it existed still import): citizenship group.
    citizenship: Option<String>,
    /// Optional columns: the person's conditions.
    contract_types: Option<String>,
    min_weekly_hours: Option<String>,
    max_weekly_hours: Option<String>,
    max_distance_km: Option<String>,
}

/// Every optional column of `job_seekers.csv`: the conditions and the citizenship (issue 18).
const OPTIONAL_COLUMNS: [&str; 5] = [
    "contract_types",
    "min_weekly_hours",
    "max_weekly_hours",
    "max_distance_km",
    "citizenship",
];

/// Reads the conditions columns of one row.
fn conditions(check: &mut RowCheck<'_>, row: &SeekerRow) -> WorkConditions {
    let mut contract_types = Vec::new();
    for code in optional(&row.contract_types)
        .unwrap_or("")
        .split('|')
        .map(str::trim)
        .filter(|code| !code.is_empty())
    {
        let shaped = code.len() == 7
            && code.as_bytes()[1] == b'.'
            && code.as_bytes()[4] == b'.'
            && code.is_ascii();
        if shaped {
            contract_types.push(code.to_string());
        } else {
            check.fail(
                "contract_types",
                format!("contract types are COB codes like A.02.00, separated by |, got {code:?}"),
            );
        }
    }
    let mut hours = |field: &str, value: &Option<String>| -> Option<u8> {
        let text = optional(value)?;
        match text.parse::<u8>() {
            Ok(hours) if (1..=60).contains(&hours) => Some(hours),
            _ => {
                check.fail(field, format!("weekly hours must be 1-60, got {text:?}"));
                None
            }
        }
    };
    let min_weekly_hours = hours("min_weekly_hours", &row.min_weekly_hours);
    let max_weekly_hours = hours("max_weekly_hours", &row.max_weekly_hours);
    if let (Some(min), Some(max)) = (min_weekly_hours, max_weekly_hours) {
        if min > max {
            check.fail("max_weekly_hours", "max weekly hours below the minimum");
        }
    }
    let max_distance_km =
        optional(&row.max_distance_km).and_then(|text| match text.parse::<u16>() {
            Ok(km) if (1..=1000).contains(&km) => Some(km),
            _ => {
                check.fail(
                    "max_distance_km",
                    format!("max distance must be 1-1000 km, got {text:?}"),
                );
                None
            }
        });
    WorkConditions {
        contract_types,
        min_weekly_hours,
        max_weekly_hours,
        max_distance_km,
    }
}

#[derive(Deserialize)]
struct CompetenceRow {
    job_seeker_id: String,
    skill_uri: String,
    level: String,
    evidence: String,
    since: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct PastJobRow {
    job_seeker_id: String,
    scheme: String,
    code: String,
    start: String,
    end: Option<String>,
    employer: Option<String>,
}

/// Job seekers, their competences and their work history.
pub(super) fn parse_people(
    files: &RecordFiles,
    known_skill: &dyn Fn(&str) -> Option<bool>,
    stored: &super::Stored<'_>,
    parsed: &mut Parsed,
    problems: &mut Problems,
) -> Result<()> {
    let mut seeker_index: HashMap<String, usize> = HashMap::new();
    // A stored person named only by competences.csv or work_history.csv: pulled in once, with
    // the lists those files replace emptied and the others kept.
    let pull = |id: &str,
                parsed: &mut Parsed,
                index: &mut HashMap<String, usize>|
     -> Result<Option<usize>> {
        if let Some(&position) = index.get(id) {
            return Ok(Some(position));
        }
        let Some(mut seeker) = (stored.seeker)(id)? else {
            return Ok(None);
        };
        if files.competences.is_some() {
            seeker.competences.clear();
        }
        if files.work_history.is_some() {
            seeker.work_history.clear();
        }
        index.insert(id.to_string(), parsed.seekers.len());
        parsed.seekers.push((seeker, None));
        Ok(Some(parsed.seekers.len() - 1))
    };
    if let Some(path) = &files.job_seekers {
        let file = file_name(path);
        let mut seen_cf = HashSet::new();
        let columns = [
            "id",
            "codice_fiscale",
            "first_name",
            "last_name",
            "mobile",
            "email",
            "birth_year",
            "sex",
            "comune",
            "education",
            "available_from",
            "accepts_tirocinio",
            "disability",
        ];
        for (line, row) in
            read_rows_with::<SeekerRow>(files, path, &columns, &OPTIONAL_COLUMNS, problems)?
        {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let id = check.field("id", EntityId::parse(&row.id));
            let cf = check.field("codice_fiscale", CodiceFiscale::parse(&row.codice_fiscale));
            if let Some(cf) = &cf {
                if !cf.is_personal() {
                    check.fail(
                        "codice_fiscale",
                        "a person's codice fiscale has 16 characters",
                    );
                } else if !seen_cf.insert(cf.clone()) {
                    check.fail("codice_fiscale", "duplicate codice fiscale");
                }
            }
            let birth_year = match row.birth_year.trim().parse::<u16>() {
                Ok(year) if (1900..=2015).contains(&year) => Some(year),
                _ => {
                    check.fail(
                        "birth_year",
                        format!("birth year must be 1900-2015, got {:?}", row.birth_year),
                    );
                    None
                }
            };
            let sex = check.field("sex", Sex::parse(&row.sex));
            let comune = check.field("comune", ComuneCode::parse(&row.comune));
            let education = check.field("education", EducationLevel::parse(&row.education));
            let available = optional(&row.available_from)
                .and_then(|d| check.field("available_from", parse_date(d)));
            let tirocinio = check.field("accepts_tirocinio", parse_bool(&row.accepts_tirocinio));
            let disability = check.field("disability", parse_bool(&row.disability));
            for (field, name) in [
                ("first_name", &row.first_name),
                ("last_name", &row.last_name),
            ] {
                if name.chars().count() > MAX_NAME_CHARS {
                    check.fail(
                        field,
                        format!("name longer than {MAX_NAME_CHARS} characters"),
                    );
                }
            }
            let citizenship = optional(&row.citizenship)
                .and_then(|raw| check.field("citizenship", Citizenship::parse(raw)));
            let conditions = conditions(&mut check, &row);
            if row.first_name.trim().is_empty() || row.last_name.trim().is_empty() {
                check.fail("first_name", "names must not be empty");
            }
            if let Some(mobile) = optional(&row.mobile) {
                let digits: String = mobile.chars().filter(|c| !c.is_whitespace()).collect();
                let digits = digits.strip_prefix("+39").unwrap_or(&digits);
                if !(9..=11).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit())
                {
                    check.fail("mobile", "mobile must be 9-11 digits, optionally with +39");
                }
            }
            if let Some(id) = &id {
                if seeker_index.contains_key(id.as_str()) {
                    check.fail("id", format!("duplicate job seeker id {id}"));
                }
            }
            if let (
                true,
                Some(id),
                Some(cf),
                Some(birth_year),
                Some(sex),
                Some(comune),
                Some(education),
                Some(accepts_tirocinio),
                Some(disability),
            ) = (
                check.ok, id, cf, birth_year, sex, comune, education, tirocinio, disability,
            ) {
                seeker_index.insert(id.to_string(), parsed.seekers.len());
                // A stored person keeps the lists whose files are not given.
                let kept = if files.competences.is_none() || files.work_history.is_none() {
                    (stored.seeker)(id.as_str())?
                } else {
                    None
                };
                let (competences, work_history) = match kept {
                    Some(kept) => (
                        if files.competences.is_none() {
                            kept.competences
                        } else {
                            Vec::new()
                        },
                        if files.work_history.is_none() {
                            kept.work_history
                        } else {
                            Vec::new()
                        },
                    ),
                    None => (Vec::new(), Vec::new()),
                };
                parsed.seekers.push((
                    JobSeeker {
                        id,
                        birth_year,
                        sex,
                        comune,
                        education,
                        available_from: available,
                        accepts_tirocinio,
                        disability,
                        citizenship,
                        conditions,
                        competences,
                        work_history,
                    },
                    Some(PersonalData {
                        codice_fiscale: cf,
                        first_name: row.first_name,
                        last_name: row.last_name,
                        mobile: optional(&row.mobile).map(str::to_string),
                        email: optional(&row.email).map(str::to_string),
                    }),
                ));
            }
        }
    }
    if let Some(path) = &files.competences {
        let file = file_name(path);
        let mut seen = HashSet::new();
        let columns = [
            "job_seeker_id",
            "skill_uri",
            "level",
            "evidence",
            "since",
            "note",
        ];
        for (line, row) in read_rows::<CompetenceRow>(files, path, &columns, problems)? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let position = pull(row.job_seeker_id.trim(), parsed, &mut seeker_index)?;
            if position.is_none() {
                check.fail(
                    "job_seeker_id",
                    format!(
                        "unknown job seeker {} (neither in job_seekers.csv nor stored)",
                        row.job_seeker_id.trim()
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
            let evidence = check.field("evidence", Evidence::parse(&row.evidence));
            let since = optional(&row.since).and_then(|d| check.field("since", parse_date(d)));
            if let (Some(skill), Some(evidence)) = (&skill, evidence) {
                if !seen.insert((
                    row.job_seeker_id.trim().to_string(),
                    skill.clone(),
                    evidence.as_str(),
                )) {
                    check.fail(
                        "skill_uri",
                        "duplicate competence (same skill and evidence)",
                    );
                }
            }
            if let (true, Some(position), Some(skill), Some(level), Some(evidence)) =
                (check.ok, position, skill, level, evidence)
            {
                parsed.seekers[position].0.competences.push(Competence {
                    skill,
                    level,
                    evidence,
                    since,
                    note: optional(&row.note).map(str::to_string),
                });
            }
        }
    }
    if let Some(path) = &files.work_history {
        let file = file_name(path);
        let columns = [
            "job_seeker_id",
            "scheme",
            "code",
            "start",
            "end",
            "employer",
        ];
        for (line, row) in read_rows::<PastJobRow>(files, path, &columns, problems)? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let position = pull(row.job_seeker_id.trim(), parsed, &mut seeker_index)?;
            if position.is_none() {
                check.fail(
                    "job_seeker_id",
                    format!(
                        "unknown job seeker {} (neither in job_seekers.csv nor stored)",
                        row.job_seeker_id.trim()
                    ),
                );
            }
            let code = row.code.trim().to_string();
            let occupation = match row.scheme.trim() {
                "esco" => check
                    .field("code", OccupationUri::parse(&code))
                    .map(OccupationCode::Esco),
                "isco08"
                    if (1..=4).contains(&code.len())
                        && code.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Some(OccupationCode::Isco08(code))
                }
                "cp2011" if code.split('.').count() >= 5 => Some(OccupationCode::Cp2011(code)),
                other => {
                    check.fail("code", format!("scheme {other:?} with code {code:?}: expected esco URI, isco08 (1-4 digits) or cp2011 (d.d.d.d.d)"));
                    None
                }
            };
            let start = check.field("start", parse_date(&row.start));
            let end = optional(&row.end).and_then(|d| check.field("end", parse_date(d)));
            if let (Some(start), Some(end)) = (start, end) {
                if end < start {
                    check.fail("end", "job ends before it starts");
                }
            }
            if let (true, Some(position), Some(occupation), Some(start)) =
                (check.ok, position, occupation, start)
            {
                parsed.seekers[position].0.work_history.push(PastJob {
                    occupation,
                    start,
                    end,
                    employer: optional(&row.employer).map(str::to_string),
                });
            }
        }
    }
    Ok(())
}
