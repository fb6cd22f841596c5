//! Illustrations from `POST /images/generations`.

use super::Client;
use crate::images::{Image, ImageGen, ImageRequest};
use async_trait::async_trait;
use base64::Engine as _;
use classkit_jobs::JobError;
use serde_json::{Value, json};

/// Largest image answer read (base64 JSON of a large PNG).
const MAX_IMAGE_ANSWER_BYTES: usize = 48 * 1024 * 1024;
/// The size asked for when the request names none: the one every image model offers.
const DEFAULT_SIZE: &str = "1024x1024";

/// An image model on an OpenAI-compatible server, as an [`ImageGen`].
#[derive(Debug, Clone)]
pub struct OpenAiImages {
    client: Client,
}

impl OpenAiImages {
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

#[async_trait]
impl ImageGen for OpenAiImages {
    fn id(&self) -> &str {
        self.client.id()
    }

    fn parameters(&self, request: &ImageRequest) -> Value {
        json!({
            "endpoint": self.client.endpoint(),
            "model": self.client.model(),
            "size": request.size.as_deref().unwrap_or(DEFAULT_SIZE),
        })
    }

    async fn generate(&self, request: &ImageRequest) -> Result<Image, JobError> {
        let prompt = request.checked_prompt()?;
        let mut body = json!({
            "model": self.client.model(),
            "prompt": prompt,
            "n": 1,
            "size": request.size.as_deref().unwrap_or(DEFAULT_SIZE),
        });
        // gpt-image models always answer base64 and refuse the parameter; DALL·E and most
        // local servers answer a URL unless asked.
        if !self.client.model().starts_with("gpt-image") {
            body["response_format"] = json!("b64_json");
        }
        let answer = self
            .client
            .post_json_limited("images/generations", &body, MAX_IMAGE_ANSWER_BYTES)
            .await?;
        let first = &answer["data"][0];
        let Some(encoded) = first["b64_json"].as_str() else {
            return Err(JobError::permanent(format!(
                "{} answered images/generations without base64 image data{}",
                self.client.id(),
                if first["url"].is_string() {
                    " (it gave a URL; the server ignores response_format \"b64_json\")"
                } else {
                    ""
                }
            )));
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|e| {
                JobError::retryable(format!(
                    "{} answered an image that is not valid base64: {e}",
                    self.client.id()
                ))
            })?;
        let media_type = crate::images::media_type(&bytes).ok_or_else(|| {
            JobError::permanent(format!(
                "{} answered {} bytes that are not a PNG, JPEG or WebP image",
                self.client.id(),
                bytes.len()
            ))
        })?;
        Ok(Image {
            bytes,
            media_type,
            revised_prompt: first["revised_prompt"].as_str().map(str::to_string),
        })
    }
}
