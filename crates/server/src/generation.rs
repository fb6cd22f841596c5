//! Team generation on the server: an assembly of a course planned with the same code as the
//! app's `assemble` (over a snapshot of the course read at once), held to the team's budgets
//! by the spending ledger, and queued on the shared Redis queue for the team's workers.

use crate::error::{ApiFailure, ApiResult};
use crate::state::AppState;
use async_trait::async_trait;
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, TimeZone, Utc};
use classkit_generate::{
    AssembleOptions, AssembleReport, Generation, Part, PlanSource, Scope, WorkspaceError,
    WorkspaceResult,
};
use classkit_jobs::{JobSpec, Queue, RedisQueue};
use classkit_model::generation::{Drafted, Generated};
use classkit_model::{
    AssetRef, ComponentStatus, ComponentType, Course, CourseTree, ErrorCode, LearningComponent,
    Lesson, LessonTree, Slide, SlideLayout, SlideTree,
};
use classkit_sync::{
    AssembleRequest, AssembleResponse, AssembleScope, OutlineRequest, OutlineResponse,
};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgPool;
use sqlx::types::Json;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A course as the planning reads it: its tree, and what was generated and drafted for its
/// slides, read in a few queries so that planning asks the database nothing more.
pub struct CourseSnapshot {
    pub tree: CourseTree,
    components: HashMap<Uuid, LearningComponent>,
    deleted_components: HashSet<Uuid>,
    generated: HashMap<(Uuid, String), Vec<Generated>>,
    drafted: HashMap<(Uuid, String), Drafted>,
}

fn corrupt(what: &str, value: &str) -> ApiFailure {
    ApiFailure::internal(format!(
        "a stored {what} {value:?} is not one this server knows"
    ))
}

/// A generated output's row.
#[derive(Debug, Deserialize)]
pub(crate) struct GeneratedRow {
    pub target_id: Uuid,
    pub kind: String,
    pub page: i32,
    pub asset_sha256: String,
    pub media_type: String,
    pub thumbnail_sha256: Option<String>,
    pub duration_ms: Option<i64>,
    pub input_key: String,
    pub engine: String,
    pub cost_micros: i64,
    pub job_id: Option<Uuid>,
    pub details: serde_json::Value,
    pub change_seq: i64,
}

/// The rows a course's snapshot is read from, as PostgreSQL writes them in JSON.
#[derive(Debug, Deserialize)]
struct CourseRow {
    id: Uuid,
    title: String,
    description: String,
    language: Option<String>,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
struct LessonRow {
    id: Uuid,
    order_key: String,
    title: String,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
struct SlideRow {
    id: Uuid,
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
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
struct ComponentRow {
    id: Uuid,
    slide_id: Uuid,
    component_type: String,
    payload: serde_json::Value,
    status: String,
    version: i64,
    deleted: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
struct DraftedRow {
    slide_id: Uuid,
    component_type: String,
    component_id: Option<Uuid>,
    version: i64,
    input_key: String,
    engine: String,
    reason: Option<String>,
}

impl GeneratedRow {
    pub(crate) fn into_generated(self) -> Generated {
        Generated {
            target_id: self.target_id,
            kind: self.kind,
            page: self.page as u32,
            asset: AssetRef(self.asset_sha256),
            media_type: self.media_type,
            thumbnail: self.thumbnail_sha256.map(AssetRef),
            duration_ms: self.duration_ms.map(|d| d as u64),
            input_key: self.input_key,
            engine: self.engine,
            cost_micros: self.cost_micros,
            job_id: self.job_id,
            details: self.details,
        }
    }
}

impl CourseSnapshot {
    /// The course as it is now; `None` when there is no such course (or it was deleted).
    pub async fn load(pool: &PgPool, course_id: Uuid) -> ApiResult<Option<Self>> {
        Self::read(pool, course_id, true).await
    }

    /// The course's tree alone (without what was generated and drafted for it).
    pub async fn tree(pool: &PgPool, course_id: Uuid) -> ApiResult<Option<CourseTree>> {
        Ok(Self::read(pool, course_id, false).await?.map(|s| s.tree))
    }

