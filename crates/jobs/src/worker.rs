//! The worker runtime: N concurrent handlers over any `Queue`, registered per job kind.
//!
//! Each job runs in its own task while a heartbeat renews its lease. A handler that panics
//! fails that attempt (retryable), not the worker. A job cancelled while running, or whose
//! lease was lost, has its handler stopped. On shutdown the worker takes no new jobs, lets
//! running ones finish within a grace period, then gives the rest back to the queue.

use crate::batch::Batcher;
use crate::job::Job;
use crate::job::{JobError, Lease};
use crate::metrics::WorkerMetrics;
use crate::queue::{NextJobs, Queue, QueueError, QueueResult, Success};
use async_trait::async_trait;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Longest a free slot waits for its batch to fill before the worker takes jobs for it.
const BATCH_WAIT: Duration = Duration::from_millis(20);

/// What a handler returns when the job succeeded.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub result: Value,
    /// What the work cost, in millionths of a US dollar, when known.
    pub actual_cost_micros: Option<i64>,
}

impl Output {
    /// A result with no cost.
    pub fn new(result: Value) -> Self {
        Self {
            result,
            actual_cost_micros: None,
        }
    }
}

/// The job a handler runs, with a way to report progress and to notice cancellation.
#[derive(Clone)]
pub struct JobContext {
    pub job: Job,
    pub worker_id: String,
    lease: Lease,
    queue: Arc<dyn Queue>,
    cancelled: CancellationToken,
}

impl JobContext {
    /// Reports progress (0–100) with a message; a lost lease cancels the job.
    pub async fn progress(&self, percent: u8, message: &str) {
        if let Err(QueueError::LeaseLost(_)) =
            self.queue.progress(&self.lease, percent, message).await
        {
            self.cancelled.cancel();
        }
    }

    /// Resolves when the job was cancelled or its lease lost: stop work and return.
    pub async fn cancelled(&self) {
        self.cancelled.cancelled().await
    }

    /// The queue the job came from, for jobs that queue follow-up work.
    pub fn queue(&self) -> &Arc<dyn Queue> {
        &self.queue
    }

    /// True once the job was cancelled or its lease lost.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.is_cancelled()
    }
}

/// Runs jobs of one kind.
#[async_trait]
pub trait Handler: Send + Sync + 'static {
    /// Does the work. Must be idempotent: a job can be delivered more than once.
    async fn run(&self, ctx: JobContext) -> Result<Output, JobError>;
}

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Unique among all workers: host, process and a random part by default.
    pub id: String,
    /// Jobs run at once.
    pub concurrency: usize,
    /// How long a job is held without a heartbeat.
    pub lease: Duration,
    /// How often running jobs renew their lease.
    pub heartbeat: Duration,
    /// Longest wait for new work before looking again (due retries, other processes).
    pub poll: Duration,
    /// How long running jobs may finish after shutdown is asked for.
    pub shutdown_grace: Duration,
    /// The engines this worker has, when it may not have every engine a job names (workers
    /// of a shared queue on hosts set up differently): it takes only jobs naming none or
    /// one of these. `None`: every job of its kinds.
    pub engines: Option<Vec<String>>,
}

/// A worker id unique across machines: `host-pid-random`.
pub fn default_worker_id() -> String {
    let host = hostname::get()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "host".into());
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}-{}-{}", std::process::id(), &random[..8])
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            id: default_worker_id(),
            concurrency: 4,
            lease: Duration::from_secs(30),
            heartbeat: Duration::from_secs(10),
            poll: Duration::from_secs(1),
            shutdown_grace: Duration::from_secs(30),
            engines: None,
        }
    }
}

/// What a worker did, reported when it stops.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerReport {
    pub succeeded: u64,
    pub failed: u64,
    pub released: u64,
}

/// Serves a queue with registered handlers.
pub struct Worker {
    queue: Arc<dyn Queue>,
    handlers: HashMap<String, Arc<dyn Handler>>,
    config: WorkerConfig,
    metrics: Arc<WorkerMetrics>,
    health: Arc<WorkerHealth>,
}

/// Whether a worker can use its queue: the trouble it is having, if any. Whoever waits for
/// the worker's jobs reads it to stop waiting for jobs that cannot finish (the queue's disk
/// is full, its database unreachable) and say why.
#[derive(Debug, Default)]
pub struct WorkerHealth {
    trouble: std::sync::Mutex<Option<QueueTrouble>>,
}

