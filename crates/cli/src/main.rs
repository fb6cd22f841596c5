//! `classkit`: headless authoring and administration of a ClassKit Studio library.
//!
//! Every command is one call into `classkit-app`; this file only parses arguments and
//! prints results (as text, or as JSON with `--json`).

/// mimalloc rather than the C library's allocator: syncing builds and drops many small JSON
/// values on every core, where glibc's allocator took about a third of the time (team-bench
/// pushes and pulls are 12 to 15% faster with it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod jobs;
mod output;
mod team;

use clap::{Parser, Subcommand};
use classkit_app::{App, AppError, QueueChoice};
use classkit_model::{ComponentType, ErrorCode};
use output::Output;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use uuid::Uuid;

/// Largest payload or response file read.
const MAX_JSON_FILE: u64 = 16 * 1024 * 1024;

#[derive(Debug, Parser)]
#[command(
    name = "classkit",
    version,
    about = "ClassKit Studio: author lessons from lecture text"
)]
struct Cli {
    /// Library folder (default: the app's data folder).
    #[arg(long, global = true, env = "CLASSKIT_LIBRARY")]
    library: Option<PathBuf>,
    /// Print machine-readable JSON (errors too, as {"code", "message", "details"}).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import a lecture (Markdown or plain text) as a new course.
    Import {
        file: PathBuf,
        /// Course title (default: the lecture's top heading or the file name).
        #[arg(long)]
        title: Option<String>,
        /// Have this language model engine (from engines.toml) outline the lecture into
        /// lessons and slides, instead of splitting it by its headings and paragraphs.
        #[arg(long = "outline-engine")]
        outline_engine: Option<String>,
        /// Outline on the team's workers, with the team's engines and keys: the course is
        /// made on the team server (shared, owned by you) and synced here.
        #[arg(long, requires = "outline_engine")]
        team: bool,
    },
    /// List the courses in the library.
    Courses,
    /// Show a course with its lessons, slides and components.
    Show { course_id: Uuid },
    /// Delete a course and everything in it (its revisions stay in the library).
    Delete { course_id: Uuid },
    /// Add, change or mark learning components.
    #[command(subcommand)]
    Component(ComponentCommand),
    /// Check a payload file; exit 1 and list every problem when it is not valid.
    Validate {
        #[arg(long = "type")]
        component_type: ComponentType,
        /// Payload JSON file (`-` for standard input).
        file: PathBuf,
    },
    /// Print the JSON Schema of a component type's payload (all types without TYPE).
    Schema {
        component_type: Option<ComponentType>,
        /// The schema of the learner's response instead (graded types).
        #[arg(long)]
        response: bool,
    },
    /// Grade a learner response against a payload.
    Grade {
        #[arg(long = "type")]
        component_type: ComponentType,
        #[arg(long)]
        payload: PathBuf,
        #[arg(long)]
        response: PathBuf,
    },
    /// List the saved versions of a slide or component.
    History { id: Uuid },
    /// Bring back an earlier version of a slide or component (as a new version).
    Restore { id: Uuid, revision: i64 },
    /// Export or import portable course bundles.
    #[command(subcommand)]
    Bundle(BundleCommand),
    /// Export a course for learners: the web player (a zip to put on a web host, or to unzip
    /// and open `index.html`), or a SCORM 1.2 or 2004 package for an LMS. Draft components and
    /// components with problems are left out; the report says which and why.
    Export {
        course_id: Uuid,
        /// web, scorm12 or scorm2004.
        #[arg(long, value_parser = parse_format)]
        format: classkit_export::Format,
        /// The zip file to write.
        #[arg(long)]
        out: PathBuf,
        /// The score needed to pass, in percent of the points (0 to 100).
        #[arg(long = "mastery-score", default_value_t = 80.0, value_parser = parse_percent)]
        mastery_score: f64,
        /// SCORM: each lesson its own SCO (score and completion per lesson) instead of one
        /// for the course.
        #[arg(long)]
        sco_per_lesson: bool,
        /// Export components still marked draft too (those with problems never are).
        #[arg(long)]
        include_drafts: bool,
        /// Web player: send xAPI statements to this LRS endpoint (unless the launch address
        /// names one).
        #[arg(long = "xapi-endpoint")]
        xapi_endpoint: Option<String>,
        /// The LRS's `Authorization` header value (`Basic …`).
        #[arg(
            long = "xapi-auth",
            requires = "xapi_endpoint",
            env = "CLASSKIT_XAPI_AUTH",
            hide_env_values = true
        )]
        xapi_auth: Option<String>,
    },
    /// Make a course's slide images, narration and drafts. Unchanged slides are left as they
    /// are. A course shared with a team is assembled on the team's workers (the server plans
    /// and queues; this follows the jobs, then syncs the results in); others here.
    Assemble {
        course_id: Uuid,
        /// For a team course: return once the jobs are queued.
        #[arg(long, conflicts_with = "local")]
        no_wait: bool,
        /// For a team course: run the jobs here, on this library's own workers.
        #[arg(long)]
        local: bool,
        /// What to make (default: slides,narration,drafts,illustrations).
        #[arg(long, value_delimiter = ',', value_parser = parse_part)]
        only: Vec<classkit_app::generate::Part>,
        /// The engines and their prices (default: the library's engines.toml).
        #[arg(long)]
        engines: Option<PathBuf>,
        /// Speech engine id (default: the cheapest good one for each slide's language).
        #[arg(long = "speech-engine")]
        speech_engine: Option<String>,
        /// Text engine id for drafts (default: the builtin extractive one).
        #[arg(long = "text-engine")]
        text_engine: Option<String>,
        /// Image engine id: illustrate image + text slides that have no picture (default:
        /// no illustrations).
        #[arg(long = "image-engine")]
        image_engine: Option<String>,
        /// Make everything again, ignoring the cache.
        #[arg(long)]
        no_cache: bool,
        /// Jobs run at once.
        #[arg(long, default_value_t = 2)]
        concurrency: usize,
        /// Also copy the results into this folder as files (PNG, Ogg Vorbis).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// What generation costs: simulate a teaching load with each combination of engines.
    #[command(subcommand)]
    Cost(CostCommand),
    /// Monthly spending limits on paid engines, for the library or a course.
    #[command(subcommand)]
    Budget(BudgetCommand),
    /// Inspect and repair generation jobs (the library's queue, or the team's with --redis).
    #[command(subcommand)]
    Jobs(jobs::JobsCommand),
    /// Measure things; figures are printed as `name: value unit`.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// The team server this library syncs with.
    #[command(subcommand)]
    Remote(team::RemoteCommand),
    /// Share a course with the team: the server keeps it, and members can open it.
    Share { course_id: Uuid },
    /// Push this library's edits and pull the team's: one course, or every shared course
    /// and every team course you are a member of.
    Sync { course_id: Option<Uuid> },
    /// The members of a team course.
    Members { course_id: Uuid },
    /// Conflicts: where two people changed the same field.
    #[command(subcommand)]
    Conflicts(team::ConflictsCommand),
}

