//! Builds the learner's web player (`player/`, TypeScript and Svelte through Vite) into one
//! `index.html` that the export embeds. Node.js and npm are needed, as for the desktop UI;
//! `CLASSKIT_PLAYER_HTML` names a prebuilt file instead.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let target = out.join("player.html");
    println!("cargo:rerun-if-env-changed=CLASSKIT_PLAYER_HTML");
    if let Some(prebuilt) = std::env::var_os("CLASSKIT_PLAYER_HTML") {
        let prebuilt = PathBuf::from(prebuilt);
        println!("cargo:rerun-if-changed={}", prebuilt.display());
        std::fs::copy(&prebuilt, &target).unwrap_or_else(|e| {
            panic!(
                "CLASSKIT_PLAYER_HTML={}: cannot read it: {e}",
                prebuilt.display()
            )
        });
        return;
    }
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
            .arg(&dist),
        &player,
        "vite build",
    );
    std::fs::copy(dist.join("index.html"), &target).unwrap_or_else(|e| {
        panic!(
            "the player's build made no index.html in {}: {e}",
            dist.display()
        )
    });
}

fn npm() -> Command {
    Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" })
}

fn run(command: &mut Command, dir: &Path, what: &str) {
    let status = command.current_dir(dir).status().unwrap_or_else(|e| {
        panic!(
            "building the learner's player needs Node.js and npm (as the desktop UI does): running npm failed: {e}; install Node.js 20.19 or newer, or set CLASSKIT_PLAYER_HTML to a built player"
        )
    });
    assert!(
        status.success(),
        "building the learner's player: `{what}` in {} failed ({status})",
        dir.display()
    );
}
