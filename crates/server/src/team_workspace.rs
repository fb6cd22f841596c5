//! The team's course store as the job handlers see it ([`Workspace`]), for the team's
//! workers (the worker API calls it for them).
//!
//! Every write a job makes goes through the same path as an instructor's edit: a mutation
//! pushed with the version it was made on, merged field by field, appended to the course's
//! change log and so pulled by every member. The worker's account is its author. A draft
//! never replaces a component the instructor has taken over (changed since the engine wrote
//! it, or marked ready, or written themselves), as in the local library.

use crate::auth::Caller;
use crate::entities::{self, Stored};
use crate::error::ApiFailure;
use crate::generation::CourseSnapshot;
use crate::state::AppState;
use async_trait::async_trait;
use axum::body::Bytes;
use chrono::Utc;
use classkit_generate::{
    DraftOrigin, PlanSource, SlideOutput, Spending, SpokenAudio, Workspace, WorkspaceError,
    WorkspaceResult, apply_audio,
};
use classkit_model::generation::{DraftOutcome, Drafted, Generated};
use classkit_model::{
    AssetRef, ChangeKind, ComponentPayload, ComponentStatus, ComponentType, CourseTree,
    LearningComponent, Slide,
};
use classkit_sync::state::Local;
use classkit_sync::{
    ComponentFields, EntityKind, EntityState, Mutation, Outcome, PushRequest, Role,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The team's store, written as one worker.
pub struct TeamWorkspace {
    state: AppState,
    worker: Caller,
}

/// A server failure as a workspace error: what the job should do about it.
fn ws(e: ApiFailure) -> WorkspaceError {
    let message = e.message;
    match e.status.as_u16() {
        404 => WorkspaceError::Missing(message),
        400 | 409 | 413 | 422 => WorkspaceError::Rejected(message),
        507 => WorkspaceError::DiskFull(message),
        _ => WorkspaceError::Unavailable(message),
    }
}

fn db(e: sqlx::Error) -> WorkspaceError {
    ws(e.into())
}

/// A stored component as the model has it.
fn component_of(s: &Stored) -> WorkspaceResult<LearningComponent> {
    match &s.state {
        EntityState::Component(c) => Ok(c.to_component(local(s))),
        _ => Err(WorkspaceError::Missing(format!(
            "{} is not a component",
            s.id
        ))),
    }
}

fn local(s: &Stored) -> Local {
    Local {
        id: s.id,
        created_at: s.created_at,
        updated_at: s.updated_at,
        version: s.version,
    }
}

impl TeamWorkspace {
    pub fn new(state: AppState, worker: Caller) -> Self {
        Self { state, worker }
    }

    /// An entity as stored now (deleted ones are missing).
    async fn stored(&self, kind: EntityKind, id: Uuid) -> WorkspaceResult<Stored> {
        let mut conn = self.state.pool.acquire().await.map_err(db)?;
        entities::load(&mut conn, kind, &[id])
            .await
            .map_err(db)?
            .remove(&id)
            .filter(|s| !s.deleted)
            .ok_or_else(|| WorkspaceError::Missing(format!("there is no {} {id}", kind.as_str())))
    }

    /// Applies one change as the worker: `state` made on `base` (none: a new entity).
    async fn write(
        &self,
        course: Uuid,
        kind: EntityKind,
        id: Uuid,
        base: Option<&Stored>,
        state: EntityState,
    ) -> WorkspaceResult<(Outcome, i64)> {
        let mutation = Mutation {
            mutation_id: Uuid::now_v7(),
            kind,
            entity_id: id,
            base_version: base.map(|b| b.version),
            base: base.map(|b| b.state.clone()),
            state: Some(state),
            resolves: Vec::new(),
            made_at: Utc::now(),
        };
        let response = crate::push::push(
            &self.state.pool,
            &self.worker,
            Role::Editor,
            course,
            PushRequest {
                mutations: vec![mutation],
            },
            None,
        )
        .await
        .map_err(ws)?;
        let result = response
            .results
            .into_iter()
            .next()
            .ok_or_else(|| WorkspaceError::Unavailable("the push answered nothing".into()))?;
        self.state
            .metrics
            .mutation(crate::push::outcome_name(result.outcome));
        let version = result.entity.map(|e| e.version).unwrap_or_default();
        Ok((result.outcome, version))
    }

    /// Makes assets the server holds part of `course` (so its members may fetch them and its
    /// states may name them).
    async fn link_assets(&self, course: Uuid, assets: &[&AssetRef]) -> WorkspaceResult<()> {
        let hashes: Vec<String> = assets.iter().map(|a| a.0.clone()).collect();
        sqlx::query!(
            "INSERT INTO course_assets (course_id, sha256)
             SELECT $1, sha256 FROM assets WHERE sha256 = ANY($2)
             ON CONFLICT DO NOTHING",
            course,
            &hashes
        )
        .execute(&self.state.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    /// Who owns a course an outline job makes: the person who asked for the outline. A
    /// worker makes a course only for a running outline job, whose id the course takes.
    async fn outline_owner(&self, course: Uuid) -> WorkspaceResult<Uuid> {
        let queue = self.state.queue().await.map_err(ws)?;
        let job = match classkit_jobs::Queue::get(&queue, course).await {
            Ok(job) => job,
            Err(classkit_jobs::QueueError::NotFound(_)) => {
                return Err(WorkspaceError::Rejected(format!(
                    "course {course} is no outline job's: a worker makes a course only for an outline"
                )));
            }
            Err(e) => return Err(WorkspaceError::Unavailable(e.to_string())),
        };
        let asked_by = match (&job.kind[..], job.state, &job.requested_by) {
            (classkit_generate::OUTLINE, classkit_jobs::JobState::Running, Some(by)) => by,
            _ => {
                return Err(WorkspaceError::Rejected(format!(
                    "course {course} is no running outline job's: a worker makes a course only for an outline"
                )));
            }
        };
        sqlx::query_scalar!(
            "SELECT id FROM users WHERE email = $1 AND NOT is_worker",
            asked_by
        )
        .fetch_optional(&self.state.pool)
        .await
        .map_err(db)?
        .ok_or_else(|| {
            WorkspaceError::Missing(format!(
                "{asked_by}, who asked for the outline, has no account"
            ))
        })
    }

    async fn course_of_slide(&self, slide: Uuid) -> WorkspaceResult<Uuid> {
        sqlx::query_scalar!("SELECT course_id FROM slides WHERE id = $1", slide)
            .fetch_optional(&self.state.pool)
            .await
            .map_err(db)?
            .ok_or_else(|| WorkspaceError::Missing(format!("there is no slide {slide}")))
    }

    async fn drafted_record(
        &self,
        slide: Uuid,
        component_type: ComponentType,
    ) -> WorkspaceResult<Option<Drafted>> {
        let row = sqlx::query!(
            "SELECT slide_id, component_type, component_id, version, input_key, engine, reason
             FROM drafted WHERE slide_id = $1 AND component_type = $2",
            slide,
            component_type.as_str()
        )
        .fetch_optional(&self.state.pool)
        .await
        .map_err(db)?;
        Ok(row.map(|r| Drafted {
            slide_id: r.slide_id,
            component_type: r.component_type,
            component_id: r.component_id,
            version: r.version,
            input_key: r.input_key,
            engine: r.engine,
            reason: r.reason,
        }))
    }

    async fn record_drafted(
        &self,
        course: Uuid,
        drafted: &Drafted,
        job_id: Option<Uuid>,
    ) -> WorkspaceResult<()> {
        sqlx::query!(
            "INSERT INTO drafted (slide_id, component_type, course_id, component_id, version,
                                  input_key, engine, job_id, updated_at, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9)
             ON CONFLICT (slide_id, component_type) DO UPDATE SET
                 component_id = excluded.component_id, version = excluded.version,
                 input_key = excluded.input_key, engine = excluded.engine,
                 job_id = excluded.job_id, updated_at = excluded.updated_at,
                 reason = excluded.reason",
            drafted.slide_id,
            drafted.component_type,
            course,
            drafted.component_id,
            drafted.version,
            drafted.input_key,
            drafted.engine,
            job_id,
            drafted.reason
        )
        .execute(&self.state.pool)
        .await
        .map_err(db)?;
        Ok(())
    }
}

#[async_trait]
impl PlanSource for TeamWorkspace {
    async fn component(&self, id: Uuid) -> WorkspaceResult<LearningComponent> {
        component_of(&self.stored(EntityKind::Component, id).await?)
    }

    async fn generated(&self, target: Uuid, kind: &str) -> WorkspaceResult<Vec<Generated>> {
        let rows = sqlx::query_as!(
            crate::generation::GeneratedRow,
            "SELECT target_id, kind, page, asset_sha256, media_type, thumbnail_sha256,
                    duration_ms, input_key, engine, cost_micros, job_id, details, change_seq
             FROM generated WHERE target_id = $1 AND kind = $2 ORDER BY page",
            target,
            kind
        )
        .fetch_all(&self.state.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(crate::generation::GeneratedRow::into_generated)
            .collect())
    }

    async fn drafted(
        &self,
        slide: Uuid,
        component_type: ComponentType,
    ) -> WorkspaceResult<Option<Drafted>> {
        self.drafted_record(slide, component_type).await
    }

    async fn draft_declined(
        &self,
        slide: Uuid,
        component_type: ComponentType,
    ) -> WorkspaceResult<bool> {
        let record = self.drafted_record(slide, component_type).await?;
        self.declined(record.as_ref()).await
    }
}

impl TeamWorkspace {
    /// Whether the instructor deleted the component of a drafting record.
    pub async fn declined(&self, record: Option<&Drafted>) -> WorkspaceResult<bool> {
        let Some(id) = record.and_then(|d| d.component_id) else {
            return Ok(false);
        };
        let deleted =
            sqlx::query_scalar!("SELECT deleted FROM learning_components WHERE id = $1", id)
                .fetch_optional(&self.state.pool)
                .await
                .map_err(db)?;
        Ok(deleted == Some(true))
    }
}

#[async_trait]
impl Workspace for TeamWorkspace {
    async fn slide(&self, id: Uuid) -> WorkspaceResult<Slide> {
        let s = self.stored(EntityKind::Slide, id).await?;
        match &s.state {
            EntityState::Slide(f) => Ok(f.to_slide(local(&s))),
            _ => Err(WorkspaceError::Missing(format!("{id} is not a slide"))),
        }
    }

    async fn course_tree(&self, id: Uuid) -> WorkspaceResult<CourseTree> {
        CourseSnapshot::tree(&self.state.pool, id)
            .await
            .map_err(ws)?
            .ok_or_else(|| WorkspaceError::Missing(format!("there is no course {id}")))
    }

    async fn course_exists(&self, id: Uuid) -> WorkspaceResult<bool> {
        // A course an outline job made has its lessons pushed after its row: until then
        // (the push failed and the job runs again) it is not made yet.
        let found = sqlx::query_scalar!(
            "SELECT 1 AS one FROM courses WHERE id = $1 AND NOT deleted AND last_seq > 1",
            id
        )
        .fetch_optional(&self.state.pool)
        .await
        .map_err(db)?;
        Ok(found.is_some())
    }

    async fn add_course(&self, tree: &CourseTree, _change: ChangeKind) -> WorkspaceResult<()> {
        let id = tree.course.id;
        let owner = self.outline_owner(id).await?;
        let fields = match crate::validate::check(id, &EntityState::from(&tree.course)) {
            Ok(EntityState::Course(f)) => f,
            Ok(_) => return Err(WorkspaceError::Rejected("not a course".into())),
            Err(refused) => {
                return Err(WorkspaceError::Rejected(format!(
                    "the outline's course breaks the rules: {}",
                    refused
                        .issues
                        .iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                )));
            }
        };
        // The row first (owned by whoever asked for the outline; again after a failed try:
        // then it is there already), then every lesson and slide in one push, all or none.
        crate::routes::courses::insert_course(&self.state, owner, id, &fields)
            .await
            .map_err(ws)?;
        let lessons = tree.lessons.iter().map(|l| {
            (
                EntityKind::Lesson,
                l.lesson.id,
                EntityState::from(&l.lesson),
            )
        });
        let slides = tree.lessons.iter().flat_map(|l| {
            l.slides
                .iter()
                .map(|s| (EntityKind::Slide, s.slide.id, EntityState::from(&s.slide)))
        });
        let mutations = lessons
            .chain(slides)
            .map(|(kind, entity_id, state)| Mutation {
                mutation_id: Uuid::now_v7(),
                kind,
                entity_id,
                base_version: None,
                base: None,
                state: Some(state),
                resolves: Vec::new(),
                made_at: Utc::now(),
            })
            .collect();
        let response = crate::push::push(
            &self.state.pool,
            &self.worker,
            Role::Editor,
            id,
            PushRequest { mutations },
            None,
        )
        .await
        .map_err(ws)?;
        for result in &response.results {
            self.state
                .metrics
                .mutation(crate::push::outcome_name(result.outcome));
        }
        // What the outline cost was paid before its course existed: it is the course's.
        sqlx::query!(
            "UPDATE spending SET course_id = $1 WHERE job_id = $1 AND course_id IS NULL",
            id
        )
        .execute(&self.state.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn put_asset(&self, bytes: &[u8], media_type: &str) -> WorkspaceResult<AssetRef> {
        if !classkit_model::media::is_media_type(media_type) {
            return Err(WorkspaceError::Rejected(format!(
                "{media_type:?} is not a media type the team keeps"
            )));
        }
        let sha256 = hex::encode(Sha256::digest(bytes));
        crate::routes::assets::store(
            &self.state,
            &sha256,
            media_type,
            Bytes::copy_from_slice(bytes),
        )
        .await
        .map_err(ws)?;
        Ok(AssetRef(sha256))
    }

    async fn has_asset(&self, asset: &AssetRef) -> WorkspaceResult<bool> {
        let found = sqlx::query_scalar!("SELECT 1 AS one FROM assets WHERE sha256 = $1", asset.0)
            .fetch_optional(&self.state.pool)
            .await
            .map_err(db)?;
        Ok(found.is_some())
    }

    async fn asset_bytes(&self, asset: &AssetRef) -> WorkspaceResult<Vec<u8>> {
        crate::routes::assets::read(&self.state, &asset.0)
            .await
            .map_err(ws)?
            .map(|(_, bytes)| bytes)
            .ok_or_else(|| WorkspaceError::Missing(format!("there is no asset {}", asset.0)))
    }

    async fn put_generated(
        &self,
        target: Uuid,
        kind: &str,
        outputs: &[Generated],
    ) -> WorkspaceResult<()> {
        let course = self.course_of_slide(target).await?;
        let mut assets: Vec<&AssetRef> = outputs.iter().map(|g| &g.asset).collect();
        assets.extend(outputs.iter().filter_map(|g| g.thumbnail.as_ref()));
        self.link_assets(course, &assets).await?;
        crate::outputs::store(&self.state.pool, course, target, kind, outputs)
            .await
            .map_err(ws)
    }

    async fn record_spending(&self, s: &Spending<'_>) -> WorkspaceResult<()> {
        // The same run reported twice (a reply lost on the way) is recorded once.
        sqlx::query!(
            "INSERT INTO spending (id, job_id, attempt, engine, course_id, kind, micros, worker_id,
                                   spent_at)
             SELECT $8, $1, $2, $3, c.id, $5, $6, $7, now()
             FROM (SELECT $4::uuid AS id) AS wanted
             LEFT JOIN courses c ON c.id = wanted.id
             ON CONFLICT (id) DO NOTHING",
            s.job_id,
            s.attempt as i32,
            s.engine,
            s.course_id,
            s.kind,
            s.micros.max(0),
            self.worker.user_id,
            s.id
        )
        .execute(&self.state.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn spent_by_job(&self, job_id: Uuid) -> WorkspaceResult<i64> {
        let spent = sqlx::query_scalar!(
            "SELECT COALESCE(SUM(micros), 0)::bigint AS \"spent!\" FROM spending WHERE job_id = $1",
            job_id
        )
        .fetch_one(&self.state.pool)
        .await
        .map_err(db)?;
        Ok(spent)
    }

    async fn save_draft(
        &self,
        slide: Uuid,
        component_type: ComponentType,
        payload: serde_json::Value,
        origin: &DraftOrigin<'_>,
    ) -> WorkspaceResult<DraftOutcome> {
        ComponentPayload::from_json(component_type, &payload)
            .map_err(|e| WorkspaceError::Rejected(e.to_string()))?;
        let course = self.course_of_slide(slide).await?;
        let mut current: Option<Stored> = None;
        if let Some(record) = self.drafted_record(slide, component_type).await?
            && let Some(id) = record.component_id
        {
            match self.stored(EntityKind::Component, id).await {
                Ok(s) => {
                    let c = component_of(&s)?;
                    if s.version != record.version || c.status == ComponentStatus::Ready {
                        return Ok(DraftOutcome::TakenOver(c));
                    }
                    if record.input_key == origin.input_key {
                        return Ok(DraftOutcome::Unchanged(c));
                    }
                    current = Some(s);
                }
                // Deleted by the instructor: drafted anew.
                Err(WorkspaceError::Missing(_)) => {}
                Err(e) => return Err(e),
            }
        }
        if current.is_none() {
            // A component of this type the engine did not draft is the slide's own.
            let own = sqlx::query_scalar!(
                "SELECT id FROM learning_components
                 WHERE slide_id = $1 AND component_type = $2 AND NOT deleted
                 ORDER BY created_at LIMIT 1",
                slide,
                component_type.as_str()
            )
            .fetch_optional(&self.state.pool)
            .await
            .map_err(db)?;
            if let Some(id) = own {
                // The text supports the type now: an earlier reason for drafting nothing
                // no longer holds.
                sqlx::query!(
                    "UPDATE drafted SET reason = NULL
                     WHERE slide_id = $1 AND component_type = $2 AND component_id IS NULL",
                    slide,
                    component_type.as_str()
                )
                .execute(&self.state.pool)
                .await
                .map_err(db)?;
                return Ok(DraftOutcome::TakenOver(self.component(id).await?));
            }
        }
        let id = current.as_ref().map_or_else(Uuid::now_v7, |s| s.id);
        let fields = ComponentFields {
            slide_id: slide,
            component_type,
            status: ComponentStatus::Draft,
            payload,
        };
        let (outcome, version) = self
            .write(
                course,
                EntityKind::Component,
                id,
                current.as_ref(),
                EntityState::Component(fields),
            )
            .await?;
        let component = self.component(id).await?;
        if outcome == Outcome::Conflicted {
            // The instructor changed it at the same moment: theirs stays current.
            return Ok(DraftOutcome::TakenOver(component));
        }
        self.record_drafted(
            course,
            &Drafted {
                slide_id: slide,
                component_type: component_type.as_str().to_string(),
                component_id: Some(id),
                version,
                input_key: origin.input_key.to_string(),
                engine: origin.engine.to_string(),
                reason: None,
            },
            origin.job_id,
        )
        .await?;
        Ok(DraftOutcome::Saved(component))
    }

    async fn record_nothing_drafted(
        &self,
        slide: Uuid,
        component_type: ComponentType,
        origin: &DraftOrigin<'_>,
        reason: &str,
    ) -> WorkspaceResult<()> {
        let course = self.course_of_slide(slide).await?;
        self.record_drafted(
            course,
            &Drafted {
                slide_id: slide,
                component_type: component_type.as_str().to_string(),
                component_id: None,
                version: 0,
                input_key: origin.input_key.to_string(),
                engine: origin.engine.to_string(),
                reason: Some(reason.to_string()).filter(|r| !r.is_empty()),
            },
            origin.job_id,
        )
        .await
    }

    async fn add_reference_audio(
        &self,
        component: Uuid,
        spoken: &SpokenAudio,
    ) -> WorkspaceResult<usize> {
        let stored = self.stored(EntityKind::Component, component).await?;
        let EntityState::Component(fields) = &stored.state else {
            return Err(WorkspaceError::Missing(format!(
                "{component} is not a component"
            )));
        };
        let mut payload = fields.payload.clone();
        let added = apply_audio(&mut payload, spoken);
        if added == 0 {
            return Ok(0);
        }
        let course = stored.course_id;
        let assets: Vec<&AssetRef> = spoken.values().collect();
        self.link_assets(course, &assets).await?;
        // Only the items' audio changes: merged with whatever the instructor edits meanwhile.
        let state = EntityState::Component(ComponentFields {
            payload,
            ..fields.clone()
        });
        self.write(
            course,
            EntityKind::Component,
            component,
            Some(&stored),
            state,
        )
        .await?;
        Ok(added)
    }

    async fn point_slide_at(&self, slide: Uuid, output: SlideOutput<'_>) -> WorkspaceResult<bool> {
        let stored = self.stored(EntityKind::Slide, slide).await?;
        let EntityState::Slide(fields) = &stored.state else {
            return Err(WorkspaceError::Missing(format!("{slide} is not a slide")));
        };
        let current = fields.to_slide(local(&stored));
        if output.is_on(&current) {
            return Ok(true);
        }
        if !output.belongs_on(&current) {
            return Ok(false);
        }
        self.link_assets(stored.course_id, &[output.asset()])
            .await?;
        let mut fields = fields.clone();
        match output {
            SlideOutput::Narration { asset, .. } => fields.narration = Some(asset.clone()),
            SlideOutput::Picture { asset } => fields.image = Some(asset.clone()),
        }
        let (outcome, _) = self
            .write(
                stored.course_id,
                EntityKind::Slide,
                slide,
                Some(&stored),
                EntityState::Slide(fields),
            )
            .await?;
        Ok(outcome != Outcome::Conflicted)
    }
}
