//! The `classkit` binary end to end, as a script or an admin would use it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn samples() -> PathBuf {
    repo().join("crates/model/tests/samples")
}

fn classkit(library: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_classkit"))
        .arg("--library")
        .arg(library)
        .args(args)
        .env_remove("CLASSKIT_LIBRARY")
        .output()
        .expect("run classkit")
}

fn json_ok(library: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = classkit(library, &all);
    assert!(
        out.status.success(),
        "classkit {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn json_err(library: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = classkit(library, &all);
    assert!(!out.status.success(), "classkit {args:?} should fail");
    let err: Value = serde_json::from_slice(&out.stderr).expect("JSON error on stderr");
    (out.status.code().unwrap_or(-1), err)
}

fn first_slide(library: &Path, course: &str) -> String {
    let tree = json_ok(library, &["show", course]);
    tree["lessons"][0]["slides"][0]["id"]
        .as_str()
        .expect("slide id")
        .to_string()
}

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).expect("write");
    path.to_string_lossy().into_owned()
}

#[test]
fn import_show_and_list_courses() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = dir.path().join("lib");
    let lecture = repo().join("examples/photosynthesis.md");
    let summary = json_ok(&lib, &["import", &lecture.to_string_lossy()]);
    assert_eq!(summary["lessons"], 3);
    assert!(summary["slides"].as_u64().expect("slides") >= 9);
    let id = summary["course_id"].as_str().expect("id");

    let titled = json_ok(
        &lib,
        &[
            "import",
            &lecture.to_string_lossy(),
            "--title",
            "Biology 101",
        ],
    );
    assert_eq!(titled["title"], "Biology 101");

    let courses = json_ok(&lib, &["courses"]);
    assert_eq!(courses.as_array().expect("list").len(), 2);
    let tree = json_ok(&lib, &["show", id]);
    assert_eq!(
        tree["title"],
        "Photosynthesis: How Plants Turn Light into Life"
    );
    assert_eq!(tree["lessons"].as_array().expect("lessons").len(), 3);

    // People get a readable outline.
    let out = classkit(&lib, &["show", id]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("narration:") && text.contains("Calvin"));

    let (code, err) = json_err(&lib, &["show", "01900000-0000-7000-8000-000000000000"]);
    assert_eq!(code, 2);
    assert_eq!(err["code"], "not_found");
    let (_, err) = json_err(&lib, &["import", "/definitely/not/here.md"]);
    assert_eq!(err["code"], "io_error");

    // A mistyped library folder is an error, not a new empty library.
    let typo = dir.path().join("librray");
    let (_, err) = json_err(&typo, &["courses"]);
    assert_eq!(err["code"], "library_not_found");
    let message = err["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("pass --library"),
        "the command line's hint: {message}"
    );
    assert!(!typo.exists());

    let deleted = json_ok(&lib, &["delete", id]);
    assert_eq!(deleted["deleted"], id);
    assert_eq!(
        json_ok(&lib, &["courses"]).as_array().expect("list").len(),
        1
    );
    let (_, err) = json_err(&lib, &["show", id]);
    assert_eq!(err["code"], "not_found");
}

