//! The wire types of team generation: asking the team server to assemble a course (or a lesson
//! or a slide of it), and what it queued.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Which slides of a course an assembly covers: `{"kind": "course"}`,
/// `{"kind": "lesson", "id": …}` or `{"kind": "slide", "id": …}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum AssembleScope {
    #[default]
    Course,
    Lesson(Uuid),
    Slide(Uuid),
}

/// What to assemble, and on which engines (the team's choice where not named).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssembleRequest {
    #[serde(default)]
    pub scope: AssembleScope,
    /// Of `slides`, `narration`, `drafts`, `illustrations`; all of them when absent.
    #[serde(default)]
    pub parts: Option<Vec<String>>,
    #[serde(default)]
    pub speech_engine: Option<String>,
    #[serde(default)]
    pub text_engine: Option<String>,
    #[serde(default)]
    pub image_engine: Option<String>,
    /// Make everything again, even what is up to date.
    #[serde(default)]
    pub no_cache: bool,
}

/// What an assembly queued on the team's queue; the jobs run on the team's workers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AssembleResponse {
    pub course_id: Uuid,
    pub scope: AssembleScope,
    /// Slides the assembly covers.
    pub slides: usize,
    /// Outputs already made from the same input: nothing to do for them.
    pub up_to_date: usize,
    /// The jobs queued (or already queued for the same input).
    pub jobs: Vec<Uuid>,
    /// What the jobs are estimated to cost, in millionths of a US dollar.
    pub estimated_cost_micros: i64,
}
