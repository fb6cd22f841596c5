//! `x-only-when` in the payload schemas (see `classkit_model::schema`): each names a sibling
//! field and values that field can take, and where validation has a rule for a field filled
//! in outside its mode, the rule and the schema say the same.

use classkit_model::{ComponentType, IssueCode, check_payload};
use serde_json::{Map, Value, json};

const ONLY_WHEN: &str = "x-only-when";

/// The definitions of a payload schema with their names: the payload itself and its `$defs`.
fn definitions(schema: &Value) -> Vec<(String, &Value)> {
    let root = schema["title"].as_str().unwrap_or("payload").to_string();
    let mut out = vec![(root, schema)];
    if let Some(defs) = schema["$defs"].as_object() {
        out.extend(defs.iter().map(|(name, def)| (name.clone(), def)));
    }
    out
}

/// Follows a `$ref` into the schema's `$defs`.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/$defs/");
            &root["$defs"][name]
        }
        None => schema,
    }
}

/// Every value a field can take when it is an enum (`enum` or `oneOf` of `const`s) or a
/// boolean; `None` for other fields, which cannot be a mode.
fn values_of(root: &Value, field: &Value) -> Option<Vec<Value>> {
    let field = resolve(root, field);
    if let Some(values) = field["enum"].as_array() {
        return Some(values.clone());
    }
    if let Some(variants) = field["oneOf"].as_array() {
        return variants.iter().map(|v| v.get("const").cloned()).collect();
    }
    (field["type"] == "boolean").then(|| vec![Value::Bool(true), Value::Bool(false)])
}

/// `(definition, field)` of every field that carries `x-only-when`, checking each as it goes.
fn checked_fields(component_type: ComponentType) -> Vec<(String, String)> {
    let schema = component_type.json_schema();
    let mut found = Vec::new();
    for (name, def) in definitions(&schema) {
        let Some(properties) = def["properties"].as_object() else {
            continue;
        };
        for (key, property) in properties {
            let Some(only_when) = property.get(ONLY_WHEN) else {
                continue;
            };
            let at = format!("{component_type} {name}.{key}");
            let only_when = only_when
                .as_object()
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| panic!("{at}: {ONLY_WHEN} is a map of sibling fields"));
            for (sibling, allowed) in only_when {
                assert_ne!(sibling, key, "{at}: a field cannot depend on itself");
                let sibling_schema = properties
                    .get(sibling)
                    .unwrap_or_else(|| panic!("{at}: {sibling} is not a field beside it"));
                let values = values_of(&schema, sibling_schema)
                    .unwrap_or_else(|| panic!("{at}: {sibling} is neither an enum nor a boolean"));
                let allowed = allowed
                    .as_array()
                    .filter(|a| !a.is_empty())
                    .unwrap_or_else(|| panic!("{at}: {sibling} needs a list of values"));
                for value in allowed {
                    assert!(
                        values.contains(value),
                        "{at}: {value} is not a value of {sibling} ({values:?})"
                    );
                }
                assert!(
                    allowed.len() < values.len(),
                    "{at}: every value of {sibling} is allowed, so the field always applies"
                );
            }
            found.push((name.clone(), key.clone()));
        }
    }
    found
}

#[test]
fn every_only_when_names_a_sibling_and_values_it_can_take() {
    let mut found: Vec<String> = ComponentType::ALL
        .into_iter()
        .flat_map(|t| {
            checked_fields(t)
                .into_iter()
                .map(move |(def, key)| format!("{t} {def}.{key}"))
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "BRANCHING BranchingNode.choices",
            "BRANCHING BranchingNode.outcome",
            "MATCHING MatchingPayload.categories",
            "MATCHING MatchingPayload.distractors",
            "MATCHING MatchingPayload.items",
            "MATCHING MatchingPayload.pairs",
            "MATCHING MatchingPayload.steps",
            "QUIZ Question.accent_sensitive",
            "QUIZ Question.accepted_answers",
            "QUIZ Question.answer",
            "QUIZ Question.case_sensitive",
            "QUIZ Question.options",
            "ROLEPLAY RoleplayPayload.turns",
            "ROLEPLAY Turn.expected_phrases",
            "ROLEPLAY Turn.hints",
        ]
    );
}

