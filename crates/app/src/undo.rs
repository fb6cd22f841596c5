//! Undo and redo of the instructor's edits, course by course, for every client of the app
//! alike: the editors, History's restore, adding, deleting and moving.
//!
//! A step remembers which saved versions an edit went between, not a copy of the content:
//! the library keeps every version (see [`classkit_store::Store::history`]), so undoing brings
//! an earlier version back as a new one, and nothing is overwritten. An undo that would
//! overwrite a change made since by something else (an engine's draft, a teammate's synced
//! edit, the command line) is refused and its step dropped; the entity's history has both.
//!
//! Edits of one field in quick succession (the saves of one burst of typing) are one step.
//! The steps live as long as the app runs; at most [`MAX_STEPS`] per course are kept.

use crate::{App, AppError, Result};
use classkit_model::{ChangeKind, ComponentType};
use classkit_store::{Saving, StoreError};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Most steps kept for undo in one course.
pub const MAX_STEPS: usize = 200;

/// Saves of the same slide or component closer together than this are one step.
const BURST: Duration = Duration::from_millis(1500);

/// What an edit was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "entity_type", rename_all = "snake_case")]
pub enum EditTarget {
    Slide,
    Component { component_type: ComponentType },
}

impl EditTarget {
    /// The slide, or the component by its type ("the QUIZ").
    pub fn name(&self) -> String {
        match self {
            Self::Slide => "the slide".into(),
            Self::Component { component_type } => format!("the {component_type}"),
        }
    }
}

/// An edit that can be undone or redone, as the UI names it ("Undo: edit of the Quiz").
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EditSummary {
    pub target: EditTarget,
    /// What the edit did: `updated`, `marked_ready`, `marked_draft`, `restored`, `created`,
    /// `deleted` or `moved`.
    pub change: ChangeKind,
    /// The slide or component, as it is now (an entity made again gets a new id).
    pub id: Uuid,
    /// The slide where the edit shows, to bring into view; none when that slide is gone.
    pub slide_id: Option<Uuid>,
}

/// What can be undone and redone in a course now.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct UndoState {
    pub undo: Option<EditSummary>,
    pub redo: Option<EditSummary>,
}

/// The answer to an undo or redo: the edit it took back or made again (none when there was
/// nothing to do), and what can be undone and redone next.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct UndoOutcome {
    pub done: Option<EditSummary>,
    pub state: UndoState,
}

/// One edit, by the versions it went between.
#[derive(Debug, Clone, PartialEq)]
enum Edit {
    /// A slide's or component's content changed in place (text, payload, status, a
    /// restore): undone by bringing back the content of `before`.
    Changed { id: Uuid, before: Saving },
    /// Added: undone by deleting it.
    Added { id: Uuid },
    /// Deleted: undone by making it again from `content` (its deletion's revision), in
    /// `lesson` at its place for a slide.
    Removed {
        content: Saving,
        lesson: Option<(Uuid, usize)>,
    },
    /// A slide moved between two places (lesson, position): undone by moving it back.
    Moved {
        id: Uuid,
        from: (Uuid, usize),
        to: (Uuid, usize),
    },
}

impl Edit {
    /// The entity the edit is applied to now (none for one deleted).
    fn target(&self) -> Option<Uuid> {
        match self {
            Edit::Changed { id, .. } | Edit::Added { id } | Edit::Moved { id, .. } => Some(*id),
            Edit::Removed { .. } => None,
        }
    }
}

#[derive(Debug, Clone)]
struct Step {
    edit: Edit,
    target: EditTarget,
    change: ChangeKind,
    /// The slide where the edit shows (the slide itself for a slide's edit).
    slide: Option<Uuid>,
    at: Instant,
}

impl Step {
    fn summary(&self) -> EditSummary {
        let id = match &self.edit {
            Edit::Removed { content, .. } => content.id,
            other => other.target().unwrap_or_default(),
        };
        EditSummary {
            target: self.target,
            change: self.change,
            id,
            slide_id: self.slide,
        }
    }
}

#[derive(Debug, Default)]
struct Stacks {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl Stacks {
    fn state(&self) -> UndoState {
        UndoState {
            undo: self.undo.last().map(Step::summary),
            redo: self.redo.last().map(Step::summary),
        }
    }

    /// An entity made again under a new id: the steps name it by that id.
    fn renamed(&mut self, old: Uuid, new: Uuid) {
        for step in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            match &mut step.edit {
                Edit::Changed { id, .. } | Edit::Added { id } | Edit::Moved { id, .. }
                    if *id == old =>
                {
                    *id = new
                }
                _ => {}
            }
            if step.slide == Some(old) {
                step.slide = Some(new);
            }
        }
    }
}

/// The undo and redo steps of every course edited since the app started, and the version
/// this log last left each entity at: an undo or redo applies only while the entity is still
/// at that version, so a change made since by anything else is never overwritten.
#[derive(Debug, Default)]
pub(crate) struct UndoLog {
    inner: Mutex<Log>,
}

#[derive(Debug, Default)]
struct Log {
    courses: HashMap<Uuid, Stacks>,
    known: HashMap<Uuid, i64>,
}