    async fn read(pool: &PgPool, course_id: Uuid, outputs: bool) -> ApiResult<Option<Self>> {
        // One statement, so one consistent view of the course (a statement sees a single
        // snapshot) in one round trip: each table's rows come aggregated as JSON. A dispatch
        // reads it for every request, and eight statements in a transaction cost eight.
        let row = sqlx::query!(
            r#"SELECT
                 (SELECT row_to_json(c) FROM (
                    SELECT id, title, description, language, version, created_at, updated_at
                    FROM courses WHERE id = $1 AND NOT deleted) c)
                   AS "course: Json<CourseRow>",
                 (SELECT coalesce(json_agg(l ORDER BY l.order_key, l.id), '[]') FROM (
                    SELECT id, order_key, title, version, created_at, updated_at
                    FROM lessons WHERE course_id = $1 AND NOT deleted) l)
                   AS "lessons!: Json<Vec<LessonRow>>",
                 (SELECT coalesce(json_agg(s ORDER BY s.lesson_id, s.order_key, s.id), '[]') FROM (
                    SELECT id, lesson_id, order_key, title, body, speaker_notes,
                           instructor_notes, layout, image_sha256, narration_sha256, version,
                           created_at, updated_at
                    FROM slides WHERE course_id = $1 AND NOT deleted) s)
                   AS "slides!: Json<Vec<SlideRow>>",
                 (SELECT coalesce(json_agg(k ORDER BY k.created_at, k.id), '[]') FROM (
                    SELECT id, slide_id, component_type, payload, status, version, deleted,
                           created_at, updated_at
                    FROM learning_components WHERE course_id = $1) k)
                   AS "components!: Json<Vec<ComponentRow>>",
                 (SELECT coalesce(json_agg(g ORDER BY g.target_id, g.kind, g.page), '[]') FROM (
                    SELECT target_id, kind, page, asset_sha256, media_type, thumbnail_sha256,
                           duration_ms, input_key, engine, cost_micros, job_id, details,
                           change_seq
                    FROM generated WHERE course_id = $1 AND $2) g)
                   AS "generated!: Json<Vec<GeneratedRow>>",
                 (SELECT coalesce(json_agg(d), '[]') FROM (
                    SELECT slide_id, component_type, component_id, version, input_key, engine,
                           reason
                    FROM drafted WHERE course_id = $1 AND $2) d)
                   AS "drafted!: Json<Vec<DraftedRow>>""#,
            course_id,
            outputs
        )
        .fetch_one(pool)
        .await?;
        let Some(Json(c)) = row.course else {
            return Ok(None);
        };
        let (lessons, slides, component_rows) = (row.lessons.0, row.slides.0, row.components.0);
        let (generated_rows, drafted_rows) = (row.generated.0, row.drafted.0);
        let course = Course {
            id: c.id,
            title: c.title,
            description: c.description,
            language: c.language,
            created_at: c.created_at,
            updated_at: c.updated_at,
            version: c.version,
        };

        let mut components = HashMap::new();
        let mut deleted_components = HashSet::new();
        let mut by_slide: HashMap<Uuid, Vec<LearningComponent>> = HashMap::new();
        for r in component_rows {
            if r.deleted {
                deleted_components.insert(r.id);
                continue;
            }
            let component = LearningComponent {
                id: r.id,
                slide_id: r.slide_id,
                component_type: r
                    .component_type
                    .parse()
                    .map_err(|_| corrupt("component type", &r.component_type))?,
                status: ComponentStatus::parse(&r.status)
                    .ok_or_else(|| corrupt("component status", &r.status))?,
                payload: r.payload,
                created_at: r.created_at,
                updated_at: r.updated_at,
                version: r.version,
            };
            by_slide
                .entry(component.slide_id)
                .or_default()
                .push(component.clone());
            components.insert(component.id, component);
        }
        let mut slides_by_lesson: HashMap<Uuid, Vec<SlideTree>> = HashMap::new();
        for r in slides {
            let list = slides_by_lesson.entry(r.lesson_id).or_default();
            let slide = Slide {
                id: r.id,
                lesson_id: r.lesson_id,
                order_key: r.order_key,
                position: list.len() as i64,
                title: r.title,
                body: r.body,
                speaker_notes: r.speaker_notes,
                instructor_notes: r.instructor_notes,
                layout: SlideLayout::parse(&r.layout)
                    .ok_or_else(|| corrupt("slide layout", &r.layout))?,
                image: r.image_sha256.map(AssetRef),
                narration: r.narration_sha256.map(AssetRef),
                created_at: r.created_at,
                updated_at: r.updated_at,
                version: r.version,
            };
            list.push(SlideTree {
                components: by_slide.remove(&slide.id).unwrap_or_default(),
                slide,
            });
        }
        let lessons = lessons
            .into_iter()
            .enumerate()
            .map(|(i, l)| LessonTree {
                slides: slides_by_lesson.remove(&l.id).unwrap_or_default(),
                lesson: Lesson {
                    id: l.id,
                    course_id,
                    position: i as i64,
                    order_key: l.order_key,
                    title: l.title,
                    created_at: l.created_at,
                    updated_at: l.updated_at,
                    version: l.version,
                },
            })
            .collect();
        let mut generated: HashMap<(Uuid, String), Vec<Generated>> = HashMap::new();
        for r in generated_rows {
            generated
                .entry((r.target_id, r.kind.clone()))
                .or_default()
                .push(r.into_generated());
        }
        let drafted = drafted_rows
            .into_iter()
            .map(|r| {
                (
                    (r.slide_id, r.component_type.clone()),
                    Drafted {
                        slide_id: r.slide_id,
                        component_type: r.component_type,
                        component_id: r.component_id,
                        version: r.version,
                        input_key: r.input_key,
                        engine: r.engine,
                        reason: r.reason,
                    },
                )
            })
            .collect();
        Ok(Some(Self {
            tree: CourseTree { course, lessons },
            components,
            deleted_components,
            generated,
            drafted,
        }))
    }
}

#[async_trait]
impl PlanSource for CourseSnapshot {
    async fn component(&self, id: Uuid) -> WorkspaceResult<LearningComponent> {
        self.components
            .get(&id)
            .cloned()
            .ok_or_else(|| WorkspaceError::Missing(format!("there is no component {id}")))
    }

