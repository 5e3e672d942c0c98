//! `spawn_app()` and a small HTTP client.

use std::collections::BTreeMap;
use std::sync::{mpsc, Arc, OnceLock};
use std::time::Duration;

use incontro_core::access::Role;
use incontro_server::{open_engine, Application, ServerConfig};
use serde_json::Value;

/// Demo ids used across modules (all in the province of Lucca).
pub const PERSON: &str = "JS0001";
pub const PERSON_CF: &str = "BNCGLI94E52L833Q";
pub const VACANCY: &str = "V001";
pub const COMPANY: &str = "C01";
pub const SKILL: &str = "8d4271ca-c9fd-40b3-875f-15f78332a49e";
pub const OCCUPATION: &str = "4b6a55a8-8ec9-4ae2-9f62-ebcea1fa93d0";

/// The body limit of test servers (small, so oversized bodies are cheap to send).
pub const BODY_LIMIT: usize = 16 * 1024;

/// The day every test server runs on: the demo's anchor day, or `INCONTRO_E2E_TODAY` (so the
/// whole suite can be run on any other day, as `dates.rs` does for a few flows).
pub fn test_today() -> chrono::NaiveDate {
    match std::env::var("INCONTRO_E2E_TODAY") {
        Ok(day) => day.parse().expect("INCONTRO_E2E_TODAY is YYYY-MM-DD"),
        Err(_) => incontro_core::records::DEMO_ANCHOR,
    }
}

/// A running test server.
pub struct TestApp {
    pub address: String,
    /// One key per role; office-scoped roles are bound to LU (the demo's office).
    pub keys: BTreeMap<Role, String>,
    /// Desk and validator keys of another office (MI).
    pub desk_elsewhere: String,
    pub validator_elsewhere: String,
    pub key_ids: BTreeMap<Role, String>,
    _data_dir: tempfile::TempDir,
}

/// Starts the real server on port 0 over a fresh data directory loaded with the demo data.
pub fn spawn_app() -> TestApp {
    spawn_app_on(test_today())
}

/// [`spawn_app`] with the server's clock on `today`.
pub fn spawn_app_on(today: chrono::NaiveDate) -> TestApp {
    spawn(today, |_| {})
}

/// [`spawn_app`] with the configuration adjusted by `adjust` first.
pub fn spawn_app_with(adjust: impl FnOnce(&mut ServerConfig)) -> TestApp {
    spawn(test_today(), adjust)
}

/// The database of the store in `data_dir`: with `INCONTRO_TEST_POSTGRES` set, a PostgreSQL
/// database of its own (created on first use, then the same for every server and command run
/// over that directory); `None` (SQLite in the directory) otherwise.
pub fn database_for(data_dir: &std::path::Path) -> Option<String> {
    let mut databases = databases();
    if let Some(url) = databases.get(data_dir) {
        return Some(url.clone());
    }
    incontro_core::testing::postgres_server()?;
    let url = databases.entry(data_dir.to_path_buf()).or_insert_with(|| {
        incontro_core::testing::fresh_postgres_database().expect("test PostgreSQL")
    });
    Some(url.clone())
}

