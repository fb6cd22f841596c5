//! The course tree in PostgreSQL: reading entities by id or by change-log position, and
//! writing many at once (one statement per table for a whole push, with `UNNEST`).

use chrono::{DateTime, Utc};
use classkit_model::{AssetRef, ComponentStatus, ComponentType, SlideLayout};
use classkit_sync::{
    ComponentFields, CourseFields, EntityKind, EntityRecord, EntityState, LessonFields, SlideFields,
};
use sqlx::{PgConnection, Postgres, Transaction};
use std::collections::HashMap;
use uuid::Uuid;

/// An entity as stored: its state and bookkeeping.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub id: Uuid,
    pub course_id: Uuid,
    pub version: i64,
    pub deleted: bool,
    pub change_seq: i64,
    pub state: EntityState,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<Uuid>,
    /// The email of `updated_by`, when read back.
    pub updated_by_email: Option<String>,
}

impl Stored {
    pub fn kind(&self) -> EntityKind {
        self.state.kind()
    }

    /// The entity as the API shows it.
    pub fn record(&self) -> EntityRecord {
        self.clone().into_record()
    }

    /// The entity as the API shows it, taking its state.
    pub fn into_record(self) -> EntityRecord {
        EntityRecord {
            kind: self.kind(),
            id: self.id,
            version: self.version,
            deleted: self.deleted,
            state: self.state,
            seq: self.change_seq,
            updated_at: self.updated_at,
            updated_by: self.updated_by_email,
        }
    }
}

/// A stored value that should not be there (a layout or type this server does not know).
fn corrupt(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} {value:?} is not one this server knows").into())
}

fn layout(name: &str) -> Result<SlideLayout, sqlx::Error> {
    SlideLayout::parse(name).ok_or_else(|| corrupt("slide layout", name))
}

fn component_type(name: &str) -> Result<ComponentType, sqlx::Error> {
    name.parse().map_err(|_| corrupt("component type", name))
}

fn status(name: &str) -> Result<ComponentStatus, sqlx::Error> {
    ComponentStatus::parse(name).ok_or_else(|| corrupt("component status", name))
}

fn asset(hash: Option<String>) -> Option<AssetRef> {
    hash.map(|h| AssetRef(h.trim().to_string()))
}

/// A course's row as read.
struct CourseRow {
    id: Uuid,
    title: String,
    description: String,
    language: Option<String>,
    version: i64,
    deleted: bool,
    change_seq: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    updated_by: Option<Uuid>,
    email: Option<String>,
}

impl CourseRow {
    fn stored(self) -> Stored {
        Stored {
            id: self.id,
            course_id: self.id,
            version: self.version,
            deleted: self.deleted,
            change_seq: self.change_seq,
            state: EntityState::Course(CourseFields {
                title: self.title,
                description: self.description,
                language: self.language,
            }),
            created_at: self.created_at,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
            updated_by_email: self.email,
        }
    }
}

/// A lesson's row as read.
struct LessonRow {
    id: Uuid,
    course_id: Uuid,
    order_key: String,
    title: String,
    version: i64,
    deleted: bool,
    change_seq: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    updated_by: Option<Uuid>,
    email: Option<String>,
}

impl LessonRow {
    fn stored(self) -> Stored {
        Stored {
            id: self.id,
            course_id: self.course_id,
            version: self.version,
            deleted: self.deleted,
            change_seq: self.change_seq,
            state: EntityState::Lesson(LessonFields {
                course_id: self.course_id,
                order_key: self.order_key,
                title: self.title,
            }),
            created_at: self.created_at,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
            updated_by_email: self.email,
        }
    }
}

/// A slide's row as read.
struct SlideRow {
    id: Uuid,
    course_id: Uuid,
    lesson_id: Uuid,
    order_key: String,
    title: String,
    body: String,
    speaker_notes: String,
    instructor_notes: String,
    layout: String,
    image_sha256: Option<String>,
    narration_sha256: Option<String>,
    version: i64,
    deleted: bool,
    change_seq: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    updated_by: Option<Uuid>,
    email: Option<String>,
}

