//! Italian identifiers checked once at the boundary: codice fiscale, partita IVA, comune codes.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, ErrorCode, Result};

const ODD_VALUES: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];
/// Letters that replace digits in an "omocodic" codice fiscale, indexed by the digit.
const OMOCODIA: &[u8; 10] = b"LMNPQRSTUV";
/// Positions (0-based) of a personal codice fiscale that hold digits (or omocodic letters).
const DIGIT_POSITIONS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];

/// The check character of the first 15 characters of a personal codice fiscale.
fn personal_check_char(first15: &[u8]) -> char {
    let mut sum = 0u32;
    for (position, &byte) in first15.iter().enumerate() {
        let index = if byte.is_ascii_digit() {
            (byte - b'0') as usize
        } else {
            (byte - b'A') as usize
        };
        // Positions are 1-based in the specification: odd ones use the special table.
        sum += if position % 2 == 0 {
            ODD_VALUES[index]
        } else {
            index as u32
        };
    }
    (b'A' + (sum % 26) as u8) as char
}

/// True when `digits` (11 ASCII digits) carry a valid partita IVA / numeric CF check digit.
fn numeric_check_ok(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (position, &byte) in digits[..10].iter().enumerate() {
        let digit = (byte - b'0') as u32;
        sum += if position % 2 == 0 {
            digit
        } else {
            let doubled = digit * 2;
            if doubled > 9 {
                doubled - 9
            } else {
                doubled
            }
        };
    }
    (10 - sum % 10) % 10 == (digits[10] - b'0') as u32
}

/// A codice fiscale: the 16-character personal code (with omocodia) or the 11-digit code of a
/// legal person, checked by its check character.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CodiceFiscale(String);

impl CodiceFiscale {
    /// Parses and checks a codice fiscale (case-insensitive, surrounding spaces ignored).
    pub fn parse(raw: &str) -> Result<Self> {
        let code = raw.trim().to_ascii_uppercase();
        let bytes = code.as_bytes();
        match bytes.len() {
            16 => {
                for (position, &byte) in bytes.iter().enumerate() {
                    let ok = if DIGIT_POSITIONS.contains(&position) {
                        byte.is_ascii_digit() || OMOCODIA.contains(&byte)
                    } else {
                        byte.is_ascii_uppercase()
                    };
                    if !ok {
                        return Err(Error::invalid(
                            ErrorCode::InvalidCodiceFiscale,
                            format!(
                                "codice fiscale has an unexpected character at position {}",
                                position + 1
                            ),
                        ));
                    }
                }
                let expected = personal_check_char(&bytes[..15]);
                if bytes[15] as char != expected {
                    return Err(Error::invalid(
                        ErrorCode::InvalidCodiceFiscale,
                        "codice fiscale check character is wrong",
                    ));
                }
                Ok(CodiceFiscale(code))
            }
            11 if bytes.iter().all(u8::is_ascii_digit) => {
                if !numeric_check_ok(bytes) {
                    return Err(Error::invalid(
                        ErrorCode::InvalidCodiceFiscale,
                        "numeric codice fiscale check digit is wrong",
                    ));
                }
                Ok(CodiceFiscale(code))
            }
            _ => Err(Error::invalid(
                ErrorCode::InvalidCodiceFiscale,
                "codice fiscale must have 16 characters (person) or 11 digits (company)",
            )),
        }
    }

    /// A code read back from the store, where only checked codes are written (no re-check).
    pub(crate) fn from_stored(code: String) -> Self {
        debug_assert!(CodiceFiscale::parse(&code).is_ok());
        CodiceFiscale(code)
    }

    /// True for the 16-character code of a natural person.
    pub fn is_personal(&self) -> bool {
        self.0.len() == 16
    }

    /// The code as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Sex encoded in a personal code (day of birth + 40 for women).
    pub fn sex(&self) -> Option<Sex> {
        if !self.is_personal() {
            return None;
        }
        let day = decode_digits(&self.0.as_bytes()[9..11])?;
        Some(if day > 40 { Sex::F } else { Sex::M })
    }

    /// Two-digit year of birth encoded in a personal code.
    pub fn birth_year_two_digits(&self) -> Option<u32> {
        if !self.is_personal() {
            return None;
        }
        decode_digits(&self.0.as_bytes()[6..8])
    }

    /// Builds the check character for 15 characters: used by the demo and synthetic generators.
    pub fn complete(first15: &str) -> Result<Self> {
        let upper = first15.to_ascii_uppercase();
        if upper.len() != 15 || !upper.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid(
                ErrorCode::InvalidCodiceFiscale,
                "need 15 alphanumeric characters",
            ));
        }
        let check = personal_check_char(upper.as_bytes());
        CodiceFiscale::parse(&format!("{upper}{check}"))
    }

    /// A short, stable, non-reversible pseudonym for logs and audit (first 12 hex digits of
    /// SHA-256 over a domain tag and the code).
    pub fn pseudonym(&self) -> String {
        person_pseudonym(&self.0)
    }
}

