//! `outline` jobs: a language model turns a lecture into lessons and slides, and the result
//! becomes a new course, as an import does (the instructor then edits it).

use crate::generate::{Generation, Workspace, bad_input, record_cost};
use crate::import::{self, Outline, OutlineLesson, OutlineSlide};
use crate::{App, AppError, ImportSummary, Result};
use async_trait::async_trait;
use classkit_engines::CacheKey;
use classkit_engines::outline::LectureOutline;
use classkit_jobs::{JobContext, JobError, JobSpec, JobState, Output};
use classkit_model::ChangeKind;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Job kind: a lecture outlined into a new course.
pub const OUTLINE: &str = "outline";
/// Tokens of instructions around the lecture in an outline request.
const OUTLINE_PROMPT_TOKENS: u64 = 300;

/// The input of an outline job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutlineInput {
    /// The file name the lecture came from (for the title when none is given).
    pub name: String,
    pub text: String,
    #[serde(default)]
    pub title: Option<String>,
    pub engine: String,
    #[serde(default)]
    pub no_cache: bool,
}

/// The cache key of an outline.
fn outline_key(engine: &classkit_engines::openai::OpenAiText, text: &str) -> CacheKey {
    use classkit_engines::TextGen;
    CacheKey::exact(
        engine.id(),
        None,
        &json!({"engine": engine.parameters(), "kind": OUTLINE}),
        text,
    )
}

