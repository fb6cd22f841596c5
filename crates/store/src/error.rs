//! Errors of the local library.

use classkit_model::ErrorCode;
use classkit_model::{PayloadError, ValidationIssue};
use std::path::PathBuf;
use uuid::Uuid;

/// Everything that can go wrong reading or writing the library.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the library at {} could not be opened: {source}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error(
        "the library at {} was written by a newer ClassKit Studio (it has change {found} that this version does not know); update ClassKit Studio to open it",
        path.display()
    )]
    NewerLibrary { path: PathBuf, found: i64 },
    #[error("{kind} {id} is not in the library")]
    NotFound { kind: &'static str, id: String },
    #[error(
        "{kind} {id} was changed elsewhere (it is now at version {actual}; this edit was made on version {expected}); reload it and apply the edit again"
    )]
    VersionConflict {
        kind: &'static str,
        id: Uuid,
        expected: i64,
        actual: i64,
    },
    #[error(
        "a ready component must be valid (mark it as a draft to keep work in progress); fix: {}",
        list(.issues)
    )]
    NotReady { issues: Vec<ValidationIssue> },
    #[error(transparent)]
    Payload(#[from] PayloadError),
    #[error("{what} cannot be saved: {}", list(.issues))]
    InvalidText {
        what: String,
        issues: Vec<ValidationIssue>,
    },
    #[error("{what} is {size} bytes; the limit is {limit} bytes")]
    AssetTooLarge { what: String, size: u64, limit: u64 },
    #[error("asset {0} is not in the library")]
    AssetMissing(String),
    #[error("{0} has no revision {1}")]
    RevisionNotFound(Uuid, i64),
    #[error(
        "a course with id {0} is already in the library; import it as a new copy or delete the existing course first"
    )]
    CourseExists(Uuid),
    #[error(
        "{kind} {id} is already in the library (in another course); import the bundle as a new copy"
    )]
    IdTaken { kind: String, id: Uuid },
    #[error("{0}")]
    Invalid(String),
    #[error("the library's data is damaged: {0}")]
    Corrupt(String),
    #[error("the library database reported an error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("reading or writing {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn list(issues: &[ValidationIssue]) -> String {
    issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl StoreError {
    /// A stable code for programs (the UI and `--json` output match on it, never on text).
    pub fn code(&self) -> ErrorCode {
        match self {
            _ if self.is_disk_full() => ErrorCode::DiskFull,
            Self::Open { .. } => ErrorCode::LibraryUnavailable,
            Self::NewerLibrary { .. } => ErrorCode::LibraryTooNew,
            Self::NotFound { .. } | Self::RevisionNotFound(..) => ErrorCode::NotFound,
            Self::VersionConflict { .. } => ErrorCode::VersionConflict,
            Self::NotReady { .. } | Self::Payload(_) | Self::InvalidText { .. } => {
                ErrorCode::ValidationFailed
            }
            Self::AssetTooLarge { .. } => ErrorCode::AssetTooLarge,
            Self::AssetMissing(_) => ErrorCode::AssetMissing,
            Self::CourseExists(_) => ErrorCode::CourseExists,
            Self::IdTaken { .. } => ErrorCode::IdTaken,
            Self::Invalid(_) => ErrorCode::InvalidInput,
            Self::Corrupt(_) => ErrorCode::LibraryDamaged,
            Self::Database(_) => ErrorCode::DatabaseError,
            Self::Io { .. } => ErrorCode::IoError,
        }
    }

    /// True when the library's disk (or the user's quota) is full: SQLite's `SQLITE_FULL`,
    /// or a file write that failed for want of space.
    pub fn is_disk_full(&self) -> bool {
        let io_full = |e: &std::io::Error| {
            matches!(
                e.kind(),
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
            )
        };
        match self {
            Self::Database(sqlx::Error::Database(e)) => e.code().as_deref() == Some("13"),
            Self::Database(sqlx::Error::Io(e)) | Self::Io { source: e, .. } => io_full(e),
            _ => false,
        }
    }

    /// The validation issues behind this error, when there are any.
    pub fn issues(&self) -> Option<&[ValidationIssue]> {
        match self {
            Self::NotReady { issues } | Self::InvalidText { issues, .. } => Some(issues),
            Self::Payload(e) => Some(&e.issues),
            _ => None,
        }
    }

    /// Refuses `issues` of the text of `what` (`the slide "Intro"`), when there are any.
    pub(crate) fn check_text(
        issues: Vec<ValidationIssue>,
        what: impl FnOnce() -> String,
    ) -> Result<()> {
        match issues.is_empty() {
            true => Ok(()),
            false => Err(Self::InvalidText {
                what: what(),
                issues,
            }),
        }
    }

    pub(crate) fn not_found(kind: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            kind,
            id: id.to_string(),
        }
    }
}

/// Results of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
