//! Errors of the application services, with the stable codes the UI and `--json` use.

use crate::import::ImportError;
use classkit_model::{ErrorCode, PayloadError, UnknownComponentType, ValidationIssue};
use classkit_store::StoreError;
use serde::Serialize;
use serde_json::{Value, json};
use std::path::PathBuf;
use uuid::Uuid;

/// Everything an application service can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    UnknownType(#[from] UnknownComponentType),
    #[error(transparent)]
    Payload(#[from] PayloadError),
    #[error("{0}")]
    Bundle(String),
    /// An undo or redo that would overwrite a change made since by something else.
    #[error(
        "this edit cannot be undone or redone: {} was changed since, elsewhere (its History has every version)",
        .0.target.name()
    )]
    ChangedSince(crate::undo::EditSummary),
    /// A learner package could not be made.
    #[error("{0}")]
    Export(#[from] classkit_export::ExportError),
    #[error(
        "the course \"{title}\" ({course_id}) is already in this library; import the bundle as a new copy or delete the existing course first"
    )]
    BundleCourseExists { course_id: Uuid, title: String },
    #[error("there is no library at {}", .0.display())]
    LibraryNotFound(PathBuf),
    #[error("{} is a file, not the folder of a library; choose the library's folder", .0.display())]
    NotALibrary(PathBuf),
    #[error("{what} is not valid JSON: {message}")]
    InvalidJson { what: String, message: String },
    #[error("{0}")]
    Grade(#[from] classkit_model::GradeError),
    #[error(transparent)]
    Queue(classkit_jobs::QueueError),
    #[error("{0}")]
    Engines(String),
    #[error("{0}")]
    EnginesConfig(String),
    #[error("there is no paid engine {0:?} in this library's engines.toml")]
    NoSuchEngine(String),
    #[error("{0}")]
    KeyringUnavailable(String),
    #[error("there is no file {}", .0.display())]
    FileNotFound(PathBuf),
    #[error("{0}")]
    InvalidProfile(String),
    #[error("{0}")]
    Settings(String),
    #[error("the chart cannot be drawn: {0}")]
    ChartFailed(String),
    #[error("the stored file {sha256} is {media_type}, not a picture or a sound")]
    NotServable { sha256: String, media_type: String },
    #[error(
        "only {ran} of {queued} check jobs ran within {seconds} s: are workers running for this queue?"
    )]
    WorkersUnavailable {
        ran: usize,
        queued: usize,
        seconds: u64,
    },
    #[error(
        "refused: this would cost about {}, and {scope} has {} left of its {} budget for {month} ({} spent); nothing was queued",
        classkit_engines::price::format_usd(*estimate_micros),
        classkit_engines::price::format_usd((limit_micros - spent_micros).max(0)),
        classkit_engines::price::format_usd(*limit_micros),
        classkit_engines::price::format_usd(*spent_micros)
    )]
    BudgetExceeded {
        scope: String,
        month: String,
        estimate_micros: i64,
        spent_micros: i64,
        limit_micros: i64,
    },
    #[error("{0}")]
    InvalidBudget(String),
    /// Input the instructor can fix (too long, empty where text is required, …).
    #[error("{0}")]
    Invalid(String),
    /// A pronunciation take was not scored.
    #[error(transparent)]
    Pronunciation(#[from] classkit_practice::PronunciationError),
    #[error(
        "the disk is full ({detail}); free some space, then try again: what was saved so far is kept"
    )]
    DiskFull { detail: String },
    #[error(
        "the assembly stopped: the workers cannot use the job queue of the library at {} ({detail}); assemble again once it works: what was made so far is kept",
        library.display()
    )]
    WorkStalled { library: PathBuf, detail: String },
    #[error("{} is {what}, not a file that can be read; choose a regular file", path.display())]
    NotAFile { path: PathBuf, what: &'static str },
    #[error("reading or writing {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A call to the team server failed.
    #[error(transparent)]
    Remote(#[from] classkit_sync::RemoteError),
    /// The course store the planning read failed.
    #[error(transparent)]
    Workspace(classkit_generate::WorkspaceError),
    #[error(
        "this library has no team server; set one (its address and a token from the team's admin) first"
    )]
    NoRemote,
}

impl From<classkit_generate::GenerateError> for AppError {
    fn from(e: classkit_generate::GenerateError) -> Self {
        use classkit_generate::GenerateError;
        match e {
            GenerateError::Engines(m) => AppError::Engines(m),
            GenerateError::EnginesConfig(m) => AppError::EnginesConfig(m),
            GenerateError::Invalid(m) => AppError::Invalid(m),
            GenerateError::Workspace(e) => AppError::Workspace(e),
        }
    }
}

impl From<StoreError> for AppError {
    /// A full disk is said as such, whichever write met it.
    fn from(e: StoreError) -> Self {
        match e.is_disk_full() {
            true => AppError::DiskFull {
                detail: e.to_string(),
            },
            false => AppError::Store(e),
        }
    }
}

impl From<classkit_jobs::QueueError> for AppError {
    /// A full disk is said as such, whichever write met it.
    fn from(e: classkit_jobs::QueueError) -> Self {
        match e.is_disk_full() {
            true => AppError::DiskFull {
                detail: e.to_string(),
            },
            false => AppError::Queue(e),
        }
    }
}

impl From<AppError> for WireError {
    fn from(e: AppError) -> Self {
        e.to_wire()
    }
}

