//! A fleet of real `classkit-worker` processes on a real Redis: workers killed with SIGKILL
//! and Redis restarted mid-run lose no job.

use classkit_jobs::{JobFilter, JobSpec, JobState, Queue, RedisQueue};
use classkit_testkit::Redis;
use serde_json::json;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn spawn_worker(url: &str, prefix: &str, concurrency: usize) -> Child {
    Command::new(env!("CARGO_BIN_EXE_classkit-worker"))
        .args([
            "--redis",
            url,
            "--prefix",
            prefix,
            "--lease-secs",
            "2",
            "--shutdown-grace-secs",
            "1",
        ])
        .args(["--concurrency", &concurrency.to_string()])
        .env("CLASSKIT_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start classkit-worker")
}

/// Counts how often each job was handed to a worker, from the queue's events.
fn count_deliveries(q: &RedisQueue) -> Arc<Mutex<HashMap<uuid::Uuid, u32>>> {
    let runs = Arc::new(Mutex::new(HashMap::new()));
    let mut events = q.subscribe();
    let sink = runs.clone();
    tokio::spawn(async move {
        while let Ok(e) = events.recv().await {
            if e.state == JobState::Running && e.progress == 0 {
                *sink.lock().expect("lock").entry(e.job_id).or_insert(0) += 1;
            }
        }
    });
    runs
}

async fn wait_all_succeeded(q: &RedisQueue, total: u64, limit: Duration) -> u64 {
    let deadline = Instant::now() + limit;
    loop {
        let done = q.counts().await.map(|c| c.succeeded).unwrap_or(0);
        if done >= total || Instant::now() > deadline {
            return done;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn check_results(q: &RedisQueue, total: usize) {
    let jobs = q
        .list(&JobFilter {
            limit: Some(total + 100),
            ..JobFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(
        jobs.len(),
        total,
        "every job is there, none lost, none doubled"
    );
    let mut ids = std::collections::HashSet::new();
    for job in &jobs {
        assert_eq!(
            job.state,
            JobState::Succeeded,
            "job {} is {}",
            job.id,
            job.state
        );
        assert!(job.result.is_some(), "job {} has its result", job.id);
        assert!(ids.insert(job.id));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_workers_every_second_loses_no_job() {
    const JOBS: usize = 2000;
    let redis = Redis::start().expect("Redis");
    let prefix = format!("crash:{}", uuid::Uuid::now_v7());
    let q = RedisQueue::connect_with_prefix(redis.url(), &prefix)
        .await
        .expect("connect");
    let runs = count_deliveries(&q);
    for n in 0..JOBS {
        q.enqueue(
            JobSpec::new("diagnostic", json!({"sleep_ms": 20})).dedup_key(format!("job-{n}")),
        )
        .await
        .expect("enqueue");
    }
    let mut workers: Vec<Child> = (0..3)
        .map(|_| spawn_worker(redis.url(), &prefix, 2))
        .collect();
    let started = Instant::now();
    let mut kills = 0;
    let mut seed = 0x2545_f491_u64;
    while q.counts().await.expect("counts").succeeded < JOBS as u64
        && started.elapsed() < Duration::from_secs(240)
    {
        tokio::time::sleep(Duration::from_secs(1)).await;
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let victim = (seed % workers.len() as u64) as usize;
        let mut dead = workers.swap_remove(victim);
        dead.kill().expect("SIGKILL a worker");
        dead.wait().expect("reap");
        kills += 1;
        workers.push(spawn_worker(redis.url(), &prefix, 2));
    }
    let done = wait_all_succeeded(&q, JOBS as u64, Duration::from_secs(60)).await;
    for mut w in workers {
        let _ = w.kill();
        let _ = w.wait();
    }
    assert_eq!(done, JOBS as u64, "every job succeeded");
    check_results(&q, JOBS).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let runs = runs.lock().expect("lock");
    let duplicates: u32 = runs.values().map(|n| n.saturating_sub(1)).sum();
    let redelivered = runs.values().filter(|n| **n > 1).count();
    println!(
        "fleet crash test: {JOBS} jobs, {kills} workers killed with SIGKILL, {} s; \
         {redelivered} jobs delivered more than once ({duplicates} extra deliveries, at least once); \
         every job's result stored once",
        started.elapsed().as_secs()
    );
    assert!(kills >= 3, "the run lasted long enough to kill workers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarting_redis_loses_no_accepted_job() {
    const BEFORE: usize = 600;
    const AFTER: usize = 200;
    let mut redis = Redis::start_durable().expect("Redis with AOF");
    let prefix = format!("restart:{}", uuid::Uuid::now_v7());
    let url = redis.url().to_string();
    let q = RedisQueue::connect_with_prefix(&url, &prefix)
        .await
        .expect("connect");
    assert!(q.durability_warnings().await.expect("settings").is_empty());
    for _ in 0..BEFORE {
        q.enqueue(JobSpec::new("diagnostic", json!({"sleep_ms": 20})))
            .await
            .expect("enqueue");
    }
    let mut workers: Vec<Child> = (0..2).map(|_| spawn_worker(&url, &prefix, 4)).collect();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let before_restart = q.counts().await.expect("counts");
    assert!(
        before_restart.succeeded > 0 && before_restart.succeeded < BEFORE as u64,
        "{before_restart:?}"
    );
    let restart = tokio::task::spawn_blocking(move || {
        redis
            .restart(Duration::from_secs(2))
            .expect("restart Redis");
        redis
    });
    let redis = restart.await.expect("restart");
    // Accepted after the restart too: the same client reconnects by itself.
    let mut enqueued_after = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    while enqueued_after < AFTER && Instant::now() < deadline {
        match q
            .enqueue(JobSpec::new("diagnostic", json!({"sleep_ms": 5})))
            .await
        {
            Ok(_) => enqueued_after += 1,
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    assert_eq!(enqueued_after, AFTER);
    let total = (BEFORE + AFTER) as u64;
    let done = wait_all_succeeded(&q, total, Duration::from_secs(120)).await;
    for mut w in workers.drain(..) {
        let _ = w.kill();
        let _ = w.wait();
    }
    assert_eq!(
        done, total,
        "workers resumed by themselves and ran every job"
    );
    check_results(&q, total as usize).await;
    println!(
        "Redis restart test: {} of {BEFORE} done before a 2 s restart; all {total} succeeded after it",
        before_restart.succeeded
    );
    drop(redis);
}