impl UndoLog {
    fn with<T>(&self, f: impl FnOnce(&mut Log) -> T) -> T {
        // A panic while the lock was held leaves stacks that are still whole.
        let mut log = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut log)
    }

    /// Records a new edit, which leaves `entity` at `version` (none when it was deleted): the
    /// redo steps go (they no longer follow from here). The saves of one burst of typing in
    /// the same field are one step.
    fn record(&self, course: Uuid, step: Step, entity: Uuid, version: Option<i64>) {
        self.with(|log| {
            let continuing = version.is_some_and(|v| log.known.get(&entity) == Some(&(v - 1)));
            match version {
                Some(v) => log.known.insert(entity, v),
                None => log.known.remove(&entity),
            };
            let stacks = log.courses.entry(course).or_default();
            stacks.redo.clear();
            if let Some(last) = stacks.undo.last_mut()
                && continuing
                && last.edit.target() == Some(entity)
                && matches!(last.edit, Edit::Changed { .. })
                && matches!(step.edit, Edit::Changed { .. })
                && last.change == ChangeKind::Updated
                && step.change == ChangeKind::Updated
                && step.at.duration_since(last.at) < BURST
            {
                last.at = step.at;
                return;
            }
            stacks.undo.push(step);
            if stacks.undo.len() > MAX_STEPS {
                stacks.undo.remove(0);
            }
        });
    }
}

/// Whether an undo or a redo is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Undo,
    Redo,
}

impl App {
    /// What can be undone and redone in a course now.
    pub fn undo_state(&self, course_id: Uuid) -> UndoState {
        self.undo.with(|log| {
            log.courses
                .get(&course_id)
                .map(Stacks::state)
                .unwrap_or_default()
        })
    }

    /// Takes back the course's latest edit not yet undone (nothing when there is none).
    pub async fn undo(&self, course_id: Uuid) -> Result<UndoOutcome> {
        self.step(course_id, Direction::Undo).await
    }

    /// Makes the latest undone edit again (nothing when there is none).
    pub async fn redo(&self, course_id: Uuid) -> Result<UndoOutcome> {
        self.step(course_id, Direction::Redo).await
    }

    async fn step(&self, course: Uuid, direction: Direction) -> Result<UndoOutcome> {
        // One undo or redo at a time: the step is taken off its stack before it is applied,
        // and its inverse put on the other stack after.
        let _one = self.undo_lock.lock().await;
        let taken = self.undo.with(|log| {
            let stacks = log.courses.get_mut(&course)?;
            let step = match direction {
                Direction::Undo => stacks.undo.pop(),
                Direction::Redo => stacks.redo.pop(),
            }?;
            let known = step
                .edit
                .target()
                .and_then(|id| log.known.get(&id).copied());
            Some((step, known))
        });
        let Some((step, known)) = taken else {
            return Ok(UndoOutcome {
                done: None,
                state: self.undo_state(course),
            });
        };
        // A step that cannot be applied (changed since, or gone) is dropped, so the next
        // undo goes on with the steps before it.
        let (inverse, now) = match self.apply(&step, known).await {
            Ok(applied) => applied,
            Err(AppError::Store(
                StoreError::VersionConflict { .. } | StoreError::NotFound { .. },
            )) => return Err(AppError::ChangedSince(step.summary())),
            Err(other) => return Err(other),
        };
        let done = inverse.summary();
        self.undo.with(|log| {
            match (&step.edit, inverse.edit.target(), now) {
                (_, Some(entity), Some(version)) => {
                    log.known.insert(entity, version);
                }
                (_, _, None) => {
                    if let Some(gone) = step.edit.target() {
                        log.known.remove(&gone);
                    }
                }
                _ => {}
            }
            let stacks = log.courses.entry(course).or_default();
            if let (Edit::Removed { content, .. }, Some(made)) = (&step.edit, inverse.edit.target())
            {
                stacks.renamed(content.id, made);
            }
            match direction {
                Direction::Undo => stacks.redo.push(inverse),
                Direction::Redo => stacks.undo.push(inverse),
            }
        });
        if matches!(step.target, EditTarget::Slide) {
            self.refresh_known_slides(course).await;
        }
        Ok(UndoOutcome {
            done: Some(done),
            state: self.undo_state(course),
        })
    }

