//! Durability: the real `incontro serve` binary as a child process, writes streamed at it,
//! SIGKILL at random points, restart: every acknowledged write is there, nothing is duplicated,
//! and every acknowledged read of a person left its audit row. And a full disk (a small tmpfs,
//! when the test runs as root): writes are acknowledged or refused with 507 `storage_full`,
//! reads go on, the store passes SQLite's integrity check and keeps what it acknowledged.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::helpers::*;
use rand::RngExt;

/// The `incontro` binary cargo built for this test (or `INCONTRO_BIN`).
fn incontro_binary() -> PathBuf {
    match std::env::var_os("INCONTRO_BIN") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_BIN_EXE_incontro")),
    }
}

pub(crate) fn incontro(data_dir: &Path, args: &[&str]) -> String {
    let output = Command::new(incontro_binary())
        .env("INCONTRO_TODAY", crate::helpers::test_today().to_string())
        .arg("--data-dir")
        .arg(data_dir)
        .envs(crate::helpers::database_env(data_dir))
        .args(args)
        .output()
        .expect("run incontro");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) address: String,
}

impl Drop for Server {
    /// A failing test must not leave its server running (nor a tmpfs busy).
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start(data_dir: &Path) -> Server {
    let mut child = Command::new(incontro_binary())
        .env("INCONTRO_TODAY", crate::helpers::test_today().to_string())
        .arg("--data-dir")
        .arg(data_dir)
        .envs(crate::helpers::database_env(data_dir))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "2",
            "--max-page-size",
            "1000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn incontro serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read port line");
    let port = line
        .trim()
        .strip_prefix("incontro: listening on port ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    Server {
        child,
        address: format!("http://127.0.0.1:{port}"),
    }
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    let data_dir = tempfile::tempdir().expect("tempdir");
    let key = incontro(
        data_dir.path(),
        &[
            "keys",
            "create",
            "--role",
            "desk",
            "--office",
            "LU",
            "--label",
            "durability",
        ],
    );
    let admin = incontro(
        data_dir.path(),
        &["keys", "create", "--role", "admin", "--label", "auditor"],
    );
    let mut acknowledged_vacancies: Vec<String> = Vec::new();
    let mut acknowledged_reads = 0usize;
    let mut rng = rand::rng();
    for round in 0..4 {
        let mut server = start(data_dir.path());
        let stop = Arc::new(AtomicBool::new(false));
        let acked = Arc::new(Mutex::new(Vec::new()));
        let reads = Arc::new(Mutex::new(0usize));
        let mut writers = Vec::new();
        for writer in 0..2 {
            let (stop, acked, reads) = (Arc::clone(&stop), Arc::clone(&acked), Arc::clone(&reads));
            let (address, key) = (server.address.clone(), key.clone());
            writers.push(std::thread::spawn(move || {
                let mut sequence = 0;
                while !stop.load(Ordering::SeqCst) {
                    let id = format!("D{round}_{writer}_{sequence}");
                    sequence += 1;
                    let body = serde_json::to_vec(&vacancy_body(&id)).expect("json");
                    match send_raw(
                        &address,
                        "POST",
                        "/v1/vacancies",
                        Some(&key),
                        Some(("application/json", &body)),
                    ) {
                        Ok(reply) if reply.status == 201 => acked.lock().expect("lock").push(id),
                        Ok(reply) => panic!("unexpected {} {:?}", reply.status, reply.body),
                        Err(_) => break, // killed mid-request: not acknowledged
                    }
                    match send_raw(
                        &address,
                        "GET",
                        &format!("/v1/job-seekers/{PERSON}"),
                        Some(&key),
                        None,
                    ) {
                        Ok(reply) if reply.status == 200 => *reads.lock().expect("lock") += 1,
                        Ok(reply) => panic!("unexpected {} {:?}", reply.status, reply.body),
                        Err(_) => break,
                    }
                }
            }));
        }
        std::thread::sleep(Duration::from_millis(rng.random_range(150..1200)));
        server.child.kill().expect("SIGKILL"); // SIGKILL on Unix: no shutdown, no flush
        server.child.wait().expect("reap");
        stop.store(true, Ordering::SeqCst);
        for writer in writers {
            writer.join().expect("writer thread");
        }
        let acked = acked.lock().expect("lock").clone();
        acknowledged_vacancies.extend(acked);
        acknowledged_reads += *reads.lock().expect("lock");

        let mut server = start(data_dir.path());
        let app_like = |path: &str, key: &str| {
            send_raw(&server.address, "GET", path, Some(key), None).expect("transport")
        };
        for id in &acknowledged_vacancies {
            let reply = app_like(&format!("/v1/vacancies/{id}"), &key);
            assert_eq!(reply.status, 200, "round {round}: acknowledged {id} lost");
            let breakdown = app_like(&format!("/v1/vacancies/{id}/requirements"), &key);
            let essential = breakdown.body["essential"].as_array().map_or(0, Vec::len);
            let optional = breakdown.body["optional"].as_array().map_or(0, Vec::len);
            assert_eq!(
                (essential, optional),
                (1, 1),
                "round {round}: {id} requirements duplicated or lost"
            );
        }
        let listing = app_like("/v1/vacancies?limit=100&offset=0", &key);
        let total = listing.body["total"].as_u64().expect("total") as usize;
        let mut all_ids = Vec::new();
        let mut offset = 0;
        while offset < total {
            let page = app_like(&format!("/v1/vacancies?limit=100&offset={offset}"), &key);
            for item in page.body["items"].as_array().expect("items") {
                all_ids.push(item["id"].as_str().expect("id").to_string());
            }
            offset += 100;
        }
        let mut unique = all_ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            all_ids.len(),
            "round {round}: duplicated vacancies"
        );
        // A retried, unacknowledged create is either new (201) or already there (409), never both.
        let retry = vacancy_body(&format!("D{round}_0_retry"));
        let first = send_raw(
            &server.address,
            "POST",
            "/v1/vacancies",
            Some(&key),
            Some((
                "application/json",
                &serde_json::to_vec(&retry).expect("json"),
            )),
        )
        .expect("transport");
        let second = send_raw(
            &server.address,
            "POST",
            "/v1/vacancies",
            Some(&key),
            Some((
                "application/json",
                &serde_json::to_vec(&retry).expect("json"),
            )),
        )
        .expect("transport");
        assert_eq!(
            (first.status, second.status, second.code()),
            (201, 409, "vacancy_exists")
        );
        acknowledged_vacancies.push(format!("D{round}_0_retry"));
        // Every page of the audit (at most 1,000 rows a page).
        let mut audited = 0;
        loop {
            let audit = app_like(
                &format!(
                    "/v1/admin/audit?person_id={PERSON}&action=read_job_seeker&limit=1000&offset={audited}"
                ),
                &admin,
            );
            let page = audit.body["items"].as_array().expect("items").len();
            audited += page;
            if page < 1000 {
                break;
            }
        }
        assert!(
            audited >= acknowledged_reads,
            "round {round}: {audited} audit rows for {acknowledged_reads} acknowledged reads"
        );
        server.child.kill().expect("kill");
        server.child.wait().expect("reap");
    }
    assert!(!acknowledged_vacancies.is_empty());
}

