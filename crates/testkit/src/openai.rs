//! A loopback stand-in for an OpenAI-compatible server (the only stand-in the tests use, for
//! the paid providers). It speaks the wire format of `GET /v1/models`,
//! `POST /v1/chat/completions`, `POST /v1/audio/speech` and `POST /v1/images/generations`,
//! records every request, and answers each one as the test scripts it: correctly, slowly,
//! with 429 and `Retry-After`, 429 out of quota, 503, 400, 401 (echoing the key, as OpenAI
//! does), a malformed body, content that is not JSON, JSON that breaks the schema, or not at
//! all.
//!
//! A correct draft is the model crate's valid sample payload of the type named by the
//! request's `response_format.json_schema.name`, without provenance (the stand-in does not
//! read the lecture, so it claims no source). A correct outline puts each paragraph of the
//! lecture on a slide of its own. Speech is a WAV tone of about 0.4 s a word, with the
//! "unknown" sizes in its header that OpenAI's streamed WAV has, and input over 4,096
//! characters is refused as OpenAI refuses it; an image is a small PNG. Usage is counted at
//! four characters a token and recorded with the request.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How the stand-in answers one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A correct answer.
    Correct,
    /// A correct answer after a pause.
    Slow(Duration),
    /// 429 with `Retry-After` in seconds.
    TooManyRequests { retry_after_secs: u64 },
    /// 503 Service Unavailable.
    Unavailable,
    /// 400 with this message, as OpenAI words its errors.
    BadRequest(String),
    /// 200 with a body that is not JSON.
    MalformedBody,
    /// A chat answer whose message content is not JSON.
    MalformedContent,
    /// A chat answer whose content is JSON that breaks the schema.
    SchemaViolating,
    /// A chat answer with this message content.
    Content(String),
    /// Never answers.
    Hang,
    /// 401, echoing the key it was sent, as OpenAI does for a wrong key.
    Unauthorized,
    /// 429 with OpenAI's `insufficient_quota` code: the account is out of credit.
    InsufficientQuota,
}

/// A request the stand-in received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    /// The JSON body (`Null` for a GET or a body that is not JSON).
    pub body: Value,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    pub at: Instant,
    /// The `usage` of a chat answer, as sent back.
    pub usage: Option<Value>,
}

#[derive(Debug)]
struct Script {
    replies: VecDeque<Reply>,
    fallback: Reply,
    models: Vec<String>,
    requests: Vec<Recorded>,
}

type Shared = Arc<Mutex<Script>>;

fn lock(shared: &Shared) -> MutexGuard<'_, Script> {
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running stand-in; stopped when dropped.
pub struct OpenAiStandIn {
    base: String,
    shared: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl OpenAiStandIn {
    /// Starts a stand-in on a free loopback port, offering `models`, answering correctly
    /// until scripted otherwise.
    pub async fn start(models: &[&str]) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared: Shared = Arc::new(Mutex::new(Script {
            replies: VecDeque::new(),
            fallback: Reply::Correct,
            models: models.iter().map(|m| m.to_string()).collect(),
            requests: Vec::new(),
        }));
        let app = Router::new()
            .route("/v1/models", get(list_models))
            .route("/v1/chat/completions", post(chat))
            .route("/v1/audio/speech", post(speech))
            .route("/v1/images/generations", post(images))
            .fallback(not_found)
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self {
            base: format!("http://{addr}/v1"),
            shared,
            task,
        })
    }

    /// The base URL to configure as an engine's endpoint (`http://127.0.0.1:PORT/v1`).
    pub fn endpoint(&self) -> &str {
        &self.base
    }

    /// The next requests (other than `GET /models`) get these replies, in order.
    pub fn then(&self, replies: impl IntoIterator<Item = Reply>) {
        lock(&self.shared).replies.extend(replies);
    }

    /// Requests beyond the script get this reply.
    pub fn otherwise(&self, reply: Reply) {
        lock(&self.shared).fallback = reply;
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared).requests.clone()
    }

    /// The requests to `path` (e.g. `/v1/chat/completions`).
    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }
}

