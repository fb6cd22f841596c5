//! Two instructors, two `classkit-server` processes over one PostgreSQL, two libraries.
//! A shares a course; B opens it through the other server; the servers stop and both edit
//! offline: different fields of one component, the same field of a slide, an edit against
//! a delete, a slide moved by both. The servers come back; both sync; B settles the
//! conflict; A pulls the settlement. Both libraries and the server end with the same tree,
//! and every edit the server acknowledged is in its history.

use classkit_app::team::TokenSource;
use classkit_app::{App, QueueChoice};
use classkit_model::{ComponentType, CourseTree};
use classkit_store::Keep;
use classkit_team_tests::{Server, admin};
use serde_json::{Value, json};
use sha2::Digest;
use std::path::Path;
use uuid::Uuid;

/// The tree as every replica must hold it: ids, places and content, without local
/// bookkeeping (versions, times).
fn canonical(tree: &CourseTree) -> String {
    let mut lessons: Vec<&classkit_model::LessonTree> = tree.lessons.iter().collect();
    lessons.sort_by(|a, b| {
        (&a.lesson.order_key, a.lesson.id).cmp(&(&b.lesson.order_key, b.lesson.id))
    });
    let lessons: Vec<Value> = lessons
        .into_iter()
        .map(|l| {
            let mut slides: Vec<&classkit_model::SlideTree> = l.slides.iter().collect();
            slides.sort_by(|a, b| {
                (&a.slide.order_key, a.slide.id).cmp(&(&b.slide.order_key, b.slide.id))
            });
            json!({
                "id": l.lesson.id, "title": l.lesson.title, "order_key": l.lesson.order_key,
                "slides": slides.into_iter().map(|s| {
                    let mut components = s.components.clone();
                    components.sort_by_key(|c| c.id);
                    json!({
                        "id": s.slide.id, "title": s.slide.title, "body": s.slide.body,
                        "speaker_notes": s.slide.speaker_notes,
                        "instructor_notes": s.slide.instructor_notes,
                        "layout": s.slide.layout, "order_key": s.slide.order_key,
                        "image": s.slide.image, "narration": s.slide.narration,
                        "components": components.iter().map(|c| json!({
                            "id": c.id, "type": c.component_type, "status": c.status,
                            "payload": c.payload,
                        })).collect::<Vec<_>>(),
                    })
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let value = json!({
        "id": tree.course.id, "title": tree.course.title,
        "description": tree.course.description, "language": tree.course.language,
        "lessons": lessons,
    });
    hex::encode(sha2::Sha256::digest(value.to_string()))
}

async fn library(dir: &Path) -> App {
    App::open(dir, QueueChoice::Local).await.expect("library")
}

/// The mutation ids waiting in a library's outbox.
async fn waiting(app: &App) -> Vec<Uuid> {
    app.inspect_store()
        .outbox(1_000_000)
        .await
        .expect("outbox")
        .into_iter()
        .map(|o| o.mutation_id)
        .collect()
}

fn quiz(title: &str, q1: &str) -> Value {
    json!({"schema_version": 2, "title": title, "questions": [
        {"id": "q1", "kind": "single_choice", "text": q1, "options": [
            {"id": "o1", "text": "Yes", "correct": true}, {"id": "o2", "text": "No"}]},
    ]})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instructors_edit_offline_and_converge() {
    let pg = classkit_testkit::Postgres::start().expect("postgres");
    let redis = classkit_testkit::Redis::start().expect("redis");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("server-data");
    let (p1, p2) = (
        classkit_testkit::free_port().expect("port"),
        classkit_testkit::free_port().expect("port"),
    );
    let mut one = Server::start(pg.url(), redis.url(), &data, p1);
    let mut two = Server::start(pg.url(), redis.url(), &data, p2);

    admin(pg.url(), &["create-user", "ann@example.org"]);
    admin(pg.url(), &["create-user", "ben@example.org"]);
    let token_file = |who: &str| {
        let token = admin(pg.url(), &["create-token", who]);
        let path = dir.path().join(format!("{who}.token"));
        std::fs::write(&path, format!("{token}\n")).expect("token file");
        path
    };
    let (ann_token, ben_token) = (token_file("ann@example.org"), token_file("ben@example.org"));

    // Ann's course: a lecture with a quiz and flashcards on its first slide.
    let ann = library(&dir.path().join("ann")).await;
    let imported = ann
        .import_lecture_file(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/negotiating-by-phone.md"),
            None,
        )
        .await
        .expect("import");
    let course = imported.course_id;
    let tree = ann.course(course).await.expect("tree");
    let lesson = &tree.lessons[0];
    assert!(lesson.slides.len() >= 3, "the example has slides to move");
    let (s1, s2) = (lesson.slides[0].slide.id, lesson.slides[1].slide.id);
    let q = ann
        .add_component(
            s1,
            ComponentType::Quiz,
            Some(quiz("Check", "Is BATNA a plan B?")),
        )
        .await
        .expect("quiz")
        .component
        .id;
    let cards = ann
        .add_component(
            s1,
            ComponentType::Flashcards,
            Some(json!({"schema_version": 1, "cards": [{"id": "c1", "term": "BATNA", "definition": "Best alternative"}]})),
        )
        .await
        .expect("cards")
        .component
        .id;

    ann.set_remote(&one.url, TokenSource::File(ann_token.clone()))
        .await
        .expect("ann's remote");
    let shared = ann.share_course(course).await.expect("share");
    assert!(shared.error.is_none(), "{:?}", shared.error);
    admin(
        pg.url(),
        &[
            "add-member",
            &course.to_string(),
            "ben@example.org",
            "--role",
            "editor",
        ],
    );

    let ben = library(&dir.path().join("ben")).await;
    ben.set_remote(&two.url, TokenSource::File(ben_token.clone()))
        .await
        .expect("ben's remote");
    let opened = ben.sync(None).await.expect("ben's first sync");
    assert!(opened.iter().all(|o| o.error.is_none()), "{opened:?}");
    assert_eq!(
        canonical(&ben.course(course).await.expect("ben's copy")),
        canonical(&ann.course(course).await.expect("ann's")),
        "Ben opened the course as Ann shared it"
    );

    // Offline: the servers are gone.
    one.stop();
    two.stop();
    let offline = ann.sync(Some(course)).await;
    let failed = match offline {
        Err(e) => e.code(),
        Ok(outcomes) => outcomes[0].error.as_ref().expect("offline sync fails").code,
    };
    assert_eq!(failed, classkit_model::ErrorCode::ServerUnreachable);

    // Different fields of one component.
    let view = ann.component(q).await.expect("quiz");
    let mut payload = view.component.payload.clone();
    payload["title"] = json!("Check your BATNA");
    ann.save_component(q, payload, None)
        .await
        .expect("ann edits the title");
    let view = ben.component(q).await.expect("quiz");
    let mut payload = view.component.payload.clone();
    payload["questions"][0]["text"] = json!("Is a BATNA your plan B?");
    ben.save_component(q, payload, None)
        .await
        .expect("ben edits the question");
    // The same field: the slide's title.
    let title = |t: &str| classkit_app::slides::SlideChanges {
        title: Some(t.to_string()),
        ..Default::default()
    };
    ann.edit_slide(s1, title("Ann's opening"), None)
        .await
        .expect("ann's title");
    ben.edit_slide(s1, title("Ben's opening"), None)
        .await
        .expect("ben's title");
    // An edit against a delete.
    ann.delete_component(cards, None)
        .await
        .expect("ann deletes the cards");
    let view = ben.component(cards).await.expect("cards");
    let mut payload = view.component.payload.clone();
    payload["cards"][0]["definition"] = json!("Best Alternative To a Negotiated Agreement");
    ben.save_component(cards, payload, None)
        .await
        .expect("ben edits the cards");
    // A slide moved by both.
    let last = lesson.slides.len() - 1;
    ann.move_slide(s2, lesson.lesson.id, last, None)
        .await
        .expect("ann moves");
    ben.move_slide(s2, lesson.lesson.id, 0, None)
        .await
        .expect("ben moves");
    let ann_pushed = waiting(&ann).await;
    let ben_pushed = waiting(&ben).await;
    assert!(!ann_pushed.is_empty() && !ben_pushed.is_empty());

    // Back online: each syncs through its own server.
    one.restart();
    two.restart();
    for (who, app) in [("ann", &ann), ("ben", &ben), ("ann", &ann)] {
        let outcomes = app.sync(None).await.expect("sync");
        assert!(
            outcomes.iter().all(|o| o.error.is_none()),
            "{who}: {outcomes:?}"
        );
    }
    assert!(waiting(&ann).await.is_empty() && waiting(&ben).await.is_empty());

    // The merge kept both fields of the quiz.
    for app in [&ann, &ben] {
        let quiz = app.component(q).await.expect("quiz").component.payload;
        assert_eq!(quiz["title"], "Check your BATNA");
        assert_eq!(quiz["questions"][0]["text"], "Is a BATNA your plan B?");
    }
    // Both see the same conflicts: the slide's title, the edited cards, the move.
    let ann_conflicts = ann.conflicts(Some(course)).await.expect("conflicts");
    let ben_conflicts = ben.conflicts(Some(course)).await.expect("conflicts");
    let ids = |c: &[classkit_sync::ConflictRecord]| {
        let mut v: Vec<Uuid> = c.iter().map(|c| c.id).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&ann_conflicts), ids(&ben_conflicts));
    let title_conflict = ben_conflicts
        .iter()
        .find(|c| c.entity_id == s1 && c.pointer == "/title")
        .expect("a conflict on the slide's title");
    assert_eq!(title_conflict.mine, Some(json!("Ben's opening")));
    assert_eq!(title_conflict.theirs, Some(json!("Ann's opening")));
    assert!(
        ben_conflicts
            .iter()
            .any(|c| c.entity_id == cards && c.pointer.is_empty()),
        "the edit against the delete is a conflict: {ben_conflicts:?}"
    );
    assert!(
        ben_conflicts
            .iter()
            .any(|c| c.entity_id == s2 && c.pointer == "/order_key"),
        "the move by both is a conflict: {ben_conflicts:?}"
    );

    // Ben keeps his title; Ann pulls it.
    ben.resolve_conflict(title_conflict.id, Keep::Mine)
        .await
        .expect("resolve");
    let ben_resolution = waiting(&ben).await;
    for app in [&ben, &ann] {
        let outcomes = app.sync(None).await.expect("sync");
        assert!(outcomes.iter().all(|o| o.error.is_none()), "{outcomes:?}");
    }
    let ann_tree = ann.course(course).await.expect("ann's tree");
    let slide = ann_tree.lessons[0]
        .slides
        .iter()
        .find(|s| s.slide.id == s1)
        .expect("slide");
    assert_eq!(slide.slide.title, "Ben's opening");
    assert!(
        ann.conflicts(Some(course))
            .await
            .expect("conflicts")
            .iter()
            .all(|c| c.id != title_conflict.id),
        "the settled conflict is no longer open for Ann"
    );

    // The same tree everywhere: Ann, Ben, and a fresh library that pulls the server's.
    let cleo = library(&dir.path().join("cleo")).await;
    cleo.set_remote(&one.url, TokenSource::File(ann_token))
        .await
        .expect("cleo's remote");
    cleo.sync(None).await.expect("cleo pulls");
    let hashes = [
        canonical(&ann.course(course).await.expect("ann")),
        canonical(&ben.course(course).await.expect("ben")),
        canonical(&cleo.course(course).await.expect("server")),
    ];
    assert_eq!(hashes[0], hashes[1], "Ann and Ben differ");
    assert_eq!(hashes[0], hashes[2], "the libraries differ from the server");

    // Every edit the server acknowledged is in its history.
    let db = sqlx::PgPool::connect(pg.url()).await.expect("db");
    let pushed: Vec<Uuid> = ann_pushed
        .into_iter()
        .chain(ben_pushed)
        .chain(ben_resolution)
        .collect();
    let recorded: i64 =
        sqlx::query_scalar("SELECT count(*) FROM applied_mutations WHERE mutation_id = ANY($1)")
            .bind(&pushed)
            .fetch_one(&db)
            .await
            .expect("count");
    assert_eq!(recorded as usize, pushed.len());
    let missing: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM applied_mutations a WHERE a.mutation_id = ANY($1) \
         AND a.outcome IN ('applied', 'merged') \
         AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.mutation_id = a.mutation_id)",
    )
    .bind(&pushed)
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(missing, 0, "applied edits without a revision");
    db.close().await;
}
