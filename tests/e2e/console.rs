//! The web console in a real browser: headless Chromium driven over WebDriver (fantoccini),
//! against the real server on port 0 with the demo data.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`scripts/install-browser.sh`). Without
//! `/usr/bin/chromedriver` the browser tests print `skipped: chromedriver not found` and pass,
//! unless `INCONTRO_REQUIRE_BROWSER=1` (CI), where they fail. Screenshots of the main pages go to
//! `screenshots/` at the repository root (gitignored).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use incontro_core::access::Role;
use serde_json::json;

use crate::helpers::{prepare_campaign, spawn_app, TestApp, PERSON, PERSON_CF};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The chromedriver binary: `INCONTRO_CHROMEDRIVER` or Debian's.
fn chromedriver() -> String {
    std::env::var("INCONTRO_CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.to_string())
}
const CHROMIUM: &str = "/usr/bin/chromium";
const WAIT: Duration = Duration::from_secs(20);

/// One browser test at a time: two cores do not run two Chromiums well.
pub(crate) static ONE_BROWSER: Mutex<()> = Mutex::new(());

/// Whether the browser tests can run; prints the skip line (or fails under CI) when not.
pub(crate) fn browser_available() -> bool {
    let driver = chromedriver();
    if Path::new(&driver).exists() {
        return true;
    }
    if std::env::var("INCONTRO_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!(
            "INCONTRO_REQUIRE_BROWSER=1 but {driver} is missing: run scripts/install-browser.sh"
        );
    }
    println!("skipped: chromedriver not found");
    false
}

/// A chromedriver process on a free port, killed on drop.
pub(crate) struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    pub(crate) fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            let ready = ureq::get(format!("{url}/status"))
                .config()
                .timeout_global(Some(Duration::from_secs(2)))
                .build()
                .call()
                .is_ok();
            if ready {
                break;
            }
            assert!(started.elapsed() < WAIT, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, url }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh browser session (its own empty profile, so its own cookies).
pub(crate) struct Browser {
    pub(crate) client: Client,
    pub(crate) base: String,
    _profile: tempfile::TempDir,
}

pub(crate) async fn browser(driver: &Driver, app: &TestApp) -> Browser {
    browser_at(driver, &app.address).await
}

/// A fresh browser session on the server at `base`.
pub(crate) async fn browser_at(driver: &Driver, base: &str) -> Browser {
    let profile = tempfile::tempdir().expect("profile dir");
    let args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--window-size=1280,900".into(),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": CHROMIUM, "args": args }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("webdriver session");
    Browser {
        client,
        base: base.to_string(),
        _profile: profile,
    }
}

impl Browser {
    pub(crate) async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
    }

    pub(crate) async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("url")
            .path()
            .to_string()
    }

    pub(crate) async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("no element {css}: {error}"))
    }

    pub(crate) async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .expect("find_all")
            .len()
    }

    pub(crate) async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    /// Waits until the element's text contains `needle` (the page may still be navigating).
    pub(crate) async fn wait_text(&self, css: &str, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return text;
            }
            assert!(
                started.elapsed() < WAIT,
                "{css} never contained {needle:?}: {text}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the address contains `needle` (after a form submission).
    pub(crate) async fn wait_url(&self, needle: &str) {
        let started = Instant::now();
        loop {
            let url = self.client.current_url().await.expect("url").to_string();
            if url.contains(needle) {
                return;
            }
            assert!(started.elapsed() < WAIT, "{url} never contained {needle:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear");
        field.send_keys(value).await.expect("type");
    }

    pub(crate) async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    /// Signs in with an API key (the sign-in page's second form, behind "chiave API").
    pub(crate) async fn sign_in(&self, key: &str) {
        self.open("/console/sign-in").await;
        self.click("details.signin-key summary").await;
        self.fill("#key", key).await;
        self.click("#signin-key button[type=submit]").await;
        self.find("header nav").await;
        assert_eq!(self.path().await, "/console");
    }

    /// Fills the account sign-in form (name and password) and sends it.
    pub(crate) async fn submit_account(&self, name: &str, password: &str) {
        self.fill("#name", name).await;
        self.fill("#password", password).await;
        self.click("#signin-account button[type=submit]").await;
    }

    pub(crate) async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = screenshots_dir();
        std::fs::create_dir_all(&dir).expect("screenshots dir");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    pub(crate) async fn close(self) {
        self.client.close().await.expect("close session");
    }
}

fn screenshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../screenshots")
}

