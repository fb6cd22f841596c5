//! `LocalQueue`: the job queue on SQLite, the app's embedded default (no server needed).
//!
//! Every state change is one `BEGIN IMMEDIATE` transaction, so several processes (the app and
//! the CLI) can share one queue file. The database runs in WAL mode with `synchronous=NORMAL`:
//! a job whose enqueue returned survives the crash of any process; only a power loss can take
//! back the last moments of changes.
//!
//! Its queries are run-time queries, checked by the conformance suite against the migrated
//! schema rather than by `sqlx::query!`: SQLite's dynamic typing defeats the macros' inference
//! (the reasons are at the top of `classkit_store`'s documentation).

use crate::backoff::{RetryDecision, RetryPolicy};
use crate::batch::{BatchResult, Batcher};
use crate::job::{
    EngineLimits, ErrorClass, Job, JobError, JobEvent, JobFilter, JobSpec, JobState, Lease,
    StateCounts,
};
use crate::queue::{Enqueued, NextJobs, Queue, QueueError, QueueResult};
use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, broadcast};
use uuid::Uuid;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/jobs-sqlite");

/// File name of the queue inside a library folder.
pub const QUEUE_FILE: &str = "jobs.sqlite";

/// The file a process holds an advisory lock on while it opens and migrates the queue.
const OPEN_LOCK_FILE: &str = "jobs.open-lock";

/// The names the queue keeps in the library folder.
pub const QUEUE_FILES: [&str; 4] = [
    QUEUE_FILE,
    "jobs.sqlite-wal",
    "jobs.sqlite-shm",
    OPEN_LOCK_FILE,
];

/// The job queue of one library, on SQLite.
#[derive(Debug, Clone)]
pub struct LocalQueue {
    pool: SqlitePool,
    /// Writers of this process take turns here rather than in SQLite's busy handler, which
    /// sleeps; other processes still wait for each other through SQLite's lock.
    writer: Arc<tokio::sync::Mutex<()>>,
    policy: RetryPolicy,
    events: broadcast::Sender<JobEvent>,
    work: Arc<Notify>,
    /// Concurrent enqueues and completions share one transaction (group commit, see `batch`).
    enqueues: Batcher<(JobSpec, String), Enqueued>,
    completions: Batcher<Completion, Job>,
}

/// Most jobs one statement takes (SQLite allows 32,766 bound values).
const BATCH_MAX: usize = 256;

/// A success to record.
struct Completion {
    id: Uuid,
    token: Uuid,
    result: String,
    actual_cost_micros: Option<i64>,
}

/// `(?, ?, …), (?, ?, …), …`: `rows` groups of `columns` placeholders.
fn value_rows(rows: usize, columns: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    vec![row; rows].join(", ")
}

/// A write transaction holding this process's writer turn until it ends.
struct Write {
    tx: Transaction<'static, Sqlite>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl std::ops::Deref for Write {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Write {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl Write {
    async fn commit(self) -> QueueResult<()> {
        Ok(self.tx.commit().await?)
    }
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.and_then(|ms| Utc.timestamp_millis_opt(ms).single())
}

fn corrupt(what: impl std::fmt::Display) -> QueueError {
    QueueError::Corrupt(what.to_string())
}

