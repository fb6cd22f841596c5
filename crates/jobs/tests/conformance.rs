//! One conformance suite, run against every `Queue` backend with a real database.

#[path = "conformance/suite.rs"]
mod suite;

use classkit_jobs::{LocalQueue, Queue, RedisQueue};
use std::sync::Arc;

/// A fresh local queue in a temporary library folder.
async fn local() -> (tempfile::TempDir, Arc<dyn Queue>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let q = LocalQueue::open(dir.path())
        .await
        .expect("open queue")
        .with_policy(suite::test_policy());
    (dir, Arc::new(q))
}

/// A fresh Redis queue on a throwaway Redis server (or `CLASSKIT_TEST_REDIS_URL`, under a
/// prefix of its own).
async fn redis() -> (classkit_testkit::Redis, Arc<dyn Queue>) {
    let server = classkit_testkit::Redis::start().expect("start Redis");
    let prefix = format!("test:{}", uuid::Uuid::now_v7());
    let q = RedisQueue::connect_with_prefix(server.url(), &prefix)
        .await
        .expect("connect")
        .with_policy(suite::test_policy());
    (server, Arc::new(q))
}

/// The same, connected without listening to events (as workers connect): the scripts then
/// build no events, and everything but the events behaves the same.
async fn redis_unwatched() -> (classkit_testkit::Redis, Arc<dyn Queue>) {
    let server = classkit_testkit::Redis::start().expect("start Redis");
    let prefix = format!("test:{}", uuid::Uuid::now_v7());
    let q = RedisQueue::connect_unwatched(server.url(), &prefix)
        .await
        .expect("connect")
        .with_policy(suite::test_policy());
    (server, Arc::new(q))
}

macro_rules! conformance {
    ($backend:ident, $make:path, [$($case:ident),* $(,)?], [$($shared:ident),* $(,)?]) => {
        mod $backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let (_guard, q) = $make().await;
                    super::suite::$case(q.as_ref()).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $shared() {
                    let (_guard, q) = $make().await;
                    super::suite::$shared(q).await;
                }
            )*
        }
    };
}

conformance!(
    local,
    super::local,
    [
        enqueue_then_dequeue,
        priorities_then_age,
        retry_waits_its_delay_without_a_worker,
        backoff_schedule_then_dead,
        retry_after_is_honoured,
        lease_expiry_redelivers,
        lease_expiry_on_the_last_attempt_is_dead,
        heartbeat_keeps_the_lease,
        cancel_queued_and_running,
        dead_letter_and_manual_retry,
        dedup_key_returns_the_first_job,
        progress_is_recorded_and_published,
        listing_by_state_target_and_kind,
        release_gives_the_job_back,
        engine_limits_hold_across_workers,
        workers_take_only_jobs_for_engines_they_have,
        complete_and_dequeue_takes_next_jobs,
        origin_is_kept_and_published,
    ],
    [
        many_consumers_share_the_work,
        concurrent_calls_get_their_own_answers
    ]
);

conformance!(
    redis,
    super::redis,
    [
        enqueue_then_dequeue,
        priorities_then_age,
        retry_waits_its_delay_without_a_worker,
        backoff_schedule_then_dead,
        retry_after_is_honoured,
        lease_expiry_redelivers,
        lease_expiry_on_the_last_attempt_is_dead,
        heartbeat_keeps_the_lease,
        cancel_queued_and_running,
        dead_letter_and_manual_retry,
        dedup_key_returns_the_first_job,
        progress_is_recorded_and_published,
        listing_by_state_target_and_kind,
        release_gives_the_job_back,
        engine_limits_hold_across_workers,
        workers_take_only_jobs_for_engines_they_have,
        complete_and_dequeue_takes_next_jobs,
        origin_is_kept_and_published,
    ],
    [
        many_consumers_share_the_work,
        concurrent_calls_get_their_own_answers
    ]
);

conformance!(
    redis_unwatched,
    super::redis_unwatched,
    [
        enqueue_then_dequeue,
        priorities_then_age,
        retry_waits_its_delay_without_a_worker,
        backoff_schedule_then_dead,
        retry_after_is_honoured,
        lease_expiry_redelivers,
        lease_expiry_on_the_last_attempt_is_dead,
        heartbeat_keeps_the_lease,
        cancel_queued_and_running,
        dead_letter_and_manual_retry,
        dedup_key_returns_the_first_job,
        listing_by_state_target_and_kind,
        release_gives_the_job_back,
        engine_limits_hold_across_workers,
        workers_take_only_jobs_for_engines_they_have,
        complete_and_dequeue_takes_next_jobs,
    ],
    [many_consumers_share_the_work]
);

