//! Team generation as an admin runs it, with the faults a team server sees: one PostgreSQL, one
//! Redis (append-only file on), two `classkit-server` processes, three `classkit-worker`
//! processes (each knowing only the Redis URL, a server's address and its token), and two
//! instructors' libraries. Ann dispatches the assembly of the example course through one
//! server; Ben, connected to the other, watches the jobs' events and edits the course while
//! the workers run. Meanwhile a worker is SIGKILLed, Ben's server is restarted and Redis is
//! restarted. At the end every job has succeeded, every result is stored once, Ben's edits
//! are intact, both libraries hold the results, and the team's ledger adds up to the jobs'
//! costs (drafts come from a paid engine: the OpenAI-compatible stand-in).

use classkit_jobs::{JobState, Queue, RedisQueue, StateCounts};
use classkit_sync::{Remote, StreamItem, TeamJobEvent, TeamToken};
use classkit_team_tests::{Server, admin, binary};
use classkit_testkit::openai::Reply;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Runs the CLI on a library; `Err` with its error output when it fails.
fn run(library: &Path, args: &[&str]) -> Result<Value, String> {
    let out = Command::new(binary("classkit"))
        .arg("--library")
        .arg(library)
        .arg("--json")
        .args(args)
        .output()
        .expect("classkit");
    if !out.status.success() {
        return Err(format!(
            "classkit {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(serde_json::from_slice(&out.stdout).unwrap_or(Value::Null))
}

fn ok(library: &Path, args: &[&str]) -> Value {
    run(library, args).unwrap_or_else(|e| panic!("{e}"))
}

/// As [`ok`], tried again for a while: the server it talks to may be restarting.
fn patiently(library: &Path, args: &[&str]) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match run(library, args) {
            Ok(v) => return v,
            Err(e) if Instant::now() < deadline => {
                eprintln!("again, after: {e}");
                std::thread::sleep(Duration::from_millis(500));
            }
            Err(e) => panic!("{e}"),
        }
    }
}

fn worker(redis: &str, server: &str, token_file: &Path, engines: &Path, cache: &Path) -> Child {
    Command::new(binary("classkit-worker"))
        .args(["--redis", redis, "--server", server, "--token-file"])
        .arg(token_file)
        .arg("--engines")
        .arg(engines)
        .arg("--cache")
        .arg(cache)
        .args(["--concurrency", "4", "--lease-secs", "5"])
        .env("CLASSKIT_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start classkit-worker")
}

/// The queue's counts, read on a fresh connection (Redis may be restarting: then `None`).
async fn counts(redis: &str) -> Option<StateCounts> {
    let queue = RedisQueue::connect_unwatched(redis, classkit_jobs::redis_queue::DEFAULT_PREFIX)
        .await
        .ok()?;
    tokio::time::timeout(Duration::from_secs(2), queue.counts())
        .await
        .ok()?
        .ok()
}

/// Waits until at least `share` of the jobs known so far have succeeded; returns the counts
/// then.
async fn until_done_share(redis: &str, share: f64) -> StateCounts {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(c) = counts(redis).await
            && c.total() > 0
            && c.succeeded as f64 >= share * c.total() as f64
        {
            return c;
        }
        assert!(Instant::now() < deadline, "the jobs do not progress");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Ben's view of the job events: every event his stream brought, and when.
#[derive(Default)]
struct Watched {
    events: Vec<(Instant, TeamJobEvent)>,
    connections: usize,
}

/// Follows the course's job events on `server` as `token`'s member, connecting again whenever
/// the stream ends (the server restarting), until `stop`.
fn watch(
    server: String,
    token: String,
    course: Uuid,
    stop: Arc<AtomicBool>,
) -> (Arc<Mutex<Watched>>, tokio::task::JoinHandle<()>) {
    let watched = Arc::new(Mutex::new(Watched::default()));
    let into = watched.clone();
    let task = tokio::spawn(async move {
        let remote = Remote::new(&server, TeamToken::new(&token)).expect("remote");
        while !stop.load(Ordering::Relaxed) {
            let Ok(mut stream) = remote.job_events(course).await else {
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            };
            into.lock().expect("lock").connections += 1;
            loop {
                let next = tokio::time::timeout(Duration::from_millis(500), stream.next()).await;
                match next {
                    Ok(Some(StreamItem::Job(e))) => {
                        into.lock().expect("lock").events.push((Instant::now(), e))
                    }
                    Ok(Some(StreamItem::Lagged)) => {}
                    Ok(None) => break,
                    Err(_) if stop.load(Ordering::Relaxed) => return,
                    Err(_) => {}
                }
            }
        }
    });
    (watched, task)
}

/// Every component of a course as `classkit show` lists it, by id.
fn components(shown: &Value) -> HashMap<String, Value> {
    let mut all = HashMap::new();
    for lesson in shown["lessons"].as_array().expect("lessons") {
        for slide in lesson["slides"].as_array().expect("slides") {
            for c in slide["components"].as_array().into_iter().flatten() {
                all.insert(c["id"].as_str().expect("id").to_string(), c.clone());
            }
        }
    }
    all
}

const AUDIO_TYPES: [&str; 3] = ["DICTATION", "SHADOWING", "PRONUNCIATION"];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_three_workers_and_restarts_lose_nothing_and_overwrite_no_edit() {
    let pg = classkit_testkit::Postgres::start().expect("postgres");
    let mut redis = classkit_testkit::Redis::start_durable().expect("redis");
    let redis_url = redis.url().to_string();
    // The paid text engine: each draft takes a while, so the faults fall inside the run.
    let provider = classkit_testkit::OpenAiStandIn::start(&["gpt-test"])
        .await
        .expect("stand-in");
    provider.otherwise(Reply::Slow(Duration::from_millis(900)));
    let dir = tempfile::tempdir().expect("tempdir");
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
    let engines_arg = engines.to_str().expect("path");

    // Two server processes over the same database, Redis and asset folder.
    let data = dir.path().join("data");
    let mut servers: Vec<Server> = (0..2)
        .map(|_| {
            let port = classkit_testkit::free_port().expect("port");
            Server::start_with(
                pg.url(),
                &redis_url,
                &data,
                port,
                &["--engines", engines_arg],
            )
        })
        .collect();

    let token_file = |name: &str, token: &str| -> PathBuf {
        let file = dir.path().join(format!("{name}.token"));
        std::fs::write(&file, token).expect("token file");
        file
    };
    for who in ["ann@example.org", "ben@example.org"] {
        admin(pg.url(), &["create-user", who]);
    }
    let ann_token = admin(pg.url(), &["create-token", "ann@example.org"]);
    let ben_token = admin(pg.url(), &["create-token", "ben@example.org"]);
    let ann_file = token_file("ann", &ann_token);
    let ben_file = token_file("ben", &ben_token);

    // Ann's course, shared through the first server; Ben, an editor, on the second.
    let ann = dir.path().join("ann");
    let ben = dir.path().join("ben");
    let lecture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/negotiating-by-phone.md");
    let course = ok(&ann, &["import", lecture.to_str().expect("path")])["course_id"]
        .as_str()
        .expect("course id")
        .to_string();
    let course_id: Uuid = course.parse().expect("uuid");
    let remote = |library: &Path, server: &Server, token: &Path| {
        ok(
            library,
            &[
                "remote",
                "set",
                &server.url,
                "--token-file",
                token.to_str().expect("path"),
            ],
        );
    };
    remote(&ann, &servers[0], &ann_file);
    ok(&ann, &["share", &course]);
    admin(
        pg.url(),
        &["add-member", &course, "ben@example.org", "--role", "editor"],
    );
    remote(&ben, &servers[1], &ben_file);
    ok(&ben, &["sync"]);

    // Three workers: two on the first server, one on the second; each its own cache, as on
    // hosts of their own.
    let mut workers: Vec<Child> = (0..3)
        .map(|i| {
            let name = format!("w{i}");
            let token = admin(pg.url(), &["create-token", "--worker", &name]);
            let file = token_file(&name, &token);
            let server = &servers[if i < 2 { 0 } else { 1 }];
            worker(
                &redis_url,
                &server.url,
                &file,
                &engines,
                &dir.path().join(format!("cache-{name}")),
            )
        })
        .collect();

    // Ben watches the course's jobs on the second server.
    let stop = Arc::new(AtomicBool::new(false));
    let (watched, watcher) = watch(
        servers[1].url.clone(),
        ben_token.clone(),
        course_id,
        stop.clone(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while watched.lock().expect("lock").connections == 0 {
        assert!(Instant::now() < deadline, "Ben cannot watch the jobs");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Ann assembles: dispatched through her server, followed until done, synced in.
    let assembling = {
        let ann = ann.clone();
        let course = course.clone();
        tokio::task::spawn_blocking(move || {
            ok(
                &ann,
                &[
                    "assemble",
                    &course,
                    "--only",
                    "slides,narration,drafts",
                    "--text-engine",
                    "cloud",
                ],
            )
        })
    };

    // Ben's own component, written while the workers draft: no draft may replace it.
    let shown = patiently(&ben, &["show", &course]);
    let last_lesson = shown["lessons"]
        .as_array()
        .and_then(|l| l.last())
        .expect("lessons")
        .clone();
    let ben_slide = last_lesson["slides"]
        .as_array()
        .and_then(|s| s.last())
        .expect("slides")["id"]
        .as_str()
        .expect("slide id")
        .to_string();
    let ben_payload = json!({"schema_version": 1, "cards": [
        {"id": "ben1", "term": "walk-away point", "definition": "Ben's own definition"}
    ]});
    let ben_payload_file = dir.path().join("ben-cards.json");
    std::fs::write(&ben_payload_file, ben_payload.to_string()).expect("payload");
    let ben_cards = ok(
        &ben,
        &[
            "component",
            "add",
            "--slide",
            &ben_slide,
            "--type",
            "FLASHCARDS",
            "--payload",
            ben_payload_file.to_str().expect("path"),
        ],
    )["component"]["id"]
        .as_str()
        .expect("component id")
        .to_string();
    patiently(&ben, &["sync", &course]);

    // The faults, each once a share of the jobs is done.
    let at_kill = until_done_share(&redis_url, 0.15).await;
    let killed = &mut workers[0];
    killed.kill().expect("SIGKILL a worker");
    let _ = killed.wait();

    // Ben edits a drafted component that still waits for its reference audio (or has it):
    // the audio job writes into the same component after his edit.
    let mut ben_edit: Option<(String, String)> = None;
    let deadline = Instant::now() + Duration::from_secs(60);
    while ben_edit.is_none() && Instant::now() < deadline {
        patiently(&ben, &["sync", &course]);
        let shown = patiently(&ben, &["show", &course]);
        if let Some(c) = components(&shown)
            .into_values()
            .find(|c| AUDIO_TYPES.contains(&c["component_type"].as_str().unwrap_or("")))
        {
            let id = c["id"].as_str().expect("id").to_string();
            let mut payload = ok(&ben, &["component", "show", &id])["component"]["payload"].clone();
            let title = "Ben's edit, made during the run".to_string();
            payload["instructions"] = json!(title);
            let file = dir.path().join("ben-edit.json");
            std::fs::write(&file, payload.to_string()).expect("payload");
            ok(
                &ben,
                &[
                    "component",
                    "update",
                    &id,
                    "--payload",
                    file.to_str().expect("path"),
                ],
            );
            patiently(&ben, &["sync", &course]);
            ben_edit = Some((id, title));
        } else {
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    let (edited, edited_title) = ben_edit.expect("a drafted component with audio reached Ben");

    let at_server_restart = until_done_share(&redis_url, 0.35).await;
    let server_restarted = Instant::now();
    servers[1].stop();
    tokio::time::sleep(Duration::from_millis(800)).await;
    servers[1].restart();

    let at_redis_restart = until_done_share(&redis_url, 0.55).await;
    let redis = tokio::task::spawn_blocking(move || {
        redis
            .restart(Duration::from_secs(1))
            .expect("restart Redis");
        redis
    })
    .await
    .expect("restart");
    // The faults fell inside the run: work was left each time.
    for c in [&at_kill, &at_server_restart, &at_redis_restart] {
        assert!(c.succeeded < c.total(), "a fault came after the run: {c:?}");
    }

    let report = tokio::time::timeout(Duration::from_secs(300), assembling)
        .await
        .expect("the assembly finishes")
        .expect("assemble");
    stop.store(true, Ordering::Relaxed);
    let _ = watcher.await;

    // Every job succeeded, the follow-ups (reference audio) too.
    let jobs: Vec<Uuid> = report["jobs"]
        .as_array()
        .expect("jobs")
        .iter()
        .map(|j| j.as_str().expect("id").parse().expect("uuid"))
        .collect();
    assert_eq!(report["failed"], json!([]), "{report}");
    assert_eq!(report["succeeded"], json!(jobs.len()), "{report}");
    assert!(
        report["follow_ups"].as_u64().expect("follow-ups") > 0,
        "{report}"
    );
    let queue = RedisQueue::connect(redis.url()).await.expect("queue");
    let mut costs = 0;
    let mut kinds: HashSet<String> = HashSet::new();
    for id in &jobs {
        let job = queue.get(*id).await.expect("job");
        assert_eq!(job.state, JobState::Succeeded, "{job:?}");
        assert_eq!(job.course_id, Some(course_id));
        assert_eq!(job.requested_by.as_deref(), Some("ann@example.org"));
        costs += job.actual_cost_micros.unwrap_or_default();
        kinds.insert(job.kind.clone());
    }
    for kind in [
        "slide_render",
        "narration",
        "draft_component",
        "reference_audio",
    ] {
        assert!(kinds.contains(kind), "no {kind} job in {kinds:?}");
    }
    let counts = queue.counts().await.expect("counts");
    assert_eq!(
        (
            counts.dead,
            counts.queued,
            counts.running,
            counts.retry_wait
        ),
        (0, 0, 0, 0),
        "{counts:?}"
    );

    // The ledger: what the jobs cost, each payment once.
    let pool = sqlx::PgPool::connect(pg.url()).await.expect("pool");
    let spent: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(micros), 0)::bigint FROM spending WHERE course_id = $1",
    )
    .bind(course_id)
    .fetch_one(&pool)
    .await
    .expect("ledger");
    assert!(spent > 0, "the paid engine's drafts cost nothing");
    assert_eq!(spent, costs, "the ledger against the jobs' costs");
    assert_eq!(report["cost_micros"], json!(costs), "{report}");
    // `classkit cost report` of a team course reads the team's ledger.
    let cost = ok(&ann, &["cost", "report", "--course", &course]);
    assert_eq!(cost["ledger"], "team", "{cost}");
    assert_eq!(cost["total_micros"], json!(spent), "{cost}");
    assert!(
        cost["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .any(|l| l["engine"] == "cloud" && l["kind"] == "draft_component"),
        "{cost}"
    );
    let paid_twice: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM spending WHERE course_id = $1 \
         GROUP BY job_id, attempt HAVING COUNT(*) > 1) AS twice",
    )
    .bind(course_id)
    .fetch_one(&pool)
    .await
    .expect("ledger");
    assert_eq!(paid_twice, 0, "a draft's attempt charged twice");

    // Each result stored once: one drafted component per slide and type (Ben's own cards
    // aside), one narration per narrated slide.
    let doubled: Vec<(Uuid, String, i64)> = sqlx::query_as(
        "SELECT slide_id, component_type, COUNT(*) FROM learning_components \
         WHERE course_id = $1 AND NOT deleted AND id <> $2 \
         GROUP BY slide_id, component_type HAVING COUNT(*) > 1",
    )
    .bind(course_id)
    .bind(ben_cards.parse::<Uuid>().expect("uuid"))
    .fetch_all(&pool)
    .await
    .expect("components");
    assert_eq!(doubled, vec![], "drafted twice");
    let narrations: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT target_id, COUNT(*) FROM generated WHERE course_id = $1 AND kind = 'narration' \
         GROUP BY target_id",
    )
    .bind(course_id)
    .fetch_all(&pool)
    .await
    .expect("generated");
    assert!(!narrations.is_empty());
    assert!(narrations.iter().all(|(_, n)| *n == 1), "{narrations:?}");

    // Both libraries hold the results, the same ones, and Ben's edits.
    patiently(&ben, &["sync", &course]);
    let in_ann = ok(&ann, &["show", &course]);
    let in_ben = ok(&ben, &["show", &course]);
    let (ann_components, ben_components) = (components(&in_ann), components(&in_ben));
    assert_eq!(
        ann_components.keys().collect::<HashSet<_>>(),
        ben_components.keys().collect::<HashSet<_>>()
    );
    for (id, c) in &ann_components {
        assert_eq!(c["payload"], ben_components[id]["payload"], "{id}");
    }
    assert_eq!(ann_components[&ben_cards]["payload"], ben_payload);
    assert_eq!(
        ann_components[&edited]["payload"]["instructions"],
        json!(edited_title),
        "Ben's edit was overwritten"
    );
    let mut narrated = 0;
    for lesson in in_ann["lessons"].as_array().expect("lessons") {
        for slide in lesson["slides"].as_array().expect("slides") {
            if slide["speaker_notes"]
                .as_str()
                .is_some_and(|n| !n.trim().is_empty())
            {
                assert!(slide["narration"].is_string(), "no narration on {slide}");
                narrated += 1;
            }
        }
    }
    assert_eq!(narrated, narrations.len());
    // Every drafted item to be spoken has its reference audio.
    for c in ann_components.values() {
        if !AUDIO_TYPES.contains(&c["component_type"].as_str().unwrap_or("")) {
            continue;
        }
        for list in ["sentences", "items"] {
            for item in c["payload"][list].as_array().into_iter().flatten() {
                assert!(item["audio"].is_string(), "no reference audio: {c}");
            }
        }
    }

    // Ben saw the jobs live on his server, before and after it restarted, only this
    // course's, each naming who dispatched it.
    let watched = watched.lock().expect("lock");
    assert!(watched.connections >= 2, "Ben's stream did not come back");
    let seen: HashSet<Uuid> = watched
        .events
        .iter()
        .filter(|(_, e)| e.state == "succeeded")
        .map(|(_, e)| e.job_id)
        .collect();
    assert!(
        watched.events.iter().any(|(at, _)| *at < server_restarted)
            && watched.events.iter().any(|(at, _)| *at > server_restarted),
        "no events on one side of the restart"
    );
    for (_, e) in &watched.events {
        assert_eq!(e.course_id, Some(course_id));
        assert_eq!(e.requested_by.as_deref(), Some("ann@example.org"));
    }
    assert!(
        seen.len() * 2 >= jobs.len(),
        "Ben saw {} of {} jobs finish",
        seen.len(),
        jobs.len()
    );

    for w in &mut workers {
        let _ = w.kill();
        let _ = w.wait();
    }
}
