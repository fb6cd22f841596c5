//! The app put together: its library, commands, plugins, asset scheme and what runs beside
//! the window.

use crate::{Keyring, Workers, assets, events, window};
use classkit_app::{App, AppError, QueueChoice};
use std::path::Path;
use std::sync::Arc;
use tauri::{AppHandle, Manager, Runtime};

/// The open library.
pub struct Library {
    pub app: App,
}

/// Opens (or creates) the library in `dir` on its own queue, keeping API keys in `keyring`;
/// its bundled workers start once the app is set up, so the window does not wait for the
/// engines to load.
pub async fn open_library(
    dir: &Path,
    concurrency: usize,
    keyring: Keyring,
) -> Result<(Library, Workers), AppError> {
    let app = App::open(dir, QueueChoice::Local)
        .await?
        .with_key_store(Arc::new(keyring));
    Ok((Library { app }, Workers::new(concurrency)))
}

/// The app's commands, plugins and asset scheme, for the builder (and for tests on the mock
/// runtime).
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    let builder = builder
        .plugin(window::navigation_guard())
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .register_asynchronous_uri_scheme_protocol(
            assets::ASSET_SCHEME,
            |ctx, request, responder| {
                let app = ctx.app_handle().clone();
                tauri::async_runtime::spawn(async move {
                    responder.respond(assets::serve(&app, request.uri().path()).await);
                });
            },
        );
    crate::register(builder)
}

/// The app's configuration, capabilities and assets.
pub fn context() -> tauri::Context<tauri::Wry> {
    tauri::generate_context!()
}

/// The app's window has its library: used by `main` and the tests alike.
pub fn manage_library<R: Runtime>(
    builder: tauri::Builder<R>,
    library: Library,
    workers: Workers,
) -> tauri::Builder<R> {
    builder.manage(library).manage(workers).setup(|app| {
        for window in app.webview_windows().values() {
            window::tune_webview(window);
        }
        start_background(app.handle().clone());
        Ok(())
    })
}

/// What runs beside the window once the app is set up: job changes and saves forwarded to
/// the UI, the keys read from the OS keyring, then the background sync (its token is in the
/// keyring too) and the bundled workers. (Called by
/// the setup hook; tests on the mock runtime, which has no event loop to run it, call it
/// themselves.)
pub fn start_background<R: Runtime>(handle: AppHandle<R>) {
    events::forward_jobs(handle.clone());
    events::forward_saves(handle.clone());
    // The keys first (off the UI thread: a keyring may be slow to answer, or ask to be
    // unlocked), then the workers, so a paid job left queued never runs without its key.
    tauri::async_runtime::spawn(async move {
        let keys = handle.clone();
        let _ = tauri::async_runtime::spawn_blocking(move || {
            if let Some(library) = keys.try_state::<Library>() {
                library.app.load_keys();
            }
        })
        .await;
        events::sync_in_background(handle.clone());
        events::start_workers(handle);
    });
}
