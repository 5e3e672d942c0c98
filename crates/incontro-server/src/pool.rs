//! The bounded pool that runs engine calls off the actix workers.
//!
//! An actix worker must never block: every engine call (SQLite, scoring, index search) goes
//! through [`CpuPool::run`], which waits for one of `pool_size` permits and then hands the call to
//! one of `pool_size` long-lived engine threads (`incontro-engine-N`), started with the pool and
//! stopped when it is dropped. The permit is held until the call returns, so at most `pool_size`
//! engine calls run at once whatever the load; the wait and the call together are bounded by the
//! request timeout (503 `request_timeout`).
//!
//! The threads are fixed, not tokio's blocking pool: that pool is one per actix worker (each
//! worker has its own runtime), grew to 23 threads for 4 permits in the soak, and lets a thread go
//! after 10 s idle, so a change in load ended and started threads, each with its own allocator
//! heap (README, "Why RSS grew").

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{oneshot, Semaphore};

use crate::error::{ApiError, ApiResult};

/// A call handed to an engine thread.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// A bounded pool for blocking engine calls.
#[derive(Debug, Clone)]
pub struct CpuPool {
    permits: Arc<Semaphore>,
    jobs: mpsc::Sender<Job>,
    timeout: Duration,
}

impl CpuPool {
    /// A pool of `size` engine threads (at least one) running at most `size` calls at once, each
    /// given `timeout` (queueing included). The threads end once every clone of the pool is
    /// dropped and the calls they were given have returned.
    pub fn new(size: usize, timeout: Duration) -> Self {
        let size = size.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for number in 0..size {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("incontro-engine-{number}"))
                .spawn(move || engine_thread(&queue));
            if let Err(error) = spawned {
                // The pool still works with the threads it has (a call waits for one of them);
                // with none, calls time out with 503.
                tracing::error!(%error, "could not start an engine thread");
            }
        }
        CpuPool {
            permits: Arc::new(Semaphore::new(size)),
            jobs,
            timeout,
        }
    }

    /// Runs `work` on the pool and maps its engine error.
    pub async fn run<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce() -> incontro_core::Result<T> + Send + 'static,
    {
        let started = Instant::now();
        let permit =
            match tokio::time::timeout(self.timeout, Arc::clone(&self.permits).acquire_owned())
                .await
            {
                Ok(Ok(permit)) => permit,
                Ok(Err(_closed)) => return Err(ApiError::internal("cpu pool closed")),
                Err(_elapsed) => return Err(ApiError::timeout()),
            };
        let remaining = self.timeout.saturating_sub(started.elapsed());
        let (done, outcome) = oneshot::channel();
        let job: Job = Box::new(move || {
            let outcome = catch_unwind(AssertUnwindSafe(work));
            drop(permit);
            // The caller may have timed out and gone: nobody left to tell.
            let _ = done.send(outcome);
        });
        if self.jobs.send(job).is_err() {
            return Err(ApiError::internal("cpu pool closed"));
        }
        match tokio::time::timeout(remaining, outcome).await {
            Ok(Ok(Ok(outcome))) => outcome.map_err(ApiError::from),
            Ok(Ok(Err(panic))) => Err(ApiError::internal(format!(
                "engine call panicked: {}",
                panic_message(panic.as_ref())
            ))),
            Ok(Err(_dropped)) => Err(ApiError::internal("engine call was dropped")),
            Err(_elapsed) => Err(ApiError::timeout()),
        }
    }
}

/// An engine thread: runs the calls it is handed until the pool is gone.
fn engine_thread(queue: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        // The lock is held only while waiting for the next call, not while running it.
        let next = queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .recv();
        match next {
            Ok(job) => job(),
            Err(mpsc::RecvError) => return,
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    /// 400 calls from 32 concurrent callers, in two bursts with a pause between: every call runs
    /// on one of the pool's 3 named threads, the same ones in both bursts, never more than 3 at once.
    #[test]
    fn engine_calls_run_on_a_fixed_set_of_named_threads() {
        let pool = CpuPool::new(3, Duration::from_secs(30));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let burst = |pool: &CpuPool| {
            let calls = (0..200).map(|_| {
                let running = Arc::clone(&running);
                let most = Arc::clone(&most);
                pool.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_micros(200));
                    running.fetch_sub(1, Ordering::SeqCst);
                    let thread = std::thread::current();
                    Ok((thread.id(), thread.name().unwrap_or("").to_string()))
                })
            });
            runtime().block_on(futures_util::future::join_all(calls))
        };
        let first: Vec<_> = burst(&pool).into_iter().map(Result::unwrap).collect();
        std::thread::sleep(Duration::from_millis(300));
        let second: Vec<_> = burst(&pool).into_iter().map(Result::unwrap).collect();
        let first_ids: HashSet<_> = first.iter().map(|(id, _)| *id).collect();
        let second_ids: HashSet<_> = second.iter().map(|(id, _)| *id).collect();
        assert!(first_ids.len() <= 3, "{} threads", first_ids.len());
        assert!(
            second_ids.is_subset(&first_ids),
            "the second burst ran on new threads"
        );
        for (_, name) in first.iter().chain(&second) {
            assert!(name.starts_with("incontro-engine-"), "ran on {name:?}");
        }
        assert!(most.load(Ordering::SeqCst) <= 3);
    }

    /// A call that takes longer than the timeout gets 503 `request_timeout`; one waiting for a
    /// permit the whole timeout gets it too; the pool then serves the next call.
    #[test]
    fn a_call_over_the_timeout_gets_request_timeout() {
        let pool = CpuPool::new(1, Duration::from_millis(100));
        let runtime = runtime();
        let (slow, queued) = runtime.block_on(async {
            let slow = pool.run(|| {
                std::thread::sleep(Duration::from_millis(400));
                Ok(1)
            });
            let queued = pool.run(|| Ok(2));
            futures_util::future::join(slow, queued).await
        });
        for outcome in [slow, queued] {
            let error = outcome.unwrap_err();
            assert_eq!(error.code(), incontro_core::ErrorCode::RequestTimeout);
        }
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(runtime.block_on(pool.run(|| Ok(3))).unwrap(), 3);
    }

    /// A panicking call is a 500 for its caller; the thread survives and serves the next call.
    #[test]
    fn a_panicking_call_leaves_its_thread_serving() {
        let pool = CpuPool::new(1, Duration::from_secs(5));
        let runtime = runtime();
        let before = runtime
            .block_on(pool.run(|| Ok(std::thread::current().id())))
            .unwrap();
        let panicked = runtime.block_on(pool.run(|| -> incontro_core::Result<()> {
            panic!("boom");
        }));
        assert_eq!(
            panicked.unwrap_err().code(),
            incontro_core::ErrorCode::Internal
        );
        let after = runtime
            .block_on(pool.run(|| Ok(std::thread::current().id())))
            .unwrap();
        assert_eq!(before, after);
    }
}
