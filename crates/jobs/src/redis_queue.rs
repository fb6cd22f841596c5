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
//! see `batch`), which is what lets one Redis take tens of thousands of jobs a second.
//!
//! Delivery is at least once: a worker whose lease expired may still be running when its job
//! goes to another worker, so handlers must be idempotent (results keyed by job id, assets by
//! content hash). The stale worker cannot change the job any more (its lease token is gone).
//!
//! Redis must keep what it accepted: run it with `appendonly yes`, `appendfsync everysec` and
//! `maxmemory-policy noeviction` (see [`RedisQueue::durability_warnings`]).

use crate::backoff::{RetryDecision, RetryPolicy};
use crate::batch::{BatchResult, Batcher};
use crate::job::{
    EngineLimits, Job, JobError, JobEvent, JobFilter, JobSpec, JobState, Lease, StateCounts,
};
use crate::queue::{Enqueued, Queue, QueueError, QueueResult};
use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use redis::aio::{ConnectionManager, ConnectionManagerConfig, MultiplexedConnection};
use redis::{AsyncCommands, Client, Script, Value};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tokio::sync::{Mutex, broadcast};
use uuid::Uuid;

const COMMON: &str = include_str!("redis/common.lua");

fn script(body: &str) -> Script {
    Script::new(&format!("{COMMON}\n{body}"))
}

static ENQUEUE: LazyLock<Script> = LazyLock::new(|| script(include_str!("redis/enqueue.lua")));
static DEQUEUE: LazyLock<Script> = LazyLock::new(|| script(include_str!("redis/dequeue.lua")));
static HEARTBEAT: LazyLock<Script> = LazyLock::new(|| script(include_str!("redis/heartbeat.lua")));
static PROGRESS: LazyLock<Script> = LazyLock::new(|| script(include_str!("redis/progress.lua")));
static COMPLETE: LazyLock<Script> = LazyLock::new(|| script(include_str!("redis/complete.lua")));
static FAIL: LazyLock<Script> = LazyLock::new(|| script(include_str!("redis/fail.lua")));
static RELEASE: LazyLock<Script> = LazyLock::new(|| script(include_str!("redis/release.lua")));
static CANCEL: LazyLock<Script> = LazyLock::new(|| script(include_str!("redis/cancel.lua")));
static RETRY: LazyLock<Script> = LazyLock::new(|| script(include_str!("redis/retry.lua")));

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
    /// Concurrent enqueues and completions share script calls (see `batch`).
    enqueues: Batcher<NewJob, Enqueued>,
    completions: Batcher<Completion, i64>,
}

/// Most jobs one script call takes.
const BATCH_MAX: usize = 256;

/// A job to create, as the enqueue script takes it.
struct NewJob {
    id: Uuid,
    spec: JobSpec,
    input: String,
}

/// A success to record, as the complete script takes it.
struct Completion {
    id: Uuid,
    token: Uuid,
    kind: String,
    target: Option<Uuid>,
    result: String,
    actual_cost_micros: Option<i64>,
    retention_ms: u64,
}

impl std::fmt::Debug for RedisQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisQueue")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

fn corrupt(what: impl std::fmt::Display) -> QueueError {
    QueueError::Corrupt(what.to_string())
}

fn opt(map: &HashMap<String, String>, key: &str) -> Option<String> {
    map.get(key).filter(|v| !v.is_empty()).cloned()
}

fn ms_time(map: &HashMap<String, String>, key: &str) -> QueueResult<Option<DateTime<Utc>>> {
    match opt(map, key) {
        None => Ok(None),
        Some(v) => {
            let ms: i64 = v.parse().map_err(|_| corrupt(format!("{key} = {v:?}")))?;
            Ok(Utc.timestamp_millis_opt(ms).single())
        }
    }
}

fn num<T: std::str::FromStr>(map: &HashMap<String, String>, key: &str) -> QueueResult<T> {
    map.get(key)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| corrupt(format!("job field {key} is missing or not a number")))
}

