//! The command layer on Tauri's mock runtime, through the real IPC path: the app's
//! configuration and capabilities decide what the webview may call.

use classkit_app::App;
use classkit_studio::{Library, with_commands};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

fn call(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    // The origin of the app's own pages on Linux and macOS.
    call_from(window, "tauri://localhost", cmd, args)
}

fn call_from(
    window: &WebviewWindow<MockRuntime>,
    origin: &str,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: origin.parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("JSON answer"))
}

#[test]
fn the_library_commands_answer_and_errors_carry_their_code() {
    let dir = tempfile::tempdir().expect("dir");
    let library = tauri::async_runtime::block_on(App::open(dir.path())).expect("library");
    let app = with_commands(mock_builder())
        .manage(Library(library))
        .build(tauri::generate_context!())
        .expect("app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("window");

    assert_eq!(call(&window, "list_courses", json!({})), Ok(json!([])));

    let lecture = dir.path().join("talk.md");
    std::fs::write(
        &lecture,
        "# Talk\n\n## Listening\n\nListen more than you talk.\n",
    )
    .expect("lecture");
    let imported = call(
        &window,
        "import_lecture",
        json!({"path": lecture, "title": "<b>Negotiation</b>"}),
    )
    .expect("imported");
    assert_eq!(imported["title"], "<b>Negotiation</b>", "kept as text");
    let id = imported["course_id"].as_str().expect("id").to_string();

    let courses = call(&window, "list_courses", json!({})).expect("courses");
    assert_eq!(courses[0]["id"], id.as_str());
    let tree = call(&window, "course", json!({"courseId": id})).expect("course");
    assert_eq!(tree["lessons"][0]["slides"][0]["title"], "Listening");

    let missing = call(
        &window,
        "import_lecture",
        json!({"path": dir.path().join("nowhere.md"), "title": null}),
    )
    .expect_err("no such file");
    assert_eq!(missing["code"], "io_error", "{missing}");
    let unknown = call(&window, "course", json!({"courseId": uuid::Uuid::nil()}))
        .expect_err("no such course");
    assert_eq!(unknown["code"], "not_found", "{unknown}");

    // A page from anywhere else may call nothing.
    let remote = call_from(&window, "https://example.com", "list_courses", json!({}))
        .expect_err("remote origin");
    assert!(remote.to_string().contains("not allowed"), "{remote}");

    // Only the listed commands exist for the webview.
    let refused = call(&window, "delete_course", json!({"courseId": id})).expect_err("unknown");
    assert!(refused.to_string().contains("delete_course"), "{refused}");
}
