//! The admin's command line, run against the database directly (no server needed): people,
//! their tokens, and course membership.

use crate::auth::Token;
use anyhow::{Context, bail};
use classkit_sync::Role;
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

/// An email as accounts keep it: trimmed, lowercase, one `@` with text on both sides.
pub fn normalize_email(email: &str) -> anyhow::Result<String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 320
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(email.split_once('@'), Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !domain.contains('@'));
    if !valid {
        bail!("{email:?} is not an email address");
    }
    Ok(email)
}

/// A person with an account.
#[derive(Debug, Serialize)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

/// Creates an account.
pub async fn create_user(pool: &PgPool, email: &str, name: &str) -> anyhow::Result<User> {
    let email = normalize_email(email)?;
    let id = Uuid::now_v7();
    let inserted = sqlx::query!(
        "INSERT INTO users (id, email, name) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING",
        id,
        email,
        name.trim()
    )
    .execute(pool)
    .await?;
    if inserted.rows_affected() == 0 {
        bail!("there is already an account for {email}");
    }
    Ok(User {
        id,
        email,
        name: name.trim().to_string(),
    })
}

async fn user_id(pool: &PgPool, email: &str) -> anyhow::Result<Uuid> {
    let email = normalize_email(email)?;
    sqlx::query_scalar!("SELECT id FROM users WHERE email = $1", email)
        .fetch_optional(pool)
        .await?
        .with_context(|| format!("there is no account for {email}; create it with create-user"))
}

/// Makes a new token for a person; the token itself is returned once and never stored.
pub async fn create_token(
    pool: &PgPool,
    email: &str,
    label: &str,
) -> anyhow::Result<(Uuid, Token)> {
    let user = user_id(pool, email).await?;
    let token = Token::generate().context("the system's random number source failed")?;
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO api_tokens (id, user_id, token_hash, label) VALUES ($1, $2, $3, $4)",
        id,
        user,
        token.hash(),
        label
    )
    .execute(pool)
    .await?;
    Ok((id, token))
}

/// The account name of worker `name`: `worker:<name>`, never an email address, so it cannot
/// be taken by a person.
pub fn worker_account(name: &str) -> anyhow::Result<String> {
    let name = name.trim();
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        bail!("{name:?} is not a worker name: 1-64 letters, digits, '-', '_' or '.'");
    }
    Ok(format!("worker:{}", name.to_lowercase()))
}

/// Makes a new token for worker `name` (its account is made the first time). A worker's
/// token acts only on the worker API, never as a person.
pub async fn create_worker_token(pool: &PgPool, name: &str) -> anyhow::Result<(Uuid, Token)> {
    let account = worker_account(name)?;
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO users (id, email, name, is_worker) VALUES ($1, $2, $3, true)
         ON CONFLICT (email) DO NOTHING",
        id,
        account,
        name.trim()
    )
    .execute(pool)
    .await?;
    let user = sqlx::query_scalar!(
        "SELECT id FROM users WHERE email = $1 AND is_worker",
        account
    )
    .fetch_one(pool)
    .await?;
    let token = Token::generate().context("the system's random number source failed")?;
    let token_id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO api_tokens (id, user_id, token_hash, label) VALUES ($1, $2, $3, $4)",
        token_id,
        user,
        token.hash(),
        format!("worker {}", name.trim())
    )
    .execute(pool)
    .await?;
    Ok((token_id, token))
}

/// Which token to revoke.
pub enum TokenToRevoke {
    /// By the id `list` shows.
    Id(Uuid),
    /// By the token itself.
    Value(Token),
}

/// Revokes a token: requests carrying it are refused from then on.
pub async fn revoke_token(pool: &PgPool, which: TokenToRevoke) -> anyhow::Result<Uuid> {
    let revoked = match which {
        TokenToRevoke::Id(id) => {
            sqlx::query_scalar!(
                "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id",
                id
            )
            .fetch_optional(pool)
            .await?
        }
        TokenToRevoke::Value(token) => {
            sqlx::query_scalar!(
                "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE token_hash = $1 RETURNING id",
                token.hash()
            )
            .fetch_optional(pool)
            .await?
        }
    };
    revoked.context("there is no such token")
}