fn job_from_hash(map: &HashMap<String, String>) -> QueueResult<Job> {
    let json = |key: &str| -> QueueResult<Option<serde_json::Value>> {
        opt(map, key)
            .map(|v| serde_json::from_str(&v).map_err(corrupt))
            .transpose()
    };
    Ok(Job {
        id: Uuid::parse_str(map.get("id").map(String::as_str).unwrap_or_default())
            .map_err(corrupt)?,
        kind: map.get("kind").cloned().unwrap_or_default(),
        target: opt(map, "target")
            .map(|t| Uuid::parse_str(&t))
            .transpose()
            .map_err(corrupt)?,
        input: json("input")?.unwrap_or(serde_json::Value::Null),
        engine: opt(map, "engine"),
        priority: num(map, "priority")?,
        dedup_key: opt(map, "dedup_key"),
        state: map
            .get("state")
            .map(String::as_str)
            .unwrap_or_default()
            .parse()
            .map_err(corrupt)?,
        attempts: num(map, "attempts")?,
        max_attempts: num(map, "max_attempts")?,
        progress: num::<u32>(map, "progress")?.min(100) as u8,
        progress_message: map.get("progress_message").cloned().unwrap_or_default(),
        last_error: opt(map, "last_error")
            .map(|v| serde_json::from_str::<JobError>(&v).map_err(corrupt))
            .transpose()?,
        result: json("result")?,
        estimated_cost_micros: opt(map, "est_cost").and_then(|v| v.parse().ok()),
        actual_cost_micros: opt(map, "act_cost").and_then(|v| v.parse().ok()),
        created_at: ms_time(map, "created_at")?.ok_or_else(|| corrupt("created_at"))?,
        updated_at: ms_time(map, "updated_at")?.ok_or_else(|| corrupt("updated_at"))?,
        run_at: ms_time(map, "run_at")?,
        started_at: ms_time(map, "started_at")?,
        finished_at: ms_time(map, "finished_at")?,
        lease_until: ms_time(map, "lease_until")?,
        worker_id: opt(map, "worker_id"),
    })
}

fn job_from_value(value: &Value) -> QueueResult<Job> {
    let map: HashMap<String, String> = redis::from_redis_value_ref(value)?;
    job_from_hash(&map)
}

/// An event as the Lua scripts publish it.
#[derive(Deserialize)]
struct WireEvent {
    job_id: Uuid,
    kind: String,
    #[serde(default)]
    target: String,
    state: JobState,
    #[serde(default)]
    attempts: u32,
    #[serde(default)]
    progress: u8,
    #[serde(default)]
    message: String,
    #[serde(default)]
    last_error: String,
    #[serde(default)]
    run_at: String,
}

/// One event, or the events of a batch.
#[derive(Deserialize)]
#[serde(untagged)]
enum WireEvents {
    One(WireEvent),
    Many(Vec<WireEvent>),
}

impl WireEvent {
    fn into_event(self) -> JobEvent {
        let error = serde_json::from_str::<JobError>(&self.last_error).ok();
        let message = match (self.state, error) {
            (JobState::RetryWait | JobState::Dead, Some(e)) => e.message,
            _ => self.message,
        };
        JobEvent {
            job_id: self.job_id,
            kind: self.kind,
            target: Uuid::parse_str(&self.target).ok(),
            state: self.state,
            attempts: self.attempts,
            progress: self.progress,
            message,
            run_at: self
                .run_at
                .parse::<i64>()
                .ok()
                .and_then(|ms| Utc.timestamp_millis_opt(ms).single()),
        }
    }
}

/// Forwards the events channel into `events`, reconnecting with backoff when Redis goes away.
async fn forward_events(
    client: Client,
    channel: String,
    events: broadcast::Sender<JobEvent>,
    mut subscribed: Option<tokio::sync::oneshot::Sender<()>>,
) {
    use futures::StreamExt;
    let mut delay = Duration::from_millis(100);
    loop {
        match client.get_async_pubsub().await {
            Ok(mut pubsub) => {
                if pubsub.subscribe(&channel).await.is_ok() {
                    delay = Duration::from_millis(100);
                    if let Some(tx) = subscribed.take() {
                        let _ = tx.send(());
                    }
                    let mut stream = pubsub.into_on_message();
                    while let Some(msg) = stream.next().await {
                        let Ok(payload) = msg.get_payload::<String>() else {
                            continue;
                        };
                        match serde_json::from_str::<WireEvents>(&payload) {
                            Ok(WireEvents::One(event)) => {
                                let _ = events.send(event.into_event());
                            }
                            Ok(WireEvents::Many(many)) => {
                                for event in many {
                                    let _ = events.send(event.into_event());
                                }
                            }
                            Err(e) => tracing::warn!(error = %e, "unreadable job event"),
                        }
                    }
                }
                tracing::warn!("lost the Redis event subscription; reconnecting");
            }
            Err(e) => tracing::warn!(error = %e, "cannot subscribe to Redis events; retrying"),
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(10));
    }
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
            );
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
                },
                created: true,
            })
        })
        .collect())
}

