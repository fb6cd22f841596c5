//! Team mode from the command line, as processes: `classkit remote set`, `share`, `sync`,
//! `conflicts list | resolve`, with `--json`, against a `classkit-server` process; and the
//! errors a wrong address, an unknown token and a revoked one give.

use classkit_team_tests::{Server, admin, binary};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

/// Runs `classkit --library LIB --json ARGS…`: exit code and the JSON it printed (stdout on
/// success, stderr on failure).
fn classkit(library: &Path, args: &[&str]) -> (i32, Value) {
    let out = Command::new(binary("classkit"))
        .arg("--library")
        .arg(library)
        .arg("--json")
        .args(args)
        .output()
        .expect("classkit");
    let code = out.status.code().unwrap_or(-1);
    let text = if out.status.success() {
        out.stdout
    } else {
        out.stderr
    };
    let text = String::from_utf8_lossy(&text);
    (
        code,
        serde_json::from_str(text.trim()).unwrap_or(Value::String(text.to_string())),
    )
}

fn ok(library: &Path, args: &[&str]) -> Value {
    let (code, v) = classkit(library, args);
    assert_eq!(code, 0, "classkit {args:?}: {v}");
    v
}

#[test]
fn share_sync_and_settle_a_conflict_from_the_command_line() {
    let pg = classkit_testkit::Postgres::start().expect("postgres");
    let redis = classkit_testkit::Redis::start().expect("redis");
    let dir = tempfile::tempdir().expect("tempdir");
    let port = classkit_testkit::free_port().expect("port");
    let server = Server::start(pg.url(), redis.url(), &dir.path().join("data"), port);
    let token = |who: &str| {
        admin(pg.url(), &["create-user", who]);
        let json = admin(pg.url(), &["--json", "create-token", who]);
        let token = serde_json::from_str::<Value>(&json).expect("json")["token"]
            .as_str()
            .expect("token")
            .to_string();
        let file = dir.path().join(format!("{who}.token"));
        std::fs::write(&file, token).expect("token file");
        file
    };
    let (ann_token, ben_token) = (token("ann@example.org"), token("ben@example.org"));
    let (a, b) = (dir.path().join("ann"), dir.path().join("ben"));
    let lecture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/negotiating-by-phone.md");
    let course = ok(&a, &["import", lecture.to_str().expect("path")])["course_id"]
        .as_str()
        .expect("course id")
        .to_string();

    // What goes wrong says what it is.
    let (code, err) = classkit(
        &a,
        &[
            "remote",
            "set",
            "http://127.0.0.1:9",
            "--token-file",
            ann_token.to_str().expect("path"),
        ],
    );
    assert_eq!(
        (code, err["code"].as_str()),
        (2, Some("server_unreachable")),
        "{err}"
    );
    let bad = dir.path().join("bad.token");
    std::fs::write(&bad, "ckt_not-a-token").expect("file");
    let (code, err) = classkit(
        &a,
        &[
            "remote",
            "set",
            &server.url,
            "--token-file",
            bad.to_str().expect("path"),
        ],
    );
    assert_eq!(
        (code, err["code"].as_str()),
        (2, Some("unauthorized")),
        "{err}"
    );
    let (code, err) = classkit(&a, &["share", &course]);
    assert_eq!(
        (code, err["code"].as_str()),
        (2, Some("no_remote")),
        "{err}"
    );

    // Ann shares; Ben, made an editor, gets the course by syncing.
    let set = ok(
        &a,
        &[
            "remote",
            "set",
            &server.url,
            "--token-file",
            ann_token.to_str().expect("path"),
        ],
    );
    assert_eq!(set["email"], "ann@example.org");
    let shared = ok(&a, &["share", &course]);
    assert!(
        shared[0]["report"]["pushed"].as_u64().expect("pushed") > 5,
        "{shared}"
    );
    admin(
        pg.url(),
        &["add-member", &course, "ben@example.org", "--role", "editor"],
    );
    ok(
        &b,
        &[
            "remote",
            "set",
            &server.url,
            "--token-file",
            ben_token.to_str().expect("path"),
        ],
    );
    ok(&b, &["sync"]);
    let courses = ok(&b, &["courses"]);
    assert!(
        courses
            .as_array()
            .expect("courses")
            .iter()
            .any(|c| c["id"] == json!(course)),
        "{courses}"
    );

    // Both retitle the same slide; Ann syncs first, so Ben's title is the conflict.
    let tree = ok(&a, &["show", &course]);
    let slide = tree["lessons"][0]["slides"][0]["id"]
        .as_str()
        .expect("slide")
        .to_string();
    let quiz = dir.path().join("quiz.json");
    std::fs::write(
        &quiz,
        json!({"schema_version": 2, "title": "Ann's quiz", "questions": []}).to_string(),
    )
    .expect("payload");
    let component = ok(
        &a,
        &[
            "component",
            "add",
            "--slide",
            &slide,
            "--type",
            "QUIZ",
            "--payload",
            quiz.to_str().expect("path"),
        ],
    )["component"]["id"]
        .as_str()
        .expect("component id")
        .to_string();
    ok(&a, &["sync"]);
    ok(&b, &["sync"]);
    let edit = |library: &Path, title: &str| {
        let file = dir.path().join("edit.json");
        std::fs::write(
            &file,
            json!({"schema_version": 2, "title": title, "questions": []}).to_string(),
        )
        .expect("payload");
        ok(
            library,
            &[
                "component",
                "update",
                &component,
                "--payload",
                file.to_str().expect("path"),
            ],
        );
    };
    edit(&a, "Ann's title");
    edit(&b, "Ben's title");
    ok(&a, &["sync"]);
    ok(&b, &["sync"]);
    let conflicts = ok(&b, &["conflicts", "list"]);
    let list = conflicts.as_array().expect("list");
    assert_eq!(list.len(), 1, "{conflicts}");
    assert_eq!(list[0]["pointer"], "/payload/title");
    assert_eq!(list[0]["mine"], "Ben's title");
    assert_eq!(list[0]["theirs"], "Ann's title");
    ok(&a, &["sync"]);
    assert_eq!(
        ok(&a, &["conflicts", "list"])
            .as_array()
            .expect("list")
            .len(),
        1,
        "Ann sees it too"
    );

    let id = list[0]["id"].as_str().expect("id").to_string();
    ok(&b, &["conflicts", "resolve", &id, "--keep", "mine"]);
    ok(&b, &["sync"]);
    ok(&a, &["sync"]);
    assert_eq!(ok(&a, &["conflicts", "list"]), json!([]));
    let shown = ok(&a, &["component", "show", &component]);
    assert_eq!(
        shown["component"]["payload"]["title"], "Ben's title",
        "{shown}"
    );

    // A revoked token is said as such.
    admin(
        pg.url(),
        &[
            "revoke-token",
            "--token-file",
            ben_token.to_str().expect("path"),
        ],
    );
    let (code, err) = classkit(&b, &["sync"]);
    let code_of = |v: &Value| {
        v["code"]
            .as_str()
            .or_else(|| v[0]["error"]["code"].as_str())
            .map(str::to_string)
    };
    assert_eq!(code, 2, "{err}");
    assert_eq!(code_of(&err).as_deref(), Some("token_revoked"), "{err}");
}
