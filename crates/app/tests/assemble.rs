//! Assembling a course with the builtin engines, for real: espeak-ng and Piper speech,
//! resvg slides, the cache, and reruns that do nothing new.

use classkit_app::generate::{AssembleOptions, NARRATION, Part, SLIDE_RENDER};
use classkit_app::{App, QueueChoice};
use classkit_model::ComponentType;
use classkit_store::SlideEdit;
use std::path::PathBuf;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn espeak() -> AssembleOptions {
    AssembleOptions {
        parts: vec![Part::Slides, Part::Narration],
        speech_engine: Some("espeak".into()),
        ..AssembleOptions::default()
    }
}

async fn imported(name: &str) -> (tempfile::TempDir, App, uuid::Uuid) {
    let dir = tempfile::tempdir().expect("dir");
    let app = App::open(dir.path(), QueueChoice::Local)
        .await
        .expect("open");
    let s = app
        .import_lecture_file(&example(name), None)
        .await
        .expect("import");
    (dir, app, s.course_id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_course_gets_narration_and_slide_images_and_a_rerun_does_nothing() {
    let (_dir, app, course) = imported("photosynthesis.md").await;
    let mut seen = Vec::new();
    let report = app
        .assemble(course, &espeak(), |p| seen.push(p))
        .await
        .expect("assemble");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let tree = app.course(course).await.expect("tree");
    let slides: Vec<_> = tree
        .lessons
        .iter()
        .flat_map(|l| l.slides.iter().map(|s| s.slide.clone()))
        .collect();
    let narrated = slides
        .iter()
        .filter(|s| !s.speaker_notes.trim().is_empty())
        .count();
    assert!(narrated >= 8);
    assert_eq!(report.jobs, slides.len() + narrated);
    assert_eq!(report.succeeded, report.jobs);
    // Slides are counted done as their jobs finish: none at first, every one at the end,
    // never going back.
    assert_eq!(
        seen.first().map(|p| (p.slides_done, p.slides)),
        Some((0, slides.len()))
    );
    assert_eq!(
        seen.last().map(|p| (p.slides_done, p.slides)),
        Some((slides.len(), slides.len()))
    );
    assert!(
        seen.windows(2)
            .all(|w| w[0].slides_done <= w[1].slides_done)
    );
    assert_eq!(
        seen.last().map(|p| (p.done, p.total)),
        Some((report.jobs, report.jobs))
    );
    for slide in &slides {
        let pages = app
            .inspect_store()
            .generated(slide.id, SLIDE_RENDER)
            .await
            .expect("renders");
        assert!(!pages.is_empty(), "slide {} has an image", slide.title);
        let png = app
            .inspect_store()
            .asset_bytes(&pages[0].asset)
            .await
            .expect("png");
        assert!(png.starts_with(b"\x89PNG"));
        assert!(pages[0].thumbnail.is_some());
        let elements = &pages[0].details["elements"];
        assert!(
            elements.as_array().is_some_and(|e| !e.is_empty()),
            "element boxes kept"
        );
        if slide.speaker_notes.trim().is_empty() {
            continue;
        }
        let narration = app
            .inspect_store()
            .generated(slide.id, NARRATION)
            .await
            .expect("narration");
        assert_eq!(narration.len(), 1);
        let audio = app
            .inspect_store()
            .asset_bytes(&narration[0].asset)
            .await
            .expect("audio");
        assert!(audio.starts_with(b"OggS"));
        let words = slide.speaker_notes.split_whitespace().count() as f64;
        let secs = narration[0].duration_ms.expect("duration") as f64 / 1000.0;
        assert!(
            (1.0..6.0).contains(&(words / secs)),
            "{words} words in {secs} s"
        );
        assert_eq!(
            slide.narration.as_ref(),
            Some(&narration[0].asset),
            "the slide points at it"
        );
        // Key terms are in bold in the notes (the drafter reads it); the narration and its
        // captions say the words.
        let captions = app.slide_media(slide.id).await.expect("media").captions;
        let said: Vec<&str> = captions.iter().map(|c| c.text.as_str()).collect();
        assert!(!said.is_empty(), "captions of {}", slide.title);
        assert!(!said.iter().any(|t| t.contains('*')), "{said:?}");
    }
    assert!(
        slides.iter().any(|s| s.speaker_notes.contains("**")),
        "the example's notes keep its bold"
    );
    assert!(report.narration_seconds > 60.0);
    assert_eq!(report.cost_micros, 0, "builtin engines are free");
    // The filmstrip's pictures: every slide's thumbnail, in the course's order, in one read.
    let pictures = app.slide_pictures(course).await.expect("pictures");
    assert_eq!(
        pictures.iter().map(|p| p.slide_id).collect::<Vec<_>>(),
        slides.iter().map(|s| s.id).collect::<Vec<_>>()
    );
    for picture in &pictures {
        let png = app
            .inspect_store()
            .asset_bytes(&classkit_model::AssetRef(picture.thumbnail.sha256.clone()))
            .await
            .expect("thumbnail");
        assert!(png.starts_with(b"\x89PNG"));
    }
    // A HOTSPOT drawn over a slide's picture: the picture, its size, and the slide's text as
    // its description until the author writes one (theirs is kept).
    let first = &slides[1];
    let hotspot = app
        .add_component(first.id, ComponentType::Hotspot, None)
        .await
        .expect("hotspot");
    let drawn = app
        .use_slide_picture(hotspot.component.id)
        .await
        .expect("picture");
    assert!(drawn.component.payload["image"].is_string());
    let alt = drawn.component.payload["alt_text"]
        .as_str()
        .expect("alt text");
    assert!(
        alt.starts_with(&format!("The slide “{}”: ", first.title)),
        "{alt}"
    );
    assert!(
        !drawn
            .issues
            .iter()
            .any(|i| i.pointer == "/alt_text" || i.pointer == "/image"),
        "{:?}",
        drawn.issues
    );
    let mut own = drawn.component.payload.clone();
    own["alt_text"] = "A leaf in the sun".into();
    let saved = app
        .save_component(hotspot.component.id, own, None)
        .await
        .expect("save");
    let again = app
        .use_slide_picture(saved.component.id)
        .await
        .expect("picture again");
    assert_eq!(again.component.payload["alt_text"], "A leaf in the sun");

    let again = app
        .assemble(course, &espeak(), |_| {})
        .await
        .expect("again");
    assert_eq!(
        (again.jobs, again.up_to_date),
        (0, report.jobs),
        "nothing to redo"
    );
    assert_eq!(again.cost_micros, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_notes_redo_one_slide_and_changing_back_is_a_cache_hit() {
    let (_dir, app, course) = imported("photosynthesis.md").await;
    let narration_only = AssembleOptions {
        parts: vec![Part::Narration],
        ..espeak()
    };
    app.assemble(course, &narration_only, |_| {})
        .await
        .expect("first");
    let tree = app.course(course).await.expect("tree");
    let slide = tree.lessons[0].slides[0].slide.clone();
    let before = app
        .inspect_store()
        .generated(slide.id, NARRATION)
        .await
        .expect("g")[0]
        .clone();
    let edit = |notes: &str| SlideEdit {
        speaker_notes: Some(notes.to_string()),
        ..SlideEdit::default()
    };
    let current = app.inspect_store().slide(slide.id).await.expect("slide");
    app.inspect_store()
        .update_slide(
            slide.id,
            edit("Welcome. Today we look at leaves."),
            Some(current.version),
        )
        .await
        .expect("edit");
    let changed = app
        .assemble(course, &narration_only, |_| {})
        .await
        .expect("changed");
    assert_eq!((changed.jobs, changed.cache_hits), (1, 0));
    let after = app
        .inspect_store()
        .generated(slide.id, NARRATION)
        .await
        .expect("g")[0]
        .clone();
    assert_ne!(after.asset, before.asset);

    let current = app.inspect_store().slide(slide.id).await.expect("slide");
    app.inspect_store()
        .update_slide(slide.id, edit(&slide.speaker_notes), Some(current.version))
        .await
        .expect("revert");
    let reverted = app
        .assemble(course, &narration_only, |_| {})
        .await
        .expect("reverted");
    assert_eq!(
        (reverted.jobs, reverted.cache_hits, reverted.cost_micros),
        (1, 1, 0)
    );
    let back = app
        .inspect_store()
        .generated(slide.id, NARRATION)
        .await
        .expect("g")[0]
        .clone();
    assert_eq!(back.asset, before.asset, "the first take, from the cache");

    // --no-cache: a new take of everything.
    let fresh = app
        .assemble(
            course,
            &AssembleOptions {
                no_cache: true,
                ..narration_only.clone()
            },
            |_| {},
        )
        .await
        .expect("no cache");
    assert_eq!(fresh.cache_hits, 0);
    assert_eq!(fresh.jobs, changed.up_to_date + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn korean_notes_get_a_korean_voice_and_english_notes_get_piper() {
    let (_dir, app, course) = imported("korean-orientation.md").await;
    let report = app
        .assemble(
            course,
            &AssembleOptions {
                parts: vec![Part::Narration],
                ..AssembleOptions::default()
            },
            |_| {},
        )
        .await
        .expect("assemble");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let tree = app.course(course).await.expect("tree");
    let mut voices = Vec::new();
    for slide in tree.lessons.iter().flat_map(|l| &l.slides) {
        for g in app
            .inspect_store()
            .generated(slide.slide.id, NARRATION)
            .await
            .expect("g")
        {
            let language = classkit_engines::lang::detect(&slide.slide.speaker_notes);
            voices.push((language, g.engine.clone(), g.details["voice"].clone()));
        }
    }
    assert!(!voices.is_empty());
    for (language, engine, voice) in &voices {
        match language.as_deref() {
            Some("ko") => assert_eq!((engine.as_str(), voice.as_str()), ("espeak", Some("ko"))),
            Some("en") => assert_eq!(engine, "piper", "the better free English voice"),
            _ => {}
        }
    }
    assert!(voices.iter().any(|v| v.0.as_deref() == Some("ko")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_before_anything_is_queued() {
    let (_dir, app, course) = imported("photosynthesis.md").await;
    let e = app
        .assemble(
            course,
            &AssembleOptions {
                speech_engine: Some("nope".into()),
                ..AssembleOptions::default()
            },
            |_| {},
        )
        .await
        .expect_err("unknown engine");
    assert_eq!(e.code(), "engine_unavailable");
    assert!(e.to_string().contains("espeak"), "{e}");
    assert_eq!(queued(&app).await, 0, "nothing half-dispatched");
    let e = app
        .assemble(uuid::Uuid::now_v7(), &espeak(), |_| {})
        .await
        .expect_err("no such course");
    assert_eq!(e.code(), "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn budgets_refuse_work_that_would_overspend_and_costs_are_metered() {
    use classkit_store::BudgetScope;
    let (dir, _first, course) = imported("korean-orientation.md").await;
    // A priced speech engine: $1,000 per million characters (a tenth of a cent a character).
    std::fs::write(
        dir.path().join("engines.toml"),
        "[[engine]]\nid = \"espeak\"\nkind = \"tts\"\nprovider = \"espeak-ng\"\nquality = 1\nprice = { per_million_chars = 1000.0 }\n",
    )
    .expect("engines.toml");
    let app = App::open(dir.path(), QueueChoice::Local)
        .await
        .expect("reopen with the engines");
    let narration = AssembleOptions {
        parts: vec![Part::Narration],
        ..espeak()
    };
    app.set_budget(BudgetScope::Course(course), Some(0.10))
        .await
        .expect("budget");
    let e = app
        .assemble(course, &narration, |_| {})
        .await
        .expect_err("over budget");
    assert_eq!(e.code(), "budget_exceeded");
    let wire = e.to_wire();
    let estimate = wire.details["estimate_micros"].as_i64().expect("estimate");
    assert!(estimate > 100_000, "{estimate}");
    assert_eq!(wire.details["remaining_micros"].as_i64(), Some(100_000));
    assert!(
        wire.message.contains("$0.10") && wire.message.contains("nothing was queued"),
        "{}",
        wire.message
    );
    assert_eq!(queued(&app).await, 0, "nothing half-dispatched");

    // Enough budget: the work runs and its actual cost is recorded.
    app.set_budget(BudgetScope::Course(course), Some(100.0))
        .await
        .expect("budget");
    let report = app
        .assemble(course, &narration, |_| {})
        .await
        .expect("assemble");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.estimated_cost_micros, estimate);
    assert_eq!(report.cost_micros, estimate, "characters spoken, priced");
    let status = app
        .budget_status(BudgetScope::Course(course))
        .await
        .expect("status");
    assert_eq!(
        (status.spent_micros, status.limit_micros),
        (estimate, Some(100_000_000))
    );
    assert_eq!(
        app.budget_status(BudgetScope::Library)
            .await
            .expect("status")
            .spent_micros,
        estimate
    );
    // The library's budget counts too: a new take would go over it.
    app.set_budget(BudgetScope::Library, Some(estimate as f64 / 1e6 * 1.5))
        .await
        .expect("budget");
    let again = AssembleOptions {
        no_cache: true,
        ..narration.clone()
    };
    let e = app
        .assemble(course, &again, |_| {})
        .await
        .expect_err("library budget");
    assert_eq!(e.code(), "budget_exceeded");
    assert!(e.to_string().contains("the library"), "{e}");
    // Bad budgets are refused.
    for bad in [-1.0, f64::NAN, f64::INFINITY] {
        let e = app
            .set_budget(BudgetScope::Library, Some(bad))
            .await
            .expect_err("bad budget");
        assert_eq!(e.code(), "invalid_budget");
    }
    let e = app
        .set_budget(BudgetScope::Course(uuid::Uuid::now_v7()), Some(1.0))
        .await
        .expect_err("no such course");
    assert_eq!(e.code(), "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drafted_component_the_instructor_deleted_is_not_drafted_again() {
    let (_dir, app, course) = imported("negotiating-by-phone.md").await;
    let drafts = AssembleOptions {
        parts: vec![Part::Drafts],
        ..espeak()
    };
    let first = app.assemble(course, &drafts, |_| {}).await.expect("drafts");
    assert!(first.components_drafted > 0, "{first:?}");
    let tree = app.course(course).await.expect("tree");
    // Each slide says which types its text supported: a verdict per type drafted, true
    // exactly for the types it now has a component of.
    for s in tree.lessons.iter().flat_map(|l| l.slides.iter()) {
        let verdicts = app.draft_verdicts(s.slide.id).await.expect("verdicts");
        assert!(!verdicts.is_empty(), "{} was drafted", s.slide.title);
        for v in verdicts {
            let has = s
                .components
                .iter()
                .any(|c| c.component_type == v.component_type);
            assert_eq!(v.supported, has, "{} {}", s.slide.title, v.component_type);
            // A type with nothing drafted says why, by a reason the UI can translate.
            assert_eq!(v.reason.is_some(), !has, "{} {v:?}", s.slide.title);
            assert_eq!(v.reason_code.is_some(), !has, "{} {v:?}", s.slide.title);
        }
    }
    // Some slide's narration has no conversation in it, and the verdict says so.
    let mut no_conversation = 0;
    for s in tree.lessons.iter().flat_map(|l| l.slides.iter()) {
        for v in app.draft_verdicts(s.slide.id).await.expect("verdicts") {
            if v.reason_code.as_deref() == Some("no_conversation") {
                assert_eq!(v.component_type, classkit_model::ComponentType::Roleplay);
                assert!(
                    v.reason
                        .as_deref()
                        .is_some_and(|r| r.contains("conversation")),
                    "{v:?}"
                );
                no_conversation += 1;
            }
        }
    }
    assert!(no_conversation > 0, "no slide said it has no conversation");
    let (slide, deleted) = tree
        .lessons
        .iter()
        .flat_map(|l| l.slides.iter())
        .find_map(|s| s.components.first().map(|c| (s.slide.id, c.clone())))
        .expect("a drafted component");
    app.delete_component(deleted.id, Some(deleted.version))
        .await
        .expect("deleted");

    let second = app.assemble(course, &drafts, |_| {}).await.expect("again");
    assert_eq!(second.components_drafted, 0, "{second:?}");
    let tree = app.course(course).await.expect("tree");
    let again = tree
        .lessons
        .iter()
        .flat_map(|l| l.slides.iter())
        .find(|s| s.slide.id == slide)
        .expect("slide");
    assert!(
        !again
            .components
            .iter()
            .any(|c| c.component_type == deleted.component_type),
        "the deleted {} came back",
        deleted.component_type
    );
    // The instructor can still add one of that type by hand.
    app.add_component(slide, deleted.component_type, None)
        .await
        .expect("added by hand");
}

/// Every job in the app's queue, whatever its state.
async fn queued(app: &App) -> u64 {
    let jobs = app.jobs().await.expect("queue");
    let (_, counts) = jobs.list(&Default::default()).await.expect("counts");
    counts.total()
}
