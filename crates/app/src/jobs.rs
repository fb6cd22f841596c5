//! Generation jobs from the app's side: the queue an app uses (the library's own, or the
//! team's on Redis), its jobs as the job tray and the command line see them, a health check
//! of its workers, and the bundled workers that serve it inside the app.

use crate::{App, AppError, Result};
use chrono::{DateTime, Utc};
use classkit_jobs::diagnostic::{self, Diagnostic};
use classkit_jobs::{
    Job, JobFilter, JobSpec, JobState, LocalQueue, Queue, QueueTrouble, RedisQueue, StateCounts,
    Worker, WorkerConfig, WorkerHealth, WorkerReport,
};
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// How long whoever waits for bundled workers that cannot use their queue (its database
/// unreachable or failing) waits before it stops and says why; a full disk stops it at once.
const QUEUE_TROUBLE_LIMIT: Duration = Duration::from_secs(60);

/// The disk-full failure of `job` in an attempt made since `since`, if that is how it last
/// failed (an older failure, before someone freed space, does not count).
pub(crate) fn disk_full_since(job: &Job, since: DateTime<Utc>) -> Option<AppError> {
    let error = job.last_error.as_ref().filter(|e| e.is_disk_full())?;
    (matches!(job.state, JobState::RetryWait | JobState::Dead) && job.updated_at >= since).then(
        || AppError::DiskFull {
            detail: error.message.clone(),
        },
    )
}

/// Workers running inside the app over the library's local queue.
pub struct BundledWorkers {
    stop: CancellationToken,
    handle: Option<JoinHandle<WorkerReport>>,
    health: Arc<WorkerHealth>,
}

impl Drop for BundledWorkers {
    /// Workers dropped without `stop` stop taking jobs too (their running jobs finish).
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

impl BundledWorkers {
    /// Runs `worker` as a task of this process until stopped.
    pub(crate) fn run(worker: Worker) -> Self {
        let stop = CancellationToken::new();
        let health = worker.health();
        let handle = tokio::spawn(worker.run(stop.clone()));
        Self {
            stop,
            handle: Some(handle),
            health,
        }
    }

    /// The trouble the workers are having with their queue (a full disk), if any.
    pub fn trouble(&self) -> Option<QueueTrouble> {
        self.health.trouble()
    }

    /// Why jobs on these workers cannot finish, for whoever waits for them: the queue's disk
    /// is full, or the workers could not use their queue (of the library in `library`) for
    /// [`QUEUE_TROUBLE_LIMIT`].
    pub(crate) fn stalled(&self, library: &Path) -> Option<AppError> {
        let trouble = self.trouble()?;
        if trouble.disk_full {
            return Some(AppError::DiskFull {
                detail: trouble.message,
            });
        }
        (trouble.since.elapsed() >= QUEUE_TROUBLE_LIMIT).then(|| AppError::WorkStalled {
            library: library.to_path_buf(),
            detail: trouble.message,
        })
    }

    /// Stops taking jobs, lets running ones finish (or gives them back) and waits.
    pub async fn stop(mut self) -> WorkerReport {
        self.stop.cancel();
        match self.handle.take() {
            Some(handle) => handle.await.unwrap_or_default(),
            None => WorkerReport::default(),
        }
    }
}

/// Which job queue an app dispatches to and its workers serve.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum QueueChoice {
    /// The library's own queue, in its folder (solo mode: no server needed).
    #[default]
    Local,
    /// The team's shared queue at this Redis URL.
    Redis(String),
}

impl QueueChoice {
    /// The team's queue when a Redis URL is given, else the library's own.
    pub fn from_redis_url(url: Option<String>) -> Self {
        url.map_or(Self::Local, Self::Redis)
    }

    async fn open(&self, library: &Path) -> Result<Arc<dyn Queue>> {
        Ok(match self {
            Self::Local => Arc::new(LocalQueue::open(library).await?),
            Self::Redis(url) => Arc::new(RedisQueue::connect(url).await?),
        })
    }
}

