//! Assets by content hash: which ones the server lacks, uploading one (its bytes checked
//! against the hash), and reading one back. An asset belongs to the courses it was
//! uploaded to; members of those courses read it.

use crate::auth::{Caller, require};
use crate::config::AssetStorage;
use crate::error::{ApiFailure, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, too_large};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::IntoResponse;
use classkit_model::{AssetRef, ErrorCode, media};
use classkit_sync::{AssetQuery, MissingAssets, Role};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use uuid::Uuid;

/// The most hashes one question may list.
const MAX_ASKED: usize = 1000;

pub fn check_hash(sha256: &str) -> ApiResult<()> {
    if AssetRef(sha256.to_string()).is_well_formed() {
        Ok(())
    } else {
        Err(ApiFailure::bad_request(
            ErrorCode::InvalidInput,
            "an asset is named by the sha256 of its bytes: 64 lowercase hex digits",
        ))
    }
}

/// Where an asset's bytes live when they are kept as files: two levels by hash.
fn file_of(dir: &std::path::Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

/// Which of the listed assets the server does not hold for this course yet.
#[utoipa::path(post, path = "/api/v1/courses/{course_id}/assets/missing", tag = "assets",
    params(("course_id" = Uuid, Path, description = "The course's id")),
    request_body = AssetQuery,
    responses((status = 200, body = MissingAssets),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError),
              (status = 422, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn missing(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(course_id): ApiPath<Uuid>,
    ApiJson(q): ApiJson<AssetQuery>,
) -> ApiResult<axum::Json<MissingAssets>> {
    require(&state, &caller, course_id, Role::Editor).await?;
    check_asked(&q.sha256)?;
    let present: Vec<String> = sqlx::query_scalar!(
        "SELECT sha256 FROM course_assets WHERE course_id = $1 AND sha256 = ANY($2)",
        course_id,
        &q.sha256
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(axum::Json(missing_of(q.sha256, &present)))
}

/// Refuses a question about too many assets, or about something that is not a sha256.
pub fn check_asked(hashes: &[String]) -> ApiResult<()> {
    if hashes.len() > MAX_ASKED {
        return Err(ApiFailure::invalid(
            ErrorCode::InputTooLarge,
            format!("ask about at most {MAX_ASKED} assets at a time"),
        ));
    }
    if let Some(bad) = hashes
        .iter()
        .find(|h| !AssetRef((*h).clone()).is_well_formed())
    {
        return Err(ApiFailure::invalid(
            ErrorCode::InvalidInput,
            format!("{bad:?} is not a sha256 (64 lowercase hex digits)"),
        ));
    }
    Ok(())
}

/// The asked hashes that are not `present`, sorted, each once.
pub fn missing_of(asked: Vec<String>, present: &[String]) -> MissingAssets {
    let mut missing: Vec<String> = asked.into_iter().filter(|h| !present.contains(h)).collect();
    missing.sort();
    missing.dedup();
    MissingAssets { missing }
}

/// The media type of an upload.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// What the bytes are: image/png, image/jpeg, image/webp, image/gif, audio/ogg,
    /// audio/mpeg, audio/wav, audio/x-wav, audio/webm or audio/mp4.
    pub media_type: String,
}

/// Uploads an asset's bytes under their sha256; bytes that do not have that hash are
/// refused. Uploading one the server holds already only adds it to the course.
#[utoipa::path(put, path = "/api/v1/courses/{course_id}/assets/{sha256}", tag = "assets",
    params(("course_id" = Uuid, Path, description = "The course's id"),
           ("sha256" = String, Path, description = "The sha256 of the bytes, lowercase hex"),
           UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, description = "Stored"),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError),
              (status = 422, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((course_id, sha256)): ApiPath<(Uuid, String)>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<StatusCode> {
    require(&state, &caller, course_id, Role::Editor).await?;
    check_hash(&sha256)?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiFailure::bad_request(ErrorCode::InvalidInput, e.body_text())
        }
    })?;
    check_upload(&sha256, &q.media_type, &body)?;
    store(&state, &sha256, &q.media_type, body).await?;
    sqlx::query!(
        "INSERT INTO course_assets (course_id, sha256) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        course_id,
        sha256
    )
    .execute(&state.pool)
    .await?;
    Ok(StatusCode::CREATED)
}

