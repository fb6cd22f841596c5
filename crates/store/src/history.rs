//! Revisions (every saved version of an entity) and the sync outbox, written together with
//! each change; listing and restoring revisions.

use crate::error::{Result, StoreError};
use crate::rows::parse_id;
use crate::write::{
    Change, Entity, IfInvalid, Write, component_for_update, prepare, record_change,
    slide_for_update, slide_name, write_component, write_slide,
};
use crate::{Store, now};
use chrono::{DateTime, Utc};
use classkit_model::{ChangeKind, ComponentStatus, LearningComponent, Slide};
use serde::Serialize;
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

/// One saved version of a slide, component, lesson or course.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Revision {
    pub entity_type: String,
    pub entity_id: Uuid,
    pub version: i64,
    /// What the save did.
    pub change: ChangeKind,
    /// For a restore: the version it brought back.
    pub restored_from: Option<i64>,
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
    /// What the save did.
    pub change: ChangeKind,
    /// For a restore: the version it brought back.
    pub restored_from: Option<i64>,
    /// A component's slide.
    pub slide_id: Option<Uuid>,
    /// A slide's lesson.
    pub lesson_id: Option<Uuid>,
}

/// The change a revision row records. Words no version of the app wrote (a library edited by
/// hand) are read as an update rather than hiding the history.
fn change_of(row: &sqlx::sqlite::SqliteRow) -> Result<(ChangeKind, Option<i64>)> {
    let words: String = row.try_get("change")?;
    Ok(ChangeKind::parse_stored(&words).unwrap_or_else(|| {
        tracing::warn!(change = %words, "a revision records a change of an unknown kind");
        (ChangeKind::Updated, None)
    }))
}

/// One saved version of an entity: its id and version number (a row of its history).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Saving {
    pub id: Uuid,
    pub version: i64,
}

/// The entity type and stored JSON of a revision, inside a transaction.
async fn revision_data(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    from: Saving,
) -> Result<(String, String)> {
    let row = sqlx::query(
        "SELECT entity_type, data FROM revisions WHERE entity_id = ? AND version = ? \
         ORDER BY seq DESC LIMIT 1",
    )
    .bind(from.id.to_string())
    .bind(from.version)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::RevisionNotFound(from.id, from.version))?;
    Ok((row.try_get("entity_type")?, row.try_get("data")?))
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
                let (change, restored_from) = change_of(row)?;
                Ok(Revision {
                    entity_type: row.try_get("entity_type")?,
                    entity_id: parse_id(&row.try_get::<String, _>("entity_id")?)?,
                    version: row.try_get("version")?,
                    change,
                    restored_from,
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
                let (change, restored_from) = change_of(row)?;
                Ok(Saved {
                    seq: row.try_get("seq")?,
                    entity_type: row.try_get("entity_type")?,
                    entity_id: parse_id(&row.try_get::<String, _>("entity_id")?)?,
                    version: row.try_get("version")?,
                    change,
                    restored_from,
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
        self.restore_revision(id, Saving { id, version }, None)
            .await
    }

    /// Brings the content of a saved version of `from` back into `id` as a new version, as
    /// [`Store::restore`] does. `from` may be another entity's version: the one `id` was made
    /// again from after a deletion (undo does that). With `expected_version`, refused with a
    /// version conflict when `id` was saved since.
    pub async fn restore_revision(
        &self,
        id: Uuid,
        from: Saving,
        expected_version: Option<i64>,
    ) -> Result<Restored> {
        let mut tx = self.write().await?;
        let (entity_type, data) = revision_data(&mut tx, from).await?;
        let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("revision data: {e}"));
        let change = Change::restored(from.version);
        let restored = match entity_type.as_str() {
            "slide" => {
                let old: Slide = serde_json::from_str(&data).map_err(corrupt)?;
                let current = slide_for_update(&mut tx, id, expected_version).await?;
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
                    slide_name(&slide)
                })?;
                write_slide(&mut tx, &slide, Write::Update).await?;
                record_change(
                    &mut tx,
                    Entity::Slide,
                    id,
                    slide.version,
                    change,
                    &slide,
                    Some(slide.version - 1),
                )
                .await?;
                Restored::Slide(slide)
            }
            "component" => {
                let old: LearningComponent = serde_json::from_str(&data).map_err(corrupt)?;
                let current = component_for_update(&mut tx, id, expected_version).await?;
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
                    change,
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

    /// Makes a deleted component again, under a new id, from a saved version of it (its
    /// `deleted` revision holds it as it was): on its slide (or `slide`, the one its slide
    /// was made again as), at the end, ready again only if it passes today's rules. Refused
    /// when the slide is gone.
    pub async fn recreate_component(
        &self,
        from: Saving,
        slide: Option<Uuid>,
    ) -> Result<LearningComponent> {
        let (entity_type, data) = self.saved_version(from).await?;
        if entity_type != "component" {
            return Err(StoreError::Invalid(format!(
                "version {} of {} is a {entity_type}, not a component",
                from.version, from.id
            )));
        }
        let old: LearningComponent = serde_json::from_value(data)
            .map_err(|e| StoreError::Corrupt(format!("revision data: {e}")))?;
        let new = |status| crate::NewComponent {
            slide_id: slide.unwrap_or(old.slide_id),
            component_type: old.component_type,
            payload: old.payload.clone(),
            status,
        };
        match self.add_component(new(old.status)).await {
            Err(StoreError::NotReady { .. }) if old.status != ComponentStatus::Draft => {
                self.add_component(new(ComponentStatus::Draft)).await
            }
            other => other,
        }
    }

    /// The entity type and content of a saved version of a slide or component.
    pub async fn saved_version(&self, from: Saving) -> Result<(String, Value)> {
        let row = sqlx::query(
            "SELECT entity_type, data FROM revisions WHERE entity_id = ? AND version = ? \
             ORDER BY seq DESC LIMIT 1",
        )
        .bind(from.id.to_string())
        .bind(from.version)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::RevisionNotFound(from.id, from.version))?;
        let data: String = row.try_get("data")?;
        let data = serde_json::from_str(&data)
            .map_err(|e| StoreError::Corrupt(format!("revision is not JSON: {e}")))?;
        Ok((row.try_get("entity_type")?, data))
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