impl Drop for OpenAiStandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Records the request and takes its reply; waits or hangs as scripted.
async fn take(
    shared: &Shared,
    path: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Option<(Reply, usize)> {
    let (reply, index) = {
        let mut script = lock(shared);
        script.requests.push(Recorded {
            path: path.to_string(),
            body: serde_json::from_slice(body).unwrap_or(Value::Null),
            authorization: headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            at: Instant::now(),
            usage: None,
        });
        let fallback = script.fallback.clone();
        let index = script.requests.len() - 1;
        (script.replies.pop_front().unwrap_or(fallback), index)
    };
    match reply {
        Reply::Hang => {
            std::future::pending::<()>().await;
            None
        }
        Reply::Slow(pause) => {
            tokio::time::sleep(pause).await;
            Some((Reply::Correct, index))
        }
        other => Some((other, index)),
    }
}

fn error(status: StatusCode, message: &str, kind: &str) -> Response {
    (
        status,
        axum::Json(json!({"error": {"message": message, "type": kind, "code": null}})),
    )
        .into_response()
}

/// The answer for replies that are the same on every route; `None` for a correct one.
fn failure(reply: &Reply, headers: &HeaderMap) -> Option<Response> {
    match reply {
        Reply::Unauthorized => {
            let key = headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default();
            Some(error(
                StatusCode::UNAUTHORIZED,
                &format!(
                    "Incorrect API key provided: {key}. You can find your API key at https://platform.openai.com/account/api-keys."
                ),
                "invalid_request_error",
            ))
        }
        Reply::InsufficientQuota => {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                axum::Json(json!({"error": {
                    "message": "You exceeded your current quota, please check your plan and billing details.",
                    "type": "insufficient_quota", "code": "insufficient_quota"}})),
            )
                .into_response();
            response
                .headers_mut()
                .insert("retry-after", axum::http::HeaderValue::from_static("1"));
            Some(response)
        }
        Reply::TooManyRequests { retry_after_secs } => {
            let mut response = error(
                StatusCode::TOO_MANY_REQUESTS,
                "Rate limit reached for requests. Please try again later.",
                "requests",
            );
            if let Ok(value) = retry_after_secs.to_string().parse() {
                response.headers_mut().insert("retry-after", value);
            }
            Some(response)
        }
        Reply::Unavailable => Some(error(
            StatusCode::SERVICE_UNAVAILABLE,
            "The server is overloaded or not ready yet.",
            "server_error",
        )),
        Reply::BadRequest(message) => Some(error(
            StatusCode::BAD_REQUEST,
            message,
            "invalid_request_error",
        )),
        Reply::MalformedBody => Some(
            (
                StatusCode::OK,
                [("content-type", "application/json")],
                "{\"id\": \"chatcmpl-1\", \"choices\": [{\"message\": ",
            )
                .into_response(),
        ),
        _ => None,
    }
}

async fn list_models(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    let models = {
        let mut script = lock(&shared);
        script.requests.push(Recorded {
            path: "/v1/models".into(),
            body: Value::Null,
            authorization: headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            at: Instant::now(),
            usage: None,
        });
        script.models.clone()
    };
    axum::Json(json!({
        "object": "list",
        "data": models.iter().map(|m| json!({"id": m, "object": "model", "owned_by": "stand-in"})).collect::<Vec<_>>(),
    }))
    .into_response()
}

async fn not_found(uri: Uri) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!("Invalid URL (POST {})", uri.path()),
        "invalid_request_error",
    )
}

fn tokens(text: &str) -> u64 {
    (text.len() as u64).div_ceil(4)
}

async fn chat(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let Some((reply, index)) = take(&shared, "/v1/chat/completions", &headers, &body).await else {
        return StatusCode::GATEWAY_TIMEOUT.into_response();
    };
    if let Some(response) = failure(&reply, &headers) {
        return response;
    }
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let name = request["response_format"]["json_schema"]["name"]
        .as_str()
        .unwrap_or_default();
    let content = match reply {
        Reply::Content(content) => content,
        Reply::MalformedContent => "Sure! Here is the draft you asked for: {\"title\": ".into(),
        Reply::SchemaViolating => json!({"title": 42, "surprise": [true]}).to_string(),
        _ => correct_content(name, &request),
    };
    let prompt: u64 = request["messages"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|m| tokens(m["content"].as_str().unwrap_or_default()))
                .sum()
        })
        .unwrap_or(0);
    let completion = tokens(&content);
    let usage = json!({"prompt_tokens": prompt, "completion_tokens": completion,
                       "total_tokens": prompt + completion});
    if let Some(r) = lock(&shared).requests.get_mut(index) {
        r.usage = Some(usage.clone());
    }
    axum::Json(json!({
        "id": "chatcmpl-standin",
        "object": "chat.completion",
        "model": request["model"],
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content, "refusal": null}}],
        "usage": usage,
    }))
    .into_response()
}

