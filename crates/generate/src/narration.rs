//! `narration` jobs: a slide's narration spoken by the chosen speech engine, through the cache.

use super::*;

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

/// What the cache keeps of a narration.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NarrationRecord {
    pub asset: AssetRef,
    pub duration_ms: u64,
    pub voice: String,
    pub characters: usize,
}

/// The cache key of a narration.
pub fn narration_key(tts: &dyn Tts, request: &SpeechRequest) -> CacheKey {
    CacheKey::new(tts.id(), None, &tts.parameters(request), &request.text)
}

/// Speech for `request` from `tts`: from the cache when it holds a take whose audio is still
/// stored (unless `no_cache`), else synthesized, stored and cached. Returns the cache key,
/// the take, and whether it came from the cache.
pub async fn speak(
    workspace: &dyn Workspace,
    generation: &Generation,
    tts: &dyn Tts,
    request: &SpeechRequest,
    no_cache: bool,
    payer: (&JobContext, Option<Uuid>, &str),
) -> std::result::Result<(CacheKey, NarrationRecord, bool, i64), JobError> {
    let key = narration_key(tts, request);
    if !no_cache
        && let Some(r) = generation.cache.get::<NarrationRecord>(&key)
        && assets_present(workspace, &[&r.asset]).await
    {
        return Ok((key, r, true, 0));
    }
    let speech = tts.synthesize(request).await?;
    // Paid for now: on the ledger before the cache, so a retry served from the cache never
    // hides it.
    let cost = generation.price_micros(tts.id(), speech.characters);
    let (ctx, course, kind) = payer;
    record_cost(workspace, ctx, course, tts.id(), kind, cost).await?;
    let asset = workspace
        .put_asset(&speech.audio, speech.media_type)
        .await?;
    let record = NarrationRecord {
        asset,
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
    pub workspace: Arc<dyn Workspace>,
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
            self.workspace.as_ref(),
            &self.generation,
            tts.as_ref(),
            &request,
            input.no_cache,
            (&ctx, input.course_id, NARRATION),
        )
        .await?;
        ctx.progress(90, "saving").await;
        let job_total = job_cost(self.workspace.as_ref(), &ctx, input.course_id, cost).await?;
        self.workspace
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
            .await?;
        // The slide points at its narration, unless its notes changed since the job began.
        let narration = SlideOutput::Narration {
            asset: &record.asset,
            notes: &input.text,
        };
        self.workspace
            .point_slide_at(input.slide_id, narration)
            .await?;
        Ok(Output {
            result: json!({
                "asset": record.asset,
                "duration_ms": record.duration_ms,
                "voice": record.voice,
                "cached": hit,
            }),
            actual_cost_micros: Some(job_total),
        })
    }
}
