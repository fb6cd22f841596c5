// Only the app commands listed here can be called by the webview (and only as the
// capabilities in capabilities/ allow).
fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "list_courses",
            "course",
            "import_lecture",
            "create_course",
            "add_slide",
            "edit_slide",
            "move_slide",
            "slide_media",
            "add_component",
            "component",
            "save_component",
            "set_ready",
            "grade",
            "history",
            "diff",
            "restore",
            "dispatch",
            "jobs",
            "cancel_job",
            "retry_job",
            "preferences",
            "save_preferences",
            "pick_lecture_file",
            "delete_component",
            "use_slide_picture",
            "api_keys",
            "set_api_key",
            "forget_api_key",
            "export_bundle",
            "import_bundle",
        ]),
    ))
    .expect("tauri build step");
}
