import { fileURLToPath } from "node:url";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { viteSingleFile } from "vite-plugin-singlefile";
import { defineConfig } from "vitest/config";

// The learner's player: one index.html with its code and styles inlined, so that it plays
// opened from disk (file:// loads no module scripts from other files) as well as from a web
// host or an LMS. The learner components are the app's preview components (ui/src/lib/preview),
// shared, not copied; the course itself comes beside it in course.js (crates/export).
// The speaking-practice scorer as WebAssembly with its bindings: crates/export's build.rs
// builds them and names their folder (`cargo build` builds the player).
const practice = process.env.CLASSKIT_PRACTICE_WASM_DIR;
if (!practice && !process.env.VITEST && process.argv.includes("build")) {
  throw new Error(
    "the player is built by crates/export (cargo build), which compiles the speaking-practice scorer to WebAssembly first; to build it alone, set CLASSKIT_PRACTICE_WASM_DIR to wasm-bindgen's output for crates/practice",
  );
}

export default defineConfig({
  plugins: [svelte(), viteSingleFile()],
  resolve: {
    alias: {
      "@ui": fileURLToPath(new URL("../ui/src/lib", import.meta.url)),
      ...(practice ? { "@practice": practice } : {}),
    },
    // The shared components import Svelte too: one runtime, the player's.
    dedupe: ["svelte"],
    ...(process.env.VITEST ? { conditions: ["browser"] } : {}),
  },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true, reportCompressedSize: true },
  test: {
    environment: "jsdom",
    include: ["tests/**/*.test.ts"],
  },
});
