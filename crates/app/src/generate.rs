//! Generation from the app's side: the engines of a library, the job handlers that write
//! their outputs into it, and `assemble`, which dispatches a course's jobs and runs them.
//!
//! Handlers are idempotent: outputs are stored by content hash and recorded per slide (a new
//! take replaces the old one), so a job delivered twice leaves one result. Every output is
//! looked up in the library's cache first (`cache/`, keyed by engine, parameters and
//! normalized input): unchanged input costs nothing and returns at once.

use crate::{App, AppError, Result};
use async_trait::async_trait;
use classkit_engines::cache::normalize;
use classkit_engines::drafts::{DraftRequest, Drafted, Extractive, RenderedSlide, TextGen};
use classkit_engines::images::ImageGen;
use classkit_engines::openai::{self, OpenAiImages, OpenAiText, OpenAiTts};
use classkit_engines::slides::{Element, SlideInput, SlideRenderer};
use classkit_engines::tts::{Espeak, Piper, SpeechRequest, Tts};
use classkit_engines::{Cache, CacheKey, EngineKind, EnginesConfig, Provider};
use classkit_jobs::{JobContext, JobError, JobSpec, JobState, Output, Queue};
use classkit_model::{AssetRef, ComponentStatus, ComponentType, CourseTree};
use classkit_store::{BudgetScope, DraftOutcome, Generated, SlideEdit, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Job kind: a slide's narration.
pub const NARRATION: &str = "narration";
/// Job kind: a slide rendered to PNG pages.
pub const SLIDE_RENDER: &str = "slide_render";
/// Job kind: a learning component drafted for a slide.
pub const DRAFT: &str = "draft_component";
/// Job kind: the reference audio of a drafted listening or speaking component.
pub const REFERENCE_AUDIO: &str = "reference_audio";
/// The builtin text engine.
pub const EXTRACTIVE: &str = "extractive";
/// Changes when the slide renderer's output changes, so old renders are not reused.
const RENDERER_VERSION: &str = "slides-1";
/// The configuration file in a library folder.
pub const ENGINES_FILE: &str = "engines.toml";

/// The engines of one library, built once and shared by its handlers.
pub struct Generation {
    config: EnginesConfig,
    tts: HashMap<String, Arc<dyn Tts>>,
    text: HashMap<String, Arc<dyn TextGen>>,
    pub(crate) images: HashMap<String, Arc<dyn ImageGen>>,
    pub(crate) outliners: HashMap<String, Arc<OpenAiText>>,
    slides: std::sync::OnceLock<std::result::Result<SlideRenderer, JobError>>,
    cache: Cache,
}

impl std::fmt::Debug for Generation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generation")
            .field("tts", &self.tts.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The size of a type's JSON Schema as sent to a model, in characters.
fn schema_chars(kind: ComponentType) -> usize {
    kind.json_schema().to_string().len()
}

/// A client for an HTTP engine of the configuration.
fn openai_client(engine: &classkit_engines::EngineConfig) -> Result<openai::Client> {
    openai::Client::new(engine).map_err(|e| AppError::EnginesConfig(e.message))
}

impl Generation {
    /// The engines configured for the library in `dir` (`engines.toml` there, or the
    /// builtin ones).
    pub fn for_library(dir: &std::path::Path) -> Result<Self> {
        Self::with_config_file(dir, &dir.join(ENGINES_FILE))
    }

    /// The engines configured in `file` (a missing file means the builtin ones only), with
    /// the cache of the library in `dir`.
    pub fn with_config_file(dir: &std::path::Path, file: &std::path::Path) -> Result<Self> {
        let config =
            EnginesConfig::load(file).map_err(|e| AppError::EnginesConfig(e.to_string()))?;
        let mut tts: HashMap<String, Arc<dyn Tts>> = HashMap::new();
        for engine in config
            .engines()
            .iter()
            .filter(|e| e.kind == EngineKind::Tts)
        {
            match engine.provider {
                Provider::EspeakNg => {
                    tts.insert(
                        engine.id.clone(),
                        Arc::new(Espeak::new(
                            &engine.id,
                            engine.voice.clone(),
                            engine.rate_wpm,
                        )),
                    );
                }
                Provider::Piper => {
                    // Used when installed (scripts/setup installs it).
                    if let Some(home) = Piper::default_home()
                        && let Some(piper) = Piper::find(&engine.id, &home, engine.voice.as_deref())
                    {
                        tts.insert(engine.id.clone(), Arc::new(piper));
                    }
                }
                Provider::Openai => {
                    tts.insert(
                        engine.id.clone(),
                        Arc::new(OpenAiTts::new(openai_client(engine)?, engine.voice.clone())),
                    );
                }
                Provider::Extractive => {}
            }
        }
        let mut text: HashMap<String, Arc<dyn TextGen>> = HashMap::new();
        let mut outliners = HashMap::new();
        let mut images: HashMap<String, Arc<dyn ImageGen>> = HashMap::new();
        for engine in config.engines() {
            match (engine.kind, engine.provider) {
                (EngineKind::Text, Provider::Extractive) => {
                    text.insert(engine.id.clone(), Arc::new(Extractive::new(&engine.id)));
                }
                (EngineKind::Text, Provider::Openai) => {
                    let model = Arc::new(OpenAiText::new(openai_client(engine)?, engine.price));
                    outliners.insert(engine.id.clone(), model.clone());
                    text.insert(engine.id.clone(), model);
                }
                (EngineKind::Image, Provider::Openai) => {
                    images.insert(
                        engine.id.clone(),
                        Arc::new(OpenAiImages::new(openai_client(engine)?)),
                    );
                }
                _ => {}
            }
        }
        Ok(Self {
            config,
            tts,
            text,
            images,
            outliners,
            slides: std::sync::OnceLock::new(),
            cache: Cache::new(dir.join("cache")),
        })
    }

    /// The text engine `id`.
    pub fn text_engine(&self, id: &str) -> Result<Arc<dyn TextGen>> {
        self.text.get(id).cloned().ok_or_else(|| {
            let mut ids: Vec<&str> = self.text.keys().map(String::as_str).collect();
            ids.sort_unstable();
            AppError::Engines(format!(
                "there is no text engine {id:?} here (available: {})",
                ids.join(", ")
            ))
        })
    }

    /// Checks, before anything is queued, that the HTTP engines among `ids` answer the
    /// OpenAI API and have their models; the error says what to fix.
    pub async fn probe(&self, ids: &[&str]) -> Result<()> {
        let mut checked: Vec<&str> = Vec::new();
        for id in ids {
            if checked.contains(id) {
                continue;
            }
            checked.push(id);
            if let Some(engine) = self.config.get(id)
                && engine.provider == Provider::Openai
            {
                openai::probe(engine)
                    .await
                    .map_err(|e| AppError::Engines(e.message))?;
            }
        }
        Ok(())
    }

    /// The job that records a drafted component's reference audio, on the speech engine
    /// it will use (so that engine's limits hold) with its estimated cost.
    pub(crate) fn reference_audio_job(
        &self,
        component: &classkit_model::LearningComponent,
        input: ReferenceAudioInput,
    ) -> JobSpec {
        let text: usize = AUDIO_LISTS
            .iter()
            .filter_map(|list| component.payload.get(*list).and_then(|v| v.as_array()))
            .flatten()
            .filter(|item| item.get("audio").is_none_or(|a| a.is_null()))
            .map(|item| item_text(item).chars().count())
            .sum();
        let language = component.payload["language"]
            .as_str()
            .and_then(|t| t.split('-').next())
            .map(str::to_string);
        let chosen = self
            .choose_tts(input.speech_engine.as_deref(), language.as_deref(), text)
            .ok();
        let mut spec = JobSpec::new(REFERENCE_AUDIO, json!(input))
            .target(component.id)
            .dedup_key(format!(
                "{REFERENCE_AUDIO}:{}:{}",
                component.id, component.version
            ));
        if let Some((tts, estimate)) = chosen {
            spec.engine = Some(tts.id().to_string());
            spec.estimated_cost_micros = Some(estimate);
        }
        spec
    }

    /// What `engine` charges.
    pub(crate) fn price(&self, engine: &str) -> classkit_engines::PriceTable {
        self.config.get(engine).map(|e| e.price).unwrap_or_default()
    }

    pub fn config(&self) -> &EnginesConfig {
        &self.config
    }

    pub(crate) fn cache(&self) -> &Cache {
        &self.cache
    }

    /// The speech engines that can run here, by id.
    pub fn speech_engines(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.tts.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// The speech engine for `language`: the one asked for, else the cheapest that speaks
    /// it, the better one at equal price.
    pub fn choose_tts(
        &self,
        asked: Option<&str>,
        language: Option<&str>,
        chars: usize,
    ) -> Result<(Arc<dyn Tts>, i64)> {
        let price = |id: &str| {
            self.config
                .get(id)
                .map(|e| e.price.speech_micros(chars))
                .unwrap_or_default()
        };
        if let Some(id) = asked {
            let tts = self.tts.get(id).cloned().ok_or_else(|| {
                AppError::Engines(format!(
                    "there is no speech engine {id:?} here (available: {})",
                    self.speech_engines().join(", ")
                ))
            })?;
            return Ok((tts, price(id)));
        }
        let best = self
            .config
            .engines()
            .iter()
            .filter(|e| e.kind == EngineKind::Tts && self.tts.contains_key(&e.id))
            .filter(|e| e.speaks(language))
            .min_by(|a, b| {
                price(&a.id)
                    .cmp(&price(&b.id))
                    .then(b.quality.cmp(&a.quality))
            })
            .ok_or_else(|| {
                AppError::Engines(format!(
                    "no speech engine here speaks {}",
                    language.unwrap_or("this language")
                ))
            })?;
        let tts = self.tts.get(&best.id).cloned().ok_or_else(|| {
            AppError::Engines(format!("the speech engine {} is not available", best.id))
        })?;
        Ok((tts, price(&best.id)))
    }

    fn renderer(&self) -> std::result::Result<&SlideRenderer, JobError> {
        self.slides
            .get_or_init(SlideRenderer::system)
            .as_ref()
            .map_err(Clone::clone)
    }

    fn price_micros(&self, engine: &str, chars: usize) -> i64 {
        self.config
            .get(engine)
            .map(|e| e.price.speech_micros(chars))
            .unwrap_or_default()
    }
}

/// The input of a narration job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NarrationInput {
    pub slide_id: Uuid,
    /// The course it is for (what its cost counts against).
    #[serde(default)]
    pub course_id: Option<Uuid>,
    pub text: String,
    #[serde(default)]
    pub language: Option<String>,
    pub engine: String,
    /// A new take even when the cache has one.
    #[serde(default)]
    pub no_cache: bool,
}

/// The input of a slide render job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SlideRenderInput {
    pub slide_id: Uuid,
    #[serde(default)]
    pub course_id: Option<Uuid>,
    pub footer: String,
    pub number: u32,
    #[serde(default)]
    pub no_cache: bool,
}

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
enum CachedDraft {
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
fn draft_key(
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
fn provenance_for(value: &mut serde_json::Value, slide: Uuid) {
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

/// The terms a course defines, for distractors.
fn course_glossary(tree: &CourseTree) -> Vec<String> {
    classkit_engines::drafts::glossary(
        tree.lessons
            .iter()
            .flat_map(|l| &l.slides)
            .map(|s| s.slide.speaker_notes.as_str()),
    )
}

/// Records what an attempt cost against its course.
pub(crate) async fn record_cost(
    store: &Store,
    ctx: &JobContext,
    course: Option<Uuid>,
    engine: &str,
    kind: &str,
    micros: i64,
) -> std::result::Result<(), JobError> {
    if micros > 0
        && let Some(course) = course
    {
        store
            .record_spending(ctx.job.id, ctx.job.attempts, course, engine, kind, micros)
            .await
            .map_err(store_error)?;
    }
    Ok(())
}

/// Drafts a learning component from a slide's text, as a draft for the instructor, with the
/// text engine the job names (extractive, or a language model). Listening and speaking
/// types get their reference audio from a `reference_audio` job it queues.
pub struct DraftHandler {
    pub store: Store,
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
                    &self.store,
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
            &self.store,
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
        let slide = self
            .store
            .slide(input.slide_id)
            .await
            .map_err(store_error)?;
        let glossary = match input.course_id {
            Some(course) => {
                course_glossary(&self.store.course_tree(course).await.map_err(store_error)?)
            }
            None => classkit_engines::drafts::glossary([slide.speaker_notes.as_str()]),
        };
        let render = input.render_key.clone().unwrap_or_default();
        let key = draft_key(engine.as_ref(), &slide, component_type, &glossary, &render);
        // A HOTSPOT is drawn over the slide as rendered now, with the boxes of its elements.
        let page = if component_type == ComponentType::Hotspot {
            let renders = self
                .store
                .generated(slide.id, SLIDE_RENDER)
                .await
                .map_err(store_error)?;
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
        let (payload, for_author) = match drafted {
            CachedDraft::Payload {
                payload,
                for_author,
            } => (payload, for_author),
            CachedDraft::Nothing { reason } => {
                return Ok(Output {
                    result: json!({"drafted": false, "reason": reason, "cached": cached}),
                    actual_cost_micros: Some(cost),
                });
            }
        };
        let outcome = self
            .store
            .save_draft(
                &classkit_store::Drafted {
                    slide_id: slide.id,
                    component_type: component_type.as_str().to_string(),
                    component_id: Uuid::nil(),
                    version: 0,
                    input_key: key.as_str().to_string(),
                    engine: input.engine.clone(),
                },
                component_type,
                payload,
                Some(ctx.job.id),
            )
            .await
            .map_err(store_error)?;
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
            let spec = self.generation.reference_audio_job(&component, audio);
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

/// The input of a reference audio job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReferenceAudioInput {
    pub component_id: Uuid,
    #[serde(default)]
    pub course_id: Option<Uuid>,
    /// The speech engine (the cheapest good one per item's language when absent).
    #[serde(default)]
    pub speech_engine: Option<String>,
}

/// The items of a listening or speaking payload, by list name.
const AUDIO_LISTS: [&str; 2] = ["sentences", "items"];

/// How many items of a payload have text and no audio.
fn missing_audio(payload: &serde_json::Value) -> usize {
    AUDIO_LISTS
        .iter()
        .filter_map(|list| payload.get(*list).and_then(|v| v.as_array()))
        .flatten()
        .filter(|item| item.get("audio").is_none_or(|a| a.is_null()))
        .filter(|item| !item_text(item).trim().is_empty())
        .count()
}

fn item_text(item: &serde_json::Value) -> &str {
    item["text"]
        .as_str()
        .or_else(|| item["target"].as_str())
        .unwrap_or_default()
}

/// Records the reference audio of a drafted DICTATION, SHADOWING or PRONUNCIATION: every
/// item with text and no audio is spoken in its own language (through the cache: the same
/// sentence is spoken once) and the component is updated. The instructor's edits made
/// meanwhile are kept: audio is added only to items whose text is what was spoken.
pub struct ReferenceAudioHandler {
    pub store: Store,
    pub generation: Arc<Generation>,
}

#[async_trait]
impl classkit_jobs::Handler for ReferenceAudioHandler {
    async fn run(&self, ctx: JobContext) -> std::result::Result<Output, JobError> {
        let input: ReferenceAudioInput =
            serde_json::from_value(ctx.job.input.clone()).map_err(bad_input)?;
        let component = self
            .store
            .component(input.component_id)
            .await
            .map_err(store_error)?;
        // Speak every item first (the slow part), then apply the audio to the component as
        // it is then. What was paid for is recorded even when a later item fails.
        // Each item's cost is recorded as it is spoken. Items spoken before one fails are
        // still put on the component.
        let mut spoken: HashMap<(String, Option<String>), AssetRef> = HashMap::new();
        let mut cost = 0;
        let result = self
            .speak_items(&ctx, &input, &component.payload, &mut spoken, &mut cost)
            .await;
        if let Err(e) = result {
            if !spoken.is_empty() {
                self.apply_spoken(input.component_id, &spoken).await?;
            }
            return Err(e);
        }
        let added = self.apply_spoken(input.component_id, &spoken).await?;
        Ok(Output {
            result: json!({"component_id": input.component_id, "audio_added": added, "spoken": spoken.len()}),
            actual_cost_micros: Some(cost),
        })
    }
}

impl ReferenceAudioHandler {
    /// Puts the spoken audio on the component as it is now; returns how many items got it.
    async fn apply_spoken(
        &self,
        component_id: Uuid,
        spoken: &HashMap<(String, Option<String>), AssetRef>,
    ) -> std::result::Result<usize, JobError> {
        for _ in 0..5 {
            let current = self
                .store
                .component(component_id)
                .await
                .map_err(store_error)?;
            let mut payload = current.payload.clone();
            let added = apply_audio(&mut payload, spoken);
            if added == 0 {
                return Ok(0);
            }
            match self
                .store
                .complete_draft(current.id, payload, current.version)
                .await
            {
                Ok(_) => return Ok(added),
                Err(StoreError::VersionConflict { .. }) => continue,
                Err(e) => return Err(store_error(e)),
            }
        }
        // The audio is in the cache: the retry costs nothing.
        Err(JobError::retryable(
            "the component kept changing while its reference audio was added; trying again",
        ))
    }
}

impl ReferenceAudioHandler {
    /// Speaks each item of `payload` that has text and no audio, once per text and language.
    async fn speak_items(
        &self,
        ctx: &JobContext,
        input: &ReferenceAudioInput,
        payload: &serde_json::Value,
        spoken: &mut HashMap<(String, Option<String>), AssetRef>,
        cost: &mut i64,
    ) -> std::result::Result<(), JobError> {
        let default_language = payload["language"].as_str().map(str::to_string);
        let todo = missing_audio(payload).max(1);
        for list in AUDIO_LISTS {
            let Some(items) = payload.get(list).and_then(|v| v.as_array()) else {
                continue;
            };
            for item in items {
                if item.get("audio").is_some_and(|a| !a.is_null()) {
                    continue;
                }
                let text = item_text(item).to_string();
                if text.trim().is_empty() {
                    continue;
                }
                let tag = item["language"]
                    .as_str()
                    .map(str::to_string)
                    .or(default_language.clone());
                if spoken.contains_key(&(text.clone(), tag.clone())) {
                    continue;
                }
                let language = tag
                    .as_deref()
                    .and_then(|t| t.split('-').next())
                    .map(str::to_string);
                let (tts, _) = self
                    .generation
                    .choose_tts(
                        input.speech_engine.as_deref(),
                        language.as_deref(),
                        text.chars().count(),
                    )
                    .map_err(|e| JobError::permanent(e.to_string()))?;
                let request = SpeechRequest {
                    language,
                    ..SpeechRequest::new(text.clone())
                };
                let (_, record, _, paid) = speak(
                    &self.store,
                    &self.generation,
                    tts.as_ref(),
                    &request,
                    false,
                    (ctx, input.course_id, REFERENCE_AUDIO),
                )
                .await?;
                *cost += paid;
                spoken.insert((text, tag), record.asset);
                let done = (spoken.len() * 80 / todo).min(80) as u8;
                ctx.progress(10 + done, "recording reference audio").await;
            }
        }
        Ok(())
    }
}

/// Puts the spoken audio on every item of `payload` whose text (and language) was spoken
/// and that has no audio yet; returns how many.
fn apply_audio(
    payload: &mut serde_json::Value,
    spoken: &HashMap<(String, Option<String>), AssetRef>,
) -> usize {
    let default_language = payload["language"].as_str().map(str::to_string);
    let mut added = 0;
    for list in AUDIO_LISTS {
        let Some(items) = payload.get_mut(list).and_then(|v| v.as_array_mut()) else {
            continue;
        };
        for item in items.iter_mut() {
            if item.get("audio").is_some_and(|a| !a.is_null()) {
                continue;
            }
            let tag = item["language"]
                .as_str()
                .map(str::to_string)
                .or(default_language.clone());
            if let Some(asset) = spoken.get(&(item_text(item).to_string(), tag)) {
                item["audio"] = json!(asset);
                added += 1;
            }
        }
    }
    added
}

/// What the cache keeps of a narration.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct NarrationRecord {
    asset: AssetRef,
    duration_ms: u64,
    voice: String,
    characters: usize,
}

/// What the cache keeps of a slide render.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RenderRecord {
    pages: Vec<RenderedPage>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct RenderedPage {
    png: AssetRef,
    thumbnail: AssetRef,
    body_size: f32,
    elements: serde_json::Value,
}

pub(crate) fn store_error(e: StoreError) -> JobError {
    match &e {
        StoreError::NotFound { .. } => JobError::permanent(e.to_string()),
        _ => JobError::retryable(e.to_string()),
    }
}

pub(crate) fn bad_input(e: serde_json::Error) -> JobError {
    JobError::permanent(format!("the job's input is not valid: {e}"))
}

/// The cache key of a narration.
fn narration_key(tts: &dyn Tts, request: &SpeechRequest) -> CacheKey {
    CacheKey::new(tts.id(), None, &tts.parameters(request), &request.text)
}

/// The cache key of a slide render: everything drawn on it.
fn render_key(slide: &classkit_model::Slide, footer: &str, number: u32) -> CacheKey {
    CacheKey::exact(
        "slides",
        Some(RENDERER_VERSION),
        &json!({
            "layout": slide.layout.as_str(),
            "footer": footer,
            "number": number,
            "image": slide.image,
        }),
        &format!("{}\n\u{0}\n{}", slide.title, slide.body),
    )
}

async fn assets_present(store: &Store, assets: &[&AssetRef]) -> bool {
    for a in assets {
        if store.asset_info(a).await.is_err() {
            return false;
        }
    }
    true
}

/// Speech for `request` from `tts`: from the cache when it holds a take whose audio is still
/// stored (unless `no_cache`), else synthesized, stored and cached. Returns the cache key,
/// the take, and whether it came from the cache.
async fn speak(
    store: &Store,
    generation: &Generation,
    tts: &dyn Tts,
    request: &SpeechRequest,
    no_cache: bool,
    payer: (&JobContext, Option<Uuid>, &str),
) -> std::result::Result<(CacheKey, NarrationRecord, bool, i64), JobError> {
    let key = narration_key(tts, request);
    if !no_cache
        && let Some(r) = generation.cache.get::<NarrationRecord>(&key)
        && assets_present(store, &[&r.asset]).await
    {
        return Ok((key, r, true, 0));
    }
    let speech = tts.synthesize(request).await?;
    // Paid for now: on the ledger before the cache, so a retry served from the cache never
    // hides it.
    let cost = generation.price_micros(tts.id(), speech.characters);
    let (ctx, course, kind) = payer;
    record_cost(store, ctx, course, tts.id(), kind, cost).await?;
    let asset = store
        .put_asset(&speech.audio, speech.media_type)
        .await
        .map_err(store_error)?;
    let record = NarrationRecord {
        asset: asset.sha256,
        duration_ms: speech.duration_ms,
        voice: speech.voice,
        characters: speech.characters,
    };
    if let Err(e) = generation.cache.put(&key, &record) {
        tracing::warn!(error = %e, "could not write the cache");
    }
    Ok((key, record, false, cost))
}

/// Speaks a slide's narration.
pub struct NarrationHandler {
    pub store: Store,
    pub generation: Arc<Generation>,
}

#[async_trait]
impl classkit_jobs::Handler for NarrationHandler {
    async fn run(&self, ctx: JobContext) -> std::result::Result<Output, JobError> {
        let input: NarrationInput =
            serde_json::from_value(ctx.job.input.clone()).map_err(bad_input)?;
        let tts = self
            .generation
            .tts
            .get(&input.engine)
            .cloned()
            .ok_or_else(|| {
                JobError::permanent(format!(
                    "the speech engine {:?} is not available here",
                    input.engine
                ))
            })?;
        let request = SpeechRequest {
            language: input.language.clone(),
            ..SpeechRequest::new(input.text.clone())
        };
        ctx.progress(10, "synthesizing speech").await;
        let (key, record, hit, cost) = speak(
            &self.store,
            &self.generation,
            tts.as_ref(),
            &request,
            input.no_cache,
            (&ctx, input.course_id, NARRATION),
        )
        .await?;
        ctx.progress(90, "saving").await;
        self.store
            .put_generated(
                input.slide_id,
                NARRATION,
                &[Generated {
                    target_id: input.slide_id,
                    kind: NARRATION.into(),
                    page: 0,
                    asset: record.asset.clone(),
                    media_type: "audio/ogg".into(),
                    thumbnail: None,
                    duration_ms: Some(record.duration_ms),
                    input_key: key.as_str().to_string(),
                    engine: input.engine.clone(),
                    cost_micros: cost,
                    job_id: Some(ctx.job.id),
                    details: json!({"voice": record.voice, "cached": hit}),
                }],
            )
            .await
            .map_err(store_error)?;
        // The slide points at its narration, unless its notes changed since the job began.
        for _ in 0..3 {
            let slide = self
                .store
                .slide(input.slide_id)
                .await
                .map_err(store_error)?;
            if normalize(&slide.speaker_notes) != normalize(&input.text)
                || slide.narration.as_ref() == Some(&record.asset)
            {
                break;
            }
            let edit = SlideEdit {
                narration: Some(Some(record.asset.clone())),
                ..SlideEdit::default()
            };
            match self
                .store
                .update_slide(slide.id, edit, Some(slide.version))
                .await
            {
                Ok(_) => break,
                Err(StoreError::VersionConflict { .. }) => continue,
                Err(e) => return Err(store_error(e)),
            }
        }
        Ok(Output {
            result: json!({
                "asset": record.asset,
                "duration_ms": record.duration_ms,
                "voice": record.voice,
                "cached": hit,
            }),
            actual_cost_micros: Some(cost),
        })
    }
}

/// Renders a slide to PNG pages with thumbnails.
pub struct SlideRenderHandler {
    pub store: Store,
    pub generation: Arc<Generation>,
}

#[async_trait]
impl classkit_jobs::Handler for SlideRenderHandler {
    async fn run(&self, ctx: JobContext) -> std::result::Result<Output, JobError> {
        let input: SlideRenderInput =
            serde_json::from_value(ctx.job.input.clone()).map_err(bad_input)?;
        let slide = self
            .store
            .slide(input.slide_id)
            .await
            .map_err(store_error)?;
        let key = render_key(&slide, &input.footer, input.number);
        let cached = match self.generation.cache.get::<RenderRecord>(&key) {
            Some(r) if !input.no_cache => {
                let assets: Vec<&AssetRef> = r
                    .pages
                    .iter()
                    .flat_map(|p| [&p.png, &p.thumbnail])
                    .collect();
                assets_present(&self.store, &assets).await.then_some(r)
            }
            _ => None,
        };
        let hit = cached.is_some();
        let record = match cached {
            Some(r) => r,
            None => {
                let image = match &slide.image {
                    Some(a) => Some(self.store.asset_bytes(a).await.map_err(store_error)?),
                    None => None,
                };
                let renderer = self.generation.renderer()?.clone();
                let (title, body, layout) = (slide.title.clone(), slide.body.clone(), slide.layout);
                let footer = input.footer.clone();
                let number = input.number;
                let pages = tokio::task::spawn_blocking(move || {
                    renderer.render(&SlideInput {
                        title: &title,
                        body: &body,
                        layout,
                        image: image.as_deref(),
                        footer: &footer,
                        number: Some(number),
                    })
                })
                .await
                .map_err(|e| JobError::retryable(format!("the renderer stopped: {e}")))??;
                if pages.is_empty() {
                    return Err(JobError::permanent("the slide rendered to no page"));
                }
                let mut stored = Vec::new();
                for page in pages {
                    let png = self
                        .store
                        .put_asset(&page.png, "image/png")
                        .await
                        .map_err(store_error)?;
                    let thumbnail = self
                        .store
                        .put_asset(&page.thumbnail, "image/png")
                        .await
                        .map_err(store_error)?;
                    stored.push(RenderedPage {
                        png: png.sha256,
                        thumbnail: thumbnail.sha256,
                        body_size: page.page.body_size,
                        elements: serde_json::to_value::<&Vec<Element>>(&page.page.elements)
                            .unwrap_or_default(),
                    });
                }
                let record = RenderRecord { pages: stored };
                if let Err(e) = self.generation.cache.put(&key, &record) {
                    tracing::warn!(error = %e, "could not write the cache");
                }
                record
            }
        };
        let rows: Vec<Generated> = record
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| Generated {
                target_id: slide.id,
                kind: SLIDE_RENDER.into(),
                page: i as u32,
                asset: p.png.clone(),
                media_type: "image/png".into(),
                thumbnail: Some(p.thumbnail.clone()),
                duration_ms: None,
                input_key: key.as_str().to_string(),
                engine: "slides".into(),
                cost_micros: 0,
                job_id: Some(ctx.job.id),
                details: json!({"body_size": p.body_size, "elements": p.elements, "cached": hit}),
            })
            .collect();
        // A slide changed while it was drawn (a picture came in) must not have its new
        // render replaced by this older one.
        let now = self
            .store
            .slide(input.slide_id)
            .await
            .map_err(store_error)?;
        if render_key(&now, &input.footer, input.number) != key {
            return Err(JobError::retryable(
                "the slide changed while it was rendered; it is rendered again",
            ));
        }
        self.store
            .put_generated(slide.id, SLIDE_RENDER, &rows)
            .await
            .map_err(store_error)?;
        Ok(Output {
            result: json!({
                "pages": record.pages.iter().map(|p| &p.png).collect::<Vec<_>>(),
                "cached": hit,
            }),
            actual_cost_micros: Some(0),
        })
    }
}

/// Queues planned jobs; returns their ids.
async fn enqueue_planned(queue: &dyn Queue, planned: Vec<JobSpec>) -> Result<Vec<Uuid>> {
    let mut jobs = Vec::with_capacity(planned.len());
    for spec in planned {
        jobs.push(enqueue_fresh(queue, spec).await?);
    }
    Ok(jobs)
}

/// Queues a job; returns its id. The dedup key joins a job that is queued or running; one
/// that already finished made an output that is now out of date (its input changed and
/// changed back, or the output was lost), so the work is queued again (the cache makes it
/// free).
pub(crate) async fn enqueue_fresh(
    queue: &dyn Queue,
    spec: JobSpec,
) -> std::result::Result<Uuid, classkit_jobs::QueueError> {
    let mut fresh = spec.clone();
    let queued = queue.enqueue(spec).await?;
    if !queued.created && queued.job.state == JobState::Succeeded {
        fresh.dedup_key = None;
        return Ok(queue.enqueue(fresh).await?.job.id);
    }
    Ok(queued.job.id)
}

/// A month's budget and spending.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetStatus {
    pub month: String,
    pub limit_micros: Option<i64>,
    pub spent_micros: i64,
}

/// What `assemble` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Narration,
    Slides,
    Drafts,
    /// Pictures for image + text slides, when an image engine is named.
    Illustrations,
}

impl Part {
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim() {
            "narration" => Some(Self::Narration),
            "slides" => Some(Self::Slides),
            "drafts" => Some(Self::Drafts),
            "illustrations" => Some(Self::Illustrations),
            _ => None,
        }
    }
}

