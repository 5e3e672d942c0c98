//! Italian as staff read it (issue 15): dates ("mercoledì 2 dicembre 2026", "02/12/2026"),
//! counts with the right plural ("1 posto", "3 posti"), agreement with a person's sex where it is
//! known ("nata"/"nato", "nato/a" otherwise), decimal commas, and CSV files that open cleanly in
//! Italian Excel (`;`, UTF-8 byte-order mark, CRLF, decimal comma).
//!
//! What it does NOT do: translate. The words come from the caller; this module only puts them
//! in the right form. The CLI's machine CSV (`output`) stays `,`-separated without a BOM.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::model::Sex;

/// The weekday's Italian name, lowercase ("mercoledì").
pub fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "lunedì",
        Weekday::Tue => "martedì",
        Weekday::Wed => "mercoledì",
        Weekday::Thu => "giovedì",
        Weekday::Fri => "venerdì",
        Weekday::Sat => "sabato",
        Weekday::Sun => "domenica",
    }
}

/// The month's Italian name, lowercase ("dicembre"); `month` is 1–12.
pub fn month(month: u32) -> &'static str {
    const MONTHS: [&str; 12] = [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ];
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// "mercoledì 2 dicembre 2026" (the 1st is "1º": "martedì 1º dicembre 2026").
pub fn date_long(day: NaiveDate) -> String {
    format!("{} {}", weekday(day.weekday()), date_without_weekday(day))
}

/// "2 dicembre 2026" ("1º dicembre 2026").
pub fn date_without_weekday(day: NaiveDate) -> String {
    let number = if day.day() == 1 {
        "1º".to_string()
    } else {
        day.day().to_string()
    };
    format!("{number} {} {}", month(day.month()), day.year())
}

/// "02/12/2026".
pub fn date_short(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// A count with its noun: "1 posto", "3 posti", "0 posti".
pub fn count(number: usize, singular: &str, plural: &str) -> String {
    format!("{number} {}", if number == 1 { singular } else { plural })
}

/// The form that agrees with the person's sex: the masculine, the feminine, or both
/// ("nato/a") when the sex is not recorded.
pub fn agree(sex: Option<Sex>, masculine: &str, feminine: &str) -> String {
    match sex {
        Some(Sex::M) => masculine.to_string(),
        Some(Sex::F) => feminine.to_string(),
        None => {
            let stem = masculine
                .char_indices()
                .zip(feminine.char_indices())
                .take_while(|((_, a), (_, b))| a == b)
                .last()
                .map_or(0, |((index, character), _)| index + character.len_utf8());
            format!("{masculine}/{}", &feminine[stem..])
        }
    }
}

/// A number with a decimal comma and `places` decimals ("0,85"); no thousands separator, so a
/// spreadsheet reads it as a number.
pub fn decimal(value: f64, places: usize) -> String {
    format!("{value:.places$}").replace('.', ",")
}

/// A percentage with no decimals ("85%") of a score in 0–1.
pub fn percent(score: f64) -> String {
    format!("{:.0}%", score * 100.0)
}

/// A CSV file for Italian Excel: UTF-8 byte-order mark, `;` between fields, CRLF line ends,
/// fields quoted when they hold `;`, `"` or a line break. Numbers are the caller's to write
/// with [`decimal`].
pub fn excel_csv(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    let line = |fields: &mut dyn Iterator<Item = &str>, out: &mut String| {
        let mut first = true;
        for field in fields {
            if !first {
                out.push(';');
            }
            first = false;
            if field.contains([';', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&field.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(field);
            }
        }
        out.push_str("\r\n");
    };
    line(&mut headers.iter().copied(), &mut out);
    for row in rows {
        line(&mut row.iter().map(String::as_str), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_read_as_an_italian_office_writes_them() {
        assert_eq!(date_long(day("2026-12-02")), "mercoledì 2 dicembre 2026");
        assert_eq!(date_long(day("2026-12-01")), "martedì 1º dicembre 2026");
        assert_eq!(date_long(day("2027-01-10")), "domenica 10 gennaio 2027");
        assert_eq!(date_short(day("2026-12-02")), "02/12/2026");
    }

    #[test]
    fn counts_and_agreement() {
        assert_eq!(count(1, "posto", "posti"), "1 posto");
        assert_eq!(count(3, "posto", "posti"), "3 posti");
        assert_eq!(count(0, "competenza", "competenze"), "0 competenze");
        assert_eq!(agree(Some(Sex::F), "nato", "nata"), "nata");
        assert_eq!(agree(Some(Sex::M), "nato", "nata"), "nato");
        assert_eq!(agree(None, "nato", "nata"), "nato/a");
        assert_eq!(agree(None, "iscritto", "iscritta"), "iscritto/a");
    }

    #[test]
    fn excel_csv_has_bom_semicolons_and_decimal_commas() {
        let csv = excel_csv(
            &["Competenza", "Domanda"],
            &[
                vec!["gestire le scorte; magazzino".into(), decimal(2.5, 1)],
                vec!["dire \"sì\"".into(), decimal(0.126, 2)],
            ],
        );
        assert_eq!(
            csv,
            "\u{feff}Competenza;Domanda\r\n\"gestire le scorte; magazzino\";2,5\r\n\"dire \"\"sì\"\"\";0,13\r\n"
        );
        assert_eq!(percent(0.856), "86%");
    }
}
