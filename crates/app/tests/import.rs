//! Importing the example lectures and refusing bad input without touching the library.

use classkit_app::{App, QueueChoice};
use std::path::PathBuf;

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

async fn app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = App::open(dir.path(), QueueChoice::Local)
        .await
        .expect("open");
    (dir, app)
}

#[tokio::test]
async fn example_lectures_become_sensible_courses() {
    let (_dir, app) = app().await;
    for (file, title, language, lessons) in [
        (
            "photosynthesis.md",
            "Photosynthesis: How Plants Turn Light into Life",
            "en",
            3,
        ),
        (
            "negotiating-by-phone.md",
            "Negotiating a Contract by Phone",
            "en",
            3,
        ),
        (
            "korean-orientation.md",
            "직장인 비즈니스 영어 과정 오리엔테이션",
            "ko",
            2,
        ),
    ] {
        let summary = app
            .import_lecture_file(&examples().join(file), None)
            .await
            .expect(file);
        assert_eq!(summary.title, title);
        assert_eq!(summary.language.as_deref(), Some(language));
        assert_eq!(summary.lessons, lessons, "{file}");
        let tree = app.course(summary.course_id).await.expect("tree");
        assert!(tree.slide_count() >= 5, "{file}");
        for lesson in &tree.lessons {
            assert!(!lesson.lesson.title.is_empty());
            for s in &lesson.slides {
                let slide = &s.slide;
                assert!(!slide.title.is_empty(), "{file}: a slide without a title");
                assert!(
                    slide.body.starts_with("- "),
                    "{file}/{}: body is the bullet list",
                    slide.title
                );
                assert!(
                    slide.speaker_notes.split_whitespace().count() >= 20,
                    "{file}/{}: narration comes from the prose",
                    slide.title
                );
                // Plain text, but for the bold that sets key terms apart.
                assert_eq!(slide.speaker_notes.matches("**").count() % 2, 0);
                assert!(
                    !classkit_model::spoken(&slide.speaker_notes).contains('*'),
                    "narration is plain text"
                );
                let opening: String = slide.speaker_notes.chars().take(20).collect();
                assert!(!slide.body.contains(&opening), "prose is not on screen");
            }
        }
    }
    // Instructor notes came from the blockquote and the `Note:` line.
    let courses = app.courses().await.expect("courses");
    let mut notes = 0;
    for c in &courses {
        let tree = app.course(c.course.id).await.expect("tree");
        notes += tree
            .lessons
            .iter()
            .flat_map(|l| &l.slides)
            .filter(|s| !s.slide.instructor_notes.is_empty())
            .count();
    }
    assert!(notes >= 2);
}

#[tokio::test]
async fn bad_input_is_refused_and_the_library_is_unchanged() {
    let (dir, app) = app().await;
    app.import_lecture_file(&examples().join("photosynthesis.md"), None)
        .await
        .expect("a good import first");
    let before = app.courses().await.expect("courses");
    let outbox_before = app
        .inspect_store()
        .outbox(100_000)
        .await
        .expect("outbox")
        .len();

    let fifty_mb = vec![b'a'; 50 * 1024 * 1024];
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.md", Vec::new(), "import_empty"),
        ("blank.md", b"  \n\n \t\n".to_vec(), "import_empty"),
        (
            "slides.pdf",
            b"%PDF-1.7\n\x00\x00\x01\x02\x03stream".to_vec(),
            "import_binary",
        ),
        (
            "image.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec(),
            "import_binary",
        ),
        (
            "latin1.txt",
            b"Caf\xe9 au lait\n".to_vec(),
            "import_not_utf8",
        ),
        ("huge.md", fifty_mb, "import_too_large"),
    ];
    for (name, bytes, code) in cases {
        let err = app
            .import_lecture(name, &bytes, None)
            .await
            .expect_err(name);
        assert_eq!(err.code(), code, "{name}");
        assert!(
            err.to_string().contains(name),
            "the message names the file: {err}"
        );
    }
    // A file on disk is read only up to the limit, not whole.
    let big = dir.path().join("big.md");
    std::fs::write(&big, vec![b'x'; 6 * 1024 * 1024]).expect("write");
    let err = app
        .import_lecture_file(&big, None)
        .await
        .expect_err("too big");
    assert_eq!(err.code(), "import_too_large");
    let err = app
        .import_lecture_file(&dir.path().join("missing.md"), None)
        .await
        .expect_err("missing");
    assert_eq!(err.code(), "io_error");

    assert_eq!(app.courses().await.expect("courses"), before);
    assert_eq!(
        app.inspect_store()
            .outbox(100_000)
            .await
            .expect("outbox")
            .len(),
        outbox_before
    );
    assert_eq!(
        app.inspect_store().integrity_check().await.expect("check"),
        "ok"
    );
}

#[tokio::test]
async fn one_enormous_line_and_script_tags_are_kept_as_text() {
    let (_dir, app) = app().await;
    let line = "word ".repeat(20_000); // 100,000 characters, no line break
    let s = app
        .import_lecture("one-line.txt", line.trim_end().as_bytes(), None)
        .await
        .expect("import");
    let tree = app.course(s.course_id).await.expect("tree");
    let words: usize = tree
        .lessons
        .iter()
        .flat_map(|l| &l.slides)
        .map(|s| s.slide.speaker_notes.split_whitespace().count())
        .sum();
    assert_eq!(words, 20_000, "no text lost");
    assert!(tree.slide_count() > 100);

    let md = "# Safe\n\n## <script>alert('title')</script>\n\n- <img src=x onerror=alert(1)>\n\nSay <script>alert(\"hi\")</script> out loud.\n";
    let s = app
        .import_lecture("x.md", md.as_bytes(), None)
        .await
        .expect("import");
    let tree = app.course(s.course_id).await.expect("tree");
    let slide = &tree.lessons[0].slides[0].slide;
    assert_eq!(slide.title, "<script>alert('title')</script>");
    assert_eq!(slide.body, "- <img src=x onerror=alert(1)>");
    assert_eq!(
        slide.speaker_notes,
        "Say <script>alert(\"hi\")</script> out loud."
    );
}
