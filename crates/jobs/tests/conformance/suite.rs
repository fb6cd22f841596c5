//! The behaviour every `Queue` backend must have. Each function is one test, run against
//! each backend by `conformance.rs`.

use classkit_jobs::{
    EngineLimits, JobError, JobFilter, JobSpec, JobState, Queue, QueueError, RetryPolicy,
};
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The retry policy the suite's queues use: 50 ms doubling, no jitter, so the schedule shows.
pub fn test_policy() -> RetryPolicy {
    RetryPolicy {
        base: Duration::from_millis(50),
        cap: Duration::from_secs(10),
        jitter: classkit_jobs::Jitter::None,
        max_retries: 5,
        max_retry_after: Duration::from_secs(60),
    }
}

const LEASE: Duration = Duration::from_secs(30);

fn kinds(k: &[&str]) -> Vec<String> {
    k.iter().map(|s| s.to_string()).collect()
}

fn spec(n: u32) -> JobSpec {
    JobSpec::new("diagnostic", json!({"n": n}))
}

pub async fn enqueue_then_dequeue(q: &dyn Queue) {
    let target = uuid::Uuid::now_v7();
    let e = q.enqueue(spec(1).target(target)).await.expect("enqueue");
    assert!(e.created);
    assert_eq!(
        (e.job.state, e.job.attempts, e.job.max_attempts),
        (JobState::Queued, 0, 6)
    );
    let leases = q
        .dequeue("w1", &kinds(&["diagnostic"]), LEASE, 10)
        .await
        .expect("dequeue");
    assert_eq!(leases.len(), 1);
    let job = &leases[0].job;
    assert_eq!(
        (job.id, job.state, job.attempts),
        (e.job.id, JobState::Running, 1)
    );
    assert_eq!(job.input, json!({"n": 1}));
    assert_eq!(job.target, Some(target));
    assert_eq!(job.worker_id.as_deref(), Some("w1"));
    assert!(job.lease_until.is_some());
    // What the worker is handed is what the queue holds (a backend may build it from its
    // own knowledge of the change rather than read it back).
    assert_eq!(&q.get(e.job.id).await.expect("get"), job);
    assert!(
        q.dequeue("w2", &kinds(&["diagnostic"]), LEASE, 10)
            .await
            .expect("dequeue")
            .is_empty()
    );
    let done = q
        .complete(&leases[0], json!({"ok": true}), Some(1200))
        .await
        .expect("complete");
    assert_eq!(done.state, JobState::Succeeded);
    assert_eq!(done.result, Some(json!({"ok": true})));
    assert_eq!(done.actual_cost_micros, Some(1200));
    assert_eq!(done.progress, 100);
    assert_eq!(q.get(e.job.id).await.expect("get"), done);
    // Only the kinds asked for are handed out; bad specs are refused.
    q.enqueue(JobSpec::new("narration", json!({})))
        .await
        .expect("enqueue");
    assert!(
        q.dequeue("w1", &kinds(&["diagnostic"]), LEASE, 10)
            .await
            .expect("dequeue")
            .is_empty()
    );
    let err = q
        .enqueue(JobSpec::new("Bad Kind!", json!({})))
        .await
        .expect_err("bad kind");
    assert_eq!(err.code(), "invalid_job");
}

pub async fn priorities_then_age(q: &dyn Queue) {
    let low = q.enqueue(spec(1).priority(-10)).await.expect("e").job.id;
    let first_normal = q.enqueue(spec(2)).await.expect("e").job.id;
    let high = q.enqueue(spec(3).priority(50)).await.expect("e").job.id;
    let second_normal = q.enqueue(spec(4)).await.expect("e").job.id;
    let mut order = Vec::new();
    for _ in 0..4 {
        let l = q
            .dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
            .await
            .expect("dequeue");
        order.push(l[0].job.id);
    }
    assert_eq!(order, [high, first_normal, second_normal, low]);
}