#[test]
fn component_lifecycle_validation_history_and_restore() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = dir.path().join("lib");
    let lecture = repo().join("examples/negotiating-by-phone.md");
    let course = json_ok(&lib, &["import", &lecture.to_string_lossy()]);
    let slide = first_slide(&lib, course["course_id"].as_str().expect("id"));

    let broken_cases: Value = serde_json::from_str(
        &std::fs::read_to_string(samples().join("QUIZ.broken.json")).expect("read"),
    )
    .expect("json");
    let broken = &broken_cases[0];
    let broken_file = write(dir.path(), "broken.json", &broken["payload"]);
    let valid_file = samples()
        .join("QUIZ.valid.json")
        .to_string_lossy()
        .into_owned();

    // A broken draft can be saved; its problems are listed with pointers.
    let added = json_ok(
        &lib,
        &[
            "component",
            "add",
            "--slide",
            &slide,
            "--type",
            "quiz",
            "--payload",
            &broken_file,
        ],
    );
    let id = added["component"]["id"].as_str().expect("id").to_string();
    assert_eq!(added["component"]["status"], "draft");
    let shown: Vec<String> = added["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| {
            format!(
                "{}: {}",
                i["pointer"].as_str().unwrap_or(""),
                i["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(Value::from(shown), broken["expected"]);

    // It cannot be marked ready until fixed.
    let (code, err) = json_err(&lib, &["component", "ready", &id]);
    assert_eq!((code, err["code"].as_str()), (2, Some("validation_failed")));
    assert_eq!(err["details"]["issues"], added["issues"]);

    json_ok(
        &lib,
        &[
            "component",
            "update",
            &id,
            "--payload",
            &valid_file,
            "--expected-version",
            "1",
        ],
    );
    let ready = json_ok(&lib, &["component", "ready", &id]);
    assert_eq!(ready["component"]["status"], "ready");
    assert_eq!(ready["component"]["version"], 3);

    // A stale edit is refused.
    let (_, err) = json_err(
        &lib,
        &[
            "component",
            "update",
            &id,
            "--payload",
            &valid_file,
            "--expected-version",
            "1",
        ],
    );
    assert_eq!(err["code"], "version_conflict");

    let history = json_ok(&lib, &["history", &id]);
    let versions: Vec<i64> = history
        .as_array()
        .expect("list")
        .iter()
        .map(|r| r["version"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(versions, [1, 2, 3]);
    let restored = json_ok(&lib, &["restore", &id, "1"]);
    assert_eq!(restored["entity_type"], "component");
    assert_eq!(restored["version"], 4);
    assert_eq!(
        restored["status"], "draft",
        "the broken version comes back as a draft"
    );
    assert_eq!(restored["payload"], added["component"]["payload"]);
    let (_, err) = json_err(&lib, &["restore", &id, "42"]);
    assert_eq!(err["code"], "not_found");
}

#[test]
fn validate_exit_codes_and_schema_export() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = dir.path().join("lib");
    for t in [
        "REVIEW",
        "QUIZ",
        "ROLEPLAY",
        "SHADOWING",
        "PRONUNCIATION",
        "FLASHCARDS",
        "CLOZE",
        "MATCHING",
        "HOTSPOT",
        "BRANCHING",
        "DICTATION",
    ] {
        let valid = samples().join(format!("{t}.valid.json"));
        let out = classkit(&lib, &["validate", "--type", t, &valid.to_string_lossy()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{t}: {}",
            String::from_utf8_lossy(&out.stdout)
        );

        let cases: Value = serde_json::from_str(
            &std::fs::read_to_string(samples().join(format!("{t}.broken.json"))).expect("read"),
        )
        .expect("json");
        for case in cases.as_array().expect("cases") {
            let file = write(dir.path(), "case.json", &case["payload"]);
            // People get every problem as `/pointer: message`, one per line.
            let out = classkit(&lib, &["validate", "--type", t, &file]);
            assert_eq!(out.status.code(), Some(1), "{t}");
            let text = String::from_utf8_lossy(&out.stdout);
            let listed: Vec<&str> = text.lines().skip(1).map(str::trim).collect();
            let expected: Vec<&str> = case["expected"]
                .as_array()
                .expect("expected")
                .iter()
                .map(|l| l.as_str().unwrap_or(""))
                .collect();
            assert_eq!(listed, expected, "{t}: {}", case["description"]);
            // Programs get the same list as JSON.
            let out = classkit(&lib, &["--json", "validate", "--type", t, &file]);
            assert_eq!(out.status.code(), Some(1));
            let report: Value = serde_json::from_slice(&out.stdout).expect("json");
            assert_eq!(report["valid"], false);
            let issues: Vec<String> = report["issues"]
                .as_array()
                .expect("issues")
                .iter()
                .map(|i| {
                    format!(
                        "{}: {}",
                        i["pointer"].as_str().unwrap_or(""),
                        i["message"].as_str().unwrap_or("")
                    )
                })
                .collect();
            assert_eq!(issues, expected, "{t}");
        }

        let schema = json_ok(&lib, &["schema", t]);
        assert!(schema["properties"].is_object(), "{t}");
    }
    let all = json_ok(&lib, &["schema"]);
    assert_eq!(all.as_object().expect("map").len(), 11);
    let response = json_ok(&lib, &["schema", "QUIZ", "--response"]);
    assert!(response.is_object());

    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{not json").expect("write");
    let (code, err) = json_err(
        &lib,
        &["validate", "--type", "QUIZ", &garbage.to_string_lossy()],
    );
    assert_eq!((code, err["code"].as_str()), (2, Some("invalid_json")));
    let out = classkit(
        &lib,
        &["validate", "--type", "ESSAY", &garbage.to_string_lossy()],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("QUIZ"),
        "lists the real types"
    );
}

#[test]
fn bundles_round_trip_and_refuse_duplicates() {
    let dir = tempfile::tempdir().expect("dir");
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let lecture = repo().join("examples/korean-orientation.md");
    let course = json_ok(&a, &["import", &lecture.to_string_lossy()]);
    let id = course["course_id"].as_str().expect("id");
    let file = dir.path().join("orientation.classkit");
    let file = file.to_string_lossy();
    json_ok(&a, &["bundle", "export", id, "-o", &file]);
    json_ok(&b, &["bundle", "import", &file]);
    assert_eq!(json_ok(&a, &["show", id]), json_ok(&b, &["show", id]));

    let (code, err) = json_err(&b, &["bundle", "import", &file]);
    assert_eq!((code, err["code"].as_str()), (2, Some("course_exists")));
    let message = err["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("--as-copy"),
        "the command line's hint: {message}"
    );
    let copy = json_ok(&b, &["bundle", "import", &file, "--as-copy"]);
    assert_eq!(copy["copied"], true);
    assert_eq!(json_ok(&b, &["courses"]).as_array().expect("list").len(), 2);
}

#[test]
fn jobs_can_be_inspected_and_repaired_locally_and_on_redis() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = dir.path().join("lib");
    let lecture = repo().join("examples/photosynthesis.md");
    json_ok(&lib, &["import", &lecture.to_string_lossy()]);

    // No worker runs: the health check says so and leaves nothing behind.
    let (code, err) = json_err(
        &lib,
        &["jobs", "check", "--count", "2", "--timeout-secs", "1"],
    );
    assert_eq!(
        (code, err["code"].as_str()),
        (2, Some("workers_unavailable"))
    );
    let listed = json_ok(&lib, &["jobs", "list", "--state", "cancelled"]);
    let jobs = listed["jobs"].as_array().expect("jobs");
    assert_eq!(jobs.len(), 2);
    assert_eq!(listed["counts"]["cancelled"], 2);
    let id = jobs[0]["id"].as_str().expect("id").to_string();

    let retried = json_ok(&lib, &["jobs", "retry", &id]);
    assert_eq!(retried["state"], "queued");
    let shown = json_ok(&lib, &["jobs", "show", &id]);
    assert_eq!(shown["kind"], "diagnostic");
    let (_, err) = json_err(&lib, &["jobs", "retry", &id]);
    assert_eq!(err["code"], "wrong_state");

    // Bundled workers in another process run it; the check now passes.
    let mut worker = Command::new(env!("CARGO_BIN_EXE_classkit"))
        .arg("--library")
        .arg(&lib)
        .args(["jobs", "work", "--concurrency", "2"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start bundled workers");
    let check = json_ok(
        &lib,
        &["jobs", "check", "--count", "3", "--timeout-secs", "30"],
    );
    let _ = worker.kill();
    let _ = worker.wait();
    assert_eq!(check["jobs"], 3);
    assert_eq!(check["workers"].as_array().expect("workers").len(), 1);
    let done = json_ok(&lib, &["jobs", "show", &id]);
    assert_eq!(done["state"], "succeeded", "the retried job ran too");
    let (_, err) = json_err(&lib, &["jobs", "list", "--state", "finished"]);
    assert_eq!(err["code"], "invalid_arguments");

    // The same commands against the team's queue on Redis.
    let redis = classkit_testkit::Redis::start().expect("Redis");
    let url = redis.url().to_string();
    let (_, err) = json_err(
        &lib,
        &[
            "jobs",
            "check",
            "--redis",
            &url,
            "--count",
            "1",
            "--timeout-secs",
            "1",
        ],
    );
    assert_eq!(err["code"], "workers_unavailable");
    let listed = json_ok(&lib, &["jobs", "list", "--redis", &url]);
    let jobs = listed["jobs"].as_array().expect("jobs");
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0]["state"], "cancelled");
    let id = jobs[0]["id"].as_str().expect("id").to_string();
    assert_eq!(
        json_ok(&lib, &["jobs", "retry", &id, "--redis", &url])["state"],
        "queued"
    );
    assert_eq!(
        json_ok(&lib, &["jobs", "cancel", &id, "--redis", &url])["state"],
        "cancelled"
    );
    let (_, err) = json_err(
        &lib,
        &[
            "jobs",
            "show",
            "01900000-0000-7000-8000-000000000000",
            "--redis",
            &url,
        ],
    );
    assert_eq!(err["code"], "not_found");
}

#[test]
fn assemble_makes_files_and_a_rerun_has_nothing_to_do() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = dir.path().join("lib");
    let imported = json_ok(
        &lib,
        &[
            "import",
            repo()
                .join("examples/korean-orientation.md")
                .to_str()
                .expect("path"),
        ],
    );
    let course = imported["course_id"].as_str().expect("id").to_string();
    let out = dir.path().join("out");
    let first = json_ok(
        &lib,
        &[
            "assemble",
            &course,
            "--only",
            "slides,narration",
            "--speech-engine",
            "espeak",
            "--out",
            out.to_str().expect("path"),
        ],
    );
    let slides = first["slides"].as_u64().expect("slides");
    assert_eq!(first["jobs"].as_u64(), Some(slides * 2));
    assert_eq!(first["failed"], serde_json::json!([]));
    let files = first["files"].as_array().expect("files");
    assert_eq!(
        files.len() as u64,
        slides * 3,
        "PNG, thumbnail and narration per slide"
    );
    let png = std::fs::read(out.join("L01-S01.png")).expect("slide image");
    assert!(png.starts_with(b"\x89PNG"));
    let ogg = std::fs::read(out.join("L01-S01.ogg")).expect("narration");
    assert!(ogg.starts_with(b"OggS"));

    let again = json_ok(
        &lib,
        &[
            "assemble",
            &course,
            "--only",
            "slides,narration",
            "--speech-engine",
            "espeak",
        ],
    );
    assert_eq!(again["jobs"].as_u64(), Some(0));
    assert_eq!(again["up_to_date"].as_u64(), Some(slides * 2));

    let (code, err) = json_err(&lib, &["assemble", &course, "--only", "videos"]);
    assert_eq!((code, err["code"].as_str()), (2, Some("invalid_arguments")));
    let (_, err) = json_err(&lib, &["assemble", &course, "--speech-engine", "nope"]);
    assert_eq!(err["code"].as_str(), Some("engine_unavailable"));
}

#[test]
fn cost_simulate_prices_combinations_and_draws_a_chart() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = dir.path().join("lib");
    let engines = repo().join("examples/engines.toml");
    let profile = repo().join("examples/traffic-profile.toml");
    let chart = dir.path().join("chart.png");
    let sim = json_ok(
        &lib,
        &[
            "cost",
            "simulate",
            "--profile",
            profile.to_str().expect("path"),
            "--engines",
            engines.to_str().expect("path"),
            "--quality",
            "4",
            "--chart",
            chart.to_str().expect("path"),
        ],
    );
    let rows = sim["rows"].as_array().expect("rows");
    assert!(rows.len() >= 8);
    let costs: Vec<i64> = rows
        .iter()
        .map(|r| r["per_month_micros"].as_i64().expect("cost"))
        .collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "cheapest first");
    let spot = &sim["sweet_spot"];
    assert!(spot["quality"].as_u64().expect("quality") >= 4);
    let cheaper_good = rows.iter().any(|r| {
        r["quality"].as_u64() >= Some(4)
            && r["per_month_micros"].as_i64() < spot["per_month_micros"].as_i64()
    });
    assert!(!cheaper_good, "nothing cheaper reaches the tier");
    assert!(
        std::fs::read(&chart)
            .expect("chart")
            .starts_with(b"\x89PNG")
    );

    let svg = dir.path().join("chart.svg");
    let table = classkit(
        &lib,
        &[
            "cost",
            "simulate",
            "--profile",
            profile.to_str().expect("path"),
            "--engines",
            engines.to_str().expect("path"),
            "--chart",
            svg.to_str().expect("path"),
        ],
    );
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("sweet spot for quality 3 or better"),
        "{text}"
    );
    assert!(
        std::fs::read_to_string(&svg)
            .expect("svg")
            .starts_with("<svg")
    );

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "instructors = -3\nlessons_per_month = 1\nslides_per_lesson = 1\nnarration_chars_per_slide = 1\ndraft_input_tokens_per_slide = 1\ndraft_output_tokens_per_slide = 1\nimages_per_lesson = 0\nregeneration_rate = 0\ncache_hit_rate = 0\n").expect("write");
    let (_, err) = json_err(
        &lib,
        &["cost", "simulate", "--profile", bad.to_str().expect("path")],
    );
    assert_eq!(err["code"].as_str(), Some("invalid_profile"));
    assert!(
        err["message"]
            .as_str()
            .expect("message")
            .contains("instructors")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assemble_and_outline_with_a_language_model_from_an_engines_file() {
    let server = classkit_testkit::OpenAiStandIn::start(&["gpt-test"])
        .await
        .expect("stand-in");
    let dir = tempfile::tempdir().expect("dir");
    let lib = dir.path().join("lib");
    let engines = dir.path().join("engines.toml");
    std::fs::write(
        &engines,
        format!(
            "[[engine]]\nid = \"cloud\"\nkind = \"text\"\nprovider = \"openai\"\n\
             endpoint = \"{}\"\nmodel = \"gpt-test\"\nquality = 4\n\
             price = {{ per_1k_input_tokens = 2.5, per_1k_output_tokens = 10.0 }}\n",
            server.endpoint()
        ),
    )
    .expect("engines.toml");
    let lecture = dir.path().join("talk.txt");
    std::fs::write(&lecture, "Know your BATNA.\n\nListen more than you talk.").expect("lecture");
    let (lib2, engines2, lecture2) = (lib.clone(), engines.clone(), lecture.clone());
    let (outlined, assembled, refused, reports) = tokio::task::spawn_blocking(move || {
        let imported = json_ok(&lib2, &["import", lecture2.to_str().expect("path")]);
        let course = imported["course_id"].as_str().expect("id").to_string();
        let assembled = json_ok(
            &lib2,
            &[
                "assemble",
                &course,
                "--only",
                "drafts",
                "--engines",
                engines2.to_str().expect("path"),
                "--text-engine",
                "cloud",
                "--speech-engine",
                "espeak",
            ],
        );
        let refused = json_err(
            &lib2,
            &[
                "assemble",
                &course,
                "--engines",
                engines2.to_str().expect("path"),
                "--text-engine",
                "gpt",
            ],
        );
        std::fs::copy(&engines2, lib2.join("engines.toml")).expect("library engines");
        let outlined = json_ok(
            &lib2,
            &[
                "import",
                lecture2.to_str().expect("path"),
                "--outline-engine",
                "cloud",
                "--title",
                "Negotiation",
            ],
        );
        let course_report = json_ok(&lib2, &["cost", "report", "--course", &course]);
        let library_report = json_ok(&lib2, &["cost", "report"]);
        let bad_month = json_err(&lib2, &["cost", "report", "--month", "2026-13"]);
        (
            outlined,
            assembled,
            refused,
            (course_report, library_report, bad_month),
        )
    })
    .await
    .expect("classkit runs");
    let (course_report, library_report, bad_month) = reports;
    // The ledger, as `classkit cost report` reads it: the drafts the course paid for, and
    // the whole library's (the outline too).
    assert_eq!(
        course_report["total_micros"], assembled["cost_micros"],
        "{course_report}"
    );
    assert_eq!(course_report["ledger"], "library");
    assert_eq!(course_report["lines"][0]["engine"], "cloud");
    assert_eq!(course_report["lines"][0]["kind"], "draft_component");
    assert!(
        library_report["total_micros"].as_i64().expect("total")
            > course_report["total_micros"].as_i64().expect("total"),
        "{library_report}"
    );
    assert!(
        library_report["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .any(|l| l["kind"] == "outline"),
        "{library_report}"
    );
    assert_eq!(bad_month.0, 2);
    assert!(
        bad_month.1["message"]
            .as_str()
            .expect("message")
            .contains("YYYY-MM"),
        "{bad_month:?}"
    );
    assert_eq!(assembled["failed"], serde_json::json!([]));
    assert!(assembled["cost_micros"].as_i64().expect("cost") > 0);
    assert_eq!(
        assembled["jobs"].as_u64().expect("jobs") as usize
            - assembled["follow_ups"].as_u64().expect("follow-ups") as usize,
        server.requests_to("/v1/chat/completions").len() - 1,
        "one model call per draft job (the outline made one more)"
    );
    assert_eq!(refused.1["code"].as_str(), Some("engine_unavailable"));
    assert!(
        refused.1["message"]
            .as_str()
            .expect("message")
            .contains("cloud")
    );
    assert_eq!(outlined["title"], "Negotiation");
    assert_eq!(outlined["slides"], 2);
}

#[test]
fn export_for_learners_reports_what_was_left_out_and_refuses_bad_input() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = dir.path().join("lib");
    let lecture = repo().join("examples/korean-orientation.md");
    let course = json_ok(&lib, &["import", &lecture.to_string_lossy()]);
    let id = course["course_id"].as_str().expect("id").to_string();
    let slide = first_slide(&lib, &id);
    let quiz: Value = serde_json::from_str(
        &std::fs::read_to_string(samples().join("QUIZ.valid.json")).expect("sample"),
    )
    .expect("JSON");
    let quiz_file = write(dir.path(), "quiz.json", &quiz);
    let ready = json_ok(
        &lib,
        &[
            "component",
            "add",
            "--slide",
            &slide,
            "--type",
            "QUIZ",
            "--payload",
            &quiz_file,
        ],
    );
    let ready_id = ready["component"]["id"]
        .as_str()
        .expect("component id")
        .to_string();
    json_ok(&lib, &["component", "ready", &ready_id]);
    json_ok(
        &lib,
        &[
            "component",
            "add",
            "--slide",
            &slide,
            "--type",
            "QUIZ",
            "--payload",
            &quiz_file,
        ],
    );

    for format in ["web", "scorm12", "scorm2004"] {
        let out = dir.path().join(format!("{format}.zip"));
        let report = json_ok(
            &lib,
            &[
                "export",
                &id,
                "--format",
                format,
                "--out",
                &out.to_string_lossy(),
            ],
        );
        assert_eq!(report["format"], format);
        assert_eq!(report["components"], 1, "{report}");
        let left_out = report["left_out"].as_array().expect("left out");
        assert_eq!(left_out.len(), 1, "{report}");
        assert!(
            left_out[0]["reason"]
                .as_str()
                .expect("reason")
                .contains("draft")
        );
        let zip = zip::ZipArchive::new(std::fs::File::open(&out).expect("zip")).expect("a zip");
        let names: Vec<String> = zip
            .file_names()
            .map(|n| n.expect("a UTF-8 name").to_string())
            .collect();
        assert!(names.iter().any(|n| n == "index.html"), "{names:?}");
        assert_eq!(
            names.iter().any(|n| n == "imsmanifest.xml"),
            format != "web",
            "{names:?}"
        );
    }
    let out = dir.path().join("drafts.zip");
    let report = json_ok(
        &lib,
        &[
            "export",
            &id,
            "--format",
            "web",
            "--out",
            &out.to_string_lossy(),
            "--include-drafts",
        ],
    );
    assert_eq!(report["components"], 2, "{report}");

    // Bad input: what and where.
    let out = dir.path().join("x.zip").to_string_lossy().into_owned();
    let (code, err) = json_err(&lib, &["export", &id, "--format", "pdf", "--out", &out]);
    assert_eq!(code, 2);
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("web, scorm12, scorm2004"),
        "{err}"
    );
    let (_, err) = json_err(
        &lib,
        &[
            "export",
            &id,
            "--format",
            "web",
            "--out",
            &out,
            "--mastery-score",
            "150",
        ],
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("between 0 and 100"),
        "{err}"
    );
    let (_, err) = json_err(
        &lib,
        &[
            "export",
            &id,
            "--format",
            "web",
            "--out",
            &dir.path().to_string_lossy(),
        ],
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("folder"),
        "{err}"
    );
    let (_, err) = json_err(
        &lib,
        &[
            "export",
            "0190e4a2-0000-7000-8000-000000000000",
            "--format",
            "web",
            "--out",
            &out,
        ],
    );
    assert_eq!(err["code"], "not_found", "{err}");
    assert!(!Path::new(&out).exists());
}
