//! `classkit-worker`: serves the team's shared Redis job queue. Run any number of them on any
//! number of machines: each needs the Redis URL, the team server's address and a worker
//! token (for the courses' data), and its own `engines.toml` and provider keys.

/// mimalloc, as the team server and the app use (see classkit-server's main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Context;
use clap::Parser;
use classkit_generate::{Generation, Workspace};
use classkit_jobs::diagnostic::{self, Diagnostic};
use classkit_jobs::metrics::WorkerMetrics;
use classkit_jobs::{Queue, RedisQueue, Worker, WorkerConfig};
use classkit_worker::RemoteWorkspace;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

#[derive(Debug, Parser)]
#[command(
    name = "classkit-worker",
    version,
    about = "Serve the shared ClassKit Studio job queue"
)]
struct Args {
    /// Redis URL, e.g. redis://queue.example:6379/
    #[arg(long, env = "CLASSKIT_REDIS_URL")]
    redis: String,
    /// The team server's address, e.g. https://team.example: the courses' data is read and
    /// written through its worker API.
    #[arg(long, env = "CLASSKIT_SERVER", requires = "token_file")]
    server: Option<String>,
    /// A file holding this worker's token (classkit-server admin create-token --worker NAME).
    #[arg(long, env = "CLASSKIT_TOKEN_FILE", requires = "server")]
    token_file: Option<PathBuf>,
    /// This host's engines.toml (the builtin engines when not given); provider keys come
    /// from the environment variables it names.
    #[arg(long, env = "CLASSKIT_ENGINES")]
    engines: Option<PathBuf>,
    /// Folder of this worker's cache of engine outputs (nothing is paid for twice).
    #[arg(long, env = "CLASSKIT_CACHE")]
    cache: Option<PathBuf>,
    /// Jobs run at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Job kinds to serve, comma-separated (default: every kind this build can run).
    #[arg(long, value_delimiter = ',')]
    kinds: Vec<String>,
    /// Serve Prometheus metrics on this port (at /metrics).
    #[arg(long)]
    metrics_port: Option<u16>,
    /// Address for the metrics port.
    #[arg(long, default_value = "127.0.0.1")]
    metrics_bind: String,
    /// Key prefix of the queue in Redis.
    #[arg(long, default_value = classkit_jobs::redis_queue::DEFAULT_PREFIX)]
    prefix: String,
    /// Seconds a job is held without a heartbeat.
    #[arg(long, default_value_t = 30)]
    lease_secs: u64,
    /// Seconds running jobs get to finish after SIGTERM before they are given back.
    #[arg(long, default_value_t = 30)]
    shutdown_grace_secs: u64,
}

