//! The OpenAI-compatible engines against the loopback stand-in: structured drafts of all
//! eleven types, repair of answers that break the rules, error classification, the models
//! probe, speech, images and outlines, and what each call costs.

use classkit_engines::drafts::{DraftRequest, Drafted, RenderedSlide, SlideText, TextGen};
use classkit_engines::images::{ImageGen, ImageRequest};
use classkit_engines::openai::{self, Client, OpenAiImages, OpenAiText, OpenAiTts};
use classkit_engines::tts::{SpeechRequest, Tts};
use classkit_engines::{EngineConfig, EngineKind, PriceTable, Secret};
use classkit_jobs::ErrorClass;
use classkit_model::{ComponentType, check_payload};
use classkit_testkit::{OpenAiStandIn, Reply};
use serde_json::json;
use std::time::Duration;
use uuid::Uuid;

const NOTES: &str = "Photosynthesis turns light into sugar. Chlorophyll is the green pigment that \
absorbs light. The Calvin cycle builds sugar from carbon dioxide in the stroma.";

fn price() -> PriceTable {
    PriceTable {
        per_1k_input_tokens: 2.5,
        per_1k_output_tokens: 10.0,
        ..PriceTable::default()
    }
}

async fn stand_in() -> OpenAiStandIn {
    OpenAiStandIn::start(&["gpt-test", "tts-test", "image-test"])
        .await
        .expect("stand-in starts")
}

fn client(server: &OpenAiStandIn, kind: EngineKind, model: &str) -> Client {
    Client::new(&EngineConfig::openai(
        "cloud",
        kind,
        server.endpoint(),
        model,
    ))
    .expect("client")
}

fn text_engine(server: &OpenAiStandIn) -> OpenAiText {
    OpenAiText::new(client(server, EngineKind::Text, "gpt-test"), price())
}

const ELEMENTS: &[serde_json::Value] = &[];

fn request(kind: ComponentType) -> DraftRequest<'static> {
    DraftRequest {
        component_type: kind,
        slide: SlideText {
            slide_id: Uuid::nil(),
            title: "Photosynthesis",
            body: "- light\n- sugar",
            notes: NOTES,
        },
        glossary: &[],
        render: (kind == ComponentType::Hotspot).then_some(RenderedSlide {
            image: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            width: 1280.0,
            height: 720.0,
            elements: ELEMENTS,
        }),
    }
}

#[tokio::test]
async fn every_type_is_drafted_through_structured_output_and_priced_by_usage() {
    let server = stand_in().await;
    let engine = text_engine(&server);
    for kind in ComponentType::ALL {
        let draft = engine.draft(&request(kind)).await.expect("drafted");
        let Drafted::Payload(payload) = &draft.drafted else {
            panic!("{kind}: {:?}", draft.drafted);
        };
        let issues: Vec<_> = check_payload(kind, payload)
            .into_iter()
            .filter(|i| !i.pointer.ends_with("/audio"))
            .collect();
        assert!(issues.is_empty(), "{kind}: {issues:?}");
        assert_eq!(draft.calls, 1, "{kind}");
        let sent = server
            .requests_to("/v1/chat/completions")
            .pop()
            .expect("sent");
        let format = &sent.body["response_format"];
        assert_eq!(format["type"], "json_schema");
        assert_eq!(format["json_schema"]["name"], kind.as_str());
        let mut schema = kind.json_schema();
        schema.as_object_mut().map(|o| {
            o.remove("$schema");
            o.remove("title")
        });
        assert_eq!(
            format["json_schema"]["schema"], schema,
            "{kind}: the model crate's schema"
        );
        assert_eq!(sent.body["model"], "gpt-test");
        assert!(!draft.usage.estimated);
        assert!(draft.usage.input_tokens > 0 && draft.usage.output_tokens > 0);
        assert_eq!(
            draft.cost_micros,
            price().tokens_micros(draft.usage.input_tokens, draft.usage.output_tokens)
        );
        if kind == ComponentType::Hotspot {
            assert_eq!(
                payload["image"],
                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "drawn over the rendered slide, not an image the model named"
            );
            assert_eq!(payload["image_width"], 1280);
        }
        for (pointer, asset) in classkit_model::asset_references(payload) {
            assert!(
                kind == ComponentType::Hotspot && pointer == "/image",
                "{kind}: a made-up file reference was kept at {pointer}: {asset:?}"
            );
        }
    }
    assert_eq!(server.requests_to("/v1/chat/completions").len(), 11);
}

