//! Saving, history, restore, outbox and assets against a real SQLite library.

use classkit_model::{ComponentStatus, ComponentType};
use classkit_store::{
    AssetLimits, IfInvalid, NewComponent, NewSlide, Restored, SlideEdit, Store, StoreError,
};
use serde_json::json;

async fn library() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).await.expect("open library");
    (dir, store)
}

async fn slide(store: &Store) -> classkit_model::Slide {
    let course = store
        .create_course("Photosynthesis", Some("en"))
        .await
        .expect("course");
    let lesson = store
        .add_lesson(course.id, "The big picture")
        .await
        .expect("lesson");
    store
        .add_slide(
            lesson.id,
            NewSlide {
                title: "What photosynthesis does".into(),
                body: "- Light becomes chemical energy".into(),
                speaker_notes: "Plants capture light.".into(),
                ..NewSlide::default()
            },
        )
        .await
        .expect("slide")
}

fn review(heading: &str) -> serde_json::Value {
    json!({"schema_version": 1, "title": "Recap", "cards": [{"heading": heading, "points": ["Water is split"]}]})
}

#[tokio::test]
async fn open_sets_wal_and_foreign_keys() {
    let (dir, store) = library().await;
    store.close().await;
    // Another SQLite client sees the mode stored in the file.
    let out = std::process::Command::new("sqlite3")
        .arg(dir.path().join("library.sqlite"))
        .arg("PRAGMA journal_mode;")
        .output()
        .expect("sqlite3 (installed by scripts/setup)");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "wal");
    // Foreign keys are enforced on the store's connections: a slide pointing at an asset
    // that is not stored is refused by the database itself (see also the asset test).
    let store = Store::open(dir.path()).await.expect("reopen");
    let slide = slide(&store).await;
    let err = store
        .update_slide(
            slide.id,
            SlideEdit {
                image: Some(Some(classkit_model::AssetRef("f".repeat(64)))),
                ..SlideEdit::default()
            },
            None,
        )
        .await
        .expect_err("foreign key");
    assert_eq!(err.code(), "asset_missing");
}

#[tokio::test]
async fn a_library_from_a_newer_version_is_refused_untouched() {
    let (dir, store) = library().await;
    store.close().await;
    let db = dir.path().join("library.sqlite");
    let out = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (99990101000000, 'from the future', 1, x'00', 0);",
        )
        .output()
        .expect("sqlite3 (installed by scripts/setup)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = Store::open(dir.path()).await.expect_err("newer library");
    assert_eq!(err.code(), "library_too_new");
    assert!(err.to_string().contains("update ClassKit Studio"), "{err}");
}

