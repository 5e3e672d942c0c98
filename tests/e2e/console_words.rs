//! Issue 15 in the browser: words not codes (1), Italian pages (2), CSV for Italian Excel (3),
//! the desk's tasks (8) and vacancies (9), each page checked by axe at desktop and phone width.
//!
//! A child module of `console` (it uses its browser helpers). The axe check reads axe-core where
//! `scripts/install-browser.sh` puts it (or `INCONTRO_AXE`); without it the check prints
//! `skipped: axe-core not found`, unless `INCONTRO_REQUIRE_BROWSER=1` (CI), where it fails.

use std::path::PathBuf;
use std::sync::OnceLock;

use fantoccini::Locator;
use incontro_core::access::Role;

use super::{browser, run_in_browser, Browser};
use crate::helpers::{PERSON, PERSON_CF};

const WEEKDAYS: [&str; 7] = [
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "domenica",
];
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

fn axe_path() -> PathBuf {
    if let Some(path) = std::env::var_os("INCONTRO_AXE") {
        return PathBuf::from(path);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache.join("incontro/axe.min.js")
}

fn axe_source() -> Option<&'static str> {
    static SOURCE: OnceLock<Option<String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| match std::fs::read_to_string(axe_path()) {
            Ok(source) => Some(source),
            Err(_) => {
                if std::env::var("INCONTRO_REQUIRE_BROWSER").as_deref() == Ok("1") {
                    panic!(
                        "INCONTRO_REQUIRE_BROWSER=1 but {} is missing: run scripts/install-browser.sh",
                        axe_path().display()
                    );
                }
                println!("skipped: axe-core not found ({})", axe_path().display());
                None
            }
        })
        .as_deref()
}

/// axe on the current page at desktop and phone width: no serious or critical violation.
async fn assert_accessible(browser: &Browser, page: &str) {
    let Some(source) = axe_source() else {
        return;
    };
    for (width, height, name) in [(1280, 900, "desktop"), (390, 844, "phone")] {
        browser
            .client
            .set_window_size(width, height)
            .await
            .expect("window size");
        let script = format!(
            "{source}\n;return axe.run(document, {{ resultTypes: ['violations'] }}).then(function (r) {{ \
             return r.violations.filter(function (v) {{ return v.impact === 'serious' || v.impact === 'critical'; }}) \
             .map(function (v) {{ return v.id + ' (' + v.impact + '): ' + v.nodes.map(function (n) {{ return n.target.join(' '); }}).join(', '); }}); }});"
        );
        let found = browser
            .client
            .execute(&script, vec![])
            .await
            .expect("run axe");
        let violations: Vec<String> = serde_json::from_value(found).unwrap_or_default();
        assert!(
            violations.is_empty(),
            "axe on {page} at {name} width: {violations:#?}"
        );
    }
    browser
        .client
        .set_window_size(1280, 900)
        .await
        .expect("window size");
}

/// "mercoledì 2 dicembre 2026" (or "martedì 1º dicembre 2026").
fn is_long_italian_date(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() == 4
        && WEEKDAYS.contains(&words[0])
        && words[1]
            .trim_end_matches('º')
            .parse::<u32>()
            .is_ok_and(|day| (1..=31).contains(&day))
        && MONTHS.contains(&words[2])
        && words[3].len() == 4
        && words[3].parse::<u32>().is_ok()
}

/// "02/12/2026".
fn is_short_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('/').collect();
    parts.len() == 3
        && parts[0].len() == 2
        && parts[1].len() == 2
        && parts[2].len() == 4
        && parts.iter().all(|part| part.parse::<u32>().is_ok())
}

#[test]
fn the_date_checks_of_this_module_can_fail() {
    assert!(is_long_italian_date("mercoledì 2 dicembre 2026"));
    assert!(is_long_italian_date("martedì 1º dicembre 2026"));
    assert!(!is_long_italian_date("2026-12-02"));
    assert!(!is_long_italian_date("Wednesday 2 December 2026"));
    assert!(is_short_date("02/12/2026"));
    assert!(!is_short_date("2026-12-02"));
}

