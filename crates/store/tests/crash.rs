//! Crash safety: a writer killed with SIGKILL mid-save loses no acknowledged save and leaves
//! a sound database; two processes writing to one library at once both succeed.
//!
//! The test binary re-runs itself as the writer process (`CLASSKIT_WRITER_DIR` set), so the
//! writer is the real store code in a separate process.

use classkit_model::{ComponentStatus, ComponentType};
use classkit_store::{NewComponent, NewSlide, Store};
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use uuid::Uuid;

const WRITER_DIR: &str = "CLASSKIT_WRITER_DIR";
const WRITER_SLIDE: &str = "CLASSKIT_WRITER_SLIDE";
const WRITER_TAG: &str = "CLASSKIT_WRITER_TAG";
const WRITER_COUNT: &str = "CLASSKIT_WRITER_COUNT";

/// Not a test of its own: the body of the writer process, which the tests below start.
/// With no slide given it only opens the library.
#[tokio::test]
#[ignore = "the writer process of the crash tests, started by them"]
async fn writer_process() {
    let dir = std::env::var(WRITER_DIR).expect("CLASSKIT_WRITER_DIR");
    let (Ok(slide), Ok(tag)) = (std::env::var(WRITER_SLIDE), std::env::var(WRITER_TAG)) else {
        let store = Store::open(dir.as_ref()).await.expect("open the library");
        assert_eq!(store.integrity_check().await.expect("check"), "ok");
        println!("opened");
        return;
    };
    let count: u64 = std::env::var(WRITER_COUNT)
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(u64::MAX);
    let store = Store::open(dir.as_ref())
        .await
        .expect("writer opens library");
    let slide_id = Uuid::parse_str(&slide).expect("slide id");
    let mut out = std::io::stdout().lock();
    for n in 0..count {
        let c = store
            .add_component(NewComponent {
                slide_id,
                component_type: ComponentType::Review,
                payload: json!({"title": format!("{tag}-{n}"), "cards": [{"heading": "h", "points": ["p"]}]}),
                status: ComponentStatus::Ready,
            })
            .await
            .expect("save");
        // Acknowledge only after the save returned.
        writeln!(out, "ack {tag}-{n} {}", c.id).expect("stdout");
        out.flush().expect("flush");
    }
}

/// The tag of an acknowledged save in a line of the writer's output. The test harness may
/// print its own `test writer_process ... ` in front of the first one.
fn acked(line: &str) -> Option<String> {
    let (_, rest) = line.split_once("ack ")?;
    Some(rest.split(' ').next()?.to_string())
}

fn spawn_writer(
    dir: &std::path::Path,
    slide: Option<Uuid>,
    tag: &str,
    count: Option<u64>,
) -> Child {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args([
        "--exact",
        "writer_process",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(WRITER_DIR, dir)
    .stdout(Stdio::piped())
    .stderr(Stdio::inherit());
    if let Some(slide) = slide {
        cmd.env(WRITER_SLIDE, slide.to_string())
            .env(WRITER_TAG, tag);
    }
    if let Some(count) = count {
        cmd.env(WRITER_COUNT, count.to_string());
    }
    cmd.spawn().expect("spawn writer")
}

async fn library_with_slide(dir: &std::path::Path) -> Uuid {
    let store = Store::open(dir).await.expect("open");
    let course = store
        .create_course("Crash test", None)
        .await
        .expect("course");
    let lesson = store.add_lesson(course.id, "L").await.expect("lesson");
    let slide = store
        .add_slide(lesson.id, NewSlide::default())
        .await
        .expect("slide");
    store.close().await;
    slide.id
}

async fn saved_titles(store: &Store, slide: Uuid) -> std::collections::HashSet<String> {
    let course_id = store.courses().await.expect("courses")[0].course.id;
    let tree = store.course_tree(course_id).await.expect("tree");
    tree.lessons
        .iter()
        .flat_map(|l| &l.slides)
        .filter(|s| s.slide.id == slide)
        .flat_map(|s| &s.components)
        .map(|c| c.payload["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_saves_loses_no_acknowledged_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let slide = library_with_slide(dir.path()).await;
    let mut acknowledged = Vec::new();
    for round in 0..12u64 {
        let mut child = spawn_writer(dir.path(), Some(slide), &format!("r{round}"), None);
        let stdout = child.stdout.take().expect("stdout");
        // Kill after a varying number of acknowledgements, so the kill lands at different
        // points of a save (inside the transaction, during commit, between saves).
        let wanted = 3 + (round * 7) % 23;
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut lines = BufReader::new(stdout).lines();
        let mut seen = 0;
        while seen < wanted && Instant::now() < deadline {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(tag) = acked(&line) {
                        acknowledged.push(tag);
                        seen += 1;
                    }
                }
                _ => break,
            }
        }
        child.kill().expect("SIGKILL the writer"); // Child::kill sends SIGKILL on Unix.
        child.wait().expect("reap");
        // Anything acknowledged before the kill took effect also counts.
        for line in lines.map_while(Result::ok) {
            if let Some(tag) = acked(&line) {
                acknowledged.push(tag);
            }
        }
        assert!(seen > 0, "round {round}: the writer acknowledged no save");
    }

    let store = Store::open(dir.path()).await.expect("reopen after crashes");
    assert_eq!(store.integrity_check().await.expect("check"), "ok");
    let saved = saved_titles(&store, slide).await;
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|t| !saved.contains(*t))
        .collect();
    assert!(lost.is_empty(), "acknowledged saves lost: {lost:?}");
    // Each save's revision and outbox row came with it.
    let outbox = store.outbox(1_000_000).await.expect("outbox");
    let component_rows = outbox
        .iter()
        .filter(|o| o.entity_type == "component")
        .count();
    assert_eq!(component_rows, saved.len());
    println!(
        "crash test: {} acknowledged saves over 12 kills, {} saved, integrity ok",
        acknowledged.len(),
        saved.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_write_one_library_without_loss() {
    let dir = tempfile::tempdir().expect("temp dir");
    let slide = library_with_slide(dir.path()).await;
    let a = spawn_writer(dir.path(), Some(slide), "a", Some(60));
    let b = spawn_writer(dir.path(), Some(slide), "b", Some(60));
    for child in [a, b] {
        let out = child.wait_with_output().expect("writer finishes");
        assert!(out.status.success(), "a writer failed");
        let acks = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(acked)
            .count();
        assert_eq!(acks, 60);
    }
    let store = Store::open(dir.path()).await.expect("reopen");
    assert_eq!(store.integrity_check().await.expect("check"), "ok");
    let saved = saved_titles(&store, slide).await;
    assert_eq!(saved.len(), 120);
    for tag in ["a", "b"] {
        for n in 0..60 {
            assert!(saved.contains(&format!("{tag}-{n}")));
        }
    }
}

#[test]
fn processes_opening_a_new_library_at_once_all_succeed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let library = dir.path().join("new-library");
    let children: Vec<Child> = (0..4)
        .map(|_| spawn_writer(&library, None, "", None))
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("opener finishes");
        assert!(
            out.status.success(),
            "a process failed to open the new library"
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("opened"));
    }
}
