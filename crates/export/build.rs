//! Builds the learner's web player (`player/`, TypeScript and Svelte through Vite) into one
//! `index.html` that the export embeds, with the speaking-practice scorer (`crates/practice`)
//! compiled to WebAssembly inside it. Node.js and npm, Rust's wasm32 target and wasm-bindgen
//! are needed (scripts/setup installs them).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let target = out.join("player.html");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest.join("../..");
    let player = root.join("player");
    // The player's own sources, and the app's learner components and generated types it shares.
    for input in [
        "player/src",
        "player/index.html",
        "player/package.json",
        "player/package-lock.json",
        "player/vite.config.ts",
        "ui/src/lib/preview",
        "ui/src/lib/i18n",
        "ui/src/lib/generated",
        "ui/src/lib/schema.ts",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(input).display());
    }
    let practice = build_practice_wasm(&root, &out);
    if !player.join("node_modules").is_dir() {
        run(
            npm().args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]),
            &player,
            "npm ci",
        );
    }
    let dist = out.join("player-dist");
    run(
        npm()
            .args([
                "exec",
                "--",
                "vite",
                "build",
                "--logLevel",
                "warn",
                "--outDir",
            ])
            .arg(&dist)
            .env("CLASSKIT_PRACTICE_WASM_DIR", &practice),
        &player,
        "vite build",
    );
    // The scorer itself goes beside the player as a script that holds it in base64: loaded
    // only when a learner records, and readable from a page opened from disk (which may not
    // fetch files).
    let wasm = std::fs::read(practice.join("classkit_practice_bg.wasm"))
        .unwrap_or_else(|e| panic!("wasm-bindgen made no classkit_practice_bg.wasm: {e}"));
    use base64::Engine;
    let script = format!(
        "window.CLASSKIT_PRACTICE_WASM = \"{}\";\n",
        base64::engine::general_purpose::STANDARD.encode(wasm)
    );
    std::fs::write(out.join("practice.js"), script)
        .unwrap_or_else(|e| panic!("writing practice.js: {e}"));
    std::fs::copy(dist.join("index.html"), &target).unwrap_or_else(|e| {
        panic!(
            "the player's build made no index.html in {}: {e}",
            dist.display()
        )
    });
}

/// Builds the speaking-practice scorer (crates/practice) for WebAssembly and makes its
/// JavaScript bindings with wasm-bindgen (scripts/setup installs both); returns their folder.
fn build_practice_wasm(root: &Path, out: &Path) -> PathBuf {
    for input in ["crates/practice/src", "crates/practice/Cargo.toml"] {
        println!("cargo:rerun-if-changed={}", root.join(input).display());
    }
    println!("cargo:rerun-if-env-changed=CLASSKIT_WASM_BINDGEN");
    let target_dir = out.join("wasm-target");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // A target folder of its own: the outer build holds the lock of its own.
    let mut build = Command::new(cargo);
    build
        .args(["build", "--release", "--lib", "-p", "classkit-practice"])
        .args(["--target", "wasm32-unknown-unknown", "--target-dir"])
        .arg(&target_dir)
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(["--config", "profile.release.opt-level='s'"])
        .args(["--config", "profile.release.lto=true"])
        .args(["--config", "profile.release.codegen-units=1"])
        .args(["--config", "profile.release.panic='abort'"])
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET");
    run(
        &mut build,
        root,
        "cargo build of crates/practice for wasm32-unknown-unknown (rustup target add wasm32-unknown-unknown)",
    );
    let wasm = target_dir.join("wasm32-unknown-unknown/release/classkit_practice.wasm");
    let bindings = out.join("practice-wasm");
    let tool = std::env::var_os("CLASSKIT_WASM_BINDGEN")
        .map(PathBuf::from)
        .or_else(|| {
            let home = PathBuf::from(std::env::var_os("HOME")?);
            let tools = std::env::var_os("CLASSKIT_TOOLS")
                .map(PathBuf::from)
                .unwrap_or_else(|| home.join(".cache/classkit-studio/tools"));
            let bin = tools.join("bin/wasm-bindgen");
            bin.is_file().then_some(bin)
        })
        .unwrap_or_else(|| PathBuf::from("wasm-bindgen"));
    run(
        Command::new(&tool)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--omit-default-module-path",
            ])
            .arg("--out-dir")
            .arg(&bindings)
            .arg(&wasm),
        root,
        "wasm-bindgen (wasm-bindgen-cli; CLASSKIT_WASM_BINDGEN names another)",
    );
    bindings
}

fn npm() -> Command {
    Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" })
}

fn run(command: &mut Command, dir: &Path, what: &str) {
    let status = command.current_dir(dir).status().unwrap_or_else(|e| {
        panic!(
            "building the learner's player: `{what}` could not run ({e}); scripts/setup installs what it needs (Node.js and npm, the wasm32 target, wasm-bindgen)"
        )
    });
    assert!(
        status.success(),
        "building the learner's player: `{what}` in {} failed ({status})",
        dir.display()
    );
}
