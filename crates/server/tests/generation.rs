//! Team generation through the server: an assembly planned on the server, held to the team's
//! budgets, and queued on the shared Redis queue with the course and who asked.

mod common;

use classkit_jobs::{JobFilter, JobState, Queue, RedisQueue};
use classkit_model::order;
use classkit_sync::{EntityKind, EntityState, LessonFields, Mutation, Role, SlideFields};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashSet;
use uuid::Uuid;

fn upsert(kind: EntityKind, id: Uuid, state: EntityState) -> Mutation {
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

/// A course of one lesson with `notes.len()` slides, each narrated with its notes.
async fn course_with_slides(t: &common::Team, token: &str, notes: &[&str]) -> (Uuid, Vec<Uuid>) {
    let course = t.share(token, "Negotiation on the phone").await;
    let lesson = Uuid::now_v7();
    let mut mutations = vec![upsert(
        EntityKind::Lesson,
        lesson,
        EntityState::Lesson(LessonFields {
            course_id: course,
            order_key: order::between(None, None),
            title: "Opening".into(),
        }),
    )];
    let mut slides = Vec::new();
    let mut key = None;
    for (i, text) in notes.iter().enumerate() {
        let id = Uuid::now_v7();
        let k = order::between(key.as_deref(), None);
        key = Some(k.clone());
        mutations.push(upsert(
            EntityKind::Slide,
            id,
            EntityState::Slide(SlideFields {
                lesson_id: lesson,
                order_key: k,
                title: format!("Slide {}", i + 1),
                body: "- Say who you are\n- Say why you call".into(),
                speaker_notes: (*text).into(),
                instructor_notes: String::new(),
                layout: classkit_model::SlideLayout::Bullets,
                image: None,
                narration: None,
            }),
        ));
        slides.push(id);
    }
    t.push_ok(token, course, mutations).await;
    (course, slides)
}

const NOTES: [&str; 3] = [
    "A BATNA is your best alternative to a negotiated agreement. Know it before you call.",
    "An anchor is the first number said in a negotiation. It pulls the deal towards it.",
    "A concession is something you give up to reach an agreement. Trade it, never give it.",
];

async fn assemble(t: &common::Team, token: &str, course: Uuid, body: Value) -> (StatusCode, Value) {
    t.call(
        Method::POST,
        &format!("/api/v1/courses/{course}/assemble"),
        Some(token),
        Some(body),
    )
    .await
}

fn ids(body: &Value) -> Vec<Uuid> {
    body["jobs"]
        .as_array()
        .expect("jobs")
        .iter()
        .map(|j| j.as_str().expect("id").parse().expect("uuid"))
        .collect()
}

#[tokio::test]
async fn an_assembly_is_planned_on_the_server_and_queued_for_the_team() {
    let t = common::team().await;
    let owner = t.person("owner@example.org").await;
    let editor = t.person("editor@example.org").await;
    let (course, slides) = course_with_slides(&t, &owner, &NOTES).await;
    classkit_server::admin::add_member(&t.pool, course, "editor@example.org", Role::Editor)
        .await
        .expect("member");

    let (status, body) = assemble(&t, &editor, course, json!({})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["course_id"], json!(course));
    assert_eq!(body["slides"], json!(3));
    assert_eq!(body["scope"], json!({"kind": "course"}));
    let jobs = ids(&body);
    let queue = RedisQueue::connect(t.redis.url()).await.expect("queue");
    let mut kinds = HashSet::new();
    for id in &jobs {
        let job = queue.get(*id).await.expect("queued");
        assert_eq!(job.state, JobState::Queued);
        assert_eq!(job.course_id, Some(course));
        assert_eq!(job.requested_by.as_deref(), Some("editor@example.org"));
        assert!(slides.contains(&job.target.expect("target")), "{job:?}");
        kinds.insert(job.kind.clone());
    }
    // Every slide is rendered and narrated; the extractive drafter drafts from the notes.
    for kind in ["slide_render", "narration", "draft_component"] {
        assert!(kinds.contains(kind), "{kind} not among {kinds:?}");
    }
    let per_slide = |kind: &str| {
        let jobs = jobs.clone();
        let queue = queue.clone();
        let kind = kind.to_string();
        async move {
            let mut n = 0;
            for id in &jobs {
                if queue.get(*id).await.expect("job").kind == kind {
                    n += 1;
                }
            }
            n
        }
    };
    assert_eq!(per_slide("slide_render").await, 3);
    assert_eq!(per_slide("narration").await, 3);
    assert_eq!(
        body["estimated_cost_micros"],
        json!(0),
        "the builtin engines are free"
    );

    // The same request while the jobs wait joins them: nothing is queued twice.
    let (status, again) = assemble(&t, &editor, course, json!({})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{again}");
    assert_eq!(ids(&again), jobs);
    let queued = queue
        .list(&JobFilter {
            state: Some(JobState::Queued),
            limit: Some(1000),
            ..JobFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(queued.len(), jobs.len());

    // One slide, one part.
    let (status, one) = assemble(
        &t,
        &editor,
        course,
        json!({"scope": {"kind": "slide", "id": slides[1]}, "parts": ["narration"]}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{one}");
    assert_eq!(one["slides"], json!(1));
    let one = ids(&one);
    assert_eq!(one.len(), 1);
    let job = queue.get(one[0]).await.expect("job");
    assert_eq!(
        (job.kind.as_str(), job.target),
        ("narration", Some(slides[1]))
    );
}

/// The course is read in one statement, each table as JSON: text of every kind comes back
/// exactly as it was pushed.
#[tokio::test]
async fn the_planned_jobs_carry_the_course_text_exactly() {
    let t = common::team().await;
    let owner = t.person("owner@example.org").await;
    let notes = [
        "Say \"hello\" \\ <script>alert('x')</script> & \u{1F600}; tab\there.",
        "BATNA란 협상이 결렬될 때의 최선의 대안을 말합니다.\nLine two \u{2028} \u{7F} \u{1}.",
        "Ünïcödé — «quotes» and a null-looking \\u0000 escape.",
    ];
    let (course, slides) = course_with_slides(&t, &owner, &notes).await;
    let (status, body) = assemble(&t, &owner, course, json!({"parts": ["narration"]})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let queue = RedisQueue::connect(t.redis.url()).await.expect("queue");
    let mut seen = 0;
    for id in ids(&body) {
        let job = queue.get(id).await.expect("queued");
        let slide = job.target.expect("target");
        let i = slides
            .iter()
            .position(|s| *s == slide)
            .expect("one of the slides");
        assert_eq!(job.input["text"], json!(notes[i].trim()), "{job:?}");
        seen += 1;
    }
    assert_eq!(seen, 3);
}

#[tokio::test]
async fn bad_requests_are_refused_with_what_and_where() {
    let t = common::team().await;
    let owner = t.person("owner@example.org").await;
    let (course, _) = course_with_slides(&t, &owner, &NOTES[..1]).await;
    let (status, body) = assemble(&t, &owner, course, json!({"parts": ["sound"]})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("\"sound\""),
        "{body}"
    );
    let nowhere = Uuid::now_v7();
    let (status, body) = assemble(
        &t,
        &owner,
        course,
        json!({"scope": {"kind": "lesson", "id": nowhere}}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains(&nowhere.to_string())
    );
    let (status, body) = assemble(&t, &owner, course, json!({"text_engine": "nope"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["message"].as_str().expect("message").contains("nope"),
        "{body}"
    );
    let (status, body) = assemble(&t, &owner, course, json!({"scope": "everything"})).await;
    assert!(status.is_client_error(), "{status} {body}");
    let (status, body) = assemble(&t, &owner, course, json!({"unknown": 1})).await;
    assert!(status.is_client_error(), "{status} {body}");
    // Nothing of these reached the queue.
    let queue = RedisQueue::connect(t.redis.url()).await.expect("queue");
    assert_eq!(queue.counts().await.expect("counts").total(), 0);
}

#[tokio::test]
async fn budgets_are_checked_before_anything_is_queued() {
    let engines = r#"
[[engine]]
id = "cloud"
kind = "text"
provider = "openai"
endpoint = "http://127.0.0.1:9/v1"
model = "gpt-test"
quality = 4
price = { per_1k_input_tokens = 2.5, per_1k_output_tokens = 10.0 }
"#;
    let t = common::team_with_engines(
        classkit_server::config::Limits::default(),
        classkit_server::config::AssetStorage::Files,
        Some(engines),
    )
    .await;
    let owner = t.person("owner@example.org").await;
    let (course, _) = course_with_slides(&t, &owner, &NOTES).await;
    let paid = json!({"parts": ["drafts"], "text_engine": "cloud"});
    sqlx::query(
        "INSERT INTO budgets (course_id, limit_micros, updated_at) VALUES (NULL, 1000, now())",
    )
    .execute(&t.pool)
    .await
    .expect("team budget");
    let (status, body) = assemble(&t, &owner, course, paid.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], json!("budget_exceeded"));
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("the team"),
        "{body}"
    );
    assert!(
        body["details"]["estimate_micros"]
            .as_i64()
            .expect("estimate")
            > 1000
    );
    let queue = RedisQueue::connect(t.redis.url()).await.expect("queue");
    assert_eq!(
        queue.counts().await.expect("counts").total(),
        0,
        "nothing queued"
    );

    // Spending counts against it: with room for the estimate but not for what was spent, it
    // is refused too; with room, it is queued with its estimate.
    classkit_server::admin::set_budget(&t.pool, None, Some(1_000_000_000))
        .await
        .expect("raise");
    let (status, body) = assemble(&t, &owner, course, paid.clone()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let estimate = body["estimated_cost_micros"].as_i64().expect("estimate");
    assert!(estimate > 0);
    let jobs = ids(&body);
    let mut sum = 0;
    for id in &jobs {
        let job = queue.get(*id).await.expect("job");
        assert_eq!(job.engine.as_deref(), Some("cloud"));
        sum += job.estimated_cost_micros.expect("estimate");
    }
    assert_eq!(sum, estimate);
    sqlx::query(
        "INSERT INTO spending (id, job_id, attempt, engine, course_id, kind, micros, spent_at) \
         VALUES (gen_random_uuid(), $1, 1, 'cloud', $2, 'draft_component', 999999000, now())",
    )
    .bind(Uuid::now_v7())
    .bind(course)
    .execute(&t.pool)
    .await
    .expect("spent");
    sqlx::query(
        "INSERT INTO budgets (course_id, limit_micros, updated_at) VALUES ($1, 5000000, now())",
    )
    .bind(course)
    .execute(&t.pool)
    .await
    .expect("course budget");
    let (status, body) = assemble(
        &t,
        &owner,
        course,
        json!({"parts": ["drafts"], "text_engine": "cloud", "no_cache": true}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("Negotiation on the phone"),
        "{body}"
    );
}

/// Reads an event stream until `until` says stop or `limit` passes; returns the `job` events.
async fn read_events(
    resp: reqwest::Response,
    limit: std::time::Duration,
    until: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let mut resp = resp;
    let mut text = String::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + limit;
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, resp.chunk()).await {
        text.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            if block.lines().any(|l| l == "event: job") {
                let data: String = block
                    .lines()
                    .filter_map(|l| l.strip_prefix("data: "))
                    .collect();
                events.push(serde_json::from_str(&data).expect("event json"));
            }
        }
        if until(&events) {
            break;
        }
    }
    events
}

#[tokio::test]
async fn members_watch_cancel_and_retry_their_courses_jobs_and_no_others() {
    let t = common::team().await;
    let ann = t.person("ann@example.org").await;
    let bob = t.person("bob@example.org").await;
    let (x, _) = course_with_slides(&t, &ann, &NOTES[..2]).await;
    let (y, _) = course_with_slides(&t, &bob, &NOTES[..1]).await;

    let watch = t
        .client
        .get(t.url(&format!("/api/v1/courses/{x}/jobs/events")))
        .bearer_auth(&ann)
        .send()
        .await
        .expect("watch");
    assert_eq!(watch.status(), StatusCode::OK);
    assert!(
        watch.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/event-stream")
    );
    // Bob cannot watch Ann's course.
    let (status, _) = t
        .call(
            Method::GET,
            &format!("/api/v1/courses/{x}/jobs/events"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, ys) = assemble(&t, &bob, y, json!({"parts": ["narration"]})).await;
    let (_, xs) = assemble(&t, &ann, x, json!({"parts": ["narration"]})).await;
    let (x_jobs, y_jobs) = (ids(&xs), ids(&ys));
    assert_eq!((x_jobs.len(), y_jobs.len()), (2, 1));
    let events = read_events(watch, std::time::Duration::from_secs(10), |e| {
        e.len() >= x_jobs.len()
    })
    .await;
    assert_eq!(events.len(), x_jobs.len(), "{events:?}");
    for e in &events {
        assert_eq!(e["course_id"], json!(x), "{e}");
        assert_eq!(e["state"], json!("queued"));
        assert_eq!(e["requested_by"], json!("ann@example.org"));
        assert!(x_jobs.contains(&e["job_id"].as_str().expect("id").parse().expect("uuid")));
    }

    // A job of another course is not found under this one, for any action.
    let other = y_jobs[0];
    for (method, path) in [
        (Method::GET, format!("/api/v1/courses/{x}/jobs/{other}")),
        (
            Method::POST,
            format!("/api/v1/courses/{x}/jobs/{other}/cancel"),
        ),
        (
            Method::POST,
            format!("/api/v1/courses/{x}/jobs/{other}/retry"),
        ),
        (
            Method::POST,
            format!("/api/v1/courses/{y}/jobs/{other}/cancel"),
        ),
    ] {
        let (status, body) = t.call(method, &path, Some(&ann), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    // Her own: cancelled, then queued again; cancelling twice says why not.
    let mine = x_jobs[0];
    let (status, job) = t
        .call(
            Method::POST,
            &format!("/api/v1/courses/{x}/jobs/{mine}/cancel"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(
        (status, job["state"].clone()),
        (StatusCode::OK, json!("cancelled"))
    );
    let (status, body) = t
        .call(
            Method::POST,
            &format!("/api/v1/courses/{x}/jobs/{mine}/cancel"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, job) = t
        .call(
            Method::POST,
            &format!("/api/v1/courses/{x}/jobs/{mine}/retry"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(
        (status, job["state"].clone()),
        (StatusCode::OK, json!("queued"))
    );
    let (status, job) = t
        .call(
            Method::GET,
            &format!("/api/v1/courses/{x}/jobs/{mine}"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(
        (status, job["kind"].clone()),
        (StatusCode::OK, json!("narration"))
    );
    // The job is Bob's course's still: untouched.
    let queue = RedisQueue::connect(t.redis.url()).await.expect("queue");
    assert_eq!(queue.get(other).await.expect("job").state, JobState::Queued);
}

#[tokio::test]
async fn the_metrics_show_the_queue() {
    let t = common::team().await;
    let ann = t.person("ann@example.org").await;
    let (x, _) = course_with_slides(&t, &ann, &NOTES).await;
    assemble(&t, &ann, x, json!({"parts": ["narration", "slides"]})).await;
    let (status, body) = t.call(Method::GET, "/metrics", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let text = body.as_str().expect("text").to_string();
    assert!(
        text.contains("classkit_server_jobs{state=\"queued\"} 6"),
        "{text}"
    );
    assert!(
        text.contains("classkit_server_queue_depth{kind=\"narration\"} 3"),
        "{text}"
    );
    assert!(
        text.contains("classkit_server_queue_depth{kind=\"slide_render\"} 3"),
        "{text}"
    );
    assert!(
        text.contains("classkit_server_oldest_waiting_job_seconds"),
        "{text}"
    );
}

#[tokio::test]
async fn outlines_are_queued_for_whoever_asks_and_only_they_see_them() {
    let engines = r#"
[[engine]]
id = "cloud"
kind = "text"
provider = "openai"
endpoint = "http://127.0.0.1:9/v1"
model = "gpt-test"
quality = 4
price = { per_1k_input_tokens = 2.5, per_1k_output_tokens = 10.0 }
"#;
    let t = common::team_with_engines(
        classkit_server::config::Limits::default(),
        classkit_server::config::AssetStorage::Files,
        Some(engines),
    )
    .await;
    let ann = t.person("ann@example.org").await;
    let ben = t.person("ben@example.org").await;
    let outline = |token: String, body: Value| {
        let t = &t;
        async move {
            t.call(Method::POST, "/api/v1/outlines", Some(&token), Some(body))
                .await
        }
    };
    let lecture = "Know your BATNA.\n\nListen more than you talk.";

    // Refused, with what is wrong: nothing queued.
    for (body, status, says) in [
        (
            json!({"name": "a.md", "text": "  \n ", "engine": "cloud"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty",
        ),
        (
            json!({"name": "a.md", "text": lecture, "engine": "nope"}),
            StatusCode::BAD_REQUEST,
            "nope",
        ),
        (
            json!({"name": "a\u{7}.md", "text": lecture, "engine": "cloud"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "control",
        ),
        (
            json!({"name": "a.md", "text": lecture, "engine": "cloud", "title": "t".repeat(301)}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "title",
        ),
    ] {
        let (got, answer) = outline(ann.clone(), body).await;
        assert_eq!(got, status, "{answer}");
        assert!(
            answer["message"].as_str().expect("message").contains(says),
            "{answer}"
        );
    }
    let (got, _) = outline(
        ann.clone(),
        json!({"name": "a.md", "text": lecture, "engine": "cloud", "extra": 1}),
    )
    .await;
    assert!(got.is_client_error());
    let queue = RedisQueue::connect(t.redis.url()).await.expect("queue");
    assert_eq!(queue.counts().await.expect("counts").total(), 0);

    // Over the team's budget: refused before anything is queued.
    classkit_server::admin::set_budget(&t.pool, None, Some(1))
        .await
        .expect("budget");
    let body = json!({"name": "../../etc/talk.md", "text": lecture, "engine": "cloud"});
    let (got, answer) = outline(ann.clone(), body.clone()).await;
    assert_eq!(got, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["code"], json!("budget_exceeded"));
    classkit_server::admin::set_budget(&t.pool, None, None)
        .await
        .expect("no budget");

    // Queued for Ann: the course takes the job's id; only the file's own name is kept.
    let (got, queued) = outline(ann.clone(), body).await;
    assert_eq!(got, StatusCode::ACCEPTED, "{queued}");
    let job_id: Uuid = queued["job_id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");
    assert_eq!(queued["course_id"], queued["job_id"]);
    assert!(queued["estimated_cost_micros"].as_i64().expect("estimate") > 0);
    let job = queue.get(job_id).await.expect("job");
    assert_eq!(job.kind, "outline");
    assert_eq!(job.requested_by.as_deref(), Some("ann@example.org"));
    assert_eq!(job.input["name"], json!("talk.md"));
    let path = format!("/api/v1/outlines/{job_id}");
    let (got, seen) = t.call(Method::GET, &path, Some(&ann), None).await;
    assert_eq!((got, &seen["state"]), (StatusCode::OK, &json!("queued")));
    // Ben is told there is no such job; a course job is no outline job.
    let (got, _) = t.call(Method::GET, &path, Some(&ben), None).await;
    assert_eq!(got, StatusCode::NOT_FOUND);

    // A worker makes a course only for a running outline job.
    let worker = classkit_server::admin::create_worker_token(&t.pool, "w")
        .await
        .expect("worker")
        .1
        .expose()
        .to_string();
    let outline_text = classkit_model::outline::Outline {
        title: "Made up".into(),
        language: None,
        lessons: vec![],
    };
    for id in [Uuid::now_v7(), job_id] {
        let tree = outline_text.to_tree(id, chrono::Utc::now());
        let (got, answer) = t
            .call(
                Method::POST,
                "/api/v1/worker/courses",
                Some(&worker),
                Some(serde_json::to_value(&tree).expect("tree")),
            )
            .await;
        assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(
            answer["message"]
                .as_str()
                .expect("message")
                .contains("outline"),
            "{answer}"
        );
    }
    let (got, answer) = t
        .call(
            Method::GET,
            &format!("/api/v1/worker/courses/{job_id}/exists"),
            Some(&worker),
            None,
        )
        .await;
    assert_eq!((got, &answer["exists"]), (StatusCode::OK, &json!(false)));
    // A person's token does not reach the worker API, nor a worker's the person API.
    let (got, _) = t
        .call(
            Method::GET,
            &format!("/api/v1/worker/courses/{job_id}/exists"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::FORBIDDEN);
    let (got, _) = t
        .call(
            Method::POST,
            "/api/v1/outlines",
            Some(&worker),
            Some(json!({"name": "a.md", "text": lecture, "engine": "cloud"})),
        )
        .await;
    assert_eq!(got, StatusCode::FORBIDDEN);
}
