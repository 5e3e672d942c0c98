//! The application state shared by every handler.

use std::sync::Arc;

use incontro_core::Engine;

use crate::config::ServerConfig;
use crate::error::ApiResult;
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
}
