//! The local library: a SQLite database (WAL, foreign keys on) plus a folder of assets.
//!
//! Every save is one transaction that writes the entity, a revision row holding the new
//! version in full (so every earlier version stays restorable) and an outbox row for sync.
//!
//! ## Queries: checked by the tests, not by `query!`
//!
//! The conventions prefer `sqlx::query!` with `.sqlx` offline data. This SQLite store (and the
//! local job queue, `classkit_jobs::LocalQueue`) keeps run-time queries, for reasons that hold
//! for SQLite and not for PostgreSQL, where the macros should be used:
//!
//! - SQLite is dynamically typed. The macros learn a result column's type only when it comes
//!   straight from a table column, and its nullability from a walk of `EXPLAIN` that loses
//!   `NOT NULL` when rows pass through a sorter (`ORDER BY`, `LIMIT`; sqlx issues 1126 and
//!   4147, open). Most reads here are lists in position order and pages of history, so most
//!   columns would need an override (`"title!: String"`): an assertion the macro takes on
//!   trust, so that the check would be weakest exactly where the reads are.
//! - Ids and times are stored as text (UUID strings, RFC 3339). Every row is read through
//!   `rows.rs`, which says a damaged value as [`StoreError::Corrupt`] (`library_damaged`, with
//!   the value) instead of a decoding error from deep inside sqlx.
//! - What the macros would check (that each statement prepares against the schema, with the
//!   columns it names) is checked by running them: the crate's tests and the app's run the
//!   store's statements against a library created by the real migrations, in CI.

#[macro_use]
mod rows;
mod assets;
mod bulk;
mod components;
mod courses;
mod error;
mod generated;
mod history;
mod placement;
mod spending;
mod team;
mod write;

pub use assets::{AssetInfo, AssetLimits, MEDIA_TYPES, StagedAsset, is_media_type};
pub use components::{DraftOutcome, Edited, IfInvalid, NewComponent};
pub use courses::{CourseExtras, CourseSummary, NewSlide, SlideEdit, TreeChange};
pub use error::{Result, StoreError};
pub use generated::{Drafted, Generated};
pub use history::{OutboxEntry, Restored, Revision, Saved, Saving};
pub use spending::{BudgetScope, month_of};
pub use team::{Keep, RemoteSetting, TeamLink};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// File name of the database inside a library folder.
pub const DATABASE_FILE: &str = "library.sqlite";

/// The file a process holds an advisory lock on while it opens and migrates the library.
const OPEN_LOCK_FILE: &str = "library.open-lock";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");

/// The file every process holds a shared lock on while it has the library open, so that no
/// one removes a library someone is using (see [`Store::remove_unused`]).
const IN_USE_FILE: &str = "library.in-use";

/// The names the library keeps in its folder, besides the queue's and the engines' own.
pub const LIBRARY_FILES: [&str; 6] = [
    DATABASE_FILE,
    "library.sqlite-wal",
    "library.sqlite-shm",
    OPEN_LOCK_FILE,
    IN_USE_FILE,
    "assets",
];

/// True when no one has saved anything in a library and nothing was spent in it.
const HOLDS_NOTHING: &str =
    "SELECT NOT EXISTS (SELECT 1 FROM revisions) AND NOT EXISTS (SELECT 1 FROM spending)";

