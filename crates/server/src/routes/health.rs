//! What a load balancer and Prometheus ask: is the process up, can it serve (database and
//! Redis reachable), and its metrics.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// A readiness report.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ready {
    pub database: bool,
    pub redis: bool,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, body = String)))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: its database and Redis answer (within two seconds each).
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, body = Ready), (status = 503, body = Ready)))]
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let limit = Duration::from_secs(2);
    let database = tokio::time::timeout(limit, sqlx::query("SELECT 1").execute(&state.pool))
        .await
        .is_ok_and(|r| r.is_ok());
    let redis = tokio::time::timeout(limit, async {
        let mut conn = state.redis.get_multiplexed_async_connection().await?;
        redis::cmd("PING").query_async::<String>(&mut conn).await
    })
    .await
    .is_ok_and(|r| r.is_ok());
    let status = if database && redis {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(Ready { database, redis }))
}

/// Prometheus metrics in the text format.
#[utoipa::path(get, path = "/metrics", tag = "health", responses((status = 200, body = String)))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let in_use = i64::from(state.pool.size()) - state.pool.num_idle() as i64;
    // The queue's figures when Redis answers soon; the server's own ones in any case.
    let queue = tokio::time::timeout(std::time::Duration::from_secs(2), queue_figures(&state))
        .await
        .ok()
        .flatten();
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics.render(in_use, queue.as_ref()),
    )
}

async fn queue_figures(state: &AppState) -> Option<crate::metrics::QueueFigures> {
    use classkit_jobs::Queue;
    let queue = state.queue().await.ok()?;
    let counts = queue.counts().await.ok()?;
    let kinds: Vec<&str> = classkit_generate::TEAM_KINDS
        .iter()
        .copied()
        .chain(["outline", classkit_jobs::diagnostic::KIND])
        .collect();
    let depth = queue.depth(&kinds).await.ok()?;
    let states = classkit_jobs::JobState::ALL
        .into_iter()
        .map(|s| {
            let n = match s {
                classkit_jobs::JobState::Queued => counts.queued,
                classkit_jobs::JobState::Running => counts.running,
                classkit_jobs::JobState::Succeeded => counts.succeeded,
                classkit_jobs::JobState::RetryWait => counts.retry_wait,
                classkit_jobs::JobState::Dead => counts.dead,
                classkit_jobs::JobState::Cancelled => counts.cancelled,
            };
            (s.as_str().to_string(), n)
        })
        .collect();
    let oldest_waiting_seconds = depth
        .oldest_queued_at
        .map(|at| (chrono::Utc::now() - at).num_milliseconds().max(0) as f64 / 1000.0)
        .unwrap_or(0.0);
    Some(crate::metrics::QueueFigures {
        states,
        ready: depth.ready_by_kind,
        oldest_waiting_seconds,
    })
}
