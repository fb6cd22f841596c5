//! Prometheus metrics of a server process: requests by route and status with their latency,
//! pushed mutations by outcome, conflicts recorded, and the database pool in use.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabel {
    method: String,
    /// The route's pattern (`/api/v1/courses/{course_id}/push`), never the raw path.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabel {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: String,
}

/// The team's queue as the metrics show it.
#[derive(Debug, Clone, Default)]
pub struct QueueFigures {
    /// Jobs by state.
    pub states: Vec<(String, u64)>,
    /// Jobs waiting to run, by kind.
    pub ready: Vec<(String, u64)>,
    /// How long the oldest queued job has waited.
    pub oldest_waiting_seconds: f64,
}

/// The counters a server process keeps.
#[derive(Debug)]
pub struct Metrics {
    requests: Family<RequestLabel, Counter>,
    latency: Family<RouteLabel, Histogram>,
    mutations: Family<OutcomeLabel, Counter>,
    conflicts: Counter,
    pool_in_use: Gauge,
    event_streams: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            requests: Family::default(),
            latency: Family::new_with_constructor(|| {
                Histogram::new(exponential_buckets(0.0005, 2.0, 18))
            }),
            mutations: Family::default(),
            conflicts: Counter::default(),
            pool_in_use: Gauge::default(),
            event_streams: Gauge::default(),
        }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RequestLabel {
                method: method.into(),
                route: route.into(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabel {
                route: route.into(),
            })
            .observe(took.as_secs_f64());
    }

    /// Counts one pushed mutation by what became of it.
    pub fn mutation(&self, outcome: &str) {
        self.mutations
            .get_or_create(&OutcomeLabel {
                outcome: outcome.into(),
            })
            .inc();
    }

    /// Counts conflicts recorded.
    pub fn conflicts(&self, n: u64) {
        self.conflicts.inc_by(n);
    }

    /// Counts job event streams opened (1) and closed (-1).
    pub fn event_streams(&self, delta: i64) {
        self.event_streams.inc_by(delta);
    }

    /// The metrics in the Prometheus text format, with the team's queue when it could be
    /// read.
    pub fn render(&self, pool_in_use: i64, queue: Option<&QueueFigures>) -> String {
        self.pool_in_use.set(pool_in_use);
        let mut registry = Registry::with_prefix("classkit_server");
        registry.register(
            "http_requests",
            "Requests answered, by method, route and status",
            self.requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route",
            self.latency.clone(),
        );
        registry.register(
            "sync_mutations",
            "Pushed mutations, by outcome",
            self.mutations.clone(),
        );
        registry.register(
            "sync_conflicts",
            "Conflicts recorded (both sides changed one field)",
            self.conflicts.clone(),
        );
        registry.register(
            "db_connections_in_use",
            "Database connections in use",
            self.pool_in_use.clone(),
        );
        registry.register(
            "job_event_streams",
            "Job event streams (SSE) open on this process",
            self.event_streams.clone(),
        );
        if let Some(q) = queue {
            let states = Family::<StateLabel, Gauge>::default();
            for (state, n) in &q.states {
                states
                    .get_or_create(&StateLabel {
                        state: state.clone(),
                    })
                    .set(*n as i64);
            }
            registry.register("jobs", "Jobs on the team's queue, by state", states);
            let ready = Family::<KindLabel, Gauge>::default();
            for (kind, n) in &q.ready {
                ready
                    .get_or_create(&KindLabel { kind: kind.clone() })
                    .set(*n as i64);
            }
            registry.register(
                "queue_depth",
                "Jobs waiting to run on the team's queue, by kind",
                ready,
            );
            let oldest = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
            oldest.set(q.oldest_waiting_seconds);
            registry.register(
                "oldest_waiting_job_seconds",
                "How long the oldest queued job has waited",
                oldest,
            );
        }
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &registry).is_err() {
            out.clear();
        }
        out
    }
}
