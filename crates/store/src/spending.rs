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
    /// Records what one run of a job's handler cost (a job that runs again and pays again
    /// is recorded again: the money was spent twice).
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
            "INSERT INTO spending (id, job_id, attempt, course_id, engine, kind, micros, month, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(job_id.to_string())
        .bind(attempt)
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

    /// What the runs of these jobs cost in all.
    pub async fn spent_by_jobs(&self, jobs: &[Uuid]) -> Result<i64> {
        let mut total = 0;
        for chunk in jobs.chunks(500) {
            let placeholders = vec!["?"; chunk.len()].join(", ");
            let sql = format!("SELECT SUM(micros) FROM spending WHERE job_id IN ({placeholders})");
            // Only `?` placeholders are formatted into the statement; the ids are bound.
            let mut query = sqlx::query_as::<_, (Option<i64>,)>(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                query = query.bind(id.to_string());
            }
            total += query.fetch_one(&self.pool).await?.0.unwrap_or(0);
        }
        Ok(total)
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

    /// Spent in `month` (`YYYY-MM`) by the whole library or one course, by engine and job
    /// kind.
    pub async fn spending_lines(
        &self,
        month: &str,
        scope: BudgetScope,
    ) -> Result<Vec<classkit_model::generation::SpendingLine>> {
        let course = match scope {
            BudgetScope::Library => None,
            BudgetScope::Course(id) => Some(id.to_string()),
        };
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT engine, kind, COUNT(*), COALESCE(SUM(micros), 0) FROM spending \
             WHERE month = ? AND (? IS NULL OR course_id = ?) GROUP BY engine, kind",
        )
        .bind(month)
        .bind(&course)
        .bind(&course)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(engine, kind, payments, micros)| classkit_model::generation::SpendingLine {
                    engine,
                    kind,
                    payments,
                    micros,
                },
            )
            .collect())
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