#[tokio::test]
async fn an_answer_that_breaks_the_schema_is_sent_back_with_its_problems_and_repaired() {
    let server = stand_in().await;
    server.then([
        Reply::SchemaViolating,
        Reply::MalformedContent,
        Reply::Correct,
    ]);
    let draft = text_engine(&server)
        .draft(&request(ComponentType::Quiz))
        .await
        .expect("repaired");
    assert!(matches!(draft.drafted, Drafted::Payload(_)));
    assert_eq!(draft.calls, 3);
    let sent = server.requests_to("/v1/chat/completions");
    assert_eq!(sent.len(), 3);
    let repair = &sent[1].body["messages"];
    let messages = repair.as_array().expect("messages");
    assert_eq!(
        messages.len(),
        4,
        "system, lecture, the bad answer, the problems"
    );
    assert_eq!(messages[2]["role"], "assistant");
    let problems = messages[3]["content"].as_str().expect("problems");
    assert!(
        problems.contains("- /surprise: `surprise` is not a field here"),
        "the problem is named at its field: {problems}"
    );
    let second = sent[2].body["messages"][5]["content"]
        .as_str()
        .expect("second repair");
    assert!(second.contains("not JSON"), "{second}");
    // All three calls are paid for: the usage is what the server reported for the three.
    assert!(
        !draft.usage.estimated,
        "the server's figures, not an estimate"
    );
    let reported = |k: &str| -> u64 {
        sent.iter()
            .map(|r| {
                r.usage.as_ref().expect("usage")[k]
                    .as_u64()
                    .expect("tokens")
            })
            .sum()
    };
    assert_eq!(draft.usage.input_tokens, reported("prompt_tokens"));
    assert_eq!(draft.usage.output_tokens, reported("completion_tokens"));
    assert_eq!(
        draft.cost_micros,
        price().tokens_micros(reported("prompt_tokens"), reported("completion_tokens"))
    );
}

#[tokio::test]
async fn a_model_that_never_fits_fails_after_two_repairs_with_the_problems() {
    let server = stand_in().await;
    server.otherwise(Reply::SchemaViolating);
    let failure = text_engine(&server)
        .draft(&request(ComponentType::Flashcards))
        .await
        .expect_err("never valid");
    assert_eq!(failure.error.class, ErrorClass::Permanent);
    assert!(
        failure.error.message.contains("in 3 tries"),
        "{}",
        failure.error.message
    );
    assert!(
        failure.error.message.contains("/surprise"),
        "{}",
        failure.error.message
    );
    let sent = server.requests_to("/v1/chat/completions");
    let reported = |k: &str| -> u64 {
        sent.iter()
            .map(|r| {
                r.usage.as_ref().expect("usage")[k]
                    .as_u64()
                    .expect("tokens")
            })
            .sum()
    };
    assert_eq!(
        failure.cost_micros,
        price().tokens_micros(reported("prompt_tokens"), reported("completion_tokens")),
        "the three failed calls cost money too"
    );
    assert_eq!(
        server.requests_to("/v1/chat/completions").len(),
        1 + openai::MAX_REPAIRS as usize
    );
}

#[tokio::test]
async fn provider_errors_are_classified_for_the_retry_policy() {
    let server = stand_in().await;
    let engine = text_engine(&server);
    let quiz = request(ComponentType::Quiz);

    server.then([Reply::TooManyRequests {
        retry_after_secs: 7,
    }]);
    let e = engine.draft(&quiz).await.expect_err("429").error;
    assert_eq!(e.class, ErrorClass::Retryable);
    assert_eq!(e.retry_after_ms, Some(7_000));
    assert!(e.message.contains("429"), "{}", e.message);

    server.then([Reply::InsufficientQuota]);
    let e = engine.draft(&quiz).await.expect_err("out of credit").error;
    assert_eq!(
        e.class,
        ErrorClass::Permanent,
        "waiting does not add credit"
    );
    assert!(e.message.contains("out of credit"), "{}", e.message);

    server.then([Reply::Unavailable]);
    let e = engine.draft(&quiz).await.expect_err("503").error;
    assert_eq!(e.class, ErrorClass::Retryable);
    assert!(
        e.message.contains("503") && e.message.contains("overloaded"),
        "{}",
        e.message
    );

    server.then([Reply::BadRequest(
        "Invalid schema for response_format 'QUIZ'".into(),
    )]);
    let e = engine.draft(&quiz).await.expect_err("400").error;
    assert_eq!(e.class, ErrorClass::Permanent);
    assert!(
        e.message
            .contains("Invalid schema for response_format 'QUIZ'"),
        "the provider's own message: {}",
        e.message
    );

    server.then([Reply::MalformedBody]);
    let e = engine.draft(&quiz).await.expect_err("malformed").error;
    assert_eq!(e.class, ErrorClass::Retryable);
    assert!(e.message.contains("not JSON"), "{}", e.message);

    // Slow but within the timeout: fine. Hanging: abandoned at the timeout, retryable.
    let quick = OpenAiText::new(
        client(&server, EngineKind::Text, "gpt-test")
            .with_timeout(Duration::from_millis(1500))
            .expect("timeout"),
        price(),
    );
    server.then([Reply::Slow(Duration::from_millis(200))]);
    quick.draft(&quiz).await.expect("slow is fine");
    server.then([Reply::Hang]);
    let started = std::time::Instant::now();
    let e = quick.draft(&quiz).await.expect_err("hang").error;
    assert_eq!(e.class, ErrorClass::Retryable);
    assert!(e.message.contains("no answer"), "{}", e.message);
    assert!(started.elapsed() < Duration::from_secs(10));

    // Nobody listening: retryable, and says where it tried.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let nowhere = OpenAiText::new(
        Client::new(&EngineConfig::openai(
            "cloud",
            EngineKind::Text,
            &format!("http://127.0.0.1:{port}/v1"),
            "gpt-test",
        ))
        .expect("client"),
        price(),
    );
    let e = nowhere.draft(&quiz).await.expect_err("refused").error;
    assert_eq!(e.class, ErrorClass::Retryable);
    assert!(e.message.contains("cannot connect"), "{}", e.message);
}