#[derive(Debug, Subcommand)]
enum CostCommand {
    /// What was spent in a month, by engine and job kind: for a team course, from the team's
    /// ledger (what its workers paid); otherwise from this library's.
    Report {
        /// One course (without it: the whole library).
        #[arg(long)]
        course: Option<Uuid>,
        /// The month, as YYYY-MM (default: this month, UTC).
        #[arg(long)]
        month: Option<String>,
    },
    /// Cost per lesson and per month of every combination of engines, and the cheapest one
    /// good enough for a quality tier (the sweet spot).
    Simulate {
        /// A real course of the library as the teaching load.
        #[arg(long, conflicts_with = "profile", required_unless_present = "profile")]
        course: Option<Uuid>,
        /// A traffic profile (TOML: instructors, lessons_per_month, slides_per_lesson, …).
        #[arg(long)]
        profile: Option<PathBuf>,
        /// The engines and their prices (default: the library's engines.toml).
        #[arg(long)]
        engines: Option<PathBuf>,
        /// Only these engine ids.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// The quality tier the sweet spot must reach (1 basic – 5 best).
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=5))]
        quality: u8,
        /// With --course: instructors making such courses.
        #[arg(long, default_value_t = 1.0)]
        instructors: f64,
        /// With --course: extra takes as a share of the first.
        #[arg(long, default_value_t = 0.3)]
        regeneration_rate: f64,
        /// With --course: share of the extra takes the cache answers.
        #[arg(long, default_value_t = 0.5)]
        cache_hit_rate: f64,
        /// Write a chart of cost against quality tier (.svg or .png).
        #[arg(long)]
        chart: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum BudgetCommand {
    /// Set the monthly budget in US dollars (`none` removes it).
    Set {
        /// The course's budget (without it: the whole library's).
        #[arg(long)]
        course: Option<Uuid>,
        /// Dollars a month, or `none`.
        #[arg(long)]
        monthly: String,
    },
    /// This month's budget and spending.
    Show {
        #[arg(long)]
        course: Option<Uuid>,
    },
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Enqueue latency and throughput, and no-op jobs end to end through workers.
    Queue(jobs::BenchQueue),
    /// Adds a large course to the library (for timing the desktop app) and prints its id.
    LargeCourse {
        #[arg(long, default_value_t = 500)]
        slides: usize,
        #[arg(long, default_value_t = 1000)]
        components: usize,
    },
    /// Narration of a long lesson with each speech engine, slide rendering, and a second
    /// assembly against the first (in throwaway libraries).
    Assemble {
        /// The lecture whose slides and notes make up the lesson.
        #[arg(long, default_value = "examples/photosynthesis.md")]
        lecture: PathBuf,
        #[arg(long, default_value_t = 60)]
        slides: usize,
        /// Speech engines to time (those not installed here are refused).
        #[arg(long, value_delimiter = ',', default_value = "espeak,piper")]
        speech_engines: Vec<String>,
        #[arg(long, default_value_t = 2)]
        concurrency: usize,
    },
    /// The offline drafter's score on an evaluation set (lectures beside what an instructor
    /// would accept from them): precision and recall per type and language, for the half it
    /// is developed against (dev) and the half held out.
    Drafting {
        /// The set: `dev/` and `held-out/`, each with NAME.md beside NAME.toml.
        #[arg(long, default_value = "tests/drafting")]
        set: PathBuf,
        /// Also list, to stderr, what an instructor would not keep from the lectures of this
        /// half (dev or held-out), and the key terms they wanted that were not drafted.
        #[arg(long, value_parser = ["dev", "held-out"])]
        show: Option<String>,
    },
    /// Export of a long lesson (assembled with espeak-ng) as the web player and as SCORM 1.2
    /// and 2004 packages: time, size, files, and the player's own code size.
    Export {
        /// The lecture whose slides and notes make up the lesson.
        #[arg(long, default_value = "examples/photosynthesis.md")]
        lecture: PathBuf,
        #[arg(long, default_value_t = 60)]
        slides: usize,
        /// Unzip the web player here (for `scripts/bench-player`, which times its first paint).
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// Time and peak memory of `bundle import` for bundles of many files (each import its
    /// own process into a new library), with and without one large file.
    BundleImport {
        /// Numbers of files to time.
        #[arg(long, value_delimiter = ',', default_value = "500,1000,3000")]
        files: Vec<usize>,
        /// Size of each file in bytes.
        #[arg(long, default_value_t = 8192)]
        file_bytes: usize,
        /// Size of the one large file added to the largest bundle, in MB (0: none).
        #[arg(long, default_value_t = 100)]
        large_mb: usize,
    },
    /// Imports one bundle into the library and prints the process's peak memory (used by
    /// `bench bundle-import`).
    #[command(hide = true)]
    BundleImportOnce { file: PathBuf },
}

#[derive(Debug, Subcommand)]
enum ComponentCommand {
    /// Attach a new draft component to a slide.
    Add {
        #[arg(long)]
        slide: Uuid,
        #[arg(long = "type")]
        component_type: ComponentType,
        /// Payload JSON file (`-` for standard input).
        #[arg(long)]
        payload: PathBuf,
    },
    /// Replace a component's payload.
    Update {
        id: Uuid,
        #[arg(long)]
        payload: PathBuf,
        /// Refuse the update if the component changed since this version.
        #[arg(long)]
        expected_version: Option<i64>,
    },
    /// Mark a component ready for learners (it must be valid).
    Ready { id: Uuid },
    /// Mark a component as a draft again.
    Draft { id: Uuid },
    /// Show a component and the problems its payload has.
    Show { id: Uuid },
}

#[derive(Debug, Subcommand)]
enum BundleCommand {
    /// Write a course and its assets to one file.
    Export {
        course_id: Uuid,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Read a bundle into the library.
    Import {
        file: PathBuf,
        /// When the course is already in the library, store it as a new copy.
        #[arg(long)]
        as_copy: bool,
    },
}

/// An error of the command line itself, with a stable code for `--json` callers.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    pub code: ErrorCode,
    pub message: String,
}

fn cli_error(code: ErrorCode, message: impl Into<String>) -> anyhow::Error {
    CliError {
        code,
        message: message.into(),
    }
    .into()
}

fn main() -> ExitCode {
    // `classkit show … | head` ends quietly when `head` has read enough, as other tools do.
    sigpipe::reset();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let json = std::env::args().any(|a| a == "--json");
            if json && !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let wire = serde_json::json!({
                    "code": ErrorCode::InvalidArguments,
                    "message": e.to_string().trim(),
                    "details": null
                });
                eprintln!("{wire}");
                return ExitCode::from(2);
            }
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (2).
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CLASSKIT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let out = Output::new(cli.json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return out.fail(&anyhow::Error::new(e)),
    };
    match runtime.block_on(run(cli, &out)) {
        Ok(code) => code,
        Err(e) => out.fail(&e),
    }
}