fn job_from_row(row: &SqliteRow) -> QueueResult<Job> {
    let id: String = row.try_get("id")?;
    let target: Option<String> = row.try_get("target")?;
    let input: String = row.try_get("input")?;
    let state: String = row.try_get("state")?;
    let last_error: Option<String> = row.try_get("last_error")?;
    let result: Option<String> = row.try_get("result")?;
    let created: i64 = row.try_get("created_at")?;
    let course: Option<String> = row.try_get("course_id")?;
    let updated: i64 = row.try_get("updated_at")?;
    Ok(Job {
        id: Uuid::parse_str(&id).map_err(corrupt)?,
        kind: row.try_get("kind")?,
        target: target
            .map(|t| Uuid::parse_str(&t))
            .transpose()
            .map_err(corrupt)?,
        input: serde_json::from_str(&input).map_err(corrupt)?,
        engine: row.try_get("engine")?,
        priority: row.try_get("priority")?,
        dedup_key: row.try_get("dedup_key")?,
        state: state.parse().map_err(corrupt)?,
        attempts: row.try_get::<i64, _>("attempts")? as u32,
        max_attempts: row.try_get::<i64, _>("max_attempts")? as u32,
        progress: row.try_get::<i64, _>("progress")?.clamp(0, 100) as u8,
        progress_message: row.try_get("progress_message")?,
        last_error: last_error
            .map(|e| serde_json::from_str(&e))
            .transpose()
            .map_err(corrupt)?,
        result: result
            .map(|r| serde_json::from_str(&r))
            .transpose()
            .map_err(corrupt)?,
        estimated_cost_micros: row.try_get("estimated_cost_micros")?,
        actual_cost_micros: row.try_get("actual_cost_micros")?,
        created_at: time(Some(created)).ok_or_else(|| corrupt("created_at"))?,
        updated_at: time(Some(updated)).ok_or_else(|| corrupt("updated_at"))?,
        run_at: time(row.try_get("run_at")?),
        started_at: time(row.try_get("started_at")?),
        finished_at: time(row.try_get("finished_at")?),
        lease_until: time(row.try_get("lease_until")?),
        course_id: course
            .map(|c| Uuid::parse_str(&c))
            .transpose()
            .map_err(corrupt)?,
        requested_by: row.try_get("requested_by")?,
        worker_id: row.try_get("worker_id")?,
    })
}

async fn load(tx: &mut sqlx::SqliteConnection, id: Uuid) -> QueueResult<Job> {
    let row = sqlx::query("SELECT * FROM jobs WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(QueueError::NotFound(id))?;
    job_from_row(&row)
}

fn json_text(value: &impl serde::Serialize) -> QueueResult<String> {
    serde_json::to_string(value).map_err(|e| QueueError::InvalidSpec(e.to_string()))
}

/// Creates a batch of jobs in one transaction. Jobs are taken in order, so a later job with
/// the same dedup key as an earlier one of the batch gets the earlier one.
async fn enqueue_batch(pool: &SqlitePool, jobs: Vec<(JobSpec, String)>) -> BatchResult<Enqueued> {
    // Dedup checks and inserts must be one transaction; plain inserts are one statement.
    let mut tx = match jobs.iter().any(|(spec, _)| spec.dedup_key.is_some()) {
        true => Some(pool.begin_with("BEGIN IMMEDIATE").await?),
        false => None,
    };
    let mut results: Vec<Option<Enqueued>> = vec![None; jobs.len()];
    // Jobs that repeat the dedup key of an earlier job of the batch: index of that job.
    let mut repeats: Vec<(usize, usize)> = Vec::new();
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    let mut new = Vec::new();
    for (i, (spec, _)) in jobs.iter().enumerate() {
        let Some(key) = spec.dedup_key.as_deref() else {
            new.push(i);
            continue;
        };
        if let Some(&first) = by_key.get(key) {
            repeats.push((i, first));
            continue;
        }
        by_key.insert(key, i);
        let Some(tx) = tx.as_mut() else {
            return Err(corrupt("a dedup key outside a transaction"));
        };
        let existing = sqlx::query(
            "SELECT * FROM jobs WHERE dedup_key = ? AND state NOT IN ('dead', 'cancelled')",
        )
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
        match existing {
            Some(row) => {
                results[i] = Some(Enqueued {
                    job: job_from_row(&row)?,
                    created: false,
                })
            }
            None => new.push(i),
        }
    }
    if !new.is_empty() {
        let now = now_ms();
        // The next sequence numbers are taken in the same statement: (SELECT MAX) is read
        // before any row goes in.
        let sql = format!(
            "INSERT INTO jobs (id, seq, kind, target, input, engine, priority, dedup_key, state, \
             attempts, max_attempts, estimated_cost_micros, course_id, requested_by, created_at, \
             updated_at) \
             SELECT v.column1, m.base + v.column2, v.column3, v.column4, v.column5, v.column6, \
                    v.column7, v.column8, 'queued', 0, v.column9, v.column10, v.column11, \
                    v.column12, ?, ? \
             FROM (VALUES {}) AS v, (SELECT COALESCE(MAX(seq), 0) AS base FROM jobs) AS m \
             RETURNING *",
            value_rows(new.len(), 12)
        );
        let mut insert = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now).bind(now);
        let mut ids = Vec::with_capacity(new.len());
        for (n, &i) in new.iter().enumerate() {
            let (spec, input) = &jobs[i];
            let id = Uuid::now_v7();
            ids.push(id);
            insert = insert
                .bind(id.to_string())
                .bind(1 + n as i64)
                .bind(&spec.kind)
                .bind(spec.target.map(|t| t.to_string()))
                .bind(input)
                .bind(&spec.engine)
                .bind(spec.priority)
                .bind(&spec.dedup_key)
                .bind(spec.max_attempts as i64)
                .bind(spec.estimated_cost_micros)
                .bind(spec.course_id.map(|c| c.to_string()))
                .bind(&spec.requested_by);
        }
        let rows = match tx.as_mut() {
            Some(tx) => insert.fetch_all(&mut **tx).await?,
            None => insert.fetch_all(pool).await?,
        };
        let mut inserted: HashMap<Uuid, Job> = HashMap::new();
        for row in rows {
            let job = job_from_row(&row)?;
            inserted.insert(job.id, job);
        }
        for (&i, id) in new.iter().zip(ids) {
            let job = inserted
                .remove(&id)
                .ok_or_else(|| corrupt("an inserted job was not returned"))?;
            results[i] = Some(Enqueued { job, created: true });
        }
    }
    if let Some(tx) = tx {
        tx.commit().await?;
    }
    for (i, first) in repeats {
        results[i] = results[first].as_ref().map(|e| Enqueued {
            job: e.job.clone(),
            created: false,
        });
    }
    Ok(results
        .into_iter()
        .map(|r| r.ok_or_else(|| corrupt("a job of the batch got no answer")))
        .collect())
}