/// A job as the job tray shows it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct JobView {
    pub id: Uuid,
    /// `narration`, `slide_render`, `draft_component`, …
    pub kind: String,
    /// The slide or component it works for.
    pub target: Option<Uuid>,
    pub engine: Option<String>,
    pub state: JobState,
    /// True in a final state (succeeded, dead, cancelled): it changes again only if retried.
    pub finished: bool,
    pub attempts: u32,
    pub max_attempts: u32,
    /// 0–100.
    pub progress: u8,
    pub message: String,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// Whether that failure will be tried again.
    pub error_retryable: Option<bool>,
    /// For a job waiting to retry: when it runs again.
    pub run_at: Option<DateTime<Utc>>,
    pub estimated_cost_micros: Option<i64>,
    pub cost_micros: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The course it works for, when the job says.
    pub course_id: Option<Uuid>,
    /// Who dispatched it (a team job: the member's email).
    pub requested_by: Option<String>,
    /// True for a job of the team's queue (run by the team's workers; cancelled and retried
    /// through the team server).
    pub team: bool,
    /// The slide it works for (a component's slide for a component's job).
    pub slide_id: Option<Uuid>,
    /// The slide's title, for the tray to say which slide (see [`App::describe_jobs`]).
    pub slide_title: Option<String>,
    /// The type of the component it drafts or works for (`QUIZ`, …).
    pub component_type: Option<String>,
    /// The course's title.
    pub course_title: Option<String>,
}

impl JobView {
    pub fn of(job: &Job) -> Self {
        Self {
            id: job.id,
            kind: job.kind.clone(),
            target: job.target,
            engine: job.engine.clone(),
            state: job.state,
            finished: job.state.is_final(),
            attempts: job.attempts,
            max_attempts: job.max_attempts,
            progress: job.progress,
            message: job.progress_message.clone(),
            error: job.last_error.as_ref().map(|e| e.message.clone()),
            error_retryable: job
                .last_error
                .as_ref()
                .map(|e| e.class == classkit_jobs::ErrorClass::Retryable),
            run_at: job.run_at,
            estimated_cost_micros: job.estimated_cost_micros,
            cost_micros: job.actual_cost_micros,
            created_at: job.created_at,
            updated_at: job.updated_at,
            finished_at: job.finished_at,
            course_id: job.course_id,
            requested_by: job.requested_by.clone(),
            team: false,
            slide_id: job.input["slide_id"].as_str().and_then(|s| s.parse().ok()),
            slide_title: None,
            component_type: job.input["component_type"].as_str().map(str::to_string),
            course_title: None,
        }
    }

    /// A job of the team's queue, as the team server gives it.
    pub fn of_team(job: &classkit_sync::TeamJob) -> Self {
        let error = job.last_error.as_ref();
        let created_at = job.created_at.unwrap_or_else(Utc::now);
        Self {
            id: job.id,
            kind: job.kind.clone(),
            target: job.target,
            engine: job.engine.clone(),
            state: job.state.parse().unwrap_or(JobState::Queued),
            finished: job.is_finished(),
            attempts: job.attempts,
            max_attempts: job.max_attempts,
            progress: job.progress,
            message: job.progress_message.clone(),
            error: error
                .and_then(|e| e["message"].as_str())
                .map(str::to_string),
            error_retryable: error
                .and_then(|e| e["class"].as_str())
                .map(|c| c == "retryable"),
            run_at: job.run_at,
            estimated_cost_micros: job.estimated_cost_micros,
            cost_micros: job.actual_cost_micros,
            created_at,
            updated_at: job.updated_at.unwrap_or(created_at),
            finished_at: job.finished_at,
            course_id: job.course_id,
            requested_by: job.requested_by.clone(),
            team: true,
            slide_id: None,
            slide_title: None,
            component_type: None,
            course_title: None,
        }
    }
}

/// What a health check of the workers found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkerCheck {
    /// The check jobs that ran.
    pub jobs: usize,
    pub seconds: f64,
    /// The workers that ran them, by name.
    pub workers: Vec<String>,
}

