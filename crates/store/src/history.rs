//! Revisions (every saved version of an entity) and the sync outbox, written together with
//! each change; listing and restoring revisions.

use crate::components::{IfInvalid, prepare, write_component};
use crate::courses::Write;
use crate::error::{Result, StoreError};
use crate::rows::{self, parse_id};
use crate::{Store, now};
use chrono::{DateTime, Utc};
use classkit_model::{LearningComponent, Slide};
use serde::Serialize;
use serde_json::Value;
use sqlx::{Row, Sqlite, Transaction};
use uuid::Uuid;

/// What kind of entity a revision or outbox row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entity {
    Course,
    Lesson,
    Slide,
    Component,
}

impl Entity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Course => "course",
            Self::Lesson => "lesson",
            Self::Slide => "slide",
            Self::Component => "component",
        }
    }
}

/// One saved version of a slide, component, lesson or course.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Revision {
    pub entity_type: String,
    pub entity_id: Uuid,
    pub version: i64,
    /// `created`, `updated`, `imported`, `restored from N`, …
    pub change: String,
    pub created_at: DateTime<Utc>,
    /// The entity as it was saved in this version.
    pub data: Value,
}

/// A save, as the desktop app hears of it: which entity, its new version and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Saved {
    /// Its number among the library's saves, in order.
    pub seq: i64,
    /// `course`, `lesson`, `slide` or `component`.
    pub entity_type: String,
    pub entity_id: Uuid,
    pub version: i64,
    /// `created`, `updated`, `moved`, `marked ready`, `deleted`, `restored from N`, …
    pub change: String,
    /// A component's slide.
    pub slide_id: Option<Uuid>,
    /// A slide's lesson.
    pub lesson_id: Option<Uuid>,
}

/// A mutation waiting to be pushed to the team server.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxEntry {
    pub seq: i64,
    pub mutation_id: Uuid,
    pub entity_type: String,
    pub entity_id: Uuid,
    pub op: String,
    /// The version the change was made on (none for a new entity).
    pub base_version: Option<i64>,
    pub data: Value,
    pub created_at: DateTime<Utc>,
}

/// What a restore produced: a new version of the entity.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "entity_type", rename_all = "snake_case")]
pub enum Restored {
    Slide(Slide),
    Component(LearningComponent),
}