fn library_dir(library: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match library {
        Some(dir) => Ok(dir),
        None => classkit_app::default_library_dir().ok_or_else(|| {
            cli_error(
                ErrorCode::LibraryNotFound,
                "no data folder is known for this user; pass --library DIR",
            )
        }),
    }
}

/// Opens the library, creating it when missing (commands that add to it).
async fn open(library: Option<PathBuf>) -> anyhow::Result<App> {
    Ok(App::open(&library_dir(library)?, QueueChoice::Local).await?)
}

/// Opens an existing library (commands that read or change what is there).
async fn open_existing(library: Option<PathBuf>) -> anyhow::Result<App> {
    Ok(App::open_existing(&library_dir(library)?, QueueChoice::Local).await?)
}

async fn read_json(what: &str, path: &Path) -> anyhow::Result<serde_json::Value> {
    let bytes = if path == Path::new("-") {
        use tokio::io::AsyncReadExt;
        let mut bytes = Vec::new();
        tokio::io::stdin()
            .take(MAX_JSON_FILE + 1)
            .read_to_end(&mut bytes)
            .await?;
        bytes
    } else {
        classkit_app::read_limited(path, MAX_JSON_FILE).await?
    };
    if bytes.len() as u64 > MAX_JSON_FILE {
        return Err(cli_error(
            ErrorCode::InputTooLarge,
            format!("{} is larger than {MAX_JSON_FILE} bytes", path.display()),
        ));
    }
    Ok(classkit_app::parse_json(
        &format!("{what} {}", path.display()),
        &bytes,
    )?)
}

