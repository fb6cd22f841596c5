//! Throwaway PostgreSQL and Redis servers for tests, a loopback stand-in for
//! OpenAI-compatible providers ([`openai`]), and a small file system that fills up
//! ([`SmallDisk`]).
//!
//! Each server runs from the Debian packages in a temporary folder on a free loopback port
//! and is stopped when its handle is dropped. When `CLASSKIT_TEST_DATABASE_URL` or
//! `CLASSKIT_TEST_REDIS_URL` is set, that server is used instead and nothing is started.

pub mod openai;
mod postgres;
mod redis;
mod small_disk;

pub use openai::{OpenAiStandIn, Reply};
pub use postgres::Postgres;
pub use redis::Redis;
pub use small_disk::SmallDisk;

use std::net::TcpListener;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Why a test server could not be started.
#[derive(Debug, thiserror::Error)]
pub enum TestkitError {
    #[error(
        "{program} was not found; install the Debian package {package} (the setup script does: scripts/setup)"
    )]
    Missing {
        program: &'static str,
        package: &'static str,
    },
    #[error("{what} failed: {detail}")]
    Failed { what: String, detail: String },
    #[error("{what} did not become ready within {seconds} s; its log says: {log}")]
    Timeout {
        what: &'static str,
        seconds: u64,
        log: String,
    },
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// A loopback port that nothing listens on right now.
pub fn free_port() -> Result<u16, TestkitError> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}

/// Waits until `ready` returns true or `timeout` passes.
fn wait_until(timeout: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    ready()
}

/// The first of `candidates` that exists, or the program found on `PATH`.
fn find_program(
    name: &'static str,
    package: &'static str,
    candidates: &[PathBuf],
) -> Result<PathBuf, TestkitError> {
    if let Some(found) = candidates.iter().find(|p| p.is_file()) {
        return Ok(found.clone());
    }
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
        .ok_or(TestkitError::Missing {
            program: name,
            package,
        })
}

fn tail(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}
