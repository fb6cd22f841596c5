//! Learning components attached to slides.

use crate::error::{Result, StoreError};
use crate::rows;
use crate::write::{Entity, Write, component_for_update, prepare, record_change, write_component};
use crate::{Store, now};
use classkit_model::{
    ChangeKind, ComponentPayload, ComponentStatus, ComponentType, LearningComponent,
};
use serde_json::Value;
use uuid::Uuid;

pub use crate::write::IfInvalid;

/// A component to attach to a slide.
#[derive(Debug, Clone, PartialEq)]
pub struct NewComponent {
    pub slide_id: Uuid,
    pub component_type: ComponentType,
    pub payload: Value,
    pub status: ComponentStatus,
}

impl Store {
    /// Attaches a new component to a slide.
    pub async fn add_component(&self, new: NewComponent) -> Result<LearningComponent> {
        let at = now();
        let component = LearningComponent {
            id: Uuid::now_v7(),
            slide_id: new.slide_id,
            component_type: new.component_type,
            status: new.status,
            payload: new.payload,
            created_at: at,
            updated_at: at,
            version: 1,
        };
        // Shape problems are reported before waiting for the write lock.
        ComponentPayload::from_json(component.component_type, &component.payload)?;
        let mut tx = self.write().await?;
        let component = prepare(&mut tx, component, IfInvalid::Refuse).await?;
        let slide_exists = sqlx::query("SELECT 1 FROM slides WHERE id = ?")
            .bind(new.slide_id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if !slide_exists {
            return Err(StoreError::not_found("slide", new.slide_id));
        }
        write_component(&mut tx, &component, Write::Insert).await?;
        record_change(
            &mut tx,
            Entity::Component,
            component.id,
            1,
            ChangeKind::Created,
            &component,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(component)
    }

    /// A component by id.
    pub async fn component(&self, id: Uuid) -> Result<LearningComponent> {
        let row = sqlx::query(concat!(
            "SELECT ",
            component_columns!(),
            " FROM components WHERE id = ?"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("component", id))?;
        rows::component(&row)
    }

    /// Replaces a component's payload. A ready component stays ready only if the new payload
    /// is valid; otherwise `if_invalid` says whether the save is refused with every issue or
    /// the component is saved as a draft (in the same write; [`Edited::moved_to_draft`]).
    pub async fn update_component(
        &self,
        id: Uuid,
        payload: Value,
        expected_version: Option<i64>,
        if_invalid: IfInvalid,
    ) -> Result<Edited> {
        self.change_component(id, expected_version, ChangeKind::Updated, if_invalid, |c| {
            LearningComponent { payload, ..c }
        })
        .await
    }

    /// Removes a component from its slide. Its revisions stay in the library (with a last
    /// one saying it was deleted) and the team server is told by a tombstone in the outbox.
    /// A component an engine drafted is recorded as declined, so it is not drafted again.
    /// With `expected_version`, the delete fails with a version conflict when someone saved
    /// the component since that version.
    pub async fn delete_component(&self, id: Uuid, expected_version: Option<i64>) -> Result<()> {
        let mut tx = self.write().await?;
        let current = component_for_update(&mut tx, id, expected_version).await?;
        // A component an engine drafted: the engines do not draft it again for this slide.
        sqlx::query(
            "INSERT OR REPLACE INTO declined_drafts (slide_id, component_type, declined_at) \
             SELECT slide_id, component_type, ? FROM drafted WHERE component_id = ?",
        )
        .bind(now())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM components WHERE id = ?")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO revisions (entity_type, entity_id, version, change, data, created_at) \
             VALUES ('component', ?, ?, 'deleted', ?, ?)",
        )
        .bind(id.to_string())
        .bind(current.version + 1)
        .bind(serde_json::to_string(&current).map_err(|e| StoreError::Invalid(e.to_string()))?)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let course = crate::write::course_of_state(
            &mut tx,
            Entity::Component,
            id,
            &serde_json::json!({ "slide_id": current.slide_id }),
        )
        .await?;
        crate::write::insert_outbox(
            &mut tx,
            Entity::Component,
            id,
            course,
            "delete",
            Some(current.version),
            &serde_json::json!({}),
            now(),
            &[],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether the instructor deleted a drafted component of `component_type` from the slide
    /// (so the engines leave that type alone there).
    pub async fn draft_declined(&self, slide_id: Uuid, component_type: &str) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM declined_drafts WHERE slide_id = ? AND component_type = ?",
        )
        .bind(slide_id.to_string())
        .bind(component_type)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Marks a component draft or ready; ready requires a valid payload.
    pub async fn set_component_status(
        &self,
        id: Uuid,
        status: ComponentStatus,
        expected_version: Option<i64>,
    ) -> Result<LearningComponent> {
        let change = match status {
            ComponentStatus::Ready => ChangeKind::MarkedReady,
            ComponentStatus::Draft => ChangeKind::MarkedDraft,
        };
        self.change_component(id, expected_version, change, IfInvalid::Refuse, |c| {
            LearningComponent { status, ..c }
        })
        .await
        .map(|edited| edited.component)
    }

    async fn change_component(
        &self,
        id: Uuid,
        expected_version: Option<i64>,
        change: ChangeKind,
        if_invalid: IfInvalid,
        edit: impl FnOnce(LearningComponent) -> LearningComponent,
    ) -> Result<Edited> {
        let mut tx = self.write().await?;
        let current = component_for_update(&mut tx, id, expected_version).await?;
        let was_ready = current.status == ComponentStatus::Ready;
        let version = current.version + 1;
        let edited = LearningComponent {
            updated_at: now(),
            version,
            ..edit(current)
        };
        let component = prepare(&mut tx, edited, if_invalid).await?;
        write_component(&mut tx, &component, Write::Update).await?;
        record_change(
            &mut tx,
            Entity::Component,
            id,
            version,
            change,
            &component,
            Some(version - 1),
        )
        .await?;
        tx.commit().await?;
        Ok(Edited {
            moved_to_draft: was_ready && component.status == ComponentStatus::Draft,
            component,
        })
    }
}

/// A component as an edit saved it.
#[derive(Debug, Clone, PartialEq)]
pub struct Edited {
    pub component: LearningComponent,
    /// The edit broke a rule of a ready component, which was kept as a draft
    /// ([`IfInvalid::MakeDraft`]).
    pub moved_to_draft: bool,
}

pub use classkit_model::generation::DraftOutcome;

impl Store {
    /// Stores an engine's draft of a slide's component type, in one transaction with the
    /// record of what was drafted, so an instructor's edit in between is never overwritten
    /// and never mistaken for the engine's. `drafted.component_id` and `drafted.version`
    /// are ignored (they are what this decides).
    pub async fn save_draft(
        &self,
        drafted: &crate::Drafted,
        component_type: ComponentType,
        payload: Value,
        job_id: Option<Uuid>,
    ) -> Result<DraftOutcome> {
        ComponentPayload::from_json(component_type, &payload)?;
        let mut tx = self.write().await?;
        let record = sqlx::query_as::<_, (Option<String>, i64, String)>(
            "SELECT component_id, version, input_key FROM drafted \
             WHERE slide_id = ? AND component_type = ?",
        )
        .bind(drafted.slide_id.to_string())
        .bind(&drafted.component_type)
        .fetch_optional(&mut *tx)
        .await?;
        let mut current = None;
        // (A record without a component: the engine drafted nothing before.)
        if let Some((Some(id), version, key)) = record {
            let id = Uuid::parse_str(&id)
                .map_err(|e| StoreError::Invalid(format!("a stored id: {e}")))?;
            match component_for_update(&mut tx, id, None).await {
                Ok(c) if c.version != version || c.status == ComponentStatus::Ready => {
                    return Ok(DraftOutcome::TakenOver(c));
                }
                Ok(c) if key == drafted.input_key => return Ok(DraftOutcome::Unchanged(c)),
                Ok(c) => current = Some(c),
                // Deleted by the instructor: drafted anew.
                Err(StoreError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        if current.is_none() {
            // A component of this type that the engine did not draft (the instructor's own,
            // or one that came with a copied course) is the slide's: no second one is added.
            let own = sqlx::query(concat!(
                "SELECT ",
                component_columns!(),
                " FROM components WHERE slide_id = ? AND component_type = ? \
                 ORDER BY created_at LIMIT 1"
            ))
            .bind(drafted.slide_id.to_string())
            .bind(component_type.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = own {
                // The text supports the type now: an earlier reason for drafting nothing
                // no longer holds.
                sqlx::query(
                    "UPDATE drafted SET reason = NULL \
                     WHERE slide_id = ? AND component_type = ? AND component_id IS NULL",
                )
                .bind(drafted.slide_id.to_string())
                .bind(&drafted.component_type)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                return Ok(DraftOutcome::TakenOver(rows::component(&row)?));
            }
        }
        let at = now();
        let component = match current {
            Some(c) => {
                let version = c.version + 1;
                let edited = LearningComponent {
                    payload,
                    updated_at: at,
                    version,
                    ..c
                };
                let component = prepare(&mut tx, edited, IfInvalid::Refuse).await?;
                write_component(&mut tx, &component, Write::Update).await?;
                record_change(
                    &mut tx,
                    Entity::Component,
                    component.id,
                    version,
                    ChangeKind::DraftedAgain,
                    &component,
                    Some(version - 1),
                )
                .await?;
                component
            }
            None => {
                let new = LearningComponent {
                    id: Uuid::now_v7(),
                    slide_id: drafted.slide_id,
                    component_type,
                    status: ComponentStatus::Draft,
                    payload,
                    created_at: at,
                    updated_at: at,
                    version: 1,
                };
                let component = prepare(&mut tx, new, IfInvalid::Refuse).await?;
                write_component(&mut tx, &component, Write::Insert).await?;
                record_change(
                    &mut tx,
                    Entity::Component,
                    component.id,
                    1,
                    ChangeKind::Drafted,
                    &component,
                    None,
                )
                .await?;
                component
            }
        };
        crate::generated::upsert_drafted(
            &mut tx,
            &crate::Drafted {
                component_id: Some(component.id),
                version: component.version,
                reason: None,
                ..drafted.clone()
            },
            job_id,
        )
        .await?;
        tx.commit().await?;
        Ok(DraftOutcome::Saved(component))
    }

    /// Replaces the payload of a component at `expected_version` with one the engine
    /// completed (reference audio added); when it is still the engine's draft, the record of
    /// the draft follows it to the new version in the same transaction.
    pub async fn complete_draft(
        &self,
        id: Uuid,
        payload: Value,
        expected_version: i64,
    ) -> Result<LearningComponent> {
        let mut tx = self.write().await?;
        let current = component_for_update(&mut tx, id, Some(expected_version)).await?;
        let version = current.version + 1;
        let edited = LearningComponent {
            payload,
            updated_at: now(),
            version,
            ..current
        };
        let component = prepare(&mut tx, edited, IfInvalid::Refuse).await?;
        write_component(&mut tx, &component, Write::Update).await?;
        record_change(
            &mut tx,
            Entity::Component,
            id,
            version,
            ChangeKind::ReferenceAudioRecorded,
            &component,
            Some(version - 1),
        )
        .await?;
        sqlx::query("UPDATE drafted SET version = ? WHERE component_id = ? AND version = ?")
            .bind(version)
            .bind(id.to_string())
            .bind(version - 1)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(component)
    }
}
