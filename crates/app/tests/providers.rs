//! The app with OpenAI-compatible engines, against the loopback stand-in: a course drafted
//! by a language model with every type, its cost metered and nothing paid for twice;
//! provider failures retried on the backoff schedule (scaled down) or failing at once;
//! paid narration and illustrations; lectures outlined into courses; unusable engines found
//! before anything is queued.

use classkit_app::generate::{
    AssembleOptions, DRAFT, DraftHandler, DraftInput, LocalWorkspace, NARRATION, Part, SLIDE_RENDER,
};
use classkit_app::keys::KeySource;
use classkit_app::{App, AppError, QueueChoice};
use classkit_jobs::{
    Jitter, JobSpec, JobState, LocalQueue, Queue, RetryPolicy, Worker, WorkerConfig,
};
use classkit_model::{ComponentType, SlideLayout};
use classkit_store::{BudgetScope, SlideEdit};
use classkit_testkit::{OpenAiStandIn, Reply};
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

/// A library whose engines.toml points a text, a speech and an image engine at `server`.
async fn library(server: &OpenAiStandIn, model: &str) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("engines.toml"),
        format!(
            r#"
[[engine]]
id = "cloud"
kind = "text"
provider = "openai"
endpoint = "{endpoint}"
model = "{model}"
quality = 4
price = {{ per_1k_input_tokens = 2.5, per_1k_output_tokens = 10.0 }}

[[engine]]
id = "cloud-voice"
kind = "tts"
provider = "openai"
endpoint = "{endpoint}"
model = "tts-test"
voice = "nova"
quality = 4
price = {{ per_million_chars = 15.0 }}

[[engine]]
id = "pictures"
kind = "image"
provider = "openai"
endpoint = "{endpoint}"
model = "image-test"
quality = 4
price = {{ per_image = 0.04 }}
"#,
            endpoint = server.endpoint()
        ),
    )
    .expect("engines.toml");
    let app = App::open(dir.path(), QueueChoice::Local)
        .await
        .expect("open");
    (dir, app)
}

async fn stand_in() -> OpenAiStandIn {
    OpenAiStandIn::start(&["gpt-test", "tts-test", "image-test"])
        .await
        .expect("stand-in")
}