#[tokio::test]
async fn the_key_goes_in_the_header_and_nowhere_else() {
    let server = stand_in().await;
    let engine = OpenAiText::new(
        client(&server, EngineKind::Text, "gpt-test").with_key(Secret::new("sk-test-4242")),
        price(),
    );
    server.then([Reply::Unauthorized]);
    let e = engine
        .draft(&request(ComponentType::Review))
        .await
        .expect_err("401");
    assert_eq!(e.error.class, ErrorClass::Permanent);
    assert!(
        e.error.message.contains("Incorrect API key"),
        "{}",
        e.error.message
    );
    assert!(
        !e.error.message.contains("sk-test-4242"),
        "{}",
        e.error.message
    );
    assert!(!format!("{engine:?}").contains("sk-test"));
    let sent = server.requests_to("/v1/chat/completions");
    assert_eq!(
        sent[0].authorization.as_deref(),
        Some("Bearer sk-test-4242")
    );
}

#[tokio::test]
async fn the_models_probe_says_what_is_wrong() {
    let server = stand_in().await;
    let good = EngineConfig::openai("cloud", EngineKind::Text, server.endpoint(), "gpt-test");
    openai::probe(&good, None).await.expect("serves the model");

    let missing = EngineConfig::openai("cloud", EngineKind::Text, server.endpoint(), "llama3");
    let e = openai::probe(&missing, None)
        .await
        .expect_err("no such model");
    assert!(e.message.contains("no model \"llama3\""), "{}", e.message);
    assert!(
        e.message.contains("gpt-test"),
        "lists what it has: {}",
        e.message
    );

    let no_api = server.endpoint().trim_end_matches("/v1").to_string() + "/api";
    let wrong = EngineConfig::openai("cloud", EngineKind::Text, &no_api, "gpt-test");
    let e = openai::probe(&wrong, None).await.expect_err("not the API");
    assert!(e.message.contains("404"), "{}", e.message);
    assert!(
        e.message.contains("endpoint in engines.toml"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn speech_is_asked_for_as_wav_and_stored_as_ogg_with_its_duration() {
    let server = stand_in().await;
    let tts = OpenAiTts::new(
        client(&server, EngineKind::Tts, "tts-test"),
        Some("nova".into()),
    );
    let speech = tts
        .synthesize(&SpeechRequest::new("one two three four five"))
        .await
        .expect("speech");
    assert!(speech.audio.starts_with(b"OggS"));
    assert!(
        (1900..=2100).contains(&speech.duration_ms),
        "{}",
        speech.duration_ms
    );
    assert_eq!(speech.voice, "nova");
    let sent = server.requests_to("/v1/audio/speech").pop().expect("sent");
    assert_eq!(
        sent.body,
        json!({"model": "tts-test", "input": "one two three four five", "voice": "nova", "response_format": "wav"})
    );
    // Longer than the 4,096 characters the API takes: spoken in parts and joined.
    let long = "This sentence has exactly seven words here. ".repeat(110);
    let speech = tts
        .synthesize(&SpeechRequest::new(long.clone()))
        .await
        .expect("long speech");
    let parts = server.requests_to("/v1/audio/speech");
    assert_eq!(parts.len(), 3, "one short request, then two parts");
    assert!(
        parts[1..]
            .iter()
            .all(|p| { p.body["input"].as_str().expect("input").chars().count() <= 4096 })
    );
    assert!(
        speech.duration_ms.abs_diff(770 * 400) <= 2,
        "every word spoken once: {} ms",
        speech.duration_ms
    );
    server.then([Reply::BadRequest("Voice 'nova' is not supported".into())]);
    let e = tts
        .synthesize(&SpeechRequest::new("hello"))
        .await
        .expect_err("400");
    assert_eq!(e.class, ErrorClass::Permanent);
    assert!(e.message.contains("Voice 'nova'"), "{}", e.message);
}

#[tokio::test]
async fn illustrations_come_back_as_images() {
    let server = stand_in().await;
    let images = OpenAiImages::new(client(&server, EngineKind::Image, "image-test"));
    let image = images
        .generate(&ImageRequest::new("A leaf in sunlight, flat illustration"))
        .await
        .expect("image");
    assert_eq!(image.media_type, "image/png");
    let sent = server
        .requests_to("/v1/images/generations")
        .pop()
        .expect("sent");
    assert_eq!(sent.body["response_format"], "b64_json");
    assert_eq!(sent.body["n"], 1);
    server.then([Reply::TooManyRequests {
        retry_after_secs: 2,
    }]);
    let e = images
        .generate(&ImageRequest::new("again"))
        .await
        .expect_err("429");
    assert_eq!(
        (e.class, e.retry_after_ms),
        (ErrorClass::Retryable, Some(2000))
    );
}

#[tokio::test]
async fn a_lecture_is_outlined_into_lessons_and_slides() {
    let server = stand_in().await;
    let lecture = "Plants need light.\n\nChlorophyll absorbs it.\n\nSugar is made in the stroma.";
    let (outline, usage, cost) = text_engine(&server)
        .outline(lecture)
        .await
        .expect("outline");
    assert_eq!(outline.lessons.len(), 1);
    assert_eq!(outline.lessons[0].slides.len(), 3);
    assert_eq!(
        outline.lessons[0].slides[1].narration,
        "Chlorophyll absorbs it."
    );
    assert_eq!(
        cost,
        price().tokens_micros(usage.input_tokens, usage.output_tokens)
    );
    let sent = server
        .requests_to("/v1/chat/completions")
        .pop()
        .expect("sent");
    assert_eq!(
        sent.body["response_format"]["json_schema"]["name"],
        "outline"
    );
    let e = text_engine(&server).outline("  ").await.expect_err("empty");
    assert_eq!(e.error.class, ErrorClass::Permanent);
}

#[tokio::test]
async fn a_key_given_to_the_app_is_used_by_its_engine_at_request_time() {
    /// Keys as the app holds them: given and taken back while its engines run.
    #[derive(Default)]
    struct Given(std::sync::Mutex<Option<Secret>>);
    impl classkit_engines::KeyLookup for Given {
        fn key(&self, id: &str) -> Option<Secret> {
            (id == "keyring-engine")
                .then(|| self.0.lock().expect("lock").clone())
                .flatten()
        }
    }
    let server = stand_in().await;
    let config = EngineConfig::openai(
        "keyring-engine",
        EngineKind::Text,
        server.endpoint(),
        "gpt-test",
    );
    // Built before the key is known, as the app's engines are.
    let given = std::sync::Arc::new(Given::default());
    let engine = OpenAiText::new(
        Client::new(&config)
            .expect("client")
            .with_keys(given.clone()),
        price(),
    );
    *given.0.lock().expect("lock") = Some(Secret::new("sk-from-keyring-77"));
    server.then([Reply::Unauthorized]);
    let e = engine
        .draft(&request(ComponentType::Review))
        .await
        .expect_err("401");
    assert!(
        e.error.message.contains("ClassKit Studio's settings")
            && !e.error.message.contains("sk-from-keyring-77"),
        "{}",
        e.error.message
    );
    *given.0.lock().expect("lock") = None;
    server.then([Reply::Unauthorized]);
    let _ = engine.draft(&request(ComponentType::Review)).await;
    let sent = server.requests_to("/v1/chat/completions");
    assert_eq!(
        sent[0].authorization.as_deref(),
        Some("Bearer sk-from-keyring-77")
    );
    assert_eq!(
        sent.last().map(|r| r.authorization.clone()),
        Some(None),
        "forgotten"
    );
}
