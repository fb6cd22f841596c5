//! Planning an assembly: the jobs a course (or one lesson or slide of it) still needs, with
//! their engines, dedup keys and estimated costs, and queueing them.

use super::*;

/// Queues planned jobs; returns their ids.
pub async fn enqueue_planned(
    queue: &dyn Queue,
    planned: Vec<JobSpec>,
) -> std::result::Result<Vec<Uuid>, classkit_jobs::QueueError> {
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
pub async fn enqueue_fresh(
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

/// What `assemble` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// The slides to assemble: the whole course by default.
    pub scope: Scope,
}

/// Which slides of a course an assembly covers.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    /// Every slide of the course.
    #[default]
    Course,
    /// The slides of one lesson.
    Lesson(Uuid),
    /// One slide.
    Slide(Uuid),
}

impl Scope {
    /// Whether the slide `slide` of lesson `lesson` is in scope.
    pub fn covers(self, lesson: Uuid, slide: Uuid) -> bool {
        match self {
            Self::Course => true,
            Self::Lesson(id) => id == lesson,
            Self::Slide(id) => id == slide,
        }
    }
}

impl AssembleOptions {
    /// What dispatching from the desktop app makes: `parts` of `scope`, on the engines the
    /// library chooses.
    pub fn dispatching(scope: Scope, parts: Vec<Part>) -> Self {
        Self {
            parts,
            scope,
            ..Self::default()
        }
    }
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
            scope: Scope::Course,
        }
    }
}

/// Progress of an assembly, for a progress bar: jobs, and slides whose jobs are all done
/// (a slide with nothing to do counts as done).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AssembleProgress {
    pub done: usize,
    pub total: usize,
    pub slides_done: usize,
    pub slides: usize,
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

/// The jobs of a course whose outputs are missing or out of date. Every job is planned
/// (and every engine checked) before the first is queued.
pub async fn plan(
    workspace: &dyn PlanSource,
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
        Some(id) => Some(generation.image_engine(id)?),
        None => None,
    };
    for lesson in &tree.lessons {
        for (s, slide_tree) in lesson.slides.iter().enumerate() {
            let slide = &slide_tree.slide;
            if !options.scope.covers(lesson.lesson.id, slide.id) {
                continue;
            }
            report.slides += 1;
            let number = (s + 1) as u32;
            // The narration's language, detected once per slide (drafts that speak and the
            // narration both ask), the course's when the text does not tell.
            let mut detected: Option<Option<String>> = None;
            let mut notes_language = || {
                detected
                    .get_or_insert_with(|| {
                        classkit_engines::lang::detect(slide.speaker_notes.trim())
                            .or_else(|| tree.course.language.clone())
                    })
                    .clone()
            };
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
                let mut spec =
                    JobSpec::new(crate::illustrate::ILLUSTRATION, json!(input)).target(slide.id);
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
                let current = workspace.generated(slide.id, SLIDE_RENDER).await?;
                if !options.no_cache && current.first().is_some_and(|g| g.input_key == key.as_str())
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
                        spec =
                            spec.dedup_key(format!("{SLIDE_RENDER}:{}:{}", slide.id, key.as_str()));
                    }
                    planned.push(spec);
                }
            }
            if options.parts.contains(&Part::Drafts) && !slide.speaker_notes.trim().is_empty() {
                // A HOTSPOT is drawn over the rendered slide: when this assembly renders
                // it, or it was rendered before.
                let rendered = options.parts.contains(&Part::Slides)
                    || !workspace
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
                    if workspace.draft_declined(slide.id, t).await? {
                        // The instructor deleted the engine's draft of this type.
                        report.up_to_date += 1;
                        continue;
                    }
                    let done = workspace.drafted(slide.id, t).await?;
                    if let Some(d) = &done
                        && let Some(id) = d.component_id
                        && let Ok(c) = workspace.component(id).await
                        && (c.version != d.version || c.status == ComponentStatus::Ready)
                    {
                        // The instructor has taken the draft over: it is theirs.
                        report.up_to_date += 1;
                        continue;
                    }
                    if done.is_none() && slide_tree.components.iter().any(|c| c.component_type == t)
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
                        && (done.as_ref().is_some_and(|d| d.input_key == key.as_str()) || nothing)
                    {
                        // Up to date; but reference audio that failed is tried again.
                        if let Some(id) = done
                            .and_then(|d| d.component_id)
                            .filter(|_| classkit_engines::drafts::needs_audio(t))
                            && let Ok(c) = workspace.component(id).await
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
                        let chars = classkit_model::spoken(&slide.speaker_notes).chars().count();
                        let language = notes_language();
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
            let spoken = classkit_model::spoken(&slide.speaker_notes);
            let text = spoken.trim();
            if options.parts.contains(&Part::Narration) && !text.is_empty() {
                let language = notes_language();
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
                let current = workspace.generated(slide.id, NARRATION).await?;
                if !options.no_cache && current.first().is_some_and(|g| g.input_key == key.as_str())
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
    for spec in &mut planned {
        spec.course_id = Some(tree.course.id);
    }
    Ok(planned)
}