/// The schema of the object holding the field at `pointer` in `payload`, with the object.
fn parent<'a>(
    schema: &'a Value,
    payload: &'a Value,
    pointer: &str,
) -> (&'a Value, &'a Map<String, Value>, String) {
    let mut segments: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let key = segments.pop().expect("a field").to_string();
    let (mut at_schema, mut at_value) = (schema, payload);
    for segment in segments {
        let here = resolve(schema, at_schema);
        at_schema = match segment.parse::<usize>() {
            Ok(_) => &here["items"],
            Err(_) => &here["properties"][segment],
        };
        at_value = match segment.parse::<usize>() {
            Ok(i) => &at_value[i],
            Err(_) => &at_value[segment],
        };
    }
    let object = at_value
        .as_object()
        .expect("the field's parent is an object");
    (resolve(schema, at_schema), object, key)
}

/// The field at `pointer` is filled in outside the modes its `x-only-when` names, and
/// validation reports it there with `code`; without the field, that report goes away.
fn reported_outside_its_mode(
    component_type: ComponentType,
    payload: Value,
    pointer: &str,
    code: IssueCode,
) {
    let schema = component_type.json_schema();
    let (object_schema, object, key) = parent(&schema, &payload, pointer);
    let property = &object_schema["properties"][&key];
    let only_when = property[ONLY_WHEN]
        .as_object()
        .unwrap_or_else(|| panic!("{component_type} {pointer}: no {ONLY_WHEN}"));
    let applies = only_when.iter().all(|(sibling, allowed)| {
        let value = object
            .get(sibling)
            .unwrap_or(&object_schema["properties"][sibling]["default"]);
        allowed.as_array().is_some_and(|a| a.contains(value))
    });
    assert!(
        !applies,
        "{component_type} {pointer}: the field applies here"
    );

    let reported = |payload: &Value| {
        check_payload(component_type, payload)
            .into_iter()
            .any(|i| i.pointer == pointer && i.code == code)
    };
    assert!(
        reported(&payload),
        "{component_type} {pointer}: {code:?} expected in {:?}",
        check_payload(component_type, &payload)
    );
    let mut without = payload.clone();
    let parent_pointer = &pointer[..pointer.rfind('/').unwrap_or(0)];
    without
        .pointer_mut(parent_pointer)
        .and_then(Value::as_object_mut)
        .map(|o| o.remove(&key));
    assert!(
        !reported(&without),
        "{component_type} {pointer}: reported without the field"
    );
}

#[test]
fn options_of_a_true_false_question_are_reported() {
    reported_outside_its_mode(
        ComponentType::Quiz,
        json!({"questions": [{"id": "q1", "kind": "true_false", "text": "Plants make oxygen.",
            "answer": true, "options": [{"id": "a", "text": "Yes"}, {"id": "b", "text": "No"}]}]}),
        "/questions/0/options",
        IssueCode::OptionsOnlyForChoice,
    );
}

#[test]
fn an_answer_of_a_question_of_the_default_kind_is_reported() {
    // No `kind`: a single-choice question, the schema's default.
    reported_outside_its_mode(
        ComponentType::Quiz,
        json!({"questions": [{"id": "q1", "text": "Where?", "answer": false, "options": [
            {"id": "a", "text": "Stroma", "correct": true}, {"id": "b", "text": "Lumen"}]}]}),
        "/questions/0/answer",
        IssueCode::AnswerOnlyForTrueFalse,
    );
}

#[test]
fn steps_of_a_pairs_activity_are_reported() {
    reported_outside_its_mode(
        ComponentType::Matching,
        json!({"mode": "pairs", "pairs": [
            {"id": "p1", "left": "Calvin cycle", "right": "Stroma"},
            {"id": "p2", "left": "Light reactions", "right": "Thylakoid"}
        ], "steps": [{"id": "s1", "text": "Light is absorbed"}]}),
        "/steps",
        IssueCode::StepsInWrongMode,
    );
}

#[test]
fn hints_of_a_persona_turn_are_reported() {
    reported_outside_its_mode(
        ComponentType::Roleplay,
        json!({"turns": [{"id": "t1", "speaker": "persona", "text": "Hello.",
            "hints": ["Greet back"]}]}),
        "/turns/0/hints",
        IssueCode::HintsOnlyForLearner,
    );
}

#[test]
fn choices_of_an_end_node_are_reported() {
    reported_outside_its_mode(
        ComponentType::Branching,
        json!({"start": "a", "nodes": [
            {"id": "a", "text": "The supplier calls.", "choices": [
                {"id": "c1", "text": "Answer", "target": "b", "points": 1}]},
            {"id": "b", "end": true, "outcome": "A deal.", "choices": [
                {"id": "c2", "text": "Call again", "target": "a"}]}
        ]}),
        "/nodes/1/choices",
        IssueCode::EndHasChoices,
    );
}
