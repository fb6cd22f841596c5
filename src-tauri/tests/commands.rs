//! The command layer on Tauri's mock runtime, through the real IPC path: the app's
//! configuration and capabilities decide what the webview may call.

use classkit_studio::{Keyring, manage_library, open_library, start_background, with_commands};
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

/// The app on the mock runtime over a library in `dir`, with its bundled workers, and its
/// main window.
fn studio(dir: &std::path::Path) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let (library, workers) = tauri::async_runtime::block_on(open_library(
        &dir.join("library"),
        2,
        Keyring::disabled("no keyring in tests"),
    ))
    .expect("library");
    let app = manage_library(with_commands(mock_builder()), library, workers)
        .build(tauri::generate_context!())
        .expect("app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("window");
    // The mock runtime has no event loop to run the setup hook.
    start_background(app.handle().clone());
    (app, window)
}

/// Imports a two-slide lecture; returns the course tree.
fn import_talk(window: &WebviewWindow<MockRuntime>, dir: &std::path::Path) -> Value {
    let lecture = dir.join("talk.md");
    std::fs::write(
        &lecture,
        "# Talk\n\n## Listening\n\nListen more than you talk.\n\n\
         ## Questions\n\nAsk open questions.\n",
    )
    .expect("lecture");
    let imported = call(
        window,
        "import_lecture",
        json!({"path": lecture, "title": null}),
    )
    .expect("imported");
    call(window, "course", json!({"courseId": imported["course_id"]})).expect("course")
}

