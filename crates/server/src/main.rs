//! `classkit-server`: the team server (`serve`) and the admin's command line (`admin`).

/// mimalloc rather than the C library's allocator: syncing builds and drops many small JSON
/// values on every core, where glibc's allocator took about a third of the time (team-bench
/// pushes and pulls are 12 to 15% faster with it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use classkit_server::admin::{self, TokenToRevoke};
use classkit_server::auth::Token;
use classkit_server::config::{AssetStorage, Limits, ServeConfig};
use classkit_sync::Role;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use uuid::Uuid;

#[derive(Debug, Parser)]
#[command(
    name = "classkit-server",
    version,
    about = "The ClassKit Studio team server"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the team's API (migrates the database first).
    Serve(Serve),
    /// Manage people, tokens and course membership, directly in the database.
    Admin(Admin),
}

#[derive(Debug, clap::Args)]
struct Serve {
    /// PostgreSQL URL, e.g. postgres://classkit@db.example/classkit
    #[arg(long, env = "CLASSKIT_DATABASE_URL", hide_env_values = true)]
    database_url: String,
    /// Redis URL, e.g. redis://queue.example:6379/
    #[arg(long, env = "CLASSKIT_REDIS_URL", hide_env_values = true)]
    redis_url: String,
    /// Address and port to listen on.
    #[arg(long, env = "CLASSKIT_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Folder for the server's files (uploaded assets, unless kept in the database).
    #[arg(long, env = "CLASSKIT_DATA")]
    data: PathBuf,
    /// Where uploaded assets' bytes are kept.
    #[arg(
        long,
        env = "CLASSKIT_ASSET_STORAGE",
        value_enum,
        default_value = "files"
    )]
    asset_storage: AssetStorage,
    /// Largest JSON request body, in MiB.
    #[arg(long, default_value_t = 16)]
    max_body_mib: usize,
    /// Largest asset upload, in MiB.
    #[arg(long, default_value_t = 64)]
    max_asset_mib: usize,
    /// Seconds a request may take.
    #[arg(long, default_value_t = 60)]
    request_timeout_secs: u64,
    /// Database connections this process holds at most.
    #[arg(long, default_value_t = 16)]
    max_connections: u32,
    /// The team's engines.toml: the engines assemblies are planned with (the builtin ones
    /// when not given). The provider keys stay on the workers.
    #[arg(long, env = "CLASSKIT_ENGINES")]
    engines: Option<PathBuf>,
    /// The key prefix of the team's job queue in Redis (the same as the workers').
    #[arg(long, env = "CLASSKIT_QUEUE_PREFIX", default_value = classkit_jobs::redis_queue::DEFAULT_PREFIX)]
    queue_prefix: String,
}

#[derive(Debug, clap::Args)]
struct Admin {
    /// PostgreSQL URL of the team server's database.
    #[arg(long, env = "CLASSKIT_DATABASE_URL", hide_env_values = true)]
    database_url: String,
    /// Print results as JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an account for a person.
    CreateUser {
        email: String,
        /// The person's name, as members lists show it.
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Make a new token for a person (or with --worker, for a worker); it is printed once,
    /// alone on stdout.
    CreateToken {
        /// The person's email.
        #[arg(required_unless_present = "worker", conflicts_with = "worker")]
        email: Option<String>,
        /// A token for the worker of this name (its account is made the first time): it
        /// serves the team's job queue and cannot act as a person.
        #[arg(long, value_name = "NAME")]
        worker: Option<String>,
        /// What the token is for (a laptop, a worker).
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Revoke a token, by the id `list` shows or by the token itself (from a file).
    RevokeToken {
        /// The token's id.
        #[arg(required_unless_present = "token_file")]
        token_id: Option<Uuid>,
        /// A file holding the token.
        #[arg(long, conflicts_with = "token_id")]
        token_file: Option<PathBuf>,
    },
    /// Give a person a role in a shared course.
    AddMember {
        course_id: Uuid,
        email: String,
        #[arg(long, value_parser = ["viewer", "editor", "owner"])]
        role: String,
    },
    /// List people, their tokens (never the tokens themselves), courses and members.
    List,
    /// Set the monthly budget of the team's generation (or with --course, of one course), in
    /// US dollars; `none` removes it. Assemblies that would go over it are refused.
    SetBudget {
        #[arg(long)]
        course: Option<Uuid>,
        /// Dollars a month, or `none`.
        #[arg(long)]
        monthly: String,
    },
    /// This month's budget and spending of the team (and with --course, of one course).
    Budget {
        #[arg(long)]
        course: Option<Uuid>,
    },
}

fn print_budget(b: &classkit_sync::TeamBudget, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(b)?);
        return Ok(());
    }
    let usd = |m: i64| format!("${:.2}", m as f64 / 1e6);
    let limit = |l: Option<i64>| l.map_or_else(|| "no budget".to_string(), usd);
    println!(
        "{}: the team spent {} of {}",
        b.month,
        usd(b.team_spent_micros),
        limit(b.team_limit_micros)
    );
    if let (Some(id), Some(spent)) = (b.course_id, b.course_spent_micros) {
        println!(
            "  course {id} spent {} of {}",
            usd(spent),
            limit(b.course_limit_micros)
        );
    }
    Ok(())
}

