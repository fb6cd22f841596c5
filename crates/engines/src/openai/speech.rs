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
        // The API takes at most 4,096 characters at once: longer narration is spoken in
        // parts, split between sentences, and joined.
        let mut first_spec: Option<hound::WavSpec> = None;
        let mut ints: Vec<i32> = Vec::new();
        let mut floats: Vec<f32> = Vec::new();
        for part in split_for_speech(text, MAX_INPUT_CHARS) {
            let mut body = json!({
                "model": self.client.model(),
                "input": part,
                "voice": self.voice(request),
                "response_format": "wav",
            });
            if let Some(wpm) = request.rate_wpm {
                // OpenAI's speed is relative to a normal pace of about 150 words a minute.
                body["speed"] = json!((f64::from(wpm) / 150.0).clamp(0.25, 4.0));
            }
            let (mut audio, content_type) = self
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
            fix_streamed_sizes(&mut audio);
            let bad = |e: hound::Error| {
                JobError::retryable(format!(
                    "{} answered audio/speech with a WAV file that cannot be read: {e}",
                    self.client.id()
                ))
            };
            let reader = hound::WavReader::new(std::io::Cursor::new(audio)).map_err(bad)?;
            let spec = reader.spec();
            if *first_spec.get_or_insert(spec) != spec {
                return Err(JobError::retryable(format!(
                    "{} spoke the parts of a long narration in different audio formats",
                    self.client.id()
                )));
            }
            match spec.sample_format {
                hound::SampleFormat::Float => {
                    for sample in reader.into_samples::<f32>() {
                        floats.push(sample.map_err(bad)?);
                    }
                }
                hound::SampleFormat::Int => {
                    for sample in reader.into_samples::<i32>() {
                        ints.push(sample.map_err(bad)?);
                    }
                }
            }
        }
        let Some(spec) = first_spec else {
            return Err(JobError::permanent("there is no text to speak"));
        };
        let join_error = |e: hound::Error| {
            JobError::retryable(format!("cannot join the parts of the narration: {e}"))
        };
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut writer = hound::WavWriter::new(&mut out, spec).map_err(join_error)?;
            for &sample in &ints {
                writer.write_sample(sample).map_err(join_error)?;
            }
            for &sample in &floats {
                writer.write_sample(sample).map_err(join_error)?;
            }
            writer.finalize().map_err(join_error)?;
        }
        let wav_bytes = out.into_inner();
        let dir = crate::tts::work_dir()?;
        let wav = dir.path().join("speech.wav");
        tokio::fs::write(&wav, &wav_bytes)
            .await
            .map_err(|e| JobError::retryable(format!("cannot write the audio: {e}")))?;
        crate::tts::speech_from_wav(&wav, text, self.voice(request).to_string()).await
    }
}

/// Most characters `/audio/speech` takes at once.
pub const MAX_INPUT_CHARS: usize = 4096;

/// `text` in parts of at most `limit` characters, split after sentences where it can be,
/// else between words, else anywhere.
pub fn split_for_speech(text: &str, limit: usize) -> Vec<String> {
    let limit = limit.max(1);
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut current_chars = 0;
    let push = |piece: &str, parts: &mut Vec<String>, current: &mut String, n: &mut usize| {
        let len = piece.chars().count();
        if *n + len > limit && !current.trim().is_empty() {
            parts.push(current.trim().to_string());
            current.clear();
            *n = 0;
        }
        current.push_str(piece);
        *n += len;
    };
    for sentence in sentence_pieces(text) {
        if sentence.chars().count() <= limit {
            push(sentence, &mut parts, &mut current, &mut current_chars);
            continue;
        }
        for word in sentence.split_inclusive(char::is_whitespace) {
            if word.chars().count() <= limit {
                push(word, &mut parts, &mut current, &mut current_chars);
                continue;
            }
            let chars: Vec<char> = word.chars().collect();
            for chunk in chars.chunks(limit) {
                let chunk: String = chunk.iter().collect();
                push(&chunk, &mut parts, &mut current, &mut current_chars);
            }
        }
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_string());
    }
    parts
}

/// Pieces of `text` each ending after a sentence's final punctuation and the space after it.
fn sentence_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut after_stop = false;
    for (i, c) in text.char_indices() {
        if after_stop && c.is_whitespace() {
            pieces.push(&text[start..i + c.len_utf8()]);
            start = i + c.len_utf8();
            after_stop = false;
            continue;
        }
        after_stop = matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '…');
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

/// OpenAI streams WAV with its RIFF and data sizes set to `0xFFFFFFFF` (unknown when the
/// header was sent); sets them from the real length, as a WAV reader needs them.
pub fn fix_streamed_sizes(wav: &mut [u8]) {
    if wav.len() < 12 || &wav[..4] != b"RIFF" || &wav[8..12] != b"WAVE" {
        return;
    }
    let len = wav.len();
    let riff = u32::try_from(len - 8).unwrap_or(u32::MAX);
    wav[4..8].copy_from_slice(&riff.to_le_bytes());
    let mut at = 12;
    while at + 8 <= len {
        let size =
            u32::from_le_bytes([wav[at + 4], wav[at + 5], wav[at + 6], wav[at + 7]]) as usize;
        let Some(end) = (at + 8).checked_add(size) else {
            return;
        };
        if &wav[at..at + 4] == b"data" {
            if size == u32::MAX as usize || end > len {
                let real = u32::try_from(len - at - 8).unwrap_or(u32::MAX);
                wav[at + 4..at + 8].copy_from_slice(&real.to_le_bytes());
            }
            return;
        }
        at = match end.checked_add(size & 1) {
            Some(next) => next,
            None => return,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_split_between_sentences_within_the_limit() {
        let text = "One two three. Four five six! Seven eight nine? Ten.";
        let parts = split_for_speech(text, 20);
        assert_eq!(
            parts,
            [
                "One two three.",
                "Four five six!",
                "Seven eight nine?",
                "Ten."
            ]
        );
        let long = "word ".repeat(3000);
        let parts = split_for_speech(&long, MAX_INPUT_CHARS);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_INPUT_CHARS));
        assert_eq!(parts.join(" ").split_whitespace().count(), 3000);
        let unbroken = "가".repeat(9000);
        let parts = split_for_speech(&unbroken, MAX_INPUT_CHARS);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts.concat(), unbroken);
        assert_eq!(split_for_speech("  ", 10), Vec::<String>::new());
    }

    #[test]
    fn streamed_wav_sizes_are_set_from_the_length() {
        let mut wav = b"RIFF\xff\xff\xff\xffWAVEfmt \x10\0\0\0".to_vec();
        wav.extend_from_slice(&[1, 0, 1, 0, 0xc0, 0x5d, 0, 0, 0x80, 0xbb, 0, 0, 2, 0, 16, 0]);
        wav.extend_from_slice(b"data\xff\xff\xff\xff");
        wav.extend_from_slice(&[0u8; 480]);
        fix_streamed_sizes(&mut wav);
        let reader = hound::WavReader::new(std::io::Cursor::new(wav)).expect("readable");
        assert_eq!(reader.duration(), 240);
    }
}