async fn run(cli: Cli, out: &Output) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Import {
            file,
            title,
            outline_engine,
            team,
        } => {
            let dir = library_dir(cli.library)?;
            let summary = App::importing(&dir, async |app| match outline_engine {
                Some(engine) if team => {
                    app.import_lecture_outlined_on_team(&file, title.as_deref(), &engine)
                        .await
                }
                Some(engine) => {
                    app.import_lecture_outlined(&file, title.as_deref(), &engine)
                        .await
                }
                None => app.import_lecture_file(&file, title.as_deref()).await,
            })
            .await?;
            out.import_summary(&summary);
        }
        Command::Courses => {
            let app = open_existing(cli.library).await?;
            out.courses(&app.courses().await?);
        }
        Command::Show { course_id } => {
            let app = open_existing(cli.library).await?;
            out.course(&app.course(course_id).await?);
        }
        Command::Delete { course_id } => {
            let app = open_existing(cli.library).await?;
            app.delete_course(course_id).await?;
            out.deleted(course_id);
        }
        Command::Component(command) => {
            let app = open_existing(cli.library).await?;
            let view = match command {
                ComponentCommand::Add {
                    slide,
                    component_type,
                    payload,
                } => {
                    let payload = read_json("payload", &payload).await?;
                    app.add_component(slide, component_type, Some(payload))
                        .await?
                }
                ComponentCommand::Update {
                    id,
                    payload,
                    expected_version,
                } => {
                    let payload = read_json("payload", &payload).await?;
                    app.save_component(id, payload, expected_version).await?
                }
                ComponentCommand::Ready { id } => app.set_ready(id, true).await?,
                ComponentCommand::Draft { id } => app.set_ready(id, false).await?,
                ComponentCommand::Show { id } => app.component(id).await?,
            };
            out.component(&view);
        }
        Command::Validate {
            component_type,
            file,
        } => {
            let payload = read_json("payload", &file).await?;
            let issues = classkit_app::validate_payload(component_type, &payload);
            out.validation(component_type, &issues);
            if !issues.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Schema {
            component_type,
            response,
        } => out.schema(component_type, response)?,
        Command::Grade {
            component_type,
            payload,
            response,
        } => {
            let payload = read_json("payload", &payload).await?;
            let response = read_json("response", &response).await?;
            out.grade(&classkit_app::grade(component_type, &payload, &response)?);
        }
        Command::History { id } => {
            let app = open_existing(cli.library).await?;
            out.history(&app.history(id).await?);
        }
        Command::Restore { id, revision } => {
            let app = open_existing(cli.library).await?;
            out.restored(&app.restore(id, revision).await?);
        }
        Command::Export {
            course_id,
            format,
            out: path,
            mastery_score,
            sco_per_lesson,
            include_drafts,
            xapi_endpoint,
            xapi_auth,
        } => {
            let app = open_existing(cli.library).await?;
            let options = classkit_export::ExportOptions {
                format,
                mastery_score: mastery_score / 100.0,
                sco_layout: if sco_per_lesson {
                    classkit_export::ScoLayout::PerLesson
                } else {
                    classkit_export::ScoLayout::Course
                },
                include_drafts,
                xapi: xapi_endpoint.map(|endpoint| classkit_export::XapiOptions {
                    endpoint,
                    auth: xapi_auth.unwrap_or_default(),
                }),
            };
            out.export(&app.export_course(course_id, &options, &path).await?);
        }
        Command::Bundle(BundleCommand::Export { course_id, output }) => {
            let app = open_existing(cli.library).await?;
            out.bundle_export(&app.export_bundle(course_id, &output).await?);
        }
        Command::Assemble {
            course_id,
            only,
            engines,
            speech_engine,
            text_engine,
            image_engine,
            no_cache,
            concurrency,
            out: folder,
            no_wait,
            local,
        } => {
            let app = open_existing(cli.library).await?;
            if let Some(file) = &engines {
                app.use_engines_file(file)?;
            }
            let team = !local && app.is_team_course(course_id).await?;
            let mut options = classkit_app::generate::AssembleOptions {
                speech_engine,
                text_engine,
                image_engine,
                no_cache,
                concurrency: concurrency.max(1),
                ..Default::default()
            };
            if !only.is_empty() {
                options.parts = only;
            }
            if team {
                let bar = out.assembly_bar();
                let report = app
                    .team_assemble(course_id, &options, !no_wait, |p| {
                        Output::assembly_progress(&bar, &p)
                    })
                    .await?;
                bar.finish_and_clear();
                if let Some(dir) = &folder {
                    app.write_outputs(course_id, dir).await?;
                }
                out.team_assembled(&report);
                if !report.failed.is_empty() {
                    return Ok(ExitCode::from(1));
                }
                return Ok(ExitCode::SUCCESS);
            }
            if no_wait {
                return Err(cli_error(
                    ErrorCode::InvalidArguments,
                    "--no-wait is for a course shared with a team (its jobs run on the team's workers)",
                ));
            }
            let bar = out.assembly_bar();
            let report = app
                .assemble(course_id, &options, |p| Output::assembly_progress(&bar, &p))
                .await?;
            bar.finish_and_clear();
            let written = match folder {
                Some(dir) => Some((app.write_outputs(course_id, &dir).await?, dir)),
                None => None,
            };
            out.assembled(&report, app.dir(), written.as_ref());
            if !report.failed.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Cost(CostCommand::Report { course, month }) => {
            let app = open_existing(cli.library).await?;
            out.spending(&app.spending_report(course, month.as_deref()).await?);
        }
        Command::Cost(CostCommand::Simulate {
            course,
            profile,
            engines,
            only,
            quality,
            instructors,
            regeneration_rate,
            cache_hit_rate,
            chart,
        }) => {
            let load = match (course, profile) {
                (Some(id), _) => classkit_app::cost::Load::Course {
                    id,
                    instructors,
                    regeneration_rate,
                    cache_hit_rate,
                },
                (None, Some(file)) => classkit_app::cost::Load::Profile(file),
                (None, None) => {
                    return Err(cli_error(
                        ErrorCode::InvalidArguments,
                        "give --course or --profile",
                    ));
                }
            };
            let sim = classkit_app::cost::simulate(&classkit_app::cost::CostQuestion {
                library: library_dir(cli.library)?,
                engines,
                load,
                only,
                quality,
                chart: chart.clone(),
            })
            .await?;
            out.simulation(&sim, chart.as_deref());
        }
        Command::Budget(command) => {
            let app = open_existing(cli.library).await?;
            let scope = |course: Option<Uuid>| match course {
                Some(id) => classkit_store::BudgetScope::Course(id),
                None => classkit_store::BudgetScope::Library,
            };
            let course = match command {
                BudgetCommand::Set { course, monthly } => {
                    let dollars = match monthly.trim() {
                        "none" => None,
                        text => {
                            Some(text.trim_start_matches('$').parse::<f64>().map_err(|_| {
                                cli_error(
                                    ErrorCode::InvalidBudget,
                                    format!(
                                        "--monthly {text:?} is not a number of dollars or none"
                                    ),
                                )
                            })?)
                        }
                    };
                    app.set_budget(scope(course), dollars).await?;
                    course
                }
                BudgetCommand::Show { course } => {
                    // A team course's spending is on the team's ledger.
                    if let Some(id) = course
                        && app.is_team_course(id).await?
                    {
                        out.team_budget(&app.team_budget(id).await?);
                        return Ok(ExitCode::SUCCESS);
                    }
                    course
                }
            };
            out.budget(&app.budget_status(scope(course)).await?, course);
        }
        Command::Jobs(command) => {
            let dir = library_dir(cli.library)?;
            jobs::run(&dir, command, out).await?;
        }
        Command::Remote(command @ team::RemoteCommand::Show) => {
            let app = open_existing(cli.library).await?;
            team::remote(&app, command, out).await?;
        }
        Command::Remote(command) => {
            // Setting the team server is a way to start: it makes the library when there is
            // none yet (and leaves nothing behind when it fails).
            let dir = library_dir(cli.library)?;
            App::importing(&dir, async |app: &App| {
                team::remote(app, command, out)
                    .await
                    .map_err(|e| match e.downcast::<AppError>() {
                        Ok(app) => app,
                        Err(other) => AppError::Invalid(other.to_string()),
                    })
            })
            .await?;
        }
        Command::Share { course_id } => {
            let app = open_existing(cli.library).await?;
            if !team::share(&app, course_id, out).await? {
                return Ok(ExitCode::from(2));
            }
        }
        Command::Sync { course_id } => {
            let app = open_existing(cli.library).await?;
            if !team::sync(&app, course_id, out).await? {
                return Ok(ExitCode::from(2));
            }
        }
        Command::Members { course_id } => {
            let app = open_existing(cli.library).await?;
            team::members(&app, course_id, out).await?;
        }
        Command::Conflicts(command) => {
            let app = open_existing(cli.library).await?;
            team::conflicts(&app, command, out).await?;
        }
        Command::Bench(BenchCommand::Queue(args)) => jobs::bench(args).await?,
        Command::Bench(BenchCommand::LargeCourse { slides, components }) => {
            let app = open(cli.library).await?;
            let id = classkit_app::bench::large_course(
                &app,
                slides.clamp(1, 100_000),
                components.min(1_000_000),
            )
            .await?;
            println!("{id}");
        }
        Command::Bench(BenchCommand::Export {
            lecture,
            slides,
            keep,
        }) => {
            let text = read_lecture(&lecture).await?;
            for figure in
                classkit_app::bench::export(&text, slides.clamp(1, 10_000), keep.as_deref()).await?
            {
                println!("{figure}");
            }
        }
        Command::Bench(BenchCommand::Drafting { set, show }) => {
            let lectures = classkit_app::bench::drafting::load_set(&set)?;
            let held_out = lectures.iter().filter(|l| l.split == "held-out").count();
            println!(
                "# {} lectures in {} ({} dev, {held_out} held out); extractive drafter {}",
                lectures.len(),
                set.display(),
                lectures.len() - held_out,
                classkit_engines::drafts::Extractive::VERSION
            );
            let mut notes = Vec::new();
            let figures =
                classkit_app::bench::drafting::figures(&lectures, show.as_deref(), &mut notes);
            for note in notes {
                eprintln!("{note}");
            }
            for f in figures {
                println!("{f}");
            }
        }
        Command::Bench(BenchCommand::Assemble {
            lecture,
            slides,
            speech_engines,
            concurrency,
        }) => {
            let text = read_lecture(&lecture).await?;
            let figures = classkit_app::bench::assemble(
                &text,
                slides.clamp(1, 10_000),
                &speech_engines,
                concurrency.max(1),
            )
            .await?;
            for f in figures {
                println!("{f}");
            }
        }
        Command::Bench(BenchCommand::BundleImport {
            files,
            file_bytes,
            large_mb,
        }) => {
            for figure in bench_bundle_import(&files, file_bytes, large_mb).await? {
                println!("{figure}");
            }
        }
        Command::Bench(BenchCommand::BundleImportOnce { file }) => {
            let app = open(cli.library).await?;
            app.import_bundle(&file, false).await?;
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let peak = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .ok_or_else(|| {
                    cli_error(ErrorCode::Unsupported, "the peak memory is not known here")
                })?;
            println!("{peak}");
        }
        Command::Bundle(BundleCommand::Import { file, as_copy }) => {
            let dir = library_dir(cli.library)?;
            let imported =
                App::importing(&dir, async |app| app.import_bundle(&file, as_copy).await).await?;
            out.bundle_import(&imported);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Makes bundles of `files` files (the largest also with one file of `large_mb` MB) and
/// imports each into a new library in a process of its own: wall time and peak memory.
async fn bench_bundle_import(
    files: &[usize],
    file_bytes: usize,
    large_mb: usize,
) -> anyhow::Result<Vec<classkit_jobs::bench::Figure>> {
    let work = tempfile::tempdir()?;
    let exe = std::env::current_exe()?;
    let largest = files.iter().copied().max().unwrap_or(0);
    let mut cases: Vec<(usize, usize)> = files.iter().map(|n| (*n, 0)).collect();
    if large_mb > 0 {
        cases.push((largest, large_mb * 1024 * 1024));
    }
    let mut figures = Vec::new();
    for (i, (n, large)) in cases.into_iter().enumerate() {
        let bundle = work.path().join(format!("bench-{i}.classkit"));
        classkit_app::bench::bundle_with_files(
            &work.path().join(format!("source-{i}")),
            &bundle,
            n,
            file_bytes,
            large,
        )
        .await?;
        let started = std::time::Instant::now();
        let out = tokio::process::Command::new(&exe)
            .arg("--library")
            .arg(work.path().join(format!("target-{i}")))
            .args(["bench", "bundle-import-once"])
            .arg(&bundle)
            .output()
            .await?;
        let seconds = started.elapsed().as_secs_f64();
        if !out.status.success() {
            anyhow::bail!(
                "importing the bundle of {n} files failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let peak_kib: f64 = String::from_utf8_lossy(&out.stdout).trim().parse()?;
        let label = match large {
            0 => format!("{n} files"),
            l => format!("{n} files and one of {} MB", l / (1024 * 1024)),
        };
        figures.push(classkit_jobs::bench::Figure {
            name: format!("bundle import, {label}"),
            value: seconds,
            unit: "s",
        });
        figures.push(classkit_jobs::bench::Figure {
            name: format!("bundle import peak memory, {label}"),
            value: peak_kib / 1024.0,
            unit: "MiB",
        });
    }
    Ok(figures)
}

/// A lecture for a benchmark: UTF-8 text of at most 5 MB.
async fn read_lecture(path: &std::path::Path) -> anyhow::Result<String> {
    let text = classkit_app::read_limited(path, 5 * 1024 * 1024).await?;
    String::from_utf8(text).map_err(|_| {
        cli_error(
            ErrorCode::InvalidInput,
            format!("{} is not UTF-8 text", path.display()),
        )
    })
}

fn parse_format(name: &str) -> Result<classkit_export::Format, String> {
    classkit_export::Format::parse(name)
        .ok_or_else(|| format!("{name:?} is not one of: web, scorm12, scorm2004"))
}

/// A percentage from 0 to 100 (`80`, `80%`, `72.5`).
fn parse_percent(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of percent (0 to 100)"))?;
    if !(0.0..=100.0).contains(&value) {
        return Err(format!("{text:?} is not between 0 and 100 percent"));
    }
    Ok(value)
}

fn parse_part(name: &str) -> Result<classkit_app::generate::Part, String> {
    classkit_app::generate::Part::parse(name)
        .ok_or_else(|| format!("{name:?} is not one of: slides, narration, drafts, illustrations"))
}

/// The application error inside an `anyhow` chain, for its code and details.
fn app_error(e: &anyhow::Error) -> Option<&AppError> {
    e.chain().find_map(|c| c.downcast_ref::<AppError>())
}
