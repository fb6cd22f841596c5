//! Piper: the higher-quality builtin voice (US English, "joe"), run from its virtualenv.

use super::{Speech, SpeechRequest, Tts, speech_from_wav, time_for, work_dir};
use crate::{lang, process};
use async_trait::async_trait;
use classkit_jobs::JobError;
use std::path::{Path, PathBuf};

/// The voice the setup script installs.
pub const JOE: &str = "en_US-joe-medium";

/// Piper, from a virtualenv that holds `piper-tts` and the voice package.
#[derive(Debug, Clone)]
pub struct Piper {
    id: String,
    home: PathBuf,
    voice: String,
}

impl Piper {
    /// Where the setup script puts Piper: `$CLASSKIT_PIPER_HOME`, or
    /// `~/.local/share/classkit-studio/piper`.
    pub fn default_home() -> Option<PathBuf> {
        if let Some(home) = std::env::var_os("CLASSKIT_PIPER_HOME") {
            return Some(PathBuf::from(home));
        }
        let data = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))?;
        Some(data.join("classkit-studio/piper"))
    }

    /// Piper in `home` with `voice`, when both are installed there.
    pub fn find(id: impl Into<String>, home: &Path, voice: Option<&str>) -> Option<Self> {
        let piper = Self {
            id: id.into(),
            home: home.to_path_buf(),
            voice: voice.unwrap_or(JOE).to_string(),
        };
        (piper.program().is_file() && piper.model().is_some()).then_some(piper)
    }

    fn program(&self) -> PathBuf {
        self.home.join("bin/piper")
    }

    /// The voice model: `<voice>.onnx` inside an installed voice package.
    fn model(&self) -> Option<PathBuf> {
        let lib = self.home.join("lib");
        for python in std::fs::read_dir(&lib).ok()?.flatten() {
            let site = python.path().join("site-packages");
            for package in std::fs::read_dir(&site).into_iter().flatten().flatten() {
                let model = package
                    .path()
                    .join("data")
                    .join(format!("{}.onnx", self.voice));
                if model.is_file() {
                    return Some(model);
                }
            }
        }
        None
    }

    /// The language the voice speaks (`en_US-joe-medium` → `en`).
    fn language(&self) -> &str {
        self.voice.split(['_', '-']).next().unwrap_or("en")
    }
}

#[async_trait]
impl Tts for Piper {
    fn id(&self) -> &str {
        &self.id
    }

    fn parameters(&self, _request: &SpeechRequest) -> serde_json::Value {
        serde_json::json!({ "voice": self.voice })
    }

    async fn synthesize(&self, request: &SpeechRequest) -> Result<Speech, JobError> {
        let text = request.checked_text()?;
        let language = request
            .language
            .clone()
            .or_else(|| lang::detect(text))
            .unwrap_or_else(|| self.language().to_string());
        if !language.starts_with(self.language()) {
            return Err(JobError::permanent(format!(
                "the Piper voice {} speaks {}, not {language}; use espeak for this text",
                self.voice,
                self.language()
            )));
        }
        let model = self.model().ok_or_else(|| {
            JobError::permanent(format!(
                "the Piper voice {} is not installed in {} (scripts/setup installs it)",
                self.voice,
                self.home.display()
            ))
        })?;
        let dir = work_dir()?;
        let wav = dir.path().join("speech.wav");
        // One line: Piper speaks each input line, and the sentences of it, in order.
        let line: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        process::run(
            &self.program(),
            &[
                "-m".as_ref(),
                model.as_os_str(),
                "-f".as_ref(),
                wav.as_os_str(),
            ],
            format!("{line}\n").as_bytes(),
            time_for(text.len()) * 2,
            "run scripts/setup to install Piper",
        )
        .await?;
        speech_from_wav(&wav, text, self.voice.clone()).await
    }
}
