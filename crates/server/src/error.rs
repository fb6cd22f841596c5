//! Errors as the API answers them: `{code, message, details}` with a status that fits, the
//! same shape the CLI's `--json` prints. Internal failures are logged with an id the answer
//! carries, never with the request's secrets, and their causes are not shown to callers.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use classkit_model::{ErrorCode, ValidationIssue};
use classkit_sync::ApiError;
use serde_json::{Value, json};

/// A refused or failed request.
#[derive(Debug)]
pub struct ApiFailure {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub details: Value,
}

/// What handlers return.
pub type ApiResult<T> = Result<T, ApiFailure>;

impl ApiFailure {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: Value::Null,
        }
    }

    /// Adds details (for invalid input: what and where).
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    /// Something that is not there, or that the caller may not know is there.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, what)
    }

    /// The course is not one the caller is a member of (or does not exist): one answer for
    /// both, so that nobody learns which courses exist.
    pub fn no_course(id: uuid::Uuid) -> Self {
        Self::not_found(format!("there is no course {id} that you are a member of"))
    }

    /// Input that is refused, with a 422.
    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    /// A request that is malformed (not JSON, a bad id in the path), with a 400.
    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// A payload or field that breaks the rules, each problem with its JSON pointer.
    pub fn validation(message: impl Into<String>, issues: &[ValidationIssue]) -> Self {
        Self::invalid(ErrorCode::ValidationFailed, message)
            .with_details(json!({ "issues": issues }))
    }

    /// The caller's role does not allow this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    /// A failure of the server itself: logged in full under an id, answered with the id only.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        let id = uuid::Uuid::now_v7();
        tracing::error!(error_id = %id, error = %error, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            format!("the server failed; its log has the details under error id {id}"),
        )
    }

    /// The database cannot be used right now.
    pub fn unavailable(error: impl std::fmt::Display) -> Self {
        let id = uuid::Uuid::now_v7();
        tracing::error!(error_id = %id, error = %error, "database unavailable");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::DatabaseError,
            format!(
                "the team server's database cannot be used right now (error id {id}); try again shortly"
            ),
        )
    }

    /// The team's job queue (Redis) cannot be reached right now.
    pub fn queue_unavailable(error: impl std::fmt::Display) -> Self {
        let id = uuid::Uuid::now_v7();
        tracing::error!(error_id = %id, error = %error, "job queue unavailable");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::RedisError,
            format!(
                "the team's job queue cannot be reached right now (error id {id}); try again shortly"
            ),
        )
    }
}

impl From<sqlx::Error> for ApiFailure {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                Self::unavailable(e)
            }
            _ => Self::internal(e),
        }
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let body = ApiError {
            code: self.code.as_str().to_string(),
            message: self.message,
            details: self.details,
        };
        (self.status, Json(body)).into_response()
    }
}
