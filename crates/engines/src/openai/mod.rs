//! Engines on any server that speaks the OpenAI HTTP API: OpenAI itself, Ollama, the
//! llama.cpp server, vLLM, LocalAI.
//!
//! - Drafts and outlines: `POST {endpoint}/chat/completions` with a JSON-Schema
//!   `response_format`; the answer is validated against the model crate's rules and, when it
//!   breaks them, the problems are sent back for up to two repairs ([`OpenAiText`]).
//! - Narration: `POST {endpoint}/audio/speech` ([`OpenAiTts`]).
//! - Illustrations: `POST {endpoint}/images/generations` ([`OpenAiImages`]).
//! - `GET {endpoint}/models` is probed before work is dispatched, so a server that does not
//!   serve the API or the model gives one clear message instead of failed jobs ([`probe`]).
//!
//! Failures are [`JobError`]s classified for the retry policy: timeouts, connection errors,
//! 429 (with its `Retry-After`) and 5xx are retryable; any other 4xx is permanent and carries
//! the provider's own message. The API key (from the environment variable the configuration
//! names) is sent only in the `Authorization` header and never appears in an error.

mod image;
mod speech;
mod text;

pub use image::OpenAiImages;
pub use speech::OpenAiTts;
pub use text::{MAX_REPAIRS, OpenAiText};

use crate::config::{EngineConfig, Provider};
use crate::secret::Secret;
use classkit_jobs::JobError;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;
use std::time::{Duration, SystemTime};

/// How long one request may take when the configuration does not say.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest `Retry-After` honoured; a longer one is taken as this.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);
/// Largest JSON answer read (a chat completion or a model list).
const MAX_JSON_BYTES: usize = 8 * 1024 * 1024;
/// Most characters of a provider's error message kept in a job's error.
const MAX_MESSAGE_CHARS: usize = 500;

/// An endpoint as messages and the UI show it: without a user, password or query (an
/// endpoint that is not a URL is shown as "(not a URL)").
pub fn shown_endpoint(endpoint: &str) -> String {
    match reqwest::Url::parse(endpoint.trim_end_matches('/')) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.set_query(None);
            url.as_str().trim_end_matches('/').to_string()
        }
        Err(_) => "(not a URL)".to_string(),
    }
}