/// A model's outline as the importer's (the model's titles shortened as the importer's are;
/// a title the instructor gives is kept as given).
fn to_import(outline: LectureOutline, text: &str, title: Option<&str>) -> Outline {
    let short = |t: &str| import::truncate_title(t).0;
    Outline {
        title: title
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map_or_else(|| short(&outline.title), str::to_string),
        language: classkit_engines::lang::detect(text),
        lessons: outline
            .lessons
            .into_iter()
            .map(|l| OutlineLesson {
                title: short(&l.title),
                slides: l
                    .slides
                    .into_iter()
                    .map(|s| OutlineSlide {
                        title: short(&s.title),
                        body: s
                            .bullets
                            .iter()
                            .map(|b| format!("- {}", b.trim()))
                            .collect::<Vec<_>>()
                            .join("\n"),
                        speaker_notes: s.narration.trim().to_string(),
                        instructor_notes: String::new(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Outlines lectures into courses. The new course's id is the job's, so a job delivered
/// twice makes one course.
pub struct OutlineHandler {
    pub workspace: Arc<dyn Workspace>,
    pub generation: Arc<Generation>,
}

#[async_trait]
impl classkit_jobs::Handler for OutlineHandler {
    async fn run(&self, ctx: JobContext) -> std::result::Result<Output, JobError> {
        let input: OutlineInput =
            serde_json::from_value(ctx.job.input.clone()).map_err(bad_input)?;
        let course_id = ctx.job.id;
        let workspace = self.workspace.as_ref();
        if workspace.course_exists(course_id).await? {
            return Ok(Output {
                result: json!({"course_id": course_id, "cached": false}),
                actual_cost_micros: Some(0),
            });
        }
        let engine = self
            .generation
            .outliner(&input.engine)
            .map_err(|e| JobError::permanent(e.to_string()))?;
        let key = outline_key(&engine, &input.text);
        let cached = if input.no_cache {
            None
        } else {
            self.generation.cache().get::<LectureOutline>(&key)
        };
        let hit = cached.is_some();
        let (outline, cost) = match cached {
            Some(o) => (o, 0),
            None => {
                ctx.progress(10, "outlining").await;
                match engine.outline(&input.text).await {
                    Ok((outline, _, cost)) => {
                        // On the ledger before the cache: a retry from the cache is free.
                        record_cost(
                            workspace,
                            &ctx,
                            Some(course_id),
                            &input.engine,
                            OUTLINE,
                            cost,
                        )
                        .await?;
                        if let Err(e) = self.generation.cache().put(&key, &outline) {
                            tracing::warn!(error = %e, "could not write the cache");
                        }
                        (outline, cost)
                    }
                    Err(failure) => {
                        record_cost(
                            workspace,
                            &ctx,
                            Some(course_id),
                            &input.engine,
                            OUTLINE,
                            failure.cost_micros,
                        )
                        .await?;
                        return Err(failure.error);
                    }
                }
            }
        };
        let fallback = crate::courses::title_from_file_name(&input.name);
        let outline = to_import(outline, &input.text, input.title.as_deref());
        let outline = if outline.title.is_empty() {
            Outline {
                title: fallback,
                ..outline
            }
        } else {
            outline
        };
        let tree = crate::courses::outline_to_tree(&outline, course_id);
        workspace.add_course(&tree, ChangeKind::Outlined).await?;
        Ok(Output {
            result: json!({
                "course_id": course_id,
                "title": tree.course.title,
                "lessons": tree.lessons.len(),
                "slides": tree.slide_count(),
                "cached": hit,
            }),
            actual_cost_micros: Some(cost),
        })
    }
}

impl App {
    /// Imports a lecture file as a new course outlined by the language model `engine`: an
    /// `outline` job run on bundled workers. Nothing is stored when the file is refused, the
    /// engine cannot be reached, or the library's budget would be exceeded.
    pub async fn import_lecture_outlined(
        &self,
        path: &Path,
        title: Option<&str>,
        engine: &str,
    ) -> Result<ImportSummary> {
        let bytes = crate::read_limited(path, import::MAX_LECTURE_BYTES as u64 + 1).await?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        if bytes.len() > import::MAX_LECTURE_BYTES {
            return Err(import::ImportError::TooLarge {
                name,
                size: bytes.len(),
                limit: import::MAX_LECTURE_BYTES,
            }
            .into());
        }
        let text = import::decode_lecture(&name, &bytes)?;
        let generation = self.generation()?;
        generation.outliner(engine)?;
        generation.probe(&[engine]).await?;
        // The model reads the lecture and writes it back as an outline.
        let tokens = (text.len() as u64).div_ceil(4);
        let estimate = generation
            .price(engine)
            .tokens_micros(tokens + OUTLINE_PROMPT_TOKENS, tokens);
        self.check_library_budget(estimate).await?;
        let input = OutlineInput {
            name,
            text,
            title: title.map(str::to_string),
            engine: engine.to_string(),
            no_cache: false,
        };
        let workers = self.start_bundled_workers(1).await?;
        let queue = self.queue().await?;
        let mut spec = JobSpec::new(OUTLINE, json!(input));
        spec.engine = Some(engine.to_string());
        spec.estimated_cost_micros = Some(estimate);
        let started_at = chrono::Utc::now();
        let id = queue.enqueue(spec).await?.job.id;
        let job = loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let job = queue.get(id).await?;
            if job.state.is_final() {
                break job;
            }
            // A job that cannot finish (a full disk): stop waiting and say why.
            if let Some(error) = workers
                .stalled(self.store().dir())
                .or_else(|| crate::jobs::disk_full_since(&job, started_at))
            {
                // The outline is not waited for: it must not run later and make (and pay
                // for) a course this import said it could not.
                let _ = queue.cancel(id).await;
                workers.stop().await;
                return Err(error);
            }
        };
        workers.stop().await;
        if job.state != JobState::Succeeded {
            return Err(AppError::Engines(format!(
                "the lecture could not be outlined: {}",
                job.last_error
                    .map(|e| e.message)
                    .unwrap_or_else(|| job.state.to_string())
            )));
        }
        let course_id: Uuid = job
            .result
            .as_ref()
            .and_then(|r| r["course_id"].as_str())
            .and_then(|id| id.parse().ok())
            .ok_or_else(|| AppError::Engines("the outline job gave no course".into()))?;
        let tree = self.store().course_tree(course_id).await?;
        Ok(ImportSummary {
            course_id,
            title: tree.course.title.clone(),
            language: tree.course.language.clone(),
            lessons: tree.lessons.len(),
            slides: tree.slide_count(),
        })
    }
}
