//! Taking the team server's states into the library: the answers to a push and the pages of
//! a pull, up to a thousand entities in one transaction.
//!
//! Entity by entity the rules are the same as for one: a state the library already holds is
//! left alone, an entity whose parent is not here waits, anything else is written as its next
//! local version with a revision "synced from the team". What changes is how many statements
//! that takes (see `bulk.rs`): the rows the states are compared with and the parents they
//! need are read for the whole page first, and new rows, revisions and server versions are
//! written many to a statement, in the order the one-at-a-time path would write them.
//! Anything the batch cannot answer from what it read (a deletion, whose children go with
//! it; an entity it did not read ahead) first writes out what waits, then reads the library.

use super::{apply_deletion, entity_of, keep_conflict, to_json};
use crate::bulk::{self, NewRevision, ROWS_PER_STATEMENT};
use crate::error::Result;
use crate::rows::{self, parse_id};
use crate::write::{self, Entity, Write};
use crate::{Store, now};
use chrono::{DateTime, Utc};
use classkit_model::{ChangeKind, LearningComponent, Lesson, Slide};
use classkit_sync::state::Local;
use classkit_sync::{
    ComponentFields, EntityKind, EntityRecord, EntityState, MutationResult, PullPage,
};
use sqlx::{Sqlite, Transaction};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

impl Store {
    /// The server answered these outbox rows: they leave the outbox, and each entity takes
    /// the server's state where no later edit of it waits; conflicts are kept. One
    /// transaction, so a crash leaves the rows to be pushed again (and applied once).
    pub async fn team_acknowledge(
        &self,
        course: Uuid,
        acked: Vec<(i64, MutationResult)>,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let seqs: Vec<i64> = acked.iter().map(|(seq, _)| *seq).collect();
        let seq_list = bulk::json_list(&seqs);
        let answered_rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT seq, entity_id FROM outbox WHERE seq IN (SELECT value FROM json_each(?))",
        )
        .bind(&seq_list)
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM outbox WHERE seq IN (SELECT value FROM json_each(?))")
            .bind(&seq_list)
            .execute(&mut *tx)
            .await?;
        // An answer is taken when no edit of its entity waits once its own row is gone: none
        // left in the outbox, and none acknowledged after it in this batch.
        let entity_of_row: HashMap<i64, String> = answered_rows.into_iter().collect();
        let mut last_row: HashMap<&str, usize> = HashMap::new();
        for (i, (seq, _)) in acked.iter().enumerate() {
            if let Some(entity) = entity_of_row.get(seq) {
                last_row.insert(entity, i);
            }
        }
        let answered: Vec<String> = acked
            .iter()
            .filter_map(|(_, r)| r.entity.as_ref().map(|e| e.id.to_string()))
            .collect();
        let still_waiting = waiting_in_outbox(&mut tx, &answered).await?;
        let taken: Vec<bool> = acked
            .iter()
            .enumerate()
            .map(|(i, (_, r))| {
                r.entity.as_ref().is_some_and(|e| {
                    let id = e.id.to_string();
                    !still_waiting.contains(&id)
                        && last_row.get(id.as_str()).is_none_or(|last| *last <= i)
                })
            })
            .collect();

