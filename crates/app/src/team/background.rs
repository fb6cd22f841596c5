//! Sync in the background, as the desktop app runs it: after edits (debounced), every few
//! seconds while the server answers, and with growing waits while it does not. The state the
//! header shows (online or not, changes waiting, last sync, conflicts) is made here too.

use super::CourseSync;
use crate::{App, Result, WireError};
use chrono::{DateTime, Utc};
use classkit_jobs::{Jitter, RetryPolicy};
use classkit_model::{ChangeKind, ErrorCode};
use serde::Serialize;
use std::time::Duration;
use tokio::time::Instant;

/// How the last contact with the team server went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Connection {
    /// No team server is set: the library is on its own.
    NotSet,
    /// Not tried since the app started.
    Unknown,
    /// The server answered.
    Online,
    /// The server could not be reached (or answered that it is not well); edits wait.
    Offline,
    /// The server answered but refused the token: someone must change something.
    Refused,
}

/// The team state the desktop header shows.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TeamStatus {
    pub connection: Connection,
    /// The server's address and whom the token belongs to.
    pub remote: Option<super::RemoteView>,
    /// A sync is running now.
    pub syncing: bool,
    /// When a sync last went through.
    pub last_sync: Option<DateTime<Utc>>,
    /// Why the last sync did not go through.
    pub last_error: Option<WireError>,
    /// While offline: when the next attempt is made.
    pub next_attempt: Option<DateTime<Utc>>,
    /// Edits of every team course that the server has not acknowledged yet.
    pub waiting: i64,
    /// Open conflicts in every team course.
    pub conflicts: usize,
    pub courses: Vec<CourseSync>,
}

/// What the app knows about its contact with the server (kept between calls).
#[derive(Debug, Clone)]
pub(crate) struct Contact {
    connection: Connection,
    syncing: bool,
    last_sync: Option<DateTime<Utc>>,
    last_error: Option<WireError>,
    next_attempt: Option<DateTime<Utc>>,
}

impl Default for Contact {
    fn default() -> Self {
        Self {
            connection: Connection::Unknown,
            syncing: false,
            last_sync: None,
            last_error: None,
            next_attempt: None,
        }
    }
}

/// What a failure with `code` says about the server: offline (not reached, or not well),
/// refusing the token, not set; `None` when it says nothing about the server.
pub(crate) fn connection_after(code: ErrorCode) -> Option<Connection> {
    match code {
        ErrorCode::ServerUnreachable | ErrorCode::TlsFailed | ErrorCode::ServerError => {
            Some(Connection::Offline)
        }
        ErrorCode::Unauthorized | ErrorCode::TokenRevoked => Some(Connection::Refused),
        ErrorCode::NoRemote => Some(Connection::NotSet),
        _ => None,
    }
}

/// The app's team state shared by its clones: the contact, and one sync at a time.
#[derive(Debug, Default)]
pub(crate) struct TeamState {
    contact: std::sync::Mutex<Contact>,
    /// Held while a sync, share or open talks to the server, so two never push the same
    /// outbox rows at once.
    pub(crate) running: tokio::sync::Mutex<()>,
    /// Wakes the background loop (a server was set, "sync now").
    wake: tokio::sync::Notify,
    /// The team jobs the job tray follows.
    pub(crate) jobs: super::jobs::TeamJobs,
}

impl TeamState {
    pub(crate) fn contact(&self) -> Contact {
        self.contact
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn update(&self, f: impl FnOnce(&mut Contact)) {
        f(&mut self
            .contact
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner));
    }

    pub(crate) fn started(&self) {
        self.update(|c| c.syncing = true);
    }

    /// Records how a talk with the server ended: `Ok` when it answered (even when a course
    /// was refused on its own), the error when it did not.
    pub(crate) fn ended(&self, result: std::result::Result<(), WireError>) {
        self.update(|c| {
            c.syncing = false;
            match result {
                Ok(()) => {
                    c.connection = Connection::Online;
                    c.last_sync = Some(Utc::now());
                    c.last_error = None;
                    c.next_attempt = None;
                }
                Err(e) => {
                    c.connection = match connection_after(e.code) {
                        Some(connection) => connection,
                        // Something else went wrong (the library, a token file): not a
                        // reason to call the server offline.
                        None => c.connection,
                    };
                    c.last_error = Some(e);
                }
            }
        });
    }

    fn retry_at(&self, at: Option<DateTime<Utc>>) {
        self.update(|c| c.next_attempt = at);
    }

