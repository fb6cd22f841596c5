//! `PUT /api/v1/courses/{course}/generated/{slide}/{kind}`: an instructor's app sends what it
//! made for a slide by itself. Taken when made from the slide as it is on the server, and
//! pulled by members; refused, saying what and where, when stale or malformed.

mod common;

use classkit_model::order;
use classkit_sync::{EntityKind, EntityState, LessonFields, Mutation, SlideFields};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Digest;
use uuid::Uuid;

async fn upload(t: &common::Team, token: &str, course: Uuid, bytes: &[u8], media: &str) -> String {
    let sha256 = hex::encode(sha2::Sha256::digest(bytes));
    let resp = t
        .client
        .put(t.url(&format!(
            "/api/v1/courses/{course}/assets/{sha256}?media_type={media}"
        )))
        .bearer_auth(token)
        .body(bytes.to_vec())
        .send()
        .await
        .expect("upload");
    assert!(resp.status().is_success(), "{}", resp.status());
    sha256
}

fn page(slide: Uuid, kind: &str, n: u32, asset: &str, media: &str, key: &str) -> Value {
    json!({
        "target_id": slide, "kind": kind, "page": n, "asset": asset, "media_type": media,
        "thumbnail": null, "duration_ms": null, "input_key": key, "engine": "slides",
        "cost_micros": 0, "job_id": null, "details": {"body_size": 40},
    })
}

#[tokio::test]
async fn a_take_made_offline_is_taken_when_current_and_refused_when_stale_or_malformed() {
    let t = common::team().await;
    let owner = t.person("owner@example.org").await;
    let viewer = t.person("viewer@example.org").await;
    let course = t.share(&owner, "Phone calls").await;
    classkit_server::admin::add_member(
        &t.pool,
        course,
        "viewer@example.org",
        classkit_sync::Role::Viewer,
    )
    .await
    .expect("member");
    let (lesson, slide) = (Uuid::now_v7(), Uuid::now_v7());
    let new = |kind, id, state| Mutation {
        mutation_id: Uuid::now_v7(),
        kind,
        entity_id: id,
        base_version: None,
        base: None,
        state: Some(state),
        resolves: Vec::new(),
        made_at: chrono::Utc::now(),
    };
    let audio = b"OggS not really".to_vec();
    let narration = upload(&t, &owner, course, &audio, "audio/ogg").await;
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
                    title: "Calls".into(),
                }),
            ),
            new(
                EntityKind::Slide,
                slide,
                EntityState::Slide(SlideFields {
                    lesson_id: lesson,
                    order_key: order::between(None, None),
                    title: "<script>alert(1)</script> Hello".into(),
                    body: "Know your BATNA.".into(),
                    speaker_notes: "Say hello.".into(),
                    instructor_notes: String::new(),
                    layout: classkit_model::SlideLayout::Bullets,
                    image: None,
                    narration: Some(classkit_model::AssetRef(narration.clone())),
                }),
            ),
        ],
    )
    .await;
    let tree = classkit_server::generation::CourseSnapshot::tree(&t.pool, course)
        .await
        .expect("tree")
        .expect("course");
    let key = classkit_generate::render_key(&tree.lessons[0].slides[0].slide, "Calls", 1);
    let key = key.as_str();
    let png = upload(&t, &owner, course, b"\x89PNG page", "image/png").await;
    let path = |kind: &str| format!("/api/v1/courses/{course}/generated/{slide}/{kind}");
    let put = |token: &str, kind: &str, body: Value| {
        let (token, path) = (token.to_string(), path(kind));
        let t = &t;
        async move { t.call(Method::PUT, &path, Some(&token), Some(body)).await }
    };
    let render = json!([page(slide, "slide_render", 0, &png, "image/png", key)]);

    // Malformed takes are refused, saying what and where; nothing is stored.
    let missing = hex::encode([9u8; 32]);
    for (kind, body, status, says) in [
        ("illustration", render.clone(), 400, "slide_render"),
        ("slide_render", json!([]), 422, "at least one page"),
        (
            "slide_render",
            json!([page(slide, "slide_render", 1, &png, "image/png", key)]),
            422,
            "page 0",
        ),
        (
            "slide_render",
            json!([page(
                Uuid::now_v7(),
                "slide_render",
                0,
                &png,
                "image/png",
                key
            )]),
            422,
            "was sent for",
        ),
        (
            "slide_render",
            json!([page(slide, "slide_render", 0, &png, "image/svg+xml", key)]),
            422,
            "image/svg+xml",
        ),
        (
            "slide_render",
            json!([page(slide, "slide_render", 0, &missing, "image/png", key)]),
            422,
            "not uploaded",
        ),
        (
            "slide_render",
            json!([page(slide, "slide_render", 0, &narration, "image/png", key)]),
            422,
            "uploaded as audio/ogg",
        ),
        (
            "slide_render",
            json!([page(slide, "slide_render", 0, &png, "image/png", "")]),
            422,
            "input key",
        ),
        (
            "slide_render",
            json!([page(slide, "slide_render", 0, &png, "image/png", "stale")]),
            409,
            "as it was before",
        ),
        (
            "narration",
            json!([page(slide, "narration", 0, &png, "audio/ogg", "k")]),
            409,
            "as it was before",
        ),
        ("slide_render", json!({"not": "a list"}), 422, ""),
    ] {
        let (got, body) = put(&owner, kind, body).await;
        assert_eq!(got.as_u16(), status, "{kind}: {body}");
        assert!(body["code"].is_string(), "{body}");
        assert!(
            body["message"].as_str().unwrap_or_default().contains(says),
            "{kind}: {body}"
        );
    }
    let elsewhere = Uuid::now_v7();
    let (got, body) = t
        .call(
            Method::PUT,
            &format!("/api/v1/courses/{course}/generated/{elsewhere}/slide_render"),
            Some(&owner),
            Some(json!([page(
                elsewhere,
                "slide_render",
                0,
                &png,
                "image/png",
                key
            )])),
        )
        .await;
    assert_eq!(got, StatusCode::NOT_FOUND, "{body}");
    // A viewer may not.
    let (got, _) = put(&viewer, "slide_render", render.clone()).await;
    assert_eq!(got, StatusCode::FORBIDDEN);
    let before = t.pull(&viewer, course, 0, 1000).await;
    assert!(before.generated.is_empty());

    // A current render is taken and pulled; sent again, it changes nothing.
    let (got, body) = put(&owner, "slide_render", render.clone()).await;
    assert_eq!(got, StatusCode::NO_CONTENT, "{body}");
    let after = t.pull(&viewer, course, before.next, 1000).await;
    assert_eq!(after.generated.len(), 1);
    assert_eq!(after.generated[0].asset.0, png);
    assert_eq!(after.generated[0].input_key, key);
    let (got, _) = put(&owner, "slide_render", render.clone()).await;
    assert_eq!(got, StatusCode::NO_CONTENT);
    assert_eq!(
        t.pull(&viewer, course, after.next, 1000).await.next,
        after.next
    );
    // Narration of the audio the slide points at is taken.
    let (got, body) = put(
        &owner,
        "narration",
        json!([page(slide, "narration", 0, &narration, "audio/ogg", "k")]),
    )
    .await;
    assert_eq!(got, StatusCode::NO_CONTENT, "{body}");
    let last = t.pull(&viewer, course, after.next, 1000).await;
    assert_eq!(last.generated.len(), 1);
    assert_eq!(last.generated[0].kind, "narration");
}
