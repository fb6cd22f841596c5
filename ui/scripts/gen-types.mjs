// Generates, from the Rust side's JSON Schema (ipc.schema.json): src/lib/generated/ipc.ts (the
// types), commands.ts (every command the UI may call, with its arguments and answer) and
// events.ts (every event it hears, with its payload). `node scripts/gen-types.mjs --check`
// exits 1 when a checked-in file is stale.
import { compile } from "json-schema-to-typescript";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const dir = new URL("../src/lib/generated/", import.meta.url);

const banner =
  "/* Generated from ipc.schema.json by scripts/gen-types.mjs (npm run gen:types). Do not edit. */";

export async function generate() {
  const raw = JSON.parse(await readFile(new URL("ipc.schema.json", dir), "utf8"));
  const { "x-commands": commands, "x-events": events, ...types } = raw;
  const ipc = await compile(refsWithProperties(types), "Ipc", {
    bannerComment: banner,
    additionalProperties: false,
    strictIndexSignatures: true,
    format: true,
  });
  return {
    "ipc.ts": ipc,
    "commands.ts": commandsFile(commands),
    "events.ts": eventsFile(events),
  };
}

// A small schema (an argument, an answer, a payload) as a TypeScript type. Named types are the
// ones of ipc.ts; `used` collects them for the import line.
function tsType(schema, used) {
  if (schema === true || (typeof schema === "object" && Object.keys(schema).length === 0)) {
    return "unknown";
  }
  if (schema.$ref) {
    const name = schema.$ref.replace("#/$defs/", "");
    used.add(name);
    return name;
  }
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((s) => tsType(s, used)).join(" | ");
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types
    .map((type) => {
      switch (type) {
        case "string":
          return "string";
        case "integer":
        case "number":
          return "number";
        case "boolean":
          return "boolean";
        case "null":
          return "null";
        case "array":
          return `(${tsType(schema.items ?? true, used)})[]`;
        default:
          throw new Error(`gen-types: no TypeScript for the schema ${JSON.stringify(schema)}`);
      }
    })
    .join(" | ");
}

function docComment(doc, indent) {
  const lines = doc.split("\n");
  return [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`), `${indent} */`].join("\n");
}

function importLine(used) {
  const names = [...used].sort();
  return names.length ? `import type { ${names.join(", ")} } from "./ipc";\n\n` : "";
}

function commandsFile(commands) {
  const used = new Set();
  const entries = commands.map((c) => {
    const args = Object.entries(c.args)
      .map(([name, schema]) => `${name}: ${tsType(schema, used)}`)
      .join("; ");
    return `${docComment(c.doc, "  ")}
  ${c.name}: { args: { ${args} }; returns: ${tsType(c.returns, used)} };`;
  });
  return `${banner}
${importLine(used)}/** Every command the UI may call: its arguments (as the UI sends them) and its answer. */
export interface Commands {
${entries.join("\n")}
}

/** The commands' names, in the Rust list's order. */
export const COMMANDS = ${JSON.stringify(commands.map((c) => c.name))} as const;
`;
}

function eventsFile(events) {
  const used = new Set();
  const entries = events.map(
    (e) => `${docComment(e.doc, "  ")}
  ${JSON.stringify(e.name)}: ${tsType(e.payload, used)};`,
  );
  return `${banner}
${importLine(used)}/** Every event the app sends the UI, with its payload. */
export interface Events {
${entries.join("\n")}
}

/** The events' names, in the Rust list's order. */
export const EVENTS = ${JSON.stringify(events.map((e) => e.name))} as const;
`;
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
  // A `$ref` with only a description beside it (a documented field of a named type) would be
  // copied inline under the field: keep the name, and the description on the field.
  if (typeof out.$ref === "string" && !out.properties && out.description) {
    const { $ref, ...rest } = out;
    return { allOf: [{ $ref }], ...rest };
  }
  // A schema that says nothing of its value (any JSON, such as a conflict's value) is
  // `unknown`, not an object.
  const keys = Object.keys(out);
  if (
    keys.length > 0 &&
    keys.every((k) => (k === "description" || k === "title") && typeof out[k] === "string")
  ) {
    return { ...out, tsType: "unknown" };
  }
  if (typeof out.$ref === "string" && out.properties) {
    const { $ref, ...rest } = out;
    return { allOf: [{ $ref }, rest] };
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await generate();
  let stale = false;
  for (const [name, fresh] of Object.entries(files)) {
    const target = new URL(name, dir);
    if (process.argv.includes("--check")) {
      const current = await readFile(target, "utf8").catch(() => "");
      if (current !== fresh) {
        console.error(`src/lib/generated/${name} is stale: run npm run gen:types`);
        stale = true;
      }
    } else {
      await writeFile(target, fresh);
    }
  }
  if (stale) process.exit(1);
}
