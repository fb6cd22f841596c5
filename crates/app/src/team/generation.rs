//! Assembling a team course on the team's workers: the server plans and queues, this side
//! follows the course's job events until the work is done, then syncs the results in.

use super::*;
use crate::generate::{AssembleFailure, AssembleOptions, AssembleProgress, Part, Scope};
use classkit_model::generation::SpendingReport;
use classkit_store::BudgetScope;
use classkit_sync::{AssembleRequest, AssembleScope, OutlineRequest, StreamItem, TeamJob};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// What an assembly on the team's workers did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamAssembly {
    pub course_id: Uuid,
    pub slides: usize,
    /// Outputs already made from the same input: nothing to do for them.
    pub up_to_date: usize,
    /// The jobs queued, and those they queued in turn.
    pub jobs: Vec<Uuid>,
    /// Of those, queued by other jobs (reference audio, renders after pictures).
    pub follow_ups: usize,
    pub estimated_cost_micros: i64,
    /// False with `--no-wait`: the jobs were queued and are running on the team's workers.
    pub waited: bool,
    pub succeeded: usize,
    pub failed: Vec<AssembleFailure>,
    /// What the finished jobs cost.
    pub cost_micros: i64,
    pub elapsed_seconds: f64,
}

/// An assembly's options as the team server takes them.
pub(super) fn assemble_request(options: &AssembleOptions) -> AssembleRequest {
    AssembleRequest {
        scope: match options.scope {
            Scope::Course => AssembleScope::Course,
            Scope::Lesson(id) => AssembleScope::Lesson(id),
            Scope::Slide(id) => AssembleScope::Slide(id),
        },
        parts: Some(
            options
                .parts
                .iter()
                .map(|p| part_name(*p).to_string())
                .collect(),
        ),
        speech_engine: options.speech_engine.clone(),
        text_engine: options.text_engine.clone(),
        image_engine: options.image_engine.clone(),
        no_cache: options.no_cache,
    }
}

fn part_name(p: Part) -> &'static str {
    match p {
        Part::Narration => "narration",
        Part::Slides => "slides",
        Part::Drafts => "drafts",
        Part::Illustrations => "illustrations",
    }
}

/// True for `YYYY-MM` with a month from 01 to 12.
fn is_month(m: &str) -> bool {
    let b = m.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
        && matches!(m[5..].parse::<u8>(), Ok(1..=12))
}

/// How often the jobs are read again besides the events (an event missed while the stream
/// was reconnecting is caught by this).
const RECHECK: Duration = Duration::from_secs(2);

impl App {
    /// Whether a course is shared with a team (its generation then runs on the team's
    /// workers unless asked to run here).
    pub async fn is_team_course(&self, course: Uuid) -> Result<bool> {
        Ok(self.store.team_link(course).await?.is_some())
    }

    /// This month's budgets and spending of the team and of a team course, from the team's
    /// ledger (what the team's workers spent).
    pub async fn team_budget(&self, course: Uuid) -> Result<TeamBudget> {
        Ok(self.remote_client().await?.budget(course).await?)
    }

