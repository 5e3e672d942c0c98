//! `incontro import comuni` and `incontro import codes` as an office runs them (issue 15,
//! point 1): ISTAT's list of comuni as downloaded (`;`, Windows-1252, its own headers), a label
//! list, and a wrong file that changes nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use incontro_core::Engine;

fn incontro(data_dir: &Path, args: &[&str]) -> std::process::Output {
    let binary = match std::env::var_os("INCONTRO_BIN") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_BIN_EXE_incontro")),
    };
    Command::new(binary)
        .env("INCONTRO_TODAY", crate::helpers::test_today().to_string())
        .arg("--quiet")
        .arg("--data-dir")
        .arg(data_dir)
        .envs(crate::helpers::database_env(data_dir))
        .args(args)
        .output()
        .expect("run incontro")
}

/// ISTAT's header line (the second header has a line break inside its quotes) and three rows:
/// Capannori (already in the demo, with coordinates), Forlì and Bolzano (new).
fn istat_file_windows_1252() -> Vec<u8> {
    let text = "Codice Regione;\"Codice dell'Unit\u{e0} territoriale sovracomunale \r\n(valida a fini statistici)\";Codice Provincia (Storico)(1);Progressivo del Comune (2);Codice Comune formato alfanumerico;Denominazione (Italiana e straniera);Denominazione in italiano;Denominazione altra lingua;Codice Ripartizione Geografica;Ripartizione geografica;Denominazione Regione;\"Denominazione dell'Unit\u{e0} territoriale sovracomunale \r\n(valida a fini statistici)\";Sigla automobilistica;Codice Comune formato numerico;Codice Catastale del comune\r\n\
09;046;046;007;046007;Capannori;Capannori;;3;Centro;Toscana;Lucca;LU;46007;B648\r\n\
08;040;040;012;040012;Forl\u{ec};Forl\u{ec};;2;Nord-est;Emilia-Romagna;Forl\u{ec}-Cesena;FC;40012;D704\r\n\
04;021;021;008;021008;Bolzano/Bozen;Bolzano;Bozen;2;Nord-est;Trentino-Alto Adige/S\u{fc}dtirol;Bolzano/Bozen;BZ;21008;A952\r\n";
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 text"))
        .collect()
}

#[test]
fn istats_list_of_comuni_and_label_lists_import_from_the_command_line() {
    let data = tempfile::tempdir().expect("data dir");
    let files = tempfile::tempdir().expect("files");
    assert!(incontro(data.path(), &["import", "demo"]).status.success());
    let istat = files.path().join("Elenco-comuni-italiani.csv");
    std::fs::write(&istat, istat_file_windows_1252()).expect("write");
    let output = incontro(
        data.path(),
        &["import", "comuni", istat.to_str().expect("path")],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("ISTAT") && stdout.contains("windows-1252"),
        "{stdout}"
    );
    let ateco = files.path().join("ateco.csv");
    std::fs::write(
        &ateco,
        "Codice Ateco 2007;Titolo Ateco 2007 aggiornamento 2022\n62.01.00;Produzione di software non connesso all'edizione\n01.11.10;Coltivazione di cereali (escluso il riso)\n",
    )
    .expect("write");
    assert!(incontro(
        data.path(),
        &["import", "codes", "ateco", ateco.to_str().expect("path")]
    )
    .status
    .success());
    // A wrong list: file:line: field, and nothing written.
    let wrong = files.path().join("comuni-sbagliato.csv");
    std::fs::write(
        &wrong,
        "codice_catastale;codice_istat;denominazione;sigla_provincia;lat;lon\nE715;046017;Lucca Nuova;LU;43,8;10,5\nE71;046017;Lucca;LU;;\n",
    )
    .expect("write");
    let refused = incontro(
        data.path(),
        &["import", "comuni", wrong.to_str().expect("path")],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("comuni-sbagliato.csv:3: codice_catastale"),
        "{stderr}"
    );

    let engine = Engine::open_with(data.path(), &crate::helpers::database_url(data.path()))
        .expect("open the store");
    let words = engine.vocabulary().expect("vocabulary");
    // Capannori kept its coordinates and gained nothing wrong; Forlì arrived in Italian.
    let capannori = words.comune("B648").expect("Capannori");
    assert!(capannori.coordinates.is_some());
    assert_eq!(capannori.istat_code.as_deref(), Some("046007"));
    let forli = words.comune("D704").expect("Forlì");
    assert_eq!(forli.name, "Forlì");
    assert_eq!(forli.coordinates, None);
    assert_eq!(words.comune("A952").expect("Bolzano").name, "Bolzano");
    assert_eq!(
        words.find_comune("forli").expect("by name").as_str(),
        "D704"
    );
    // Lucca's name is unchanged by the refused file.
    assert_eq!(words.comune_name("E715"), "Lucca");
    // The imported list replaces the shipped one: only its codes have words now.
    assert_eq!(
        words.ateco("01.11.10"),
        Some("Coltivazione di cereali (escluso il riso)")
    );
    assert_eq!(words.ateco("17.12.00"), None);
    // The demo's comuni, imported with their ISTAT codes from data/comuni.csv.
    assert_eq!(
        words
            .comune("F205")
            .and_then(|comune| comune.istat_code.clone()),
        Some("015146".to_string())
    );
}