    async fn generated(&self, target: Uuid, kind: &str) -> WorkspaceResult<Vec<Generated>> {
        Ok(self
            .generated
            .get(&(target, kind.to_string()))
            .cloned()
            .unwrap_or_default())
    }

    async fn drafted(
        &self,
        slide: Uuid,
        component_type: ComponentType,
    ) -> WorkspaceResult<Option<Drafted>> {
        Ok(self
            .drafted
            .get(&(slide, component_type.as_str().to_string()))
            .cloned())
    }

    async fn draft_declined(
        &self,
        slide: Uuid,
        component_type: ComponentType,
    ) -> WorkspaceResult<bool> {
        // The instructor deleted the engine's draft: its component is a tombstone.
        Ok(self
            .drafted
            .get(&(slide, component_type.as_str().to_string()))
            .and_then(|d| d.component_id)
            .is_some_and(|id| self.deleted_components.contains(&id)))
    }
}

/// The first instant of the month `at` is in (UTC): budgets are monthly.
pub fn month_start(at: DateTime<Utc>) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(at.year(), at.month(), 1, 0, 0, 0)
        .single()
        .unwrap_or(at)
}

/// Refuses an estimate that would take the course or the team over this month's budget.
/// `course` is the course's id and title (none: a course not made yet, held to the team's
/// budget alone).
async fn check_budgets(
    pool: &PgPool,
    course: Option<(Uuid, &str)>,
    estimate: i64,
) -> ApiResult<()> {
    if estimate <= 0 {
        return Ok(());
    }
    let now = Utc::now();
    let since = month_start(now);
    let budgets = sqlx::query!(
        r#"SELECT b.course_id, b.limit_micros,
                  COALESCE((SELECT SUM(s.micros) FROM spending s
                            WHERE s.spent_at >= $2
                              AND (b.course_id IS NULL OR s.course_id = b.course_id)), 0)::bigint
                      AS "spent!"
           FROM budgets b WHERE b.course_id IS NULL OR b.course_id = $1
           ORDER BY b.course_id NULLS LAST"#,
        course.map(|(id, _)| id),
        since
    )
    .fetch_all(pool)
    .await?;
    for b in budgets {
        if b.spent + estimate > b.limit_micros {
            let scope = match b.course_id {
                Some(_) => format!("the course \"{}\"", course.map_or("", |(_, title)| title)),
                None => "the team".to_string(),
            };
            let usd = classkit_engines::price::format_usd;
            return Err(ApiFailure::new(
                StatusCode::CONFLICT,
                ErrorCode::BudgetExceeded,
                format!(
                    "refused: this would cost about {}, and {scope} has {} left of its {} budget for {} ({} spent); nothing was queued",
                    usd(estimate),
                    usd((b.limit_micros - b.spent).max(0)),
                    usd(b.limit_micros),
                    now.format("%Y-%m"),
                    usd(b.spent)
                ),
            )
            .with_details(json!({
                "estimate_micros": estimate,
                "spent_micros": b.spent,
                "limit_micros": b.limit_micros,
                "month": now.format("%Y-%m").to_string(),
            })));
        }
    }
    Ok(())
}

/// The assembly options a request asks for, checked.
fn options(req: &AssembleRequest) -> ApiResult<AssembleOptions> {
    let parts = match &req.parts {
        None => AssembleOptions::default().parts,
        Some(names) => {
            let mut parts = Vec::new();
            for name in names {
                let part = Part::parse(name).ok_or_else(|| {
                    ApiFailure::bad_request(
                        ErrorCode::InvalidInput,
                        format!(
                            "{name:?} is not a part of an assembly; the parts are slides, narration, drafts and illustrations"
                        ),
                    )
                })?;
                if !parts.contains(&part) {
                    parts.push(part);
                }
            }
            parts
        }
    };
    Ok(AssembleOptions {
        parts,
        speech_engine: req.speech_engine.clone(),
        text_engine: req.text_engine.clone(),
        image_engine: req.image_engine.clone(),
        no_cache: req.no_cache,
        scope: match req.scope {
            AssembleScope::Course => Scope::Course,
            AssembleScope::Lesson(id) => Scope::Lesson(id),
            AssembleScope::Slide(id) => Scope::Slide(id),
        },
        ..AssembleOptions::default()
    })
}

/// Plans what `course_id` (or the part of it in scope) still needs, checks the budgets and
/// queues the jobs on the team's queue for `requested_by`; never waits for a job.
pub async fn assemble(
    state: &AppState,
    course_id: Uuid,
    requested_by: &str,
    req: &AssembleRequest,
) -> ApiResult<AssembleResponse> {
    let options = options(req)?;
    let snapshot = CourseSnapshot::load(&state.pool, course_id)
        .await?
        .ok_or_else(|| ApiFailure::no_course(course_id))?;
    let generation = state.generation.clone();
    let mut report = AssembleReport {
        course_id,
        ..AssembleReport::default()
    };
    let planned = classkit_generate::plan(
        &snapshot,
        &snapshot.tree,
        &generation,
        &options,
        &mut report,
    )
    .await
    .map_err(|e| match e {
        classkit_generate::GenerateError::Workspace(e) => ApiFailure::internal(e),
        other => ApiFailure::bad_request(ErrorCode::EngineUnavailable, other.to_string()),
    })?;
    if report.slides == 0 && options.scope != Scope::Course {
        return Err(ApiFailure::bad_request(
            ErrorCode::InvalidInput,
            format!("nothing of course {course_id} is in {:?}", req.scope),
        ));
    }
    check_budgets(
        &state.pool,
        Some((course_id, &snapshot.tree.course.title)),
        report.estimated_cost_micros,
    )
    .await?;
    let planned: Vec<JobSpec> = planned
        .into_iter()
        .map(|spec| spec.course(course_id).requested_by(requested_by))
        .collect();
    let queue = state.queue().await?;
    let jobs = classkit_generate::enqueue_planned(&queue, planned)
        .await
        .map_err(ApiFailure::queue_unavailable)?;
    Ok(AssembleResponse {
        course_id,
        scope: req.scope,
        slides: report.slides,
        up_to_date: report.up_to_date,
        jobs,
        estimated_cost_micros: report.estimated_cost_micros,
    })
}

/// Queues an outline of a lecture for the team's workers: the course it makes takes the
/// job's id and is owned by `caller`. The team's budget is checked first; nothing waits for
/// the job.
pub async fn outline(
    state: &AppState,
    caller: &crate::auth::Caller,
    req: &OutlineRequest,
) -> ApiResult<OutlineResponse> {
    let invalid = |m: String| ApiFailure::invalid(ErrorCode::InvalidInput, m);
    if req.text.trim().is_empty() {
        return Err(invalid(
            "the lecture is empty: there is nothing to outline".into(),
        ));
    }
    if req.text.len() > MAX_LECTURE_BYTES {
        return Err(invalid(format!(
            "the lecture is {} bytes; lectures of up to {} bytes are outlined",
            req.text.len(),
            MAX_LECTURE_BYTES
        )));
    }
    let name_ok = |n: &str| !n.chars().any(char::is_control);
    if req.name.trim().is_empty() || req.name.chars().count() > 255 || !name_ok(&req.name) {
        return Err(invalid(
            "name is the lecture's file name: 1 to 255 characters, no control characters".into(),
        ));
    }
    if let Some(title) = &req.title
        && (title.chars().count() > classkit_model::fields::MAX_TITLE_CHARS || !name_ok(title))
    {
        return Err(invalid(format!(
            "title is at most {} characters, without control characters",
            classkit_model::fields::MAX_TITLE_CHARS
        )));
    }
    state
        .generation
        .outliner(&req.engine)
        .map_err(|e| ApiFailure::bad_request(ErrorCode::EngineUnavailable, e.to_string()))?;
    let estimate =
        classkit_generate::outline_estimate(&state.generation, &req.engine, req.text.len());
    check_budgets(&state.pool, None, estimate).await?;
    let input = classkit_generate::OutlineInput {
        // Only the file's own name is kept (it titles the course when nothing else does).
        name: std::path::Path::new(req.name.trim())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "lecture".into()),
        text: req.text.clone(),
        title: req.title.clone(),
        engine: req.engine.clone(),
        no_cache: false,
    };
    let mut spec =
        JobSpec::new(classkit_generate::OUTLINE, json!(input)).requested_by(&caller.email);
    spec.engine = Some(req.engine.clone());
    spec.estimated_cost_micros = Some(estimate);
    let queue = state.queue().await?;
    let job = queue
        .enqueue(spec)
        .await
        .map_err(ApiFailure::queue_unavailable)?
        .job;
    Ok(OutlineResponse {
        job_id: job.id,
        course_id: job.id,
        estimated_cost_micros: estimate,
    })
}

/// The most a lecture may hold to be outlined (as the importer takes).
const MAX_LECTURE_BYTES: usize = 5 * 1024 * 1024;

/// The engines the server plans with: `engines.toml` as the admin gave it (the workers hold
/// the keys; the server needs none).
pub fn engines(
    file: Option<&std::path::Path>,
    cache: &std::path::Path,
) -> anyhow::Result<Generation> {
    Ok(Generation::from_file(file, cache)?)
}

/// The queue of the team, connected on first use (the server starts while Redis is away).
pub async fn connect_queue(url: &str, prefix: &str) -> ApiResult<RedisQueue> {
    RedisQueue::connect_with_prefix(url, prefix)
        .await
        .map_err(ApiFailure::queue_unavailable)
}
