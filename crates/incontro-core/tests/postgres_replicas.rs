//! Two engines ("replicas") on one PostgreSQL database (issue 17, point 3): a write accepted by
//! one is seen by the other, ids stay unique under concurrent creates across both, a slot
//! booked on one cannot be booked on the other, a revoked key is refused by the other within a
//! second, and the audit log refuses changes in the database itself.
//!
//! Needs a PostgreSQL server: `eval "$(scripts/postgres-test.sh start)"`. Without
//! `INCONTRO_TEST_POSTGRES` each test says it skipped (CI sets `INCONTRO_REQUIRE_POSTGRES=1`,
//! which makes a missing server a failure).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use incontro_core::access::Role;
use incontro_core::appointments::{BookingRequest, NewSlots};
use incontro_core::model::{CodiceFiscale, Company, EntityId};
use incontro_core::{DatabaseUrl, Engine, NoProgress};

/// Two engines on one fresh database (each with its own local directory), the demo loaded
/// through the first; `None` when no server is configured.
fn replicas(dirs: &[tempfile::TempDir; 2]) -> Option<(String, Engine, Engine)> {
    let Some(url) = incontro_core::testing::fresh_postgres_database() else {
        eprintln!("skipped: no PostgreSQL (set INCONTRO_TEST_POSTGRES; scripts/postgres-test.sh)");
        return None;
    };
    let database = DatabaseUrl::Postgres(url.clone());
    let open = |dir: &Path| {
        Engine::open_with(dir, &database)
            .expect("engine on PostgreSQL")
            .with_clock(Arc::new(incontro_core::clock::FixedClock::on(
                incontro_core::records::DEMO_ANCHOR,
            )))
    };
    let first = open(dirs[0].path());
    first.import_demo(&NoProgress).expect("demo");
    let second = open(dirs[1].path());
    Some((url, first, second))
}

fn dirs() -> [tempfile::TempDir; 2] {
    [
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
    ]
}

#[test]
fn a_write_on_one_replica_is_seen_by_the_other() {
    let dirs = dirs();
    let Some((_, first, second)) = replicas(&dirs) else {
        return;
    };
    assert!(first.is_shared_database() && second.is_shared_database());
    let before = second.list_vacancies(None).expect("list").len();
    let revision = second.data_revision().expect("revision");
    let mut vacancy = first
        .list_vacancies(None)
        .expect("list")
        .into_iter()
        .next()
        .expect("a demo vacancy");
    vacancy.id = EntityId::parse("V900").expect("id");
    first.insert_vacancy(&vacancy).expect("create on the first");
    // The writer sees its own write at once; the other replica within the time it reuses the
    // revision it read (100 ms), well inside the 1 s the deployment promises.
    assert!(first.data_revision().expect("revision") > revision);
    let written = std::time::Instant::now();
    while second.data_revision().expect("revision") <= revision {
        assert!(
            written.elapsed() < std::time::Duration::from_secs(1),
            "the other replica did not see the write within 1 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let after = second.list_vacancies(None).expect("list");
    assert_eq!(after.len(), before + 1);
    assert!(after.iter().any(|v| v.id.as_str() == "V900"));
}

#[test]
fn concurrent_creates_of_one_id_across_replicas_yield_exactly_one() {
    let dirs = dirs();
    let Some((_, first, second)) = replicas(&dirs) else {
        return;
    };
    let company = Company::new(
        EntityId::parse("C900").expect("id"),
        "Cartiera del Serchio",
        CodiceFiscale::parse("01234560490").unwrap_or_else(|_| {
            CodiceFiscale::parse("BNCGLI94E52L833Q").expect("a valid codice fiscale")
        }),
    );
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..64)
            .map(|i| {
                let engine = if i % 2 == 0 { &first } else { &second };
                let company = &company;
                scope.spawn(move || engine.insert_company(company))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("thread"))
            .collect()
    });
    let created = results.iter().filter(|result| result.is_ok()).count();
    assert_eq!(created, 1, "exactly one create of C900 succeeds");
    for result in results.iter().filter(|result| result.is_err()) {
        let error = result.as_ref().unwrap_err();
        assert_eq!(error.code().to_string(), "company_exists", "{error}");
    }
}

#[test]
fn a_slot_booked_on_one_replica_cannot_be_booked_on_the_other() {
    let dirs = dirs();
    let Some((_, first, second)) = replicas(&dirs) else {
        return;
    };
    let now =
        chrono::NaiveDateTime::parse_from_str("2026-11-25T09:00", "%Y-%m-%dT%H:%M").expect("time");
    let slots = first
        .publish_slots(
            &NewSlots {
                office: "lucca".into(),
                staff: "anna".into(),
                starts: vec!["2026-11-26T10:00".into()],
                minutes: 30,
                room_url: "https://meet.example.org/".into(),
            },
            now,
        )
        .expect("publish");
    let request = BookingRequest {
        slot_id: slots[0].id,
        name: "Maria Rossi".into(),
        contact: "+39 333 1234567".into(),
        topic: "tirocinio".into(),
        language: "it".into(),
        privacy_accepted: true,
    };
    first.book_slot(&request, now).expect("booked on the first");
    let refused = second.book_slot(&request, now).unwrap_err();
    assert_eq!(refused.code().to_string(), "slot_already_booked");
}

