//! Fault tests (issue 21): what a client can make the service hold is bounded. Method-name
//! flooding, slow clients (trickled heads and bodies), idle connections on the public pages,
//! the documented order of checks, unknown query parameters on every route, security headers on
//! every response, and importers fed what is not text (`/dev/zero`, oversized lines, Windows-1252).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use incontro_core::access::Role;

use crate::helpers::*;

/// Sends raw bytes and reads the reply until the server closes or `limit` passes.
fn raw_exchange(address: &str, request: &[u8], limit: Duration) -> String {
    let host = address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connect");
    stream.set_read_timeout(Some(limit)).expect("timeout");
    stream.write_all(request).expect("send");
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    String::from_utf8_lossy(&reply).into_owned()
}

fn metrics(app: &TestApp) -> String {
    match app.request("GET", "/metrics", None, None).body {
        serde_json::Value::String(text) => text,
        other => panic!("metrics: {other:?}"),
    }
}

#[test]
fn random_method_names_share_one_metrics_label() {
    let app = spawn_app();
    let before = metrics(&app).len();
    for n in 0..300 {
        let method = format!("M{n:05}XQ");
        let reply = send_raw(&app.address, &method, "/v1/skills", None, None).expect("transport");
        assert!(reply.status >= 400, "{method}: {}", reply.status);
    }
    let text = metrics(&app);
    assert!(
        !text.contains("M00001XQ"),
        "a method name reached the metrics"
    );
    assert!(text.contains("method=\"other\""), "{text}");
    // 300 distinct methods added at most a few series (one label), not 300.
    assert!(
        text.len() < before + 20_000,
        "{} → {} bytes",
        before,
        text.len()
    );
}

