//! Errors of the application services, with the stable codes the UI and `--json` use.

use crate::import::ImportError;
use classkit_model::{PayloadError, UnknownComponentType, ValidationIssue};
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
    #[error(
        "the course \"{title}\" ({course_id}) is already in this library; import the bundle as a new copy (--as-copy) or delete the existing course first"
    )]
    BundleCourseExists { course_id: Uuid, title: String },
    #[error("there is no library at {} (pass --library with the folder of an existing library)", .0.display())]
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
    pub code: &'static str,
    pub message: String,
    pub details: Value,
}

impl AppError {
    /// A stable code; callers match on it, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Store(e) => e.code(),
            Self::Import(ImportError::Empty { .. }) => "import_empty",
            Self::Import(ImportError::TooLarge { .. }) => "import_too_large",
            Self::Import(ImportError::Binary { .. }) => "import_binary",
            Self::Import(ImportError::NotUtf8 { .. }) => "import_not_utf8",
            Self::Import(ImportError::NulCharacter { .. }) => "import_nul_character",
            Self::UnknownType(_) => "unknown_component_type",
            Self::Payload(_) => "validation_failed",
            Self::Bundle(_) => "bundle_invalid",
            Self::BundleCourseExists { .. } => "course_exists",
            Self::InvalidJson { .. } => "invalid_json",
            Self::LibraryNotFound(_) | Self::NotALibrary(_) => "library_not_found",
            Self::Grade(_) => "grading_failed",
            Self::Queue(e) => e.code(),
            Self::Engines(_) => "engine_unavailable",
            Self::EnginesConfig(_) => "invalid_engines_config",
            Self::NoSuchEngine(_) => "not_found",
            Self::KeyringUnavailable(_) => "keyring_unavailable",
            Self::WorkersUnavailable { .. } => "workers_unavailable",
            Self::NotServable { .. } => "not_servable",
            Self::FileNotFound(_) => "not_found",
            Self::InvalidProfile(_) => "invalid_profile",
            Self::Settings(_) => "settings_error",
            Self::ChartFailed(_) => "chart_failed",
            Self::BudgetExceeded { .. } => "budget_exceeded",
            Self::InvalidBudget(_) => "invalid_budget",
            Self::Invalid(_) => "invalid_input",
            Self::NotAFile { .. } => "not_a_file",
            Self::DiskFull { .. } => "disk_full",
            Self::WorkStalled { .. } => "work_stalled",
            Self::Io { source, .. } if classkit_jobs::job::is_disk_full(source) => "disk_full",
            Self::Io { .. } => "io_error",
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
