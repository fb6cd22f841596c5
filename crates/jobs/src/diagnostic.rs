//! The `diagnostic` job kind: does nothing, or sleeps, or fails or panics on request. It is the
//! load for benchmarks and crash tests and an admin's health check of a worker fleet.

use crate::job::{ErrorClass, JobError};
use crate::worker::{Handler, JobContext, Output};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::time::Duration;

/// The job kind.
pub const KIND: &str = "diagnostic";
/// Longest sleep a diagnostic job may ask for.
pub const MAX_SLEEP: Duration = Duration::from_secs(600);

/// What a diagnostic job does.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosticInput {
    /// Sleep this long (cancellable), reporting progress halfway.
    #[serde(default)]
    pub sleep_ms: u64,
    /// Fail with this error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail: Option<FailPlan>,
    /// Panic (to check that a panicking handler fails only its attempt).
    #[serde(default)]
    pub panic: bool,
}

/// A failure to report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailPlan {
    pub class: ErrorClass,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
    /// Fail only the first this many attempts (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u32>,
}

/// The handler of `diagnostic` jobs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Diagnostic;

#[async_trait]
impl Handler for Diagnostic {
    async fn run(&self, ctx: JobContext) -> Result<Output, JobError> {
        let input: DiagnosticInput = serde_json::from_value(ctx.job.input.clone())
            .map_err(|e| JobError::permanent(format!("diagnostic input is not valid: {e}")))?;
        let sleep = Duration::from_millis(input.sleep_ms);
        if sleep > MAX_SLEEP {
            return Err(JobError::permanent(format!(
                "a diagnostic job sleeps at most {} s",
                MAX_SLEEP.as_secs()
            )));
        }
        if !sleep.is_zero() {
            tokio::select! {
                _ = tokio::time::sleep(sleep / 2) => {}
                _ = ctx.cancelled() => return Err(JobError::retryable("cancelled")),
            }
            ctx.progress(50, "halfway").await;
            tokio::select! {
                _ = tokio::time::sleep(sleep - sleep / 2) => {}
                _ = ctx.cancelled() => return Err(JobError::retryable("cancelled")),
            }
        }
        if input.panic {
            panic!("diagnostic job {} asked to panic", ctx.job.id);
        }
        if let Some(plan) = input.fail
            && plan.attempts.is_none_or(|n| ctx.job.attempts <= n)
        {
            return Err(JobError {
                class: plan.class,
                message: plan.message,
                retry_after_ms: plan.retry_after_ms,
                cause: None,
            });
        }
        Ok(Output::new(json!({
            "worker": ctx.worker_id,
            "attempt": ctx.job.attempts,
            "slept_ms": input.sleep_ms,
        })))
    }
}
