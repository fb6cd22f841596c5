//! Generation jobs from the app's side: the library's local queue, the team's Redis queue,
//! and the bundled workers that serve the local queue inside the app.

use crate::{App, AppError, Result};
use chrono::{DateTime, Utc};
use classkit_jobs::diagnostic::{self, Diagnostic};
use classkit_jobs::{
    Job, JobState, LocalQueue, Queue, QueueTrouble, RedisQueue, Worker, WorkerConfig, WorkerHealth,
    WorkerReport,
};
use std::path::Path;
use std::sync::Arc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How long whoever waits for bundled workers that cannot use their queue (its database
/// unreachable or failing) waits before it stops and says why; a full disk stops it at once.
const QUEUE_TROUBLE_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

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

/// The queue of the existing library in `library` (a mistyped folder, or a library of a
/// newer version, is an error, never a new queue), or the team's queue at `redis_url` when
/// given.
pub async fn open_queue(library: &Path, redis_url: Option<&str>) -> Result<Arc<dyn Queue>> {
    Ok(match redis_url {
        Some(url) => Arc::new(RedisQueue::connect(url).await?),
        None => App::open_existing(library).await?.local_queue().await?,
    })
}

/// Workers running inside the app over the library's local queue.
pub struct BundledWorkers {
    stop: CancellationToken,
    handle: Option<JoinHandle<WorkerReport>>,
    queue: Arc<dyn Queue>,
    health: Arc<WorkerHealth>,
}

impl Drop for BundledWorkers {
    /// Workers dropped without `stop` stop taking jobs too (their running jobs finish).
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

impl BundledWorkers {
    /// The queue they serve.
    pub fn queue(&self) -> Arc<dyn Queue> {
        self.queue.clone()
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

impl App {
    /// The library's local job queue.
    pub async fn local_queue(&self) -> Result<Arc<dyn Queue>> {
        Ok(Arc::new(LocalQueue::open(self.store().dir()).await?))
    }

    /// Starts workers as tasks of this process over the library's local queue, running up
    /// to `concurrency` jobs at once. Solo mode needs no server.
    pub async fn start_bundled_workers(&self, concurrency: usize) -> Result<BundledWorkers> {
        let queue = self.local_queue().await?;
        self.start_bundled_workers_on(queue, concurrency).await
    }

    /// Starts bundled workers over `queue` (the library's local queue, opened by the caller
    /// so that it can watch the same queue's events).
    pub async fn start_bundled_workers_on(
        &self,
        queue: Arc<dyn Queue>,
        concurrency: usize,
    ) -> Result<BundledWorkers> {
        let worker = Worker::new(
            queue.clone(),
            WorkerConfig {
                concurrency: concurrency.max(1),
                ..WorkerConfig::default()
            },
        )
        .register(diagnostic::KIND, Diagnostic);
        let generation = self.generation()?;
        let worker = worker
            .register(
                crate::generate::NARRATION,
                crate::generate::NarrationHandler {
                    store: self.store().clone(),
                    generation: generation.clone(),
                },
            )
            .register(
                crate::generate::SLIDE_RENDER,
                crate::generate::SlideRenderHandler {
                    store: self.store().clone(),
                    generation: generation.clone(),
                },
            )
            .register(
                crate::generate::DRAFT,
                crate::generate::DraftHandler {
                    store: self.store().clone(),
                    generation: generation.clone(),
                },
            )
            .register(
                crate::generate::REFERENCE_AUDIO,
                crate::generate::ReferenceAudioHandler {
                    store: self.store().clone(),
                    generation: generation.clone(),
                },
            )
            .register(
                crate::illustrate::ILLUSTRATION,
                crate::illustrate::IllustrationHandler {
                    store: self.store().clone(),
                    generation: generation.clone(),
                },
            )
            .register(
                crate::outline::OUTLINE,
                crate::outline::OutlineHandler {
                    app: self.clone(),
                    generation,
                },
            );
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
        let stop = CancellationToken::new();
        let health = worker.health();
        let handle = tokio::spawn(worker.run(stop.clone()));
        Ok(BundledWorkers {
            stop,
            handle: Some(handle),
            queue,
            health,
        })
    }
}
