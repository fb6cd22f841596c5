//! `RedisQueue`: the shared job queue of a team, on Redis 7, served by `classkit-worker`s.
//!
//! Every state change is one Lua script (`src/redis/*.lua`), so it is atomic, and every due
//! time comes from the Redis server's clock. Layout under the key prefix `P`:
//!
//! - `P:job:<id>`: a hash per job (empty fields left out); `P:state:<state>` (all states but
//!   running) and `P:target:<id>`: sorted sets by enqueue order, for listing and counting;
//! - `P:ready:<kind>`: a sorted set ranked by priority then age; `P:delayed`: retries by due
//!   time; `P:leases`: running jobs by lease expiry, also their state index (a dequeue first
//!   puts back due retries and expired leases, so no separate reaper is needed);
//! - `P:dedup`: dedup key → job; `P:limits`, `P:engine:running:<engine>` and
//!   `P:engine:starts:<engine>:<second>`: per-engine limits shared by every worker;
//! - `P:signal:<kind>`: a short list that wakes one worker blocked in `BLPOP` per new job;
//! - Succeeded and cancelled jobs older than the retention are removed, oldest first, as new
//!   ones finish, so the queue does not grow without bound. Dead jobs stay until retried.
//! - Events are published on the channel `P:events`, one JSON object per change or an array
//!   of them for a batch.
//!
//! Concurrent enqueues and completions are grouped into one script call each (group commit,
//! see `group_commit`), which is what lets one Redis take tens of thousands of jobs a second.
//!
//! Delivery is at least once: a worker whose lease expired may still be running when its job
//! goes to another worker, so handlers must be idempotent (results keyed by job id, assets by
//! content hash). The stale worker cannot change the job any more (its lease token is gone).
//!
//! Redis must keep what it accepted: run it with `appendonly yes`, `appendfsync everysec` and
//! `maxmemory-policy noeviction` (see [`RedisQueue::durability_warnings`]).

mod codec;
mod durability;
mod events;
mod group_commit;
mod listing;
mod scripts;
mod signals;

use crate::backoff::{RetryDecision, RetryPolicy};
use crate::batch::Batcher;
use crate::job::{
    EngineLimits, Job, JobError, JobEvent, JobFilter, JobSpec, JobState, Lease, StateCounts,
};
use crate::queue::{Enqueued, NextJobs, Queue, QueueError, QueueResult, Success};
use async_trait::async_trait;
use chrono::{TimeZone, Utc};
use codec::{corrupt, job_from_hash, job_from_value};
use group_commit::{Completion, NewJob};
use redis::aio::{ConnectionManager, ConnectionManagerConfig, MultiplexedConnection};
use redis::{AsyncCommands, Client, Value};
use scripts::{CANCEL, DEQUEUE, FAIL, HEARTBEAT, PROGRESS, RELEASE, RETRY};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, broadcast};
use uuid::Uuid;

/// What waits on the queue (see [`RedisQueue::depth`]).
#[derive(Debug, Clone, PartialEq)]
pub struct QueueDepth {
    pub ready_by_kind: Vec<(String, u64)>,
    /// When the oldest job still queued was queued.
    pub oldest_queued_at: Option<chrono::DateTime<Utc>>,
}

/// The default key prefix.
pub const DEFAULT_PREFIX: &str = "classkit:jobs";

/// The shared job queue on Redis.
#[derive(Clone)]
pub struct RedisQueue {
    client: Client,
    conn: ConnectionManager,
    /// Blocking reads (`BLPOP`) get their own connection so they never hold up other commands
    /// and never run into the shared connection's response timeout.
    blocking: Arc<Mutex<Option<MultiplexedConnection>>>,
    prefix: String,
    policy: RetryPolicy,
    retention: Duration,
    events: broadcast::Sender<JobEvent>,
    /// Concurrent enqueues and completions share script calls (see `group_commit`).
    enqueues: Batcher<NewJob, Enqueued>,
    completions: Batcher<Completion, i64>,
    /// Set once the events channel is forwarded to `events`.
    watching: Arc<std::sync::Once>,
}

impl std::fmt::Debug for RedisQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisQueue")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// The job a success made, from the script's answer: its finishing time, 0 when the lease was
/// lost. The rest is what the worker knows.
fn finished_job(
    lease: &Lease,
    result: serde_json::Value,
    actual_cost_micros: Option<i64>,
    finished_ms: i64,
) -> QueueResult<Job> {
    if finished_ms == 0 {
        return Err(QueueError::LeaseLost(lease.job.id));
    }
    let at = Utc
        .timestamp_millis_opt(finished_ms)
        .single()
        .ok_or_else(|| corrupt("finished_at"))?;
    Ok(Job {
        state: JobState::Succeeded,
        result: Some(result),
        actual_cost_micros,
        progress: 100,
        updated_at: at,
        finished_at: Some(at),
        run_at: None,
        lease_until: None,
        ..lease.job.clone()
    })
}

