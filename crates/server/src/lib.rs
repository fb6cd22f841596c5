//! The ClassKit Studio team server: courses in PostgreSQL, synced with instructors' apps.
//!
//! - [`api`]: the router, its layers and the generated OpenAPI document.
//! - [`auth`]: tokens (only their hashes stored) and course membership on every route.
//! - [`push`] and [`pull`]: the sync protocol's server side (field-level merge, conflicts
//!   kept, change log by cursor).
//! - [`entities`]: the course tree's tables; [`validate`]: the rules pushed states keep.
//! - [`admin`]: the admin's command line against the database.
//!
//! A process holds no team data of its own: any number of them over one database serve the
//! same clients.

pub mod admin;
pub mod api;
pub mod auth;
pub mod config;
pub mod db;
pub mod entities;
pub mod error;
pub mod extract;
pub mod generation;
pub mod metrics;
pub mod outputs;
pub mod pull;
pub mod push;
pub mod routes;
pub mod state;
pub mod team_workspace;
pub mod validate;

use anyhow::Context;
use config::{AssetStorage, ServeConfig};
use state::{AppState, AssetPlace};
use std::sync::Arc;
use tokio::net::TcpListener;

/// Prepares everything `serve` needs: the database (migrated), Redis's client, the data
/// folder.
pub async fn state(config: &ServeConfig) -> anyhow::Result<AppState> {
    let pool = db::connect(&config.database_url, config.limits.max_connections).await?;
    let redis = redis::Client::open(config.redis_url.as_str())
        .with_context(|| "the Redis URL cannot be used (expected redis://host:port/)")?;
    let dir = config.data.join("assets");
    if config.asset_storage == AssetStorage::Files {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create the asset folder {}", dir.display()))?;
    }
    Ok(AppState {
        pool,
        redis,
        assets: Arc::new(AssetPlace {
            storage: config.asset_storage,
            dir,
        }),
        limits: config.limits,
        metrics: Arc::new(metrics::Metrics::default()),
        generation: Arc::new(generation::engines(
            config.engines.as_deref(),
            &config.data.join("cache"),
        )?),
        queue: Arc::new(state::TeamQueue {
            url: config.redis_url.clone(),
            prefix: config.queue_prefix.clone(),
            queue: tokio::sync::OnceCell::new(),
        }),
    })
}

/// Serves until `shutdown` completes; requests in flight then finish before it returns.
pub async fn serve(
    config: ServeConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let state = state(&config).await?;
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let local = listener.local_addr()?;
    tracing::info!(listen = %local, "classkit-server serving");
    let pool = state.pool.clone();
    axum::serve(listener, api::router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .context("the server stopped with an error")?;
    pool.close().await;
    tracing::info!("classkit-server stopped");
    Ok(())
}
