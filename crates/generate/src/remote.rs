//! The wire types of the team server's worker API: what a remote worker's [`Workspace`]
//! sends and receives (owned, serializable forms of the workspace's arguments).
//!
//! [`Workspace`]: crate::Workspace

use crate::{DraftOrigin, SlideOutput, Spending, SpokenAudio};
use classkit_model::AssetRef;
use classkit_model::generation::Drafted;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What an attempt spent (see [`Spending`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpendingRecord {
    pub id: Uuid,
    pub job_id: Uuid,
    pub attempt: u32,
    pub course_id: Uuid,
    pub engine: String,
    pub kind: String,
    pub micros: i64,
}

impl SpendingRecord {
    pub fn of(s: &Spending<'_>) -> Self {
        Self {
            id: s.id,
            job_id: s.job_id,
            attempt: s.attempt,
            course_id: s.course_id,
            engine: s.engine.to_string(),
            kind: s.kind.to_string(),
            micros: s.micros,
        }
    }

    pub fn spending(&self) -> Spending<'_> {
        Spending {
            id: self.id,
            job_id: self.job_id,
            attempt: self.attempt,
            course_id: self.course_id,
            engine: &self.engine,
            kind: &self.kind,
            micros: self.micros,
        }
    }
}

/// Where a draft came from (see [`DraftOrigin`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    pub input_key: String,
    pub engine: String,
    #[serde(default)]
    pub job_id: Option<Uuid>,
}

impl Origin {
    pub fn of(o: &DraftOrigin<'_>) -> Self {
        Self {
            input_key: o.input_key.to_string(),
            engine: o.engine.to_string(),
            job_id: o.job_id,
        }
    }

    pub fn origin(&self) -> DraftOrigin<'_> {
        DraftOrigin {
            input_key: &self.input_key,
            engine: &self.engine,
            job_id: self.job_id,
        }
    }
}

/// An engine's draft of a slide's component type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftRequest {
    pub slide_id: Uuid,
    /// `QUIZ`, `FLASHCARDS`, …
    pub component_type: String,
    /// The payload; none when the slide's text supports no component of the type.
    #[serde(default)]
    pub payload: Option<serde_json::Value>,
    pub origin: Origin,
    /// Why nothing was drafted, with no payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What a draft did: `saved`, `unchanged` or `taken_over` (the instructor's stays), with the
/// component as it is now; `nothing` for a draft of nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftAnswer {
    pub outcome: String,
    #[serde(default)]
    pub component: Option<classkit_model::LearningComponent>,
}

/// What was drafted of a type for a slide, and whether the instructor declined it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftState {
    pub drafted: Option<Drafted>,
    pub declined: bool,
}

/// Reference audio spoken for one item text (and language).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpokenItem {
    pub text: String,
    #[serde(default)]
    pub language: Option<String>,
    pub asset: AssetRef,
}

/// The spoken audio as a list.
pub fn spoken_items(spoken: &SpokenAudio) -> Vec<SpokenItem> {
    let mut items: Vec<SpokenItem> = spoken
        .iter()
        .map(|((text, language), asset)| SpokenItem {
            text: text.clone(),
            language: language.clone(),
            asset: asset.clone(),
        })
        .collect();
    items.sort_by(|a, b| (&a.text, &a.language).cmp(&(&b.text, &b.language)));
    items
}

/// The spoken audio from a list.
pub fn spoken_audio(items: Vec<SpokenItem>) -> SpokenAudio {
    items
        .into_iter()
        .map(|i| ((i.text, i.language), i.asset))
        .collect()
}

/// An output a slide shows (see [`SlideOutput`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum OutputOnSlide {
    Narration { asset: AssetRef, notes: String },
    Picture { asset: AssetRef },
}

impl OutputOnSlide {
    pub fn of(o: &SlideOutput<'_>) -> Self {
        match o {
            SlideOutput::Narration { asset, notes } => Self::Narration {
                asset: (*asset).clone(),
                notes: notes.to_string(),
            },
            SlideOutput::Picture { asset } => Self::Picture {
                asset: (*asset).clone(),
            },
        }
    }

    pub fn output(&self) -> SlideOutput<'_> {
        match self {
            Self::Narration { asset, notes } => SlideOutput::Narration { asset, notes },
            Self::Picture { asset } => SlideOutput::Picture { asset },
        }
    }
}

/// Whether something is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exists {
    pub exists: bool,
}

/// What a job has spent in all its attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSpending {
    pub micros: i64,
}

/// A count of items given audio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Added {
    pub added: usize,
}

/// Whether a slide points at an output now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    pub placed: bool,
}
