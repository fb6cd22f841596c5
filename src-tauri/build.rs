// Only the app commands listed here can be called by the webview (and only as the
// capabilities in capabilities/ allow).
fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&["list_courses", "course", "import_lecture"]),
    ))
    .expect("tauri build step");
}
