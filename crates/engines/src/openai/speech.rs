//! Narration from `POST /audio/speech`.

use super::Client;
use crate::tts::{Speech, SpeechRequest, Tts};
use async_trait::async_trait;
use classkit_jobs::JobError;
use serde_json::{Value, json};

/// Largest audio answer read: about ten minutes of 24 kHz 16-bit WAV.
const MAX_AUDIO_BYTES: usize = 64 * 1024 * 1024;
/// The voice when the configuration names none (every OpenAI speech model has it).
const DEFAULT_VOICE: &str = "alloy";

/// A speech model on an OpenAI-compatible server, as a [`Tts`]. The server is asked for WAV,
/// which is stored as Ogg Vorbis like every other narration.
#[derive(Debug, Clone)]
pub struct OpenAiTts {
    client: Client,
    voice: String,
}

impl OpenAiTts {
    pub fn new(client: Client, voice: Option<String>) -> Self {
        Self {
            client,
            voice: voice.unwrap_or_else(|| DEFAULT_VOICE.to_string()),
        }
    }

    fn voice<'a>(&'a self, request: &'a SpeechRequest) -> &'a str {
        request.voice.as_deref().unwrap_or(&self.voice)
    }
}

#[async_trait]
impl Tts for OpenAiTts {
    fn id(&self) -> &str {
        self.client.id()
    }

    fn parameters(&self, request: &SpeechRequest) -> Value {
        json!({
            "endpoint": self.client.endpoint(),
            "model": self.client.model(),
            "voice": self.voice(request),
            "rate_wpm": request.rate_wpm,
        })
    }

    async fn synthesize(&self, request: &SpeechRequest) -> Result<Speech, JobError> {
        let text = request.checked_text()?;
        let mut body = json!({
            "model": self.client.model(),
            "input": text,
            "voice": self.voice(request),
            "response_format": "wav",
        });
        if let Some(wpm) = request.rate_wpm {
            // OpenAI's speed is relative to a normal pace of about 150 words a minute.
            body["speed"] = json!((f64::from(wpm) / 150.0).clamp(0.25, 4.0));
        }
        let (audio, content_type) = self
            .client
            .post_bytes("audio/speech", &body, MAX_AUDIO_BYTES)
            .await?;
        if !audio.starts_with(b"RIFF") {
            return Err(JobError::permanent(format!(
                "{} answered audio/speech with {} ({} bytes), not the WAV audio asked for; \
                 does the server support response_format \"wav\"?",
                self.client.id(),
                if content_type.is_empty() {
                    "no content type"
                } else {
                    &content_type
                },
                audio.len()
            )));
        }
        let dir = crate::tts::work_dir()?;
        let wav = dir.path().join("speech.wav");
        tokio::fs::write(&wav, &audio)
            .await
            .map_err(|e| JobError::retryable(format!("cannot write the audio: {e}")))?;
        crate::tts::speech_from_wav(&wav, text, self.voice(request).to_string()).await
    }
}
