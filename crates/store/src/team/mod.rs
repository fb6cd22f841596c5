//! Team mode in the library: the team server it syncs with, the courses linked to it, their
//! outbox read as mutations, and the server's answers and pulled pages applied.
//!
//! What comes from the server is written like any save (the entity, its revision, marked
//! "synced from the team") but without an outbox row: it is already on the server. A pulled
//! change to an entity with edits still waiting in the outbox is not applied; the answer to
//! pushing those edits carries the merged state instead, so nothing typed here is lost.

use crate::bulk;
use crate::error::{Result, StoreError};
use crate::rows::{self, parse_id};
use crate::write::{self, Entity, Write};
use crate::{Store, now};
use chrono::{DateTime, Utc};
use classkit_model::{ChangeKind, Course, LearningComponent, Lesson, Slide};
use classkit_sync::client::Pending;
use classkit_sync::merge;
use classkit_sync::state::Local;
use classkit_sync::{ConflictRecord, EntityKind, EntityRecord, EntityState, Mutation, Role};
use serde::Serialize;
use serde_json::Value;
use sqlx::{Row, Sqlite, Transaction};
use std::path::PathBuf;
use uuid::Uuid;

mod apply;

/// The team server this library syncs with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RemoteSetting {
    pub url: String,
    /// Where the command line reads the token; none when the app keeps it in the keyring.
    pub token_file: Option<PathBuf>,
    /// Whom the token belongs to, as the server said when it was set.
    pub email: Option<String>,
}

/// A course of this library linked to the team server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TeamLink {
    pub course_id: Uuid,
    /// The role the server gave (viewer, editor, owner).
    pub role: String,
    /// Where the course's pull stands in its change log.
    pub cursor: i64,
    pub linked_at: DateTime<Utc>,
    pub last_sync: Option<DateTime<Utc>>,
    /// Why the last sync failed, when it did.
    pub last_error: Option<String>,
}

/// How an instructor settles a conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum Keep {
    /// The value that was not applied (their own, usually).
    Mine,
    /// The value that stayed current.
    Theirs,
    /// Another value (for text, a merge of both).
    Value(Value),
}

fn kind_of(entity_type: &str) -> Result<EntityKind> {
    EntityKind::parse(entity_type)
        .ok_or_else(|| StoreError::Corrupt(format!("outbox entity type {entity_type:?}")))
}

fn entity_of(kind: EntityKind) -> Entity {
    match kind {
        EntityKind::Course => Entity::Course,
        EntityKind::Lesson => Entity::Lesson,
        EntityKind::Slide => Entity::Slide,
        EntityKind::Component => Entity::Component,
    }
}

/// A stored entity state (an outbox row's or a revision's data) as its synced state.
fn state_of(kind: EntityKind, data: &str) -> Result<EntityState> {
    let corrupt =
        |e: serde_json::Error| StoreError::Corrupt(format!("{} state: {e}", kind.as_str()));
    Ok(match kind {
        EntityKind::Course => {
            EntityState::from(&serde_json::from_str::<Course>(data).map_err(corrupt)?)
        }
        EntityKind::Lesson => {
            EntityState::from(&serde_json::from_str::<Lesson>(data).map_err(corrupt)?)
        }
        EntityKind::Slide => {
            EntityState::from(&serde_json::from_str::<Slide>(data).map_err(corrupt)?)
        }
        EntityKind::Component => {
            EntityState::from(&serde_json::from_str::<LearningComponent>(data).map_err(corrupt)?)
        }
    })
}

/// The course an entity belongs to, from its parent's row (a state's fields name its parent
/// as the library's own entities do).
pub(crate) async fn course_of(
    tx: &mut Transaction<'static, Sqlite>,
    state: &EntityState,
    id: Uuid,
) -> Result<Option<Uuid>> {
    write::course_of_state(tx, entity_of(state.kind()), id, &state.fields_json()).await
}

