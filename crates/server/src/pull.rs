//! Pulls: a course's change log read by cursor, in pages. Each page holds the entities
//! changed after the cursor as they are now (a tombstone for a deleted one), parents before
//! children, and the conflicts recorded or settled there. An interrupted pull resumes from
//! the last cursor it received.

use crate::entities::{self, Stored};
use crate::error::{ApiFailure, ApiResult};
use classkit_model::ErrorCode;
use classkit_sync::{ConflictRecord, EntityKind, EntityState, MAX_PAGE, PullPage, merge::Step};
use sqlx::{PgConnection, PgPool};
use std::collections::HashSet;
use uuid::Uuid;

/// Reads one page of `course`'s changes after `after`.
pub async fn pull(pool: &PgPool, course: Uuid, after: i64, limit: i64) -> ApiResult<PullPage> {
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiFailure::invalid(
            ErrorCode::InvalidInput,
            format!("limit must be from 1 to {MAX_PAGE}; it was {limit}"),
        ));
    }
    if after < 0 {
        return Err(ApiFailure::invalid(
            ErrorCode::InvalidInput,
            format!("after must be 0 or a position a pull returned; it was {after}"),
        ));
    }
    // One consistent view of the course across the queries.
    let mut tx = crate::db::snapshot(pool).await?;
    let upto = sqlx::query_scalar!("SELECT last_seq FROM courses WHERE id = $1", course)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiFailure::no_course(course))?;
    let fetch = limit + 1;
    let changes = entities::changed(&mut tx, course, after, upto, fetch).await?;
    let conflicts = conflicts_between(&mut tx, course, after, upto, fetch).await?;
    let generated = generated_between(&mut tx, course, after, upto, fetch).await?;

    // The first `limit` entries by position, of all sorts together (a take of generated
    // outputs, all its pages at one position, counts once).
    let takes: std::collections::BTreeSet<i64> = generated.iter().map(|(seq, _)| *seq).collect();
    let mut seqs: Vec<i64> = changes
        .iter()
        .map(|c| c.change_seq)
        .chain(conflicts.iter().map(|c| c.seq))
        .chain(takes)
        .collect();
    seqs.sort_unstable();
    let (next, more) = match seqs.get(limit as usize) {
        Some(_) => (seqs[limit as usize - 1], true),
        None => (upto.max(after), false),
    };
    let mut changes: Vec<Stored> = changes
        .into_iter()
        .filter(|c| c.change_seq <= next)
        .collect();
    with_ancestors(&mut tx, &mut changes, next).await?;
    tx.commit().await?;
    Ok(PullPage {
        changes: changes.into_iter().map(|c| c.record()).collect(),
        conflicts: conflicts.into_iter().filter(|c| c.seq <= next).collect(),
        generated: generated
            .into_iter()
            .filter(|(seq, _)| *seq <= next)
            .map(|(_, g)| g)
            .collect(),
        next,
        more,
    })
}

/// The takes of generated outputs of `course` after `after` up to `upto`, at most `limit`
/// positions' worth (every page of a take comes with it), with their positions.
async fn generated_between(
    conn: &mut PgConnection,
    course: Uuid,
    after: i64,
    upto: i64,
    limit: i64,
) -> ApiResult<Vec<(i64, classkit_model::generation::Generated)>> {
    let rows = sqlx::query_as!(
        crate::generation::GeneratedRow,
        "SELECT target_id, kind, page, asset_sha256, media_type, thumbnail_sha256, duration_ms,
                input_key, engine, cost_micros, job_id, details, change_seq
         FROM generated
         WHERE course_id = $1 AND change_seq > $2 AND change_seq <= $3
           AND change_seq IN (SELECT DISTINCT change_seq FROM generated
                              WHERE course_id = $1 AND change_seq > $2 AND change_seq <= $3
                              ORDER BY change_seq LIMIT $4)
         ORDER BY change_seq, target_id, kind, page",
        course,
        after,
        upto,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.change_seq, r.into_generated()))
        .collect())
}