/// Points 1 and 2: the person page reads in Italian words — comune and province by name, the
/// contract type in words, the CP2011 job title, "nata nel" for a woman, the provenance of an
/// assessed competence, dates as 02/12/2026 — and the distance filter takes a comune's name.
#[test]
fn the_desk_reads_words_not_codes_in_italian() {
    run_in_browser(|app, driver| async move {
        let browser = browser(&driver, &app).await;
        browser.sign_in(&app.keys[&Role::Desk]).await;
        browser
            .open(&format!("/console/desk/people/{PERSON}"))
            .await;
        browser.find("#competences").await;
        let facts = browser.text("main > p.muted").await;
        // Giulia Bianchi lives in Viareggio (L833) and her codice fiscale says she is a woman.
        assert!(facts.contains("Viareggio (LU)"), "{facts}");
        assert!(facts.contains("nata nel 1994"), "{facts}");
        assert!(!facts.contains("L833"), "{facts}");
        let main = browser.text("main").await;
        // Her CP2011 job (6.2.3.3.1) by its title, the dates as an office writes them.
        assert!(
            main.contains("Riparatori e manutentori di macchinari"),
            "the CP2011 title"
        );
        // Not even in the provenance of a competence presumed from that job.
        assert!(
            !main.contains("CP2011 6.2.3.3.1"),
            "a CP2011 code on the page"
        );
        let history = browser.text("#history + ul li").await;
        let period = history
            .rsplit_once('(')
            .map(|(_, period)| period.trim_end_matches(')'))
            .unwrap_or_default();
        let (from, _) = period.split_once(" – ").unwrap_or_default();
        assert!(is_short_date(from), "{history}");
        // Provenance in Italian.
        let competences = browser.text("#competences + .table-wrap").await;
        assert!(
            competences.contains("valutata al colloquio"),
            "{competences}"
        );
        for english in ["assessed", "declared", "certified"] {
            assert!(
                !competences.contains(english),
                "English on an Italian page: {english}"
            );
        }
        // Plural right: "(N competenze)".
        let heading = browser.text("#competences").await;
        assert!(heading.contains("competenze)"), "{heading}");
        // Contract types in words on every card, never the COB code.
        for card in browser
            .client
            .find_all(Locator::Css("ol.matches > li.card .contract"))
            .await
            .expect("cards")
        {
            let contract = card.text().await.expect("text");
            assert!(
                contract.starts_with("Lavoro")
                    || contract.starts_with("Apprendistato")
                    || contract.starts_with("Tirocinio di"),
                "{contract}"
            );
        }
        assert!(!main.contains("A.02.00") && !main.contains("A.03.09"));
        assert_accessible(&browser, "desk person").await;
        // The distance filter takes a comune's name from the type-ahead list.
        assert!(
            browser.count("datalist#comuni-list option").await >= 13,
            "every comune is offered"
        );
        browser.fill("#near", "capannori").await;
        browser.fill("#near_km", "10").await;
        browser.click("form.filters button[type=submit]").await;
        browser.wait_url("near=capannori").await;
        browser.find("#vacancies").await;
        for card in browser
            .client
            .find_all(Locator::Css("ol.matches > li.card > p.muted"))
            .await
            .expect("cards")
        {
            let text = card.text().await.expect("text");
            assert!(
                ["Capannori", "Lucca", "Porcari", "Altopascio", "Montecarlo"]
                    .iter()
                    .any(|near| text.contains(near)),
                "within 10 km of Capannori: {text}"
            );
        }
        // A name no comune has is said in Italian.
        browser
            .open(&format!("/console/desk/people/{PERSON}?near=Atlantide"))
            .await;
        browser
            .wait_text("p.error[data-code=unknown_comune]", "Nessun comune")
            .await;
        browser.close().await;
    });
}

