//! Statements over many rows at once, for sync: sharing a course writes one outbox row per
//! entity, and a pull or the answer to a push brings up to a thousand entities at a time.
//!
//! Each statement costs a round trip to the connection's worker thread (tens of
//! microseconds, more than SQLite's own work for a small row): 10,000 entities written with
//! several statements each spent seconds there. Here rows go in `INSERT … VALUES (…), (…)`
//! statements of up to [`ROWS_PER_STATEMENT`] rows, with each value bound exactly as the
//! one-row statements in `write.rs` bind it, and rows are read by a list of keys bound as one
//! JSON array (`WHERE id IN (SELECT value FROM json_each(?))`, answered from the index).

use crate::error::{Result, StoreError};
use crate::write::Entity;
use chrono::{DateTime, Utc};
use classkit_model::{ChangeKind, LearningComponent, Lesson, Slide};
use serde::Serialize;
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

/// Rows in one multi-row statement: far below SQLite's 32,766 parameters at 13 columns.
pub(crate) const ROWS_PER_STATEMENT: usize = 500;

/// A statement with its parameters being bound.
type Bound = Query<'static, Sqlite, SqliteArguments>;

/// Keys (ids as text, or sequence numbers) as the JSON array that `json_each(?)` reads.
pub(crate) fn json_list<T: Serialize>(keys: &[T]) -> String {
    serde_json::to_string(keys).unwrap_or_else(|_| "[]".to_string())
}

/// `head` followed by `rows` groups of `columns` placeholders, then `tail`.
fn statement(head: &str, columns: usize, rows: usize, tail: &str) -> String {
    let group = format!("({})", vec!["?"; columns].join(", "));
    let mut sql = String::with_capacity(head.len() + tail.len() + rows * (group.len() + 2));
    sql.push_str(head);
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&group);
    }
    sql.push_str(tail);
    sql
}

/// Inserts `rows` with `head` (`INSERT INTO t (a, b) VALUES `) and `tail` (an `ON CONFLICT`
/// clause, or nothing), `bind` binding one row's `columns` values, in as few statements as
/// the limit allows and in the order given. A statement that fails changes nothing: SQLite
/// undoes it, and only it, inside the transaction (so up to [`ROWS_PER_STATEMENT`] rows are
/// written all or none).
async fn insert<T>(
    tx: &mut Transaction<'static, Sqlite>,
    head: &str,
    tail: &str,
    columns: usize,
    rows: &[T],
    bind: impl Fn(Bound, &T) -> Bound,
) -> sqlx::Result<()> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = statement(head, columns, chunk.len(), tail);
        let mut query: Bound = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            query = bind(query, row);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// An outbox row about to be written (its mutation id is made as it is written).
pub(crate) struct NewOutbox {
    pub entity: Entity,
    pub id: Uuid,
    pub course: Option<Uuid>,
    pub op: &'static str,
    pub base_version: Option<i64>,
    /// The state, as JSON text.
    pub data: String,
    pub at: DateTime<Utc>,
}

/// Writes outbox rows that settle no conflict, in order (as `write::insert_outbox` writes
/// one).
pub(crate) async fn insert_outbox(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[NewOutbox],
) -> Result<()> {
    insert(
        tx,
        "INSERT INTO outbox (mutation_id, entity_type, entity_id, op, base_version, data, \
         created_at, course_id, resolves) VALUES ",
        "",
        9,
        rows,
        |q, r| {
            q.bind(Uuid::now_v7().to_string())
                .bind(r.entity.as_str())
                .bind(r.id.to_string())
                .bind(r.op)
                .bind(r.base_version)
                .bind(r.data.as_str())
                .bind(r.at)
                .bind(r.course.map(|c| c.to_string()))
                .bind("[]")
        },
    )
    .await?;
    Ok(())
}

/// A revision about to be written (of a change other than a restore).
pub(crate) struct NewRevision {
    pub entity: Entity,
    pub id: Uuid,
    pub version: i64,
    pub change: ChangeKind,
    /// The entity's state, as JSON text.
    pub data: String,
    pub at: DateTime<Utc>,
}

