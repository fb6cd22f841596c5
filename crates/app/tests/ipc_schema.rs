//! The UI's copy of the IPC schema is what the Rust types say. Run with
//! `CLASSKIT_UPDATE_BINDINGS=1` to rewrite it, then `npm run gen:types` in `ui/`.

use std::path::PathBuf;

#[test]
fn the_ui_schema_is_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(classkit_app::ipc::SCHEMA_FILE);
    let fresh = serde_json::to_string_pretty(&classkit_app::ipc::schema()).expect("json") + "\n";
    if std::env::var_os("CLASSKIT_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).expect("write the schema");
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == fresh,
        "{} is stale: run `CLASSKIT_UPDATE_BINDINGS=1 cargo test -p classkit-app --test ipc_schema`, then `npm run gen:types` in ui/",
        path.display()
    );
}
