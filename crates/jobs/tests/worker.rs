//! The worker runtime over a real queue: concurrency, failures, panics, cancellation and
//! graceful shutdown.

use classkit_jobs::diagnostic::{Diagnostic, KIND};
use classkit_jobs::{
    Handler, JobContext, JobError, JobSpec, JobState, LocalQueue, Output, Queue, RetryPolicy,
    Worker, WorkerConfig,
};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// The diagnostic handler, counting how many run at once.
#[derive(Clone, Default)]
struct Counting {
    now: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
}

impl Counting {
    fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }
}

#[async_trait::async_trait]
impl Handler for Counting {
    async fn run(&self, ctx: JobContext) -> Result<Output, JobError> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        let result = Diagnostic.run(ctx).await;
        self.now.fetch_sub(1, Ordering::SeqCst);
        result
    }
}

async fn queue() -> (tempfile::TempDir, Arc<dyn Queue>) {
    let dir = tempfile::tempdir().expect("dir");
    let q = LocalQueue::open(dir.path())
        .await
        .expect("queue")
        .with_policy(RetryPolicy {
            base: Duration::from_millis(30),
            jitter: classkit_jobs::Jitter::None,
            ..RetryPolicy::default()
        });
    (dir, Arc::new(q))
}

fn config(concurrency: usize) -> WorkerConfig {
    WorkerConfig {
        concurrency,
        lease: Duration::from_secs(2),
        heartbeat: Duration::from_millis(100),
        poll: Duration::from_millis(50),
        shutdown_grace: Duration::from_millis(300),
        ..WorkerConfig::default()
    }
}

