//! Jobs: what to run (the spec) and where it stands (the state machine).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// One retry fewer than this many attempts: 1 try + 5 retries.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 6;
/// Priorities run from `MIN_PRIORITY` (last) to `MAX_PRIORITY` (first).
pub const MIN_PRIORITY: i32 = -100;
/// See [`MIN_PRIORITY`].
pub const MAX_PRIORITY: i32 = 100;

/// Where a job is in its life.
///
/// `queued → running → succeeded | retry_wait → queued | dead | cancelled`; a dead or
/// cancelled job goes back to `queued` only by a manual retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Succeeded,
    /// Failed with a retryable error; waits for its backoff delay without holding a worker.
    RetryWait,
    /// Failed for good (permanent error or no attempts left); can be retried by hand.
    Dead,
    Cancelled,
}

impl JobState {
    /// Every state.
    pub const ALL: [JobState; 6] = [
        Self::Queued,
        Self::Running,
        Self::Succeeded,
        Self::RetryWait,
        Self::Dead,
        Self::Cancelled,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::RetryWait => "retry_wait",
            Self::Dead => "dead",
            Self::Cancelled => "cancelled",
        }
    }

    /// True for states a job leaves only by a manual retry (or never).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Succeeded | Self::Dead | Self::Cancelled)
    }
}

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for JobState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "`{s}` is not a job state; the states are {}",
                    Self::ALL.map(|s| s.as_str()).join(", ")
                )
            })
    }
}

/// Whether a failure is worth trying again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// Timeouts, connection errors, 429, 5xx: retried with backoff.
    Retryable,
    /// Invalid input, 4xx other than 429: the job goes straight to dead.
    Permanent,
}

/// Why an attempt failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobError {
    pub class: ErrorClass,
    pub message: String,
    /// A provider's `Retry-After`, in milliseconds, honoured by the retry delay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
    /// What the machine lacked, when the failure came from its environment rather than the
    /// job (a full disk): whoever waits for the job can stop and say so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<FailureCause>,
}

/// A failure of the machine a job ran on, which no retry fixes until someone acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureCause {
    /// The disk (or the user's quota) is full.
    DiskFull,
}

/// True for the errors of a full disk or an exhausted quota.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
}

impl JobError {
    /// A failure worth retrying.
    pub fn retryable(message: impl Into<String>) -> Self {
        Self {
            class: ErrorClass::Retryable,
            message: message.into(),
            retry_after_ms: None,
            cause: None,
        }
    }

    /// A failure that retrying cannot fix.
    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            class: ErrorClass::Permanent,
            message: message.into(),
            retry_after_ms: None,
            cause: None,
        }
    }

    /// A failure because the disk is full: retried (space may be freed), and marked so
    /// that whoever waits for the job can stop and say so.
    pub fn disk_full(message: impl Into<String>) -> Self {
        Self {
            cause: Some(FailureCause::DiskFull),
            ..Self::retryable(message)
        }
    }

    /// An I/O failure while `doing` something: a full disk is marked as such, anything
    /// else is retryable.
    pub fn io(doing: &str, e: &std::io::Error) -> Self {
        if is_disk_full(e) {
            Self::disk_full(format!("{doing}: the disk is full ({e})"))
        } else {
            Self::retryable(format!("{doing}: {e}"))
        }
    }

    /// True when the disk was full.
    pub fn is_disk_full(&self) -> bool {
        self.cause == Some(FailureCause::DiskFull)
    }

    /// The failure of an HTTP call with `status`: 408 (request timeout), 429 and 5xx are
    /// retryable, other 4xx permanent.
    pub fn from_http_status(
        status: u16,
        message: impl Into<String>,
        retry_after_ms: Option<u64>,
    ) -> Self {
        let class = if status == 408 || status == 429 || status >= 500 {
            ErrorClass::Retryable
        } else {
            ErrorClass::Permanent
        };
        Self {
            class,
            message: message.into(),
            retry_after_ms,
            cause: None,
        }
    }

    /// With a provider's `Retry-After`.
    pub fn with_retry_after(mut self, ms: u64) -> Self {
        self.retry_after_ms = Some(ms);
        self
    }
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobSpec {
    /// `narration`, `slide_render`, `draft_component`, `diagnostic`, …
    pub kind: String,
    /// The slide or component the result belongs to.
    #[serde(default)]
    pub target: Option<Uuid>,
    /// The kind's input, read by its handler.
    #[serde(default)]
    pub input: Value,
    /// The engine that will do the work; per-engine limits apply to it.
    #[serde(default)]
    pub engine: Option<String>,
    /// Higher runs first, from -100 to 100.
    #[serde(default)]
    pub priority: i32,
    /// A second enqueue with the same key returns the first job while it is not dead or
    /// cancelled (usually a hash of kind + engine + normalized input).
    #[serde(default)]
    pub dedup_key: Option<String>,
    /// Attempts in all: 1 + retries.
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// Estimated cost in millionths of a US dollar, when known.
    #[serde(default)]
    pub estimated_cost_micros: Option<i64>,
    /// The course the work is for, where it is for one: on a team's queue, who may watch,
    /// cancel and retry the job, and which budget pays, go by it.
    #[serde(default)]
    pub course_id: Option<Uuid>,
    /// Who asked for the work (an instructor's email on a team), for the job tray.
    #[serde(default)]
    pub requested_by: Option<String>,
}

