//! Generation: the engines of a configuration, the job handlers that write their outputs
//! through a [`Workspace`] (the local library for bundled workers, the team server for remote
//! ones), and the planning of an assembly (what a course still needs, as jobs).
//!
//! Handlers are idempotent: outputs are stored by content hash and recorded per slide (a new
//! take replaces the old one), so a job delivered twice leaves one result. Every output is
//! looked up in the library's cache first (`cache/`, keyed by engine, parameters and
//! normalized input): unchanged input costs nothing and returns at once.

use async_trait::async_trait;
use classkit_engines::drafts::{DraftRequest, Drafted, Extractive, RenderedSlide, TextGen};
use classkit_engines::images::ImageGen;
use classkit_engines::openai::{self, OpenAiImages, OpenAiText, OpenAiTts};
use classkit_engines::slides::{Element, SlideInput, SlideRenderer};
use classkit_engines::tts::{Espeak, Piper, SpeechRequest, Tts};
use classkit_engines::{Cache, CacheKey, EngineKind, EnginesConfig, KeyLookup, Provider};
use classkit_jobs::{JobContext, JobError, JobSpec, JobState, Output, Queue};
use classkit_model::generation::{DraftOutcome, Generated};
use classkit_model::{AssetRef, ComponentStatus, ComponentType, CourseTree};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

use uuid::Uuid;

mod draft;
pub mod illustrate;
mod narration;
mod outline;
mod plan;
mod reference_audio;
pub mod remote;
mod render;
mod workspace;

pub use draft::*;
pub use narration::*;
pub use outline::*;
pub use plan::*;
pub use reference_audio::*;
pub use render::*;
pub use workspace::*;

/// Estimated language-model tokens for drafting one slide's components: the prompt (the
/// slide's text, about four characters a token, plus instructions and schema) and the answer.
pub const PROMPT_OVERHEAD_TOKENS: f64 = 800.0;
pub const ANSWER_TOKENS: f64 = 400.0;

/// Why generation cannot start: an engine missing or misconfigured, or a request that makes
/// no sense. (What goes wrong while a job runs is the job's [`JobError`].)
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// An engine is not here or does not answer.
    #[error("{0}")]
    Engines(String),
    /// The engines' configuration cannot be used.
    #[error("{0}")]
    EnginesConfig(String),
    /// The request cannot be planned (nothing of the course is in its scope, …).
    #[error("{0}")]
    Invalid(String),
    /// The course store could not be read.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
}

/// The kinds a team's remote workers run (every generation kind but `outline`, which makes
/// a course and runs in the app).
pub const TEAM_KINDS: &[&str] = &[
    NARRATION,
    SLIDE_RENDER,
    DRAFT,
    REFERENCE_AUDIO,
    illustrate::ILLUSTRATION,
    OUTLINE,
];

/// Registers the handler of each kind of generation job that `serve` accepts, over one
/// workspace: the bundled workers (over the library) and a remote worker (over the team
/// server's API) serve the same handlers.
pub fn register_handlers(
    mut worker: classkit_jobs::Worker,
    workspace: Arc<dyn Workspace>,
    generation: Arc<Generation>,
    serve: impl Fn(&str) -> bool,
) -> classkit_jobs::Worker {
    let (w, g) = (workspace, generation);
    if serve(NARRATION) {
        worker = worker.register(
            NARRATION,
            NarrationHandler {
                workspace: w.clone(),
                generation: g.clone(),
            },
        );
    }
    if serve(SLIDE_RENDER) {
        worker = worker.register(
            SLIDE_RENDER,
            SlideRenderHandler {
                workspace: w.clone(),
                generation: g.clone(),
            },
        );
    }
    if serve(DRAFT) {
        worker = worker.register(
            DRAFT,
            DraftHandler {
                workspace: w.clone(),
                generation: g.clone(),
            },
        );
    }
    if serve(REFERENCE_AUDIO) {
        worker = worker.register(
            REFERENCE_AUDIO,
            ReferenceAudioHandler {
                workspace: w.clone(),
                generation: g.clone(),
            },
        );
    }
    if serve(illustrate::ILLUSTRATION) {
        worker = worker.register(
            illustrate::ILLUSTRATION,
            illustrate::IllustrationHandler {
                workspace: w.clone(),
                generation: g.clone(),
            },
        );
    }
    if serve(OUTLINE) {
        worker = worker.register(
            OUTLINE,
            OutlineHandler {
                workspace: w,
                generation: g,
            },
        );
    }
    worker
}

