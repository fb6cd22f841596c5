//! The Lua scripts (`src/redis/*.lua`, each prefixed with `common.lua`) that make every state
//! change atomic, and how the queue calls them and reads their answers.

use super::RedisQueue;
use super::codec::{corrupt, job_from_value};
use crate::job::{Job, Lease};
use crate::queue::{QueueError, QueueResult};
use redis::{Script, Value};
use std::sync::LazyLock;
use uuid::Uuid;

const COMMON: &str = include_str!("../redis/common.lua");
/// `take`: leases ready jobs to a worker; shared by the dequeue and complete scripts.
const TAKE: &str = include_str!("../redis/take.lua");

fn script(body: &str) -> Script {
    Script::new(&format!("{COMMON}\n{body}"))
}

fn script_taking(body: &str) -> Script {
    Script::new(&format!("{COMMON}\n{TAKE}\n{body}"))
}

pub(super) static ENQUEUE: LazyLock<Script> =
    LazyLock::new(|| script(include_str!("../redis/enqueue.lua")));
pub(super) static DEQUEUE: LazyLock<Script> =
    LazyLock::new(|| script_taking(include_str!("../redis/dequeue.lua")));
pub(super) static HEARTBEAT: LazyLock<Script> =
    LazyLock::new(|| script(include_str!("../redis/heartbeat.lua")));
pub(super) static PROGRESS: LazyLock<Script> =
    LazyLock::new(|| script(include_str!("../redis/progress.lua")));
pub(super) static COMPLETE: LazyLock<Script> =
    LazyLock::new(|| script_taking(include_str!("../redis/complete.lua")));
pub(super) static FAIL: LazyLock<Script> =
    LazyLock::new(|| script(include_str!("../redis/fail.lua")));
pub(super) static RELEASE: LazyLock<Script> =
    LazyLock::new(|| script(include_str!("../redis/release.lua")));
pub(super) static CANCEL: LazyLock<Script> =
    LazyLock::new(|| script(include_str!("../redis/cancel.lua")));
pub(super) static RETRY: LazyLock<Script> =
    LazyLock::new(|| script(include_str!("../redis/retry.lua")));

impl RedisQueue {
    /// Runs a script on a job this worker holds the lease of; `LeaseLost` when it no longer does.
    pub(super) async fn leased_script(
        &self,
        script: &Script,
        lease: &Lease,
        extra: &[String],
    ) -> QueueResult<Value> {
        let mut conn = self.conn.clone();
        let mut call = script.prepare_invoke();
        call.arg(&self.prefix)
            .arg(lease.job.id.to_string())
            .arg(lease.token.to_string());
        for a in extra {
            call.arg(a);
        }
        let value: Value = call.invoke_async(&mut conn).await?;
        if matches!(value, Value::Int(0)) {
            return Err(QueueError::LeaseLost(lease.job.id));
        }
        Ok(value)
    }

    /// Runs the cancel or retry script and reads its `{status, …}` answer.
    pub(super) async fn admin_script(
        &self,
        script: &Script,
        id: Uuid,
        action: &'static str,
    ) -> QueueResult<Job> {
        let mut conn = self.conn.clone();
        let reply: Vec<Value> = script
            .prepare_invoke()
            .arg(&self.prefix)
            .arg(id.to_string())
            .invoke_async(&mut conn)
            .await?;
        let status: String = reply
            .first()
            .map(redis::from_redis_value_ref)
            .transpose()?
            .unwrap_or_default();
        let second = reply.get(1);
        match status.as_str() {
            "ok" => job_from_value(second.ok_or_else(|| corrupt("script reply"))?),
            "not_found" => Err(QueueError::NotFound(id)),
            "wrong_state" => {
                let state: String = second
                    .map(redis::from_redis_value_ref)
                    .transpose()?
                    .unwrap_or_default();
                Err(QueueError::WrongState {
                    id,
                    state: state.parse().map_err(corrupt)?,
                    action,
                })
            }
            "dedup_taken" => {
                let other: String = second
                    .map(redis::from_redis_value_ref)
                    .transpose()?
                    .unwrap_or_default();
                Err(QueueError::InvalidSpec(format!(
                    "job {other} with the same dedup key is already queued or done; use that one"
                )))
            }
            other => Err(corrupt(format!("unexpected script answer {other:?}"))),
        }
    }
}