/// The leases of the jobs a script took: its answer is the time it took them (ms), then each
/// job's hash from before, in the order of `tokens`. Taking a job changed what `take.lua`
/// says; that change is applied here rather than read back, since moving a whole hash through
/// Lua costs Redis more than the rest of taking it.
fn leases_from(
    reply: &[Value],
    tokens: &[Uuid],
    worker_id: &str,
    lease: Duration,
) -> QueueResult<Vec<Lease>> {
    let Some((now, jobs)) = reply.split_first() else {
        return Err(corrupt("a take answered nothing"));
    };
    if jobs.len() > tokens.len() {
        return Err(corrupt(format!(
            "{} jobs taken with {} tokens",
            jobs.len(),
            tokens.len()
        )));
    }
    let now: i64 = redis::from_redis_value_ref(now)?;
    let now = now.to_string();
    let until = (now_ms_after(&now, lease)?).to_string();
    jobs.iter()
        .zip(tokens)
        .map(|(value, token)| {
            let mut map: HashMap<String, String> = redis::from_redis_value_ref(value)?;
            let attempts: u32 = map
                .get("attempts")
                .and_then(|a| a.parse().ok())
                .ok_or_else(|| corrupt("a job taken has no attempts"))?;
            for (field, value) in [
                ("state", "running".to_string()),
                ("attempts", (attempts + 1).to_string()),
                ("started_at", now.clone()),
                ("updated_at", now.clone()),
                ("lease_until", until.clone()),
                ("worker_id", worker_id.to_string()),
                ("lease_token", token.to_string()),
                ("progress", "0".to_string()),
                ("progress_message", String::new()),
            ] {
                map.insert(field.to_string(), value);
            }
            Ok(Lease {
                job: job_from_hash(&map)?,
                token: *token,
            })
        })
        .collect()
}

/// `ms` (milliseconds, as text) plus `lease`.
fn now_ms_after(ms: &str, lease: Duration) -> QueueResult<i64> {
    let ms: i64 = ms.parse().map_err(corrupt)?;
    Ok(ms.saturating_add(lease.as_millis() as i64))
}

impl RedisQueue {
    /// Connects to Redis at `url` (e.g. `redis://127.0.0.1:6379/`). Commands reconnect by
    /// themselves with backoff after Redis restarts.
    pub async fn connect(url: &str) -> QueueResult<Self> {
        Self::connect_with_prefix(url, DEFAULT_PREFIX).await
    }

    /// Connects with another key prefix (several queues in one Redis, or tests).
    pub async fn connect_with_prefix(url: &str, prefix: &str) -> QueueResult<Self> {
        let queue = Self::connect_unwatched(url, prefix).await?;
        let (subscribed, ready) = tokio::sync::oneshot::channel();
        queue.watch_events(Some(subscribed));
        // Events published from now on reach subscribers (unless Redis is slow to answer,
        // in which case they start flowing a little later).
        let _ = tokio::time::timeout(Duration::from_secs(5), ready).await;
        Ok(queue)
    }

