//! The job record: a job's Redis hash (`P:job:<id>`, empty fields left out) read back into a
//! [`Job`].

use crate::job::{Job, JobError};
use crate::queue::{QueueError, QueueResult};
use chrono::{DateTime, TimeZone, Utc};
use redis::Value;
use std::collections::HashMap;
use uuid::Uuid;

pub(super) fn corrupt(what: impl std::fmt::Display) -> QueueError {
    QueueError::Corrupt(what.to_string())
}

fn opt(map: &HashMap<String, String>, key: &str) -> Option<String> {
    map.get(key).filter(|v| !v.is_empty()).cloned()
}

fn ms_time(map: &HashMap<String, String>, key: &str) -> QueueResult<Option<DateTime<Utc>>> {
    match opt(map, key) {
        None => Ok(None),
        Some(v) => {
            let ms: i64 = v.parse().map_err(|_| corrupt(format!("{key} = {v:?}")))?;
            Ok(Utc.timestamp_millis_opt(ms).single())
        }
    }
}

fn num<T: std::str::FromStr>(map: &HashMap<String, String>, key: &str) -> QueueResult<T> {
    map.get(key)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| corrupt(format!("job field {key} is missing or not a number")))
}

/// A job from its hash. The id is the key's (scripts add it to the hashes they answer with);
/// a missing progress is 0 and a missing time of the last change is the creation's.
pub(super) fn job_from_hash(map: &HashMap<String, String>) -> QueueResult<Job> {
    let json = |key: &str| -> QueueResult<Option<serde_json::Value>> {
        opt(map, key)
            .map(|v| serde_json::from_str(&v).map_err(corrupt))
            .transpose()
    };
    let created_at = ms_time(map, "created_at")?.ok_or_else(|| corrupt("created_at"))?;
    Ok(Job {
        id: Uuid::parse_str(map.get("id").map(String::as_str).unwrap_or_default())
            .map_err(corrupt)?,
        kind: map.get("kind").cloned().unwrap_or_default(),
        target: opt(map, "target")
            .map(|t| Uuid::parse_str(&t))
            .transpose()
            .map_err(corrupt)?,
        input: json("input")?.unwrap_or(serde_json::Value::Null),
        engine: opt(map, "engine"),
        priority: num(map, "priority")?,
        dedup_key: opt(map, "dedup_key"),
        state: map
            .get("state")
            .map(String::as_str)
            .unwrap_or_default()
            .parse()
            .map_err(corrupt)?,
        attempts: num(map, "attempts")?,
        max_attempts: num(map, "max_attempts")?,
        progress: match map.get("progress") {
            None => 0,
            Some(_) => num::<u32>(map, "progress")?.min(100) as u8,
        },
        progress_message: map.get("progress_message").cloned().unwrap_or_default(),
        last_error: opt(map, "last_error")
            .map(|v| serde_json::from_str::<JobError>(&v).map_err(corrupt))
            .transpose()?,
        result: json("result")?,
        estimated_cost_micros: opt(map, "est_cost").and_then(|v| v.parse().ok()),
        actual_cost_micros: opt(map, "act_cost").and_then(|v| v.parse().ok()),
        created_at,
        updated_at: ms_time(map, "updated_at")?.unwrap_or(created_at),
        run_at: ms_time(map, "run_at")?,
        started_at: ms_time(map, "started_at")?,
        finished_at: ms_time(map, "finished_at")?,
        lease_until: ms_time(map, "lease_until")?,
        worker_id: opt(map, "worker_id"),
        course_id: opt(map, "course")
            .map(|c| Uuid::parse_str(&c))
            .transpose()
            .map_err(corrupt)?,
        requested_by: opt(map, "by"),
    })
}

pub(super) fn job_from_value(value: &Value) -> QueueResult<Job> {
    let map: HashMap<String, String> = redis::from_redis_value_ref(value)?;
    job_from_hash(&map)
}
