//! Contacts: COB notices carry no worker phone, so mobiles and e-mails come from another source
//! (SAP, SIL, portal) with provenance and date. A do-not-contact flag (right to object, Art. 21
//! GDPR) excludes a person from every cohort, call list and operator view.
//!
//! File columns: `codice_fiscale,kind,value,source,observed_on[,display_name][,do_not_contact]
//! [,citizenship][,disability]` with `kind` = `mobile` or `email`. A row may have only a name, only
//! the flag or only the person's facts (empty `kind` and `value`). `citizenship` (`IT`, `EU`,
//! `non_EU`) and `disability` (`true`/`false`) come from the SAP record; empty = not recorded. They
//! are read only to count outreach coverage by group (issue 18), never to select or order people.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::cob::{file_name, parse_date};
use crate::model::CodiceFiscale;
use crate::outreach::sql;
use crate::{Engine, Error, ErrorCode, InputProblem, Problems, Result};

/// Kind of contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// Mobile phone.
    Mobile,
    /// E-mail address.
    Email,
}

impl ContactKind {
    /// `mobile` or `email`.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Mobile => "mobile",
            ContactKind::Email => "email",
        }
    }
}

/// One contact of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Whose.
    pub worker: CodiceFiscale,
    /// Mobile or e-mail.
    pub kind: ContactKind,
    /// The normalised number (`+39…`) or address.
    pub value: String,
    /// Where it comes from (`SAP`, `SILP` …).
    pub source: String,
    /// When it was observed there.
    pub observed_on: NaiveDate,
}

/// Normalises an Italian mobile number to `+39` and 9–10 digits starting with 3.
pub fn normalise_mobile(raw: &str) -> Result<String> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '/' | '(' | ')'))
        .collect();
    let national = digits
        .strip_prefix("+39")
        .or_else(|| digits.strip_prefix("0039"))
        .unwrap_or(&digits);
    if (9..=10).contains(&national.len())
        && national.starts_with('3')
        && national.bytes().all(|b| b.is_ascii_digit())
    {
        Ok(format!("+39{national}"))
    } else {
        Err(Error::invalid(
            ErrorCode::InvalidMobile,
            "not an Italian mobile number (3xx with 9-10 digits, optional +39)",
        ))
    }
}

#[derive(Deserialize)]
struct ContactRow {
    codice_fiscale: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    observed_on: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    do_not_contact: Option<String>,
    #[serde(default)]
    citizenship: Option<String>,
    #[serde(default)]
    disability: Option<String>,
}

/// Options of a contacts import.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContactImportOptions {
    /// Import the valid rows and report the others, instead of importing nothing.
    pub skip_invalid: bool,
    /// How the file is read (encoding, longest line).
    pub text: crate::input::TextOptions,
}

/// What a contacts import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ContactImportReport {
    /// Contacts stored (new or updated).
    pub contacts: u64,
    /// Names stored.
    pub names: u64,
    /// People flagged do-not-contact.
    pub do_not_contact: u64,
    /// Problems of skipped rows.
    pub skipped: Vec<InputProblem>,
}

/// A person's name and do-not-contact flag from a contacts row.
#[derive(Debug, Clone)]
pub(crate) struct PersonUpdate {
    pub worker: CodiceFiscale,
    pub display_name: Option<String>,
    pub do_not_contact: Option<(bool, NaiveDate, String)>,
    /// Citizenship, when the row records it.
    pub citizenship: Option<crate::model::Citizenship>,
    /// Recognised disability, when the row records it.
    pub disability: Option<bool>,
}

fn parse_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "si" | "sì" => Some(true),
        "false" | "0" | "no" | "" => Some(false),
        _ => None,
    }
}

