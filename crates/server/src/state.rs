//! What every request handler shares. Nothing here is state of the team's data: two server
//! processes over one database serve the same clients.

use crate::config::{AssetStorage, Limits};
use crate::metrics::Metrics;
use sqlx::PgPool;
use std::path::PathBuf;
use std::sync::Arc;

/// The server's handles: the database pool, Redis, the asset folder, limits and metrics.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub redis: redis::Client,
    pub assets: Arc<AssetPlace>,
    pub limits: Limits,
    pub metrics: Arc<Metrics>,
}

/// Where asset bytes go.
#[derive(Debug)]
pub struct AssetPlace {
    pub storage: AssetStorage,
    /// `<data>/assets`, used when `storage` is files.
    pub dir: PathBuf,
}
