//! Courses and their members: which courses the caller belongs to, sharing a course (the
//! caller becomes its owner), and the owner's management of members.

use crate::auth::{Caller, require};
use crate::error::{ApiFailure, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{SubsecRound, Utc};
use classkit_model::ErrorCode;
use classkit_sync::{
    CourseFields, EntityState, Me, Member, NewCourse, Role, SetMember, TeamCourse,
};
use uuid::Uuid;

/// Who the token belongs to (what "test connection" asks).
#[utoipa::path(get, path = "/api/v1/me", tag = "people",
    responses((status = 200, body = Me), (status = 401, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn me(caller: Caller) -> ApiResult<axum::Json<Me>> {
    Ok(axum::Json(Me {
        email: caller.email,
        name: caller.name,
    }))
}

/// The courses the caller is a member of, with their role.
#[utoipa::path(get, path = "/api/v1/courses", tag = "courses",
    responses((status = 200, body = Vec<TeamCourse>), (status = 401, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn list_courses(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<Vec<TeamCourse>>> {
    let rows = sqlx::query!(
        "SELECT c.id, c.title, m.role, c.version, c.last_seq, c.updated_at
         FROM course_members m JOIN courses c ON c.id = m.course_id
         WHERE m.user_id = $1 AND NOT c.deleted ORDER BY c.updated_at DESC, c.id",
        caller.user_id
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(axum::Json(
        rows.into_iter()
            .filter_map(|r| {
                Some(TeamCourse {
                    id: r.id,
                    title: r.title,
                    role: Role::parse(&r.role)?,
                    version: r.version,
                    seq: r.last_seq,
                    updated_at: r.updated_at,
                })
            })
            .collect(),
    ))
}

async fn team_course(state: &AppState, caller: &Caller, id: Uuid) -> ApiResult<TeamCourse> {
    let r = sqlx::query!(
        "SELECT c.id, c.title, m.role, c.version, c.last_seq, c.updated_at
         FROM course_members m JOIN courses c ON c.id = m.course_id
         WHERE m.user_id = $1 AND c.id = $2",
        caller.user_id,
        id
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or_else(|| ApiFailure::no_course(id))?;
    Ok(TeamCourse {
        id: r.id,
        title: r.title,
        role: Role::parse(&r.role).ok_or_else(|| ApiFailure::internal("unknown role stored"))?,
        version: r.version,
        seq: r.last_seq,
        updated_at: r.updated_at,
    })
}

/// Shares a course: the server creates it, empty, with the caller as its owner. Its lessons,
/// slides and components follow as a push.
#[utoipa::path(post, path = "/api/v1/courses", tag = "courses", request_body = NewCourse,
    responses((status = 201, body = TeamCourse),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 409, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError),
              (status = 422, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn create_course(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(new): ApiJson<NewCourse>,
) -> ApiResult<(StatusCode, axum::Json<TeamCourse>)> {
    let fields = match crate::validate::check(new.id, &EntityState::Course(new.fields)) {
        Ok(EntityState::Course(f)) => f,
        Ok(_) => return Err(ApiFailure::internal("a course's check gave another kind")),
        Err(refused) => {
            return Err(ApiFailure::validation(
                "the course breaks the rules",
                &refused.issues,
            ));
        }
    };
    if !insert_course(&state, caller.user_id, new.id, &fields).await? {
        // Shared before (by this caller, or a reply was lost): say so only to a member.
        require(&state, &caller, new.id, Role::Viewer).await?;
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::CourseExists,
            format!("course {} is already on the team server", new.id),
        )
        .with_details(serde_json::json!({ "course_id": new.id })));
    }
    Ok((
        StatusCode::CREATED,
        axum::Json(team_course(&state, &caller, new.id).await?),
    ))
}

/// Creates a course, empty, owned by `owner` (its lessons and slides follow as a push);
/// false when a course of that id exists already.
pub(crate) async fn insert_course(
    state: &AppState,
    owner: Uuid,
    id: Uuid,
    fields: &CourseFields,
) -> ApiResult<bool> {
    // PostgreSQL keeps microseconds: answer with the time as it is stored.
    let now = Utc::now().trunc_subsecs(6);
    let mut tx = state.pool.begin().await?;
    let inserted = sqlx::query!(
        "INSERT INTO courses (id, title, description, language, version, change_seq, last_seq,
                              created_by, created_at, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, 1, 1, 1, $5, $6, $6, $5) ON CONFLICT (id) DO NOTHING",
        id,
        fields.title,
        fields.description,
        fields.language,
        owner,
        now
    )
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(false);
    }
    // The course's row holds this version's state (see `revision_states`).
    sqlx::query!(
        "INSERT INTO revisions (course_id, seq, entity_kind, entity_id, version, deleted, state,
                                author, created_at)
         VALUES ($1, 1, 'course', $1, 1, false, NULL, $2, $3)",
        id,
        owner,
        now
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO course_members (course_id, user_id, role, added_at) VALUES ($1, $2, 'owner', $3)",
        id,
        owner,
        now
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// One course the caller is a member of.
#[utoipa::path(get, path = "/api/v1/courses/{course_id}", tag = "courses",
    params(("course_id" = Uuid, Path, description = "The course's id")),
    responses((status = 200, body = TeamCourse),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn get_course(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(course_id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<TeamCourse>> {
    Ok(axum::Json(team_course(&state, &caller, course_id).await?))
}

/// The members of a course.
#[utoipa::path(get, path = "/api/v1/courses/{course_id}/members", tag = "courses",
    params(("course_id" = Uuid, Path, description = "The course's id")),
    responses((status = 200, body = Vec<Member>),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn list_members(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(course_id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<Vec<Member>>> {
    require(&state, &caller, course_id, Role::Viewer).await?;
    members(&state, course_id).await.map(axum::Json)
}

async fn members(state: &AppState, course_id: Uuid) -> ApiResult<Vec<Member>> {
    let rows = sqlx::query!(
        "SELECT u.email, u.name, m.role, m.added_at FROM course_members m
         JOIN users u ON u.id = m.user_id WHERE m.course_id = $1 ORDER BY m.added_at, u.email",
        course_id
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Member {
                email: r.email,
                name: r.name,
                role: Role::parse(&r.role)?,
                added_at: r.added_at,
            })
        })
        .collect())
}

/// Gives a person (by the email their account has) a role in the course. Owners only.
#[utoipa::path(put, path = "/api/v1/courses/{course_id}/members/{email}", tag = "courses",
    params(("course_id" = Uuid, Path, description = "The course's id"),
           ("email" = String, Path, description = "The member's email")),
    request_body = SetMember,
    responses((status = 200, body = Member),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 409, body = classkit_sync::ApiError),
              (status = 413, body = classkit_sync::ApiError),
              (status = 415, body = classkit_sync::ApiError),
              (status = 422, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn set_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((course_id, email)): ApiPath<(Uuid, String)>,
    ApiJson(body): ApiJson<SetMember>,
) -> ApiResult<axum::Json<Member>> {
    require(&state, &caller, course_id, Role::Owner).await?;
    let email = email.trim().to_lowercase();
    let mut tx = state.pool.begin().await?;
    // Serialize member changes of one course, so two owners cannot both step down.
    sqlx::query!("SELECT id FROM courses WHERE id = $1 FOR UPDATE", course_id)
        .fetch_one(&mut *tx)
        .await?;
    let user = sqlx::query_scalar!("SELECT id FROM users WHERE email = $1", email)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            ApiFailure::not_found(format!(
                "nobody with the email {email:?} has an account on this server; the admin creates accounts"
            ))
        })?;
    if body.role != Role::Owner {
        last_owner_check(&mut tx, course_id, user).await?;
    }
    sqlx::query!(
        "INSERT INTO course_members (course_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (course_id, user_id) DO UPDATE SET role = EXCLUDED.role",
        course_id,
        user,
        body.role.as_str()
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    members(&state, course_id)
        .await?
        .into_iter()
        .find(|m| m.email == email)
        .map(axum::Json)
        .ok_or_else(|| ApiFailure::internal("a member just added is not listed"))
}

/// Refuses to take the last owner's ownership away.
async fn last_owner_check(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    course_id: Uuid,
    user: Uuid,
) -> ApiResult<()> {
    let other_owners = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM course_members
           WHERE course_id = $1 AND role = 'owner' AND user_id <> $2"#,
        course_id,
        user
    )
    .fetch_one(&mut **tx)
    .await?;
    let is_owner = sqlx::query_scalar!(
        "SELECT 1 AS one FROM course_members WHERE course_id = $1 AND user_id = $2 AND role = 'owner'",
        course_id,
        user
    )
    .fetch_optional(&mut **tx)
    .await?
    .is_some();
    if is_owner && other_owners == 0 {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::WrongState,
            "this is the course's only owner; make someone else an owner first",
        ));
    }
    Ok(())
}

/// Removes a member from the course. Owners only; the last owner stays.
#[utoipa::path(delete, path = "/api/v1/courses/{course_id}/members/{email}", tag = "courses",
    params(("course_id" = Uuid, Path, description = "The course's id"),
           ("email" = String, Path, description = "The member's email")),
    responses((status = 204),
              (status = 400, body = classkit_sync::ApiError),
              (status = 401, body = classkit_sync::ApiError),
              (status = 403, body = classkit_sync::ApiError),
              (status = 404, body = classkit_sync::ApiError),
              (status = 409, body = classkit_sync::ApiError)),
    security(("bearer" = [])))]
pub async fn remove_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((course_id, email)): ApiPath<(Uuid, String)>,
) -> ApiResult<StatusCode> {
    require(&state, &caller, course_id, Role::Owner).await?;
    let email = email.trim().to_lowercase();
    let mut tx = state.pool.begin().await?;
    sqlx::query!("SELECT id FROM courses WHERE id = $1 FOR UPDATE", course_id)
        .fetch_one(&mut *tx)
        .await?;
    let user = sqlx::query_scalar!(
        "SELECT u.id FROM users u JOIN course_members m ON m.user_id = u.id
         WHERE u.email = $1 AND m.course_id = $2",
        email,
        course_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiFailure::not_found(format!("{email:?} is not a member of this course")))?;
    last_owner_check(&mut tx, course_id, user).await?;
    sqlx::query!(
        "DELETE FROM course_members WHERE course_id = $1 AND user_id = $2",
        course_id,
        user
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
