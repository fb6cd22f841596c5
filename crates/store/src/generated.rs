//! Outputs of the generation engines, per slide: narration audio and rendered pages.

use crate::{Result, Store, StoreError, now};
use classkit_model::AssetRef;
pub use classkit_model::generation::{Drafted, Generated};
use sqlx::Row;
use uuid::Uuid;

fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Generated> {
    let parse = |s: String| {
        Uuid::parse_str(&s).map_err(|e| StoreError::Invalid(format!("a stored id: {e}")))
    };
    let details: String = row.try_get("details")?;
    Ok(Generated {
        target_id: parse(row.try_get("target_id")?)?,
        kind: row.try_get("kind")?,
        page: row.try_get::<i64, _>("page")? as u32,
        asset: AssetRef(row.try_get("asset_sha256")?),
        media_type: row.try_get("media_type")?,
        thumbnail: row
            .try_get::<Option<String>, _>("thumbnail_sha256")?
            .map(AssetRef),
        duration_ms: row
            .try_get::<Option<i64>, _>("duration_ms")?
            .map(|d| d as u64),
        input_key: row.try_get("input_key")?,
        engine: row.try_get("engine")?,
        cost_micros: row.try_get("cost_micros")?,
        job_id: row
            .try_get::<Option<String>, _>("job_id")?
            .map(parse)
            .transpose()?,
        details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
    })
}

