//! A course's jobs on the team's queue: live events for every member (Server-Sent Events,
//! from whichever server process they are connected to: each process hears the queue's
//! events on Redis), one job, and cancel and retry for editors.

use crate::auth::{Caller, require};
use crate::error::{ApiFailure, ApiResult};
use crate::extract::ApiPath;
use crate::state::AppState;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use classkit_jobs::{Job, Queue, QueueError};
use classkit_model::ErrorCode;
use classkit_sync::Role;
use futures::Stream;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

/// A job of `course`, or 404 (a job of another course is not shown to this course's members).
async fn job_of(state: &AppState, course: Uuid, id: Uuid) -> ApiResult<Job> {
    let queue = state.queue().await?;
    match queue.get(id).await {
        Ok(job) if job.course_id == Some(course) => Ok(job),
        Ok(_) | Err(QueueError::NotFound(_)) => Err(ApiFailure::not_found(format!(
            "course {course} has no job {id}"
        ))),
        Err(e) => Err(ApiFailure::queue_unavailable(e)),
    }
}

fn queue_failure(e: QueueError) -> ApiFailure {
    match e {
        QueueError::NotFound(id) => ApiFailure::not_found(format!("there is no job {id}")),
        QueueError::WrongState { .. } | QueueError::InvalidSpec(_) => ApiFailure::new(
            axum::http::StatusCode::CONFLICT,
            ErrorCode::InvalidInput,
            e.to_string(),
        ),
        other => ApiFailure::queue_unavailable(other),
    }
}

enum Action {
    Cancel,
    Retry,
}

/// Cancels or retries a job of the course, for an editor.
async fn act(
    state: &AppState,
    caller: &Caller,
    course_id: Uuid,
    job_id: Uuid,
    action: Action,
) -> ApiResult<axum::Json<Job>> {
    require(state, caller, course_id, Role::Editor).await?;
    job_of(state, course_id, job_id).await?;
    let queue = state.queue().await?;
    let job = match action {
        Action::Cancel => queue.cancel(job_id).await,
        Action::Retry => queue.retry(job_id).await,
    };
    Ok(axum::Json(job.map_err(queue_failure)?))
}

/// The course's job events as they happen: `event: job` with the job's state, progress,
/// attempt and (for a retry) when it runs again, and who asked for it; `event: lagged` when
/// this connection fell behind and missed some (fetch the jobs again). A comment every 15 s
/// keeps proxies from closing the stream.
#[utoipa::path(get, path = "/api/v1/courses/{course_id}/jobs/events", tag = "jobs",
    params(("course_id" = Uuid, Path, description = "The course's id")),
    responses((status = 200, content_type = "text/event-stream", body = String),
              (status = 401, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 503, body = classkit_sync::ApiError),
              (status = 400, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(course_id): ApiPath<Uuid>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    require(&state, &caller, course_id, Role::Viewer).await?;
    let queue = state.queue().await?;
    let receiver = queue.subscribe();
    state.metrics.event_streams(1);
    let guard = StreamGuard(state.metrics.clone());
    let stream =
        futures::stream::unfold((receiver, guard), move |(mut receiver, guard)| async move {
            loop {
                match receiver.recv().await {
                    Ok(event) if event.course_id == Some(course_id) => {
                        let e = Event::default()
                            .event("job")
                            .json_data(&event)
                            .unwrap_or_else(|_| Event::default().comment("unreadable event"));
                        return Some((Ok(e), (receiver, guard)));
                    }
                    Ok(_) => continue,
                    Err(RecvError::Lagged(n)) => {
                        let e = Event::default().event("lagged").data(n.to_string());
                        return Some((Ok(e), (receiver, guard)));
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// Counts an open event stream until it is dropped (the client went away).
struct StreamGuard(std::sync::Arc<crate::metrics::Metrics>);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0.event_streams(-1);
    }
}

/// One job of the course, as it is now.
#[utoipa::path(get, path = "/api/v1/courses/{course_id}/jobs/{job_id}", tag = "jobs",
    params(("course_id" = Uuid, Path, description = "The course's id"),
           ("job_id" = Uuid, Path, description = "The job's id")),
    responses((status = 200, body = Object),
              (status = 401, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 400, body = classkit_sync::ApiError),
              (status = 503, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn job(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((course_id, job_id)): ApiPath<(Uuid, Uuid)>,
) -> ApiResult<axum::Json<Job>> {
    require(&state, &caller, course_id, Role::Viewer).await?;
    Ok(axum::Json(job_of(&state, course_id, job_id).await?))
}

/// Cancels a queued, waiting or running job of the course (a running one stops at its next
/// heartbeat). Editors and owners.
#[utoipa::path(post, path = "/api/v1/courses/{course_id}/jobs/{job_id}/cancel", tag = "jobs",
    params(("course_id" = Uuid, Path, description = "The course's id"),
           ("job_id" = Uuid, Path, description = "The job's id")),
    responses((status = 200, body = Object),
              (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 409, body = classkit_sync::ApiError),
              (status = 400, body = classkit_sync::ApiError),
              (status = 503, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((course_id, job_id)): ApiPath<(Uuid, Uuid)>,
) -> ApiResult<axum::Json<Job>> {
    act(&state, &caller, course_id, job_id, Action::Cancel).await
}

/// Queues a dead or cancelled job of the course again, with fresh attempts. Editors and
/// owners.
#[utoipa::path(post, path = "/api/v1/courses/{course_id}/jobs/{job_id}/retry", tag = "jobs",
    params(("course_id" = Uuid, Path, description = "The course's id"),
           ("job_id" = Uuid, Path, description = "The job's id")),
    responses((status = 200, body = Object),
              (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 409, body = classkit_sync::ApiError),
              (status = 400, body = classkit_sync::ApiError),
              (status = 503, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn retry(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((course_id, job_id)): ApiPath<(Uuid, Uuid)>,
) -> ApiResult<axum::Json<Job>> {
    act(&state, &caller, course_id, job_id, Action::Retry).await
}

/// An outline job, as it is now: only for the person who asked for it (anyone else is told
/// there is no such job).
#[utoipa::path(get, path = "/api/v1/outlines/{job_id}", tag = "jobs",
    params(("job_id" = Uuid, Path, description = "The outline job's id")),
    responses((status = 200, body = Object),
              (status = 401, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 400, body = classkit_sync::ApiError),
              (status = 503, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn outline_job(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(job_id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<Job>> {
    let queue = state.queue().await?;
    match queue.get(job_id).await {
        Ok(job)
            if job.kind == classkit_generate::OUTLINE
                && job.requested_by.as_deref() == Some(caller.email.as_str()) =>
        {
            Ok(axum::Json(job))
        }
        Ok(_) | Err(QueueError::NotFound(_)) => Err(ApiFailure::not_found(format!(
            "you have no outline job {job_id}"
        ))),
        Err(e) => Err(ApiFailure::queue_unavailable(e)),
    }
}
