// @vitest-environment node
import { readFile, readdir } from "node:fs/promises";
import { expect, it } from "vitest";
// @ts-expect-error: a plain Node script without type declarations
import { generate } from "../scripts/gen-types.mjs";
import { COMMANDS } from "../src/lib/generated/commands";
import { EVENTS } from "../src/lib/generated/events";

const src = new URL("../src/", import.meta.url);

it("the types, commands and events are generated from the current Rust schema", async () => {
  const files: Record<string, string> = await generate();
  for (const [name, fresh] of Object.entries(files)) {
    const checkedIn = await readFile(new URL(`lib/generated/${name}`, src), "utf8");
    expect(checkedIn, `${name} is stale: run npm run gen:types`).toBe(fresh);
  }
});

/** Every source file of the UI but the generated ones, with its text. */
async function sources(): Promise<[string, string][]> {
  const entries = await readdir(src, { recursive: true });
  const files = entries.filter(
    (f) => /\.(ts|svelte)$/.test(f) && !f.startsWith("lib/generated/"),
  );
  return Promise.all(
    files.map(async (f): Promise<[string, string]> => [f, await readFile(new URL(f, src), "utf8")]),
  );
}

it("the client calls every command of the list, and only through the typed call", async () => {
  const api = await readFile(new URL("lib/api.ts", src), "utf8");
  const called = [...api.matchAll(/call\("([a-z_]+)"/g)].map((m) => m[1]).sort();
  expect(called).toEqual([...COMMANDS].sort());
  for (const [file, text] of await sources()) {
    if (file === "lib/api.ts") continue;
    expect(text, `${file} invokes a command itself`).not.toMatch(/\binvoke\s*[<(]/);
  }
});

it("events are heard only through the typed listener, by the names of the list", async () => {
  expect([...EVENTS]).toEqual(["job", "saved", "workers-failed", "team"]);
  for (const [file, text] of await sources()) {
    if (file === "lib/events.svelte.ts") continue;
    expect(text, `${file} listens to an event by a name of its own`).not.toMatch(/\blisten\s*[<(]/);
  }
});