/// The columns every contacts file has.
pub const CONTACT_COLUMNS: [&str; 5] = ["codice_fiscale", "kind", "value", "source", "observed_on"];
/// The columns a contacts file may add.
pub const OPTIONAL_CONTACT_COLUMNS: [&str; 4] = [
    "display_name",
    "do_not_contact",
    "citizenship",
    "disability",
];
/// The longest display name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Checks a contacts header: every column of [`CONTACT_COLUMNS`], and nothing but those and
/// [`OPTIONAL_CONTACT_COLUMNS`]. The problem, if any, is reported at line 1.
fn check_contact_header(headers: &csv::StringRecord) -> std::result::Result<(), String> {
    let missing: Vec<&str> = CONTACT_COLUMNS
        .iter()
        .copied()
        .filter(|column| !headers.iter().any(|header| header == *column))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "wrong header: missing column(s) {}",
            missing.join(", ")
        ));
    }
    let unknown: Vec<String> = headers
        .iter()
        .filter(|header| {
            !CONTACT_COLUMNS.contains(header) && !OPTIONAL_CONTACT_COLUMNS.contains(header)
        })
        .map(crate::input::excerpt)
        .take(10)
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "wrong header: unknown column(s) {}",
            unknown.join(", ")
        ));
    }
    let mut seen = HashSet::new();
    if let Some(repeated) = headers.iter().find(|header| !seen.insert(*header)) {
        return Err(format!(
            "wrong header: column {} appears twice",
            crate::input::excerpt(repeated)
        ));
    }
    Ok(())
}

fn read_contacts(
    name: &str,
    input: impl std::io::Read,
    today: chrono::NaiveDate,
    problems: &mut Problems,
) -> Result<(Vec<Contact>, Vec<PersonUpdate>)> {
    let path = Path::new(name);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => return Err(crate::input::csv_error(name, path, error)),
    };
    if let Err(message) = check_contact_header(&headers) {
        problems.push(name, 1, None, message);
        return Ok((Vec::new(), Vec::new()));
    }
    let mut contacts = Vec::new();
    let mut people = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) if crate::input::csv_text_error(&error).is_some() => {
                return Err(crate::input::csv_error(name, path, error));
            }
            Err(error) => {
                let line = error.position().map_or(0, |position| position.line());
                problems.push(name, line, None, format!("malformed row: {error}"));
                continue;
            }
        }
        let line = record.position().map_or(0, |position| position.line());
        let row = match record.deserialize::<ContactRow>(Some(&headers)) {
            Ok(row) => row,
            Err(error) => {
                problems.push(name, line, None, format!("malformed row: {error}"));
                continue;
            }
        };
        let before = problems.total;
        // Never echo the code in the message.
        let worker = match CodiceFiscale::parse(&row.codice_fiscale) {
            Ok(cf) if cf.is_personal() => Some(cf),
            Ok(_) => {
                problems.push(
                    name,
                    line,
                    Some("codice_fiscale"),
                    "a person's codice fiscale has 16 characters",
                );
                None
            }
            Err(error) => {
                problems.push(name, line, Some("codice_fiscale"), error.to_string());
                None
            }
        };
        let observed_on = if row.observed_on.is_empty() {
            None
        } else {
            let day = parse_date(&row.observed_on);
            if day.is_none() {
                problems.push(name, line, Some("observed_on"), "date must be YYYY-MM-DD");
            }
            day
        };
        let dnc = match row.do_not_contact.as_deref().map(parse_flag) {
            None => None,
            Some(Some(flag)) => Some(flag),
            Some(None) => {
                problems.push(name, line, Some("do_not_contact"), "expected true or false");
                None
            }
        };
        let citizenship = match row.citizenship.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => match crate::model::Citizenship::parse(raw) {
                Ok(citizenship) => Some(citizenship),
                Err(_) => {
                    problems.push(
                        name,
                        line,
                        Some("citizenship"),
                        "expected IT, EU or non_EU (or empty: not recorded)",
                    );
                    None
                }
            },
        };
        let disability = match row.disability.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => match parse_flag(raw) {
                Some(flag) => Some(flag),
                None => {
                    problems.push(
                        name,
                        line,
                        Some("disability"),
                        "expected true or false (or empty: not recorded)",
                    );
                    None
                }
            },
        };
        let contact = match row.kind.as_str() {
            "" if row.value.is_empty() => None,
            "mobile" => match normalise_mobile(&row.value) {
                Ok(value) => Some((ContactKind::Mobile, value)),
                Err(error) => {
                    problems.push(name, line, Some("value"), error.to_string());
                    None
                }
            },
            "email" => {
                let value = row.value.trim().to_ascii_lowercase();
                if value.contains('@') && !value.contains(' ') && value.len() <= 254 {
                    Some((ContactKind::Email, value))
                } else {
                    problems.push(name, line, Some("value"), "not an e-mail address");
                    None
                }
            }
            other => {
                problems.push(
                    name,
                    line,
                    Some("kind"),
                    format!("kind must be mobile or email, got {other:?}"),
                );
                None
            }
        };
        if contact.is_some() && (row.source.is_empty() || observed_on.is_none()) {
            problems.push(
                name,
                line,
                Some("source"),
                "a contact needs its source and observed_on date",
            );
        }
        if let Some(display_name) = &row.display_name {
            if display_name.chars().count() > MAX_NAME_CHARS {
                problems.push(
                    name,
                    line,
                    Some("display_name"),
                    format!("name longer than {MAX_NAME_CHARS} characters"),
                );
            }
        }
        if problems.total != before {
            continue;
        }
        let Some(worker) = worker else { continue };
        if let Some((kind, value)) = contact {
            contacts.push(Contact {
                worker: worker.clone(),
                kind,
                value,
                source: row.source.clone(),
                observed_on: observed_on.unwrap_or(today),
            });
        }
        let display_name = row.display_name.filter(|name| !name.is_empty());
        if display_name.is_some() || dnc.is_some() || citizenship.is_some() || disability.is_some()
        {
            people.push(PersonUpdate {
                worker,
                display_name,
                citizenship,
                disability,
                do_not_contact: dnc.map(|flag| {
                    (
                        flag,
                        observed_on.unwrap_or(today),
                        if row.source.is_empty() {
                            "contacts file".to_string()
                        } else {
                            row.source.clone()
                        },
                    )
                }),
            });
        }
    }
    Ok((contacts, people))
}

