//! Reading rows into model types.

use crate::error::{Result, StoreError};
use chrono::{DateTime, Utc};
use classkit_model::{
    AssetRef, ComponentStatus, ComponentType, Course, LearningComponent, Lesson, Slide, SlideLayout,
};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use uuid::Uuid;

pub(crate) fn parse_id(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|e| StoreError::Corrupt(format!("bad id {text:?}: {e}")))
}

fn id(row: &SqliteRow, column: &str) -> Result<Uuid> {
    parse_id(&row.try_get::<String, _>(column)?)
}

fn time(row: &SqliteRow, column: &str) -> Result<DateTime<Utc>> {
    Ok(row.try_get::<DateTime<Utc>, _>(column)?)
}

// Column lists as macros so that queries stay `&'static str` (sqlx audits dynamic SQL).
macro_rules! course_columns {
    () => {
        "id, title, description, language, created_at, updated_at, version"
    };
}
// A lesson's or slide's position is not stored: it is counted, as the siblings that sort
// before the row by (order_key, id), with the (parent, order_key, id) index. The queries
// these two go into read `FROM lessons` / `FROM slides` without an alias, which the count
// names.
macro_rules! lesson_columns {
    () => {
        "id, course_id, order_key, \
         (SELECT COUNT(*) FROM lessons AS sibling WHERE sibling.course_id = lessons.course_id \
          AND (sibling.order_key, sibling.id) < (lessons.order_key, lessons.id)) AS position, \
         title, created_at, updated_at, version"
    };
}
macro_rules! slide_columns {
    () => {
        "id, lesson_id, order_key, \
         (SELECT COUNT(*) FROM slides AS sibling WHERE sibling.lesson_id = slides.lesson_id \
          AND (sibling.order_key, sibling.id) < (slides.order_key, slides.id)) AS position, \
         title, body, speaker_notes, instructor_notes, layout, \
         image_sha256, narration_sha256, created_at, updated_at, version"
    };
}
macro_rules! component_columns {
    () => {
        "id, slide_id, component_type, status, payload, created_at, updated_at, version"
    };
}

pub(crate) fn course(row: &SqliteRow) -> Result<Course> {
    Ok(Course {
        id: id(row, "id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        language: row.try_get("language")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: row.try_get("version")?,
    })
}

pub(crate) fn lesson(row: &SqliteRow) -> Result<Lesson> {
    Ok(Lesson {
        id: id(row, "id")?,
        course_id: id(row, "course_id")?,
        order_key: row.try_get("order_key")?,
        position: row.try_get("position")?,
        title: row.try_get("title")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: row.try_get("version")?,
    })
}

pub(crate) fn slide(row: &SqliteRow) -> Result<Slide> {
    let layout: String = row.try_get("layout")?;
    Ok(Slide {
        id: id(row, "id")?,
        lesson_id: id(row, "lesson_id")?,
        order_key: row.try_get("order_key")?,
        position: row.try_get("position")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        speaker_notes: row.try_get("speaker_notes")?,
        instructor_notes: row.try_get("instructor_notes")?,
        layout: SlideLayout::parse(&layout)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown slide layout {layout:?}")))?,
        image: row
            .try_get::<Option<String>, _>("image_sha256")?
            .map(AssetRef),
        narration: row
            .try_get::<Option<String>, _>("narration_sha256")?
            .map(AssetRef),
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: row.try_get("version")?,
    })
}

pub(crate) fn component(row: &SqliteRow) -> Result<LearningComponent> {
    let type_name: String = row.try_get("component_type")?;
    let status: String = row.try_get("status")?;
    let payload: String = row.try_get("payload")?;
    Ok(LearningComponent {
        id: id(row, "id")?,
        slide_id: id(row, "slide_id")?,
        component_type: type_name
            .parse::<ComponentType>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        status: ComponentStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown component status {status:?}")))?,
        payload: serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("component payload is not JSON: {e}")))?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: row.try_get("version")?,
    })
}
