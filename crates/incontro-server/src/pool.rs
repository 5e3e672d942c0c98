//! The bounded pool that runs engine calls off the actix workers.
//!
//! An actix worker must never block: every engine call (SQLite, scoring, index search) goes
//! through [`CpuPool::run`], which waits for one of `pool_size` permits and then runs the call on
//! tokio's blocking threads. The permit is held until the call returns, so at most `pool_size`
//! engine calls run at once whatever the load; the wait and the call together are bounded by the
//! request timeout (503 `request_timeout`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult};

/// A bounded pool for blocking engine calls.
#[derive(Debug, Clone)]
pub struct CpuPool {
    permits: Arc<Semaphore>,
    timeout: Duration,
}

impl CpuPool {
    /// A pool running at most `size` calls at once, each given `timeout` (queueing included).
    pub fn new(size: usize, timeout: Duration) -> Self {
        CpuPool {
            permits: Arc::new(Semaphore::new(size)),
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
        let task = tokio::task::spawn_blocking(move || {
            let outcome = work();
            drop(permit);
            outcome
        });
        match tokio::time::timeout(remaining, task).await {
            Ok(Ok(outcome)) => outcome.map_err(ApiError::from),
            Ok(Err(join_error)) => Err(ApiError::internal(format!(
                "engine call panicked: {join_error}"
            ))),
            Err(_elapsed) => Err(ApiError::timeout()),
        }
    }
}