/// Writes the revision and the outbox row of a change, inside the change's transaction.
pub(crate) async fn record_change(
    tx: &mut Transaction<'static, Sqlite>,
    entity: Entity,
    id: Uuid,
    version: i64,
    change: &str,
    state: &impl Serialize,
    base_version: Option<i64>,
) -> Result<()> {
    let data = serde_json::to_string(state)
        .map_err(|e| StoreError::Invalid(format!("cannot encode {}: {e}", entity.as_str())))?;
    let at = now();
    sqlx::query(
        "INSERT INTO revisions (entity_type, entity_id, version, change, data, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(entity.as_str())
    .bind(id.to_string())
    .bind(version)
    .bind(change)
    .bind(&data)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO outbox (mutation_id, entity_type, entity_id, op, base_version, data, created_at) \
         VALUES (?, ?, ?, 'upsert', ?, ?, ?)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(entity.as_str())
    .bind(id.to_string())
    .bind(base_version)
    .bind(&data)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Every saved version of a slide, component, lesson or course, oldest first.
    pub async fn history(&self, id: Uuid) -> Result<Vec<Revision>> {
        let rows = sqlx::query(
            "SELECT entity_type, entity_id, version, change, data, created_at FROM revisions \
             WHERE entity_id = ? ORDER BY version, seq",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Err(StoreError::not_found("slide or component", id));
        }
        rows.iter()
            .map(|row| {
                let data: String = row.try_get("data")?;
                Ok(Revision {
                    entity_type: row.try_get("entity_type")?,
                    entity_id: parse_id(&row.try_get::<String, _>("entity_id")?)?,
                    version: row.try_get("version")?,
                    change: row.try_get("change")?,
                    created_at: row.try_get("created_at")?,
                    data: serde_json::from_str(&data)
                        .map_err(|e| StoreError::Corrupt(format!("revision is not JSON: {e}")))?,
                })
            })
            .collect()
    }

    /// Saves made after the save numbered `after` (0 for all), oldest first, at most `limit`,
    /// with the number of each: by this process or any other (the command line, a worker).
    pub async fn saves_after(&self, after: i64, limit: i64) -> Result<Vec<Saved>> {
        let rows = sqlx::query(
            "SELECT seq, entity_type, entity_id, version, change, \
             json_extract(data, '$.slide_id') AS slide_id, \
             json_extract(data, '$.lesson_id') AS lesson_id \
             FROM revisions WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(after)
        .bind(limit.clamp(1, 10_000))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let id = |name: &str| -> Result<Option<Uuid>> {
                    row.try_get::<Option<String>, _>(name)?
                        .map(|s| parse_id(&s))
                        .transpose()
                };
                Ok(Saved {
                    seq: row.try_get("seq")?,
                    entity_type: row.try_get("entity_type")?,
                    entity_id: parse_id(&row.try_get::<String, _>("entity_id")?)?,
                    version: row.try_get("version")?,
                    change: row.try_get("change")?,
                    slide_id: id("slide_id")?,
                    lesson_id: id("lesson_id")?,
                })
            })
            .collect()
    }

    /// The number of the newest save (0 in a new library).
    pub async fn last_save(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM revisions")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Brings back the content of an earlier version as a new version; nothing is
    /// overwritten, so the restore itself can be undone by restoring again.
    ///
    /// A slide gets back its title, body, notes, layout, image and narration; it stays where
    /// it now is in the course. A component gets back its payload and status (a version that
    /// was ready but no longer passes today's rules, or whose files are gone, comes back as a
    /// draft).
    pub async fn restore(&self, id: Uuid, version: i64) -> Result<Restored> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "SELECT entity_type, data FROM revisions WHERE entity_id = ? AND version = ? \
             ORDER BY seq DESC LIMIT 1",
        )
        .bind(id.to_string())
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::RevisionNotFound(id, version))?;
        let entity_type: String = row.try_get("entity_type")?;
        let data: String = row.try_get("data")?;
        let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("revision data: {e}"));
        let change = format!("restored from version {version}");
        let restored = match entity_type.as_str() {
            "slide" => {
                let old: Slide = serde_json::from_str(&data).map_err(corrupt)?;
                let current = sqlx::query(concat!(
                    "SELECT ",
                    slide_columns!(),
                    " FROM slides WHERE id = ?"
                ))
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::not_found("slide", id))?;
                let current = rows::slide(&current)?;
                let slide = Slide {
                    title: old.title,
                    body: old.body,
                    speaker_notes: old.speaker_notes,
                    instructor_notes: old.instructor_notes,
                    layout: old.layout,
                    image: old.image,
                    narration: old.narration,
                    updated_at: now(),
                    version: current.version + 1,
                    ..current
                };
                StoreError::check_text(classkit_model::fields::slide_issues(&slide), || {
                    crate::courses::slide_name(&slide)
                })?;
                crate::courses::write_slide(&mut tx, &slide, Write::Update).await?;
                record_change(
                    &mut tx,
                    Entity::Slide,
                    id,
                    slide.version,
                    &change,
                    &slide,
                    Some(slide.version - 1),
                )
                .await?;
                Restored::Slide(slide)
            }
            "component" => {
                let old: LearningComponent = serde_json::from_str(&data).map_err(corrupt)?;
                let current = sqlx::query(concat!(
                    "SELECT ",
                    component_columns!(),
                    " FROM components WHERE id = ?"
                ))
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::not_found("component", id))?;
                let current = rows::component(&current)?;
                let component = LearningComponent {
                    payload: old.payload,
                    status: old.status,
                    updated_at: now(),
                    version: current.version + 1,
                    ..current
                };
                let component = prepare(&mut tx, component, IfInvalid::MakeDraft).await?;
                write_component(&mut tx, &component, Write::Update).await?;
                record_change(
                    &mut tx,
                    Entity::Component,
                    id,
                    component.version,
                    &change,
                    &component,
                    Some(component.version - 1),
                )
                .await?;
                Restored::Component(component)
            }
            other => {
                return Err(StoreError::Invalid(format!(
                    "restoring a {other} is not supported; restore its slides or components"
                )));
            }
        };
        tx.commit().await?;
        Ok(restored)
    }

    /// Mutations not yet acknowledged by the team server, oldest first.
    pub async fn outbox(&self, limit: i64) -> Result<Vec<OutboxEntry>> {
        let rows = sqlx::query(
            "SELECT seq, mutation_id, entity_type, entity_id, op, base_version, data, created_at \
             FROM outbox ORDER BY seq LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let data: String = row.try_get("data")?;
                Ok(OutboxEntry {
                    seq: row.try_get("seq")?,
                    mutation_id: parse_id(&row.try_get::<String, _>("mutation_id")?)?,
                    entity_type: row.try_get("entity_type")?,
                    entity_id: parse_id(&row.try_get::<String, _>("entity_id")?)?,
                    op: row.try_get("op")?,
                    base_version: row.try_get("base_version")?,
                    data: serde_json::from_str(&data)
                        .map_err(|e| StoreError::Corrupt(format!("outbox data: {e}")))?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }
}
