//! Team generation: an assembly dispatched to the team's workers.

use crate::auth::{Caller, require};
use crate::error::{ApiFailure, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, TimeZone, Utc};
use classkit_model::ErrorCode;
use classkit_model::generation::{SpendingLine, SpendingReport};
use classkit_sync::{AssembleRequest, AssembleResponse, OutlineRequest, OutlineResponse, Role};
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

/// Asks the team's workers to outline a lecture into a new course (with the team's language
/// model and keys). The course, made by a worker, takes the job's id and is owned by the
/// caller; follow the job at `/api/v1/outlines/{job_id}`, then sync. The team's budget is
/// checked first. Any person of the team.
#[utoipa::path(post, path = "/api/v1/outlines", tag = "generation",
    request_body = OutlineRequest,
    responses((status = 202, body = OutlineResponse),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 409, body = classkit_sync::ApiError, description = "over the team's budget"),
              (status = 503, body = classkit_sync::ApiError, description = "the queue is unreachable"),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError),
              (status = 422, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn outline(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<OutlineRequest>,
) -> ApiResult<(StatusCode, axum::Json<OutlineResponse>)> {
    let queued = crate::generation::outline(&state, &caller, &req).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(queued)))
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

/// Which month of the ledger to read.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// `YYYY-MM` (UTC); this month when absent.
    pub month: Option<String>,
}

/// A month's spending on the course, from the team's ledger, by engine and job kind (what
/// the team's workers' runs paid, retries included). Members.
#[utoipa::path(get, path = "/api/v1/courses/{course_id}/spending", tag = "generation",
    params(("course_id" = Uuid, Path, description = "The course's id"), MonthQuery),
    responses((status = 200, body = Object),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn spending(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(course_id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<MonthQuery>,
) -> ApiResult<axum::Json<SpendingReport>> {
    require(&state, &caller, course_id, Role::Viewer).await?;
    let (month, from, to) = match query.month.as_deref() {
        None => {
            let from = crate::generation::month_start(Utc::now());
            (from.format("%Y-%m").to_string(), from, next_month(from))
        }
        Some(m) => {
            let from = parse_month(m).ok_or_else(|| {
                ApiFailure::bad_request(
                    ErrorCode::InvalidInput,
                    format!("month {m:?} is not a month; write it as YYYY-MM, e.g. 2026-12"),
                )
            })?;
            (m.to_string(), from, next_month(from))
        }
    };
    let rows = sqlx::query!(
        r#"SELECT engine, kind, COUNT(*) AS "payments!", COALESCE(SUM(micros), 0)::bigint AS "micros!"
           FROM spending WHERE course_id = $1 AND spent_at >= $2 AND spent_at < $3
           GROUP BY engine, kind"#,
        course_id,
        from,
        to
    )
    .fetch_all(&state.pool)
    .await
    .map_err(ApiFailure::internal)?;
    let lines = rows
        .into_iter()
        .map(|r| SpendingLine {
            engine: r.engine,
            kind: r.kind,
            payments: r.payments,
            micros: r.micros,
        })
        .collect();
    Ok(axum::Json(SpendingReport::new(
        month,
        Some(course_id),
        "team",
        lines,
    )))
}

/// The first instant of a `YYYY-MM` month (UTC).
fn parse_month(m: &str) -> Option<DateTime<Utc>> {
    let (y, mo) = m.split_once('-')?;
    if y.len() != 4 || mo.len() != 2 {
        return None;
    }
    let (y, mo): (i32, u32) = (y.parse().ok()?, mo.parse().ok()?);
    Utc.with_ymd_and_hms(y, mo, 1, 0, 0, 0).single()
}

fn next_month(start: DateTime<Utc>) -> DateTime<Utc> {
    let (y, m) = if start.month() == 12 {
        (start.year() + 1, 1)
    } else {
        (start.year(), start.month() + 1)
    };
    Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0)
        .single()
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_strictly() {
        let dec = parse_month("2026-12").expect("december");
        assert_eq!(next_month(dec), parse_month("2027-01").expect("january"));
        for bad in [
            "2026-13",
            "2026-1",
            "26-12",
            "2026/12",
            "",
            "2026-12-01",
            "abcd-ef",
        ] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }
}
