// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// mimalloc rather than the C library's allocator: syncing builds and drops many small JSON
/// values on every core, where glibc's allocator took about a third of the time (team-bench
/// pushes and pulls are 12 to 15% faster with it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use classkit_studio::{
    Keyring, context, manage_library, open_library, stop_workers, with_commands,
};
use std::path::PathBuf;
use std::process::ExitCode;

/// Jobs the bundled workers run at once.
const WORKERS: usize = 2;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let Some(dir) = std::env::var_os("CLASSKIT_LIBRARY")
        .map(PathBuf::from)
        .or_else(classkit_app::default_library_dir)
    else {
        eprintln!("ClassKit Studio: no folder for the library (set CLASSKIT_LIBRARY)");
        return ExitCode::from(2);
    };
    let (library, workers) =
        match tauri::async_runtime::block_on(open_library(&dir, WORKERS, Keyring::from_env())) {
            Ok(opened) => opened,
            Err(e) => {
                eprintln!(
                    "ClassKit Studio: cannot open the library at {}: {e}",
                    dir.display()
                );
                return ExitCode::from(2);
            }
        };
    let builder = manage_library(with_commands(tauri::Builder::default()), library, workers);
    let app = match builder.build(context()) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("ClassKit Studio could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            stop_workers(handle);
        }
    });
    ExitCode::SUCCESS
}