/// Records a batch of successes with one script call; each answer is the finishing time, or
/// 0 when that lease was lost.
async fn complete_batch(
    mut conn: ConnectionManager,
    prefix: String,
    done: Vec<Completion>,
) -> BatchResult<i64> {
    let mut call = COMPLETE.prepare_invoke();
    let retention = done
        .iter()
        .map(|c| c.retention_ms)
        .max()
        .unwrap_or_default();
    call.arg(&prefix).arg(retention).arg(done.len());
    for c in &done {
        call.arg(c.id.to_string())
            .arg(c.token.to_string())
            .arg(&c.result)
            .arg(
                c.actual_cost_micros
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            )
            .arg(&c.kind)
            .arg(c.target.map(|t| t.to_string()).unwrap_or_default());
    }
    let finished: Vec<i64> = call.invoke_async(&mut conn).await?;
    Ok(finished.into_iter().map(Ok).collect())
}

/// Ids per page when listing.
const LIST_PAGE: usize = 200;

/// Newest-first paging through one index (a sorted set scored by queue order).
struct IndexWalk {
    key: String,
    buffer: std::collections::VecDeque<(String, f64)>,
    next: isize,
    done: bool,
}

impl IndexWalk {
    fn new(key: String) -> Self {
        Self {
            key,
            buffer: Default::default(),
            next: 0,
            done: false,
        }
    }

    /// A walk over entries already read (newest first).
    fn exhausted(entries: Vec<(String, f64)>) -> Self {
        Self {
            key: String::new(),
            buffer: entries.into(),
            next: 0,
            done: true,
        }
    }

    /// The score of the next id, reading another page when needed.
    async fn peek(&mut self, conn: &mut ConnectionManager) -> QueueResult<Option<f64>> {
        if self.buffer.is_empty() && !self.done {
            let page: Vec<(String, f64)> = conn
                .zrevrange_withscores(&self.key, self.next, self.next + LIST_PAGE as isize - 1)
                .await?;
            self.done = page.len() < LIST_PAGE;
            self.next += page.len() as isize;
            self.buffer.extend(page);
        }
        Ok(self.buffer.front().map(|e| e.1))
    }

    fn pop(&mut self) -> Option<String> {
        self.buffer.pop_front().map(|e| e.0)
    }
}

impl RedisQueue {
    /// Connects to Redis at `url` (e.g. `redis://127.0.0.1:6379/`). Commands reconnect by
    /// themselves with backoff after Redis restarts.
    pub async fn connect(url: &str) -> QueueResult<Self> {
        Self::connect_with_prefix(url, DEFAULT_PREFIX).await
    }

