//! What generation made, as the course stores (the local library, the team server) keep it.

use crate::{AssetRef, LearningComponent};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One generated output (a page of a slide render, or a slide's narration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generated {
    pub target_id: Uuid,
    /// `narration` or `slide_render`.
    pub kind: String,
    pub page: u32,
    pub asset: AssetRef,
    pub media_type: String,
    pub thumbnail: Option<AssetRef>,
    pub duration_ms: Option<u64>,
    /// The cache key of the input it was made from.
    pub input_key: String,
    pub engine: String,
    pub cost_micros: i64,
    pub job_id: Option<Uuid>,
    pub details: serde_json::Value,
}

/// What an engine drafted of one type for a slide: a component, or nothing (the slide's
/// text does not support the type), and the input it was drafted from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drafted {
    pub slide_id: Uuid,
    pub component_type: String,
    /// `None` when the engine drafted nothing from this input.
    pub component_id: Option<Uuid>,
    /// The component's version as the engine left it (0 without a component).
    pub version: i64,
    pub input_key: String,
    pub engine: String,
    /// Why the engine drafted nothing (as it said it); `None` with a component.
    #[serde(default)]
    pub reason: Option<String>,
}

/// What saving an engine's draft did.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftOutcome {
    /// The draft was stored (a new component, or the engine's earlier draft replaced).
    Saved(LearningComponent),
    /// The stored draft was made from the same input: left as it is.
    Unchanged(LearningComponent),
    /// The instructor has changed the drafted component or marked it ready, or the slide
    /// already has a component of this type that the engine did not draft: theirs stays
    /// and the draft is not stored.
    TakenOver(LearningComponent),
}

/// What was spent on one engine for one kind of job in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendingLine {
    pub engine: String,
    /// The job kind (`draft_component`, `narration`, …).
    pub kind: String,
    /// Payments recorded (a job that paid again on a retry counts twice).
    pub payments: i64,
    pub micros: i64,
}

/// A month's spending, from a ledger (the library's, or the team's for a team course),
/// by engine and job kind, the largest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendingReport {
    /// `YYYY-MM` (UTC).
    pub month: String,
    /// The course reported on; `None` for the whole library.
    #[serde(default)]
    pub course_id: Option<Uuid>,
    /// Whose ledger: `library` or `team`.
    pub ledger: String,
    pub lines: Vec<SpendingLine>,
    pub total_micros: i64,
}

impl SpendingReport {
    /// A report of these lines (ordered here, the largest first).
    pub fn new(
        month: String,
        course_id: Option<Uuid>,
        ledger: &str,
        mut lines: Vec<SpendingLine>,
    ) -> Self {
        lines.sort_by(|a, b| {
            b.micros
                .cmp(&a.micros)
                .then_with(|| (&a.engine, &a.kind).cmp(&(&b.engine, &b.kind)))
        });
        let total_micros = lines.iter().map(|l| l.micros).sum();
        Self {
            month,
            course_id,
            ledger: ledger.to_string(),
            lines,
            total_micros,
        }
    }
}