fn default_max_attempts() -> u32 {
    DEFAULT_MAX_ATTEMPTS
}

impl JobSpec {
    /// A job of `kind` with `input` and the defaults.
    pub fn new(kind: impl Into<String>, input: Value) -> Self {
        Self {
            kind: kind.into(),
            target: None,
            input,
            engine: None,
            priority: 0,
            dedup_key: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            estimated_cost_micros: None,
            course_id: None,
            requested_by: None,
        }
    }

    /// For a course.
    pub fn course(mut self, course: Uuid) -> Self {
        self.course_id = Some(course);
        self
    }

    /// Asked for by `who`.
    pub fn requested_by(mut self, who: impl Into<String>) -> Self {
        self.requested_by = Some(who.into());
        self
    }

    /// The same origin as `job`'s (its course and who asked): for work a job queues in turn.
    pub fn following(mut self, job: &Job) -> Self {
        self.course_id = job.course_id;
        self.requested_by = job.requested_by.clone();
        self
    }

    /// With a target slide or component.
    pub fn target(mut self, target: Uuid) -> Self {
        self.target = Some(target);
        self
    }

    /// With an engine.
    pub fn engine(mut self, engine: impl Into<String>) -> Self {
        self.engine = Some(engine.into());
        self
    }

    /// With a priority (clamped to -100..=100).
    pub fn priority(mut self, priority: i32) -> Self {
        self.priority = priority;
        self
    }

    /// With a dedup key.
    pub fn dedup_key(mut self, key: impl Into<String>) -> Self {
        self.dedup_key = Some(key.into());
        self
    }

    /// With a number of attempts in all.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Checks the spec before it is queued.
    pub fn validate(&self) -> Result<(), String> {
        let kind_ok = !self.kind.is_empty()
            && self.kind.len() <= 64
            && self
                .kind
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !kind_ok {
            return Err(format!(
                "job kind {:?} must be 1-64 characters of a-z, 0-9 and _",
                self.kind
            ));
        }
        if !(MIN_PRIORITY..=MAX_PRIORITY).contains(&self.priority) {
            return Err(format!(
                "priority {} is outside {MIN_PRIORITY}..={MAX_PRIORITY}",
                self.priority
            ));
        }
        if self.max_attempts == 0 || self.max_attempts > 100 {
            return Err(format!(
                "max_attempts {} must be from 1 to 100",
                self.max_attempts
            ));
        }
        if let Some(engine) = &self.engine
            && (engine.is_empty() || engine.len() > 128 || engine.contains(char::is_whitespace))
        {
            return Err(format!(
                "engine {engine:?} must be 1-128 characters without spaces"
            ));
        }
        if let Some(key) = &self.dedup_key
            && (key.is_empty() || key.len() > 256)
        {
            return Err("a dedup key must be 1-256 characters".into());
        }
        if let Some(who) = &self.requested_by
            && (who.is_empty() || who.len() > 320 || who.chars().any(char::is_control))
        {
            return Err("requested_by must be 1-320 characters without control characters".into());
        }
        Ok(())
    }
}

