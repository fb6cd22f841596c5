//! Learning components attached to slides.

use crate::error::{Result, StoreError};
use crate::history::{Entity, record_change};
use crate::rows;
use crate::{Store, now};
use classkit_model::{ComponentPayload, ComponentStatus, ComponentType, LearningComponent};
use serde_json::Value;
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

/// A component to attach to a slide.
#[derive(Debug, Clone, PartialEq)]
pub struct NewComponent {
    pub slide_id: Uuid,
    pub component_type: ComponentType,
    pub payload: Value,
    pub status: ComponentStatus,
}

/// Reads the payload into its type (upgrading older versions) and enforces that a ready
/// component is valid. A draft may break rules but must have the right shape.
pub(crate) fn checked(component: LearningComponent) -> Result<LearningComponent> {
    let typed = ComponentPayload::from_json(component.component_type, &component.payload)?;
    if component.status == ComponentStatus::Ready {
        let issues = typed.validate();
        if !issues.is_empty() {
            return Err(StoreError::NotReady { issues });
        }
    }
    Ok(LearningComponent {
        payload: typed.to_json(),
        ..component
    })
}

pub(crate) async fn write_component(
    tx: &mut Transaction<'static, Sqlite>,
    c: &LearningComponent,
) -> Result<()> {
    let payload = serde_json::to_string(&c.payload)
        .map_err(|e| StoreError::Invalid(format!("cannot encode payload: {e}")))?;
    sqlx::query(
        "INSERT INTO components (id, slide_id, component_type, status, payload, created_at, \
         updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, payload = excluded.payload, \
         updated_at = excluded.updated_at, version = excluded.version",
    )
    .bind(c.id.to_string())
    .bind(c.slide_id.to_string())
    .bind(c.component_type.as_str())
    .bind(c.status.as_str())
    .bind(payload)
    .bind(c.created_at)
    .bind(c.updated_at)
    .bind(c.version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn load_for_update(
    tx: &mut Transaction<'static, Sqlite>,
    id: Uuid,
    expected_version: Option<i64>,
) -> Result<LearningComponent> {
    let row = sqlx::query(concat!(
        "SELECT ",
        component_columns!(),
        " FROM components WHERE id = ?"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::not_found("component", id))?;
    let current = rows::component(&row)?;
    if let Some(expected) = expected_version.filter(|v| *v != current.version) {
        return Err(StoreError::VersionConflict {
            kind: "component",
            id,
            expected,
            actual: current.version,
        });
    }
    Ok(current)
}

impl Store {
    /// Attaches a new component to a slide.
    pub async fn add_component(&self, new: NewComponent) -> Result<LearningComponent> {
        let at = now();
        let component = checked(LearningComponent {
            id: Uuid::now_v7(),
            slide_id: new.slide_id,
            component_type: new.component_type,
            status: new.status,
            payload: new.payload,
            created_at: at,
            updated_at: at,
            version: 1,
        })?;
        let mut tx = self.write().await?;
        let slide_exists = sqlx::query("SELECT 1 FROM slides WHERE id = ?")
            .bind(new.slide_id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if !slide_exists {
            return Err(StoreError::not_found("slide", new.slide_id));
        }
        write_component(&mut tx, &component).await?;
        record_change(
            &mut tx,
            Entity::Component,
            component.id,
            1,
            "created",
            &component,
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
    /// is valid; otherwise the save is refused with every issue (mark it draft to save
    /// work in progress).
    pub async fn update_component(
        &self,
        id: Uuid,
        payload: Value,
        expected_version: Option<i64>,
    ) -> Result<LearningComponent> {
        self.change_component(id, expected_version, "updated", |c| LearningComponent {
            payload,
            ..c
        })
        .await
    }

    /// Marks a component draft or ready; ready requires a valid payload.
    pub async fn set_component_status(
        &self,
        id: Uuid,
        status: ComponentStatus,
        expected_version: Option<i64>,
    ) -> Result<LearningComponent> {
        let change = match status {
            ComponentStatus::Ready => "marked ready",
            ComponentStatus::Draft => "marked draft",
        };
        self.change_component(id, expected_version, change, |c| LearningComponent {
            status,
            ..c
        })
        .await
    }

    async fn change_component(
        &self,
        id: Uuid,
        expected_version: Option<i64>,
        change: &str,
        edit: impl FnOnce(LearningComponent) -> LearningComponent,
    ) -> Result<LearningComponent> {
        let mut tx = self.write().await?;
        let current = load_for_update(&mut tx, id, expected_version).await?;
        let version = current.version + 1;
        let component = checked(LearningComponent {
            updated_at: now(),
            version,
            ..edit(current)
        })?;
        write_component(&mut tx, &component).await?;
        record_change(&mut tx, Entity::Component, id, version, change, &component).await?;
        tx.commit().await?;
        Ok(component)
    }
}
