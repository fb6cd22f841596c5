//! Between the library's entities and their synced states: which of an entity's fields
//! travel (its parent, its place, its content) and which stay local (version, times).

use crate::protocol::{ComponentFields, CourseFields, EntityState, LessonFields, SlideFields};
use chrono::{DateTime, Utc};
use classkit_model::{Course, LearningComponent, Lesson, Slide};
use uuid::Uuid;

impl From<&Course> for CourseFields {
    fn from(c: &Course) -> Self {
        Self {
            title: c.title.clone(),
            description: c.description.clone(),
            language: c.language.clone(),
        }
    }
}

impl From<&Course> for EntityState {
    fn from(c: &Course) -> Self {
        Self::Course(CourseFields::from(c))
    }
}

impl From<&Lesson> for EntityState {
    fn from(l: &Lesson) -> Self {
        Self::Lesson(LessonFields {
            course_id: l.course_id,
            order_key: l.order_key.clone(),
            title: l.title.clone(),
        })
    }
}

impl From<&Slide> for EntityState {
    fn from(s: &Slide) -> Self {
        Self::Slide(SlideFields {
            lesson_id: s.lesson_id,
            order_key: s.order_key.clone(),
            title: s.title.clone(),
            body: s.body.clone(),
            speaker_notes: s.speaker_notes.clone(),
            instructor_notes: s.instructor_notes.clone(),
            layout: s.layout,
            image: s.image.clone(),
            narration: s.narration.clone(),
        })
    }
}

impl From<&LearningComponent> for EntityState {
    fn from(c: &LearningComponent) -> Self {
        Self::Component(ComponentFields {
            slide_id: c.slide_id,
            component_type: c.component_type,
            status: c.status,
            payload: c.payload.clone(),
        })
    }
}

/// The bookkeeping a local entity keeps beside its synced state.
#[derive(Debug, Clone, Copy)]
pub struct Local {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl CourseFields {
    /// The course as the library keeps it.
    pub fn to_course(&self, local: Local) -> Course {
        Course {
            id: local.id,
            title: self.title.clone(),
            description: self.description.clone(),
            language: self.language.clone(),
            created_at: local.created_at,
            updated_at: local.updated_at,
            version: local.version,
        }
    }
}

impl LessonFields {
    /// The lesson as the library keeps it (its position is worked out when it is read).
    pub fn to_lesson(&self, local: Local) -> Lesson {
        Lesson {
            id: local.id,
            course_id: self.course_id,
            position: 0,
            order_key: self.order_key.clone(),
            title: self.title.clone(),
            created_at: local.created_at,
            updated_at: local.updated_at,
            version: local.version,
        }
    }
}

impl SlideFields {
    /// The slide as the library keeps it (its position is worked out when it is read).
    pub fn to_slide(&self, local: Local) -> Slide {
        Slide {
            id: local.id,
            lesson_id: self.lesson_id,
            position: 0,
            order_key: self.order_key.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            speaker_notes: self.speaker_notes.clone(),
            instructor_notes: self.instructor_notes.clone(),
            layout: self.layout,
            image: self.image.clone(),
            narration: self.narration.clone(),
            created_at: local.created_at,
            updated_at: local.updated_at,
            version: local.version,
        }
    }
}

impl ComponentFields {
    /// The component as the library keeps it.
    pub fn to_component(&self, local: Local) -> LearningComponent {
        LearningComponent {
            id: local.id,
            slide_id: self.slide_id,
            component_type: self.component_type,
            status: self.status,
            payload: self.payload.clone(),
            created_at: local.created_at,
            updated_at: local.updated_at,
            version: local.version,
        }
    }
}
