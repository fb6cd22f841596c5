// Only the app commands listed in commands.json can be called by the webview (and only as the
// capabilities in capabilities/ allow). The file is made from `classkit_app::ipc::COMMANDS`,
// the one list of commands; a test fails when it is stale.
fn main() {
    println!("cargo:rerun-if-changed=commands.json");
    let list = std::fs::read_to_string("commands.json").expect("src-tauri/commands.json");
    let names: Vec<String> = serde_json::from_str(&list).expect("commands.json: a list of names");
    let names: Vec<&'static str> = names
        .into_iter()
        .map(|n| &*Box::leak(n.into_boxed_str()))
        .collect();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(names.leak())),
    )
    .expect("tauri build step");
}
