//! `draft_component` jobs: a learning component drafted for a slide by a text engine.

use super::*;

/// The input of a draft job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftInput {
    pub slide_id: Uuid,
    #[serde(default)]
    pub course_id: Option<Uuid>,
    /// The speech engine for reference audio (the cheapest good one when absent).
    #[serde(default)]
    pub speech_engine: Option<String>,
    /// HOTSPOT: the cache key of the slide render it is drawn over.
    #[serde(default)]
    pub render_key: Option<String>,
    /// The component type's name (`QUIZ`, …).
    pub component_type: String,
    /// The text engine.
    pub engine: String,
    /// A new draft even when the cache has one.
    #[serde(default)]
    pub no_cache: bool,
}

/// What the cache keeps of a draft.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "drafted", rename_all = "snake_case")]
pub enum CachedDraft {
    /// A payload (before reference audio), and the fields left for the author.
    Payload {
        payload: serde_json::Value,
        #[serde(default)]
        for_author: Vec<String>,
    },
    /// The text does not support the type; why.
    Nothing { reason: String },
}

/// The cache key of a draft: the engine and its settings, the slide's text, the type, the
/// course's terms (the wrong answers come from them) and, for HOTSPOT, the render.
pub fn draft_key(
    engine: &dyn TextGen,
    slide: &classkit_model::Slide,
    component_type: ComponentType,
    glossary: &[String],
    render: &str,
) -> CacheKey {
    CacheKey::exact(
        engine.id(),
        None,
        &json!({
            "engine": engine.parameters(),
            "type": component_type.as_str(),
            "glossary": glossary,
            "render": render,
        }),
        &format!(
            "{}\n\u{0}\n{}\n\u{0}\n{}",
            slide.title, slide.body, slide.speaker_notes
        ),
    )
}

/// Points every provenance of a cached payload at `slide` (a copy of a course has the same
/// text under new ids).
pub fn provenance_for(value: &mut serde_json::Value, slide: Uuid) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(p) = map.get_mut("provenance").and_then(|p| p.as_object_mut())
                && p.contains_key("slide_id")
            {
                p.insert("slide_id".into(), json!(slide));
            }
            for v in map.values_mut() {
                provenance_for(v, slide);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| provenance_for(v, slide)),
        _ => {}
    }
}

/// The terms a course defines, for distractors. Every draft job of a course asks for it, and
/// reading a long Korean course's terms takes tens of milliseconds, so the last few are kept
/// by the text they come from.
pub fn course_glossary(tree: &CourseTree) -> Vec<String> {
    use std::hash::{Hash, Hasher};
    static RECENT: std::sync::Mutex<Vec<(u64, Vec<String>)>> = std::sync::Mutex::new(Vec::new());
    const KEPT: usize = 4;
    let notes = || {
        tree.lessons
            .iter()
            .flat_map(|l| &l.slides)
            .map(|s| s.slide.speaker_notes.as_str())
    };
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    notes().for_each(|n| n.hash(&mut hasher));
    let key = hasher.finish();
    let lock = || {
        RECENT
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    };
    if let Some((_, glossary)) = lock().iter().find(|(k, _)| *k == key) {
        return glossary.clone();
    }
    let glossary = classkit_engines::drafts::glossary(notes());
    let mut recent = lock();
    recent.retain(|(k, _)| *k != key);
    recent.push((key, glossary.clone()));
    if recent.len() > KEPT {
        recent.remove(0);
    }
    glossary
}

/// Drafts a learning component from a slide's text, as a draft for the instructor, with the
/// text engine the job names (extractive, or a language model). Listening and speaking
/// types get their reference audio from a `reference_audio` job it queues.
pub struct DraftHandler {
    pub workspace: Arc<dyn Workspace>,
    pub generation: Arc<Generation>,
}

impl DraftHandler {
    /// The draft from the cache, or from the engine (and then cached). Returns it with what
    /// it cost; a failure's cost is recorded before the failure is returned.
    async fn drafted(
        &self,
        ctx: &JobContext,
        input: &DraftInput,
        engine: &dyn TextGen,
        key: &CacheKey,
        request: &DraftRequest<'_>,
    ) -> std::result::Result<(CachedDraft, i64, bool), JobError> {
        if !input.no_cache
            && let Some(mut cached) = self.generation.cache.get::<CachedDraft>(key)
        {
            if let CachedDraft::Payload { payload, .. } = &mut cached {
                provenance_for(payload, request.slide.slide_id);
            }
            return Ok((cached, 0, true));
        }
        ctx.progress(10, "drafting").await;
        let draft = match engine.draft(request).await {
            Ok(d) => d,
            Err(failure) => {
                record_cost(
                    self.workspace.as_ref(),
                    ctx,
                    input.course_id,
                    engine.id(),
                    DRAFT,
                    failure.cost_micros,
                )
                .await?;
                return Err(failure.error);
            }
        };
        // Recorded before the cache is written: a retry that finds the draft in the cache
        // pays nothing, so this run's cost must already be on the ledger.
        record_cost(
            self.workspace.as_ref(),
            ctx,
            input.course_id,
            engine.id(),
            DRAFT,
            draft.cost_micros,
        )
        .await?;
        let cached = match draft.drafted {
            Drafted::Payload(payload) => CachedDraft::Payload {
                payload,
                for_author: Vec::new(),
            },
            Drafted::Partial {
                payload,
                for_author,
            } => CachedDraft::Payload {
                payload,
                for_author,
            },
            Drafted::Nothing(reason) => CachedDraft::Nothing { reason },
        };
        if let Err(e) = self.generation.cache.put(key, &cached) {
            tracing::warn!(error = %e, "could not write the cache");
        }
        Ok((cached, draft.cost_micros, false))
    }
}

