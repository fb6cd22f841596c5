//! Speech synthesis: the `Tts` trait and the builtin engines (espeak-ng, Piper).
//!
//! Every engine hands back Ogg Vorbis audio (mono, quality 0: about 220 kB a minute of
//! speech) with its duration. Vorbis rather than Opus because oggenc encodes speech several
//! times faster than opusenc, which must resample it to 48 kHz first.

mod espeak;
mod piper;

pub use espeak::{Espeak, ipa};
pub use piper::Piper;

use crate::process;
use async_trait::async_trait;
use classkit_jobs::JobError;
use std::path::Path;
use std::time::Duration;

/// Longest text one speech job takes; longer narration is split by slide.
pub const MAX_SPEECH_CHARS: usize = 20_000;

/// What to say and how.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeechRequest {
    pub text: String,
    /// ISO 639-1 code (`en`, `ko`, …); detected from the text when absent.
    pub language: Option<String>,
    /// An engine-specific voice name; the engine's default for the language when absent.
    pub voice: Option<String>,
    /// Words per minute, where the engine supports it.
    pub rate_wpm: Option<u32>,
}

impl SpeechRequest {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            language: None,
            voice: None,
            rate_wpm: None,
        }
    }

    /// The text to speak, checked: not empty, not too long.
    pub fn checked_text(&self) -> Result<&str, JobError> {
        let text = self.text.trim();
        if text.is_empty() {
            return Err(JobError::permanent("there is no text to speak"));
        }
        let chars = text.chars().count();
        if chars > MAX_SPEECH_CHARS {
            return Err(JobError::permanent(format!(
                "the text to speak has {chars} characters; one narration takes at most {MAX_SPEECH_CHARS}"
            )));
        }
        Ok(text)
    }
}

/// Synthesized speech.
#[derive(Debug, Clone, PartialEq)]
pub struct Speech {
    /// Ogg Vorbis audio.
    pub audio: Vec<u8>,
    pub media_type: &'static str,
    pub duration_ms: u64,
    /// Characters spoken (what speech is priced by).
    pub characters: usize,
    /// The voice that spoke.
    pub voice: String,
}

/// A speech engine.
#[async_trait]
pub trait Tts: Send + Sync {
    /// The engine's id in the registry.
    fn id(&self) -> &str;

    /// What identifies its output besides the text (voice, rate, model), for the cache key.
    fn parameters(&self, request: &SpeechRequest) -> serde_json::Value;

    async fn synthesize(&self, request: &SpeechRequest) -> Result<Speech, JobError>;
}

/// How long a program may take for `chars` characters of text.
fn time_for(chars: usize) -> Duration {
    Duration::from_secs(30 + chars as u64 / 50)
}

/// The duration of a WAV file, from its header and sample count.
pub fn wav_duration_ms(wav: &Path) -> Result<u64, JobError> {
    let reader = hound::WavReader::open(wav).map_err(|e| {
        JobError::retryable(format!("the synthesized audio is not a WAV file: {e}"))
    })?;
    let spec = reader.spec();
    if spec.sample_rate == 0 {
        return Err(JobError::retryable(
            "the synthesized audio has no sample rate",
        ));
    }
    Ok(u64::from(reader.duration()) * 1000 / u64::from(spec.sample_rate))
}

/// Encodes a WAV file as Ogg Vorbis for speech.
pub async fn encode_ogg(wav: &Path) -> Result<Vec<u8>, JobError> {
    let dir = wav.parent().unwrap_or(Path::new("."));
    let out = dir.join("speech.ogg");
    process::run(
        Path::new("oggenc"),
        &[
            "--quiet".as_ref(),
            "--quality".as_ref(),
            "0".as_ref(),
            "--output".as_ref(),
            out.as_os_str(),
            wav.as_os_str(),
        ],
        &[],
        Duration::from_secs(300),
        "install the Debian package vorbis-tools (scripts/setup does)",
    )
    .await?;
    tokio::fs::read(&out)
        .await
        .map_err(|e| JobError::io("cannot read the encoded audio", &e))
}

/// The speech a program wrote to `wav` for `text`: its duration, and the audio as Ogg.
pub(crate) async fn speech_from_wav(
    wav: &Path,
    text: &str,
    voice: String,
) -> Result<Speech, JobError> {
    let duration_ms = wav_duration_ms(wav)?;
    let audio = encode_ogg(wav).await?;
    Ok(Speech {
        audio,
        media_type: "audio/ogg",
        duration_ms,
        characters: text.chars().count(),
        voice,
    })
}

/// A private folder for one synthesis.
pub(crate) fn work_dir() -> Result<tempfile::TempDir, JobError> {
    tempfile::Builder::new()
        .prefix("classkit-tts-")
        .tempdir()
        .map_err(|e| JobError::io("cannot make a temporary folder", &e))
}
