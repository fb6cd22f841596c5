//! Course bundles: exact round trips, duplicates refused or copied, older formats read,
//! damaged or hostile archives refused without touching the library.

use classkit_app::App;
use classkit_model::{ComponentType, SlideLayout};
use classkit_store::SlideEdit;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

async fn open(dir: &Path) -> App {
    App::open(dir).await.expect("open library")
}

/// A course with components, an edited slide and two assets.
async fn rich_course(app: &App) -> uuid::Uuid {
    let s = app
        .import_lecture_file(&example("photosynthesis.md"), None)
        .await
        .expect("import");
    let tree = app.course(s.course_id).await.expect("tree");
    let slide = &tree.lessons[0].slides[0].slide;
    let audio = app
        .store()
        .put_asset(b"OggS narration bytes", "audio/ogg")
        .await
        .expect("audio");
    let image = app
        .store()
        .put_asset(b"\x89PNG image bytes", "image/png")
        .await
        .expect("image");
    app.store()
        .update_slide(
            slide.id,
            SlideEdit {
                narration: Some(Some(audio.sha256.clone())),
                image: Some(Some(image.sha256)),
                layout: Some(SlideLayout::ImageText),
                ..SlideEdit::default()
            },
            None,
        )
        .await
        .expect("edit");
    let review = app
        .add_component(
            slide.id,
            ComponentType::Review,
            json!({"title": "Recap", "cards": [{"heading": "Light", "points": ["Water is split"]}]}),
        )
        .await
        .expect("component");
    app.mark_ready(review.id).await.expect("ready");
    app.add_component(slide.id, ComponentType::Review, json!({"cards": []}))
        .await
        .expect("draft");
    s.course_id
}

#[tokio::test]
async fn export_then_import_is_exact() {
    let a = tempfile::tempdir().expect("dir");
    let b = tempfile::tempdir().expect("dir");
    let app_a = open(a.path()).await;
    let course = rich_course(&app_a).await;
    let file = a.path().join("course.classkit");
    let export = app_a.export_bundle(course, &file).await.expect("export");
    assert_eq!(export.assets, 2);

    let app_b = open(b.path()).await;
    let import = app_b.import_bundle(&file, false).await.expect("import");
    assert!(!import.copied);
    assert_eq!(import.assets, 2);
    let original = app_a.course(course).await.expect("a");
    let copy = app_b.course(course).await.expect("b");
    assert_eq!(original, copy, "every field, id, version and time survives");
    let slide = &copy.lessons[0].slides[0].slide;
    let audio = slide.narration.as_ref().expect("narration");
    assert_eq!(
        app_b.store().asset_bytes(audio).await.expect("bytes"),
        b"OggS narration bytes"
    );
}

#[tokio::test]
async fn importing_the_same_bundle_twice_refuses_or_copies() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(dir.path()).await;
    let course = rich_course(&app).await;
    let file = dir.path().join("course.classkit");
    app.export_bundle(course, &file).await.expect("export");

    let err = app
        .import_bundle(&file, false)
        .await
        .expect_err("already there");
    assert_eq!(err.code(), "course_exists");
    assert!(err.to_string().contains("--as-copy"), "{err}");
    assert_eq!(app.courses().await.expect("courses").len(), 1);

    let copy = app.import_bundle(&file, true).await.expect("copy");
    assert!(copy.copied);
    assert_ne!(copy.course_id, course);
    assert!(copy.title.ends_with("(copy)"));
    let original = app.course(course).await.expect("original");
    let copied = app.course(copy.course_id).await.expect("copy");
    assert_eq!(original.slide_count(), copied.slide_count());
    assert_eq!(original.component_count(), copied.component_count());
    let ids: std::collections::HashSet<_> = original
        .lessons
        .iter()
        .flat_map(|l| &l.slides)
        .map(|s| s.slide.id)
        .collect();
    assert!(
        copied
            .lessons
            .iter()
            .flat_map(|l| &l.slides)
            .all(|s| !ids.contains(&s.slide.id))
    );
}

fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
}

