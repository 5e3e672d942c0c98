//! Outreach (Cob23) through the engine: COB import and its checks, spells, rettifiche and
//! annullamenti, idempotent re-import.

mod outreach_common;

use outreach_common::*;

#[test]
fn chain_gives_spell_with_extension_transformation_and_termination() {
    let files = Files::new();
    let (w, e) = (person("RSSMRA", true), employer(1));
    let path = files.cob(
        "chain.csv",
        &[
            hire("1001", &w, &e, "2023-01-02", "2023-06-30"),
            Row {
                code: "1002".into(),
                event: "PRO",
                sent: "2023-06-25",
                worker: w.clone(),
                employer: e.clone(),
                start: "2023-01-02",
                end: "2023-06-30",
                extension: "2023-12-31",
                contract: "A.02.00",
                ..Row::default()
            },
            Row {
                code: "1003".into(),
                event: "TRS",
                sent: "2023-10-03",
                worker: w.clone(),
                employer: e.clone(),
                start: "2023-01-02",
                trs_date: "2023-10-01",
                trs: "DI",
                contract: "A.01.00",
                ..Row::default()
            },
            cessazione("1004", &w, &e, "2023-01-02", "2024-03-31", "LI"),
        ],
    );
    let engine = engine();
    let report = import(&engine, &path).expect("import");
    assert_eq!(report.inserted, 4);
    let data = engine.cob_data(day("2025-01-01")).expect("data");
    assert_eq!(data.people.len(), 1);
    let spell = &data.people[0].spells[0];
    assert_eq!(spell.start, day("2023-01-02"));
    assert_eq!(
        spell.planned_end, None,
        "a transformation to open-ended clears the planned end"
    );
    assert_eq!(spell.effective_end, Some(day("2024-03-31")));
    assert_eq!(data.text(spell.end_reason), Some("LI"));
    let contracts: Vec<&str> = spell
        .contracts
        .iter()
        .map(|(_, c)| data.text(*c).unwrap_or_default())
        .collect();
    assert_eq!(contracts, ["A.02.00", "A.01.00"]);
    assert!(!spell.tirocinio);
    // Work history for matching: the CP2011 unit of the qualifica.
    let cf = CodiceFiscale::parse(&w).expect("cf");
    let jobs = engine
        .work_history_from_cob(&cf, day("2025-01-01"))
        .expect("jobs");
    assert_eq!(jobs.len(), 1);
    assert_eq!(
        jobs[0].occupation,
        OccupationCode::Cp2011("5.1.2.2.0".into())
    );
    assert_eq!(jobs[0].end, Some(day("2024-03-31")));
}

#[test]
fn fixed_term_without_cessazione_ends_once_passed_and_tirocinio_is_flagged() {
    let files = Files::new();
    let (w, e) = (person("BNCLRA", true), employer(2));
    let mut stage = hire("2001", &w, &e, "2024-01-08", "2024-07-07");
    stage.contract = "C.01.00";
    let path = files.cob(
        "fixed.csv",
        &[hire("2000", &w, &e, "2023-01-02", "2023-03-31"), stage],
    );
    let engine = engine();
    import(&engine, &path).expect("import");
    let before = engine.cob_data(day("2023-03-15")).expect("data");
    assert_eq!(
        before.people[0].spells[0].effective_end, None,
        "not passed yet"
    );
    let after = engine.cob_data(day("2024-12-01")).expect("data");
    let spells = &after.people[0].spells;
    assert_eq!(spells[0].effective_end, Some(day("2023-03-31")));
    assert!(spells[0].end_reason.is_none());
    assert!(spells[1].tirocinio);
    assert_eq!(spells[1].effective_end, Some(day("2024-07-07")));
}

