//! The stable codes of every error that crosses to a client: the desktop UI, `--json` output
//! and (next) the team server's API. Clients match on the code, never on the message; the
//! message is for people and never names a client's own controls (a command-line flag, a
//! button): each client adds its own hint.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $code:literal, )+) => {
        /// What went wrong, as a stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl ErrorCode {
            /// Every code, in the order they are declared.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as it is written on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)+ }
            }
        }
    };
}

error_codes! {
    // Input the person can fix.
    /// Input that is not acceptable, e.g. too long, or empty where text is required.
    InvalidInput = "invalid_input",
    /// A command line that does not parse, or options that do not go together.
    InvalidArguments = "invalid_arguments",
    /// Text that should be JSON and is not.
    InvalidJson = "invalid_json",
    /// A component's payload breaks a rule of its type; `details.issues` says where.
    ValidationFailed = "validation_failed",
    /// A learning component type that does not exist.
    UnknownComponentType = "unknown_component_type",
    /// A lecture file with no text.
    ImportEmpty = "import_empty",
    /// A lecture file over the size limit.
    ImportTooLarge = "import_too_large",
    /// A lecture file that is not text (a picture, a program, a document format).
    ImportBinary = "import_binary",
    /// A lecture file that is not UTF-8; `details` has the line and column.
    ImportNotUtf8 = "import_not_utf8",
    /// A lecture file with a NUL character; `details` has the line and column.
    ImportNulCharacter = "import_nul_character",
    /// Input over a size limit.
    InputTooLarge = "input_too_large",
    /// A path that is a folder or a device, not a regular file.
    NotAFile = "not_a_file",
    /// A bundle file that cannot be read as a ClassKit Studio bundle.
    BundleInvalid = "bundle_invalid",
    /// A cost-simulation profile that cannot be used.
    InvalidProfile = "invalid_profile",
    /// A budget that is not a positive amount.
    InvalidBudget = "invalid_budget",
    /// A library's `engines.toml` that cannot be used.
    InvalidEnginesConfig = "invalid_engines_config",
    // What is asked for is not there, or not in the state it must be in.
    /// No such course, slide, component, revision, job, engine or file.
    NotFound = "not_found",
    /// The course is already in the library; `details.course_id` names it.
    CourseExists = "course_exists",
    /// An id given for something new is already used.
    IdTaken = "id_taken",
    /// Someone saved the thing since it was read; read it again and redo the change.
    VersionConflict = "version_conflict",
    /// A component that cannot be graded (its type is not graded, or it is not ready).
    NotGraded = "not_graded",
    /// Grading a response failed (a response that does not fit the component).
    GradingFailed = "grading_failed",
    /// A job that is not in a state that allows the action (retry a running job, …).
    WrongState = "wrong_state",
    /// A job description the queue refuses.
    InvalidJob = "invalid_job",
    /// A worker's lease on a job ran out; another worker has it now.
    LeaseLost = "lease_lost",
    /// A stored file that is not a picture or a sound, so it is not shown.
    NotServable = "not_servable",
    /// A stored file over the size limit.
    AssetTooLarge = "asset_too_large",
    /// A stored file that a component refers to is not in the library.
    AssetMissing = "asset_missing",
    /// The spending would go over a budget; nothing was queued. `details` has the figures.
    BudgetExceeded = "budget_exceeded",
    // The machine, the library or a service.
    /// There is no library in the folder given.
    LibraryNotFound = "library_not_found",
    /// The library cannot be opened (locked, unreadable).
    LibraryUnavailable = "library_unavailable",
    /// The library (or its job queue) was written by a newer version of the app.
    LibraryTooNew = "library_too_new",
    /// The library's database is damaged.
    LibraryDamaged = "library_damaged",
    /// The library's database failed.
    DatabaseError = "database_error",
    /// The job queue's database failed.
    QueueDatabaseError = "queue_database_error",
    /// The job queue holds records it cannot read.
    QueueDamaged = "queue_damaged",
    /// Redis failed or cannot be reached.
    RedisError = "redis_error",
    /// Reading or writing a file failed.
    IoError = "io_error",
    /// The disk is full; what was saved so far is kept.
    DiskFull = "disk_full",
    /// The workers stopped being able to use the queue during an assembly.
    WorkStalled = "work_stalled",
    /// No worker serves the queue (a health check's jobs did not run).
    WorkersUnavailable = "workers_unavailable",
    /// An engine cannot be used (not installed, not configured, no key).
    EngineUnavailable = "engine_unavailable",
    /// The operating system's keyring cannot be used.
    KeyringUnavailable = "keyring_unavailable",
    /// The preferences cannot be read or written.
    SettingsError = "settings_error",
    /// A chart cannot be drawn.
    ChartFailed = "chart_failed",
    /// Something this machine or build cannot do.
    Unsupported = "unsupported",
    /// The desktop shell could not pass the call at all (the UI's own code).
    IpcFailed = "ipc_failed",
    // The team server and the way to it.
    /// No token, or a token the team server does not know.
    Unauthorized = "unauthorized",
    /// The token was revoked by the team's admin.
    TokenRevoked = "token_revoked",
    /// The caller's role in the course does not allow this (a viewer editing, an editor
    /// managing members).
    Forbidden = "forbidden",
    /// An upload whose bytes do not have the sha256 it was sent under.
    AssetHashMismatch = "asset_hash_mismatch",
    /// A payload written in a schema version this program does not know (a newer app).
    SchemaVersionUnsupported = "schema_version_unsupported",
    /// The team server cannot be reached (no connection, name not found, timed out).
    ServerUnreachable = "server_unreachable",
    /// The secure connection to the team server failed (certificate, TLS version).
    TlsFailed = "tls_failed",
    /// The team server answered with an error of its own, or with something that is not
    /// its API (a wrong URL, a proxy's page).
    ServerError = "server_error",
    /// No team server is set for this library.
    NoRemote = "no_remote",
    /// A failure with no code of its own.
    Internal = "internal",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tests and callers may compare a code with its written form.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_form_is_the_serialized_one_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).expect("json");
            assert_eq!(json, code.as_str(), "{code:?}");
            let back: ErrorCode = serde_json::from_value(json).expect("read back");
            assert_eq!(back, *code);
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
        assert_eq!(ErrorCode::DiskFull, "disk_full");
    }
}