    /// Forgets the contact with an earlier server (a new one was set).
    pub(crate) fn reset(&self) {
        self.update(|c| *c = Contact::default());
        self.wake.notify_one();
    }

    /// Asks the background loop to sync now.
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }
}

/// When the background loop syncs.
#[derive(Debug, Clone, Copy)]
pub struct SyncTiming {
    /// Quiet time after the last edit before its sync.
    pub debounce: Duration,
    /// Between syncs while the server answers (to pull the others' changes).
    pub every: Duration,
    /// Waits after a failed attempt: doubled each time, up to the cap, with jitter.
    pub retry: RetryPolicy,
}

impl Default for SyncTiming {
    fn default() -> Self {
        Self {
            debounce: Duration::from_secs(2),
            every: Duration::from_secs(10),
            retry: RetryPolicy {
                base: Duration::from_secs(2),
                cap: Duration::from_secs(60),
                jitter: Jitter::Equal,
                max_retries: u32::MAX,
                max_retry_after: Duration::from_secs(60),
            },
        }
    }
}

impl App {
    /// The team state for the header.
    pub async fn team_overview(&self) -> Result<TeamStatus> {
        let remote = self.remote().await?;
        let contact = self.team.contact();
        let courses = self.team_status().await?;
        Ok(TeamStatus {
            connection: match remote {
                None => Connection::NotSet,
                Some(_) => match contact.connection {
                    Connection::NotSet => Connection::Unknown,
                    c => c,
                },
            },
            remote,
            syncing: contact.syncing,
            last_sync: contact
                .last_sync
                .or_else(|| courses.iter().filter_map(|c| c.last_sync).max()),
            last_error: contact.last_error,
            next_attempt: contact.next_attempt,
            waiting: courses.iter().map(|c| c.waiting).sum(),
            conflicts: courses.iter().map(|c| c.conflicts).sum(),
            courses,
        })
    }

    /// Asks the background sync to run now rather than at its next turn.
    pub fn sync_soon(&self) {
        self.team.wake();
    }

    /// Keeps the library's team courses in sync until `status` returns `false`: after edits
    /// (once `timing.debounce` has passed without another), every `timing.every` while the
    /// server answers, and with growing waits while it does not. Each change of the team
    /// state is given to `status`.
    pub async fn keep_in_sync(
        &self,
        timing: SyncTiming,
        mut status: impl FnMut(TeamStatus) -> bool + Send,
    ) -> Result<()> {
        let mut saves = self.watch_saves().await?;
        let mut failures: u32 = 0;
        let mut next = Instant::now();
        let mut edited: Option<Instant> = None;
        loop {
            let due = match edited {
                Some(at) => next.min(at + timing.debounce),
                None => next,
            };
            tokio::select! {
                _ = tokio::time::sleep_until(due) => {}
                saved = saves.recv() => {
                    let Some(saved) = saved else { return Ok(()) };
                    // What a pull wrote is not an edit to push.
                    if saved.change != ChangeKind::Synced {
                        edited = Some(Instant::now());
                        if !self.report(&mut status).await {
                            return Ok(());
                        }
                    }
                    continue;
                }
                _ = self.team.wake.notified() => {
                    failures = 0;
                    next = Instant::now();
                    continue;
                }
            }
            if self.store.remote().await?.is_none() {
                // Nothing to sync with: look again at the next turn (or when woken).
                next = Instant::now() + timing.every;
                edited = None;
                continue;
            }
            self.team.started();
            if !self.report(&mut status).await {
                return Ok(());
            }
            if let Err(e) = self.sync(None).await {
                tracing::info!(error = %e, "sync failed");
            }
            edited = None;
            let wait = match self.team.contact().connection {
                Connection::Offline => {
                    failures = failures.saturating_add(1);
                    timing.retry.delay_with(failures, None, &mut rand::rng())
                }
                // A refused token is not mended by trying again soon: look again at the
                // slowest pace (or when a new token is set).
                Connection::Refused => timing.retry.cap,
                _ => {
                    failures = 0;
                    timing.every
                }
            };
            next = Instant::now() + wait;
            self.team.retry_at(match failures {
                0 => None,
                _ => chrono::Duration::from_std(wait)
                    .ok()
                    .map(|w| Utc::now() + w),
            });
            if !self.report(&mut status).await {
                return Ok(());
            }
        }
    }

    async fn report(&self, status: &mut (impl FnMut(TeamStatus) -> bool + Send)) -> bool {
        match self.team_overview().await {
            Ok(s) => status(s),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the team state");
                true
            }
        }
    }
}