#[test]
fn rettifica_replaces_and_annullamento_cancels() {
    let files = Files::new();
    let (w, e, e2) = (person("VRDGNN", false), employer(3), employer(4));
    let mut corrected = hire("3002", &w, &e, "2023-02-01", "2023-09-30");
    corrected.kind = "03";
    corrected.previous = "3001".into();
    let mut cancel = cessazione("3004", &w, &e2, "2023-03-01", "2023-04-01", "DV");
    cancel.kind = "04";
    cancel.previous = "3003".into();
    let path = files.cob(
        "rett.csv",
        &[
            hire("3001", &w, &e, "2023-02-01", "2023-05-31"),
            corrected,
            hire("3005", &w, &e2, "2023-03-01", ""),
            cessazione("3003", &w, &e2, "2023-03-01", "2023-04-01", "DV"),
            cancel,
        ],
    );
    let engine = engine();
    import(&engine, &path).expect("import");
    let data = engine.cob_data(day("2024-06-01")).expect("data");
    assert_eq!(
        data.superseded_notices, 3,
        "3001 replaced; 3003 and 3004 cancelled"
    );
    let spells = &data.people[0].spells;
    assert_eq!(spells.len(), 2);
    assert_eq!(
        spells[0].planned_end,
        Some(day("2023-09-30")),
        "the rettifica's end date"
    );
    assert_eq!(
        spells[1].effective_end, None,
        "the annulled cessazione does not end the job"
    );
}

#[test]
fn reimport_is_idempotent_and_json_lines_with_regional_names_work() {
    let files = Files::new();
    let (w, e) = (person("NRELSA", true), employer(5));
    let path = files.cob(
        "a.csv",
        &[
            hire("4001", &w, &e, "2023-01-02", "2023-03-31"),
            cessazione("4002", &w, &e, "2023-01-02", "2023-02-28", "DV"),
        ],
    );
    let engine = engine();
    assert_eq!(import(&engine, &path).expect("first").inserted, 2);
    let again = import(&engine, &path).expect("second");
    assert_eq!((again.inserted, again.already_present), (0, 2));
    assert_eq!(engine.cob_notice_count().expect("count"), 2);
    // A later notice in JSON lines with the regional column names, pointing to a stored hiring.
    let jsonl = format!(
        "{{\"CODICE_COMUNICAZIONE_REG\":\"4003\",\"ID_COM_T_TIPO_COMUNICAZIONE_TU\":\"01\",\"ID_COM_T_TIPO_COMUNICAZIONE\":\"ASS\",\"DT_INVIO\":\"01/04/2023\",\"CODICE_FISCALE\":\"{w}\",\"SESSO\":\"F\",\"DATORECODICEFISCALE\":\"{e}\",\"DT_INIZIO_RAPPORTO\":\"02/04/2023\",\"ID_COM_T_TIPO_CONTRATTO\":\"A.01.00\",\"COGNOME\":\"ignored\"}}\n"
    );
    let path = files.write("b.jsonl", &jsonl);
    let report = import(&engine, &path).expect("jsonl");
    assert_eq!(report.inserted, 1);
    assert_eq!(report.ignored_columns, ["COGNOME"]);
    assert_eq!(engine.cob_notice_count().expect("count"), 3);
}

