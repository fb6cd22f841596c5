//! Generation from the app's side: the engines of a library (`classkit-generate` builds them
//! from its `engines.toml`), the library as the handlers' [`Workspace`], and `assemble`,
//! which plans a course's jobs, queues them and runs them on bundled workers.

use crate::{App, AppError};
pub use classkit_generate::*;
use classkit_jobs::{JobSpec, JobState};
use classkit_model::CourseTree;
use classkit_store::{BudgetScope, StoreError};
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

mod assemble;
mod local_workspace;
mod outputs;
mod profile;

pub use assemble::*;
pub use local_workspace::LocalWorkspace;

/// The configuration file in a library folder.
pub const ENGINES_FILE: &str = "engines.toml";
/// The folder of the engines' cache inside a library.
pub const CACHE_DIR: &str = "cache";

/// The engines configured for the library in `dir` (`engines.toml` there, or the builtin
/// ones), with the API keys in `keys`.
pub fn for_library(
    dir: &std::path::Path,
    keys: Arc<dyn classkit_engines::KeyLookup>,
) -> crate::Result<Generation> {
    with_config_file(dir, &dir.join(ENGINES_FILE), keys)
}

/// The engines configured in `file` (a missing file means the builtin ones only), with the
/// cache of the library in `dir` and the API keys in `keys`.
pub fn with_config_file(
    dir: &std::path::Path,
    file: &std::path::Path,
    keys: Arc<dyn classkit_engines::KeyLookup>,
) -> crate::Result<Generation> {
    let config = crate::load_engines_config(file)?;
    Ok(Generation::new(config, &dir.join(CACHE_DIR), keys)?)
}
