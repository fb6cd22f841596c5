//! `reference_audio` jobs: the reference audio of a drafted listening or speaking component.

use super::*;

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
pub const AUDIO_LISTS: [&str; 2] = ["sentences", "items"];

/// How many items of a payload have text and no audio.
pub fn missing_audio(payload: &serde_json::Value) -> usize {
    AUDIO_LISTS
        .iter()
        .filter_map(|list| payload.get(*list).and_then(|v| v.as_array()))
        .flatten()
        .filter(|item| item.get("audio").is_none_or(|a| a.is_null()))
        .filter(|item| !item_text(item).trim().is_empty())
        .count()
}

pub fn item_text(item: &serde_json::Value) -> &str {
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
    pub workspace: Arc<dyn Workspace>,
    pub generation: Arc<Generation>,
}

#[async_trait]
impl classkit_jobs::Handler for ReferenceAudioHandler {
    async fn run(&self, ctx: JobContext) -> std::result::Result<Output, JobError> {
        let input: ReferenceAudioInput =
            serde_json::from_value(ctx.job.input.clone()).map_err(bad_input)?;
        let component = self.workspace.component(input.component_id).await?;
        // Speak every item first (the slow part), then apply the audio to the component as
        // it is then. What was paid for is recorded even when a later item fails.
        // Each item's cost is recorded as it is spoken. Items spoken before one fails are
        // still put on the component.
        let mut spoken = SpokenAudio::new();
        let mut cost = 0;
        let result = self
            .speak_items(&ctx, &input, &component.payload, &mut spoken, &mut cost)
            .await;
        if let Err(e) = result {
            if !spoken.is_empty() {
                self.workspace
                    .add_reference_audio(input.component_id, &spoken)
                    .await?;
            }
            return Err(e);
        }
        let added = self
            .workspace
            .add_reference_audio(input.component_id, &spoken)
            .await?;
        Ok(Output {
            result: json!({"component_id": input.component_id, "audio_added": added, "spoken": spoken.len()}),
            actual_cost_micros: Some(
                job_cost(self.workspace.as_ref(), &ctx, input.course_id, cost).await?,
            ),
        })
    }
}

impl ReferenceAudioHandler {
    /// Speaks each item of `payload` that has text and no audio, once per text and language.
    async fn speak_items(
        &self,
        ctx: &JobContext,
        input: &ReferenceAudioInput,
        payload: &serde_json::Value,
        spoken: &mut SpokenAudio,
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
                    self.workspace.as_ref(),
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
pub fn apply_audio(payload: &mut serde_json::Value, spoken: &SpokenAudio) -> usize {
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
