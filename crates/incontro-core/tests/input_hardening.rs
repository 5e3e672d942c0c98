//! Importers say what they did (issue 21, points 3 and 4): a folder with nothing to import is an
//! error, headers are checked, misaligned rows are errors, text that is not UTF-8 is an error
//! with file, line and a hint, `--encoding windows-1252` reads regional exports, NUL bytes and
//! over-long names are refused, and a refused import changes nothing.

mod outreach_common;

use incontro_core::input::{Encoding, TextOptions};
use incontro_core::records::{ImportOptions, RecordFiles};
use outreach_common::*;

fn code_of<T: std::fmt::Debug>(result: incontro_core::Result<T>) -> &'static str {
    match result {
        Err(error) => error.code().as_str(),
        Ok(value) => panic!("expected an error, got {value:?}"),
    }
}

#[test]
fn import_records_refuses_a_missing_folder_a_file_and_a_folder_with_nothing_to_import() {
    let files = Files::new();
    let missing = files.dir.path().join("no-such-folder");
    assert_eq!(code_of(RecordFiles::from_dir(&missing)), "no_such_folder");
    let file = files.write("companies.csv", "id\n");
    assert_eq!(code_of(RecordFiles::from_dir(&file)), "not_a_folder");
    let empty = files.dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    std::fs::write(empty.join("notes.txt"), "not a record file").expect("write");
    let error = RecordFiles::from_dir(&empty).expect_err("nothing to import");
    assert_eq!(error.code(), "nothing_to_import");
    assert!(error.to_string().contains("companies.csv"), "{error}");
    // The engine refuses an empty set of files too, and bumps nothing.
    let engine = Engine::open_in_memory().expect("engine");
    let before = engine.data_revision().expect("revision");
    let result = engine.import_records(&RecordFiles::default(), &ImportOptions::default());
    assert_eq!(code_of(result), "nothing_to_import");
    assert_eq!(engine.data_revision().expect("revision"), before);
}

/// "Forlì" (codice catastale D704) as a regional export writes it, in Windows-1252.
const COMUNI_1252: &[u8] = b"code,name,province,lat,lon\nD704,Forl\xEC,FC,44.2227,12.0407\n";

#[test]
fn windows_1252_is_refused_with_a_hint_and_read_with_the_encoding() {
    let files = Files::new();
    let dir = files.dir.path().join("records");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("comuni.csv"), COMUNI_1252).expect("write");
    let engine = Engine::open_in_memory().expect("engine");
    let before = engine.data_revision().expect("revision");
    let plain = RecordFiles::from_dir(&dir).expect("files");
    let problems = problems(engine.import_records(&plain, &ImportOptions::default()));
    assert_eq!(
        problems,
        vec![
            "comuni.csv:2: not UTF-8 text (byte 0xEC at column 10): the file looks like \
              Windows-1252: save it as UTF-8 or pass `--encoding windows-1252`"
                .to_string()
        ]
    );
    assert_eq!(engine.data_revision().expect("revision"), before);
    // --skip-invalid does not skip past text that cannot be read.
    let skipping = ImportOptions { skip_invalid: true };
    assert!(engine.import_records(&plain, &skipping).is_err());
    let latin = RecordFiles {
        text: TextOptions::with_encoding(Encoding::Windows1252),
        ..plain
    };
    engine
        .import_records(&latin, &ImportOptions::default())
        .expect("windows-1252 import");
    let names = engine.comuni_names().expect("names");
    assert_eq!(names.get("D704").map(String::as_str), Some("Forlì"));
}

