//! The worker API: what a remote `classkit-worker` reads of the team's courses and writes
//! back, as its jobs' handlers ask (each route is one call of the handlers' `Workspace`).
//! Only a worker's token is taken here, and a worker's token is taken nowhere else.
//!
//! Writes go through the same path as an instructor's edits (see `team_workspace`).

use crate::auth::Worker;
use crate::error::{ApiFailure, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::assets::{UploadQuery, check_asked, check_hash, check_upload, missing_of};
use crate::state::AppState;
use crate::team_workspace::TeamWorkspace;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use classkit_generate::remote::{
    Added, DraftAnswer, DraftRequest, DraftState, Exists, JobSpending, OutputOnSlide, Placed,
    SpendingRecord, SpokenItem, spoken_audio,
};
use classkit_generate::{PlanSource, Workspace, WorkspaceError};
use classkit_model::generation::{DraftOutcome, Generated};
use classkit_model::{ComponentType, CourseTree, ErrorCode, LearningComponent, Slide};
use classkit_sync::{AssetQuery, MissingAssets};
use uuid::Uuid;

fn workspace(state: &AppState, worker: Worker) -> TeamWorkspace {
    TeamWorkspace::new(state.clone(), worker.0)
}

/// A workspace error as the API answers it.
fn failure(e: WorkspaceError) -> ApiFailure {
    match e {
        WorkspaceError::Missing(m) => ApiFailure::not_found(m),
        WorkspaceError::Rejected(m) => ApiFailure::invalid(ErrorCode::InvalidInput, m),
        WorkspaceError::DiskFull(m) => {
            ApiFailure::new(StatusCode::INSUFFICIENT_STORAGE, ErrorCode::DiskFull, m)
        }
        WorkspaceError::Unavailable(m) => ApiFailure::unavailable(m),
    }
}

fn component_type(name: &str) -> ApiResult<ComponentType> {
    name.parse()
        .map_err(|e: classkit_model::UnknownComponentType| {
            ApiFailure::bad_request(ErrorCode::UnknownComponentType, e.to_string())
        })
}

/// A slide as it is now.
#[utoipa::path(get, path = "/api/v1/worker/slides/{id}", tag = "worker",
    params(("id" = Uuid, Path, description = "The slide's id")),
    responses((status = 200, body = Object), (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError), (status = 404, body = classkit_sync::ApiError),
              (status = 400, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn slide(
    State(state): State<AppState>,
    worker: Worker,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<Slide>> {
    let ws = workspace(&state, worker);
    Ok(axum::Json(ws.slide(id).await.map_err(failure)?))
}

/// A learning component as it is now.
#[utoipa::path(get, path = "/api/v1/worker/components/{id}", tag = "worker",
    params(("id" = Uuid, Path, description = "The component's id")),
    responses((status = 200, body = Object), (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError), (status = 404, body = classkit_sync::ApiError),
              (status = 400, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn component(
    State(state): State<AppState>,
    worker: Worker,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<LearningComponent>> {
    let ws = workspace(&state, worker);
    Ok(axum::Json(ws.component(id).await.map_err(failure)?))
}

/// A whole course: lessons, slides and components, in order.
#[utoipa::path(get, path = "/api/v1/worker/courses/{id}", tag = "worker",
    params(("id" = Uuid, Path, description = "The course's id")),
    responses((status = 200, body = Object), (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError), (status = 404, body = classkit_sync::ApiError),
              (status = 400, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn course(
    State(state): State<AppState>,
    worker: Worker,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<CourseTree>> {
    let ws = workspace(&state, worker);
    Ok(axum::Json(ws.course_tree(id).await.map_err(failure)?))
}

/// Whether a course is made (an outline job's course counts once its lessons are in).
#[utoipa::path(get, path = "/api/v1/worker/courses/{id}/exists", tag = "worker",
    params(("id" = Uuid, Path, description = "The course's id")),
    responses((status = 200, body = Object), (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError), (status = 400, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn course_exists(
    State(state): State<AppState>,
    worker: Worker,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<Exists>> {
    let ws = workspace(&state, worker);
    Ok(axum::Json(Exists {
        exists: ws.course_exists(id).await.map_err(failure)?,
    }))
}

/// Makes the course an outline job outlined, owned by whoever asked for the outline (only
/// for a running outline job, whose id the course takes).
#[utoipa::path(post, path = "/api/v1/worker/courses", tag = "worker",
    request_body = Object,
    responses((status = 204), (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError), (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError), (status = 415, body = classkit_sync::ApiError),
              (status = 422, body = classkit_sync::ApiError), (status = 503, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn add_course(
    State(state): State<AppState>,
    worker: Worker,
    ApiJson(tree): ApiJson<CourseTree>,
) -> ApiResult<StatusCode> {
    let ws = workspace(&state, worker);
    ws.add_course(&tree, classkit_model::ChangeKind::Outlined)
        .await
        .map_err(failure)?;
    Ok(StatusCode::NO_CONTENT)
}

/// What was generated of a kind for a slide, by page.
#[utoipa::path(get, path = "/api/v1/worker/generated/{target}/{kind}", tag = "worker",
    params(("target" = Uuid, Path, description = "The slide's id"),
           ("kind" = String, Path, description = "narration or slide_render")),
    responses((status = 200, body = [Object]), (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 400, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn generated(
    State(state): State<AppState>,
    worker: Worker,
    ApiPath((target, kind)): ApiPath<(Uuid, String)>,
) -> ApiResult<axum::Json<Vec<Generated>>> {
    let ws = workspace(&state, worker);
    Ok(axum::Json(
        ws.generated(target, &kind).await.map_err(failure)?,
    ))
}

/// Records the outputs of a kind for a slide, replacing the earlier take; members pull them.
#[utoipa::path(put, path = "/api/v1/worker/generated/{target}/{kind}", tag = "worker",
    params(("target" = Uuid, Path, description = "The slide's id"),
           ("kind" = String, Path, description = "narration or slide_render")),
    request_body = [Object],
    responses((status = 204), (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError), (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError), (status = 422, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn put_generated(
    State(state): State<AppState>,
    worker: Worker,
    ApiPath((target, kind)): ApiPath<(Uuid, String)>,
    ApiJson(outputs): ApiJson<Vec<Generated>>,
) -> ApiResult<StatusCode> {
    if kind.is_empty() || kind.len() > 64 {
        return Err(ApiFailure::bad_request(
            ErrorCode::InvalidInput,
            "a kind is 1-64 characters",
        ));
    }
    if let Some(g) = outputs
        .iter()
        .find(|g| g.target_id != target || g.kind != kind)
    {
        return Err(ApiFailure::invalid(
            ErrorCode::InvalidInput,
            format!(
                "an output of {} {} was sent for {target} {kind}",
                g.target_id, g.kind
            ),
        ));
    }
    let ws = workspace(&state, worker);
    ws.put_generated(target, &kind, &outputs)
        .await
        .map_err(failure)?;
    Ok(StatusCode::NO_CONTENT)
}

/// What was drafted of a type for a slide, and whether the instructor declined it.
#[utoipa::path(get, path = "/api/v1/worker/drafted/{slide}/{component_type}", tag = "worker",
    params(("slide" = Uuid, Path, description = "The slide's id"),
           ("component_type" = String, Path, description = "QUIZ, FLASHCARDS, …")),
    responses((status = 200, body = Object), (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError), (status = 403, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn drafted(
    State(state): State<AppState>,
    worker: Worker,
    ApiPath((slide, name)): ApiPath<(Uuid, String)>,
) -> ApiResult<axum::Json<DraftState>> {
    let t = component_type(&name)?;
    let ws = workspace(&state, worker);
    let drafted = ws.drafted(slide, t).await.map_err(failure)?;
    let declined = ws.declined(drafted.as_ref()).await.map_err(failure)?;
    Ok(axum::Json(DraftState { drafted, declined }))
}

/// Saves an engine's draft (or that the slide supports no component of the type), unless the
/// instructor has taken the component over: theirs stays, and the answer says so.
#[utoipa::path(post, path = "/api/v1/worker/drafts", tag = "worker",
    request_body = Object,
    responses((status = 200, body = Object), (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError), (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError), (status = 422, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn draft(
    State(state): State<AppState>,
    worker: Worker,
    ApiJson(req): ApiJson<DraftRequest>,
) -> ApiResult<axum::Json<DraftAnswer>> {
    let t = component_type(&req.component_type)?;
    let ws = workspace(&state, worker);
    let origin = req.origin.origin();
    let Some(payload) = req.payload else {
        let reason = classkit_generate::short_reason(req.reason.as_deref().unwrap_or_default());
        ws.record_nothing_drafted(req.slide_id, t, &origin, &reason)
            .await
            .map_err(failure)?;
        return Ok(axum::Json(DraftAnswer {
            outcome: "nothing".into(),
            component: None,
        }));
    };
    let (outcome, component) = match ws
        .save_draft(req.slide_id, t, payload, &origin)
        .await
        .map_err(failure)?
    {
        DraftOutcome::Saved(c) => ("saved", c),
        DraftOutcome::Unchanged(c) => ("unchanged", c),
        DraftOutcome::TakenOver(c) => ("taken_over", c),
    };
    Ok(axum::Json(DraftAnswer {
        outcome: outcome.into(),
        component: Some(component),
    }))
}

/// Charges what an attempt spent to its course (the team's ledger); the same run reported
/// twice is recorded once.
#[utoipa::path(post, path = "/api/v1/worker/spending", tag = "worker",
    request_body = Object,
    responses((status = 204), (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError), (status = 403, body = classkit_sync::ApiError),
              (status = 422, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn spending(
    State(state): State<AppState>,
    worker: Worker,
    ApiJson(record): ApiJson<SpendingRecord>,
) -> ApiResult<StatusCode> {
    if record.micros < 0 || record.engine.is_empty() || record.kind.is_empty() {
        return Err(ApiFailure::invalid(
            ErrorCode::InvalidInput,
            "spending is a non-negative amount, with its engine and job kind",
        ));
    }
    let ws = workspace(&state, worker);
    ws.record_spending(&record.spending())
        .await
        .map_err(failure)?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a job has spent in all its attempts (a retry reports the whole as the job's cost).
#[utoipa::path(get, path = "/api/v1/worker/spending/{job_id}", tag = "worker",
    params(("job_id" = Uuid, Path, description = "The job")),
    responses((status = 200, body = Object), (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError), (status = 403, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn job_spending(
    State(state): State<AppState>,
    worker: Worker,
    ApiPath(job): ApiPath<Uuid>,
) -> ApiResult<axum::Json<JobSpending>> {
    let micros = workspace(&state, worker)
        .spent_by_job(job)
        .await
        .map_err(failure)?;
    Ok(axum::Json(JobSpending { micros }))
}

/// Puts reference audio on the component's items whose text was spoken and that have none
/// yet, merged with whatever the instructor changed meanwhile.
#[utoipa::path(post, path = "/api/v1/worker/components/{id}/reference-audio", tag = "worker",
    params(("id" = Uuid, Path, description = "The component's id")),
    request_body = [Object],
    responses((status = 200, body = Object), (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError), (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError), (status = 422, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn reference_audio(
    State(state): State<AppState>,
    worker: Worker,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(items): ApiJson<Vec<SpokenItem>>,
) -> ApiResult<axum::Json<Added>> {
    let ws = workspace(&state, worker);
    let added = ws
        .add_reference_audio(id, &spoken_audio(items))
        .await
        .map_err(failure)?;
    Ok(axum::Json(Added { added }))
}

/// Points a slide at its narration or picture if it still belongs there.
#[utoipa::path(post, path = "/api/v1/worker/slides/{id}/outputs", tag = "worker",
    params(("id" = Uuid, Path, description = "The slide's id")),
    request_body = Object,
    responses((status = 200, body = Object), (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError), (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError), (status = 422, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn point(
    State(state): State<AppState>,
    worker: Worker,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(output): ApiJson<OutputOnSlide>,
) -> ApiResult<axum::Json<Placed>> {
    let ws = workspace(&state, worker);
    let placed = ws
        .point_slide_at(id, output.output())
        .await
        .map_err(failure)?;
    Ok(axum::Json(Placed { placed }))
}

/// Which of the listed assets the server does not hold.
#[utoipa::path(post, path = "/api/v1/worker/assets/missing", tag = "worker",
    request_body = AssetQuery,
    responses((status = 200, body = MissingAssets), (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError), (status = 403, body = classkit_sync::ApiError),
              (status = 422, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn missing_assets(
    State(state): State<AppState>,
    _worker: Worker,
    ApiJson(q): ApiJson<AssetQuery>,
) -> ApiResult<axum::Json<MissingAssets>> {
    check_asked(&q.sha256)?;
    let present: Vec<String> = sqlx::query_scalar!(
        "SELECT sha256 FROM assets WHERE sha256 = ANY($1)",
        &q.sha256
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(axum::Json(missing_of(q.sha256, &present)))
}

/// Stores bytes a job made, under their sha256 (bytes that do not have it are refused).
#[utoipa::path(put, path = "/api/v1/worker/assets/{sha256}", tag = "worker",
    params(("sha256" = String, Path, description = "The sha256 of the bytes, lowercase hex"),
           UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, description = "Stored"), (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError), (status = 403, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError), (status = 422, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    _worker: Worker,
    ApiPath(sha256): ApiPath<String>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<StatusCode> {
    check_hash(&sha256)?;
    let body = body.map_err(|e| ApiFailure::bad_request(ErrorCode::InvalidInput, e.body_text()))?;
    check_upload(&sha256, &q.media_type, &body)?;
    crate::routes::assets::store(&state, &sha256, &q.media_type, body).await?;
    Ok(StatusCode::CREATED)
}

/// The bytes of a stored asset, in any course.
#[utoipa::path(get, path = "/api/v1/worker/assets/{sha256}", tag = "worker",
    params(("sha256" = String, Path, description = "The sha256 of the bytes, lowercase hex")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>),
              (status = 400, body = classkit_sync::ApiError), (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError), (status = 404, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn download(
    State(state): State<AppState>,
    _worker: Worker,
    ApiPath(sha256): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    check_hash(&sha256)?;
    let (media_type, bytes) = crate::routes::assets::read(&state, &sha256)
        .await?
        .ok_or_else(|| ApiFailure::not_found(format!("there is no asset {sha256}")))?;
    Ok((
        [
            (CONTENT_TYPE, "application/octet-stream".to_string()),
            (
                axum::http::HeaderName::from_static("x-media-type"),
                media_type,
            ),
        ],
        bytes,
    ))
}
