//! Request extractors whose refusals are API errors (`{code, message, details}`) rather than
//! axum's plain-text ones: malformed JSON, unknown fields, bodies over the limit, ids in the
//! path that are not ids, query strings that do not parse.

use crate::error::ApiFailure;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use classkit_model::ErrorCode;
use serde::de::DeserializeOwned;
use serde_json::json;

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiFailure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(rejection) => Err(json_failure(rejection)),
        }
    }
}

fn json_failure(rejection: JsonRejection) -> ApiFailure {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    match rejection {
        JsonRejection::JsonDataError(e) => {
            // serde's message names the field path and what was wrong with it.
            let detail = std::error::Error::source(&e)
                .map(ToString::to_string)
                .unwrap_or_else(|| e.body_text());
            ApiFailure::invalid(
                ErrorCode::InvalidInput,
                format!("the request body does not fit: {detail}"),
            )
            .with_details(json!({ "reason": detail }))
        }
        JsonRejection::JsonSyntaxError(e) => {
            let detail = std::error::Error::source(&e)
                .map(ToString::to_string)
                .unwrap_or_else(|| e.body_text());
            ApiFailure::bad_request(
                ErrorCode::InvalidJson,
                format!("the request body is not JSON: {detail}"),
            )
        }
        JsonRejection::MissingJsonContentType(_) => ApiFailure::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::InvalidInput,
            "send the body as JSON, with Content-Type: application/json",
        ),
        other => ApiFailure::bad_request(ErrorCode::InvalidInput, other.body_text()),
    }
}

/// The answer to a body over the server's limit.
pub fn too_large() -> ApiFailure {
    ApiFailure::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::InputTooLarge,
        "the request body is over the server's size limit; send less at a time",
    )
}

/// Parameters in the path.
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Self(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => Err(ApiFailure::bad_request(
                ErrorCode::InvalidInput,
                format!(
                    "the address holds a value that is not valid here: {}",
                    e.body_text()
                ),
            )),
            Err(other) => Err(ApiFailure::bad_request(
                ErrorCode::InvalidInput,
                other.body_text(),
            )),
        }
    }
}

/// Parameters in the query string.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Self(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(ApiFailure::bad_request(
                ErrorCode::InvalidInput,
                format!("the query string does not fit: {}", e.body_text()),
            )),
            Err(other) => Err(ApiFailure::bad_request(
                ErrorCode::InvalidInput,
                other.body_text(),
            )),
        }
    }
}