/// Refuses an upload of a media type the team does not keep, or whose bytes do not have the
/// sha256 it is sent under.
pub fn check_upload(sha256: &str, media_type: &str, body: &[u8]) -> ApiResult<()> {
    if !media::is_media_type(media_type) {
        return Err(ApiFailure::invalid(
            ErrorCode::InvalidInput,
            format!(
                "{media_type:?} is not a media type the team keeps; use one of {}",
                media::MEDIA_TYPES.join(", ")
            ),
        ));
    }
    let actual = hex::encode(Sha256::digest(body));
    if actual != sha256 {
        return Err(ApiFailure::invalid(
            ErrorCode::AssetHashMismatch,
            format!("the bytes sent have the sha256 {actual}, not {sha256}; nothing was stored"),
        )
        .with_details(serde_json::json!({ "expected": sha256, "actual": actual })));
    }
    Ok(())
}

/// Keeps bytes whose sha256 is `sha256` (checked by the caller) with their media type, in
/// the database or as a file as the server is set up; bytes held already are kept once.
pub async fn store(state: &AppState, sha256: &str, media_type: &str, body: Bytes) -> ApiResult<()> {
    let size = i64::try_from(body.len()).map_err(ApiFailure::internal)?;
    let held = sqlx::query_scalar!("SELECT 1 AS one FROM assets WHERE sha256 = $1", sha256)
        .fetch_optional(&state.pool)
        .await?
        .is_some();
    if !held {
        let bytes = match state.assets.storage {
            AssetStorage::Database => Some(body.to_vec()),
            AssetStorage::Files => {
                write_file(file_of(&state.assets.dir, sha256), body.clone()).await?;
                None
            }
        };
        sqlx::query!(
            "INSERT INTO assets (sha256, media_type, size, bytes) VALUES ($1, $2, $3, $4)
             ON CONFLICT (sha256) DO NOTHING",
            sha256,
            media_type,
            size,
            bytes
        )
        .execute(&state.pool)
        .await?;
    }
    Ok(())
}

/// The media type and bytes of a held asset, in any course; `None` when the server has none
/// with that hash.
pub async fn read(state: &AppState, sha256: &str) -> ApiResult<Option<(String, Vec<u8>)>> {
    let Some(row) = sqlx::query!(
        "SELECT media_type, bytes FROM assets WHERE sha256 = $1",
        sha256
    )
    .fetch_optional(&state.pool)
    .await?
    else {
        return Ok(None);
    };
    let bytes = match row.bytes {
        Some(b) => b,
        None => tokio::fs::read(file_of(&state.assets.dir, sha256))
            .await
            .map_err(|e| ApiFailure::internal(format!("asset {sha256} cannot be read: {e}")))?,
    };
    Ok(Some((row.media_type, bytes)))
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed.
async fn write_file(path: PathBuf, bytes: Bytes) -> ApiResult<()> {
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(std::path::Path::new("."));
        std::fs::create_dir_all(dir)?;
        if path.exists() {
            return Ok(());
        }
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(&mut tmp, &bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    })
    .await
    .map_err(ApiFailure::internal)?
    .map_err(ApiFailure::internal)
}

/// An asset's bytes. They are sent as a download (never shown by a browser as a page); the
/// media type is in `X-Media-Type`.
#[utoipa::path(get, path = "/api/v1/courses/{course_id}/assets/{sha256}", tag = "assets",
    params(("course_id" = Uuid, Path, description = "The course's id"),
           ("sha256" = String, Path, description = "The sha256 of the bytes, lowercase hex")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>,
               headers(("X-Media-Type" = String, description = "What the bytes are"))),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((course_id, sha256)): ApiPath<(Uuid, String)>,
) -> ApiResult<impl IntoResponse> {
    require(&state, &caller, course_id, Role::Viewer).await?;
    check_hash(&sha256)?;
    let row = sqlx::query!(
        "SELECT a.media_type, a.bytes FROM assets a
         JOIN course_assets c ON c.sha256 = a.sha256
         WHERE c.course_id = $1 AND a.sha256 = $2",
        course_id,
        sha256
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or_else(|| ApiFailure::not_found(format!("course {course_id} has no asset {sha256}")))?;
    let bytes = match row.bytes {
        Some(b) => b,
        None => tokio::fs::read(file_of(&state.assets.dir, &sha256))
            .await
            .map_err(|e| ApiFailure::internal(format!("asset {sha256} cannot be read: {e}")))?,
    };
    Ok((
        [
            (CONTENT_TYPE, "application/octet-stream".to_string()),
            (CONTENT_DISPOSITION, "attachment".to_string()),
            (X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (
                axum::http::HeaderName::from_static("x-media-type"),
                row.media_type,
            ),
        ],
        bytes,
    ))
}
