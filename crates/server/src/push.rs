//! Applying a push: each mutation merged field by field over what the server holds, in one
//! transaction for the whole push (all of it is stored, or none of it).
//!
//! The course's row is locked for the transaction, so pushes to one course (from any server
//! process) take change-log numbers one after another and become visible in that order; a
//! pull by cursor therefore never skips a change. Pushes to different courses do not wait
//! for each other. Everything a push writes goes in one statement per table.

use crate::auth::Caller;
use crate::entities::{self, Stored};
use crate::error::{ApiFailure, ApiResult};
use crate::validate::{self, Refused};
use chrono::{DateTime, SubsecRound, Utc};
use classkit_model::{ComponentStatus, ErrorCode, ValidationIssue, asset_references};
use classkit_sync::merge::{self, Conflict};
use classkit_sync::{
    ConflictRecord, EntityKind, EntityState, MAX_PUSH, Mutation, MutationResult, ORDER_WAIT_SECS,
    Outcome, PushRequest, PushResponse, Role,
};
use serde_json::{Value, json};
use sqlx::{PgPool, Postgres, Transaction};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

type Key = (EntityKind, Uuid);

/// A conflict about to be stored.
struct NewConflict {
    record: ConflictRecord,
    mine_author: Uuid,
    theirs_author: Option<Uuid>,
    mutation_id: Uuid,
}

/// A revision about to be stored.
struct NewRevision {
    seq: i64,
    kind: EntityKind,
    id: Uuid,
    version: i64,
    deleted: bool,
    /// Its state once a later version supersedes it in the same push; none while it is the
    /// entity's current version (stored as NULL: the entity's row holds that state).
    state: Option<EntityState>,
    mutation_id: Uuid,
}

/// What a push is about to write, built in memory first.
struct Plan<'a> {
    course: Uuid,
    caller: &'a Caller,
    now: DateTime<Utc>,
    seq: i64,
    entities: HashMap<Key, Stored>,
    changed: Vec<Key>,
    changed_set: HashSet<Key>,
    revisions: Vec<NewRevision>,
    /// Each changed entity's last revision, by index in `revisions`.
    last_revision: HashMap<Key, usize>,
    /// Entities stored before this push whose versions it supersedes: the state each row
    /// holds until the push is written is kept under that version's revision.
    superseded: HashMap<EntityKind, Vec<Uuid>>,
    conflicts: Vec<NewConflict>,
    resolved: Vec<(Uuid, i64)>,
    applied: Vec<(Uuid, EntityKind, Uuid, Outcome)>,
}

fn mutation_issues(index: usize, m: &Mutation, issues: &[ValidationIssue]) -> Value {
    json!({ "index": index, "mutation_id": m.mutation_id, "issues": issues })
}

fn structural(index: usize, m: &Mutation, message: String) -> Value {
    json!({ "index": index, "mutation_id": m.mutation_id, "message": message })
}

/// What checking one mutation on its own found.
enum Checked {
    Fine,
    /// It breaks a rule (`too_new`: its payload's schema is newer than this server's).
    Problem {
        detail: Value,
        too_new: bool,
    },
    /// It deletes the course and the caller is not its owner.
    Forbidden,
}

/// From this many mutations on, a push is checked on every core.
const CHECK_IN_PARALLEL_FROM: usize = 250;