/// Records a batch of successes with one statement; a job whose lease is lost gets
/// `LeaseLost`.
async fn complete_batch(pool: &SqlitePool, done: Vec<Completion>) -> BatchResult<Job> {
    let now = now_ms();
    let sql = format!(
        "UPDATE jobs SET state = 'succeeded', result = v.result, actual_cost_micros = v.cost, \
         progress = 100, finished_at = ?, updated_at = ?, lease_until = NULL, \
         lease_token = NULL, run_at = NULL \
         FROM (SELECT column1 AS id, column2 AS token, column3 AS result, column4 AS cost \
               FROM (VALUES {})) AS v \
         WHERE jobs.id = v.id AND jobs.lease_token = v.token AND jobs.state = 'running' \
         RETURNING *",
        value_rows(done.len(), 4)
    );
    let mut update = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now).bind(now);
    for c in &done {
        update = update
            .bind(c.id.to_string())
            .bind(c.token.to_string())
            .bind(&c.result)
            .bind(c.actual_cost_micros);
    }
    let mut finished: HashMap<Uuid, Job> = HashMap::new();
    for row in update.fetch_all(pool).await? {
        let job = job_from_row(&row)?;
        finished.insert(job.id, job);
    }
    Ok(done
        .iter()
        .map(|c| finished.remove(&c.id).ok_or(QueueError::LeaseLost(c.id)))
        .collect())
}

/// Whether a connection given back to the pool may be used again: not when a failed COMMIT
/// or ROLLBACK (a full disk) has left sqlx counting it as inside a transaction, where every
/// later `BEGIN` on it would fail. The ping waits for the rollback that dropping a
/// transaction starts.
async fn discard_if_in_transaction(conn: &mut sqlx::SqliteConnection) -> sqlx::Result<bool> {
    use sqlx::Connection;
    conn.ping().await?;
    Ok(!conn.is_in_transaction())
}

/// Refuses a queue that a newer version has migrated (this build lacks its migrations).
async fn refuse_newer(pool: &SqlitePool, path: &Path) -> QueueResult<()> {
    let newest_known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    let migrated: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = '_sqlx_migrations')",
    )
    .fetch_one(pool)
    .await?;
    if !migrated {
        return Ok(());
    }
    let found: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
            .fetch_one(pool)
            .await?;
    match found.filter(|v| *v > newest_known) {
        Some(found) => Err(QueueError::NewerQueue {
            path: path.to_path_buf(),
            found,
        }),
        None => Ok(()),
    }
}

