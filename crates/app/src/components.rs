//! Learning components: adding one to a slide, saving an instructor's edits (an edit that
//! breaks a ready component moves it back to draft, for every client alike), marking it ready
//! or draft, removing it, and checking or grading payloads.

use crate::undo::EditTarget;
use crate::{App, Result};
use classkit_model::{
    ChangeKind, ComponentStatus, ComponentType, Grade, LearningComponent, ValidationIssue,
};
use classkit_store::{IfInvalid, NewComponent};
use serde::Serialize;
use serde_json::Value;
use tracing::instrument;
use uuid::Uuid;

/// A component and the rules its payload breaks now (empty when it could be marked ready).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ComponentView {
    pub component: LearningComponent,
    pub issues: Vec<ValidationIssue>,
    /// The save that answered with this view moved a ready component back to draft: the
    /// edit broke a rule, and was kept rather than refused.
    pub moved_to_draft: bool,
}

impl ComponentView {
    fn of(component: LearningComponent) -> Self {
        let component = in_current_version(component);
        let issues = classkit_model::check_payload(component.component_type, &component.payload);
        Self {
            component,
            issues,
            moved_to_draft: false,
        }
    }
}

impl App {
    /// Attaches a new draft component to a slide; without a payload, an empty one to fill
    /// in. The payload must have the type's shape; rule problems are allowed in a draft and
    /// reported with it.
    #[instrument(skip(self, payload))]
    pub async fn add_component(
        &self,
        slide_id: Uuid,
        component_type: ComponentType,
        payload: Option<Value>,
    ) -> Result<ComponentView> {
        let component = self
            .store
            .add_component(NewComponent {
                slide_id,
                component_type,
                payload: payload.unwrap_or_else(|| Value::Object(Default::default())),
                status: ComponentStatus::Draft,
            })
            .await?;
        self.record_added(
            EditTarget::Component { component_type },
            component.id,
            slide_id,
            component.version,
        )
        .await;
        Ok(ComponentView::of(component))
    }

    /// A component with the rules its payload breaks now.
    pub async fn component(&self, id: Uuid) -> Result<ComponentView> {
        Ok(ComponentView::of(self.store.component(id).await?))
    }

    /// Saves an instructor's edit of a component's payload. An edit that breaks a rule of a
    /// ready component is kept, and the component moves back to draft in the same write
    /// (`moved_to_draft` says so); a payload of the wrong shape is refused.
    #[instrument(skip(self, payload))]
    pub async fn save_component(
        &self,
        id: Uuid,
        payload: Value,
        expected_version: Option<i64>,
    ) -> Result<ComponentView> {
        let saved = self
            .store
            .update_component(id, payload, expected_version, IfInvalid::MakeDraft)
            .await?;
        self.record_component(&saved.component, ChangeKind::Updated)
            .await;
        Ok(ComponentView {
            moved_to_draft: saved.moved_to_draft,
            ..ComponentView::of(saved.component)
        })
    }

    /// Marks a component ready (refused with every issue when it is not valid) or draft.
    #[instrument(skip(self))]
    pub async fn set_ready(&self, id: Uuid, ready: bool) -> Result<ComponentView> {
        let status = match ready {
            true => ComponentStatus::Ready,
            false => ComponentStatus::Draft,
        };
        let component = self.store.set_component_status(id, status, None).await?;
        let change = match ready {
            true => ChangeKind::MarkedReady,
            false => ChangeKind::MarkedDraft,
        };
        self.record_component(&component, change).await;
        Ok(ComponentView::of(component))
    }

    /// Records a component's new version for undo.
    pub(crate) async fn record_component(&self, component: &LearningComponent, change: ChangeKind) {
        self.record_changed(
            EditTarget::Component {
                component_type: component.component_type,
            },
            component.id,
            component.slide_id,
            component.version,
            change,
        )
        .await;
    }

    /// Removes a component from its slide (its history stays).
    #[instrument(skip(self))]
    pub async fn delete_component(&self, id: Uuid, expected_version: Option<i64>) -> Result<()> {
        let component = self.store.component(id).await?;
        let version = expected_version.unwrap_or(component.version);
        self.store.delete_component(id, Some(version)).await?;
        self.record_removed(
            EditTarget::Component {
                component_type: component.component_type,
            },
            id,
            component.slide_id,
            version,
        )
        .await;
        Ok(())
    }

    /// Puts the slide's current rendered picture under a HOTSPOT, with its size, so the
    /// author can draw regions on it. Refused when the slide is not rendered yet.
    pub async fn use_slide_picture(&self, id: Uuid) -> Result<ComponentView> {
        let component = self.store.component(id).await?;
        if component.component_type != ComponentType::Hotspot {
            return Err(crate::AppError::Invalid(format!(
                "component {id} is a {}, not a HOTSPOT: only a HOTSPOT is drawn over a picture",
                component.component_type
            )));
        }
        let render = self
            .store
            .generated(component.slide_id, crate::generate::SLIDE_RENDER)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| {
                crate::AppError::Invalid(
                    "the slide has no picture yet: assemble the slide first".to_string(),
                )
            })?;
        let mut payload = component.payload.clone();
        let slide = self.store.slide(component.slide_id).await?;
        if let Some(map) = payload.as_object_mut() {
            map.insert("image".into(), Value::String(render.asset.0.clone()));
            // The picture is the slide: until the author writes a description, the slide's
            // own text is one a learner who cannot see it can use.
            let described = map
                .get("alt_text")
                .and_then(Value::as_str)
                .is_some_and(|a| !a.trim().is_empty());
            if !described {
                map.insert("alt_text".into(), Value::String(slide_description(&slide)));
            }
            map.insert(
                "image_width".into(),
                Value::from(classkit_engines::slides::WIDTH as u32),
            );
            map.insert(
                "image_height".into(),
                Value::from(classkit_engines::slides::HEIGHT as u32),
            );
        }
        self.save_component(id, payload, Some(component.version))
            .await
    }
}

/// A slide's picture in words: its title and its points, as the slide shows them.
fn slide_description(slide: &classkit_model::Slide) -> String {
    let points: Vec<&str> = slide
        .body
        .lines()
        .map(|l| l.trim().trim_start_matches(['-', '*', '+']).trim())
        .filter(|l| !l.is_empty())
        .collect();
    let text = match points.is_empty() {
        true => format!("The slide “{}”.", slide.title.trim()),
        false => format!("The slide “{}”: {}.", slide.title.trim(), points.join("; ")),
    };
    text.chars()
        .take(classkit_model::validation::MAX_SHORT_TEXT)
        .collect()
}

/// The component with its payload in the current schema version, as clients are given it:
/// a library may hold payloads written by an older ClassKit Studio, and clients read one
/// shape only. The stored payload is rewritten at the next save.
pub(crate) fn in_current_version(component: LearningComponent) -> LearningComponent {
    let payload = component.component_type.upgrade(&component.payload);
    LearningComponent {
        payload,
        ..component
    }
}

/// Every issue of a payload of `component_type`, shape and rules together.
pub fn validate_payload(component_type: ComponentType, payload: &Value) -> Vec<ValidationIssue> {
    classkit_model::check_payload(component_type, payload)
}

/// Grades a learner response with the model's grading functions.
pub fn grade(component_type: ComponentType, payload: &Value, response: &Value) -> Result<Grade> {
    Ok(classkit_model::grading::grade(
        component_type,
        payload,
        response,
    )?)
}
