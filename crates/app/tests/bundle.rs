//! Course bundles: exact round trips, duplicates refused or copied, older formats read,
//! damaged or hostile archives refused without touching the library.

use classkit_app::{App, QueueChoice};
use classkit_model::{ComponentType, SlideLayout};
use classkit_store::SlideEdit;
use serde_json::Value;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

/// A course (as `course.json` holds it) of one slide narrated by the file `sha`.
fn course_narrated_by(id: &str, sha: &str) -> Value {
    let at = "2026-01-01T00:00:00Z";
    json!({
        "id": id, "title": "T", "created_at": at, "updated_at": at, "version": 1,
        "lessons": [{
            "id": uuid::Uuid::now_v7(), "course_id": id, "position": 0, "title": "L",
            "created_at": at, "updated_at": at, "version": 1,
            "slides": [{
                "id": uuid::Uuid::now_v7(), "lesson_id": uuid::Uuid::nil(), "position": 0,
                "title": "S", "body": "", "speaker_notes": "", "layout": "bullets",
                "image": null, "narration": sha, "created_at": at, "updated_at": at,
                "version": 1, "components": []
            }]
        }]
    })
}

async fn open(dir: &Path) -> App {
    App::open(dir, QueueChoice::Local)
        .await
        .expect("open library")
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
        .inspect_store()
        .put_asset(b"OggS narration bytes", "audio/ogg")
        .await
        .expect("audio");
    let image = app
        .inspect_store()
        .put_asset(b"\x89PNG image bytes", "image/png")
        .await
        .expect("image");
    app.inspect_store()
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
            Some(json!({"title": "Recap", "cards": [{"heading": "Light", "points": ["Water is split"]}]})),
        )
        .await
        .expect("component");
    app.set_ready(review.component.id, true)
        .await
        .expect("ready");
    app.add_component(slide.id, ComponentType::Review, Some(json!({"cards": []})))
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
        app_b
            .inspect_store()
            .asset_bytes(audio)
            .await
            .expect("bytes"),
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
    // Said without a client's controls: the command line adds `--as-copy` as its hint.
    assert!(err.to_string().contains("as a new copy"), "{err}");
    assert!(!err.to_string().contains("--"), "{err}");
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
        "course": course_narrated_by("01900000-0000-7000-8000-000000000002", &sha),
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

fn read_course_json(file: &Path) -> Value {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(file).expect("open")).expect("zip");
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("course.json").expect("entry"),
        &mut text,
    )
    .expect("read");
    serde_json::from_str(&text).expect("json")
}

/// `file` with its course.json replaced by `json`, written to `out`.
fn rewrite_course_json(file: &Path, json: &Value, out: &Path) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(file).expect("open")).expect("zip");
    let mut entries: Vec<(String, Vec<u8>)> =
        vec![("course.json".into(), json.to_string().into_bytes())];
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        if name != "course.json" {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read");
            entries.push((name, bytes));
        }
    }
    let refs: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    write_zip(out, &refs);
}

#[tokio::test]
async fn a_bundle_cannot_overwrite_another_course() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(dir.path()).await;
    let course = rich_course(&app).await;
    let file = dir.path().join("course.classkit");
    app.export_bundle(course, &file).await.expect("export");
    let before = app.course(course).await.expect("tree");

    // A hand-edited bundle: a new course id, but the slides and components of the first
    // course, at higher versions.
    let mut json = read_course_json(&file);
    json["course"]["id"] = Value::from(uuid::Uuid::now_v7().to_string());
    json["course"]["lessons"][0]["slides"][0]["version"] = Value::from(99);
    json["course"]["lessons"][0]["slides"][0]["title"] = Value::from("Hijacked");
    let edited = dir.path().join("edited.classkit");
    rewrite_course_json(&file, &json, &edited);
    let err = app
        .import_bundle(&edited, false)
        .await
        .expect_err("ids taken");
    assert_eq!(err.code(), "id_taken");
    assert!(err.to_string().contains("new copy"), "{err}");
    assert_eq!(
        app.course(course).await.expect("tree"),
        before,
        "nothing overwritten"
    );
    assert_eq!(app.courses().await.expect("courses").len(), 1);
    // As a copy it gets new ids and goes in.
    app.import_bundle(&edited, true).await.expect("as a copy");
    assert_eq!(app.course(course).await.expect("tree"), before);
}