    /// Connects without listening to the queue's events until [`Queue::subscribe`] is first
    /// called (and events from then on may take a moment to flow): for workers and producers
    /// that never read them. The scripts build events only while someone listens, which is a
    /// good part of their work.
    pub async fn connect_unwatched(url: &str, prefix: &str) -> QueueResult<Self> {
        let client = Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(5)))
            .set_response_timeout(Some(Duration::from_secs(10)))
            .set_number_of_retries(6)
            .set_max_delay(Duration::from_secs(5));
        let conn = ConnectionManager::new_with_config(client.clone(), config).await?;
        let (events, _) = broadcast::channel(4096);
        Ok(Self {
            enqueues: group_commit::enqueues(conn.clone(), prefix.to_string()),
            completions: group_commit::completions(conn.clone(), prefix.to_string()),
            client,
            conn,
            blocking: Arc::new(Mutex::new(None)),
            prefix: prefix.to_string(),
            policy: RetryPolicy::default(),
            retention: Duration::from_secs(7 * 24 * 3600),
            events,
            watching: Arc::new(std::sync::Once::new()),
        })
    }

    /// Starts forwarding the events channel to subscribers, once per queue (and its clones).
    fn watch_events(&self, subscribed: Option<tokio::sync::oneshot::Sender<()>>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        self.watching.call_once(|| {
            runtime.spawn(events::forward_events(
                self.client.clone(),
                format!("{}:events", self.prefix),
                self.events.clone(),
                subscribed,
            ));
        });
    }

    /// How many jobs of each of `kinds` wait to run, and since when the oldest queued job
    /// (of any kind) has waited: for an admin's metrics.
    pub async fn depth(&self, kinds: &[&str]) -> QueueResult<QueueDepth> {
        let mut pipe = redis::pipe();
        for kind in kinds {
            pipe.zcard(self.key(&format!("ready:{kind}")));
        }
        pipe.cmd("ZRANGE")
            .arg(self.key("state:queued"))
            .arg(0)
            .arg(0);
        let mut conn = self.conn.clone();
        let (sizes, oldest): (Vec<u64>, Vec<String>) = {
            let mut values: Vec<Value> = pipe.query_async(&mut conn).await?;
            let oldest: Vec<String> = match values.pop() {
                Some(v) => redis::from_redis_value(v)?,
                None => Vec::new(),
            };
            let sizes = values
                .into_iter()
                .map(redis::from_redis_value)
                .collect::<Result<Vec<u64>, _>>()?;
            (sizes, oldest)
        };
        let oldest_queued_at = match oldest.first() {
            Some(id) => {
                let created: Option<i64> = conn
                    .hget(self.key(&format!("job:{id}")), "created_at")
                    .await?;
                created.and_then(|ms| Utc.timestamp_millis_opt(ms).single())
            }
            None => None,
        };
        Ok(QueueDepth {
            ready_by_kind: kinds.iter().map(|k| k.to_string()).zip(sizes).collect(),
            oldest_queued_at,
        })
    }

    /// The same queue with another retry policy.
    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// How long finished jobs are kept (default 7 days).
    pub fn with_retention(mut self, retention: Duration) -> Self {
        self.retention = retention;
        self
    }

    fn key(&self, rest: &str) -> String {
        format!("{}:{rest}", self.prefix)
    }

    async fn load(&self, id: Uuid) -> QueueResult<Job> {
        let mut conn = self.conn.clone();
        let mut map: HashMap<String, String> = conn.hgetall(self.key(&format!("job:{id}"))).await?;
        if map.is_empty() {
            return Err(QueueError::NotFound(id));
        }
        map.insert("id".into(), id.to_string());
        job_from_hash(&map)
    }

    /// The sorted set of the jobs in `state` (running jobs are indexed by their leases).
    fn state_index(&self, state: JobState) -> String {
        match state {
            JobState::Running => self.key("leases"),
            other => self.key(&format!("state:{}", other.as_str())),
        }
    }
}

#[async_trait]
impl Queue for RedisQueue {
    async fn enqueue(&self, spec: JobSpec) -> QueueResult<Enqueued> {
        spec.validate().map_err(QueueError::InvalidSpec)?;
        let input = serde_json::to_string(&spec.input)
            .map_err(|e| QueueError::InvalidSpec(e.to_string()))?;
        self.enqueues
            .call(NewJob {
                id: Uuid::now_v7(),
                spec,
                input,
            })
            .await
    }

    async fn take(&self, next: &NextJobs, max: usize) -> QueueResult<Vec<Lease>> {
        let (worker_id, kinds, lease) = (next.worker_id.as_str(), &next.kinds, next.lease);
        if kinds.is_empty() || max == 0 {
            return Ok(Vec::new());
        }
        let tokens: Vec<Uuid> = (0..max).map(|_| Uuid::new_v4()).collect();
        let mut conn = self.conn.clone();
        let mut call = DEQUEUE.prepare_invoke();
        call.arg(&self.prefix)
            .arg(worker_id)
            .arg(lease.as_millis() as u64)
            .arg(max)
            .arg(kinds.len());
        for kind in kinds {
            call.arg(kind);
        }
        group_commit::engines_arg(&mut call, next);
        for token in &tokens {
            call.arg(token.to_string());
        }
        let reply: Vec<Value> = call.invoke_async(&mut conn).await?;
        leases_from(&reply, &tokens, worker_id, lease)
    }

    async fn wait_for_work(&self, kinds: &[String], timeout: Duration) {
        self.wait_for_signal(kinds, timeout).await
    }

    async fn heartbeat(&self, lease: &Lease, extend: Duration) -> QueueResult<()> {
        self.leased_script(
            &HEARTBEAT,
            lease,
            &[(extend.as_millis() as u64).to_string()],
        )
        .await?;
        Ok(())
    }

    async fn progress(&self, lease: &Lease, percent: u8, message: &str) -> QueueResult<()> {
        self.leased_script(
            &PROGRESS,
            lease,
            &[percent.min(100).to_string(), message.to_string()],
        )
        .await?;
        Ok(())
    }

