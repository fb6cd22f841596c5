//! Waking idle workers: each new job pushes onto the short list `P:signal:<kind>`, and a
//! worker with nothing to do waits in `BLPOP` on the lists of its kinds, on a connection of
//! its own.

use super::RedisQueue;
use redis::AsyncCommands;
use std::time::Duration;

impl RedisQueue {
    /// Waits until a job of one of `kinds` is signalled or `timeout` has passed.
    pub(super) async fn wait_for_signal(&self, kinds: &[String], timeout: Duration) {
        if kinds.is_empty() {
            tokio::time::sleep(timeout).await;
            return;
        }
        let mut guard = self.blocking.lock().await;
        if guard.is_none() {
            let config = redis::AsyncConnectionConfig::new()
                .set_connection_timeout(Some(Duration::from_secs(5)))
                .set_response_timeout(None);
            match self
                .client
                .get_multiplexed_async_connection_with_config(&config)
                .await
            {
                Ok(c) => *guard = Some(c),
                Err(_) => {
                    drop(guard);
                    tokio::time::sleep(timeout.min(Duration::from_secs(1))).await;
                    return;
                }
            }
        }
        let Some(conn) = guard.as_mut() else { return };
        let keys: Vec<String> = kinds
            .iter()
            .map(|k| self.key(&format!("signal:{k}")))
            .collect();
        let result: redis::RedisResult<Option<(String, String)>> =
            conn.blpop(keys, timeout.as_secs_f64().max(0.01)).await;
        if result.is_err() {
            // The connection broke: make a new one next time.
            *guard = None;
        }
    }
}