#[tokio::test]
async fn old_ready_components_that_break_todays_rules_arrive_as_drafts() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(dir.path()).await;
    let mut json: Value = serde_json::from_slice(
        &std::fs::read(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundle_v1_course.json"),
        )
        .expect("fixture"),
    )
    .expect("json");
    let components = &mut json["course"]["lessons"][0]["slides"][0]["components"];
    let mut review = components[0].clone();
    review["id"] = Value::from("01900000-0000-7000-8000-0000000000f2");
    review["component_type"] = Value::from("REVIEW");
    review["payload"] = json!({"schema_version": 1, "cards": []});
    components.as_array_mut().expect("list").push(review);
    let file = dir.path().join("old.classkit");
    write_zip(&file, &[("course.json", json.to_string().as_bytes())]);
    let import = app.import_bundle(&file, false).await.expect("import");
    let tree = app.course(import.course_id).await.expect("tree");
    let statuses: Vec<&str> = tree.lessons[0].slides[0]
        .components
        .iter()
        .map(|c| c.status.as_str())
        .collect();
    assert_eq!(statuses, ["ready", "draft"]);
    // Imported entities are new to this library: no base version for sync.
    let outbox = app.inspect_store().outbox(1000).await.expect("outbox");
    assert!(!outbox.is_empty());
    assert!(outbox.iter().all(|o| o.base_version.is_none()));
}

#[tokio::test]
async fn repeated_and_oversized_assets() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(dir.path()).await;
    let course = rich_course(&app).await;
    let file = dir.path().join("course.classkit");
    app.export_bundle(course, &file).await.expect("export");
    let mut json = read_course_json(&file);
    // The same asset listed many times is read and stored once.
    let first = json["assets"][0].clone();
    let list = json["assets"].as_array_mut().expect("assets");
    for _ in 0..50 {
        list.push(first.clone());
    }
    json["course"]["id"] = Value::from(uuid::Uuid::now_v7().to_string());
    let repeated = dir.path().join("repeated.classkit");
    rewrite_course_json(&file, &json, &repeated);

    let other = tempfile::tempdir().expect("dir");
    let fresh = open(other.path()).await;
    let import = fresh.import_bundle(&repeated, true).await.expect("import");
    assert_eq!(import.assets, 2);

    // An asset past the library's limit is refused before anything is stored.
    let small_dir = tempfile::tempdir().expect("dir");
    let small = open(small_dir.path())
        .await
        .with_asset_limits(classkit_store::AssetLimits {
            max_asset_bytes: 10,
        });
    let err = small
        .import_bundle(&file, false)
        .await
        .expect_err("too large");
    assert_eq!(err.code(), "bundle_invalid");
    assert!(err.to_string().contains("larger than 10 bytes"), "{err}");
    assert!(small.courses().await.expect("courses").is_empty());
}

#[tokio::test]
async fn a_compressed_bomb_is_cut_off_at_the_limit() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(dir.path())
        .await
        .with_asset_limits(classkit_store::AssetLimits {
            max_asset_bytes: 1024 * 1024,
        });
    // 64 MiB of zeros deflate to a few dozen KiB; its header says what it likes.
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&zeros))
    };
    let manifest = json!({
        "format": "classkit-course-bundle", "format_version": 1,
        "course": course_narrated_by("01900000-0000-7000-8000-000000000003", &sha),
        "assets": [{"sha256": sha, "media_type": "audio/ogg", "size": 3}]
    });
    let file = dir.path().join("bomb.classkit");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).expect("create"));
        let deflate = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("course.json", deflate).expect("entry");
        zip.write_all(manifest.to_string().as_bytes())
            .expect("write");
        zip.start_file(format!("assets/{sha}"), deflate)
            .expect("entry");
        zip.write_all(&zeros).expect("write");
        zip.finish().expect("finish");
    }
    assert!(std::fs::metadata(&file).expect("size").len() < 1024 * 1024);
    let err = app.import_bundle(&file, false).await.expect_err("bomb");
    assert!(
        err.to_string().contains("larger than 1048576 bytes"),
        "{err}"
    );
}

#[tokio::test]
async fn sizes_the_zip_claims_past_the_limit_are_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(dir.path()).await;
    let course = rich_course(&app).await;
    let file = dir.path().join("course.classkit");
    app.export_bundle(course, &file).await.expect("export");
    // Each asset's central directory record claims 1.5 GiB (bytes 24..28: uncompressed size).
    let mut bytes = std::fs::read(&file).expect("read");
    let mut patched = 0;
    let mut at = 0;
    while let Some(i) = bytes[at..].windows(4).position(|w| w == b"PK\x01\x02") {
        let record = at + i;
        let name_len = u16::from_le_bytes([bytes[record + 28], bytes[record + 29]]) as usize;
        let name = &bytes[record + 46..record + 46 + name_len];
        if name.starts_with(b"assets/") {
            bytes[record + 24..record + 28].copy_from_slice(&0x6000_0000u32.to_le_bytes());
            patched += 1;
        }
        at = record + 4;
    }
    assert_eq!(patched, 2, "two assets");
    let claims = dir.path().join("claims.classkit");
    std::fs::write(&claims, bytes).expect("write");
    let other = tempfile::tempdir().expect("dir");
    let fresh = open(other.path()).await;
    let err = fresh
        .import_bundle(&claims, false)
        .await
        .expect_err("too much claimed");
    assert_eq!(err.code(), "bundle_invalid");
    assert!(err.to_string().contains("add up to more than"), "{err}");
    let stored: Vec<_> = std::fs::read_dir(other.path().join("assets"))
        .expect("assets")
        .collect();
    assert!(stored.is_empty(), "nothing was read into the library");
}

