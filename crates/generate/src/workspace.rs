//! The course store as the job handlers see it: the one interface every generation handler
//! is written against, so bundled workers (over the local library, [`LocalWorkspace`]) and
//! remote workers (over a team server's API) run the same handlers.
//!
//! Its operations are the domain's, not a database's: "point this slide at its narration
//! unless its notes changed" is one call, so each side can do it its own way (the local
//! library re-reads on a version conflict; a server can update conditionally). What a
//! handler must never undo, an instructor's edit, is decided inside these calls.
//!
//! [`LocalWorkspace`]: super::LocalWorkspace

use async_trait::async_trait;
use classkit_engines::cache::normalize;
use classkit_jobs::JobError;
use classkit_model::generation::{DraftOutcome, Drafted, Generated};
use classkit_model::{AssetRef, ChangeKind, ComponentType, CourseTree, LearningComponent, Slide};
use std::collections::HashMap;
use uuid::Uuid;

/// What a workspace operation returns.
pub type WorkspaceResult<T> = std::result::Result<T, WorkspaceError>;

/// Why a workspace operation failed, by what a job should do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkspaceError {
    /// What the job works on is not there (deleted meanwhile): trying again finds it no more.
    #[error("{0}")]
    Missing(String),
    /// What the job made breaks the course's rules: trying again makes the same.
    #[error("{0}")]
    Rejected(String),
    /// The disk (or quota) where results are kept is full: worth trying once space is freed,
    /// and whoever waits for the job can stop and say so.
    #[error("{0}")]
    DiskFull(String),
    /// Anything else (a busy database, a server that did not answer): worth trying again.
    #[error("{0}")]
    Unavailable(String),
}

impl From<WorkspaceError> for JobError {
    fn from(e: WorkspaceError) -> Self {
        match e {
            WorkspaceError::Missing(m) | WorkspaceError::Rejected(m) => JobError::permanent(m),
            WorkspaceError::DiskFull(m) => JobError::disk_full(m),
            WorkspaceError::Unavailable(m) => JobError::retryable(m),
        }
    }
}

/// What an attempt of a job spent on an engine, charged to a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spending<'a> {
    /// This payment's own id: an attempt may pay several times (one reference recording an
    /// item), and the same payment reported twice is recorded once.
    pub id: Uuid,
    pub job_id: Uuid,
    /// The attempt (a retry's spending is its own).
    pub attempt: u32,
    pub course_id: Uuid,
    pub engine: &'a str,
    /// The job kind it was spent for.
    pub kind: &'a str,
    pub micros: i64,
}

/// Where a draft came from: the input it was made from (its cache key), the engine, the job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DraftOrigin<'a> {
    pub input_key: &'a str,
    pub engine: &'a str,
    pub job_id: Option<Uuid>,
}

/// Reference audio spoken for a component: by item text and language tag, the audio.
pub type SpokenAudio = HashMap<(String, Option<String>), AssetRef>;

/// An output a slide shows, with the rule for when it still belongs there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlideOutput<'a> {
    /// Narration spoken from `notes`: it belongs while the slide's speaker notes still say
    /// that (compared as the cache compares text).
    Narration { asset: &'a AssetRef, notes: &'a str },
    /// A picture made for the slide: it belongs while the slide has no picture of its own.
    Picture { asset: &'a AssetRef },
}

impl SlideOutput<'_> {
    /// The stored file.
    pub fn asset(&self) -> &AssetRef {
        match self {
            Self::Narration { asset, .. } | Self::Picture { asset } => asset,
        }
    }

    /// True when `slide` points at this output already.
    pub fn is_on(&self, slide: &Slide) -> bool {
        let current = match self {
            Self::Narration { .. } => &slide.narration,
            Self::Picture { .. } => &slide.image,
        };
        current.as_ref() == Some(self.asset())
    }

    /// True when `slide`, as it is now, is to point at this output: its notes say what was
    /// spoken (bold or not: see [`classkit_model::spoken`]), or it has no picture yet.
    pub fn belongs_on(&self, slide: &Slide) -> bool {
        match self {
            Self::Narration { notes, .. } => {
                normalize(&classkit_model::spoken(&slide.speaker_notes)) == normalize(notes)
            }
            Self::Picture { .. } => slide.image.is_none(),
        }
    }
}