#[test]
fn slow_clients_are_cut_off() {
    let app = spawn_app_with(|config| {
        config.client_timeout_ms = 500;
        config.body_timeout_ms = 800;
    });
    // A head that never ends: the connection is closed after the head timeout.
    let started = Instant::now();
    let reply = raw_exchange(
        &app.address,
        b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ",
        Duration::from_secs(10),
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "head held {:?}",
        started.elapsed()
    );
    assert!(!reply.contains("200 OK"), "{reply}");
    // A body trickled one byte at a time: 408 `body_timeout` once the body deadline passes.
    let host = app.address.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&host).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let head = format!(
        "POST /v1/suggestions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
        app.keys[&Role::Admin]
    );
    stream.write_all(head.as_bytes()).expect("head");
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let mut writing = true;
    stream
        .set_read_timeout(Some(Duration::from_millis(150)))
        .expect("timeout");
    while started.elapsed() < Duration::from_secs(8) {
        // The server may answer 408 and close between two bytes: a failed write
        // ends the trickle, not the test; the answer is still to be read.
        if writing && stream.write_all(b" ").is_err() {
            writing = false;
        }
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => {
                answer.extend_from_slice(&buffer[..read]);
                if answer.windows(4).any(|window| window == b"\r\n\r\n") {
                    break;
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(_) => {}
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "body held {:?}",
        started.elapsed()
    );
}

#[test]
fn idle_connections_of_one_address_are_capped_on_the_public_pages() {
    let app = spawn_app_with(|config| config.public_connections_per_address = 3);
    let host = app.address.trim_start_matches("http://").to_string();
    let status_of_public_page = || {
        let reply = raw_exchange(
            &app.address,
            b"GET /prenota HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            Duration::from_secs(10),
        );
        reply.get(9..12).unwrap_or_default().to_string()
    };
    assert_eq!(status_of_public_page(), "200");
    let idle: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(&host).expect("connect"))
        .collect();
    // Give the server a moment to accept them.
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(status_of_public_page(), "429");
    // The API is not capped by it.
    let health = app.request("GET", "/health", None, None);
    assert_eq!(health.status, 200);
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(5);
    while status_of_public_page() != "200" {
        assert!(Instant::now() < deadline, "the cap did not lift");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn checks_run_in_the_documented_order() {
    let app = shared_app();
    let bad_query = format!("/v1/job-seekers/{PERSON}/vacancies?k=0&nonsense=1");
    // 401 before 400: no key, or an unknown key (looked up on the pool).
    let reply = app.request("GET", &bad_query, None, None);
    assert_eq!((reply.status, reply.code()), (401, "missing_api_key"));
    let unknown = format!("inc_{}", "0".repeat(64));
    let reply = app.request("GET", &bad_query, Some(&unknown), None);
    assert_eq!((reply.status, reply.code()), (401, "invalid_api_key"));
    // 403 (role) before 400.
    let reply = app.get(&bad_query, Role::Analyst);
    assert_eq!((reply.status, reply.code()), (403, "forbidden_role"));
    let reply = app.request(
        "POST",
        "/v1/companies?x=1",
        Some(&app.keys[&Role::Operator]),
        Some(&serde_json::json!({"not": "a company"})),
    );
    assert_eq!((reply.status, reply.code()), (403, "forbidden_role"));
    // 400 before 404.
    let reply = app.get("/v1/job-seekers/NOPE/vacancies?nonsense=1", Role::Desk);
    assert_eq!((reply.status, reply.code()), (400, "invalid_query"));
    let reply = app.get("/v1/job-seekers/NOPE/vacancies", Role::Desk);
    assert_eq!((reply.status, reply.code()), (404, "job_seeker_not_found"));
}

/// Every documented GET route, with its path ids filled from the demo.
fn documented_get_routes(app: &TestApp) -> Vec<String> {
    let document = app.request("GET", "/openapi.json", None, None).body;
    let paths = document["paths"].as_object().expect("paths").clone();
    paths
        .into_iter()
        .filter(|(_, item)| item.get("get").is_some())
        .map(|(path, _)| {
            let path = if path.starts_with("/v1/skills") {
                path.replace("{id}", SKILL)
            } else if path.starts_with("/v1/occupations") {
                path.replace("{id}", OCCUPATION)
            } else if path.starts_with("/v1/companies") {
                path.replace("{id}", COMPANY)
            } else if path.starts_with("/v1/vacancies") {
                path.replace("{id}", VACANCY)
            } else if path.starts_with("/v1/campaigns") {
                path.replace("{id}", "no-such-campaign")
            } else {
                path.replace("{id}", PERSON)
            };
            path.replace("{vacancy_id}", VACANCY)
        })
        .collect()
}

#[test]
fn unknown_query_parameters_are_refused_on_every_route() {
    let app = shared_app();
    let routes = documented_get_routes(app);
    assert!(routes.len() >= 30, "{routes:?}");
    for path in routes {
        let separator = if path.contains('?') { '&' } else { '?' };
        let reply = app.get(&format!("{path}{separator}zz_unknown=1"), Role::Admin);
        assert_eq!(
            (reply.status, reply.code()),
            (400, "invalid_query"),
            "GET {path}: {:?}",
            reply.body
        );
    }
    let reply = app.request(
        "POST",
        "/v1/suggestions?zz_unknown=1",
        Some(&app.keys[&Role::Admin]),
        Some(&serde_json::json!({"text": "saldatura a filo"})),
    );
    assert_eq!((reply.status, reply.code()), (400, "invalid_query"));
}

#[test]
fn every_response_carries_the_security_headers() {
    let app = shared_app();
    let agent = http_agent();
    for (method, path) in [
        ("GET", "/docs"),
        ("GET", "/openapi.json"),
        ("GET", "/health"),
        ("GET", "/metrics"),
        ("GET", "/v1/no-such-route"),
        ("DELETE", "/v1/companies"),
        ("GET", "/v1/job-seekers/JS0001"),
        ("GET", "/console"),
        ("GET", "/console/no-such-page"),
        ("GET", "/prenota"),
    ] {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", app.address))
            .body(())
            .expect("request");
        let response = agent
            .run(request)
            .unwrap_or_else(|error| panic!("{method} {path}: {error}"));
        assert_eq!(
            header(&response, "x-content-type-options"),
            Some("nosniff"),
            "{method} {path}"
        );
        assert_eq!(
            header(&response, "x-frame-options"),
            Some("DENY"),
            "{method} {path}"
        );
        let policy = header(&response, "content-security-policy")
            .unwrap_or_else(|| panic!("{method} {path}: no CSP"));
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{method} {path}: {policy}"
        );
        assert!(
            !policy.contains("script-src 'unsafe"),
            "{method} {path}: {policy}"
        );
    }
}

fn incontro(data_dir: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(PathBuf::from(env!("CARGO_BIN_EXE_incontro")))
        .arg("--data-dir")
        .arg(data_dir)
        .envs(crate::helpers::database_env(data_dir))
        .args(args)
        .output()
        .expect("run incontro");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[test]
fn importers_end_with_an_error_on_what_is_not_text() {
    let data = tempfile::tempdir().expect("tempdir");
    let files = tempfile::tempdir().expect("tempdir");
    // `/dev/zero` never ends and has no newline: an error at line 1, in bounded memory.
    if Path::new("/dev/zero").exists() {
        let started = Instant::now();
        let (ok, output) = incontro(data.path(), &["import", "cob", "/dev/zero"]);
        assert!(!ok, "{output}");
        assert!(output.contains("zero:1: NUL byte"), "{output}");
        assert!(started.elapsed() < Duration::from_secs(20));
        // The batch matcher has its own fast reader: the same bound, no output file.
        let vacancies = files.path().join("v.csv");
        std::fs::write(
            &vacancies,
            "vacancy_id,skill_uri,level,essential\nV1,s:a,1,true\n",
        )
        .expect("write");
        let out = files.path().join("out.csv");
        let (ok, output) = incontro(
            data.path(),
            &[
                "match",
                "--workers",
                "/dev/zero",
                "--vacancies",
                &vacancies.display().to_string(),
                "--exact",
                "--out",
                &out.display().to_string(),
            ],
        );
        assert!(!ok, "{output}");
        assert!(
            output.contains("zero:1: line longer than 1 MiB"),
            "{output}"
        );
        assert!(!out.exists());
    }
    // A 2 MiB line: refused at its line, and the message quotes none of it.
    let long = files.path().join("long.csv");
    let mut text = String::from("codice_fiscale,kind,value,source,observed_on\n");
    text.push_str(&"A".repeat(2 << 20));
    text.push('\n');
    std::fs::write(&long, text).expect("write");
    let (ok, output) = incontro(
        data.path(),
        &["import", "contacts", long.to_str().expect("path")],
    );
    assert!(!ok, "{output}");
    assert!(
        output.contains("long.csv:2: line longer than 1048576 bytes"),
        "{output}"
    );
    assert!(
        output.len() < 2_000,
        "the message copies the input: {} bytes",
        output.len()
    );
    // gzip-compressed input.
    let packed = files.path().join("cob.csv.gz");
    std::fs::write(&packed, b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03abc").expect("write");
    let (ok, output) = incontro(
        data.path(),
        &["import", "cob", packed.to_str().expect("path")],
    );
    assert!(!ok, "{output}");
    assert!(
        output.contains("cob.csv.gz:1: gzip-compressed data"),
        "{output}"
    );
}

#[test]
fn an_admin_records_attempts_for_an_operator_up_to_max_attempts() {
    let app = spawn_app();
    let (assigned, operator) = prepare_campaign(&app, "cob23-admin");
    assert!(assigned >= 1);
    let list = app.request(
        "GET",
        "/v1/campaigns/cob23-admin/call-list",
        Some(&operator),
        None,
    );
    let entry_no = list.body["items"][0]["entry_no"]
        .as_u64()
        .expect("entry_no");
    let path = format!("/v1/campaigns/cob23-admin/entries/{entry_no}/attempts");
    let admin = app.keys[&Role::Admin].clone();
    // The matrix lets an admin record an attempt: naming the operator of the entry.
    let anonymous = app.request(
        "POST",
        &path,
        Some(&admin),
        Some(&serde_json::json!({"result": "no_answer"})),
    );
    assert_eq!(
        (anonymous.status, anonymous.code()),
        (400, "missing_operator")
    );
    let someone_else = app.request(
        "POST",
        &path,
        Some(&operator),
        Some(&serde_json::json!({"result": "no_answer", "operator": "op_bruno"})),
    );
    assert_eq!(
        (someone_else.status, someone_else.code()),
        (403, "not_your_entries")
    );
    // prepare_campaign sets max_attempts = 3.
    for attempt in 1..=3 {
        let reply = app.request(
            "POST",
            &path,
            Some(&admin),
            Some(&serde_json::json!({"result": "no_answer", "operator": "op_anna"})),
        );
        assert_eq!(reply.status, 200, "attempt {attempt}: {:?}", reply.body);
        assert_eq!(reply.body["attempt"], attempt);
    }
    let fourth = app.request(
        "POST",
        &path,
        Some(&admin),
        Some(&serde_json::json!({"result": "no_answer", "operator": "op_anna"})),
    );
    assert_eq!(
        (fourth.status, fourth.code()),
        (409, "max_attempts_reached")
    );
}