    /// Applies a step's edit backwards, on the entity while it is still at `known`; returns
    /// the step that would apply it forwards again, and the entity's version after (none
    /// when it was deleted).
    async fn apply(&self, step: &Step, known: Option<i64>) -> Result<(Step, Option<i64>)> {
        let at = Instant::now();
        let next = |edit: Edit, slide: Option<Uuid>| Step {
            edit,
            target: step.target,
            change: step.change,
            slide,
            at,
        };
        let gone = |id: Uuid, version: i64| Saving {
            id,
            version: version + 1,
        };
        Ok(match (&step.edit, step.target) {
            (Edit::Changed { id, before }, _) => {
                let restored = self.store.restore_revision(*id, *before, known).await?;
                let (version, was) = match restored {
                    classkit_store::Restored::Slide(s) => (s.version, s.version - 1),
                    classkit_store::Restored::Component(c) => (c.version, c.version - 1),
                };
                let before = Saving {
                    id: *id,
                    version: was,
                };
                (
                    next(Edit::Changed { id: *id, before }, step.slide),
                    Some(version),
                )
            }
            (Edit::Added { id }, EditTarget::Component { .. }) => {
                let version = self.store.component(*id).await?.version;
                self.store
                    .delete_component(*id, Some(known.unwrap_or(version)))
                    .await?;
                let content = gone(*id, known.unwrap_or(version));
                (
                    next(
                        Edit::Removed {
                            content,
                            lesson: None,
                        },
                        step.slide,
                    ),
                    None,
                )
            }
            (Edit::Added { id }, EditTarget::Slide) => {
                let slide = self.store.slide(*id).await?;
                let version = known.unwrap_or(slide.version);
                self.store.delete_slide(*id, Some(version)).await?;
                let place = (
                    slide.lesson_id,
                    usize::try_from(slide.position).unwrap_or(0),
                );
                let removed = Edit::Removed {
                    content: gone(*id, version),
                    lesson: Some(place),
                };
                (next(removed, None), None)
            }
            (Edit::Removed { content, .. }, EditTarget::Component { .. }) => {
                let made = self.store.recreate_component(*content, step.slide).await?;
                let added = Edit::Added { id: made.id };
                (next(added, Some(made.slide_id)), Some(made.version))
            }
            (Edit::Removed { content, lesson }, EditTarget::Slide) => {
                let (lesson, position) = lesson.ok_or_else(|| {
                    AppError::Invalid("a deleted slide's place was not recorded".into())
                })?;
                let made = self
                    .store
                    .recreate_slide(*content, lesson, position)
                    .await?;
                (
                    next(Edit::Added { id: made.id }, Some(made.id)),
                    Some(made.version),
                )
            }
            (Edit::Moved { id, from, to }, _) => {
                let moved = self.store.move_slide(*id, from.0, from.1, known).await?;
                let back = Edit::Moved {
                    id: *id,
                    from: *to,
                    to: *from,
                };
                (next(back, step.slide), Some(moved.version))
            }
        })
    }

    /// Moving a slide gives its neighbours new versions (their order keys): the versions the
    /// log knows of the course's slides are read again, so their own steps stay undoable.
    async fn refresh_known_slides(&self, course: Uuid) {
        let Ok(tree) = self.store.course_tree(course).await else {
            return;
        };
        self.undo.with(|log| {
            for slide in tree.lessons.iter().flat_map(|l| l.slides.iter()) {
                if let Some(known) = log.known.get_mut(&slide.slide.id) {
                    *known = slide.slide.version;
                }
            }
        });
    }

    /// Records a slide's or component's change in place, from version `after - 1` to `after`.
    pub(crate) async fn record_changed(
        &self,
        target: EditTarget,
        id: Uuid,
        slide: Uuid,
        after: i64,
        change: ChangeKind,
    ) {
        let before = Saving {
            id,
            version: after - 1,
        };
        self.record(
            slide,
            target,
            change,
            Edit::Changed { id, before },
            (id, Some(after)),
        )
        .await;
    }

    /// Records a slide or component added at `version`.
    pub(crate) async fn record_added(
        &self,
        target: EditTarget,
        id: Uuid,
        slide: Uuid,
        version: i64,
    ) {
        self.record(
            slide,
            target,
            ChangeKind::Created,
            Edit::Added { id },
            (id, Some(version)),
        )
        .await;
    }

    /// Records a component deleted at version `version` (its deletion's revision is the next).
    pub(crate) async fn record_removed(
        &self,
        target: EditTarget,
        id: Uuid,
        slide: Uuid,
        version: i64,
    ) {
        let content = Saving {
            id,
            version: version + 1,
        };
        let edit = Edit::Removed {
            content,
            lesson: None,
        };
        self.record(slide, target, ChangeKind::Deleted, edit, (id, None))
            .await;
    }

    /// Records a slide moved between two places, to version `after`.
    pub(crate) async fn record_moved(
        &self,
        id: Uuid,
        from: (Uuid, usize),
        to: (Uuid, usize),
        after: i64,
    ) {
        self.record(
            id,
            EditTarget::Slide,
            ChangeKind::Moved,
            Edit::Moved { id, from, to },
            (id, Some(after)),
        )
        .await;
        if let Ok(course) = self.store.course_of_slide(id).await {
            self.refresh_known_slides(course).await;
        }
    }

    async fn record(
        &self,
        slide: Uuid,
        target: EditTarget,
        change: ChangeKind,
        edit: Edit,
        (entity, version): (Uuid, Option<i64>),
    ) {
        // The course is looked up after the save: a failure here loses only the undo step.
        match self.store.course_of_slide(slide).await {
            Ok(course) => self.undo.record(
                course,
                Step {
                    edit,
                    target,
                    change,
                    slide: Some(slide),
                    at: Instant::now(),
                },
                entity,
                version,
            ),
            Err(e) => tracing::warn!(error = %e, %slide, "an edit could not be recorded for undo"),
        }
    }
}
