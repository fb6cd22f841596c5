//! Files travel with a team course: narration made by espeak-ng and a slide's rendered
//! picture put under a HOTSPOT in one library reach the server (checked against their hashes, kept in its
//! content-addressed folder) before the edits that use them, and the other instructor's
//! library downloads them with the course, byte for byte. A file whose bytes do not match
//! its name is refused and nothing is kept of it.

use classkit_app::generate::{AssembleOptions, Part, Scope};
use classkit_app::team::{TeamToken, TokenSource};
use classkit_app::{App, QueueChoice};
use classkit_team_tests::{Server, admin};
use std::path::Path;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn narration_and_pictures_travel_by_hash() {
    let pg = classkit_testkit::Postgres::start().expect("postgres");
    let redis = classkit_testkit::Redis::start().expect("redis");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("server-data");
    let port = classkit_testkit::free_port().expect("port");
    let server = Server::start(pg.url(), redis.url(), &data, port);
    admin(pg.url(), &["create-user", "ann@example.org"]);
    admin(pg.url(), &["create-user", "ben@example.org"]);
    let ann_token = admin(pg.url(), &["create-token", "ann@example.org"]);
    let ben_token = admin(pg.url(), &["create-token", "ben@example.org"]);

    // Ann's first slide gets narration (espeak-ng) and its rendered picture.
    let ann = App::open(&dir.path().join("ann"), QueueChoice::Local)
        .await
        .expect("ann");
    let course = ann
        .import_lecture_file(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/negotiating-by-phone.md"),
            None,
        )
        .await
        .expect("import")
        .course_id;
    let slide = ann.course(course).await.expect("tree").lessons[0].slides[0]
        .slide
        .id;
    let report = ann
        .assemble(
            course,
            &AssembleOptions {
                parts: vec![Part::Slides, Part::Narration],
                speech_engine: Some("espeak".into()),
                scope: Scope::Slide(slide),
                ..AssembleOptions::default()
            },
            |_| {},
        )
        .await
        .expect("assemble");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let made = ann.slide_media(slide).await.expect("media");
    let narration = made.narration.clone().expect("narration");
    let picture = made.render.clone().expect("picture");
    // Renders are made again from the text by each app; a picture travels when the course
    // uses it, as a HOTSPOT's image.
    let hotspot = ann
        .add_component(slide, classkit_model::ComponentType::Hotspot, None)
        .await
        .expect("hotspot")
        .component
        .id;
    ann.use_slide_picture(hotspot)
        .await
        .expect("the slide's picture");

    ann.set_remote(&server.url, TokenSource::Typed(TeamToken::new(&ann_token)))
        .await
        .expect("ann's server");
    let shared = ann.share_course(course).await.expect("share");
    assert!(shared.error.is_none(), "{:?}", shared.error);
    let report = shared.report.expect("report");
    assert!(
        report.uploaded >= 2,
        "the narration and the picture were uploaded: {report:?}"
    );
    // The server keeps each file once, named by its hash, with the bytes the hash names.
    for media in [&narration, &picture] {
        let kept = std::fs::read_dir(&data)
            .expect("data")
            .flatten()
            .flat_map(|d| walk(&d.path()))
            .find(|p| p.file_name().is_some_and(|n| n == media.sha256.as_str()))
            .unwrap_or_else(|| panic!("{} is not in the server's folder", media.sha256));
        let bytes = std::fs::read(kept).expect("bytes");
        assert_eq!(sha256(&bytes), media.sha256);
    }

    // Ben opens the course: the files come with it, byte for byte.
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
    ben.set_remote(&server.url, TokenSource::Typed(TeamToken::new(&ben_token)))
        .await
        .expect("ben's server");
    let opened = ben.open_team_course(course).await.expect("open");
    assert!(opened.error.is_none(), "{:?}", opened.error);
    assert!(
        opened.report.expect("report").downloaded >= 2,
        "the files were downloaded"
    );
    let got = ben.slide_media(slide).await.expect("ben's media");
    assert_eq!(
        got.narration.as_ref().map(|m| &m.sha256),
        Some(&narration.sha256)
    );
    let image = ben
        .component(hotspot)
        .await
        .expect("ben's hotspot")
        .component
        .payload["image"]
        .clone();
    assert_eq!(
        image,
        serde_json::json!(picture.sha256),
        "the HOTSPOT's picture"
    );
    for media in [&narration, &picture] {
        let mine = ann.asset(&media.sha256).await.expect("ann's file");
        let theirs = ben.asset(&media.sha256).await.expect("ben's file");
        assert_eq!(mine.bytes, theirs.bytes, "{} arrived whole", media.sha256);
        assert_eq!(mine.media_type, theirs.media_type);
    }

    // Ben is a viewer: his edits are not taken but stay in his library, waiting, and the
    // team's changes still reach him.
    let tree = ben.course(course).await.expect("ben's tree");
    let other = tree.lessons[0].slides[1].slide.id;
    ben.edit_slide(
        slide,
        classkit_app::slides::SlideChanges {
            title: Some("Ben's title".into()),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("a viewer edits his copy");
    ann.edit_slide(
        other,
        classkit_app::slides::SlideChanges {
            title: Some("Ann's title".into()),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("ann's edit");
    ann.sync(None).await.expect("ann's sync");
    let outcome = ben.sync(Some(course)).await.expect("ben's sync");
    let refused = outcome[0].error.as_ref().expect("the push is refused");
    assert_eq!(
        refused.code,
        classkit_model::ErrorCode::Forbidden,
        "{refused:?}"
    );
    let now = ben.course(course).await.expect("ben's tree");
    let titles: Vec<&str> = now.lessons[0]
        .slides
        .iter()
        .map(|s| s.slide.title.as_str())
        .collect();
    assert!(titles.contains(&"Ann's title"), "{titles:?}");
    assert!(titles.contains(&"Ben's title"), "{titles:?}");
    let state = ben.team_overview().await.expect("state");
    assert!(state.waiting >= 1, "Ben's edit waits: {state:?}");

    // Bytes that do not match their name are refused, and nothing of them is kept.
    let forged = "0".repeat(64);
    let reply = reqwest::Client::new()
        .put(format!(
            "{}/api/v1/courses/{course}/assets/{forged}?media_type={}",
            server.url, narration.media_type
        ))
        .bearer_auth(&ann_token)
        .header("content-type", narration.media_type.as_str())
        .body(ann.asset(&narration.sha256).await.expect("bytes").bytes)
        .send()
        .await
        .expect("upload");
    let status = reply.status().as_u16();
    let error: serde_json::Value = reply.json().await.expect("error body");
    assert_eq!(status, 422, "{error}");
    assert_eq!(error["code"], "asset_hash_mismatch", "{error}");
    assert!(
        walk(&data)
            .iter()
            .all(|p| p.file_name().is_none_or(|n| n != forged.as_str())),
        "nothing kept under the forged name"
    );
}

fn walk(path: &Path) -> Vec<std::path::PathBuf> {
    if path.is_dir() {
        std::fs::read_dir(path)
            .map(|d| d.flatten().flat_map(|e| walk(&e.path())).collect())
            .unwrap_or_default()
    } else {
        vec![path.to_path_buf()]
    }
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
