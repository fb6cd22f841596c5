//! The services of the desktop app's editor: a component with its issues after every save,
//! slide edits and moves, a slide's media, revision diffs, dispatching generation without
//! waiting for it, and the job tray's view of the queue.

use crate::generate::{AssembleOptions, AssembleReport, Scope};
use crate::{App, Result};
use chrono::{DateTime, Utc};
use classkit_jobs::{Job, JobFilter, Queue};
use classkit_model::{
    ComponentType, Course, LearningComponent, Slide, SlideLayout, ValidationIssue,
};
use classkit_store::{NewSlide, SlideEdit};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// A component and the rules its payload breaks now (empty when it could be marked ready).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ComponentView {
    pub component: LearningComponent,
    pub issues: Vec<ValidationIssue>,
}

/// The changes an instructor made to a slide's text; a missing field is left as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SlideChanges {
    #[serde(default)]
    pub title: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub body: Option<String>,
    /// What the narration says.
    #[serde(default)]
    pub speaker_notes: Option<String>,
    /// Notes for the instructor only.
    #[serde(default)]
    pub instructor_notes: Option<String>,
    #[serde(default)]
    pub layout: Option<SlideLayout>,
}

/// Longest slide title, in characters.
pub const MAX_SLIDE_TITLE: usize = 500;
/// Longest slide body or notes, in characters.
pub const MAX_SLIDE_TEXT: usize = 100_000;

/// A stored file the UI can show or play, by the sha256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Media {
    pub sha256: String,
    pub media_type: String,
    pub duration_ms: Option<u64>,
}

/// What the engines made for a slide: its rendered page (with a thumbnail) and narration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SlideMedia {
    pub slide_id: Uuid,
    pub render: Option<Media>,
    pub thumbnail: Option<Media>,
    pub narration: Option<Media>,
}

/// One line of a revision diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DiffLine {
    /// `same`, `added` or `removed`.
    pub change: String,
    /// `field: value`, with nested fields named by their path (`questions/0/text`).
    pub text: String,
}

/// What changed between two versions of a slide or component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RevisionDiff {
    pub id: Uuid,
    pub from_version: i64,
    pub to_version: i64,
    pub lines: Vec<DiffLine>,
}

/// What dispatching generation queued.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Dispatched {
    pub course_id: Uuid,
    pub scope: Scope,
    pub slides: usize,
    /// Outputs already made from the same input: nothing to do for them.
    pub up_to_date: usize,
    /// The jobs queued (or already queued with the same input), for the job tray.
    pub jobs: Vec<Uuid>,
    pub estimated_cost_micros: i64,
}

/// The instructor's preferences (kept by the desktop app, never secrets).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Preferences {
    /// The UI language.
    #[serde(default)]
    pub locale: UiLocale,
    #[serde(default)]
    pub theme: Theme,
}

/// The languages the UI is shipped in.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum UiLocale {
    #[default]
    En,
    Ko,
}

/// Light, dark, or as the system is set.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// An engine that is paid for with an API key (its key itself never leaves the shell).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PaidEngine {
    pub id: String,
    /// `tts`, `text` or `image`.
    pub kind: String,
    /// The server, without any user, password or query.
    pub endpoint: String,
    pub model: String,
    /// The environment variable its key may come from.
    pub api_key_env: Option<String>,
}

/// Where the key of a paid engine comes from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeySource {
    /// The OS keyring (kept across restarts).
    Keyring,
    /// Typed for this session only (no keyring on this system).
    Session,
    /// The environment variable named in the engine's configuration.
    Environment,
    /// No key: requests are sent without one.
    None,
}

/// A paid engine and where its key comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ApiKeyStatus {
    pub engine: PaidEngine,
    pub source: KeySource,
}

/// The API keys of the library's paid engines, and whether the OS keyring can keep them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ApiKeys {
    /// Why the OS keyring cannot be used (no secret service, as on a headless Linux); `None`
    /// when it can.
    pub keyring_unavailable: Option<String>,
    pub engines: Vec<ApiKeyStatus>,
}