/// Point 3: the report downloads are attachments for Italian Excel — UTF-8 BOM, `;`, Italian
/// headers with the label before the URI, decimal commas.
#[test]
fn report_csv_files_open_in_italian_excel() {
    run_in_browser(|app, driver| async move {
        let browser = browser(&driver, &app).await;
        browser.sign_in(&app.keys[&Role::Analyst]).await;
        browser
            .open("/console/reports?comuni=Lucca,%20Capannori")
            .await;
        browser.find("#demand-table").await;
        assert!(browser.count("#demand-table tbody tr").await > 0);
        let fetched = browser
            .client
            .execute(
                "return fetch(document.querySelector('a[download=\"competenze.csv\"]').href) \
                 .then(r => r.arrayBuffer().then(b => [r.headers.get('content-disposition'), \
                 Array.from(new Uint8Array(b).slice(0, 3)), new TextDecoder().decode(b)]));",
                vec![],
            )
            .await
            .expect("csv");
        let disposition = fetched[0].as_str().unwrap_or_default();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert_eq!(
            fetched[1],
            serde_json::json!([0xEF, 0xBB, 0xBF]),
            "UTF-8 BOM"
        );
        let csv = fetched[2].as_str().unwrap_or_default();
        let mut lines = csv.split("\r\n");
        let header = lines.next().unwrap_or_default();
        assert!(
            header.starts_with("Competenza;Domanda (posti pesati);Offerte;"),
            "{header}"
        );
        assert!(header.ends_with(";URI ESCO"), "{header}");
        let first = lines.next().unwrap_or_default();
        let cells: Vec<&str> = first.split(';').collect();
        assert_eq!(cells.len(), 9, "{first}");
        assert!(!cells[0].starts_with("http"), "label first: {first}");
        assert!(cells[8].starts_with("http://data.europa.eu/esco/skill/"));
        assert!(
            cells[1].contains(',') && !cells[1].contains('.'),
            "decimal comma: {first}"
        );
        assert_accessible(&browser, "reports").await;
        browser.close().await;
    });
}

