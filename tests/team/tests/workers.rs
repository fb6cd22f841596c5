//! Team generation with real processes: an instructor's course on a `classkit-server`, an
//! assembly dispatched through the server, `classkit-worker` processes (that know only the
//! Redis URL, the server's address and a worker token) making narration and drafts, and the
//! results reaching the instructor's library by sync.

use classkit_jobs::{JobState, Queue, RedisQueue};
use classkit_team_tests::{KillOnDrop, Server, admin, binary};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};

fn classkit(library: &Path, args: &[&str]) -> Value {
    let out = Command::new(binary("classkit"))
        .arg("--library")
        .arg(library)
        .arg("--json")
        .args(args)
        .output()
        .expect("classkit");
    assert!(
        out.status.success(),
        "classkit {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

fn worker(redis: &str, server: &str, token_file: &Path) -> Child {
    Command::new(binary("classkit-worker"))
        .args(["--redis", redis, "--server", server, "--token-file"])
        .arg(token_file)
        .args(["--concurrency", "4", "--lease-secs", "10"])
        .env("CLASSKIT_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start classkit-worker")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_worker_assembles_a_shared_course_and_members_pull_it() {
    let pg = classkit_testkit::Postgres::start().expect("postgres");
    let redis = classkit_testkit::Redis::start().expect("redis");
    let dir = tempfile::tempdir().expect("tempdir");
    let port = classkit_testkit::free_port().expect("port");
    let server = Server::start(pg.url(), redis.url(), &dir.path().join("data"), port);

    admin(pg.url(), &["create-user", "ann@example.org"]);
    let ann_token = admin(pg.url(), &["create-token", "ann@example.org"]);
    let ann_file = dir.path().join("ann.token");
    std::fs::write(&ann_file, &ann_token).expect("token file");
    // A worker's token, alone on stdout.
    let worker_token = admin(pg.url(), &["create-token", "--worker", "w1"]);
    assert!(worker_token.starts_with("ckt_") && !worker_token.contains(char::is_whitespace));
    let worker_file = dir.path().join("w1.token");
    std::fs::write(&worker_file, &worker_token).expect("token file");

    let library = dir.path().join("ann");
    let lecture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/negotiating-by-phone.md");
    let course = classkit(&library, &["import", lecture.to_str().expect("path")])["course_id"]
        .as_str()
        .expect("course id")
        .to_string();
    classkit(
        &library,
        &[
            "remote",
            "set",
            &server.url,
            "--token-file",
            ann_file.to_str().expect("path"),
        ],
    );
    classkit(&library, &["share", &course]);

    // A worker's token is no person's: the person API refuses it.
    let resp = reqwest::Client::new()
        .get(format!("{}/api/v1/courses", server.url))
        .bearer_auth(&worker_token)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), reqwest::StatusCode::FORBIDDEN);

    let mut workers = vec![worker(redis.url(), &server.url, &worker_file)];
    // `classkit assemble` of a team course dispatches through the server and follows the
    // jobs until they are done; the results are in the library when it returns.
    let files = dir.path().join("files");
    let report = classkit(
        &library,
        &[
            "assemble",
            &course,
            "--only",
            "slides,narration,drafts",
            "--out",
            files.to_str().expect("path"),
        ],
    );
    assert_eq!(report["waited"], json!(true), "{report}");
    let jobs: Vec<uuid::Uuid> = report["jobs"]
        .as_array()
        .expect("jobs")
        .iter()
        .map(|j| j.as_str().expect("id").parse().expect("uuid"))
        .collect();
    assert!(!jobs.is_empty());
    assert_eq!(report["failed"], json!([]), "{report}");
    assert_eq!(report["succeeded"], json!(jobs.len()), "{report}");
    let queue = RedisQueue::connect(redis.url()).await.expect("queue");
    for id in &jobs {
        let job = queue.get(*id).await.expect("job");
        assert_eq!(job.state, JobState::Succeeded, "{job:?}");
        assert_eq!(job.requested_by.as_deref(), Some("ann@example.org"));
    }
    let counts = queue.counts().await.expect("counts");
    assert_eq!(
        (counts.dead, counts.queued, counts.running),
        (0, 0, 0),
        "{counts:?}"
    );

    // What the worker made is in Ann's library: narration on every narrated slide, drafts.
    let shown = classkit(&library, &["show", &course]);
    let mut narrated = 0;
    let mut slides = 0;
    let mut components = 0;
    for lesson in shown["lessons"].as_array().expect("lessons") {
        for slide in lesson["slides"].as_array().expect("slides") {
            slides += 1;
            if slide["speaker_notes"]
                .as_str()
                .is_some_and(|n| !n.trim().is_empty())
            {
                assert!(slide["narration"].is_string(), "no narration on {slide}");
                narrated += 1;
            }
            components += slide["components"].as_array().map_or(0, Vec::len);
        }
    }
    assert!(slides > 0 && narrated > 0, "{shown}");
    assert!(components > 0, "no drafts reached the library: {shown}");
    // The slide images the worker rendered came with the sync: one picture per slide at least.
    let pictures = std::fs::read_dir(&files)
        .expect("the outputs folder")
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".png") && !name.contains("thumb")
        })
        .count();
    assert!(
        pictures >= slides,
        "{pictures} pictures for {slides} slides"
    );

    // The team's ledger, as the admin sets it and a member reads it.
    admin(pg.url(), &["set-budget", "--monthly", "25"]);
    let budget = classkit(&library, &["budget", "show", "--course", &course]);
    assert_eq!(budget["team_limit_micros"], json!(25_000_000), "{budget}");
    assert_eq!(
        budget["course_spent_micros"],
        json!(0),
        "the builtin engines are free"
    );

    // Assembling again finds everything up to date.
    let again = classkit(
        &library,
        &["assemble", &course, "--only", "slides,narration,drafts"],
    );
    assert_eq!(again["jobs"], json!([]), "{again}");
    // With --no-wait it returns once the jobs are queued.
    let queued = classkit(
        &library,
        &[
            "assemble",
            &course,
            "--only",
            "narration",
            "--no-cache",
            "--no-wait",
        ],
    );
    assert_eq!(queued["waited"], json!(false), "{queued}");
    assert!(!queued["jobs"].as_array().expect("jobs").is_empty());

    for w in &mut workers {
        let _ = w.kill();
        let _ = w.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_worker_outlines_a_lecture_into_a_course_its_asker_owns() {
    let pg = classkit_testkit::Postgres::start().expect("postgres");
    let redis = classkit_testkit::Redis::start().expect("redis");
    let provider = classkit_testkit::OpenAiStandIn::start(&["gpt-test"])
        .await
        .expect("stand-in");
    let dir = tempfile::tempdir().expect("tempdir");
    // The team's language model: only the server (to check and price) and the worker (with
    // the key, in a real team) know it; Ann's library does not.
    let engines = dir.path().join("engines.toml");
    std::fs::write(
        &engines,
        format!(
            "[[engine]]\nid = \"cloud\"\nkind = \"text\"\nprovider = \"openai\"\n\
             endpoint = \"{}\"\nmodel = \"gpt-test\"\nquality = 4\n\
             price = {{ per_1k_input_tokens = 2.5, per_1k_output_tokens = 10.0 }}\n",
            provider.endpoint()
        ),
    )
    .expect("engines.toml");
    let port = classkit_testkit::free_port().expect("port");
    let server = Server::start_with(
        pg.url(),
        redis.url(),
        &dir.path().join("data"),
        port,
        &["--engines", engines.to_str().expect("path")],
    );
    admin(pg.url(), &["create-user", "ann@example.org"]);
    let ann_file = dir.path().join("ann.token");
    std::fs::write(
        &ann_file,
        admin(pg.url(), &["create-token", "ann@example.org"]),
    )
    .expect("token file");
    let worker_file = dir.path().join("w.token");
    std::fs::write(
        &worker_file,
        admin(pg.url(), &["create-token", "--worker", "w"]),
    )
    .expect("token file");
    // Two workers: one on a host set up without the team's model (the builtin engines
    // alone), and, later, one with it.
    let start_worker = |engines_file: Option<&Path>, cache: &str| {
        let mut c = Command::new(binary("classkit-worker"));
        c.args([
            "--redis",
            redis.url(),
            "--server",
            &server.url,
            "--token-file",
        ])
        .arg(&worker_file);
        if let Some(f) = engines_file {
            c.arg("--engines").arg(f);
        }
        KillOnDrop(
            c.arg("--cache")
                .arg(dir.path().join(cache))
                .env("CLASSKIT_LOG", "warn")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("start classkit-worker"),
        )
    };
    let mut builtin_only = start_worker(None, "cache-builtin");

    let library = dir.path().join("ann");
    classkit(
        &library,
        &[
            "remote",
            "set",
            &server.url,
            "--token-file",
            ann_file.to_str().expect("path"),
        ],
    );
    let lecture = dir.path().join("talk.md");
    std::fs::write(
        &lecture,
        "Know your BATNA before the call.\n\nListen more than you talk.\n\nSummarise what was agreed.",
    )
    .expect("lecture");
    // The library's own engines know no "cloud": outlining here is refused…
    let out = Command::new(binary("classkit"))
        .arg("--library")
        .arg(&library)
        .args(["--json", "import"])
        .arg(&lecture)
        .args(["--outline-engine", "cloud"])
        .output()
        .expect("classkit");
    assert!(!out.status.success());
    // …and on the team's workers it is done with the team's: the worker without the model
    // leaves the job for one that has it.
    let importing = {
        let (library, lecture) = (library.clone(), lecture.clone());
        std::thread::spawn(move || {
            classkit(
                &library,
                &[
                    "import",
                    lecture.to_str().expect("path"),
                    "--outline-engine",
                    "cloud",
                    "--team",
                    "--title",
                    "Calls <b>that</b> close",
                ],
            )
        })
    };
    let queue = classkit_jobs::RedisQueue::connect(redis.url())
        .await
        .expect("queue");
    let outline_job = loop {
        let jobs = classkit_jobs::Queue::list(&queue, &classkit_jobs::JobFilter::default())
            .await
            .expect("list");
        if let Some(job) = jobs.into_iter().find(|j| j.kind == "outline") {
            break job.id;
        }
        assert!(
            !importing.is_finished(),
            "the import ended before its job was queued"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    // Long enough for the first worker to be woken and to poll again.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let waiting = classkit_jobs::Queue::get(&queue, outline_job)
        .await
        .expect("job");
    assert_eq!(
        (waiting.state, waiting.attempts),
        (classkit_jobs::JobState::Queued, 0),
        "{waiting:?}"
    );
    let _with_model = start_worker(Some(&engines), "cache");
    let summary = importing.join().expect("import");
    assert_eq!(
        summary["title"],
        json!("Calls <b>that</b> close"),
        "{summary}"
    );
    // The stand-in puts each paragraph on a slide of its own.
    assert_eq!(summary["slides"], json!(3), "{summary}");
    let course = summary["course_id"].as_str().expect("course").to_string();
    let shown = classkit(&library, &["show", &course]);
    let notes: Vec<&str> = shown["lessons"][0]["slides"]
        .as_array()
        .expect("slides")
        .iter()
        .map(|s| s["speaker_notes"].as_str().unwrap_or(""))
        .collect();
    assert!(notes.iter().any(|n| n.contains("BATNA")), "{shown}");
    // Ann owns it on the team server; it is a team course of her library, and its cost is
    // on the team's ledger.
    let members = classkit(&library, &["members", &course]);
    assert_eq!(members[0]["email"], json!("ann@example.org"), "{members}");
    assert_eq!(members[0]["role"], json!("owner"), "{members}");
    let cost = classkit(&library, &["cost", "report", "--course", &course]);
    assert_eq!(cost["ledger"], json!("team"), "{cost}");
    assert!(cost["total_micros"].as_i64().expect("total") > 0, "{cost}");
    assert_eq!(cost["lines"][0]["kind"], json!("outline"), "{cost}");
    assert_eq!(provider.requests_to("/v1/chat/completions").len(), 1);
    assert!(
        builtin_only.running(),
        "the builtin-only worker keeps serving"
    );
}