#[async_trait]
impl classkit_jobs::Handler for DraftHandler {
    async fn run(&self, ctx: JobContext) -> std::result::Result<Output, JobError> {
        let input: DraftInput = serde_json::from_value(ctx.job.input.clone()).map_err(bad_input)?;
        let component_type: ComponentType = input.component_type.parse().map_err(|_| {
            JobError::permanent(format!(
                "{:?} is not a component type",
                input.component_type
            ))
        })?;
        let engine = self
            .generation
            .text_engine(&input.engine)
            .map_err(|e| JobError::permanent(e.to_string()))?;
        let slide = self.workspace.slide(input.slide_id).await?;
        let glossary = match input.course_id {
            Some(course) => course_glossary(&self.workspace.course_tree(course).await?),
            None => classkit_engines::drafts::glossary([slide.speaker_notes.as_str()]),
        };
        let render = input.render_key.clone().unwrap_or_default();
        let key = draft_key(engine.as_ref(), &slide, component_type, &glossary, &render);
        // A HOTSPOT is drawn over the slide as rendered now, with the boxes of its elements.
        let page = if component_type == ComponentType::Hotspot {
            let renders = self.workspace.generated(slide.id, SLIDE_RENDER).await?;
            let Some(page) = renders.into_iter().next().filter(|p| p.input_key == render) else {
                return Err(JobError::retryable(
                    "the slide's current image is not rendered yet; its slide_render job comes first",
                ));
            };
            Some(page)
        } else {
            None
        };
        let elements = page
            .as_ref()
            .and_then(|p| p.details["elements"].as_array().cloned())
            .unwrap_or_default();
        let request = DraftRequest {
            component_type,
            slide: classkit_engines::drafts::SlideText {
                slide_id: slide.id,
                title: &slide.title,
                body: &slide.body,
                notes: &slide.speaker_notes,
            },
            glossary: &glossary,
            render: page.as_ref().map(|p| RenderedSlide {
                image: &p.asset.0,
                width: classkit_engines::slides::WIDTH,
                height: classkit_engines::slides::HEIGHT,
                elements: &elements,
            }),
        };
        let (drafted, cost, cached) = self
            .drafted(&ctx, &input, engine.as_ref(), &key, &request)
            .await?;
        let cost = job_cost(self.workspace.as_ref(), &ctx, input.course_id, cost).await?;
        let origin = DraftOrigin {
            input_key: key.as_str(),
            engine: &input.engine,
            job_id: Some(ctx.job.id),
        };
        let (payload, for_author) = match drafted {
            CachedDraft::Payload {
                payload,
                for_author,
            } => (payload, for_author),
            CachedDraft::Nothing { reason } => {
                // Recorded, so the slide's type is up to date for this input (here and in
                // any library a bundle of the course goes to).
                self.workspace
                    .record_nothing_drafted(
                        slide.id,
                        component_type,
                        &origin,
                        &crate::short_reason(&reason),
                    )
                    .await?;
                return Ok(Output {
                    result: json!({"drafted": false, "reason": reason, "cached": cached}),
                    actual_cost_micros: Some(cost),
                });
            }
        };
        let outcome = self
            .workspace
            .save_draft(slide.id, component_type, payload, &origin)
            .await?;
        let component = match outcome {
            DraftOutcome::TakenOver(c) => {
                // The instructor has taken it over: their version stays.
                return Ok(Output {
                    result: json!({
                        "drafted": false,
                        "component_id": c.id,
                        "reason": "the instructor has changed the drafted component; it is left as it is",
                    }),
                    actual_cost_micros: Some(cost),
                });
            }
            DraftOutcome::Saved(c) | DraftOutcome::Unchanged(c) => c,
        };
        // Reference audio is its own job: its speech engine may be another provider, with
        // its own limits and retries.
        let mut follow_up = None;
        if classkit_engines::drafts::needs_audio(component_type)
            && missing_audio(&component.payload) > 0
        {
            let audio = ReferenceAudioInput {
                component_id: component.id,
                course_id: input.course_id,
                speech_engine: input.speech_engine.clone(),
            };
            let spec = self
                .generation
                .reference_audio_job(&component, audio)
                .following(&ctx.job);
            follow_up = Some(
                enqueue_fresh(ctx.queue().as_ref(), spec)
                    .await
                    .map_err(|e| {
                        JobError::retryable(format!("cannot queue reference audio: {e}"))
                    })?,
            );
        }
        Ok(Output {
            result: json!({
                "drafted": true,
                "component_id": component.id,
                "for_author": for_author,
                "cached": cached,
                "follow_up": follow_up,
            }),
            actual_cost_micros: Some(cost),
        })
    }
}
