//! The worker API: what a team's worker writes goes through the instructors' versioned path
//! (merged, in the change log, authored by the worker), and never over an instructor's edit.

mod common;

use classkit_model::order;
use classkit_sync::{
    ComponentFields, EntityKind, EntityState, LessonFields, Mutation, SlideFields,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Digest;
use uuid::Uuid;

fn new(kind: EntityKind, id: Uuid, state: EntityState) -> Mutation {
    Mutation {
        mutation_id: Uuid::now_v7(),
        kind,
        entity_id: id,
        base_version: None,
        base: None,
        state: Some(state),
        resolves: Vec::new(),
        made_at: chrono::Utc::now(),
    }
}

const NOTES: &str = "A BATNA is your best alternative to a negotiated agreement.";

fn quiz_payload(prompt: &str) -> Value {
    json!({"schema_version": 2, "questions": [{"id": "q1", "kind": "single_choice", "text": prompt,
        "options": [{"id": "o1", "text": "yes", "correct": true},
                    {"id": "o2", "text": "no", "correct": false}]}]})
}

struct Setup {
    t: common::Team,
    owner: String,
    worker: String,
    course: Uuid,
    slide: Uuid,
}

async fn setup() -> Setup {
    let t = common::team().await;
    let owner = t.person("owner@example.org").await;
    let worker = classkit_server::admin::create_worker_token(&t.pool, "gpu-1")
        .await
        .expect("worker")
        .1
        .expose()
        .to_string();
    let course = t.share(&owner, "Calls").await;
    let (lesson, slide) = (Uuid::now_v7(), Uuid::now_v7());
    t.push_ok(
        &owner,
        course,
        vec![
            new(
                EntityKind::Lesson,
                lesson,
                EntityState::Lesson(LessonFields {
                    course_id: course,
                    order_key: order::between(None, None),
                    title: "One".into(),
                }),
            ),
            new(
                EntityKind::Slide,
                slide,
                EntityState::Slide(SlideFields {
                    lesson_id: lesson,
                    order_key: order::between(None, None),
                    title: "BATNA".into(),
                    body: "- Know it".into(),
                    speaker_notes: NOTES.into(),
                    instructor_notes: String::new(),
                    layout: classkit_model::SlideLayout::Bullets,
                    image: None,
                    narration: None,
                }),
            ),
        ],
    )
    .await;
    Setup {
        t,
        owner,
        worker,
        course,
        slide,
    }
}

impl Setup {
    async fn worker(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.t.call(method, path, Some(&self.worker), body).await
    }

    async fn draft(&self, kind: &str, payload: Option<Value>, key: &str) -> Value {
        let (status, body) = self
            .worker(
                Method::POST,
                "/api/v1/worker/drafts",
                Some(
                    json!({"slide_id": self.slide, "component_type": kind, "payload": payload,
                            "origin": {"input_key": key, "engine": "extractive",
                                       "job_id": Uuid::now_v7()}}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    async fn upload(&self, bytes: &[u8], media_type: &str) -> String {
        let sha = hex::encode(sha2::Sha256::digest(bytes));
        let resp = self
            .t
            .client
            .put(self.t.url(&format!(
                "/api/v1/worker/assets/{sha}?media_type={media_type}"
            )))
            .bearer_auth(&self.worker)
            .body(bytes.to_vec())
            .send()
            .await
            .expect("upload");
        assert_eq!(resp.status(), StatusCode::CREATED);
        sha
    }
}

#[tokio::test]
async fn drafts_are_versioned_edits_that_never_replace_the_instructors() {
    let s = setup().await;
    let saved = s
        .draft("QUIZ", Some(quiz_payload("Is a BATNA a plan B?")), "k1")
        .await;
    assert_eq!(saved["outcome"], json!("saved"), "{saved}");
    let id: Uuid = saved["component"]["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");
    // Members pull it as an edit by the worker.
    let page = s.t.pull(&s.owner, s.course, 0, 100).await;
    let change = page
        .changes
        .iter()
        .find(|c| c.id == id)
        .expect("the draft is in the change log");
    assert_eq!(change.updated_by.as_deref(), Some("worker:gpu-1"));
    // The same input again changes nothing.
    let again = s
        .draft("QUIZ", Some(quiz_payload("Is a BATNA a plan B?")), "k1")
        .await;
    assert_eq!(again["outcome"], json!("unchanged"));
    // A new input replaces the engine's own draft.
    let redone = s
        .draft("QUIZ", Some(quiz_payload("What is a BATNA?")), "k2")
        .await;
    assert_eq!(redone["outcome"], json!("saved"));
    assert_eq!(redone["component"]["version"], json!(2));

    // The instructor edits it; the next draft leaves theirs alone.
    let (_, current) = s
        .worker(
            Method::GET,
            &format!("/api/v1/worker/components/{id}"),
            None,
        )
        .await;
    let mut edited = new(
        EntityKind::Component,
        id,
        EntityState::Component(ComponentFields {
            slide_id: s.slide,
            component_type: classkit_model::ComponentType::Quiz,
            status: classkit_model::ComponentStatus::Draft,
            payload: quiz_payload("The instructor's own question"),
        }),
    );
    edited.base_version = Some(current["version"].as_i64().expect("version"));
    edited.base = Some(EntityState::Component(ComponentFields {
        slide_id: s.slide,
        component_type: classkit_model::ComponentType::Quiz,
        status: classkit_model::ComponentStatus::Draft,
        payload: current["payload"].clone(),
    }));
    s.t.push_ok(&s.owner, s.course, vec![edited]).await;
    let over = s
        .draft("QUIZ", Some(quiz_payload("An engine's question")), "k3")
        .await;
    assert_eq!(over["outcome"], json!("taken_over"));
    assert_eq!(
        over["component"]["payload"]["questions"][0]["text"],
        json!("The instructor's own question")
    );

    // An invalid payload is refused and stores nothing.
    let (status, body) = s
        .worker(
            Method::POST,
            "/api/v1/worker/drafts",
            Some(json!({"slide_id": s.slide, "component_type": "FLASHCARDS",
                        "payload": {"schema_version": 1, "cards": "not a list"},
                        "origin": {"input_key": "k", "engine": "extractive"}})),
        )
        .await;
    assert!(status.is_client_error(), "{status} {body}");
    let (status, body) = s
        .worker(
            Method::POST,
            "/api/v1/worker/drafts",
            Some(json!({"slide_id": s.slide, "component_type": "ESSAY",
                        "origin": {"input_key": "k", "engine": "extractive"}})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // Nothing drafted is recorded; a deleted draft is declined.
    let nothing = s.draft("DICTATION", None, "k4").await;
    assert_eq!(nothing["outcome"], json!("nothing"));
    let (_, state) = s
        .worker(
            Method::GET,
            &format!("/api/v1/worker/drafted/{}/DICTATION", s.slide),
            None,
        )
        .await;
    assert_eq!(state["drafted"]["component_id"], Value::Null);
    assert_eq!(state["drafted"]["reason"], Value::Null);
    assert_eq!(state["declined"], json!(false));
    // With its reason, which is kept short and on one line.
    let long = format!("no sentence\nto dictate <b>here</b>{}", "x".repeat(5000));
    let (status, body) = s
        .worker(
            Method::POST,
            "/api/v1/worker/drafts",
            Some(
                json!({"slide_id": s.slide, "component_type": "SHADOWING", "reason": long,
                        "origin": {"input_key": "k5", "engine": "extractive"}}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, state) = s
        .worker(
            Method::GET,
            &format!("/api/v1/worker/drafted/{}/SHADOWING", s.slide),
            None,
        )
        .await;
    let kept = state["drafted"]["reason"].as_str().expect("a reason");
    assert!(
        kept.starts_with("no sentence to dictate <b>here</b>x"),
        "{kept}"
    );
    assert_eq!(kept.chars().count(), classkit_generate::REASON_CHARS);
    assert!(kept.ends_with('…'), "{kept}");
    let (_, state) = s
        .worker(
            Method::GET,
            &format!("/api/v1/worker/drafted/{}/QUIZ", s.slide),
            None,
        )
        .await;
    assert_eq!(state["declined"], json!(false));
    let mut delete = new(
        EntityKind::Component,
        id,
        EntityState::Lesson(LessonFields {
            course_id: s.course,
            order_key: String::new(),
            title: String::new(),
        }),
    );
    delete.state = None;
    let (_, current) = s
        .worker(
            Method::GET,
            &format!("/api/v1/worker/components/{id}"),
            None,
        )
        .await;
    delete.base_version = Some(current["version"].as_i64().expect("version"));
    s.t.push_ok(&s.owner, s.course, vec![delete]).await;
    let (_, state) = s
        .worker(
            Method::GET,
            &format!("/api/v1/worker/drafted/{}/QUIZ", s.slide),
            None,
        )
        .await;
    assert_eq!(state["declined"], json!(true), "{state}");
}

#[tokio::test]
async fn outputs_spending_and_assets_are_kept_once() {
    let s = setup().await;
    let sha = s.upload(b"OggS narration bytes", "audio/ogg").await;
    // The wrong bytes for a hash are refused.
    let resp =
        s.t.client
            .put(s.t.url(&format!("/api/v1/worker/assets/{sha}?media_type=audio/ogg")))
            .bearer_auth(&s.worker)
            .body(b"other bytes".to_vec())
            .send()
            .await
            .expect("upload");
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (status, missing) = s
        .worker(
            Method::POST,
            "/api/v1/worker/assets/missing",
            Some(json!({"sha256": [sha, hex::encode([1u8; 32])]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(missing["missing"], json!([hex::encode([1u8; 32])]));

    // Narration for notes the slide no longer has is not put on it; for its notes it is.
    let point = |notes: &str| json!({"kind": "narration", "asset": sha, "notes": notes});
    let path = format!("/api/v1/worker/slides/{}/outputs", s.slide);
    let (_, placed) = s
        .worker(Method::POST, &path, Some(point("Old notes.")))
        .await;
    assert_eq!(placed["placed"], json!(false));
    let (status, placed) = s.worker(Method::POST, &path, Some(point(NOTES))).await;
    assert_eq!(status, StatusCode::OK, "{placed}");
    assert_eq!(placed["placed"], json!(true));
    let page = s.t.pull(&s.owner, s.course, 0, 100).await;
    let slide = page
        .changes
        .iter()
        .find(|c| c.id == s.slide)
        .expect("slide");
    match &slide.state {
        EntityState::Slide(f) => assert_eq!(
            f.narration.as_ref().map(|a| a.0.as_str()),
            Some(sha.as_str())
        ),
        other => panic!("{other:?}"),
    }
    // Members may fetch it from the course.
    let resp =
        s.t.client
            .get(s.t.url(&format!("/api/v1/courses/{}/assets/{sha}", s.course)))
            .bearer_auth(&s.owner)
            .send()
            .await
            .expect("download");
    assert_eq!(resp.status(), StatusCode::OK);

    // Generated outputs: a new take replaces the old.
    let output = |page: u32| {
        json!({"target_id": s.slide, "kind": "slide_render", "page": page, "asset": sha,
               "media_type": "audio/ogg", "thumbnail": null, "duration_ms": null,
               "input_key": "render-1", "engine": "builtin", "cost_micros": 0,
               "job_id": null, "details": {}})
    };
    let gpath = format!("/api/v1/worker/generated/{}/slide_render", s.slide);
    let (status, body) = s
        .worker(Method::PUT, &gpath, Some(json!([output(0), output(1)])))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (_, got) = s.worker(Method::GET, &gpath, None).await;
    assert_eq!(got.as_array().expect("list").len(), 2);
    s.worker(Method::PUT, &gpath, Some(json!([output(0)])))
        .await;
    let (_, got) = s.worker(Method::GET, &gpath, None).await;
    assert_eq!(got.as_array().expect("list").len(), 1);
    // An output of another slide under this one's path is refused.
    let mut other = output(0);
    other["target_id"] = json!(Uuid::now_v7());
    let (status, _) = s.worker(Method::PUT, &gpath, Some(json!([other]))).await;
    assert!(status.is_client_error());

    // A payment reported twice is on the ledger once; an attempt's payments on one engine
    // (a reference recording, one an item) are each on it.
    let job = Uuid::now_v7();
    let record = json!({"id": Uuid::now_v7(), "job_id": job, "attempt": 1, "course_id": s.course,
                        "engine": "cloud", "kind": "narration", "micros": 1234});
    let another = json!({"id": Uuid::now_v7(), "job_id": job, "attempt": 1, "course_id": s.course,
                         "engine": "cloud", "kind": "narration", "micros": 100});
    for record in [&record, &record, &another] {
        let (status, body) = s
            .worker(
                Method::POST,
                "/api/v1/worker/spending",
                Some(record.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let spent: i64 = sqlx::query_scalar("SELECT SUM(micros)::bigint FROM spending")
        .fetch_one(&s.t.pool)
        .await
        .expect("sum");
    assert_eq!(spent, 1334);
    // What the job spent in all, as a retry of it reports its cost.
    let (status, body) = s
        .worker(Method::GET, &format!("/api/v1/worker/spending/{job}"), None)
        .await;
    assert_eq!(
        (status, body["micros"].as_i64()),
        (StatusCode::OK, Some(1334))
    );
    let (status, _) = s
        .worker(
            Method::POST,
            "/api/v1/worker/spending",
            Some(
                json!({"id": Uuid::now_v7(), "job_id": Uuid::now_v7(), "attempt": 1,
                        "course_id": s.course, "engine": "cloud", "kind": "narration",
                        "micros": -5}),
            ),
        )
        .await;
    assert!(status.is_client_error());
}
