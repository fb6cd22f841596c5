//! `assemble`: a course's jobs planned (`classkit_generate::plan`), checked against budgets and
//! engines, queued and watched until done.

use super::*;
use crate::Result;

/// A month's budget and spending.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetStatus {
    pub month: String,
    pub limit_micros: Option<i64>,
    pub spent_micros: i64,
}

impl App {
    /// The engines of this library (built on first use).
    pub fn generation(&self) -> Result<Arc<Generation>> {
        if let Some(g) = self.generation.get() {
            return Ok(g.clone());
        }
        let built = Arc::new(for_library(self.store().dir(), self.key_lookup())?);
        Ok(self.generation.get_or_init(|| built).clone())
    }

    /// Uses the engines of `file` rather than the library's `engines.toml`, from now on.
    /// Must come before anything is generated.
    pub fn use_engines_file(&self, file: &std::path::Path) -> Result<()> {
        if !file.is_file() {
            return Err(AppError::EnginesConfig(format!(
                "{} is not a file",
                file.display()
            )));
        }
        let built = Arc::new(with_config_file(
            self.store().dir(),
            file,
            self.key_lookup(),
        )?);
        self.generation.set(built).map_err(|_| {
            AppError::EnginesConfig(
                "the engines are already in use; choose the engines file first".into(),
            )
        })
    }

