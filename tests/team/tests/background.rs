//! Sync in the background, as the desktop app runs it, against a `classkit-server` process:
//! a team course shared by one instructor reaches the other's library without a sync by
//! hand; an edit is pushed once the instructor stops typing; while the server is down the
//! state says offline, when the next try is, and what waits; when it is back, what waited is
//! sent; a revoked token is said as such.

use classkit_app::team::{Connection, SyncTiming, TeamStatus, TeamToken, TokenSource};
use classkit_app::{App, QueueChoice};
use classkit_jobs::{Jitter, RetryPolicy};
use classkit_team_tests::{Server, admin};
use std::time::Duration;
use tokio::sync::mpsc;

fn fast() -> SyncTiming {
    SyncTiming {
        debounce: Duration::from_millis(200),
        every: Duration::from_millis(500),
        retry: RetryPolicy {
            base: Duration::from_millis(200),
            cap: Duration::from_secs(1),
            jitter: Jitter::Equal,
            max_retries: u32::MAX,
            max_retry_after: Duration::from_secs(1),
        },
    }
}

/// Waits (up to 60 s) for a team state that `ok` accepts, from the background loop's reports.
async fn until(
    states: &mut mpsc::UnboundedReceiver<TeamStatus>,
    what: &str,
    ok: impl Fn(&TeamStatus) -> bool,
) -> TeamStatus {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut last = None;
    loop {
        match tokio::time::timeout_at(deadline, states.recv()).await {
            Ok(Some(s)) if ok(&s) => return s,
            Ok(Some(s)) => last = Some(s),
            Ok(None) => panic!("the background sync stopped while waiting for {what}"),
            Err(_) => panic!("no team state with {what} within 60 s; the last: {last:#?}"),
        }
    }
}

/// Polls `check` (up to 60 s) until it holds.
async fn eventually<F: std::future::Future<Output = bool>>(what: &str, check: impl Fn() -> F) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "not within 60 s: {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_sync_follows_edits_outages_and_tokens() {
    let pg = classkit_testkit::Postgres::start().expect("postgres");
    let redis = classkit_testkit::Redis::start().expect("redis");
    let dir = tempfile::tempdir().expect("tempdir");
    let port = classkit_testkit::free_port().expect("port");
    let mut server = Server::start(pg.url(), redis.url(), &dir.path().join("data"), port);
    admin(pg.url(), &["create-user", "ann@example.org"]);
    admin(pg.url(), &["create-user", "ben@example.org"]);
    let ann_token = dir.path().join("ann.token");
    std::fs::write(
        &ann_token,
        admin(pg.url(), &["create-token", "ann@example.org"]),
    )
    .expect("token file");
    let ben_token = admin(pg.url(), &["create-token", "ben@example.org"]);

    // Ann shares a course and makes Ben an editor.
    let ann = App::open(&dir.path().join("ann"), QueueChoice::Local)
        .await
        .expect("ann");
    let course = ann
        .create_course("Phone calls", Some("en"))
        .await
        .expect("course")
        .id;
    ann.set_remote(&server.url, TokenSource::File(ann_token))
        .await
        .expect("ann's server");
    let shared = ann.share_course(course).await.expect("share");
    assert!(shared.error.is_none(), "{:?}", shared.error);
    admin(
        pg.url(),
        &[
            "add-member",
            &course.to_string(),
            "ben@example.org",
            "--role",
            "editor",
        ],
    );

    // Ben connects with a typed token (the desktop app's way) and syncs only in the
    // background.
    let ben = App::open(&dir.path().join("ben"), QueueChoice::Local)
        .await
        .expect("ben");
    let before = ben.team_overview().await.expect("state");
    assert_eq!(before.connection, Connection::NotSet);
    ben.set_remote(&server.url, TokenSource::Typed(TeamToken::new(&ben_token)))
        .await
        .expect("ben's server");
    let (tx, mut states) = mpsc::unbounded_channel();
    let looping = ben.clone();
    let background = tokio::spawn(async move {
        looping
            .keep_in_sync(fast(), move |s| tx.send(s).is_ok())
            .await
    });

    // The team course reaches Ben's library by itself.
    until(&mut states, "the course opened and online", |s| {
        s.connection == Connection::Online && s.courses.iter().any(|c| c.course_id == course)
    })
    .await;
    let slide = ben.course(course).await.expect("ben's copy").lessons[0].slides[0]
        .slide
        .id;

    // Ann's edit arrives by the periodic pull.
    ann.edit_slide(
        slide,
        classkit_app::slides::SlideChanges {
            title: Some("Opening the call".into()),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("ann's edit");
    ann.sync(None).await.expect("ann's sync");
    eventually("Ann's title in Ben's library", || async {
        ben.inspect_store().slide(slide).await.expect("slide").title == "Opening the call"
    })
    .await;

    // Ben's edit is pushed once he stops typing: it waits, then it is sent.
    ben.edit_slide(
        slide,
        classkit_app::slides::SlideChanges {
            body: Some("Say who you are.".into()),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("ben's edit");
    eventually("Ben's edit on the server", || async {
        ann.sync(None).await.expect("ann's sync");
        ann.inspect_store().slide(slide).await.expect("slide").body == "Say who you are."
    })
    .await;

    // The server goes away: Ben keeps editing; the state says offline, what waits and when
    // the next try is.
    server.stop();
    ben.edit_slide(
        slide,
        classkit_app::slides::SlideChanges {
            speaker_notes: Some("Smile while you speak.".into()),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("an offline edit");
    let offline = until(&mut states, "offline with the edit waiting", |s| {
        s.connection == Connection::Offline && s.waiting > 0 && s.next_attempt.is_some()
    })
    .await;
    let error = offline.last_error.expect("why");
    assert_eq!(error.code, classkit_model::ErrorCode::ServerUnreachable);

    // It comes back: what waited is sent without anyone asking.
    server.restart();
    until(&mut states, "online with nothing waiting", |s| {
        s.connection == Connection::Online && s.waiting == 0 && !s.syncing
    })
    .await;
    ann.sync(None).await.expect("ann's sync");
    assert_eq!(
        ann.inspect_store()
            .slide(slide)
            .await
            .expect("slide")
            .speaker_notes,
        "Smile while you speak."
    );

    // The admin revokes Ben's token: the state says so.
    let token_file = dir.path().join("ben.token");
    std::fs::write(&token_file, &ben_token).expect("token file");
    admin(
        pg.url(),
        &[
            "revoke-token",
            "--token-file",
            token_file.to_str().expect("path"),
        ],
    );
    let refused = until(&mut states, "the token refused", |s| {
        s.connection == Connection::Refused
    })
    .await;
    assert_eq!(
        refused.last_error.expect("why").code,
        classkit_model::ErrorCode::TokenRevoked
    );
    background.abort();
}