fn databases() -> std::sync::MutexGuard<'static, BTreeMap<std::path::PathBuf, String>> {
    static DATABASES: OnceLock<std::sync::Mutex<BTreeMap<std::path::PathBuf, String>>> =
        OnceLock::new();
    DATABASES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Makes the store of `data_dir` the database at `url` (a test's own server).
pub fn set_database_for(data_dir: &std::path::Path, url: &str) {
    databases().insert(data_dir.to_path_buf(), url.to_string());
}

/// `INCONTRO_DATABASE` for a command run over `data_dir` (see [`database_for`]).
pub fn database_env(data_dir: &std::path::Path) -> Vec<(&'static str, String)> {
    database_for(data_dir)
        .map(|url| ("INCONTRO_DATABASE", url))
        .into_iter()
        .collect()
}

/// The database URL of the store in `data_dir` (see [`database_for`]).
pub fn database_url(data_dir: &std::path::Path) -> incontro_core::DatabaseUrl {
    match database_for(data_dir) {
        Some(url) => incontro_core::DatabaseUrl::Postgres(url),
        None => incontro_core::DatabaseUrl::in_dir(data_dir),
    }
}

fn spawn(today: chrono::NaiveDate, adjust: impl FnOnce(&mut ServerConfig)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("tempdir");
    let mut config = ServerConfig {
        bind: "127.0.0.1:0".into(),
        data_dir: data_dir.path().to_path_buf(),
        workers: 1,
        pool_size: 2,
        body_limit_bytes: BODY_LIMIT,
        request_timeout_ms: 60_000,
        today: Some(today),
        // On PostgreSQL when INCONTRO_TEST_POSTGRES is set (a database of its own).
        database: database_for(data_dir.path()),
        // Tests write through second engines and commands beside this server and query it at
        // once: it reads the data revision for every query. The default reuse (100 ms) is what
        // the two-replica test (`replicas.rs`, real `incontro serve` processes) runs with.
        revision_reuse_ms: 0,
        ..ServerConfig::default()
    };
    adjust(&mut config);
    let engine = Arc::new(open_engine(&config).expect("open engine with demo data"));
    let mut keys = BTreeMap::new();
    let mut key_ids = BTreeMap::new();
    for role in Role::ALL {
        let office = role.is_office_scoped().then_some("LU");
        let created = engine
            .create_api_key(role, office, &format!("test {}", role.as_str()))
            .expect("key");
        keys.insert(role, created.token);
        key_ids.insert(role, created.key.id);
    }
    let desk_elsewhere = engine
        .create_api_key(Role::Desk, Some("MI"), "desk in Milan")
        .expect("key")
        .token;
    let validator_elsewhere = engine
        .create_api_key(Role::Validator, Some("MI"), "validator in Milan")
        .expect("key")
        .token;
    let (bound, port) = mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let application = Application::build(config, engine).expect("bind");
            bound.send(application.port()).expect("send port");
            application.run_until_stopped().await.expect("serve");
        })
    });
    let port = port
        .recv_timeout(Duration::from_secs(60))
        .expect("server port");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        keys,
        desk_elsewhere,
        validator_elsewhere,
        key_ids,
        _data_dir: data_dir,
    }
}

/// One server shared by the tests that only read.
pub fn shared_app() -> &'static TestApp {
    static APP: OnceLock<TestApp> = OnceLock::new();
    APP.get_or_init(spawn_app)
}

/// A response: status and JSON body (`Value::String` for a non-JSON body).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    /// The error code of an error body.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

/// A ureq response (status, headers and a body to read).
pub type HttpResponse = ureq::http::Response<ureq::Body>;

/// An HTTP client that returns 4xx and 5xx answers as responses (not errors) and follows no
/// redirects, so a test sees exactly what the server said.
pub fn http_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .allow_non_standard_methods(true)
        .max_redirects(0)
        .build()
        .into()
}

/// Like [`http_agent`], but follows redirects (up to ureq's default of 10).
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        // The fault tests send made-up methods on purpose.
        .allow_non_standard_methods(true)
        .build()
        .into()
}

/// The whole body of `response` as text (no size limit: exports can be large).
pub fn body_text(mut response: HttpResponse) -> String {
    response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_string()
        .expect("response body")
}

/// The value of header `name`, if present and text.
pub fn header<'a>(response: &'a HttpResponse, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// The value of the cookie `name` among the response's `Set-Cookie` headers.
pub fn set_cookie(response: &HttpResponse, name: &str) -> Option<String> {
    all_set_cookies(response).into_iter().find_map(|cookie| {
        let (pair, _) = cookie.split_once(';').unwrap_or((&cookie, ""));
        let (found, value) = pair.split_once('=')?;
        (found == name).then(|| value.to_string())
    })
}

/// Every `Set-Cookie` header of the response, as sent.
pub fn all_set_cookies(response: &HttpResponse) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .map(str::to_string)
        .collect()
}

/// Sends a request to `address` (raw body, any content type).
pub fn send_raw(
    address: &str,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<(&str, &[u8])>,
) -> Result<Reply, String> {
    let mut request = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{address}{path}"));
    if let Some(key) = key {
        request = request.header("Authorization", format!("Bearer {key}"));
    }
    let outcome = match body {
        Some((content_type, bytes)) => agent().run(
            request
                .header("Content-Type", content_type)
                .body(bytes.to_vec())
                .map_err(|error| error.to_string())?,
        ),
        None => agent().run(request.body(()).map_err(|error| error.to_string())?),
    };
    let mut response = outcome.map_err(|error| error.to_string())?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_string()
        .map_err(|error| error.to_string())?;
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Ok(Reply { status, body })
}