/// A connection to one configured server and model.
#[derive(Clone)]
pub struct Client {
    id: String,
    base: String,
    /// The base URL as errors show it: without a user, password or query.
    shown: String,
    model: String,
    key: Option<Secret>,
    /// The keys the app was given (keyring, session), looked up by engine id.
    keys: Option<std::sync::Arc<dyn crate::KeyLookup>>,
    key_env: Option<String>,
    timeout: Duration,
    http: reqwest::Client,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("id", &self.id)
            .field("base", &self.shown)
            .field("model", &self.model)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for an `openai` engine of the registry (its endpoint and model were checked
    /// when the configuration was read).
    pub fn new(config: &EngineConfig) -> Result<Self, JobError> {
        if config.provider != Provider::Openai {
            return Err(JobError::permanent(format!(
                "engine {} is not an OpenAI-compatible engine",
                config.id
            )));
        }
        let base = config
            .endpoint
            .as_deref()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string();
        let model = config.model.clone().unwrap_or_default();
        if base.is_empty() || model.is_empty() {
            return Err(JobError::permanent(format!(
                "engine {} needs an endpoint and a model in engines.toml",
                config.id
            )));
        }
        let shown = match reqwest::Url::parse(&base) {
            Ok(_) => shown_endpoint(&base),
            Err(e) => {
                return Err(JobError::permanent(format!(
                    "engine {}: the endpoint is not a URL: {e}",
                    config.id
                )));
            }
        };
        let timeout = config
            .timeout_secs
            .map(|s| Duration::from_secs(u64::from(s)))
            .unwrap_or(DEFAULT_TIMEOUT);
        let http = reqwest::Client::builder()
            .user_agent(concat!("ClassKit-Studio/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(CONNECT_TIMEOUT.min(timeout))
            .timeout(timeout)
            .build()
            .map_err(|e| JobError::permanent(format!("cannot set up HTTP: {e}")))?;
        Ok(Self {
            id: config.id.clone(),
            base,
            shown,
            model,
            key: None,
            keys: None,
            key_env: config.api_key_env.clone(),
            timeout,
            http,
        })
    }

    /// The same client with another API key (for tests).
    pub fn with_key(mut self, key: Secret) -> Self {
        self.key = Some(key);
        self
    }

    /// The same client looking its key up in `keys` (the keys given to the app) before the
    /// environment variable its configuration names.
    pub fn with_keys(mut self, keys: std::sync::Arc<dyn crate::KeyLookup>) -> Self {
        self.keys = Some(keys);
        self
    }

    fn given_key(&self) -> Option<Secret> {
        self.keys.as_ref().and_then(|k| k.key(&self.id))
    }

    /// The same client with another request timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Result<Self, JobError> {
        self.timeout = timeout;
        self.http = reqwest::Client::builder()
            .user_agent(concat!("ClassKit-Studio/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(CONNECT_TIMEOUT.min(timeout))
            .timeout(timeout)
            .build()
            .map_err(|e| JobError::permanent(format!("cannot set up HTTP: {e}")))?;
        Ok(self)
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    /// The base URL (without any user, password or query in it).
    pub fn endpoint(&self) -> &str {
        &self.shown
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base)
    }

    /// The key sent: one set on this client, else one given to the app for this engine
    /// (from the OS keyring, or for the session), else the environment variable the
    /// configuration names.
    fn current_key(&self) -> Option<Secret> {
        self.key
            .clone()
            .or_else(|| self.given_key())
            .or_else(|| self.key_env.as_deref().and_then(Secret::from_env))
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let request = self.http.request(method, self.url(path));
        match &self.current_key() {
            Some(key) => request.bearer_auth(key.expose()),
            None => request,
        }
    }

    /// Sends a request and returns the response when its status is a success; otherwise the
    /// failure, classified.
    async fn send(
        &self,
        request: reqwest::RequestBuilder,
        path: &str,
    ) -> Result<reqwest::Response, JobError> {
        self.send_status(request, path).await.map_err(|(e, _)| e)
    }

    /// As [`Client::send`], with the HTTP status of a failure when the server answered.
    async fn send_status(
        &self,
        request: reqwest::RequestBuilder,
        path: &str,
    ) -> Result<reqwest::Response, (JobError, Option<u16>)> {
        let response = request
            .send()
            .await
            .map_err(|e| (self.transport_error(path, e), None))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let retry_after = retry_after(response.headers(), SystemTime::now());
        let body = read_limited(response, MAX_JSON_BYTES)
            .await
            .unwrap_or_default();
        let message = self.redact(&provider_message(&body));
        let code = provider_code(&body);
        let hint = match status.as_u16() {
            401 | 403 if self.key.is_none() && self.given_key().is_some() => {
                " (check the API key stored for this engine in ClassKit Studio's settings)".into()
            }
            401 | 403 => match &self.key_env {
                Some(var) => format!(" (check the API key in ${var})"),
                None => " (the engine has no api_key_env; does the server need a key?)".into(),
            },
            404 => format!(
                " (does {} serve the OpenAI API at /{path}, and does it have the model {:?}?)",
                self.shown, self.model
            ),
            429 if code.as_deref() == Some("insufficient_quota") => {
                " (the account is out of credit: add credit or choose another engine)".into()
            }
            _ => String::new(),
        };
        let message = format!(
            "{} ({}) answered {status} to {path}: {message}{hint}",
            self.id, self.shown
        );
        if code.as_deref() == Some("insufficient_quota") {
            // A 429 that waiting does not fix.
            return Err((JobError::permanent(message), Some(status.as_u16())));
        }
        Err((
            JobError::from_http_status(
                status.as_u16(),
                message,
                retry_after.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            ),
            Some(status.as_u16()),
        ))
    }

    /// `text` with the API key (should a server echo it) blanked out.
    fn redact(&self, text: &str) -> String {
        match &self.current_key() {
            Some(key) if key.expose().len() >= 4 => text.replace(key.expose(), "[the API key]"),
            _ => text.to_string(),
        }
    }

    fn transport_error(&self, path: &str, e: reqwest::Error) -> JobError {
        // Without the URL, which may carry a user and password.
        let e = e.without_url();
        let what = if e.is_timeout() {
            format!(
                "no answer from {} ({}) to {path} within {} s",
                self.id,
                self.shown,
                self.timeout.as_secs_f32()
            )
        } else if e.is_connect() {
            format!(
                "cannot connect to {} at {}: {}",
                self.id,
                self.shown,
                source_chain(&e)
            )
        } else {
            format!(
                "the request to {} ({}) for {path} failed: {}",
                self.id,
                self.shown,
                source_chain(&e)
            )
        };
        JobError::retryable(what)
    }

    /// POSTs JSON and reads a JSON answer.
    async fn post_json(&self, path: &str, body: &Value) -> Result<Value, JobError> {
        self.post_json_limited(path, body, MAX_JSON_BYTES).await
    }

    /// POSTs JSON and reads a JSON answer of at most `limit` bytes.
    async fn post_json_limited(
        &self,
        path: &str,
        body: &Value,
        limit: usize,
    ) -> Result<Value, JobError> {
        let response = self
            .send(self.request(reqwest::Method::POST, path).json(body), path)
            .await?;
        self.read_json(response, path, limit).await
    }

    async fn read_json(
        &self,
        response: reqwest::Response,
        path: &str,
        limit: usize,
    ) -> Result<Value, JobError> {
        let bytes = read_limited(response, limit)
            .await
            .map_err(|e| JobError::retryable(format!("{} ({path}): {e}", self.id)))?;
        serde_json::from_slice(&bytes).map_err(|e| {
            // A garbled answer is more often a proxy or an overloaded server than a rule.
            JobError::retryable(format!(
                "{} answered {path} with something that is not JSON ({e}): {}",
                self.id,
                excerpt(&String::from_utf8_lossy(&bytes))
            ))
        })
    }

    /// POSTs JSON and reads a binary answer of at most `limit` bytes.
    async fn post_bytes(
        &self,
        path: &str,
        body: &Value,
        limit: usize,
    ) -> Result<(Vec<u8>, String), JobError> {
        let response = self
            .send(self.request(reqwest::Method::POST, path).json(body), path)
            .await?;
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = read_limited(response, limit)
            .await
            .map_err(|e| JobError::retryable(format!("{} ({path}): {e}", self.id)))?;
        Ok((bytes, content_type))
    }

    /// The models the server offers (`GET /models`).
    pub async fn models(&self) -> Result<Vec<String>, JobError> {
        self.models_status().await.map_err(|(e, _)| e)
    }

    async fn models_status(&self) -> Result<Vec<String>, (JobError, Option<u16>)> {
        let response = self
            .send_status(self.request(reqwest::Method::GET, "models"), "models")
            .await?;
        let list = self
            .read_json(response, "models", MAX_JSON_BYTES)
            .await
            .map_err(|e| (e, None))?;
        let models = list["data"]
            .as_array()
            .or_else(|| list["models"].as_array())
            .ok_or_else(|| {
                (
                    JobError::permanent(format!(
                        "{} ({}) answered GET /models without a list of models; is it an OpenAI-compatible server?",
                        self.id, self.shown
                    )),
                    None,
                )
            })?;
        Ok(models
            .iter()
            .filter_map(|m| m["id"].as_str().or_else(|| m["name"].as_str()))
            .map(str::to_string)
            .collect())
    }
}

/// Checks that an engine's server answers the OpenAI API and has its model, before any job is
/// dispatched to it. The error says what to fix.
pub async fn probe(
    config: &EngineConfig,
    keys: Option<std::sync::Arc<dyn crate::KeyLookup>>,
) -> Result<(), JobError> {
    let mut client = Client::new(config)?;
    if let Some(keys) = keys {
        client = client.with_keys(keys);
    }
    let models = match client.models_status().await {
        Ok(models) => models,
        // A key restricted to some endpoints may not list models; the work itself will tell.
        Err((e, Some(403))) => {
            tracing::warn!(engine = %config.id, error = %e.message, "cannot list the models; going on");
            return Ok(());
        }
        Err((mut e, _)) => {
            e.message = format!(
                "engine {} cannot be used: {}. Check its endpoint in engines.toml (it should end in /v1 for most servers) and that the server runs",
                config.id, e.message
            );
            return Err(e);
        }
    };
    if !models.iter().any(|m| same_model(m, client.model())) {
        let mut offered: Vec<&str> = models.iter().map(String::as_str).take(20).collect();
        offered.sort_unstable();
        return Err(JobError::permanent(format!(
            "engine {}: the server at {} has no model {:?} (it offers: {})",
            config.id,
            client.endpoint(),
            client.model(),
            if offered.is_empty() {
                "none".to_string()
            } else {
                offered.join(", ")
            }
        )));
    }
    Ok(())
}

/// Whether the server's model id `listed` is the configured `model`: the same name, Ollama's
/// implicit `:latest` tag, or (llama.cpp lists the model file) the file's name.
fn same_model(listed: &str, model: &str) -> bool {
    let untagged = |m: &str| m.strip_suffix(":latest").unwrap_or(m).to_string();
    if listed == model || untagged(listed) == untagged(model) {
        return true;
    }
    // Only a model file (a path, or a .gguf name) is matched by its name: `openai/gpt-4o`
    // on a router is not `gpt-4o`.
    if !(listed.starts_with('/') || listed.ends_with(".gguf")) {
        return false;
    }
    let file = listed.rsplit(['/', '\\']).next().unwrap_or(listed);
    let stem = file.strip_suffix(".gguf").unwrap_or(file);
    stem == model || file == model
}

/// A provider's `Retry-After`: seconds, or an HTTP date, from `now`; capped at an hour.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = match value.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => {
            Duration::from_secs_f64(secs.min(MAX_RETRY_AFTER.as_secs_f64()))
        }
        Ok(_) => return None,
        Err(_) => httpdate::parse_http_date(value)
            .ok()?
            .duration_since(now)
            .unwrap_or_default(),
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// The message in a provider's error body: OpenAI's `{"error": {"message": …}}`, Ollama's
/// `{"error": "…"}`, or the start of the body.
pub fn provider_message(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let from_json = serde_json::from_str::<Value>(&text).ok().and_then(|v| {
        v["error"]["message"]
            .as_str()
            .or_else(|| v["error"].as_str())
            .or_else(|| v["message"].as_str())
            .or_else(|| v["detail"].as_str())
            .map(str::to_string)
    });
    let message = from_json.unwrap_or_else(|| text.into_owned());
    let message = excerpt(&message);
    if message.is_empty() {
        "(no message)".to_string()
    } else {
        message
    }
}

/// The machine-readable code of a provider's error (`insufficient_quota`, …), if any.
fn provider_code(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    v["error"]["code"]
        .as_str()
        .or_else(|| v["error"]["type"].as_str())
        .map(str::to_string)
}

/// Text for an error message: control characters dropped, at most 500 characters (and
/// "…" when cut).
fn excerpt(text: &str) -> String {
    crate::excerpt(text, MAX_MESSAGE_CHARS + 1)
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

/// Reads a response body of at most `limit` bytes.
async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("the answer broke off: {}", source_chain(&e)))?
    {
        if body.len() + chunk.len() > limit {
            return Err(format!(
                "the answer is larger than {} MB; refused",
                limit / (1024 * 1024)
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("0.5"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_millis(500)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).expect("header"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("999999999"));
        assert_eq!(retry_after(&headers, now), Some(MAX_RETRY_AFTER));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("-3"));
        assert_eq!(retry_after(&headers, now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn provider_messages_are_read_from_each_dialect() {
        assert_eq!(
            provider_message(br#"{"error":{"message":"Invalid model","type":"x"}}"#),
            "Invalid model"
        );
        assert_eq!(
            provider_message(br#"{"error":"model 'x' not found"}"#),
            "model 'x' not found"
        );
        assert_eq!(
            provider_message(b"<html>\nBad Gateway</html>"),
            "<html> Bad Gateway</html>"
        );
        assert_eq!(provider_message(b""), "(no message)");
        let long = "x".repeat(2000);
        assert_eq!(provider_message(long.as_bytes()).chars().count(), 501);
    }

    #[test]
    fn models_are_matched_as_servers_list_them() {
        assert!(same_model("gpt-4o-mini", "gpt-4o-mini"));
        assert!(same_model("llama3.2:latest", "llama3.2"));
        assert!(same_model("llama3.2", "llama3.2:latest"));
        assert!(same_model(
            "/models/qwen2.5-7b-instruct.gguf",
            "qwen2.5-7b-instruct"
        ));
        assert!(!same_model("llama3.2:1b", "llama3.2"));
        assert!(!same_model("gpt-4o", "gpt-4o-mini"));
        assert!(
            !same_model("openai/gpt-4o", "gpt-4o"),
            "a router's model of another vendor"
        );
        assert!(same_model(
            "qwen2.5-7b-instruct.gguf",
            "qwen2.5-7b-instruct"
        ));
    }

    #[test]
    fn debug_hides_the_key() {
        let config = EngineConfig {
            endpoint: Some("http://127.0.0.1:9/v1".into()),
            model: Some("m".into()),
            ..EngineConfig::openai("t", crate::EngineKind::Text, "http://127.0.0.1:9/v1", "m")
        };
        let client = Client {
            key: Some(Secret::new("sk-very-secret")),
            ..Client::new(&config).expect("client")
        };
        assert!(!format!("{client:?}").contains("sk-very"));
    }
}