fn month() -> String {
    classkit_store::month_of(classkit_store::now())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_language_model_drafts_every_type_with_its_cost_metered_and_nothing_paid_twice() {
    let server = stand_in().await;
    let (_dir, app) = library(&server, "gpt-test").await;
    let course = app
        .import_lecture_file(&example("photosynthesis.md"), None)
        .await
        .expect("import")
        .course_id;
    let options = AssembleOptions {
        parts: vec![Part::Slides, Part::Drafts],
        text_engine: Some("cloud".into()),
        speech_engine: Some("espeak".into()),
        ..AssembleOptions::default()
    };

    // A budget below the estimate: refused before anything is asked of the model.
    app.set_budget(BudgetScope::Course(course), Some(0.001))
        .await
        .expect("budget");
    let refused = app
        .assemble(course, &options, |_| {})
        .await
        .expect_err("over budget");
    assert!(
        matches!(refused, AppError::BudgetExceeded { .. }),
        "{refused}"
    );
    assert!(server.requests_to("/v1/chat/completions").is_empty());
    app.set_budget(BudgetScope::Course(course), None)
        .await
        .expect("no budget");

    let report = app
        .assemble(course, &options, |_| {})
        .await
        .expect("assemble");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert!(report.estimated_cost_micros > 0);
    let tree = app.course(course).await.expect("tree");
    let narrated: Vec<_> = tree
        .lessons
        .iter()
        .flat_map(|l| &l.slides)
        .filter(|s| !s.slide.speaker_notes.trim().is_empty())
        .collect();
    let chats = server.requests_to("/v1/chat/completions").len();
    assert_eq!(
        chats,
        narrated.len() * 11,
        "one structured call per type and slide"
    );
    for slide in &narrated {
        for kind in ComponentType::ALL {
            let c = slide
                .components
                .iter()
                .find(|c| c.component_type == kind)
                .unwrap_or_else(|| panic!("{kind} drafted for {}", slide.slide.title));
            let issues: Vec<_> = classkit_model::check_payload(kind, &c.payload)
                .into_iter()
                .filter(|i| !i.pointer.ends_with("/audio"))
                .collect();
            assert!(issues.is_empty(), "{kind}: {issues:?}");
        }
        // Reference audio came from its own job, spoken by espeak-ng.
        let dictation = slide
            .components
            .iter()
            .find(|c| c.component_type == ComponentType::Dictation)
            .expect("dictation");
        let current = app
            .component(dictation.id)
            .await
            .expect("component")
            .component;
        for sentence in current.payload["sentences"].as_array().expect("sentences") {
            let audio = classkit_model::AssetRef(
                sentence["audio"]
                    .as_str()
                    .expect("audio recorded")
                    .to_string(),
            );
            let ogg = app
                .inspect_store()
                .asset_bytes(&audio)
                .await
                .expect("stored");
            assert!(ogg.starts_with(b"OggS"));
        }
    }
    // Metered: the ledger holds what the jobs cost, which the model's usage priced.
    let spent = app
        .inspect_store()
        .spent(&month(), BudgetScope::Course(course))
        .await
        .expect("spent");
    assert!(report.cost_micros > 0);
    assert_eq!(spent, report.cost_micros);

    // Nothing changed: nothing is asked again and nothing more is spent.
    let again = app.assemble(course, &options, |_| {}).await.expect("again");
    assert_eq!(again.jobs, 0, "{again:?}");
    assert_eq!(server.requests_to("/v1/chat/completions").len(), chats);
    // A copy of the course takes its drafts from the cache: free.
    let copy = app
        .import_lecture_file(&example("photosynthesis.md"), Some("Copy"))
        .await
        .expect("copy")
        .course_id;
    let copied = app.assemble(copy, &options, |_| {}).await.expect("copy");
    assert!(copied.failed.is_empty(), "{:?}", copied.failed);
    assert_eq!(server.requests_to("/v1/chat/completions").len(), chats);
    assert_eq!(copied.cost_micros, 0);
    assert!(copied.cache_hits >= narrated.len() * 11);
}

/// Bundled-style workers over a local queue whose retry policy is the real one scaled down
/// 20 times: 100, 200, 400 ms for 2, 4, 8 s.
async fn scaled_worker(app: &App) -> (Arc<dyn Queue>, CancellationToken) {
    let policy = RetryPolicy {
        base: Duration::from_millis(100),
        jitter: Jitter::None,
        ..RetryPolicy::default()
    };
    let queue: Arc<dyn Queue> = Arc::new(
        LocalQueue::open(app.inspect_store().dir())
            .await
            .expect("queue")
            .with_policy(policy),
    );
    let worker = Worker::new(
        queue.clone(),
        WorkerConfig {
            concurrency: 1,
            poll: Duration::from_millis(20),
            ..WorkerConfig::default()
        },
    )
    .register(
        DRAFT,
        DraftHandler {
            workspace: Arc::new(LocalWorkspace::new(app.inspect_store().clone())),
            generation: app.generation().expect("engines"),
        },
    );
    let stop = CancellationToken::new();
    tokio::spawn(worker.run(stop.clone()));
    (queue, stop)
}

async fn draft_job(app: &App, course: uuid::Uuid, kind: ComponentType) -> JobSpec {
    let tree = app.course(course).await.expect("tree");
    let slide = tree
        .lessons
        .iter()
        .flat_map(|l| &l.slides)
        .find(|s| !s.slide.speaker_notes.trim().is_empty())
        .expect("a narrated slide");
    let input = DraftInput {
        slide_id: slide.slide.id,
        course_id: Some(course),
        speech_engine: Some("espeak".into()),
        render_key: None,
        component_type: kind.as_str().into(),
        engine: "cloud".into(),
        no_cache: true,
    };
    JobSpec::new(DRAFT, json!(input)).target(slide.slide.id)
}

async fn finished(queue: &dyn Queue, id: uuid::Uuid) -> classkit_jobs::Job {
    for _ in 0..600 {
        let job = queue.get(id).await.expect("job");
        if job.state.is_final() {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("job {id} did not finish");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overloaded_and_rate_limited_providers_are_retried_on_the_backoff_schedule() {
    let server = stand_in().await;
    let (_dir, app) = library(&server, "gpt-test").await;
    let course = app
        .import_lecture_file(&example("photosynthesis.md"), None)
        .await
        .expect("import")
        .course_id;
    let (queue, stop) = scaled_worker(&app).await;

    // 503 three times, then an answer: retried after 2, 4 and 8 s (scaled: 100, 200, 400 ms).
    server.then([Reply::Unavailable, Reply::Unavailable, Reply::Unavailable]);
    let id = queue
        .enqueue(draft_job(&app, course, ComponentType::Quiz).await)
        .await
        .expect("enqueue")
        .job
        .id;
    let job = finished(&*queue, id).await;
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.last_error);
    assert_eq!(job.attempts, 4);
    let times: Vec<_> = server
        .requests_to("/v1/chat/completions")
        .iter()
        .map(|r| r.at)
        .collect();
    assert_eq!(times.len(), 4);
    let gaps: Vec<u128> = times
        .windows(2)
        .map(|w| (w[1] - w[0]).as_millis())
        .collect();
    println!("gaps between attempts after 503s: {gaps:?} ms (scheduled 100, 200, 400)");
    // Never before the scheduled delay; and well under the unscaled policy's first delay of
    // 2 s, whatever the load on the machine.
    for (gap, scheduled) in gaps.iter().zip([100u128, 200, 400]) {
        assert!(
            *gap >= scheduled && *gap < 2000,
            "gaps {gaps:?} against the schedule 100, 200, 400 ms"
        );
    }

    // 429 with Retry-After: 1 s: the provider's wait is honoured over the 100 ms backoff.
    let before = server.requests_to("/v1/chat/completions").len();
    server.then([Reply::TooManyRequests {
        retry_after_secs: 1,
    }]);
    let id = queue
        .enqueue(draft_job(&app, course, ComponentType::Cloze).await)
        .await
        .expect("enqueue")
        .job
        .id;
    let job = finished(&*queue, id).await;
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.last_error);
    assert_eq!(job.attempts, 2);
    let sent = server.requests_to("/v1/chat/completions");
    let gap = sent[before + 1].at - sent[before].at;
    assert!(
        gap >= Duration::from_millis(1000),
        "Retry-After honoured: {gap:?}"
    );

    // 400: the provider's message, dead at once, no retry.
    let before = server.requests_to("/v1/chat/completions").len();
    server.then([Reply::BadRequest(
        "Invalid 'messages[1].content': string too long".into(),
    )]);
    let id = queue
        .enqueue(draft_job(&app, course, ComponentType::Review).await)
        .await
        .expect("enqueue")
        .job
        .id;
    let job = finished(&*queue, id).await;
    assert_eq!(job.state, JobState::Dead);
    assert_eq!(job.attempts, 1);
    let error = job.last_error.expect("error").message;
    assert!(
        error.contains("string too long") && error.contains("400"),
        "{error}"
    );
    assert_eq!(server.requests_to("/v1/chat/completions").len(), before + 1);

    // A model that never fits fails after two repairs, its problems in the job's error; the
    // three calls it cost are on the ledger.
    let spent_before = app
        .inspect_store()
        .spent(&month(), BudgetScope::Course(course))
        .await
        .expect("spent");
    server.then([
        Reply::SchemaViolating,
        Reply::SchemaViolating,
        Reply::SchemaViolating,
    ]);
    let id = queue
        .enqueue(draft_job(&app, course, ComponentType::Matching).await)
        .await
        .expect("enqueue")
        .job
        .id;
    let job = finished(&*queue, id).await;
    assert_eq!(job.state, JobState::Dead);
    let error = job.last_error.expect("error").message;
    assert!(
        error.contains("in 3 tries") && error.contains("/surprise"),
        "{error}"
    );
    let spent_after = app
        .inspect_store()
        .spent(&month(), BudgetScope::Course(course))
        .await
        .expect("spent");
    assert!(spent_after > spent_before, "failed calls are paid for too");
    stop.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paid_narration_and_illustrations_are_made_and_priced() {
    let server = stand_in().await;
    let (_dir, app) = library(&server, "gpt-test").await;
    let course = app
        .import_lecture_file(&example("photosynthesis.md"), None)
        .await
        .expect("import")
        .course_id;
    let tree = app.course(course).await.expect("tree");
    let slide = tree.lessons[0].slides[1].slide.clone();
    app.inspect_store()
        .update_slide(
            slide.id,
            SlideEdit {
                layout: Some(SlideLayout::ImageText),
                ..SlideEdit::default()
            },
            None,
        )
        .await
        .expect("image + text");
    let report = app
        .assemble(
            course,
            &AssembleOptions {
                parts: vec![Part::Slides, Part::Narration, Part::Illustrations],
                speech_engine: Some("cloud-voice".into()),
                image_engine: Some("pictures".into()),
                ..AssembleOptions::default()
            },
            |_| {},
        )
        .await
        .expect("assemble");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(server.requests_to("/v1/images/generations").len(), 1);
    let illustrated = app.inspect_store().slide(slide.id).await.expect("slide");
    let image = illustrated
        .image
        .clone()
        .expect("the picture is on the slide");
    let png = app
        .inspect_store()
        .asset_bytes(&image)
        .await
        .expect("stored");
    assert!(png.starts_with(b"\x89PNG"));
    // Rendered again with its picture, by the render the illustration queued.
    let render = app
        .inspect_store()
        .generated(slide.id, SLIDE_RENDER)
        .await
        .expect("render");
    assert_eq!(render.len(), 1);
    assert!(
        render[0].details["elements"]
            .as_array()
            .expect("elements")
            .iter()
            .any(|e| e["kind"] == "image"),
        "{}",
        render[0].details
    );
    let narrated: Vec<_> = tree
        .lessons
        .iter()
        .flat_map(|l| &l.slides)
        .filter(|s| !s.slide.speaker_notes.trim().is_empty())
        .collect();
    assert_eq!(server.requests_to("/v1/audio/speech").len(), narrated.len());
    let chars: usize = narrated
        .iter()
        .map(|s| {
            classkit_model::spoken(&s.slide.speaker_notes)
                .trim()
                .chars()
                .count()
        })
        .sum();
    let mut expected = 40_000; // one image at $0.04
    for s in &narrated {
        // What is spoken is paid for: the words, not the bold marks.
        let n = classkit_model::spoken(&s.slide.speaker_notes)
            .trim()
            .chars()
            .count();
        expected += (15.0 * n as f64).ceil() as i64; // $15 a million characters
        let take = app
            .inspect_store()
            .generated(s.slide.id, NARRATION)
            .await
            .expect("narration");
        assert_eq!(take[0].engine, "cloud-voice");
        assert!(take[0].duration_ms.unwrap_or_default() > 0);
    }
    assert!(chars > 0);
    assert_eq!(report.cost_micros, expected);
    assert_eq!(
        app.inspect_store()
            .spent(&month(), BudgetScope::Library)
            .await
            .expect("spent"),
        expected
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lecture_is_outlined_into_a_course_and_unusable_engines_are_refused_first() {
    let server = stand_in().await;
    let (dir, app) = library(&server, "gpt-test").await;
    let lecture = dir.path().join("talk.txt");
    std::fs::write(
        &lecture,
        "Negotiation starts before the call.\n\nKnow your BATNA.\n\nListen more than you talk.",
    )
    .expect("lecture");
    let summary = app
        .import_lecture_outlined(&lecture, Some("Negotiation basics"), "cloud")
        .await
        .expect("outlined");
    assert_eq!(summary.title, "Negotiation basics");
    assert_eq!((summary.lessons, summary.slides), (1, 3));
    let tree = app.course(summary.course_id).await.expect("tree");
    assert_eq!(
        tree.lessons[0].slides[1].slide.speaker_notes,
        "Know your BATNA."
    );
    assert_eq!(tree.lessons[0].slides[1].slide.body, "- Know your BATNA.");
    let spent = app
        .inspect_store()
        .spent(&month(), BudgetScope::Library)
        .await
        .expect("spent");
    assert!(spent > 0);

    // The extractive engine does not outline; an engine whose model the server lacks is
    // found before any job runs.
    let e = app
        .import_lecture_outlined(&lecture, None, "extractive")
        .await
        .expect_err("not a model");
    assert!(e.to_string().contains("not a language model"), "{e}");
    let (_dir2, other) = library(&server, "llama3").await;
    let chats = server.requests_to("/v1/chat/completions").len();
    let e = other
        .import_lecture_outlined(&lecture, None, "cloud")
        .await
        .expect_err("no such model");
    assert!(e.to_string().contains("no model \"llama3\""), "{e}");
    assert_eq!(e.code(), "engine_unavailable");
    assert!(other.courses().await.expect("courses").is_empty());
    let course = other
        .import_lecture_file(&lecture, None)
        .await
        .expect("import")
        .course_id;
    let e = other
        .assemble(
            course,
            &AssembleOptions {
                parts: vec![Part::Drafts],
                text_engine: Some("cloud".into()),
                ..AssembleOptions::default()
            },
            |_| {},
        )
        .await
        .expect_err("probe fails");
    assert!(e.to_string().contains("no model \"llama3\""), "{e}");
    assert_eq!(server.requests_to("/v1/chat/completions").len(), chats);
    let jobs = LocalQueue::open(other.inspect_store().dir())
        .await
        .expect("queue")
        .counts()
        .await
        .expect("counts");
    assert_eq!(jobs.total(), 0, "nothing was queued");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_audio_that_failed_is_recorded_by_the_next_assembly() {
    let server = stand_in().await;
    let (_dir, app) = library(&server, "gpt-test").await;
    let course = app
        .import_lecture_file(&example("photosynthesis.md"), None)
        .await
        .expect("import")
        .course_id;
    let options = AssembleOptions {
        parts: vec![Part::Drafts],
        speech_engine: Some("cloud-voice".into()),
        ..AssembleOptions::default()
    };
    // The provider refuses the voice: the drafts are made, their audio is not.
    server.otherwise(Reply::BadRequest("Voice 'nova' is not available".into()));
    let first = app.assemble(course, &options, |_| {}).await.expect("first");
    assert!(first.follow_ups > 0);
    assert_eq!(first.failed.len(), first.follow_ups, "{:?}", first.failed);
    assert!(
        first
            .failed
            .iter()
            .all(|f| f.kind == "reference_audio" && f.error.contains("not available")),
        "{:?}",
        first.failed
    );
    let missing = |tree: &classkit_model::CourseTree| -> usize {
        tree.lessons
            .iter()
            .flat_map(|l| &l.slides)
            .flat_map(|s| &s.components)
            .filter(|c| c.component_type == ComponentType::Dictation)
            .flat_map(|c| {
                c.payload["sentences"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .filter(|s| s.get("audio").is_none())
            .count()
    };
    assert!(missing(&app.course(course).await.expect("tree")) > 0);

    // The provider is fixed: the next assembly records only the missing audio.
    server.otherwise(Reply::Correct);
    let spoken_before = server.requests_to("/v1/audio/speech").len();
    let second = app
        .assemble(course, &options, |_| {})
        .await
        .expect("second");
    assert!(second.failed.is_empty(), "{:?}", second.failed);
    assert_eq!(
        second.jobs, first.follow_ups,
        "only the reference audio: {second:?}"
    );
    assert_eq!(missing(&app.course(course).await.expect("tree")), 0);
    let spoken: Vec<_> = server.requests_to("/v1/audio/speech")[spoken_before..].to_vec();
    let chars: i64 = spoken
        .iter()
        .map(|r| {
            (15.0 * r.body["input"].as_str().expect("input").chars().count() as f64).ceil() as i64
        })
        .sum();
    assert_eq!(second.cost_micros, chars, "each spoken item priced once");
    let third = app.assemble(course, &options, |_| {}).await.expect("third");
    assert_eq!(third.jobs, 0, "{third:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_given_to_the_app_reach_its_engines_kept_ones_first() {
    let server = stand_in().await;
    let (_dir, app) = library(&server, "gpt-test").await;
    let course = app
        .import_lecture_file(&example("photosynthesis.md"), None)
        .await
        .expect("import")
        .course_id;
    let narrate = AssembleOptions {
        parts: vec![Part::Narration],
        speech_engine: Some("cloud-voice".into()),
        ..AssembleOptions::default()
    };
    // Dispatching probes the engine first: the key it sends is the one the engine uses.
    let sent = async || {
        app.dispatch(course, &narrate).await.expect("dispatch");
        server
            .requests_to("/v1/models")
            .pop()
            .expect("probed")
            .authorization
    };
    let source = |keys: &classkit_app::keys::ApiKeys| {
        keys.engines
            .iter()
            .find(|e| e.engine.id == "cloud-voice")
            .map(|e| e.source)
    };
    let keys = app
        .set_api_key("cloud-voice", "  sk-typed-1 ", true)
        .expect("for the session");
    assert_eq!(source(&keys), Some(KeySource::Session));
    assert_eq!(
        sent().await.as_deref(),
        Some("Bearer sk-typed-1"),
        "trimmed"
    );
    let keys = app
        .set_api_key("cloud-voice", "sk-kept-2", false)
        .expect("kept");
    assert_eq!(source(&keys), Some(KeySource::Keyring));
    assert_eq!(sent().await.as_deref(), Some("Bearer sk-kept-2"));
    let keys = app.forget_api_key("cloud-voice").expect("forgot");
    assert_eq!(source(&keys), Some(KeySource::None));
    assert_eq!(sent().await, None);
    for (engine, key, code) in [
        ("cloud-voice", " ", "invalid_input"),
        ("cloud-voice", "sk\nline", "invalid_input"),
        ("nope", "sk-1", "not_found"),
    ] {
        let e = app.set_api_key(engine, key, true).expect_err("refused");
        assert_eq!(e.code(), code, "{e}");
    }
}