/// A tmpfs mounted for the test (unmounted on drop), or `None` with the reason when the test
/// cannot mount one (not root, no permission in the container).
struct Tmpfs {
    path: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(megabytes: u32) -> Result<Tmpfs, String> {
        // The effective user, from `id -u` (no libc in the test crate).
        let uid = Command::new("id")
            .arg("-u")
            .output()
            .map_err(|e| e.to_string())?;
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            return Err("not running as root".into());
        }
        let path = tempfile::tempdir().map_err(|e| e.to_string())?;
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(path.path())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("mount -t tmpfs failed (no CAP_SYS_ADMIN?)".into());
        }
        Ok(Tmpfs { path })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("--lazy")
            .arg(self.path.path())
            .status();
    }
}

/// SQLite's own check of the store file.
fn integrity(data_dir: &Path) -> String {
    let connection = rusqlite::Connection::open(data_dir.join("incontro.sqlite")).expect("open");
    connection
        .query_row("PRAGMA integrity_check", [], |row| row.get::<_, String>(0))
        .expect("integrity_check")
}

#[test]
fn a_full_disk_refuses_writes_and_keeps_the_store() {
    if incontro_core::testing::postgres_server().is_some() {
        // The full disk is the data directory's; on PostgreSQL the store is the server's
        // (whose own disk-full error maps to the same `storage_full`: error.rs).
        println!(
            "skipped a_full_disk_refuses_writes_and_keeps_the_store: the store is on PostgreSQL"
        );
        return;
    }
    let tmpfs = match Tmpfs::mount(8) {
        Ok(tmpfs) => tmpfs,
        Err(reason) => {
            println!("skipped a_full_disk_refuses_writes_and_keeps_the_store: {reason}");
            return;
        }
    };
    let data_dir = tmpfs.path.path().join("data");
    let key = incontro(
        &data_dir,
        &[
            "keys", "create", "--role", "desk", "--office", "LU", "--label", "disk",
        ],
    );
    let mut server = start(&data_dir);
    // Vacancies with 10,000-character descriptions until the 8 MB are gone.
    let filler: String = "Turni in cartiera, contratto a tempo determinato. "
        .repeat(200)
        .chars()
        .take(10_000)
        .collect();
    let mut acknowledged = Vec::new();
    let (mut refused, mut consecutive_refusals) = (0, 0);
    for sequence in 0..5_000 {
        let id = format!("FULL{sequence}");
        let mut body = vacancy_body(&id);
        body["description"] = serde_json::Value::String(filler.clone());
        let reply = send_raw(
            &server.address,
            "POST",
            "/v1/vacancies",
            Some(&key),
            Some((
                "application/json",
                &serde_json::to_vec(&body).expect("json"),
            )),
        )
        .expect("the server answers every write");
        match reply.status {
            201 => {
                acknowledged.push(id);
                consecutive_refusals = 0;
            }
            507 => {
                assert_eq!(reply.code(), "storage_full", "{:?}", reply.body);
                refused += 1;
                consecutive_refusals += 1;
                if consecutive_refusals == 20 {
                    break;
                }
            }
            other => panic!("write {sequence}: unexpected {other} {:?}", reply.body),
        }
    }
    assert!(
        refused > 0,
        "the disk never filled ({} acknowledged)",
        acknowledged.len()
    );
    assert!(!acknowledged.is_empty());
    // Reads go on while the disk is full (a vacancy read writes no audit row).
    let health = send_raw(&server.address, "GET", "/health", None, None).expect("health");
    assert_eq!(health.status, 200, "{:?}", health.body);
    for id in [&acknowledged[0], &acknowledged[acknowledged.len() - 1]] {
        let read = send_raw(
            &server.address,
            "GET",
            &format!("/v1/vacancies/{id}"),
            Some(&key),
            None,
        )
        .expect("read");
        assert_eq!(
            read.status, 200,
            "{id} while the disk is full: {:?}",
            read.body
        );
    }
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reap");
    assert_eq!(integrity(&data_dir), "ok");
    // Restart with room again: everything acknowledged is there, once.
    let grown = Command::new("mount")
        .args(["-o", "remount,size=32m"])
        .arg(tmpfs.path.path())
        .status()
        .expect("remount");
    assert!(grown.success());
    let mut server = start(&data_dir);
    for id in &acknowledged {
        let read = send_raw(
            &server.address,
            "GET",
            &format!("/v1/vacancies/{id}"),
            Some(&key),
            None,
        )
        .expect("read");
        assert_eq!(
            read.status, 200,
            "acknowledged {id} lost after the full disk"
        );
        assert_eq!(read.body["description"].as_str(), Some(filler.trim()));
    }
    let retry = vacancy_body("AFTER_FULL");
    let created = send_raw(
        &server.address,
        "POST",
        "/v1/vacancies",
        Some(&key),
        Some((
            "application/json",
            &serde_json::to_vec(&retry).expect("json"),
        )),
    )
    .expect("write after space is freed");
    assert_eq!(created.status, 201, "{:?}", created.body);
    server.child.kill().expect("kill");
    server.child.wait().expect("reap");
    assert_eq!(integrity(&data_dir), "ok");
    println!(
        "full disk: {} writes acknowledged, {refused} refused with 507 storage_full",
        acknowledged.len()
    );
}

