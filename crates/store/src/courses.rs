//! Courses, lessons and slides.

use crate::error::{Result, StoreError};
use crate::placement::{Placed, keys_for_place};
use crate::rows;
use crate::write::{
    Entity, IfInvalid, Write, insert_course, insert_lesson, prepare, record_change,
    slide_for_update, slide_name, write_component, write_slide,
};
use crate::{AssetInfo, Drafted, Generated, StagedAsset};
use crate::{Store, now};
use classkit_model::order;
use classkit_model::{
    AssetRef, ChangeKind, ComponentStatus, ComponentType, Course, CourseTree, LearningComponent,
    Lesson, LessonTree, Slide, SlideLayout, SlideTree, ValidationIssue,
};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// What generation made for a course, stored with it by [`Store::import_course`].
#[derive(Debug, Default)]
pub struct CourseExtras {
    /// Every file the course and its records use (their records are added when missing).
    pub assets: Vec<AssetInfo>,
    /// The bytes of those not in the library yet.
    pub staged: Vec<StagedAsset>,
    /// Rendered pages and narration, by slide.
    pub generated: Vec<Generated>,
    /// What the engines drafted (or found nothing to draft) per slide and type.
    pub drafted: Vec<Drafted>,
    /// The types the instructor declined per slide, as `(slide, type)`.
    pub declined: Vec<(Uuid, String)>,
}

/// Something a course's import changed on the way in.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TreeChange {
    /// A component marked ready breaks today's rules: it was kept as a draft.
    MadeDraft {
        component_id: Uuid,
        component_type: ComponentType,
        issues: Vec<ValidationIssue>,
    },
    /// A payload written in an older schema version was upgraded.
    Upgraded {
        component_id: Uuid,
        component_type: ComponentType,
        from: u32,
        to: u32,
    },
}

/// A course as listed in the library.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CourseSummary {
    #[serde(flatten)]
    pub course: Course,
    pub lessons: i64,
    pub slides: i64,
    pub components: i64,
    /// How many of the components are ready for learners (the rest are drafts).
    pub ready: i64,
    /// How many components of each type the course has (types it has none of are left out).
    pub by_type: std::collections::BTreeMap<ComponentType, i64>,
    /// The newest save of the course, one of its slides or one of its components.
    pub last_edited: chrono::DateTime<chrono::Utc>,
    /// The course's first slide, whose picture stands for the course.
    pub first_slide: Option<Uuid>,
}

/// A slide to add to a lesson.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewSlide {
    pub title: String,
    pub body: String,
    pub speaker_notes: String,
    pub instructor_notes: String,
    pub layout: SlideLayout,
}

/// Changes to a slide; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SlideEdit {
    pub title: Option<String>,
    pub body: Option<String>,
    pub speaker_notes: Option<String>,
    pub instructor_notes: Option<String>,
    pub layout: Option<SlideLayout>,
    pub image: Option<Option<AssetRef>>,
    pub narration: Option<Option<AssetRef>>,
}

