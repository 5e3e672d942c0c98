//! Issue 17, points 3 and 6: two `incontro serve` replicas on one PostgreSQL database, over real
//! HTTP. A vacancy created on one is ranked on the other within a second; a key revoked (by
//! `incontro keys revoke`, a third process on the database) is refused by both within a second;
//! 64 concurrent creates of one id across both yield exactly one 201.
//!
//! Runs when the suite is on PostgreSQL (`INCONTRO_TEST_POSTGRES`); says it skipped otherwise.

use std::time::{Duration, Instant};

use crate::durability::{incontro, start};
use crate::helpers::*;

#[test]
fn two_replicas_on_one_postgresql_follow_each_other() {
    let Some(url) = incontro_core::testing::fresh_postgres_database() else {
        println!("skipped two_replicas_on_one_postgresql_follow_each_other: the suite is on SQLite (INCONTRO_TEST_POSTGRES)");
        return;
    };
    let (first_dir, second_dir) = (
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
    );
    set_database_for(first_dir.path(), &url);
    set_database_for(second_dir.path(), &url);
    let desk = incontro(
        first_dir.path(),
        &[
            "keys", "create", "--role", "desk", "--office", "LU", "--label", "replicas",
        ],
    );
    let validator = incontro(
        first_dir.path(),
        &[
            "keys",
            "create",
            "--role",
            "validator",
            "--office",
            "LU",
            "--label",
            "Giulia",
        ],
    );
    let first = start(first_dir.path());
    let second = start(second_dir.path());
    let call =
        |address: &str, method: &str, path: &str, key: &str, body: Option<&serde_json::Value>| {
            let bytes = body.map(|body| serde_json::to_vec(body).expect("json"));
            send_raw(
                address,
                method,
                path,
                Some(key),
                bytes.as_deref().map(|bytes| ("application/json", bytes)),
            )
            .expect("transport")
        };

    // Vacancies created and validated on the first are ranked on the second within a second;
    // the time from the acknowledged validation to the first ranking on the other replica that
    // includes it is measured over 30 writes (README Performance).
    let mut seen_after = Vec::new();
    for n in 1..=30 {
        let id = format!("VR{n}");
        let created = call(
            &first.address,
            "POST",
            "/v1/vacancies",
            &desk,
            Some(&vacancy_body(&id)),
        );
        assert_eq!(created.status, 201, "{:?}", created.body);
        let validated = call(
            &first.address,
            "POST",
            &format!("/v1/vacancies/{id}/validate"),
            &validator,
            None,
        );
        assert_eq!(validated.status, 200, "{:?}", validated.body);
        let written = Instant::now();
        loop {
            let ranked = call(
                &second.address,
                "GET",
                &format!("/v1/vacancies/{id}/candidates?k=3"),
                &desk,
                None,
            );
            if ranked.status == 200 && !ranked.body["items"].as_array().is_none_or(Vec::is_empty) {
                break;
            }
            assert!(
                written.elapsed() < Duration::from_secs(1),
                "the second replica does not rank {id}: {} {:?}",
                ranked.status,
                ranked.body
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        seen_after.push(written.elapsed());
    }
    seen_after.sort();
    println!(
        "write on one replica -> ranked on the other, 30 writes: p50 {:?}, p99 {:?}, max {:?}",
        seen_after[seen_after.len() / 2],
        seen_after[(seen_after.len() * 99).div_ceil(100) - 1],
        seen_after[seen_after.len() - 1]
    );

    // 64 concurrent creates of one id, half on each replica: exactly one 201.
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..64)
            .map(|i| {
                let address = if i % 2 == 0 {
                    &first.address
                } else {
                    &second.address
                };
                let desk = &desk;
                scope.spawn(move || {
                    call(
                        address,
                        "POST",
                        "/v1/vacancies",
                        desk,
                        Some(&vacancy_body("VR64")),
                    )
                    .status
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 409).count(),
        63,
        "{statuses:?}"
    );

    // A key revoked by another process on the database is refused by both within a second.
    let listed = incontro(first_dir.path(), &["keys", "list"]);
    let key_id = listed
        .lines()
        .find(|line| line.ends_with("\treplicas"))
        .and_then(|line| line.split('\t').next())
        .expect("the desk key in the list")
        .to_string();
    assert_eq!(
        call(
            &second.address,
            "GET",
            &format!("/v1/job-seekers/{PERSON}/vacancies?k=1"),
            &desk,
            None
        )
        .status,
        200
    );
    incontro(second_dir.path(), &["keys", "revoke", &key_id]);
    let revoked = Instant::now();
    for address in [&first.address, &second.address] {
        loop {
            let status = call(
                address,
                "GET",
                &format!("/v1/job-seekers/{PERSON}/vacancies?k=1"),
                &desk,
                None,
            )
            .status;
            if status == 401 {
                break;
            }
            assert!(
                revoked.elapsed() < Duration::from_secs(1),
                "{address} still accepts the revoked key ({status})"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
