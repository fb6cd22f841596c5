//! The instructor's preferences, in the app's config folder.

use crate::Reply;
use classkit_app::AppError;
use classkit_app::settings::Preferences;
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

/// The preferences file in the app's config folder.
const FILE: &str = "preferences.json";
const KEY: &str = "preferences";

fn failed(what: &str, e: impl std::fmt::Display) -> classkit_app::WireError {
    AppError::Settings(format!("{what} the preferences ({FILE}): {e}")).to_wire()
}

pub fn load<R: Runtime>(app: &AppHandle<R>) -> Reply<Preferences> {
    let store = app.store(FILE).map_err(|e| failed("cannot open", e))?;
    // Preferences a newer or older app wrote, or damaged by hand, fall back to defaults.
    Ok(store
        .get(KEY)
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default())
}

pub fn save<R: Runtime>(app: &AppHandle<R>, preferences: &Preferences) -> Reply<()> {
    let store = app.store(FILE).map_err(|e| failed("cannot open", e))?;
    let value = serde_json::to_value(preferences).map_err(|e| failed("cannot write", e))?;
    store.set(KEY, value);
    store.save().map_err(|e| failed("cannot save", e))
}