/// A queue operation that has been failing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueTrouble {
    /// When the operations began to fail.
    pub since: Instant,
    /// The latest error.
    pub message: String,
    /// True when the queue's disk is full.
    pub disk_full: bool,
}

impl WorkerHealth {
    /// The trouble the worker is having with its queue, if any.
    pub fn trouble(&self) -> Option<QueueTrouble> {
        self.trouble.lock().map(|t| t.clone()).unwrap_or(None)
    }

    fn failed(&self, e: &QueueError) {
        if let Ok(mut trouble) = self.trouble.lock() {
            let since = trouble.as_ref().map_or_else(Instant::now, |t| t.since);
            *trouble = Some(QueueTrouble {
                since,
                message: e.to_string(),
                disk_full: e.is_disk_full(),
            });
        }
    }

    fn recovered(&self) {
        if let Ok(mut trouble) = self.trouble.lock() {
            *trouble = None;
        }
    }
}

enum Finished {
    Succeeded,
    Failed,
    Released,
    /// Cancelled or lease lost: nothing to record.
    Abandoned,
}

impl Worker {
    /// A worker over `queue` with no handlers yet.
    pub fn new(queue: Arc<dyn Queue>, config: WorkerConfig) -> Self {
        Self {
            queue,
            handlers: HashMap::new(),
            config,
            metrics: Arc::new(WorkerMetrics::default()),
            health: Arc::default(),
        }
    }

    /// Whether the worker can use its queue, for whoever waits for its jobs.
    pub fn health(&self) -> Arc<WorkerHealth> {
        self.health.clone()
    }

    /// Runs jobs of `kind` with `handler`.
    pub fn register(mut self, kind: &str, handler: impl Handler) -> Self {
        self.handlers.insert(kind.to_string(), Arc::new(handler));
        self
    }

    /// The worker's counters, for a metrics endpoint.
    pub fn metrics(&self) -> Arc<WorkerMetrics> {
        self.metrics.clone()
    }

    /// The kinds this worker serves.
    pub fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self.handlers.keys().cloned().collect();
        kinds.sort();
        kinds
    }

    /// Runs until `shutdown` is cancelled, then finishes or gives back running jobs.
    pub async fn run(self, shutdown: CancellationToken) -> WorkerReport {
        let kinds = self.kinds();
        let mut running: JoinSet<WorkerReport> = JoinSet::new();
        let mut report = WorkerReport::default();
        let stop_handlers = CancellationToken::new();
        tracing::info!(worker = %self.config.id, kinds = ?kinds, engines = ?self.config.engines, concurrency = self.config.concurrency, "worker started");
        let mut backoff = Duration::from_millis(100);
        // Slots are refilled in batches (one dequeue for many jobs) when half of them are
        // free, and at the latest `BATCH_WAIT` after the last dequeue.
        let mut last_dequeue = Instant::now();
        let concurrency = self.config.concurrency.max(1);
        let slots = Slots::default();
        let next = NextJobs {
            worker_id: self.config.id.clone(),
            kinds: kinds.clone(),
            lease: self.config.lease,
            engines: self.config.engines.clone(),
        };
        let runner = Arc::new(Runner {
            queue: self.queue.clone(),
            handlers: self.handlers.clone(),
            worker_id: self.config.id.clone(),
            heartbeat: self.config.heartbeat,
            lease: self.config.lease,
            metrics: self.metrics.clone(),
            health: self.health.clone(),
            stop: stop_handlers.clone(),
            draining: shutdown.clone(),
            finisher: finisher(self.queue.clone(), next.clone(), concurrency),
        });
        while !shutdown.is_cancelled() {
            while let Some(done) = running.try_join_next() {
                tally(&mut report, done);
            }
            let free = concurrency.saturating_sub(slots.taken());
            let refill = free > 0
                && (slots.taken() == 0
                    || free * 2 >= concurrency
                    || last_dequeue.elapsed() >= BATCH_WAIT);
            let mut drained = false;
            if refill {
                last_dequeue = Instant::now();
                match self.queue.take(&next, free).await {
                    Ok(leases) => {
                        self.health.recovered();
                        backoff = Duration::from_millis(100);
                        drained = leases.len() < free;
                        for lease in leases {
                            let slot = slots.take();
                            running.spawn(runner.clone().run_chain(lease, slot));
                        }
                    }
                    Err(e) => {
                        // Redis restarting, SQLite busy, a full disk: wait and try again,
                        // longer each time.
                        self.health.failed(&e);
                        tracing::warn!(error = %e, retry_in_ms = backoff.as_millis() as u64, "cannot take jobs");
                        tokio::select! {
                            _ = tokio::time::sleep(backoff) => {}
                            _ = shutdown.cancelled() => {}
                        }
                        backoff = (backoff * 2).min(Duration::from_secs(10));
                        continue;
                    }
                }
            }
            let free = concurrency.saturating_sub(slots.taken());
            let batch_due = tokio::time::sleep_until((last_dequeue + BATCH_WAIT).into());
            tokio::select! {
                Some(done) = running.join_next(), if !running.is_empty() => {
                    tally(&mut report, done);
                }
                _ = slots.freed.notified() => {}
                // Nothing left to take: sleep until work arrives (or the poll interval ends).
                _ = self.queue.wait_for_work(&kinds, self.config.poll), if drained && free > 0 => {}
                _ = batch_due, if !drained && free > 0 => {}
                _ = shutdown.cancelled() => {}
            }
        }
        tracing::info!(worker = %self.config.id, running = running.len(), "worker stopping");
        let deadline = tokio::time::sleep(self.config.shutdown_grace);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                done = running.join_next() => match done {
                    Some(done) => tally(&mut report, done),
                    None => break,
                },
                _ = &mut deadline => {
                    // Out of time: stop the handlers; each gives its job back.
                    stop_handlers.cancel();
                    while let Some(done) = running.join_next().await {
                        tally(&mut report, done);
                    }
                    break;
                }
            }
        }
        tracing::info!(worker = %self.config.id, ?report, "worker stopped");
        report
    }
}