/// The pseudonym of a person known by a (stored, already validated) codice fiscale: what the
/// audit log and operator views name instead of the code. See [`CodiceFiscale::pseudonym`].
pub fn person_pseudonym(codice_fiscale: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("incontro-person:{codice_fiscale}").as_bytes());
    hex::encode(&digest[..6])
}

fn decode_digits(bytes: &[u8]) -> Option<u32> {
    let mut value = 0;
    for &byte in bytes {
        let digit = if byte.is_ascii_digit() {
            (byte - b'0') as u32
        } else {
            OMOCODIA.iter().position(|&letter| letter == byte)? as u32
        };
        value = value * 10 + digit;
    }
    Some(value)
}

/// Codici fiscali as staff see them in lists (issue 15).
impl CodiceFiscale {
    /// The code with its middle hidden: the six letters of surname and name and the check
    /// character stay, birth date and place do not (`BNCGLI*********Q`), so a list of
    /// namesakes can be told apart without showing the whole code.
    pub fn masked(&self) -> String {
        let visible_head = if self.is_personal() { 6 } else { 2 };
        self.0
            .chars()
            .enumerate()
            .map(|(index, character)| {
                if index < visible_head || index + 1 == self.0.len() {
                    character
                } else {
                    '*'
                }
            })
            .collect()
    }

    /// Whether `text` was meant as a codice fiscale (16 letters and digits with a digit among
    /// them, or 11 digits), so a search can say the code is wrong instead of finding no name.
    pub fn looks_like_one(text: &str) -> bool {
        let text = text.trim();
        let alphanumeric = text.bytes().all(|b| b.is_ascii_alphanumeric());
        (text.len() == 16 && alphanumeric && text.bytes().any(|b| b.is_ascii_digit()))
            || (text.len() == 11 && text.bytes().all(|b| b.is_ascii_digit()))
    }
}

impl fmt::Debug for CodiceFiscale {
    /// Never prints the code itself, so that it cannot leak into logs through `{:?}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodiceFiscale(#{})", self.pseudonym())
    }
}

impl TryFrom<String> for CodiceFiscale {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        CodiceFiscale::parse(&value)
    }
}

impl From<CodiceFiscale> for String {
    fn from(value: CodiceFiscale) -> Self {
        value.0
    }
}

/// A partita IVA: 11 digits with a check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartitaIva(String);

impl PartitaIva {
    /// Parses and checks a partita IVA (an optional `IT` prefix is accepted).
    pub fn parse(raw: &str) -> Result<Self> {
        let trimmed = raw.trim();
        let digits = trimmed.strip_prefix("IT").unwrap_or(trimmed);
        if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(
                ErrorCode::InvalidPartitaIva,
                "partita IVA must have 11 digits",
            ));
        }
        if !numeric_check_ok(digits.as_bytes()) {
            return Err(Error::invalid(
                ErrorCode::InvalidPartitaIva,
                "partita IVA check digit is wrong",
            ));
        }
        Ok(PartitaIva(digits.to_string()))
    }

    /// Builds a valid partita IVA from its first 10 digits (demo and synthetic generators).
    pub fn complete(first10: &str) -> Result<Self> {
        for check in 0..10u8 {
            let candidate = format!("{first10}{check}");
            if let Ok(valid) = PartitaIva::parse(&candidate) {
                return Ok(valid);
            }
        }
        Err(Error::invalid(
            ErrorCode::InvalidPartitaIva,
            "need 10 digits",
        ))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PartitaIva {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        PartitaIva::parse(&value)
    }
}

impl From<PartitaIva> for String {
    fn from(value: PartitaIva) -> Self {
        value.0
    }
}

/// A comune identified by its codice catastale (Belfiore code), e.g. `E715` for Lucca.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ComuneCode(String);

impl ComuneCode {
    /// Parses a codice catastale: one letter and three digits (`Z` codes are foreign states).
    pub fn parse(raw: &str) -> Result<Self> {
        let code = raw.trim().to_ascii_uppercase();
        let bytes = code.as_bytes();
        let ok = bytes.len() == 4
            && bytes[0].is_ascii_uppercase()
            && bytes[1..].iter().all(u8::is_ascii_digit);
        if !ok {
            return Err(Error::invalid(
                ErrorCode::InvalidComune,
                format!(
                    "comune must be a codice catastale like E715, got {:?}",
                    raw.trim()
                ),
            ));
        }
        Ok(ComuneCode(code))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ComuneCode {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        ComuneCode::parse(&value)
    }
}

impl From<ComuneCode> for String {
    fn from(value: ComuneCode) -> Self {
        value.0
    }
}

/// Sex as recorded in administrative data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// Male.
    M,
    /// Female.
    F,
}