impl Store {
    /// Creates an empty course.
    pub async fn create_course(&self, title: &str, language: Option<&str>) -> Result<Course> {
        let title = title.trim();
        if title.is_empty() {
            return Err(StoreError::Invalid("a course needs a title".into()));
        }
        let at = now();
        let course = Course {
            id: Uuid::now_v7(),
            title: title.to_string(),
            description: String::new(),
            language: language.map(str::to_string),
            created_at: at,
            updated_at: at,
            version: 1,
        };
        let mut tx = self.write().await?;
        insert_course(&mut tx, &course).await?;
        record_change(
            &mut tx,
            Entity::Course,
            course.id,
            1,
            ChangeKind::Created,
            &course,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(course)
    }

    /// Adds a lesson at the end of a course.
    pub async fn add_lesson(&self, course_id: Uuid, title: &str) -> Result<Lesson> {
        let mut tx = self.write().await?;
        let last: Option<(Option<String>, i64)> = sqlx::query_as(
            "SELECT (SELECT order_key FROM lessons WHERE course_id = ?1 \
             ORDER BY order_key DESC, id DESC LIMIT 1), \
             (SELECT COUNT(*) FROM lessons WHERE course_id = ?1) FROM courses WHERE id = ?1",
        )
        .bind(course_id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let (last_key, count) = last.ok_or_else(|| StoreError::not_found("course", course_id))?;
        let at = now();
        let lesson = Lesson {
            id: Uuid::now_v7(),
            course_id,
            order_key: order::between(last_key.as_deref(), None),
            position: count,
            title: title.trim().to_string(),
            created_at: at,
            updated_at: at,
            version: 1,
        };
        insert_lesson(&mut tx, &lesson).await?;
        record_change(
            &mut tx,
            Entity::Lesson,
            lesson.id,
            1,
            ChangeKind::Created,
            &lesson,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(lesson)
    }

    /// Adds a slide at the end of a lesson.
    pub async fn add_slide(&self, lesson_id: Uuid, new: NewSlide) -> Result<Slide> {
        let mut tx = self.write().await?;
        let last: Option<(Option<String>, i64)> = sqlx::query_as(
            "SELECT (SELECT order_key FROM slides WHERE lesson_id = ?1 \
             ORDER BY order_key DESC, id DESC LIMIT 1), \
             (SELECT COUNT(*) FROM slides WHERE lesson_id = ?1) FROM lessons WHERE id = ?1",
        )
        .bind(lesson_id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let (last_key, count) = last.ok_or_else(|| StoreError::not_found("lesson", lesson_id))?;
        let at = now();
        let slide = Slide {
            id: Uuid::now_v7(),
            lesson_id,
            order_key: order::between(last_key.as_deref(), None),
            position: count,
            title: new.title,
            body: new.body,
            speaker_notes: new.speaker_notes,
            instructor_notes: new.instructor_notes,
            layout: new.layout,
            image: None,
            narration: None,
            created_at: at,
            updated_at: at,
            version: 1,
        };
        write_slide(&mut tx, &slide, Write::Insert).await?;
        record_change(
            &mut tx,
            Entity::Slide,
            slide.id,
            1,
            ChangeKind::Created,
            &slide,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(slide)
    }

    /// A slide by id.
    pub async fn slide(&self, id: Uuid) -> Result<Slide> {
        let row = sqlx::query(concat!(
            "SELECT ",
            slide_columns!(),
            " FROM slides WHERE id = ?"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("slide", id))?;
        rows::slide(&row)
    }

    /// Saves changes to a slide. With `expected_version`, the save fails with a version
    /// conflict when someone saved the slide since that version.
    pub async fn update_slide(
        &self,
        id: Uuid,
        edit: SlideEdit,
        expected_version: Option<i64>,
    ) -> Result<Slide> {
        let mut tx = self.write().await?;
        let current = slide_for_update(&mut tx, id, expected_version).await?;
        // The fields this edit sets are held to the rules (others were saved before).
        let edited: Vec<String> = [
            ("/title", edit.title.is_some()),
            ("/body", edit.body.is_some()),
            ("/speaker_notes", edit.speaker_notes.is_some()),
            ("/instructor_notes", edit.instructor_notes.is_some()),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(field, _)| field.to_string())
        .collect();
        let slide = Slide {
            title: edit.title.unwrap_or(current.title.clone()),
            body: edit.body.unwrap_or(current.body.clone()),
            speaker_notes: edit.speaker_notes.unwrap_or(current.speaker_notes.clone()),
            instructor_notes: edit
                .instructor_notes
                .unwrap_or(current.instructor_notes.clone()),
            layout: edit.layout.unwrap_or(current.layout),
            image: edit.image.unwrap_or(current.image.clone()),
            narration: edit.narration.unwrap_or(current.narration.clone()),
            updated_at: now(),
            version: current.version + 1,
            ..current
        };
        let mut issues = classkit_model::fields::slide_issues(&slide);
        issues.retain(|i| edited.contains(&i.pointer));
        StoreError::check_text(issues, || slide_name(&slide))?;
        write_slide(&mut tx, &slide, Write::Update).await?;
        record_change(
            &mut tx,
            Entity::Slide,
            id,
            slide.version,
            ChangeKind::Updated,
            &slide,
            Some(slide.version - 1),
        )
        .await?;
        tx.commit().await?;
        Ok(slide)
    }

    /// The course a slide is in.
    pub async fn course_of_slide(&self, slide_id: Uuid) -> Result<Uuid> {
        let course: Option<String> = sqlx::query_scalar(
            "SELECT l.course_id FROM slides s JOIN lessons l ON l.id = s.lesson_id WHERE s.id = ?",
        )
        .bind(slide_id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        rows::parse_id(&course.ok_or_else(|| StoreError::not_found("slide", slide_id))?)
    }

    /// The course a lesson is in.
    pub async fn course_of_lesson(&self, lesson_id: Uuid) -> Result<Uuid> {
        let course: Option<String> =
            sqlx::query_scalar("SELECT course_id FROM lessons WHERE id = ?")
                .bind(lesson_id.to_string())
                .fetch_optional(&self.pool)
                .await?;
        rows::parse_id(&course.ok_or_else(|| StoreError::not_found("lesson", lesson_id))?)
    }

    /// Removes an empty slide from its lesson (its history stays). A slide that still holds
    /// learning activities is refused: they are deleted first, each on its own.
    pub async fn delete_slide(&self, id: Uuid, expected_version: Option<i64>) -> Result<()> {
        let mut tx = self.write().await?;
        let current = slide_for_update(&mut tx, id, expected_version).await?;
        let components: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM components WHERE slide_id = ?")
                .bind(id.to_string())
                .fetch_one(&mut *tx)
                .await?;
        if components > 0 {
            return Err(StoreError::Invalid(format!(
                "{} still holds {components} learning activit{}: delete them first",
                slide_name(&current),
                if components == 1 { "y" } else { "ies" }
            )));
        }
        let course = crate::write::course_of_state(
            &mut tx,
            Entity::Slide,
            id,
            &serde_json::json!({ "lesson_id": current.lesson_id }),
        )
        .await?;
        sqlx::query("DELETE FROM slides WHERE id = ?")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        crate::write::record_revision(
            &mut tx,
            Entity::Slide,
            id,
            current.version + 1,
            ChangeKind::Deleted.into(),
            &current,
        )
        .await?;
        crate::write::insert_outbox(
            &mut tx,
            Entity::Slide,
            id,
            course,
            "delete",
            Some(current.version),
            &serde_json::json!({}),
            now(),
            &[],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes a deleted slide again, under a new id, from a saved version of it (its `deleted`
    /// revision holds it as it was), at `position` in `lesson_id`: its text, layout, picture
    /// and narration.
    pub async fn recreate_slide(
        &self,
        from: crate::Saving,
        lesson_id: Uuid,
        position: usize,
    ) -> Result<Slide> {
        let (entity_type, data) = self.saved_version(from).await?;
        if entity_type != "slide" {
            return Err(StoreError::Invalid(format!(
                "version {} of {} is a {entity_type}, not a slide",
                from.version, from.id
            )));
        }
        let old: Slide = serde_json::from_value(data)
            .map_err(|e| StoreError::Corrupt(format!("revision data: {e}")))?;
        let slide = self
            .add_slide(
                lesson_id,
                NewSlide {
                    title: old.title,
                    body: old.body,
                    speaker_notes: old.speaker_notes,
                    instructor_notes: old.instructor_notes,
                    layout: old.layout,
                },
            )
            .await?;
        let slide = match (&old.image, &old.narration) {
            (None, None) => slide,
            _ => {
                let edit = SlideEdit {
                    image: Some(old.image),
                    narration: Some(old.narration),
                    ..SlideEdit::default()
                };
                self.update_slide(slide.id, edit, Some(slide.version))
                    .await?
            }
        };
        self.move_slide(slide.id, lesson_id, position, Some(slide.version))
            .await
    }

    /// Moves a slide to `position` (0 = first) in `lesson_id`, which may be its own lesson
    /// or another lesson of the same course; a position past the end puts the slide last.
    /// The slide gets an order key between its new neighbours' and a new version; no other
    /// slide changes (unless neighbours tie, see `placement`), so moves made elsewhere merge.
    /// A move to where the slide already is writes nothing. With `expected_version`, the
    /// move fails with a version conflict when someone saved the slide since that version.
    pub async fn move_slide(
        &self,
        id: Uuid,
        lesson_id: Uuid,
        position: usize,
        expected_version: Option<i64>,
    ) -> Result<Slide> {
        let mut tx = self.write().await?;
        let moving = slide_for_update(&mut tx, id, expected_version).await?;
        if lesson_id != moving.lesson_id {
            let same_course: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM lessons a JOIN lessons b ON a.course_id = b.course_id \
                 WHERE a.id = ? AND b.id = ?",
            )
            .bind(moving.lesson_id.to_string())
            .bind(lesson_id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
            if same_course.is_none() {
                let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM lessons WHERE id = ?")
                    .bind(lesson_id.to_string())
                    .fetch_optional(&mut *tx)
                    .await?;
                return Err(match exists {
                    None => StoreError::not_found("lesson", lesson_id),
                    Some(_) => StoreError::Invalid(format!(
                        "slide {id} cannot move to lesson {lesson_id}: it is in another course"
                    )),
                });
            }
        }
        let others: Vec<Placed> = sqlx::query_as::<_, (String, String)>(
            "SELECT id, order_key FROM slides WHERE lesson_id = ? AND id <> ? \
             ORDER BY order_key, id",
        )
        .bind(lesson_id.to_string())
        .bind(id.to_string())
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|(id, key)| Placed { id, key })
        .collect();
        let at = position.min(others.len());
        if lesson_id == moving.lesson_id && i64::try_from(at) == Ok(moving.position) {
            return Ok(moving);
        }
        // Places after the move: the siblings before `at` keep theirs, the rest move up one.
        let place_after = |sibling: &str| -> usize {
            match others.iter().position(|o| o.id == sibling) {
                Some(i) if i < at => i,
                Some(i) => i + 1,
                None => at,
            }
        };
        let when = now();
        let mut moved = moving.clone();
        let moving_id = id.to_string();
        for Placed { id: written, key } in keys_for_place(&others, at, &moving_id) {
            let current = match written == moving_id {
                true => moving.clone(),
                false => slide_for_update(&mut tx, rows::parse_id(&written)?, None).await?,
            };
            let changed = Slide {
                lesson_id,
                position: place_after(&written) as i64,
                order_key: key,
                updated_at: when,
                version: current.version + 1,
                ..current
            };
            write_slide(&mut tx, &changed, Write::Update).await?;
            record_change(
                &mut tx,
                Entity::Slide,
                changed.id,
                changed.version,
                ChangeKind::Moved,
                &changed,
                Some(changed.version - 1),
            )
            .await?;
            if changed.id == id {
                moved = changed;
            }
        }
        tx.commit().await?;
        Ok(moved)
    }

    /// All courses, newest first, with their sizes.
    pub async fn courses(&self) -> Result<Vec<CourseSummary>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            course_columns!(),
            ", \
             (SELECT COUNT(*) FROM lessons l WHERE l.course_id = c.id) AS lesson_count, \
             (SELECT COUNT(*) FROM slides s JOIN lessons l ON s.lesson_id = l.id \
              WHERE l.course_id = c.id) AS slide_count, \
             (SELECT COUNT(*) FROM components k JOIN slides s ON k.slide_id = s.id \
              JOIN lessons l ON s.lesson_id = l.id WHERE l.course_id = c.id) AS component_count, \
             (SELECT COUNT(*) FROM components k JOIN slides s ON k.slide_id = s.id \
              JOIN lessons l ON s.lesson_id = l.id \
              WHERE l.course_id = c.id AND k.status = 'ready') AS ready_count, \
             (SELECT MAX(at) FROM (SELECT c.updated_at AS at \
              UNION ALL SELECT MAX(s.updated_at) FROM slides s JOIN lessons l \
               ON s.lesson_id = l.id WHERE l.course_id = c.id \
              UNION ALL SELECT MAX(k.updated_at) FROM components k JOIN slides s \
               ON k.slide_id = s.id JOIN lessons l ON s.lesson_id = l.id \
               WHERE l.course_id = c.id)) AS last_edited, \
             (SELECT s.id FROM slides s JOIN lessons l ON s.lesson_id = l.id \
              WHERE l.course_id = c.id \
              ORDER BY l.order_key, l.id, s.order_key, s.id LIMIT 1) AS first_slide \
             FROM courses c ORDER BY created_at DESC, id DESC"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut by_type: HashMap<String, std::collections::BTreeMap<ComponentType, i64>> =
            HashMap::new();
        let counts: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT l.course_id, k.component_type, COUNT(*) FROM components k \
             JOIN slides s ON k.slide_id = s.id JOIN lessons l ON s.lesson_id = l.id \
             GROUP BY l.course_id, k.component_type",
        )
        .fetch_all(&self.pool)
        .await?;
        for (course, type_name, count) in counts {
            let Ok(component_type) = type_name.parse::<ComponentType>() else {
                continue;
            };
            by_type
                .entry(course)
                .or_default()
                .insert(component_type, count);
        }
        rows.iter()
            .map(|row| {
                let course = rows::course(row)?;
                let first_slide: Option<String> = row.try_get("first_slide")?;
                Ok(CourseSummary {
                    by_type: by_type.remove(&course.id.to_string()).unwrap_or_default(),
                    lessons: row.try_get("lesson_count")?,
                    slides: row.try_get("slide_count")?,
                    components: row.try_get("component_count")?,
                    ready: row.try_get("ready_count")?,
                    last_edited: row
                        .try_get::<Option<chrono::DateTime<chrono::Utc>>, _>("last_edited")?
                        .unwrap_or(course.updated_at),
                    first_slide: first_slide.map(|s| rows::parse_id(&s)).transpose()?,
                    course,
                })
            })
            .collect()
    }

    /// A course's own row, without what is in it.
    pub async fn course(&self, id: Uuid) -> Result<Course> {
        let row = sqlx::query(concat!(
            "SELECT ",
            course_columns!(),
            " FROM courses WHERE id = ?"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("course", id))?;
        rows::course(&row)
    }

    /// A course with its lessons, slides and components, in order.
    pub async fn course_tree(&self, id: Uuid) -> Result<CourseTree> {
        self.course_tree_with(id, true).await
    }

    /// A course with its lessons and slides, in order; with their components when
    /// `components` (otherwise every slide's list is empty).
    pub(crate) async fn course_tree_with(&self, id: Uuid, components: bool) -> Result<CourseTree> {
        let mut conn = self.pool.begin().await?;
        let row = sqlx::query(concat!(
            "SELECT ",
            course_columns!(),
            " FROM courses WHERE id = ?"
        ))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("course", id))?;
        let course = rows::course(&row)?;
        let lessons = sqlx::query(concat!(
            "SELECT ",
            lesson_columns!(),
            " FROM lessons WHERE course_id = ? ORDER BY order_key, id"
        ))
        .bind(id.to_string())
        .fetch_all(&mut *conn)
        .await?;
        let slides = sqlx::query(concat!(
            "SELECT ",
            slide_columns!(),
            " FROM slides WHERE lesson_id IN (SELECT id FROM lessons WHERE course_id = ?) \
             ORDER BY lesson_id, order_key, id"
        ))
        .bind(id.to_string())
        .fetch_all(&mut *conn)
        .await?;
        let components = if components {
            sqlx::query(concat!(
                "SELECT ",
                component_columns!(),
                " FROM components WHERE slide_id IN (SELECT s.id FROM slides s \
                 JOIN lessons l ON s.lesson_id = l.id WHERE l.course_id = ?) \
                 ORDER BY created_at, id"
            ))
            .bind(id.to_string())
            .fetch_all(&mut *conn)
            .await?
        } else {
            Vec::new()
        };
        conn.commit().await?;

        let mut by_slide: HashMap<Uuid, Vec<LearningComponent>> = HashMap::new();
        for row in &components {
            let c = rows::component(row)?;
            by_slide.entry(c.slide_id).or_default().push(c);
        }
        let mut by_lesson: HashMap<Uuid, Vec<SlideTree>> = HashMap::new();
        for row in &slides {
            let slide = rows::slide(row)?;
            let components = by_slide.remove(&slide.id).unwrap_or_default();
            by_lesson
                .entry(slide.lesson_id)
                .or_default()
                .push(SlideTree { slide, components });
        }
        let lessons = lessons
            .iter()
            .map(|row| {
                let lesson = rows::lesson(row)?;
                let slides = by_lesson.remove(&lesson.id).unwrap_or_default();
                Ok(LessonTree { lesson, slides })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(CourseTree { course, lessons })
    }

    /// Stores a whole course, ids and versions as given, in one transaction: either all of
    /// it is saved or none of it. Used by import. Referenced assets must already be stored;
    /// component payloads are upgraded to the current schema version. An id already in the
    /// library is refused, never overwritten.
    pub async fn insert_course_tree(&self, tree: &CourseTree, change: ChangeKind) -> Result<()> {
        self.import_course(tree, change, CourseExtras::default())
            .await
            .map(|_| ())
    }

    /// Stores a whole course (as [`Store::insert_course_tree`]) with what generation made
    /// for it: the staged files it uses are moved into the library, and the outputs and
    /// drafting records are stored in the same transaction as the course. Should anything
    /// fail, the files this call moved in are removed again. Returns what was changed on
    /// the way in (upgraded payloads, ready components that break today's rules).
    pub async fn import_course(
        &self,
        tree: &CourseTree,
        change: ChangeKind,
        extras: CourseExtras,
    ) -> Result<Vec<TreeChange>> {
        let CourseExtras {
            assets,
            staged,
            generated,
            drafted,
            declined,
        } = extras;
        let store = self.clone();
        let (placed, moved) = tokio::task::spawn_blocking(move || {
            let mut placed = crate::assets::Placed::default();
            let moved = store.place(staged, &mut placed);
            (placed, moved)
        })
        .await
        .map_err(|e| StoreError::Invalid(format!("asset writer stopped: {e}")))?;
        if let Err(e) = moved {
            self.unplace(placed.paths).await;
            return Err(e);
        }
        let stored = self
            .insert_course_records(tree, change, &assets, &generated, &drafted, &declined)
            .await;
        match &stored {
            Err(_) => self.unplace(placed.paths).await,
            Ok(_) => {
                let store = self.clone();
                let kept = placed.kept;
                let _ = tokio::task::spawn_blocking(move || store.settle(kept)).await;
            }
        }
        stored
    }

    async fn insert_course_records(
        &self,
        tree: &CourseTree,
        change: ChangeKind,
        assets: &[AssetInfo],
        generated: &[Generated],
        drafted: &[Drafted],
        declined: &[(Uuid, String)],
    ) -> Result<Vec<TreeChange>> {
        let mut changes = Vec::new();
        let mut tx = self.write().await?;
        for a in assets {
            sqlx::query(
                "INSERT INTO assets (sha256, media_type, size, created_at) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (sha256) DO NOTHING",
            )
            .bind(&a.sha256.0)
            .bind(&a.media_type)
            .bind(a.size as i64)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        insert_course(&mut tx, &tree.course).await?;
        let c = &tree.course;
        // Imported entities are new to this library: their outbox rows have no base version.
        record_change(&mut tx, Entity::Course, c.id, c.version, change, c, None).await?;
        // Keys as the tree has them when they give its order, new ones in its order if not.
        let keys = |given: Vec<&str>| crate::placement::imported_keys(&given);
        let lesson_keys = keys(
            tree.lessons
                .iter()
                .map(|l| l.lesson.order_key.as_str())
                .collect(),
        );
        for ((i, lt), order_key) in tree.lessons.iter().enumerate().zip(lesson_keys) {
            let lesson = Lesson {
                course_id: c.id,
                order_key,
                position: i as i64,
                ..lt.lesson.clone()
            };
            insert_lesson(&mut tx, &lesson).await?;
            record_change(
                &mut tx,
                Entity::Lesson,
                lesson.id,
                lesson.version,
                change,
                &lesson,
                None,
            )
            .await?;
            let slide_keys = keys(
                lt.slides
                    .iter()
                    .map(|s| s.slide.order_key.as_str())
                    .collect(),
            );
            for ((j, st), order_key) in lt.slides.iter().enumerate().zip(slide_keys) {
                let slide = Slide {
                    lesson_id: lesson.id,
                    order_key,
                    position: j as i64,
                    ..st.slide.clone()
                };
                write_slide(&mut tx, &slide, Write::Insert).await?;
                record_change(
                    &mut tx,
                    Entity::Slide,
                    slide.id,
                    slide.version,
                    change,
                    &slide,
                    None,
                )
                .await?;
                for component in &st.components {
                    let component = LearningComponent {
                        slide_id: slide.id,
                        ..component.clone()
                    };
                    let written_in = component.payload["schema_version"].as_u64();
                    let was_ready = component.status == ComponentStatus::Ready;
                    // A component that was ready under older rules comes in as a draft.
                    let component = prepare(&mut tx, component, IfInvalid::MakeDraft).await?;
                    let current = component.component_type.schema_version();
                    if let Some(from) = written_in.filter(|v| *v < u64::from(current)) {
                        changes.push(TreeChange::Upgraded {
                            component_id: component.id,
                            component_type: component.component_type,
                            from: from as u32,
                            to: current,
                        });
                    }
                    if was_ready && component.status == ComponentStatus::Draft {
                        let mut issues = classkit_model::check_payload(
                            component.component_type,
                            &component.payload,
                        );
                        if issues.is_empty() {
                            issues.push(classkit_model::ValidationIssue::new(
                                String::new(),
                                classkit_model::Problem::UsedFileNotInLibrary,
                            ));
                        }
                        changes.push(TreeChange::MadeDraft {
                            component_id: component.id,
                            component_type: component.component_type,
                            issues,
                        });
                    }
                    write_component(&mut tx, &component, Write::Insert).await?;
                    record_change(
                        &mut tx,
                        Entity::Component,
                        component.id,
                        component.version,
                        change,
                        &component,
                        None,
                    )
                    .await?;
                }
            }
        }
        for g in generated {
            crate::generated::insert_generated(&mut tx, g).await?;
        }
        for d in drafted {
            crate::generated::upsert_drafted(&mut tx, d, None).await?;
        }
        for (slide, component_type) in declined {
            sqlx::query(
                "INSERT OR REPLACE INTO declined_drafts (slide_id, component_type, declined_at) \
                 VALUES (?, ?, ?)",
            )
            .bind(slide.to_string())
            .bind(component_type)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(changes)
    }

    /// True when a course with this id is in the library.
    pub async fn course_exists(&self, id: Uuid) -> Result<bool> {
        Ok(sqlx::query("SELECT 1 FROM courses WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .is_some())
    }

    /// Deletes a course with everything in it; the outbox records the deletion for sync.
    /// Revisions stay, so nothing an instructor wrote is beyond recovery.
    pub async fn delete_course(&self, id: Uuid) -> Result<()> {
        let mut tx = self.write().await?;
        let version: Option<i64> = sqlx::query_scalar("SELECT version FROM courses WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        let version = version.ok_or_else(|| StoreError::not_found("course", id))?;
        sqlx::query("DELETE FROM courses WHERE id = ?")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        crate::write::insert_outbox(
            &mut tx,
            Entity::Course,
            id,
            Some(id),
            "delete",
            Some(version),
            &serde_json::json!({}),
            now(),
            &[],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