/// Adds to a page the lessons and slides its entities sit in whose own last change comes
/// after the page (a slide made early in a lesson renamed later): without them an app
/// could not place the page's entities until a later page. They come again at their own
/// place in the log; applying a state twice changes nothing. Parents come before children.
async fn with_ancestors(
    conn: &mut PgConnection,
    changes: &mut Vec<Stored>,
    next: i64,
) -> ApiResult<()> {
    let present: HashSet<Uuid> = changes.iter().map(|c| c.id).collect();
    let parents = |changes: &[Stored], kind: EntityKind| -> Vec<Uuid> {
        changes
            .iter()
            .filter_map(|c| match (&c.state, kind) {
                (EntityState::Component(f), EntityKind::Slide) => Some(f.slide_id),
                (EntityState::Slide(f), EntityKind::Lesson) => Some(f.lesson_id),
                _ => None,
            })
            .filter(|id| !present.contains(id))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect()
    };
    let mut added = Vec::new();
    let slides = parents(changes, EntityKind::Slide);
    if !slides.is_empty() {
        added.extend(
            entities::load(conn, EntityKind::Slide, &slides)
                .await?
                .into_values()
                .filter(|s| s.change_seq > next),
        );
    }
    let mut with_slides: Vec<Stored> = changes.clone();
    with_slides.extend(added.iter().cloned());
    let lessons = parents(&with_slides, EntityKind::Lesson);
    if !lessons.is_empty() {
        added.extend(
            entities::load(conn, EntityKind::Lesson, &lessons)
                .await?
                .into_values()
                .filter(|l| l.change_seq > next),
        );
    }
    changes.extend(added);
    let rank = |c: &Stored| match c.kind() {
        EntityKind::Course => 0,
        EntityKind::Lesson => 1,
        EntityKind::Slide => 2,
        EntityKind::Component => 3,
    };
    changes.sort_by_key(|c| (rank(c), c.change_seq));
    Ok(())
}

/// Conflicts of `course` recorded or settled after `after` and up to `upto`.
pub async fn conflicts_between(
    conn: &mut PgConnection,
    course: Uuid,
    after: i64,
    upto: i64,
    limit: i64,
) -> ApiResult<Vec<ConflictRecord>> {
    let rows = sqlx::query!(
        r#"SELECT c.id, c.course_id, c.entity_kind, c.entity_id, c.path, c.pointer, c.base,
                  c.mine, c.theirs,
                  (SELECT email FROM users WHERE id = c.mine_author) AS "mine_author?",
                  c.mine_at,
                  (SELECT email FROM users WHERE id = c.theirs_author) AS "theirs_author?",
                  c.created_at, c.resolved_at,
                  (SELECT email FROM users WHERE id = c.resolved_by) AS "resolved_by?",
                  c.change_seq
           FROM conflicts c
           WHERE c.course_id = $1 AND c.change_seq > $2 AND c.change_seq <= $3
           ORDER BY c.change_seq LIMIT $4"#,
        course,
        after,
        upto,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let kind = EntityKind::parse(&r.entity_kind).ok_or_else(|| {
                ApiFailure::internal(format!("conflict {} has kind {:?}", r.id, r.entity_kind))
            })?;
            let path: Vec<Step> = serde_json::from_value(r.path).map_err(|e| {
                ApiFailure::internal(format!(
                    "conflict {} has a path that does not read: {e}",
                    r.id
                ))
            })?;
            Ok(ConflictRecord {
                id: r.id,
                course_id: r.course_id,
                kind,
                entity_id: r.entity_id,
                path,
                pointer: r.pointer,
                base: r.base,
                mine: r.mine,
                theirs: r.theirs,
                mine_author: r.mine_author,
                mine_at: r.mine_at,
                theirs_author: r.theirs_author,
                created_at: r.created_at,
                resolved_at: r.resolved_at,
                resolved_by: r.resolved_by,
                seq: r.change_seq,
            })
        })
        .collect()
}
