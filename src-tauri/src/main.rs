// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use classkit_app::App;
use classkit_studio::{Library, context, with_commands};
use std::path::PathBuf;
use std::process::ExitCode;

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
    let app = match tauri::async_runtime::block_on(App::open(&dir)) {
        Ok(app) => app,
        Err(e) => {
            eprintln!(
                "ClassKit Studio: cannot open the library at {}: {e}",
                dir.display()
            );
            return ExitCode::from(2);
        }
    };
    let result = with_commands(tauri::Builder::default())
        .manage(Library(app))
        .run(context());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ClassKit Studio could not start: {e}");
            ExitCode::FAILURE
        }
    }
}