pub async fn retry_waits_its_delay_without_a_worker(q: &dyn Queue) {
    let id = q.enqueue(spec(1)).await.expect("e").job.id;
    let l = q
        .dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
        .await
        .expect("d");
    let failed = q
        .fail(&l[0], JobError::retryable("connection reset"))
        .await
        .expect("fail");
    assert_eq!(failed.state, JobState::RetryWait);
    assert_eq!(
        failed.last_error.as_ref().map(|e| e.message.as_str()),
        Some("connection reset")
    );
    let run_at = failed.run_at.expect("run_at");
    assert!(
        q.dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
            .await
            .expect("d")
            .is_empty()
    );
    let counts = q.counts().await.expect("counts");
    assert_eq!(
        (counts.retry_wait, counts.running),
        (1, 0),
        "waiting holds no worker"
    );
    let wait = (run_at - chrono::Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(30)).await;
    let again = q
        .dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
        .await
        .expect("d");
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].job.id, again[0].job.attempts), (id, 2));
}

/// The actual schedule of delays, measured as `run_at − the moment of failure`.
pub async fn backoff_schedule_then_dead(q: &dyn Queue) {
    let id = q.enqueue(spec(1).max_attempts(4)).await.expect("e").job.id;
    let mut delays = Vec::new();
    loop {
        let leases = loop {
            let l = q
                .dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
                .await
                .expect("d");
            if !l.is_empty() {
                break l;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        let before = chrono::Utc::now();
        let job = q
            .fail(&leases[0], JobError::from_http_status(503, "busy", None))
            .await
            .expect("fail");
        match job.state {
            JobState::RetryWait => {
                let delay = (job.run_at.expect("run_at") - before).num_milliseconds();
                delays.push(delay);
            }
            JobState::Dead => {
                assert_eq!(job.attempts, 4);
                break;
            }
            other => panic!("unexpected state {other}"),
        }
    }
    println!("backoff schedule (base 50 ms, no jitter): {delays:?} ms");
    // 50, 100, 200 ms; clocks may differ by a few ms between client and backend.
    for (got, want) in delays.iter().zip([50i64, 100, 200]) {
        assert!((got - want).abs() <= 25, "schedule {delays:?}");
    }
    assert_eq!(delays.len(), 3);
    assert_eq!(q.get(id).await.expect("get").state, JobState::Dead);
}

pub async fn retry_after_is_honoured(q: &dyn Queue) {
    q.enqueue(spec(1)).await.expect("e");
    let l = q
        .dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
        .await
        .expect("d");
    let before = chrono::Utc::now();
    let error = JobError::from_http_status(429, "rate limited", Some(700));
    let job = q.fail(&l[0], error).await.expect("fail");
    let delay = (job.run_at.expect("run_at") - before).num_milliseconds();
    assert!(
        (690..=760).contains(&delay),
        "Retry-After 700 ms gave {delay} ms"
    );
}

pub async fn lease_expiry_redelivers(q: &dyn Queue) {
    let id = q.enqueue(spec(1)).await.expect("e").job.id;
    let first = q
        .dequeue(
            "dies",
            &kinds(&["diagnostic"]),
            Duration::from_millis(100),
            1,
        )
        .await
        .expect("d");
    assert_eq!(first.len(), 1);
    assert!(
        q.dequeue("w2", &kinds(&["diagnostic"]), LEASE, 1)
            .await
            .expect("d")
            .is_empty()
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = q
        .dequeue("w2", &kinds(&["diagnostic"]), LEASE, 1)
        .await
        .expect("d");
    assert_eq!(second.len(), 1, "redelivered after the lease");
    assert_eq!(
        (second[0].job.id, second[0].job.attempts),
        (id, 2),
        "the attempt count survived"
    );
    // The first worker, back from the dead, can no longer change the job.
    let err = q
        .complete(&first[0], json!({}), None)
        .await
        .expect_err("stale");
    assert!(matches!(err, QueueError::LeaseLost(_)));
    assert!(q.heartbeat(&first[0], LEASE).await.is_err());
    q.complete(&second[0], json!({}), None)
        .await
        .expect("the holder completes");
}

pub async fn lease_expiry_on_the_last_attempt_is_dead(q: &dyn Queue) {
    let id = q.enqueue(spec(1).max_attempts(1)).await.expect("e").job.id;
    q.dequeue(
        "dies",
        &kinds(&["diagnostic"]),
        Duration::from_millis(50),
        1,
    )
    .await
    .expect("d");
    tokio::time::sleep(Duration::from_millis(120)).await;
    assert!(
        q.dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
            .await
            .expect("d")
            .is_empty()
    );
    let job = q.get(id).await.expect("get");
    assert_eq!(job.state, JobState::Dead);
    assert!(
        job.last_error
            .expect("error")
            .message
            .contains("lease expired")
    );
}

pub async fn heartbeat_keeps_the_lease(q: &dyn Queue) {
    q.enqueue(spec(1)).await.expect("e");
    let lease = Duration::from_millis(150);
    let l = q
        .dequeue("w1", &kinds(&["diagnostic"]), lease, 1)
        .await
        .expect("d");
    for _ in 0..8 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        q.heartbeat(&l[0], lease).await.expect("heartbeat");
        assert!(
            q.dequeue("w2", &kinds(&["diagnostic"]), LEASE, 1)
                .await
                .expect("d")
                .is_empty()
        );
    }
    q.complete(&l[0], json!({}), None)
        .await
        .expect("still ours");
}

pub async fn cancel_queued_and_running(q: &dyn Queue) {
    let queued = q.enqueue(spec(1)).await.expect("e").job.id;
    let c = q.cancel(queued).await.expect("cancel");
    assert_eq!(c.state, JobState::Cancelled);
    assert!(
        q.dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
            .await
            .expect("d")
            .is_empty()
    );

    let running = q.enqueue(spec(2)).await.expect("e").job.id;
    let l = q
        .dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
        .await
        .expect("d");
    q.cancel(running).await.expect("cancel running");
    assert!(
        matches!(
            q.heartbeat(&l[0], LEASE).await,
            Err(QueueError::LeaseLost(_))
        ),
        "the worker learns"
    );
    assert!(matches!(
        q.complete(&l[0], json!({}), None).await,
        Err(QueueError::LeaseLost(_))
    ));
    assert_eq!(
        q.get(running).await.expect("get").state,
        JobState::Cancelled
    );
    let err = q.cancel(running).await.expect_err("already cancelled");
    assert_eq!(err.code(), "wrong_state");
    assert_eq!(
        q.cancel(uuid::Uuid::now_v7())
            .await
            .expect_err("none")
            .code(),
        "not_found"
    );
}

pub async fn dead_letter_and_manual_retry(q: &dyn Queue) {
    let id = q.enqueue(spec(1)).await.expect("e").job.id;
    let l = q
        .dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
        .await
        .expect("d");
    let dead = q
        .fail(
            &l[0],
            JobError::from_http_status(400, "unknown voice 'x'", None),
        )
        .await
        .expect("fail");
    assert_eq!(
        (dead.state, dead.attempts),
        (JobState::Dead, 1),
        "permanent: no retry"
    );
    let listed = q
        .list(&JobFilter {
            state: Some(JobState::Dead),
            ..JobFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(listed.iter().map(|j| j.id).collect::<Vec<_>>(), [id]);
    let err = q.retry(uuid::Uuid::now_v7()).await.expect_err("none");
    assert_eq!(err.code(), "not_found");
    let again = q.retry(id).await.expect("retry by hand");
    assert_eq!((again.state, again.attempts), (JobState::Queued, 0));
    assert_eq!(q.retry(id).await.expect_err("queued").code(), "wrong_state");
    let l = q
        .dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
        .await
        .expect("d");
    assert_eq!(l[0].job.id, id);
    q.complete(&l[0], json!({}), None).await.expect("done");
}

pub async fn dedup_key_returns_the_first_job(q: &dyn Queue) {
    let first = q
        .enqueue(spec(1).dedup_key("narration:slide-1:v1"))
        .await
        .expect("e");
    let second = q
        .enqueue(spec(2).dedup_key("narration:slide-1:v1"))
        .await
        .expect("e");
    assert!(first.created && !second.created);
    assert_eq!(second.job.id, first.job.id);
    assert_eq!(second.job.input, json!({"n": 1}));
    // Still the same once it succeeded (the result is there: nothing is paid for twice).
    let l = q
        .dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
        .await
        .expect("d");
    q.complete(&l[0], json!({"audio": "abc"}), None)
        .await
        .expect("done");
    let third = q
        .enqueue(spec(3).dedup_key("narration:slide-1:v1"))
        .await
        .expect("e");
    assert_eq!((third.job.id, third.created), (first.job.id, false));
    // A cancelled job frees its key.
    let a = q.enqueue(spec(4).dedup_key("k2")).await.expect("e").job.id;
    q.cancel(a).await.expect("cancel");
    let b = q.enqueue(spec(5).dedup_key("k2")).await.expect("e");
    assert!(b.created);
    assert_ne!(b.job.id, a);
    // The cancelled one cannot come back while another holds the key.
    assert_eq!(
        q.retry(a).await.expect_err("key taken").code(),
        "invalid_job"
    );
}

pub async fn progress_is_recorded_and_published(q: &dyn Queue) {
    let mut events = q.subscribe();
    let id = q.enqueue(spec(1)).await.expect("e").job.id;
    let l = q
        .dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
        .await
        .expect("d");
    q.progress(&l[0], 40, "synthesizing sentence 2 of 5")
        .await
        .expect("progress");
    let job = q.get(id).await.expect("get");
    assert_eq!(
        (job.progress, job.progress_message.as_str()),
        (40, "synthesizing sentence 2 of 5")
    );
    q.complete(&l[0], json!({}), None).await.expect("done");
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while seen.last().map(|(s, _)| *s) != Some(JobState::Succeeded) && Instant::now() < deadline {
        if let Ok(Ok(e)) = tokio::time::timeout(Duration::from_millis(200), events.recv()).await
            && e.job_id == id
        {
            seen.push((e.state, e.progress));
        }
    }
    assert_eq!(
        seen,
        [
            (JobState::Queued, 0),
            (JobState::Running, 0),
            (JobState::Running, 40),
            (JobState::Succeeded, 100)
        ]
    );
}

pub async fn listing_by_state_target_and_kind(q: &dyn Queue) {
    let slide = uuid::Uuid::now_v7();
    let a = q.enqueue(spec(1).target(slide)).await.expect("e").job.id;
    let b = q
        .enqueue(JobSpec::new("narration", json!({})).target(slide))
        .await
        .expect("e")
        .job
        .id;
    let c = q.enqueue(spec(3)).await.expect("e").job.id;
    let by_target = q
        .list(&JobFilter {
            target: Some(slide),
            ..JobFilter::default()
        })
        .await
        .expect("l");
    assert_eq!(
        by_target.iter().map(|j| j.id).collect::<Vec<_>>(),
        [b, a],
        "newest first"
    );
    let by_kind = q
        .list(&JobFilter {
            kind: Some("diagnostic".into()),
            ..JobFilter::default()
        })
        .await
        .expect("l");
    assert_eq!(by_kind.iter().map(|j| j.id).collect::<Vec<_>>(), [c, a]);
    let l = q
        .dequeue("w", &kinds(&["narration"]), LEASE, 1)
        .await
        .expect("d");
    let running = q
        .list(&JobFilter {
            state: Some(JobState::Running),
            ..JobFilter::default()
        })
        .await
        .expect("l");
    assert_eq!(
        running.iter().map(|j| j.id).collect::<Vec<_>>(),
        [l[0].job.id]
    );
    let limited = q
        .list(&JobFilter {
            limit: Some(2),
            ..JobFilter::default()
        })
        .await
        .expect("l");
    assert_eq!(limited.len(), 2);
    let counts = q.counts().await.expect("counts");
    assert_eq!((counts.queued, counts.running), (2, 1));
}

pub async fn release_gives_the_job_back(q: &dyn Queue) {
    let id = q.enqueue(spec(1)).await.expect("e").job.id;
    let l = q
        .dequeue("stopping", &kinds(&["diagnostic"]), LEASE, 1)
        .await
        .expect("d");
    let released = q.release(&l[0]).await.expect("release");
    assert_eq!(
        (released.state, released.attempts),
        (JobState::Queued, 0),
        "the attempt does not count"
    );
    let l = q
        .dequeue("w", &kinds(&["diagnostic"]), LEASE, 1)
        .await
        .expect("d");
    assert_eq!((l[0].job.id, l[0].job.attempts), (id, 1));
}

pub async fn engine_limits_hold_across_workers(q: &dyn Queue) {
    q.set_engine_limits(
        "paid-tts",
        EngineLimits {
            max_concurrency: Some(2),
            max_starts_per_second: None,
        },
    )
    .await
    .expect("limits");
    for n in 0..5 {
        q.enqueue(spec(n).engine("paid-tts")).await.expect("e");
    }
    q.enqueue(spec(9).engine("espeak")).await.expect("e");
    let a = q
        .dequeue("w1", &kinds(&["diagnostic"]), LEASE, 10)
        .await
        .expect("d");
    let b = q
        .dequeue("w2", &kinds(&["diagnostic"]), LEASE, 10)
        .await
        .expect("d");
    let paid = |ls: &[classkit_jobs::Lease]| {
        ls.iter()
            .filter(|l| l.job.engine.as_deref() == Some("paid-tts"))
            .count()
    };
    assert_eq!(paid(&a) + paid(&b), 2, "two at once, whichever worker asks");
    assert_eq!(a.len() + b.len(), 3, "other engines are not held back");
    q.complete(&a[0], json!({}), None).await.expect("done");
    let c = q
        .dequeue("w3", &kinds(&["diagnostic"]), LEASE, 10)
        .await
        .expect("d");
    assert_eq!(
        paid(&c),
        usize::from(a[0].job.engine.as_deref() == Some("paid-tts"))
    );

    q.set_engine_limits(
        "slow-api",
        EngineLimits {
            max_concurrency: None,
            max_starts_per_second: Some(3),
        },
    )
    .await
    .expect("limits");
    for n in 0..7 {
        q.enqueue(JobSpec::new("narration", json!({"n": n})).engine("slow-api"))
            .await
            .expect("e");
    }
    let first = q
        .dequeue("w", &kinds(&["narration"]), LEASE, 10)
        .await
        .expect("d");
    assert_eq!(first.len(), 3, "three starts per second");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = q
        .dequeue("w", &kinds(&["narration"]), LEASE, 10)
        .await
        .expect("d");
    assert_eq!(second.len(), 3);
}

/// Many consumers at once: every job is delivered to exactly one of them while leases hold.
pub async fn many_consumers_share_the_work(q: Arc<dyn Queue>) {
    const JOBS: u32 = 300;
    for n in 0..JOBS {
        q.enqueue(spec(n)).await.expect("e");
    }
    let mut tasks = Vec::new();
    for w in 0..8 {
        let q = q.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let leases = q
                    .dequeue(&format!("w{w}"), &kinds(&["diagnostic"]), LEASE, 4)
                    .await
                    .expect("dequeue");
                if leases.is_empty() {
                    break;
                }
                for l in leases {
                    q.complete(&l, json!({"by": w}), None)
                        .await
                        .expect("complete");
                    mine.push(l.job.id);
                }
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("consumer"));
    }
    let unique: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), JOBS as usize, "no job delivered twice");
    assert_eq!(unique.len(), JOBS as usize);
    assert_eq!(q.counts().await.expect("counts").succeeded, u64::from(JOBS));
}

/// Concurrent enqueues and completions (which the backends group into shared round trips)
/// each get their own answer: one job per dedup key however the calls were grouped, one
/// event per change, and a lost lease reported only to its own caller.
pub async fn concurrent_calls_get_their_own_answers(q: Arc<dyn Queue>) {
    const CALLS: u32 = 200;
    const KEYS: u32 = 20;
    let mut events = q.subscribe();
    let mut tasks = Vec::new();
    for n in 0..CALLS {
        let q = q.clone();
        tasks.push(tokio::spawn(async move {
            let spec = match n % 2 {
                0 => spec(n).dedup_key(format!("key-{}", (n / 2) % KEYS)),
                _ => spec(n),
            };
            (n, q.enqueue(spec).await.expect("enqueue"))
        }));
    }
    let mut by_key: std::collections::HashMap<String, Vec<(uuid::Uuid, bool)>> = Default::default();
    let mut plain = HashSet::new();
    for t in tasks {
        let (n, e) = t.await.expect("task");
        match n % 2 {
            0 => by_key
                .entry(format!("key-{}", (n / 2) % KEYS))
                .or_default()
                .push((e.job.id, e.created)),
            _ => {
                assert!(e.created);
                assert_eq!(e.job.input, json!({"n": n}), "each call gets its own job");
                plain.insert(e.job.id);
            }
        }
    }
    assert_eq!(plain.len(), (CALLS / 2) as usize);
    assert_eq!(by_key.len(), KEYS as usize);
    for (key, calls) in &by_key {
        assert_eq!(
            calls.iter().filter(|c| c.1).count(),
            1,
            "{key} created once"
        );
        assert!(
            calls.iter().all(|c| c.0 == calls[0].0),
            "{key}: one job for all"
        );
    }
    let created = (CALLS / 2 + KEYS) as usize;
    assert_eq!(q.counts().await.expect("counts").queued, created as u64);

    // Complete them all at once; one lease is cancelled first and only its caller hears.
    let leases = q
        .dequeue("w", &kinds(&["diagnostic"]), LEASE, created)
        .await
        .expect("dequeue");
    assert_eq!(leases.len(), created);
    let lost = leases[7].job.id;
    q.cancel(lost).await.expect("cancel");
    let mut tasks = Vec::new();
    for l in leases {
        let q = q.clone();
        tasks.push(tokio::spawn(async move {
            let r = q
                .complete(&l, json!({"n": l.job.input["n"]}), Some(3))
                .await;
            (l.job.id, l.job.input.clone(), r)
        }));
    }
    for t in tasks {
        let (id, input, r) = t.await.expect("task");
        if id == lost {
            assert_eq!(r.expect_err("lease lost").code(), "lease_lost");
        } else {
            let job = r.expect("complete");
            assert_eq!((job.id, job.state), (id, JobState::Succeeded));
            assert_eq!(job.result, Some(json!({"n": input["n"]})));
            assert_eq!(job.actual_cost_micros, Some(3));
        }
    }
    let counts = q.counts().await.expect("counts");
    assert_eq!(
        (counts.succeeded, counts.cancelled),
        (created as u64 - 1, 1)
    );

    // Every change was published: queued, running, then succeeded or cancelled.
    let mut seen: std::collections::HashMap<uuid::Uuid, Vec<JobState>> = Default::default();
    let deadline = Instant::now() + Duration::from_secs(10);
    while seen.values().map(Vec::len).sum::<usize>() < created * 3 && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_millis(500), events.recv()).await {
            Ok(Ok(e)) => seen.entry(e.job_id).or_default().push(e.state),
            Ok(Err(e)) => panic!("events: {e}"),
            Err(_) => {}
        }
    }
    assert_eq!(seen.len(), created);
    for (id, states) in &seen {
        let last = if *id == lost {
            JobState::Cancelled
        } else {
            JobState::Succeeded
        };
        assert_eq!(
            states,
            &vec![JobState::Queued, JobState::Running, last],
            "{id}"
        );
    }
}