/// A job and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: Uuid,
    pub kind: String,
    pub target: Option<Uuid>,
    pub input: Value,
    pub engine: Option<String>,
    pub priority: i32,
    pub dedup_key: Option<String>,
    pub state: JobState,
    /// Attempts started so far (counted when a worker takes the job, so a crash counts).
    pub attempts: u32,
    pub max_attempts: u32,
    /// 0–100.
    pub progress: u8,
    pub progress_message: String,
    pub last_error: Option<JobError>,
    /// The handler's result, once succeeded.
    pub result: Option<Value>,
    pub estimated_cost_micros: Option<i64>,
    pub actual_cost_micros: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When a queued or waiting job may run next.
    pub run_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Until when the running worker holds the job.
    pub lease_until: Option<DateTime<Utc>>,
    pub worker_id: Option<String>,
    /// The course the work is for (see [`JobSpec::course_id`]).
    #[serde(default)]
    pub course_id: Option<Uuid>,
    /// Who asked for the work.
    #[serde(default)]
    pub requested_by: Option<String>,
}

/// A job handed to one worker for one attempt, until `lease_until` unless renewed.
#[derive(Debug, Clone, PartialEq)]
pub struct Lease {
    pub job: Job,
    /// Identifies this delivery: a worker whose lease expired and whose job was handed to
    /// another can no longer change it.
    pub token: Uuid,
}

/// A state change or progress update, published for live views.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobEvent {
    pub job_id: Uuid,
    pub kind: String,
    pub target: Option<Uuid>,
    pub state: JobState,
    pub attempts: u32,
    pub progress: u8,
    pub message: String,
    /// For a job waiting to retry: when it runs again.
    pub run_at: Option<DateTime<Utc>>,
    /// The course the work is for, where it is for one.
    #[serde(default)]
    pub course_id: Option<Uuid>,
    /// Who asked for the work.
    #[serde(default)]
    pub requested_by: Option<String>,
}

impl JobEvent {
    /// The event describing `job` as it is now.
    pub fn of(job: &Job) -> Self {
        Self {
            job_id: job.id,
            kind: job.kind.clone(),
            target: job.target,
            state: job.state,
            attempts: job.attempts,
            progress: job.progress,
            message: match (&job.last_error, job.state) {
                (Some(e), JobState::RetryWait | JobState::Dead) => e.message.clone(),
                _ => job.progress_message.clone(),
            },
            run_at: job.run_at,
            course_id: job.course_id,
            requested_by: job.requested_by.clone(),
        }
    }
}

/// Which jobs to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobFilter {
    pub state: Option<JobState>,
    pub target: Option<Uuid>,
    pub kind: Option<String>,
    /// At most this many, newest first (default 100).
    pub limit: Option<usize>,
}

/// How many jobs are in each state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCounts {
    pub queued: u64,
    pub running: u64,
    pub succeeded: u64,
    pub retry_wait: u64,
    pub dead: u64,
    pub cancelled: u64,
}

impl StateCounts {
    /// Jobs in every state.
    pub fn total(&self) -> u64 {
        self.queued + self.running + self.succeeded + self.retry_wait + self.dead + self.cancelled
    }

    /// Adds `n` jobs in `state`.
    pub fn add(&mut self, state: JobState, n: u64) {
        match state {
            JobState::Queued => self.queued += n,
            JobState::Running => self.running += n,
            JobState::Succeeded => self.succeeded += n,
            JobState::RetryWait => self.retry_wait += n,
            JobState::Dead => self.dead += n,
            JobState::Cancelled => self.cancelled += n,
        }
    }
}

/// Limits that hold for one engine across every worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EngineLimits {
    /// At most this many of the engine's jobs run at once.
    pub max_concurrency: Option<u32>,
    /// At most this many of the engine's jobs start per second.
    pub max_starts_per_second: Option<u32>,
}
