//! The `Queue` trait that both backends implement, and its errors.

use crate::job::{EngineLimits, Job, JobError, JobEvent, JobFilter, JobSpec, Lease, StateCounts};
use async_trait::async_trait;
use classkit_model::ErrorCode;
use serde_json::Value;
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

/// SQLite's result code for "database or disk is full".
const SQLITE_FULL: &str = "13";

/// What can go wrong with a queue operation.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("the job cannot be queued: {0}")]
    InvalidSpec(String),
    #[error("job {0} is not in the queue")]
    NotFound(Uuid),
    #[error(
        "job {0} is no longer held by this worker (it was cancelled, or its lease expired and it went to another worker)"
    )]
    LeaseLost(Uuid),
    #[error("job {id} is {state}; {action}")]
    WrongState {
        id: Uuid,
        state: crate::JobState,
        action: &'static str,
    },
    #[error("job queue database: {0}")]
    Sqlite(#[from] sqlx::Error),
    #[error("job queue database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "the job queue at {} was written by a newer ClassKit Studio (it has change {found} that this version does not know); update ClassKit Studio to use it",
        path.display()
    )]
    NewerQueue {
        path: std::path::PathBuf,
        found: i64,
    },
    #[error("Redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("a stored job is damaged: {0}")]
    Corrupt(String),
    /// The error of a batch that this operation was part of (see `batch`).
    #[error(transparent)]
    Shared(std::sync::Arc<QueueError>),
}

impl From<redis::ParsingError> for QueueError {
    fn from(e: redis::ParsingError) -> Self {
        Self::Corrupt(format!("unexpected reply from Redis: {e}"))
    }
}

impl QueueError {
    /// A stable code for programs.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidSpec(_) => ErrorCode::InvalidJob,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::LeaseLost(_) => ErrorCode::LeaseLost,
            Self::WrongState { .. } => ErrorCode::WrongState,
            _ if self.is_disk_full() => ErrorCode::DiskFull,
            Self::Sqlite(_) | Self::Migrate(_) => ErrorCode::QueueDatabaseError,
            Self::NewerQueue { .. } => ErrorCode::LibraryTooNew,
            Self::Redis(_) => ErrorCode::RedisError,
            Self::Corrupt(_) => ErrorCode::QueueDamaged,
            Self::Shared(e) => e.code(),
        }
    }

    /// True when the queue's disk is full: SQLite's `SQLITE_FULL`, or a write that failed
    /// for want of space.
    pub fn is_disk_full(&self) -> bool {
        match self {
            Self::Sqlite(sqlx::Error::Database(e)) => e.code().as_deref() == Some(SQLITE_FULL),
            Self::Sqlite(sqlx::Error::Io(e)) => crate::job::is_disk_full(e),
            Self::Shared(e) => e.is_disk_full(),
            _ => false,
        }
    }

    /// True when the operation may work if tried again a little later: the backend could
    /// not be reached, or its disk was full.
    pub fn is_transient(&self) -> bool {
        self.is_connection_error() || self.is_disk_full()
    }

    /// True when the backend could not be reached (worth retrying the operation later).
    pub fn is_connection_error(&self) -> bool {
        match self {
            Self::Redis(e) => {
                e.is_io_error()
                    || e.is_connection_dropped()
                    || e.is_connection_refusal()
                    || e.is_timeout()
            }
            Self::Sqlite(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_)) => true,
            Self::Shared(e) => e.is_connection_error(),
            _ => false,
        }
    }
}

/// Results of queue operations.
pub type QueueResult<T> = Result<T, QueueError>;

/// What enqueueing did.
#[derive(Debug, Clone, PartialEq)]
pub struct Enqueued {
    pub job: Job,
    /// False when a job with the same dedup key was already there and is returned instead.
    pub created: bool,
}

/// A success to record with [`Queue::complete_and_dequeue`].
#[derive(Debug, Clone)]
pub struct Success {
    pub lease: Lease,
    pub result: Value,
    pub actual_cost_micros: Option<i64>,
    /// Whether the worker takes a next job in this one's place.
    pub take_next: bool,
}

/// Who takes jobs ([`Queue::take`], and the next jobs of [`Queue::complete_and_dequeue`]).
#[derive(Debug, Clone)]
pub struct NextJobs {
    pub worker_id: String,
    pub kinds: Vec<String>,
    pub lease: Duration,
    /// The engines the worker has, when it has not every one: it takes only jobs with none of
    /// their own or one of these, and leaves the others to workers that have them.
    pub engines: Option<Vec<String>>,
}