/// A job as the job tray shows it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct JobView {
    pub id: Uuid,
    /// `narration`, `slide_render`, `draft_component`, …
    pub kind: String,
    /// The slide or component it works for.
    pub target: Option<Uuid>,
    pub engine: Option<String>,
    /// `queued`, `running`, `succeeded`, `retry_wait`, `dead` or `cancelled`.
    pub state: String,
    pub attempts: u32,
    pub max_attempts: u32,
    /// 0–100.
    pub progress: u8,
    pub message: String,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// Whether that failure will be tried again.
    pub error_retryable: Option<bool>,
    /// For a job waiting to retry: when it runs again.
    pub run_at: Option<DateTime<Utc>>,
    pub estimated_cost_micros: Option<i64>,
    pub cost_micros: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl JobView {
    pub fn of(job: &Job) -> Self {
        Self {
            id: job.id,
            kind: job.kind.clone(),
            target: job.target,
            engine: job.engine.clone(),
            state: job.state.as_str().to_string(),
            attempts: job.attempts,
            max_attempts: job.max_attempts,
            progress: job.progress,
            message: job.progress_message.clone(),
            error: job.last_error.as_ref().map(|e| e.message.clone()),
            error_retryable: job
                .last_error
                .as_ref()
                .map(|e| e.class == classkit_jobs::ErrorClass::Retryable),
            run_at: job.run_at,
            estimated_cost_micros: job.estimated_cost_micros,
            cost_micros: job.actual_cost_micros,
            created_at: job.created_at,
            updated_at: job.updated_at,
            finished_at: job.finished_at,
        }
    }
}

impl App {
    /// Creates an empty course with one lesson holding one title slide, ready to write in.
    pub async fn create_course(&self, title: &str, language: Option<&str>) -> Result<Course> {
        let title = title.trim();
        if title.is_empty() {
            return Err(crate::AppError::Invalid(
                "the course needs a title".to_string(),
            ));
        }
        check_length("the course title", title, MAX_SLIDE_TITLE)?;
        let language = language.map(str::trim).filter(|l| !l.is_empty());
        let course = self.store().create_course(title, language).await?;
        let lesson = self.store().add_lesson(course.id, "Lesson 1").await?;
        self.store()
            .add_slide(
                lesson.id,
                NewSlide {
                    title: title.to_string(),
                    layout: SlideLayout::Title,
                    ..NewSlide::default()
                },
            )
            .await?;
        Ok(course)
    }

    /// Adds an empty slide at the end of a lesson.
    pub async fn add_slide(&self, lesson_id: Uuid, title: &str) -> Result<Slide> {
        check_length("the slide title", title, MAX_SLIDE_TITLE)?;
        Ok(self
            .store()
            .add_slide(
                lesson_id,
                NewSlide {
                    title: title.to_string(),
                    layout: SlideLayout::Bullets,
                    ..NewSlide::default()
                },
            )
            .await?)
    }

    /// Saves an instructor's changes to a slide's text. Text is stored as typed (HTML in it is
    /// text, escaped wherever it is shown).
    pub async fn edit_slide(
        &self,
        id: Uuid,
        changes: SlideChanges,
        expected_version: Option<i64>,
    ) -> Result<Slide> {
        if let Some(title) = &changes.title {
            check_length("the slide title", title, MAX_SLIDE_TITLE)?;
        }
        for (what, text) in [
            ("the slide body", &changes.body),
            ("the speaker notes", &changes.speaker_notes),
            ("the instructor notes", &changes.instructor_notes),
        ] {
            if let Some(text) = text {
                check_length(what, text, MAX_SLIDE_TEXT)?;
            }
        }
        let edit = SlideEdit {
            title: changes.title,
            body: changes.body,
            speaker_notes: changes.speaker_notes,
            instructor_notes: changes.instructor_notes,
            layout: changes.layout,
            ..SlideEdit::default()
        };
        Ok(self
            .store()
            .update_slide(id, edit, expected_version)
            .await?)
    }

    /// Moves a slide to `position` in `lesson_id` (its own lesson or another of the course).
    pub async fn move_slide(
        &self,
        id: Uuid,
        lesson_id: Uuid,
        position: usize,
        expected_version: Option<i64>,
    ) -> Result<Slide> {
        Ok(self
            .store()
            .move_slide(id, lesson_id, position, expected_version)
            .await?)
    }

    /// Attaches a new, empty draft component of `component_type` to a slide.
    pub async fn new_component(
        &self,
        slide_id: Uuid,
        component_type: ComponentType,
    ) -> Result<ComponentView> {
        let component = self
            .add_component(slide_id, component_type, Value::Object(Default::default()))
            .await?;
        Ok(view(component))
    }

    /// A component with the rules it breaks.
    pub async fn component_view(&self, id: Uuid) -> Result<ComponentView> {
        let (component, issues) = self.component(id).await?;
        Ok(ComponentView { component, issues })
    }

    /// Saves a component's payload and returns it with the rules it breaks now. A ready
    /// component must stay valid: a save that breaks a rule is refused with every issue.
    pub async fn save_component(
        &self,
        id: Uuid,
        payload: Value,
        expected_version: Option<i64>,
    ) -> Result<ComponentView> {
        Ok(view(
            self.update_component(id, payload, expected_version).await?,
        ))
    }

    /// Removes a component from its slide (its history stays).
    pub async fn delete_component(&self, id: Uuid, expected_version: Option<i64>) -> Result<()> {
        Ok(self.store().delete_component(id, expected_version).await?)
    }

