//! Group commit on Redis: concurrent enqueues and completions each go out as one script call
//! per batch (see `crate::batch`), which is what lets one Redis take tens of thousands of jobs
//! a second.

use super::codec::{corrupt, job_from_value};
use super::scripts::{COMPLETE, ENQUEUE};
use crate::batch::{BatchResult, Batcher};
use crate::job::{Job, JobSpec, JobState};
use crate::queue::{Enqueued, NextJobs, QueueResult};
use chrono::{TimeZone, Utc};
use redis::Value;
use redis::aio::ConnectionManager;
use std::sync::Arc;
use uuid::Uuid;

/// Most jobs one script call takes.
const BATCH_MAX: usize = 256;

/// A job to create, as the enqueue script takes it.
pub(super) struct NewJob {
    pub(super) id: Uuid,
    pub(super) spec: JobSpec,
    pub(super) input: String,
}

/// A success to record, as the complete script takes it.
pub(super) struct Completion {
    pub(super) id: Uuid,
    pub(super) token: Uuid,
    pub(super) kind: String,
    pub(super) target: Option<Uuid>,
    pub(super) result: String,
    pub(super) actual_cost_micros: Option<i64>,
    pub(super) retention_ms: u64,
    /// Whether a next job is taken in this one's place (see `complete_call`).
    pub(super) take_next: bool,
}

/// Starts batching the enqueues of the queue under `prefix`.
pub(super) fn enqueues(conn: ConnectionManager, prefix: String) -> Batcher<NewJob, Enqueued> {
    Batcher::start(
        BATCH_MAX,
        Arc::new(move |jobs| Box::pin(enqueue_batch(conn.clone(), prefix.clone(), jobs))),
    )
}

/// Starts batching the completions of the queue under `prefix`; each answer is the finishing
/// time, or 0 when that lease was lost.
pub(super) fn completions(conn: ConnectionManager, prefix: String) -> Batcher<Completion, i64> {
    Batcher::start(
        BATCH_MAX,
        Arc::new(move |done| Box::pin(complete_batch(conn.clone(), prefix.clone(), done))),
    )
}

/// Creates a batch of jobs with one script call.
async fn enqueue_batch(
    mut conn: ConnectionManager,
    prefix: String,
    jobs: Vec<NewJob>,
) -> BatchResult<Enqueued> {
    let mut call = ENQUEUE.prepare_invoke();
    call.arg(&prefix).arg(jobs.len());
    for job in &jobs {
        let spec = &job.spec;
        call.arg(job.id.to_string())
            .arg(&spec.kind)
            .arg(spec.target.map(|t| t.to_string()).unwrap_or_default())
            .arg(&job.input)
            .arg(spec.engine.as_deref().unwrap_or_default())
            .arg(spec.priority)
            .arg(spec.dedup_key.as_deref().unwrap_or_default())
            .arg(spec.max_attempts)
            .arg(
                spec.estimated_cost_micros
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            )
            .arg(spec.course_id.map(|c| c.to_string()).unwrap_or_default())
            .arg(spec.requested_by.as_deref().unwrap_or_default());
    }
    let replies: Vec<Value> = call.invoke_async(&mut conn).await?;
    Ok(jobs
        .into_iter()
        .zip(replies)
        .map(|(job, reply)| -> QueueResult<Enqueued> {
            let ms = match reply {
                Value::Int(ms) => ms,
                existing => {
                    return Ok(Enqueued {
                        job: job_from_value(&existing)?,
                        created: false,
                    });
                }
            };
            let at = Utc
                .timestamp_millis_opt(ms)
                .single()
                .ok_or_else(|| corrupt("created_at"))?;
            let NewJob { id, spec, .. } = job;
            Ok(Enqueued {
                job: Job {
                    id,
                    kind: spec.kind,
                    target: spec.target,
                    input: spec.input,
                    engine: spec.engine,
                    priority: spec.priority,
                    dedup_key: spec.dedup_key,
                    state: JobState::Queued,
                    attempts: 0,
                    max_attempts: spec.max_attempts,
                    progress: 0,
                    progress_message: String::new(),
                    last_error: None,
                    result: None,
                    estimated_cost_micros: spec.estimated_cost_micros,
                    actual_cost_micros: None,
                    created_at: at,
                    updated_at: at,
                    run_at: None,
                    started_at: None,
                    finished_at: None,
                    lease_until: None,
                    worker_id: None,
                    course_id: spec.course_id,
                    requested_by: spec.requested_by,
                },
                created: true,
            })
        })
        .collect())
}

/// Records a batch of successes with one script call; each answer is the finishing time, or
/// 0 when that lease was lost.
async fn complete_batch(
    conn: ConnectionManager,
    prefix: String,
    done: Vec<Completion>,
) -> BatchResult<i64> {
    let (finished, _) = complete_call(conn, &prefix, &done, None).await?;
    Ok(finished.into_iter().map(Ok).collect())
}

/// The engines a worker has, as the take script reads them: a count (-1 for every engine),
/// then the ids.
pub(super) fn engines_arg(call: &mut redis::ScriptInvocation<'_>, next: &NextJobs) {
    match &next.engines {
        None => {
            call.arg(-1);
        }
        Some(engines) => {
            call.arg(engines.len());
            for engine in engines {
                call.arg(engine);
            }
        }
    }
}

/// Records successes with one call of the complete script and takes, for each that asks and
/// was recorded, a next job for `next` (with `tokens`, one per success asking). Returns each
/// success's finishing time (0: lease lost) and the take's answer (see `leases_from`), empty
/// when nothing was asked for.
pub(super) async fn complete_call(
    mut conn: ConnectionManager,
    prefix: &str,
    done: &[Completion],
    next: Option<(&NextJobs, &[Uuid])>,
) -> QueueResult<(Vec<i64>, Vec<Value>)> {
    let mut call = COMPLETE.prepare_invoke();
    let retention = done
        .iter()
        .map(|c| c.retention_ms)
        .max()
        .unwrap_or_default();
    call.arg(prefix).arg(retention).arg(done.len());
    for c in done {
        call.arg(c.id.to_string())
            .arg(c.token.to_string())
            .arg(&c.result)
            .arg(
                c.actual_cost_micros
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            )
            .arg(&c.kind)
            .arg(c.target.map(|t| t.to_string()).unwrap_or_default())
            .arg(u8::from(c.take_next && next.is_some()));
    }
    match next {
        Some((next, tokens)) => {
            call.arg(&next.worker_id)
                .arg(next.lease.as_millis() as u64)
                .arg(next.kinds.len());
            for kind in &next.kinds {
                call.arg(kind);
            }
            engines_arg(&mut call, next);
            for token in tokens {
                call.arg(token.to_string());
            }
        }
        None => {
            call.arg("").arg(0).arg(0);
        }
    }
    let (finished, jobs): (Vec<i64>, Vec<Value>) = call.invoke_async(&mut conn).await?;
    if finished.len() != done.len() {
        return Err(corrupt(format!(
            "{} successes answered {} times",
            done.len(),
            finished.len()
        )));
    }
    Ok((finished, jobs))
}