/// Checks one mutation: kinds agree, states keep their rules (payloads upgraded to the current
/// schema version, the state normalized; the base only where it is needed, see
/// [`Plan::normalize_base`]), ids belong to this course.
fn check_one(course: Uuid, role: Role, index: usize, m: &mut Mutation) -> Checked {
    let problem = |detail| Checked::Problem {
        detail,
        too_new: false,
    };
    let kinds_agree = [&m.state, &m.base]
        .into_iter()
        .flatten()
        .all(|s| s.kind() == m.kind);
    if !kinds_agree {
        return problem(structural(
            index,
            m,
            format!(
                "its state and base must both be of kind {}",
                m.kind.as_str()
            ),
        ));
    }
    if m.kind == EntityKind::Course && m.entity_id != course {
        return problem(structural(
            index,
            m,
            format!("a course mutation in this push must be about course {course}"),
        ));
    }
    if m.kind == EntityKind::Course && m.state.is_none() && role < Role::Owner {
        return Checked::Forbidden;
    }
    if let Some(EntityState::Lesson(l)) = &m.state
        && l.course_id != course
    {
        return problem(structural(
            index,
            m,
            format!("the lesson's course_id must be {course}, the course pushed to"),
        ));
    }
    if let Some(Err(refused)) = m.base.as_ref().map(validate::check_form) {
        let issues: Vec<ValidationIssue> = refused
            .issues
            .into_iter()
            .map(|i| ValidationIssue {
                pointer: format!("/base{}", i.pointer),
                ..i
            })
            .collect();
        return problem(mutation_issues(index, m, &issues));
    }
    if let Some(state) = &m.state {
        match validate::check(m.entity_id, state) {
            Ok(normalized) => m.state = Some(normalized),
            Err(refused @ Refused { .. }) => {
                return Checked::Problem {
                    too_new: refused.too_new(),
                    detail: mutation_issues(index, m, &refused.issues),
                };
            }
        }
    }
    Checked::Fine
}

/// Checks a run of mutations, the first of which is at `first` in the push.
fn check_run(course: Uuid, role: Role, first: usize, run: &mut [Mutation]) -> Vec<Checked> {
    run.iter_mut()
        .enumerate()
        .map(|(i, m)| check_one(course, role, first + i, m))
        .collect()
}