/// A queue connected without listening starts to hear events once someone subscribes (the
/// scripts notice the listener), from every script: enqueue, dequeue, progress, complete.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwatched_queue_hears_events_once_subscribed() {
    use classkit_jobs::{JobSpec, JobState};
    use serde_json::json;
    use std::time::Duration;
    let server = classkit_testkit::Redis::start().expect("start Redis");
    let q = RedisQueue::connect_unwatched(server.url(), "unwatched")
        .await
        .expect("connect");
    let mut events = q.subscribe();
    let kinds = vec!["diagnostic".to_string()];
    // The subscription takes a moment: enqueue until an event arrives.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let heard = loop {
        assert!(std::time::Instant::now() < deadline, "no event within 10 s");
        let id = q
            .enqueue(JobSpec::new("diagnostic", json!({})))
            .await
            .expect("enqueue")
            .job
            .id;
        if let Ok(Ok(event)) = tokio::time::timeout(Duration::from_millis(200), events.recv()).await
        {
            assert_eq!(event.state, JobState::Queued);
            break id;
        }
    };
    // Take every queued job; the one heard of is among them.
    let leases = q
        .dequeue("w", &kinds, Duration::from_secs(30), 1000)
        .await
        .expect("dequeue");
    let lease = leases
        .iter()
        .find(|l| l.job.id == heard)
        .expect("the job heard of");
    q.progress(lease, 40, "working").await.expect("progress");
    q.complete(lease, json!({}), None).await.expect("complete");
    let mut states = Vec::new();
    while let Ok(Ok(event)) = tokio::time::timeout(Duration::from_secs(2), events.recv()).await {
        if event.job_id == heard {
            states.push(event.state);
            if event.state == JobState::Succeeded {
                break;
            }
        }
    }
    assert_eq!(
        states,
        vec![JobState::Running, JobState::Running, JobState::Succeeded]
    );
}

/// Redis forgets succeeded and cancelled jobs older than the retention (oldest first), with
/// their index entries and dedup keys, and keeps dead and recent ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_forgets_finished_jobs_after_the_retention() {
    use classkit_jobs::{JobFilter, JobSpec, QueueError};
    use serde_json::json;
    use std::time::Duration;
    let server = classkit_testkit::Redis::start().expect("start Redis");
    let q = RedisQueue::connect_with_prefix(server.url(), "retention")
        .await
        .expect("connect")
        .with_retention(Duration::from_millis(200));
    let kinds = vec!["diagnostic".to_string()];
    let lease = Duration::from_secs(30);
    let slide = uuid::Uuid::now_v7();
    let run = async |n: u32, key: Option<String>| {
        let mut spec = JobSpec::new("diagnostic", json!({"n": n})).target(slide);
        spec.dedup_key = key;
        let id = q.enqueue(spec).await.expect("enqueue").job.id;
        let l = q.dequeue("w", &kinds, lease, 1).await.expect("dequeue");
        q.complete(&l[0], json!({}), None).await.expect("complete");
        id
    };
    let old = run(0, Some("old-key".into())).await;
    let cancelled = q
        .enqueue(JobSpec::new("diagnostic", json!({})))
        .await
        .expect("e")
        .job
        .id;
    q.cancel(cancelled).await.expect("cancel");
    for n in 1..8 {
        run(n, None).await;
    }
    let dead = q
        .enqueue(JobSpec::new("diagnostic", json!({})).max_attempts(1))
        .await
        .expect("e")
        .job
        .id;
    let l = q.dequeue("w", &kinds, lease, 1).await.expect("dequeue");
    q.fail(&l[0], classkit_jobs::JobError::permanent("no"))
        .await
        .expect("fail");
    assert_eq!(q.get(old).await.expect("kept so far").id, old);

    tokio::time::sleep(Duration::from_millis(300)).await;
    // New jobs finishing make room (about one in eight looks for old ones).
    let mut recent = Vec::new();
    for n in 100..116 {
        recent.push(run(n, None).await);
    }
    for gone in [old, cancelled] {
        assert!(
            matches!(q.get(gone).await, Err(QueueError::NotFound(_))),
            "{gone} forgotten"
        );
    }
    assert_eq!(q.get(dead).await.expect("dead jobs stay").id, dead);
    for id in &recent {
        q.get(*id).await.expect("recent jobs stay");
    }
    let counts = q.counts().await.expect("counts");
    assert_eq!(
        (counts.succeeded, counts.cancelled, counts.dead),
        (16, 0, 1)
    );
    let listed = q
        .list(&JobFilter {
            target: Some(slide),
            limit: Some(1000),
            ..JobFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(listed.len(), 16, "the target index forgot them too");
    // The old dedup key is free again.
    let again = q
        .enqueue(JobSpec::new("diagnostic", json!({})).dedup_key("old-key"))
        .await
        .expect("e");
    assert!(again.created);
}
