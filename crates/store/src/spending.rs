//! Money spent on paid engines, and monthly budgets.

use crate::{Result, Store, now};
use uuid::Uuid;

/// The month (UTC) a cost falls in, as `YYYY-MM`.
pub fn month_of(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m").to_string()
}

/// What a budget covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetScope {
    Library,
    Course(Uuid),
}

impl BudgetScope {
    fn key(self) -> String {
        match self {
            Self::Library => "library".into(),
            Self::Course(id) => id.to_string(),
        }
    }
}

impl Store {
    /// Records what an attempt of a job cost (once per attempt, however often it is recorded:
    /// a redelivered attempt counts once).
    pub async fn record_spending(
        &self,
        job_id: Uuid,
        attempt: u32,
        course_id: Uuid,
        engine: &str,
        kind: &str,
        micros: i64,
    ) -> Result<()> {
        let at = now();
        sqlx::query(
            "INSERT INTO spending (job_id, attempt, course_id, engine, kind, micros, month, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, attempt) DO NOTHING",
        )
        .bind(job_id.to_string())
        .bind(attempt.max(1))
        .bind(course_id.to_string())
        .bind(engine)
        .bind(kind)
        .bind(micros.max(0))
        .bind(month_of(at))
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Spent in `month` (`YYYY-MM`) by the whole library, or by one course.
    pub async fn spent(&self, month: &str, scope: BudgetScope) -> Result<i64> {
        let (sum,): (Option<i64>,) = match scope {
            BudgetScope::Library => {
                sqlx::query_as("SELECT SUM(micros) FROM spending WHERE month = ?")
                    .bind(month)
                    .fetch_one(&self.pool)
                    .await?
            }
            BudgetScope::Course(id) => {
                sqlx::query_as("SELECT SUM(micros) FROM spending WHERE month = ? AND course_id = ?")
                    .bind(month)
                    .bind(id.to_string())
                    .fetch_one(&self.pool)
                    .await?
            }
        };
        Ok(sum.unwrap_or(0))
    }

    /// Sets (or with `None` removes) a monthly budget.
    pub async fn set_budget(&self, scope: BudgetScope, monthly_micros: Option<i64>) -> Result<()> {
        match monthly_micros {
            Some(m) => {
                sqlx::query(
                    "INSERT INTO budgets (scope, monthly_micros, updated_at) VALUES (?, ?, ?) \
                     ON CONFLICT (scope) DO UPDATE SET monthly_micros = excluded.monthly_micros, \
                     updated_at = excluded.updated_at",
                )
                .bind(scope.key())
                .bind(m.max(0))
                .bind(now())
                .execute(&self.pool)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM budgets WHERE scope = ?")
                    .bind(scope.key())
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// The monthly budget of `scope`, when one is set.
    pub async fn budget(&self, scope: BudgetScope) -> Result<Option<i64>> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT monthly_micros FROM budgets WHERE scope = ?")
                .bind(scope.key())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|r| r.0))
    }
}