/// What the planning of an assembly reads of a course store: besides the course itself, what
/// was generated and drafted for its slides. A course store implements it (as part of
/// [`Workspace`]); so does a snapshot of one course read at once (the team server's).
#[async_trait]
pub trait PlanSource: Send + Sync {
    /// A learning component as it is now.
    async fn component(&self, id: Uuid) -> WorkspaceResult<LearningComponent>;

    /// What was generated of `kind` for `target`, by page.
    async fn generated(&self, target: Uuid, kind: &str) -> WorkspaceResult<Vec<Generated>>;

    /// What an engine drafted of `component_type` for `slide`, when anything was.
    async fn drafted(
        &self,
        slide: Uuid,
        component_type: ComponentType,
    ) -> WorkspaceResult<Option<Drafted>>;

    /// Whether the instructor deleted the engine's draft of `component_type` from `slide`
    /// (so the engines leave that type alone there).
    async fn draft_declined(
        &self,
        slide: Uuid,
        component_type: ComponentType,
    ) -> WorkspaceResult<bool>;
}

/// The course store a generation handler reads from and writes its results to.
#[async_trait]
pub trait Workspace: PlanSource {
    /// A slide as it is now.
    async fn slide(&self, id: Uuid) -> WorkspaceResult<Slide>;

    /// A whole course: lessons, slides and components, in order.
    async fn course_tree(&self, id: Uuid) -> WorkspaceResult<CourseTree>;

    /// True when the course exists.
    async fn course_exists(&self, id: Uuid) -> WorkspaceResult<bool>;

    /// Stores a new course made by a job; `change` says how it was made (`outlined`).
    async fn add_course(&self, tree: &CourseTree, change: ChangeKind) -> WorkspaceResult<()>;

    /// Stores bytes by content hash (storing the same bytes again adds nothing).
    async fn put_asset(&self, bytes: &[u8], media_type: &str) -> WorkspaceResult<AssetRef>;

    /// True when the asset is stored.
    async fn has_asset(&self, asset: &AssetRef) -> WorkspaceResult<bool>;

    /// The bytes of a stored asset.
    async fn asset_bytes(&self, asset: &AssetRef) -> WorkspaceResult<Vec<u8>>;

    /// Records the outputs of `kind` for `target`, replacing the earlier take.
    async fn put_generated(
        &self,
        target: Uuid,
        kind: &str,
        outputs: &[Generated],
    ) -> WorkspaceResult<()>;

    /// Charges what an attempt spent to its course.
    async fn record_spending(&self, spending: &Spending<'_>) -> WorkspaceResult<()>;

    /// What a job has spent in all its attempts so far (those that failed or whose worker
    /// was lost included), as charged by [`Workspace::record_spending`].
    async fn spent_by_job(&self, job_id: Uuid) -> WorkspaceResult<i64>;

    /// Saves an engine's draft of a slide's component type, unless the instructor has taken
    /// the component over (changed it, marked it ready, or written their own of that type):
    /// theirs stays, and the outcome says so.
    async fn save_draft(
        &self,
        slide: Uuid,
        component_type: ComponentType,
        payload: serde_json::Value,
        origin: &DraftOrigin<'_>,
    ) -> WorkspaceResult<DraftOutcome>;

    /// Records that the slide's text supports no component of this type (so it counts as
    /// drafted for this input), and why, as the engine said it.
    async fn record_nothing_drafted(
        &self,
        slide: Uuid,
        component_type: ComponentType,
        origin: &DraftOrigin<'_>,
        reason: &str,
    ) -> WorkspaceResult<()>;

    /// Puts reference audio on the component's items whose text (and language) was spoken
    /// and that have no audio yet, as the component is now (the instructor's edits made
    /// meanwhile stay); returns how many items got it.
    async fn add_reference_audio(
        &self,
        component: Uuid,
        spoken: &SpokenAudio,
    ) -> WorkspaceResult<usize>;

    /// Points the slide at `output` if it still belongs there (see [`SlideOutput`]), as the
    /// slide is at the moment of writing; returns whether the slide points at it now.
    async fn point_slide_at(&self, slide: Uuid, output: SlideOutput<'_>) -> WorkspaceResult<bool>;
}
