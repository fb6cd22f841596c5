//! What runs beside the window: the bundled workers, the library's job changes and saves
//! forwarded to the UI as events, and the background sync with the team server.

use crate::Library;
use classkit_app::BundledWorkers;
use classkit_app::ipc::Event;
use std::sync::Mutex;
use tauri::{Emitter, Manager, Runtime};

/// The bundled workers: started once the window is up, stopped when the app exits.
pub struct Workers {
    pub(crate) concurrency: usize,
    running: Mutex<Option<BundledWorkers>>,
    /// The workers serving the team's queue, when the admin turned that on.
    team: Mutex<Option<BundledWorkers>>,
}

impl Workers {
    pub fn new(concurrency: usize) -> Self {
        Self {
            concurrency,
            running: Mutex::new(None),
            team: Mutex::new(None),
        }
    }

    /// Stops the workers serving the team's queue, if they run (running jobs finish).
    pub async fn stop_team(&self) {
        let running = self
            .team
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(running) = running {
            running.stop().await;
        }
    }

    /// Starts (again) the workers serving the team's queue, as the library has it set.
    pub async fn restart_team(&self, app: &classkit_app::App) -> classkit_app::Result<bool> {
        self.stop_team().await;
        let started = app.start_team_worker().await?;
        let on = started.is_some();
        *self
            .team
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = started;
        Ok(on)
    }
}

/// Sends `payload` to the UI as `event`.
fn emit<R: Runtime>(
    handle: &tauri::AppHandle<R>,
    event: Event,
    payload: impl serde::Serialize + Clone,
) {
    let _ = handle.emit(event.name(), payload);
}

/// Starts the bundled workers over the library's queue, in the background; the UI hears
/// why when they cannot start.
pub fn start_workers<R: Runtime>(handle: tauri::AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let (Some(library), Some(workers)) =
            (handle.try_state::<Library>(), handle.try_state::<Workers>())
        else {
            return;
        };
        match library.app.start_bundled_workers(workers.concurrency).await {
            Ok(started) => {
                *workers
                    .running
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(started);
            }
            Err(e) => {
                tracing::error!(error = %e, "the bundled workers could not start");
                emit(&handle, Event::WorkersFailed, e.to_wire());
            }
        }
        // Serving the team's queue too, when the admin turned that on.
        if let Err(e) = workers.restart_team(&library.app).await {
            tracing::error!(error = %e, "the workers for the team's queue could not start");
            emit(&handle, Event::WorkersFailed, e.to_wire());
        }
    });
}

/// Stops the bundled workers: running jobs finish or are given back to the queue.
pub fn stop_workers<R: Runtime>(handle: &tauri::AppHandle<R>) {
    if let Some(workers) = handle.try_state::<Workers>() {
        tauri::async_runtime::block_on(workers.stop_team());
        if let Some(running) = workers.running.lock().ok().and_then(|mut w| w.take()) {
            tauri::async_runtime::block_on(running.stop());
        }
    }
}

/// Forwards every change of a job of the library's queue to the UI. (The queue opens in the
/// background, off the start-up path; the job tray reads the jobs as they are when it opens,
/// so changes before this task's first turn are not lost to it.)
pub fn forward_jobs<R: Runtime>(handle: tauri::AppHandle<R>) {
    let team_handle = handle.clone();
    tauri::async_runtime::spawn(async move {
        let Some(library) = handle.try_state::<Library>() else {
            return;
        };
        let mut changes = match library.app.jobs().await {
            Ok(jobs) => jobs.watch(),
            Err(e) => {
                tracing::warn!(error = %e, "job changes are not forwarded to the UI");
                return;
            }
        };
        while let Some(mut job) = changes.recv().await {
            library
                .app
                .describe_jobs(std::slice::from_mut(&mut job))
                .await;
            emit(&handle, Event::Job, job);
        }
    });
    // The team jobs the app follows, as they change on the team's queue.
    tauri::async_runtime::spawn(async move {
        let Some(library) = team_handle.try_state::<Library>() else {
            return;
        };
        let mut changes = library.app.watch_team_jobs();
        loop {
            match changes.recv().await {
                Ok(mut job) => {
                    library
                        .app
                        .describe_jobs(std::slice::from_mut(&mut job))
                        .await;
                    emit(&team_handle, Event::Job, job)
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

/// Forwards every save in the library (by this app, a worker or another process) to the UI.
/// The library is watched from before this returns (one read of its last save), so no save
/// made after it (an import straight after start-up) is missed while the forwarding task
/// waits for its first turn.
pub fn forward_saves<R: Runtime>(handle: tauri::AppHandle<R>) {
    let Some(library) = handle.try_state::<Library>() else {
        return;
    };
    let app = library.app.clone();
    let mut saves = match tauri::async_runtime::block_on(app.watch_saves()) {
        Ok(saves) => saves,
        Err(e) => {
            tracing::warn!(error = %e, "saves are not forwarded to the UI");
            return;
        }
    };
    tauri::async_runtime::spawn(async move {
        while let Some(saved) = saves.recv().await {
            emit(&handle, Event::Saved, saved);
        }
    });
}

/// Keeps the team courses in sync in the background (after edits, every few seconds, and
/// with growing waits while the server cannot be reached), telling the UI each change of
/// the team state.
pub fn sync_in_background<R: Runtime>(handle: tauri::AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let Some(library) = handle.try_state::<Library>() else {
            return;
        };
        let app = library.app.clone();
        let timing = classkit_app::team::SyncTiming::default();
        let result = app
            .keep_in_sync(timing, |status| {
                emit(&handle, Event::Team, status);
                true
            })
            .await;
        if let Err(e) = result {
            tracing::error!(error = %e, "background sync stopped");
        }
    });
}
