//! Drafting learning components from a slide's text: the [`TextGen`] trait every text engine
//! implements, what it is asked ([`DraftRequest`]) and what it gives ([`Drafted`]), and the
//! [`check`] every draft passes before it is handed out. The builtin engine is
//! [`Extractive`]; OpenAI-compatible ones live in [`crate::openai`].

mod define;
mod why;
pub use why::Why;
mod extractive;
pub mod text;

pub use extractive::{DRAFTED_TYPES, Extractive, draft, draft_text, glossary, hotspot};

use async_trait::async_trait;
use classkit_jobs::JobError;
use classkit_model::{ComponentType, check_payload};
use serde_json::Value;
use uuid::Uuid;

/// The types whose items a learner listens to: they need reference audio.
pub fn needs_audio(kind: ComponentType) -> bool {
    matches!(
        kind,
        ComponentType::Dictation | ComponentType::Shadowing | ComponentType::Pronunciation
    )
}

/// One slide's text.
#[derive(Debug, Clone, Copy)]
pub struct SlideText<'a> {
    pub slide_id: Uuid,
    pub title: &'a str,
    /// On-screen Markdown.
    pub body: &'a str,
    /// The narration: drafts quote it.
    pub notes: &'a str,
}

/// What drafting a type for a slide gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Drafted {
    /// A payload that validates, each item with its provenance.
    Payload(Value),
    /// A payload with fields the text cannot supply, left empty for the author (JSON
    /// pointers); everything else validates.
    Partial {
        payload: Value,
        for_author: Vec<String>,
    },
    /// The text does not support this type; why.
    Nothing(String),
}

/// Tokens a language model read and wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// True when the server did not report usage and it was estimated from the text.
    pub estimated: bool,
}

impl Usage {
    pub fn add(&mut self, other: Usage) {
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.estimated |= other.estimated;
    }
}

/// A rendered slide a HOTSPOT is drawn over.
#[derive(Debug, Clone, Copy)]
pub struct RenderedSlide<'a> {
    /// The stored PNG (asset hash).
    pub image: &'a str,
    pub width: f32,
    pub height: f32,
    /// The boxes of its labelled elements (`kind`, `label`, `x`, `y`, `width`, `height`).
    pub elements: &'a [Value],
}

/// What a text engine is asked to draft.
#[derive(Debug, Clone, Copy)]
pub struct DraftRequest<'a> {
    pub component_type: ComponentType,
    pub slide: SlideText<'a>,
    /// Terms the course defines (wrong answers come from them).
    pub glossary: &'a [String],
    /// HOTSPOT: the slide as rendered.
    pub render: Option<RenderedSlide<'a>>,
}

/// A draft and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct TextDraft {
    pub drafted: Drafted,
    pub usage: Usage,
    pub cost_micros: i64,
    /// Calls made to the model (1, or more after repairs); 0 for extraction.
    pub calls: u32,
}

/// A draft that failed, and what the calls made for it cost all the same.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftFailure {
    pub error: JobError,
    pub cost_micros: i64,
}

impl From<JobError> for DraftFailure {
    fn from(error: JobError) -> Self {
        Self {
            error,
            cost_micros: 0,
        }
    }
}

/// A text engine: drafts learning components from a slide's text.
#[async_trait]
pub trait TextGen: Send + Sync {
    /// The engine's id in the registry.
    fn id(&self) -> &str;

    /// What identifies its output besides the input (model, prompt version), for the cache key.
    fn parameters(&self) -> Value;

    /// The types it drafts (HOTSPOT over a rendered slide).
    fn types(&self) -> Vec<ComponentType>;

    async fn draft(&self, request: &DraftRequest<'_>) -> Result<TextDraft, DraftFailure>;
}

/// Removes the narration's bold marks (`**`) from every text of a drafted payload: the
/// notes set key terms in bold, a learner sees the words. A provenance keeps its quote as
/// the notes have it, byte for byte.
pub fn unmark(value: &mut Value) {
    match value {
        Value::String(text) if text.contains("**") => *text = classkit_model::spoken(text),
        Value::Array(items) => items.iter_mut().for_each(unmark),
        Value::Object(fields) => fields
            .iter_mut()
            .filter(|(name, _)| *name != "provenance")
            .for_each(|(_, v)| unmark(v)),
        _ => {}
    }
}

/// A payload that breaks a rule is not handed out (a partial one may leave its fields for
/// the author empty, nothing else).
pub fn check(kind: ComponentType, drafted: Drafted) -> Drafted {
    let issues: Vec<_> = match &drafted {
        Drafted::Payload(payload) => check_payload(kind, payload),
        Drafted::Partial {
            payload,
            for_author,
        } => check_payload(kind, payload)
            .into_iter()
            .filter(|i| !for_author.iter().any(|f| i.pointer.starts_with(f.as_str())))
            .collect(),
        Drafted::Nothing(_) => return drafted,
    };
    if issues.is_empty() {
        return drafted;
    }
    Drafted::Nothing(format!(
        "the {kind} draft did not validate: {}",
        issues
            .iter()
            .map(|i| format!("{}: {}", i.pointer, i.message))
            .collect::<Vec<_>>()
            .join("; ")
    ))
}
