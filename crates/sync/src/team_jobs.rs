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

/// A job on the team's queue, as the server shows it to a course's members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamJob {
    pub id: Uuid,
    pub kind: String,
    #[serde(default)]
    pub target: Option<Uuid>,
    /// `queued`, `running`, `succeeded`, `retry_wait`, `dead` or `cancelled`.
    pub state: String,
    pub attempts: u32,
    pub max_attempts: u32,
    pub progress: u8,
    #[serde(default)]
    pub progress_message: String,
    /// The last error, `{class, message, …}`.
    #[serde(default)]
    pub last_error: Option<serde_json::Value>,
    #[serde(default)]
    pub result: Option<serde_json::Value>,
    #[serde(default)]
    pub estimated_cost_micros: Option<i64>,
    #[serde(default)]
    pub actual_cost_micros: Option<i64>,
    #[serde(default)]
    pub run_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub course_id: Option<Uuid>,
    #[serde(default)]
    pub requested_by: Option<String>,
    #[serde(default)]
    pub engine: Option<String>,
    #[serde(default)]
    pub created_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl TeamJob {
    /// True once the job will not change by itself any more.
    pub fn is_finished(&self) -> bool {
        matches!(self.state.as_str(), "succeeded" | "dead" | "cancelled")
    }

    /// The job it queued in turn (reference audio after a draft, a render after a picture).
    pub fn follow_up(&self) -> Option<Uuid> {
        self.result
            .as_ref()
            .and_then(|r| r["follow_up"].as_str())
            .and_then(|id| id.parse().ok())
    }
}

/// A change of a job, as the server's event stream sends it (`event: job`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamJobEvent {
    pub job_id: Uuid,
    pub kind: String,
    #[serde(default)]
    pub target: Option<Uuid>,
    pub state: String,
    #[serde(default)]
    pub attempts: u32,
    #[serde(default)]
    pub progress: u8,
    #[serde(default)]
    pub message: String,
    /// For a job waiting to retry: when it runs again.
    #[serde(default)]
    pub run_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub course_id: Option<Uuid>,
    #[serde(default)]
    pub requested_by: Option<String>,
}

/// What an event stream gives: a job's change, or word that some were missed.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamItem {
    Job(TeamJobEvent),
    /// This connection fell behind and missed events: read the jobs again.
    Lagged,
}

/// This month's budgets and spending on a team server's ledger, in millionths of a US dollar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeamBudget {
    /// `YYYY-MM`, in UTC.
    pub month: String,
    pub team_limit_micros: Option<i64>,
    pub team_spent_micros: i64,
    #[serde(default)]
    pub course_id: Option<Uuid>,
    #[serde(default)]
    pub course_limit_micros: Option<i64>,
    #[serde(default)]
    pub course_spent_micros: Option<i64>,
}

/// Asking the team's workers to outline a lecture into a new course (with the team's
/// language model and keys); the course is made on the team server, owned by whoever asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutlineRequest {
    /// The lecture's file name (for the course's title when none is given).
    pub name: String,
    /// The lecture's text.
    pub text: String,
    #[serde(default)]
    pub title: Option<String>,
    /// The language model (an engine id of the team's `engines.toml`).
    pub engine: String,
}

/// An outline queued: the course it makes takes the job's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OutlineResponse {
    pub job_id: Uuid,
    pub course_id: Uuid,
    pub estimated_cost_micros: i64,
}