impl TestApp {
    /// The server's data directory (a second `Engine` may open it to prepare data).
    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    /// A request with a JSON body (or none).
    pub fn request(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let bytes = body.map(|body| serde_json::to_vec(body).expect("json"));
        send_raw(
            &self.address,
            method,
            path,
            key,
            bytes.as_deref().map(|bytes| ("application/json", bytes)),
        )
        .expect("transport")
    }

    /// GET with a role's key.
    pub fn get(&self, path: &str, role: Role) -> Reply {
        self.request("GET", path, Some(&self.keys[&role]), None)
    }

    /// The store's data revision and entity counts (what a failed write must not change).
    pub fn snapshot_of_state(&self) -> (Value, Value) {
        let health = self.request("GET", "/health", None, None);
        let stats = self.get("/v1/stats", Role::Admin);
        (
            health.body["data_revision"].clone(),
            stats.body["entities"].clone(),
        )
    }
}

/// A valid vacancy body for company C01 in Capannori (LU).
pub fn vacancy_body(id: &str) -> Value {
    serde_json::json!({
        "id": id,
        "company_id": COMPANY,
        "title": "Conduttore di macchine continue",
        "description": "Turni, contratto a tempo determinato.",
        "comune": "B648",
        "placement": {"kind": "contract", "contract_type": "A.02.00"},
        "positions": 2,
        "opens": "2026-01-01",
        "closes": "2030-12-31",
        "source": {"kind": "public"},
        "requirements": [
            {"skill": format!("http://data.europa.eu/esco/skill/{SKILL}"), "level": 3},
            {"skill": "http://data.europa.eu/esco/skill/334e3e49-fb02-4051-809a-f06adfdc1c40", "level": 2, "essential": false}
        ]
    })
}

/// A valid company body with one site in Lucca.
pub fn company_body(id: &str) -> Value {
    serde_json::json!({
        "id": id,
        "name": "Officine Test S.r.l.",
        "codice_fiscale": "02100000468",
        "offers_tirocini": true,
        "sites": [{"comune": "E715", "address": "Via Test 1"}]
    })
}

/// A Cob23 campaign over the demo's COB notices, all entries assigned to a new operator key
/// (label `op_anna`, the operator id) in a second engine over the
/// server's data directory; returns the entries assigned and the key.
pub fn prepare_campaign(app: &TestApp, campaign: &str) -> (usize, String) {
    use incontro_core::outreach::{CampaignSpec, CohortRule, Operator};
    let engine = incontro_core::Engine::open_with(
        app.data_dir(),
        &crate::helpers::database_url(app.data_dir()),
    )
    .expect("second engine");
    let rule_file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/outreach_rule.json");
    let rule: CohortRule = serde_json::from_str(&std::fs::read_to_string(rule_file).expect("rule"))
        .expect("rule json");
    let spec = CampaignSpec {
        id: campaign.into(),
        name: format!("Cob23 {campaign}"),
        retention_until: test_today() + chrono::Duration::days(365),
        rule,
        max_attempts: 3,
        retry_days: 2,
    };
    engine
        .create_campaign(&spec, &incontro_core::NoProgress)
        .expect("campaign");
    let operators = [Operator {
        id: "op_anna".into(),
        daily_capacity: 50,
    }];
    let assigned = engine
        .assign_operators(campaign, &operators)
        .expect("assign");
    let key = engine
        .create_api_key(Role::Operator, Some("LU"), "op_anna")
        .expect("operator key")
        .token;
    (assigned.iter().map(|(_, count)| *count as usize).sum(), key)
}

/// Signs in to the console with `key` (the double-submit form token included); returns the
/// session cookie's value.
pub fn console_session(app: &TestApp, key: &str) -> String {
    let agent = http_agent();
    let page = agent
        .get(format!("{}/console/sign-in", app.address))
        .call()
        .expect("sign-in page");
    let form = set_cookie(&page, "incontro_form").expect("form cookie");
    let signed_in = agent
        .post(format!("{}/console/sign-in", app.address))
        .header("Cookie", format!("incontro_form={form}"))
        .send_form([("key", key), ("form_token", form.as_str())])
        .expect("sign in");
    set_cookie(&signed_in, "incontro_session").expect("session cookie")
}

/// A console page's status and HTML with a session cookie.
pub fn console_get(app: &TestApp, session: &str, path: &str) -> (u16, String) {
    let response = agent()
        .get(format!("{}{path}", app.address))
        .header("Cookie", format!("incontro_session={session}"))
        .call()
        .unwrap_or_else(|error| panic!("transport: {error}"));
    (response.status().as_u16(), body_text(response))
}