    async fn complete(
        &self,
        lease: &Lease,
        result: serde_json::Value,
        actual_cost_micros: Option<i64>,
    ) -> QueueResult<Job> {
        let text =
            serde_json::to_string(&result).map_err(|e| QueueError::InvalidSpec(e.to_string()))?;
        let finished = self
            .completions
            .call(Completion {
                id: lease.job.id,
                token: lease.token,
                kind: lease.job.kind.clone(),
                target: lease.job.target,
                result: text,
                actual_cost_micros,
                retention_ms: self.retention.as_millis() as u64,
                take_next: false,
            })
            .await?;
        finished_job(lease, result, actual_cost_micros, finished)
    }

    async fn complete_and_dequeue(
        &self,
        done: Vec<Success>,
        next: &NextJobs,
    ) -> QueueResult<Vec<QueueResult<(Job, Option<Lease>)>>> {
        let mut completions = Vec::with_capacity(done.len());
        for success in &done {
            completions.push(Completion {
                id: success.lease.job.id,
                token: success.lease.token,
                kind: success.lease.job.kind.clone(),
                target: success.lease.job.target,
                result: serde_json::to_string(&success.result)
                    .map_err(|e| QueueError::InvalidSpec(e.to_string()))?,
                actual_cost_micros: success.actual_cost_micros,
                retention_ms: self.retention.as_millis() as u64,
                take_next: success.take_next,
            });
        }
        let wanted = done.iter().filter(|s| s.take_next).count();
        let tokens: Vec<Uuid> = (0..wanted).map(|_| Uuid::new_v4()).collect();
        let asks = (wanted > 0 && !next.kinds.is_empty()).then_some((next, tokens.as_slice()));
        let (finished, taken) =
            group_commit::complete_call(self.conn.clone(), &self.prefix, &completions, asks)
                .await?;
        // The jobs taken go, in order, to the successes that asked and were recorded.
        let leases = if !taken.is_empty() {
            leases_from(&taken, &tokens, &next.worker_id, next.lease)?
        } else {
            Vec::new()
        };
        let mut leases = leases.into_iter();
        Ok(done
            .into_iter()
            .zip(finished)
            .map(|(success, ms)| {
                let job = finished_job(
                    &success.lease,
                    success.result,
                    success.actual_cost_micros,
                    ms,
                )?;
                Ok((job, success.take_next.then(|| leases.next()).flatten()))
            })
            .collect())
    }

    async fn fail(&self, lease: &Lease, error: JobError) -> QueueResult<Job> {
        let delay_ms: i64 =
            match self
                .policy
                .decide(lease.job.attempts, lease.job.max_attempts, &error)
            {
                RetryDecision::RetryAfter(d) => d.as_millis() as i64,
                RetryDecision::Dead => -1,
            };
        let error =
            serde_json::to_string(&error).map_err(|e| QueueError::InvalidSpec(e.to_string()))?;
        let value = self
            .leased_script(&FAIL, lease, &[error, delay_ms.to_string()])
            .await?;
        job_from_value(&value)
    }

    async fn release(&self, lease: &Lease) -> QueueResult<Job> {
        let value = self.leased_script(&RELEASE, lease, &[]).await?;
        job_from_value(&value)
    }

    async fn cancel(&self, id: Uuid) -> QueueResult<Job> {
        self.admin_script(
            &CANCEL,
            id,
            "only a queued, waiting or running job can be cancelled",
        )
        .await
    }

    async fn retry(&self, id: Uuid) -> QueueResult<Job> {
        self.admin_script(&RETRY, id, "only a dead or cancelled job can be retried")
            .await
    }

    async fn get(&self, id: Uuid) -> QueueResult<Job> {
        self.load(id).await
    }

    async fn list(&self, filter: &JobFilter) -> QueueResult<Vec<Job>> {
        self.list_jobs(filter).await
    }

    async fn counts(&self) -> QueueResult<StateCounts> {
        let mut pipe = redis::pipe();
        for state in JobState::ALL {
            pipe.zcard(self.state_index(state));
        }
        let mut conn = self.conn.clone();
        let sizes: Vec<u64> = pipe.query_async(&mut conn).await?;
        let mut counts = StateCounts::default();
        for (state, n) in JobState::ALL.into_iter().zip(sizes) {
            counts.add(state, n);
        }
        Ok(counts)
    }

    async fn set_engine_limits(&self, engine: &str, limits: EngineLimits) -> QueueResult<()> {
        let value = format!(
            "{}|{}",
            limits
                .max_concurrency
                .map(|v| v.to_string())
                .unwrap_or_default(),
            limits
                .max_starts_per_second
                .map(|v| v.to_string())
                .unwrap_or_default()
        );
        let mut conn = self.conn.clone();
        let _: () = conn.hset(self.key("limits"), engine, value).await?;
        Ok(())
    }

    fn subscribe(&self) -> broadcast::Receiver<JobEvent> {
        let receiver = self.events.subscribe();
        self.watch_events(None);
        receiver
    }
}