impl Sex {
    /// Parses `M`/`F` (case-insensitive).
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "M" => Ok(Sex::M),
            "F" => Ok(Sex::F),
            other => Err(Error::invalid(
                ErrorCode::InvalidSex,
                format!("sex must be M or F, got {other:?}"),
            )),
        }
    }

    /// `M` or `F`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::M => "M",
            Sex::F => "F",
        }
    }
}

/// Citizenship group, recorded only for the bias report (never an input to matching).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Citizenship {
    /// Italian citizen.
    Italian,
    /// Citizen of another EU member state.
    Eu,
    /// Citizen of a state outside the EU (or stateless).
    NonEu,
}

impl Citizenship {
    /// Parses `IT`/`italian`/`italiana`, `EU`/`UE`, `non_eu`/`extra_ue` (case-insensitive).
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "it" | "italian" | "italiana" => Ok(Citizenship::Italian),
            "eu" | "ue" => Ok(Citizenship::Eu),
            "non_eu" | "extra_ue" | "extra_eu" => Ok(Citizenship::NonEu),
            other => Err(Error::invalid(
                ErrorCode::InvalidCitizenship,
                format!("citizenship must be IT, EU or non_EU, got {other:?}"),
            )),
        }
    }

    /// `IT`, `EU` or `non_EU` (the stored and CSV form).
    pub fn as_str(self) -> &'static str {
        match self {
            Citizenship::Italian => "IT",
            Citizenship::Eu => "EU",
            Citizenship::NonEu => "non_EU",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_codice_fiscale_checksum() {
        // A well-known valid example (Mario Rossi, born 1 Jan 1980 in Roma).
        let cf = CodiceFiscale::parse("RSSMRA80A01H501U").expect("valid");
        assert!(cf.is_personal());
        assert_eq!(cf.sex(), Some(Sex::M));
        assert_eq!(cf.birth_year_two_digits(), Some(80));
        let error = CodiceFiscale::parse("RSSMRA80A01H501A").unwrap_err();
        assert_eq!(error.code(), "invalid_codice_fiscale");
        assert!(CodiceFiscale::parse("RSSMRA80A01H50").is_err());
        assert!(CodiceFiscale::parse("1SSMRA80A01H501U").is_err());
    }

    #[test]
    fn lists_show_a_masked_code_and_a_wrong_code_is_recognised() {
        let cf = CodiceFiscale::parse("RSSMRA80A01H501U").expect("valid");
        assert_eq!(cf.masked(), "RSSMRA*********U");
        let company = CodiceFiscale::parse("02100000468").expect("valid");
        assert_eq!(company.masked(), "02********8");
        assert!(CodiceFiscale::looks_like_one("RSSMRA80A01H501A"));
        assert!(CodiceFiscale::looks_like_one("02100000469"));
        assert!(!CodiceFiscale::looks_like_one("Bianchi"));
        assert!(!CodiceFiscale::looks_like_one("Giulia Bianchi 1"));
    }

    #[test]
    fn omocodic_and_completed_codes_check() {
        let completed = CodiceFiscale::complete("BNCLRA85T41E715").expect("complete");
        assert_eq!(completed.sex(), Some(Sex::F));
        let omocodic = CodiceFiscale::complete("RSSMRA80A01H50M").expect("omocodic");
        assert!(CodiceFiscale::parse(omocodic.as_str()).is_ok());
    }

    #[test]
    fn debug_never_shows_the_code() {
        let cf = CodiceFiscale::parse("RSSMRA80A01H501U").expect("valid");
        assert!(!format!("{cf:?}").contains("RSSMRA"));
    }

    #[test]
    fn partita_iva_checksum() {
        let piva = PartitaIva::complete("0123456789").expect("complete");
        assert!(PartitaIva::parse(piva.as_str()).is_ok());
        assert!(CodiceFiscale::parse(piva.as_str()).is_ok());
        let mut wrong = piva.as_str().to_string();
        let last = wrong.pop().expect("digit");
        wrong.push(if last == '0' { '1' } else { '0' });
        assert_eq!(
            PartitaIva::parse(&wrong).unwrap_err().code(),
            "invalid_partita_iva"
        );
    }

    #[test]
    fn comune_codes() {
        assert_eq!(ComuneCode::parse("e715").expect("ok").as_str(), "E715");
        assert!(ComuneCode::parse("Lucca").is_err());
    }
}
