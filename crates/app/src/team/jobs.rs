//! Team jobs in the app: an assembly of a team course dispatched from the app runs on the
//! team's workers (while the server answers; offline, on the bundled workers as before), and
//! the job tray follows the jobs of the team courses the app looks at, whoever dispatched
//! them, live from the server's job events. Cancel and retry of a team job go through the
//! server, which checks the member's role.

use super::*;
use crate::generate::{AssembleOptions, Dispatched};
use crate::jobs::JobView;
use classkit_model::ErrorCode;
use classkit_sync::{StreamItem, TeamJob};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// How many team jobs the app keeps for the tray.
const KEPT: usize = 500;

/// The team jobs the app knows, and who listens for their changes.
#[derive(Debug)]
pub(crate) struct TeamJobs {
    views: std::sync::Mutex<HashMap<Uuid, JobView>>,
    changes: tokio::sync::broadcast::Sender<JobView>,
    /// Courses whose job events are followed.
    watched: std::sync::Mutex<HashSet<Uuid>>,
}

impl Default for TeamJobs {
    fn default() -> Self {
        Self {
            views: Default::default(),
            changes: tokio::sync::broadcast::channel(256).0,
            watched: Default::default(),
        }
    }
}

impl TeamJobs {
    fn put(&self, view: JobView) {
        let mut views = self
            .views
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if views.len() >= KEPT && !views.contains_key(&view.id) {
            // The oldest finished one makes room.
            if let Some(oldest) = views
                .values()
                .filter(|v| v.finished)
                .min_by_key(|v| v.updated_at)
                .map(|v| v.id)
            {
                views.remove(&oldest);
            }
        }
        views.insert(view.id, view.clone());
        drop(views);
        let _ = self.changes.send(view);
    }

    fn get(&self, id: Uuid) -> Option<JobView> {
        self.views
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&id)
            .cloned()
    }

    fn newest(&self, limit: usize) -> Vec<JobView> {
        let mut all: Vec<JobView> = self
            .views
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        all.sort_by_key(|v| std::cmp::Reverse(v.created_at));
        all.truncate(limit);
        all
    }

    /// True when the course was not followed yet (and is now).
    fn follow(&self, course: Uuid) -> bool {
        self.watched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(course)
    }

    fn unfollow(&self, course: Uuid) {
        self.watched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&course);
    }
}

impl App {
    /// Queues the jobs a course (or a lesson or slide of it) still needs without waiting: for
    /// a team course on the team's workers through the server (its edits synced first), or,
    /// when the server cannot be reached, on the bundled workers; for any other course on
    /// the bundled workers. The job tray follows them either way.
    pub async fn dispatch_anywhere(
        &self,
        course_id: Uuid,
        options: &AssembleOptions,
    ) -> Result<Dispatched> {
        if !self.is_team_course(course_id).await? {
            return self.dispatch(course_id, options).await;
        }
        match self.team_dispatch(course_id, options).await? {
            Some(dispatched) => Ok(dispatched),
            None => {
                tracing::info!("the team server is away: assembling on the bundled workers");
                self.dispatch(course_id, options).await
            }
        }
    }

    /// Asks the team server to queue what a team course still needs, and follows the jobs;
    /// `None` when the server cannot be reached.
    async fn team_dispatch(
        &self,
        course: Uuid,
        options: &AssembleOptions,
    ) -> Result<Option<Dispatched>> {
        for outcome in self.sync(Some(course)).await? {
            if let Some(error) = outcome.error {
                if matches!(
                    error.code,
                    ErrorCode::ServerUnreachable | ErrorCode::TlsFailed | ErrorCode::ServerError
                ) {
                    return Ok(None);
                }
                return Err(AppError::Invalid(format!(
                    "the course could not be synced before assembling: {}",
                    error.message
                )));
            }
        }
        let remote = self.remote_client().await?;
        self.follow_team_jobs(course).await?;
        let request = super::generation::assemble_request(options);
        let dispatched = match remote.assemble(course, &request).await {
            Ok(d) => d,
            Err(e) if e.is_transient() => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        for id in &dispatched.jobs {
            if let Ok(job) = remote.job(course, *id).await {
                self.team.jobs.put(JobView::of_team(&job));
            }
        }
        Ok(Some(Dispatched {
            course_id: course,
            scope: options.scope,
            slides: dispatched.slides,
            up_to_date: dispatched.up_to_date,
            jobs: dispatched.jobs,
            estimated_cost_micros: dispatched.estimated_cost_micros,
        }))
    }

    /// Follows the job events of a team course (whoever dispatched the jobs) for the job
    /// tray, from now until the app closes. False for a course not shared with a team.
    pub async fn follow_team_jobs(&self, course: Uuid) -> Result<bool> {
        if !self.is_team_course(course).await? {
            return Ok(false);
        }
        if !self.team.jobs.follow(course) {
            return Ok(true);
        }
        let app = self.clone();
        tokio::spawn(async move {
            let mut delay = Duration::from_millis(500);
            loop {
                let stream = match app.remote_client().await {
                    Ok(remote) => remote.job_events(course).await.map(|s| (remote, s)),
                    Err(e) => {
                        tracing::info!(error = %e, "team jobs are not followed");
                        app.team.jobs.unfollow(course);
                        return;
                    }
                };
                match stream {
                    Ok((remote, mut events)) => {
                        delay = Duration::from_millis(500);
                        while let Some(item) = events.next().await {
                            if let StreamItem::Job(e) = item
                                && let Ok(job) = remote.job(course, e.job_id).await
                            {
                                app.team.jobs.put(JobView::of_team(&job));
                            }
                        }
                    }
                    // Not a member (any more), or the course is gone: stop.
                    Err(RemoteError::Refused {
                        status: 403 | 404, ..
                    }) => {
                        app.team.jobs.unfollow(course);
                        return;
                    }
                    Err(e) => tracing::debug!(error = %e, "the team's job events are away"),
                }
                // The server went away (offline, a restart): listen again later.
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(30));
            }
        });
        Ok(true)
    }

    /// The team jobs the app knows, newest first.
    pub fn team_jobs(&self, limit: usize) -> Vec<JobView> {
        self.team.jobs.newest(limit)
    }

    /// Every change of a team job the app follows, for the job tray.
    pub fn watch_team_jobs(&self) -> tokio::sync::broadcast::Receiver<JobView> {
        self.team.jobs.changes.subscribe()
    }

    /// Cancels or retries a job: a team job through the team server (which checks the
    /// member's role), any other on the app's queue.
    pub async fn act_on_job(&self, id: Uuid, cancel: bool) -> Result<JobView> {
        if let Some(view) = self.team.jobs.get(id)
            && let Some(course) = view.course_id
        {
            let remote = self.remote_client().await?;
            let job: TeamJob = if cancel {
                remote.cancel_job(course, id).await?
            } else {
                remote.retry_job(course, id).await?
            };
            let view = JobView::of_team(&job);
            self.team.jobs.put(view.clone());
            return Ok(view);
        }
        let jobs = self.jobs().await?;
        let job = if cancel {
            jobs.cancel(id).await?
        } else {
            jobs.retry(id).await?
        };
        Ok(JobView::of(&job))
    }
}