impl Store {
    /// What was made here for the slides of a shared course and not yet sent to the team
    /// server: rendered pages and narration, one take (every page of a slide and kind) each,
    /// in course order.
    pub async fn team_unpushed_outputs(&self, course: Uuid) -> Result<Vec<Vec<Generated>>> {
        let rows = sqlx::query(
            "SELECT g.* FROM generated g JOIN slides s ON s.id = g.target_id \
             JOIN lessons l ON l.id = s.lesson_id \
             WHERE l.course_id = ? AND g.pushed = 0 AND g.kind IN ('narration', 'slide_render') \
             ORDER BY l.order_key, l.id, s.order_key, s.id, g.kind, g.page",
        )
        .bind(course.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut takes: Vec<Vec<Generated>> = Vec::new();
        for row in &rows {
            let g = from_row(row)?;
            match takes.last_mut() {
                Some(take) if take[0].target_id == g.target_id && take[0].kind == g.kind => {
                    take.push(g)
                }
                _ => takes.push(vec![g]),
            }
        }
        Ok(takes)
    }

    /// Marks a take as the team server's (taken, or refused for good): it is not sent again.
    /// A newer take made here since (another input) still waits.
    pub async fn team_outputs_pushed(
        &self,
        target: Uuid,
        kind: &str,
        input_key: &str,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE generated SET pushed = 1 WHERE target_id = ? AND kind = ? AND input_key = ?",
        )
        .bind(target.to_string())
        .bind(kind)
        .bind(input_key)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the outputs of `kind` for one slide with `pages` (all of the same target and
    /// kind), in one transaction. Their assets must already be stored.
    pub async fn put_generated(&self, target: Uuid, kind: &str, pages: &[Generated]) -> Result<()> {
        if pages
            .iter()
            .any(|p| p.target_id != target || p.kind != kind)
        {
            return Err(StoreError::Invalid(
                "generated pages of another slide or kind".into(),
            ));
        }
        let mut tx = self.write().await?;
        let exists = sqlx::query("SELECT 1 FROM slides WHERE id = ?")
            .bind(target.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::not_found("slide", target));
        }
        replace_generated(&mut tx, target, kind, pages.iter()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The outputs of `kind` for a slide, by page.
    pub async fn generated(&self, target: Uuid, kind: &str) -> Result<Vec<Generated>> {
        let rows =
            sqlx::query("SELECT * FROM generated WHERE target_id = ? AND kind = ? ORDER BY page")
                .bind(target.to_string())
                .bind(kind)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(from_row).collect()
    }

    /// Every output for the slides of a course, in course order.
    pub async fn generated_for_course(&self, course: Uuid) -> Result<Vec<Generated>> {
        let rows = sqlx::query(
            "SELECT g.* FROM generated g JOIN slides s ON s.id = g.target_id \
             JOIN lessons l ON l.id = s.lesson_id WHERE l.course_id = ? \
             ORDER BY l.order_key, l.id, s.order_key, s.id, g.kind, g.page",
        )
        .bind(course.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }
}

fn drafted_from_row(r: &sqlx::sqlite::SqliteRow) -> Result<Drafted> {
    let parse =
        |s: &str| Uuid::parse_str(s).map_err(|e| StoreError::Invalid(format!("a stored id: {e}")));
    Ok(Drafted {
        slide_id: parse(&r.try_get::<String, _>("slide_id")?)?,
        component_type: r.try_get("component_type")?,
        component_id: r
            .try_get::<Option<String>, _>("component_id")?
            .as_deref()
            .map(parse)
            .transpose()?,
        version: r.try_get("version")?,
        input_key: r.try_get("input_key")?,
        engine: r.try_get("engine")?,
        reason: r.try_get("reason")?,
    })
}

/// Replaces the outputs of `kind` for `target` with `pages`, in the caller's transaction (a
/// slide that is not here, deleted meanwhile, gets none).
pub(crate) async fn replace_generated<'a>(
    tx: &mut sqlx::SqliteConnection,
    target: Uuid,
    kind: &str,
    pages: impl Iterator<Item = &'a Generated>,
) -> Result<()> {
    sqlx::query("DELETE FROM generated WHERE target_id = ? AND kind = ?")
        .bind(target.to_string())
        .bind(kind)
        .execute(&mut *tx)
        .await?;
    let present = sqlx::query("SELECT 1 FROM slides WHERE id = ?")
        .bind(target.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
    if present {
        for p in pages {
            insert_generated(&mut *tx, p).await?;
        }
    }
    Ok(())
}

impl Store {
    /// What was drafted for `slide` of `component_type`, when anything was.
    pub async fn drafted(&self, slide: Uuid, component_type: &str) -> Result<Option<Drafted>> {
        sqlx::query("SELECT * FROM drafted WHERE slide_id = ? AND component_type = ?")
            .bind(slide.to_string())
            .bind(component_type)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(drafted_from_row)
            .transpose()
    }

    /// Every drafting record of one slide, by type.
    pub async fn drafted_for_slide(&self, slide: Uuid) -> Result<Vec<Drafted>> {
        let rows = sqlx::query("SELECT * FROM drafted WHERE slide_id = ? ORDER BY component_type")
            .bind(slide.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(drafted_from_row).collect()
    }

    /// Every drafting record of a course's slides.
    pub async fn drafted_for_course(&self, course: Uuid) -> Result<Vec<Drafted>> {
        let rows = sqlx::query(
            "SELECT d.* FROM drafted d JOIN slides s ON s.id = d.slide_id \
             JOIN lessons l ON l.id = s.lesson_id WHERE l.course_id = ? \
             ORDER BY l.order_key, l.id, s.order_key, s.id, d.component_type",
        )
        .bind(course.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(drafted_from_row).collect()
    }

    /// The component types the instructor declined (deleted the engine's draft of) on a
    /// course's slides, as `(slide, type)`.
    pub async fn declined_for_course(&self, course: Uuid) -> Result<Vec<(Uuid, String)>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT d.slide_id, d.component_type FROM declined_drafts d \
             JOIN slides s ON s.id = d.slide_id JOIN lessons l ON l.id = s.lesson_id \
             WHERE l.course_id = ? ORDER BY l.order_key, l.id, s.order_key, s.id, d.component_type",
        )
        .bind(course.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(slide, t)| {
                Uuid::parse_str(&slide)
                    .map(|id| (id, t))
                    .map_err(|e| StoreError::Invalid(format!("a stored id: {e}")))
            })
            .collect()
    }

    /// Records that an engine drafted nothing of `component_type` for a slide from the input
    /// `input_key`, and why. A component drafted from an earlier input stays linked (it is still the
    /// engine's, to be drafted over when the text supports the type again).
    pub async fn record_nothing_drafted(
        &self,
        slide: Uuid,
        component_type: &str,
        input_key: &str,
        engine: &str,
        job_id: Option<Uuid>,
        reason: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO drafted (slide_id, component_type, component_id, version, input_key, \
             engine, job_id, created_at, reason) VALUES (?, ?, NULL, 0, ?, ?, ?, ?, ?) \
             ON CONFLICT (slide_id, component_type) DO UPDATE SET \
             input_key = excluded.input_key, engine = excluded.engine, job_id = excluded.job_id, \
             created_at = excluded.created_at, reason = excluded.reason",
        )
        .bind(slide.to_string())
        .bind(component_type)
        .bind(input_key)
        .bind(engine)
        .bind(job_id.map(|j| j.to_string()))
        .bind(now())
        .bind(Some(reason).filter(|r| !r.is_empty()))
        .execute(&self.pool)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.message().contains("FOREIGN KEY") => {
                StoreError::not_found("slide", slide)
            }
            _ => StoreError::Database(e),
        })?;
        Ok(())
    }
}

pub(crate) async fn insert_generated(tx: &mut sqlx::SqliteConnection, p: &Generated) -> Result<()> {
    sqlx::query(
        "INSERT INTO generated (target_id, kind, page, asset_sha256, media_type, \
         thumbnail_sha256, duration_ms, input_key, engine, cost_micros, job_id, details, \
         created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(p.target_id.to_string())
    .bind(&p.kind)
    .bind(i64::from(p.page))
    .bind(&p.asset.0)
    .bind(&p.media_type)
    .bind(p.thumbnail.as_ref().map(|t| t.0.clone()))
    .bind(p.duration_ms.map(|d| d as i64))
    .bind(&p.input_key)
    .bind(&p.engine)
    .bind(p.cost_micros)
    .bind(p.job_id.map(|j| j.to_string()))
    .bind(p.details.to_string())
    .bind(now())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub(crate) async fn upsert_drafted(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    d: &Drafted,
    job_id: Option<Uuid>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO drafted (slide_id, component_type, component_id, version, input_key, \
         engine, job_id, created_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (slide_id, component_type) DO UPDATE SET \
         component_id = excluded.component_id, version = excluded.version, \
         input_key = excluded.input_key, engine = excluded.engine, job_id = excluded.job_id, \
         created_at = excluded.created_at, reason = excluded.reason",
    )
    .bind(d.slide_id.to_string())
    .bind(&d.component_type)
    .bind(d.component_id.map(|c| c.to_string()))
    .bind(d.version)
    .bind(&d.input_key)
    .bind(&d.engine)
    .bind(job_id.map(|j| j.to_string()))
    .bind(now())
    .bind(&d.reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
