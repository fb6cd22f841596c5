//! What every request handler shares. Nothing here is state of the team's data: two server
//! processes over one database serve the same clients.

use crate::config::{AssetStorage, Limits};
use crate::error::ApiResult;
use crate::metrics::Metrics;
use classkit_generate::Generation;
use classkit_jobs::RedisQueue;
use sqlx::PgPool;
use std::path::PathBuf;
use std::sync::Arc;

/// The server's handles: the database pool, Redis, the job queue, the engines it plans with,
/// the asset folder, limits and metrics.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub redis: redis::Client,
    pub assets: Arc<AssetPlace>,
    pub limits: Limits,
    pub metrics: Arc<Metrics>,
    /// The engines of the team's `engines.toml`, for planning (prices, engine choice).
    pub generation: Arc<Generation>,
    pub queue: Arc<TeamQueue>,
}

/// The team's job queue on Redis, connected on first use.
pub struct TeamQueue {
    pub url: String,
    pub prefix: String,
    pub queue: tokio::sync::OnceCell<RedisQueue>,
}

impl AppState {
    /// The team's job queue (connecting to Redis the first time).
    pub async fn queue(&self) -> ApiResult<RedisQueue> {
        let q = &self.queue;
        q.queue
            .get_or_try_init(|| crate::generation::connect_queue(&q.url, &q.prefix))
            .await
            .cloned()
    }
}

/// Where asset bytes go.
#[derive(Debug)]
pub struct AssetPlace {
    pub storage: AssetStorage,
    /// `<data>/assets`, used when `storage` is files.
    pub dir: PathBuf,
}