/// The jobs of one queue: listing, inspecting, cancelling and retrying them, and checking
/// that workers serve it.
#[derive(Clone)]
pub struct Jobs {
    queue: Arc<dyn Queue>,
}

impl Jobs {
    /// The queue of the existing library in `library` (a mistyped folder, or a library of a
    /// newer version, is an error, never a new queue), or the team's queue when `choice`
    /// says so (no library needed).
    pub async fn open(library: &Path, choice: &QueueChoice) -> Result<Self> {
        Ok(match choice {
            QueueChoice::Local => {
                App::open_existing(library, QueueChoice::Local)
                    .await?
                    .jobs()
                    .await?
            }
            QueueChoice::Redis(_) => Self {
                queue: choice.open(library).await?,
            },
        })
    }

    /// Jobs matching `filter`, newest first, with the number in each state.
    pub async fn list(&self, filter: &JobFilter) -> Result<(Vec<Job>, StateCounts)> {
        let jobs = self.queue.list(filter).await?;
        Ok((jobs, self.queue.counts().await?))
    }

    /// The newest jobs, for the job tray.
    pub async fn newest(&self, limit: usize) -> Result<Vec<JobView>> {
        let jobs = self
            .queue
            .list(&JobFilter {
                limit: Some(limit.clamp(1, 1000)),
                ..JobFilter::default()
            })
            .await?;
        Ok(jobs.iter().map(JobView::of).collect())
    }

    /// One job in full.
    pub async fn get(&self, id: Uuid) -> Result<Job> {
        Ok(self.queue.get(id).await?)
    }

    /// Cancels a job that has not finished.
    pub async fn cancel(&self, id: Uuid) -> Result<Job> {
        Ok(self.queue.cancel(id).await?)
    }

    /// Queues a dead or cancelled job again with fresh attempts.
    pub async fn retry(&self, id: Uuid) -> Result<Job> {
        Ok(self.queue.retry(id).await?)
    }

    /// Health check of the workers: queues `count` no-op diagnostic jobs and waits, woken by
    /// the queue's events, until they ran or `timeout` passed. Check jobs that did not run
    /// are cancelled, so none is left for workers that come later.
    pub async fn check_workers(&self, count: usize, timeout: Duration) -> Result<WorkerCheck> {
        let started = Instant::now();
        let mut events = self.queue.subscribe();
        let mut waiting = std::collections::HashSet::new();
        for _ in 0..count.max(1) {
            let spec = JobSpec::new(diagnostic::KIND, serde_json::json!({})).priority(100);
            waiting.insert(self.queue.enqueue(spec).await?.job.id);
        }
        let total = waiting.len();
        let deadline = tokio::time::Instant::now() + timeout;
        let mut done: Vec<Job> = Vec::new();
        // Events say which job changed; a look at every job now and then covers events
        // another process's workers publish where this one cannot hear them.
        let mut sweep = tokio::time::interval(Duration::from_millis(250));
        loop {
            let mut changed: Vec<Uuid> = Vec::new();
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => break,
                event = events.recv() => match event {
                    Ok(event) => changed.push(event.job_id),
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        changed.extend(waiting.iter().copied());
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                        events = self.queue.subscribe();
                    }
                },
                _ = sweep.tick() => changed.extend(waiting.iter().copied()),
            }
            for id in changed {
                if !waiting.contains(&id) {
                    continue;
                }
                let job = self.queue.get(id).await?;
                if job.state == JobState::Succeeded {
                    waiting.remove(&id);
                    done.push(job);
                }
            }
            if waiting.is_empty() {
                break;
            }
        }
        if !waiting.is_empty() {
            for id in &waiting {
                let _ = self.queue.cancel(*id).await;
            }
            return Err(AppError::WorkersUnavailable {
                ran: done.len(),
                queued: total,
                seconds: timeout.as_secs(),
            });
        }
        let mut workers: Vec<String> = done
            .iter()
            .filter_map(|j| {
                j.result
                    .as_ref()?
                    .get("worker")?
                    .as_str()
                    .map(str::to_string)
            })
            .collect();
        workers.sort();
        workers.dedup();
        Ok(WorkerCheck {
            jobs: done.len(),
            seconds: started.elapsed().as_secs_f64(),
            workers,
        })
    }

    /// Every change of a job of this queue, as the job tray shows it, until the receiver is
    /// dropped. Missed events are skipped: the tray reloads its list on the next one.
    pub fn watch(&self) -> tokio::sync::mpsc::Receiver<JobView> {
        let (tx, rx) = tokio::sync::mpsc::channel(256);
        let queue = self.queue.clone();
        let mut events = queue.subscribe();
        tokio::spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match events.recv().await {
                    Ok(event) => {
                        if let Ok(job) = queue.get(event.job_id).await
                            && tx.send(JobView::of(&job)).await.is_err()
                        {
                            break;
                        }
                    }
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                }
            }
        });
        rx
    }
}

