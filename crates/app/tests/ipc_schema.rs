//! The files made from the wire's one list are what the Rust side says: the UI's schema (with
//! the commands and events), the shell's permission list and its capability. Run with
//! `CLASSKIT_UPDATE_BINDINGS=1` to rewrite them, then `npm run gen:types` in `ui/`.

use serde_json::Value;
use std::path::PathBuf;

fn up_to_date(file: &str, fresh: &Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(file);
    let fresh = serde_json::to_string_pretty(fresh).expect("json") + "\n";
    if std::env::var_os("CLASSKIT_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).expect("write the file");
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == fresh,
        "{} is stale: run `CLASSKIT_UPDATE_BINDINGS=1 cargo test -p classkit-app --test ipc_schema`, then `npm run gen:types` in ui/",
        path.display()
    );
}

#[test]
fn the_ui_schema_is_up_to_date() {
    up_to_date(classkit_app::ipc::SCHEMA_FILE, &classkit_app::ipc::schema());
}

#[test]
fn the_shells_permission_list_is_up_to_date() {
    up_to_date(
        classkit_app::ipc::SHELL_COMMANDS_FILE,
        &classkit_app::ipc::shell_commands_file(),
    );
}

#[test]
fn the_shells_capability_is_up_to_date() {
    up_to_date(
        classkit_app::ipc::CAPABILITY_FILE,
        &classkit_app::ipc::capability_file(),
    );
}

#[test]
fn every_error_code_and_event_is_on_the_wire() {
    let schema = classkit_app::ipc::schema();
    let codes = &schema["$defs"]["ErrorCode"];
    let written = serde_json::to_string(codes).expect("json");
    for code in classkit_app::ErrorCode::ALL {
        assert!(written.contains(&format!("\"{code}\"")), "{code} missing");
    }
    let events: Vec<&str> = schema["x-events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    let names: Vec<&str> = classkit_app::ipc::Event::ALL
        .iter()
        .map(|e| e.name())
        .collect();
    assert_eq!(events, names);
}

#[test]
fn every_reason_for_drafting_nothing_is_said_in_each_language_of_the_ui() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/i18n/design.ts");
    let texts = std::fs::read_to_string(&path).expect("the UI's texts");
    for why in classkit_engines::drafts::Why::ALL.iter().copied() {
        let key = format!("\"why.{}\":", why.code());
        // Once in English, once in Korean.
        assert_eq!(
            texts.matches(&key).count(),
            2,
            "{key} in {}",
            path.display()
        );
    }
}