/// No keys beyond the environment variables `engines.toml` names: a team's server and
/// workers, whose admin sets the providers' keys in each host's environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoKeys;

impl KeyLookup for NoKeys {
    fn key(&self, _: &str) -> Option<classkit_engines::Secret> {
        None
    }
}

/// What generation calls return.
pub type Result<T> = std::result::Result<T, GenerateError>;

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
/// The folder of the engines' cache inside a library.
pub const CACHE_DIR: &str = "cache";

/// The engines of one library, built once and shared by its handlers.
pub struct Generation {
    config: EnginesConfig,
    tts: HashMap<String, Arc<dyn Tts>>,
    text: HashMap<String, Arc<dyn TextGen>>,
    images: HashMap<String, Arc<dyn ImageGen>>,
    outliners: HashMap<String, Arc<OpenAiText>>,
    slides: std::sync::OnceLock<std::result::Result<SlideRenderer, JobError>>,
    cache: Cache,
    keys: Arc<dyn KeyLookup>,
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

/// A client for an HTTP engine of the configuration, using the keys given to the app.
fn openai_client(
    engine: &classkit_engines::EngineConfig,
    keys: &Arc<dyn KeyLookup>,
) -> Result<openai::Client> {
    openai::Client::new(engine)
        .map(|c| c.with_keys(keys.clone()))
        .map_err(|e| GenerateError::EnginesConfig(e.message))
}

impl Generation {
    /// The engines of `config`, with their cache in `cache_dir` and the API keys in `keys`.
    pub fn new(
        config: EnginesConfig,
        cache_dir: &std::path::Path,
        keys: Arc<dyn KeyLookup>,
    ) -> Result<Self> {
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
                        Arc::new(OpenAiTts::new(
                            openai_client(engine, &keys)?,
                            engine.voice.clone(),
                        )),
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
                    let model =
                        Arc::new(OpenAiText::new(openai_client(engine, &keys)?, engine.price));
                    outliners.insert(engine.id.clone(), model.clone());
                    text.insert(engine.id.clone(), model);
                }
                (EngineKind::Image, Provider::Openai) => {
                    images.insert(
                        engine.id.clone(),
                        Arc::new(OpenAiImages::new(openai_client(engine, &keys)?)),
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
            cache: Cache::new(cache_dir.to_path_buf()),
            keys,
        })
    }

    /// The engines of an admin's `engines.toml` (the builtin ones without a file), with the
    /// keys the environment variables it names hold: a team's server and workers.
    pub fn from_file(file: Option<&std::path::Path>, cache_dir: &std::path::Path) -> Result<Self> {
        let config = match file {
            Some(f) => {
                EnginesConfig::load(f).map_err(|e| GenerateError::EnginesConfig(e.to_string()))?
            }
            None => EnginesConfig::default(),
        };
        Self::new(config, cache_dir, Arc::new(NoKeys))
    }

    /// The ids of every engine here (speech, text, pictures): what a worker of a shared
    /// queue takes jobs for. An engine of the configuration this host cannot run (Piper not
    /// installed) is not among them.
    pub fn engine_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .tts
            .keys()
            .chain(self.text.keys())
            .chain(self.images.keys())
            .cloned()
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// The text engine `id`.
    pub fn text_engine(&self, id: &str) -> Result<Arc<dyn TextGen>> {
        self.text.get(id).cloned().ok_or_else(|| {
            let mut ids: Vec<&str> = self.text.keys().map(String::as_str).collect();
            ids.sort_unstable();
            GenerateError::Engines(format!(
                "there is no text engine {id:?} here (available: {})",
                ids.join(", ")
            ))
        })
    }