/// A private PostgreSQL cluster (Debian's binaries from `INCONTRO_PG_BIN`, which
/// `scripts/postgres-test.sh start` exports) that this test may kill without disturbing the
/// suites sharing the other one.
struct PrivateCluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl PrivateCluster {
    fn as_owner(&self, program: &str) -> Command {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
            .unwrap_or(false);
        if root {
            let mut command = Command::new("runuser");
            command
                .args(["-u", "postgres", "--"])
                .arg(self.bin.join(program));
            command
        } else {
            Command::new(self.bin.join(program))
        }
    }

    fn create() -> Option<PrivateCluster> {
        let bin = PathBuf::from(std::env::var_os("INCONTRO_PG_BIN")?);
        let dir = tempfile::tempdir().expect("tempdir");
        let _ = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(dir.path())
            .status();
        let port = 55000 + (std::process::id() % 2000) as u16;
        let cluster = PrivateCluster { bin, dir, port };
        let status = cluster
            .as_owner("initdb")
            .arg("-D")
            .arg(cluster.data())
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"])
            .stdout(Stdio::null())
            .status()
            .expect("initdb");
        assert!(status.success(), "initdb failed");
        cluster.start();
        Some(cluster)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("cluster")
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.path().display()
        );
        // After a SIGKILL of the postmaster its backends may hold the port for a moment while
        // they notice and exit ("Address already in use"): a restart is tried for up to 20 s.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let status = self
                .as_owner("pg_ctl")
                .arg("-D")
                .arg(self.data())
                .args(["-w", "-l"])
                .arg(self.dir.path().join("log"))
                .args(["-o", &options, "start"])
                .stdout(Stdio::null())
                .status()
                .expect("pg_ctl start");
            if status.success() {
                return;
            }
            let log = std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default();
            assert!(
                log.contains("Address already in use") && std::time::Instant::now() < deadline,
                "pg_ctl start failed: {log}"
            );
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
    }

    /// SIGKILL to the postmaster (and so, at once, to every backend): no shutdown checkpoint;
    /// the next start recovers from the WAL.
    fn kill(&self) {
        let pid = std::fs::read_to_string(self.data().join("postmaster.pid")).expect("pid file");
        let pid = pid.lines().next().expect("pid line").trim().to_string();
        assert!(Command::new("kill")
            .args(["-9", &pid])
            .status()
            .expect("kill")
            .success());
        // Backends exit when the postmaster is gone; wait for the port to close.
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(300));
        // What the dead postmaster left (as after a power loss, where /tmp would be empty).
        let _ = std::fs::remove_file(self.data().join("postmaster.pid"));
        let socket = self.dir.path().join(format!(".s.PGSQL.{}", self.port));
        let _ = std::fs::remove_file(socket.with_extension(format!("{}.lock", self.port)));
        let _ = std::fs::remove_file(&socket);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = self
            .as_owner("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Issue 17, point 7: a replica on PostgreSQL, writes streamed at it, PostgreSQL itself killed
/// (SIGKILL) and restarted once during the stream, then the replica SIGKILLed: every write it
/// acknowledged is there once, and it wrote again after PostgreSQL came back.
#[test]
fn acknowledged_writes_survive_sigkill_of_postgresql_and_of_the_replica() {
    let Some(cluster) = PrivateCluster::create() else {
        assert!(
            std::env::var("INCONTRO_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "INCONTRO_PG_BIN is not set (scripts/postgres-test.sh start)"
        );
        println!("skipped acknowledged_writes_survive_sigkill_of_postgresql_and_of_the_replica: no PostgreSQL binaries (scripts/postgres-test.sh start)");
        return;
    };
    let data_dir = tempfile::tempdir().expect("tempdir");
    set_database_for(data_dir.path(), &cluster.url());
    let key = incontro(
        data_dir.path(),
        &[
            "keys", "create", "--role", "desk", "--office", "LU", "--label", "pg",
        ],
    );
    let mut server = start(data_dir.path());
    let stop = Arc::new(AtomicBool::new(false));
    let restarted = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let acked_after_restart = Arc::new(Mutex::new(0usize));
    let mut writers = Vec::new();
    for writer in 0..2 {
        let (stop, restarted, acked, after) = (
            Arc::clone(&stop),
            Arc::clone(&restarted),
            Arc::clone(&acked),
            Arc::clone(&acked_after_restart),
        );
        let (address, key) = (server.address.clone(), key.clone());
        writers.push(std::thread::spawn(move || {
            let mut sequence = 0;
            while !stop.load(Ordering::SeqCst) {
                let id = format!("P{writer}_{sequence}");
                sequence += 1;
                let body = serde_json::to_vec(&vacancy_body(&id)).expect("json");
                match send_raw(
                    &address,
                    "POST",
                    "/v1/vacancies",
                    Some(&key),
                    Some(("application/json", &body)),
                ) {
                    Ok(reply) if reply.status == 201 => {
                        acked.lock().expect("lock").push(id);
                        if restarted.load(Ordering::SeqCst) {
                            *after.lock().expect("lock") += 1;
                        }
                    }
                    // PostgreSQL down: refused, not acknowledged.
                    Ok(reply) => assert!(reply.status >= 500, "{} {:?}", reply.status, reply.body),
                    Err(_) => break, // the replica killed mid-request
                }
            }
        }));
    }
    std::thread::sleep(Duration::from_millis(800));
    cluster.kill();
    std::thread::sleep(Duration::from_millis(300));
    cluster.start();
    restarted.store(true, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(1500));
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reap");
    stop.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.join().expect("writer thread");
    }
    let acked = acked.lock().expect("lock").clone();
    assert!(
        *acked_after_restart.lock().expect("lock") > 0,
        "the replica wrote again after PostgreSQL came back"
    );
    let server = start(data_dir.path());
    for id in &acked {
        let reply = send_raw(
            &server.address,
            "GET",
            &format!("/v1/vacancies/{id}"),
            Some(&key),
            None,
        )
        .expect("transport");
        assert_eq!(reply.status, 200, "acknowledged {id} lost");
    }
    println!(
        "{} writes acknowledged across a PostgreSQL crash and a replica SIGKILL: all present",
        acked.len()
    );
}