impl Store {
    /// The team server, when one is set.
    pub async fn remote(&self) -> Result<Option<RemoteSetting>> {
        let row = sqlx::query("SELECT url, token_file, email FROM remote WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(RemoteSetting {
                url: r.try_get("url")?,
                token_file: r
                    .try_get::<Option<String>, _>("token_file")?
                    .map(PathBuf::from),
                email: r.try_get("email")?,
            })
        })
        .transpose()
    }

    /// The team's queue this library's bundled workers also serve (Redis URL and how many
    /// jobs at once), when turned on.
    pub async fn team_worker(&self) -> Result<Option<(String, u32)>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT redis_url, concurrency FROM team_worker WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(url, n)| (url, n.clamp(1, 64) as u32)))
    }

    /// Turns serving the team's queue on (with its Redis URL and concurrency) or off.
    pub async fn set_team_worker(&self, setting: Option<(&str, u32)>) -> Result<()> {
        let mut tx = self.write().await?;
        match setting {
            Some((url, concurrency)) => {
                sqlx::query(
                    "INSERT INTO team_worker (id, redis_url, concurrency, set_at) VALUES (1, ?, ?, ?) \
                     ON CONFLICT (id) DO UPDATE SET redis_url = excluded.redis_url, \
                     concurrency = excluded.concurrency, set_at = excluded.set_at",
                )
                .bind(url)
                .bind(i64::from(concurrency.clamp(1, 64)))
                .bind(crate::now())
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM team_worker")
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sets the team server. Another server's address is refused while courses are linked
    /// to the current one (their history is there).
    pub async fn set_remote(&self, setting: &RemoteSetting) -> Result<()> {
        let mut tx = self.write().await?;
        let current: Option<String> = sqlx::query_scalar("SELECT url FROM remote WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await?;
        let linked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM team_courses")
            .fetch_one(&mut *tx)
            .await?;
        if let Some(current) = current
            && current != setting.url
            && linked > 0
        {
            return Err(StoreError::Invalid(format!(
                "this library has {linked} course(s) linked to the team server at {current}; unlink them before setting another server"
            )));
        }
        sqlx::query(
            "INSERT INTO remote (id, url, token_file, email, set_at) VALUES (1, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET url = excluded.url, token_file = excluded.token_file, \
             email = excluded.email, set_at = excluded.set_at",
        )
        .bind(&setting.url)
        .bind(
            setting
                .token_file
                .as_ref()
                .map(|p| p.to_string_lossy().into_owned()),
        )
        .bind(&setting.email)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every course linked to the team server.
    pub async fn team_links(&self) -> Result<Vec<TeamLink>> {
        let rows = sqlx::query(
            "SELECT course_id, role, cursor, linked_at, last_sync, last_error FROM team_courses \
             ORDER BY linked_at, course_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TeamLink {
                    course_id: parse_id(&r.try_get::<String, _>("course_id")?)?,
                    role: r.try_get("role")?,
                    cursor: r.try_get("cursor")?,
                    linked_at: r.try_get("linked_at")?,
                    last_sync: r.try_get("last_sync")?,
                    last_error: r.try_get("last_error")?,
                })
            })
            .collect()
    }

    /// The course's link to the team server, when it has one.
    pub async fn team_link(&self, course: Uuid) -> Result<Option<TeamLink>> {
        Ok(self
            .team_links()
            .await?
            .into_iter()
            .find(|l| l.course_id == course))
    }

    /// Links a course this library shares: its outbox is replaced by one creation per entity
    /// (course, lessons, slides, components, in that order), which the next sync pushes.
    /// Returns how many are waiting.
    pub async fn share_course(&self, course: Uuid) -> Result<usize> {
        // The components (most of a course) are copied by SQLite itself, below.
        let tree = self.course_tree_with(course, false).await?;
        let mut tx = self.write().await?;
        let linked: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM team_courses WHERE course_id = ?")
                .bind(course.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        if linked.is_some() {
            return Err(StoreError::Invalid(format!(
                "course {course} is already linked to the team server"
            )));
        }
        sqlx::query("DELETE FROM outbox WHERE course_id = ?")
            .bind(course.to_string())
            .execute(&mut *tx)
            .await?;
        let at = now();
        // Each entity's JSON is written straight from it, without a `Value` in between (its
        // fields then come in the type's order rather than sorted; readers parse it).
        let row = |entity, id, data| bulk::NewOutbox {
            entity,
            id,
            course: Some(course),
            op: "upsert",
            base_version: None,
            data,
            at,
        };
        use bulk::json_text as text;
        let mut rows = vec![row(
            Entity::Course,
            course,
            text(Entity::Course, &tree.course)?,
        )];
        for l in &tree.lessons {
            rows.push(row(
                Entity::Lesson,
                l.lesson.id,
                text(Entity::Lesson, &l.lesson)?,
            ));
            for s in &l.slides {
                rows.push(row(
                    Entity::Slide,
                    s.slide.id,
                    text(Entity::Slide, &s.slide)?,
                ));
            }
        }
        bulk::insert_outbox(&mut tx, &rows).await?;
        // Every component after every slide (parents come first), its state written as
        // `LearningComponent` serializes (the stored payload and columns copied, never parsed
        // and encoded again here; readers parse it). Mutation ids are random (version 4).
        let components = sqlx::query(
            "INSERT INTO outbox (mutation_id, entity_type, entity_id, op, base_version, data, \
             created_at, course_id, resolves) \
             SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' \
               || substr(lower(hex(randomblob(2))), 2) || '-' \
               || substr('89ab', 1 + (abs(random()) % 4), 1) \
               || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))), \
               'component', c.id, 'upsert', NULL, \
               json_object('id', c.id, 'slide_id', c.slide_id, \
                 'component_type', c.component_type, 'status', c.status, \
                 'payload', json(c.payload), 'created_at', c.created_at, \
                 'updated_at', c.updated_at, 'version', c.version), \
               ?, ?, '[]' \
             FROM components c JOIN slides s ON c.slide_id = s.id \
               JOIN lessons l ON s.lesson_id = l.id \
             WHERE l.course_id = ? ORDER BY c.created_at, c.id",
        )
        .bind(at)
        .bind(course.to_string())
        .bind(course.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(
            "INSERT INTO team_courses (course_id, role, cursor, linked_at) VALUES (?, 'owner', 0, ?)",
        )
        .bind(course.to_string())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows.len() + usize::try_from(components).unwrap_or(usize::MAX))
    }

    /// Links a course opened from the team server: an empty course until the first pull
    /// brings its lessons, slides and components.
    pub async fn open_team_course(&self, course: Uuid, title: &str, role: Role) -> Result<()> {
        let mut tx = self.write().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM courses WHERE id = ?")
            .bind(course.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StoreError::CourseExists(course));
        }
        let at = now();
        let c = Course {
            id: course,
            title: title.to_string(),
            description: String::new(),
            language: None,
            created_at: at,
            updated_at: at,
            version: 1,
        };
        write::insert_course(&mut tx, &c).await?;
        write::record_revision(
            &mut tx,
            Entity::Course,
            course,
            1,
            ChangeKind::Synced.into(),
            &c,
        )
        .await?;
        sqlx::query(
            "INSERT INTO team_courses (course_id, role, cursor, linked_at) VALUES (?, ?, 0, ?)",
        )
        .bind(course.to_string())
        .bind(role.as_str())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records how a course's sync ended: when, and the error if it failed.
    pub async fn team_sync_ended(&self, course: Uuid, error: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE team_courses SET last_sync = ?, last_error = ? WHERE course_id = ?")
            .bind(now())
            .bind(error)
            .bind(course.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records the role the server gives this library's user in a course.
    pub async fn set_team_role(&self, course: Uuid, role: Role) -> Result<()> {
        sqlx::query("UPDATE team_courses SET role = ? WHERE course_id = ?")
            .bind(role.as_str())
            .bind(course.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// How many edits of a course wait to be pushed.
    pub async fn team_waiting(&self, course: Uuid) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE course_id = ?")
                .bind(course.to_string())
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The course's oldest outbox rows after the place `after` (0: from the first) as
    /// mutations: each with the state it was made on (the entity's previous revision) and the
    /// state it made. One query: the server version and the previous revision come with each
    /// row.
    pub async fn team_pending(
        &self,
        course: Uuid,
        after: i64,
        limit: usize,
    ) -> Result<Vec<Pending>> {
        let rows = sqlx::query(
            "SELECT o.seq, o.mutation_id, o.entity_type, o.entity_id, o.op, o.base_version, \
             o.data, o.created_at, o.resolves, \
             (SELECT version FROM server_versions WHERE entity_id = o.entity_id) \
               AS server_version, \
             CASE WHEN o.base_version IS NOT NULL THEN \
               (SELECT data FROM revisions WHERE entity_id = o.entity_id \
                AND version = o.base_version ORDER BY seq DESC LIMIT 1) END AS before \
             FROM outbox o WHERE o.course_id = ? AND o.seq > ? ORDER BY o.seq LIMIT ?",
        )
        .bind(course.to_string())
        .bind(after)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let kind = kind_of(&r.try_get::<String, _>("entity_type")?)?;
            let entity_id = parse_id(&r.try_get::<String, _>("entity_id")?)?;
            let base_version: Option<i64> = r.try_get("base_version")?;
            let data: String = r.try_get("data")?;
            let op: String = r.try_get("op")?;
            let state = match op.as_str() {
                "delete" => None,
                _ => Some(state_of(kind, &data)?),
            };
            let base = match base_version {
                Some(_) => {
                    let before: Option<String> = r.try_get("before")?;
                    before.map(|d| state_of(kind, &d)).transpose()?
                }
                // A deletion's base is the state it deleted.
                None if op == "delete" => Some(state_of(kind, &data)?),
                None => None,
            };
            let server_version: Option<i64> = r.try_get("server_version")?;
            let resolves: String = r.try_get("resolves")?;
            out.push(Pending {
                seq: r.try_get("seq")?,
                mutation: Mutation {
                    mutation_id: parse_id(&r.try_get::<String, _>("mutation_id")?)?,
                    kind,
                    entity_id,
                    base_version: server_version,
                    base,
                    state,
                    resolves: serde_json::from_str(&resolves)
                        .map_err(|e| StoreError::Corrupt(format!("outbox resolves: {e}")))?,
                    made_at: r.try_get("created_at")?,
                },
            });
        }
        Ok(out)
    }

    /// Sets an outbox row aside that the server refused for good, with the reason.
    pub async fn team_set_aside(&self, seq: i64, reason: &str) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO outbox_set_aside (seq, course_id, mutation_id, entity_type, entity_id, op, \
             base_version, data, created_at, reason, set_aside_at) \
             SELECT seq, course_id, mutation_id, entity_type, entity_id, op, base_version, data, \
             created_at, ?, ? FROM outbox WHERE seq = ?",
        )
        .bind(reason)
        .bind(now())
        .bind(seq)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM outbox WHERE seq = ?")
            .bind(seq)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves the course's cursor to `to` when it stands from `from` up to `to`: the change
    /// log in between holds only changes the library took from the answers to its own push.
    pub async fn team_skip_pulled(&self, course: Uuid, from: i64, to: i64) -> Result<()> {
        sqlx::query(
            "UPDATE team_courses SET cursor = ? WHERE course_id = ? AND cursor >= ? AND cursor < ?",
        )
        .bind(to)
        .bind(course.to_string())
        .bind(from)
        .bind(to)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Where the course's pull stands.
    pub async fn team_cursor(&self, course: Uuid) -> Result<i64> {
        let cursor: Option<i64> =
            sqlx::query_scalar("SELECT cursor FROM team_courses WHERE course_id = ?")
                .bind(course.to_string())
                .fetch_optional(&self.pool)
                .await?;
        cursor.ok_or_else(|| StoreError::not_found("team course", course))
    }

    /// Conflicts of one course or of all, the open ones or every one, oldest first.
    pub async fn team_conflicts(
        &self,
        course: Option<Uuid>,
        open_only: bool,
    ) -> Result<Vec<ConflictRecord>> {
        self.conflicts_where(course, open_only, None).await
    }

    /// Conflicts by course, openness and id (each filter optional).
    async fn conflicts_where(
        &self,
        course: Option<Uuid>,
        open_only: bool,
        id: Option<Uuid>,
    ) -> Result<Vec<ConflictRecord>> {
        let rows = sqlx::query(
            "SELECT record, resolved_at FROM conflicts \
             WHERE (?1 IS NULL OR course_id = ?1) AND (?2 = 0 OR resolved_at IS NULL) \
             AND (?3 IS NULL OR id = ?3) ORDER BY seq, id",
        )
        .bind(course.map(|c| c.to_string()))
        .bind(open_only)
        .bind(id.map(|i| i.to_string()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let text: String = r.try_get("record")?;
                let mut record: ConflictRecord = serde_json::from_str(&text)
                    .map_err(|e| StoreError::Corrupt(format!("conflict: {e}")))?;
                if record.resolved_at.is_none() {
                    record.resolved_at = r.try_get("resolved_at")?;
                }
                Ok(record)
            })
            .collect()
    }

    /// Settles a conflict with an ordinary edit of its entity (kept in history and pushed
    /// like any edit, naming the conflict so that the server marks it settled for everyone).
    pub async fn resolve_conflict(&self, id: Uuid, keep: Keep) -> Result<()> {
        let record = self
            .conflicts_where(None, false, Some(id))
            .await?
            .pop()
            .ok_or_else(|| StoreError::not_found("conflict", id))?;
        if record.resolved_at.is_some() {
            return Err(StoreError::Invalid(format!(
                "conflict {id} is settled already"
            )));
        }
        let value = match keep {
            Keep::Mine => record.mine.clone(),
            Keep::Theirs => record.theirs.clone(),
            Keep::Value(v) => Some(v),
        };
        let mut tx = self.write().await?;
        let current = current_state(&mut tx, record.kind, record.entity_id)
            .await?
            .map(|(state, _)| state.fields_json());
        let state = match (current, record.path.is_empty()) {
            // The whole entity: an edit against a delete, or a delete against an edit.
            (_, true) => value,
            (Some(mut state), false) => {
                if !merge::set(&mut state, &record.path, value) {
                    return Err(StoreError::Invalid(format!(
                        "the field of conflict {id} is no longer there ({})",
                        record.pointer
                    )));
                }
                Some(state)
            }
            (None, false) => {
                return Err(StoreError::Invalid(format!(
                    "the {} of conflict {id} was deleted",
                    record.kind.as_str()
                )));
            }
        };
        let resolves = [id];
        match state {
            Some(v) => {
                let state = EntityState::from_fields(record.kind, v).map_err(|e| {
                    StoreError::Invalid(format!("the chosen value does not fit its field: {e}"))
                })?;
                let record =
                    write_local(&mut tx, record.entity_id, &state, ChangeKind::Updated).await?;
                write::insert_outbox(
                    &mut tx,
                    entity_of(state.kind()),
                    record.0,
                    Some(record.1),
                    "upsert",
                    record.2,
                    &record.3,
                    now(),
                    &resolves,
                )
                .await?;
            }
            None => {
                delete_local(&mut tx, record.kind, record.entity_id, &resolves).await?;
            }
        }
        sqlx::query("UPDATE conflicts SET resolved_at = ? WHERE id = ?")
            .bind(now())
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn keep_conflict(tx: &mut Transaction<'static, Sqlite>, c: &ConflictRecord) -> Result<()> {
    let record = serde_json::to_string(c)
        .map_err(|e| StoreError::Invalid(format!("cannot encode a conflict: {e}")))?;
    sqlx::query(
        "INSERT INTO conflicts (id, course_id, entity_type, entity_id, record, resolved_at, seq) \
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET record = excluded.record, \
         resolved_at = coalesce(excluded.resolved_at, conflicts.resolved_at), seq = excluded.seq",
    )
    .bind(c.id.to_string())
    .bind(c.course_id.to_string())
    .bind(c.kind.as_str())
    .bind(c.entity_id.to_string())
    .bind(record)
    .bind(c.resolved_at)
    .bind(c.seq)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The entity as the library holds it: its synced state and its own JSON (as revisions keep
/// it), when it is here.
async fn current_state(
    tx: &mut Transaction<'static, Sqlite>,
    kind: EntityKind,
    id: Uuid,
) -> Result<Option<(EntityState, Value)>> {
    let id = id.to_string();
    Ok(match kind {
        EntityKind::Course => {
            let sql = concat!("SELECT ", course_columns!(), " FROM courses WHERE id = ?");
            match sqlx::query(sql).bind(&id).fetch_optional(&mut **tx).await? {
                Some(r) => {
                    let c = rows::course(&r)?;
                    Some((EntityState::from(&c), to_json(&c)?))
                }
                None => None,
            }
        }
        EntityKind::Lesson => {
            let sql = concat!("SELECT ", lesson_columns!(), " FROM lessons WHERE id = ?");
            match sqlx::query(sql).bind(&id).fetch_optional(&mut **tx).await? {
                Some(r) => {
                    let l = rows::lesson(&r)?;
                    Some((EntityState::from(&l), to_json(&l)?))
                }
                None => None,
            }
        }
        EntityKind::Slide => {
            let sql = concat!("SELECT ", slide_columns!(), " FROM slides WHERE id = ?");
            match sqlx::query(sql).bind(&id).fetch_optional(&mut **tx).await? {
                Some(r) => {
                    let sl = rows::slide(&r)?;
                    Some((EntityState::from(&sl), to_json(&sl)?))
                }
                None => None,
            }
        }
        EntityKind::Component => {
            let sql = concat!(
                "SELECT ",
                component_columns!(),
                " FROM components WHERE id = ?"
            );
            match sqlx::query(sql).bind(&id).fetch_optional(&mut **tx).await? {
                Some(r) => {
                    let c = rows::component(&r)?;
                    Some((EntityState::from(&c), to_json(&c)?))
                }
                None => None,
            }
        }
    })
}

/// Writes `state` as the entity's next local version (inserting it when new), with a
/// revision of `change`. Returns (id, course, the version it was made on, the new data).
async fn write_local(
    tx: &mut Transaction<'static, Sqlite>,
    id: Uuid,
    state: &EntityState,
    change: ChangeKind,
) -> Result<(Uuid, Uuid, Option<i64>, Value)> {
    let course = course_of(tx, state, id).await?.ok_or_else(|| {
        StoreError::Invalid(format!(
            "the place of {} {id} is not in the library",
            state.kind().as_str()
        ))
    })?;
    let previous = version_and_birth(tx, state.kind(), id).await?;
    let at = now();
    let local = Local {
        id,
        created_at: previous.map_or(at, |p| p.1),
        updated_at: at,
        version: previous.map_or(1, |p| p.0 + 1),
    };
    let mode = if previous.is_some() {
        Write::Update
    } else {
        Write::Insert
    };
    let data = match state {
        EntityState::Course(f) => {
            let c = f.to_course(local);
            write::write_course(tx, &c, mode).await?;
            to_json(&c)?
        }
        EntityState::Lesson(f) => {
            let l = f.to_lesson(local);
            write::write_lesson(tx, &l, mode).await?;
            to_json(&l)?
        }
        EntityState::Slide(f) => {
            let s = f.to_slide(local);
            write::write_slide(tx, &s, mode).await?;
            to_json(&s)?
        }
        EntityState::Component(f) => {
            let c = f.to_component(local);
            write::write_component(tx, &c, mode).await?;
            to_json(&c)?
        }
    };
    write::record_revision(
        tx,
        entity_of(state.kind()),
        id,
        local.version,
        change.into(),
        &data,
    )
    .await?;
    Ok((id, course, previous.map(|p| p.0), data))
}

fn to_json(v: &impl Serialize) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| StoreError::Invalid(format!("cannot encode a state: {e}")))
}

/// Deletes an entity here (its children with it) as an edit to push: an outbox row with
/// its last state.
async fn delete_local(
    tx: &mut Transaction<'static, Sqlite>,
    kind: EntityKind,
    id: Uuid,
    resolves: &[Uuid],
) -> Result<()> {
    let Some((typed, data)) = current_state(tx, kind, id).await? else {
        return Ok(());
    };
    let course = course_of(tx, &typed, id).await?;
    let version = local_version(tx, kind, id).await?;
    delete_row(tx, kind, id).await?;
    write::insert_outbox(
        tx,
        entity_of(kind),
        id,
        course,
        "delete",
        version,
        &data,
        now(),
        resolves,
    )
    .await?;
    Ok(())
}

/// The entity's local version and creation time, when it is in the library.
async fn version_and_birth(
    tx: &mut Transaction<'static, Sqlite>,
    kind: EntityKind,
    id: Uuid,
) -> Result<Option<(i64, DateTime<Utc>)>> {
    let sql = match kind {
        EntityKind::Course => "SELECT version, created_at FROM courses WHERE id = ?",
        EntityKind::Lesson => "SELECT version, created_at FROM lessons WHERE id = ?",
        EntityKind::Slide => "SELECT version, created_at FROM slides WHERE id = ?",
        EntityKind::Component => "SELECT version, created_at FROM components WHERE id = ?",
    };
    sqlx::query(sql)
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| Ok((r.try_get("version")?, r.try_get("created_at")?)))
        .transpose()
}

async fn local_version(
    tx: &mut Transaction<'static, Sqlite>,
    kind: EntityKind,
    id: Uuid,
) -> Result<Option<i64>> {
    Ok(version_and_birth(tx, kind, id).await?.map(|(v, _)| v))
}

async fn delete_row(
    tx: &mut Transaction<'static, Sqlite>,
    kind: EntityKind,
    id: Uuid,
) -> Result<()> {
    let sql = match kind {
        EntityKind::Course => "DELETE FROM courses WHERE id = ?",
        EntityKind::Lesson => "DELETE FROM lessons WHERE id = ?",
        EntityKind::Slide => "DELETE FROM slides WHERE id = ?",
        EntityKind::Component => "DELETE FROM components WHERE id = ?",
    };
    sqlx::query(sql)
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Takes the server's deletion of an entity (no outbox row: the server has it): deleted here
/// with its children; a deleted course is only unlinked (the copy here stays).
async fn apply_deletion(
    tx: &mut Transaction<'static, Sqlite>,
    course: Uuid,
    record: &EntityRecord,
) -> Result<()> {
    let current = current_state(tx, record.kind, record.id).await?;
    match (record.kind, current) {
        (EntityKind::Course, _) => {
            sqlx::query("DELETE FROM team_courses WHERE course_id = ?")
                .bind(course.to_string())
                .execute(&mut **tx)
                .await?;
        }
        (_, Some((_, state))) => {
            let version = local_version(tx, record.kind, record.id)
                .await?
                .unwrap_or(0)
                + 1;
            delete_row(tx, record.kind, record.id).await?;
            write::record_revision(
                tx,
                entity_of(record.kind),
                record.id,
                version,
                ChangeKind::Synced.into(),
                &state,
            )
            .await?;
        }
        (_, None) => {}
    }
    Ok(())
}
