//! The low-level write path every save goes through: an entity's row written (held to the
//! rules first) and, in the same transaction, its revision and outbox row recorded. The
//! feature modules (courses, components, history) build on this and not on each other.

use crate::error::{Result, StoreError};
use crate::now;
use classkit_model::{
    ChangeKind, ComponentPayload, ComponentStatus, Course, LearningComponent, Lesson, Slide,
    ValidationIssue,
};
use serde::Serialize;
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

/// Whether a write adds a new row or changes an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    /// A new row; an id already in the library is an error, never an overwrite.
    Insert,
    Update,
}

/// A UNIQUE failure on insert: the id is already in the library (another course's).
fn duplicate_id_error(e: sqlx::Error, kind: &str, id: Uuid) -> StoreError {
    let is_unique = matches!(&e, sqlx::Error::Database(d) if d.message().contains("UNIQUE"));
    if is_unique {
        StoreError::IdTaken {
            kind: kind.to_string(),
            id,
        }
    } else {
        StoreError::Database(e)
    }
}

/// A title as an error names it: its start, control characters escaped.
fn short(title: &str) -> String {
    let start: String = title.chars().take(60).collect();
    let more = if title.chars().count() > 60 {
        "…"
    } else {
        ""
    };
    format!("{}{more}", start.escape_debug())
}

/// How a slide is named in an error.
pub(crate) fn slide_name(s: &Slide) -> String {
    format!("the slide \"{}\" ({})", short(&s.title), s.id)
}

