//! espeak-ng: the always-there builtin voice, for every language espeak-ng speaks.

use super::{Speech, SpeechRequest, Tts, speech_from_wav, time_for, work_dir};
use crate::{lang, process};
use async_trait::async_trait;
use classkit_jobs::JobError;
use std::path::{Path, PathBuf};
use std::time::Duration;

const INSTALL: &str = "install the Debian package espeak-ng (scripts/setup does)";

/// espeak-ng, run as a process.
#[derive(Debug, Clone)]
pub struct Espeak {
    id: String,
    program: PathBuf,
    voice: Option<String>,
    rate_wpm: Option<u32>,
}

impl Espeak {
    /// The engine `id` with a fixed voice and rate, or the language's voice and 165 wpm.
    pub fn new(id: impl Into<String>, voice: Option<String>, rate_wpm: Option<u32>) -> Self {
        Self {
            id: id.into(),
            program: PathBuf::from("espeak-ng"),
            voice,
            rate_wpm,
        }
    }

    fn voice_for(&self, request: &SpeechRequest) -> String {
        if let Some(v) = request.voice.clone() {
            return v;
        }
        let language = request
            .language
            .clone()
            .or_else(|| lang::detect(&request.text));
        // The configured voice speaks its own language only (`en-gb` is not for Korean).
        if let Some(v) = &self.voice {
            let voice_lang = v.split(['-', '_', '+']).next().unwrap_or(v);
            let text_lang = language
                .as_deref()
                .map(|l| l.split(['-', '_']).next().unwrap_or(l));
            if text_lang.is_none_or(|l| l.eq_ignore_ascii_case(voice_lang)) {
                return v.clone();
            }
        }
        lang::espeak_voice(language.as_deref()).to_string()
    }

    fn rate_for(&self, request: &SpeechRequest) -> u32 {
        request
            .rate_wpm
            .or(self.rate_wpm)
            .unwrap_or(165)
            .clamp(80, 450)
    }
}

/// A voice name espeak-ng could take: letters, digits, `-`, `_` and `+` (variants).
fn check_voice(voice: &str) -> Result<(), JobError> {
    let ok = !voice.is_empty()
        && voice.len() <= 40
        && voice
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'+');
    if ok {
        Ok(())
    } else {
        Err(JobError::permanent(format!(
            "{voice:?} is not an espeak-ng voice name"
        )))
    }
}

#[async_trait]
impl Tts for Espeak {
    fn id(&self) -> &str {
        &self.id
    }

    fn parameters(&self, request: &SpeechRequest) -> serde_json::Value {
        serde_json::json!({
            "voice": self.voice_for(request),
            "rate_wpm": self.rate_for(request),
        })
    }

    async fn synthesize(&self, request: &SpeechRequest) -> Result<Speech, JobError> {
        let text = request.checked_text()?;
        let voice = self.voice_for(request);
        check_voice(&voice)?;
        let rate = self.rate_for(request).to_string();
        let dir = work_dir()?;
        let wav = dir.path().join("speech.wav");
        // The text goes in on stdin (never as an argument), as UTF-8, with no SSML.
        process::run(
            &self.program,
            &[
                "-v".as_ref(),
                voice.as_ref(),
                "-s".as_ref(),
                rate.as_ref(),
                "-b".as_ref(),
                "1".as_ref(),
                "-w".as_ref(),
                wav.as_os_str(),
                "--stdin".as_ref(),
            ],
            text.as_bytes(),
            time_for(text.len()),
            INSTALL,
        )
        .await?;
        speech_from_wav(&wav, text, voice).await
    }
}

/// The IPA transcription of `text` in `language`, from `espeak-ng --ipa`.
pub async fn ipa(text: &str, language: Option<&str>) -> Result<String, JobError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(JobError::permanent("there is no text to transcribe"));
    }
    let voice = lang::espeak_voice(language);
    let ran = process::run(
        Path::new("espeak-ng"),
        &[
            "-q".as_ref(),
            "--ipa".as_ref(),
            "-v".as_ref(),
            voice.as_ref(),
            "-b".as_ref(),
            "1".as_ref(),
            "--stdin".as_ref(),
        ],
        text.as_bytes(),
        Duration::from_secs(30),
        INSTALL,
    )
    .await?;
    let ipa = String::from_utf8_lossy(&ran.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if ipa.is_empty() {
        return Err(JobError::permanent(format!(
            "espeak-ng has no transcription for {text:?}"
        )));
    }
    Ok(ipa)
}
