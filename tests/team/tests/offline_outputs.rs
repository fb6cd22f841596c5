//! What an instructor's bundled workers make for a team course while the server is away
//! (rendered slides, narration) syncs like an edit once it is back: the server takes what
//! was made from the slides as they are there, every member pulls it, and the team does not
//! make it again. What was made from a slide someone has changed since is refused, once.

use classkit_app::generate::{AssembleOptions, Part, Scope};
use classkit_app::slides::SlideChanges;
use classkit_app::team::TokenSource;
use classkit_app::{App, QueueChoice};
use classkit_team_tests::{Server, admin};
use std::path::Path;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slides_rendered_offline_reach_the_team_unless_the_slide_changed_there() {
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
            "editor",
        ],
    );
    let ben = App::open(&dir.path().join("ben"), QueueChoice::Local)
        .await
        .expect("ben");
    ben.set_remote(&server.url, TokenSource::File(ben_token))
        .await
        .expect("ben's server");
    ben.open_team_course(course).await.expect("ben opens it");

    // The server goes away; Ann's own workers render every slide.
    server.stop();
    let slides_only = |scope| AssembleOptions::dispatching(scope, vec![Part::Slides]);
    let report = ann
        .assemble(course, &slides_only(Scope::Course), |_| {})
        .await
        .expect("offline assembly");
    assert!(report.failed.is_empty(), "{report:?}");
    let tree = ann.course(course).await.expect("tree");
    let slides: Vec<_> = tree
        .lessons
        .iter()
        .flat_map(|l| l.slides.iter().map(|s| s.slide.id))
        .collect();
    assert!(slides.len() >= 3, "{} slides", slides.len());
    assert_eq!(report.jobs, slides.len(), "{report:?}");
    let rendered = |app: &App, slide| {
        let app = app.clone();
        async move {
            app.slide_media(slide)
                .await
                .expect("media")
                .render
                .map(|m| m.sha256)
        }
    };
    let mut anns = Vec::new();
    for slide in &slides {
        anns.push(rendered(&ann, *slide).await.expect("rendered offline"));
    }

    // Back: Ben changes the first slide's title before Ann syncs.
    server.restart();
    ben.edit_slide(
        slides[0],
        SlideChanges {
            title: Some("Before the call: know your BATNA".into()),
            ..SlideChanges::default()
        },
        None,
    )
    .await
    .expect("Ben's edit");
    let synced = ben.sync(Some(course)).await.expect("Ben syncs");
    assert!(synced.iter().all(|o| o.error.is_none()), "{synced:?}");

    // Ann's sync sends her renders: the one of the changed slide is stale and refused.
    let outcome = ann.sync(Some(course)).await.expect("Ann syncs");
    let report = outcome[0].report.clone().expect("synced");
    assert_eq!(
        (report.outputs_sent, report.outputs_stale),
        (slides.len() - 1, 1),
        "{report:?}"
    );
    // Nothing is sent twice.
    let again = ann.sync(Some(course)).await.expect("Ann syncs again");
    let again = again[0].report.clone().expect("synced");
    assert_eq!(
        (again.outputs_sent, again.outputs_stale),
        (0, 0),
        "{again:?}"
    );

    // Ben pulls them (the files too), all but the stale one.
    ben.sync(Some(course)).await.expect("Ben pulls");
    assert_ne!(rendered(&ben, slides[0]).await, Some(anns[0].clone()));
    for (slide, sha) in slides.iter().zip(&anns).skip(1) {
        assert_eq!(rendered(&ben, *slide).await.as_ref(), Some(sha));
        let file = ben.asset(sha).await.expect("the render's file is here");
        assert_eq!(file.media_type, "image/png");
    }

    // The team renders only the slide that changed.
    let dispatched = ann
        .dispatch_anywhere(course, &slides_only(Scope::Course))
        .await
        .expect("dispatch");
    assert_eq!(dispatched.jobs.len(), 1, "{dispatched:?}");
}