fn init_logging() {
    tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CLASSKIT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Serve(s) => {
            let mib = |n: usize| n.saturating_mul(1024 * 1024);
            let config = ServeConfig {
                database_url: s.database_url,
                redis_url: s.redis_url,
                listen: s.listen,
                data: s.data,
                asset_storage: s.asset_storage,
                limits: Limits {
                    max_body_bytes: mib(s.max_body_mib),
                    max_asset_bytes: mib(s.max_asset_mib),
                    request_timeout: Duration::from_secs(s.request_timeout_secs.max(1)),
                    max_connections: s.max_connections.max(1),
                },
                engines: s.engines,
                queue_prefix: s.queue_prefix,
            };
            classkit_server::serve(config, shutdown_signal()).await
        }
        Command::Admin(a) => {
            let pool = classkit_server::db::connect(&a.database_url, 2).await?;
            let json = a.json;
            match a.command {
                AdminCommand::CreateUser { email, name } => {
                    let user = admin::create_user(&pool, &email, &name).await?;
                    if json {
                        println!("{}", serde_json::to_string(&user)?);
                    } else {
                        println!("created {} ({})", user.email, user.id);
                    }
                }
                AdminCommand::SetBudget { course, monthly } => {
                    let micros = match monthly.trim() {
                        "none" => None,
                        text => {
                            let dollars: f64 = text
                                .trim_start_matches('$')
                                .parse()
                                .ok()
                                .filter(|d: &f64| d.is_finite() && (0.0..1e9).contains(d))
                                .with_context(|| {
                                    format!("--monthly {text:?} is not a number of dollars from 0 to 1,000,000,000, or none")
                                })?;
                            Some((dollars * 1_000_000.0).round() as i64)
                        }
                    };
                    admin::set_budget(&pool, course, micros).await?;
                    print_budget(&admin::budget(&pool, course).await?, json)?;
                }
                AdminCommand::Budget { course } => {
                    print_budget(&admin::budget(&pool, course).await?, json)?;
                }
                AdminCommand::CreateToken {
                    email,
                    worker,
                    label,
                } => {
                    let (_, token) = match (worker, email) {
                        (Some(name), _) => admin::create_worker_token(&pool, &name).await?,
                        (None, Some(email)) => admin::create_token(&pool, &email, &label).await?,
                        (None, None) => anyhow::bail!("give a person's email or --worker NAME"),
                    };
                    if json {
                        println!("{}", serde_json::json!({ "token": token.expose() }));
                    } else {
                        println!("{}", token.expose());
                    }
                }
                AdminCommand::RevokeToken {
                    token_id,
                    token_file,
                } => {
                    let which = match (token_id, token_file) {
                        (Some(id), _) => TokenToRevoke::Id(id),
                        (None, Some(file)) => {
                            let text = std::fs::read_to_string(&file).with_context(|| {
                                format!("cannot read the token file {}", file.display())
                            })?;
                            TokenToRevoke::Value(Token::new(text.trim().to_string()))
                        }
                        (None, None) => anyhow::bail!("name the token: its id or --token-file"),
                    };
                    let id = admin::revoke_token(&pool, which).await?;
                    if json {
                        println!("{}", serde_json::json!({ "revoked": id }));
                    } else {
                        println!("revoked token {id}");
                    }
                }
                AdminCommand::AddMember {
                    course_id,
                    email,
                    role,
                } => {
                    let role = Role::parse(&role).context("the role is viewer, editor or owner")?;
                    admin::add_member(&pool, course_id, &email, role).await?;
                    if json {
                        println!(
                            "{}",
                            serde_json::json!({ "course_id": course_id, "email": email.trim().to_lowercase(), "role": role })
                        );
                    } else {
                        println!(
                            "{} is now a {} of course {course_id}",
                            email.trim(),
                            role.as_str()
                        );
                    }
                }
                AdminCommand::List => {
                    let listing = admin::list(&pool).await?;
                    if json {
                        println!("{}", serde_json::to_string_pretty(&listing)?);
                    } else {
                        for u in &listing.users {
                            println!("{} {}", u.email, u.name);
                            for t in &u.tokens {
                                let state = match t.revoked_at {
                                    Some(at) => format!("revoked {at}"),
                                    None => "active".to_string(),
                                };
                                println!(
                                    "  token {} {:?} made {} {state}",
                                    t.id, t.label, t.created_at
                                );
                            }
                        }
                        for c in &listing.courses {
                            println!("course {} {:?}", c.id, c.title);
                            for (email, role) in &c.members {
                                println!("  {email} {}", role.as_str());
                            }
                        }
                    }
                }
            }
            pool.close().await;
            Ok(())
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    init_logging();
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut text = e.to_string();
            for cause in e.chain().skip(1) {
                let cause = cause.to_string();
                if !text.contains(&cause) {
                    text = format!("{text}: {cause}");
                }
            }
            eprintln!("error: {text}");
            ExitCode::FAILURE
        }
    }
}
