//! The macro that registers the shell's commands and lists their names.

/// Registers the commands with the webview, and lists their names as [`REGISTERED`].
macro_rules! commands {
    ($($name:ident),* $(,)?) => {
        /// The names of the commands the webview can call (a test holds them equal to
        /// `classkit_app::ipc::COMMANDS`).
        pub const REGISTERED: &[&str] = &[$(stringify!($name)),*];

        pub(crate) fn register<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
            builder.invoke_handler(tauri::generate_handler![$($name),*])
        }
    };
}