#[tokio::test]
async fn every_save_writes_a_revision_and_an_outbox_row() {
    let (_dir, store) = library().await;
    let slide = slide(&store).await;
    let before = store.outbox(1000).await.expect("outbox").len();
    let edited = store
        .update_slide(
            slide.id,
            SlideEdit {
                title: Some("Light into sugar".into()),
                ..SlideEdit::default()
            },
            Some(1),
        )
        .await
        .expect("edit");
    assert_eq!(edited.version, 2);
    assert_eq!(edited.body, slide.body, "untouched fields stay");
    let outbox = store.outbox(1000).await.expect("outbox");
    assert_eq!(outbox.len(), before + 1);
    let last = outbox.last().expect("row");
    assert_eq!((last.entity_id, last.base_version), (slide.id, Some(1)));
    assert_eq!(last.data["title"], "Light into sugar");

    let history = store.history(slide.id).await.expect("history");
    assert_eq!(
        history.iter().map(|r| r.version).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(history[0].data["title"], "What photosynthesis does");
}

#[tokio::test]
async fn a_stale_edit_is_refused_not_lost_silently() {
    let (_dir, store) = library().await;
    let slide = slide(&store).await;
    let edit = |t: &str| SlideEdit {
        title: Some(t.into()),
        ..SlideEdit::default()
    };
    store
        .update_slide(slide.id, edit("first"), Some(1))
        .await
        .expect("first");
    let err = store
        .update_slide(slide.id, edit("second"), Some(1))
        .await
        .expect_err("stale");
    assert!(matches!(
        err,
        StoreError::VersionConflict {
            expected: 1,
            actual: 2,
            ..
        }
    ));
    assert_eq!(store.slide(slide.id).await.expect("slide").title, "first");
}

#[tokio::test]
async fn restore_brings_back_an_old_version_as_a_new_one() {
    let (_dir, store) = library().await;
    let slide = slide(&store).await;
    let c = store
        .add_component(NewComponent {
            slide_id: slide.id,
            component_type: ComponentType::Review,
            payload: review("Light reactions"),
            status: ComponentStatus::Draft,
        })
        .await
        .expect("add");
    store
        .update_component(c.id, review("Calvin cycle"), Some(1), IfInvalid::Refuse)
        .await
        .expect("v2");
    store
        .update_component(c.id, review("Limits"), Some(2), IfInvalid::Refuse)
        .await
        .expect("v3");
    let Restored::Component(restored) = store.restore(c.id, 1).await.expect("restore") else {
        panic!("a component restore gives a component");
    };
    assert_eq!(restored.version, 4);
    assert_eq!(restored.payload["cards"][0]["heading"], "Light reactions");
    let history = store.history(c.id).await.expect("history");
    assert_eq!(history.len(), 4, "nothing overwritten");
    assert_eq!(history[2].data["payload"]["cards"][0]["heading"], "Limits");
    assert_eq!(
        (history[3].change, history[3].restored_from),
        (classkit_model::ChangeKind::Restored, Some(1))
    );

    // Slides too.
    store
        .update_slide(
            slide.id,
            SlideEdit {
                speaker_notes: Some("changed".into()),
                ..SlideEdit::default()
            },
            None,
        )
        .await
        .expect("edit slide");
    let Restored::Slide(s) = store.restore(slide.id, 1).await.expect("restore slide") else {
        panic!("a slide restore gives a slide");
    };
    assert_eq!(
        (s.version, s.speaker_notes.as_str()),
        (3, "Plants capture light.")
    );
    assert!(matches!(
        store.restore(slide.id, 99).await,
        Err(StoreError::RevisionNotFound(_, 99))
    ));
}

#[tokio::test]
async fn ready_requires_a_valid_payload() {
    let (_dir, store) = library().await;
    let slide = slide(&store).await;
    let draft = store
        .add_component(NewComponent {
            slide_id: slide.id,
            component_type: ComponentType::Review,
            payload: json!({"cards": []}),
            status: ComponentStatus::Draft,
        })
        .await
        .expect("an incomplete draft is saved");
    let err = store
        .set_component_status(draft.id, ComponentStatus::Ready, None)
        .await
        .expect_err("invalid");
    assert_eq!(err.code(), "validation_failed");
    assert_eq!(err.issues().expect("issues")[0].pointer, "/cards");
    assert_eq!(
        store.component(draft.id).await.expect("c").status,
        ComponentStatus::Draft
    );

    store
        .update_component(draft.id, review("Fixed"), None, IfInvalid::Refuse)
        .await
        .expect("fix");
    let ready = store
        .set_component_status(draft.id, ComponentStatus::Ready, None)
        .await
        .expect("ready");
    assert_eq!(ready.status, ComponentStatus::Ready);
    // Breaking a ready component is refused and the saved payload stays.
    let err = store
        .update_component(draft.id, json!({"cards": []}), None, IfInvalid::Refuse)
        .await
        .expect_err("ready stays valid");
    assert_eq!(err.code(), "validation_failed");
    assert_eq!(
        store.component(draft.id).await.expect("c").payload,
        ready.payload
    );
    // Or, as an instructor's edit, it is kept by making the component a draft in one write.
    let kept = store
        .update_component(draft.id, json!({"cards": []}), None, IfInvalid::MakeDraft)
        .await
        .expect("kept as a draft");
    assert!(kept.moved_to_draft);
    let kept = kept.component;
    assert_eq!(
        (kept.status, kept.version, kept.payload["cards"].clone()),
        (ComponentStatus::Draft, ready.version + 1, json!([]))
    );
    // A draft saved again stays a draft: nothing moved.
    let again = store
        .update_component(draft.id, json!({"cards": []}), None, IfInvalid::MakeDraft)
        .await
        .expect("saved again");
    assert!(!again.moved_to_draft);
    // A payload of the wrong shape is refused even as a draft.
    let err = store
        .add_component(NewComponent {
            slide_id: slide.id,
            component_type: ComponentType::Review,
            payload: json!({"cards": "not a list"}),
            status: ComponentStatus::Draft,
        })
        .await
        .expect_err("wrong shape");
    assert_eq!(err.issues().expect("issues")[0].pointer, "/cards");
}

#[tokio::test]
async fn assets_are_deduplicated_and_limited() {
    let (dir, store) = library().await;
    let a = store
        .put_asset(b"RIFF fake wav bytes", "audio/wav")
        .await
        .expect("put");
    let b = store
        .put_asset(b"RIFF fake wav bytes", "audio/wav")
        .await
        .expect("put again");
    assert_eq!(a, b);
    use sha2::Digest;
    assert_eq!(
        a.sha256.0,
        hex::encode(sha2::Sha256::digest(b"RIFF fake wav bytes"))
    );
    assert_eq!(a.size, 19);
    let files = walk(&dir.path().join("assets"));
    assert_eq!(files, 1, "stored once");
    assert_eq!(
        store.asset_bytes(&a.sha256).await.expect("read"),
        b"RIFF fake wav bytes"
    );

    let small = store.clone().with_limits(AssetLimits {
        max_asset_bytes: 10,
    });
    let err = small
        .put_asset(&[0u8; 11], "image/png")
        .await
        .expect_err("too big");
    assert_eq!(err.code(), "asset_too_large");
    assert!(
        err.to_string().contains("11 bytes; the limit is 10 bytes"),
        "{err}"
    );

    // A slide can only point at a stored asset.
    let slide = slide(&store).await;
    let missing = classkit_model::AssetRef("0".repeat(64));
    let err = store
        .update_slide(
            slide.id,
            SlideEdit {
                image: Some(Some(missing)),
                ..SlideEdit::default()
            },
            None,
        )
        .await
        .expect_err("missing asset");
    assert_eq!(err.code(), "asset_missing");
    let ok = store
        .update_slide(
            slide.id,
            SlideEdit {
                narration: Some(Some(a.sha256.clone())),
                ..SlideEdit::default()
            },
            None,
        )
        .await
        .expect("stored asset");
    assert_eq!(ok.narration, Some(a.sha256));
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| {
            let e = e.expect("entry");
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[tokio::test]
async fn ready_components_may_only_name_stored_files() {
    let (_dir, store) = library().await;
    let slide = slide(&store).await;
    let missing = "ab".repeat(32);
    let card = |audio: &str| json!({"cards": [{"id": "c1", "term": "chlorophyll", "definition": "the green pigment", "audio": audio}]});
    let c = store
        .add_component(NewComponent {
            slide_id: slide.id,
            component_type: ComponentType::Flashcards,
            payload: card(&missing),
            status: ComponentStatus::Draft,
        })
        .await
        .expect("a draft may name a file not yet stored");
    let err = store
        .set_component_status(c.id, ComponentStatus::Ready, None)
        .await
        .expect_err("file missing");
    let issues = err.issues().expect("issues");
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].pointer, "/cards/0/audio");
    let audio = store
        .put_asset(b"OggS...", "audio/ogg")
        .await
        .expect("store the file");
    store
        .update_component(c.id, card(&audio.sha256.0), None, IfInvalid::Refuse)
        .await
        .expect("point at the stored file");
    store
        .set_component_status(c.id, ComponentStatus::Ready, None)
        .await
        .expect("ready now");
}

#[tokio::test]
async fn slides_move_within_and_between_lessons_with_a_revision_each() {
    let (_dir, store) = library().await;
    let course = store.create_course("Moves", None).await.expect("course");
    let a = store.add_lesson(course.id, "A").await.expect("lesson");
    let b = store.add_lesson(course.id, "B").await.expect("lesson");
    let mut ids = Vec::new();
    for title in ["one", "two", "three"] {
        let new = NewSlide {
            title: title.into(),
            ..NewSlide::default()
        };
        ids.push(store.add_slide(a.id, new).await.expect("slide").id);
    }
    let titles = |tree: &classkit_model::CourseTree, l: usize| -> Vec<String> {
        tree.lessons[l]
            .slides
            .iter()
            .map(|s| format!("{}@{}", s.slide.title, s.slide.position))
            .collect()
    };

    // "three" to the front: it gets a "moved" revision; the slides it passed keep theirs.
    let moved = store
        .move_slide(ids[2], a.id, 0, Some(1))
        .await
        .expect("moved");
    assert_eq!((moved.position, moved.version), (0, 2));
    let tree = store.course_tree(course.id).await.expect("tree");
    assert_eq!(titles(&tree, 0), ["three@0", "one@1", "two@2"]);
    let history = store.history(ids[2]).await.expect("history");
    assert_eq!(history.last().map(|r| r.change.as_str()), Some("moved"));
    let passed = store.history(ids[0]).await.expect("history");
    assert_eq!(passed.last().map(|r| r.change.as_str()), Some("created"));

    // "one" into lesson B, past its end: it goes last there, and A closes up.
    store
        .move_slide(ids[0], b.id, 99, None)
        .await
        .expect("moved");
    let tree = store.course_tree(course.id).await.expect("tree");
    assert_eq!(titles(&tree, 0), ["three@0", "two@1"]);
    assert_eq!(titles(&tree, 1), ["one@0"]);

    // A stale version, another course's lesson, and a missing lesson are refused untouched.
    // ("three" is at version 2 since its move.)
    let stale = store.move_slide(ids[2], a.id, 1, Some(1)).await;
    assert!(
        matches!(stale, Err(StoreError::VersionConflict { .. })),
        "{stale:?}"
    );
    let other = store.create_course("Other", None).await.expect("course");
    let foreign = store.add_lesson(other.id, "X").await.expect("lesson");
    let across = store.move_slide(ids[1], foreign.id, 0, None).await;
    assert!(matches!(across, Err(StoreError::Invalid(_))), "{across:?}");
    let missing = store.move_slide(ids[1], uuid::Uuid::nil(), 0, None).await;
    assert_eq!(
        missing.map(|_| ()).map_err(|e| e.code()),
        Err(classkit_model::ErrorCode::NotFound)
    );
    let tree = store.course_tree(course.id).await.expect("tree");
    assert_eq!(titles(&tree, 0), ["three@0", "two@1"]);
}

#[tokio::test]
async fn saves_are_listed_in_order_after_a_number() {
    let (_dir, store) = library().await;
    let before = store.last_save().await.expect("last");
    let s = slide(&store).await;
    let c = store
        .add_component(NewComponent {
            slide_id: s.id,
            component_type: ComponentType::Review,
            payload: review("Light"),
            status: ComponentStatus::Draft,
        })
        .await
        .expect("component");
    let saves = store.saves_after(before, 100).await.expect("saves");
    let seen: Vec<(&str, &str)> = saves
        .iter()
        .map(|s| (s.entity_type.as_str(), s.change.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("course", "created"),
            ("lesson", "created"),
            ("slide", "created"),
            ("component", "created")
        ]
    );
    let last = saves.last().expect("component save");
    assert_eq!((last.entity_id, last.slide_id), (c.id, Some(s.id)));
    assert_eq!(saves[2].lesson_id, Some(s.lesson_id));
    assert!(saves.windows(2).all(|w| w[0].seq < w[1].seq));
    let after = store.last_save().await.expect("last");
    assert_eq!(after, last.seq);
    assert!(
        store
            .saves_after(after, 100)
            .await
            .expect("none")
            .is_empty()
    );
}

#[tokio::test]
async fn nul_characters_are_refused_in_edits_and_removed_from_what_was_stored_before() {
    let (dir, store) = library().await;
    let slide = slide(&store).await;
    let err = store
        .update_slide(
            slide.id,
            SlideEdit {
                speaker_notes: Some("Plants\0 capture light.".into()),
                ..SlideEdit::default()
            },
            None,
        )
        .await
        .expect_err("a NUL in an edit");
    assert_eq!(err.code(), "validation_failed");
    assert_eq!(err.issues().expect("issues")[0].pointer, "/speaker_notes");
    let component = store
        .add_component(NewComponent {
            slide_id: slide.id,
            component_type: ComponentType::Review,
            payload: review("Light"),
            status: ComponentStatus::Draft,
        })
        .await
        .expect("component");
    let err = store
        .update_component(component.id, review("Li\0ght"), None, IfInvalid::Refuse)
        .await
        .expect_err("a NUL in a payload");
    assert_eq!(err.issues().expect("issues")[0].pointer, "/cards/0/heading");
    store.close().await;
    drop(store);

    // Text an older version let a NUL into (as it was stored then), and the repair not
    // made yet: opening the library removes the NULs, once.
    let sql = format!(
        "UPDATE slides SET speaker_notes = 'Plants' || char(0) || ' capture light.' \
         WHERE id = '{}'; \
         UPDATE components SET payload = replace(payload, '\"Light\"', '\"Li\\u0000ght\"'); \
         DELETE FROM repairs;",
        slide.id
    );
    let ok = std::process::Command::new("sqlite3")
        .arg(dir.path().join("library.sqlite"))
        .arg(&sql)
        .status()
        .expect("sqlite3")
        .success();
    assert!(ok);
    let store = Store::open(dir.path()).await.expect("reopen");
    assert_eq!(
        store.slide(slide.id).await.expect("slide").speaker_notes,
        "Plants capture light."
    );
    let repaired = store.component(component.id).await.expect("component");
    assert_eq!(repaired.payload["cards"][0]["heading"], "Light");
    assert_eq!(store.integrity_check().await.expect("check"), "ok");
}

#[tokio::test]
async fn sharing_queues_every_entity_once_with_the_state_the_library_holds() {
    let (_dir, store) = library().await;
    let slide = slide(&store).await;
    let course = store.courses().await.expect("courses")[0].course.id;
    let mut made = Vec::new();
    for heading in ["Light", "Wasser & \"Licht\"", "빛 <b>에너지</b>\u{1F33F}"] {
        let c = store
            .add_component(NewComponent {
                slide_id: slide.id,
                component_type: ComponentType::Review,
                payload: review(heading),
                status: ComponentStatus::Ready,
            })
            .await
            .expect("component");
        made.push(c);
    }
    let queued = store.share_course(course).await.expect("share");
    assert_eq!(
        queued,
        1 + 1 + 1 + made.len(),
        "course, lesson, slide, components"
    );

    let pending = store.team_pending(course, 0, 100).await.expect("pending");
    let kinds: Vec<&str> = pending.iter().map(|p| p.mutation.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "course",
            "lesson",
            "slide",
            "component",
            "component",
            "component"
        ]
    );
    let ids: std::collections::HashSet<_> =
        pending.iter().map(|p| p.mutation.mutation_id).collect();
    assert_eq!(ids.len(), pending.len(), "every mutation id differs");
    for p in &pending {
        assert_eq!(
            p.mutation.mutation_id.get_version_num(),
            match p.mutation.kind.as_str() {
                "component" => 4,
                _ => 7,
            }
        );
    }
    for (p, c) in pending[3..].iter().zip(&made) {
        assert_eq!(p.mutation.entity_id, c.id);
        assert_eq!(p.mutation.base, None);
        assert_eq!(
            p.mutation.state,
            Some(classkit_sync::EntityState::from(c)),
            "the queued state is the stored component"
        );
    }
}

