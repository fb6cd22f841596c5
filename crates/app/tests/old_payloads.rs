//! A library written by an older ClassKit Studio may hold payloads in an older schema
//! version (every save since writes the current one). Clients are handed the current
//! version, so the UI reads one shape only.

use classkit_app::{App, QueueChoice};
use classkit_model::ComponentType;
use serde_json::{Value, json};
use sqlx::Connection;
use uuid::Uuid;

/// A quiz as ClassKit Studio wrote it in schema version 1.
fn quiz_v1() -> Value {
    json!({"schema_version": 1, "title": "Photosynthesis", "questions": [
        {"prompt": "Where does the Calvin cycle take place?",
         "choices": ["In the thylakoids", "In the stroma"], "answer": 1}
    ]})
}

/// Puts `payload` into the library as it is, as an older version's save left it.
async fn store_as_written(dir: &std::path::Path, component: Uuid, payload: &Value) {
    let path = dir.join(classkit_store::DATABASE_FILE);
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("open the library's database");
    let updated = sqlx::query("UPDATE components SET payload = ? WHERE id = ?")
        .bind(payload.to_string())
        .bind(component.to_string())
        .execute(&mut db)
        .await
        .expect("write the old payload");
    assert_eq!(updated.rows_affected(), 1);
    db.close().await.expect("close");
}

#[tokio::test]
async fn a_version_1_quiz_reaches_clients_as_version_2() {
    let dir = tempfile::tempdir().expect("dir");
    let app = App::open(dir.path(), QueueChoice::Local)
        .await
        .expect("open");
    let course = app
        .create_course("Photosynthesis", None)
        .await
        .expect("course");
    let tree = app.course(course.id).await.expect("tree");
    let slide = tree.lessons[0].slides[0].slide.id;
    let added = app
        .add_component(slide, ComponentType::Quiz, None)
        .await
        .expect("add");
    let id = added.component.id;
    store_as_written(dir.path(), id, &quiz_v1()).await;
    let stored = app.inspect_store().component(id).await.expect("stored");
    assert_eq!(stored.payload, quiz_v1(), "the library holds version 1");

    let view = app.component(id).await.expect("component");
    let payload = &view.component.payload;
    assert_eq!(payload["schema_version"], json!(2));
    assert_eq!(payload["title"], json!("Photosynthesis"));
    let question = &payload["questions"][0];
    assert_eq!(question["id"], json!("q1"));
    assert_eq!(question["kind"], json!("single_choice"));
    assert_eq!(
        question["text"],
        json!("Where does the Calvin cycle take place?")
    );
    assert_eq!(
        question["options"],
        json!([
            {"id": "q1a", "text": "In the thylakoids", "correct": false},
            {"id": "q1b", "text": "In the stroma", "correct": true}
        ])
    );
    assert!(question.get("prompt").is_none() && question.get("choices").is_none());
    assert_eq!(view.issues, vec![], "the upgraded quiz is valid");

    let tree = app.course(course.id).await.expect("tree");
    let in_tree = &tree.lessons[0].slides[0].components[0];
    assert_eq!(in_tree.id, id);
    assert_eq!(
        &in_tree.payload, payload,
        "the course tree hands out the same"
    );
}
