//! Courses: CSV with a skills file, or JSON.

use super::super::*;
use super::Parsed;

#[derive(Deserialize)]
struct CourseRow {
    id: String,
    title: String,
    provider: String,
    hours: String,
    start: String,
    end: String,
    modality: String,
    comune: Option<String>,
    seats: String,
    cost_eur: String,
    certification: Option<String>,
    gol_path: Option<String>,
}

#[derive(Deserialize)]
struct CourseSkillRow {
    course_id: String,
    skill_uri: String,
    level: String,
}

/// A course in `courses.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseJson {
    id: String,
    title: String,
    provider: String,
    hours: u16,
    start: String,
    end: String,
    modality: String,
    comune: Option<String>,
    seats: u32,
    cost_eur: u32,
    certification: Option<String>,
    gol_path: Option<String>,
    teaches: Vec<CourseSkillJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseSkillJson {
    skill_uri: String,
    level: u8,
}

/// Courses (CSV with their skills, or JSON).
pub(super) fn parse_courses(
    files: &RecordFiles,
    known_skill: &dyn Fn(&str) -> Option<bool>,
    stored: &super::Stored<'_>,
    parsed: &mut Parsed,
    problems: &mut Problems,
) -> Result<()> {
    let mut course_index: HashMap<String, usize> = HashMap::new();
    // Stored courses, read once when a file may need them.
    let mut stored_courses: Option<HashMap<String, Course>> = None;
    let mut stored_course = |id: &str| -> Result<Option<Course>> {
        if stored_courses.is_none() {
            stored_courses = Some(
                (stored.courses)()?
                    .into_iter()
                    .map(|course| (course.id.to_string(), course))
                    .collect(),
            );
        }
        Ok(stored_courses.as_ref().and_then(|all| all.get(id).cloned()))
    };
    if let Some(path) = &files.courses {
        let file = file_name(path);
        let columns = [
            "id",
            "title",
            "provider",
            "hours",
            "start",
            "end",
            "modality",
            "comune",
            "seats",
            "cost_eur",
            "certification",
            "gol_path",
        ];
        for (line, row) in read_rows::<CourseRow>(files, path, &columns, problems)? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let course = CourseJson {
                id: row.id,
                title: row.title,
                provider: row.provider,
                hours: match row.hours.trim().parse() {
                    Ok(hours) => hours,
                    Err(_) => {
                        check.fail(
                            "hours",
                            format!("hours must be a number, got {:?}", row.hours),
                        );
                        0
                    }
                },
                start: row.start,
                end: row.end,
                modality: row.modality,
                comune: row.comune,
                seats: row.seats.trim().parse().unwrap_or_else(|_| {
                    check.fail("seats", "seats must be a number");
                    0
                }),
                cost_eur: row.cost_eur.trim().parse().unwrap_or_else(|_| {
                    check.fail("cost_eur", "cost must be a whole number of euro");
                    0
                }),
                certification: row.certification,
                gol_path: row.gol_path,
                teaches: Vec::new(),
            };
            if let Some(course) =
                course_from(&mut check, course, known_skill, &mut parsed.unchecked)
            {
                if course_index.contains_key(course.id.as_str()) {
                    check.fail("id", format!("duplicate course id {}", course.id));
                } else if check.ok {
                    let mut course = course;
                    // Without course_skills.csv, a stored course keeps what it teaches.
                    if files.course_skills.is_none() {
                        if let Some(kept) = stored_course(course.id.as_str())? {
                            course.teaches = kept.teaches;
                        }
                    }
                    course_index.insert(course.id.to_string(), parsed.courses.len());
                    parsed.courses.push(course);
                }
            }
        }
    }
    if let Some(path) = &files.course_skills {
        let file = file_name(path);
        for (line, row) in read_rows::<CourseSkillRow>(
            files,
            path,
            &["course_id", "skill_uri", "level"],
            problems,
        )? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let mut position = course_index.get(row.course_id.trim()).copied();
            if position.is_none() {
                if let Some(mut course) = stored_course(row.course_id.trim())? {
                    course.teaches.clear();
                    course_index.insert(course.id.to_string(), parsed.courses.len());
                    position = Some(parsed.courses.len());
                    parsed.courses.push(course);
                }
            }
            if position.is_none() {
                check.fail(
                    "course_id",
                    format!(
                        "unknown course {} (neither in courses.csv nor stored)",
                        row.course_id.trim()
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
            if let (true, Some(position), Some(skill), Some(level)) =
                (check.ok, position, skill, level)
            {
                let teaches = &mut parsed.courses[position].teaches;
                if teaches.iter().any(|(existing, _)| existing == &skill) {
                    check.fail("skill_uri", "duplicate skill for this course");
                } else {
                    teaches.push((skill, level));
                }
            }
        }
    }
    if let Some(path) = &files.courses_json {
        let file = file_name(path);
        let text = files.read_text(path, &file)?;
        match serde_json::from_str::<Vec<CourseJson>>(&text) {
            Err(error) => problems.push(
                &file,
                error.line() as u64,
                None,
                format!("malformed JSON: {error}"),
            ),
            Ok(courses) => {
                for (index, course) in courses.into_iter().enumerate() {
                    let mut check = RowCheck {
                        file: format!("{file}[{index}]"),
                        line: 0,
                        problems,
                        ok: true,
                    };
                    if let Some(course) =
                        course_from(&mut check, course, known_skill, &mut parsed.unchecked)
                    {
                        if course_index.contains_key(course.id.as_str()) {
                            check.fail("id", format!("duplicate course id {}", course.id));
                        } else if check.ok {
                            course_index.insert(course.id.to_string(), parsed.courses.len());
                            parsed.courses.push(course);
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

fn course_from(
    check: &mut RowCheck<'_>,
    raw: CourseJson,
    known_skill: &dyn Fn(&str) -> Option<bool>,
    unchecked: &mut u64,
) -> Option<Course> {
    let id = check.field("id", EntityId::parse(&raw.id));
    let start = check.field("start", parse_date(&raw.start));
    let end = check.field("end", parse_date(&raw.end));
    if let (Some(start), Some(end)) = (start, end) {
        if end < start {
            check.fail("end", "course ends before it starts");
        }
    }
    if raw.hours == 0 {
        check.fail("hours", "hours must be positive");
    }
    let modality = check.field("modality", Modality::parse(&raw.modality));
    let comune = optional(&raw.comune).and_then(|c| check.field("comune", ComuneCode::parse(c)));
    if matches!(modality, Some(Modality::InPresence | Modality::Blended)) && comune.is_none() {
        check.fail("comune", "an in-presence or blended course needs a comune");
    }
    let gol_path = optional(&raw.gol_path).and_then(|g| check.field("gol_path", GolPath::parse(g)));
    let mut teaches = Vec::new();
    for skill in &raw.teaches {
        let uri = check_skill(check, &skill.skill_uri, known_skill, unchecked);
        let level = check.field("level", Level::new(skill.level));
        if let (Some(uri), Some(level)) = (uri, level) {
            teaches.push((uri, level));
        }
    }
    let (Some(id), Some(start), Some(end), Some(modality)) = (id, start, end, modality) else {
        return None;
    };
    if !check.ok {
        return None;
    }
    Some(Course {
        id,
        title: raw.title,
        provider: raw.provider,
        hours: raw.hours,
        start,
        end,
        modality,
        comune,
        seats: raw.seats,
        cost_eur: raw.cost_eur,
        certification: optional(&raw.certification).map(str::to_string),
        gol_path,
        teaches,
    })
}