    /// Imports a lecture as a new team course outlined by the team's language model
    /// `engine` on the team's workers (with the team's keys): the course is made on the
    /// team server, owned by this library's person, and synced here when the job is done.
    pub async fn import_lecture_outlined_on_team(
        &self,
        path: &std::path::Path,
        title: Option<&str>,
        engine: &str,
    ) -> Result<crate::ImportSummary> {
        let (name, text) = crate::outline::read_lecture(path).await?;
        let remote = self.remote_client().await?;
        let queued = remote
            .outline(&OutlineRequest {
                name,
                text,
                title: title.map(str::to_string),
                engine: engine.to_string(),
            })
            .await?;
        let mut delay = Duration::from_millis(200);
        let job = loop {
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(2));
            match remote.outline_job(queued.job_id).await {
                Ok(job) if job.is_finished() => break job,
                Ok(_) => {}
                // The server restarting: ask again.
                Err(e) if e.is_transient() => {}
                Err(e) => return Err(e.into()),
            }
        };
        if job.state != "succeeded" {
            return Err(AppError::Engines(format!(
                "the team's workers could not outline the lecture: {}",
                job.last_error
                    .as_ref()
                    .and_then(|e| e["message"].as_str())
                    .unwrap_or(&job.state)
            )));
        }
        // The course is on the server: bring it here.
        for outcome in self.sync(None).await? {
            if outcome.course_id == queued.course_id
                && let Some(error) = outcome.error
            {
                return Err(AppError::Invalid(format!(
                    "the lecture was outlined on the team server, but the course could not be synced here yet: {}",
                    error.message
                )));
            }
        }
        let tree = self.store.course_tree(queued.course_id).await?;
        Ok(crate::ImportSummary {
            course_id: tree.course.id,
            title: tree.course.title.clone(),
            language: tree.course.language.clone(),
            lessons: tree.lessons.len(),
            slides: tree.slide_count(),
        })
    }

    /// A month's spending (this month when `month` is `None`) by engine and job kind: for a
    /// team course, from the team's ledger (what its workers paid); otherwise from this
    /// library's, for one course or, without one, the whole library.
    pub async fn spending_report(
        &self,
        course: Option<Uuid>,
        month: Option<&str>,
    ) -> Result<SpendingReport> {
        if let Some(m) = month
            && !is_month(m)
        {
            return Err(AppError::Invalid(format!(
                "month {m:?} is not a month; write it as YYYY-MM, e.g. 2026-12"
            )));
        }
        if let Some(id) = course
            && self.is_team_course(id).await?
        {
            return Ok(self.remote_client().await?.spending(id, month).await?);
        }
        let month = month
            .map(str::to_string)
            .unwrap_or_else(|| classkit_store::month_of(classkit_store::now()));
        let scope = course.map_or(BudgetScope::Library, BudgetScope::Course);
        let lines = self.store.spending_lines(&month, scope).await?;
        Ok(SpendingReport::new(month, course, "library", lines))
    }

    /// Asks the team server to assemble a team course (after syncing this library's edits to
    /// it); with `wait`, follows the course's job events until every job, and every job they
    /// queued, is finished, then syncs the results into this library.
    pub async fn team_assemble(
        &self,
        course: Uuid,
        options: &AssembleOptions,
        wait: bool,
        mut progress: impl FnMut(AssembleProgress),
    ) -> Result<TeamAssembly> {
        let started = Instant::now();
        if self.store.team_link(course).await?.is_none() {
            return Err(AppError::Invalid(format!(
                "course {course} is not shared with a team; share it first, or assemble it here"
            )));
        }
        // The server plans from what it holds: this library's edits go first.
        for outcome in self.sync(Some(course)).await? {
            if let Some(error) = outcome.error {
                return Err(AppError::Invalid(format!(
                    "the course could not be synced before assembling: {}",
                    error.message
                )));
            }
        }
        let remote = self.remote_client().await?;
        let request = assemble_request(options);
        // Listening before dispatching: no event of these jobs is missed.
        let mut events = if wait {
            Some(remote.job_events(course).await?)
        } else {
            None
        };
        let dispatched = remote.assemble(course, &request).await?;
        let mut report = TeamAssembly {
            course_id: course,
            slides: dispatched.slides,
            up_to_date: dispatched.up_to_date,
            jobs: dispatched.jobs.clone(),
            follow_ups: 0,
            estimated_cost_micros: dispatched.estimated_cost_micros,
            waited: wait,
            succeeded: 0,
            failed: Vec::new(),
            cost_micros: 0,
            elapsed_seconds: 0.0,
        };
        if !wait {
            report.elapsed_seconds = started.elapsed().as_secs_f64();
            return Ok(report);
        }
        let mut pending: HashSet<Uuid> = dispatched.jobs.iter().copied().collect();
        let mut finished: HashMap<Uuid, TeamJob> = HashMap::new();
        progress(AssembleProgress {
            done: 0,
            total: report.jobs.len(),
            slides: report.slides,
            ..AssembleProgress::default()
        });
        let mut recheck = tokio::time::interval(RECHECK);
        let mut reconnect_delay = Duration::from_millis(500);
        while !pending.is_empty() {
            // The jobs whose state to read now: those an event says changed, or all of them
            // when it is time to look again.
            let mut look: Vec<Uuid> = Vec::new();
            tokio::select! {
                item = async {
                    match events.as_mut() {
                        Some(e) => e.next().await,
                        None => std::future::pending().await,
                    }
                } => match item {
                    Some(StreamItem::Job(e)) => {
                        if pending.contains(&e.job_id)
                            && matches!(e.state.as_str(), "succeeded" | "dead" | "cancelled")
                        {
                            look.push(e.job_id);
                        }
                    }
                    Some(StreamItem::Lagged) => look.extend(pending.iter().copied()),
                    None => {
                        // The server went away (a restart): listen again, and meanwhile
                        // read the jobs now and then.
                        events = None;
                        tokio::time::sleep(reconnect_delay).await;
                        reconnect_delay = (reconnect_delay * 2).min(Duration::from_secs(10));
                        match remote.job_events(course).await {
                            Ok(stream) => {
                                events = Some(stream);
                                reconnect_delay = Duration::from_millis(500);
                            }
                            Err(e) => tracing::info!(error = %e, "the job events are not back yet"),
                        }
                        look.extend(pending.iter().copied());
                    }
                },
                _ = recheck.tick() => {
                    if events.is_none()
                        && let Ok(stream) = remote.job_events(course).await
                    {
                        events = Some(stream);
                    }
                    look.extend(pending.iter().copied());
                }
            }
            for id in look {
                let job = match remote.job(course, id).await {
                    Ok(job) => job,
                    // The server restarting: read it again at the next look.
                    Err(e) if e.is_transient() => continue,
                    Err(e) => return Err(e.into()),
                };
                if !job.is_finished() {
                    continue;
                }
                pending.remove(&id);
                if let Some(next) = job.follow_up()
                    && !finished.contains_key(&next)
                    && !report.jobs.contains(&next)
                {
                    report.jobs.push(next);
                    report.follow_ups += 1;
                    pending.insert(next);
                }
                finished.insert(id, job);
            }
            progress(AssembleProgress {
                done: finished.len(),
                total: report.jobs.len(),
                slides: report.slides,
                ..AssembleProgress::default()
            });
        }
        for id in &report.jobs {
            let Some(job) = finished.get(id) else {
                continue;
            };
            report.cost_micros += job.actual_cost_micros.unwrap_or_default();
            if job.state == "succeeded" {
                report.succeeded += 1;
            } else {
                report.failed.push(AssembleFailure {
                    slide_id: job.target.unwrap_or_default(),
                    kind: job.kind.clone(),
                    error: job
                        .last_error
                        .as_ref()
                        .and_then(|e| e["message"].as_str())
                        .map(str::to_string)
                        .unwrap_or_else(|| job.state.clone()),
                });
            }
        }
        // The results are on the server: bring them into this library.
        for outcome in self.sync(Some(course)).await? {
            if let Some(error) = outcome.error {
                return Err(AppError::Invalid(format!(
                    "the jobs are done, but their results could not be synced here yet: {}",
                    error.message
                )));
            }
        }
        report.elapsed_seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::is_month;

    #[test]
    fn months_are_yyyy_mm() {
        for good in ["2026-12", "2027-01", "1999-09"] {
            assert!(is_month(good), "{good}");
        }
        for bad in [
            "2026-13",
            "2026-00",
            "2026-1",
            "26-12",
            "2026/12",
            "",
            "2026-12-01",
            "２０２６-12",
        ] {
            assert!(!is_month(bad), "{bad}");
        }
    }
}
