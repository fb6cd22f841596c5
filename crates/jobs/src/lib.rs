//! ClassKit Studio generation jobs.
//!
//! Slow work (speech, images, drafts) runs as jobs with at-least-once delivery under leases:
//! on the [`LocalQueue`] (SQLite, inside the app) or a shared Redis queue served by
//! `classkit-worker` processes. Failed attempts retry with exponential backoff.

pub mod backoff;
mod batch;
pub mod bench;
pub mod diagnostic;
pub mod job;
pub mod local;
pub mod metrics;
pub mod queue;
pub mod redis_queue;
pub mod worker;

pub use backoff::{Jitter, RetryDecision, RetryPolicy};
pub use job::{
    EngineLimits, ErrorClass, FailureCause, Job, JobError, JobEvent, JobFilter, JobSpec, JobState,
    Lease, StateCounts,
};
pub use local::LocalQueue;
pub use queue::{Enqueued, NextJobs, Queue, QueueError, QueueResult, Success};
pub use redis_queue::{QueueDepth, RedisQueue};
pub use worker::{
    Handler, JobContext, Output, QueueTrouble, Worker, WorkerConfig, WorkerHealth, WorkerReport,
};