/// Runs one browser scenario: serialised, with its own server, chromedriver and runtime.
pub(crate) fn run_in_browser<F>(scenario: impl FnOnce(TestApp, Driver) -> F)
where
    F: std::future::Future<Output = ()>,
{
    if !browser_available() {
        return;
    }
    let _one = ONE_BROWSER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let app = spawn_app();
    let driver = Driver::start();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(scenario(app, driver));
}

#[test]
fn validator_builds_and_validates_a_breakdown_with_type_ahead() {
    run_in_browser(|app, driver| async move {
        let browser = browser(&driver, &app).await;
        browser.sign_in(&app.keys[&Role::Validator]).await;
        browser.screenshot("home-validator").await;
        browser
            .click("header nav a[href='/console/companies']")
            .await;
        browser.find("table a[href='/console/companies/C01']").await;
        browser.screenshot("companies").await;
        browser.open("/console/companies/C01").await;
        browser
            .fill("#title", "Conduttore di macchine continue (prova)")
            .await;
        browser
            .fill("#description", "Turni; contratto a tempo determinato.")
            .await;
        // Occupation through the type-ahead, picked with the mouse.
        browser.fill("#occupation-text", "condutt").await;
        browser.click("#occupation-list [role=option]").await;
        let occupation = browser
            .find("#occupation-box input[type=hidden]")
            .await
            .prop("value")
            .await
            .expect("prop")
            .unwrap_or_default();
        assert!(
            occupation.starts_with("http://data.europa.eu/esco/occupation/"),
            "{occupation}"
        );
        browser.screenshot("vacancy-new").await;
        browser
            .click("form[action='/console/companies/C01/vacancies'] button[type=submit]")
            .await;
        browser.find("#add-requirement").await;
        assert!(browser.path().await.starts_with("/console/vacancies/V"));
        assert!(
            browser.text("main").await.contains("bozza"),
            "a new vacancy is a draft"
        );

        // A skill through the type-ahead, picked with the keyboard (arrow down, Enter).
        browser.fill("#skill-text", "scorte").await;
        browser.find("#skill-list [role=option]").await;
        let input = browser.find("#skill-text").await;
        input.send_keys("\u{E015}").await.expect("arrow down");
        input.send_keys("\u{E007}").await.expect("enter");
        let chosen = browser
            .find("#skill-box input[type=hidden]")
            .await
            .prop("value")
            .await
            .expect("prop")
            .unwrap_or_default();
        assert!(
            chosen.starts_with("http://data.europa.eu/esco/skill/"),
            "{chosen}"
        );
        browser
            .find("#level")
            .await
            .select_by_value("3")
            .await
            .expect("level");
        browser
            .click("#add-requirement input[name=essential][value=false]")
            .await;
        browser.click("#add-requirement button[type=submit]").await;
        browser.find("#requirements tbody tr").await;
        assert_eq!(browser.count("#requirements tbody tr").await, 1);
        let row = browser.text("#requirements tbody tr").await;
        assert!(row.contains("3") && row.contains("facoltativa"), "{row}");

        // One suggestion from the occupation's essential skills.
        assert!(
            browser.count(".suggestions li").await > 0,
            "the chosen occupation suggests skills"
        );
        browser.click(".suggestions li button").await;
        browser.find("#requirements tbody tr:nth-child(2)").await;
        assert_eq!(browser.count("#requirements tbody tr").await, 2);
        browser.screenshot("vacancy-breakdown").await;

        // Draft → validated, with the validator's name and today's date.
        browser.click("#validate").await;
        let validated = browser.text("#validated").await;
        // The day in words (issue 15): "martedì 1º dicembre 2026".
        let today = incontro_core::italian::date_long(super::helpers::test_today());
        assert!(
            validated.contains("test validator") && validated.contains(&today),
            "{validated}"
        );
        browser.screenshot("vacancy-validated").await;
        browser.close().await;
    });
}

