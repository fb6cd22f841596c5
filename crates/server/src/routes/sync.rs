//! The sync routes: push an outbox's mutations, pull the change log, list conflicts.

use crate::auth::{Caller, require};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::extract::State;
use classkit_sync::{
    ConflictRecord, DEFAULT_PAGE, PullPage, PullQuery, PushQuery, PushRequest, PushResponse, Role,
};
use serde::Deserialize;
use uuid::Uuid;

/// Applies mutations to a course, merged field by field with what others changed; where two
/// people changed one field, the first value stays and the other is kept as a conflict.
/// A mutation sent again (its reply was lost) is applied once. Editors and owners.
#[utoipa::path(post, path = "/api/v1/courses/{course_id}/push", tag = "sync",
    params(("course_id" = Uuid, Path, description = "The course's id"), PushQuery),
    request_body = PushRequest,
    responses((status = 200, body = PushResponse),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError),
              (status = 422, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn push(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(course_id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<PushQuery>,
    ApiJson(req): ApiJson<PushRequest>,
) -> ApiResult<axum::Json<PushResponse>> {
    let role = require(&state, &caller, course_id, Role::Editor).await?;
    let response =
        crate::push::push(&state.pool, &caller, role, course_id, req, q.after_mutation).await?;
    for r in &response.results {
        state.metrics.mutation(crate::push::outcome_name(r.outcome));
        state.metrics.conflicts(r.conflicts.len() as u64);
    }
    Ok(axum::Json(response))
}

/// A page of the course's change log after a cursor: the entities changed since, as they
/// are now (tombstones for deletions), and conflicts recorded or settled since.
#[utoipa::path(get, path = "/api/v1/courses/{course_id}/changes", tag = "sync",
    params(("course_id" = Uuid, Path, description = "The course's id"), PullQuery),
    responses((status = 200, body = PullPage),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 422, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(course_id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<PullQuery>,
) -> ApiResult<axum::Json<PullPage>> {
    require(&state, &caller, course_id, Role::Viewer).await?;
    let page = crate::pull::pull(
        &state.pool,
        course_id,
        q.after.unwrap_or(0),
        q.limit.unwrap_or(DEFAULT_PAGE),
    )
    .await?;
    Ok(axum::Json(page))
}

/// Which conflicts to list.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConflictQuery {
    /// Only the open ones (not yet settled); default true.
    pub open: Option<bool>,
}

/// The course's conflicts, oldest first.
#[utoipa::path(get, path = "/api/v1/courses/{course_id}/conflicts", tag = "sync",
    params(("course_id" = Uuid, Path, description = "The course's id"), ConflictQuery),
    responses((status = 200, body = Vec<ConflictRecord>),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn conflicts(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(course_id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<ConflictQuery>,
) -> ApiResult<axum::Json<Vec<ConflictRecord>>> {
    require(&state, &caller, course_id, Role::Viewer).await?;
    let mut conn = state.pool.acquire().await?;
    let all = crate::pull::conflicts_between(&mut conn, course_id, 0, i64::MAX, i64::MAX).await?;
    let open_only = q.open.unwrap_or(true);
    Ok(axum::Json(
        all.into_iter()
            .filter(|c| !open_only || c.resolved_at.is_none())
            .collect(),
    ))
}

/// Records what the instructor's app made for a slide by itself (working offline, on its own
/// workers): the slide's rendered pages (`slide_render`) or its narration record
/// (`narration`), each take whole, replacing the one before; members pull it and the team
/// does not make it again. Taken only when made from the slide as it is on the server now (a
/// render of its current content, narration of the audio it points at): otherwise 409, and
/// the team makes its own. Every file must be uploaded first. The same take sent again
/// changes nothing. Editors and owners.
#[utoipa::path(put, path = "/api/v1/courses/{course_id}/generated/{slide_id}/{kind}", tag = "sync",
    params(("course_id" = Uuid, Path, description = "The course's id"),
           ("slide_id" = Uuid, Path, description = "The slide's id"),
           ("kind" = String, Path, description = "slide_render or narration")),
    request_body = [Object],
    responses((status = 204),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 409, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError),
              (status = 422, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn put_generated(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((course_id, slide_id, kind)): ApiPath<(Uuid, Uuid, String)>,
    ApiJson(outputs): ApiJson<Vec<classkit_model::generation::Generated>>,
) -> ApiResult<axum::http::StatusCode> {
    require(&state, &caller, course_id, Role::Editor).await?;
    crate::outputs::take_from_member(&state.pool, course_id, slide_id, &kind, &outputs).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