    /// The image engine `id`.
    pub fn image_engine(&self, id: &str) -> Result<Arc<dyn ImageGen>> {
        self.images.get(id).cloned().ok_or_else(|| {
            let mut ids: Vec<&str> = self.images.keys().map(String::as_str).collect();
            ids.sort_unstable();
            GenerateError::Engines(format!(
                "there is no image engine {id:?} here (configured: {})",
                if ids.is_empty() {
                    "none; add one to engines.toml".to_string()
                } else {
                    ids.join(", ")
                }
            ))
        })
    }

    /// The language model engine `id`, which outlines lectures.
    pub fn outliner(&self, id: &str) -> Result<Arc<OpenAiText>> {
        self.outliners.get(id).cloned().ok_or_else(|| {
            GenerateError::Engines(format!(
                "{id:?} is not a language model engine here; outlines need one (see engines.toml)"
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
                openai::probe(engine, Some(self.keys.clone()))
                    .await
                    .map_err(|e| GenerateError::Engines(e.message))?;
            }
        }
        Ok(())
    }

    /// The job that records a drafted component's reference audio, on the speech engine
    /// it will use (so that engine's limits hold) with its estimated cost.
    pub fn reference_audio_job(
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
    pub fn price(&self, engine: &str) -> classkit_engines::PriceTable {
        self.config.get(engine).map(|e| e.price).unwrap_or_default()
    }

    pub fn config(&self) -> &EnginesConfig {
        &self.config
    }

    pub fn cache(&self) -> &Cache {
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
                GenerateError::Engines(format!(
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
                GenerateError::Engines(format!(
                    "no speech engine here speaks {}",
                    language.unwrap_or("this language")
                ))
            })?;
        let tts = self.tts.get(&best.id).cloned().ok_or_else(|| {
            GenerateError::Engines(format!("the speech engine {} is not available", best.id))
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

/// Records what an attempt cost against its course.
pub async fn record_cost(
    workspace: &dyn Workspace,
    ctx: &JobContext,
    course: Option<Uuid>,
    engine: &str,
    kind: &str,
    micros: i64,
) -> std::result::Result<(), JobError> {
    if micros > 0
        && let Some(course_id) = course
    {
        workspace
            .record_spending(&Spending {
                id: Uuid::now_v7(),
                job_id: ctx.job.id,
                attempt: ctx.job.attempts,
                course_id,
                engine,
                kind,
                micros,
            })
            .await?;
    }
    Ok(())
}

/// What a job cost, to report when it succeeds: this attempt's spending on a first attempt;
/// on a retry, everything the job's attempts charged to the ledger (an attempt that failed
/// after paying, or whose worker was lost, paid too), so that the jobs' costs add up to the
/// ledger's spending.
pub async fn job_cost(
    workspace: &dyn Workspace,
    ctx: &JobContext,
    course: Option<Uuid>,
    this_attempt: i64,
) -> std::result::Result<i64, JobError> {
    if ctx.job.attempts <= 1 || course.is_none() {
        return Ok(this_attempt);
    }
    Ok(workspace.spent_by_job(ctx.job.id).await?)
}

/// The most of a reason for drafting nothing that is kept, in characters.
pub const REASON_CHARS: usize = 500;

/// A reason for drafting nothing as it is kept: at most [`REASON_CHARS`] characters (a
/// longer one ends with "…"), without control characters.
pub fn short_reason(reason: &str) -> String {
    classkit_engines::excerpt(reason, REASON_CHARS)
}

pub fn bad_input(e: serde_json::Error) -> JobError {
    JobError::permanent(format!("the job's input is not valid: {e}"))
}

/// True when every asset is stored (a failure to tell counts as absent: made again).
async fn assets_present(workspace: &dyn Workspace, assets: &[&AssetRef]) -> bool {
    for a in assets {
        if !matches!(workspace.has_asset(a).await, Ok(true)) {
            return false;
        }
    }
    true
}
