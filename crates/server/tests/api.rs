//! The team server's API over real HTTP on loopback, on a real PostgreSQL (and Redis for
//! readiness): tokens and membership, push and pull, merges and conflicts, replays, assets,
//! and bad input. Each test has its own PostgreSQL and Redis.

mod common;

use classkit_model::{ComponentStatus, ComponentType, SlideLayout, order};
use classkit_server::config::{AssetStorage, Limits};
use classkit_sync::{
    ComponentFields, EntityKind, EntityState, LessonFields, Mutation, Outcome, PushResponse, Role,
    SlideFields,
};
use common::{Team, team, team_with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Digest;
use uuid::Uuid;

fn upsert(kind: EntityKind, id: Uuid, base: Option<EntityState>, state: EntityState) -> Mutation {
    Mutation {
        mutation_id: Uuid::now_v7(),
        kind,
        entity_id: id,
        base_version: None,
        base,
        state: Some(state),
        resolves: Vec::new(),
        made_at: chrono::Utc::now(),
    }
}

fn lesson(course: Uuid, title: &str) -> EntityState {
    EntityState::Lesson(LessonFields {
        course_id: course,
        order_key: order::between(None, None),
        title: title.into(),
    })
}

fn slide(lesson: Uuid, title: &str, body: &str) -> EntityState {
    EntityState::Slide(SlideFields {
        lesson_id: lesson,
        order_key: order::between(None, None),
        title: title.into(),
        body: body.into(),
        speaker_notes: String::new(),
        instructor_notes: String::new(),
        layout: SlideLayout::Bullets,
        image: None,
        narration: None,
    })
}

fn quiz(slide: Uuid, questions: Value) -> EntityState {
    EntityState::Component(ComponentFields {
        slide_id: slide,
        component_type: ComponentType::Quiz,
        status: ComponentStatus::Draft,
        payload: json!({"schema_version": 2, "questions": questions}),
    })
}

fn question(id: &str, prompt: &str) -> Value {
    json!({"id": id, "kind": "single_choice", "text": prompt,
           "options": [{"id": "o1", "text": "yes", "correct": true}, {"id": "o2", "text": "no", "correct": false}]})
}

/// `n` new lessons of `course`, titled "{title} 0", "{title} 1", …
fn new_lessons(course: Uuid, title: &str, n: usize) -> Vec<Mutation> {
    (0..n)
        .map(|i| {
            upsert(
                EntityKind::Lesson,
                Uuid::now_v7(),
                None,
                lesson(course, &format!("{title} {i}")),
            )
        })
        .collect()
}

/// A course with one lesson, one slide and one quiz; returns their ids and states.
async fn seeded(t: &Team, token: &str) -> (Uuid, Uuid, Uuid, Uuid, EntityState, EntityState) {
    let course = t.share(token, "Negotiation").await;
    let (l, s, q) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let slide_state = slide(l, "Opening", "Say hello");
    let quiz_state = quiz(s, json!([question("q1", "Is BATNA a plan B?")]));
    let r = t
        .push_ok(
            token,
            course,
            vec![
                upsert(EntityKind::Lesson, l, None, lesson(course, "One")),
                upsert(EntityKind::Slide, s, None, slide_state.clone()),
                upsert(EntityKind::Component, q, None, quiz_state.clone()),
            ],
        )
        .await;
    assert!(
        r.results.iter().all(|r| r.outcome == Outcome::Applied),
        "{r:?}"
    );
    (course, l, s, q, slide_state, quiz_state)
}

#[tokio::test]
async fn tokens_and_membership_guard_every_course() {
    let t = team().await;
    let ann = t.person("ann@example.org").await;
    let bob = t.person("bob@example.org").await;
    let (course, ..) = seeded(&t, &ann).await;
    let changes = format!("/api/v1/courses/{course}/changes");
    let get = reqwest::Method::GET;

    let (status, body) = t.call(get.clone(), &changes, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthorized");
    let (status, _) = t
        .call(get.clone(), &changes, Some("ckt_not-a-real-token"), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Not a member: the same answer as for a course that does not exist.
    let (status, body) = t.call(get.clone(), &changes, Some(&bob), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status2, body2) = t
        .call(
            get.clone(),
            &format!("/api/v1/courses/{}/changes", Uuid::now_v7()),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(status2, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], body2["code"]);

    // A viewer reads but cannot write.
    classkit_server::admin::add_member(&t.pool, course, "bob@example.org", Role::Viewer)
        .await
        .expect("member");
    let (status, _) = t.call(get.clone(), &changes, Some(&bob), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = t
        .push(
            &bob,
            course,
            vec![upsert(
                EntityKind::Lesson,
                Uuid::now_v7(),
                None,
                lesson(course, "Mine"),
            )],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // An editor cannot manage members; an owner can.
    let member = format!("/api/v1/courses/{course}/members/bob@example.org");
    let (status, _) = t
        .call(
            reqwest::Method::PUT,
            &member,
            Some(&bob),
            Some(json!({"role": "owner"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = t
        .call(
            reqwest::Method::PUT,
            &member,
            Some(&ann),
            Some(json!({"role": "editor"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["role"], "editor");
    // The last owner cannot step down.
    let (status, body) = t
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/courses/{course}/members/ann@example.org"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // Revocation holds from the next request.
    classkit_server::admin::revoke_token(
        &t.pool,
        classkit_server::admin::TokenToRevoke::Value(classkit_server::auth::Token::new(
            bob.clone(),
        )),
    )
    .await
    .expect("revoke");
    let (status, body) = t.call(get, &changes, Some(&bob), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "token_revoked");
}

#[tokio::test]
async fn edits_merge_by_field_and_item_and_conflicts_keep_both_values() {
    let t = team().await;
    let ann = t.person("ann@example.org").await;
    let bob = t.person("bob@example.org").await;
    let (course, _, s, q, slide0, quiz0) = seeded(&t, &ann).await;
    classkit_server::admin::add_member(&t.pool, course, "bob@example.org", Role::Editor)
        .await
        .expect("member");

    // Different fields of one slide: both kept.
    let EntityState::Slide(f) = slide0.clone() else {
        unreachable!()
    };
    let ann_slide = EntityState::Slide(SlideFields {
        title: "Ann's title".into(),
        ..f.clone()
    });
    let bob_slide = EntityState::Slide(SlideFields {
        body: "Bob's body".into(),
        ..f.clone()
    });
    t.push_ok(
        &ann,
        course,
        vec![upsert(
            EntityKind::Slide,
            s,
            Some(slide0.clone()),
            ann_slide,
        )],
    )
    .await;
    let r = t
        .push_ok(
            &bob,
            course,
            vec![upsert(
                EntityKind::Slide,
                s,
                Some(slide0.clone()),
                bob_slide,
            )],
        )
        .await;
    assert_eq!(r.results[0].outcome, Outcome::Merged);
    let EntityState::Slide(merged) = &r.results[0].entity.as_ref().expect("entity").state else {
        unreachable!()
    };
    assert_eq!(
        (merged.title.as_str(), merged.body.as_str()),
        ("Ann's title", "Bob's body")
    );

    // Each adds a question: both kept. Both change one option's text: a conflict at its pointer.
    let ann_quiz = quiz(
        s,
        json!([
            question("q1", "Is BATNA a plan B?"),
            question("q2", "Ann's")
        ]),
    );
    let mut q1_bob = question("q1", "Is BATNA a plan B?");
    q1_bob["options"][1]["text"] = json!("Bob's no");
    let bob_quiz = quiz(s, json!([q1_bob, question("q3", "Bob's")]));
    let mut q1_ann = question("q1", "Is BATNA a plan B?");
    q1_ann["options"][1]["text"] = json!("Ann's no");
    let ann_quiz2 = quiz(s, json!([q1_ann, question("q2", "Ann's")]));
    t.push_ok(
        &ann,
        course,
        vec![upsert(
            EntityKind::Component,
            q,
            Some(quiz0.clone()),
            ann_quiz.clone(),
        )],
    )
    .await;
    t.push_ok(
        &ann,
        course,
        vec![upsert(EntityKind::Component, q, Some(ann_quiz), ann_quiz2)],
    )
    .await;
    let r = t
        .push_ok(
            &bob,
            course,
            vec![upsert(EntityKind::Component, q, Some(quiz0), bob_quiz)],
        )
        .await;
    assert_eq!(r.results[0].outcome, Outcome::Conflicted);
    let EntityState::Component(c) = &r.results[0].entity.as_ref().expect("entity").state else {
        unreachable!()
    };
    let ids: Vec<&str> = c.payload["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["q1", "q2", "q3"]);
    assert_eq!(c.payload["questions"][0]["options"][1]["text"], "Ann's no");
    let conflict = &r.results[0].conflicts[0];
    assert_eq!(conflict.pointer, "/payload/questions/0/options/1/text");
    assert_eq!(conflict.mine, Some(json!("Bob's no")));
    assert_eq!(conflict.theirs, Some(json!("Ann's no")));
    assert_eq!(conflict.mine_author.as_deref(), Some("bob@example.org"));
    assert_eq!(conflict.theirs_author.as_deref(), Some("ann@example.org"));

    // Both see it.
    for token in [&ann, &bob] {
        let (status, list) = t
            .call(
                reqwest::Method::GET,
                &format!("/api/v1/courses/{course}/conflicts"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list.as_array().expect("list").len(), 1, "{list}");
    }
    // Settled by an ordinary edit that names it.
    let current = r.results[0].entity.as_ref().expect("entity").state.clone();
    let mut settle = upsert(EntityKind::Component, q, Some(current.clone()), current);
    settle.resolves = vec![conflict.id];
    t.push_ok(&bob, course, vec![settle]).await;
    let (_, open) = t
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/courses/{course}/conflicts"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(open, json!([]));
}

#[tokio::test]
async fn a_replayed_push_is_applied_once_and_deletes_are_tombstones() {
    let t = team().await;
    let ann = t.person("ann@example.org").await;
    let (course, _, s, q, slide0, quiz0) = seeded(&t, &ann).await;
    let EntityState::Slide(f) = slide0.clone() else {
        unreachable!()
    };
    let edit = upsert(
        EntityKind::Slide,
        s,
        Some(slide0),
        EntityState::Slide(SlideFields {
            title: "Once".into(),
            ..f
        }),
    );
    let first = t.push_ok(&ann, course, vec![edit.clone()]).await;
    let again = t.push_ok(&ann, course, vec![edit]).await;
    assert_eq!(again.results[0].outcome, Outcome::AlreadyApplied);
    assert_eq!(first.results[0].entity, again.results[0].entity);
    assert_eq!(first.seq, again.seq, "nothing new in the change log");

    let delete = Mutation {
        state: None,
        ..upsert(EntityKind::Component, q, Some(quiz0.clone()), quiz0.clone())
    };
    t.push_ok(&ann, course, vec![delete]).await;
    // An edit made offline against the deleted component: a conflict, still deleted.
    let late = upsert(
        EntityKind::Component,
        q,
        Some(quiz0.clone()),
        quiz(s, json!([question("q9", "late")])),
    );
    let r = t.push_ok(&ann, course, vec![late]).await;
    assert_eq!(r.results[0].outcome, Outcome::Conflicted);
    assert!(r.results[0].entity.as_ref().expect("entity").deleted);

    // Pulling from the start in small pages gives every entity, with the tombstone, and
    // never a slide or component before the lesson or slide it sits in.
    let mut after = 0;
    let mut seen: std::collections::HashMap<Uuid, (EntityKind, bool)> = Default::default();
    let mut conflicts = 0;
    loop {
        let page = t.pull(&ann, course, after, 2).await;
        let own = page
            .changes
            .iter()
            .filter(|c| c.seq > after && c.seq <= page.next)
            .count();
        assert!(own + page.conflicts.len() <= 2, "{page:?}");
        for c in &page.changes {
            let parent = match &c.state {
                EntityState::Slide(f) => Some(f.lesson_id),
                EntityState::Component(f) => Some(f.slide_id),
                _ => None,
            };
            if let Some(parent) = parent {
                assert!(
                    seen.contains_key(&parent),
                    "{:?} {} came before its parent",
                    c.kind,
                    c.id
                );
            }
            seen.insert(c.id, (c.kind, c.deleted));
        }
        conflicts += page.conflicts.len();
        after = page.next;
        if !page.more {
            break;
        }
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert_eq!(seen.get(&q), Some(&(EntityKind::Component, true)));
    assert_eq!(conflicts, 1);
    let rest = t.pull(&ann, course, after, 100).await;
    assert!(rest.changes.is_empty() && !rest.more);
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_stores_nothing() {
    let limits = Limits {
        max_body_bytes: 64 * 1024,
        max_asset_bytes: 1024,
        ..Limits::default()
    };
    let t = team_with(limits, AssetStorage::Database).await;
    let ann = t.person("ann@example.org").await;
    let (course, l, s, ..) = seeded(&t, &ann).await;
    let push = format!("/api/v1/courses/{course}/push");
    let before = t.pull(&ann, course, 0, 1000).await.next;

    // Not JSON; unknown fields; a body over the limit.
    let resp = t
        .client
        .post(t.url(&push))
        .bearer_auth(&ann)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["code"], "invalid_json");
    let (status, body) = t
        .call(
            reqwest::Method::POST,
            &push,
            Some(&ann),
            Some(json!({"mutations": [], "extra": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let huge = "x".repeat(100 * 1024);
    let (status, body) = t
        .push(
            &ann,
            course,
            vec![upsert(EntityKind::Slide, s, None, slide(l, &huge, ""))],
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["code"], "input_too_large");

    // A ready payload that breaks its type's rules, beside a good edit: 422 with pointers,
    // and the good edit is not stored either.
    let mut bad = quiz(
        s,
        json!([{"id": "q1", "kind": "single_choice", "text": "", "options": []}]),
    );
    if let EntityState::Component(c) = &mut bad {
        c.status = ComponentStatus::Ready;
    }
    let (status, body) = t
        .push(
            &ann,
            course,
            vec![
                upsert(
                    EntityKind::Lesson,
                    Uuid::now_v7(),
                    None,
                    lesson(course, "Good"),
                ),
                upsert(EntityKind::Component, Uuid::now_v7(), None, bad),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "validation_failed");
    let issues = &body["details"]["mutations"][0]["issues"];
    assert!(
        issues
            .as_array()
            .expect("issues")
            .iter()
            .any(|i| i["pointer"]
                .as_str()
                .expect("ptr")
                .starts_with("/payload/questions/0")),
        "{body}"
    );
    assert_eq!(body["details"]["mutations"][0]["index"], 1);
    assert_eq!(
        t.pull(&ann, course, 0, 1000).await.next,
        before,
        "nothing stored"
    );

    // Ids with SQL or path characters; a page size of a billion; a negative cursor.
    for path in [
        "/api/v1/courses/1;DROP%20TABLE%20users/changes".to_string(),
        "/api/v1/courses/..%2F..%2Fetc%2Fpasswd/changes".to_string(),
    ] {
        let (status, body) = t.call(reqwest::Method::GET, &path, Some(&ann), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_eq!(body["code"], "invalid_input");
    }
    for query in ["limit=1000000000", "limit=0", "after=-5"] {
        let (status, body) = t
            .call(
                reqwest::Method::GET,
                &format!("/api/v1/courses/{course}/changes?{query}"),
                Some(&ann),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
    }

    // Assets: bytes that do not match their hash; a path-like hash; too large; then a good one.
    let bytes = b"RIFF fake wav".to_vec();
    let hash = hex::encode(sha2::Sha256::digest(&bytes));
    let upload = |h: &str| {
        t.url(&format!(
            "/api/v1/courses/{course}/assets/{h}?media_type=audio/wav"
        ))
    };
    let wrong = hex::encode(sha2::Sha256::digest(b"other"));
    let resp = t
        .client
        .put(upload(&wrong))
        .bearer_auth(&ann)
        .body(bytes.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        resp.json::<Value>().await.expect("json")["code"],
        "asset_hash_mismatch"
    );
    let resp = t
        .client
        .put(upload("..%2F..%2Fetc"))
        .bearer_auth(&ann)
        .body(bytes.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let resp = t
        .client
        .put(upload(&hash))
        .bearer_auth(&ann)
        .body(vec![0u8; 4096])
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A slide may not use it before it is uploaded.
    let mut with_audio = slide(l, "Audio", "");
    if let EntityState::Slide(f) = &mut with_audio {
        f.narration = Some(classkit_model::AssetRef(hash.clone()));
    }
    let (status, body) = t
        .push(
            &ann,
            course,
            vec![upsert(
                EntityKind::Slide,
                Uuid::now_v7(),
                None,
                with_audio.clone(),
            )],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "asset_missing");
    let resp = t
        .client
        .put(upload(&hash))
        .bearer_auth(&ann)
        .body(bytes.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::CREATED);
    t.push_ok(
        &ann,
        course,
        vec![upsert(EntityKind::Slide, Uuid::now_v7(), None, with_audio)],
    )
    .await;
    let resp = t
        .client
        .get(t.url(&format!("/api/v1/courses/{course}/assets/{hash}")))
        .bearer_auth(&ann)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["x-media-type"], "audio/wav");
    assert_eq!(
        resp.bytes().await.expect("bytes").as_ref(),
        bytes.as_slice()
    );
}

#[tokio::test]
async fn the_document_health_and_metrics_are_served() {
    let t = team().await;
    let (status, doc) = t
        .call(reqwest::Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        doc["paths"]["/api/v1/courses/{course_id}/push"]["post"].is_object(),
        "{doc}"
    );
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let (status, ready) = t.call(reqwest::Method::GET, "/readyz", None, None).await;
    assert_eq!(status, StatusCode::OK, "{ready}");
    assert_eq!(ready, json!({"database": true, "redis": true}));
    let (status, text) = t.call(reqwest::Method::GET, "/metrics", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text.as_str()
            .expect("text")
            .contains("classkit_server_http_requests"),
        "{text}"
    );
    let (status, body) = t.call(reqwest::Method::GET, "/nowhere", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");
}

#[tokio::test]
async fn a_large_push_is_checked_whole_and_names_each_refused_mutation_in_order() {
    let t = team_with(Limits::default(), AssetStorage::Database).await;
    let ann = t.person("ann@example.org").await;
    let (course, _, s, ..) = seeded(&t, &ann).await;
    let before = t.pull(&ann, course, 0, 1000).await.next;
    // Enough mutations to be checked on every core, two of which break a rule.
    let mut mutations = new_lessons(course, "Lesson", 400);
    for at in [7, 391] {
        let mut bad = quiz(
            s,
            json!([{"id": "q1", "kind": "single_choice", "text": "", "options": []}]),
        );
        if let EntityState::Component(c) = &mut bad {
            c.status = ComponentStatus::Ready;
        }
        mutations[at] = upsert(EntityKind::Component, Uuid::now_v7(), None, bad);
    }
    let (status, body) = t.push(&ann, course, mutations).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "validation_failed");
    let refused: Vec<&Value> = body["details"]["mutations"]
        .as_array()
        .expect("mutations")
        .iter()
        .map(|m| &m["index"])
        .collect();
    assert_eq!(refused, [&json!(7), &json!(391)], "{body}");
    assert_eq!(
        t.pull(&ann, course, 0, 1000).await.next,
        before,
        "nothing stored"
    );

    // The same push without the two is stored whole.
    let (status, body) = t
        .push(&ann, course, new_lessons(course, "Lesson", 400))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"].as_array().map(Vec::len), Some(400));
    assert_eq!(t.pull(&ann, course, before, 1000).await.changes.len(), 400);
}

#[tokio::test]
async fn a_push_sent_after_another_waits_for_it_and_is_refused_whole_when_it_never_comes() {
    let t = team().await;
    let ann = t.person("ann@example.org").await;
    let (course, ..) = seeded(&t, &ann).await;
    let first = new_lessons(course, "First", 3);
    let second = new_lessons(course, "Second", 3);
    let last_of_first = first[2].mutation_id;
    let before = t.pull(&ann, course, 0, 1000).await.next;
    let push_at = |after: Uuid| format!("/api/v1/courses/{course}/push?after_mutation={after}");

    // The second batch arrives first: it waits, stores nothing, and goes in after the first.
    let after_first = push_at(last_of_first);
    let waiting = t.call(
        reqwest::Method::POST,
        &after_first,
        Some(&ann),
        Some(json!({ "mutations": second })),
    );
    let meanwhile = async {
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let untouched = t.pull(&ann, course, 0, 1000).await.next;
        let answer = t.push_ok(&ann, course, first.clone()).await;
        (untouched, answer)
    };
    let ((status, body), (untouched, first_answer)) = tokio::join!(waiting, meanwhile);
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        untouched, before,
        "nothing of the waiting push stored before the first"
    );
    let second_answer: PushResponse = serde_json::from_value(body).expect("answer");
    let first_last = first_answer.seq;
    let second_first = second_answer.results[0]
        .entity
        .as_ref()
        .expect("entity")
        .seq;
    assert!(
        second_first > first_last,
        "{second_first} after {first_last}"
    );

    // A push after a mutation that never reaches the server (or is of another course) is
    // refused once the wait is over, and nothing of it is stored.
    let now = t.pull(&ann, course, 0, 1000).await.next;
    let (status, body) = t
        .call(
            reqwest::Method::POST,
            &push_at(Uuid::now_v7()),
            Some(&ann),
            Some(json!({ "mutations": new_lessons(course, "Orphan", 3) })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "wrong_state");
    assert_eq!(
        t.pull(&ann, course, 0, 1000).await.next,
        now,
        "nothing stored"
    );
}

#[tokio::test]
async fn an_edit_on_the_base_as_the_app_wrote_it_is_taken_whole() {
    let t = team().await;
    let ann = t.person("ann@example.org").await;
    let (course, _, _, q, _, sent) = seeded(&t, &ann).await;
    // The server stores the quiz normalized (its defaults filled in): not as sent.
    let stored = t
        .pull(&ann, course, 0, 100)
        .await
        .changes
        .into_iter()
        .find(|c| c.id == q)
        .expect("quiz")
        .state;
    assert_ne!(stored, sent, "the quiz as sent is already normalized");
    let edit = |base: &EntityState, text: &str| {
        let EntityState::Component(mut c) = base.clone() else {
            unreachable!()
        };
        c.payload["questions"][0]["text"] = json!(text);
        upsert(
            EntityKind::Component,
            q,
            Some(base.clone()),
            EntityState::Component(c),
        )
    };
    // Based on the quiz as the app sent it, then on the quiz as stored: each an edit of the
    // version before, taken as it is, never a merge or a conflict.
    let r = t
        .push_ok(&ann, course, vec![edit(&sent, "First wording?")])
        .await;
    assert_eq!(r.results[0].outcome, Outcome::Applied, "{r:?}");
    let now = r.results[0].entity.as_ref().expect("entity").state.clone();
    let r = t
        .push_ok(&ann, course, vec![edit(&now, "Second wording?")])
        .await;
    assert_eq!(r.results[0].outcome, Outcome::Applied, "{r:?}");
    let EntityState::Component(c) = &r.results[0].entity.as_ref().expect("entity").state else {
        unreachable!()
    };
    assert_eq!(c.payload["questions"][0]["text"], "Second wording?");
    // The same edit again on the same base changes nothing.
    let r = t
        .push_ok(&ann, course, vec![edit(&now, "Second wording?")])
        .await;
    assert_eq!(r.results[0].outcome, Outcome::Unchanged, "{r:?}");
}

#[tokio::test]
async fn every_accepted_version_stays_readable_and_each_state_is_stored_once() {
    let t = team().await;
    let ann = t.person("ann@example.org").await;
    let (course, l, s, q, slide0, _) = seeded(&t, &ann).await;
    let EntityState::Slide(f) = slide0.clone() else {
        unreachable!()
    };
    // The slide's second version shows a picture (uploaded to the course first).
    let picture = b"a picture's bytes".to_vec();
    let sha = hex::encode(sha2::Sha256::digest(&picture));
    let resp = t
        .client
        .put(t.url(&format!(
            "/api/v1/courses/{course}/assets/{sha}?media_type=image/png"
        )))
        .bearer_auth(&ann)
        .body(picture)
        .send()
        .await
        .expect("send");
    assert!(resp.status().is_success(), "{}", resp.status());
    let titled = |title: &str| {
        EntityState::Slide(SlideFields {
            title: title.into(),
            image: Some(classkit_model::AssetRef(sha.clone())),
            ..f.clone()
        })
    };
    // The first versions of everything, as the server stored them (defaults filled in),
    // which a pull gives.
    let first = t.pull(&ann, course, 0, 100).await.changes;
    let first_of = |id: Uuid| {
        first
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.state.clone())
            .expect("first version")
    };
    // The course, the lesson and the component each get a second version (before the
    // slide is deleted: the component is on it).
    let mut second = Vec::new();
    for (kind, id) in [
        (EntityKind::Course, course),
        (EntityKind::Lesson, l),
        (EntityKind::Component, q),
    ] {
        let before = first_of(id);
        let after = match before.clone() {
            EntityState::Course(mut c) => {
                c.title = "Renamed".into();
                c.language = Some("ko".into());
                EntityState::Course(c)
            }
            EntityState::Lesson(mut l) => {
                l.title = "Renamed".into();
                EntityState::Lesson(l)
            }
            EntityState::Component(mut c) => {
                c.status = ComponentStatus::Ready;
                c.payload["questions"][0]["text"] = json!("Is a BATNA a plan B?");
                EntityState::Component(c)
            }
            EntityState::Slide(_) => unreachable!(),
        };
        let r = t
            .push_ok(
                &ann,
                course,
                vec![upsert(kind, id, Some(before.clone()), after)],
            )
            .await;
        assert_eq!(r.results[0].outcome, Outcome::Applied, "{kind:?}");
        let now = r.results[0].entity.as_ref().expect("entity").state.clone();
        second.push((kind, id, before, now));
    }

    // Version 2 in a push of its own; versions 3 and 4 in one push; a delete as version 5.
    let (v2, v3, v4) = (titled("Two"), titled("Three"), titled("Four"));
    t.push_ok(
        &ann,
        course,
        vec![upsert(
            EntityKind::Slide,
            s,
            Some(slide0.clone()),
            v2.clone(),
        )],
    )
    .await;
    t.push_ok(
        &ann,
        course,
        vec![
            upsert(EntityKind::Slide, s, Some(v2.clone()), v3.clone()),
            upsert(EntityKind::Slide, s, Some(v3.clone()), v4.clone()),
        ],
    )
    .await;
    let delete = Mutation {
        state: None,
        ..upsert(EntityKind::Slide, s, Some(v4.clone()), v4.clone())
    };
    let r = t.push_ok(&ann, course, vec![delete]).await;
    assert_eq!(r.results[0].entity.as_ref().expect("entity").version, 5);
    let mut conn = t.pool.acquire().await.expect("connection");
    let versions = [slide0, v2, v3, v4.clone(), v4];
    for (n, want) in (1..).zip(&versions) {
        let got = classkit_server::entities::revision(&mut conn, course, EntityKind::Slide, s, n)
            .await
            .expect("revision");
        assert_eq!(got.as_ref(), Some(want), "version {n}");
    }
    // Each kind's superseded first version reads back exactly, and its current second one.
    for (kind, id, one, two) in second {
        for (n, want) in [(1, one), (2, two)] {
            let got = classkit_server::entities::revision(&mut conn, course, kind, id, n)
                .await
                .expect("revision");
            assert_eq!(got, Some(want), "{kind:?} version {n}");
        }
    }
    for missing in [0, 6] {
        let got =
            classkit_server::entities::revision(&mut conn, course, EntityKind::Slide, s, missing)
                .await
                .expect("revision");
        assert_eq!(got, None, "version {missing}");
    }
    // Another course's member cannot read it through another course's id.
    let other = t.share(&ann, "Other").await;
    let got = classkit_server::entities::revision(&mut conn, other, EntityKind::Slide, s, 2)
        .await
        .expect("revision");
    assert_eq!(got, None);
    // Each state is stored once: the current version's in the entity's row, each earlier
    // one once, kept when a later version superseded it. Per version: whether its revision
    // holds its state, whether `revision_states` does.
    let kept = async |id: Uuid| -> Vec<(i64, bool, bool)> {
        sqlx::query_as(
            "SELECT r.version, r.state IS NOT NULL, s.state IS NOT NULL FROM revisions r
             LEFT JOIN revision_states s ON s.course_id = r.course_id AND s.seq = r.seq
             WHERE r.entity_id = $1 ORDER BY r.version",
        )
        .bind(id)
        .fetch_all(&t.pool)
        .await
        .expect("revisions")
    };
    assert_eq!(
        kept(s).await,
        [
            (1, false, true),
            (2, false, true),
            // Superseded in the push that stored it: kept with its revision.
            (3, true, false),
            (4, false, true),
            (5, false, false)
        ]
    );
    // The course's first version too (made by sharing it): its row held it until the edit.
    assert_eq!(kept(course).await, [(1, false, true), (2, false, false)]);
}