/// Gives a person a role in a shared course.
pub async fn add_member(
    pool: &PgPool,
    course: Uuid,
    email: &str,
    role: Role,
) -> anyhow::Result<()> {
    let user = user_id(pool, email).await?;
    let exists = sqlx::query_scalar!("SELECT 1 AS one FROM courses WHERE id = $1", course)
        .fetch_optional(pool)
        .await?
        .is_some();
    if !exists {
        bail!("there is no course {course} on this server (an instructor shares it first)");
    }
    sqlx::query!(
        "INSERT INTO course_members (course_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (course_id, user_id) DO UPDATE SET role = EXCLUDED.role",
        course,
        user,
        role.as_str()
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A token as `list` shows it (never the token itself).
#[derive(Debug, Serialize)]
pub struct TokenInfo {
    pub id: Uuid,
    pub label: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A person with their tokens.
#[derive(Debug, Serialize)]
pub struct UserInfo {
    pub email: String,
    pub name: String,
    pub tokens: Vec<TokenInfo>,
}

/// A course with its members.
#[derive(Debug, Serialize)]
pub struct CourseInfo {
    pub id: Uuid,
    pub title: String,
    pub members: Vec<(String, Role)>,
}

/// Everyone, their tokens, and every course with its members.
#[derive(Debug, Serialize)]
pub struct Listing {
    pub users: Vec<UserInfo>,
    pub courses: Vec<CourseInfo>,
}

/// What is on the server.
pub async fn list(pool: &PgPool) -> anyhow::Result<Listing> {
    let users = sqlx::query!("SELECT id, email, name FROM users ORDER BY email")
        .fetch_all(pool)
        .await?;
    let tokens = sqlx::query!(
        "SELECT id, user_id, label, created_at, revoked_at FROM api_tokens ORDER BY created_at"
    )
    .fetch_all(pool)
    .await?;
    let courses =
        sqlx::query!("SELECT id, title FROM courses WHERE NOT deleted ORDER BY title, id")
            .fetch_all(pool)
            .await?;
    let members = sqlx::query!(
        "SELECT m.course_id, u.email, m.role FROM course_members m JOIN users u ON u.id = m.user_id
         ORDER BY u.email"
    )
    .fetch_all(pool)
    .await?;
    Ok(Listing {
        users: users
            .into_iter()
            .map(|u| UserInfo {
                tokens: tokens
                    .iter()
                    .filter(|t| t.user_id == u.id)
                    .map(|t| TokenInfo {
                        id: t.id,
                        label: t.label.clone(),
                        created_at: t.created_at,
                        revoked_at: t.revoked_at,
                    })
                    .collect(),
                email: u.email,
                name: u.name,
            })
            .collect(),
        courses: courses
            .into_iter()
            .map(|c| CourseInfo {
                members: members
                    .iter()
                    .filter(|m| m.course_id == c.id)
                    .filter_map(|m| Some((m.email.clone(), Role::parse(&m.role)?)))
                    .collect(),
                id: c.id,
                title: c.title,
            })
            .collect(),
    })
}

/// Sets (or with `None` removes) the monthly budget of the team (no course) or of a course,
/// in millionths of a US dollar.
pub async fn set_budget(
    pool: &PgPool,
    course: Option<Uuid>,
    micros: Option<i64>,
) -> anyhow::Result<()> {
    if let Some(id) = course {
        let known = sqlx::query_scalar!("SELECT 1 AS one FROM courses WHERE id = $1", id)
            .fetch_optional(pool)
            .await?;
        if known.is_none() {
            bail!("there is no course {id} on this server");
        }
    }
    if micros.is_some_and(|m| m < 0) {
        bail!("a budget is 0 dollars or more");
    }
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "DELETE FROM budgets WHERE course_id IS NOT DISTINCT FROM $1",
        course
    )
    .execute(&mut *tx)
    .await?;
    if let Some(limit) = micros {
        sqlx::query!(
            "INSERT INTO budgets (course_id, limit_micros, updated_at) VALUES ($1, $2, now())",
            course,
            limit
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// This month's budget and spending of the team and, with a course, of that course.
pub async fn budget(
    pool: &PgPool,
    course: Option<Uuid>,
) -> anyhow::Result<classkit_sync::TeamBudget> {
    let now = chrono::Utc::now();
    let since = crate::generation::month_start(now);
    let row = sqlx::query!(
        r#"SELECT
             (SELECT limit_micros FROM budgets WHERE course_id IS NULL) AS team_limit,
             (SELECT limit_micros FROM budgets WHERE course_id = $1) AS course_limit,
             COALESCE((SELECT SUM(micros) FROM spending WHERE spent_at >= $2), 0)::bigint
                 AS "team_spent!",
             COALESCE((SELECT SUM(micros) FROM spending
                       WHERE spent_at >= $2 AND course_id = $1), 0)::bigint AS "course_spent!""#,
        course,
        since
    )
    .fetch_one(pool)
    .await?;
    Ok(classkit_sync::TeamBudget {
        month: now.format("%Y-%m").to_string(),
        team_limit_micros: row.team_limit,
        team_spent_micros: row.team_spent,
        course_id: course,
        course_limit_micros: course.and(row.course_limit),
        course_spent_micros: course.map(|_| row.course_spent),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            normalize_email("  Ann@Example.ORG ").expect("valid"),
            "ann@example.org"
        );
        for bad in [
            "",
            "ann",
            "@x",
            "ann@",
            "a b@x.org",
            "a@b@c",
            "a\u{0}@x.org",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad:?}");
        }
        assert!(normalize_email(&format!("{}@x.org", "a".repeat(400))).is_err());
    }
}