impl LocalQueue {
    /// Opens (or creates) the queue in the library folder `dir`.
    pub async fn open(dir: &Path) -> QueueResult<Self> {
        std::fs::create_dir_all(dir).map_err(|e| QueueError::Sqlite(sqlx::Error::Io(e)))?;
        let options = SqliteConnectOptions::new()
            .filename(dir.join(QUEUE_FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10));
        // As for the library: processes creating the queue at once take turns, or the loser
        // of the race to switch it to WAL is answered SQLITE_BUSY without waiting.
        let lock_path = dir.join(OPEN_LOCK_FILE);
        // (Waiting for the lock blocks, so not on the async runtime's own threads.)
        let lock = tokio::task::spawn_blocking(move || {
            std::fs::File::create(lock_path).and_then(|file| file.lock().map(|()| file))
        })
        .await
        .map_err(std::io::Error::other)
        .and_then(|locked| locked)
        .map_err(|e| QueueError::Sqlite(sqlx::Error::Io(e)))?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .after_release(|conn, _| Box::pin(discard_if_in_transaction(conn)))
            .connect_with(options)
            .await?;
        refuse_newer(&pool, &dir.join(QUEUE_FILE)).await?;
        MIGRATOR.run(&pool).await?;
        drop(lock);
        let (events, _) = broadcast::channel(4096);
        let writer = Arc::new(tokio::sync::Mutex::new(()));
        let work = Arc::new(Notify::new());
        let enqueues = {
            let (pool, writer, events, work) =
                (pool.clone(), writer.clone(), events.clone(), work.clone());
            Batcher::start(
                BATCH_MAX,
                Arc::new(move |jobs| {
                    let (pool, writer, events, work) =
                        (pool.clone(), writer.clone(), events.clone(), work.clone());
                    Box::pin(async move {
                        let turn = writer.lock_owned().await;
                        let results = enqueue_batch(&pool, jobs).await;
                        drop(turn);
                        if let Ok(results) = &results {
                            for done in results.iter().flatten().filter(|e| e.created) {
                                let _ = events.send(JobEvent::of(&done.job));
                            }
                            work.notify_waiters();
                        }
                        results
                    })
                }),
            )
        };
        let completions = {
            let (pool, writer, events) = (pool.clone(), writer.clone(), events.clone());
            Batcher::start(
                BATCH_MAX,
                Arc::new(move |done| {
                    let (pool, writer, events) = (pool.clone(), writer.clone(), events.clone());
                    Box::pin(async move {
                        let turn = writer.lock_owned().await;
                        let results = complete_batch(&pool, done).await;
                        drop(turn);
                        if let Ok(results) = &results {
                            for job in results.iter().flatten() {
                                let _ = events.send(JobEvent::of(job));
                            }
                        }
                        results
                    })
                }),
            )
        };
        Ok(Self {
            pool,
            writer,
            policy: RetryPolicy::default(),
            events,
            work,
            enqueues,
            completions,
        })
    }

    /// The same queue with another retry policy.
    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    async fn write(&self) -> QueueResult<Write> {
        let turn = self.writer.clone().lock_owned().await;
        Ok(Write {
            tx: self.pool.begin_with("BEGIN IMMEDIATE").await?,
            _turn: turn,
        })
    }

    fn publish(&self, job: &Job) {
        // No receiver is fine: nobody is watching.
        let _ = self.events.send(JobEvent::of(job));
    }

    /// Puts back due retries and jobs whose lease expired.
    async fn requeue_due(
        &self,
        tx: &mut sqlx::SqliteConnection,
        now: i64,
    ) -> QueueResult<Vec<Job>> {
        sqlx::query(
            "UPDATE jobs SET state = 'queued', run_at = NULL, updated_at = ?1 \
             WHERE state = 'retry_wait' AND run_at <= ?1",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let expired = sqlx::query("SELECT * FROM jobs WHERE state = 'running' AND lease_until < ?")
            .bind(now)
            .fetch_all(&mut *tx)
            .await?;
        let mut changed = Vec::new();
        for row in &expired {
            let job = job_from_row(row)?;
            let error = JobError::retryable(format!(
                "the worker {} stopped responding during attempt {} (its lease expired)",
                job.worker_id.as_deref().unwrap_or("?"),
                job.attempts
            ));
            let dead = job.attempts >= job.max_attempts;
            sqlx::query(
                "UPDATE jobs SET state = ?, last_error = ?, lease_until = NULL, lease_token = NULL, \
                 worker_id = NULL, finished_at = ?, updated_at = ? WHERE id = ?",
            )
            .bind(if dead { "dead" } else { "queued" })
            .bind(json_text(&error)?)
            .bind(dead.then_some(now))
            .bind(now)
            .bind(job.id.to_string())
            .execute(&mut *tx)
            .await?;
            changed.push(load(tx, job.id).await?);
        }
        Ok(changed)
    }
}

#[async_trait]
impl Queue for LocalQueue {
    async fn enqueue(&self, spec: JobSpec) -> QueueResult<Enqueued> {
        spec.validate().map_err(QueueError::InvalidSpec)?;
        let input = json_text(&spec.input)?;
        self.enqueues.call((spec, input)).await
    }

