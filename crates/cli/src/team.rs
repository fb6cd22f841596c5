//! `classkit remote`, `share`, `sync`, `conflicts`, `members`: team mode on the command
//! line. Each is one call into `classkit-app`.

use crate::output::{Output, line, print_json};
use clap::{Subcommand, ValueEnum};
use classkit_app::App;
use classkit_app::team::{SyncOutcome, TokenSource};
use classkit_store::Keep;
use std::path::PathBuf;
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum RemoteCommand {
    /// Set the team server: its address and a file holding the token the admin gave you
    /// (the connection is tested first; the token stays in its file).
    Set {
        url: String,
        #[arg(long)]
        token_file: PathBuf,
    },
    /// Show the team server and each linked course's sync state.
    Show,
}

#[derive(Debug, Subcommand)]
pub enum ConflictsCommand {
    /// Open conflicts: where two people changed one field, with both values.
    List {
        /// Only this course's.
        #[arg(long)]
        course: Option<Uuid>,
    },
    /// Settle a conflict by keeping one value (an ordinary edit, synced like any edit).
    Resolve {
        conflict_id: Uuid,
        #[arg(long, value_enum)]
        keep: KeepChoice,
    },
}

/// Which value of a conflict to keep.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KeepChoice {
    /// The value that was not applied (yours, when you made the edit that came second).
    Mine,
    /// The value that stayed current.
    Theirs,
}

fn sync_outcomes(out: &Output, outcomes: &[SyncOutcome]) -> bool {
    let failed = outcomes.iter().any(|o| o.error.is_some());
    if out.is_json() {
        print_json(&outcomes);
        return !failed;
    }
    if outcomes.is_empty() {
        println!("No course is linked to the team server (share one, or ask to be added to one).");
    }
    for o in outcomes {
        match (&o.report, &o.error) {
            (Some(r), _) => println!(
                "{}  pushed {}, pulled {}, {} conflict(s){}{}{}",
                o.course_id,
                r.pushed,
                r.pulled,
                r.conflicts,
                if r.uploaded + r.downloaded > 0 {
                    format!(", {} file(s) up, {} down", r.uploaded, r.downloaded)
                } else {
                    String::new()
                },
                if r.outputs_sent + r.outputs_stale > 0 {
                    format!(
                        ", {} slide output(s) made here sent ({} out of date, left to the team)",
                        r.outputs_sent + r.outputs_stale,
                        r.outputs_stale
                    )
                } else {
                    String::new()
                },
                if r.set_aside.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {} edit(s) refused by the server and kept aside",
                        r.set_aside.len()
                    )
                }
            ),
            (None, Some(e)) => println!("{}  not synced: {}", o.course_id, line(&e.message)),
            (None, None) => {}
        }
    }
    !failed
}

/// `classkit remote …`.
pub async fn remote(app: &App, command: RemoteCommand, out: &Output) -> anyhow::Result<()> {
    match command {
        RemoteCommand::Set { url, token_file } => {
            let view = app.set_remote(&url, TokenSource::File(token_file)).await?;
            if out.is_json() {
                print_json(&view);
            } else {
                println!(
                    "Team server set: {} (as {}).",
                    line(&view.url),
                    line(view.email.as_deref().unwrap_or("?"))
                );
            }
        }
        RemoteCommand::Show => {
            let view = app.remote().await?;
            let status = app.team_status().await?;
            if out.is_json() {
                print_json(&serde_json::json!({ "remote": view, "courses": status }));
                return Ok(());
            }
            match view {
                None => println!("No team server is set (classkit remote set URL --token-file F)."),
                Some(v) => println!(
                    "Team server: {} (as {})",
                    line(&v.url),
                    line(v.email.as_deref().unwrap_or("?"))
                ),
            }
            for c in status {
                println!(
                    "{}  {}  {}  {} waiting, {} conflict(s), last sync {}{}",
                    c.course_id,
                    line(&c.title),
                    c.role,
                    c.waiting,
                    c.conflicts,
                    c.last_sync
                        .map_or_else(|| "never".to_string(), |t| t.to_rfc3339()),
                    c.last_error
                        .map(|e| format!(" (failed: {})", line(&e)))
                        .unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}

/// `classkit share COURSE`: false when the sync after sharing failed.
pub async fn share(app: &App, course: Uuid, out: &Output) -> anyhow::Result<bool> {
    let outcome = app.share_course(course).await?;
    Ok(sync_outcomes(out, &[outcome]))
}

/// `classkit sync [COURSE]`: false when a course failed to sync.
pub async fn sync(app: &App, course: Option<Uuid>, out: &Output) -> anyhow::Result<bool> {
    let outcomes = app.sync(course).await?;
    Ok(sync_outcomes(out, &outcomes))
}

/// `classkit members COURSE`.
pub async fn members(app: &App, course: Uuid, out: &Output) -> anyhow::Result<()> {
    let members = app.team_members(course).await?;
    if out.is_json() {
        print_json(&members);
    } else {
        for m in members {
            println!("{}  {}  {}", line(&m.email), m.role.as_str(), line(&m.name));
        }
    }
    Ok(())
}

/// `classkit conflicts …`.
pub async fn conflicts(app: &App, command: ConflictsCommand, out: &Output) -> anyhow::Result<()> {
    match command {
        ConflictsCommand::List { course } => {
            let list = app.conflicts(course).await?;
            if out.is_json() {
                print_json(&list);
                return Ok(());
            }
            if list.is_empty() {
                println!("No open conflicts.");
            }
            let show = |v: &Option<serde_json::Value>| match v {
                None => "(deleted)".to_string(),
                Some(serde_json::Value::String(s)) => line(s),
                Some(v) => line(&v.to_string()),
            };
            for c in list {
                println!(
                    "{}  {} {} {}",
                    c.id,
                    c.kind.as_str(),
                    c.entity_id,
                    if c.pointer.is_empty() {
                        "(the whole entity)"
                    } else {
                        &c.pointer
                    }
                );
                println!(
                    "  mine ({}): {}",
                    line(c.mine_author.as_deref().unwrap_or("?")),
                    show(&c.mine)
                );
                println!(
                    "  theirs ({}): {}",
                    line(c.theirs_author.as_deref().unwrap_or("?")),
                    show(&c.theirs)
                );
            }
        }
        ConflictsCommand::Resolve { conflict_id, keep } => {
            let keep = match keep {
                KeepChoice::Mine => Keep::Mine,
                KeepChoice::Theirs => Keep::Theirs,
            };
            app.resolve_conflict(conflict_id, keep).await?;
            if out.is_json() {
                print_json(&serde_json::json!({ "resolved": conflict_id }));
            } else {
                println!("Conflict {conflict_id} settled; the next sync tells the team.");
            }
        }
    }
    Ok(())
}