impl SlideRow {
    fn stored(self) -> Result<Stored, sqlx::Error> {
        Ok(Stored {
            id: self.id,
            course_id: self.course_id,
            version: self.version,
            deleted: self.deleted,
            change_seq: self.change_seq,
            state: EntityState::Slide(SlideFields {
                lesson_id: self.lesson_id,
                order_key: self.order_key,
                title: self.title,
                body: self.body,
                speaker_notes: self.speaker_notes,
                instructor_notes: self.instructor_notes,
                layout: layout(&self.layout)?,
                image: asset(self.image_sha256),
                narration: asset(self.narration_sha256),
            }),
            created_at: self.created_at,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
            updated_by_email: self.email,
        })
    }
}

/// A learning component's row as read.
struct ComponentRow {
    id: Uuid,
    course_id: Uuid,
    slide_id: Uuid,
    component_type: String,
    payload: serde_json::Value,
    status: String,
    version: i64,
    deleted: bool,
    change_seq: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    updated_by: Option<Uuid>,
    email: Option<String>,
}

impl ComponentRow {
    fn stored(self) -> Result<Stored, sqlx::Error> {
        Ok(Stored {
            id: self.id,
            course_id: self.course_id,
            version: self.version,
            deleted: self.deleted,
            change_seq: self.change_seq,
            state: EntityState::Component(ComponentFields {
                slide_id: self.slide_id,
                component_type: component_type(&self.component_type)?,
                status: status(&self.status)?,
                payload: self.payload,
            }),
            created_at: self.created_at,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
            updated_by_email: self.email,
        })
    }
}