/// How to assemble.
#[derive(Debug, Clone)]
pub struct AssembleOptions {
    pub parts: Vec<Part>,
    /// The speech engine; the cheapest good one per language when `None`.
    pub speech_engine: Option<String>,
    /// The text engine for drafts; the builtin extractive one when `None`.
    pub text_engine: Option<String>,
    /// The image engine for illustrations; none are made when `None`.
    pub image_engine: Option<String>,
    pub no_cache: bool,
    pub concurrency: usize,
}

impl Default for AssembleOptions {
    fn default() -> Self {
        Self {
            parts: vec![
                Part::Slides,
                Part::Narration,
                Part::Drafts,
                Part::Illustrations,
            ],
            speech_engine: None,
            text_engine: None,
            image_engine: None,
            no_cache: false,
            concurrency: 2,
        }
    }
}

/// Progress of an assembly, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssembleProgress {
    pub done: usize,
    pub total: usize,
}

/// What an assembly did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AssembleReport {
    pub course_id: Uuid,
    pub slides: usize,
    /// Outputs already in the library for the same input: nothing to do.
    pub up_to_date: usize,
    /// Jobs run (or found running) for this assembly.
    pub jobs: usize,
    /// Of those, jobs queued by other jobs (reference audio, renders after illustrations).
    pub follow_ups: usize,
    /// Jobs that took their output from the cache.
    pub cache_hits: usize,
    pub succeeded: usize,
    pub failed: Vec<AssembleFailure>,
    pub narration_seconds: f64,
    pub pages: usize,
    /// Learning components drafted (new or updated) by this assembly.
    pub components_drafted: usize,
    pub estimated_cost_micros: i64,
    pub cost_micros: i64,
    pub elapsed_seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssembleFailure {
    pub slide_id: Uuid,
    pub kind: String,
    pub error: String,
}

