//! Checking one row of a COB file and turning it into a [`Notice`].

use super::columns::*;
use super::*;

/// Checks one row given a field accessor; pushes problems and returns the notice when valid.
pub(super) struct RowParser<'a> {
    pub(super) file: &'a str,
    pub(super) codes: &'a CodeTables,
    /// No notice can have been sent after this day.
    pub(super) today: NaiveDate,
}

/// Records the problems of one row.
pub(super) struct Check<'p> {
    file: &'p str,
    line: u64,
    problems: &'p mut Problems,
    ok: bool,
}

impl Check<'_> {
    pub(super) fn fail(&mut self, field: Field, message: impl Into<String>) {
        self.problems
            .push(self.file, self.line, Some(canonical(field)), message);
        self.ok = false;
    }
}

impl RowParser<'_> {
    pub(super) fn parse<'r>(
        &self,
        line: u64,
        get: impl Fn(Field) -> Option<&'r str>,
        problems: &mut Problems,
    ) -> Option<Notice> {
        let mut check = Check {
            file: self.file,
            line,
            problems,
            ok: true,
        };
        let value = |field: Field| get(field).map(str::trim).filter(|text| !text.is_empty());
        let required = |check: &mut Check<'_>, field: Field| {
            let found = value(field);
            if found.is_none() {
                check.fail(field, "required");
            }
            found
        };
        let date = |check: &mut Check<'_>, field: Field| -> Option<NaiveDate> {
            let text = value(field)?;
            let parsed = parse_date(text);
            if parsed.is_none() {
                check.fail(
                    field,
                    format!(
                        "date must be YYYY-MM-DD or DD/MM/YYYY, got {:?}",
                        crate::input::excerpt(text)
                    ),
                );
            }
            parsed
        };
        let text = |field: Field| value(field).map(str::to_string);

        let code = required(&mut check, Field::Code);
        if let Some(code) = code {
            if code.len() > 32 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
                check.fail(Field::Code, "must be 1-32 letters or digits");
            }
        }
        let previous = value(Field::Previous);
        let kind = required(&mut check, Field::Kind).and_then(|raw| {
            let kind = RecordKind::parse(raw);
            if kind.is_none() {
                check.fail(
                    Field::Kind,
                    format!(
                        "TipoComunicazione must be a two-digit code (01-09), got {:?}",
                        crate::input::excerpt(raw)
                    ),
                );
            }
            kind
        });
        let event = required(&mut check, Field::Event).and_then(|raw| {
            let event = EventType::parse(raw);
            if event.is_none() {
                check.fail(
                    Field::Event,
                    format!("unknown event type {raw:?} (ASS, URG, PRO, TRS, TRD, VAR, CES)"),
                );
            }
            event
        });
        let sent = required(&mut check, Field::Sent).and_then(|_| date(&mut check, Field::Sent));
        if let Some(sent) = sent.filter(|sent| *sent > self.today) {
            check.fail(
                Field::Sent,
                format!(
                    "DataInvio {sent} is in the future (today is {})",
                    self.today
                ),
            );
        }
        if let (Some(kind), Some(sent)) = (kind, sent) {
            let code = kind.code();
            match self.codes.check(CodeScheme::TipoComunicazione, code, sent) {
                CodeStatus::Valid => {}
                CodeStatus::Unknown => check.fail(
                    Field::Kind,
                    format!("unknown TipoComunicazione code {code:?}"),
                ),
                CodeStatus::NotValidOn => check.fail(
                    Field::Kind,
                    format!("TipoComunicazione code {code:?} is not valid on {sent}"),
                ),
            }
            let effect = self.codes.effect(CodeScheme::TipoComunicazione, code, sent);
            if matches!(
                effect,
                Some(CodeEffect::Rettifica | CodeEffect::Annullamento)
            ) && previous.is_none()
            {
                check.fail(
                    Field::Previous,
                    "a rettifica or annullamento must point to the notice it corrects",
                );
            }
        }
        let codice_fiscale = |check: &mut Check<'_>, field: Field, personal: bool| {
            let raw = required(check, field)?;
            match CodiceFiscale::parse(raw) {
                Ok(cf) if personal && !cf.is_personal() => {
                    check.fail(field, "a worker's codice fiscale has 16 characters");
                    None
                }
                Ok(cf) => Some(cf),
                // The message never echoes the code itself.
                Err(error) => {
                    check.fail(field, error.to_string());
                    None
                }
            }
        };
        let worker = codice_fiscale(&mut check, Field::WorkerCf, true);
        let employer = codice_fiscale(&mut check, Field::EmployerCf, false);
        let sex = value(Field::Sex).and_then(|raw| match Sex::parse(raw) {
            Ok(sex) => Some(sex),
            Err(error) => {
                check.fail(Field::Sex, error.to_string());
                None
            }
        });
        let birth = date(&mut check, Field::Birth);
        let start = required(&mut check, Field::Start).and_then(|_| date(&mut check, Field::Start));
        let planned_end = date(&mut check, Field::PlannedEnd);
        let extension_end = date(&mut check, Field::ExtensionEnd);
        let transformation_date = date(&mut check, Field::TransformationDate);
        let termination_date = date(&mut check, Field::TerminationDate);
        let transformation = text(Field::Transformation);
        let termination_reason = text(Field::TerminationReason);
        let contract_type = text(Field::ContractType);

        if let (Some(start), Some(event)) = (start, event) {
            let after_start = [
                (Field::PlannedEnd, planned_end),
                (Field::ExtensionEnd, extension_end),
                (Field::TransformationDate, transformation_date),
                (Field::TerminationDate, termination_date),
            ];
            for (field, day) in after_start {
                if let Some(day) = day.filter(|day| *day < start) {
                    check.fail(
                        field,
                        format!("dates out of order: {day} is before DataInizio {start}"),
                    );
                }
            }
            if let (Some(end), Some(extension)) = (planned_end, extension_end) {
                if extension < end {
                    check.fail(
                        Field::ExtensionEnd,
                        format!("dates out of order: {extension} is before DataFine {end}"),
                    );
                }
            }
            if previous.is_some_and(|previous| Some(previous) == code) {
                check.fail(Field::Previous, "a notice cannot point to itself");
            }
            if birth.is_some_and(|birth| birth >= start) {
                check.fail(Field::Birth, "dates out of order: born after DataInizio");
            }
            match event {
                EventType::Assunzione if contract_type.is_none() => {
                    check.fail(Field::ContractType, "required for a hiring")
                }
                EventType::Proroga if extension_end.is_none() => {
                    check.fail(Field::ExtensionEnd, "required for a proroga")
                }
                EventType::Trasformazione => {
                    if transformation.is_none() {
                        check.fail(Field::Transformation, "required for a trasformazione");
                    }
                    if transformation_date.is_none() {
                        check.fail(Field::TransformationDate, "required for a trasformazione");
                    }
                }
                EventType::Cessazione => {
                    if termination_date.is_none() {
                        check.fail(Field::TerminationDate, "required for a cessazione");
                    }
                    if termination_reason.is_none() {
                        check.fail(Field::TerminationReason, "required for a cessazione");
                    }
                }
                _ => {}
            }
            let code_checks = [
                (
                    Field::ContractType,
                    CodeScheme::TipologiaContrattuale,
                    contract_type.as_deref(),
                    transformation_date.unwrap_or(start),
                ),
                (
                    Field::TerminationReason,
                    CodeScheme::CausaCessazione,
                    termination_reason.as_deref(),
                    termination_date.unwrap_or(start),
                ),
                (
                    Field::Transformation,
                    CodeScheme::Trasformazione,
                    transformation.as_deref(),
                    transformation_date.unwrap_or(start),
                ),
            ];
            for (field, scheme, code, day) in code_checks {
                let Some(code) = code else { continue };
                match self.codes.check(scheme, code, day) {
                    CodeStatus::Valid => {}
                    CodeStatus::Unknown => {
                        check.fail(field, format!("unknown {} code {code:?}", scheme.as_str()))
                    }
                    CodeStatus::NotValidOn => check.fail(
                        field,
                        format!("{} code {code:?} is not valid on {day}", scheme.as_str()),
                    ),
                }
            }
        }
        if !check.ok {
            return None;
        }
        Some(Notice {
            code: code?.to_string(),
            previous: previous.map(str::to_string),
            kind: kind?,
            event: event?,
            sent: sent?,
            worker: worker?,
            sex,
            birth,
            domicile: text(Field::Domicile),
            employer: employer?,
            start: start?,
            planned_end,
            extension_end,
            transformation_date,
            transformation,
            termination_date,
            termination_reason,
            contract_type,
            qualifica: text(Field::Qualifica),
            sector: text(Field::Sector),
            workplace: text(Field::Workplace),
        })
    }
}