#[tokio::test]
async fn the_library_lists_each_course_with_its_counts_by_type_readiness_and_last_edit() {
    let (_dir, store) = library().await;
    let first = slide(&store).await;
    let course = store.courses().await.expect("courses")[0].clone();
    assert_eq!(course.first_slide, Some(first.id));
    assert_eq!((course.components, course.ready), (0, 0));
    assert!(course.by_type.is_empty());
    let add = |component_type, payload: serde_json::Value, status| {
        store.add_component(NewComponent {
            slide_id: first.id,
            component_type,
            payload,
            status,
        })
    };
    add(
        ComponentType::Review,
        review("Light"),
        ComponentStatus::Ready,
    )
    .await
    .expect("review");
    add(
        ComponentType::Review,
        review("Water"),
        ComponentStatus::Draft,
    )
    .await
    .expect("review");
    let quiz = add(ComponentType::Quiz, json!({}), ComponentStatus::Draft)
        .await
        .expect("quiz");
    let summary = store.courses().await.expect("courses")[0].clone();
    assert_eq!((summary.components, summary.ready), (3, 1));
    assert_eq!(
        summary.by_type.into_iter().collect::<Vec<_>>(),
        vec![(ComponentType::Review, 2), (ComponentType::Quiz, 1)]
    );
    let quiz = store.component(quiz.id).await.expect("quiz as stored");
    assert_eq!(summary.last_edited, quiz.updated_at, "the newest save");
    // A slide before the first one becomes the course's picture.
    let lesson = first.lesson_id;
    let before = store
        .add_slide(
            lesson,
            NewSlide {
                title: "Opening".into(),
                ..NewSlide::default()
            },
        )
        .await
        .expect("slide");
    store
        .move_slide(before.id, lesson, 0, None)
        .await
        .expect("move");
    assert_eq!(
        store.courses().await.expect("courses")[0].first_slide,
        Some(before.id)
    );
}