#[test]
fn desk_finds_a_person_and_sees_the_explained_matches() {
    run_in_browser(|app, driver| async move {
        let browser = browser(&driver, &app).await;
        browser.sign_in(&app.keys[&Role::Desk]).await;
        browser.open("/console/desk").await;
        // By name: a list of people of the office.
        browser.fill("#q", "Bianchi").await;
        browser.click("form[role=search] button[type=submit]").await;
        browser
            .find(&format!(
                "table.people a[href='/console/desk/people/{PERSON}']"
            ))
            .await;
        browser.screenshot("desk-search").await;
        // By codice fiscale: straight to the person.
        browser.fill("#q", PERSON_CF).await;
        browser.click("form[role=search] button[type=submit]").await;
        browser.find("#competences").await;
        assert_eq!(
            browser.path().await,
            format!("/console/desk/people/{PERSON}")
        );
        assert!(browser.count("#competences + .table-wrap tbody tr").await > 0);
        let cards = browser.count("ol.matches > li.card").await;
        assert!(cards > 0, "the demo person has matching vacancies");
        browser.click("ol.matches > li.card details summary").await;
        let bars = browser
            .count("ol.matches > li.card:first-child .bars li[data-outcome]")
            .await;
        assert!(bars > 0, "the explanation lists the requirements");
        assert!(
            browser
                .count("ol.matches > li.card:first-child .bars meter")
                .await
                == bars
        );
        let explanation = browser.text("ol.matches > li.card:first-child .bars").await;
        assert!(
            ["posseduta", "affine", "mancante"]
                .iter()
                .any(|word| explanation.contains(word)),
            "{explanation}"
        );
        browser.screenshot("desk-person").await;
        // The courses that close the gaps of the first vacancy, with the score after.
        let training = browser
            .find("ol.matches > li.card a.training")
            .await
            .attr("href")
            .await
            .expect("attr")
            .unwrap_or_default();
        browser.open(&training).await;
        let after = browser.text("#score-after").await;
        assert!(after.ends_with('%'), "{after}");
        browser.screenshot("desk-training").await;
        browser
            .open(&format!("/console/desk/people/{PERSON}"))
            .await;
        // Record a proposal for the first ranked vacancy: listed on the page with its note.
        assert_eq!(browser.count("ul.placements li").await, 0);
        browser
            .click("ol.matches > li.card:first-child details.record summary")
            .await;
        browser
            .fill(
                "ol.matches > li.card:first-child .placement-form textarea",
                "colloquio fissato",
            )
            .await;
        browser
            .click("ol.matches > li.card:first-child .placement-form button[type=submit]")
            .await;
        browser.wait_text("p.notice.ok", "Proposta").await;
        browser
            .wait_text("ul.placements li[data-kind=proposal]", "colloquio fissato")
            .await;
        // The same proposal twice is refused, on its card (issue 15, point 4).
        browser
            .click("ol.matches > li.card:first-child details.record summary")
            .await;
        browser
            .click("ol.matches > li.card:first-child .placement-form button[type=submit]")
            .await;
        browser
            .wait_text(
                "p.record-error[data-code=proposal_exists]",
                "già registrata",
            )
            .await;
        browser
            .open(&format!("/console/desk/people/{PERSON}"))
            .await;
        assert_eq!(browser.count("ul.placements li").await, 1);
        // Filters: only tirocini, within 30 km; every card left is a tirocinio.
        browser
            .find("#placement")
            .await
            .select_by_value("tirocinio")
            .await
            .expect("select");
        browser.fill("#near_km", "30").await;
        browser.click("form.filters button[type=submit]").await;
        browser.wait_url("placement=tirocinio").await;
        browser.find("#vacancies").await;
        for card in browser
            .client
            .find_all(Locator::Css("ol.matches > li.card > p.muted"))
            .await
            .expect("cards")
        {
            assert!(card.text().await.expect("text").contains("Tirocinio"));
        }
        // English, at phone width.
        browser
            .open(&format!("/console/desk/people/{PERSON}?lang=en"))
            .await;
        assert!(browser.text("#competences").await.contains("Competences"));
        browser
            .client
            .set_window_size(390, 844)
            .await
            .expect("phone size");
        browser.screenshot("desk-person-phone-en").await;
        browser.close().await;
    });
}