/// Finishing jobs and taking the next ones in one call: each success that asks gets a next
/// job (highest priority first, leased to the worker), a lost lease gets neither, a success
/// that does not ask gets none, and nothing is taken when nothing is ready.
pub async fn complete_and_dequeue_takes_next_jobs(q: &dyn Queue) {
    use classkit_jobs::{NextJobs, Success};
    for n in 0..3 {
        q.enqueue(spec(n)).await.expect("enqueue");
    }
    let next = NextJobs {
        worker_id: "w1".into(),
        kinds: kinds(&["diagnostic"]),
        lease: LEASE,
        engines: None,
    };
    let first = q
        .dequeue("w1", &next.kinds, LEASE, 3)
        .await
        .expect("dequeue");
    assert_eq!(first.len(), 3);
    for n in 3..5 {
        q.enqueue(spec(n).priority(if n == 4 { 90 } else { 50 }))
            .await
            .expect("enqueue");
    }
    // The third job's lease is lost (cancelled while running).
    q.cancel(first[2].job.id).await.expect("cancel");
    let success = |i: usize, take_next: bool| Success {
        lease: first[i].clone(),
        result: json!({"done": i}),
        actual_cost_micros: Some(i as i64),
        take_next,
    };
    let answers = q
        .complete_and_dequeue(
            vec![success(0, true), success(1, false), success(2, true)],
            &next,
        )
        .await
        .expect("complete and dequeue");
    assert_eq!(answers.len(), 3);
    let (done, taken) = answers[0].as_ref().expect("first recorded");
    assert_eq!(
        (done.id, done.state),
        (first[0].job.id, JobState::Succeeded)
    );
    let taken = taken.as_ref().expect("a next job for the first");
    assert_eq!(&q.get(taken.job.id).await.expect("get"), &taken.job);
    assert_eq!(
        taken.job.input,
        json!({"n": 4}),
        "the highest priority comes next"
    );
    assert_eq!(
        (taken.job.state, taken.job.worker_id.as_deref()),
        (JobState::Running, Some("w1"))
    );
    let (done, none) = answers[1].as_ref().expect("second recorded");
    assert_eq!(done.result, Some(json!({"done": 1})));
    assert!(none.is_none(), "the second did not ask for a next job");
    assert!(matches!(answers[2], Err(QueueError::LeaseLost(_))));
    for (i, lease) in first.iter().take(2).enumerate() {
        let stored = q.get(lease.job.id).await.expect("get");
        assert_eq!(
            (stored.state, stored.result, stored.actual_cost_micros),
            (
                JobState::Succeeded,
                Some(json!({"done": i})),
                Some(i as i64)
            )
        );
    }
    // The next job's lease is real: it can be completed, and the last queued one taken.
    let answers = q
        .complete_and_dequeue(
            vec![Success {
                lease: taken.clone(),
                result: json!({}),
                actual_cost_micros: None,
                take_next: true,
            }],
            &next,
        )
        .await
        .expect("complete and dequeue");
    let (_, last) = answers[0].as_ref().expect("recorded");
    let last = last.as_ref().expect("the last queued job");
    assert_eq!(last.job.input, json!({"n": 3}));
    let answers = q
        .complete_and_dequeue(
            vec![Success {
                lease: last.clone(),
                result: json!({}),
                actual_cost_micros: None,
                take_next: true,
            }],
            &next,
        )
        .await
        .expect("complete and dequeue");
    assert!(
        answers[0].as_ref().expect("recorded").1.is_none(),
        "nothing is ready"
    );
    assert_eq!(q.counts().await.expect("counts").succeeded, 4);
}

