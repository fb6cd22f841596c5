//! The rules a pushed state must keep, the same ones the local library holds an edit to:
//! text limits, NUL characters, order keys, and for a learning component its type's shape
//! (older schema versions upgraded), with every rule when it is marked ready.

use chrono::Utc;
use classkit_model::{
    ComponentPayload, ComponentStatus, IssueCode, Problem, ValidationIssue, fields, order,
};
use classkit_sync::state::Local;
use classkit_sync::{ComponentFields, EntityState, SlideFields};
use uuid::Uuid;

/// A state that breaks a rule: every issue, with JSON pointers into the state.
#[derive(Debug)]
pub struct Refused {
    pub issues: Vec<ValidationIssue>,
}

impl Refused {
    /// Whether the state was written by a newer program (a payload schema version this
    /// server does not know), which no edit can fix.
    pub fn too_new(&self) -> bool {
        self.issues
            .iter()
            .any(|i| i.code == IssueCode::SchemaVersionTooNew)
    }
}

fn prefixed(issues: Vec<ValidationIssue>, prefix: &str) -> Vec<ValidationIssue> {
    issues
        .into_iter()
        .map(|i| ValidationIssue {
            pointer: format!("{prefix}{}", i.pointer),
            ..i
        })
        .collect()
}

fn order_key_issue(key: &str) -> Option<ValidationIssue> {
    (!order::is_valid(key)).then(|| {
        ValidationIssue::new(
            "/order_key",
            Problem::WrongForm {
                detail: "an order key is a fractional index in lowercase hex".to_string(),
            },
        )
    })
}

fn asset_issues(slide: &SlideFields) -> Vec<ValidationIssue> {
    [("/image", &slide.image), ("/narration", &slide.narration)]
        .into_iter()
        .filter_map(|(at, a)| {
            let a = a.as_ref()?;
            (!a.is_well_formed())
                .then(|| ValidationIssue::new(at, Problem::AssetNotStored { asset: a.0.clone() }))
        })
        .collect()
}

/// The bookkeeping of a state being checked (the rules read only its fields).
fn local(id: Uuid) -> Local {
    let now = Utc::now();
    Local {
        id,
        created_at: now,
        updated_at: now,
        version: 1,
    }
}

/// The form every state must have, even the base an edit was made on: order keys and asset
/// hashes that are well formed (what the API's document promises of each state).
pub fn check_form(state: &EntityState) -> Result<(), Refused> {
    let issues: Vec<ValidationIssue> = match state {
        EntityState::Lesson(l) => order_key_issue(&l.order_key).into_iter().collect(),
        EntityState::Slide(s) => order_key_issue(&s.order_key)
            .into_iter()
            .chain(asset_issues(s))
            .collect(),
        _ => Vec::new(),
    };
    if issues.is_empty() {
        Ok(())
    } else {
        Err(Refused { issues })
    }
}

/// Checks a pushed state of entity `id` and returns it as the server stores it (a payload
/// in its type's current schema version).
pub fn check(id: Uuid, state: &EntityState) -> Result<EntityState, Refused> {
    let (issues, normalized) = match state {
        EntityState::Course(c) => (
            fields::course_issues(&c.to_course(local(id))),
            state.clone(),
        ),
        EntityState::Lesson(l) => {
            let mut issues = fields::lesson_issues(&l.to_lesson(local(id)));
            issues.extend(order_key_issue(&l.order_key));
            (issues, state.clone())
        }
        EntityState::Slide(s) => {
            let mut issues = fields::slide_issues(&s.to_slide(local(id)));
            issues.extend(order_key_issue(&s.order_key));
            issues.extend(asset_issues(s));
            (issues, state.clone())
        }
        EntityState::Component(c) => {
            match ComponentPayload::from_json(c.component_type, &c.payload) {
                Err(e) => (prefixed(e.issues, "/payload"), state.clone()),
                Ok(typed) => {
                    let payload = typed.to_json();
                    let issues = if c.status == ComponentStatus::Ready {
                        prefixed(typed.validate_json(&payload), "/payload")
                    } else {
                        Vec::new()
                    };
                    let normalized = ComponentFields {
                        slide_id: c.slide_id,
                        component_type: c.component_type,
                        status: c.status,
                        payload,
                    };
                    (issues, EntityState::Component(normalized))
                }
            }
        }
    };
    if issues.is_empty() {
        Ok(normalized)
    } else {
        Err(Refused { issues })
    }
}

/// A state produced by merging two valid states, made storable: a ready component whose
/// merged payload breaks a rule goes back to draft (as an edit that breaks a ready component
/// does in the local library). `None` when the merge gave something that is not a state of
/// its type at all.
pub fn settle_merged(id: Uuid, state: EntityState) -> Option<EntityState> {
    match check(id, &state) {
        Ok(s) => Some(s),
        Err(_) => match state {
            EntityState::Component(mut c) if c.status == ComponentStatus::Ready => {
                c.status = ComponentStatus::Draft;
                check(id, &EntityState::Component(c)).ok()
            }
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use classkit_model::ComponentType;
    use serde_json::json;

    fn component(status: ComponentStatus, payload: serde_json::Value) -> EntityState {
        EntityState::Component(ComponentFields {
            slide_id: Uuid::now_v7(),
            component_type: ComponentType::Quiz,
            status,
            payload,
        })
    }

    #[test]
    fn a_draft_may_be_incomplete_but_must_have_its_types_shape() {
        let id = Uuid::now_v7();
        let empty = json!({"schema_version": 2, "questions": []});
        assert!(check(id, &component(ComponentStatus::Draft, empty.clone())).is_ok());
        let refused = check(id, &component(ComponentStatus::Ready, empty)).expect_err("rules");
        assert!(
            refused
                .issues
                .iter()
                .all(|i| i.pointer.starts_with("/payload"))
        );
        let wrong = json!({"schema_version": 2, "questions": "many"});
        let refused = check(id, &component(ComponentStatus::Draft, wrong)).expect_err("shape");
        assert!(
            refused
                .issues
                .iter()
                .any(|i| i.pointer == "/payload/questions"),
            "{:?}",
            refused.issues
        );
    }

    #[test]
    fn a_newer_schema_version_is_refused_as_too_new() {
        let newer = json!({"schema_version": 99, "questions": []});
        let refused =
            check(Uuid::now_v7(), &component(ComponentStatus::Draft, newer)).expect_err("too new");
        assert!(refused.too_new());
    }

    #[test]
    fn order_keys_and_asset_hashes_must_be_well_formed() {
        let slide = EntityState::Slide(SlideFields {
            lesson_id: Uuid::now_v7(),
            order_key: "'; DROP TABLE slides; --".into(),
            title: "t".into(),
            body: String::new(),
            speaker_notes: String::new(),
            instructor_notes: String::new(),
            layout: classkit_model::SlideLayout::Bullets,
            image: Some(classkit_model::AssetRef("../../etc/passwd".into())),
            narration: None,
        });
        let refused = check(Uuid::now_v7(), &slide).expect_err("refused");
        let pointers: Vec<_> = refused.issues.iter().map(|i| i.pointer.as_str()).collect();
        assert!(
            pointers.contains(&"/order_key") && pointers.contains(&"/image"),
            "{pointers:?}"
        );
    }
}
