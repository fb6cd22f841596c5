//! The database: a pool, and the migrations (embedded in the binary) applied at start.

use anyhow::Context;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgPool};
use std::time::Duration;

/// The schema, from `migrations/postgres`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// Connects (retrying for a while, as a database that starts beside the server may still be
/// starting) and migrates.
pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    let options = PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        // A connection in steady use is not pinged before each use (a round trip per
        // query otherwise, a third of a dispatch's); one idle for a while is, so a database
        // restarted while the server was quiet costs no request.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_WHEN_IDLE_FOR {
                    conn.ping().await?;
                }
                Ok(true)
            })
        });
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

/// How long a pooled connection may sit unused before it is checked on its next use.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(1);

/// A read-only transaction that sees one snapshot of the database for all its queries
/// (begun in one round trip).
pub async fn snapshot(
    pool: &PgPool,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
    pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .await
}

fn is_transient(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut)
}
