//! Printing results as text for people or as JSON for programs.

use classkit_app::{AppError, BundleExport, BundleImport, ImportSummary, WireError};
use classkit_model::{ComponentType, CourseTree, ErrorCode, Grade, ValidationIssue};
use classkit_store::{CourseSummary, Restored, Revision, TreeChange};
use serde::Serialize;
use serde_json::json;
use std::process::ExitCode;

/// Where results go and in which form.
pub struct Output {
    json: bool,
}

pub(crate) fn print_json(value: &impl Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: cannot print the result as JSON: {e}"),
    }
}

/// `text` safe to print on one line: line breaks, other control characters and the
/// characters that reorder text (bidi controls) are shown escaped, so a file name or title
/// cannot print a line of its own (a fake `error:`) or disguise itself.
pub(crate) fn line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&c.escape_unicode().to_string())
            }
            c => out.push(c),
        }
    }
    out
}

/// An error with its causes, each said once: a cause whose words the message already holds
/// (most errors name their cause in their own message) is not repeated.
fn chain(error: &anyhow::Error) -> String {
    let mut text = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text = format!("{text}: {cause}");
        }
    }
    text
}

/// Multi-line text with each line made safe as by [`line`].
fn lines(text: &str) -> String {
    text.lines().map(line).collect::<Vec<_>>().join("\n")
}

