//! The columns of a COB file: UniLav element names and regional/SIL aliases, mapped once per
//! file to the fields of a notice.

use super::*;

/// The fields of a notice, in column order of [`COLUMNS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub(super) enum Field {
    Code,
    Previous,
    Kind,
    Event,
    Sent,
    WorkerCf,
    Sex,
    Birth,
    Domicile,
    EmployerCf,
    Start,
    PlannedEnd,
    ExtensionEnd,
    TransformationDate,
    Transformation,
    TerminationDate,
    TerminationReason,
    ContractType,
    Qualifica,
    Sector,
    Workplace,
}

pub(super) const FIELD_COUNT: usize = 21;

pub(super) const FIELDS: [Field; FIELD_COUNT] = [
    Field::Code,
    Field::Previous,
    Field::Kind,
    Field::Event,
    Field::Sent,
    Field::WorkerCf,
    Field::Sex,
    Field::Birth,
    Field::Domicile,
    Field::EmployerCf,
    Field::Start,
    Field::PlannedEnd,
    Field::ExtensionEnd,
    Field::TransformationDate,
    Field::Transformation,
    Field::TerminationDate,
    Field::TerminationReason,
    Field::ContractType,
    Field::Qualifica,
    Field::Sector,
    Field::Workplace,
];

/// Accepted column names per field: the first is the canonical UniLav name used in messages and
/// written by the generator; the others are aliases (regional comonl DB, SIL "movimento").
pub const COLUMNS: [&[&str]; FIELD_COUNT] = [
    &[
        "CodiceComunicazione",
        "CODICE_COMUNICAZIONE_REG",
        "CODCOMUNICAZIONE",
    ],
    &[
        "CodiceComunicazionePrecedente",
        "CODICE_COMUN_REG_PREC",
        "CODCOMUNICAZIONEPREC",
    ],
    &["TipoComunicazione", "ID_COM_T_TIPO_COMUNICAZIONE_TU"],
    &[
        "TipoEvento",
        "ID_COM_T_TIPO_COMUNICAZIONE",
        "CODTIPOMOV",
        "TipoMovimento",
    ],
    &["DataInvio", "DT_INVIO"],
    &[
        "CodFiscaleLavoratore",
        "Lavoratore.CodFiscale",
        "CODICE_FISCALE_LAVORATORE",
        "CODICE_FISCALE",
    ],
    &["Sesso", "SESSO"],
    &["DataNascita", "DT_NASCITA"],
    &["ComuneDomicilio", "ID_COMUNE_DOM"],
    &[
        "CodFiscaleDatore",
        "DatoreDiLavoro.CodFiscale",
        "DATORECODICEFISCALE",
        "CODICE_FISCALE_DATORE",
    ],
    &["DataInizio", "DT_INIZIO_RAPPORTO", "DATINIZIO"],
    &["DataFine", "DT_FINE_RAPPORTO", "DATFINE"],
    &["DataFineProroga", "DT_FINE_PROROGA"],
    &["DataTrasformazione", "DT_TRASFORMAZIONE"],
    &[
        "CodTrasformazione",
        "ID_COM_T_TRASFORMAZIONERL",
        "codTrasformazionirlMin",
    ],
    &["DataCessazione", "DT_CESSAZIONE"],
    &[
        "CodCausa",
        "ID_COM_T_CESSAZIONERL",
        "codCessazioneMin",
        "CODMVCESSAZIONE",
    ],
    &[
        "TipologiaContrattuale",
        "ID_COM_T_TIPO_CONTRATTO",
        "codTipoContrattoMin",
        "CODTIPOCONTRATTO",
    ],
    &[
        "QualificaProfessionaleIstat",
        "ID_COM_ISTAT2001LIVELLO5",
        "codIstat2001livello5Min",
        "CODMANSIONEDOT",
    ],
    &["Settore", "ID_COM_T_ATECOFIN", "codAtecofinMin"],
    &["ComuneSedeLavoro", "ID_COM_T_COMUNE", "CODCOMLAVORO"],
];

/// Fields a file must have a column for.
pub(super) const REQUIRED: [Field; 7] = [
    Field::Code,
    Field::Kind,
    Field::Event,
    Field::Sent,
    Field::WorkerCf,
    Field::EmployerCf,
    Field::Start,
];

pub(super) fn canonical(field: Field) -> &'static str {
    COLUMNS[field as usize][0]
}

pub(super) fn field_for_column(column: &str) -> Option<Field> {
    let column = column.trim();
    FIELDS.iter().copied().find(|&field| {
        COLUMNS[field as usize]
            .iter()
            .any(|name| name.eq_ignore_ascii_case(column))
    })
}

/// The column of each field, chosen once per file.
#[derive(Debug, Clone)]
pub(super) struct HeaderMap {
    pub(super) columns: [Option<usize>; FIELD_COUNT],
    pub(super) ignored: Vec<String>,
}

impl HeaderMap {
    pub(super) fn build(headers: &[String], file: &str, problems: &mut Problems) -> Option<Self> {
        let mut columns = [None; FIELD_COUNT];
        let mut ignored = Vec::new();
        let mut ok = true;
        for (index, header) in headers.iter().enumerate() {
            match field_for_column(header) {
                Some(field) => {
                    if let Some(earlier) = columns[field as usize] {
                        problems.push(
                            file,
                            1,
                            Some(header),
                            format!(
                                "column gives {} like column {:?}: choose one",
                                canonical(field),
                                headers[earlier]
                            ),
                        );
                        ok = false;
                    } else {
                        columns[field as usize] = Some(index);
                    }
                }
                None => ignored.push(header.clone()),
            }
        }
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|field| columns[**field as usize].is_none())
            .map(|field| canonical(*field))
            .collect();
        if !missing.is_empty() {
            problems.push(
                file,
                1,
                None,
                format!("wrong header: missing column(s) {}", missing.join(", ")),
            );
            ok = false;
        }
        ok.then_some(HeaderMap { columns, ignored })
    }
}