/// Mobiles and do-not-contact flags, as the cohort needs them.
#[derive(Debug, Clone, Default)]
pub struct ContactBook {
    /// The most recently observed mobile per codice fiscale.
    pub mobiles: HashMap<String, String>,
    /// People who objected.
    pub do_not_contact: HashSet<String>,
}

/// **Outreach (Cob23)**: importing contact details and do-not-contact flags.
impl Engine {
    /// Imports a contacts file in one transaction (nothing on problems unless `skip_invalid`).
    pub fn import_contacts(
        &self,
        path: &Path,
        options: &ContactImportOptions,
    ) -> Result<ContactImportReport> {
        let file = crate::input::open_file(path)?;
        self.import_contacts_from(&file_name(path), file, options)
    }

    /// [`Engine::import_contacts`] from any reader (a web upload, a zip entry), named `name`
    /// in problems; read through the same text checks (encoding, longest line).
    pub fn import_contacts_from(
        &self,
        name: &str,
        reader: impl std::io::Read,
        options: &ContactImportOptions,
    ) -> Result<ContactImportReport> {
        let input = crate::input::CheckedReader::new(std::io::BufReader::new(reader), options.text);
        let mut problems = Problems::default();
        let (contacts, people) = read_contacts(name, input, self.today(), &mut problems)?;
        if !problems.is_empty() && !options.skip_invalid {
            return problems
                .into_result()
                .map(|()| ContactImportReport::default());
        }
        self.store().write(|tx| {
            let mut report = ContactImportReport {
                skipped: problems.list.clone(),
                ..ContactImportReport::default()
            };
            for contact in &contacts {
                sql::upsert_contact(tx, contact)?;
                report.contacts += 1;
            }
            for person in &people {
                sql::update_person(tx, person)?;
                report.names += u64::from(person.display_name.is_some());
                report.do_not_contact += u64::from(
                    person
                        .do_not_contact
                        .as_ref()
                        .is_some_and(|(flag, _, _)| *flag),
                );
            }
            Ok(report)
        })
    }

    /// Records that a person objected to being contacted (or withdrew the objection).
    pub fn set_do_not_contact(
        &self,
        worker: &CodiceFiscale,
        flag: bool,
        on: NaiveDate,
        source: &str,
    ) -> Result<()> {
        let update = PersonUpdate {
            worker: worker.clone(),
            display_name: None,
            do_not_contact: Some((flag, on, source.to_string())),
            citizenship: None,
            disability: None,
        };
        self.store().write(|tx| sql::update_person(tx, &update))
    }

    /// Every mobile and do-not-contact flag.
    pub fn contact_book(&self) -> Result<ContactBook> {
        self.store().read(|c| {
            Ok(ContactBook {
                mobiles: sql::load_mobiles(c)?,
                do_not_contact: sql::load_do_not_contact(c)?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_are_normalised() {
        assert_eq!(
            normalise_mobile("347 123 4567").ok().as_deref(),
            Some("+393471234567")
        );
        assert_eq!(
            normalise_mobile("+39 347-1234567").ok().as_deref(),
            Some("+393471234567")
        );
        assert!(normalise_mobile("0583 123456").is_err());
        assert!(normalise_mobile("34712").is_err());
    }
}