#[test]
fn nul_bytes_and_over_long_names_are_refused() {
    let files = Files::new();
    let dir = files.dir.path().join("records");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(
        dir.join("comuni.csv"),
        b"code,name,province,lat,lon\nE715,Lu\x00cca,LU,43.84,10.50\n",
    )
    .expect("write");
    let engine = Engine::open_in_memory().expect("engine");
    let records = RecordFiles::from_dir(&dir).expect("files");
    let problems_found = problems(engine.import_records(&records, &ImportOptions::default()));
    assert_eq!(problems_found.len(), 1);
    assert!(
        problems_found[0].starts_with("comuni.csv:2: NUL byte at column 8"),
        "{problems_found:?}"
    );
    // A job seeker whose name is 101 characters long.
    let seekers = format!(
        "id,codice_fiscale,first_name,last_name,mobile,email,birth_year,sex,comune,education,\
         available_from,accepts_tirocinio,disability\n\
         JS9,{},{},Rossi,,,1980,F,F205,vocational,,false,false\n",
        person("RSSMRA", true),
        "M".repeat(101)
    );
    let dir = files.dir.path().join("people");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("job_seekers.csv"), seekers).expect("write");
    let records = RecordFiles::from_dir(&dir).expect("files");
    let problems_found = problems(engine.import_records(&records, &ImportOptions::default()));
    assert!(
        problems_found
            .iter()
            .any(|p| p == "job_seekers.csv:2: first_name: name longer than 100 characters"),
        "{problems_found:?}"
    );
}

#[test]
fn cob_rows_with_extra_fields_are_errors_and_nothing_is_written() {
    let engine = engine();
    let files = Files::new();
    let worker = person("BNCMRA", true);
    let good = hire("C1", &worker, &employer(1), "2024-01-10", "");
    let mut shifted = hire("C2", &worker, &employer(2), "2024-03-01", "").csv();
    // An unquoted comma in a field: every field after it moves one column right.
    shifted.push_str(",extra");
    let text = format!("{HEADER}\n{}\n{shifted}\n", good.csv());
    let path = files.write("extra.csv", &text);
    let found = problems(import(&engine, &path));
    assert_eq!(
        found,
        vec!["extra.csv:3: 22 fields, but the header has 21 columns".to_string()]
    );
    let report = engine
        .import_cob(
            &path,
            &CobImportOptions {
                skip_invalid: true,
                ..CobImportOptions::default()
            },
            &NoProgress,
        )
        .expect("skip invalid");
    assert_eq!((report.inserted, report.skipped_rows), (1, 1));
}

#[test]
fn cob_lines_over_the_limit_end_the_import_with_an_error() {
    let engine = engine();
    let files = Files::new();
    let worker = person("BNCMRA", true);
    let row = hire("C1", &worker, &employer(1), "2024-01-10", "").csv();
    let text = format!("{HEADER}\n{row}\n{}\n", "9".repeat(5_000));
    let path = files.write("long.csv", &text);
    let options = CobImportOptions {
        skip_invalid: true,
        text: TextOptions {
            max_line_bytes: 4_096,
            ..TextOptions::default()
        },
        ..CobImportOptions::default()
    };
    let error = engine
        .import_cob(&path, &options, &NoProgress)
        .expect_err("too long");
    assert!(
        error
            .to_string()
            .contains("long.csv:3: line longer than 4096 bytes"),
        "{error}"
    );
    // Nothing was written, even with --skip-invalid.
    let again = engine
        .import_cob(
            &files.cob(
                "ok.csv",
                &[hire("C1", &worker, &employer(1), "2024-01-10", "")],
            ),
            &CobImportOptions::default(),
            &NoProgress,
        )
        .expect("import");
    assert_eq!(again.inserted, 1);
}

