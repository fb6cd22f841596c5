//! Undo and redo in the app layer: every kind of edit taken back and made again, in order,
//! course by course; bursts of saves as one step; an undo refused rather than overwriting a
//! change made since elsewhere.

use classkit_app::slides::SlideChanges;
use classkit_app::undo::{EditTarget, UndoOutcome};
use classkit_app::{App, AppError, ErrorCode, QueueChoice};
use classkit_model::{ChangeKind, ComponentStatus, ComponentType, CourseTree};
use classkit_store::{IfInvalid, Restored};
use serde_json::{Value, json};
use uuid::Uuid;

async fn app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = App::open(dir.path(), QueueChoice::Local)
        .await
        .expect("open");
    (dir, app)
}

/// A new course with its first lesson's id and two slides.
async fn course(app: &App, title: &str) -> (Uuid, Uuid, Vec<Uuid>) {
    let course = app.create_course(title, Some("en")).await.expect("course");
    let tree = app.course(course.id).await.expect("tree");
    let lesson = tree.lessons[0].lesson.id;
    let second = app.add_slide(lesson, "Second").await.expect("slide");
    let slides = vec![tree.lessons[0].slides[0].slide.id, second.id];
    (course.id, lesson, slides)
}

fn titled(title: &str) -> SlideChanges {
    SlideChanges {
        title: Some(title.into()),
        ..SlideChanges::default()
    }
}

fn quiz(question: &str) -> Value {
    json!({"questions": [{"id": "q1", "kind": "single_choice", "text": question, "options": [
        {"id": "o1", "text": "Yes", "correct": true}, {"id": "o2", "text": "No"}]}]})
}

async fn undone(app: &App, course: Uuid) -> UndoOutcome {
    app.undo(course).await.expect("undo")
}

async fn redone(app: &App, course: Uuid) -> UndoOutcome {
    app.redo(course).await.expect("redo")
}

async fn slide_titles(app: &App, course: Uuid) -> Vec<String> {
    let tree: CourseTree = app.course(course).await.expect("tree");
    tree.lessons
        .iter()
        .flat_map(|l| l.slides.iter().map(|s| s.slide.title.clone()))
        .collect()
}

#[tokio::test]
async fn edits_of_a_slide_and_components_are_undone_newest_first_and_redone() {
    let (_dir, app) = app().await;
    let (course, _, slides) = course(&app, "Negotiation").await;
    // Added with the course: nothing of the course's making is an undo step of its own
    // beyond the slide added by hand.
    let added = app
        .add_component(slides[1], ComponentType::Quiz, Some(quiz("Ready?")))
        .await
        .expect("add");
    let id = added.component.id;
    app.edit_slide(slides[1], titled("Preparing the call"), None)
        .await
        .expect("title");
    app.save_component(id, quiz("Are you prepared?"), Some(1))
        .await
        .expect("save");
    app.set_ready(id, true).await.expect("ready");

    let state = app.undo_state(course);
    let next = state.undo.expect("something to undo");
    assert_eq!(next.change, ChangeKind::MarkedReady);
    assert_eq!(
        next.target,
        EditTarget::Component {
            component_type: ComponentType::Quiz
        }
    );
    assert_eq!(next.slide_id, Some(slides[1]));
    assert!(state.redo.is_none());

    // Undo: ready → draft, the question's text, the title, the quiz itself.
    let one = undone(&app, course).await;
    assert_eq!(one.done.expect("done").change, ChangeKind::MarkedReady);
    let c = app.component(id).await.expect("component").component;
    assert_eq!(c.status, ComponentStatus::Draft);
    assert_eq!(c.payload["questions"][0]["text"], "Are you prepared?");
    undone(&app, course).await;
    let c = app.component(id).await.expect("component").component;
    assert_eq!(c.payload["questions"][0]["text"], "Ready?");
    undone(&app, course).await;
    assert_eq!(slide_titles(&app, course).await[1], "Second");
    let last = undone(&app, course).await;
    assert_eq!(last.done.expect("done").change, ChangeKind::Created);
    assert!(app.component(id).await.is_err(), "the quiz is deleted");
    // The slide added by hand is the first edit; undoing it removes the slide.
    undone(&app, course).await;
    assert_eq!(slide_titles(&app, course).await.len(), 1);
    let nothing = undone(&app, course).await;
    assert!(nothing.done.is_none(), "nothing is left to undo");
    assert!(nothing.state.undo.is_none());

    // Redo all of it: the slide comes back where it was, the quiz with its content, then
    // the title, the text and the status.
    for _ in 0..5 {
        redone(&app, course).await;
    }
    let tree = app.course(course).await.expect("tree");
    let slide = &tree.lessons[0].slides[1];
    assert_eq!(slide.slide.title, "Preparing the call");
    assert_eq!(slide.components.len(), 1);
    let quiz = &slide.components[0];
    assert_eq!(quiz.status, ComponentStatus::Ready);
    assert_eq!(quiz.payload["questions"][0]["text"], "Are you prepared?");
    assert!(app.undo_state(course).redo.is_none());
    // Every redo was a new version: the quiz made again, edited, marked ready.
    let history = app.history(quiz.id).await.expect("history");
    assert_eq!(
        history.len(),
        3,
        "made again, then edited, then marked ready"
    );
}

