//! The team server's dispatch endpoint under load while the workers are busy: a
//! `classkit-server` process over throwaway PostgreSQL and Redis, a `classkit-worker` with
//! four slots kept busy by one-second jobs, and an open-loop load generator of its own (a
//! Rust client here, reqwest with keep-alive connections) sending `POST /assemble` requests at
//! a fixed rate; each request plans one slide's narration and queues a new job. Prints
//! `name: value unit` lines.
//!
//!   dispatch-bench [--rate 400] [--seconds 15] [--warm-up 3]
//!
//! Needs the release binaries `classkit-server` and `classkit-worker` beside it
//! (`cargo build --release -p classkit-server -p classkit-worker`; `scripts/bench` does).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use classkit_jobs::{JobSpec, Queue, RedisQueue};
use classkit_team_tests::{Server, admin, binary};
use serde_json::json;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Sends `rate` requests a second for `seconds`, open loop (each request goes at its time,
/// whether or not earlier ones answered); returns the sorted latencies, the number of
/// requests not answered 202 Accepted, and the time the sending took.
async fn load(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    slides: &[uuid::Uuid],
    rate: u64,
    seconds: u64,
) -> anyhow::Result<(Vec<Duration>, usize, Duration)> {
    let total = rate * seconds;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let start = tokio::time::Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        tokio::time::sleep_until(start + interval * i as u32).await;
        let (http, url, token) = (http.clone(), url.to_string(), token.to_string());
        let body = json!({"scope": {"kind": "slide", "id": slides[i as usize % slides.len()]},
                          "parts": ["narration"], "no_cache": true});
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let ok = matches!(
                http.post(&url).bearer_auth(&token).json(&body).send().await,
                Ok(r) if r.status() == reqwest::StatusCode::ACCEPTED
            );
            (t.elapsed(), ok)
        }));
    }
    let sent_in = start.elapsed();
    let mut latencies = Vec::with_capacity(tasks.len());
    let mut errors = 0;
    for t in tasks {
        let (took, ok) = t.await?;
        latencies.push(took);
        if !ok {
            errors += 1;
        }
    }
    latencies.sort();
    Ok((latencies, errors, sent_in))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rate = arg("--rate", 400).max(1);
    let seconds = arg("--seconds", 15).max(1);
    let warm_up = arg("--warm-up", 3);
    let pg = classkit_testkit::Postgres::start()?;
    let redis = classkit_testkit::Redis::start()?;
    let dir = tempfile::tempdir()?;
    let port = classkit_testkit::free_port()?;
    let server = Server::start(pg.url(), redis.url(), &dir.path().join("data"), port);
    admin(pg.url(), &["create-user", "ann@example.org"]);
    let token = admin(pg.url(), &["create-token", "ann@example.org"]);

    // A course of ten narrated slides.
    let http = reqwest::Client::new();
    let course = uuid::Uuid::now_v7();
    let created = http
        .post(format!("{}/api/v1/courses", server.url))
        .bearer_auth(&token)
        .json(&json!({"id": course, "fields": {"title": "Calls"}}))
        .send()
        .await?;
    anyhow::ensure!(
        created.status().is_success(),
        "sharing: {}",
        created.status()
    );
    let lesson = uuid::Uuid::now_v7();
    let mut mutations = vec![json!({
        "mutation_id": uuid::Uuid::now_v7(), "kind": "lesson", "entity_id": lesson,
        "state": {"kind": "lesson", "fields": {"course_id": course, "order_key": "a0", "title": "One"}},
        "made_at": chrono::Utc::now(),
    })];
    let mut slides = Vec::new();
    for i in 0..10 {
        let id = uuid::Uuid::now_v7();
        slides.push(id);
        mutations.push(json!({
            "mutation_id": uuid::Uuid::now_v7(), "kind": "slide", "entity_id": id,
            "state": {"kind": "slide", "fields": {
                "lesson_id": lesson, "order_key": format!("a{i}"), "title": format!("Slide {i}"),
                "body": "- Say who you are", "layout": "bullets", "image": null, "narration": null,
                "speaker_notes": "A BATNA is your best alternative to a negotiated agreement."}},
            "made_at": chrono::Utc::now(),
        }));
    }
    let pushed = http
        .post(format!("{}/api/v1/courses/{course}/push", server.url))
        .bearer_auth(&token)
        .json(&json!({ "mutations": mutations }))
        .send()
        .await?;
    anyhow::ensure!(pushed.status().is_success(), "push: {}", pushed.status());

    // Four worker slots kept busy by one-second jobs for the whole run.
    let queue =
        RedisQueue::connect_unwatched(redis.url(), classkit_jobs::redis_queue::DEFAULT_PREFIX)
            .await?;
    for _ in 0..((warm_up + seconds) * 4 + 40) {
        queue
            .enqueue(JobSpec::new("diagnostic", json!({"sleep_ms": 1000})))
            .await?;
    }
    let mut worker = Command::new(binary("classkit-worker"))
        .args([
            "--redis",
            redis.url(),
            "--kinds",
            "diagnostic",
            "--concurrency",
            "4",
        ])
        .env("CLASSKIT_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let busy = queue.counts().await?.running;

    let url = format!("{}/api/v1/courses/{course}/assemble", server.url);
    // Warm up at the same rate first (the server's pool of database connections grows to
    // what the load needs, as on a server that has been serving), then measure.
    load(&http, &url, &token, &slides, rate, warm_up).await?;
    let (latencies, errors, sent_in) = load(&http, &url, &token, &slides, rate, seconds).await?;
    let total = latencies.len();
    let busy_after = queue.counts().await?.running;
    let _ = worker.kill();
    let _ = worker.wait();
    drop(server);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "# load generator: an open-loop Rust client (reqwest, keep-alive), {rate} requests/s for {seconds} s after {warm_up} s of warm-up at that rate; one classkit-worker with 4 slots busy on 1 s jobs ({busy} running at the start, {busy_after} at the end); {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "dispatch.rate: {:.0} requests/s",
        total as f64 / sent_in.as_secs_f64()
    );
    println!("dispatch.p50: {:.2} ms", ms(percentile(&latencies, 0.50)));
    println!("dispatch.p99: {:.2} ms", ms(percentile(&latencies, 0.99)));
    println!(
        "dispatch.max: {:.2} ms",
        ms(*latencies.last().unwrap_or(&Duration::ZERO))
    );
    println!("dispatch.errors: {errors} requests");
    Ok(())
}
