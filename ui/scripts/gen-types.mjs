// Generates src/lib/generated/ipc.ts from the Rust side's JSON Schema (ipc.schema.json).
// `node scripts/gen-types.mjs --check` exits 1 when the checked-in file is stale.
import { compile } from "json-schema-to-typescript";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const dir = new URL("../src/lib/generated/", import.meta.url);

export async function generate() {
  const schema = refsWithProperties(
    JSON.parse(await readFile(new URL("ipc.schema.json", dir), "utf8")),
  );
  return compile(schema, "Ipc", {
    bannerComment:
      "/* Generated from ipc.schema.json by scripts/gen-types.mjs (npm run gen:types). Do not edit. */",
    additionalProperties: false,
    strictIndexSignatures: true,
    format: true,
  });
}

// schemars writes an internally tagged enum's variant as `{$ref, properties: {tag}}`;
// json-schema-to-typescript reads a `$ref` as the whole schema and would name the variant
// after the referenced type. The same meaning as `allOf` is read correctly.
function refsWithProperties(node) {
  if (Array.isArray(node)) return node.map(refsWithProperties);
  if (typeof node !== "object" || node === null) return node;
  const out = Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, refsWithProperties(v)]),
  );
  if (typeof out.$ref === "string" && out.properties) {
    const { $ref, ...rest } = out;
    return { allOf: [{ $ref }, rest] };
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fresh = await generate();
  const target = new URL("ipc.ts", dir);
  if (process.argv.includes("--check")) {
    const current = await readFile(target, "utf8").catch(() => "");
    if (current !== fresh) {
      console.error("src/lib/generated/ipc.ts is stale: run npm run gen:types");
      process.exit(1);
    }
  } else {
    await writeFile(target, fresh);
  }
}