#[test]
fn resident_books_a_slot_and_a_second_booking_of_it_is_refused() {
    run_in_browser(|app, driver| async move {
        // Staff publish two slots for tomorrow.
        let staff = browser(&driver, &app).await;
        staff.sign_in(&app.keys[&Role::Desk]).await;
        staff.open("/console/appointments").await;
        staff.fill("#times", "09:00, 09:30").await;
        staff.click("#publish button[type=submit]").await;
        // Wait for the redirect: an agenda table may already be on the form's page.
        staff.wait_url("#agenda").await;
        staff.find("#agenda-table").await;
        assert_eq!(staff.count("#agenda-table tbody tr").await, 2);

        // Two residents open the booking page at the same time and pick the same slot.
        let first = browser(&driver, &app).await;
        let second = browser(&driver, &app).await;
        for (resident, name) in [(&first, "Maria Rossi"), (&second, "Luca Bianchi")] {
            resident.open("/prenota").await;
            resident.click("#booking input[name=slot_id]").await;
            resident.fill("#name", name).await;
            resident.fill("#contact", "maria@example.org").await;
            resident.fill("#topic", "Cerco un tirocinio").await;
            resident.click("#booking input[name=privacy]").await;
        }
        first.screenshot("booking-form").await;
        first.click("#booking button[type=submit]").await;
        let link = first.text("#video-link").await;
        assert!(link.starts_with("https://"), "{link}");
        let reference = first.text("#reference").await;
        assert_eq!(reference.len(), 8, "{reference}");
        first.screenshot("booking-confirmed").await;

        second.click("#booking button[type=submit]").await;
        let refusal = second.text("p.notice.error").await;
        assert!(refusal.contains("appena stato prenotato"), "{refusal}");
        second.screenshot("booking-refused").await;

        // The agenda shows the booking to staff.
        staff.open("/console/appointments").await;
        let agenda = staff.text("#agenda-table").await;
        assert!(
            agenda.contains("Maria Rossi") && !agenda.contains("Luca Bianchi"),
            "{agenda}"
        );
        staff.screenshot("appointments-agenda").await;

        // The resident cancels with the reference; the slot is free again.
        first.open("/prenota/annulla").await;
        first.fill("#reference", &reference).await;
        first
            .click("form[action='/prenota/annulla'] button[type=submit]")
            .await;
        assert!(first.text("p.notice").await.contains("annullata"));
        for browser in [staff, first, second] {
            browser.close().await;
        }
    });
}

#[test]
fn each_role_opens_only_its_own_pages() {
    run_in_browser(|app, driver| async move {
        let anonymous = browser(&driver, &app).await;
        anonymous.open("/console/desk").await;
        anonymous.find("#key").await;
        assert_eq!(anonymous.path().await, "/console/sign-in");
        anonymous.screenshot("sign-in").await;
        anonymous.close().await;

        let cases = [
            (Role::Validator, "/console/desk", "/console/companies"),
            (Role::Desk, "/console/companies", "/console/desk"),
            (Role::Analyst, "/console/appointments", "/console/reports"),
            (Role::Desk, "/console/reports", "/console/appointments"),
            (
                Role::Operator,
                "/console/desk/people/JS0001",
                "/console/calls",
            ),
        ];
        for (role, forbidden, allowed) in cases {
            let browser = browser(&driver, &app).await;
            browser.sign_in(&app.keys[&role]).await;
            browser.open(forbidden).await;
            let code = browser
                .find("p.error")
                .await
                .attr("data-code")
                .await
                .expect("attr")
                .unwrap_or_default();
            assert_eq!(code, "forbidden_role", "{role:?} on {forbidden}");
            assert_eq!(
                browser
                    .count(&format!("header nav a[href='{forbidden}']"))
                    .await,
                0
            );
            if role == Role::Validator {
                browser.screenshot("forbidden").await;
            }
            browser.open(allowed).await;
            assert_eq!(browser.count("p.error").await, 0, "{role:?} on {allowed}");
            browser.close().await;
        }
    });
}

#[test]
fn operator_records_outcomes_through_the_call_list() {
    run_in_browser(|app, driver| async move {
        let (assigned, operator_key) = prepare_campaign(&app, "cob23-console");
        assert!(
            assigned >= 2,
            "the demo cohort has people to call: {assigned}"
        );
        let browser = browser(&driver, &app).await;
        browser.sign_in(&operator_key).await;
        browser.click("header nav a[href='/console/calls']").await;
        browser.find("#entry").await;
        let first = browser.text("#entry h2").await;
        let listed = browser.text("main p.muted").await;
        browser.screenshot("calls").await;
        // No answer with a note: the person comes back on the retry day, not today.
        browser.fill("#note", "richiamare di sera").await;
        browser.click("#entry button[value=no_answer]").await;
        browser.wait_text("p.notice.ok", "Non risponde").await;
        if browser.count("#entry").await > 0 {
            assert_ne!(
                browser.text("#entry h2").await,
                first,
                "a retry is not due today"
            );
        }
        // Answered, then taken in charge.
        if browser.count("#entry").await > 0 {
            browser.click("#entry button[value=answered]").await;
            browser.wait_text("p.notice.ok", "Ha risposto").await;
            browser
                .click("#answered form[action$='/taken'] button")
                .await;
            browser.wait_text("p.notice.ok", "Presa in carico").await;
        }
        assert!(!listed.is_empty());
        browser.close().await;
        // On the retry day the first person is back with the note.
        let engine = incontro_core::Engine::open_with(
            app.data_dir(),
            &crate::helpers::database_url(app.data_dir()),
        )
        .expect("second engine");
        let retry_day = super::helpers::test_today() + chrono::Duration::days(2);
        let back = engine
            .call_list("cob23-console", "op_anna", retry_day)
            .expect("call list");
        let noted = back
            .iter()
            .find(|entry| entry.attempts == 1)
            .expect("the unanswered person is back");
        assert_eq!(noted.last_note.as_deref(), Some("richiamare di sera"));
        // The funnel counts the calls.
        let analyst = browser_for_funnel(&driver, &app).await;
        let funnel = analyst.text("#funnel-table").await;
        assert!(funnel.contains("cob23-console"), "{funnel}");
        // In Italian, like the CLI funnel: the table, the definitions and the chart.
        assert!(funnel.contains("campagna: cob23-console"), "{funnel}");
        let definitions = analyst.text("#funnel-definitions").await;
        assert!(
            definitions.contains("risposto: ha risposto"),
            "{definitions}"
        );
        let svg = analyst
            .client
            .execute(
                "return fetch(document.querySelector('img.chart[src*=funnel]').src).then(r => r.text());",
                vec![],
            )
            .await
            .expect("funnel chart");
        let svg = svg.as_str().unwrap_or_default();
        assert!(
            svg.contains("chiamati") && svg.contains("risposto"),
            "{svg}"
        );
        assert!(
            !svg.contains(">called<") && !svg.contains("answered"),
            "{svg}"
        );
        analyst.close().await;
    });
}

