//! The desktop app's side of team generation, as its commands call it: "assemble" on a team
//! course dispatches to the team's workers through the server, the job tray lists the team's
//! jobs with who dispatched them (another member's app too, live from the server's events),
//! cancel and retry go through the server and are held to the member's role, and while the
//! server is away the bundled workers assemble instead.

use classkit_app::generate::{AssembleOptions, Part, Scope};
use classkit_app::team::TokenSource;
use classkit_app::{App, QueueChoice};
use classkit_jobs::JobState;
use classkit_team_tests::{Server, admin};
use std::path::Path;
use std::time::{Duration, Instant};
use uuid::Uuid;

async fn until<F: std::future::Future<Output = bool>>(what: &str, check: impl Fn() -> F) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_dispatches_team_courses_to_the_team_and_follows_their_jobs() {
    let pg = classkit_testkit::Postgres::start().expect("postgres");
    let redis = classkit_testkit::Redis::start().expect("redis");
    let dir = tempfile::tempdir().expect("tempdir");
    let port = classkit_testkit::free_port().expect("port");
    let mut server = Server::start(pg.url(), redis.url(), &dir.path().join("data"), port);
    let token = |who: &str| {
        admin(pg.url(), &["create-user", who]);
        let file = dir.path().join(format!("{who}.token"));
        std::fs::write(&file, admin(pg.url(), &["create-token", who])).expect("token");
        file
    };
    let (ann_token, ben_token) = (token("ann@example.org"), token("ben@example.org"));

    let ann = App::open(&dir.path().join("ann"), QueueChoice::Local)
        .await
        .expect("ann");
    let lecture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/negotiating-by-phone.md");
    let course = ann
        .import_lecture_file(&lecture, None)
        .await
        .expect("import")
        .course_id;
    ann.set_remote(&server.url, TokenSource::File(ann_token))
        .await
        .expect("ann's server");
    assert!(
        ann.share_course(course)
            .await
            .expect("share")
            .error
            .is_none()
    );
    admin(
        pg.url(),
        &[
            "add-member",
            &course.to_string(),
            "ben@example.org",
            "--role",
            "viewer",
        ],
    );
    let ben = App::open(&dir.path().join("ben"), QueueChoice::Local)
        .await
        .expect("ben");
    ben.set_remote(&server.url, TokenSource::File(ben_token))
        .await
        .expect("ben's server");
    ben.open_team_course(course).await.expect("ben opens it");
    assert!(ben.follow_team_jobs(course).await.expect("follow"));

    // No worker serves the team's queue yet: the jobs wait there, in both trays.
    let tree = ann.course(course).await.expect("tree");
    let slide = tree.lessons[0].slides[0].slide.id;
    let options = AssembleOptions::dispatching(Scope::Slide(slide), vec![Part::Narration]);
    let dispatched = ann
        .dispatch_anywhere(course, &options)
        .await
        .expect("dispatch");
    assert_eq!(dispatched.jobs.len(), 1, "{dispatched:?}");
    let job = dispatched.jobs[0];
    let tray = ann.team_jobs(10);
    let view = tray.iter().find(|v| v.id == job).expect("in Ann's tray");
    assert!(view.team && view.requested_by.as_deref() == Some("ann@example.org"));
    assert_eq!(view.course_id, Some(course));
    // Nothing of it is on the app's own queue.
    assert!(
        ann.jobs()
            .await
            .expect("jobs")
            .newest(10)
            .await
            .expect("newest")
            .iter()
            .all(|v| v.id != job)
    );
    // Ben's app hears of it from the server's events.
    until("Ben's tray shows Ann's job", || async {
        ben.team_jobs(10)
            .iter()
            .any(|v| v.id == job && v.requested_by.as_deref() == Some("ann@example.org"))
    })
    .await;

    // Ben is a viewer: the server refuses him a cancel. Ann, the owner, cancels and retries.
    let refused = ben
        .act_on_job(job, true)
        .await
        .expect_err("a viewer cannot cancel");
    assert_eq!(
        refused.code(),
        classkit_model::ErrorCode::Forbidden,
        "{refused}"
    );
    let cancelled = ann.act_on_job(job, true).await.expect("cancel");
    assert_eq!(cancelled.state, JobState::Cancelled);
    until("Ben's tray shows it cancelled", || async {
        ben.team_jobs(10)
            .iter()
            .any(|v| v.id == job && v.state == JobState::Cancelled)
    })
    .await;
    let retried = ann.act_on_job(job, false).await.expect("retry");
    assert_eq!(retried.state, JobState::Queued);

    // With the server away, assembling runs on Ann's bundled workers instead.
    server.stop();
    let offline = ann
        .dispatch_anywhere(
            course,
            &AssembleOptions::dispatching(
                Scope::Slide(tree.lessons[0].slides[1].slide.id),
                vec![Part::Narration],
            ),
        )
        .await
        .expect("offline dispatch");
    assert_eq!(offline.jobs.len(), 1);
    let local: Vec<Uuid> = ann
        .jobs()
        .await
        .expect("jobs")
        .newest(10)
        .await
        .expect("newest")
        .iter()
        .map(|v| v.id)
        .collect();
    assert!(local.contains(&offline.jobs[0]), "on the bundled queue");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apps_workers_serve_the_team_queue_only_once_the_admin_turns_it_on() {
    let pg = classkit_testkit::Postgres::start().expect("postgres");
    let redis = classkit_testkit::Redis::start().expect("redis");
    let dir = tempfile::tempdir().expect("tempdir");
    let port = classkit_testkit::free_port().expect("port");
    let server = Server::start(pg.url(), redis.url(), &dir.path().join("data"), port);
    admin(pg.url(), &["create-user", "ann@example.org"]);
    let person_token = admin(pg.url(), &["create-token", "ann@example.org"]);
    let worker_token = admin(pg.url(), &["create-token", "--worker", "ann-laptop"]);

    let ann = App::open(&dir.path().join("ann"), QueueChoice::Local)
        .await
        .expect("ann");
    let lecture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/negotiating-by-phone.md");
    let course = ann
        .import_lecture_file(&lecture, None)
        .await
        .expect("import")
        .course_id;
    ann.set_remote(
        &server.url,
        TokenSource::Typed(classkit_app::team::TeamToken::new(&person_token)),
    )
    .await
    .expect("ann's server");
    assert!(
        ann.share_course(course)
            .await
            .expect("share")
            .error
            .is_none()
    );

    // Off by default.
    assert_eq!(ann.team_worker().await.expect("setting"), None);
    assert!(ann.start_team_worker().await.expect("start").is_none());
    // A person's token, or a Redis that does not answer, is refused, and nothing is kept.
    let token = classkit_app::team::TeamToken::new;
    let refused = ann
        .set_team_worker(redis.url(), token(&person_token), 2)
        .await
        .expect_err("a person's token");
    assert!(refused.to_string().contains("worker token"), "{refused}");
    let nowhere = format!(
        "redis://127.0.0.1:{}/",
        classkit_testkit::free_port().expect("port")
    );
    let refused = ann
        .set_team_worker(&nowhere, token(&worker_token), 2)
        .await
        .expect_err("no Redis there");
    assert!(refused.to_string().contains("Redis"), "{refused}");
    for bad in [0, 17] {
        assert!(
            ann.set_team_worker(redis.url(), token(&worker_token), bad)
                .await
                .is_err()
        );
    }
    assert_eq!(ann.team_worker().await.expect("setting"), None);

    // Turned on: with no classkit-worker anywhere, the app's own workers run the team's job
    // (through the server's worker API) and the result reaches the library by sync.
    let on = ann
        .set_team_worker(redis.url(), token(&worker_token), 2)
        .await
        .expect("turn on");
    assert_eq!(on.concurrency, 2);
    let workers = ann
        .start_team_worker()
        .await
        .expect("start")
        .expect("turned on");
    let slide = ann.course(course).await.expect("tree").lessons[0].slides[0]
        .slide
        .id;
    let dispatched = ann
        .dispatch_anywhere(
            course,
            &AssembleOptions::dispatching(Scope::Slide(slide), vec![Part::Narration]),
        )
        .await
        .expect("dispatch");
    let job = dispatched.jobs[0];
    until("the app's worker ran the team's job", || async {
        ann.team_jobs(10)
            .iter()
            .any(|v| v.id == job && v.state == JobState::Succeeded)
    })
    .await;
    ann.sync(Some(course)).await.expect("sync");
    let tree = ann.course(course).await.expect("tree");
    let narrated = tree.lessons[0].slides[0].slide.narration.clone();
    assert!(narrated.is_some(), "no narration synced in");
    workers.stop().await;

    ann.turn_off_team_worker().await.expect("off");
    assert_eq!(ann.team_worker().await.expect("setting"), None);
    assert!(ann.start_team_worker().await.expect("start").is_none());
}
