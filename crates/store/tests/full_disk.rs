//! The library on a disk that fills up: saves and new files fail with an error that says
//! the disk is full, nothing acknowledged is lost, and once space is freed saves work
//! again on every connection. Runs on a tmpfs of its own (root, or a user namespace).

use classkit_store::{NewSlide, SlideEdit, Store};
use classkit_testkit::SmallDisk;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_saves_clearly_and_they_work_again_when_space_is_freed() {
    const NAME: &str = "a_full_disk_refuses_saves_clearly_and_they_work_again_when_space_is_freed";
    if let Some(passed) = SmallDisk::reexec(NAME) {
        assert!(passed.expect("run in a mount namespace"), "the run failed");
        return;
    }
    let disk = SmallDisk::mount(4 * 1024 * 1024).expect("mount a tmpfs");
    let store = Store::open(&disk.path().join("library"))
        .await
        .expect("open");
    let course = store
        .create_course("Full", Some("en"))
        .await
        .expect("course");
    let lesson = store.add_lesson(course.id, "Lesson").await.expect("lesson");
    let slide = store
        .add_slide(lesson.id, NewSlide::default())
        .await
        .expect("slide");
    let filler = disk.fill().expect("fill the disk");

    let mut saved = slide.version;
    let mut refused = 0;
    for n in 0..24 {
        let edit = SlideEdit {
            speaker_notes: Some(format!("Take {n}. {}", "words ".repeat(2000))),
            ..SlideEdit::default()
        };
        match store.update_slide(slide.id, edit, None).await {
            Ok(s) => saved = s.version,
            Err(e) => {
                assert!(e.is_disk_full(), "a full disk says so: {e}");
                assert_eq!(e.code(), "disk_full");
                refused += 1;
            }
        }
        if let Err(e) = store
            .put_asset(&vec![n as u8; 256 * 1024], "audio/ogg")
            .await
        {
            assert!(e.is_disk_full(), "{e}");
        }
    }
    assert!(refused > 0, "the disk was full");
    assert_eq!(store.slide(slide.id).await.expect("read").version, saved);

    std::fs::remove_file(filler).expect("free space");
    for n in 0..12 {
        let edit = SlideEdit {
            title: Some(format!("Again {n}")),
            ..SlideEdit::default()
        };
        saved = store
            .update_slide(slide.id, edit, Some(saved))
            .await
            .unwrap_or_else(|e| panic!("save {n} after space was freed: {e}"))
            .version;
    }
    let audio = store
        .put_asset(b"OggS after", "audio/ogg")
        .await
        .expect("a file after space was freed");
    assert!(store.has_asset(&audio.sha256).await.expect("lookup"));
    assert_eq!(store.integrity_check().await.expect("check"), "ok");
}