        let mut batch = Batch::new(&mut tx, course);
        batch
            .read_ahead(
                acked
                    .iter()
                    .zip(&taken)
                    .filter(|(_, taken)| **taken)
                    .filter_map(|((_, r), _)| r.entity.as_ref()),
            )
            .await?;
        for ((_, result), taken) in acked.iter().zip(&taken) {
            for c in &result.conflicts {
                keep_conflict(batch.tx, c).await?;
            }
            if let Some(entity) = &result.entity {
                if *taken {
                    batch.apply(entity).await?;
                }
                batch.server_version(entity.id, entity.version);
            }
        }
        batch.finish().await?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies a pulled page and moves the cursor, in one transaction. An entity with edits
    /// waiting in the outbox, or whose server version here is as new, is left as it is.
    pub async fn team_apply(&self, course: Uuid, page: &PullPage) -> Result<()> {
        let mut tx = self.write().await?;
        let ids: Vec<String> = page.changes.iter().map(|r| r.id.to_string()).collect();
        let waiting = waiting_in_outbox(&mut tx, &ids).await?;
        let known: Vec<(String, i64)> = sqlx::query_as(
            "SELECT entity_id, version FROM server_versions \
             WHERE entity_id IN (SELECT value FROM json_each(?))",
        )
        .bind(bulk::json_list(&ids))
        .fetch_all(&mut *tx)
        .await?;
        let mut known: HashMap<String, i64> = known.into_iter().collect();
        let is_new = |known: &HashMap<String, i64>, id: &String, record: &EntityRecord| {
            !waiting.contains(id) && known.get(id).is_none_or(|v| *v < record.version)
        };

        let mut batch = Batch::new(&mut tx, course);
        batch
            .read_ahead(
                page.changes
                    .iter()
                    .zip(&ids)
                    .filter(|(r, id)| is_new(&known, id, r))
                    .map(|(r, _)| r),
            )
            .await?;
        for (record, id) in page.changes.iter().zip(&ids) {
            if !is_new(&known, id, record) {
                continue;
            }
            batch.apply(record).await?;
            batch.server_version(record.id, record.version);
            let seen = known.entry(id.clone()).or_insert(record.version);
            *seen = (*seen).max(record.version);
        }
        batch.finish().await?;
        for c in &page.conflicts {
            keep_conflict(&mut tx, c).await?;
        }
        // What the team's workers made: each slide's take of a kind replaces the one here.
        let mut takes: Vec<(Uuid, &str)> = page
            .generated
            .iter()
            .map(|g| (g.target_id, g.kind.as_str()))
            .collect();
        takes.dedup();
        for (target, kind) in takes {
            crate::generated::replace_generated(
                &mut tx,
                target,
                kind,
                page.generated
                    .iter()
                    .filter(|g| g.target_id == target && g.kind == kind),
            )
            .await?;
            // The server's own: nothing to send back.
            sqlx::query("UPDATE generated SET pushed = 1 WHERE target_id = ? AND kind = ?")
                .bind(target.to_string())
                .bind(kind)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE team_courses SET cursor = ? WHERE course_id = ?")
            .bind(page.next)
            .bind(course.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Which of these entities (ids as text) have edits waiting in the outbox.
async fn waiting_in_outbox(
    tx: &mut Transaction<'static, Sqlite>,
    ids: &[String],
) -> Result<HashSet<String>> {
    let waiting: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT entity_id FROM outbox WHERE entity_id IN (SELECT value FROM json_each(?))",
    )
    .bind(bulk::json_list(ids))
    .fetch_all(&mut **tx)
    .await?;
    Ok(waiting.into_iter().collect())
}

/// An entity as the library holds it, as far as taking a server state needs.
struct Held {
    state: EntityState,
    version: i64,
    created_at: DateTime<Utc>,
}

/// The entities of one kind among `ids` that are in the library. (A lesson's or slide's
/// position is no part of its synced state, so it is not counted here.)
async fn read_held(
    tx: &mut Transaction<'static, Sqlite>,
    kind: EntityKind,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Held>> {
    let list: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    let sql = match kind {
        EntityKind::Course => concat!(
            "SELECT ",
            course_columns!(),
            " FROM courses WHERE id IN (SELECT value FROM json_each(?))"
        ),
        EntityKind::Lesson => {
            "SELECT id, course_id, order_key, 0 AS position, title, created_at, updated_at, \
             version FROM lessons WHERE id IN (SELECT value FROM json_each(?))"
        }
        EntityKind::Slide => {
            "SELECT id, lesson_id, order_key, 0 AS position, title, body, speaker_notes, \
             instructor_notes, layout, image_sha256, narration_sha256, created_at, updated_at, \
             version FROM slides WHERE id IN (SELECT value FROM json_each(?))"
        }
        EntityKind::Component => concat!(
            "SELECT ",
            component_columns!(),
            " FROM components WHERE id IN (SELECT value FROM json_each(?))"
        ),
    };
    let found = sqlx::query(sql)
        .bind(bulk::json_list(&list))
        .fetch_all(&mut **tx)
        .await?;
    let mut out = HashMap::with_capacity(found.len());
    for row in &found {
        let (id, held) = match kind {
            EntityKind::Course => {
                let c = rows::course(row)?;
                (c.id, held(EntityState::from(&c), c.version, c.created_at))
            }
            EntityKind::Lesson => {
                let l = rows::lesson(row)?;
                (l.id, held(EntityState::from(&l), l.version, l.created_at))
            }
            EntityKind::Slide => {
                let s = rows::slide(row)?;
                (s.id, held(EntityState::from(&s), s.version, s.created_at))
            }
            EntityKind::Component => {
                let c = rows::component(row)?;
                let (id, version, created_at) = (c.id, c.version, c.created_at);
                let state = EntityState::Component(ComponentFields {
                    slide_id: c.slide_id,
                    component_type: c.component_type,
                    status: c.status,
                    payload: c.payload,
                });
                (id, held(state, version, created_at))
            }
        };
        out.insert(id, held);
    }
    Ok(out)
}

fn held(state: EntityState, version: i64, created_at: DateTime<Utc>) -> Held {
    Held {
        state,
        version,
        created_at,
    }
}

/// A row write waiting to go out with others.
enum RowWrite {
    Lesson(Lesson, Write),
    Slide(Slide, Write),
    Component(LearningComponent, Write),
}

impl RowWrite {
    /// Inserts into one table go out together; an update goes on its own.
    fn joins(&self, first: &RowWrite) -> bool {
        matches!(
            (self, first),
            (
                Self::Lesson(_, Write::Insert),
                Self::Lesson(_, Write::Insert)
            ) | (Self::Slide(_, Write::Insert), Self::Slide(_, Write::Insert))
                | (
                    Self::Component(_, Write::Insert),
                    Self::Component(_, Write::Insert)
                )
        )
    }

    /// Writes the row on its own, as a save of one entity does.
    async fn write_one(&self, tx: &mut Transaction<'static, Sqlite>) -> Result<()> {
        match self {
            Self::Lesson(l, mode) => write::write_lesson(tx, l, *mode).await,
            Self::Slide(s, mode) => write::write_slide(tx, s, *mode).await,
            Self::Component(c, mode) => write::write_component(tx, c, *mode).await,
        }
    }
}

/// Inserts a run of new rows of one table in one statement. When a row breaks a rule of
/// its text, or the statement fails (and so wrote nothing), the rows are written one by one
/// instead, so the error is the one a save of that row alone gives, after the rows before it.
async fn insert_run(tx: &mut Transaction<'static, Sqlite>, run: &[RowWrite]) -> Result<()> {
    let lessons: Vec<&Lesson> = run
        .iter()
        .filter_map(|r| match r {
            RowWrite::Lesson(l, _) => Some(l),
            _ => None,
        })
        .collect();
    let slides: Vec<&Slide> = run
        .iter()
        .filter_map(|r| match r {
            RowWrite::Slide(s, _) => Some(s),
            _ => None,
        })
        .collect();
    let components: Vec<(&LearningComponent, String)> = run
        .iter()
        .filter_map(|r| match r {
            RowWrite::Component(c, _) => serde_json::to_string(&c.payload).ok().map(|p| (c, p)),
            _ => None,
        })
        .collect();
    let written = if lessons.len() == run.len()
        && lessons
            .iter()
            .all(|l| classkit_model::fields::lesson_issues(l).is_empty())
    {
        bulk::insert_lessons(tx, &lessons).await.is_ok()
    } else if slides.len() == run.len()
        && slides
            .iter()
            .all(|s| classkit_model::fields::slide_issues(s).is_empty())
    {
        bulk::insert_slides(tx, &slides).await.is_ok()
    } else if components.len() == run.len() {
        bulk::insert_components(tx, &components).await.is_ok()
    } else {
        false
    };
    if !written {
        for row in run {
            row.write_one(tx).await?;
        }
    }
    Ok(())
}

/// One batch of server states being taken, inside the caller's transaction.
struct Batch<'t> {
    tx: &'t mut Transaction<'static, Sqlite>,
    course: Uuid,
    /// Entities read ahead, by kind and id; `None`: not in the library.
    held: HashMap<(EntityKind, Uuid), Option<Held>>,
    /// The course of each lesson read or written (`None`: the lesson is not here).
    lesson_course: HashMap<Uuid, Option<Uuid>>,
    /// The course of each slide read or written, through its lesson.
    slide_course: HashMap<Uuid, Option<Uuid>>,
    /// Rows, revisions and server versions to write, in order.
    rows: Vec<RowWrite>,
    revisions: Vec<NewRevision>,
    server_versions: Vec<(Uuid, i64)>,
}

impl<'t> Batch<'t> {
    fn new(tx: &'t mut Transaction<'static, Sqlite>, course: Uuid) -> Self {
        Self {
            tx,
            course,
            held: HashMap::new(),
            lesson_course: HashMap::new(),
            slide_course: HashMap::new(),
            rows: Vec::new(),
            revisions: Vec::new(),
            server_versions: Vec::new(),
        }
    }

    /// Reads the entities these states are for and the parents they name, a query per
    /// table. (Deletions read the library when they come.)
    async fn read_ahead<'r>(
        &mut self,
        records: impl Iterator<Item = &'r EntityRecord>,
    ) -> Result<()> {
        let mut wanted: HashMap<EntityKind, Vec<Uuid>> = HashMap::new();
        let mut lessons: Vec<String> = Vec::new();
        let mut slides: Vec<String> = Vec::new();
        for r in records.filter(|r| !r.deleted) {
            wanted.entry(r.kind).or_default().push(r.id);
            match &r.state {
                EntityState::Slide(f) => lessons.push(f.lesson_id.to_string()),
                EntityState::Component(f) => slides.push(f.slide_id.to_string()),
                _ => {}
            }
        }
        for (kind, ids) in wanted {
            let mut found = read_held(self.tx, kind, &ids).await?;
            for id in ids {
                let held = found.remove(&id);
                self.held.insert((kind, id), held);
            }
        }
        if !lessons.is_empty() {
            let found: Vec<(String, String)> = sqlx::query_as(
                "SELECT id, course_id FROM lessons WHERE id IN (SELECT value FROM json_each(?))",
            )
            .bind(bulk::json_list(&lessons))
            .fetch_all(&mut **self.tx)
            .await?;
            note_courses(&mut self.lesson_course, &lessons, found)?;
        }
        if !slides.is_empty() {
            let found: Vec<(String, String)> = sqlx::query_as(
                "SELECT s.id, l.course_id FROM slides s JOIN lessons l ON l.id = s.lesson_id \
                 WHERE s.id IN (SELECT value FROM json_each(?))",
            )
            .bind(bulk::json_list(&slides))
            .fetch_all(&mut **self.tx)
            .await?;
            note_courses(&mut self.slide_course, &slides, found)?;
        }
        Ok(())
    }

    /// The entity as the library holds it now, read when it was not read ahead.
    async fn held(&mut self, kind: EntityKind, id: Uuid) -> Result<Option<&Held>> {
        if !self.held.contains_key(&(kind, id)) {
            self.flush().await?;
            let found = read_held(self.tx, kind, &[id]).await?.remove(&id);
            self.held.insert((kind, id), found);
        }
        Ok(self.held.get(&(kind, id)).and_then(Option::as_ref))
    }

    /// The course a state belongs to, from its parent (none when the parent is not here),
    /// as `write::course_of_state` finds it.
    async fn course_of(&mut self, state: &EntityState, id: Uuid) -> Result<Option<Uuid>> {
        let (cache, parent, entity) = match state {
            EntityState::Course(_) => return Ok(Some(id)),
            EntityState::Lesson(f) => return Ok(Some(f.course_id)),
            EntityState::Slide(f) => (&self.lesson_course, f.lesson_id, Entity::Slide),
            EntityState::Component(f) => (&self.slide_course, f.slide_id, Entity::Component),
        };
        if let Some(course) = cache.get(&parent) {
            return Ok(*course);
        }
        self.flush().await?;
        let course = write::course_of_state(self.tx, entity, id, &state.fields_json()).await?;
        match entity {
            Entity::Slide => self.lesson_course.insert(parent, course),
            _ => self.slide_course.insert(parent, course),
        };
        Ok(course)
    }

    /// Takes the server's state of an entity (no outbox row: the server has it). A deleted
    /// entity is deleted here with its children; a deleted course is only unlinked. An
    /// entity whose parent is not here (deleted here, or never pulled) waits.
    async fn apply(&mut self, record: &EntityRecord) -> Result<()> {
        if record.deleted {
            self.flush().await?;
            apply_deletion(self.tx, self.course, record).await?;
            // Its children went with it: what was read ahead may be gone.
            self.held.clear();
            self.lesson_course.clear();
            self.slide_course.clear();
            return Ok(());
        }
        let current = self.held(record.kind, record.id).await?;
        if current.is_some_and(|held| held.state == record.state) {
            return Ok(());
        }
        let Some(course) = self.course_of(&record.state, record.id).await? else {
            tracing::warn!(kind = record.kind.as_str(), id = %record.id, "a pulled entity's parent is not in the library; left out");
            return Ok(());
        };
        self.write(record.id, &record.state, course).await?;
        self.held.remove(&(record.kind, record.id));
        Ok(())
    }

    /// Writes `state` as the entity's next local version (inserting it when new), with a
    /// revision "synced from the team", as `super::write_local` does.
    async fn write(&mut self, id: Uuid, state: &EntityState, course: Uuid) -> Result<()> {
        let kind = state.kind();
        let previous = self
            .held(kind, id)
            .await?
            .map(|held| (held.version, held.created_at));
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
                self.flush().await?;
                write::write_course(self.tx, &c, mode).await?;
                to_json(&c)?
            }
            EntityState::Lesson(f) => {
                let l = f.to_lesson(local);
                let data = to_json(&l)?;
                self.lesson_course.insert(id, Some(l.course_id));
                if mode == Write::Update {
                    // Its slides may have moved to another course with it.
                    self.slide_course.clear();
                }
                self.rows.push(RowWrite::Lesson(l, mode));
                data
            }
            EntityState::Slide(f) => {
                let s = f.to_slide(local);
                let data = to_json(&s)?;
                self.slide_course.insert(id, Some(course));
                self.rows.push(RowWrite::Slide(s, mode));
                data
            }
            EntityState::Component(f) => {
                let c = f.to_component(local);
                let data = to_json(&c)?;
                self.rows.push(RowWrite::Component(c, mode));
                data
            }
        };
        let entity = entity_of(kind);
        self.revisions.push(NewRevision {
            entity,
            id,
            version: local.version,
            change: ChangeKind::Synced,
            data: bulk::json_text(entity, &data)?,
            at: now(),
        });
        // Read again if it comes again in this batch, as the library then holds it.
        self.held.remove(&(kind, id));
        Ok(())
    }

