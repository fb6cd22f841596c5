//! Job events: the scripts publish each change on `P:events` (one JSON object, or an array
//! for a batch); one task per queue forwards them to the queue's subscribers.

use crate::job::{JobError, JobEvent, JobState};
use chrono::{TimeZone, Utc};
use redis::Client;
use serde::Deserialize;
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

/// An event as the Lua scripts publish it.
#[derive(Deserialize)]
struct WireEvent {
    job_id: Uuid,
    kind: String,
    #[serde(default)]
    target: String,
    state: JobState,
    #[serde(default)]
    attempts: u32,
    #[serde(default)]
    progress: u8,
    #[serde(default)]
    message: String,
    #[serde(default)]
    last_error: String,
    #[serde(default)]
    run_at: String,
    #[serde(default)]
    course: String,
    #[serde(default)]
    by: String,
}

/// One event, or the events of a batch.
#[derive(Deserialize)]
#[serde(untagged)]
enum WireEvents {
    One(WireEvent),
    Many(Vec<WireEvent>),
}

impl WireEvent {
    fn into_event(self) -> JobEvent {
        let error = serde_json::from_str::<JobError>(&self.last_error).ok();
        let message = match (self.state, error) {
            (JobState::RetryWait | JobState::Dead, Some(e)) => e.message,
            _ => self.message,
        };
        JobEvent {
            job_id: self.job_id,
            kind: self.kind,
            target: Uuid::parse_str(&self.target).ok(),
            state: self.state,
            attempts: self.attempts,
            progress: self.progress,
            message,
            run_at: self
                .run_at
                .parse::<i64>()
                .ok()
                .and_then(|ms| Utc.timestamp_millis_opt(ms).single()),
            course_id: Uuid::parse_str(&self.course).ok(),
            requested_by: (!self.by.is_empty()).then_some(self.by),
        }
    }
}

/// Forwards the events channel into `events`, reconnecting with backoff when Redis goes away.
pub(super) async fn forward_events(
    client: Client,
    channel: String,
    events: broadcast::Sender<JobEvent>,
    mut subscribed: Option<tokio::sync::oneshot::Sender<()>>,
) {
    use futures::StreamExt;
    let mut delay = Duration::from_millis(100);
    loop {
        match client.get_async_pubsub().await {
            Ok(mut pubsub) => {
                if pubsub.subscribe(&channel).await.is_ok() {
                    delay = Duration::from_millis(100);
                    if let Some(tx) = subscribed.take() {
                        let _ = tx.send(());
                    }
                    let mut stream = pubsub.into_on_message();
                    while let Some(msg) = stream.next().await {
                        let Ok(payload) = msg.get_payload::<String>() else {
                            continue;
                        };
                        match serde_json::from_str::<WireEvents>(&payload) {
                            Ok(WireEvents::One(event)) => {
                                let _ = events.send(event.into_event());
                            }
                            Ok(WireEvents::Many(many)) => {
                                for event in many {
                                    let _ = events.send(event.into_event());
                                }
                            }
                            Err(e) => tracing::warn!(error = %e, "unreadable job event"),
                        }
                    }
                }
                tracing::warn!("lost the Redis event subscription; reconnecting");
            }
            Err(e) => tracing::warn!(error = %e, "cannot subscribe to Redis events; retrying"),
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(10));
    }
}