#[tokio::test]
async fn generated_outputs_of_every_kind_travel_with_the_course() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(dir.path()).await;
    let course = rich_course(&app).await;
    let tree = app.course(course).await.expect("tree");
    let slide = tree.lessons[0].slides[0].slide.id;
    let picture = app
        .inspect_store()
        .put_asset(b"\x89PNG an illustration", "image/png")
        .await
        .expect("picture");
    let output = |kind: &str| classkit_store::Generated {
        target_id: slide,
        kind: kind.into(),
        page: 0,
        asset: picture.sha256.clone(),
        media_type: "image/png".into(),
        thumbnail: None,
        duration_ms: None,
        input_key: format!("key of the {kind}"),
        engine: "cloud-images".into(),
        cost_micros: 40_000,
        job_id: None,
        details: json!({"prompt": "a leaf in the sun"}),
    };
    for kind in ["illustration", "slide_render"] {
        app.inspect_store()
            .put_generated(slide, kind, &[output(kind)])
            .await
            .expect("record");
    }
    let file = dir.path().join("course.classkit");
    app.export_bundle(course, &file).await.expect("export");
    let other = tempfile::tempdir().expect("dir");
    let fresh = open(other.path()).await;
    let import = fresh.import_bundle(&file, false).await.expect("import");
    assert_eq!(import.outputs, 2);
    for kind in ["illustration", "slide_render"] {
        let got = fresh
            .inspect_store()
            .generated(slide, kind)
            .await
            .expect("read");
        assert_eq!(got.len(), 1, "{kind}");
        assert_eq!(got[0].input_key, format!("key of the {kind}"));
        assert_eq!(got[0].asset, picture.sha256);
        assert_eq!(got[0].cost_micros, 0, "nothing was spent in this library");
    }
}

