//! The shared sample payloads of every component type, in `tests/samples/`:
//!
//! - `<TYPE>.valid.json`: a realistic payload in the current schema version with no issues;
//! - `<TYPE>.broken.json`: an array of `{"description", "payload", "expected"}` where
//!   `expected` is the full list of issues `check_payload` reports, each written
//!   `"<pointer>: <message>"`, in order.
//!
//! The UI's form tests and the language-model drafting tests read the same files.

use classkit_model::{ComponentPayload, ComponentType, check_payload};
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BrokenSample {
    description: String,
    payload: Value,
    expected: Vec<String>,
}

fn sample_path(component_type: ComponentType, kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples")
        .join(format!("{component_type}.{kind}.json"))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot be read: {e}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| format!("{}: is not a sample file: {e}", path.display()))
}

fn issue_lines(component_type: ComponentType, payload: &Value) -> Vec<String> {
    check_payload(component_type, payload)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Fails with every problem found, so one run shows all missing or wrong files.
fn assert_no_failures(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} problem(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_type_has_a_valid_sample_without_issues() {
    let mut failures = Vec::new();
    for component_type in ComponentType::ALL {
        let path = sample_path(component_type, "valid");
        let payload: Value = match read_json(&path) {
            Ok(payload) => payload,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let name = path.display();
        if payload.get("schema_version") != Some(&Value::from(component_type.schema_version())) {
            failures.push(format!(
                "{name}: should be written in the current schema version {}",
                component_type.schema_version()
            ));
        }
        let issues = issue_lines(component_type, &payload);
        if !issues.is_empty() {
            failures.push(format!("{name}: expected no issues, found {issues:#?}"));
            continue;
        }
        // What the app writes back must read as the same payload.
        let typed = ComponentPayload::from_json(component_type, &payload);
        let again = typed
            .as_ref()
            .map(|p| ComponentPayload::from_json(component_type, &p.to_json()));
        match (typed.as_ref(), again) {
            (Ok(first), Ok(Ok(second))) if *first == second => {}
            _ => failures.push(format!(
                "{name}: does not survive being written and read again"
            )),
        }
    }
    assert_no_failures(&failures);
}

#[test]
fn every_type_has_broken_samples_with_exactly_the_expected_issues() {
    let mut failures = Vec::new();
    for component_type in ComponentType::ALL {
        let path = sample_path(component_type, "broken");
        let samples: Vec<BrokenSample> = match read_json(&path) {
            Ok(samples) => samples,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        if samples.is_empty() {
            failures.push(format!("{}: has no broken samples", path.display()));
        }
        for (i, sample) in samples.iter().enumerate() {
            let found = issue_lines(component_type, &sample.payload);
            if sample.expected.is_empty() || found != sample.expected {
                let found_json = serde_json::to_string_pretty(&found).unwrap_or_default();
                failures.push(format!(
                    "{} [{i}] {:?}:\n  expected {:#?}\n  found (as JSON) {found_json}",
                    path.display(),
                    sample.description,
                    sample.expected,
                ));
            }
        }
    }
    assert_no_failures(&failures);
}

/// A wire value as a client shows it: text as is, numbers as JavaScript prints them.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(x) if n.is_f64() && x.fract() == 0.0 => format!("{x:.0}"),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

#[test]
fn every_broken_sample_issue_can_be_said_from_its_code_and_params_alone() {
    let mut failures = Vec::new();
    for component_type in ComponentType::ALL {
        let path = sample_path(component_type, "broken");
        let Ok(samples) = read_json::<Vec<BrokenSample>>(&path) else {
            continue; // The test above reports it.
        };
        for sample in &samples {
            for issue in check_payload(component_type, &sample.payload) {
                let wire = serde_json::to_value(&issue).expect("an issue as JSON");
                let mut said = issue.code.template().to_string();
                for (name, value) in wire["params"].as_object().into_iter().flatten() {
                    said = said.replace(&format!("{{{name}}}"), &shown(value));
                }
                let read_back: Result<classkit_model::ValidationIssue, _> =
                    serde_json::from_value(wire.clone());
                if said != issue.message || read_back.as_ref().ok() != Some(&issue) {
                    failures.push(format!("{}: {wire}\n  says {said:?}", path.display()));
                }
            }
        }
    }
    assert_no_failures(&failures);
}

#[test]
fn every_type_exports_a_json_schema_with_properties() {
    let mut failures = Vec::new();
    for component_type in ComponentType::ALL {
        let schema = component_type.json_schema();
        let properties = schema.get("properties").and_then(Value::as_object);
        match properties {
            Some(properties) if properties.contains_key("schema_version") => {}
            _ => failures.push(format!(
                "{component_type}: the schema has no properties including schema_version: {schema}"
            )),
        }
    }
    assert_no_failures(&failures);
}
