//! `outline` jobs: a language model turns a lecture into lessons and slides, and the result
//! becomes a new course, as an import does (the instructor then edits it). The new course's
//! id is the job's, so a job delivered twice makes one course.

use super::*;
use classkit_engines::CacheKey;
use classkit_engines::outline::LectureOutline;
use classkit_model::ChangeKind;
use classkit_model::outline::{
    Outline, OutlineLesson, OutlineSlide, title_from_file_name, truncate_title,
};

/// Job kind: a lecture outlined into a new course.
pub const OUTLINE: &str = "outline";
/// Tokens of instructions around the lecture in an outline request.
pub const OUTLINE_PROMPT_TOKENS: u64 = 300;

/// The input of an outline job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// What outlining a lecture of `chars` bytes costs on `engine` (the model reads the lecture
/// and writes it back as an outline).
pub fn outline_estimate(generation: &Generation, engine: &str, bytes: usize) -> i64 {
    let tokens = (bytes as u64).div_ceil(4);
    generation
        .price(engine)
        .tokens_micros(tokens + OUTLINE_PROMPT_TOKENS, tokens)
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
    let short = |t: &str| truncate_title(t).0;
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

/// Outlines lectures into courses.
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
                actual_cost_micros: Some(job_cost(workspace, &ctx, Some(course_id), 0).await?),
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
        let outline = to_import(outline, &input.text, input.title.as_deref());
        let outline = if outline.title.is_empty() {
            Outline {
                title: title_from_file_name(&input.name),
                ..outline
            }
        } else {
            outline
        };
        let tree = outline.to_tree(
            course_id,
            chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6),
        );
        workspace.add_course(&tree, ChangeKind::Outlined).await?;
        Ok(Output {
            result: json!({
                "course_id": course_id,
                "title": tree.course.title,
                "lessons": tree.lessons.len(),
                "slides": tree.slide_count(),
                "cached": hit,
            }),
            actual_cost_micros: Some(job_cost(workspace, &ctx, Some(course_id), cost).await?),
        })
    }
}
