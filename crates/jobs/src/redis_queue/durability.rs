//! The Redis settings a queue depends on to keep what it accepted (`appendonly`,
//! `appendfsync`, `maxmemory-policy`), checked for an admin.

use super::RedisQueue;
use crate::queue::QueueResult;

impl RedisQueue {
    /// Settings of this Redis that put accepted jobs at risk, described for an admin.
    pub async fn durability_warnings(&self) -> QueueResult<Vec<String>> {
        let mut conn = self.conn.clone();
        let mut get = async |name: &str| -> QueueResult<String> {
            let pair: Vec<String> = redis::cmd("CONFIG")
                .arg("GET")
                .arg(name)
                .query_async(&mut conn)
                .await?;
            Ok(pair.get(1).cloned().unwrap_or_default())
        };
        let mut warnings = Vec::new();
        if get("appendonly").await? != "yes" {
            warnings.push(
                "Redis has appendonly off: jobs accepted since the last snapshot are lost if Redis restarts; set appendonly yes".to_string(),
            );
        } else if get("appendfsync").await? == "no" {
            warnings.push("Redis has appendfsync no: set appendfsync everysec so at most a second of jobs can be lost".to_string());
        }
        let policy = get("maxmemory-policy").await?;
        if policy != "noeviction" {
            warnings.push(format!(
                "Redis has maxmemory-policy {policy}: under memory pressure it may evict jobs; set maxmemory-policy noeviction"
            ));
        }
        Ok(warnings)
    }
}
