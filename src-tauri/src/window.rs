//! The main window: which pages it may show, and how its webview draws without a GPU.

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

/// The plugin that keeps the window on the app's own pages.
pub fn navigation_guard<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::<R>::new("navigation-guard")
        .on_navigation(|_, url| {
            let allowed = own_page(url);
            if !allowed {
                tracing::warn!(%url, "refused to leave the app's own pages");
            }
            allowed
        })
        .build()
}

/// Without a GPU (no `/dev/dri`: a virtual machine, Xvfb, a remote desktop), WebKitGTK's
/// accelerated compositing falls back to a slow software path: measured here, frames of
/// ~47 ms while scrolling and 410 MiB in WebKit's processes, against 16 ms and 270 MiB without
/// it (`scripts/bench-desktop`). So it is not used there, unless the user chose a mode by
/// setting `WEBKIT_DISABLE_COMPOSITING_MODE` themselves.
#[cfg(target_os = "linux")]
pub fn tune_webview<R: Runtime>(window: &tauri::WebviewWindow<R>) {
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