/// Checks each mutation on its own, before anything is read (a large push on every core).
fn precheck(course: Uuid, role: Role, req: &mut PushRequest) -> ApiResult<()> {
    let n = req.mutations.len();
    if n > MAX_PUSH {
        return Err(ApiFailure::invalid(
            ErrorCode::InputTooLarge,
            format!("a push carries at most {MAX_PUSH} mutations; this one has {n}"),
        ));
    }
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let checked: Vec<Checked> = if n < CHECK_IN_PARALLEL_FROM || threads < 2 {
        check_run(course, role, 0, &mut req.mutations)
    } else {
        let size = n.div_ceil(threads);
        std::thread::scope(|scope| {
            let runs: Vec<_> = req
                .mutations
                .chunks_mut(size)
                .enumerate()
                .map(|(k, run)| scope.spawn(move || check_run(course, role, k * size, run)))
                .collect();
            runs.into_iter()
                .flat_map(|run| run.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    let mut problems = Vec::new();
    let mut too_new = false;
    for c in checked {
        match c {
            Checked::Fine => {}
            Checked::Forbidden => {
                return Err(ApiFailure::forbidden(
                    "only an owner of the course can delete it for everyone",
                ));
            }
            Checked::Problem { detail, too_new: t } => {
                too_new |= t;
                problems.push(detail);
            }
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let (code, message) = if too_new {
        (
            ErrorCode::SchemaVersionUnsupported,
            "the push holds a payload written by a newer ClassKit Studio than this server; update the server",
        )
    } else {
        (
            ErrorCode::ValidationFailed,
            "some mutations break the rules; nothing of this push was stored",
        )
    };
    Err(ApiFailure::invalid(code, message).with_details(json!({ "mutations": problems })))
}

/// Locks the course for a push and returns its change-log position; with `after`, only once
/// that mutation is applied (waiting without holding the lock or a connection meanwhile).
async fn lock_course(
    pool: &PgPool,
    course: Uuid,
    after: Option<Uuid>,
) -> ApiResult<(Transaction<'static, Postgres>, i64)> {
    let started = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(2);
    loop {
        let mut tx = pool.begin().await?;
        let seq = sqlx::query_scalar!(
            "SELECT last_seq FROM courses WHERE id = $1 FOR UPDATE",
            course
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiFailure::no_course(course))?;
        let Some(after) = after else {
            return Ok((tx, seq));
        };
        let applied = sqlx::query_scalar!(
            "SELECT EXISTS (SELECT 1 FROM applied_mutations
                            WHERE mutation_id = $1 AND course_id = $2)",
            after,
            course
        )
        .fetch_one(&mut *tx)
        .await?
        .unwrap_or(false);
        if applied {
            return Ok((tx, seq));
        }
        tx.rollback().await?;
        if started.elapsed() >= std::time::Duration::from_secs(ORDER_WAIT_SECS) {
            return Err(ApiFailure::new(
                axum::http::StatusCode::CONFLICT,
                ErrorCode::WrongState,
                format!(
                    "this push follows mutation {after}, which has not reached the server; \
                     nothing of it was stored: push from the first waiting edit again"
                ),
            ));
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(std::time::Duration::from_millis(50));
    }
}

/// Applies a push to `course` for `caller`, whose role there is `role`; with
/// `after_mutation`, only once that mutation is applied (see [`classkit_sync::PushQuery`]).
pub async fn push(
    pool: &PgPool,
    caller: &Caller,
    role: Role,
    course: Uuid,
    mut req: PushRequest,
    after_mutation: Option<Uuid>,
) -> ApiResult<PushResponse> {
    // Validation is the push's own work before any database access; a large push's is
    // done off the async threads (and on every core).
    if req.mutations.len() < CHECK_IN_PARALLEL_FROM {
        precheck(course, role, &mut req)?;
    } else {
        req = tokio::task::spawn_blocking(move || precheck(course, role, &mut req).map(|()| req))
            .await
            .map_err(ApiFailure::internal)??;
    }
    let (mut tx, seq) = lock_course(pool, course, after_mutation).await?;

    let ids: Vec<Uuid> = req.mutations.iter().map(|m| m.mutation_id).collect();
    let already: HashSet<Uuid> = sqlx::query_scalar!(
        "SELECT mutation_id FROM applied_mutations WHERE mutation_id = ANY($1)",
        &ids
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();

    let entities = load_touched(&mut tx, &req.mutations).await?;
    check_ownership(course, &req.mutations, &entities)?;
    check_assets(&mut tx, course, &req.mutations).await?;

    let mut plan = Plan {
        course,
        caller,
        now: Utc::now().trunc_subsecs(6),
        seq,
        entities,
        changed: Vec::new(),
        changed_set: HashSet::new(),
        revisions: Vec::new(),
        last_revision: HashMap::new(),
        superseded: HashMap::new(),
        conflicts: Vec::new(),
        resolved: Vec::new(),
        applied: Vec::new(),
    };
    let mut outcomes: Vec<(usize, Outcome, usize)> = Vec::with_capacity(req.mutations.len());
    let mut seen = HashSet::new();
    for (index, m) in req.mutations.iter_mut().enumerate() {
        let first_conflict = plan.conflicts.len();
        let outcome = if already.contains(&m.mutation_id) || !seen.insert(m.mutation_id) {
            Outcome::AlreadyApplied
        } else {
            plan.normalize_base(m);
            let revive = plan.resolve(&mut tx, m).await?;
            // The plan takes the state (nothing after it reads the mutation's).
            let state = m.state.take();
            let outcome = plan.apply(m, state, revive)?;
            plan.applied
                .push((m.mutation_id, m.kind, m.entity_id, outcome));
            outcome
        };
        outcomes.push((index, outcome, first_conflict));
    }
    plan.write(&mut tx).await?;
    tx.commit().await?;

    // Each entity answers every mutation of it; the last one takes it from the plan.
    let last_answer: HashMap<Key, usize> = outcomes
        .iter()
        .enumerate()
        .map(|(i, &(index, _, _))| {
            let m = &req.mutations[index];
            ((m.kind, m.entity_id), i)
        })
        .collect();
    let mut results = Vec::with_capacity(outcomes.len());
    for (i, &(index, outcome, first)) in outcomes.iter().enumerate() {
        let m = &req.mutations[index];
        let last = outcomes
            .get(i + 1)
            .map_or(plan.conflicts.len(), |&(_, _, next)| next);
        let conflicts = plan.conflicts[first..last]
            .iter()
            .map(|c| c.record.clone())
            .collect();
        let key = (m.kind, m.entity_id);
        let entity = if last_answer.get(&key) == Some(&i) {
            plan.entities.remove(&key).map(Stored::into_record)
        } else {
            plan.entities.get(&key).map(Stored::record)
        };
        results.push(MutationResult {
            mutation_id: m.mutation_id,
            outcome,
            entity,
            conflicts,
        });
    }
    Ok(PushResponse {
        results,
        seq: plan.seq,
    })
}

/// Every entity the push touches, and the parents its new states name.
async fn load_touched(
    tx: &mut Transaction<'static, Postgres>,
    mutations: &[Mutation],
) -> ApiResult<HashMap<Key, Stored>> {
    let mut wanted: HashMap<EntityKind, HashSet<Uuid>> = HashMap::new();
    for m in mutations {
        wanted.entry(m.kind).or_default().insert(m.entity_id);
        match &m.state {
            Some(EntityState::Slide(s)) => {
                wanted
                    .entry(EntityKind::Lesson)
                    .or_default()
                    .insert(s.lesson_id);
            }
            Some(EntityState::Component(c)) => {
                wanted
                    .entry(EntityKind::Slide)
                    .or_default()
                    .insert(c.slide_id);
            }
            _ => {}
        }
    }
    let mut out = HashMap::new();
    for (kind, ids) in wanted {
        let ids: Vec<Uuid> = ids.into_iter().collect();
        for (id, stored) in entities::load(tx, kind, &ids).await? {
            out.insert((kind, id), stored);
        }
    }
    Ok(out)
}

/// Refuses ids that belong to another course, and parents that are not in this one (or
/// made earlier in the same push).
fn check_ownership(
    course: Uuid,
    mutations: &[Mutation],
    entities: &HashMap<Key, Stored>,
) -> ApiResult<()> {
    let mut created: HashSet<Key> = HashSet::new();
    let mut problems = Vec::new();
    for (index, m) in mutations.iter().enumerate() {
        if let Some(s) = entities.get(&(m.kind, m.entity_id))
            && s.course_id != course
        {
            problems.push(structural(
                index,
                m,
                format!(
                    "{} {} is not in course {course}",
                    m.kind.as_str(),
                    m.entity_id
                ),
            ));
            continue;
        }
        let parent = match &m.state {
            Some(EntityState::Slide(s)) => Some((EntityKind::Lesson, s.lesson_id)),
            Some(EntityState::Component(c)) => Some((EntityKind::Slide, c.slide_id)),
            _ => None,
        };
        if let Some(key) = parent {
            let here =
                entities.get(&key).is_some_and(|p| p.course_id == course) || created.contains(&key);
            if !here {
                problems.push(structural(
                    index,
                    m,
                    format!(
                        "its {} {} is not in course {course} (push the {} first)",
                        key.0.as_str(),
                        key.1,
                        key.0.as_str()
                    ),
                ));
            }
        }
        if m.state.is_some() {
            created.insert((m.kind, m.entity_id));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiFailure::invalid(
            ErrorCode::InvalidInput,
            "some mutations name entities outside this course; nothing of this push was stored",
        )
        .with_details(json!({ "mutations": problems })))
    }
}

/// Refuses states that use assets not uploaded to this course: a slide's image and
/// narration, and every file a ready component refers to.
async fn check_assets(
    tx: &mut Transaction<'static, Postgres>,
    course: Uuid,
    mutations: &[Mutation],
) -> ApiResult<()> {
    let mut wanted: Vec<(usize, String, String)> = Vec::new();
    for (index, m) in mutations.iter().enumerate() {
        match &m.state {
            Some(EntityState::Slide(s)) => {
                for (at, a) in [("/image", &s.image), ("/narration", &s.narration)] {
                    if let Some(a) = a {
                        wanted.push((index, at.to_string(), a.0.clone()));
                    }
                }
            }
            Some(EntityState::Component(c)) if c.status == ComponentStatus::Ready => {
                for (pointer, a) in asset_references(&c.payload) {
                    wanted.push((index, format!("/payload{pointer}"), a.0));
                }
            }
            _ => {}
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let hashes: Vec<String> = wanted.iter().map(|(_, _, h)| h.clone()).collect();
    let present: HashSet<String> = sqlx::query_scalar!(
        "SELECT sha256 FROM course_assets WHERE course_id = $1 AND sha256 = ANY($2)",
        course,
        &hashes as &[String]
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect();
    let missing: Vec<Value> = wanted
        .iter()
        .filter(|(_, _, h)| !present.contains(h))
        .map(|(index, pointer, h)| {
            json!({ "index": index, "mutation_id": mutations[*index].mutation_id,
                    "pointer": pointer, "sha256": h })
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiFailure::invalid(
            ErrorCode::AssetMissing,
            "some states use files not uploaded to this course; upload them first (by sha256), then push again",
        )
        .with_details(json!({ "missing": missing })))
    }
}

fn fields_json(state: &EntityState) -> Value {
    state.fields_json()
}

impl Plan<'_> {
    fn next_seq(&mut self) -> i64 {
        self.seq += 1;
        self.seq
    }

    /// Normalizes the mutation's base as the server normalizes states, so that it compares
    /// with them (a base that breaks a rule is compared as sent). A base equal to the
    /// entity's state as stored (the usual case: an edit of the version last pulled) is
    /// normalized already, and is left as it is.
    fn normalize_base(&self, m: &mut Mutation) {
        let Some(base) = &m.base else {
            return;
        };
        let stored = self.entities.get(&(m.kind, m.entity_id));
        if stored.is_some_and(|s| s.state == *base) {
            return;
        }
        if let Ok(normalized) = validate::check(m.entity_id, base) {
            m.base = Some(normalized);
        }
    }

    /// Decides what one mutation does and records it in the plan. `revive`: the mutation
    /// settles an edit-against-delete conflict by keeping the edit, so a deleted entity
    /// comes back.
    /// `state` is the mutation's own.
    fn apply(
        &mut self,
        m: &Mutation,
        state: Option<EntityState>,
        revive: bool,
    ) -> ApiResult<Outcome> {
        let key = (m.kind, m.entity_id);
        let current = self.entities.get(&key).cloned();
        let Some(current) = current else {
            return Ok(match state {
                // A deletion of something the server never had: nothing to do.
                None => Outcome::Unchanged,
                Some(state) => {
                    let state = self.under_live_parent(m, state, None);
                    match state {
                        Some(state) => {
                            self.store(m, key, state, false, None);
                            Outcome::Applied
                        }
                        None => Outcome::Conflicted,
                    }
                }
            });
        };
        let base = m.base.as_ref();
        match (state, current.deleted) {
            (None, true) => Ok(Outcome::Unchanged),
            (Some(mine), true) if revive => {
                let state = self.under_live_parent(m, mine, Some(&current));
                match state {
                    Some(state) => {
                        self.store(m, key, state, false, Some(&current));
                        Ok(Outcome::Applied)
                    }
                    None => Ok(Outcome::Conflicted),
                }
            }
            (Some(mine), true) => {
                if base == Some(&mine) {
                    return Ok(Outcome::Unchanged);
                }
                // An edit against a delete: it stays deleted, the edit is kept.
                self.conflict(
                    m,
                    Some(&current),
                    Conflict {
                        path: Vec::new(),
                        base: base.map(fields_json),
                        mine: Some(fields_json(&mine)),
                        theirs: None,
                    },
                );
                Ok(Outcome::Conflicted)
            }
            (None, false) => {
                if base.is_none_or(|b| *b == current.state) {
                    let state = current.state.clone();
                    self.store(m, key, state, true, Some(&current));
                    Ok(Outcome::Applied)
                } else {
                    // A delete against an edit: the edit stays, the delete is kept.
                    self.conflict(
                        m,
                        Some(&current),
                        Conflict {
                            path: Vec::new(),
                            base: base.map(fields_json),
                            mine: None,
                            theirs: Some(fields_json(&current.state)),
                        },
                    );
                    Ok(Outcome::Conflicted)
                }
            }
            // Nobody changed it since the base: the edit is taken as it is (the three-way
            // merge would give it back unchanged).
            (Some(mine), false) if base == Some(&current.state) => {
                let Some(mine) = self.under_live_parent(m, mine, Some(&current)) else {
                    return Ok(Outcome::Conflicted);
                };
                if mine == current.state {
                    return Ok(Outcome::Unchanged);
                }
                self.store(m, key, mine, false, Some(&current));
                Ok(Outcome::Applied)
            }
            (Some(mine), false) => {
                let theirs = fields_json(&current.state);
                let mine_json = fields_json(&mine);
                let base_json = base.map(fields_json).unwrap_or_else(|| json!({}));
                let merged = merge::merge(&base_json, &mine_json, &theirs);
                let settled = EntityState::from_fields(m.kind, merged.value.clone())
                    .ok()
                    .and_then(|s| validate::settle_merged(m.entity_id, s));
                let Some(settled) = settled else {
                    // The merge made something that is not a state of this kind: the
                    // server's stays, the whole edit is kept.
                    self.conflict(
                        m,
                        Some(&current),
                        Conflict {
                            path: Vec::new(),
                            base: base.map(fields_json),
                            mine: Some(mine_json),
                            theirs: Some(theirs),
                        },
                    );
                    return Ok(Outcome::Conflicted);
                };
                let had_conflicts = !merged.conflicts.is_empty();
                for c in merged.conflicts {
                    self.conflict(m, Some(&current), c);
                }
                let settled = self.under_live_parent(m, settled, Some(&current));
                let Some(settled) = settled else {
                    return Ok(Outcome::Conflicted);
                };
                if settled == current.state {
                    return Ok(if had_conflicts {
                        Outcome::Conflicted
                    } else {
                        Outcome::Unchanged
                    });
                }
                let exact = settled == mine;
                self.store(m, key, settled, false, Some(&current));
                Ok(match (had_conflicts, exact) {
                    (true, _) => Outcome::Conflicted,
                    (false, true) => Outcome::Applied,
                    (false, false) => Outcome::Merged,
                })
            }
        }
    }

    /// A new state whose parent (a slide's lesson, a component's slide) was deleted is an
    /// edit against a delete: the entity is not put there, the edit is kept as a conflict.
    /// Returns the state to store, or `None` when it became a conflict.
    fn under_live_parent(
        &mut self,
        m: &Mutation,
        state: EntityState,
        current: Option<&Stored>,
    ) -> Option<EntityState> {
        let parent = match &state {
            EntityState::Slide(s) => (EntityKind::Lesson, s.lesson_id),
            EntityState::Component(c) => (EntityKind::Slide, c.slide_id),
            _ => return Some(state),
        };
        let deleted = self.entities.get(&parent).is_some_and(|p| p.deleted);
        if !deleted {
            return Some(state);
        }
        let c = Conflict {
            path: Vec::new(),
            base: m.base.as_ref().map(fields_json),
            mine: Some(fields_json(&state)),
            theirs: current.map(|c| fields_json(&c.state)),
        };
        self.conflict(m, current, c);
        None
    }

    /// Records a new version of an entity (or its tombstone).
    fn store(
        &mut self,
        m: &Mutation,
        key: Key,
        state: EntityState,
        deleted: bool,
        current: Option<&Stored>,
    ) {
        let seq = self.next_seq();
        let stored = Stored {
            id: m.entity_id,
            course_id: self.course,
            version: current.map_or(1, |c| c.version + 1),
            deleted,
            change_seq: seq,
            state,
            created_at: current.map_or(self.now, |c| c.created_at),
            updated_at: self.now,
            updated_by: Some(self.caller.user_id),
            updated_by_email: Some(self.caller.email.clone()),
        };
        self.revisions.push(NewRevision {
            seq,
            kind: m.kind,
            id: m.entity_id,
            version: stored.version,
            deleted,
            state: None,
            mutation_id: m.mutation_id,
        });
        if self.changed_set.insert(key) {
            self.changed.push(key);
        }
        let before = self.entities.insert(key, stored);
        // The state before is no longer the entity's: its revision keeps it.
        if let Some(previous) = self.last_revision.insert(key, self.revisions.len() - 1) {
            self.revisions[previous].state = before.map(|s| s.state);
        } else if before.is_some() {
            self.superseded.entry(key.0).or_default().push(key.1);
        }
    }

    /// Records a conflict: `current` (when there is one) stayed, the mutation's value is kept.
    fn conflict(&mut self, m: &Mutation, current: Option<&Stored>, c: Conflict) {
        let seq = self.next_seq();
        let theirs_author = current.and_then(|s| s.updated_by);
        let theirs_email = current.and_then(|s| s.updated_by_email.clone());
        let pointer = current
            .and_then(|s| merge::pointer(&fields_json(&s.state), &c.path))
            .unwrap_or_default();
        let record = ConflictRecord {
            id: Uuid::now_v7(),
            course_id: self.course,
            kind: m.kind,
            entity_id: m.entity_id,
            path: c.path,
            pointer,
            base: c.base,
            mine: c.mine,
            theirs: c.theirs,
            mine_author: Some(self.caller.email.clone()),
            mine_at: m.made_at.trunc_subsecs(6).min(self.now),
            theirs_author: theirs_email,
            created_at: self.now,
            resolved_at: None,
            resolved_by: None,
            seq,
        };
        self.conflicts.push(NewConflict {
            record,
            mine_author: self.caller.user_id,
            theirs_author,
            mutation_id: m.mutation_id,
        });
    }

    /// Marks the conflicts a mutation settles, when they are open conflicts of its entity.
    /// Returns whether one of them is about the whole entity (an edit against a delete).
    async fn resolve(
        &mut self,
        tx: &mut Transaction<'static, Postgres>,
        m: &Mutation,
    ) -> ApiResult<bool> {
        if m.resolves.is_empty() {
            return Ok(false);
        }
        let open = sqlx::query!(
            r#"SELECT id, path = '[]'::jsonb AS "whole!" FROM conflicts
               WHERE id = ANY($1) AND course_id = $2 AND entity_id = $3 AND resolved_at IS NULL"#,
            &m.resolves,
            self.course,
            m.entity_id
        )
        .fetch_all(&mut **tx)
        .await?;
        let mut whole = false;
        for row in open {
            whole |= row.whole;
            if !self.resolved.iter().any(|(r, _)| *r == row.id) {
                let seq = self.next_seq();
                self.resolved.push((row.id, seq));
            }
        }
        Ok(whole)
    }

    /// Writes the whole plan: entities, revisions, conflicts, resolutions, applied ids, and
    /// the course's change-log position.
    async fn write(&self, tx: &mut Transaction<'static, Postgres>) -> ApiResult<()> {
        let finals: Vec<&Stored> = self
            .changed
            .iter()
            .filter_map(|k| self.entities.get(k))
            .collect();
        // Before the rows take their new versions.
        for (kind, ids) in &self.superseded {
            entities::keep_superseded(tx, self.course, *kind, ids).await?;
        }
        entities::write_all(tx, &finals).await?;
        if !self.revisions.is_empty() {
            let r = &self.revisions;
            let seqs: Vec<i64> = r.iter().map(|x| x.seq).collect();
            let kinds: Vec<String> = r.iter().map(|x| x.kind.as_str().to_string()).collect();
            let ids: Vec<Uuid> = r.iter().map(|x| x.id).collect();
            let versions: Vec<i64> = r.iter().map(|x| x.version).collect();
            let deleted: Vec<bool> = r.iter().map(|x| x.deleted).collect();
            // JSON null stands for NULL in the array: the entity's current version.
            let states: Vec<sqlx::types::Json<Option<&EntityState>>> = r
                .iter()
                .map(|x| sqlx::types::Json(x.state.as_ref()))
                .collect();
            let mutations: Vec<Uuid> = r.iter().map(|x| x.mutation_id).collect();
            sqlx::query!(
                "INSERT INTO revisions (course_id, seq, entity_kind, entity_id, version, deleted,
                                        state, mutation_id, author, created_at)
                 SELECT $1, seq, kind, id, version, deleted, NULLIF(state, 'null'::jsonb),
                        mutation_id, $9, $10
                 FROM UNNEST($2::bigint[], $3::text[], $4::uuid[], $5::bigint[], $6::bool[],
                             $7::jsonb[], $8::uuid[])
                      AS t(seq, kind, id, version, deleted, state, mutation_id)",
                self.course,
                &seqs,
                &kinds,
                &ids,
                &versions,
                &deleted,
                &states as _,
                &mutations,
                self.caller.user_id,
                self.now
            )
            .execute(&mut **tx)
            .await?;
        }
        if !self.conflicts.is_empty() {
            let c = &self.conflicts;
            let ids: Vec<Uuid> = c.iter().map(|x| x.record.id).collect();
            let kinds: Vec<String> = c
                .iter()
                .map(|x| x.record.kind.as_str().to_string())
                .collect();
            let entity_ids: Vec<Uuid> = c.iter().map(|x| x.record.entity_id).collect();
            let paths: Vec<Value> = c
                .iter()
                .map(|x| serde_json::to_value(&x.record.path).unwrap_or(Value::Null))
                .collect();
            let pointers: Vec<String> = c.iter().map(|x| x.record.pointer.clone()).collect();
            // JSON null stands for "absent" in the arrays; read back as None.
            let opt = |v: &Option<Value>| v.clone().unwrap_or(Value::Null);
            let bases: Vec<Value> = c.iter().map(|x| opt(&x.record.base)).collect();
            let mines: Vec<Value> = c.iter().map(|x| opt(&x.record.mine)).collect();
            let theirs: Vec<Value> = c.iter().map(|x| opt(&x.record.theirs)).collect();
            let mine_authors: Vec<Uuid> = c.iter().map(|x| x.mine_author).collect();
            let mine_at: Vec<DateTime<Utc>> = c.iter().map(|x| x.record.mine_at).collect();
            let theirs_authors: Vec<Uuid> = c
                .iter()
                .map(|x| x.theirs_author.unwrap_or_default())
                .collect();
            let mutation_ids: Vec<Uuid> = c.iter().map(|x| x.mutation_id).collect();
            let seqs: Vec<i64> = c.iter().map(|x| x.record.seq).collect();
            sqlx::query!(
                "INSERT INTO conflicts (id, course_id, entity_kind, entity_id, path, pointer, base,
                                        mine, theirs, mine_author, mine_at, theirs_author,
                                        mutation_id, created_at, change_seq)
                 SELECT id, $1, kind, entity_id, path, pointer, NULLIF(base, 'null'::jsonb),
                        NULLIF(mine, 'null'::jsonb), NULLIF(theirs, 'null'::jsonb), mine_author,
                        mine_at,
                        NULLIF(theirs_author, '00000000-0000-0000-0000-000000000000'),
                        mutation_id, $15, seq
                 FROM UNNEST($2::uuid[], $3::text[], $4::uuid[], $5::jsonb[], $6::text[],
                             $7::jsonb[], $8::jsonb[], $9::jsonb[], $10::uuid[],
                             $11::timestamptz[], $12::uuid[], $13::uuid[], $14::bigint[])
                      AS t(id, kind, entity_id, path, pointer, base, mine, theirs, mine_author,
                           mine_at, theirs_author, mutation_id, seq)",
                self.course,
                &ids,
                &kinds,
                &entity_ids,
                &paths,
                &pointers,
                &bases,
                &mines,
                &theirs,
                &mine_authors,
                &mine_at,
                &theirs_authors,
                &mutation_ids,
                &seqs,
                self.now
            )
            .execute(&mut **tx)
            .await?;
        }
        if !self.resolved.is_empty() {
            let ids: Vec<Uuid> = self.resolved.iter().map(|(id, _)| *id).collect();
            let seqs: Vec<i64> = self.resolved.iter().map(|(_, s)| *s).collect();
            sqlx::query!(
                "UPDATE conflicts c SET resolved_at = $3, resolved_by = $4, change_seq = t.seq
                 FROM UNNEST($1::uuid[], $2::bigint[]) AS t(id, seq) WHERE c.id = t.id",
                &ids,
                &seqs,
                self.now,
                self.caller.user_id
            )
            .execute(&mut **tx)
            .await?;
        }
        if !self.applied.is_empty() {
            let a = &self.applied;
            let ids: Vec<Uuid> = a.iter().map(|x| x.0).collect();
            let kinds: Vec<String> = a.iter().map(|x| x.1.as_str().to_string()).collect();
            let entity_ids: Vec<Uuid> = a.iter().map(|x| x.2).collect();
            let outcomes: Vec<String> = a.iter().map(|x| outcome_name(x.3).to_string()).collect();
            sqlx::query!(
                "INSERT INTO applied_mutations (mutation_id, course_id, user_id, entity_kind,
                                                entity_id, outcome, applied_at)
                 SELECT id, $1, $2, kind, entity_id, outcome, $3
                 FROM UNNEST($4::uuid[], $5::text[], $6::uuid[], $7::text[])
                      AS t(id, kind, entity_id, outcome)
                 ON CONFLICT (mutation_id) DO NOTHING",
                self.course,
                self.caller.user_id,
                self.now,
                &ids,
                &kinds,
                &entity_ids,
                &outcomes
            )
            .execute(&mut **tx)
            .await?;
        }
        sqlx::query!(
            "UPDATE courses SET last_seq = $2 WHERE id = $1",
            self.course,
            self.seq
        )
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// The stored name of an outcome.
pub fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Applied => "applied",
        Outcome::Merged => "merged",
        Outcome::Conflicted => "conflicted",
        Outcome::Unchanged => "unchanged",
        Outcome::AlreadyApplied => "already_applied",
    }
}