/// Writes revisions, in order (as `write::record_revision` writes one).
pub(crate) async fn insert_revisions(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[NewRevision],
) -> Result<()> {
    insert(
        tx,
        "INSERT INTO revisions (entity_type, entity_id, version, change, data, created_at) \
         VALUES ",
        "",
        6,
        rows,
        |q, r| {
            q.bind(r.entity.as_str())
                .bind(r.id.to_string())
                .bind(r.version)
                .bind(r.change.stored(None))
                .bind(r.data.as_str())
                .bind(r.at)
        },
    )
    .await?;
    Ok(())
}

/// Records the server version each entity was last seen at, never lowering one.
pub(crate) async fn upsert_server_versions(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[(Uuid, i64)],
) -> Result<()> {
    insert(
        tx,
        "INSERT INTO server_versions (entity_id, version) VALUES ",
        " ON CONFLICT (entity_id) DO UPDATE SET version = max(version, excluded.version)",
        2,
        rows,
        |q, (id, version)| q.bind(id.to_string()).bind(*version),
    )
    .await?;
    Ok(())
}

/// Inserts new lessons (their text already held to the rules), as `write::insert_lesson`
/// does one. An error is SQLite's, for the caller to redo row by row and name the row.
pub(crate) async fn insert_lessons(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[&Lesson],
) -> sqlx::Result<()> {
    insert(
        tx,
        "INSERT INTO lessons (id, course_id, order_key, title, created_at, updated_at, version) \
         VALUES ",
        "",
        7,
        rows,
        |q, l| {
            q.bind(l.id.to_string())
                .bind(l.course_id.to_string())
                .bind(l.order_key.as_str())
                .bind(l.title.as_str())
                .bind(l.created_at)
                .bind(l.updated_at)
                .bind(l.version)
        },
    )
    .await
}

/// Inserts new slides (their text already held to the rules), as `write::write_slide` does
/// one. An error is SQLite's, for the caller to redo row by row and name the row.
pub(crate) async fn insert_slides(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[&Slide],
) -> sqlx::Result<()> {
    insert(
        tx,
        "INSERT INTO slides (id, lesson_id, order_key, title, body, speaker_notes, \
         instructor_notes, layout, image_sha256, narration_sha256, created_at, updated_at, \
         version) VALUES ",
        "",
        13,
        rows,
        |q, s| {
            q.bind(s.id.to_string())
                .bind(s.lesson_id.to_string())
                .bind(s.order_key.as_str())
                .bind(s.title.as_str())
                .bind(s.body.as_str())
                .bind(s.speaker_notes.as_str())
                .bind(s.instructor_notes.as_str())
                .bind(s.layout.as_str())
                .bind(s.image.as_ref().map(|a| a.0.as_str()))
                .bind(s.narration.as_ref().map(|a| a.0.as_str()))
                .bind(s.created_at)
                .bind(s.updated_at)
                .bind(s.version)
        },
    )
    .await
}

/// Inserts new components with their payloads as JSON text, as `write::write_component`
/// does one. An error is SQLite's, for the caller to redo row by row and name the row.
pub(crate) async fn insert_components(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[(&LearningComponent, String)],
) -> sqlx::Result<()> {
    insert(
        tx,
        "INSERT INTO components (id, slide_id, component_type, status, payload, created_at, \
         updated_at, version) VALUES ",
        "",
        8,
        rows,
        |q, (c, payload)| {
            q.bind(c.id.to_string())
                .bind(c.slide_id.to_string())
                .bind(c.component_type.as_str())
                .bind(c.status.as_str())
                .bind(payload.as_str())
                .bind(c.created_at)
                .bind(c.updated_at)
                .bind(c.version)
        },
    )
    .await
}

/// The JSON text of a state, as revisions and the outbox keep it.
pub(crate) fn json_text(entity: Entity, state: &impl Serialize) -> Result<String> {
    serde_json::to_string(state)
        .map_err(|e| StoreError::Invalid(format!("cannot encode {}: {e}", entity.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_have_one_group_of_placeholders_per_row() {
        assert_eq!(
            statement(
                "INSERT INTO t (a, b) VALUES ",
                2,
                3,
                " ON CONFLICT DO NOTHING"
            ),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?) ON CONFLICT DO NOTHING"
        );
        assert_eq!(json_list(&["a", "b\"c"]), r#"["a","b\"c"]"#);
        assert_eq!(json_list(&[1_i64, 2]), "[1,2]");
    }
}