/// Point 8: name results show birth year, comune and a masked codice fiscale; a wrong codice
/// fiscale says so where it was typed; the person page shows the contact details; proposals
/// name the company; the courses that open most doors are one click away; a card offers courses
/// only when it has a gap to close.
#[test]
fn the_desk_works_a_person_without_dead_ends() {
    run_in_browser(|app, driver| async move {
        let browser = browser(&driver, &app).await;
        browser.sign_in(&app.keys[&Role::Desk]).await;
        browser.open("/console/desk").await;
        browser.fill("#q", "Bianchi").await;
        browser.click("form[role=search] button[type=submit]").await;
        let row = browser
            .find(&format!(
                "table.people tr:has(a[href='/console/desk/people/{PERSON}'])"
            ))
            .await
            .text()
            .await
            .expect("row");
        assert!(row.contains("1994"), "birth year: {row}");
        assert!(row.contains("Viareggio (LU)"), "comune: {row}");
        assert!(
            row.contains("BNCGLI*********Q"),
            "masked codice fiscale: {row}"
        );
        assert!(!row.contains(PERSON_CF));
        assert_accessible(&browser, "desk search results").await;
        // A codice fiscale with a wrong check character: said next to the field, text kept.
        let wrong = format!("{}A", &PERSON_CF[..15]);
        browser.fill("#q", &wrong).await;
        browser.click("form[role=search] button[type=submit]").await;
        let error = browser
            .wait_text("#q-error", "Codice fiscale non valido")
            .await;
        assert!(!error.is_empty());
        let kept = browser
            .find("#q")
            .await
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default();
        assert_eq!(kept, wrong);
        assert_accessible(&browser, "desk search with a wrong codice fiscale").await;
        // The person page: contact details.
        browser
            .open(&format!("/console/desk/people/{PERSON}"))
            .await;
        let contacts = browser.text("dl.contacts").await;
        assert!(contacts.contains("3256546401"), "{contacts}");
        assert!(contacts.contains("@example.org"), "{contacts}");
        // Courses only where a gap is: every card with a gap links them, none without.
        let cards = browser
            .client
            .find_all(Locator::Css("ol.matches > li.card"))
            .await
            .expect("cards");
        assert!(!cards.is_empty());
        for card in &cards {
            let gaps = card
                .find_all(Locator::Css(".tag.gap"))
                .await
                .expect("gaps")
                .len();
            let links = card
                .find_all(Locator::Css("a.training"))
                .await
                .expect("links")
                .len();
            assert_eq!(links > 0, gaps > 0, "course link iff a gap");
        }
        // Staff assess a competence at the interview: level and note, shown as its provenance.
        browser
            .click("#competences + .table-wrap tbody tr:first-child details.assess summary")
            .await;
        browser
            .find("#competences + .table-wrap tbody tr:first-child select[name=level]")
            .await
            .select_by_value("4")
            .await
            .expect("level");
        browser
            .fill(
                "#competences + .table-wrap tbody tr:first-child textarea[name=note]",
                "prova pratica in officina",
            )
            .await;
        browser
            .click(
                "#competences + .table-wrap tbody tr:first-child .assess-form button[type=submit]",
            )
            .await;
        browser.wait_text("#saved", "Valutazione registrata").await;
        let table = browser.text("#competences + .table-wrap").await;
        assert!(
            table.contains("valutata al colloquio — prova pratica in officina"),
            "{table}"
        );
        // …and the person's conditions.
        browser.click("#edit-conditions").await;
        browser.find("form.conditions").await;
        assert_accessible(&browser, "conditions").await;
        browser
            .click("form.conditions input[name=contract][value='A.02.00']")
            .await;
        browser.fill("#min_hours", "40").await;
        browser.fill("#max_hours", "20").await;
        browser.fill("#max_km", "25").await;
        browser.click("form.conditions button[type=submit]").await;
        // Next to the hour fields (issue 15, point 4), in Italian.
        let error = browser.text("#hours-error").await;
        assert!(error.contains("ore settimanali"), "in Italian: {error}");
        assert_eq!(
            browser
                .find("#min_hours")
                .await
                .attr("aria-invalid")
                .await
                .expect("attr")
                .as_deref(),
            Some("true")
        );
        let kept = browser
            .find("#max_km")
            .await
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default();
        assert_eq!(kept, "25", "what was typed is kept");
        browser.fill("#min_hours", "20").await;
        browser.fill("#max_hours", "38").await;
        browser.click("form.conditions button[type=submit]").await;
        browser.wait_text("#saved", "Condizioni salvate").await;
        let facts = browser.text("main > p.muted").await;
        assert!(
            facts.contains("Lavoro a tempo determinato") && facts.contains("25 km"),
            "{facts}"
        );
        // A proposal names the company.
        browser
            .click("ol.matches > li.card:first-child details.record summary")
            .await;
        browser
            .click("ol.matches > li.card:first-child .placement-form button[type=submit]")
            .await;
        browser.wait_text("p.notice.ok", "Proposta").await;
        let company = browser
            .text("ul.placements li[data-kind=proposal] .company")
            .await;
        let first_card = browser
            .text("ol.matches > li.card:first-child > p.muted")
            .await;
        assert!(
            !company.is_empty() && first_card.starts_with(&company),
            "the proposal names the card's company: {company} / {first_card}"
        );
        // The proposal is corrected to carry a course, then withdrawn.
        browser
            .click("ul.placements li[data-kind=proposal] details.change summary")
            .await;
        let course = browser
            .find("ul.placements li[data-kind=proposal] .correct-form select[name=course] option:nth-child(2)")
            .await;
        let course_title = course.text().await.expect("title");
        course.click().await.expect("pick a course");
        browser
            .click("ul.placements li[data-kind=proposal] .correct-form button[type=submit]")
            .await;
        browser.wait_text("p.notice.ok", "Correzione salvata").await;
        let courses = browser
            .text("ul.placements li[data-kind=proposal] .courses")
            .await;
        assert_eq!(courses, course_title, "the course by its title");
        browser
            .click("ul.placements li[data-kind=proposal] details.change summary")
            .await;
        browser
            .fill(
                "ul.placements li[data-kind=proposal] .withdraw-form input[name=reason]",
                "registrata per errore",
            )
            .await;
        browser
            .click("ul.placements li[data-kind=proposal] .withdraw-form button[type=submit]")
            .await;
        // Withdrawing asks first (issue 15, point 7); nothing is withdrawn before confirming.
        let confirm = browser.wait_text("#confirm-withdraw", "ritirare").await;
        assert!(confirm.contains("registro delle modifiche"), "{confirm}");
        assert_accessible(&browser, "withdraw confirmation").await;
        let engine = incontro_core::Engine::open_with(
            app.data_dir(),
            &crate::helpers::database_url(app.data_dir()),
        )
        .expect("second engine");
        let person = incontro_core::model::EntityId::parse(PERSON).expect("id");
        assert_eq!(
            engine
                .placements_for_person(&person)
                .expect("placements")
                .len(),
            1,
            "not withdrawn before confirming"
        );
        browser.click("#confirm-withdraw button[type=submit]").await;
        browser
            .wait_text("p.notice.ok", "Registrazione ritirata")
            .await;
        assert!(engine
            .placements_for_person(&person)
            .expect("placements")
            .is_empty());
        assert_eq!(browser.count("ul.placements li").await, 0);
        // The courses that open most doors: one click.
        browser.click("a.doors").await;
        browser.wait_url("/doors").await;
        let title = browser.text("h1").await;
        assert!(title.contains("Corsi che aprono"), "{title}");
        assert!(
            browser.count("ol.doors > li.card").await > 0 || browser.count("#no-doors").await == 1
        );
        assert_accessible(&browser, "course doors").await;
        browser.close().await;
    });
}

