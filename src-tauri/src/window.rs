//! The windows: which pages the main window may show, the learner preview's window, and how
//! a webview draws without a GPU.

use tauri::Runtime;

/// Whether the main window may show `url`: only the app's own pages (and, in a debug build
/// without the bundled UI, the Vite dev server). A link in a slide's text, or a page of the
/// library's files, never replaces the app.
pub fn own_page(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => {
            url.host_str() == Some("tauri.localhost")
                || (cfg!(dev) && url.host_str() == Some("localhost") && url.port() == Some(5173))
        }
        _ => false,
    }
}

/// The label of the window that previews the web player.
pub const PLAYER_PREVIEW: &str = "player-preview";

/// Whether the player's preview window may show `url`: only the exported player's files in
/// `folder` (its links to the web open nowhere: the player opens them in a new window, which
/// this webview does not make).
pub fn preview_page(url: &tauri::Url, folder: &std::path::Path) -> bool {
    url.scheme() == "file"
        && url.to_file_path().is_ok_and(|path| {
            path.starts_with(folder)
                && !path
                    .components()
                    .any(|c| c == std::path::Component::ParentDir)
        })
}

/// Opens (or shows again) the window with the exported player in `folder`.
pub fn open_player_preview<R: Runtime>(
    app: &tauri::AppHandle<R>,
    folder: &std::path::Path,
    title: &str,
) -> Result<(), String> {
    use tauri::Manager;
    let index = tauri::Url::from_file_path(folder.join("index.html"))
        .map_err(|()| format!("{} is not a path a window can open", folder.display()))?;
    // An open preview shows the new export (closing it first would leave its label taken
    // until the window is gone, and a new one could not open).
    if let Some(window) = app.get_webview_window(PLAYER_PREVIEW) {
        window
            .navigate(index)
            .map_err(|e| format!("the preview window could not show the export: {e}"))?;
        let _ = window.set_focus();
        return Ok(());
    }
    let window =
        tauri::WebviewWindowBuilder::new(app, PLAYER_PREVIEW, tauri::WebviewUrl::External(index))
            .title(format!("Learner preview: {title}"))
            .inner_size(1100.0, 800.0)
            .build()
            .map_err(|e| format!("the preview window could not open: {e}"))?;
    tune_webview(&window);
    Ok(())
}

/// The plugin that keeps each window on its own pages: the main window on the app's, the
/// learner preview on the exported player's files.
pub fn navigation_guard<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::<R>::new("navigation-guard")
        .on_navigation(|webview, url| {
            let allowed = if webview.label() == PLAYER_PREVIEW {
                preview_folder(tauri::Manager::app_handle(webview))
                    .is_some_and(|f| preview_page(url, &f))
            } else {
                own_page(url)
            };
            if !allowed {
                tracing::warn!(%url, "refused to leave the app's own pages");
            }
            allowed
        })
        .build()
}

/// Where the learner preview's player is written: the app's cache.
pub fn preview_folder<R: Runtime>(app: &tauri::AppHandle<R>) -> Option<std::path::PathBuf> {
    use tauri::Manager;
    app.path()
        .app_cache_dir()
        .ok()
        .map(|d| d.join("player-preview"))
}

/// Without a GPU (no `/dev/dri`: a virtual machine, Xvfb, a remote desktop), WebKitGTK's
/// accelerated compositing falls back to a slow software path: measured here, frames of
/// ~47 ms while scrolling and 410 MiB in WebKit's processes, against 16 ms and 270 MiB without
/// it (`scripts/bench-desktop`). So it is not used there, unless the user chose a mode by
/// setting `WEBKIT_DISABLE_COMPOSITING_MODE` themselves.
#[cfg(target_os = "linux")]
pub fn tune_webview<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    allow_microphone(window);
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some()
        || std::path::Path::new("/dev/dri").exists()
    {
        return;
    }
    let _ = window.with_webview(|webview| {
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
}

#[cfg(not(target_os = "linux"))]
pub fn tune_webview<R: Runtime>(_window: &tauri::WebviewWindow<R>) {}

/// Speaking practice in the learner preview records from the microphone. On Linux, WebKitGTK
/// offers `getUserMedia` once media streams are on, and asks the app for each request: the
/// main window shows only the app's own pages, so its requests for a microphone alone are
/// allowed; a camera never is, and the learner preview's window (the exported player) is left
/// to WebKit's default, which refuses. (On macOS and Windows the webview's own permission
/// prompt asks the user.)
#[cfg(target_os = "linux")]
fn allow_microphone<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    use webkit2gtk::glib::prelude::{Cast, ObjectExt};
    use webkit2gtk::{PermissionRequestExt, SettingsExt, UserMediaPermissionRequest, WebViewExt};
    if window.label() == PLAYER_PREVIEW {
        return;
    }
    let _ = window.with_webview(|webview| {
        let view = webview.inner();
        if let Some(settings) = view.settings() {
            settings.set_enable_media_stream(true);
        }
        view.connect_permission_request(|_, request| {
            let Some(media) = request.downcast_ref::<UserMediaPermissionRequest>() else {
                return false;
            };
            let audio: bool = media.property("is-for-audio-device");
            let video: bool = media.property("is-for-video-device");
            if audio && !video {
                request.allow();
            } else {
                request.deny();
            }
            true
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_shows_only_the_exported_players_files() {
        let folder = std::path::Path::new("/home/a/.cache/app/player-preview");
        let ok = |u: &str| preview_page(&tauri::Url::parse(u).expect("a URL"), folder);
        assert!(ok("file:///home/a/.cache/app/player-preview/index.html"));
        assert!(ok("file:///home/a/.cache/app/player-preview/media/x.ogg"));
        assert!(!ok(
            "file:///home/a/.cache/app/player-preview/../secrets.txt"
        ));
        assert!(!ok("file:///etc/passwd"));
        assert!(!ok("https://example.org/"));
        assert!(!ok(
            "file:///home/a/.cache/app/player-preview-evil/index.html"
        ));
    }
}