#[tokio::test]
async fn a_new_edit_drops_the_redo_steps() {
    let (_dir, app) = app().await;
    let (course, _, slides) = course(&app, "Redo").await;
    app.edit_slide(slides[0], titled("One"), None)
        .await
        .expect("edit");
    undone(&app, course).await;
    assert!(app.undo_state(course).redo.is_some());
    app.edit_slide(slides[0], titled("Two"), None)
        .await
        .expect("edit");
    assert!(app.undo_state(course).redo.is_none());
    let nothing = redone(&app, course).await;
    assert!(nothing.done.is_none());
    assert_eq!(slide_titles(&app, course).await[0], "Two");
}

#[tokio::test]
async fn the_saves_of_one_burst_of_typing_are_one_step() {
    let (_dir, app) = app().await;
    let (course, _, slides) = course(&app, "Typing").await;
    app.edit_slide(slides[1], titled("Pre"), None)
        .await
        .expect("edit");
    app.edit_slide(slides[1], titled("Prepar"), None)
        .await
        .expect("edit");
    app.edit_slide(slides[1], titled("Preparing"), None)
        .await
        .expect("edit");
    // Another slide in between starts a new step.
    app.edit_slide(slides[0], titled("Intro"), None)
        .await
        .expect("edit");
    app.edit_slide(slides[1], titled("Preparing the call"), None)
        .await
        .expect("edit");
    undone(&app, course).await;
    assert_eq!(
        slide_titles(&app, course).await,
        vec!["Intro".to_string(), "Preparing".to_string()]
    );
    undone(&app, course).await;
    assert_eq!(slide_titles(&app, course).await[0], "Typing");
    undone(&app, course).await;
    assert_eq!(
        slide_titles(&app, course).await[1],
        "Second",
        "the burst at once"
    );
}

#[tokio::test]
async fn a_deleted_component_comes_back_with_its_content_and_earlier_edits_stay_undoable() {
    let (_dir, app) = app().await;
    let (course, _, slides) = course(&app, "Delete").await;
    let id = app
        .add_component(slides[1], ComponentType::Quiz, Some(quiz("First")))
        .await
        .expect("add")
        .component
        .id;
    app.set_ready(id, true).await.expect("ready");
    app.save_component(id, quiz("Second"), None)
        .await
        .expect("save");
    app.delete_component(id, None).await.expect("delete");
    let back = undone(&app, course).await.done.expect("done");
    assert_eq!(back.change, ChangeKind::Deleted);
    let tree = app.course(course).await.expect("tree");
    let again = &tree.lessons[0].slides[1].components[0];
    assert_eq!(back.id, again.id, "the summary names it as it is now");
    assert_eq!(again.payload["questions"][0]["text"], "Second");
    assert_eq!(
        again.status,
        ComponentStatus::Ready,
        "still valid, so still ready"
    );
    // The edit before the deletion is undone on the component made again.
    undone(&app, course).await;
    let c = app.component(again.id).await.expect("component").component;
    assert_eq!(c.payload["questions"][0]["text"], "First");
    // Redo twice: the text again, then the deletion again.
    redone(&app, course).await;
    redone(&app, course).await;
    assert!(app.component(again.id).await.is_err());
}

#[tokio::test]
async fn moves_and_restores_are_undone() {
    let (_dir, app) = app().await;
    let (course, lesson, slides) = course(&app, "Moves").await;
    app.move_slide(slides[1], lesson, 0, None)
        .await
        .expect("move");
    assert_eq!(slide_titles(&app, course).await, vec!["Second", "Moves"]);
    // A move to where it already is changes nothing, and is no step.
    app.move_slide(slides[1], lesson, 0, None)
        .await
        .expect("move");
    app.edit_slide(slides[1], titled("Edited"), None)
        .await
        .expect("edit");
    let Restored::Slide(_) = app.restore(slides[1], 1).await.expect("restore") else {
        panic!("a slide was restored");
    };
    assert_eq!(slide_titles(&app, course).await[0], "Second");
    let step = undone(&app, course).await.done.expect("done");
    assert_eq!(step.change, ChangeKind::Restored);
    assert_eq!(slide_titles(&app, course).await[0], "Edited");
    undone(&app, course).await;
    assert_eq!(slide_titles(&app, course).await[0], "Second");
    let step = undone(&app, course).await.done.expect("done");
    assert_eq!(step.change, ChangeKind::Moved);
    assert_eq!(slide_titles(&app, course).await, vec!["Moves", "Second"]);
    redone(&app, course).await;
    assert_eq!(slide_titles(&app, course).await, vec!["Second", "Moves"]);
}

