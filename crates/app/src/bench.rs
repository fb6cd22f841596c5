//! Assembly benchmarks: figures to print, never assertions.

pub mod drafting;

use crate::generate::{AssembleOptions, Part};
use crate::{App, Result};
use classkit_jobs::bench::Figure;
use classkit_model::{ChangeKind, ComponentType, SlideLayout};
use classkit_store::NewSlide;
use std::time::Instant;

/// An app on a new, empty library (its own cache too) in a temporary folder.
async fn throwaway_app() -> Result<(tempfile::TempDir, App)> {
    let dir = tempfile::tempdir().map_err(|source| crate::AppError::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let app = App::open(dir.path(), crate::QueueChoice::Local).await?;
    Ok((dir, app))
}

/// Builds a lesson of `slides` slides in a new throwaway library, from the speaker notes and
/// bullets of `lecture` (Markdown), each slide's text made distinct so nothing is cached.
async fn lesson(lecture: &str, slides: usize) -> Result<(tempfile::TempDir, App, uuid::Uuid)> {
    let (dir, app) = throwaway_app().await?;
    let outline = crate::import::outline_from_text(lecture, "lecture");
    let source: Vec<_> = outline
        .lessons
        .iter()
        .flat_map(|l| l.slides.iter())
        .filter(|s| !s.speaker_notes.trim().is_empty())
        .collect();
    let course = app.store().create_course("Benchmark", Some("en")).await?;
    let lesson = app.store().add_lesson(course.id, "A long lesson").await?;
    for i in 0..slides {
        let s = source[i % source.len().max(1)];
        app.store()
            .add_slide(
                lesson.id,
                NewSlide {
                    title: format!("{} ({})", s.title, i + 1),
                    body: s.body.clone(),
                    speaker_notes: format!("Slide {}. {}", i + 1, s.speaker_notes),
                    instructor_notes: String::new(),
                    layout: SlideLayout::Bullets,
                },
            )
            .await?;
    }
    Ok((dir, app, course.id))
}

/// Times narration of a `slides`-slide lesson with each speech engine, slide rendering per
/// slide, a first assembly with drafts, a second one (everything up to date) and one of a
/// copy of the course (slide images and narration from the cache).
pub async fn assemble(
    lecture: &str,
    slides: usize,
    engines: &[String],
    concurrency: usize,
) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    let fig = |name: String, value: f64, unit| Figure { name, value, unit };
    // The lecture itself, imported and assembled as `scripts/start` does (slide images,
    // narration, drafts and their reference audio), in a new library with an empty cache.
    for engine in engines {
        let (_dir, app) = throwaway_app().await?;
        let imported = app
            .import_lecture("lecture.md", lecture.as_bytes(), None)
            .await?;
        let options = AssembleOptions {
            speech_engine: Some(engine.clone()),
            concurrency,
            ..AssembleOptions::default()
        };
        let t = Instant::now();
        let report = app.assemble(imported.course_id, &options, |_| {}).await?;
        figures.push(fig(
            format!("assemble.lecture_{engine}_{}_slides", imported.slides),
            t.elapsed().as_secs_f64(),
            "s",
        ));
        figures.push(fig(
            format!("assemble.lecture_{engine}_jobs"),
            (report.jobs + report.follow_ups) as f64,
            "jobs",
        ));
        figures.push(fig(
            format!("assemble.lecture_{engine}_failed"),
            report.failed.len() as f64,
            "jobs",
        ));
    }
    for engine in engines {
        let (_dir, app, course) = lesson(lecture, slides).await?;
        let options = AssembleOptions {
            parts: vec![Part::Narration],
            speech_engine: Some(engine.clone()),
            concurrency,
            ..AssembleOptions::default()
        };
        let t = Instant::now();
        let report = app.assemble(course, &options, |_| {}).await?;
        let took = t.elapsed().as_secs_f64();
        figures.push(fig(
            format!("assemble.narration_{engine}_{slides}_slides"),
            took,
            "s",
        ));
        figures.push(fig(
            format!("assemble.narration_{engine}_audio"),
            report.narration_seconds,
            "s",
        ));
        figures.push(fig(
            format!("assemble.narration_{engine}_failed"),
            report.failed.len() as f64,
            "jobs",
        ));
    }

    let (dir, app, course) = lesson(lecture, slides).await?;
    let options = AssembleOptions {
        speech_engine: Some("espeak".into()),
        concurrency,
        ..AssembleOptions::default()
    };
    let t = Instant::now();
    let slides_only = AssembleOptions {
        parts: vec![Part::Slides],
        ..options.clone()
    };
    app.assemble(course, &slides_only, |_| {}).await?;
    let render = t.elapsed().as_secs_f64();
    figures.push(fig(
        "assemble.slide_render_per_slide".into(),
        render * 1000.0 / slides as f64,
        "ms",
    ));
    let t = Instant::now();
    app.assemble(course, &options, |_| {}).await?;
    let first = render + t.elapsed().as_secs_f64();
    figures.push(fig("assemble.first_run".into(), first, "s"));
    let t = Instant::now();
    let again = app.assemble(course, &options, |_| {}).await?;
    figures.push(fig(
        "assemble.second_run_up_to_date".into(),
        t.elapsed().as_secs_f64(),
        "s",
    ));
    figures.push(fig(
        "assemble.second_run_jobs".into(),
        again.jobs as f64,
        "jobs",
    ));
    // A copy of the course: new slides, same content, so every slide image, narration and
    // draft comes from the cache (the copy already has the drafted components, so none is
    // added again).
    let bundle = dir.path().join("copy.classkit");
    app.export_bundle(course, &bundle).await?;
    let copy = app.import_bundle(&bundle, true).await?;
    let t = Instant::now();
    let cached = app.assemble(copy.course_id, &options, |_| {}).await?;
    figures.push(fig(
        "assemble.copy_of_course".into(),
        t.elapsed().as_secs_f64(),
        "s",
    ));
    figures.push(fig(
        "assemble.copy_cache_hits".into(),
        cached.cache_hits as f64,
        "jobs",
    ));
    figures.push(fig("assemble.copy_jobs".into(), cached.jobs as f64, "jobs"));
    figures.push(fig(
        "assemble.copy_cost".into(),
        cached.cost_micros as f64,
        "micro-dollars",
    ));
    Ok(figures)
}

