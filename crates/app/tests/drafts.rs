//! Extractive drafts of the example lectures: they validate, their answers are in the source
//! text, every item quotes its sentence exactly, and the instructor's edits are never undone.

use classkit_app::generate::{AssembleOptions, Part};
use classkit_app::{App, QueueChoice};
use classkit_model::{ComponentStatus, ComponentType};
use serde_json::Value;
use std::path::PathBuf;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

/// A new library with the photosynthesis example imported.
async fn photosynthesis() -> (tempfile::TempDir, App, uuid::Uuid) {
    let dir = tempfile::tempdir().expect("dir");
    let app = App::open(dir.path(), QueueChoice::Local)
        .await
        .expect("open");
    let course = app
        .import_lecture_file(&example("photosynthesis.md"), None)
        .await
        .expect("import")
        .course_id;
    (dir, app, course)
}

fn drafts_only() -> AssembleOptions {
    AssembleOptions {
        parts: vec![Part::Drafts],
        speech_engine: Some("espeak".into()),
        ..AssembleOptions::default()
    }
}

/// Every provenance in the payload quotes the slide's narration exactly at its range.
fn check_provenance(value: &Value, notes: &str, slide: uuid::Uuid) -> usize {
    let mut n = 0;
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "provenance" {
                    let start = v["start"].as_u64().expect("start") as usize;
                    let end = v["end"].as_u64().expect("end") as usize;
                    assert_eq!(notes.get(start..end), v["quote"].as_str(), "quoted exactly");
                    assert_eq!(v["slide_id"].as_str(), Some(slide.to_string().as_str()));
                    n += 1;
                } else {
                    n += check_provenance(v, notes, slide);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                n += check_provenance(v, notes, slide);
            }
        }
        _ => {}
    }
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_of_the_examples_validate_and_their_answers_are_in_the_text() {
    let mut counts = std::collections::HashMap::<ComponentType, usize>::new();
    for lecture in [
        "photosynthesis.md",
        "negotiating-by-phone.md",
        "korean-orientation.md",
    ] {
        let dir = tempfile::tempdir().expect("dir");
        let app = App::open(dir.path(), QueueChoice::Local)
            .await
            .expect("open");
        let course = app
            .import_lecture_file(&example(lecture), None)
            .await
            .expect("import")
            .course_id;
        let report = app
            .assemble(course, &drafts_only(), |_| {})
            .await
            .expect("assemble");
        assert!(report.failed.is_empty(), "{lecture}: {:?}", report.failed);
        let tree = app.course(course).await.expect("tree");
        for slide in tree.lessons.iter().flat_map(|l| &l.slides) {
            let notes = &slide.slide.speaker_notes;
            let lower = notes.to_lowercase();
            for c in &slide.components {
                *counts.entry(c.component_type).or_default() += 1;
                assert_eq!(c.status, ComponentStatus::Draft, "drafts stay drafts");
                let issues = classkit_model::check_payload(c.component_type, &c.payload);
                if c.component_type == ComponentType::Roleplay {
                    // What only the author can write is all that is missing.
                    let left = ["/scenario", "/persona/name", "/learner_goal", "/rubric"];
                    assert!(
                        issues
                            .iter()
                            .all(|i| left.iter().any(|l| i.pointer.starts_with(l))),
                        "{issues:?}"
                    );
                } else {
                    assert!(
                        issues.is_empty(),
                        "{lecture} {}: {issues:?}",
                        c.component_type
                    );
                }
                assert!(
                    check_provenance(&c.payload, notes, slide.slide.id) > 0,
                    "provenance recorded"
                );
                let p = &c.payload;
                match c.component_type {
                    ComponentType::Quiz => {
                        for q in p["questions"].as_array().expect("questions") {
                            let options = q["options"].as_array().expect("options");
                            let right: Vec<&str> = options
                                .iter()
                                .filter(|o| o["correct"] == true)
                                .map(|o| o["text"].as_str().expect("text"))
                                .collect();
                            assert_eq!(right.len(), 1);
                            assert!(
                                lower.contains(&right[0].to_lowercase()),
                                "answer {:?} in the narration",
                                right[0]
                            );
                            let quote = q["provenance"]["quote"].as_str().expect("quote");
                            assert!(quote.to_lowercase().contains(&right[0].to_lowercase()));
                            let texts: std::collections::HashSet<String> = options
                                .iter()
                                .map(|o| o["text"].as_str().expect("t").to_lowercase())
                                .collect();
                            assert_eq!(texts.len(), options.len(), "no duplicate options");
                        }
                    }
                    ComponentType::Cloze => {
                        for b in p["blanks"].as_array().expect("blanks") {
                            let answer = b["answers"][0].as_str().expect("answer");
                            assert!(
                                notes.contains(answer),
                                "cloze answer {answer:?} in the narration"
                            );
                        }
                    }
                    ComponentType::Flashcards => {
                        for card in p["cards"].as_array().expect("cards") {
                            let quote = card["provenance"]["quote"]
                                .as_str()
                                .expect("quote")
                                .to_lowercase();
                            let term = card["term"].as_str().expect("term").to_lowercase();
                            let definition = card["definition"]
                                .as_str()
                                .expect("definition")
                                .to_lowercase();
                            assert!(
                                quote.contains(&term) && quote.contains(&definition),
                                "{quote}"
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    for t in [
        ComponentType::Review,
        ComponentType::Quiz,
        ComponentType::Cloze,
        ComponentType::Flashcards,
    ] {
        assert!(counts.get(&t).copied().unwrap_or(0) >= 3, "{t}: {counts:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_instructors_edits_are_kept_when_drafting_again() {
    let (_dir, app, course) = photosynthesis().await;
    let first = app
        .assemble(course, &drafts_only(), |_| {})
        .await
        .expect("first");
    let again = app
        .assemble(course, &drafts_only(), |_| {})
        .await
        .expect("again");
    assert_eq!(again.jobs, 0, "nothing to redo");
    assert_eq!(again.up_to_date, first.jobs - first.follow_ups);
    assert!(first.follow_ups > 0, "reference audio is its own job");
    let tree = app.course(course).await.expect("tree");
    let slide = &tree.lessons[0].slides[0];
    let quiz = slide
        .components
        .iter()
        .find(|c| c.component_type == ComponentType::Quiz)
        .expect("a drafted quiz");
    let mut edited = quiz.payload.clone();
    edited["title"] = Value::from("My own quiz");
    app.save_component(quiz.id, edited.clone(), Some(quiz.version))
        .await
        .expect("edit");
    let redo = app
        .assemble(
            course,
            &AssembleOptions {
                no_cache: true,
                ..drafts_only()
            },
            |_| {},
        )
        .await
        .expect("redo");
    assert!(redo.failed.is_empty());
    let kept = app.component(quiz.id).await.expect("component").component;
    assert_eq!(
        kept.payload["title"], "My own quiz",
        "the instructor's version stays"
    );
    let tree = app.course(course).await.expect("tree");
    let quizzes = tree.lessons[0].slides[0]
        .components
        .iter()
        .filter(|c| c.component_type == ComponentType::Quiz)
        .count();
    assert_eq!(quizzes, 1, "no second copy");

    // The slide's narration changes: its other drafts are made again, the quiz the
    // instructor took over is left alone, and then everything is up to date.
    let slide = &tree.lessons[0].slides[0].slide;
    app.inspect_store()
        .update_slide(
            slide.id,
            classkit_store::SlideEdit {
                speaker_notes: Some(format!("{} It is a process.", slide.speaker_notes)),
                ..Default::default()
            },
            None,
        )
        .await
        .expect("edit the slide");
    let redrafted = app
        .assemble(course, &drafts_only(), |_| {})
        .await
        .expect("after the edit");
    assert!(redrafted.failed.is_empty(), "{:?}", redrafted.failed);
    assert!(redrafted.jobs > 0);
    let kept = app.component(quiz.id).await.expect("component").component;
    assert_eq!(kept.payload["title"], "My own quiz");
    let settled = app
        .assemble(course, &drafts_only(), |_| {})
        .await
        .expect("settled");
    assert_eq!(settled.jobs, 0, "nothing planned again: {settled:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hotspots_are_drawn_over_the_rendered_slide() {
    let (_dir, app, course) = photosynthesis().await;
    let report = app
        .assemble(
            course,
            &AssembleOptions {
                parts: vec![Part::Slides, Part::Drafts],
                ..drafts_only()
            },
            |_| {},
        )
        .await
        .expect("assemble");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let tree = app.course(course).await.expect("tree");
    let mut hotspots = 0;
    for slide in tree.lessons.iter().flat_map(|l| &l.slides) {
        let Some(h) = slide
            .components
            .iter()
            .find(|c| c.component_type == ComponentType::Hotspot)
        else {
            continue;
        };
        hotspots += 1;
        assert!(classkit_model::check_payload(ComponentType::Hotspot, &h.payload).is_empty());
        let render = app
            .inspect_store()
            .generated(slide.slide.id, "slide_render")
            .await
            .expect("render");
        assert_eq!(
            h.payload["image"].as_str(),
            Some(render[0].asset.0.as_str()),
            "the slide image"
        );
        for r in h.payload["regions"].as_array().expect("regions") {
            let label = r["label"].as_str().expect("label");
            assert!(
                slide.slide.body.contains(label),
                "{label:?} is a point of the slide"
            );
            let shape = &r["shape"];
            for k in ["x", "y", "width", "height"] {
                let v = shape[k].as_f64().expect("number");
                assert!((0.0..=1.0).contains(&v), "{k} = {v}");
            }
            let quote = r["provenance"]["quote"].as_str().expect("quote");
            // The narration's sentence, shown without its bold marks.
            assert_eq!(
                r["feedback"].as_str(),
                Some(classkit_model::spoken(quote).as_str())
            );
            assert!(slide.slide.speaker_notes.contains(quote));
        }
    }
    assert!(hotspots >= 3, "{hotspots} hotspots");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slide_that_has_a_component_of_a_type_gets_no_second_one() {
    let (dir, app, course) = photosynthesis().await;
    // The instructor wrote a quiz for the first slide before any drafting.
    let tree = app.course(course).await.expect("tree");
    let slide = tree.lessons[0].slides[0].slide.id;
    let quiz: Value =
        serde_json::from_str(include_str!("../../model/tests/samples/QUIZ.valid.json"))
            .expect("sample");
    let own = app
        .add_component(slide, ComponentType::Quiz, Some(quiz))
        .await
        .expect("own quiz");
    let first = app
        .assemble(course, &drafts_only(), |_| {})
        .await
        .expect("drafts");
    assert!(first.failed.is_empty(), "{:?}", first.failed);
    let count = |tree: &classkit_model::CourseTree, t: ComponentType| {
        tree.lessons
            .iter()
            .flat_map(|l| &l.slides)
            .map(|s| {
                s.components
                    .iter()
                    .filter(|c| c.component_type == t)
                    .count()
            })
            .collect::<Vec<_>>()
    };
    let tree = app.course(course).await.expect("tree");
    let quizzes = count(&tree, ComponentType::Quiz);
    assert_eq!(quizzes[0], 1, "the instructor's quiz only");
    assert_eq!(
        tree.lessons[0].slides[0]
            .components
            .iter()
            .find(|c| c.component_type == ComponentType::Quiz)
            .map(|c| c.id),
        Some(own.component.id)
    );

    // A copy of the course has its drafts already: assembling it adds none, from the cache
    // or otherwise, and a second time finds everything up to date.
    let bundle = dir.path().join("copy.classkit");
    app.export_bundle(course, &bundle).await.expect("export");
    let copy = app
        .import_bundle(&bundle, true)
        .await
        .expect("copy")
        .course_id;
    let before = app.course(copy).await.expect("copy tree");
    // It says why nothing of a type was drafted on a slide, as the original does.
    let mut reasons = 0;
    for (o, c) in tree
        .lessons
        .iter()
        .flat_map(|l| &l.slides)
        .zip(before.lessons.iter().flat_map(|l| &l.slides))
    {
        let original = app.draft_verdicts(o.slide.id).await.expect("verdicts");
        let copied = app.draft_verdicts(c.slide.id).await.expect("verdicts");
        assert_eq!(original, copied, "{}", o.slide.title);
        reasons += original.iter().filter(|v| v.reason.is_some()).count();
    }
    assert!(reasons > 0, "a reason for drafting nothing");
    let copied = app
        .assemble(copy, &drafts_only(), |_| {})
        .await
        .expect("copy");
    assert!(copied.failed.is_empty(), "{:?}", copied.failed);
    let after = app.course(copy).await.expect("copy tree");
    for t in ComponentType::ALL {
        assert_eq!(count(&before, t), count(&after, t), "{t}: no duplicates");
    }
    let again = app
        .assemble(copy, &drafts_only(), |_| {})
        .await
        .expect("again");
    assert_eq!(again.jobs, 0, "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reason_for_drafting_nothing_goes_once_the_text_supports_the_type() {
    let (_dir, app, course) = photosynthesis().await;
    let tree = app.course(course).await.expect("tree");
    let slide = tree.lessons[0].slides[0].slide.id;
    // An earlier text defined nothing; since then the instructor wrote cards of their own.
    let why = classkit_engines::drafts::Why::NoDefinition;
    app.inspect_store()
        .record_nothing_drafted(
            slide,
            "FLASHCARDS",
            "an older text",
            "extractive",
            None,
            why.text(),
        )
        .await
        .expect("record");
    let cards: Value = serde_json::from_str(include_str!(
        "../../model/tests/samples/FLASHCARDS.valid.json"
    ))
    .expect("sample");
    app.add_component(slide, ComponentType::Flashcards, Some(cards))
        .await
        .expect("own cards");
    let verdict = |verdicts: Vec<classkit_app::slides::DraftVerdict>| {
        verdicts
            .into_iter()
            .find(|v| v.component_type == ComponentType::Flashcards)
            .expect("a FLASHCARDS verdict")
    };
    let before = verdict(app.draft_verdicts(slide).await.expect("verdicts"));
    assert_eq!(before.reason_code.as_deref(), Some("no_definition"));
    // The text defines terms now: drafting finds cards, the instructor's stay, and the
    // old reason is not shown any more.
    let report = app
        .assemble(course, &drafts_only(), |_| {})
        .await
        .expect("drafts");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let after = verdict(app.draft_verdicts(slide).await.expect("verdicts"));
    assert_eq!(after.reason, None, "{after:?}");
    let tree = app.course(course).await.expect("tree");
    let cards = tree.lessons[0].slides[0]
        .components
        .iter()
        .filter(|c| c.component_type == ComponentType::Flashcards)
        .count();
    assert_eq!(cards, 1, "the instructor's only");
}
