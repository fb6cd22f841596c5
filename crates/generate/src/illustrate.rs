//! `illustration` jobs: a picture for an image + text slide from an image engine, stored in
//! the library and set as the slide's image unless the instructor has chosen one meanwhile.
//! The slide is then rendered again with it.

use crate::{
    Generation, SLIDE_RENDER, SlideOutput, SlideRenderInput, Workspace, bad_input, record_cost,
};
use async_trait::async_trait;
use classkit_engines::CacheKey;
use classkit_engines::images::{ImageGen, ImageRequest};
use classkit_jobs::{JobContext, JobError, JobSpec, Output};
use classkit_model::generation::Generated;
use classkit_model::{AssetRef, Slide};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

/// Job kind: an illustration for a slide.
pub const ILLUSTRATION: &str = "illustration";
/// Most characters of the slide's text put in the prompt.
const PROMPT_TEXT_CHARS: usize = 600;

/// The input of an illustration job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IllustrationInput {
    pub slide_id: Uuid,
    #[serde(default)]
    pub course_id: Option<Uuid>,
    pub engine: String,
    pub prompt: String,
    /// Where the slide is, for rendering it again with its new image.
    pub footer: String,
    pub number: u32,
    #[serde(default)]
    pub no_cache: bool,
}

/// What to ask an image engine for, for `slide`.
pub fn illustration_prompt(slide: &Slide) -> String {
    let text: String = format!(
        "{} {}",
        slide.body,
        classkit_model::spoken(&slide.speaker_notes)
    )
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ")
    .chars()
    .take(PROMPT_TEXT_CHARS)
    .collect();
    format!(
        "A clear, friendly illustration for a lesson slide titled \"{}\". The slide is about: \
         {text}. Flat style, plain light background, no words or letters in the picture.",
        slide.title.trim()
    )
}

/// The cache key of an illustration.
pub fn illustration_key(engine: &dyn ImageGen, request: &ImageRequest) -> CacheKey {
    CacheKey::new(
        engine.id(),
        None,
        &engine.parameters(request),
        &request.prompt,
    )
}

/// What the cache keeps of an illustration.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct IllustrationRecord {
    asset: AssetRef,
    media_type: String,
}

/// Makes illustrations.
pub struct IllustrationHandler {
    pub workspace: Arc<dyn Workspace>,
    pub generation: Arc<Generation>,
}

#[async_trait]
impl classkit_jobs::Handler for IllustrationHandler {
    async fn run(&self, ctx: JobContext) -> Result<Output, JobError> {
        let input: IllustrationInput =
            serde_json::from_value(ctx.job.input.clone()).map_err(bad_input)?;
        let engine = self
            .generation
            .image_engine(&input.engine)
            .map_err(|e| JobError::permanent(e.to_string()))?;
        let request = ImageRequest::new(input.prompt.clone());
        let key = illustration_key(engine.as_ref(), &request);
        let cached = match self.generation.cache().get::<IllustrationRecord>(&key) {
            Some(r)
                if !input.no_cache
                    && matches!(self.workspace.has_asset(&r.asset).await, Ok(true)) =>
            {
                Some(r)
            }
            _ => None,
        };
        let hit = cached.is_some();
        let record = match cached {
            Some(r) => r,
            None => {
                ctx.progress(10, "drawing").await;
                let image = engine.generate(&request).await?;
                // Paid for now, whatever happens next.
                record_cost(
                    self.workspace.as_ref(),
                    &ctx,
                    input.course_id,
                    &input.engine,
                    ILLUSTRATION,
                    self.generation.price(&input.engine).images_micros(1),
                )
                .await?;
                let asset = self
                    .workspace
                    .put_asset(&image.bytes, image.media_type)
                    .await?;
                let record = IllustrationRecord {
                    asset,
                    media_type: image.media_type.to_string(),
                };
                if let Err(e) = self.generation.cache().put(&key, &record) {
                    tracing::warn!(error = %e, "could not write the cache");
                }
                record
            }
        };
        let cost = if hit {
            0
        } else {
            self.generation.price(&input.engine).images_micros(1)
        };
        self.workspace
            .put_generated(
                input.slide_id,
                ILLUSTRATION,
                &[Generated {
                    target_id: input.slide_id,
                    kind: ILLUSTRATION.into(),
                    page: 0,
                    asset: record.asset.clone(),
                    media_type: record.media_type.clone(),
                    thumbnail: None,
                    duration_ms: None,
                    input_key: key.as_str().to_string(),
                    engine: input.engine.clone(),
                    cost_micros: cost,
                    job_id: Some(ctx.job.id),
                    details: json!({"prompt": input.prompt, "cached": hit}),
                }],
            )
            .await?;
        // The slide shows it, unless the instructor has set an image of their own meanwhile.
        let placed = self
            .workspace
            .point_slide_at(
                input.slide_id,
                SlideOutput::Picture {
                    asset: &record.asset,
                },
            )
            .await?;
        let mut follow_up = None;
        if placed {
            let render = SlideRenderInput {
                slide_id: input.slide_id,
                course_id: input.course_id,
                footer: input.footer.clone(),
                number: input.number,
                no_cache: false,
            };
            let spec = JobSpec::new(SLIDE_RENDER, json!(render))
                .following(&ctx.job)
                .target(input.slide_id)
                .dedup_key(format!(
                    "{SLIDE_RENDER}:{}:{}",
                    input.slide_id, record.asset.0
                ));
            follow_up = Some(
                crate::enqueue_fresh(ctx.queue().as_ref(), spec)
                    .await
                    .map_err(|e| {
                        JobError::retryable(format!("cannot queue the slide's render: {e}"))
                    })?,
            );
        }
        Ok(Output {
            result: json!({
                "asset": record.asset,
                "placed": placed,
                "cached": hit,
                "follow_up": follow_up,
            }),
            actual_cost_micros: Some(
                crate::job_cost(self.workspace.as_ref(), &ctx, input.course_id, cost).await?,
            ),
        })
    }
}