    async fn take(&self, next: &NextJobs, max: usize) -> QueueResult<Vec<Lease>> {
        let (worker_id, kinds, lease) = (next.worker_id.as_str(), &next.kinds, next.lease);
        if kinds.is_empty() || max == 0 {
            return Ok(Vec::new());
        }
        let mut tx = self.write().await?;
        let now = now_ms();
        let requeued = self.requeue_due(&mut tx, now).await?;

        let limits: HashMap<String, EngineLimits> =
            sqlx::query("SELECT engine, max_concurrency, max_starts_per_second FROM engine_limits")
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| -> QueueResult<_> {
                    Ok((
                        r.try_get::<String, _>("engine")?,
                        EngineLimits {
                            max_concurrency: r
                                .try_get::<Option<i64>, _>("max_concurrency")?
                                .map(|v| v as u32),
                            max_starts_per_second: r
                                .try_get::<Option<i64>, _>("max_starts_per_second")?
                                .map(|v| v as u32),
                        },
                    ))
                })
                .collect::<QueueResult<_>>()?;

        let placeholders = vec!["?"; kinds.len()].join(", ");
        // A worker without every engine leaves the jobs of the others.
        let engines = match &next.engines {
            None => String::new(),
            Some(engines) => format!(
                " AND (engine IS NULL OR engine = ''{})",
                if engines.is_empty() {
                    String::new()
                } else {
                    format!(" OR engine IN ({})", vec!["?"; engines.len()].join(", "))
                }
            ),
        };
        let sql = format!(
            "SELECT * FROM jobs WHERE state = 'queued' AND kind IN ({placeholders}){engines} \
             ORDER BY priority DESC, seq LIMIT ?"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for kind in kinds {
            query = query.bind(kind);
        }
        for engine in next.engines.iter().flatten() {
            query = query.bind(engine);
        }
        // Look past jobs of saturated engines, but not endlessly.
        let candidates = query
            .bind((max * 4 + 32) as i64)
            .fetch_all(&mut *tx)
            .await?;

        // Running and recently started counts of the engines that have limits.
        let mut running: HashMap<String, u32> = HashMap::new();
        let mut started: HashMap<String, u32> = HashMap::new();
        for engine in limits.keys() {
            let (r, s): (i64, i64) = sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM jobs WHERE engine = ?1 AND state = 'running'), \
                        (SELECT COUNT(*) FROM jobs WHERE engine = ?1 AND started_at > ?2)",
            )
            .bind(engine)
            .bind(now - 1000)
            .fetch_one(&mut *tx)
            .await?;
            running.insert(engine.clone(), r as u32);
            started.insert(engine.clone(), s as u32);
        }