#[test]
fn contacts_headers_are_checked_and_names_bounded() {
    let engine = engine();
    let files = Files::new();
    let worker = person("VRDLCU", false);
    let missing = files.write(
        "missing.csv",
        &format!("codice_fiscale,kind,value\n{worker},mobile,3331234567\n"),
    );
    assert_eq!(
        problems(engine.import_contacts(&missing, &ContactImportOptions::default())),
        vec!["missing.csv:1: wrong header: missing column(s) source, observed_on".to_string()]
    );
    let unknown = files.write(
        "unknown.csv",
        &format!(
            "codice_fiscale,kind,value,source,observed_on,telefono\n\
             {worker},mobile,3331234567,cpi,2024-01-01,x\n"
        ),
    );
    assert_eq!(
        problems(engine.import_contacts(&unknown, &ContactImportOptions::default())),
        vec!["unknown.csv:1: wrong header: unknown column(s) telefono".to_string()]
    );
    let long = files.write(
        "long.csv",
        &format!(
            "codice_fiscale,kind,value,source,observed_on,display_name\n\
             {worker},mobile,3331234567,cpi,2024-01-01,{}\n",
            "N".repeat(201)
        ),
    );
    assert_eq!(
        problems(engine.import_contacts(&long, &ContactImportOptions::default())),
        vec!["long.csv:2: display_name: name longer than 200 characters".to_string()]
    );
    // A Windows-1252 export: refused with the hint, read with the encoding.
    let mut latin = format!(
        "codice_fiscale,kind,value,source,observed_on,display_name\n\
         {worker},mobile,3331234567,cpi,2024-01-01,Niccol"
    )
    .into_bytes();
    latin.extend_from_slice(b"\xF2 Verdi\n");
    let path = files.dir.path().join("latin.csv");
    std::fs::write(&path, latin).expect("write");
    let found = problems(engine.import_contacts(&path, &ContactImportOptions::default()));
    assert!(
        found[0].starts_with("latin.csv:2: not UTF-8 text") && found[0].contains("--encoding"),
        "{found:?}"
    );
    let report = engine
        .import_contacts(
            &path,
            &ContactImportOptions {
                text: TextOptions::with_encoding(Encoding::Windows1252),
                ..ContactImportOptions::default()
            },
        )
        .expect("windows-1252 contacts");
    assert_eq!((report.contacts, report.names), (1, 1));
    // The same checks on a file that arrives as bytes (a web upload), named in problems.
    let upload = format!(
        "codice_fiscale,kind,value,source,observed_on,display_name\n\
         {worker},mobile,3331234567,cpi,2024-01-01,Niccolò Verdi\n\
         {worker},mobile,3331234567,cpi,2024-13-01,Niccolò Verdi\n"
    );
    assert_eq!(
        problems(engine.import_contacts_from(
            "upload.csv",
            upload.as_bytes(),
            &ContactImportOptions::default()
        )),
        vec![
            "upload.csv:3: observed_on: date must be YYYY-MM-DD".to_string(),
            "upload.csv:3: source: a contact needs its source and observed_on date".to_string()
        ]
    );
    let good = upload.lines().take(2).collect::<Vec<_>>().join("\n");
    let report = engine
        .import_contacts_from(
            "upload.csv",
            good.as_bytes(),
            &ContactImportOptions::default(),
        )
        .expect("upload");
    assert_eq!((report.contacts, report.names), (1, 1));
}

/// Found by `scripts/fuzz.sh` in stop 19: an opening quote before a COB row's DataInvio makes the
/// CSV reader take the rest of the file as that one field. The row is refused at its line with
/// the field named, and the message quotes only a short excerpt: at most 300 characters in all.
#[test]
fn an_open_quote_that_swallows_the_file_gives_a_short_message_at_its_line() {
    let engine = engine();
    let files = Files::new();
    let worker = person("BNCMRA", true);
    let first = hire("C1", &worker, &employer(1), "2024-01-10", "2024-06-30").csv();
    let opened = first.replacen(",ASS,", ",ASS,\"", 1);
    assert_ne!(opened, first);
    let mut text = format!("{HEADER}\n{opened}\n");
    for index in 2..40 {
        let letters: String = [index / 26, index % 26]
            .iter()
            .map(|&n| char::from(b'A' + n as u8))
            .collect();
        let other = person(&format!("VRDL{letters}"), index % 2 == 0);
        text.push_str(&hire(&format!("C{index}"), &other, &employer(2), "2024-02-01", "").csv());
        text.push('\n');
    }
    let path = files.write("open-quote.csv", &text);
    let result = import(&engine, &path);
    let Err(incontro_core::Error::InvalidInput { problems }) = &result else {
        panic!("expected input problems, got {result:?}");
    };
    let date = problems
        .iter()
        .find(|problem| problem.line == 2 && problem.field.as_deref() == Some("DataInvio"))
        .unwrap_or_else(|| panic!("{problems:?}"));
    // The value is quoted as an excerpt of 80 characters, not the 300 of the whole message.
    assert!(date.message.chars().count() < 160, "{date}");
    assert!(date.message.contains('…'), "{date}");
    for problem in problems {
        assert!(
            problem.message.chars().count() <= 300,
            "{} characters: {problem}",
            problem.message.chars().count()
        );
    }
    assert_eq!(
        engine.cob_notice_count().expect("count"),
        0,
        "a failed import writes nothing"
    );
}
