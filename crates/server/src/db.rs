//! The database: a pool, and the migrations (embedded in the binary) applied at start.

use anyhow::Context;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use std::time::Duration;

/// The schema, from `migrations/postgres`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// Connects (retrying for a while, as a database that starts beside the server may still be
/// starting) and migrates.
pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    let options = PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10));
    let mut delay = Duration::from_millis(200);
    let started = std::time::Instant::now();
    let pool = loop {
        match options.clone().connect(url).await {
            Ok(pool) => break pool,
            Err(e) if started.elapsed() < Duration::from_secs(30) && is_transient(&e) => {
                tracing::warn!(error = %e, "database not reachable yet; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(3));
            }
            Err(e) => {
                return Err(e).context("cannot connect to the database (check --database-url)");
            }
        }
    };
    MIGRATOR
        .run(&pool)
        .await
        .context("cannot bring the database's schema up to date")?;
    Ok(pool)
}

fn is_transient(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut)
}