impl App {
    /// The engines of this library (built on first use).
    pub fn generation(&self) -> Result<Arc<Generation>> {
        if let Some(g) = self.generation.get() {
            return Ok(g.clone());
        }
        let built = Arc::new(Generation::for_library(self.store().dir())?);
        Ok(self.generation.get_or_init(|| built).clone())
    }

    /// Uses the engines of `file` rather than the library's `engines.toml`, from now on.
    /// Must come before anything is generated.
    pub fn use_engines_file(&self, file: &std::path::Path) -> Result<()> {
        if !file.is_file() {
            return Err(AppError::EnginesConfig(format!(
                "{} is not a file",
                file.display()
            )));
        }
        let built = Arc::new(Generation::with_config_file(self.store().dir(), file)?);
        self.generation.set(built).map_err(|_| {
            AppError::EnginesConfig(
                "the engines are already in use; choose the engines file first".into(),
            )
        })
    }

    /// Dispatches the jobs that make a course's slide images and narration, runs them on
    /// bundled workers and waits for them. Outputs already made from the same input are
    /// left as they are (unless `no_cache`), so running it again does nothing new.
    pub async fn assemble(
        &self,
        course_id: Uuid,
        options: &AssembleOptions,
        mut progress: impl FnMut(AssembleProgress),
    ) -> Result<AssembleReport> {
        let started = Instant::now();
        let tree = self.store().course_tree(course_id).await?;
        let generation = self.generation()?;
        let mut report = AssembleReport {
            course_id,
            ..AssembleReport::default()
        };
        let planned = self.plan(&tree, &generation, options, &mut report).await?;
        let mut engines: Vec<&str> = planned.iter().filter_map(|j| j.engine.as_deref()).collect();
        engines.extend(options.speech_engine.as_deref());
        generation.probe(&engines).await?;
        self.check_budgets(&tree, report.estimated_cost_micros)
            .await?;
        report.jobs = planned.len();
        progress(AssembleProgress {
            done: 0,
            total: planned.len(),
        });
        let mut finished = Vec::with_capacity(planned.len());
        if !planned.is_empty() {
            // The workers' own queue: jobs are queued, run and watched on one connection pool.
            let workers = self.start_bundled_workers(options.concurrency).await?;
            let queue = workers.queue();
            let mut pending = enqueue_planned(&*queue, planned).await?;
            let mut followed = std::collections::HashSet::new();
            while !pending.is_empty() {
                tokio::time::sleep(Duration::from_millis(100)).await;
                let mut still = Vec::with_capacity(pending.len());
                for id in pending {
                    let job = queue.get(id).await?;
                    if matches!(
                        job.state,
                        JobState::Succeeded | JobState::Dead | JobState::Cancelled
                    ) {
                        // Work the job queued in turn (reference audio, a new render).
                        if let Some(next) = job
                            .result
                            .as_ref()
                            .and_then(|r| r["follow_up"].as_str())
                            .and_then(|id| id.parse::<Uuid>().ok())
                            && followed.insert(next)
                        {
                            still.push(next);
                            report.jobs += 1;
                            report.follow_ups += 1;
                        }
                        finished.push(job);
                    } else {
                        still.push(id);
                    }
                }
                pending = still;
                progress(AssembleProgress {
                    done: finished.len(),
                    total: report.jobs,
                });
            }
            workers.stop().await;
        }
        // Every paid run of these jobs, failed ones and earlier attempts included.
        let ids: Vec<Uuid> = finished.iter().map(|j| j.id).collect();
        report.cost_micros = self.store().spent_by_jobs(&ids).await?;
        for job in finished {
            match job.state {
                JobState::Succeeded => {
                    report.succeeded += 1;
                    let result = job.result.as_ref();
                    if result.and_then(|r| r["cached"].as_bool()) == Some(true) {
                        report.cache_hits += 1;
                    }
                    if result.and_then(|r| r["drafted"].as_bool()) == Some(true) {
                        report.components_drafted += 1;
                    }
                }
                _ => report.failed.push(AssembleFailure {
                    slide_id: job.target.unwrap_or_default(),
                    kind: job.kind.clone(),
                    error: job
                        .last_error
                        .map(|e| e.message)
                        .unwrap_or_else(|| job.state.to_string()),
                }),
            }
        }
        for g in self.store().generated_for_course(course_id).await? {
            match g.kind.as_str() {
                NARRATION => {
                    report.narration_seconds += g.duration_ms.unwrap_or_default() as f64 / 1000.0
                }
                SLIDE_RENDER => report.pages += 1,
                _ => {}
            }
        }
        report.elapsed_seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// The jobs of a course whose outputs are missing or out of date. Every job is planned
    /// (and every engine checked) before the first is queued.
    async fn plan(
        &self,
        tree: &CourseTree,
        generation: &Generation,
        options: &AssembleOptions,
        report: &mut AssembleReport,
    ) -> Result<Vec<JobSpec>> {
        let mut planned = Vec::new();
        let glossary = course_glossary(tree);
        let text_engine =
            generation.text_engine(options.text_engine.as_deref().unwrap_or(EXTRACTIVE))?;
        if let Some(id) = &options.speech_engine {
            // Asked for by name: it must be here (and is probed below).
            generation.choose_tts(Some(id), None, 0)?;
        }
        let image_engine = match &options.image_engine {
            Some(id) => Some(generation.images.get(id).cloned().ok_or_else(|| {
                let mut ids: Vec<&str> = generation.images.keys().map(String::as_str).collect();
                ids.sort_unstable();
                AppError::Engines(format!(
                    "there is no image engine {id:?} here (configured: {})",
                    if ids.is_empty() {
                        "none; add one to engines.toml".to_string()
                    } else {
                        ids.join(", ")
                    }
                ))
            })?),
            None => None,
        };
        for lesson in &tree.lessons {
            for (s, slide_tree) in lesson.slides.iter().enumerate() {
                let slide = &slide_tree.slide;
                report.slides += 1;
                let number = (s + 1) as u32;
                let footer = lesson.lesson.title.clone();
                // An image + text slide without its picture gets one, and is rendered again
                // by the illustration job once the picture is in.
                let mut illustrating = false;
                if let Some(images) = &image_engine
                    && options.parts.contains(&Part::Illustrations)
                    && slide.layout == classkit_model::SlideLayout::ImageText
                    && slide.image.is_none()
                {
                    let prompt = crate::illustrate::illustration_prompt(slide);
                    let request = classkit_engines::images::ImageRequest::new(prompt.clone());
                    let key = crate::illustrate::illustration_key(images.as_ref(), &request);
                    let input = crate::illustrate::IllustrationInput {
                        slide_id: slide.id,
                        course_id: Some(tree.course.id),
                        engine: images.id().to_string(),
                        prompt,
                        footer: footer.clone(),
                        number,
                        no_cache: options.no_cache,
                    };
                    let estimate = generation.price(images.id()).images_micros(1);
                    let mut spec = JobSpec::new(crate::illustrate::ILLUSTRATION, json!(input))
                        .target(slide.id);
                    spec.engine = Some(images.id().to_string());
                    spec.estimated_cost_micros = Some(estimate);
                    if !options.no_cache {
                        spec = spec.dedup_key(format!(
                            "{}:{}:{}",
                            crate::illustrate::ILLUSTRATION,
                            slide.id,
                            key.as_str()
                        ));
                    }
                    report.estimated_cost_micros += estimate;
                    planned.push(spec.priority(10));
                    illustrating = true;
                }
                if options.parts.contains(&Part::Slides) {
                    let key = render_key(slide, &footer, number);
                    let current = self.store().generated(slide.id, SLIDE_RENDER).await?;
                    if !options.no_cache
                        && current.first().is_some_and(|g| g.input_key == key.as_str())
                    {
                        report.up_to_date += 1;
                    } else {
                        let input = SlideRenderInput {
                            slide_id: slide.id,
                            course_id: Some(tree.course.id),
                            footer: footer.clone(),
                            number,
                            no_cache: options.no_cache,
                        };
                        let mut spec = JobSpec::new(SLIDE_RENDER, json!(input)).target(slide.id);
                        if !options.no_cache {
                            spec = spec.dedup_key(format!(
                                "{SLIDE_RENDER}:{}:{}",
                                slide.id,
                                key.as_str()
                            ));
                        }
                        planned.push(spec);
                    }
                }
                if options.parts.contains(&Part::Drafts) && !slide.speaker_notes.trim().is_empty() {
                    // A HOTSPOT is drawn over the rendered slide: when this assembly renders
                    // it, or it was rendered before.
                    let rendered = options.parts.contains(&Part::Slides)
                        || !self
                            .store()
                            .generated(slide.id, SLIDE_RENDER)
                            .await?
                            .is_empty();
                    // (Not while a new picture is coming: the next assembly draws it.)
                    let hotspot = rendered && !illustrating;
                    for t in text_engine
                        .types()
                        .into_iter()
                        .filter(|t| *t != ComponentType::Hotspot || hotspot)
                    {
                        let render = if t == ComponentType::Hotspot {
                            render_key(slide, &footer, number).as_str().to_string()
                        } else {
                            String::new()
                        };
                        let key = draft_key(text_engine.as_ref(), slide, t, &glossary, &render);
                        let done = self.store().drafted(slide.id, t.as_str()).await?;
                        if let Some(d) = &done
                            && let Ok(c) = self.store().component(d.component_id).await
                            && (c.version != d.version || c.status == ComponentStatus::Ready)
                        {
                            // The instructor has taken the draft over: it is theirs.
                            report.up_to_date += 1;
                            continue;
                        }
                        if done.is_none()
                            && slide_tree.components.iter().any(|c| c.component_type == t)
                        {
                            // The slide has one the engine did not draft (the instructor's,
                            // or a copied course's): it is theirs.
                            report.up_to_date += 1;
                            continue;
                        }
                        let nothing = matches!(
                            generation.cache.get::<CachedDraft>(&key),
                            Some(CachedDraft::Nothing { .. })
                        );
                        if !options.no_cache
                            && (done.as_ref().is_some_and(|d| d.input_key == key.as_str())
                                || nothing)
                        {
                            // Up to date; but reference audio that failed is tried again.
                            if let Some(d) =
                                done.filter(|_| classkit_engines::drafts::needs_audio(t))
                                && let Ok(c) = self.store().component(d.component_id).await
                                && missing_audio(&c.payload) > 0
                            {
                                let input = ReferenceAudioInput {
                                    component_id: c.id,
                                    course_id: Some(tree.course.id),
                                    speech_engine: options.speech_engine.clone(),
                                };
                                let spec = generation.reference_audio_job(&c, input);
                                report.estimated_cost_micros +=
                                    spec.estimated_cost_micros.unwrap_or_default();
                                planned.push(spec);
                            } else {
                                report.up_to_date += 1;
                            }
                            continue;
                        }
                        let input = DraftInput {
                            slide_id: slide.id,
                            course_id: Some(tree.course.id),
                            speech_engine: options.speech_engine.clone(),
                            render_key: (!render.is_empty()).then(|| render.clone()),
                            component_type: t.as_str().to_string(),
                            engine: text_engine.id().to_string(),
                            no_cache: options.no_cache,
                        };
                        let mut spec = JobSpec::new(DRAFT, json!(input)).target(slide.id);
                        if t == ComponentType::Hotspot {
                            // After the slide images, which it is drawn over.
                            spec = spec.priority(-10);
                        }
                        // A language model reads the prompt, the type's schema and the slide
                        // and writes about one answer's worth; reference audio may speak the
                        // whole narration.
                        let slide_tokens = (slide.title.len()
                            + slide.body.len()
                            + slide.speaker_notes.len()
                            + schema_chars(t)) as f64
                            / 4.0;
                        let mut estimate = generation.price(text_engine.id()).tokens_micros(
                            (PROMPT_OVERHEAD_TOKENS + slide_tokens) as u64,
                            ANSWER_TOKENS as u64,
                        );
                        if classkit_engines::drafts::needs_audio(t) {
                            let chars = slide.speaker_notes.chars().count();
                            let language = classkit_engines::lang::detect(&slide.speaker_notes);
                            if let Ok((_, speech)) = generation.choose_tts(
                                options.speech_engine.as_deref(),
                                language.as_deref(),
                                chars,
                            ) {
                                estimate += speech;
                            }
                        }
                        spec.engine = Some(text_engine.id().to_string());
                        spec.estimated_cost_micros = Some(estimate);
                        report.estimated_cost_micros += estimate;
                        if !options.no_cache {
                            spec = spec.dedup_key(format!("{DRAFT}:{}:{}", slide.id, key.as_str()));
                        }
                        planned.push(spec);
                    }
                }
                let text = slide.speaker_notes.trim();
                if options.parts.contains(&Part::Narration) && !text.is_empty() {
                    let language = classkit_engines::lang::detect(text)
                        .or_else(|| tree.course.language.clone());
                    let chars = text.chars().count();
                    let (tts, estimate) = generation.choose_tts(
                        options.speech_engine.as_deref(),
                        language.as_deref(),
                        chars,
                    )?;
                    let request = SpeechRequest {
                        language: language.clone(),
                        ..SpeechRequest::new(text)
                    };
                    let key = narration_key(tts.as_ref(), &request);
                    let current = self.store().generated(slide.id, NARRATION).await?;
                    if !options.no_cache
                        && current.first().is_some_and(|g| g.input_key == key.as_str())
                    {
                        report.up_to_date += 1;
                        continue;
                    }
                    let input = NarrationInput {
                        slide_id: slide.id,
                        course_id: Some(tree.course.id),
                        text: text.to_string(),
                        language,
                        engine: tts.id().to_string(),
                        no_cache: options.no_cache,
                    };
                    let mut spec = JobSpec::new(NARRATION, json!(input)).target(slide.id);
                    spec.engine = Some(tts.id().to_string());
                    spec.estimated_cost_micros = Some(estimate);
                    if !options.no_cache {
                        spec = spec.dedup_key(format!("{NARRATION}:{}:{}", slide.id, key.as_str()));
                    }
                    report.estimated_cost_micros += estimate;
                    planned.push(spec);
                }
            }
        }
        Ok(planned)
    }

    /// Refuses work whose estimate would take the course or the library over this month's
    /// budget.
    async fn check_budgets(&self, tree: &CourseTree, estimate: i64) -> Result<()> {
        self.check_budget_scopes(
            vec![
                (
                    BudgetScope::Course(tree.course.id),
                    format!("the course \"{}\"", tree.course.title),
                ),
                (BudgetScope::Library, "the library".to_string()),
            ],
            estimate,
        )
        .await
    }

    /// Refuses work whose estimate would take the library over this month's budget.
    pub(crate) async fn check_library_budget(&self, estimate: i64) -> Result<()> {
        self.check_budget_scopes(
            vec![(BudgetScope::Library, "the library".to_string())],
            estimate,
        )
        .await
    }

    async fn check_budget_scopes(
        &self,
        scopes: Vec<(BudgetScope, String)>,
        estimate: i64,
    ) -> Result<()> {
        if estimate <= 0 {
            return Ok(());
        }
        let month = classkit_store::month_of(classkit_store::now());
        for (scope, name) in scopes {
            if let Some(limit) = self.store().budget(scope).await? {
                let spent = self.store().spent(&month, scope).await?;
                if spent + estimate > limit {
                    return Err(AppError::BudgetExceeded {
                        scope: name,
                        month,
                        estimate_micros: estimate,
                        spent_micros: spent,
                        limit_micros: limit,
                    });
                }
            }
        }
        Ok(())
    }

    /// Sets (or with `None` removes) the monthly budget of the library or a course, in US
    /// dollars.
    pub async fn set_budget(&self, scope: BudgetScope, dollars: Option<f64>) -> Result<()> {
        let micros = match dollars {
            Some(d) if d.is_finite() && (0.0..1e9).contains(&d) => {
                Some((d * 1_000_000.0).round() as i64)
            }
            Some(d) => {
                return Err(AppError::InvalidBudget(format!(
                    "a budget is a number of US dollars from 0 to 1,000,000,000, not {d}"
                )));
            }
            None => None,
        };
        if let BudgetScope::Course(id) = scope
            && !self.store().course_exists(id).await?
        {
            return Err(StoreError::NotFound {
                kind: "course",
                id: id.to_string(),
            }
            .into());
        }
        self.store().set_budget(scope, micros).await?;
        Ok(())
    }

    /// This month's budget and spending of the library, or of a course.
    pub async fn budget_status(&self, scope: BudgetScope) -> Result<BudgetStatus> {
        let month = classkit_store::month_of(classkit_store::now());
        Ok(BudgetStatus {
            limit_micros: self.store().budget(scope).await?,
            spent_micros: self.store().spent(&month, scope).await?,
            month,
        })
    }
}

impl App {
    /// Copies a course's generated outputs into `dir` as ordinary files to look at or hand
    /// on: `L01-S02.png` (continuation pages `L01-S02-p2.png`), `L01-S02-thumb.png` and
    /// `L01-S02.ogg`. Returns the files written.
    pub async fn write_outputs(
        &self,
        course_id: Uuid,
        dir: &std::path::Path,
    ) -> Result<Vec<std::path::PathBuf>> {
        let tree = self.store().course_tree(course_id).await?;
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|source| AppError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        let mut written = Vec::new();
        for (l, lesson) in tree.lessons.iter().enumerate() {
            for (s, slide) in lesson.slides.iter().enumerate() {
                let stem = format!("L{:02}-S{:02}", l + 1, s + 1);
                let mut files: Vec<(String, AssetRef)> = Vec::new();
                for g in self.store().generated(slide.slide.id, SLIDE_RENDER).await? {
                    let page = if g.page == 0 {
                        String::new()
                    } else {
                        format!("-p{}", g.page + 1)
                    };
                    files.push((format!("{stem}{page}.png"), g.asset.clone()));
                    if let Some(t) = &g.thumbnail {
                        files.push((format!("{stem}{page}-thumb.png"), t.clone()));
                    }
                }
                for g in self.store().generated(slide.slide.id, NARRATION).await? {
                    files.push((format!("{stem}.ogg"), g.asset.clone()));
                }
                for (name, asset) in files {
                    let bytes = self.store().asset_bytes(&asset).await?;
                    let path = dir.join(name);
                    tokio::fs::write(&path, bytes)
                        .await
                        .map_err(|source| AppError::Io {
                            path: path.clone(),
                            source,
                        })?;
                    written.push(path);
                }
            }
        }
        Ok(written)
    }
}

/// Estimated language-model tokens for drafting one slide's components: the prompt (the
/// slide's text, about four characters a token, plus instructions and schema) and the answer.
const PROMPT_OVERHEAD_TOKENS: f64 = 800.0;
const ANSWER_TOKENS: f64 = 400.0;

impl App {
    /// A teaching load like this course's: one instructor making its lessons once a month,
    /// with its slides and narration; regeneration and cache rates as given.
    pub async fn course_profile(
        &self,
        course_id: Uuid,
        regeneration_rate: f64,
        cache_hit_rate: f64,
    ) -> Result<classkit_engines::simulate::Profile> {
        let tree = self.store().course_tree(course_id).await?;
        let lessons = tree.lessons.len().max(1) as f64;
        let slides: Vec<_> = tree.lessons.iter().flat_map(|l| &l.slides).collect();
        let n = slides.len().max(1) as f64;
        let notes: usize = slides
            .iter()
            .map(|s| s.slide.speaker_notes.trim().chars().count())
            .sum();
        let text: usize = slides
            .iter()
            .map(|s| s.slide.body.chars().count() + s.slide.speaker_notes.chars().count())
            .sum();
        Ok(classkit_engines::simulate::Profile {
            instructors: 1.0,
            lessons_per_month: lessons,
            slides_per_lesson: n / lessons,
            narration_chars_per_slide: notes as f64 / n,
            draft_input_tokens_per_slide: text as f64 / n / 4.0 + PROMPT_OVERHEAD_TOKENS,
            draft_output_tokens_per_slide: ANSWER_TOKENS,
            images_per_lesson: 1.0,
            regeneration_rate,
            cache_hit_rate,
        })
    }
}