    /// Puts the slide's current rendered picture under a HOTSPOT, with its size, so the
    /// author can draw regions on it. Refused when the slide is not rendered yet.
    pub async fn use_slide_picture(&self, id: Uuid) -> Result<ComponentView> {
        let component = self.store().component(id).await?;
        if component.component_type != ComponentType::Hotspot {
            return Err(crate::AppError::Invalid(format!(
                "component {id} is a {}, not a HOTSPOT: only a HOTSPOT is drawn over a picture",
                component.component_type
            )));
        }
        let render = self
            .store()
            .generated(component.slide_id, crate::generate::SLIDE_RENDER)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| {
                crate::AppError::Invalid(
                    "the slide has no picture yet: assemble the slide first".to_string(),
                )
            })?;
        let mut payload = component.payload.clone();
        if let Some(map) = payload.as_object_mut() {
            map.insert("image".into(), Value::String(render.asset.0.clone()));
            map.insert(
                "image_width".into(),
                Value::from(classkit_engines::slides::WIDTH as u32),
            );
            map.insert(
                "image_height".into(),
                Value::from(classkit_engines::slides::HEIGHT as u32),
            );
        }
        self.save_component(id, payload, Some(component.version))
            .await
    }

    /// Marks a component ready (refused with every issue when it is not valid) or draft.
    pub async fn set_ready(&self, id: Uuid, ready: bool) -> Result<ComponentView> {
        let component = if ready {
            self.mark_ready(id).await?
        } else {
            self.mark_draft(id).await?
        };
        Ok(view(component))
    }

    /// The rendered page, thumbnail and narration of a slide, when they are made.
    pub async fn slide_media(&self, slide_id: Uuid) -> Result<SlideMedia> {
        let renders = self
            .store()
            .generated(slide_id, crate::generate::SLIDE_RENDER)
            .await?;
        let narration = self
            .store()
            .generated(slide_id, crate::generate::NARRATION)
            .await?;
        let first = renders.first();
        Ok(SlideMedia {
            slide_id,
            render: first.map(|g| Media {
                sha256: g.asset.0.clone(),
                media_type: g.media_type.clone(),
                duration_ms: None,
            }),
            thumbnail: first.and_then(|g| {
                g.thumbnail.as_ref().map(|t| Media {
                    sha256: t.0.clone(),
                    media_type: "image/png".to_string(),
                    duration_ms: None,
                })
            }),
            narration: narration.first().map(|g| Media {
                sha256: g.asset.0.clone(),
                media_type: g.media_type.clone(),
                duration_ms: g.duration_ms,
            }),
        })
    }

    /// What changed between two saved versions of a slide or component, field by field.
    pub async fn diff(&self, id: Uuid, from_version: i64, to_version: i64) -> Result<RevisionDiff> {
        let history = self.history(id).await?;
        let find = |version: i64| {
            history
                .iter()
                .find(|r| r.version == version)
                .ok_or_else(|| crate::AppError::Invalid(format!("{id} has no version {version}")))
        };
        let old = field_lines(&find(from_version)?.data);
        let new = field_lines(&find(to_version)?.data);
        let old: Vec<&str> = old.iter().map(String::as_str).collect();
        let new: Vec<&str> = new.iter().map(String::as_str).collect();
        let diff = similar::TextDiff::from_slices(&old, &new);
        let lines = diff
            .iter_all_changes()
            .map(|change| DiffLine {
                change: match change.tag() {
                    similar::ChangeTag::Equal => "same",
                    similar::ChangeTag::Insert => "added",
                    similar::ChangeTag::Delete => "removed",
                }
                .to_string(),
                text: change.value().to_string(),
            })
            .collect();
        Ok(RevisionDiff {
            id,
            from_version,
            to_version,
            lines,
        })
    }

    /// Plans the generation a course (or one lesson or slide of it) still needs and queues
    /// it on `queue` without waiting: the job tray follows it. Engines are checked and
    /// budgets applied before the first job is queued.
    pub async fn dispatch(
        &self,
        queue: &dyn Queue,
        course_id: Uuid,
        options: &AssembleOptions,
    ) -> Result<Dispatched> {
        let tree = self.store().course_tree(course_id).await?;
        let generation = self.generation()?;
        let mut report = AssembleReport {
            course_id,
            ..AssembleReport::default()
        };
        let planned = self.plan(&tree, &generation, options, &mut report).await?;
        if report.slides == 0 && options.scope != Scope::Course {
            return Err(crate::AppError::Invalid(format!(
                "nothing of course {course_id} is in {:?}",
                options.scope
            )));
        }
        let mut engines: Vec<&str> = planned.iter().filter_map(|j| j.engine.as_deref()).collect();
        engines.extend(options.speech_engine.as_deref());
        generation.probe(&engines).await?;
        self.check_budgets(&tree, report.estimated_cost_micros)
            .await?;
        let jobs = crate::generate::enqueue_planned(queue, planned).await?;
        Ok(Dispatched {
            course_id,
            scope: options.scope,
            slides: report.slides,
            up_to_date: report.up_to_date,
            jobs,
            estimated_cost_micros: report.estimated_cost_micros,
        })
    }

    /// The library's engines that call a provider over HTTP (the ones with API keys).
    pub fn paid_engines(&self) -> Result<Vec<PaidEngine>> {
        let generation = self.generation()?;
        Ok(generation
            .config()
            .engines()
            .iter()
            .filter(|e| !e.provider.is_builtin())
            .map(|e| PaidEngine {
                id: e.id.clone(),
                kind: e.kind.as_str().to_string(),
                endpoint: e
                    .endpoint
                    .as_deref()
                    .map(classkit_engines::openai::shown_endpoint)
                    .unwrap_or_default(),
                model: e.model.clone().unwrap_or_default(),
                api_key_env: e.api_key_env.clone(),
            })
            .collect())
    }

    /// The newest jobs of the queue, for the job tray.
    pub async fn jobs(&self, queue: &dyn Queue, limit: usize) -> Result<Vec<JobView>> {
        let jobs = queue
            .list(&JobFilter {
                limit: Some(limit.clamp(1, 1000)),
                ..JobFilter::default()
            })
            .await?;
        Ok(jobs.iter().map(JobView::of).collect())
    }

    /// Cancels a job that has not finished.
    pub async fn cancel_job(&self, queue: &dyn Queue, id: Uuid) -> Result<JobView> {
        Ok(JobView::of(&queue.cancel(id).await?))
    }

    /// Queues a dead or cancelled job again with fresh attempts.
    pub async fn retry_job(&self, queue: &dyn Queue, id: Uuid) -> Result<JobView> {
        Ok(JobView::of(&queue.retry(id).await?))
    }
}