#[test]
fn a_key_revoked_on_one_replica_is_refused_by_the_other_within_a_second() {
    let dirs = dirs();
    let Some((_, first, second)) = replicas(&dirs) else {
        return;
    };
    let key = first
        .create_api_key(Role::Desk, Some("LU"), "desk")
        .expect("key");
    assert!(second.authenticate(&key.token).expect("auth").is_some());
    first.revoke_api_key(&key.key.id).expect("revoke");
    let revoked = Instant::now();
    while second.authenticate(&key.token).expect("auth").is_some() {
        assert!(
            revoked.elapsed() < Duration::from_secs(1),
            "the other replica still accepts the revoked key"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_audit_log_refuses_changes_in_the_database() {
    let dirs = dirs();
    let Some((url, first, _second)) = replicas(&dirs) else {
        return;
    };
    let desk = incontro_core::access::Principal {
        key_id: "key_test".into(),
        role: Role::Desk,
        office: Some("LU".into()),
        label: "test".into(),
    };
    first
        .audit(vec![incontro_core::access::AuditEntry::now(
            &desk,
            "read_job_seeker",
            Some("JS0001"),
            None,
            incontro_core::access::Outcome::Ok,
        )])
        .expect("audit");
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    let count: i64 = client
        .query_one("SELECT count(*) FROM audit_log", &[])
        .expect("count")
        .get(0);
    assert_eq!(count, 1);
    assert!(client.execute("DELETE FROM audit_log", &[]).is_err());
    assert!(client
        .execute("UPDATE audit_log SET action = 'x'", &[])
        .is_err());
    assert!(client.batch_execute("TRUNCATE audit_log").is_err());
}

/// `incontro migrate --to` (issue 17, point 4): an office's embedded store, audit log included,
/// moves into an empty PostgreSQL database and answers there as it did; a second move into the
/// same database is refused and changes nothing.
#[test]
fn an_embedded_store_moves_up_with_its_audit_log_and_answers_the_same() {
    let Some(url) = incontro_core::testing::fresh_postgres_database() else {
        eprintln!("skipped: no PostgreSQL (set INCONTRO_TEST_POSTGRES; scripts/postgres-test.sh)");
        return;
    };
    let clock = || {
        Arc::new(incontro_core::clock::FixedClock::on(
            incontro_core::records::DEMO_ANCHOR,
        ))
    };
    let office = tempfile::tempdir().expect("tempdir");
    let embedded = Engine::open(office.path())
        .expect("embedded")
        .with_clock(clock());
    embedded.import_demo(&NoProgress).expect("demo");
    let desk = incontro_core::access::Principal {
        key_id: "key_test".into(),
        role: Role::Desk,
        office: Some("LU".into()),
        label: "test".into(),
    };
    for person in ["JS0001", "JS0002", "JS0003"] {
        embedded
            .audit(vec![incontro_core::access::AuditEntry::now(
                &desk,
                "read_job_seeker",
                Some(person),
                None,
                incontro_core::access::Outcome::Ok,
            )])
            .expect("audit");
    }
    let person = EntityId::parse("JS0001").expect("id");
    let query = incontro_core::matching::MatchQuery {
        k: 10,
        ..Default::default()
    };
    let ranked = |engine: &Engine| -> Vec<(String, String)> {
        engine
            .vacancies_for_person(&person, &query, "it")
            .expect("ranked")
            .into_iter()
            .map(|m| (m.vacancy_id, format!("{:?}", m.score)))
            .collect()
    };
    let before = ranked(&embedded);
    let report = embedded.move_to_postgres(&url).expect("move");
    assert!(report
        .tables
        .iter()
        .any(|(table, rows)| table == "audit_log" && *rows == 3));
    assert!(report
        .tables
        .iter()
        .any(|(table, rows)| table == "job_seeker" && *rows == 200));

    let replica_dir = tempfile::tempdir().expect("tempdir");
    let moved = Engine::open_with(replica_dir.path(), &DatabaseUrl::Postgres(url.clone()))
        .expect("on PostgreSQL")
        .with_clock(clock());
    assert_eq!(ranked(&moved), before, "the same ranking on PostgreSQL");
    let audit = moved
        .audit_log(&incontro_core::access::AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .expect("audit");
    assert_eq!(audit.len(), 3);
    // New rows continue after the copied ids.
    moved
        .audit(vec![incontro_core::access::AuditEntry::now(
            &desk,
            "read_job_seeker",
            Some("JS0004"),
            None,
            incontro_core::access::Outcome::Ok,
        )])
        .expect("audit after the move");
    let again = embedded.move_to_postgres(&url).unwrap_err();
    assert!(again.to_string().contains("not empty"), "{again}");
    assert_eq!(
        moved.list_vacancies(None).expect("list").len(),
        embedded.list_vacancies(None).expect("list").len()
    );
}

/// An ESCO import through one replica is followed by the other without a restart: the import
/// moves the data revision and the taxonomy's import generation, and the other replica loads
/// the taxonomy again when it sees them.
#[test]
fn an_esco_import_on_one_replica_is_followed_by_the_other() {
    let dirs = dirs();
    let Some((_, first, second)) = replicas(&dirs) else {
        return;
    };
    let group = "http://data.europa.eu/esco/isced-f/00";
    assert!(second
        .taxonomy()
        .expect("taxonomy")
        .skill_idx(group)
        .is_none());
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/esco-it");
    let options = incontro_core::taxonomy::EscoImportOptions {
        merge: true,
        ..Default::default()
    };
    first
        .import_esco(&[fixture], &options, &NoProgress)
        .expect("import on the first");
    let imported = Instant::now();
    loop {
        if second
            .taxonomy()
            .expect("taxonomy")
            .skill_idx(group)
            .is_some()
        {
            break;
        }
        assert!(
            imported.elapsed() < Duration::from_secs(1),
            "the other replica still has the old taxonomy after 1 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}