    /// Dispatches the jobs that make a course's slide images and narration, runs them on
    /// bundled workers and waits for them. Outputs already made from the same input are
    /// left as they are (unless `no_cache`), so running it again does nothing new.
    pub async fn assemble(
        &self,
        course_id: Uuid,
        options: &AssembleOptions,
        mut progress: impl FnMut(AssembleProgress),
    ) -> Result<AssembleReport> {
        let started = Instant::now();
        let started_at = chrono::Utc::now();
        let (planned, mut report) = self.prepare(course_id, options).await?;
        report.jobs = planned.len();
        // The slide each job is for (a follow-up is for its job's slide), to count the
        // slides whose jobs are all done.
        let slide_of_spec = |spec: &classkit_jobs::JobSpec| {
            spec.input["slide_id"]
                .as_str()
                .and_then(|s| s.parse::<Uuid>().ok())
                .or(spec.target)
        };
        let planned_slides: Vec<Option<Uuid>> = planned.iter().map(slide_of_spec).collect();
        let busy_slides = |slide_of: &std::collections::HashMap<Uuid, Option<Uuid>>,
                           pending: &[Uuid]| {
            pending
                .iter()
                .filter_map(|id| slide_of.get(id).copied().flatten())
                .collect::<std::collections::HashSet<_>>()
                .len()
        };
        progress(AssembleProgress {
            done: 0,
            total: planned.len(),
            slides_done: report.slides.saturating_sub(
                planned_slides
                    .iter()
                    .flatten()
                    .collect::<std::collections::HashSet<_>>()
                    .len(),
            ),
            slides: report.slides,
        });
        let mut finished = Vec::with_capacity(planned.len());
        if !planned.is_empty() {
            // The workers' own queue: jobs are queued, run and watched on one connection pool.
            let workers = self.start_bundled_workers(options.concurrency).await?;
            let queue = self.queue().await?;
            let mut pending = enqueue_planned(&*queue, planned).await?;
            let mut slide_of: std::collections::HashMap<Uuid, Option<Uuid>> =
                pending.iter().copied().zip(planned_slides).collect();
            let mut followed = std::collections::HashSet::new();
            while !pending.is_empty() {
                tokio::time::sleep(Duration::from_millis(100)).await;
                let mut still = Vec::with_capacity(pending.len());
                let mut blocked = workers.stalled(self.store().dir());
                for id in pending {
                    let job = queue.get(id).await?;
                    if blocked.is_none() {
                        blocked = crate::jobs::disk_full_since(&job, started_at);
                    }
                    if matches!(
                        job.state,
                        JobState::Succeeded | JobState::Dead | JobState::Cancelled
                    ) {
                        // Work the job queued in turn (reference audio, a new render).
                        if let Some(next) = job
                            .result
                            .as_ref()
                            .and_then(|r| r["follow_up"].as_str())
                            .and_then(|id| id.parse::<Uuid>().ok())
                            && followed.insert(next)
                        {
                            still.push(next);
                            let slide = slide_of.get(&id).copied().flatten();
                            slide_of.insert(next, slide);
                            report.jobs += 1;
                            report.follow_ups += 1;
                        }
                        finished.push(job);
                    } else {
                        still.push(id);
                    }
                }
                pending = still;
                progress(AssembleProgress {
                    done: finished.len(),
                    total: report.jobs,
                    slides_done: report
                        .slides
                        .saturating_sub(busy_slides(&slide_of, &pending)),
                    slides: report.slides,
                });
                if let Some(error) = blocked {
                    // No job can finish until someone frees space (or the queue comes
                    // back): stop waiting and say so. What is done stays done, and the
                    // next assembly takes up the jobs left in the queue.
                    workers.stop().await;
                    return Err(error);
                }
            }
            workers.stop().await;
        }
        // Every paid run of these jobs, failed ones and earlier attempts included.
        let ids: Vec<Uuid> = finished.iter().map(|j| j.id).collect();
        report.cost_micros = self.store().spent_by_jobs(&ids).await?;
        for job in finished {
            match job.state {
                JobState::Succeeded => {
                    report.succeeded += 1;
                    let result = job.result.as_ref();
                    if result.and_then(|r| r["cached"].as_bool()) == Some(true) {
                        report.cache_hits += 1;
                    }
                    if result.and_then(|r| r["drafted"].as_bool()) == Some(true) {
                        report.components_drafted += 1;
                    }
                }
                _ => report.failed.push(AssembleFailure {
                    slide_id: job.target.unwrap_or_default(),
                    kind: job.kind.clone(),
                    error: job
                        .last_error
                        .map(|e| e.message)
                        .unwrap_or_else(|| job.state.to_string()),
                }),
            }
        }
        for g in self.store().generated_for_course(course_id).await? {
            match g.kind.as_str() {
                NARRATION => {
                    report.narration_seconds += g.duration_ms.unwrap_or_default() as f64 / 1000.0
                }
                SLIDE_RENDER => report.pages += 1,
                _ => {}
            }
        }
        report.elapsed_seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// The jobs a course (or one lesson or slide of it) still needs, planned, with their
    /// engines checked and the budgets applied, before anything is queued: the steps
    /// [`App::assemble`] and [`App::dispatch`] share.
    async fn prepare(
        &self,
        course_id: Uuid,
        options: &AssembleOptions,
    ) -> Result<(Vec<JobSpec>, AssembleReport)> {
        let tree = self.store().course_tree(course_id).await?;
        let generation = self.generation()?;
        let mut report = AssembleReport {
            course_id,
            ..AssembleReport::default()
        };
        let workspace = LocalWorkspace::new(self.store.clone());
        let planned = plan(&workspace, &tree, &generation, options, &mut report).await?;
        if report.slides == 0 && options.scope != Scope::Course {
            return Err(AppError::Invalid(format!(
                "nothing of course {course_id} is in {:?}",
                options.scope
            )));
        }
        let mut engines: Vec<&str> = planned.iter().filter_map(|j| j.engine.as_deref()).collect();
        engines.extend(options.speech_engine.as_deref());
        generation.probe(&engines).await?;
        self.check_budgets(&tree, report.estimated_cost_micros)
            .await?;
        Ok((planned, report))
    }

    /// Plans the generation a course (or one lesson or slide of it) still needs and queues
    /// it on the app's queue without waiting: the job tray follows it.
    pub async fn dispatch(&self, course_id: Uuid, options: &AssembleOptions) -> Result<Dispatched> {
        let (planned, report) = self.prepare(course_id, options).await?;
        let jobs = enqueue_planned(&*self.queue().await?, planned).await?;
        Ok(Dispatched {
            course_id,
            scope: options.scope,
            slides: report.slides,
            up_to_date: report.up_to_date,
            jobs,
            estimated_cost_micros: report.estimated_cost_micros,
        })
    }

    /// Refuses work whose estimate would take the course or the library over this month's
    /// budget.
    pub(crate) async fn check_budgets(&self, tree: &CourseTree, estimate: i64) -> Result<()> {
        self.check_budget_scopes(
            vec![
                (
                    BudgetScope::Course(tree.course.id),
                    format!("the course \"{}\"", tree.course.title),
                ),
                (BudgetScope::Library, "the library".to_string()),
            ],
            estimate,
        )
        .await
    }

    /// Refuses work whose estimate would take the library over this month's budget.
    pub(crate) async fn check_library_budget(&self, estimate: i64) -> Result<()> {
        self.check_budget_scopes(
            vec![(BudgetScope::Library, "the library".to_string())],
            estimate,
        )
        .await
    }

    async fn check_budget_scopes(
        &self,
        scopes: Vec<(BudgetScope, String)>,
        estimate: i64,
    ) -> Result<()> {
        if estimate <= 0 {
            return Ok(());
        }
        let month = classkit_store::month_of(classkit_store::now());
        for (scope, name) in scopes {
            if let Some(limit) = self.store().budget(scope).await? {
                let spent = self.store().spent(&month, scope).await?;
                if spent + estimate > limit {
                    return Err(AppError::BudgetExceeded {
                        scope: name,
                        month,
                        estimate_micros: estimate,
                        spent_micros: spent,
                        limit_micros: limit,
                    });
                }
            }
        }
        Ok(())
    }

    /// Sets (or with `None` removes) the monthly budget of the library or a course, in US
    /// dollars.
    pub async fn set_budget(&self, scope: BudgetScope, dollars: Option<f64>) -> Result<()> {
        let micros = match dollars {
            Some(d) if d.is_finite() && (0.0..1e9).contains(&d) => {
                Some((d * 1_000_000.0).round() as i64)
            }
            Some(d) => {
                return Err(AppError::InvalidBudget(format!(
                    "a budget is a number of US dollars from 0 to 1,000,000,000, not {d}"
                )));
            }
            None => None,
        };
        if let BudgetScope::Course(id) = scope
            && !self.store().course_exists(id).await?
        {
            return Err(StoreError::NotFound {
                kind: "course",
                id: id.to_string(),
            }
            .into());
        }
        self.store().set_budget(scope, micros).await?;
        Ok(())
    }

    /// This month's budget and spending of the library, or of a course.
    pub async fn budget_status(&self, scope: BudgetScope) -> Result<BudgetStatus> {
        let month = classkit_store::month_of(classkit_store::now());
        Ok(BudgetStatus {
            limit_micros: self.store().budget(scope).await?,
            spent_micros: self.store().spent(&month, scope).await?,
            month,
        })
    }
}
