//! The local library: a SQLite database (WAL, foreign keys on) plus a folder of assets.
//!
//! Every save is one transaction that writes the entity, a revision row holding the new
//! version in full (so every earlier version stays restorable) and an outbox row for sync.

#[macro_use]
mod rows;
mod assets;
mod components;
mod courses;
mod error;
mod generated;
mod history;
mod spending;

pub use assets::{AssetInfo, AssetLimits, MEDIA_TYPES, StagedAsset, is_media_type};
pub use components::{DraftOutcome, NewComponent};
pub use courses::{CourseExtras, CourseSummary, NewSlide, SlideEdit, TreeChange};
pub use error::{Result, StoreError};
pub use generated::{Drafted, Generated};
pub use history::{OutboxEntry, Restored, Revision, Saved};
pub use spending::{BudgetScope, month_of};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// File name of the database inside a library folder.
pub const DATABASE_FILE: &str = "library.sqlite";

/// The file a process holds an advisory lock on while it opens and migrates the library.
const OPEN_LOCK_FILE: &str = "library.open-lock";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");

/// An open library.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    dir: PathBuf,
    limits: AssetLimits,
}

impl Store {
    /// Opens the library in `dir`, creating it (and the folder) when missing and applying
    /// any pending migrations. Several processes may open the same library at once: SQLite's
    /// locking serialises their writes, and a writer waits up to 10 s for another's to finish.
    pub async fn open(dir: &Path) -> Result<Self> {
        let open_err = |source: Box<dyn std::error::Error + Send + Sync>| StoreError::Open {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir.join("assets")).map_err(|e| open_err(Box::new(e)))?;
        let options = SqliteConnectOptions::new()
            .filename(dir.join(DATABASE_FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit that returned survives a crash of the process and of the machine.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // Processes creating a new library at once race to switch it to WAL, and SQLite
        // answers the loser SQLITE_BUSY without waiting; an advisory lock held while opening
        // and migrating makes them take turns. The OS releases it if the process dies.
        let lock_path = dir.join(OPEN_LOCK_FILE);
        // (Waiting for the lock blocks, so not on the async runtime's own threads.)
        let lock = tokio::task::spawn_blocking(move || {
            std::fs::File::create(lock_path).and_then(|file| file.lock().map(|()| file))
        })
        .await
        .map_err(std::io::Error::other)
        .and_then(|locked| locked)
        .map_err(|e| open_err(Box::new(e)))?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .after_release(|conn, _| Box::pin(reusable(conn)))
            .connect_with(options)
            .await
            .map_err(|e| open_err(Box::new(e)))?;
        let store = Self {
            pool,
            dir: dir.to_path_buf(),
            limits: AssetLimits::default(),
        };
        store.migrate().await?;
        drop(lock);
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        // A library written by a newer version has migrations this build does not know.
        let newest_known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let has_table: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = '_sqlx_migrations')",
        )
        .fetch_one(&self.pool)
        .await?;
        let applied: Option<i64> = if has_table {
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
                .fetch_one(&self.pool)
                .await?
        } else {
            None
        };
        if let Some(found) = applied.filter(|v| *v > newest_known) {
            return Err(StoreError::NewerLibrary {
                path: self.dir.clone(),
                found,
            });
        }
        // Two processes opening a new library at once both try to create it; the one that
        // loses the race finds the work done when it tries again.
        let mut attempt = 0;
        loop {
            match MIGRATOR.run(&self.pool).await {
                Ok(()) => return Ok(()),
                Err(_) if attempt < 5 => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
                }
                Err(e) => {
                    return Err(StoreError::Open {
                        path: self.dir.clone(),
                        source: Box::new(e),
                    });
                }
            }
        }
    }

    /// The asset limits in force.
    pub fn limits(&self) -> AssetLimits {
        self.limits
    }

    /// The same library with other asset limits.
    pub fn with_limits(mut self, limits: AssetLimits) -> Self {
        self.limits = limits;
        self
    }

    /// The library folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs SQLite's `PRAGMA integrity_check`; `"ok"` when the database is sound.
    pub async fn integrity_check(&self) -> Result<String> {
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.join("\n"))
    }

    /// Closes every connection, checkpointing the write-ahead log.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Starts a write transaction that holds the write lock from its first statement, so a
    /// read-check-write inside it cannot interleave with another process's write.
    async fn write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

/// Whether a connection given back to the pool may be used again. A COMMIT or ROLLBACK that
/// failed (the disk was full) leaves sqlx counting the connection as inside a transaction,
/// and every later `BEGIN` on it would fail, so such a connection is closed instead. The
/// ping waits for the rollback that dropping a transaction starts.
async fn reusable(conn: &mut sqlx::SqliteConnection) -> sqlx::Result<bool> {
    use sqlx::Connection;
    conn.ping().await?;
    Ok(!conn.is_in_transaction())
}

/// Now, to the microsecond (what PostgreSQL keeps, so synced times compare equal).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}