/// Records a worker's successes, several per call, taking next jobs in the same call.
type Finisher = Batcher<Success, (Job, Option<Lease>)>;

fn finisher(queue: Arc<dyn Queue>, next: NextJobs, max: usize) -> Finisher {
    let next = Arc::new(next);
    Batcher::start(
        max,
        Arc::new(move |done| {
            let queue = queue.clone();
            let next = next.clone();
            Box::pin(async move { queue.complete_and_dequeue(done, &next).await })
        }),
    )
}

/// What every job of a worker runs with.
struct Runner {
    queue: Arc<dyn Queue>,
    handlers: HashMap<String, Arc<dyn Handler>>,
    worker_id: String,
    heartbeat: Duration,
    lease: Duration,
    metrics: Arc<WorkerMetrics>,
    health: Arc<WorkerHealth>,
    /// Cancelled when the shutdown grace is over: handlers stop and give their jobs back.
    stop: CancellationToken,
    /// Cancelled when shutdown is asked for: no next jobs are taken.
    draining: CancellationToken,
    finisher: Finisher,
}

impl Runner {
    /// Runs a job in `slot`, then, as long as each success brings a next job with it, that
    /// one in the same slot: finishing a job and fetching the next is one round trip.
    async fn run_chain(self: Arc<Self>, lease: Lease, slot: Slot) -> WorkerReport {
        let mut report = WorkerReport::default();
        let mut lease = Some(lease);
        while let Some(current) = lease.take() {
            let (finished, next) = self.run_one(current).await;
            match finished {
                Finished::Succeeded => report.succeeded += 1,
                Finished::Failed => report.failed += 1,
                Finished::Released => report.released += 1,
                Finished::Abandoned => {}
            }
            match next {
                Some(next) if self.draining.is_cancelled() => {
                    // Shutdown began while the next job was on its way: give it back.
                    if with_retries(|| self.queue.release(&next)).await.is_ok() {
                        report.released += 1;
                    }
                }
                next => lease = next,
            }
        }
        drop(slot);
        report
    }