async fn browser_for_funnel(driver: &Driver, app: &TestApp) -> Browser {
    let analyst = browser(driver, app).await;
    analyst.sign_in(&app.keys[&Role::Analyst]).await;
    analyst
        .open("/console/reports?campaign=cob23-console")
        .await;
    analyst.find("#funnel-table").await;
    analyst
}

#[test]
fn analyst_reads_the_demand_report_with_chart_and_csv() {
    run_in_browser(|app, driver| async move {
        let browser = browser(&driver, &app).await;
        browser.sign_in(&app.keys[&Role::Analyst]).await;
        browser.click("header nav a[href='/console/reports']").await;
        browser.find("#demand-table").await;
        assert!(
            browser.count("#demand-table tbody tr").await > 0,
            "the demo area has demand"
        );
        let width = browser
            .client
            .execute(
                "const img = document.querySelector('img.chart'); \
                 return img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth));",
                vec![],
            )
            .await
            .expect("chart width");
        assert!(
            width.as_f64().unwrap_or(0.0) > 100.0,
            "the SVG chart loads: {width}"
        );
        let csv = browser
            .client
            .execute(
                "return fetch(document.querySelector('a[download=\"competenze.csv\"]').href).then(r => r.text());",
                vec![],
            )
            .await
            .expect("csv");
        let csv = csv.as_str().unwrap_or_default();
        // For Italian Excel (issue 15); fetch's text() drops the byte-order mark.
        assert!(csv.starts_with("Competenza;Domanda"), "{csv}");
        assert!(csv.lines().count() > 1);
        browser.screenshot("reports").await;
        browser.close().await;
    });
}

#[test]
fn analyst_reads_the_fairness_report_with_chart_and_csv() {
    run_in_browser(|app, driver| async move {
        let browser = browser(&driver, &app).await;
        browser.sign_in(&app.keys[&Role::Analyst]).await;
        browser.click("header nav a[href='/console/reports']").await;
        browser.click("#fairness-link").await;
        browser.find("#fairness-table").await;
        let table = browser.text("#fairness-table").await;
        for group in [
            "sesso: F",
            "età: 55 e oltre",
            "cittadinanza: extra UE",
            "disabilità: con disabilità",
        ] {
            assert!(table.contains(group), "{group} in {table}");
        }
        assert!(browser.text("#oversight-figures").await.contains('%'));
        let width = browser
            .client
            .execute(
                "const img = document.querySelector('img.chart'); \
                 return img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth));",
                vec![],
            )
            .await
            .expect("chart width");
        assert!(
            width.as_f64().unwrap_or(0.0) > 100.0,
            "the SVG chart loads: {width}"
        );
        let csv = browser
            .client
            .execute(
                "return fetch(document.querySelector('a[download=\"equita_ranking.csv\"]').href).then(r => r.text());",
                vec![],
            )
            .await
            .expect("csv");
        let csv = csv.as_str().unwrap_or_default();
        assert!(
            csv.starts_with("Dimensione;Gruppo;Persone;Quota persone"),
            "{csv}"
        );
        assert!(csv.lines().count() > 8);
        browser.screenshot("fairness").await;
        browser.close().await;
    });
}

// Issue 15: words, CSV, desk tasks and vacancies (uses the helpers above).
#[path = "console_words.rs"]
mod words;