impl NextJobs {
    /// A worker with every engine.
    pub fn new(worker_id: &str, kinds: &[String], lease: Duration) -> Self {
        Self {
            worker_id: worker_id.to_string(),
            kinds: kinds.to_vec(),
            lease,
            engines: None,
        }
    }
}

/// A job queue with at-least-once delivery under leases renewed by heartbeats.
///
/// Both backends (`LocalQueue` on SQLite, `RedisQueue`) pass the same conformance suite.
#[async_trait]
pub trait Queue: Send + Sync + 'static {
    /// Queues a job, or returns the live job with the same dedup key.
    async fn enqueue(&self, spec: JobSpec) -> QueueResult<Enqueued>;

    /// Takes up to `max` jobs of `next.kinds` (highest priority first, then oldest) whose
    /// engine, if they name one, is among `next.engines`, honouring per-engine limits, each
    /// leased to `next.worker_id` for `next.lease`. Waiting retries that are due and jobs
    /// whose lease expired are put back first. Never blocks.
    async fn take(&self, next: &NextJobs, max: usize) -> QueueResult<Vec<Lease>>;

    /// [`Queue::take`] for a worker with every engine.
    async fn dequeue(
        &self,
        worker_id: &str,
        kinds: &[String],
        lease: Duration,
        max: usize,
    ) -> QueueResult<Vec<Lease>> {
        self.take(&NextJobs::new(worker_id, kinds, lease), max)
            .await
    }

    /// Returns when work of `kinds` may be ready, or after `timeout`.
    async fn wait_for_work(&self, kinds: &[String], timeout: Duration);

    /// Extends the lease; `LeaseLost` when the job was cancelled or given to another worker.
    async fn heartbeat(&self, lease: &Lease, extend: Duration) -> QueueResult<()>;

    /// Records progress (0–100) with a message.
    async fn progress(&self, lease: &Lease, percent: u8, message: &str) -> QueueResult<()>;

    /// Marks the job succeeded with its result.
    async fn complete(
        &self,
        lease: &Lease,
        result: Value,
        actual_cost_micros: Option<i64>,
    ) -> QueueResult<Job>;

    /// Records several successes and, for each that asks for one (`take_next`) and was
    /// recorded, takes a next job as [`Queue::dequeue`] would: what a worker does as its
    /// handlers finish. One answer per success, in order: the finished job (as `complete`
    /// returns it) and its next job, if one was ready. A backend does it in one round trip
    /// where it can; this default records them one by one, then dequeues.
    async fn complete_and_dequeue(
        &self,
        done: Vec<Success>,
        next: &NextJobs,
    ) -> QueueResult<Vec<QueueResult<(Job, Option<Lease>)>>> {
        let mut answers = Vec::with_capacity(done.len());
        let mut wanted = 0;
        for success in done {
            let job = self
                .complete(&success.lease, success.result, success.actual_cost_micros)
                .await;
            if job.is_ok() && success.take_next {
                wanted += 1;
            }
            answers.push((job, success.take_next));
        }
        // The successes are recorded: a dequeue that fails now only means no next jobs.
        let mut leases = if wanted > 0 {
            self.take(next, wanted)
                .await
                .unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "cannot take next jobs");
                    Vec::new()
                })
                .into_iter()
        } else {
            Vec::new().into_iter()
        };
        Ok(answers
            .into_iter()
            .map(|(job, take_next)| {
                let job = job?;
                Ok((job, if take_next { leases.next() } else { None }))
            })
            .collect())
    }

    /// Records a failed attempt: retryable errors wait for their backoff delay (without
    /// holding a worker), permanent errors and the last attempt make the job dead.
    async fn fail(&self, lease: &Lease, error: JobError) -> QueueResult<Job>;

    /// Gives the job back unfinished (a worker shutting down); the attempt does not count.
    async fn release(&self, lease: &Lease) -> QueueResult<Job>;

    /// Cancels a queued, waiting or running job (a running one stops at its next heartbeat).
    async fn cancel(&self, id: Uuid) -> QueueResult<Job>;

    /// Queues a dead or cancelled job again with fresh attempts.
    async fn retry(&self, id: Uuid) -> QueueResult<Job>;

    /// One job.
    async fn get(&self, id: Uuid) -> QueueResult<Job>;

    /// Jobs by state, target and kind, newest first.
    async fn list(&self, filter: &JobFilter) -> QueueResult<Vec<Job>>;

    /// How many jobs are in each state.
    async fn counts(&self) -> QueueResult<StateCounts>;

    /// Sets the limits of one engine, holding across every worker of this queue.
    async fn set_engine_limits(&self, engine: &str, limits: EngineLimits) -> QueueResult<()>;

    /// Live events: every state change and progress update.
    fn subscribe(&self) -> broadcast::Receiver<JobEvent>;
}
