//! Queue benchmarks: figures to print, never assertions.

use crate::diagnostic::{Diagnostic, KIND};
use crate::job::JobSpec;
use crate::queue::Queue;
use crate::worker::{Worker, WorkerConfig};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// How much work a benchmark run does.
#[derive(Debug, Clone, Copy)]
pub struct BenchConfig {
    /// Jobs enqueued one after another, for the latency figures.
    pub latency_jobs: usize,
    /// Jobs enqueued by concurrent producers, for the throughput figure.
    pub throughput_jobs: usize,
    pub producers: usize,
    /// No-op jobs run end to end.
    pub e2e_jobs: usize,
    /// Workers, each running `concurrency` jobs at once.
    pub workers: usize,
    pub concurrency: usize,
}

impl Default for BenchConfig {
    fn default() -> Self {
        Self {
            latency_jobs: 2_000,
            throughput_jobs: 20_000,
            producers: 16,
            e2e_jobs: 20_000,
            workers: 2,
            concurrency: 16,
        }
    }
}

/// One measured figure: `name: value unit`.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
}

impl std::fmt::Display for Figure {
    /// Large figures and counts whole ("711 items", "12 items"), the rest to three places.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = ["items", "texts"].contains(&self.unit) && self.value.fract() == 0.0;
        if self.value >= 100.0 || count {
            write!(f, "{}: {:.0} {}", self.name, self.value, self.unit)
        } else {
            write!(f, "{}: {:.3} {}", self.name, self.value, self.unit)
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn noop() -> JobSpec {
    JobSpec::new(KIND, json!({}))
}

/// Runs the queue benchmarks on `queue` (which should be empty) and returns the figures,
/// each named `<backend>.<figure>`.
pub async fn run(
    queue: Arc<dyn Queue>,
    backend: &str,
    config: BenchConfig,
) -> anyhow::Result<Vec<Figure>> {
    let mut figures = Vec::new();
    let fig = |name: &str, value: f64, unit: &'static str| Figure {
        name: format!("{backend}.{name}"),
        value,
        unit,
    };

    // Enqueue latency: one producer, one job at a time.
    let mut latencies = Vec::with_capacity(config.latency_jobs);
    for _ in 0..config.latency_jobs {
        let t = Instant::now();
        queue.enqueue(noop()).await?;
        latencies.push(t.elapsed());
    }
    latencies.sort();
    figures.push(fig(
        "enqueue_latency_p50",
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        "ms",
    ));
    figures.push(fig(
        "enqueue_latency_p99",
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        "ms",
    ));

    // Enqueue throughput: concurrent producers.
    let per_producer = config.throughput_jobs / config.producers.max(1);
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..config.producers {
        let q = queue.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..per_producer {
                q.enqueue(noop()).await?;
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let enqueued = per_producer * config.producers;
    figures.push(fig(
        &format!("enqueue_throughput_{}_producers", config.producers),
        enqueued as f64 / t.elapsed().as_secs_f64(),
        "jobs/s",
    ));

    // End to end: the queued jobs (and more, up to e2e_jobs) run by workers.
    let queued = config.latency_jobs + enqueued;
    for _ in queued..config.e2e_jobs {
        queue.enqueue(noop()).await?;
    }
    let total = queued.max(config.e2e_jobs) as u64;
    let before = queue.counts().await?.succeeded;
    let stop = CancellationToken::new();
    let t = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..config.workers {
        let worker = Worker::new(
            queue.clone(),
            WorkerConfig {
                concurrency: config.concurrency,
                poll: Duration::from_millis(20),
                ..WorkerConfig::default()
            },
        )
        .register(KIND, Diagnostic);
        workers.push(tokio::spawn(worker.run(stop.clone())));
    }
    loop {
        let done = queue.counts().await?.succeeded - before;
        if done >= total {
            break;
        }
        // Not too often: counting is work for the queue too.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = t.elapsed();
    stop.cancel();
    for w in workers {
        w.await?;
    }
    figures.push(fig(
        &format!("e2e_noop_{}x{}", config.workers, config.concurrency),
        total as f64 / elapsed.as_secs_f64(),
        "jobs/s",
    ));
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::Figure;

    #[test]
    fn counts_are_whole_and_measures_have_three_places() {
        let fig = |value: f64, unit: &'static str| {
            Figure {
                name: "x".into(),
                value,
                unit,
            }
            .to_string()
        };
        assert_eq!(fig(88.0, "items"), "x: 88 items");
        assert_eq!(fig(0.0, "texts"), "x: 0 texts");
        assert_eq!(fig(2.5, "items"), "x: 2.500 items");
        assert_eq!(fig(0.899, "ratio"), "x: 0.899 ratio");
        assert_eq!(fig(1.0, "ratio"), "x: 1.000 ratio");
        assert_eq!(fig(1234.4, "s"), "x: 1234 s");
    }
}