impl App {
    /// Fills in what each job works on, in words for the job tray: its slide's title (a
    /// component's slide for a component's job), the component's type, the course's title.
    /// A slide or course no longer in the library is left unnamed.
    pub async fn describe_jobs(&self, views: &mut [JobView]) {
        let mut slides: std::collections::HashMap<Uuid, Option<String>> = Default::default();
        let mut courses: std::collections::HashMap<Uuid, Option<String>> = Default::default();
        for view in views.iter_mut() {
            if view.slide_id.is_none()
                && let Some(target) = view.target
            {
                match self.store.component(target).await {
                    Ok(c) => {
                        view.slide_id = Some(c.slide_id);
                        view.component_type
                            .get_or_insert_with(|| c.component_type.to_string());
                    }
                    Err(_) => view.slide_id = Some(target),
                }
            }
            if let Some(slide) = view.slide_id {
                if let std::collections::hash_map::Entry::Vacant(e) = slides.entry(slide) {
                    e.insert(self.store.slide(slide).await.ok().map(|s| s.title));
                }
                view.slide_title = slides.get(&slide).cloned().flatten();
            }
            if let Some(course) = view.course_id {
                if let std::collections::hash_map::Entry::Vacant(e) = courses.entry(course) {
                    e.insert(self.store.course(course).await.ok().map(|c| c.title));
                }
                view.course_title = courses.get(&course).cloned().flatten();
            }
        }
    }

    /// The jobs of the app's queue.
    pub async fn jobs(&self) -> Result<Jobs> {
        Ok(Jobs {
            queue: self.queue().await?,
        })
    }

    /// The app's queue, opened on first use.
    pub(crate) async fn queue(&self) -> Result<Arc<dyn Queue>> {
        self.queue
            .get_or_try_init(|| self.queue_choice.open(self.store.dir()))
            .await
            .cloned()
    }

    /// Starts workers as tasks of this process over the app's queue, running up to
    /// `concurrency` jobs at once. Solo mode needs no server.
    pub async fn start_bundled_workers(&self, concurrency: usize) -> Result<BundledWorkers> {
        let queue = self.queue().await?;
        let worker = Worker::new(
            queue.clone(),
            WorkerConfig {
                concurrency: concurrency.max(1),
                ..WorkerConfig::default()
            },
        )
        .register(diagnostic::KIND, Diagnostic);
        let generation = self.generation()?;
        let workspace: Arc<dyn crate::generate::Workspace> =
            Arc::new(crate::generate::LocalWorkspace::new(self.store.clone()));
        let worker = crate::generate::register_handlers(worker, workspace, generation, |_| true);
        // Engine limits hold across every worker of the queue.
        for engine in self.generation()?.config().engines() {
            if engine.limits.max_concurrency.is_some()
                || engine.limits.max_starts_per_second.is_some()
            {
                queue
                    .set_engine_limits(
                        &engine.id,
                        classkit_jobs::EngineLimits {
                            max_concurrency: engine.limits.max_concurrency,
                            max_starts_per_second: engine.limits.max_starts_per_second,
                        },
                    )
                    .await?;
            }
        }
        Ok(BundledWorkers::run(worker))
    }
}