#[tokio::test]
async fn an_undo_never_overwrites_a_change_made_since_elsewhere() {
    let (_dir, app) = app().await;
    let (course, _, slides) = course(&app, "Elsewhere").await;
    let id = app
        .add_component(slides[1], ComponentType::Quiz, Some(quiz("Mine")))
        .await
        .expect("add")
        .component
        .id;
    app.edit_slide(slides[0], titled("My title"), None)
        .await
        .expect("edit");
    app.save_component(id, quiz("Mine, edited"), None)
        .await
        .expect("save");
    // Another writer (the command line, a worker, a teammate's synced edit) saves the quiz.
    app.inspect_store()
        .update_component(id, quiz("Theirs"), None, IfInvalid::MakeDraft)
        .await
        .expect("their save");
    let err = app.undo(course).await.expect_err("refused");
    assert_eq!(err.code(), ErrorCode::VersionConflict);
    assert!(matches!(&err, AppError::ChangedSince(edit) if edit.id == id));
    assert!(
        err.to_string().contains("the QUIZ was changed since"),
        "{err}"
    );
    let c = app.component(id).await.expect("component").component;
    assert_eq!(
        c.payload["questions"][0]["text"], "Theirs",
        "their change stays"
    );
    // The refused step is gone: the next undo takes back the title.
    undone(&app, course).await;
    assert_eq!(slide_titles(&app, course).await[0], "Elsewhere");
}

#[tokio::test]
async fn each_course_has_its_own_steps() {
    let (_dir, app) = app().await;
    let (a, _, slides_a) = course(&app, "A").await;
    let (b, _, slides_b) = course(&app, "B").await;
    app.edit_slide(slides_a[0], titled("A edited"), None)
        .await
        .expect("edit");
    app.edit_slide(slides_b[0], titled("B edited"), None)
        .await
        .expect("edit");
    undone(&app, a).await;
    assert_eq!(slide_titles(&app, a).await[0], "A");
    assert_eq!(slide_titles(&app, b).await[0], "B edited");
    // An unknown course has nothing to undo.
    let nothing = undone(&app, Uuid::now_v7()).await;
    assert!(nothing.done.is_none());
}

#[tokio::test]
async fn a_slide_that_gained_components_since_it_was_added_is_not_deleted_by_undo() {
    let (_dir, app) = app().await;
    let (course, lesson, _) = course(&app, "Kept").await;
    let slide = app.add_slide(lesson, "Third").await.expect("slide");
    // A component drafted onto it by an engine, not by the instructor: no undo step.
    app.inspect_store()
        .add_component(classkit_store::NewComponent {
            slide_id: slide.id,
            component_type: ComponentType::Quiz,
            payload: quiz("Drafted"),
            status: ComponentStatus::Draft,
        })
        .await
        .expect("drafted");
    let err = app.undo(course).await.expect_err("refused");
    assert!(err.to_string().contains("learning activity"), "{err}");
    assert_eq!(slide_titles(&app, course).await.len(), 3, "the slide stays");
}

#[tokio::test]
async fn moving_a_slide_leaves_its_neighbours_edits_undoable() {
    let (_dir, app) = app().await;
    let (course, lesson, slides) = course(&app, "Neighbours").await;
    let third = app.add_slide(lesson, "Third").await.expect("slide").id;
    app.edit_slide(slides[0], titled("Opening"), None)
        .await
        .expect("edit");
    // The move gives the other slides new order keys (new versions).
    app.move_slide(third, lesson, 0, None).await.expect("move");
    app.move_slide(slides[1], lesson, 0, None)
        .await
        .expect("move");
    undone(&app, course).await;
    undone(&app, course).await;
    assert_eq!(
        slide_titles(&app, course).await,
        vec!["Opening", "Second", "Third"]
    );
    let step = undone(&app, course).await.done.expect("the title's edit");
    assert_eq!(step.change, ChangeKind::Updated);
    assert_eq!(slide_titles(&app, course).await[0], "Neighbours");
}