/// The valid sample payloads of the model crate's tests, for a realistic large course.
const SAMPLES: [(ComponentType, &str); 11] = [
    (
        ComponentType::Review,
        include_str!("../../model/tests/samples/REVIEW.valid.json"),
    ),
    (
        ComponentType::Quiz,
        include_str!("../../model/tests/samples/QUIZ.valid.json"),
    ),
    (
        ComponentType::Roleplay,
        include_str!("../../model/tests/samples/ROLEPLAY.valid.json"),
    ),
    (
        ComponentType::Shadowing,
        include_str!("../../model/tests/samples/SHADOWING.valid.json"),
    ),
    (
        ComponentType::Pronunciation,
        include_str!("../../model/tests/samples/PRONUNCIATION.valid.json"),
    ),
    (
        ComponentType::Flashcards,
        include_str!("../../model/tests/samples/FLASHCARDS.valid.json"),
    ),
    (
        ComponentType::Cloze,
        include_str!("../../model/tests/samples/CLOZE.valid.json"),
    ),
    (
        ComponentType::Matching,
        include_str!("../../model/tests/samples/MATCHING.valid.json"),
    ),
    (
        ComponentType::Hotspot,
        include_str!("../../model/tests/samples/HOTSPOT.valid.json"),
    ),
    (
        ComponentType::Branching,
        include_str!("../../model/tests/samples/BRANCHING.valid.json"),
    ),
    (
        ComponentType::Dictation,
        include_str!("../../model/tests/samples/DICTATION.valid.json"),
    ),
];

