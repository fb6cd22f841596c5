//! The authorization matrix: every route of the served OpenAPI document, called as each kind
//! of caller, answers as the route's rule says. The routes come from the document, so a new
//! route that is not in the table below (and so has no rule checked here) fails the test.

mod common;

use classkit_model::order;
use classkit_sync::{EntityKind, EntityState, LessonFields, Mutation, Role};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Digest;
use uuid::Uuid;

/// Who is calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    NoToken,
    WrongToken,
    Revoked,
    NonMember,
    Viewer,
    Editor,
    Owner,
    /// A worker's token: the worker API only.
    Worker,
}

const CALLERS: [Caller; 8] = [
    Caller::NoToken,
    Caller::WrongToken,
    Caller::Revoked,
    Caller::NonMember,
    Caller::Viewer,
    Caller::Editor,
    Caller::Owner,
    Caller::Worker,
];

/// What a route asks of its caller.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Anyone, no token.
    Public,
    /// Any valid token.
    Person,
    /// A member of the course in the path, with at least this role.
    Course(Role),
    /// A worker's token.
    Worker,
    /// The person who asked for the job in the path (the matrix's owner); to anyone else it
    /// is not there.
    Asker,
}

/// Every route and its rule. A route in the document and not here fails the test.
fn rule(method: &str, path: &str) -> Option<Rule> {
    Some(match (method, path) {
        ("get", "/healthz" | "/readyz" | "/metrics") => Rule::Public,
        ("get", "/api/v1/me" | "/api/v1/courses")
        | ("post", "/api/v1/courses" | "/api/v1/outlines") => Rule::Person,
        ("get", "/api/v1/outlines/{job_id}") => Rule::Asker,
        ("get", "/api/v1/courses/{course_id}")
        | ("get", "/api/v1/courses/{course_id}/budget")
        | ("get", "/api/v1/courses/{course_id}/spending")
        | ("get", "/api/v1/courses/{course_id}/jobs/events")
        | ("get", "/api/v1/courses/{course_id}/jobs/{job_id}")
        | ("get", "/api/v1/courses/{course_id}/members")
        | ("get", "/api/v1/courses/{course_id}/changes")
        | ("get", "/api/v1/courses/{course_id}/conflicts")
        | ("get", "/api/v1/courses/{course_id}/assets/{sha256}") => Rule::Course(Role::Viewer),
        ("post", "/api/v1/courses/{course_id}/push")
        | ("post", "/api/v1/courses/{course_id}/assemble")
        | ("post", "/api/v1/courses/{course_id}/jobs/{job_id}/cancel")
        | ("post", "/api/v1/courses/{course_id}/jobs/{job_id}/retry")
        | ("post", "/api/v1/courses/{course_id}/assets/missing")
        | ("put", "/api/v1/courses/{course_id}/assets/{sha256}")
        | ("put", "/api/v1/courses/{course_id}/generated/{slide_id}/{kind}") => {
            Rule::Course(Role::Editor)
        }
        (_, p) if p.starts_with("/api/v1/worker/") => Rule::Worker,
        ("put", "/api/v1/courses/{course_id}/members/{email}")
        | ("delete", "/api/v1/courses/{course_id}/members/{email}") => Rule::Course(Role::Owner),
        _ => return None,
    })
}

fn expected(rule: Rule, caller: Caller, ok: StatusCode) -> StatusCode {
    match (rule, caller) {
        (Rule::Public, _) => ok,
        (_, Caller::NoToken | Caller::WrongToken | Caller::Revoked) => StatusCode::UNAUTHORIZED,
        // A worker's token acts on the worker API alone, and a person's never does.
        (Rule::Worker, Caller::Worker) => ok,
        (Rule::Worker, _) | (_, Caller::Worker) => StatusCode::FORBIDDEN,
        (Rule::Person, _) => ok,
        (Rule::Asker, Caller::Owner) => ok,
        (Rule::Asker, _) => StatusCode::NOT_FOUND,
        (Rule::Course(_), Caller::NonMember) => StatusCode::NOT_FOUND,
        (Rule::Course(need), c) => {
            let role = match c {
                Caller::Viewer => Role::Viewer,
                Caller::Editor => Role::Editor,
                _ => Role::Owner,
            };
            if role >= need {
                ok
            } else {
                StatusCode::FORBIDDEN
            }
        }
    }
}

