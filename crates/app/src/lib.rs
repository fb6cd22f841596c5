//! ClassKit Studio application services: the one API that the desktop app, the CLI and the
//! tests call. Each method is a complete user action (import a lecture, edit a component,
//! restore a revision, export a bundle); callers add no logic of their own.

pub mod assets;
pub mod bench;
pub mod bundle;
pub mod components;
pub mod cost;
pub mod courses;
mod error;
pub mod export;
mod files;
pub mod generate;
pub mod history;
pub mod import;
pub mod ipc;
pub mod jobs;
pub mod keys;
pub mod outline;
pub mod practice;
pub mod saves;
pub mod settings;
pub mod slides;
pub mod team;
pub mod undo;

pub use bundle::{BundleExport, BundleImport};
pub use classkit_model::ErrorCode;
pub use components::{ComponentView, grade, validate_payload};
pub use courses::ImportSummary;
pub use error::{AppError, WireError};
pub use files::{load_engines_config, open_regular, read_limited};
pub use import::{ImportError, Outline};
pub use jobs::{BundledWorkers, Jobs, QueueChoice};
pub use keys::{KeyStore, KeyStoreError, MemoryKeyStore};

use classkit_jobs::Queue;
use classkit_store::{AssetLimits, Store};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tracing::instrument;

/// Results of the application services.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// An open library, its job queue, its engines and API keys, and the services over them.
#[derive(Clone)]
pub struct App {
    store: Store,
    /// The library's engines, built on first use.
    generation: Arc<std::sync::OnceLock<Arc<generate::Generation>>>,
    queue_choice: QueueChoice,
    /// The queue, opened on first use.
    queue: Arc<tokio::sync::OnceCell<Arc<dyn Queue>>>,
    keys: Arc<keys::Keys>,
    /// The contact with the team server, one sync at a time.
    team: Arc<team::TeamState>,
    /// The pronunciation scorer (a PocketSphinx process), found on first use.
    pronouncer: Arc<std::sync::Mutex<Option<Arc<classkit_practice::pronunciation::Pronouncer>>>>,
    /// The instructor's edits to undo and redo, course by course.
    undo: Arc<undo::UndoLog>,
    /// One undo or redo at a time.
    undo_lock: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("library", &self.store.dir())
            .field("queue", &self.queue_choice)
            .finish_non_exhaustive()
    }
}

/// The library folder used when none is given: the OS data folder of the app
/// (on Linux `~/.local/share/classkit-studio/library`).
pub fn default_library_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("app", "ClassKit", "classkit-studio")
        .map(|d| d.data_dir().join("library"))
}

impl App {
    /// Opens (or creates) the library in `dir`, dispatching to the queue `queue` names
    /// (opened when first used). API keys are kept in memory until
    /// [`App::with_key_store`] gives a store.
    #[instrument(skip_all, fields(library = %dir.display()))]
    pub async fn open(dir: &Path, queue: QueueChoice) -> Result<Self> {
        if dir.exists() && !dir.is_dir() {
            return Err(AppError::NotALibrary(dir.to_path_buf()));
        }
        Ok(Self {
            store: Store::open(dir).await?,
            generation: Arc::default(),
            queue_choice: queue,
            queue: Arc::default(),
            keys: Arc::new(keys::Keys::new(Arc::new(MemoryKeyStore::default()))),
            team: Arc::default(),
            pronouncer: Arc::default(),
            undo: Arc::default(),
            undo_lock: Arc::default(),
        })
    }

    /// Opens the library in `dir`, which must exist (a mistyped folder is an error, not a
    /// new empty library).
    pub async fn open_existing(dir: &Path, queue: QueueChoice) -> Result<Self> {
        if !dir.join(classkit_store::DATABASE_FILE).is_file() {
            return Err(match dir.exists() && !dir.is_dir() {
                true => AppError::NotALibrary(dir.to_path_buf()),
                false => AppError::LibraryNotFound(dir.to_path_buf()),
            });
        }
        Self::open(dir, queue).await
    }

    /// Runs `import` on the library in `dir`, creating the library when missing. Should the
    /// import fail into a library this call created (nothing saved in it, nothing spent),
    /// that library is removed again, so a refused import into a mistyped folder leaves
    /// nothing behind. Only the library's own files are removed, only those this call
    /// created, and only when no other process has the library open.
    pub async fn importing<T>(
        dir: &Path,
        import: impl AsyncFnOnce(&App) -> Result<T>,
    ) -> Result<T> {
        if dir.exists() && !dir.is_dir() {
            return Err(AppError::NotALibrary(dir.to_path_buf()));
        }
        // What the folder held before (`None`: there was no folder).
        let before: Option<std::collections::HashSet<std::ffi::OsString>> =
            match std::fs::read_dir(dir) {
                Ok(entries) => Some(entries.flatten().map(|e| e.file_name()).collect()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(source) => {
                    return Err(AppError::Io {
                        path: dir.to_path_buf(),
                        source,
                    });
                }
            };
        let created = !dir.join(classkit_store::DATABASE_FILE).exists();
        let app = Self::open(dir, QueueChoice::Local).await?;
        let result = import(&app).await;
        if result.is_err() && created && app.store.holds_nothing().await.unwrap_or(false) {
            app.store.close().await;
            drop(app);
            remove_new_library(dir, before.as_ref()).await;
        }
        result
    }

    /// The same services with other asset limits.
    pub fn with_asset_limits(self, limits: AssetLimits) -> Self {
        Self {
            store: self.store.with_limits(limits),
            ..self
        }
    }

    /// The store underneath, for the services of this crate only: clients call the services.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// The store underneath, for tests that inspect what a service wrote.
    #[cfg(feature = "inspect")]
    pub fn inspect_store(&self) -> &Store {
        &self.store
    }

    /// The library's folder.
    pub fn dir(&self) -> &Path {
        self.store.dir()
    }
}

/// Parses JSON text, naming `what` in the error.
pub fn parse_json(what: &str, text: &[u8]) -> Result<Value> {
    serde_json::from_slice(text).map_err(|e| AppError::InvalidJson {
        what: what.to_string(),
        message: e.to_string(),
    })
}

/// Removes the library files created in `dir` (those not in `before`; `None`: the folder
/// itself was new, and goes too when nothing else is in it). Best effort: a library another
/// process has open, or a file that cannot be removed, stays.
async fn remove_new_library(
    dir: &Path,
    before: Option<&std::collections::HashSet<std::ffi::OsString>>,
) {
    let own = classkit_store::LIBRARY_FILES
        .iter()
        .chain(&classkit_jobs::local::QUEUE_FILES)
        .chain(&[generate::CACHE_DIR])
        .map(std::ffi::OsString::from)
        .filter(|name| before.is_none_or(|b| !b.contains(name)))
        .collect::<Vec<_>>();
    match classkit_store::Store::remove_unused(dir, &own).await {
        Ok(true) if before.is_none() => {
            // Only when empty: anything else put there meanwhile stays.
            let _ = std::fs::remove_dir(dir);
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not remove the library a failed import made"),
    }
}
