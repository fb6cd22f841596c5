// The component editors' forms are made from the JSON Schema of each payload type, generated
// from the Rust model crate (generated/ipc.schema.json): one source of truth for fields,
// kinds of value and defaults. This module reads that schema.
import ipcSchema from "./generated/ipc.schema.json";
import type { ComponentType, ValidationIssue } from "./generated/ipc";

/** The part of JSON Schema that schemars writes for the payload types. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  const?: unknown;
  default?: unknown;
  description?: string;
  format?: string;
  minimum?: number;
}

const defs = (ipcSchema as unknown as { $defs: Record<string, JsonSchema> }).$defs;

/** The payload type's name in the schema for each component type. */
const payloadDefs: Record<ComponentType, string> = {
  REVIEW: "ReviewPayload",
  QUIZ: "QuizPayload",
  ROLEPLAY: "RoleplayPayload",
  SHADOWING: "ShadowingPayload",
  PRONUNCIATION: "PronunciationPayload",
  FLASHCARDS: "FlashcardsPayload",
  CLOZE: "ClozePayload",
  MATCHING: "MatchingPayload",
  HOTSPOT: "HotspotPayload",
  BRANCHING: "BranchingPayload",
  DICTATION: "DictationPayload",
};

export const componentTypes = Object.keys(payloadDefs) as ComponentType[];

/** The schema of a component type's payload. */
export function payloadSchema(type: ComponentType): JsonSchema {
  return { $ref: `#/$defs/${payloadDefs[type]}` };
}

/** The definition name a `$ref` points at. */
export function refName(schema: JsonSchema): string | null {
  return schema.$ref ? schema.$ref.replace("#/$defs/", "") : null;
}

/** Follows `$ref`s; a sibling `description` or `default` of the reference is kept. */
export function resolve(schema: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; i < 16 && s.$ref; i++) {
    const target = defs[refName(s) ?? ""];
    if (!target) break;
    const { $ref: _ref, ...siblings } = s;
    s = { ...target, ...siblings };
  }
  return s;
}

/** The kinds of field the forms draw. */
export type Field =
  | { kind: "object"; schema: JsonSchema; name: string | null }
  | { kind: "array"; items: JsonSchema }
  | { kind: "string"; nullable: boolean; long: boolean }
  | { kind: "number"; integer: boolean; nullable: boolean }
  | { kind: "boolean"; nullable: boolean }
  | { kind: "enum"; options: { value: string; description: string }[] }
  | { kind: "optional"; inner: JsonSchema }
  | { kind: "variant"; variants: { tag: string; schema: JsonSchema }[] }
  | { kind: "asset" }
  | { kind: "provenance" }
  | { kind: "unknown" };

/** Fields whose text is long (paragraphs, Markdown). */
const LONG_TEXT = new Set([
  "text",
  "definition",
  "explanation",
  "scenario",
  "outcome",
  "instructions",
  "personality",
  "descriptor",
  "learner_goal",
  "example",
  "prompt",
  "opening_line",
]);

/** What kind of field `schema` is, for the property `key`. */
export function fieldOf(schema: JsonSchema, key: string | null): Field {
  const name = refName(schema);
  if (name === "Provenance") return { kind: "provenance" };
  if (name === "AssetRef") return { kind: "asset" };
  const s = resolve(schema);
  if (s.anyOf) {
    const inner = s.anyOf.find((x) => !(x.type === "null"));
    if (inner && refName(inner) === "Provenance") return { kind: "provenance" };
    if (inner && refName(inner) === "AssetRef") return { kind: "asset" };
    if (inner) return { kind: "optional", inner };
  }
  if (s.oneOf) {
    if (s.oneOf.every((v) => typeof v.const === "string")) {
      return {
        kind: "enum",
        options: s.oneOf.map((v) => ({ value: String(v.const), description: v.description ?? "" })),
      };
    }
    const variants = s.oneOf.map((v) => ({
      tag: String(v.properties?.["kind"]?.const ?? ""),
      schema: v,
    }));
    if (variants.every((v) => v.tag !== "")) return { kind: "variant", variants };
  }
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const nullable = types.includes("null");
  const main = types.find((t) => t !== "null");
  switch (main) {
    case "object":
      return { kind: "object", schema: s, name };
    case "array":
      return { kind: "array", items: s.items ?? {} };
    case "string":
      return { kind: "string", nullable, long: key !== null && LONG_TEXT.has(key) };
    case "integer":
      return { kind: "number", integer: true, nullable };
    case "number":
      return { kind: "number", integer: false, nullable };
    case "boolean":
      return { kind: "boolean", nullable };
    default:
      return { kind: "unknown" };
  }
}

