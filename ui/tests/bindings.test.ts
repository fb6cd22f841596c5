// @vitest-environment node
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
// @ts-expect-error: a plain Node script without type declarations
import { generate } from "../scripts/gen-types.mjs";

it("the TypeScript types are generated from the current Rust schema", async () => {
  const checkedIn = await readFile(new URL("../src/lib/generated/ipc.ts", import.meta.url), "utf8");
  expect(checkedIn, "stale: run npm run gen:types").toBe(await generate());
});