    /// Connects with another key prefix (several queues in one Redis, or tests).
    pub async fn connect_with_prefix(url: &str, prefix: &str) -> QueueResult<Self> {
        let client = Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(5)))
            .set_response_timeout(Some(Duration::from_secs(10)))
            .set_number_of_retries(6)
            .set_max_delay(Duration::from_secs(5));
        let conn = ConnectionManager::new_with_config(client.clone(), config).await?;
        let (events, _) = broadcast::channel(4096);
        let (subscribed, ready) = tokio::sync::oneshot::channel();
        tokio::spawn(forward_events(
            client.clone(),
            format!("{prefix}:events"),
            events.clone(),
            Some(subscribed),
        ));
        // Events published from now on reach subscribers (unless Redis is slow to answer,
        // in which case they start flowing a little later).
        let _ = tokio::time::timeout(Duration::from_secs(5), ready).await;
        let enqueues = {
            let (conn, prefix) = (conn.clone(), prefix.to_string());
            Batcher::start(
                BATCH_MAX,
                Arc::new(move |jobs| Box::pin(enqueue_batch(conn.clone(), prefix.clone(), jobs))),
            )
        };
        let completions = {
            let (conn, prefix) = (conn.clone(), prefix.to_string());
            Batcher::start(
                BATCH_MAX,
                Arc::new(move |done| Box::pin(complete_batch(conn.clone(), prefix.clone(), done))),
            )
        };
        Ok(Self {
            enqueues,
            completions,
            client,
            conn,
            blocking: Arc::new(Mutex::new(None)),
            prefix: prefix.to_string(),
            policy: RetryPolicy::default(),
            retention: Duration::from_secs(7 * 24 * 3600),
            events,
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

    /// Settings of this Redis that put accepted jobs at risk, described for an admin.
    pub async fn durability_warnings(&self) -> QueueResult<Vec<String>> {
        let mut conn = self.conn.clone();
        let mut get = async |name: &str| -> QueueResult<String> {
            let pair: Vec<String> = redis::cmd("CONFIG")
                .arg("GET")
                .arg(name)
                .query_async(&mut conn)
                .await?;
            Ok(pair.get(1).cloned().unwrap_or_default())
        };
        let mut warnings = Vec::new();
        if get("appendonly").await? != "yes" {
            warnings.push(
                "Redis has appendonly off: jobs accepted since the last snapshot are lost if Redis restarts; set appendonly yes".to_string(),
            );
        } else if get("appendfsync").await? == "no" {
            warnings.push("Redis has appendfsync no: set appendfsync everysec so at most a second of jobs can be lost".to_string());
        }
        let policy = get("maxmemory-policy").await?;
        if policy != "noeviction" {
            warnings.push(format!(
                "Redis has maxmemory-policy {policy}: under memory pressure it may evict jobs; set maxmemory-policy noeviction"
            ));
        }
        Ok(warnings)
    }

    fn key(&self, rest: &str) -> String {
        format!("{}:{rest}", self.prefix)
    }

    async fn load(&self, id: Uuid) -> QueueResult<Job> {
        let mut conn = self.conn.clone();
        let map: HashMap<String, String> = conn.hgetall(self.key(&format!("job:{id}"))).await?;
        if map.is_empty() {
            return Err(QueueError::NotFound(id));
        }
        job_from_hash(&map)
    }

    async fn leased_script(
        &self,
        script: &Script,
        lease: &Lease,
        extra: &[String],
    ) -> QueueResult<Value> {
        let mut conn = self.conn.clone();
        let mut call = script.prepare_invoke();
        call.arg(&self.prefix)
            .arg(lease.job.id.to_string())
            .arg(lease.token.to_string());
        for a in extra {
            call.arg(a);
        }
        let value: Value = call.invoke_async(&mut conn).await?;
        if matches!(value, Value::Int(0)) {
            return Err(QueueError::LeaseLost(lease.job.id));
        }
        Ok(value)
    }

    /// Runs the cancel or retry script and reads its `{status, …}` answer.
    async fn admin_script(
        &self,
        script: &Script,
        id: Uuid,
        action: &'static str,
    ) -> QueueResult<Job> {
        let mut conn = self.conn.clone();
        let reply: Vec<Value> = script
            .prepare_invoke()
            .arg(&self.prefix)
            .arg(id.to_string())
            .invoke_async(&mut conn)
            .await?;
        let status: String = reply
            .first()
            .map(redis::from_redis_value_ref)
            .transpose()?
            .unwrap_or_default();
        let second = reply.get(1);
        match status.as_str() {
            "ok" => job_from_value(second.ok_or_else(|| corrupt("script reply"))?),
            "not_found" => Err(QueueError::NotFound(id)),
            "wrong_state" => {
                let state: String = second
                    .map(redis::from_redis_value_ref)
                    .transpose()?
                    .unwrap_or_default();
                Err(QueueError::WrongState {
                    id,
                    state: state.parse().map_err(corrupt)?,
                    action,
                })
            }
            "dedup_taken" => {
                let other: String = second
                    .map(redis::from_redis_value_ref)
                    .transpose()?
                    .unwrap_or_default();
                Err(QueueError::InvalidSpec(format!(
                    "job {other} with the same dedup key is already queued or done; use that one"
                )))
            }
            other => Err(corrupt(format!("unexpected script answer {other:?}"))),
        }
    }

    /// The sorted set of the jobs in `state` (running jobs are indexed by their leases).
    fn state_index(&self, state: JobState) -> String {
        match state {
            JobState::Running => self.key("leases"),
            other => self.key(&format!("state:{}", other.as_str())),
        }
    }

    /// The running jobs (a few per worker), ordered like the other indexes: by queue order.
    async fn running_walk(&self) -> QueueResult<IndexWalk> {
        let mut conn = self.conn.clone();
        let ids: Vec<String> = conn.zrange(self.key("leases"), 0, -1).await?;
        if ids.is_empty() {
            return Ok(IndexWalk::exhausted(Vec::new()));
        }
        let mut pipe = redis::pipe();
        for id in &ids {
            pipe.hget(self.key(&format!("job:{id}")), "seq");
        }
        let seqs: Vec<Option<f64>> = pipe.query_async(&mut conn).await?;
        let mut entries: Vec<(String, f64)> = ids
            .into_iter()
            .zip(seqs)
            .filter_map(|(id, seq)| Some((id, seq?)))
            .collect();
        entries.sort_by(|a, b| b.1.total_cmp(&a.1));
        Ok(IndexWalk::exhausted(entries))
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

    async fn dequeue(
        &self,
        worker_id: &str,
        kinds: &[String],
        lease: Duration,
        max: usize,
    ) -> QueueResult<Vec<Lease>> {
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
        for token in &tokens {
            call.arg(token.to_string());
        }
        let jobs: Vec<Value> = call.invoke_async(&mut conn).await?;
        let by_token: HashMap<String, Uuid> = tokens.iter().map(|t| (t.to_string(), *t)).collect();
        jobs.iter()
            .map(|value| {
                let map: HashMap<String, String> = redis::from_redis_value_ref(value)?;
                let token = map
                    .get("lease_token")
                    .and_then(|t| by_token.get(t))
                    .copied()
                    .ok_or_else(|| corrupt("a dequeued job has no lease token of this call"))?;
                Ok(Lease {
                    job: job_from_hash(&map)?,
                    token,
                })
            })
            .collect()
    }

    async fn wait_for_work(&self, kinds: &[String], timeout: Duration) {
        if kinds.is_empty() {
            tokio::time::sleep(timeout).await;
            return;
        }
        let mut guard = self.blocking.lock().await;
        if guard.is_none() {
            let config = redis::AsyncConnectionConfig::new()
                .set_connection_timeout(Some(Duration::from_secs(5)))
                .set_response_timeout(None);
            match self
                .client
                .get_multiplexed_async_connection_with_config(&config)
                .await
            {
                Ok(c) => *guard = Some(c),
                Err(_) => {
                    drop(guard);
                    tokio::time::sleep(timeout.min(Duration::from_secs(1))).await;
                    return;
                }
            }
        }
        let Some(conn) = guard.as_mut() else { return };
        let keys: Vec<String> = kinds
            .iter()
            .map(|k| self.key(&format!("signal:{k}")))
            .collect();
        let result: redis::RedisResult<Option<(String, String)>> =
            conn.blpop(keys, timeout.as_secs_f64().max(0.01)).await;
        if result.is_err() {
            // The connection broke: make a new one next time.
            *guard = None;
        }
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
            })
            .await?;
        if finished == 0 {
            return Err(QueueError::LeaseLost(lease.job.id));
        }
        let ms = finished;
        // The script answers with the finishing time; the rest is what this worker knows.
        let at = Utc
            .timestamp_millis_opt(ms)
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
        let limit = filter.limit.unwrap_or(100);
        let keep = |job: &Job| {
            filter.state.is_none_or(|s| job.state == s)
                && filter.kind.as_ref().is_none_or(|k| &job.kind == k)
                && filter.target.is_none_or(|t| job.target == Some(t))
        };
        // Walk the most selective index, newest first, and keep what matches the rest.
        let mut sources = match (&filter.target, &filter.state) {
            (Some(t), _) => vec![IndexWalk::new(self.key(&format!("target:{t}")))],
            (None, Some(JobState::Running)) => vec![self.running_walk().await?],
            (None, Some(s)) => vec![IndexWalk::new(self.state_index(*s))],
            (None, None) => {
                let mut all = vec![self.running_walk().await?];
                for state in JobState::ALL
                    .into_iter()
                    .filter(|s| *s != JobState::Running)
                {
                    all.push(IndexWalk::new(self.state_index(state)));
                }
                all
            }
        };
        let mut jobs = Vec::new();
        let mut conn = self.conn.clone();
        while jobs.len() < limit {
            // The next page of ids, newest first over all sources.
            let mut ids = Vec::with_capacity(LIST_PAGE);
            while ids.len() < LIST_PAGE {
                let mut best: Option<(usize, f64)> = None;
                for (i, source) in sources.iter_mut().enumerate() {
                    if let Some(seq) = source.peek(&mut conn).await?
                        && best.is_none_or(|(_, b)| seq > b)
                    {
                        best = Some((i, seq));
                    }
                }
                let Some((i, _)) = best else { break };
                ids.extend(sources[i].pop());
            }
            if ids.is_empty() {
                break;
            }
            let mut pipe = redis::pipe();
            for id in &ids {
                pipe.hgetall(self.key(&format!("job:{id}")));
            }
            let maps: Vec<HashMap<String, String>> = pipe.query_async(&mut conn).await?;
            for map in maps.iter().filter(|m| !m.is_empty()) {
                let job = job_from_hash(map)?;
                if keep(&job) && jobs.len() < limit {
                    jobs.push(job);
                }
            }
        }
        Ok(jobs)
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
        self.events.subscribe()
    }
}
