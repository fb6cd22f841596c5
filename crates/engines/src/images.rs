//! Image generation: the `ImageGen` trait. Illustrations are made only by configured
//! (OpenAI-compatible) engines; there is no builtin one.

use async_trait::async_trait;
use classkit_jobs::JobError;
use serde_json::Value;

/// Longest prompt sent.
pub const MAX_PROMPT_CHARS: usize = 4000;

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRequest {
    pub prompt: String,
    /// `WIDTHxHEIGHT` as the provider takes it; the engine's landscape default when absent.
    pub size: Option<String>,
}

impl ImageRequest {
    pub fn new(prompt: impl Into<String>) -> Self {
        Self {
            prompt: prompt.into(),
            size: None,
        }
    }

    /// The prompt, checked: not empty, not too long.
    pub fn checked_prompt(&self) -> Result<&str, JobError> {
        let prompt = self.prompt.trim();
        if prompt.is_empty() {
            return Err(JobError::permanent("there is nothing to illustrate"));
        }
        let chars = prompt.chars().count();
        if chars > MAX_PROMPT_CHARS {
            return Err(JobError::permanent(format!(
                "the illustration prompt has {chars} characters; at most {MAX_PROMPT_CHARS} are sent"
            )));
        }
        Ok(prompt)
    }
}

/// A generated image.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    /// The prompt as the provider rewrote it, when it says.
    pub revised_prompt: Option<String>,
}

/// An image engine.
#[async_trait]
pub trait ImageGen: Send + Sync {
    /// The engine's id in the registry.
    fn id(&self) -> &str;

    /// What identifies its output besides the prompt, for the cache key.
    fn parameters(&self, request: &ImageRequest) -> Value;

    async fn generate(&self, request: &ImageRequest) -> Result<Image, JobError>;
}

/// The media type of PNG, JPEG or WebP bytes, from their signature.
pub fn media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_tell_the_media_type() {
        assert_eq!(media_type(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(media_type(&[0xff, 0xd8, 0xff, 0xe0]), Some("image/jpeg"));
        assert_eq!(media_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(media_type(b"<svg onload=alert(1)>"), None);
        assert!(ImageRequest::new("  ").checked_prompt().is_err());
        assert!(
            ImageRequest::new("x".repeat(5000))
                .checked_prompt()
                .is_err()
        );
    }
}
