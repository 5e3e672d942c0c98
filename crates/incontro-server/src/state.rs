//! The application state shared by every handler.

use std::sync::Arc;

use incontro_core::access::AuditReceipt;
use incontro_core::Engine;

use crate::config::ServerConfig;
use crate::error::{ApiError, ApiResult};
use crate::metrics::Metrics;
use crate::pool::CpuPool;

/// Engine, pool, limits and metrics.
#[derive(Debug)]
pub struct AppState {
    /// The engine.
    pub engine: Arc<Engine>,
    /// The bounded pool for engine calls.
    pub pool: CpuPool,
    /// The configuration (limits).
    pub config: ServerConfig,
    /// Request metrics.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// Runs `work` with the engine on the bounded pool.
    pub async fn call<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Engine) -> incontro_core::Result<T> + Send + 'static,
    {
        let engine = Arc::clone(&self.engine);
        self.pool.run(move || work(&engine)).await
    }

    /// Like [`AppState::call`] for work that reads or writes a person's data: `work` submits
    /// its audit rows ([`Engine::submit_audit`]) and returns the receipt with its value. The
    /// receipt is awaited after the pool slot is given back, so the group commit's fsync never
    /// holds a CPU slot, and the value is returned only once the audit rows are durable.
    pub async fn call_audited<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Engine) -> incontro_core::Result<(T, AuditReceipt)> + Send + 'static,
    {
        let (value, receipt) = self.call(work).await?;
        let limit = std::time::Duration::from_millis(self.config.request_timeout_ms);
        match tokio::time::timeout(limit, receipt.committed()).await {
            Ok(committed) => committed.map_err(ApiError::from)?,
            Err(_elapsed) => return Err(ApiError::timeout()),
        }
        Ok(value)
    }

    /// Like [`AppState::call_audited`] for work that serves a ranking: `work` submits its audit
    /// rows with the ranking log row ([`Engine::submit_audit_and_ranking`]); the value comes
    /// back with the log id once both are durable.
    pub async fn call_ranked<T, F>(&self, work: F) -> ApiResult<(T, Option<i64>)>
    where
        T: Send + 'static,
        F: FnOnce(&Engine) -> incontro_core::Result<(T, AuditReceipt)> + Send + 'static,
    {
        let (value, receipt) = self.call(work).await?;
        let limit = std::time::Duration::from_millis(self.config.request_timeout_ms);
        match tokio::time::timeout(limit, receipt.committed_log_id()).await {
            Ok(committed) => Ok((value, committed.map_err(ApiError::from)?)),
            Err(_elapsed) => Err(ApiError::timeout()),
        }
    }
}

/// The response header carrying the ranking log id of a ranking served (`incontro explain
/// --log-id N` reproduces it).
pub const RANKING_LOG_HEADER: &str = "x-ranking-log-id";