/// An open library.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    dir: PathBuf,
    limits: AssetLimits,
    /// Shared-locked for as long as any clone of this store lives.
    _in_use: std::sync::Arc<std::fs::File>,
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
        std::fs::create_dir_all(dir).map_err(|e| open_err(Box::new(e)))?;
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
        let in_use_path = dir.join(IN_USE_FILE);
        let assets_dir = dir.join("assets");
        let (lock, in_use) = tokio::task::spawn_blocking(move || {
            let lock = locked(&lock_path, false)?;
            let in_use = locked(&in_use_path, true)?;
            // (After the locks: a failed import removing a library it made holds them.)
            std::fs::create_dir_all(&assets_dir)?;
            sweep_incoming(&assets_dir);
            Ok::<_, std::io::Error>((lock, in_use))
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
            _in_use: std::sync::Arc::new(in_use),
        };
        store.migrate().await?;
        store.strip_nul_characters().await?;
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

    /// Removes the NUL characters that text took in before they were refused everywhere
    /// (`classkit_model::fields`): once per library, in one transaction, from courses,
    /// lessons and slides, component payloads, revisions and the outbox, so everything
    /// stored can be restored, exported and synced. (SQLite's replace() stops at a NUL, so
    /// this is not a migration.)
    async fn strip_nul_characters(&self) -> Result<()> {
        const REPAIR: &str = "strip-nul-characters";
        let done: Option<i64> = sqlx::query_scalar("SELECT 1 FROM repairs WHERE name = ?")
            .bind(REPAIR)
            .fetch_optional(&self.pool)
            .await?;
        if done.is_some() {
            return Ok(());
        }
        let mut tx = self.write().await?;
        let text_columns: [(&str, &[&str]); 3] = [
            ("courses", &["title", "description"]),
            ("lessons", &["title"]),
            (
                "slides",
                &["title", "body", "speaker_notes", "instructor_notes"],
            ),
        ];
        for (table, columns) in text_columns {
            for column in columns {
                let rows: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT id, {column} FROM {table} WHERE instr(CAST({column} AS BLOB), x'00') > 0"
                )))
                .fetch_all(&mut *tx)
                .await?;
                for (id, text) in rows {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "UPDATE {table} SET {column} = ? WHERE id = ?"
                    )))
                    .bind(text.replace('\0', ""))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        // JSON holds a NUL as the escape \u0000: read, cleaned and written back as JSON
        // (rows are found by their primary key, `rowid`).
        for (table, column) in [
            ("components", "payload"),
            ("revisions", "data"),
            ("outbox", "data"),
        ] {
            let rows: Vec<(i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT rowid, {column} FROM {table} WHERE instr({column}, '\\u0000') > 0"
            )))
            .fetch_all(&mut *tx)
            .await?;
            for (rowid, text) in rows {
                let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&text) else {
                    continue;
                };
                strip_nul(&mut value);
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE {table} SET {column} = ? WHERE rowid = ?"
                )))
                .bind(value.to_string())
                .bind(rowid)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("INSERT INTO repairs (name, done_at) VALUES (?, ?)")
            .bind(REPAIR)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
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

    /// True when no one has saved anything in the library and nothing was spent in it.
    pub async fn holds_nothing(&self) -> Result<bool> {
        Ok(sqlx::query_scalar(HOLDS_NOTHING)
            .fetch_one(&self.pool)
            .await?)
    }

    /// Removes `names` from the library folder `dir` when no process has the library open
    /// (this one's stores must be dropped first) and nothing was saved or spent in it; returns
    /// false, removing nothing, otherwise. The check is made again while holding the lock
    /// that every open takes, so no one can save in between.
    pub async fn remove_unused(dir: &Path, names: &[std::ffi::OsString]) -> Result<bool> {
        let io = |source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let in_use = std::fs::File::options()
            .read(true)
            .write(true)
            .open(dir.join(IN_USE_FILE))
            .map_err(io)?;
        if in_use.try_lock().is_err() {
            return Ok(false);
        }
        let options = SqliteConnectOptions::new()
            .filename(dir.join(DATABASE_FILE))
            .read_only(true);
        let empty = match <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&options).await
        {
            Ok(mut conn) => {
                let empty: bool = sqlx::query_scalar(HOLDS_NOTHING)
                    .fetch_one(&mut conn)
                    .await
                    .unwrap_or(false);
                let _ = sqlx::Connection::close(conn).await;
                empty
            }
            Err(_) => false,
        };
        if !empty {
            return Ok(false);
        }
        for name in names {
            let path = dir.join(name);
            let removed = match path.is_dir() {
                true => std::fs::remove_dir_all(&path),
                false => std::fs::remove_file(&path),
            };
            if let Err(e) = removed
                && e.kind() != std::io::ErrorKind::NotFound
            {
                return Err(io(e));
            }
        }
        drop(in_use);
        Ok(true)
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

/// The lock file at `path`, created when missing and locked (shared or exclusive, waiting
/// for it). Should the file have been removed while this waited (a failed import taking back
/// the library it made), the lock is taken again on the file now at `path`, so that a lock
/// always guards the file others open.
fn locked(path: &Path, shared: bool) -> std::io::Result<std::fs::File> {
    loop {
        // Read and write: a shared lock needs a readable handle on some file systems (NFS).
        let file = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        match shared {
            true => file.lock_shared()?,
            false => file.lock()?,
        }
        if same_file(&file, path) {
            return Ok(file);
        }
    }
}

#[cfg(unix)]
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::File, path: &Path) -> bool {
    path.exists()
}

/// Removes the files of imports that a crash ended before they finished (`.incoming-*` in
/// `assets/`, a day old: an import going on now in another process keeps its own).
fn sweep_incoming(assets: &Path) {
    let day = Duration::from_secs(24 * 60 * 60);
    for entry in std::fs::read_dir(assets).into_iter().flatten().flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > day));
        if stale
            && entry
                .file_name()
                .to_string_lossy()
                .starts_with(".incoming-")
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Removes NUL characters from every string (and key) of a JSON value.
fn strip_nul(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) if s.contains('\0') => *s = s.replace('\0', ""),
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nul),
        serde_json::Value::Object(map) => {
            let entries = std::mem::take(map);
            for (key, mut item) in entries {
                strip_nul(&mut item);
                map.insert(key.replace('\0', ""), item);
            }
        }
        _ => {}
    }
}

/// Now, to the microsecond (what PostgreSQL keeps, so synced times compare equal).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}