#[tokio::test]
async fn every_documented_route_checks_its_caller() {
    // A language model in engines.toml, so that outlines can be asked for.
    let engines = "[[engine]]\nid = \"cloud\"\nkind = \"text\"\nprovider = \"openai\"\n\
                   endpoint = \"http://127.0.0.1:9/v1\"\nmodel = \"gpt-test\"\nquality = 4\n";
    let t = common::team_with_engines(
        classkit_server::config::Limits::default(),
        classkit_server::config::AssetStorage::Files,
        Some(engines),
    )
    .await;
    let owner = t.person("owner@example.org").await;
    let editor = t.person("editor@example.org").await;
    let viewer = t.person("viewer@example.org").await;
    let stranger = t.person("stranger@example.org").await;
    let revoked = t.person("revoked@example.org").await;
    t.person("target@example.org").await;
    let course = t.share(&owner, "Matrix").await;
    let worker = classkit_server::admin::create_worker_token(&t.pool, "gpu-1")
        .await
        .expect("worker token")
        .1
        .expose()
        .to_string();
    let (lesson, slide, component) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
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
                EntityState::Slide(classkit_sync::SlideFields {
                    lesson_id: lesson,
                    order_key: order::between(None, None),
                    title: "Hello".into(),
                    body: String::new(),
                    speaker_notes: "Say hello.".into(),
                    instructor_notes: String::new(),
                    layout: classkit_model::SlideLayout::ImageText,
                    image: None,
                    narration: None,
                }),
            ),
            new(
                EntityKind::Component,
                component,
                EntityState::Component(classkit_sync::ComponentFields {
                    slide_id: slide,
                    component_type: classkit_model::ComponentType::Quiz,
                    status: classkit_model::ComponentStatus::Draft,
                    payload: json!({"schema_version": 1, "questions": []}),
                }),
            ),
        ],
    )
    .await;
    for (email, role) in [
        ("editor@example.org", Role::Editor),
        ("viewer@example.org", Role::Viewer),
        ("revoked@example.org", Role::Owner),
        ("target@example.org", Role::Viewer),
    ] {
        classkit_server::admin::add_member(&t.pool, course, email, role)
            .await
            .expect("member");
    }
    classkit_server::admin::revoke_token(
        &t.pool,
        classkit_server::admin::TokenToRevoke::Value(classkit_server::auth::Token::new(
            revoked.clone(),
        )),
    )
    .await
    .expect("revoke");
    let (status, dispatched) = t
        .call(
            Method::POST,
            &format!("/api/v1/courses/{course}/assemble"),
            Some(&owner),
            Some(json!({"parts": ["slides"]})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{dispatched}");
    let job: Uuid = dispatched["jobs"][0]
        .as_str()
        .expect("a job")
        .parse()
        .expect("uuid");
    let queue = classkit_jobs::RedisQueue::connect(t.redis.url())
        .await
        .expect("queue");
    let (status, outlined) = t
        .call(
            Method::POST,
            "/api/v1/outlines",
            Some(&owner),
            Some(json!({"name": "talk.md", "text": "Hello.", "engine": "cloud"})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{outlined}");
    let outline_job = outlined["job_id"].as_str().expect("job").to_string();
    let bytes = b"OggS matrix".to_vec();
    let sha256 = hex::encode(sha2::Sha256::digest(&bytes));
    let resp = t
        .client
        .put(t.url(&format!(
            "/api/v1/courses/{course}/assets/{sha256}?media_type=audio/ogg"
        )))
        .bearer_auth(&owner)
        .body(bytes.clone())
        .send()
        .await
        .expect("upload");
    assert_eq!(resp.status(), StatusCode::CREATED);

    let (status, doc) = t
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().expect("paths");
    let mut checked = 0;
    let mut missing = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            let Some(rule) = rule(method, path) else {
                missing.push(format!("{method} {path}"));
                continue;
            };
            // The document says which routes need a token: it must agree with the rule.
            let secured = op.get("security").is_some();
            assert_eq!(
                secured,
                !matches!(rule, Rule::Public),
                "{method} {path}: the document's security disagrees with its rule"
            );
            for caller in CALLERS {
                let token = match caller {
                    Caller::NoToken => None,
                    Caller::WrongToken => Some("ckt_0000000000000000000000000000000000000000000"),
                    Caller::Revoked => Some(revoked.as_str()),
                    Caller::NonMember => Some(stranger.as_str()),
                    Caller::Viewer => Some(viewer.as_str()),
                    Caller::Editor => Some(editor.as_str()),
                    Caller::Owner => Some(owner.as_str()),
                    Caller::Worker => Some(worker.as_str()),
                };
                let id = if path.contains("/components/") {
                    component
                } else if path.contains("/slides/") {
                    slide
                } else {
                    course
                };
                let concrete = path
                    .replace("{course_id}", &course.to_string())
                    .replace("{id}", &id.to_string())
                    .replace("{target}", &slide.to_string())
                    .replace("{slide}", &slide.to_string())
                    .replace("{slide_id}", &slide.to_string())
                    .replace("{kind}", "narration")
                    .replace("{component_type}", "QUIZ")
                    .replace(
                        "{job_id}",
                        &if path.starts_with("/api/v1/outlines/") {
                            outline_job.clone()
                        } else {
                            job.to_string()
                        },
                    )
                    .replace("{sha256}", &sha256)
                    .replace("{email}", "target@example.org");
                // Each call finds the job where its route can act on it.
                {
                    use classkit_jobs::Queue;
                    if path.ends_with("/retry") {
                        let _ = queue.cancel(job).await;
                    } else if path.ends_with("/cancel") {
                        let _ = queue.retry(job).await;
                    }
                }
                let (status, body) =
                    request(&t, method, &concrete, path, (course, slide), token, &bytes).await;
                let ok = match (method.as_str(), path.as_str()) {
                    ("post", "/api/v1/courses") => StatusCode::CREATED,
                    ("post", "/api/v1/courses/{course_id}/assemble" | "/api/v1/outlines") => {
                        StatusCode::ACCEPTED
                    }
                    // Let in, and refused for what it sent: no outline job is running.
                    ("post", "/api/v1/worker/courses") => StatusCode::UNPROCESSABLE_ENTITY,
                    // Let in, and refused for what it sent: the slide has no narration.
                    ("put", "/api/v1/courses/{course_id}/generated/{slide_id}/{kind}") => {
                        StatusCode::CONFLICT
                    }
                    ("put", "/api/v1/worker/generated/{target}/{kind}")
                    | ("post", "/api/v1/worker/spending") => StatusCode::NO_CONTENT,
                    ("put", p) if p.ends_with("{sha256}") => StatusCode::CREATED,
                    ("delete", _) => StatusCode::NO_CONTENT,
                    _ => StatusCode::OK,
                };
                assert_eq!(
                    status,
                    expected(rule, caller, ok),
                    "{method} {path} as {caller:?}: {body}"
                );
                if status.is_client_error() {
                    assert!(body["code"].is_string(), "{method} {path}: {body}");
                }
                if method == "delete" && status == StatusCode::NO_CONTENT {
                    // Put the member back for the next caller.
                    classkit_server::admin::add_member(
                        &t.pool,
                        course,
                        "target@example.org",
                        Role::Viewer,
                    )
                    .await
                    .expect("member again");
                }
            }
            checked += 1;
        }
    }
    assert!(
        missing.is_empty(),
        "routes with no rule in this test: {missing:?}"
    );
    assert!(checked >= 15, "only {checked} routes in the document");
}

/// Calls one route with a body that is valid for it.
async fn request(
    t: &common::Team,
    method: &str,
    concrete: &str,
    template: &str,
    (course, slide): (Uuid, Uuid),
    token: Option<&str>,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
    if template.ends_with("/assets/{sha256}") && method == Method::PUT {
        let mut req = t
            .client
            .put(format!("{}?media_type=audio/ogg", t.url(concrete)))
            .body(bytes.to_vec());
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let resp = req.send().await.expect("send");
        let status = resp.status();
        let body = resp.json::<Value>().await.unwrap_or(Value::Null);
        return (status, body);
    }
    let body = match (method.as_str(), template) {
        ("POST", "/api/v1/courses") => {
            Some(json!({"id": Uuid::now_v7(), "fields": {"title": "Another"}}))
        }
        ("POST", "/api/v1/courses/{course_id}/push") => {
            let lesson = Mutation {
                mutation_id: Uuid::now_v7(),
                kind: EntityKind::Lesson,
                entity_id: Uuid::now_v7(),
                base_version: None,
                base: None,
                state: Some(EntityState::Lesson(LessonFields {
                    course_id: course,
                    order_key: order::between(None, None),
                    title: "Pushed".into(),
                })),
                resolves: Vec::new(),
                made_at: chrono::Utc::now(),
            };
            Some(json!({ "mutations": [lesson] }))
        }
        ("POST", "/api/v1/courses/{course_id}/assets/missing") => {
            Some(json!({"sha256": [hex::encode([7u8; 32])]}))
        }
        ("POST", "/api/v1/courses/{course_id}/assemble") => Some(json!({"parts": ["slides"]})),
        ("POST", "/api/v1/outlines") => {
            Some(json!({"name": "talk.md", "text": "Hello.", "engine": "cloud"}))
        }
        ("POST", "/api/v1/worker/courses") => Some(
            serde_json::to_value(
                classkit_model::outline::Outline {
                    title: "Not asked for".into(),
                    language: None,
                    lessons: Vec::new(),
                }
                .to_tree(Uuid::now_v7(), chrono::Utc::now()),
            )
            .expect("tree"),
        ),
        ("PUT", "/api/v1/worker/generated/{target}/{kind}") => Some(json!([])),
        ("PUT", "/api/v1/courses/{course_id}/generated/{slide_id}/{kind}") => Some(json!([{
            "target_id": slide, "kind": "narration", "page": 0,
            "asset": hex::encode(sha2::Sha256::digest(bytes)), "media_type": "audio/ogg",
            "thumbnail": null, "duration_ms": 900, "input_key": "k", "engine": "espeak",
            "cost_micros": 0, "job_id": null, "details": {},
        }])),
        ("POST", "/api/v1/worker/drafts") => Some(json!({
            "slide_id": slide, "component_type": "MATCHING",
            "origin": {"input_key": "k", "engine": "extractive"},
        })),
        ("POST", "/api/v1/worker/spending") => Some(json!({
            "id": Uuid::now_v7(), "job_id": Uuid::now_v7(), "attempt": 1, "course_id": course, "engine": "cloud",
            "kind": "draft_component", "micros": 5,
        })),
        ("POST", "/api/v1/worker/components/{id}/reference-audio") => Some(json!([])),
        ("POST", "/api/v1/worker/slides/{id}/outputs") => {
            Some(json!({"kind": "picture", "asset": hex::encode(sha2::Sha256::digest(bytes))}))
        }
        ("POST", "/api/v1/worker/assets/missing") => {
            Some(json!({"sha256": [hex::encode([7u8; 32])]}))
        }
        ("PUT", _) => Some(json!({"role": "viewer"})),
        _ => None,
    };
    if method == Method::GET
        && (template.ends_with("/assets/{sha256}") || template.ends_with("/jobs/events"))
    {
        let mut req = t.client.get(t.url(concrete));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let resp = req.send().await.expect("send");
        let status = resp.status();
        let body = if status.is_success() {
            Value::Null
        } else {
            resp.json::<Value>().await.unwrap_or(Value::Null)
        };
        return (status, body);
    }
    t.call(method, concrete, token, body).await
}