/// Exports a `slides`-slide lesson made from `lecture`, assembled with espeak-ng (slide
/// images, narration, drafts of every type the drafter makes, reference audio), as the web
/// player and as SCORM 1.2 and 2004 packages, drafts included: the time of each export (the
/// captions' timing read from every narration is part of it), the package's size and files,
/// and the player's own code. The web package is unzipped into `keep` when given (for timing
/// the player's first paint in a browser: `scripts/bench-player`).
pub async fn export(
    lecture: &str,
    slides: usize,
    keep: Option<&std::path::Path>,
) -> Result<Vec<Figure>> {
    use classkit_export::{ExportOptions, Format};
    let (dir, app, course) = lesson(lecture, slides).await?;
    let options = AssembleOptions {
        speech_engine: Some("espeak".into()),
        concurrency: 2,
        ..AssembleOptions::default()
    };
    let report = app.assemble(course, &options, |_| {}).await?;
    if !report.failed.is_empty() {
        return Err(crate::AppError::Invalid(format!(
            "the lesson to export did not assemble: {} jobs failed",
            report.failed.len()
        )));
    }
    let fig = |name: String, value: f64, unit| Figure { name, value, unit };
    let mut figures = Vec::new();
    for format in [Format::Web, Format::Scorm12, Format::Scorm2004] {
        let mut options = ExportOptions::new(format);
        options.include_drafts = true;
        let out = dir.path().join(format!("{format}.zip"));
        let t = Instant::now();
        let report = app.export_course(course, &options, &out).await?;
        let took = t.elapsed().as_secs_f64();
        figures.push(fig(format!("export.{format}_{slides}_slides"), took, "s"));
        figures.push(fig(
            format!("export.{format}_package"),
            report.bytes as f64 / 1_000_000.0,
            "MB",
        ));
        figures.push(fig(
            format!("export.{format}_files"),
            report.files as f64,
            "files",
        ));
        if format == Format::Web {
            figures.push(fig(
                "export.components".into(),
                report.components as f64,
                "components",
            ));
            figures.push(fig(
                "export.player_code".into(),
                report.player_bytes as f64 / 1000.0,
                "kB",
            ));
            figures.push(fig(
                "export.player_code_gzip".into(),
                report.player_gzip_bytes as f64 / 1000.0,
                "kB",
            ));
            let practice = classkit_export::package::PRACTICE_JS.as_bytes();
            figures.push(fig(
                "export.practice_scorer".into(),
                practice.len() as f64 / 1000.0,
                "kB",
            ));
            figures.push(fig(
                "export.practice_scorer_gzip".into(),
                classkit_export::package::gzip_size(practice) as f64 / 1000.0,
                "kB",
            ));
            if let Some(keep) = keep {
                crate::export::unzip(&out, keep)?;
            }
        }
    }
    Ok(figures)
}