async fn wait_for(q: &Arc<dyn Queue>, id: uuid::Uuid, state: JobState) -> classkit_jobs::Job {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let job = q.get(id).await.expect("get");
        if job.state == state || Instant::now() > deadline {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_jobs_concurrently_and_reports_results() {
    let (_dir, q) = queue().await;
    let mut ids = Vec::new();
    for _ in 0..12 {
        ids.push(
            q.enqueue(JobSpec::new(KIND, json!({"sleep_ms": 200})))
                .await
                .expect("e")
                .job
                .id,
        );
    }
    let mut events = q.subscribe();
    let stop = CancellationToken::new();
    let handlers = Counting::default();
    let worker = Worker::new(q.clone(), config(6)).register(KIND, handlers.clone());
    let handle = tokio::spawn(worker.run(stop.clone()));
    // Follow the jobs through their events until all are done.
    let mut running = std::collections::HashSet::new();
    let mut most = 0;
    let mut done = 0;
    while done < ids.len() {
        let event = tokio::time::timeout(Duration::from_secs(20), events.recv())
            .await
            .expect("events keep coming")
            .expect("event");
        match event.state {
            JobState::Running => {
                running.insert(event.job_id);
            }
            JobState::Succeeded => {
                running.remove(&event.job_id);
                done += 1;
            }
            _ => {}
        }
        most = most.max(running.len());
    }
    assert_eq!(handlers.most(), 6, "six handlers at a time, never more");
    // The queue may briefly show more running: a finished handler's slot takes the next job
    // while its result is still being recorded.
    assert!(
        (6..=12).contains(&most),
        "{most} running in the queue at most"
    );
    for id in &ids {
        let job = q.get(*id).await.expect("get");
        assert_eq!(job.state, JobState::Succeeded);
        assert_eq!(job.result.as_ref().expect("result")["slept_ms"], 200);
    }
    stop.cancel();
    let report = handle.await.expect("worker");
    assert_eq!(report.succeeded, 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_retry_panics_fail_only_the_attempt_permanent_errors_die() {
    let (_dir, q) = queue().await;
    let flaky = q
        .enqueue(JobSpec::new(
            KIND,
            json!({"fail": {"class": "retryable", "message": "503 from provider", "attempts": 2}}),
        ))
        .await
        .expect("e")
        .job
        .id;
    let panics = q
        .enqueue(JobSpec::new(KIND, json!({"panic": true})).max_attempts(2))
        .await
        .expect("e")
        .job
        .id;
    let bad = q
        .enqueue(JobSpec::new(
            KIND,
            json!({"fail": {"class": "permanent", "message": "400 unknown voice"}}),
        ))
        .await
        .expect("e")
        .job
        .id;
    let malformed = q
        .enqueue(JobSpec::new(KIND, json!({"sleep": "x"})))
        .await
        .expect("e")
        .job
        .id;
    let unknown = q
        .enqueue(JobSpec::new("narration", json!({})))
        .await
        .expect("e")
        .job
        .id;
    let stop = CancellationToken::new();
    let worker = Worker::new(q.clone(), config(3)).register(KIND, Diagnostic);
    let handle = tokio::spawn(worker.run(stop.clone()));

    let job = wait_for(&q, flaky, JobState::Succeeded).await;
    assert_eq!(
        (job.state, job.attempts),
        (JobState::Succeeded, 3),
        "two retries, then success"
    );
    let job = wait_for(&q, panics, JobState::Dead).await;
    assert_eq!((job.state, job.attempts), (JobState::Dead, 2));
    assert!(job.last_error.expect("error").message.contains("panicked"));
    let job = wait_for(&q, bad, JobState::Dead).await;
    assert_eq!(
        (job.state, job.attempts),
        (JobState::Dead, 1),
        "permanent: no retry"
    );
    let job = wait_for(&q, malformed, JobState::Dead).await;
    assert!(job.last_error.expect("error").message.contains("not valid"));
    // A kind this worker does not serve is left for another worker.
    assert_eq!(q.get(unknown).await.expect("get").state, JobState::Queued);
    stop.cancel();
    handle.await.expect("the worker survived the panic");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_running_job_stops_its_handler() {
    let (_dir, q) = queue().await;
    let id = q
        .enqueue(JobSpec::new(KIND, json!({"sleep_ms": 60_000})))
        .await
        .expect("e")
        .job
        .id;
    let stop = CancellationToken::new();
    let worker = Worker::new(q.clone(), config(1)).register(KIND, Diagnostic);
    let handle = tokio::spawn(worker.run(stop.clone()));
    wait_for(&q, id, JobState::Running).await;
    q.cancel(id).await.expect("cancel");
    // The slot comes free at the next heartbeat: a new job runs without waiting a minute.
    let next = q
        .enqueue(JobSpec::new(KIND, json!({})))
        .await
        .expect("e")
        .job
        .id;
    let job = wait_for(&q, next, JobState::Succeeded).await;
    assert_eq!(job.state, JobState::Succeeded);
    assert_eq!(q.get(id).await.expect("get").state, JobState::Cancelled);
    stop.cancel();
    handle.await.expect("worker");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_short_jobs_and_gives_back_long_ones() {
    let (_dir, q) = queue().await;
    let short = q
        .enqueue(JobSpec::new(KIND, json!({"sleep_ms": 100})))
        .await
        .expect("e")
        .job
        .id;
    let long = q
        .enqueue(JobSpec::new(KIND, json!({"sleep_ms": 60_000})))
        .await
        .expect("e")
        .job
        .id;
    let stop = CancellationToken::new();
    let worker = Worker::new(q.clone(), config(2)).register(KIND, Diagnostic);
    let handle = tokio::spawn(worker.run(stop.clone()));
    wait_for(&q, long, JobState::Running).await;
    stop.cancel();
    let report = handle.await.expect("worker");
    assert_eq!((report.succeeded, report.released), (1, 1));
    assert_eq!(q.get(short).await.expect("get").state, JobState::Succeeded);
    let long = q.get(long).await.expect("get");
    assert_eq!(
        (long.state, long.attempts),
        (JobState::Queued, 0),
        "back in the queue, attempt not counted"
    );
}