    async fn run_one(&self, lease: Lease) -> (Finished, Option<Lease>) {
        let queue = &self.queue;
        let worker_id = &self.worker_id;
        let metrics = &self.metrics;
        let handler = self.handlers.get(&lease.job.kind).cloned();
        let started = Instant::now();
        metrics.started(&lease.job.kind);
        let cancelled = CancellationToken::new();
        let ctx = JobContext {
            job: lease.job.clone(),
            worker_id: worker_id.clone(),
            lease: lease.clone(),
            queue: queue.clone(),
            cancelled: cancelled.clone(),
        };
        let job_id = lease.job.id;
        let outcome: Option<Result<Output, JobError>> = match handler {
            None => Some(Err(JobError::permanent(format!(
                "worker {worker_id} has no handler for jobs of kind {}",
                lease.job.kind
            )))),
            Some(handler) => {
                let mut task = tokio::spawn(async move { handler.run(ctx).await });
                // The first beat is one period away (an interval's immediate first tick
                // waits for the timer driver: up to a millisecond per job).
                let mut beat = tokio::time::interval_at(
                    tokio::time::Instant::now() + self.heartbeat,
                    self.heartbeat,
                );
                loop {
                    tokio::select! {
                        joined = &mut task => break match joined {
                            Ok(result) => Some(result),
                            Err(e) if e.is_panic() => Some(Err(JobError::retryable(format!(
                                "the {} handler panicked: {}",
                                lease.job.kind,
                                panic_message(e.into_panic())
                            )))),
                            Err(_) => None,
                        },
                        _ = beat.tick() => {
                            if let Err(QueueError::LeaseLost(_)) = queue.heartbeat(&lease, self.lease).await {
                                // Cancelled, or taken over after an expired lease.
                                cancelled.cancel();
                                task.abort();
                                let _ = (&mut task).await;
                                break None;
                            }
                        }
                        _ = self.stop.cancelled() => {
                            cancelled.cancel();
                            task.abort();
                            let _ = (&mut task).await;
                            metrics.finished(&lease.job.kind, "released", started.elapsed());
                            return match with_retries(|| queue.release(&lease)).await {
                                Ok(_) => (Finished::Released, None),
                                Err(_) => (Finished::Abandoned, None),
                            };
                        }
                    }
                }
            }
        };
        match outcome {
            None => {
                tracing::info!(job_id = %job_id, "job cancelled or taken over; handler stopped");
                metrics.finished(&lease.job.kind, "abandoned", started.elapsed());
                (Finished::Abandoned, None)
            }
            Some(Ok(output)) => {
                let done = with_retries(|| {
                    self.finisher.call(Success {
                        lease: lease.clone(),
                        result: output.result.clone(),
                        actual_cost_micros: output.actual_cost_micros,
                        take_next: !self.draining.is_cancelled(),
                    })
                })
                .await;
                metrics.finished(&lease.job.kind, "succeeded", started.elapsed());
                match done {
                    Ok((_, next)) => {
                        self.health.recovered();
                        (Finished::Succeeded, next)
                    }
                    Err(e) => {
                        if e.is_transient() {
                            self.health.failed(&e);
                        }
                        tracing::warn!(job_id = %job_id, error = %e, "could not record success; the job will run again");
                        (Finished::Abandoned, None)
                    }
                }
            }
            Some(Err(error)) => {
                tracing::info!(job_id = %job_id, error = %error, class = ?error.class, "attempt failed");
                let done = with_retries(|| queue.fail(&lease, error.clone())).await;
                match &done {
                    Ok(job) => {
                        metrics.finished(&lease.job.kind, job.state.as_str(), started.elapsed())
                    }
                    Err(_) => metrics.finished(&lease.job.kind, "abandoned", started.elapsed()),
                }
                match done {
                    Ok(_) => (Finished::Failed, None),
                    Err(e) => {
                        if e.is_transient() {
                            self.health.failed(&e);
                        }
                        tracing::warn!(job_id = %job_id, error = %e, "could not record the failure; the job will run again");
                        (Finished::Abandoned, None)
                    }
                }
            }
        }
    }
}

/// The worker's handler slots in use.
#[derive(Default)]
struct Slots {
    taken: Arc<AtomicUsize>,
    freed: Arc<Notify>,
}

impl Slots {
    fn taken(&self) -> usize {
        self.taken.load(Ordering::Acquire)
    }

    fn take(&self) -> Slot {
        self.taken.fetch_add(1, Ordering::AcqRel);
        Slot {
            taken: self.taken.clone(),
            freed: self.freed.clone(),
        }
    }
}

/// One handler slot, given back when dropped.
struct Slot {
    taken: Arc<AtomicUsize>,
    freed: Arc<Notify>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.taken.fetch_sub(1, Ordering::AcqRel);
        self.freed.notify_one();
    }
}

fn tally(report: &mut WorkerReport, done: Result<WorkerReport, tokio::task::JoinError>) {
    if let Ok(done) = done {
        report.succeeded += done.succeeded;
        report.failed += done.failed;
        report.released += done.released;
    }
}

/// Calls a queue operation until it succeeds, for about 30 s while the backend is
/// unreachable or its disk full; other errors (a lost lease) return at once.
async fn with_retries<T, F, Fut>(mut op: F) -> QueueResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = QueueResult<T>>,
{
    let mut delay = Duration::from_millis(50);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match op().await {
            Err(e) if e.is_transient() && Instant::now() < deadline => {
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(2));
            }
            other => return other,
        }
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".into()
    }
}
