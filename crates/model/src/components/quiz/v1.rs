//! QUIZ schema version 1, kept so that quizzes written then still load.

use serde_json::{Map, Value};

/// Rewrites a version 1 quiz into version 2.
///
/// Version 1 had single-choice questions only, without ids, feedback or points:
/// `{"schema_version": 1, "questions": [{"prompt": "…", "choices": ["a", "b"], "answer": 1}]}`
/// where `answer` is the zero-based index of the correct choice. Question `n` (from 1) gets
/// the id `qn`, its choices the ids `qna`, `qnb`, … (`qn_27` and on after `z`), `prompt`
/// becomes `text` and every choice an option whose `correct` flag says whether it was the
/// answer. Anything else is left in place for the reader to report.
pub(super) fn upgrade(mut payload: Value) -> Value {
    if let Some(Value::Array(questions)) = payload.get_mut("questions") {
        for (i, question) in questions.iter_mut().enumerate() {
            if let Value::Object(question) = question {
                upgrade_question(i, question);
            }
        }
    }
    payload
}

fn upgrade_question(index: usize, question: &mut Map<String, Value>) {
    let id = format!("q{}", index + 1);
    let answer = question.remove("answer");
    let answer = answer.as_ref().and_then(Value::as_u64);
    if let Some(prompt) = question.remove("prompt") {
        question.insert("text".into(), prompt);
    }
    if let Some(choices) = question.remove("choices") {
        let options = match choices {
            Value::Array(choices) => Value::Array(
                choices
                    .into_iter()
                    .enumerate()
                    .map(|(j, text)| {
                        let mut option = Map::new();
                        option.insert("id".into(), Value::from(option_id(&id, j)));
                        option.insert("text".into(), text);
                        option.insert("correct".into(), Value::from(answer == Some(j as u64)));
                        Value::Object(option)
                    })
                    .collect(),
            ),
            other => other,
        };
        question.insert("options".into(), options);
    }
    question.insert("kind".into(), Value::from("single_choice"));
    question.entry("id").or_insert(Value::from(id));
}

fn option_id(question_id: &str, index: usize) -> String {
    match u8::try_from(index).ok().filter(|i| *i < 26) {
        Some(i) => format!("{question_id}{}", char::from(b'a' + i)),
        None => format!("{question_id}_{}", index + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_1_options_get_letter_ids_then_numbers() {
        assert_eq!(option_id("q3", 0), "q3a");
        assert_eq!(option_id("q3", 25), "q3z");
        assert_eq!(option_id("q3", 26), "q3_27");
    }
}
