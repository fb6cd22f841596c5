//! The shared grading vectors in `tests/vectors/<TYPE>/<name>.json` (format in the README
//! there). The JavaScript player must pass the same files.

use classkit_model::ComponentType;
use classkit_model::grading::{grade, graded_types};
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Scores may differ by this much between implementations.
const TOLERANCE: f64 = 1e-9;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    description: String,
    component_type: ComponentType,
    payload: Value,
    response: Value,
    /// A serialized `classkit_model::Grade`.
    expected: Value,
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// Every `.json` file below `dir`, sorted.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Where `actual` differs from `expected`: numbers within [`TOLERANCE`], everything else
/// exactly, including which keys objects have.
fn differences(at: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (
                e.as_f64().unwrap_or(f64::NAN),
                a.as_f64().unwrap_or(f64::NAN),
            );
            // Written so that NaN is never close to anything.
            let close = (e - a).abs() <= TOLERANCE;
            if !close {
                out.push(format!("{at}: expected {e}, got {a}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "{at}: expected {} entries, got {}: {actual}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                differences(&format!("{at}/{i}"), e, a, out);
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            for key in e.keys().chain(a.keys().filter(|k| !e.contains_key(*k))) {
                match (e.get(key), a.get(key)) {
                    (Some(e), Some(a)) => differences(&format!("{at}/{key}"), e, a, out),
                    (Some(_), None) => out.push(format!("{at}/{key}: missing from the grade")),
                    (None, _) => out.push(format!("{at}/{key}: not expected, got {actual}")),
                }
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("{at}: expected {expected}, got {actual}")),
    }
}

/// What is wrong with one vector file, if anything.
fn check_vector(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot be read: {e}"))?;
    let vector: Vector =
        serde_json::from_str(&text).map_err(|e| format!("is not a grading vector: {e}"))?;
    let folder = path.parent().and_then(Path::file_name);
    if folder.is_none_or(|f| f != vector.component_type.as_str()) {
        return Err(format!(
            "a {} vector belongs in tests/vectors/{}/",
            vector.component_type, vector.component_type
        ));
    }
    let grade = grade(vector.component_type, &vector.payload, &vector.response)
        .map_err(|e| format!("{:?} cannot be graded: {e}", vector.description))?;
    let actual = serde_json::to_value(&grade).map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    differences("expected", &vector.expected, &actual, &mut found);
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{:?}\n  {}\n  the grade was {actual}",
            vector.description,
            found.join("\n  ")
        ))
    }
}

#[test]
fn every_vector_grades_as_expected() {
    let files = json_files(&vectors_dir());
    assert!(
        !files.is_empty(),
        "no grading vectors under {}",
        vectors_dir().display()
    );
    let failures: Vec<String> = files
        .iter()
        .filter_map(|path| {
            check_vector(path)
                .err()
                .map(|e| format!("{}:\n  {e}", path.display()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} vector(s) failed:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_graded_type_has_vectors() {
    let missing: Vec<ComponentType> = graded_types()
        .into_iter()
        .filter(|t| json_files(&vectors_dir().join(t.as_str())).is_empty())
        .collect();
    assert!(missing.is_empty(), "no grading vectors for {missing:?}");
}

#[test]
fn the_comparison_catches_wrong_scores_and_items() {
    let expected = serde_json::json!({"score": 1.0, "items": [{"feedback": ["a"]}]});
    let mut found = Vec::new();
    differences(
        "",
        &expected,
        &serde_json::json!({"score": 1.0 + 1e-12, "items": [{"feedback": ["a"]}]}),
        &mut found,
    );
    assert!(found.is_empty(), "{found:?}");
    differences(
        "",
        &expected,
        &serde_json::json!({"score": 1.001, "items": [{"feedback": []}], "x": 1}),
        &mut found,
    );
    assert_eq!(found.len(), 3, "{found:?}");
}