/// The course a job is for and who asked for it are kept, delivered with the job, and carried
/// by its events.
pub async fn origin_is_kept_and_published(q: &dyn Queue) {
    let course = uuid::Uuid::now_v7();
    let mut events = q.subscribe();
    let e = q
        .enqueue(spec(1).course(course).requested_by("ann@example.com"))
        .await
        .expect("enqueue");
    assert_eq!(
        (e.job.course_id, e.job.requested_by.as_deref()),
        (Some(course), Some("ann@example.com"))
    );
    let stored = q.get(e.job.id).await.expect("get");
    assert_eq!(
        (stored.course_id, stored.requested_by.as_deref()),
        (Some(course), Some("ann@example.com"))
    );
    let leases = q
        .dequeue("w1", &kinds(&["diagnostic"]), LEASE, 1)
        .await
        .expect("dequeue");
    assert_eq!(leases[0].job.course_id, Some(course));
    q.complete(&leases[0], json!({}), None)
        .await
        .expect("complete");
    let mut seen = Vec::new();
    while let Ok(Ok(event)) = tokio::time::timeout(Duration::from_secs(5), events.recv()).await {
        if event.job_id == e.job.id {
            assert_eq!(
                (event.course_id, event.requested_by.as_deref()),
                (Some(course), Some("ann@example.com")),
                "{event:?}"
            );
            seen.push(event.state);
            if event.state == JobState::Succeeded {
                break;
            }
        }
    }
    assert_eq!(
        seen,
        vec![JobState::Queued, JobState::Running, JobState::Succeeded]
    );
    // A job with neither has neither.
    let plain = q.enqueue(spec(2)).await.expect("enqueue").job;
    let plain = q.get(plain.id).await.expect("get");
    assert_eq!((plain.course_id, plain.requested_by), (None, None));
    // Who asked must be a name, not anything at all.
    assert!(matches!(
        q.enqueue(spec(3).requested_by("")).await,
        Err(QueueError::InvalidSpec(_))
    ));
}