/// Adds a course of `slides` slides (in lessons of 50) with `components` components spread
/// over them, for timing the desktop app on a large course. Components are the model's valid
/// samples, without the ones that name stored files (the library has none of them). Returns
/// the course id.
pub async fn large_course(app: &App, slides: usize, components: usize) -> Result<uuid::Uuid> {
    use classkit_model::{
        ComponentStatus, Course, LearningComponent, Lesson, LessonTree, Slide, SlideTree,
        asset_references, order,
    };
    if slides == 0 {
        return Err(crate::AppError::Invalid(
            "a course needs at least one slide".into(),
        ));
    }
    let payloads: Vec<(ComponentType, serde_json::Value)> = SAMPLES
        .iter()
        .filter_map(|(t, text)| serde_json::from_str(text).ok().map(|p| (*t, p)))
        .filter(|(_, payload)| asset_references(payload).is_empty())
        .collect();
    let now = classkit_store::now();
    let course = Course {
        id: uuid::Uuid::now_v7(),
        title: format!("Large course ({slides} slides, {components} components)"),
        description: String::new(),
        language: Some("en".into()),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let per_lesson = 50;
    let mut lessons = Vec::new();
    let mut made = 0;
    let lesson_count = slides.div_ceil(per_lesson);
    for (l, lesson_key) in order::sequence(lesson_count).into_iter().enumerate() {
        let lesson = Lesson {
            id: uuid::Uuid::now_v7(),
            course_id: course.id,
            order_key: lesson_key,
            position: l as i64,
            title: format!("Lesson {}", l + 1),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let mut lesson_slides = Vec::new();
        let slide_keys = order::sequence(per_lesson.min(slides - l * per_lesson));
        for (s, slide_key) in slide_keys.into_iter().enumerate() {
            let n = l * per_lesson + s;
            let slide = Slide {
                id: uuid::Uuid::now_v7(),
                lesson_id: lesson.id,
                order_key: slide_key,
                position: s as i64,
                title: format!("Slide {} of the large course", n + 1),
                body: "- A first point\n- A second point\n- A third point".into(),
                speaker_notes: format!("This is slide {}. It says what the points mean.", n + 1),
                instructor_notes: String::new(),
                layout: SlideLayout::Bullets,
                image: None,
                narration: None,
                created_at: now,
                updated_at: now,
                version: 1,
            };
            // Components spread evenly: slide n gets those whose index maps to it.
            let mut attached = Vec::new();
            while made < components && made * slides / components.max(1) == n {
                let (t, payload) = &payloads[made % payloads.len()];
                attached.push(LearningComponent {
                    id: uuid::Uuid::now_v7(),
                    slide_id: slide.id,
                    component_type: *t,
                    status: ComponentStatus::Ready,
                    payload: payload.clone(),
                    created_at: now,
                    updated_at: now,
                    version: 1,
                });
                made += 1;
            }
            lesson_slides.push(SlideTree {
                slide,
                components: attached,
            });
        }
        lessons.push(LessonTree {
            lesson,
            slides: lesson_slides,
        });
    }
    let tree = classkit_model::CourseTree { course, lessons };
    app.store()
        .insert_course_tree(&tree, ChangeKind::Imported)
        .await?;
    Ok(tree.course.id)
}

/// Writes to `bundle` a course whose slides use `files` distinct files (a picture and a
/// narration each, `file_bytes` of pseudo-random bytes apiece) plus, when `large_bytes` is
/// not 0, one narration of that size, made in a throwaway library in `work` and exported by
/// the app's own exporter. For timing bundle imports and their memory.
pub async fn bundle_with_files(
    work: &std::path::Path,
    bundle: &std::path::Path,
    files: usize,
    file_bytes: usize,
    large_bytes: usize,
) -> Result<()> {
    use classkit_store::SlideEdit;
    let app = App::open(work, crate::QueueChoice::Local).await?;
    let store = app.store();
    let course = store
        .create_course(&format!("A course of {files} files"), Some("en"))
        .await?;
    let lesson = store.add_lesson(course.id, "Lesson").await?;
    // A cheap generator (xorshift): distinct bytes for every file, no dependency.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut bytes = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    };
    let slides = files.div_ceil(2) + usize::from(large_bytes > 0);
    let mut left = files;
    for i in 0..slides {
        let slide = store
            .add_slide(
                lesson.id,
                NewSlide {
                    title: format!("Slide {}", i + 1),
                    ..NewSlide::default()
                },
            )
            .await?;
        let mut edit = SlideEdit::default();
        if left > 0 {
            edit.image = Some(Some(
                store
                    .put_asset(&bytes(file_bytes), "image/png")
                    .await?
                    .sha256,
            ));
            left -= 1;
        }
        if left > 0 {
            edit.narration = Some(Some(
                store
                    .put_asset(&bytes(file_bytes), "audio/ogg")
                    .await?
                    .sha256,
            ));
            left -= 1;
        } else if i + 1 == slides && large_bytes > 0 {
            edit.narration = Some(Some(
                store
                    .put_asset(&bytes(large_bytes), "audio/ogg")
                    .await?
                    .sha256,
            ));
        }
        store.update_slide(slide.id, edit, None).await?;
    }
    app.export_bundle(course.id, bundle).await?;
    Ok(())
}
