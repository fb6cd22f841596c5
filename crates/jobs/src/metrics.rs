//! Prometheus metrics of a worker: jobs started and finished by outcome, running jobs,
//! and job latency; the queue depth is read from the queue when scraped.

use crate::queue::Queue;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    kind: String,
    /// succeeded, retry_wait (a retry), dead, released, abandoned.
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: String,
}

/// The counters a worker keeps.
#[derive(Debug)]
pub struct WorkerMetrics {
    started: Family<KindLabel, Counter>,
    finished: Family<OutcomeLabel, Counter>,
    running: Family<KindLabel, Gauge>,
    latency: Family<KindLabel, Histogram>,
    depth: Family<StateLabel, Gauge>,
}

impl Default for WorkerMetrics {
    fn default() -> Self {
        Self {
            started: Family::default(),
            finished: Family::default(),
            running: Family::default(),
            latency: Family::new_with_constructor(|| {
                Histogram::new(exponential_buckets(0.001, 2.0, 20))
            }),
            depth: Family::default(),
        }
    }
}

impl WorkerMetrics {
    pub(crate) fn started(&self, kind: &str) {
        let k = KindLabel { kind: kind.into() };
        self.started.get_or_create(&k).inc();
        self.running.get_or_create(&k).inc();
    }

    pub(crate) fn finished(&self, kind: &str, outcome: &str, took: Duration) {
        let k = KindLabel { kind: kind.into() };
        self.running.get_or_create(&k).dec();
        self.latency.get_or_create(&k).observe(took.as_secs_f64());
        self.finished
            .get_or_create(&OutcomeLabel {
                kind: kind.into(),
                outcome: outcome.into(),
            })
            .inc();
    }

    /// The metrics in the Prometheus text format, with the queue's depth read now.
    pub async fn render(&self, queue: &dyn Queue) -> String {
        if let Ok(counts) = queue.counts().await {
            for (state, n) in [
                ("queued", counts.queued),
                ("running", counts.running),
                ("retry_wait", counts.retry_wait),
                ("dead", counts.dead),
            ] {
                self.depth
                    .get_or_create(&StateLabel {
                        state: state.into(),
                    })
                    .set(n as i64);
            }
        }
        let mut registry = Registry::with_prefix("classkit");
        registry.register(
            "jobs_started",
            "Jobs taken by this worker",
            self.started.clone(),
        );
        registry.register(
            "jobs_finished",
            "Attempts finished by this worker, by outcome (retry_wait counts retries)",
            self.finished.clone(),
        );
        registry.register(
            "jobs_running",
            "Jobs running in this worker",
            self.running.clone(),
        );
        registry.register(
            "job_duration_seconds",
            "Time from taking a job to finishing the attempt",
            self.latency.clone(),
        );
        registry.register(
            "queue_jobs",
            "Jobs in the queue by state",
            self.depth.clone(),
        );
        let mut text = String::new();
        if prometheus_client::encoding::text::encode(&mut text, &registry).is_err() {
            text.clear();
        }
        text
    }
}