/// Per lesson, the (title, order key) of each slide, in the order the library reads them.
fn slide_keys(tree: &classkit_model::CourseTree) -> Vec<Vec<(String, String)>> {
    tree.lessons
        .iter()
        .map(|l| {
            l.slides
                .iter()
                .map(|s| (s.slide.title.clone(), s.slide.order_key.clone()))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn a_reordered_course_keeps_its_order_keys_through_a_bundle() {
    let a = tempfile::tempdir().expect("dir");
    let b = tempfile::tempdir().expect("dir");
    let app_a = open(a.path()).await;
    let course = rich_course(&app_a).await;
    // Moves leave keys that a new list would not get: between two, and before the first.
    let tree = app_a.course(course).await.expect("tree");
    let (first, second) = (&tree.lessons[0], &tree.lessons[1]);
    let last = second.slides.last().expect("slides").slide.id;
    app_a
        .move_slide(last, first.lesson.id, 1, None)
        .await
        .expect("move between");
    let third = first.slides[2].slide.id;
    app_a
        .move_slide(third, first.lesson.id, 0, None)
        .await
        .expect("move first");
    let moved = app_a.course(course).await.expect("tree");
    let fresh: Vec<String> = classkit_model::order::sequence(moved.lessons[0].slides.len());
    let keys: Vec<String> = moved.lessons[0]
        .slides
        .iter()
        .map(|s| s.slide.order_key.clone())
        .collect();
    assert_ne!(keys, fresh, "the moves made keys of their own");

    let file = a.path().join("course.classkit");
    app_a.export_bundle(course, &file).await.expect("export");
    let app_b = open(b.path()).await;
    app_b.import_bundle(&file, false).await.expect("import");
    let imported = app_b.course(course).await.expect("tree");
    assert_eq!(slide_keys(&imported), slide_keys(&moved));
    assert_eq!(imported, moved, "every field survives");
    // A copy (new ids) keeps the order and the keys too.
    let copy = app_b.import_bundle(&file, true).await.expect("copy");
    let copied = app_b.course(copy.course_id).await.expect("tree");
    assert_eq!(slide_keys(&copied), slide_keys(&moved));
}

#[tokio::test]
async fn a_bundle_without_order_keys_imports_in_the_order_it_lists() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(dir.path()).await;
    let course = rich_course(&app).await;
    let file = dir.path().join("course.classkit");
    app.export_bundle(course, &file).await.expect("export");
    let before = app.course(course).await.expect("tree");

    // As a bundle from before order keys: no keys, positions as that version wrote them
    // (here against the list, which is what orders a course on import), and the second
    // lesson's slides listed backwards.
    let mut json = read_course_json(&file);
    json["course"]["id"] = Value::from(uuid::Uuid::now_v7().to_string());
    let lessons = json["course"]["lessons"].as_array_mut().expect("lessons");
    for lesson in lessons.iter_mut() {
        let lesson = lesson.as_object_mut().expect("lesson");
        lesson.remove("order_key");
        let slides = lesson["slides"].as_array_mut().expect("slides");
        let n = slides.len();
        for (i, slide) in slides.iter_mut().enumerate() {
            let slide = slide.as_object_mut().expect("slide");
            slide.remove("order_key");
            slide.insert("position".into(), Value::from(n - i));
        }
    }
    lessons[1]["slides"]
        .as_array_mut()
        .expect("slides")
        .reverse();
    let old = dir.path().join("old.classkit");
    rewrite_course_json(&file, &json, &old);
    let import = app.import_bundle(&old, true).await.expect("import");
    let tree = app.course(import.course_id).await.expect("tree");

    let titles = |t: &classkit_model::CourseTree, l: usize| -> Vec<String> {
        t.lessons[l]
            .slides
            .iter()
            .map(|s| s.slide.title.clone())
            .collect()
    };
    let mut backwards = titles(&before, 1);
    backwards.reverse();
    assert_eq!(titles(&tree, 0), titles(&before, 0));
    assert_eq!(titles(&tree, 1), backwards);
    assert_eq!(titles(&tree, 2), titles(&before, 2));
    for lesson in &tree.lessons {
        let keys: Vec<&str> = lesson
            .slides
            .iter()
            .map(|s| s.slide.order_key.as_str())
            .collect();
        assert!(keys.iter().all(|k| classkit_model::order::is_valid(k)));
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        let positions: Vec<i64> = lesson.slides.iter().map(|s| s.slide.position).collect();
        assert_eq!(
            positions,
            (0..lesson.slides.len() as i64).collect::<Vec<_>>()
        );
    }
}

#[tokio::test]
async fn why_nothing_was_drafted_travels_with_the_course_and_is_checked() {
    let dir = tempfile::tempdir().expect("dir");
    let app = open(dir.path()).await;
    let course = rich_course(&app).await;
    let tree = app.course(course).await.expect("tree");
    let slide = tree.lessons[0].slides[0].slide.id;
    let why = classkit_engines::drafts::Why::NoConversation;
    app.inspect_store()
        .record_nothing_drafted(slide, "ROLEPLAY", "key", "extractive", None, why.text())
        .await
        .expect("record");
    let file = dir.path().join("course.classkit");
    app.export_bundle(course, &file).await.expect("export");
    let json = read_course_json(&file);
    assert_eq!(json["format_version"], json!(3));
    assert_eq!(json["drafted"][0]["reason"], json!(why.text()));

    let other = tempfile::tempdir().expect("dir");
    let fresh = open(other.path()).await;
    fresh.import_bundle(&file, false).await.expect("import");
    let verdicts = fresh.draft_verdicts(slide).await.expect("verdicts");
    assert_eq!(verdicts.len(), 1);
    assert_eq!(verdicts[0].reason.as_deref(), Some(why.text()));
    assert_eq!(verdicts[0].reason_code.as_deref(), Some("no_conversation"));

    // A reason too long, with a control character in it, or beside a component is refused,
    // and nothing is imported.
    let mut bad_reasons = vec![json!("x".repeat(5000)), json!("no\u{0}conversation")];
    bad_reasons.push(json!("why"));
    for (i, reason) in bad_reasons.into_iter().enumerate() {
        let mut hostile = json.clone();
        hostile["drafted"][0]["reason"] = reason;
        if i == 2 {
            hostile["drafted"][0]["component_id"] = json!(uuid::Uuid::now_v7());
            hostile["drafted"][0]["version"] = json!(1);
        }
        let out = dir.path().join(format!("hostile-{i}.classkit"));
        rewrite_course_json(&file, &hostile, &out);
        let third = tempfile::tempdir().expect("dir");
        let refused = open(third.path()).await;
        let e = refused
            .import_bundle(&out, false)
            .await
            .expect_err("refused");
        assert_eq!(e.code(), "bundle_invalid", "{e}");
        assert!(refused.courses().await.expect("courses").is_empty());
    }
}
