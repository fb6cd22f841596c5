//! Team generation: an assembly dispatched to the team's workers.

use crate::auth::{Caller, require};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use classkit_sync::{AssembleRequest, AssembleResponse, Role};
use uuid::Uuid;

/// Plans what the course (or a lesson or slide of it) still needs, with the same planning as
/// `classkit assemble` (only what is missing or out of date; never a draft over an
/// instructor's edit), checks the team's and the course's budgets, and queues the jobs for
/// the team's workers. Answers at once with the jobs; it never waits for one. Editors and
/// owners.
#[utoipa::path(post, path = "/api/v1/courses/{course_id}/assemble", tag = "generation",
    params(("course_id" = Uuid, Path, description = "The course's id")),
    request_body = AssembleRequest,
    responses((status = 202, body = AssembleResponse),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 409, body = classkit_sync::ApiError, description = "over a budget"),
              (status = 503, body = classkit_sync::ApiError, description = "the queue is unreachable"),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError),
              (status = 422, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn assemble(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(course_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<AssembleRequest>,
) -> ApiResult<(StatusCode, axum::Json<AssembleResponse>)> {
    require(&state, &caller, course_id, Role::Editor).await?;
    let dispatched = crate::generation::assemble(&state, course_id, &caller.email, &req).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(dispatched)))
}

/// This month's budgets and spending of the team and of the course, from the team's ledger
/// (what the workers' runs spent). Members.
#[utoipa::path(get, path = "/api/v1/courses/{course_id}/budget", tag = "generation",
    params(("course_id" = Uuid, Path, description = "The course's id")),
    responses((status = 200, body = classkit_sync::TeamBudget),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn budget(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(course_id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<classkit_sync::TeamBudget>> {
    require(&state, &caller, course_id, Role::Viewer).await?;
    let budget = crate::admin::budget(&state.pool, Some(course_id))
        .await
        .map_err(crate::error::ApiFailure::internal)?;
    Ok(axum::Json(budget))
}
