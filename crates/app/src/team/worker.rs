//! Letting this app's bundled workers serve the team's queue too, as a `classkit-worker`
//! does: off by default, turned on with the Redis URL and a worker token the team's admin
//! gives. They run the team's jobs with this library's engines and keys, reading and writing
//! the team's courses through the server's worker API.

use super::*;
use crate::jobs::BundledWorkers;
use classkit_jobs::{RedisQueue, Worker, WorkerConfig};
use std::sync::Arc;
use std::time::Duration;

/// Where the worker token is kept (the OS keyring).
pub const WORKER_TOKEN_KEY: &str = "team-worker";

/// Serving the team's queue, as set.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TeamWorkerView {
    pub redis_url: String,
    /// Jobs run at once.
    pub concurrency: u32,
}

/// The team's Redis queue at `url`, checked to answer.
async fn connect(url: &str) -> Result<RedisQueue> {
    let queue = tokio::time::timeout(
        Duration::from_secs(10),
        RedisQueue::connect_unwatched(url, classkit_jobs::redis_queue::DEFAULT_PREFIX),
    )
    .await
    .map_err(|_| AppError::Invalid(format!("the team's Redis at {url} did not answer in 10 s")))?
    .map_err(|e| AppError::Invalid(format!("the team's Redis at {url} cannot be used: {e}")))?;
    Ok(queue)
}

impl App {
    /// Whether this app's workers serve the team's queue, and how.
    pub async fn team_worker(&self) -> Result<Option<TeamWorkerView>> {
        Ok(self
            .store
            .team_worker()
            .await?
            .map(|(redis_url, concurrency)| TeamWorkerView {
                redis_url,
                concurrency,
            }))
    }

    /// Lets this app's workers serve the team's queue, after checking that the Redis URL
    /// answers and that the team server takes the token as a worker's. Nothing is kept when
    /// a check fails. Start them with [`App::start_team_worker`].
    pub async fn set_team_worker(
        &self,
        redis_url: &str,
        token: TeamToken,
        concurrency: u32,
    ) -> Result<TeamWorkerView> {
        let remote = self.store.remote().await?.ok_or(AppError::NoRemote)?;
        if !(1..=16).contains(&concurrency) {
            return Err(AppError::Invalid(format!(
                "the team's jobs run 1 to 16 at once on this app, not {concurrency}"
            )));
        }
        let redis_url = redis_url.trim();
        if !(redis_url.starts_with("redis://") || redis_url.starts_with("rediss://")) {
            return Err(AppError::Invalid(format!(
                "the team's queue is a Redis address (redis://host:6379/), not {redis_url:?}"
            )));
        }
        let workspace = classkit_worker::RemoteWorkspace::new(&remote.url, token.expose())
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        workspace.check().await.map_err(AppError::Invalid)?;
        connect(redis_url).await?;
        if !self.keys.keep_secret(
            WORKER_TOKEN_KEY,
            crate::keys::Secret::new(token.expose().to_string()),
        ) {
            tracing::warn!("no keyring: the worker token is kept for this session only");
        }
        self.store
            .set_team_worker(Some((redis_url, concurrency)))
            .await?;
        Ok(TeamWorkerView {
            redis_url: redis_url.to_string(),
            concurrency,
        })
    }

    /// Stops this app's workers from serving the team's queue (the token is forgotten).
    pub async fn turn_off_team_worker(&self) -> Result<()> {
        self.store.set_team_worker(None).await?;
        self.keys.forget_secret(WORKER_TOKEN_KEY);
        Ok(())
    }

    /// Starts workers serving the team's queue, when that is turned on (`None` when not).
    pub async fn start_team_worker(&self) -> Result<Option<BundledWorkers>> {
        let Some((redis_url, concurrency)) = self.store.team_worker().await? else {
            return Ok(None);
        };
        let remote = self.store.remote().await?.ok_or(AppError::NoRemote)?;
        let token = self.keys.secret(WORKER_TOKEN_KEY).ok_or_else(|| {
            AppError::Invalid(
                "the worker token for the team's queue is not in the keyring any more; set it again"
                    .into(),
            )
        })?;
        let workspace = classkit_worker::RemoteWorkspace::new(&remote.url, token.expose())
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        let queue: Arc<dyn classkit_jobs::Queue> = Arc::new(connect(&redis_url).await?);
        let generation = self.generation()?;
        let worker = Worker::new(
            queue,
            WorkerConfig {
                concurrency: concurrency as usize,
                // The team's jobs for engines this library lacks go to the team's workers.
                engines: Some(generation.engine_ids()),
                ..WorkerConfig::default()
            },
        );
        let worker =
            crate::generate::register_handlers(worker, Arc::new(workspace), generation, |kind| {
                crate::generate::TEAM_KINDS.contains(&kind)
            });
        Ok(Some(BundledWorkers::run(worker)))
    }
}