/** A new value of `schema`, as a new item of a list is filled in. */
export function defaultFor(schema: JsonSchema): unknown {
  if (schema.default !== undefined) return structuredClone(schema.default);
  const field = fieldOf(schema, null);
  switch (field.kind) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(field.schema.properties ?? {})) {
        const f = fieldOf(prop, key);
        if (f.kind === "optional" || f.kind === "provenance" || f.kind === "asset") continue;
        if (f.kind === "string" && f.nullable) continue;
        if (f.kind === "boolean" && f.nullable) continue;
        out[key] = defaultFor(prop);
      }
      return out;
    }
    case "array":
      return [];
    case "string":
      return field.nullable ? null : "";
    case "number":
      return field.nullable ? null : 0;
    case "boolean":
      return field.nullable ? null : false;
    case "enum":
      return field.options[0]?.value ?? "";
    case "variant":
      return defaultFor(field.variants[0]?.schema ?? {});
    case "optional":
      return defaultFor(field.inner);
    default:
      return null;
  }
}

/** Where a field comes in a form: ids and kinds first, the main text next, feedback and
 * provenance last; other fields alphabetically (the schema's own order). */
const FIRST = [
  "id",
  "kind",
  "mode",
  "speaker",
  "title",
  "name",
  "heading",
  "term",
  "label",
  "target",
  "left",
  "right",
  "text",
  "prompt",
  "definition",
  "description",
  "points",
  "weight",
];
const LAST = [
  "correct_feedback",
  "incorrect_feedback",
  "feedback",
  "explanation",
  "hint",
  "hints",
  "provenance",
];

export function fieldOrder(keys: string[]): string[] {
  const rank = (k: string) => {
    const first = FIRST.indexOf(k);
    if (first >= 0) return first;
    const last = LAST.indexOf(k);
    if (last >= 0) return 1000 + last;
    return 500;
  };
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Fields that do not apply to a value as it is now (a true/false question has no
 * options; a matching exercise in `order` mode has no pairs). Hidden, and kept as they
 * are. */
export function irrelevant(def: string | null, value: Record<string, unknown>, key: string): boolean {
  if (key === "schema_version") return true;
  // A field left out of a payload has the model's default (from the schema).
  const current = (name: string) => value[name] ?? defs[def ?? ""]?.properties?.[name]?.default;
  const mode = current("mode");
  const kind = current("kind");
  switch (def) {
    case "Question": {
      const choice = kind === "single_choice" || kind === "multiple_choice";
      if (key === "options") return !choice;
      if (key === "answer") return kind !== "true_false";
      if (["accepted_answers", "case_sensitive", "accent_sensitive"].includes(key))
        return kind !== "short_answer";
      return false;
    }
    case "MatchingPayload":
      if (key === "pairs" || key === "distractors") return mode !== "pairs";
      if (key === "categories" || key === "items") return mode !== "categories";
      if (key === "steps") return mode !== "order";
      return false;
    case "RoleplayPayload":
      return key === "turns" && mode === "ai_driven";
    case "Turn":
      return (key === "expected_phrases" || key === "hints") && current("speaker") !== "learner";
    case "BranchingNode":
      if (key === "outcome") return value["end"] !== true;
      if (key === "choices") return value["end"] === true;
      return false;
    default:
      return false;
  }
}

/** The issues at `pointer` itself. */
export function issuesAt(issues: ValidationIssue[], pointer: string): ValidationIssue[] {
  return issues.filter((i) => i.pointer === pointer);
}

/** The issues at `pointer` or inside it. */
export function issuesUnder(issues: ValidationIssue[], pointer: string): ValidationIssue[] {
  return issues.filter((i) => i.pointer === pointer || i.pointer.startsWith(`${pointer}/`));
}

/** A JSON pointer one step further (`~` and `/` escaped as RFC 6901 says). */
export function child(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** The DOM id of the input for a pointer, so an issue can take the focus to its field. */
export function inputId(pointer: string): string {
  return `field${pointer.replace(/[^A-Za-z0-9_-]/g, (c) => `-${c.charCodeAt(0)}-`)}`;
}

/** `correct_feedback` → `Correct feedback`. */
export function humanize(key: string): string {
  const words = key.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