/// `diagnostic`, and the generation kinds, which work on the team's courses and need
/// `--server` and `--token-file`.
fn kinds_here() -> Vec<&'static str> {
    std::iter::once(diagnostic::KIND)
        .chain(classkit_generate::TEAM_KINDS.iter().copied())
        .collect()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CLASSKIT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let team = match (&args.server, &args.token_file) {
        (Some(server), Some(file)) => {
            let token = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read the token file {}", file.display()))?;
            Some(RemoteWorkspace::new(server, &token)?)
        }
        _ => None,
    };
    let known = kinds_here();
    let kinds: Vec<String> = if args.kinds.is_empty() {
        known
            .iter()
            .filter(|k| team.is_some() || **k == diagnostic::KIND)
            .map(|k| k.to_string())
            .collect()
    } else {
        args.kinds.clone()
    };
    if let Some(unknown) = kinds.iter().find(|k| !known.contains(&k.as_str())) {
        anyhow::bail!(
            "this classkit-worker cannot run jobs of kind {unknown:?}; it runs {}",
            known.join(", ")
        );
    }
    if team.is_none()
        && let Some(kind) = kinds.iter().find(|k| *k != diagnostic::KIND)
    {
        anyhow::bail!(
            "{kind} jobs work on the team's courses: give the team server's address and this worker's token (--server URL --token-file FILE)"
        );
    }
    let generation = match &team {
        None => None,
        Some(_) => {
            let cache = match &args.cache {
                Some(dir) => dir.clone(),
                None => directories::ProjectDirs::from("", "", "classkit-worker")
                    .map(|d| d.cache_dir().to_path_buf())
                    .unwrap_or_else(|| std::env::temp_dir().join("classkit-worker-cache")),
            };
            Some(Arc::new(Generation::from_file(
                args.engines.as_deref(),
                &cache,
            )?))
        }
    };
    if args.concurrency == 0 {
        anyhow::bail!("--concurrency must be at least 1");
    }

    // Redis may still be starting: keep trying, with backoff.
    let mut delay = Duration::from_millis(200);
    let queue = loop {
        match RedisQueue::connect_unwatched(&args.redis, &args.prefix).await {
            Ok(q) => break q,
            Err(e) if e.is_connection_error() => {
                tracing::warn!(error = %e, retry_in_ms = delay.as_millis() as u64, "cannot reach Redis");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(10));
            }
            Err(e) => return Err(e).context("connecting to Redis"),
        }
    };
    match queue.durability_warnings().await {
        Ok(warnings) => {
            for w in warnings {
                tracing::warn!("{w}");
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the Redis settings (CONFIG GET); check appendonly and maxmemory-policy by hand")
        }
    }
    let queue: Arc<dyn Queue> = Arc::new(queue);

    let mut worker = Worker::new(
        queue.clone(),
        WorkerConfig {
            concurrency: args.concurrency,
            lease: Duration::from_secs(args.lease_secs.max(2)),
            heartbeat: Duration::from_secs((args.lease_secs / 3).max(1)),
            shutdown_grace: Duration::from_secs(args.shutdown_grace_secs),
            // Jobs for engines this host lacks are left to workers that have them.
            engines: generation.as_ref().map(|g| g.engine_ids()),
            ..WorkerConfig::default()
        },
    );
    for kind in &kinds {
        if kind == diagnostic::KIND {
            worker = worker.register(kind, Diagnostic);
        }
    }
    if let (Some(team), Some(generation)) = (&team, &generation) {
        let workspace: Arc<dyn Workspace> = Arc::new(team.clone());
        worker = classkit_generate::register_handlers(worker, workspace, generation.clone(), |k| {
            kinds.iter().any(|x| x == k)
        });
        // Engine limits hold across every worker of the queue.
        for engine in generation.config().engines() {
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
                    .await
                    .context("setting the engines' limits on the queue")?;
            }
        }
    }

    let stop = CancellationToken::new();
    if let Some(port) = args.metrics_port {
        let listener = tokio::net::TcpListener::bind((args.metrics_bind.as_str(), port))
            .await
            .with_context(|| format!("binding the metrics port {port}"))?;
        tokio::spawn(serve_metrics(listener, worker.metrics(), queue.clone()));
    }
    let signal_stop = stop.clone();
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutdown requested");
        signal_stop.cancel();
    });
    let report = worker.run(stop).await;
    tracing::info!(
        succeeded = report.succeeded,
        failed = report.failed,
        released = report.released,
        "bye"
    );
    Ok(())
}

async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// A minimal HTTP endpoint: `GET /metrics` answers the Prometheus text format.
async fn serve_metrics(
    listener: tokio::net::TcpListener,
    metrics: Arc<WorkerMetrics>,
    queue: Arc<dyn Queue>,
) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            continue;
        };
        let metrics = metrics.clone();
        let queue = queue.clone();
        tokio::spawn(async move {
            let mut request = vec![0u8; 2048];
            let n = match tokio::time::timeout(Duration::from_secs(5), socket.read(&mut request))
                .await
            {
                Ok(Ok(n)) => n,
                _ => return,
            };
            let head = String::from_utf8_lossy(&request[..n]);
            let response = if head.starts_with("GET /metrics ") || head.starts_with("GET /metrics?")
            {
                let body = metrics.render(queue.as_ref()).await;
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/openmetrics-text; version=1.0.0; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                )
            } else {
                "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                    .to_string()
            };
            let _ = socket.write_all(response.as_bytes()).await;
        });
    }
}
