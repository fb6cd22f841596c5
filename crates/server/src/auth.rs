//! Who is calling, and what they may do in a course.
//!
//! A token is 256 random bits, written `ckt_` + base64url, shown once when it is made. The
//! database keeps only its sha256 (a fast hash is enough: the token is random, not a
//! password), so a stolen database holds no usable token. Every request looks its token up
//! again, so a revocation holds from the next request on.

use crate::error::{ApiFailure, ApiResult};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use classkit_model::ErrorCode;
use classkit_sync::Role;
use sha2::{Digest, Sha256};
use std::fmt;
use uuid::Uuid;

/// The start of every token, so that one pasted in the wrong place is recognisable.
pub const TOKEN_PREFIX: &str = "ckt_";

/// A secret token. Its `Debug` and `Display` print `***`, so it cannot reach a log by mistake.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A new random token.
    pub fn generate() -> std::io::Result<Self> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(Self(format!(
            "{TOKEN_PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        )))
    }

    /// Wraps a token read from a request or a file.
    pub fn new(text: String) -> Self {
        Self(text)
    }

    /// The token itself, for showing once to the admin.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the database keeps.
    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The person a request's token belongs to.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: Uuid,
    pub email: String,
    pub name: String,
}

fn unauthorized(message: &str) -> ApiFailure {
    ApiFailure::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let token = bearer(parts)?;
        let account = account(state, &token).await?;
        if account.is_worker {
            return Err(ApiFailure::forbidden(
                "this is a worker's token: it serves the team's job queue and cannot act as a person",
            ));
        }
        Ok(account.caller)
    }
}

/// The account a token belongs to.
struct Account {
    caller: Caller,
    is_worker: bool,
}

fn bearer(parts: &Parts) -> ApiResult<Token> {
    let header = parts
        .headers
        .get(AUTHORIZATION)
        .ok_or_else(|| unauthorized("no token: send it as Authorization: Bearer <token>"))?;
    let token = header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| unauthorized("the Authorization header must be \"Bearer <token>\""))?;
    Ok(Token::new(token.to_string()))
}

async fn account(state: &AppState, token: &Token) -> ApiResult<Account> {
    let found = sqlx::query!(
        r#"SELECT u.id, u.email, u.name, u.is_worker, t.revoked_at IS NOT NULL AS "revoked!"
           FROM api_tokens t JOIN users u ON u.id = t.user_id
           WHERE t.token_hash = $1"#,
        token.hash()
    )
    .fetch_optional(&state.pool)
    .await?;
    match found {
        None => Err(unauthorized("the team server does not know this token")),
        Some(row) if row.revoked => Err(ApiFailure::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::TokenRevoked,
            "this token was revoked; ask the team's admin for a new one",
        )),
        Some(row) => Ok(Account {
            caller: Caller {
                user_id: row.id,
                email: row.email,
                name: row.name,
            },
            is_worker: row.is_worker,
        }),
    }
}

/// A worker serving the team's queue: what its jobs write is authored by its account.
#[derive(Debug, Clone)]
pub struct Worker(pub Caller);

impl FromRequestParts<AppState> for Worker {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let token = bearer(parts)?;
        let account = account(state, &token).await?;
        if !account.is_worker {
            return Err(ApiFailure::forbidden(
                "the worker API takes a worker's token (classkit-server admin create-token --worker NAME)",
            ));
        }
        Ok(Worker(account.caller))
    }
}

/// The caller's role in `course`, refused with a 404 when they are not a member (whether or
/// not the course exists) and with a 403 when their role is below `needed`.
pub async fn require(
    state: &AppState,
    caller: &Caller,
    course: Uuid,
    needed: Role,
) -> ApiResult<Role> {
    let role = sqlx::query_scalar!(
        "SELECT role FROM course_members WHERE course_id = $1 AND user_id = $2",
        course,
        caller.user_id
    )
    .fetch_optional(&state.pool)
    .await?
    .and_then(|r| Role::parse(&r))
    .ok_or_else(|| ApiFailure::no_course(course))?;
    if role < needed {
        return Err(ApiFailure::forbidden(format!(
            "you are a {} of course {course}; this needs a {}",
            role.as_str(),
            needed.as_str()
        )));
    }
    Ok(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_long_and_never_printed() {
        let a = Token::generate().expect("token");
        let b = Token::generate().expect("token");
        assert_ne!(a, b);
        assert!(a.expose().starts_with(TOKEN_PREFIX));
        // 32 bytes in base64url without padding: 43 characters.
        assert_eq!(a.expose().len(), TOKEN_PREFIX.len() + 43);
        assert_eq!(format!("{a:?} {a}"), "Token(***) ***");
        assert_eq!(a.hash().len(), 32);
        assert_ne!(a.hash(), b.hash());
    }
}
