//! The ClassKit Studio course model.
//!
//! Pure data and rules, no I/O: courses, lessons, slides, the eleven learning component
//! types with their typed payloads, validation with JSON pointers, JSON Schema generation,
//! payload upgrades between schema versions, and grading of the graded types.

pub mod change;
pub mod component;
pub mod components;
pub mod course;
pub mod error_code;
pub mod fields;
pub mod generation;
pub mod grading;
pub mod media;
pub mod order;
pub mod outline;
pub mod schema;
pub mod text;
pub mod validation;

pub use change::ChangeKind;
pub use component::{
    ComponentPayload, ComponentStatus, ComponentType, LearningComponent, PayloadError,
    UnknownComponentType, check_payload,
};
pub use course::{
    AssetRef, Course, CourseTree, Lesson, LessonTree, Slide, SlideLayout, SlideTree,
    asset_references, spoken,
};
pub use error_code::ErrorCode;
pub use grading::{Grade, GradeError, ItemFeedback};
pub use validation::{IssueCode, IssueParams, Issues, ItemName, Pointer, Problem, ValidationIssue};

/// A new time-ordered id (UUID v7) for any entity.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
