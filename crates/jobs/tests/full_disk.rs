//! The local queue on a disk that fills up: writes fail with a disk-full error that says so,
//! and once space is freed every operation works again (no connection is left inside a
//! failed transaction). Runs on a tmpfs of its own (root, or a user namespace).

use classkit_jobs::{JobSpec, LocalQueue, Queue, QueueError};
use classkit_testkit::SmallDisk;
use serde_json::json;
use std::time::Duration;

fn spec(n: usize) -> JobSpec {
    // A dedup key makes the enqueue a transaction of its own, committed at the end.
    JobSpec::new(
        "diagnostic",
        json!({"n": n, "padding": "x".repeat(8 * 1024)}),
    )
    .dedup_key(format!("job-{n}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_fails_writes_clearly_and_the_queue_recovers_when_space_is_freed() {
    const NAME: &str =
        "a_full_disk_fails_writes_clearly_and_the_queue_recovers_when_space_is_freed";
    if let Some(passed) = SmallDisk::reexec(NAME) {
        assert!(passed.expect("run in a mount namespace"), "the run failed");
        return;
    }
    let disk = SmallDisk::mount(4 * 1024 * 1024).expect("mount a tmpfs");
    let queue = LocalQueue::open(disk.path()).await.expect("open");
    let before = queue.enqueue(spec(0)).await.expect("enqueue").job.id;
    let filler = disk.fill().expect("fill the disk");

    // Every pooled connection meets the full disk, in enqueues and in dequeues.
    let mut full = 0;
    for n in 1..=24 {
        if let Err(e) = queue.enqueue(spec(n)).await {
            assert!(e.is_disk_full(), "a full disk says so: {e}");
            assert_eq!(e.code(), "disk_full");
            full += 1;
        }
        if let Err(e) = queue
            .dequeue("w", &["nothing".into()], Duration::from_secs(30), 1)
            .await
        {
            assert!(
                e.is_disk_full() || matches!(e, QueueError::Sqlite(_)),
                "{e}"
            );
        }
    }
    assert!(full > 0, "the disk was full");

    // Space is freed: every operation works again, on every connection.
    std::fs::remove_file(filler).expect("free space");
    for n in 100..140 {
        queue
            .enqueue(spec(n))
            .await
            .unwrap_or_else(|e| panic!("enqueue {n} after space was freed: {e}"));
    }
    let leases = queue
        .dequeue("w", &["diagnostic".into()], Duration::from_secs(30), 64)
        .await
        .expect("dequeue after space was freed");
    assert!(
        leases.iter().any(|l| l.job.id == before),
        "nothing was lost"
    );
    for lease in &leases {
        queue
            .complete(lease, json!({}), None)
            .await
            .expect("complete after space was freed");
    }
}