/// Point 9: a vacancy page with description, positions, dates, status and ranked candidates
/// with their explanations; edit (back to draft), close; a new company with its sector in
/// words; the validators' queue of drafts.
#[test]
fn vacancies_are_worked_from_their_page() {
    run_in_browser(|app, driver| async move {
        let browser = browser(&driver, &app).await;
        browser.sign_in(&app.keys[&Role::Desk]).await;
        browser.click("header nav a[href='/console/offers']").await;
        browser.find("table.vacancies").await;
        assert_accessible(&browser, "office vacancies").await;
        browser
            .click("table.vacancies a[href='/console/offers/V001']")
            .await;
        browser.find("#facts").await;
        assert_eq!(browser.text("#positions").await, "3 posti");
        assert!(browser
            .text("#contract")
            .await
            .contains("tempo determinato"));
        let opens = browser.text("#opens").await;
        assert!(is_long_italian_date(&opens), "{opens}");
        assert!(browser.text("#status").await.contains("validata"));
        assert!(browser.text("#description").await.contains("Cartiera"));
        let candidates = browser.count("ol.candidates > li.card").await;
        assert!(candidates > 0, "a validated open vacancy has candidates");
        browser
            .click("ol.candidates > li.card:first-child details summary")
            .await;
        assert!(
            browser
                .count("ol.candidates > li.card:first-child .bars li[data-outcome]")
                .await
                > 0
        );
        assert_accessible(&browser, "vacancy page").await;
        // Edit: a validated vacancy says it goes back to draft, and does.
        browser.click("#edit").await;
        browser.find("#back-to-draft").await;
        assert_accessible(&browser, "vacancy edit").await;
        browser.fill("#positions", "4").await;
        browser.click("form.edit-vacancy button[type=submit]").await;
        browser.wait_url("done=edited").await;
        assert_eq!(browser.text("#positions").await, "4 posti");
        assert!(browser.text("#status").await.contains("bozza"));
        assert!(browser.count("#no-candidates").await == 1);
        // Close another one.
        browser.open("/console/offers/V002").await;
        browser.click("#close").await;
        // Closing is final: it asks first (issue 15, point 7).
        let confirm = browser.text("#confirm-close").await;
        assert!(confirm.contains("non si può riaprire"), "{confirm}");
        assert_accessible(&browser, "close confirmation").await;
        browser.click("#confirm-close button[type=submit]").await;
        browser.wait_url("done=closed").await;
        assert!(browser.text("#status").await.contains("chiusa"));
        assert_eq!(browser.count("#close").await, 0);
        // A new company: the sector picked by its description, the site by its name.
        browser.open("/console/employers/new").await;
        assert_accessible(&browser, "new company").await;
        browser.fill("#name", "Officina Prova S.r.l.").await;
        browser.fill("#codice_fiscale", "04312345673").await;
        browser.fill("#ateco", "Lavori di meccanica generale").await;
        browser.fill("#comune", "Porcari (LU)").await;
        browser.click("form.new-company button[type=submit]").await;
        browser.wait_url("/console/employers/C").await;
        let sector = browser.text("#sector").await;
        assert_eq!(sector, "Lavori di meccanica generale (25.62.00)");
        assert_accessible(&browser, "company page").await;
        // A wrong comune keeps what was typed and says why.
        browser.open("/console/employers/new").await;
        browser.fill("#name", "Seconda Prova S.r.l.").await;
        browser.fill("#codice_fiscale", "02100000468").await;
        browser.fill("#comune", "Atlantide").await;
        browser.click("form.new-company button[type=submit]").await;
        browser.wait_text("#company-error", "Nessun comune").await;
        let kept = browser
            .find("#name")
            .await
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default();
        assert_eq!(kept, "Seconda Prova S.r.l.");
        browser.close().await;
        // The validators' queue lists the drafts, the edited V001 among them.
        let validator = super::browser(&driver, &app).await;
        validator.sign_in(&app.keys[&Role::Validator]).await;
        validator
            .click("header nav a[href='/console/drafts']")
            .await;
        validator.find("table.drafts").await;
        assert!(validator.count("table.drafts tr[data-vacancy=V001]").await == 1);
        assert!(validator.count("table.drafts tr[data-vacancy=V006]").await == 1);
        assert_eq!(
            validator.count("table.drafts tr[data-vacancy=V002]").await,
            0,
            "a closed vacancy is not waiting"
        );
        assert_accessible(&validator, "drafts queue").await;
        validator
            .click("table.drafts tr[data-vacancy=V001] a")
            .await;
        validator.wait_url("/console/vacancies/V001").await;
        assert_eq!(
            validator.text("#contract").await,
            "Lavoro a tempo determinato"
        );
        // The validator's company page: the sector in words, the contract type from the COB
        // list in words.
        validator.open("/console/companies/C01").await;
        let facts = validator.text("main > p.muted").await;
        assert!(
            facts.contains("Fabbricazione di carta e cartone"),
            "{facts}"
        );
        let chosen = validator.text("#contract_type option:checked").await;
        assert_eq!(chosen, "Lavoro a tempo determinato");
        assert!(validator.count("#contract_type option").await > 10);
        validator.open("/console/companies").await;
        let sectors = validator.text("table").await;
        assert!(
            sectors.contains("Fabbricazione di carta e cartone"),
            "{sectors}"
        );
        assert!(!sectors.contains("B648"), "comuni by name");
        validator.close().await;
    });
}

