//! Listing jobs: newest first, by walking the most selective index sorted set a page at a
//! time (several of them merged by queue order) and keeping the jobs that match the filter.

use super::RedisQueue;
use super::codec::job_from_hash;
use crate::job::{Job, JobFilter, JobState};
use crate::queue::QueueResult;
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use std::collections::HashMap;

/// Ids per page when listing.
const LIST_PAGE: usize = 200;

/// Newest-first paging through one index (a sorted set scored by queue order).
struct IndexWalk {
    key: String,
    buffer: std::collections::VecDeque<(String, f64)>,
    next: isize,
    done: bool,
}

impl IndexWalk {
    fn new(key: String) -> Self {
        Self {
            key,
            buffer: Default::default(),
            next: 0,
            done: false,
        }
    }

    /// A walk over entries already read (newest first).
    fn exhausted(entries: Vec<(String, f64)>) -> Self {
        Self {
            key: String::new(),
            buffer: entries.into(),
            next: 0,
            done: true,
        }
    }

    /// The score of the next id, reading another page when needed.
    async fn peek(&mut self, conn: &mut ConnectionManager) -> QueueResult<Option<f64>> {
        if self.buffer.is_empty() && !self.done {
            let page: Vec<(String, f64)> = conn
                .zrevrange_withscores(&self.key, self.next, self.next + LIST_PAGE as isize - 1)
                .await?;
            self.done = page.len() < LIST_PAGE;
            self.next += page.len() as isize;
            self.buffer.extend(page);
        }
        Ok(self.buffer.front().map(|e| e.1))
    }

    fn pop(&mut self) -> Option<String> {
        self.buffer.pop_front().map(|e| e.0)
    }
}

impl RedisQueue {
    /// The jobs that match `filter`, newest first (at most `filter.limit`, default 100).
    pub(super) async fn list_jobs(&self, filter: &JobFilter) -> QueueResult<Vec<Job>> {
        let limit = filter.limit.unwrap_or(100);
        let keep = |job: &Job| {
            filter.state.is_none_or(|s| job.state == s)
                && filter.kind.as_ref().is_none_or(|k| &job.kind == k)
                && filter.target.is_none_or(|t| job.target == Some(t))
        };
        // Walk the most selective index, newest first, and keep what matches the rest.
        let mut sources = match (&filter.target, &filter.state) {
            (Some(t), _) => vec![IndexWalk::new(self.key(&format!("target:{t}")))],
            (None, Some(JobState::Running)) => vec![self.running_walk().await?],
            (None, Some(s)) => vec![IndexWalk::new(self.state_index(*s))],
            (None, None) => {
                let mut all = vec![self.running_walk().await?];
                for state in JobState::ALL
                    .into_iter()
                    .filter(|s| *s != JobState::Running)
                {
                    all.push(IndexWalk::new(self.state_index(state)));
                }
                all
            }
        };
        let mut jobs = Vec::new();
        let mut conn = self.conn.clone();
        while jobs.len() < limit {
            // The next page of ids, newest first over all sources.
            let mut ids = Vec::with_capacity(LIST_PAGE);
            while ids.len() < LIST_PAGE {
                let mut best: Option<(usize, f64)> = None;
                for (i, source) in sources.iter_mut().enumerate() {
                    if let Some(seq) = source.peek(&mut conn).await?
                        && best.is_none_or(|(_, b)| seq > b)
                    {
                        best = Some((i, seq));
                    }
                }
                let Some((i, _)) = best else { break };
                ids.extend(sources[i].pop());
            }
            if ids.is_empty() {
                break;
            }
            let mut pipe = redis::pipe();
            for id in &ids {
                pipe.hgetall(self.key(&format!("job:{id}")));
            }
            let maps: Vec<HashMap<String, String>> = pipe.query_async(&mut conn).await?;
            for (id, mut map) in ids.into_iter().zip(maps).filter(|(_, m)| !m.is_empty()) {
                map.insert("id".into(), id);
                let job = job_from_hash(&map)?;
                if keep(&job) && jobs.len() < limit {
                    jobs.push(job);
                }
            }
        }
        Ok(jobs)
    }

    /// The running jobs (a few per worker), ordered like the other indexes: by queue order.
    async fn running_walk(&self) -> QueueResult<IndexWalk> {
        let mut conn = self.conn.clone();
        let ids: Vec<String> = conn.zrange(self.key("leases"), 0, -1).await?;
        if ids.is_empty() {
            return Ok(IndexWalk::exhausted(Vec::new()));
        }
        let mut pipe = redis::pipe();
        for id in &ids {
            pipe.hget(self.key(&format!("job:{id}")), "seq");
        }
        let seqs: Vec<Option<f64>> = pipe.query_async(&mut conn).await?;
        let mut entries: Vec<(String, f64)> = ids
            .into_iter()
            .zip(seqs)
            .filter_map(|(id, seq)| Some((id, seq?)))
            .collect();
        entries.sort_by(|a, b| b.1.total_cmp(&a.1));
        Ok(IndexWalk::exhausted(entries))
    }
}