#[tokio::test]
async fn a_bundle_from_an_older_schema_version_is_upgraded() {
    // A bundle as written before QUIZ payloads had ids, per-option feedback and points.
    let dir = tempfile::tempdir().expect("dir");
    let app = open(dir.path()).await;
    let fixture = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundle_v1_course.json"),
    )
    .expect("fixture");
    let file = dir.path().join("old.classkit");
    write_zip(&file, &[("course.json", &fixture)]);
    let import = app
        .import_bundle(&file, false)
        .await
        .expect("import old bundle");
    let tree = app.course(import.course_id).await.expect("tree");
    let quiz = &tree.lessons[0].slides[0].components[0];
    assert_eq!(quiz.component_type, ComponentType::Quiz);
    assert_eq!(
        quiz.payload["schema_version"],
        ComponentType::Quiz.schema_version()
    );
    assert!(classkit_app::validate_payload(ComponentType::Quiz, &quiz.payload).is_empty());
    // The old bundle had no instructor notes; the slide gets an empty field.
    assert_eq!(tree.lessons[0].slides[0].slide.instructor_notes, "");
}

#[tokio::test]
async fn damaged_or_hostile_bundles_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(dir.path()).await;
    let good = json!({"format": "classkit-course-bundle", "format_version": 1});
    let sha = "a".repeat(64);
    let traversal = json!({
        "format": "classkit-course-bundle", "format_version": 1,
        "course": {"id": "01900000-0000-7000-8000-000000000001", "title": "T", "created_at": "2026-01-01T00:00:00Z",
                   "updated_at": "2026-01-01T00:00:00Z", "version": 1, "lessons": []},
        "assets": [{"sha256": "../../etc/passwd", "media_type": "text/plain", "size": 1}]
    });
    let bad_hash = json!({
        "format": "classkit-course-bundle", "format_version": 1,
        "course": {"id": "01900000-0000-7000-8000-000000000002", "title": "T", "created_at": "2026-01-01T00:00:00Z",
                   "updated_at": "2026-01-01T00:00:00Z", "version": 1, "lessons": []},
        "assets": [{"sha256": sha, "media_type": "audio/ogg", "size": 3}]
    });
    let newer = json!({"format": "classkit-course-bundle", "format_version": 99});
    type Entries = Vec<(String, Vec<u8>)>;
    let cases: Vec<(&str, Entries, &str)> = vec![
        ("not a zip", vec![], "not a zip file"),
        (
            "no course.json",
            vec![("readme.txt".into(), b"hi".to_vec())],
            "no course.json",
        ),
        (
            "not json",
            vec![("course.json".into(), b"{oops".to_vec())],
            "not JSON",
        ),
        (
            "no course",
            vec![("course.json".into(), good.to_string().into_bytes())],
            "does not hold a course",
        ),
        (
            "newer",
            vec![("course.json".into(), newer.to_string().into_bytes())],
            "newer ClassKit Studio",
        ),
        (
            "traversal",
            vec![
                ("course.json".into(), traversal.to_string().into_bytes()),
                ("../../etc/passwd".into(), b"x".to_vec()),
            ],
            "is not an asset hash",
        ),
        (
            "bad hash",
            vec![
                ("course.json".into(), bad_hash.to_string().into_bytes()),
                (format!("assets/{}", "a".repeat(64)), b"abc".to_vec()),
            ],
            "is damaged",
        ),
    ];
    for (what, entries, message) in cases {
        let file = dir.path().join("bad.classkit");
        if entries.is_empty() {
            std::fs::write(&file, b"this is plain text").expect("write");
        } else {
            let refs: Vec<(&str, &[u8])> = entries
                .iter()
                .map(|(n, b)| (n.as_str(), b.as_slice()))
                .collect();
            write_zip(&file, &refs);
        }
        let err = app.import_bundle(&file, false).await.expect_err(what);
        assert_eq!(err.code(), "bundle_invalid", "{what}: {err}");
        assert!(err.to_string().contains(message), "{what}: {err}");
    }
    assert!(app.courses().await.expect("courses").is_empty());
}