/// An error as it crosses to the UI or a `--json` caller.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct WireError {
    /// Stable: the UI matches on it, never on the message.
    pub code: ErrorCode,
    pub message: String,
    pub details: Value,
}

impl WireError {
    /// An error with no details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: Value::Null,
        }
    }
}

impl AppError {
    /// A stable code; callers match on it, never on the message.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Store(e) => e.code(),
            Self::Import(ImportError::Empty { .. }) => ErrorCode::ImportEmpty,
            Self::Import(ImportError::TooLarge { .. }) => ErrorCode::ImportTooLarge,
            Self::Import(ImportError::Binary { .. }) => ErrorCode::ImportBinary,
            Self::Import(ImportError::NotUtf8 { .. }) => ErrorCode::ImportNotUtf8,
            Self::Import(ImportError::NulCharacter { .. }) => ErrorCode::ImportNulCharacter,
            Self::UnknownType(_) => ErrorCode::UnknownComponentType,
            Self::Payload(_) => ErrorCode::ValidationFailed,
            Self::Bundle(_) => ErrorCode::BundleInvalid,
            Self::ChangedSince(_) => ErrorCode::VersionConflict,
            Self::Export(classkit_export::ExportError::Invalid(_)) => ErrorCode::InvalidInput,
            Self::Export(
                classkit_export::ExportError::Write { source, .. }
                | classkit_export::ExportError::Read { source, .. },
            ) if classkit_jobs::job::is_disk_full(source) => ErrorCode::DiskFull,
            Self::Export(_) => ErrorCode::IoError,
            Self::BundleCourseExists { .. } => ErrorCode::CourseExists,
            Self::InvalidJson { .. } => ErrorCode::InvalidJson,
            Self::LibraryNotFound(_) | Self::NotALibrary(_) => ErrorCode::LibraryNotFound,
            Self::Grade(_) => ErrorCode::GradingFailed,
            Self::Queue(e) => e.code(),
            Self::Engines(_) => ErrorCode::EngineUnavailable,
            Self::EnginesConfig(_) => ErrorCode::InvalidEnginesConfig,
            Self::NoSuchEngine(_) => ErrorCode::NotFound,
            Self::KeyringUnavailable(_) => ErrorCode::KeyringUnavailable,
            Self::WorkersUnavailable { .. } => ErrorCode::WorkersUnavailable,
            Self::NotServable { .. } => ErrorCode::NotServable,
            Self::FileNotFound(_) => ErrorCode::NotFound,
            Self::InvalidProfile(_) => ErrorCode::InvalidProfile,
            Self::Settings(_) => ErrorCode::SettingsError,
            Self::ChartFailed(_) => ErrorCode::ChartFailed,
            Self::BudgetExceeded { .. } => ErrorCode::BudgetExceeded,
            Self::InvalidBudget(_) => ErrorCode::InvalidBudget,
            Self::Invalid(_) => ErrorCode::InvalidInput,
            Self::Pronunciation(
                classkit_practice::PronunciationError::Refused(_)
                | classkit_practice::PronunciationError::TimedOut(_),
            ) => ErrorCode::InvalidInput,
            Self::Pronunciation(_) => ErrorCode::EngineUnavailable,
            Self::NotAFile { .. } => ErrorCode::NotAFile,
            Self::DiskFull { .. } => ErrorCode::DiskFull,
            Self::WorkStalled { .. } => ErrorCode::WorkStalled,
            Self::Io { source, .. } if classkit_jobs::job::is_disk_full(source) => {
                ErrorCode::DiskFull
            }
            Self::Io { .. } => ErrorCode::IoError,
            Self::Remote(e) => e.code(),
            Self::NoRemote => ErrorCode::NoRemote,
            Self::Workspace(e) => match e {
                classkit_generate::WorkspaceError::Missing(_) => ErrorCode::NotFound,
                classkit_generate::WorkspaceError::Rejected(_) => ErrorCode::InvalidInput,
                classkit_generate::WorkspaceError::DiskFull(_) => ErrorCode::DiskFull,
                classkit_generate::WorkspaceError::Unavailable(_) => ErrorCode::LibraryUnavailable,
            },
        }
    }

    /// Validation issues behind the error, when there are any.
    pub fn issues(&self) -> Option<&[ValidationIssue]> {
        match self {
            Self::Store(e) => e.issues(),
            Self::Payload(e) => Some(&e.issues),
            _ => None,
        }
    }

    /// The error as `{code, message, details}`; details carry validation issues with pointers.
    pub fn to_wire(&self) -> WireError {
        let details = match (self.issues(), self) {
            (Some(issues), _) => json!({ "issues": issues }),
            (None, Self::BundleCourseExists { course_id, .. }) => json!({ "course_id": course_id }),
            (None, Self::ChangedSince(edit)) => json!({ "edit": edit }),
            (
                None,
                Self::BudgetExceeded {
                    month,
                    estimate_micros,
                    spent_micros,
                    limit_micros,
                    ..
                },
            ) => json!({
                "month": month,
                "estimate_micros": estimate_micros,
                "spent_micros": spent_micros,
                "limit_micros": limit_micros,
                "remaining_micros": (limit_micros - spent_micros).max(0),
            }),
            (
                None,
                Self::Import(
                    ImportError::NotUtf8 { line, column, .. }
                    | ImportError::NulCharacter { line, column, .. },
                ),
            ) => {
                json!({ "line": line, "column": column })
            }
            _ => Value::Null,
        };
        WireError {
            code: self.code(),
            message: self.to_string(),
            details,
        }
    }
}