#[test]
fn each_bad_input_is_reported_with_place_and_nothing_is_written() {
    let files = Files::new();
    let (w, e) = (person("GLLPLA", false), employer(6));
    let mut bad_cf = hire("5002", &w, &e, "2023-01-02", "");
    let mut chars: Vec<char> = w.chars().collect();
    chars[15] = if chars[15] == 'A' { 'B' } else { 'A' };
    bad_cf.worker = chars.iter().collect();
    let mut unknown_code = hire("5003", &w, &e, "2023-01-02", "");
    unknown_code.contract = "Z.99.99";
    let mut retired_code = hire("5004", &w, &e, "2023-01-02", "");
    retired_code.contract = "B.01.00";
    let mut unknown_kind = hire("5005", &w, &e, "2023-01-02", "");
    unknown_kind.kind = "11";
    let mut future = hire("5006", &w, &employer(7), "2023-01-02", "");
    future.sent = "2099-01-01";
    let out_of_order = hire("5007", &w, &employer(8), "2023-05-01", "2023-04-01");
    let duplicate = hire("5001", &w, &employer(9), "2023-01-02", "");
    let rows = [
        hire("5001", &w, &e, "2023-01-02", ""),
        bad_cf,
        unknown_code,
        retired_code,
        unknown_kind,
        future,
        out_of_order,
        duplicate,
    ];
    let path = files.cob("bad.csv", &rows);
    let engine = engine();
    let found = problems(import(&engine, &path));
    let expect = [
        ("bad.csv:3: CodFiscaleLavoratore: codice fiscale check character is wrong", true),
        ("bad.csv:4: TipologiaContrattuale: unknown TipologiaContrattuale code \"Z.99.99\"", true),
        ("bad.csv:5: TipologiaContrattuale: TipologiaContrattuale code \"B.01.00\" is not valid on 2023-01-02", true),
        ("bad.csv:6: TipoComunicazione: unknown TipoComunicazione code \"11\"", true),
        ("bad.csv:7: DataInvio: DataInvio 2099-01-01 is in the future", false),
        ("bad.csv:8: DataFine: dates out of order", false),
        ("bad.csv:9: CodiceComunicazione: duplicate notice", false),
    ];
    for (text, exact) in expect {
        assert!(
            found.iter().any(|p| if exact {
                p == text
            } else {
                p.starts_with(text)
            }),
            "missing {text:?} in {found:#?}"
        );
    }
    assert_eq!(found.len(), expect.len(), "{found:#?}");
    for problem in &found {
        assert!(!problem.contains(&w), "a codice fiscale leaked: {problem}");
    }
    assert_eq!(
        engine.cob_notice_count().expect("count"),
        0,
        "nothing written"
    );
    // With --skip-invalid the valid notice goes in and the others are reported.
    let report = engine
        .import_cob(
            &path,
            &CobImportOptions {
                skip_invalid: true,
                ..CobImportOptions::default()
            },
            &NoProgress,
        )
        .expect("skip");
    assert_eq!(report.inserted, 1);
    assert_eq!(report.skipped_rows, 7);
    assert_eq!(engine.cob_notice_count().expect("count"), 1);
}

#[test]
fn notices_before_the_extract_are_kept_and_counted() {
    // A cessazione whose hiring predates the file and a rettifica of a notice sent before it:
    // both are normal in a regional period extract.
    let files = Files::new();
    let (w, e) = (person("PRDLNE", true), employer(12));
    let mut late_fix = hire("5102", &w, &employer(13), "2023-06-01", "2023-12-31");
    late_fix.kind = "03";
    late_fix.previous = "0999".into();
    let path = files.cob(
        "extract.csv",
        &[
            cessazione("5101", &w, &e, "2020-05-05", "2023-02-01", "LI"),
            late_fix,
        ],
    );
    let engine = engine();
    let report = import(&engine, &path).expect("import");
    assert_eq!(
        (
            report.inserted,
            report.without_hiring,
            report.unresolved_references
        ),
        (2, 1, 1)
    );
    let data = engine.cob_data(day("2024-06-01")).expect("data");
    let spells = &data.people[0].spells;
    assert_eq!(spells.len(), 2);
    assert!(!spells[0].hiring_seen);
    assert!(spells[1].hiring_seen, "the rettifica stands as the hiring");
    assert_eq!(spells[1].effective_end, Some(day("2023-12-31")));
}

#[test]
fn missing_columns_are_reported() {
    let files = Files::new();
    let path = files.write("h.csv", "CodiceComunicazione,DataInvio\n1,2023-01-01\n");
    let found = problems(import(&engine(), &path));
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("h.csv:1: wrong header: missing column(s) TipoComunicazione"));
}