/// What to type about an error of the app, on the command line.
fn hint(error: &AppError) -> Option<&'static str> {
    match error {
        AppError::LibraryNotFound(_) => Some(
            "pass --library with the folder of an existing library, or import a lecture to start one there",
        ),
        AppError::BundleCourseExists { .. } => Some("add --as-copy to import it as a new copy"),
        _ => None,
    }
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// Whether results are printed as JSON.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Reports a failure on stderr and gives the exit code (2). The message is the app's;
    /// what to type about it is the command line's own hint.
    pub fn fail(&self, error: &anyhow::Error) -> ExitCode {
        let app = crate::app_error(error);
        let hint = app.and_then(hint);
        if self.json {
            let cli = error
                .chain()
                .find_map(|c| c.downcast_ref::<crate::CliError>());
            let queue = error
                .chain()
                .find_map(|c| c.downcast_ref::<classkit_jobs::QueueError>());
            let mut wire = match (app, cli, queue) {
                (Some(e), _, _) => e.to_wire(),
                (None, Some(e), _) => WireError::new(e.code, e.message.clone()),
                (None, None, Some(e)) => WireError::new(e.code(), e.to_string()),
                (None, None, None) => WireError::new(ErrorCode::Internal, chain(error)),
            };
            if let Some(hint) = hint {
                wire.message = format!("{} ({hint})", wire.message);
            }
            eprintln!("{}", serde_json::to_value(wire).unwrap_or_default());
        } else {
            eprintln!("error: {}", line(&chain(error)));
            if let Some(issues) = app.and_then(|e| e.issues()) {
                for issue in issues {
                    eprintln!("  {}", line(&issue.to_string()));
                }
            }
            if let Some(hint) = hint {
                eprintln!("hint: {hint}");
            }
        }
        ExitCode::from(2)
    }

    pub fn import_summary(&self, s: &ImportSummary) {
        if self.json {
            return print_json(s);
        }
        println!(
            "Imported \"{}\"{}: {} lessons, {} slides.",
            line(&s.title),
            s.language
                .as_deref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default(),
            s.lessons,
            s.slides
        );
        println!("course id: {}", s.course_id);
    }

    pub fn courses(&self, courses: &[CourseSummary]) {
        if self.json {
            return print_json(&courses);
        }
        if courses.is_empty() {
            println!(
                "The library has no courses yet. Import a lecture with `classkit import FILE`."
            );
        }
        for c in courses {
            println!(
                "{}  {}  ({} lessons, {} slides, {} components)",
                c.course.id,
                line(&c.course.title),
                c.lessons,
                c.slides,
                c.components
            );
        }
    }

    pub fn course(&self, tree: &CourseTree) {
        if self.json {
            return print_json(tree);
        }
        let c = &tree.course;
        let title = line(&c.title);
        println!("{title}");
        println!("{}", "=".repeat(title.chars().count().min(100)));
        println!(
            "id {}  ·  language {}  ·  {} lessons, {} slides, {} components",
            c.id,
            c.language.as_deref().unwrap_or("unknown"),
            tree.lessons.len(),
            tree.slide_count(),
            tree.component_count()
        );
        for (i, l) in tree.lessons.iter().enumerate() {
            println!("\n{}. {}", i + 1, line(&l.lesson.title));
            for (j, s) in l.slides.iter().enumerate() {
                let slide = &s.slide;
                println!(
                    "\n   {}.{} {}  [{}]",
                    i + 1,
                    j + 1,
                    line(&slide.title),
                    slide.layout.as_str()
                );
                println!("        slide {}", slide.id);
                if !slide.body.is_empty() {
                    println!("{}", indent(&lines(&slide.body), "        │ "));
                }
                if !slide.speaker_notes.is_empty() {
                    println!("        narration:");
                    println!("{}", indent(&lines(&slide.speaker_notes), "          "));
                }
                if !slide.instructor_notes.is_empty() {
                    println!("        instructor notes:");
                    println!("{}", indent(&lines(&slide.instructor_notes), "          "));
                }
                for comp in &s.components {
                    println!(
                        "        ▸ {} ({}) {}",
                        comp.component_type,
                        comp.status.as_str(),
                        comp.id
                    );
                }
            }
        }
    }

    pub fn component(&self, view: &classkit_app::ComponentView) {
        if self.json {
            return print_json(view);
        }
        let (c, issues) = (&view.component, &view.issues);
        if view.moved_to_draft {
            println!("The edit breaks a rule, so the component is a draft again.");
        }
        println!(
            "{} {} ({}, version {}) on slide {}",
            c.component_type,
            c.id,
            c.status.as_str(),
            c.version,
            c.slide_id
        );
        if issues.is_empty() {
            println!("The payload is valid.");
        } else {
            println!(
                "{} problem(s) to fix before it can be marked ready:",
                issues.len()
            );
            for issue in issues {
                println!("  {}", line(&issue.to_string()));
            }
        }
    }

    pub fn validation(&self, t: ComponentType, issues: &[ValidationIssue]) {
        if self.json {
            return print_json(
                &json!({"component_type": t, "valid": issues.is_empty(), "issues": issues}),
            );
        }
        if issues.is_empty() {
            println!("The {t} payload is valid.");
        } else {
            println!("The {t} payload has {} problem(s):", issues.len());
            for issue in issues {
                println!("  {}", line(&issue.to_string()));
            }
        }
    }

    pub fn schema(&self, t: Option<ComponentType>, response: bool) -> anyhow::Result<()> {
        let schema_of = |t: ComponentType| {
            if response {
                classkit_model::grading::response_schema(t)
            } else {
                Some(t.json_schema())
            }
        };
        match t {
            Some(t) => match schema_of(t) {
                Some(s) => print_json(&s),
                None => {
                    return Err(crate::cli_error(
                        ErrorCode::NotGraded,
                        format!("{t} components are not graded, so they have no response"),
                    ));
                }
            },
            None => {
                let all: serde_json::Map<String, serde_json::Value> = ComponentType::ALL
                    .into_iter()
                    .filter_map(|t| schema_of(t).map(|s| (t.as_str().to_string(), s)))
                    .collect();
                print_json(&all);
            }
        }
        Ok(())
    }

    pub fn grade(&self, g: &Grade) {
        if self.json {
            return print_json(g);
        }
        println!("Score {} of {}", g.score, g.max_score);
        for item in &g.items {
            println!(
                "  {}: {:?} {}/{} {}",
                line(&item.pointer),
                item.outcome,
                item.score,
                item.max_score,
                line(&item.feedback.join(" "))
            );
        }
    }

    pub fn history(&self, revisions: &[Revision]) {
        if self.json {
            return print_json(&revisions);
        }
        println!("{} {}", revisions[0].entity_type, revisions[0].entity_id);
        for r in revisions {
            println!(
                "  version {:>3}  {}  {}",
                r.version,
                r.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
                r.change
            );
        }
    }

    pub fn restored(&self, r: &Restored) {
        if self.json {
            return print_json(r);
        }
        match r {
            Restored::Slide(s) => {
                println!("Slide {} restored; it is now version {}.", s.id, s.version)
            }
            Restored::Component(c) => println!(
                "Component {} restored; it is now version {} ({}).",
                c.id,
                c.version,
                c.status.as_str()
            ),
        }
    }

    pub fn jobs(&self, jobs: &[classkit_jobs::Job], counts: &classkit_jobs::StateCounts) {
        if self.json {
            return print_json(&json!({"jobs": jobs, "counts": counts}));
        }
        println!(
            "queued {}  running {}  retry_wait {}  dead {}  succeeded {}  cancelled {}",
            counts.queued,
            counts.running,
            counts.retry_wait,
            counts.dead,
            counts.succeeded,
            counts.cancelled
        );
        for j in jobs {
            let note = match (&j.last_error, j.state) {
                (Some(e), classkit_jobs::JobState::RetryWait | classkit_jobs::JobState::Dead) => {
                    e.message.clone()
                }
                _ => j.progress_message.clone(),
            };
            println!(
                "{}  {:<15} {:<10} attempt {}/{}  {}%  {}",
                j.id,
                j.kind,
                j.state.as_str(),
                j.attempts,
                j.max_attempts,
                j.progress,
                line(&note)
            );
        }
    }

    pub fn job(&self, job: &classkit_jobs::Job) {
        // One job in full reads best as JSON either way.
        print_json(job);
    }

    pub fn check(&self, check: &classkit_app::jobs::WorkerCheck) {
        if self.json {
            return print_json(check);
        }
        println!(
            "{} check jobs ran in {:.2} s on {} worker(s): {}",
            check.jobs,
            check.seconds,
            check.workers.len(),
            check.workers.join(", ")
        );
    }

    pub fn deleted(&self, id: uuid::Uuid) {
        if self.json {
            return print_json(&json!({"deleted": id}));
        }
        println!("Deleted course {id}.");
    }

    /// A progress bar on stderr, hidden with `--json` or when stderr is not a terminal.
    /// An assembly's progress on a terminal (hidden elsewhere, and with `--json`): slides
    /// done, jobs done, the time gone and the time left.
    pub fn assembly_bar(&self) -> indicatif::ProgressBar {
        if self.json {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{prefix} {bar:30} {pos}/{len} jobs · {elapsed} · about {eta} left",
        ) {
            bar.set_style(style);
        }
        bar
    }

    /// Shows an assembly's progress on its bar.
    pub fn assembly_progress(
        bar: &indicatif::ProgressBar,
        p: &classkit_app::generate::AssembleProgress,
    ) {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
        if p.slides_done > 0 || p.done == 0 {
            bar.set_prefix(format!("slides {}/{}", p.slides_done, p.slides));
        } else {
            bar.set_prefix(format!("{} slides", p.slides));
        }
    }

    pub fn assembled(
        &self,
        r: &classkit_app::generate::AssembleReport,
        library: &std::path::Path,
        written: Option<&(Vec<std::path::PathBuf>, std::path::PathBuf)>,
    ) {
        if self.json {
            let mut value = serde_json::to_value(r).unwrap_or_default();
            if let Some((files, _)) = written {
                value["files"] = serde_json::json!(files);
            }
            print_json(&value);
            return;
        }
        println!(
            "assembled {} slides in {:.1} s: {} jobs ({} from the cache), {} already up to date, {} failed",
            r.slides,
            r.elapsed_seconds,
            r.jobs,
            r.cache_hits,
            r.up_to_date,
            r.failed.len()
        );
        println!(
            "  {} slide pages, {:.1} s of narration, {} components drafted; cost {} (estimated {})",
            r.pages,
            r.narration_seconds,
            r.components_drafted,
            classkit_engines::price::format_usd(r.cost_micros),
            classkit_engines::price::format_usd(r.estimated_cost_micros)
        );
        for f in &r.failed {
            println!(
                "  failed: {} of slide {}: {}",
                f.kind,
                f.slide_id,
                line(&f.error)
            );
        }
        println!("  stored in the library at {}", library.display());
        if let Some((files, dir)) = written {
            println!("  {} files written to {}", files.len(), dir.display());
        }
    }

    pub fn team_budget(&self, b: &classkit_app::team::TeamBudget) {
        if self.json {
            print_json(b);
            return;
        }
        let usd = classkit_engines::price::format_usd;
        let limit = |l: Option<i64>| l.map_or_else(|| "no budget".to_string(), usd);
        println!(
            "{} on the team's ledger: the team spent {} of {}",
            b.month,
            usd(b.team_spent_micros),
            limit(b.team_limit_micros)
        );
        if let Some(spent) = b.course_spent_micros {
            println!(
                "  this course spent {} of {}",
                usd(spent),
                limit(b.course_limit_micros)
            );
        }
    }

    pub fn spending(&self, r: &classkit_model::generation::SpendingReport) {
        if self.json {
            print_json(r);
            return;
        }
        let usd = classkit_engines::price::format_usd;
        let whose = match (r.ledger.as_str(), r.course_id) {
            ("team", Some(id)) => format!("course {id} on the team's ledger"),
            (_, Some(id)) => format!("course {id} in this library"),
            _ => "this library".to_string(),
        };
        println!("{}: {} spent {}", r.month, whose, usd(r.total_micros));
        if r.lines.is_empty() {
            println!("  nothing was paid for (the builtin engines are free)");
            return;
        }
        for l in &r.lines {
            println!(
                "  {:>12}  {} for {} ({} payment{})",
                usd(l.micros),
                line(&l.engine),
                line(&l.kind),
                l.payments,
                if l.payments == 1 { "" } else { "s" }
            );
        }
    }

    pub fn team_assembled(&self, r: &classkit_app::team::TeamAssembly) {
        if self.json {
            print_json(r);
            return;
        }
        if !r.waited {
            println!(
                "queued {} jobs on the team's workers for {} slides ({} already up to date; estimated {}); follow them with `classkit jobs` or the app",
                r.jobs.len(),
                r.slides,
                r.up_to_date,
                classkit_engines::price::format_usd(r.estimated_cost_micros)
            );
            return;
        }
        println!(
            "assembled {} slides on the team's workers in {:.1} s: {} jobs ({} queued by others), {} already up to date, {} failed",
            r.slides,
            r.elapsed_seconds,
            r.jobs.len(),
            r.follow_ups,
            r.up_to_date,
            r.failed.len()
        );
        println!(
            "  cost {} (estimated {}); the results are synced into this library",
            classkit_engines::price::format_usd(r.cost_micros),
            classkit_engines::price::format_usd(r.estimated_cost_micros)
        );
        for f in &r.failed {
            println!(
                "  failed: {} of slide {}: {}",
                f.kind,
                f.slide_id,
                line(&f.error)
            );
        }
    }

    pub fn simulation(
        &self,
        sim: &classkit_engines::simulate::Simulation,
        chart: Option<&std::path::Path>,
    ) {
        if self.json {
            print_json(sim);
            return;
        }
        print!("{}", sim.table());
        if let Some(path) = chart {
            println!("chart written to {}", path.display());
        }
    }

    pub fn budget(&self, b: &classkit_app::generate::BudgetStatus, course: Option<uuid::Uuid>) {
        if self.json {
            print_json(b);
            return;
        }
        let whose = match course {
            Some(id) => format!("course {id}"),
            None => "library".to_string(),
        };
        let usd = classkit_engines::price::format_usd;
        match b.limit_micros {
            Some(limit) => println!(
                "{whose}, {}: {} spent of {} ({} left)",
                b.month,
                usd(b.spent_micros),
                usd(limit),
                usd((limit - b.spent_micros).max(0))
            ),
            None => println!(
                "{whose}, {}: {} spent, no budget set",
                b.month,
                usd(b.spent_micros)
            ),
        }
    }

    pub fn export(&self, r: &classkit_export::ExportReport) {
        if self.json {
            return print_json(r);
        }
        println!(
            "Wrote {} ({}): {} lessons, {} slides, {} learning components, {} files, {} bytes in {} ms.",
            line(&r.path),
            r.format,
            r.lessons,
            r.slides,
            r.components,
            r.files,
            r.bytes,
            r.elapsed_ms
        );
        if r.scos > 0 {
            println!("SCOs: {}.", r.scos);
        }
        if !r.left_out.is_empty() {
            println!("Left out ({}):", r.left_out.len());
            for l in &r.left_out {
                println!(
                    "  - {} on slide \"{}\" (lesson \"{}\", {}): {}",
                    l.component_type,
                    line(&l.slide),
                    line(&l.lesson),
                    l.component_id,
                    line(&l.reason)
                );
            }
        }
        for note in &r.notes {
            println!("Note: {}", line(note));
        }
    }

    pub fn bundle_export(&self, b: &BundleExport) {
        if self.json {
            return print_json(b);
        }
        println!(
            "Wrote {} ({} bytes, {} assets).",
            line(&b.path),
            b.bytes,
            b.assets
        );
    }

    pub fn bundle_import(&self, b: &BundleImport) {
        if self.json {
            return print_json(b);
        }
        println!(
            "Imported \"{}\"{}: {} lessons, {} slides, {} components, {} files, {} generated outputs.",
            line(&b.title),
            if b.copied { " as a new copy" } else { "" },
            b.lessons,
            b.slides,
            b.components,
            b.assets,
            b.outputs
        );
        println!("course id: {}", b.course_id);
        if b.unused_files > 0 {
            println!(
                "{} file(s) in the bundle that nothing in the course uses were left out.",
                b.unused_files
            );
        }
        for change in &b.changes {
            match change {
                TreeChange::MadeDraft {
                    component_id,
                    component_type,
                    issues,
                } => {
                    println!(
                        "{component_type} {component_id} was ready but breaks today's rules; it is kept as a draft:"
                    );
                    for issue in issues {
                        println!("  {}", line(&issue.to_string()));
                    }
                }
                TreeChange::Upgraded {
                    component_id,
                    component_type,
                    from,
                    to,
                } => println!(
                    "{component_type} {component_id} was upgraded from schema version {from} to {to}."
                ),
            }
        }
    }
}
