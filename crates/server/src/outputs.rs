//! What was made for a slide (rendered pages, narration), kept per slide and kind: each take
//! whole, replacing the one before, and ordered in the course's change log so members pull
//! it. The team's workers record takes through the worker API; an instructor's app records
//! what its own workers made while it worked offline, so that the team does not make it
//! again and every member gets it.

use crate::error::{ApiFailure, ApiResult};
use crate::generation::CourseSnapshot;
use classkit_generate::{NARRATION, SLIDE_RENDER, render_key};
use classkit_model::ErrorCode;
use classkit_model::generation::Generated;
use sqlx::PgPool;
use uuid::Uuid;

/// Pages one take may have (a slide's text overflowing onto more pages).
const MAX_PAGES: usize = 64;
/// Largest details of one page (the boxes of a rendered slide's elements).
const MAX_DETAILS: usize = 256 * 1024;

/// Replaces the take of `kind` for slide `target` of `course` with `outputs`, in one
/// transaction, as the next change of the course's log. The assets must be stored.
pub async fn store(
    pool: &PgPool,
    course: Uuid,
    target: Uuid,
    kind: &str,
    outputs: &[Generated],
) -> ApiResult<()> {
    let mut tx = pool.begin().await?;
    // The course's change log orders it among the edits, so members pull it.
    let seq = sqlx::query_scalar!(
        "UPDATE courses SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
        course
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiFailure::no_course(course))?;
    sqlx::query!(
        "DELETE FROM generated WHERE target_id = $1 AND kind = $2",
        target,
        kind
    )
    .execute(&mut *tx)
    .await?;
    for g in outputs {
        sqlx::query!(
            "INSERT INTO generated (course_id, target_id, kind, page, asset_sha256, media_type,
                                    thumbnail_sha256, duration_ms, input_key, engine,
                                    cost_micros, job_id, details, change_seq, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())",
            course,
            target,
            kind,
            g.page as i32,
            g.asset.0,
            g.media_type,
            g.thumbnail.as_ref().map(|t| t.0.clone()),
            g.duration_ms.map(|d| d as i64),
            g.input_key,
            g.engine,
            g.cost_micros.max(0),
            g.job_id,
            g.details,
            seq
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

fn refused(message: impl Into<String>) -> ApiFailure {
    ApiFailure::invalid(ErrorCode::InvalidInput, message)
}

/// The take's shape: pages 0, 1, … of this slide and kind, files of the kind's media, fields
/// within bounds.
fn check_shape(target: Uuid, kind: &str, outputs: &[Generated]) -> ApiResult<()> {
    if outputs.is_empty() {
        return Err(refused("a take has at least one page"));
    }
    if outputs.len() > MAX_PAGES {
        return Err(refused(format!("a take has at most {MAX_PAGES} pages")));
    }
    for (i, g) in outputs.iter().enumerate() {
        let at = |what: &str| format!("page {i}: {what}");
        if g.target_id != target || g.kind != kind {
            return Err(refused(at(&format!(
                "an output of {} {} was sent for {target} {kind}",
                g.target_id, g.kind
            ))));
        }
        if g.page as usize != i {
            return Err(refused(at(&format!(
                "pages are numbered 0, 1, … in order; this one says {}",
                g.page
            ))));
        }
        let media_ok = match kind {
            SLIDE_RENDER => g.media_type == "image/png",
            _ => g.media_type.starts_with("audio/") && g.media_type.len() <= 64,
        };
        if !media_ok {
            return Err(refused(at(&format!(
                "{:?} is not a file type of a {kind}",
                g.media_type
            ))));
        }
        if g.input_key.is_empty() || g.input_key.len() > 200 {
            return Err(refused(at("its input key is 1-200 characters")));
        }
        if g.engine.is_empty() || g.engine.len() > 64 {
            return Err(refused(at("its engine is 1-64 characters")));
        }
        if g.cost_micros < 0 {
            return Err(refused(at("its cost is not negative")));
        }
        if g.details.to_string().len() > MAX_DETAILS {
            return Err(refused(at(&format!(
                "its details are over {} kB",
                MAX_DETAILS / 1024
            ))));
        }
    }
    Ok(())
}

/// Takes what an instructor's app made for a slide of `course` by itself: a slide's rendered
/// pages or its narration record, checked against the slide as it is on the server now. A
/// render must be of the slide's current content (its input key is the one the team would
/// render from), narration of the audio the slide points at. Otherwise it is stale: 409, and
/// the team makes its own when the course is next assembled. The same take sent again
/// changes nothing.
pub async fn take_from_member(
    pool: &PgPool,
    course: Uuid,
    target: Uuid,
    kind: &str,
    outputs: &[Generated],
) -> ApiResult<()> {
    if kind != SLIDE_RENDER && kind != NARRATION {
        return Err(ApiFailure::bad_request(
            ErrorCode::InvalidInput,
            format!("an app sends only {SLIDE_RENDER} and {NARRATION} takes, not {kind:?}"),
        ));
    }
    check_shape(target, kind, outputs)?;
    let tree = CourseSnapshot::tree(pool, course)
        .await?
        .ok_or_else(|| ApiFailure::no_course(course))?;
    let Some((footer, number, slide)) = tree.lessons.iter().find_map(|l| {
        l.slides
            .iter()
            .position(|s| s.slide.id == target)
            .map(|i| (&l.lesson.title, i as u32 + 1, &l.slides[i].slide))
    }) else {
        return Err(ApiFailure::not_found(format!(
            "course {course} has no slide {target}"
        )));
    };
    let current = match kind {
        SLIDE_RENDER => outputs[0].input_key == render_key(slide, footer, number).as_str(),
        _ => slide.narration.as_ref() == Some(&outputs[0].asset),
    };
    if !current || outputs.iter().any(|g| g.input_key != outputs[0].input_key) {
        return Err(ApiFailure::new(
            axum::http::StatusCode::CONFLICT,
            ErrorCode::VersionConflict,
            format!(
                "the {kind} of slide {target} was made from the slide as it was before; the team makes its own"
            ),
        ));
    }
    // Every file is stored, as the type the take says it is.
    let mut files: Vec<(&str, &str)> = outputs
        .iter()
        .map(|g| (g.asset.0.as_str(), g.media_type.as_str()))
        .collect();
    files.extend(
        outputs
            .iter()
            .filter_map(|g| g.thumbnail.as_ref().map(|t| (t.0.as_str(), "image/png"))),
    );
    let mut hashes: Vec<String> = files.iter().map(|f| f.0.to_string()).collect();
    hashes.sort();
    hashes.dedup();
    let stored = sqlx::query!(
        "SELECT sha256, media_type FROM assets WHERE sha256 = ANY($1)",
        &hashes
    )
    .fetch_all(pool)
    .await?;
    for (sha256, media_type) in &files {
        match stored.iter().find(|s| s.sha256 == *sha256) {
            None => {
                return Err(ApiFailure::invalid(
                    ErrorCode::AssetMissing,
                    format!("the file {sha256} was not uploaded; upload it first"),
                ));
            }
            Some(s) if s.media_type != *media_type => {
                return Err(refused(format!(
                    "the file {sha256} was uploaded as {}, not {media_type}",
                    s.media_type
                )));
            }
            Some(_) => {}
        }
    }
    // Sent before (its answer was lost): nothing changes.
    let before = sqlx::query!(
        "SELECT page, asset_sha256, input_key FROM generated
         WHERE target_id = $1 AND kind = $2 ORDER BY page",
        target,
        kind
    )
    .fetch_all(pool)
    .await?;
    if before.len() == outputs.len()
        && before.iter().zip(outputs).all(|(b, g)| {
            b.page as u32 == g.page && b.asset_sha256 == g.asset.0 && b.input_key == g.input_key
        })
    {
        return Ok(());
    }
    sqlx::query!(
        "INSERT INTO course_assets (course_id, sha256) SELECT $1, unnest($2::text[])
         ON CONFLICT DO NOTHING",
        course,
        &hashes
    )
    .execute(pool)
    .await?;
    store(pool, course, target, kind, outputs).await
}
