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
    ],
    [
        many_consumers_share_the_work,
        concurrent_calls_get_their_own_answers
    ]
);