/// Writes a slide's row (a new slide's text held to the rules first).
pub(crate) async fn write_slide(
    tx: &mut Transaction<'static, Sqlite>,
    s: &Slide,
    mode: Write,
) -> Result<()> {
    if mode == Write::Insert {
        StoreError::check_text(classkit_model::fields::slide_issues(s), || slide_name(s))?;
    }
    let sql = match mode {
        Write::Insert => {
            "INSERT INTO slides (id, lesson_id, order_key, title, body, speaker_notes, \
             instructor_notes, layout, image_sha256, narration_sha256, created_at, updated_at, \
             version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        }
        Write::Update => {
            "UPDATE slides SET lesson_id = ?2, order_key = ?3, title = ?4, body = ?5, \
             speaker_notes = ?6, instructor_notes = ?7, layout = ?8, image_sha256 = ?9, \
             narration_sha256 = ?10, created_at = ?11, updated_at = ?12, version = ?13 WHERE id = ?1"
        }
    };
    sqlx::query(sql)
        .bind(s.id.to_string())
        .bind(s.lesson_id.to_string())
        .bind(&s.order_key)
        .bind(&s.title)
        .bind(&s.body)
        .bind(&s.speaker_notes)
        .bind(&s.instructor_notes)
        .bind(s.layout.as_str())
        .bind(s.image.as_ref().map(|a| a.0.as_str()))
        .bind(s.narration.as_ref().map(|a| a.0.as_str()))
        .bind(s.created_at)
        .bind(s.updated_at)
        .bind(s.version)
        .execute(&mut **tx)
        .await
        .map_err(|e| asset_reference_error(e, s))?;
    Ok(())
}

/// A foreign-key failure on a slide can only come from an image or narration not stored.
fn asset_reference_error(e: sqlx::Error, s: &Slide) -> StoreError {
    let is_fk = matches!(&e, sqlx::Error::Database(d) if d.message().contains("FOREIGN KEY"));
    if is_fk {
        let refs = [&s.image, &s.narration]
            .into_iter()
            .flatten()
            .map(|a| a.0.clone())
            .collect::<Vec<_>>()
            .join(", ");
        StoreError::AssetMissing(refs)
    } else {
        duplicate_id_error(e, "slide", s.id)
    }
}

/// Inserts a new course's row; a course already in the library is refused.
pub(crate) async fn insert_course(tx: &mut Transaction<'static, Sqlite>, c: &Course) -> Result<()> {
    StoreError::check_text(classkit_model::fields::course_issues(c), || {
        format!("the course \"{}\"", short(&c.title))
    })?;
    let exists = sqlx::query("SELECT 1 FROM courses WHERE id = ?")
        .bind(c.id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    if exists.is_some() {
        return Err(StoreError::CourseExists(c.id));
    }
    sqlx::query(
        "INSERT INTO courses (id, title, description, language, created_at, updated_at, version) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(c.id.to_string())
    .bind(&c.title)
    .bind(&c.description)
    .bind(&c.language)
    .bind(c.created_at)
    .bind(c.updated_at)
    .bind(c.version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Inserts a new lesson's row.
pub(crate) async fn insert_lesson(tx: &mut Transaction<'static, Sqlite>, l: &Lesson) -> Result<()> {
    StoreError::check_text(classkit_model::fields::lesson_issues(l), || {
        format!("the lesson \"{}\"", short(&l.title))
    })?;
    sqlx::query(
        "INSERT INTO lessons (id, course_id, order_key, title, created_at, updated_at, version) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(l.id.to_string())
    .bind(l.course_id.to_string())
    .bind(&l.order_key)
    .bind(&l.title)
    .bind(l.created_at)
    .bind(l.updated_at)
    .bind(l.version)
    .execute(&mut **tx)
    .await
    .map_err(|e| duplicate_id_error(e, "lesson", l.id))?;
    Ok(())
}

/// What to do with a component marked ready whose payload breaks a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfInvalid {
    /// Refuse the save with every issue (marking a component ready).
    Refuse,
    /// Keep it as a draft (an edit that breaks a ready component, restoring an old version,
    /// importing an old bundle).
    MakeDraft,
}

/// Reads the payload into its type (upgrading older versions: a draft may break rules but
/// must have the right shape) and holds a ready component to every rule, including that the
/// files it refers to are in the library.
pub(crate) async fn prepare(
    tx: &mut Transaction<'static, Sqlite>,
    component: LearningComponent,
    if_invalid: IfInvalid,
) -> Result<LearningComponent> {
    let typed = ComponentPayload::from_json(component.component_type, &component.payload)?;
    let mut component = LearningComponent {
        payload: typed.to_json(),
        ..component
    };
    if component.status == ComponentStatus::Ready {
        let mut issues = typed.validate_json(&component.payload);
        for (pointer, asset) in classkit_model::asset_references(&component.payload) {
            let stored = sqlx::query("SELECT 1 FROM assets WHERE sha256 = ?")
                .bind(&asset.0)
                .fetch_optional(&mut **tx)
                .await?
                .is_some();
            if !stored {
                issues.push(ValidationIssue::new(
                    pointer,
                    classkit_model::Problem::FileNotInLibrary,
                ));
            }
        }
        if !issues.is_empty() {
            match if_invalid {
                IfInvalid::Refuse => return Err(StoreError::NotReady { issues }),
                IfInvalid::MakeDraft => component.status = ComponentStatus::Draft,
            }
        }
    }
    Ok(component)
}

/// Writes a component's row (after [`prepare`]).
pub(crate) async fn write_component(
    tx: &mut Transaction<'static, Sqlite>,
    c: &LearningComponent,
    mode: Write,
) -> Result<()> {
    let payload = serde_json::to_string(&c.payload)
        .map_err(|e| StoreError::Invalid(format!("cannot encode payload: {e}")))?;
    let sql = match mode {
        Write::Insert => {
            "INSERT INTO components (id, slide_id, component_type, status, payload, created_at, \
             updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        }
        Write::Update => {
            "UPDATE components SET slide_id = ?2, component_type = ?3, status = ?4, payload = ?5, \
             created_at = ?6, updated_at = ?7, version = ?8 WHERE id = ?1"
        }
    };
    sqlx::query(sql)
        .bind(c.id.to_string())
        .bind(c.slide_id.to_string())
        .bind(c.component_type.as_str())
        .bind(c.status.as_str())
        .bind(payload)
        .bind(c.created_at)
        .bind(c.updated_at)
        .bind(c.version)
        .execute(&mut **tx)
        .await
        .map_err(|e| duplicate_id_error(e, "component", c.id))?;
    Ok(())
}

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

/// What a revision records: the kind of change, and for a restore the version it brought back.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Change(ChangeKind, Option<i64>);

impl Change {
    /// A restore of `version`.
    pub(crate) fn restored(version: i64) -> Self {
        Self(ChangeKind::Restored, Some(version))
    }
}

impl From<ChangeKind> for Change {
    fn from(kind: ChangeKind) -> Self {
        Self(kind, None)
    }
}

/// Writes the revision and the outbox row of a change, inside the change's transaction.
pub(crate) async fn record_change(
    tx: &mut Transaction<'static, Sqlite>,
    entity: Entity,
    id: Uuid,
    version: i64,
    change: impl Into<Change>,
    state: &impl Serialize,
    base_version: Option<i64>,
) -> Result<()> {
    let data = serde_json::to_value(state)
        .map_err(|e| StoreError::Invalid(format!("cannot encode {}: {e}", entity.as_str())))?;
    record_revision(tx, entity, id, version, change.into(), &data).await?;
    let course = course_of_state(tx, entity, id, &data).await?;
    insert_outbox(
        tx,
        entity,
        id,
        course,
        "upsert",
        base_version,
        &data,
        now(),
        &[],
    )
    .await
}

/// Writes a revision (every saved version, kept for good), inside the change's transaction.
pub(crate) async fn record_revision(
    tx: &mut Transaction<'static, Sqlite>,
    entity: Entity,
    id: Uuid,
    version: i64,
    change: Change,
    state: &impl Serialize,
) -> Result<()> {
    let Change(kind, restored_from) = change;
    let data = serde_json::to_string(state)
        .map_err(|e| StoreError::Invalid(format!("cannot encode {}: {e}", entity.as_str())))?;
    sqlx::query(
        "INSERT INTO revisions (entity_type, entity_id, version, change, data, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(entity.as_str())
    .bind(id.to_string())
    .bind(version)
    .bind(kind.stored(restored_from))
    .bind(&data)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The course an entity's state belongs to, from its parent's row (none when the parent is
/// not in the library).
pub(crate) async fn course_of_state(
    tx: &mut Transaction<'static, Sqlite>,
    entity: Entity,
    id: Uuid,
    data: &serde_json::Value,
) -> Result<Option<Uuid>> {
    let parent = |key: &str| data.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let found: Option<String> = match entity {
        Entity::Course => return Ok(Some(id)),
        Entity::Lesson => parent("course_id"),
        Entity::Slide => match parent("lesson_id") {
            Some(lesson) => {
                sqlx::query_scalar("SELECT course_id FROM lessons WHERE id = ?")
                    .bind(lesson)
                    .fetch_optional(&mut **tx)
                    .await?
            }
            None => None,
        },
        Entity::Component => match parent("slide_id") {
            Some(slide) => {
                sqlx::query_scalar(
                    "SELECT l.course_id FROM slides s JOIN lessons l ON l.id = s.lesson_id \
                     WHERE s.id = ?",
                )
                .bind(slide)
                .fetch_optional(&mut **tx)
                .await?
            }
            None => None,
        },
    };
    found.map(|c| crate::rows::parse_id(&c)).transpose()
}

/// Writes an outbox row: a mutation waiting for the team server, with the course it belongs
/// to and the conflicts it settles.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_outbox(
    tx: &mut Transaction<'static, Sqlite>,
    entity: Entity,
    id: Uuid,
    course: Option<Uuid>,
    op: &str,
    base_version: Option<i64>,
    data: &serde_json::Value,
    at: chrono::DateTime<chrono::Utc>,
    resolves: &[Uuid],
) -> Result<()> {
    let resolves = serde_json::to_string(resolves)
        .map_err(|e| StoreError::Invalid(format!("cannot encode resolved conflicts: {e}")))?;
    sqlx::query(
        "INSERT INTO outbox (mutation_id, entity_type, entity_id, op, base_version, data, \
         created_at, course_id, resolves) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(entity.as_str())
    .bind(id.to_string())
    .bind(op)
    .bind(base_version)
    .bind(data.to_string())
    .bind(at)
    .bind(course.map(|c| c.to_string()))
    .bind(resolves)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes a course's own row (a new course held to the rules first).
pub(crate) async fn write_course(
    tx: &mut Transaction<'static, Sqlite>,
    c: &Course,
    mode: Write,
) -> Result<()> {
    if mode == Write::Insert {
        return insert_course(tx, c).await;
    }
    sqlx::query(
        "UPDATE courses SET title = ?2, description = ?3, language = ?4, updated_at = ?5, \
         version = ?6 WHERE id = ?1",
    )
    .bind(c.id.to_string())
    .bind(&c.title)
    .bind(&c.description)
    .bind(&c.language)
    .bind(c.updated_at)
    .bind(c.version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes a lesson's row (a new lesson held to the rules first).
pub(crate) async fn write_lesson(
    tx: &mut Transaction<'static, Sqlite>,
    l: &Lesson,
    mode: Write,
) -> Result<()> {
    if mode == Write::Insert {
        return insert_lesson(tx, l).await;
    }
    sqlx::query(
        "UPDATE lessons SET course_id = ?2, order_key = ?3, title = ?4, updated_at = ?5, \
         version = ?6 WHERE id = ?1",
    )
    .bind(l.id.to_string())
    .bind(l.course_id.to_string())
    .bind(&l.order_key)
    .bind(&l.title)
    .bind(l.updated_at)
    .bind(l.version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The slide `id` as it is inside the transaction, refused with a version conflict when
/// `expected_version` is given and someone saved it since.
pub(crate) async fn slide_for_update(
    tx: &mut Transaction<'static, Sqlite>,
    id: Uuid,
    expected_version: Option<i64>,
) -> Result<Slide> {
    let row = sqlx::query(concat!(
        "SELECT ",
        slide_columns!(),
        " FROM slides WHERE id = ?"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::not_found("slide", id))?;
    let current = crate::rows::slide(&row)?;
    check_version("slide", id, expected_version, current.version)?;
    Ok(current)
}

/// The component `id` as it is inside the transaction, refused with a version conflict when
/// `expected_version` is given and someone saved it since.
pub(crate) async fn component_for_update(
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
    let current = crate::rows::component(&row)?;
    check_version("component", id, expected_version, current.version)?;
    Ok(current)
}

fn check_version(kind: &'static str, id: Uuid, expected: Option<i64>, actual: i64) -> Result<()> {
    match expected {
        Some(expected) if expected != actual => Err(StoreError::VersionConflict {
            kind,
            id,
            expected,
            actual,
        }),
        _ => Ok(()),
    }
}