pub async fn workers_take_only_jobs_for_engines_they_have(q: &dyn Queue) {
    use classkit_jobs::{NextJobs, Success};
    let named = |n: u32, engine: &str| {
        let mut s = spec(n);
        s.engine = Some(engine.into());
        s
    };
    // In queue order: a Piper job first, then one for espeak, one naming no engine, and a
    // second Piper job.
    let piper = q.enqueue(named(1, "piper")).await.expect("enqueue").job.id;
    let espeak = q.enqueue(named(2, "espeak")).await.expect("enqueue").job.id;
    let plain = q.enqueue(spec(3)).await.expect("enqueue").job.id;
    let piper2 = q.enqueue(named(4, "piper")).await.expect("enqueue").job.id;
    let without_piper = NextJobs {
        engines: Some(vec!["espeak".into(), "extractive".into()]),
        ..NextJobs::new("small-host", &kinds(&["diagnostic"]), LEASE)
    };
    let taken = q.take(&without_piper, 1).await.expect("take");
    assert_eq!(
        taken.iter().map(|l| l.job.id).collect::<Vec<_>>(),
        vec![espeak],
        "the Piper job ahead of it is left for another worker"
    );
    // Finishing it takes the next job it can run: the one naming no engine.
    let answers = q
        .complete_and_dequeue(
            vec![Success {
                lease: taken[0].clone(),
                result: json!({}),
                actual_cost_micros: None,
                take_next: true,
            }],
            &without_piper,
        )
        .await
        .expect("complete and take");
    let (_, next) = answers[0].as_ref().expect("recorded");
    assert_eq!(next.as_ref().map(|l| l.job.id), Some(plain));
    // Nothing else is for it; a worker with no engines at all takes none either.
    assert!(q.take(&without_piper, 10).await.expect("take").is_empty());
    let none = NextJobs {
        engines: Some(Vec::new()),
        ..NextJobs::new("bare", &kinds(&["diagnostic"]), LEASE)
    };
    assert!(q.take(&none, 10).await.expect("take").is_empty());
    // A worker with Piper (or with every engine) takes both, oldest first.
    let with_piper = NextJobs {
        engines: Some(vec!["piper".into()]),
        ..NextJobs::new("big-host", &kinds(&["diagnostic"]), LEASE)
    };
    let taken = q.take(&with_piper, 10).await.expect("take");
    assert_eq!(
        taken.iter().map(|l| l.job.id).collect::<Vec<_>>(),
        vec![piper, piper2]
    );
}