        let lease_until = now + lease.as_millis() as i64;
        let mut chosen: Vec<(Uuid, Uuid)> = Vec::new();
        for row in &candidates {
            if chosen.len() >= max {
                break;
            }
            let id: String = row.try_get("id")?;
            let engine: Option<String> = row.try_get("engine")?;
            if let Some(engine) = &engine
                && let Some(limit) = limits.get(engine)
            {
                let r = running.entry(engine.clone()).or_default();
                let s = started.entry(engine.clone()).or_default();
                if limit.max_concurrency.is_some_and(|m| *r >= m)
                    || limit.max_starts_per_second.is_some_and(|m| *s >= m)
                {
                    continue;
                }
                *r += 1;
                *s += 1;
            }
            chosen.push((Uuid::parse_str(&id).map_err(corrupt)?, Uuid::new_v4()));
        }
        let mut taken = Vec::with_capacity(chosen.len());
        if !chosen.is_empty() {
            // One statement leases them all, each with its own token.
            let sql = format!(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?, \
                 lease_until = ?, worker_id = ?, lease_token = v.token, progress = 0, \
                 progress_message = '', updated_at = ? \
                 FROM (SELECT column1 AS id, column2 AS token FROM (VALUES {})) AS v \
                 WHERE jobs.id = v.id AND jobs.state = 'queued' RETURNING *",
                value_rows(chosen.len(), 2)
            );
            let mut update = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(now)
                .bind(lease_until)
                .bind(worker_id)
                .bind(now);
            for (id, token) in &chosen {
                update = update.bind(id.to_string()).bind(token.to_string());
            }
            let tokens: HashMap<Uuid, Uuid> = chosen.iter().copied().collect();
            let mut leased = Vec::with_capacity(chosen.len());
            for row in update.fetch_all(&mut *tx).await? {
                let job = job_from_row(&row)?;
                let token = tokens[&job.id];
                leased.push(Lease { job, token });
            }
            // Best first, as they were chosen.
            let order: HashMap<Uuid, usize> = chosen
                .iter()
                .enumerate()
                .map(|(i, (id, _))| (*id, i))
                .collect();
            leased.sort_by_key(|l| order[&l.job.id]);
            taken = leased;
        }
        tx.commit().await?;
        for job in &requeued {
            self.publish(job);
        }
        for lease in &taken {
            self.publish(&lease.job);
        }
        Ok(taken)
    }

    async fn wait_for_work(&self, _kinds: &[String], timeout: Duration) {
        // Wakes on work queued in this process; other processes and due retries are seen
        // when the timeout ends, so keep it short.
        let _ = tokio::time::timeout(timeout, self.work.notified()).await;
    }

    async fn heartbeat(&self, lease: &Lease, extend: Duration) -> QueueResult<()> {
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE jobs SET lease_until = ?, updated_at = ? \
             WHERE id = ? AND lease_token = ? AND state = 'running'",
        )
        .bind(now + extend.as_millis() as i64)
        .bind(now)
        .bind(lease.job.id.to_string())
        .bind(lease.token.to_string())
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(QueueError::LeaseLost(lease.job.id));
        }
        Ok(())
    }

    async fn progress(&self, lease: &Lease, percent: u8, message: &str) -> QueueResult<()> {
        let _turn = self.writer.lock().await;
        let row = sqlx::query(
            "UPDATE jobs SET progress = ?, progress_message = ?, updated_at = ? \
             WHERE id = ? AND lease_token = ? AND state = 'running' RETURNING *",
        )
        .bind(i64::from(percent.min(100)))
        .bind(message)
        .bind(now_ms())
        .bind(lease.job.id.to_string())
        .bind(lease.token.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(QueueError::LeaseLost(lease.job.id))?;
        self.publish(&job_from_row(&row)?);
        Ok(())
    }

    async fn complete(
        &self,
        lease: &Lease,
        result: Value,
        actual_cost_micros: Option<i64>,
    ) -> QueueResult<Job> {
        let result = json_text(&result)?;
        self.completions
            .call(Completion {
                id: lease.job.id,
                token: lease.token,
                result,
                actual_cost_micros,
            })
            .await
    }

    async fn fail(&self, lease: &Lease, error: JobError) -> QueueResult<Job> {
        let now = now_ms();
        // Attempts change only when a job is taken, so the lease's count is the current one.
        let (state, run_at, finished) =
            match self
                .policy
                .decide(lease.job.attempts, lease.job.max_attempts, &error)
            {
                RetryDecision::RetryAfter(delay) => {
                    ("retry_wait", Some(now + delay.as_millis() as i64), None)
                }
                RetryDecision::Dead => ("dead", None, Some(now)),
            };
        let error_text = json_text(&error)?;
        let _turn = self.writer.lock().await;
        let row = sqlx::query(
            "UPDATE jobs SET state = ?, run_at = ?, finished_at = ?, last_error = ?, updated_at = ?, \
             lease_until = NULL, lease_token = NULL \
             WHERE id = ? AND lease_token = ? AND state = 'running' RETURNING *",
        )
        .bind(state)
        .bind(run_at)
        .bind(finished)
        .bind(error_text)
        .bind(now)
        .bind(lease.job.id.to_string())
        .bind(lease.token.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(QueueError::LeaseLost(lease.job.id))?;
        let job = job_from_row(&row)?;
        self.publish(&job);
        if error.class == ErrorClass::Retryable {
            self.work.notify_waiters();
        }
        Ok(job)
    }

    async fn release(&self, lease: &Lease) -> QueueResult<Job> {
        let _turn = self.writer.lock().await;
        let row = sqlx::query(
            "UPDATE jobs SET state = 'queued', attempts = MAX(attempts - 1, 0), updated_at = ?, \
             lease_until = NULL, lease_token = NULL, worker_id = NULL \
             WHERE id = ? AND lease_token = ? AND state = 'running' RETURNING *",
        )
        .bind(now_ms())
        .bind(lease.job.id.to_string())
        .bind(lease.token.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(QueueError::LeaseLost(lease.job.id))?;
        let job = job_from_row(&row)?;
        self.publish(&job);
        self.work.notify_waiters();
        Ok(job)
    }

    async fn cancel(&self, id: Uuid) -> QueueResult<Job> {
        let mut tx = self.write().await?;
        let job = load(&mut tx, id).await?;
        if job.state.is_final() {
            return Err(QueueError::WrongState {
                id,
                state: job.state,
                action: "only a queued, waiting or running job can be cancelled",
            });
        }
        let now = now_ms();
        sqlx::query(
            "UPDATE jobs SET state = 'cancelled', finished_at = ?, updated_at = ?, run_at = NULL, \
             lease_until = NULL, lease_token = NULL WHERE id = ?",
        )
        .bind(now)
        .bind(now)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        let job = load(&mut tx, id).await?;
        tx.commit().await?;
        self.publish(&job);
        Ok(job)
    }

    async fn retry(&self, id: Uuid) -> QueueResult<Job> {
        let mut tx = self.write().await?;
        let job = load(&mut tx, id).await?;
        if !matches!(job.state, JobState::Dead | JobState::Cancelled) {
            return Err(QueueError::WrongState {
                id,
                state: job.state,
                action: "only a dead or cancelled job can be retried",
            });
        }
        if let Some(key) = &job.dedup_key {
            let live: Option<String> = sqlx::query_scalar(
                "SELECT id FROM jobs WHERE dedup_key = ? AND state NOT IN ('dead', 'cancelled')",
            )
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(other) = live {
                return Err(QueueError::InvalidSpec(format!(
                    "job {other} with the same dedup key is already queued or done; use that one"
                )));
            }
        }
        sqlx::query(
            "UPDATE jobs SET state = 'queued', attempts = 0, run_at = NULL, finished_at = NULL, \
             progress = 0, progress_message = '', updated_at = ? WHERE id = ?",
        )
        .bind(now_ms())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        let job = load(&mut tx, id).await?;
        tx.commit().await?;
        self.publish(&job);
        self.work.notify_waiters();
        Ok(job)
    }

    async fn get(&self, id: Uuid) -> QueueResult<Job> {
        let row = sqlx::query("SELECT * FROM jobs WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(QueueError::NotFound(id))?;
        job_from_row(&row)
    }

    async fn list(&self, filter: &JobFilter) -> QueueResult<Vec<Job>> {
        let rows = sqlx::query(
            "SELECT * FROM jobs WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR target = ?2) \
             AND (?3 IS NULL OR kind = ?3) ORDER BY seq DESC LIMIT ?4",
        )
        .bind(filter.state.map(|s| s.as_str()))
        .bind(filter.target.map(|t| t.to_string()))
        .bind(filter.kind.as_deref())
        .bind(filter.limit.unwrap_or(100) as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(job_from_row).collect()
    }

    async fn counts(&self) -> QueueResult<StateCounts> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT state, COUNT(*) FROM jobs GROUP BY state")
                .fetch_all(&self.pool)
                .await?;
        let mut counts = StateCounts::default();
        for (state, n) in rows {
            counts.add(state.parse().map_err(corrupt)?, n as u64);
        }
        Ok(counts)
    }

    async fn set_engine_limits(&self, engine: &str, limits: EngineLimits) -> QueueResult<()> {
        sqlx::query(
            "INSERT INTO engine_limits (engine, max_concurrency, max_starts_per_second) VALUES (?, ?, ?) \
             ON CONFLICT (engine) DO UPDATE SET max_concurrency = excluded.max_concurrency, \
             max_starts_per_second = excluded.max_starts_per_second",
        )
        .bind(engine)
        .bind(limits.max_concurrency.map(i64::from))
        .bind(limits.max_starts_per_second.map(i64::from))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    fn subscribe(&self) -> broadcast::Receiver<JobEvent> {
        self.events.subscribe()
    }
}
