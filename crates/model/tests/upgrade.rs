//! Payloads written by older versions of ClassKit Studio still load, and payloads from
//! newer versions are refused with a clear message rather than misread.

use classkit_model::components::quiz::{QuestionKind, QuizOption, QuizPayload};
use classkit_model::{ComponentPayload, ComponentType};
use serde_json::{Value, json};

fn quiz_v1() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/quiz_v1.json");
    let text = std::fs::read_to_string(path).expect("the version 1 fixture is readable");
    serde_json::from_str(&text).expect("the version 1 fixture is JSON")
}

fn option(id: &str, text: &str, correct: bool) -> QuizOption {
    QuizOption {
        id: id.into(),
        text: text.into(),
        correct,
        feedback: String::new(),
    }
}

fn load_quiz(payload: &Value) -> QuizPayload {
    match ComponentPayload::from_json(ComponentType::Quiz, payload) {
        Ok(ComponentPayload::Quiz(quiz)) => quiz,
        other => panic!("expected a quiz, got {other:?}"),
    }
}

#[test]
fn a_version_1_quiz_loads_as_version_2_with_its_content() {
    let quiz = load_quiz(&quiz_v1());
    assert_eq!(quiz.schema_version, 2);
    assert_eq!(quiz.questions.len(), 2);
    let first = &quiz.questions[0];
    assert_eq!(first.id, "q1");
    assert_eq!(first.kind, QuestionKind::SingleChoice);
    assert_eq!(
        first.text,
        "Where in the chloroplast does the Calvin cycle take place?"
    );
    assert_eq!(first.points, 1.0);
    assert_eq!(
        first.options,
        [
            option("q1a", "In the thylakoid membranes", false),
            option("q1b", "In the stroma", true),
            option("q1c", "In the lumen", false),
        ]
    );
    let second = &quiz.questions[1];
    assert_eq!(second.id, "q2");
    let correct: Vec<&str> = second
        .options
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(correct, ["q2c"]);
    assert_eq!(second.options[2].text, "Oxygen");
}

#[test]
fn an_upgraded_quiz_is_valid_and_is_written_back_as_version_2() {
    let payload = ComponentPayload::from_json(ComponentType::Quiz, &quiz_v1()).expect("loads");
    assert_eq!(payload.validate(), vec![]);
    let written = payload.to_json();
    assert_eq!(written["schema_version"], json!(2));
    assert_eq!(
        written["questions"][0]["options"][1]["correct"],
        json!(true)
    );
    assert!(written["questions"][0].get("prompt").is_none());
    // Reading what was written gives the same quiz, without another upgrade.
    assert_eq!(
        ComponentPayload::from_json(ComponentType::Quiz, &written).expect("reloads"),
        payload
    );
}

#[test]
fn an_upgraded_quiz_grades_like_the_original_answer_key() {
    let response = json!({"answers": {"q1": "q1b", "q2": "q2a"}});
    let grade = classkit_model::grading::grade(ComponentType::Quiz, &quiz_v1(), &response)
        .expect("gradable");
    assert_eq!((grade.score, grade.max_score), (1.0, 2.0));
}

#[test]
fn upgrade_hands_out_version_2_and_leaves_what_it_cannot_upgrade() {
    let upgraded = ComponentType::Quiz.upgrade(&quiz_v1());
    assert_eq!(upgraded["schema_version"], json!(2));
    assert_eq!(upgraded["questions"][0]["id"], json!("q1"));
    assert_eq!(
        upgraded["questions"][0]["options"][1]["correct"],
        json!(true)
    );
    assert!(upgraded["questions"][0].get("prompt").is_none());
    // What reading the quiz makes of it, and nothing more (no defaults written in).
    assert_eq!(
        load_quiz(&upgraded),
        load_quiz(&quiz_v1()),
        "the same quiz as reading the version 1 payload"
    );
    assert!(upgraded["questions"][0].get("points").is_none());

    let mut newer = quiz_v1();
    newer["schema_version"] = json!(3);
    let untouched = [
        newer,
        json!({"schema_version": "one", "questions": []}),
        json!({"questions": [{"prompt": "No version: read as version 2"}]}),
        json!({"schema_version": 2, "questions": [{"id": "q1"}]}),
        json!([1, 2]),
    ];
    for payload in untouched {
        assert_eq!(ComponentType::Quiz.upgrade(&payload), payload);
    }
    // Types that never changed shape have nothing to upgrade.
    let review = json!({"schema_version": 1, "cards": []});
    assert_eq!(ComponentType::Review.upgrade(&review), review);
}

#[test]
fn a_quiz_from_a_newer_version_is_refused_at_schema_version() {
    let mut payload = quiz_v1();
    payload["schema_version"] = json!(3);
    let err = ComponentPayload::from_json(ComponentType::Quiz, &payload).expect_err("too new");
    assert_eq!(err.issues.len(), 1);
    assert_eq!(err.issues[0].pointer, "/schema_version");
    assert!(
        err.issues[0].message.contains("newer ClassKit Studio"),
        "{}",
        err.issues[0].message
    );
    assert!(err.issues[0].message.contains("up to version 2"));
}
