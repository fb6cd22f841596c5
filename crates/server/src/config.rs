//! How an admin runs the server: where the database, Redis and the data folder are, and the
//! limits it holds callers to.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Where the bytes of uploaded assets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AssetStorage {
    /// Files named by their sha256 under `<data>/assets` (the default: the database stays small).
    Files,
    /// In the database, beside everything else (one thing to back up).
    Database,
}

/// Everything `classkit-server serve` is told.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub database_url: String,
    pub redis_url: String,
    pub listen: SocketAddr,
    pub data: PathBuf,
    pub asset_storage: AssetStorage,
    pub limits: Limits,
    /// The team's `engines.toml` (the builtin engines when absent): what assemblies plan with.
    pub engines: Option<PathBuf>,
    /// The key prefix of the team's job queue in Redis (the workers' `--prefix`).
    pub queue_prefix: String,
}

/// What one request may ask of the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest JSON body (a push of many edits).
    pub max_body_bytes: usize,
    /// The largest asset upload.
    pub max_asset_bytes: usize,
    /// How long a request may take before it is answered with a timeout.
    pub request_timeout: Duration,
    /// Database connections this process holds at most.
    pub max_connections: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 16 * 1024 * 1024,
            max_asset_bytes: 64 * 1024 * 1024,
            request_timeout: Duration::from_secs(60),
            max_connections: 16,
        }
    }
}