/// The valid sample payload of each component type, in the model crate's tests.
fn sample(name: &str) -> Option<&'static str> {
    Some(match name {
        "REVIEW" => include_str!("../../model/tests/samples/REVIEW.valid.json"),
        "QUIZ" => include_str!("../../model/tests/samples/QUIZ.valid.json"),
        "ROLEPLAY" => include_str!("../../model/tests/samples/ROLEPLAY.valid.json"),
        "SHADOWING" => include_str!("../../model/tests/samples/SHADOWING.valid.json"),
        "PRONUNCIATION" => include_str!("../../model/tests/samples/PRONUNCIATION.valid.json"),
        "FLASHCARDS" => include_str!("../../model/tests/samples/FLASHCARDS.valid.json"),
        "CLOZE" => include_str!("../../model/tests/samples/CLOZE.valid.json"),
        "MATCHING" => include_str!("../../model/tests/samples/MATCHING.valid.json"),
        "HOTSPOT" => include_str!("../../model/tests/samples/HOTSPOT.valid.json"),
        "BRANCHING" => include_str!("../../model/tests/samples/BRANCHING.valid.json"),
        "DICTATION" => include_str!("../../model/tests/samples/DICTATION.valid.json"),
        _ => return None,
    })
}

fn without_provenance(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("provenance");
            map.values_mut().for_each(without_provenance);
        }
        Value::Array(items) => items.iter_mut().for_each(without_provenance),
        _ => {}
    }
}

fn correct_content(name: &str, request: &Value) -> String {
    if let Some(text) = sample(name) {
        let mut payload: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        without_provenance(&mut payload);
        return payload.to_string();
    }
    if name == "outline" {
        let lecture = request["messages"]
            .as_array()
            .and_then(|m| m.iter().rev().find(|m| m["role"] == "user"))
            .and_then(|m| m["content"].as_str())
            .unwrap_or_default();
        let lecture = lecture.split_once("\n\n").map_or(lecture, |(_, rest)| rest);
        let slides: Vec<Value> = lecture
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .enumerate()
            .map(|(i, paragraph)| {
                let title: String = paragraph.split_whitespace().take(5).collect::<Vec<_>>().join(" ");
                json!({"title": format!("{} {}", i + 1, title), "bullets": [title], "narration": paragraph})
            })
            .collect();
        return json!({"title": "Outlined lecture", "lessons": [{"title": "Lesson 1", "slides": slides}]})
            .to_string();
    }
    json!({"answer": "ok"}).to_string()
}

async fn speech(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let Some((reply, _)) = take(&shared, "/v1/audio/speech", &headers, &body).await else {
        return StatusCode::GATEWAY_TIMEOUT.into_response();
    };
    if let Some(response) = failure(&reply, &headers) {
        return response;
    }
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let input = request["input"].as_str().unwrap_or_default();
    if input.chars().count() > 4096 {
        return error(
            StatusCode::BAD_REQUEST,
            "[{'type': 'string_too_long', 'loc': ('body', 'input'), 'msg': 'String should have at most 4096 characters'}]",
            "invalid_request_error",
        );
    }
    let words = input.split_whitespace().count().max(1);
    match tone_wav(Duration::from_millis(400 * words as u64)) {
        Ok(mut wav) => {
            // As OpenAI streams it: the sizes in the header say "unknown".
            wav[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
            wav[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
            ([("content-type", "audio/wav")], wav).into_response()
        }
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e, "server_error"),
    }
}

/// A 440 Hz tone, 24 kHz mono 16-bit, as OpenAI's WAV speech is.
fn tone_wav(length: Duration) -> Result<Vec<u8>, String> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 24_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut out = std::io::Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut out, spec).map_err(|e| e.to_string())?;
    let samples = (length.as_secs_f64() * 24_000.0) as u64;
    for n in 0..samples {
        let t = n as f64 / 24_000.0;
        let value = (t * 440.0 * std::f64::consts::TAU).sin() * 8_000.0;
        writer
            .write_sample(value as i16)
            .map_err(|e| e.to_string())?;
    }
    writer.finalize().map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

async fn images(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let Some((reply, _)) = take(&shared, "/v1/images/generations", &headers, &body).await else {
        return StatusCode::GATEWAY_TIMEOUT.into_response();
    };
    if let Some(response) = failure(&reply, &headers) {
        return response;
    }
    match png(96, 64) {
        Ok(png) => axum::Json(json!({
            "created": 0,
            "data": [{"b64_json": base64::engine::general_purpose::STANDARD.encode(png),
                      "revised_prompt": "a simple illustration"}],
        }))
        .into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e, "server_error"),
    }
}

/// A small gradient PNG.
fn png(width: u32, height: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        let data: Vec<u8> = (0..width * height)
            .flat_map(|i| {
                let x = (i % width) as u8;
                let y = (i / width) as u8;
                [x.wrapping_mul(2), y.wrapping_mul(3), 180]
            })
            .collect();
        writer.write_image_data(&data).map_err(|e| e.to_string())?;
    }
    Ok(out)
}