#[test]
fn the_library_commands_answer_and_errors_carry_their_code() {
    let dir = tempfile::tempdir().expect("dir");
    let (_app, window) = studio(dir.path());

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

#[test]
fn a_quiz_is_edited_checked_made_ready_graded_and_restored() {
    let dir = tempfile::tempdir().expect("dir");
    let (_app, window) = studio(dir.path());
    let tree = import_talk(&window, dir.path());
    let slide = &tree["lessons"][0]["slides"][0];
    let slide_id = slide["id"].clone();

    let created = call(
        &window,
        "add_component",
        json!({"slideId": slide_id, "componentType": "QUIZ"}),
    )
    .expect("new quiz");
    let id = created["component"]["id"].clone();
    assert_eq!(created["component"]["status"], "draft");
    assert!(
        created["issues"]
            .as_array()
            .is_some_and(|i| i.iter().any(|i| i["pointer"] == "/questions")),
        "an empty quiz needs questions: {created}"
    );

    // A question without its text: the issue names the exact field.
    let mut payload = json!({"questions": [{"id": "q1", "kind": "single_choice", "text": "",
        "options": [{"id": "a", "text": "Listen", "correct": true},
                    {"id": "b", "text": "<script>alert(1)</script>", "correct": false}]}]});
    let saved = call(
        &window,
        "save_component",
        json!({"componentId": id, "payload": payload, "expectedVersion": 1}),
    )
    .expect("saved draft");
    let pointers: Vec<&str> = saved["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter_map(|i| i["pointer"].as_str())
        .collect();
    assert_eq!(pointers, ["/questions/0/text"], "{saved}");
    let refused = call(
        &window,
        "set_ready",
        json!({"componentId": id, "ready": true}),
    )
    .expect_err("not valid yet");
    assert_eq!(refused["code"], "validation_failed", "{refused}");
    assert_eq!(
        refused["details"]["issues"][0]["pointer"],
        "/questions/0/text"
    );

    payload["questions"][0]["text"] = json!("What matters most?");
    let fixed = call(
        &window,
        "save_component",
        json!({"componentId": id, "payload": payload, "expectedVersion": 2}),
    )
    .expect("fixed");
    assert_eq!(fixed["issues"], json!([]));
    assert_eq!(
        fixed["component"]["payload"]["questions"][0]["options"][1]["text"],
        "<script>alert(1)</script>",
        "stored as text"
    );
    let stale = call(
        &window,
        "save_component",
        json!({"componentId": id, "payload": payload, "expectedVersion": 1}),
    )
    .expect_err("an old version");
    assert_eq!(stale["code"], "version_conflict", "{stale}");
    let ready = call(
        &window,
        "set_ready",
        json!({"componentId": id, "ready": true}),
    )
    .expect("ready");
    assert_eq!(ready["component"]["status"], "ready");

    let grade = call(
        &window,
        "grade",
        json!({"componentType": "QUIZ", "payload": payload,
               "response": {"answers": {"q1": "a"}}}),
    )
    .expect("graded");
    assert_eq!(
        (grade["score"].clone(), grade["max_score"].clone()),
        (json!(1.0), json!(1.0))
    );

    let history = call(&window, "history", json!({"id": id})).expect("history");
    let versions: Vec<i64> = history
        .as_array()
        .expect("revisions")
        .iter()
        .filter_map(|r| r["version"].as_i64())
        .collect();
    assert!(
        versions.contains(&2) && versions.contains(&3),
        "{versions:?}"
    );
    let diff = call(
        &window,
        "diff",
        json!({"id": id, "fromVersion": 2, "toVersion": 3}),
    )
    .expect("diff");
    let changed: Vec<(String, String)> = diff["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter(|l| l["change"] != "same")
        .map(|l| {
            (
                l["change"].as_str().unwrap_or_default().into(),
                l["text"].as_str().unwrap_or_default().trim_end().into(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            (
                "removed".to_string(),
                "questions/0/text: (empty)".to_string()
            ),
            (
                "added".to_string(),
                "questions/0/text: What matters most?".to_string()
            ),
        ]
    );
    let restored = call(&window, "restore", json!({"id": id, "version": 2})).expect("restored");
    assert_eq!(
        restored["payload"]["questions"][0]["text"], "",
        "{restored}"
    );
}

#[test]
fn slides_are_edited_and_moved_and_generation_is_dispatched_to_the_bundled_workers() {
    let dir = tempfile::tempdir().expect("dir");
    let (_app, window) = studio(dir.path());
    let tree = import_talk(&window, dir.path());
    let course_id = tree["id"].clone();
    let lesson_id = tree["lessons"][0]["id"].clone();
    let first = tree["lessons"][0]["slides"][0].clone();
    let second = tree["lessons"][0]["slides"][1].clone();

    let edited = call(
        &window,
        "edit_slide",
        json!({"slideId": first["id"], "changes": {"title": "경청하기", "body": "- 더 많이 들으세요"},
               "expectedVersion": first["version"]}),
    )
    .expect("edited");
    assert_eq!(edited["title"], "경청하기");
    let long = "x".repeat(501);
    let too_long = call(
        &window,
        "edit_slide",
        json!({"slideId": first["id"], "changes": {"title": long}, "expectedVersion": null}),
    )
    .expect_err("too long");
    assert_eq!(too_long["code"], "invalid_input", "{too_long}");

    call(
        &window,
        "move_slide",
        json!({"slideId": second["id"], "lessonId": lesson_id, "position": 0, "expectedVersion": null}),
    )
    .expect("moved");
    let tree = call(&window, "course", json!({"courseId": course_id})).expect("course");
    let titles: Vec<&str> = tree["lessons"][0]["slides"]
        .as_array()
        .expect("slides")
        .iter()
        .filter_map(|s| s["title"].as_str())
        .collect();
    assert_eq!(titles, ["Questions", "경청하기"]);
    // Only the moved slide was written: the one it passed keeps its version.
    assert_eq!(
        tree["lessons"][0]["slides"][1]["version"],
        edited["version"]
    );

    let dispatched = call(
        &window,
        "dispatch",
        json!({"courseId": course_id, "scope": {"kind": "slide", "id": first["id"]},
               "parts": ["slides", "narration"]}),
    )
    .expect("dispatched");
    assert_eq!(dispatched["slides"], 1, "{dispatched}");
    let jobs: Vec<String> = dispatched["jobs"]
        .as_array()
        .expect("jobs")
        .iter()
        .filter_map(|j| j.as_str().map(String::from))
        .collect();
    assert_eq!(jobs.len(), 2, "a render and a narration: {dispatched}");

    // The bundled workers run them.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let listed = call(&window, "jobs", json!({"limit": 50})).expect("jobs");
        let states: Vec<&str> = listed
            .as_array()
            .expect("list")
            .iter()
            .filter(|j| {
                j["id"]
                    .as_str()
                    .is_some_and(|id| jobs.iter().any(|x| x == id))
            })
            .filter_map(|j| j["state"].as_str())
            .collect();
        if states.len() == 2 && states.iter().all(|s| *s == "succeeded") {
            break;
        }
        assert!(!states.contains(&"dead"), "a job failed: {listed}");
        assert!(
            std::time::Instant::now() < deadline,
            "jobs still {states:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let media = call(&window, "slide_media", json!({"slideId": first["id"]})).expect("media");
    assert!(
        media["thumbnail"]["sha256"]
            .as_str()
            .is_some_and(|s| s.len() == 64),
        "{media}"
    );
    assert_eq!(media["narration"]["media_type"], "audio/ogg", "{media}");
    assert!(
        media["narration"]["duration_ms"]
            .as_u64()
            .is_some_and(|d| d > 500),
        "{media}"
    );
}

#[test]
fn api_keys_fall_back_to_the_session_and_never_reach_the_webview() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::create_dir_all(dir.path().join("library")).expect("library dir");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/engines.toml"),
        dir.path().join("library/engines.toml"),
    )
    .expect("engines.toml");
    let (_app, window) = studio(dir.path());

    let keys = call(&window, "api_keys", json!({})).expect("keys");
    assert_eq!(keys["keyring_unavailable"], "no keyring in tests");
    let ids: Vec<&str> = keys["engines"]
        .as_array()
        .expect("engines")
        .iter()
        .filter_map(|e| e["engine"]["id"].as_str())
        .collect();
    assert!(ids.contains(&"cloud-tts"), "{ids:?}");

    // Without a keyring, keeping the key is refused with what to do instead.
    let refused = call(
        &window,
        "set_api_key",
        json!({"engine": "cloud-tts", "key": "sk-e2e-secret-9", "sessionOnly": false}),
    )
    .expect_err("no keyring");
    assert_eq!(refused["code"], "keyring_unavailable", "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("session only"))
    );

    let kept = call(
        &window,
        "set_api_key",
        json!({"engine": "cloud-tts", "key": " sk-e2e-secret-9 ", "sessionOnly": true}),
    )
    .expect("kept for the session");
    let source = |keys: &Value, id: &str| {
        keys["engines"]
            .as_array()
            .and_then(|a| a.iter().find(|e| e["engine"]["id"] == id))
            .map(|e| e["source"].clone())
    };
    assert_eq!(source(&kept, "cloud-tts"), Some(json!("session")));
    assert!(
        !kept.to_string().contains("sk-e2e-secret-9"),
        "the key stays in the shell"
    );

    for (engine, key) in [
        ("cloud-tts", ""),
        ("cloud-tts", "sk\nline"),
        ("nope", "sk-1"),
    ] {
        let bad = call(
            &window,
            "set_api_key",
            json!({"engine": engine, "key": key, "sessionOnly": true}),
        )
        .expect_err("refused");
        assert!(
            ["invalid_input", "not_found"].contains(&bad["code"].as_str().unwrap_or_default()),
            "{bad}"
        );
    }

    let forgotten =
        call(&window, "forget_api_key", json!({"engine": "cloud-tts"})).expect("forgot");
    assert_eq!(source(&forgotten, "cloud-tts"), Some(json!("none")));
}

#[test]
fn components_are_deleted_and_a_hotspot_takes_the_slide_picture() {
    let dir = tempfile::tempdir().expect("dir");
    let (_app, window) = studio(dir.path());
    let tree = import_talk(&window, dir.path());
    let course_id = tree["id"].clone();
    let slide = tree["lessons"][0]["slides"][0].clone();
    let hotspot = call(
        &window,
        "add_component",
        json!({"slideId": slide["id"], "componentType": "HOTSPOT"}),
    )
    .expect("hotspot");
    let id = hotspot["component"]["id"].clone();
    let early = call(&window, "use_slide_picture", json!({"componentId": id}))
        .expect_err("not rendered yet");
    assert_eq!(early["code"], "invalid_input", "{early}");

    let dispatched = call(
        &window,
        "dispatch",
        json!({"courseId": course_id, "scope": {"kind": "slide", "id": slide["id"]}, "parts": ["slides"]}),
    )
    .expect("dispatched");
    let job = dispatched["jobs"][0]
        .as_str()
        .expect("render job")
        .to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !call(&window, "jobs", json!({"limit": 10}))
        .expect("jobs")
        .as_array()
        .is_some_and(|jobs| {
            jobs.iter()
                .any(|j| j["id"] == job.as_str() && j["state"] == "succeeded")
        })
    {
        assert!(
            std::time::Instant::now() < deadline,
            "render did not finish"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let pictured = call(&window, "use_slide_picture", json!({"componentId": id})).expect("picture");
    let payload = &pictured["component"]["payload"];
    assert!(
        payload["image"].as_str().is_some_and(|s| s.len() == 64),
        "{payload}"
    );
    assert_eq!(
        (
            payload["image_width"].clone(),
            payload["image_height"].clone()
        ),
        (json!(1280), json!(720))
    );

    let quiz = call(
        &window,
        "add_component",
        json!({"slideId": slide["id"], "componentType": "QUIZ"}),
    )
    .expect("quiz");
    let quiz_id = quiz["component"]["id"].clone();
    let stale = call(
        &window,
        "delete_component",
        json!({"componentId": quiz_id, "expectedVersion": 7}),
    )
    .expect_err("stale");
    assert_eq!(stale["code"], "version_conflict");
    call(
        &window,
        "delete_component",
        json!({"componentId": quiz_id, "expectedVersion": 1}),
    )
    .expect("deleted");
    let tree = call(&window, "course", json!({"courseId": course_id})).expect("course");
    let left: Vec<&str> = tree["lessons"][0]["slides"][0]["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|c| c["component_type"].as_str())
        .collect();
    assert_eq!(left, ["HOTSPOT"]);
    let history = call(&window, "history", json!({"id": quiz_id})).expect("history stays");
    assert_eq!(
        history
            .as_array()
            .and_then(|h| h.last())
            .map(|r| r["change"].clone()),
        Some(json!("deleted"))
    );
}

#[test]
fn saves_reach_the_ui_as_events() {
    use tauri::Listener;
    let dir = tempfile::tempdir().expect("dir");
    let (app, window) = studio(dir.path());
    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
    let sink = heard.clone();
    app.listen_any("saved", move |event| {
        let value: Value = serde_json::from_str(event.payload()).expect("JSON");
        sink.lock().expect("lock").push(value);
    });
    let tree = import_talk(&window, dir.path());
    let slide = tree["lessons"][0]["slides"][0].clone();
    call(
        &window,
        "edit_slide",
        json!({"slideId": slide["id"], "changes": {"title": "Heard"}, "expectedVersion": null}),
    )
    .expect("edited");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let events = heard.lock().expect("lock").clone();
        if let Some(e) = events
            .iter()
            .find(|e| e["entity_id"] == slide["id"] && e["change"] == "updated")
        {
            assert_eq!(e["version"], 2);
            assert_eq!(e["lesson_id"], tree["lessons"][0]["id"]);
            assert!(
                events
                    .iter()
                    .any(|e| e["entity_type"] == "course" && e["change"] == "imported"),
                "{events:?}"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no saved event: {events:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn the_window_stays_on_the_apps_own_pages() {
    use classkit_studio::own_page;
    let ok = |u: &str| own_page(&u.parse().expect("url"));
    assert!(ok("tauri://localhost/index.html"));
    assert!(ok("http://tauri.localhost/"));
    for elsewhere in [
        "https://example.com/",
        "classkit://localhost/0000000000000000000000000000000000000000000000000000000000000000",
        "http://classkit.localhost/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "tauri://evil.example/",
    ] {
        assert!(!ok(elsewhere), "{elsewhere}");
    }
}

#[test]
fn every_registered_command_is_allowed_and_nothing_else_is() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let capability: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("capabilities/main.json")).expect("capability"),
    )
    .expect("JSON");
    let mut allowed: Vec<String> = capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    allowed.sort();
    let mut registered: Vec<String> = classkit_studio::REGISTERED
        .iter()
        .map(|c| c.to_string())
        .collect();
    registered.sort();
    // The shell registers exactly the commands of the wire's one list.
    let mut listed: Vec<String> = classkit_app::ipc::COMMANDS
        .iter()
        .map(|c| c.to_string())
        .collect();
    listed.sort();
    assert_eq!(
        registered, listed,
        "the shell against classkit_app::ipc::COMMANDS"
    );
    assert_eq!(
        allowed, registered,
        "capabilities/main.json against the shell"
    );
    // build.rs lists the same commands, so each has its generated permission.
    let mut generated: Vec<String> = std::fs::read_dir(root.join("permissions/autogenerated"))
        .expect("permissions")
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    generated.sort();
    assert_eq!(generated, registered, "build.rs against the shell");
}

#[test]
fn team_commands_say_what_is_wrong_without_a_server() {
    let dir = tempfile::tempdir().expect("dir");
    let (_app, window) = studio(dir.path());

    // A library on its own.
    let status = call(&window, "team_status", json!({})).expect("status");
    assert_eq!(status["connection"], "not_set", "{status}");
    assert_eq!(status["waiting"], 0);
    let none = call(&window, "sync_now", json!({})).expect_err("no server");
    assert_eq!(none["code"], "no_remote", "{none}");
    let tree = import_talk(&window, dir.path());
    let share = call(&window, "share_course", json!({"courseId": tree["id"]}))
        .expect_err("no server to share with");
    assert_eq!(share["code"], "no_remote", "{share}");
    assert_eq!(
        call(&window, "conflicts", json!({"courseId": null})),
        Ok(json!([]))
    );

    // A server that is not there, and an address that is not one.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let unreachable = call(
        &window,
        "test_team_connection",
        json!({"url": format!("http://127.0.0.1:{port}"), "token": "ck_x"}),
    )
    .expect_err("nobody listens");
    assert_eq!(unreachable["code"], "server_unreachable", "{unreachable}");
    let bad = call(
        &window,
        "set_team_server",
        json!({"url": "not a url", "token": "ck_x"}),
    )
    .expect_err("not an address");
    assert_eq!(bad["code"], "invalid_input", "{bad}");
    // Nothing was kept of either.
    let status = call(&window, "team_status", json!({})).expect("status");
    assert_eq!(status["remote"], Value::Null, "{status}");

    // A choice the app does not know is refused at the door.
    let odd = call(
        &window,
        "resolve_conflict",
        json!({"conflictId": uuid::Uuid::nil(), "choice": {"keep": "both"}}),
    )
    .expect_err("unknown choice");
    assert!(odd.to_string().contains("both"), "{odd}");
    let gone = call(
        &window,
        "resolve_conflict",
        json!({"conflictId": uuid::Uuid::nil(), "choice": {"keep": "mine"}}),
    )
    .expect_err("no such conflict");
    assert_eq!(gone["code"], "not_found", "{gone}");
}