fn view(component: LearningComponent) -> ComponentView {
    let issues = classkit_model::check_payload(component.component_type, &component.payload);
    ComponentView { component, issues }
}

fn check_length(what: &str, text: &str, max: usize) -> Result<()> {
    let n = text.chars().count();
    if n > max {
        return Err(crate::AppError::Invalid(format!(
            "{what} is {n} characters long; at most {max} fit"
        )));
    }
    Ok(())
}

/// Fields an instructor did not write: left out of diffs.
const BOOKKEEPING: &[&str] = &[
    "id",
    "created_at",
    "updated_at",
    "version",
    "slide_id",
    "lesson_id",
    "position",
    "schema_version",
];

/// `path: value` for every leaf of a saved entity, in document order, for diffs. The
/// payload of a component is flattened from its root, so its fields read as the editor names
/// them.
fn field_lines(data: &Value) -> Vec<String> {
    fn walk(path: &str, value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    if path.is_empty() && BOOKKEEPING.contains(&key.as_str()) {
                        continue;
                    }
                    let p = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}/{key}")
                    };
                    walk(&p, v, out);
                }
            }
            Value::Array(items) => {
                if items.is_empty() {
                    out.push(format!("{path}: (none)"));
                }
                for (i, v) in items.iter().enumerate() {
                    walk(&format!("{path}/{i}"), v, out);
                }
            }
            Value::String(s) => {
                // One line per line of text, so a changed line of a long body shows alone.
                let mut lines = s.lines();
                match lines.next() {
                    None => out.push(format!("{path}: (empty)")),
                    Some(first) => {
                        out.push(format!("{path}: {first}"));
                        for line in lines {
                            out.push(format!("{path}: … {line}"));
                        }
                    }
                }
            }
            other => out.push(format!("{path}: {other}")),
        }
    }
    let mut out = Vec::new();
    let root = match data.get("payload") {
        Some(payload) => {
            let mut out_status = Vec::new();
            if let Some(status) = data.get("status") {
                walk("status", status, &mut out_status);
            }
            out.extend(out_status);
            payload
        }
        None => data,
    };
    walk("", root, &mut out);
    for line in &mut out {
        if !line.ends_with('\n') {
            line.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_lines_name_nested_fields_and_skip_bookkeeping() {
        let lines = field_lines(&json!({
            "id": "x", "version": 3, "status": "draft",
            "payload": {"schema_version": 2, "questions": [{"text": "a\nb", "options": []}]}
        }));
        assert_eq!(
            lines,
            vec![
                "status: draft\n",
                "questions/0/options: (none)\n",
                "questions/0/text: a\n",
                "questions/0/text: … b\n",
            ]
        );
    }
}