/// Point 10 (part): a validator pastes a job ad, gets the competences it names with level and
/// kind already set, adjusts one, adds them all, then edits a level in place.
#[test]
fn a_validator_adds_competences_suggested_from_a_job_ad() {
    run_in_browser(|app, driver| async move {
        let browser = browser(&driver, &app).await;
        browser.sign_in(&app.keys[&Role::Validator]).await;
        browser.open("/console/vacancies/V006").await;
        let before = browser.count("#requirements tbody tr").await;
        browser.click("#from-text").await;
        let prefilled = browser
            .find("#text")
            .await
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default();
        assert!(
            prefilled.contains("carrellista"),
            "the description: {prefilled}"
        );
        assert_accessible(&browser, "suggest from text").await;
        browser
            .fill(
                "#text",
                "Cerchiamo un carrellista che sappia effettuare la rotazione delle scorte e \
                 individuare e risolvere i guasti dei mezzi.",
            )
            .await;
        browser.click("form.from-text button[type=submit]").await;
        browser.find("form.suggested").await;
        let suggested = browser.count("form.suggested tbody tr").await;
        assert!(suggested >= 2, "both skills are suggested: {suggested}");
        assert_accessible(&browser, "suggestions").await;
        // The first one at level 3, optional; then add all.
        let first = "form.suggested tbody tr:first-child";
        let skill = browser
            .find(first)
            .await
            .attr("data-skill")
            .await
            .expect("attr")
            .unwrap_or_default();
        browser
            .find(&format!("{first} select[name^=level_]"))
            .await
            .select_by_value("3")
            .await
            .expect("level");
        browser
            .find(&format!("{first} select[name^=essential_]"))
            .await
            .select_by_value("false")
            .await
            .expect("kind");
        browser
            .click(&format!("{first} input[type=checkbox]"))
            .await;
        browser.click("#add-all").await;
        browser.wait_url("/console/vacancies/V006").await;
        browser.find("#requirements").await;
        assert_eq!(
            browser.count("#requirements tbody tr").await,
            before + suggested,
            "all added, the unticked one too"
        );
        let row = format!("#requirements tbody tr[data-skill='{skill}']");
        assert!(browser.text(&row).await.contains("facoltativa"));
        let level = browser
            .find(&format!("{row} select[name=level]"))
            .await
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default();
        assert_eq!(level, "3");
        // A level edited in place.
        browser
            .find(&format!("{row} select[name=level]"))
            .await
            .select_by_value("4")
            .await
            .expect("level");
        browser
            .click(&format!("{row} form.level-edit button[type=submit]"))
            .await;
        // The page reloads at the same address: wait for the stored level to show.
        let started = std::time::Instant::now();
        loop {
            let shown = match browser
                .client
                .find(Locator::Css(&format!("{row} select[name=level]")))
                .await
            {
                Ok(select) => select.prop("value").await.ok().flatten(),
                Err(_) => None,
            };
            if shown.as_deref() == Some("4") {
                break;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "the level never became 4: {shown:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        // Read back from the server, not from the form just submitted.
        browser.open("/console/vacancies/V006").await;
        let stored = browser
            .find(&format!("{row} select[name=level]"))
            .await
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default();
        assert_eq!(stored, "4");
        assert!(
            browser.text(&row).await.contains("facoltativa"),
            "kind kept"
        );
        assert_accessible(&browser, "validator vacancy").await;
        browser.close().await;
    });
}