    /// Records the server version an entity was seen at.
    fn server_version(&mut self, id: Uuid, version: i64) {
        self.server_versions.push((id, version));
    }

    /// Writes out what waits: rows (runs of inserts into one table together), then
    /// revisions and server versions, each in order.
    async fn flush(&mut self) -> Result<()> {
        let rows = std::mem::take(&mut self.rows);
        let mut rest = rows.as_slice();
        while let Some(first) = rest.first() {
            let run = rest
                .iter()
                .take(ROWS_PER_STATEMENT)
                .take_while(|r| r.joins(first))
                .count();
            if run == 0 {
                first.write_one(self.tx).await?;
                rest = &rest[1..];
            } else {
                insert_run(self.tx, &rest[..run]).await?;
                rest = &rest[run..];
            }
        }
        let revisions = std::mem::take(&mut self.revisions);
        bulk::insert_revisions(self.tx, &revisions).await?;
        let versions = std::mem::take(&mut self.server_versions);
        bulk::upsert_server_versions(self.tx, &versions).await?;
        Ok(())
    }

    /// Writes out what waits; the batch is done.
    async fn finish(mut self) -> Result<()> {
        self.flush().await
    }
}

/// Notes the course of each of `asked` (ids as text): the one `found` gives, or none.
fn note_courses(
    cache: &mut HashMap<Uuid, Option<Uuid>>,
    asked: &[String],
    found: Vec<(String, String)>,
) -> Result<()> {
    let found: HashMap<String, String> = found.into_iter().collect();
    for id in asked {
        let course = found.get(id).map(|c| parse_id(c)).transpose()?;
        cache.insert(parse_id(id)?, course);
    }
    Ok(())
}