/// Reads entities of one kind by id, in any course (the caller checks the course).
pub async fn load(
    conn: &mut PgConnection,
    kind: EntityKind,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Stored>, sqlx::Error> {
    let rows: Vec<Stored> = match kind {
        EntityKind::Course => sqlx::query_as!(
            CourseRow,
            r#"SELECT c.id, c.title, c.description, c.language, c.version, c.deleted,
                      c.change_seq, c.created_at, c.updated_at, c.updated_by,
                      (SELECT email FROM users WHERE id = c.updated_by) AS "email?"
               FROM courses c WHERE c.id = ANY($1)"#,
            ids
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(CourseRow::stored)
        .collect(),
        EntityKind::Lesson => sqlx::query_as!(
            LessonRow,
            r#"SELECT l.id, l.course_id, l.order_key, l.title, l.version, l.deleted,
                      l.change_seq, l.created_at, l.updated_at, l.updated_by,
                      (SELECT email FROM users WHERE id = l.updated_by) AS "email?"
               FROM lessons l WHERE l.id = ANY($1)"#,
            ids
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(LessonRow::stored)
        .collect(),
        EntityKind::Slide => sqlx::query_as!(
            SlideRow,
            r#"SELECT s.id, s.course_id, s.lesson_id, s.order_key, s.title, s.body,
                      s.speaker_notes, s.instructor_notes, s.layout, s.image_sha256,
                      s.narration_sha256, s.version, s.deleted, s.change_seq, s.created_at,
                      s.updated_at, s.updated_by,
                      (SELECT email FROM users WHERE id = s.updated_by) AS "email?"
               FROM slides s WHERE s.id = ANY($1)"#,
            ids
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(SlideRow::stored)
        .collect::<Result<_, _>>()?,
        EntityKind::Component => sqlx::query_as!(
            ComponentRow,
            r#"SELECT c.id, c.course_id, c.slide_id, c.component_type, c.payload, c.status,
                      c.version, c.deleted, c.change_seq, c.created_at, c.updated_at,
                      c.updated_by, (SELECT email FROM users WHERE id = c.updated_by) AS "email?"
               FROM learning_components c WHERE c.id = ANY($1)"#,
            ids
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(ComponentRow::stored)
        .collect::<Result<_, _>>()?,
    };
    Ok(rows.into_iter().map(|s| (s.id, s)).collect())
}

/// The state of version `version` of an entity of `course` (every accepted version is kept):
/// stored with its revision, or kept once a later version superseded it, or, while it is
/// the entity's current version, the entity's row. `None` when the course has no such
/// version.
pub async fn revision(
    conn: &mut PgConnection,
    course: Uuid,
    kind: EntityKind,
    id: Uuid,
    version: i64,
) -> Result<Option<EntityState>, sqlx::Error> {
    let kept = sqlx::query_scalar!(
        "SELECT COALESCE(r.state, s.state) FROM revisions r
         LEFT JOIN revision_states s ON s.course_id = r.course_id AND s.seq = r.seq
         WHERE r.course_id = $1 AND r.entity_id = $2 AND r.entity_kind = $3 AND r.version = $4
         ORDER BY r.seq DESC LIMIT 1",
        course,
        id,
        kind.as_str(),
        version
    )
    .fetch_optional(&mut *conn)
    .await?;
    match kept {
        None => Ok(None),
        Some(Some(state)) => serde_json::from_value(state)
            .map(Some)
            .map_err(|e| sqlx::Error::Decode(Box::new(e))),
        Some(None) => Ok(load(conn, kind, &[id])
            .await?
            .remove(&id)
            .filter(|s| s.course_id == course && s.version == version)
            .map(|s| s.state)),
    }
}

/// The entities of `course` changed after `after` and up to `upto`, at most `limit` of each
/// kind, in change-log order: one query per table.
pub async fn changed(
    conn: &mut PgConnection,
    course: Uuid,
    after: i64,
    upto: i64,
    limit: i64,
) -> Result<Vec<Stored>, sqlx::Error> {
    let mut out: Vec<Stored> = Vec::new();
    out.extend(
        sqlx::query_as!(
            CourseRow,
            r#"SELECT c.id, c.title, c.description, c.language, c.version, c.deleted,
                      c.change_seq, c.created_at, c.updated_at, c.updated_by,
                      (SELECT email FROM users WHERE id = c.updated_by) AS "email?"
               FROM courses c WHERE c.id = $1 AND c.change_seq > $2 AND c.change_seq <= $3"#,
            course,
            after,
            upto
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(CourseRow::stored),
    );
    out.extend(
        sqlx::query_as!(
            LessonRow,
            r#"SELECT l.id, l.course_id, l.order_key, l.title, l.version, l.deleted,
                      l.change_seq, l.created_at, l.updated_at, l.updated_by,
                      (SELECT email FROM users WHERE id = l.updated_by) AS "email?"
               FROM lessons l
               WHERE l.course_id = $1 AND l.change_seq > $2 AND l.change_seq <= $3
               ORDER BY l.change_seq LIMIT $4"#,
            course,
            after,
            upto,
            limit
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(LessonRow::stored),
    );
    for row in sqlx::query_as!(
        SlideRow,
        r#"SELECT s.id, s.course_id, s.lesson_id, s.order_key, s.title, s.body,
                  s.speaker_notes, s.instructor_notes, s.layout, s.image_sha256,
                  s.narration_sha256, s.version, s.deleted, s.change_seq, s.created_at,
                  s.updated_at, s.updated_by,
                  (SELECT email FROM users WHERE id = s.updated_by) AS "email?"
           FROM slides s
           WHERE s.course_id = $1 AND s.change_seq > $2 AND s.change_seq <= $3
           ORDER BY s.change_seq LIMIT $4"#,
        course,
        after,
        upto,
        limit
    )
    .fetch_all(&mut *conn)
    .await?
    {
        out.push(row.stored()?);
    }
    for row in sqlx::query_as!(
        ComponentRow,
        r#"SELECT c.id, c.course_id, c.slide_id, c.component_type, c.payload, c.status,
                  c.version, c.deleted, c.change_seq, c.created_at, c.updated_at,
                  c.updated_by, (SELECT email FROM users WHERE id = c.updated_by) AS "email?"
           FROM learning_components c
           WHERE c.course_id = $1 AND c.change_seq > $2 AND c.change_seq <= $3
           ORDER BY c.change_seq LIMIT $4"#,
        course,
        after,
        upto,
        limit
    )
    .fetch_all(&mut *conn)
    .await?
    {
        out.push(row.stored()?);
    }
    out.sort_by_key(|s| s.change_seq);
    Ok(out)
}

/// Keeps the states that the entities `ids` of `kind` in `course` hold now under their
/// current revisions, in `revision_states`: called before a push writes their next versions.
/// The state is built from the row in the database, in [`EntityState`]'s JSON form (the
/// payload copied as it is stored, nothing sent or parsed again).
pub async fn keep_superseded(
    tx: &mut Transaction<'static, Postgres>,
    course: Uuid,
    kind: EntityKind,
    ids: &[Uuid],
) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let query = match kind {
        EntityKind::Course => sqlx::query!(
            "INSERT INTO revision_states (course_id, seq, state)
             SELECT id, change_seq, jsonb_build_object('kind', 'course', 'fields',
                    jsonb_build_object('title', title, 'description', description,
                                       'language', language))
             FROM courses WHERE id = $1 AND id = ANY($2)
             ON CONFLICT (course_id, seq) DO NOTHING",
            course,
            ids
        ),
        EntityKind::Lesson => sqlx::query!(
            "INSERT INTO revision_states (course_id, seq, state)
             SELECT course_id, change_seq, jsonb_build_object('kind', 'lesson', 'fields',
                    jsonb_build_object('course_id', course_id, 'order_key', order_key,
                                       'title', title))
             FROM lessons WHERE course_id = $1 AND id = ANY($2)
             ON CONFLICT (course_id, seq) DO NOTHING",
            course,
            ids
        ),
        EntityKind::Slide => sqlx::query!(
            "INSERT INTO revision_states (course_id, seq, state)
             SELECT course_id, change_seq, jsonb_build_object('kind', 'slide', 'fields',
                    jsonb_build_object('lesson_id', lesson_id, 'order_key', order_key,
                                       'title', title, 'body', body,
                                       'speaker_notes', speaker_notes,
                                       'instructor_notes', instructor_notes, 'layout', layout,
                                       'image', image_sha256, 'narration', narration_sha256))
             FROM slides WHERE course_id = $1 AND id = ANY($2)
             ON CONFLICT (course_id, seq) DO NOTHING",
            course,
            ids
        ),
        EntityKind::Component => sqlx::query!(
            "INSERT INTO revision_states (course_id, seq, state)
             SELECT course_id, change_seq, jsonb_build_object('kind', 'component', 'fields',
                    jsonb_build_object('slide_id', slide_id, 'component_type', component_type,
                                       'status', status, 'payload', payload))
             FROM learning_components WHERE course_id = $1 AND id = ANY($2)
             ON CONFLICT (course_id, seq) DO NOTHING",
            course,
            ids
        ),
    };
    query.execute(&mut **tx).await?;
    Ok(())
}

/// Writes the final state of each entity a push changed: one statement per table.
pub async fn write_all(
    tx: &mut Transaction<'static, Postgres>,
    entities: &[&Stored],
) -> Result<(), sqlx::Error> {
    let mut lessons = Vec::new();
    let mut slides = Vec::new();
    let mut components = Vec::new();
    for s in entities {
        match &s.state {
            EntityState::Course(c) => {
                sqlx::query!(
                    "UPDATE courses SET title = $2, description = $3, language = $4, version = $5,
                            deleted = $6, change_seq = $7, updated_at = $8, updated_by = $9
                     WHERE id = $1",
                    s.id,
                    c.title,
                    c.description,
                    c.language,
                    s.version,
                    s.deleted,
                    s.change_seq,
                    s.updated_at,
                    s.updated_by
                )
                .execute(&mut **tx)
                .await?;
            }
            EntityState::Lesson(l) => lessons.push((*s, l)),
            EntityState::Slide(f) => slides.push((*s, f)),
            EntityState::Component(f) => components.push((*s, f)),
        }
    }
    if !lessons.is_empty() {
        let ids: Vec<Uuid> = lessons.iter().map(|(s, _)| s.id).collect();
        let courses: Vec<Uuid> = lessons.iter().map(|(s, _)| s.course_id).collect();
        let keys: Vec<String> = lessons.iter().map(|(_, l)| l.order_key.clone()).collect();
        let titles: Vec<String> = lessons.iter().map(|(_, l)| l.title.clone()).collect();
        let versions: Vec<i64> = lessons.iter().map(|(s, _)| s.version).collect();
        let deleted: Vec<bool> = lessons.iter().map(|(s, _)| s.deleted).collect();
        let seqs: Vec<i64> = lessons.iter().map(|(s, _)| s.change_seq).collect();
        let created: Vec<DateTime<Utc>> = lessons.iter().map(|(s, _)| s.created_at).collect();
        let updated: Vec<DateTime<Utc>> = lessons.iter().map(|(s, _)| s.updated_at).collect();
        let by: Vec<Uuid> = lessons
            .iter()
            .map(|(s, _)| s.updated_by.unwrap_or_default())
            .collect();
        sqlx::query!(
            r#"INSERT INTO lessons (id, course_id, order_key, title, version, deleted, change_seq,
                                    created_at, updated_at, updated_by)
               SELECT id, course_id, order_key, title, version, deleted, change_seq, created_at,
                      updated_at, NULLIF(updated_by, '00000000-0000-0000-0000-000000000000')
               FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[],
                           $6::bool[], $7::bigint[], $8::timestamptz[], $9::timestamptz[],
                           $10::uuid[])
                    AS t(id, course_id, order_key, title, version, deleted, change_seq,
                         created_at, updated_at, updated_by)
               ON CONFLICT (id) DO UPDATE SET order_key = EXCLUDED.order_key,
                   title = EXCLUDED.title, version = EXCLUDED.version,
                   deleted = EXCLUDED.deleted, change_seq = EXCLUDED.change_seq,
                   updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by"#,
            &ids,
            &courses,
            &keys,
            &titles,
            &versions,
            &deleted,
            &seqs,
            &created,
            &updated,
            &by
        )
        .execute(&mut **tx)
        .await?;
    }
    if !slides.is_empty() {
        let ids: Vec<Uuid> = slides.iter().map(|(s, _)| s.id).collect();
        let courses: Vec<Uuid> = slides.iter().map(|(s, _)| s.course_id).collect();
        let lesson_ids: Vec<Uuid> = slides.iter().map(|(_, f)| f.lesson_id).collect();
        let keys: Vec<String> = slides.iter().map(|(_, f)| f.order_key.clone()).collect();
        let titles: Vec<String> = slides.iter().map(|(_, f)| f.title.clone()).collect();
        let bodies: Vec<String> = slides.iter().map(|(_, f)| f.body.clone()).collect();
        let notes: Vec<String> = slides
            .iter()
            .map(|(_, f)| f.speaker_notes.clone())
            .collect();
        let inotes: Vec<String> = slides
            .iter()
            .map(|(_, f)| f.instructor_notes.clone())
            .collect();
        let layouts: Vec<String> = slides
            .iter()
            .map(|(_, f)| f.layout.as_str().to_string())
            .collect();
        // No hash is empty, so '' stands for "none" in the arrays.
        let images: Vec<String> = slides
            .iter()
            .map(|(_, f)| f.image.as_ref().map(|a| a.0.clone()).unwrap_or_default())
            .collect();
        let narrations: Vec<String> = slides
            .iter()
            .map(|(_, f)| {
                f.narration
                    .as_ref()
                    .map(|a| a.0.clone())
                    .unwrap_or_default()
            })
            .collect();
        let versions: Vec<i64> = slides.iter().map(|(s, _)| s.version).collect();
        let deleted: Vec<bool> = slides.iter().map(|(s, _)| s.deleted).collect();
        let seqs: Vec<i64> = slides.iter().map(|(s, _)| s.change_seq).collect();
        let created: Vec<DateTime<Utc>> = slides.iter().map(|(s, _)| s.created_at).collect();
        let updated: Vec<DateTime<Utc>> = slides.iter().map(|(s, _)| s.updated_at).collect();
        let by: Vec<Uuid> = slides
            .iter()
            .map(|(s, _)| s.updated_by.unwrap_or_default())
            .collect();
        sqlx::query!(
            r#"INSERT INTO slides (id, course_id, lesson_id, order_key, title, body, speaker_notes,
                                   instructor_notes, layout, image_sha256, narration_sha256,
                                   version, deleted, change_seq, created_at, updated_at,
                                   updated_by)
               SELECT id, course_id, lesson_id, order_key, title, body, speaker_notes,
                      instructor_notes, layout, NULLIF(image, ''), NULLIF(narration, ''),
                      version, deleted, change_seq, created_at, updated_at,
                      NULLIF(updated_by, '00000000-0000-0000-0000-000000000000')
               FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
                           $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                           $11::text[], $12::bigint[], $13::bool[], $14::bigint[],
                           $15::timestamptz[], $16::timestamptz[], $17::uuid[])
                    AS t(id, course_id, lesson_id, order_key, title, body, speaker_notes,
                         instructor_notes, layout, image, narration, version, deleted,
                         change_seq, created_at, updated_at, updated_by)
               ON CONFLICT (id) DO UPDATE SET lesson_id = EXCLUDED.lesson_id,
                   order_key = EXCLUDED.order_key, title = EXCLUDED.title,
                   body = EXCLUDED.body, speaker_notes = EXCLUDED.speaker_notes,
                   instructor_notes = EXCLUDED.instructor_notes, layout = EXCLUDED.layout,
                   image_sha256 = EXCLUDED.image_sha256,
                   narration_sha256 = EXCLUDED.narration_sha256, version = EXCLUDED.version,
                   deleted = EXCLUDED.deleted, change_seq = EXCLUDED.change_seq,
                   updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by"#,
            &ids,
            &courses,
            &lesson_ids,
            &keys,
            &titles,
            &bodies,
            &notes,
            &inotes,
            &layouts,
            &images,
            &narrations,
            &versions,
            &deleted,
            &seqs,
            &created,
            &updated,
            &by
        )
        .execute(&mut **tx)
        .await?;
    }
    if !components.is_empty() {
        let ids: Vec<Uuid> = components.iter().map(|(s, _)| s.id).collect();
        let courses: Vec<Uuid> = components.iter().map(|(s, _)| s.course_id).collect();
        let slide_ids: Vec<Uuid> = components.iter().map(|(_, f)| f.slide_id).collect();
        let types: Vec<String> = components
            .iter()
            .map(|(_, f)| f.component_type.as_str().to_string())
            .collect();
        let payloads: Vec<&serde_json::Value> =
            components.iter().map(|(_, f)| &f.payload).collect();
        let schema_versions: Vec<i32> = components
            .iter()
            .map(|(_, f)| schema_version_of(&f.payload))
            .collect();
        let statuses: Vec<String> = components
            .iter()
            .map(|(_, f)| f.status.as_str().to_string())
            .collect();
        let versions: Vec<i64> = components.iter().map(|(s, _)| s.version).collect();
        let deleted: Vec<bool> = components.iter().map(|(s, _)| s.deleted).collect();
        let seqs: Vec<i64> = components.iter().map(|(s, _)| s.change_seq).collect();
        let created: Vec<DateTime<Utc>> = components.iter().map(|(s, _)| s.created_at).collect();
        let updated: Vec<DateTime<Utc>> = components.iter().map(|(s, _)| s.updated_at).collect();
        let by: Vec<Uuid> = components
            .iter()
            .map(|(s, _)| s.updated_by.unwrap_or_default())
            .collect();
        sqlx::query!(
            r#"INSERT INTO learning_components (id, course_id, slide_id, component_type, payload,
                                                schema_version, status, version, deleted,
                                                change_seq, created_at, updated_at, updated_by)
               SELECT id, course_id, slide_id, component_type, payload, schema_version, status,
                      version, deleted, change_seq, created_at, updated_at,
                      NULLIF(updated_by, '00000000-0000-0000-0000-000000000000')
               FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::jsonb[],
                           $6::int[], $7::text[], $8::bigint[], $9::bool[], $10::bigint[],
                           $11::timestamptz[], $12::timestamptz[], $13::uuid[])
                    AS t(id, course_id, slide_id, component_type, payload, schema_version,
                         status, version, deleted, change_seq, created_at, updated_at,
                         updated_by)
               ON CONFLICT (id) DO UPDATE SET slide_id = EXCLUDED.slide_id,
                   component_type = EXCLUDED.component_type, payload = EXCLUDED.payload,
                   schema_version = EXCLUDED.schema_version, status = EXCLUDED.status,
                   version = EXCLUDED.version, deleted = EXCLUDED.deleted,
                   change_seq = EXCLUDED.change_seq, updated_at = EXCLUDED.updated_at,
                   updated_by = EXCLUDED.updated_by"#,
            &ids,
            &courses,
            &slide_ids,
            &types,
            &payloads as _,
            &schema_versions,
            &statuses,
            &versions,
            &deleted,
            &seqs,
            &created,
            &updated,
            &by
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The `schema_version` a payload carries (1 when it carries none, as the first payloads did).
pub fn schema_version_of(payload: &serde_json::Value) -> i32 {
    payload
        .get("schema_version")
        .and_then(serde_json::Value::as_i64)
        .and_then(|v| i32::try_from(v).ok())
        .filter(|v| *v >= 1)
        .unwrap_or(1)
}
