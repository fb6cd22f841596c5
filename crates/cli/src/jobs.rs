//! `classkit jobs …` and `classkit bench queue`: inspect and repair a job queue (the
//! library's own or the team's on Redis), and measure one.

use crate::output::Output;
use clap::{Args, Subcommand, ValueEnum};
use classkit_app::{Jobs, QueueChoice};
use classkit_jobs::{JobFilter, JobState, Queue};
use classkit_model::ErrorCode;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

#[derive(Debug, Args)]
pub struct QueueArgs {
    /// The team's shared queue at this Redis URL instead of the library's own.
    #[arg(long, env = "CLASSKIT_REDIS_URL")]
    pub redis: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// List jobs, newest first.
    List {
        #[command(flatten)]
        queue: QueueArgs,
        /// Only jobs in this state (queued, running, succeeded, retry_wait, dead, cancelled).
        #[arg(long, value_parser = parse_state)]
        state: Option<JobState>,
        /// Only jobs for this slide or component.
        #[arg(long)]
        target: Option<Uuid>,
        /// Only jobs of this kind.
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Show one job in full.
    Show {
        id: Uuid,
        #[command(flatten)]
        queue: QueueArgs,
    },
    /// Cancel a queued, waiting or running job.
    Cancel {
        id: Uuid,
        #[command(flatten)]
        queue: QueueArgs,
    },
    /// Queue a dead or cancelled job again.
    Retry {
        id: Uuid,
        #[command(flatten)]
        queue: QueueArgs,
    },
    /// Health check of the workers: queue no-op diagnostic jobs and wait for them to run.
    Check {
        #[command(flatten)]
        queue: QueueArgs,
        #[arg(long, default_value_t = 10)]
        count: usize,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 30)]
        timeout_secs: u64,
    },
    /// Run bundled workers over the library's queue until interrupted (Ctrl-C).
    Work {
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Backend {
    Local,
    Redis,
}

#[derive(Debug, Args)]
pub struct BenchQueue {
    #[arg(long, value_enum, default_value_t = Backend::Local)]
    pub backend: Backend,
    /// Redis URL for the redis backend; its queue uses a fresh key prefix.
    #[arg(long, env = "CLASSKIT_REDIS_URL")]
    pub redis: Option<String>,
    /// No-op jobs run end to end (the enqueue figures use the same scale).
    #[arg(long, default_value_t = 20_000)]
    pub jobs: usize,
    #[arg(long, default_value_t = 16)]
    pub producers: usize,
    #[arg(long, default_value_t = 2)]
    pub workers: usize,
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
}

fn parse_state(s: &str) -> Result<JobState, String> {
    s.parse()
}

async fn jobs(library: &Path, choice: QueueArgs) -> anyhow::Result<Jobs> {
    Ok(Jobs::open(library, &QueueChoice::from_redis_url(choice.redis)).await?)
}

pub async fn run(library: &Path, command: JobsCommand, out: &Output) -> anyhow::Result<()> {
    match command {
        JobsCommand::List {
            queue,
            state,
            target,
            kind,
            limit,
        } => {
            let filter = JobFilter {
                state,
                target,
                kind,
                limit: Some(limit),
            };
            let (listed, counts) = jobs(library, queue).await?.list(&filter).await?;
            out.jobs(&listed, &counts);
        }
        JobsCommand::Show { id, queue } => out.job(&jobs(library, queue).await?.get(id).await?),
        JobsCommand::Cancel { id, queue } => {
            out.job(&jobs(library, queue).await?.cancel(id).await?)
        }
        JobsCommand::Retry { id, queue } => out.job(&jobs(library, queue).await?.retry(id).await?),
        JobsCommand::Check {
            queue,
            count,
            timeout_secs,
        } => {
            let check = jobs(library, queue)
                .await?
                .check_workers(count, Duration::from_secs(timeout_secs))
                .await?;
            out.check(&check);
        }
        JobsCommand::Work { concurrency } => {
            let app =
                classkit_app::App::open_existing(library, classkit_app::QueueChoice::Local).await?;
            let workers = app.start_bundled_workers(concurrency).await?;
            eprintln!(
                "Running {concurrency} job(s) at once over {}; Ctrl-C stops.",
                library.display()
            );
            let _ = tokio::signal::ctrl_c().await;
            let report = workers.stop().await;
            eprintln!(
                "Stopped: {} succeeded, {} failed, {} given back.",
                report.succeeded, report.failed, report.released
            );
        }
    }
    Ok(())
}

pub async fn bench(args: BenchQueue) -> anyhow::Result<()> {
    let config = classkit_jobs::bench::BenchConfig {
        latency_jobs: (args.jobs / 10).max(100),
        throughput_jobs: args.jobs,
        producers: args.producers.max(1),
        e2e_jobs: args.jobs,
        workers: args.workers.max(1),
        concurrency: args.concurrency.max(1),
    };
    let dir = tempfile::tempdir()?;
    let (queue, name): (Arc<dyn Queue>, &str) = match args.backend {
        Backend::Local => (
            Arc::new(classkit_jobs::LocalQueue::open(dir.path()).await?),
            "local",
        ),
        Backend::Redis => {
            let url = args.redis.ok_or_else(|| {
                crate::cli_error(
                    ErrorCode::InvalidArguments,
                    "the redis backend needs --redis URL",
                )
            })?;
            let prefix = format!("classkit:bench:{}", Uuid::now_v7());
            (
                Arc::new(classkit_jobs::RedisQueue::connect_unwatched(&url, &prefix).await?),
                "redis",
            )
        }
    };
    for figure in classkit_jobs::bench::run(queue, name, config).await? {
        println!("{figure}");
    }
    Ok(())
}
