// The component editors' forms are made from the JSON Schema of each payload type, generated
// from the Rust model crate (generated/ipc.schema.json): one source of truth for fields,
// kinds of value and defaults. This module reads that schema.
import ipcSchema from "./generated/ipc.schema.json";
import type { ComponentType, Ipc, ValidationIssue } from "./generated/ipc";

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
  enum?: unknown[];
  default?: unknown;
  description?: string;
  format?: string;
  minimum?: number;
  /** The field applies only when each sibling field named has one of the values listed
   * (crates/model/src/schema.rs). */
  "x-only-when"?: Record<string, unknown[]>;
}

const defs = (ipcSchema as unknown as { $defs: Record<string, JsonSchema> }).$defs;

/** The payload type's name in the schema for each component type. */
const payloadDefs = {
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
} as const satisfies Record<ComponentType, keyof Ipc>;

/** The generated type of a component type's payload, e.g. `QuizPayload` for `QUIZ`. */
export type PayloadOf<T extends ComponentType> = Ipc[(typeof payloadDefs)[T]];

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

/** A generated type as `readValue` reads it: every field present, missing ones filled in. */
export type Filled<T> = T extends readonly unknown[]
  ? { [K in keyof T]: Filled<T[K]> }
  : T extends object
    ? { [K in keyof T]-?: Filled<Exclude<T[K], undefined>> }
    : T;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `value` has the form of `schema` at its top (an object, a list, a string, …). */
function hasForm(schema: JsonSchema, value: unknown): boolean {
  const field = fieldOf(schema, null);
  switch (field.kind) {
    case "object":
    case "provenance":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "string":
    case "asset":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "enum":
      return field.options.some((o) => o.value === value);
    case "variant":
      return isObject(value) && field.variants.some((v) => v.tag === value["kind"]);
    default:
      return true;
  }
}

/** Each property of an object schema read from `given`. */
function readProperties(schema: JsonSchema, given: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([key, prop]) => [key, readValue(prop, given[key])]),
  );
}

/** `value` read as `schema` describes it, so that a draft being written can be shown: a
 * missing or mistyped field gets the schema's default (as `defaultFor` makes it; `null`
 * where the field may be left out), every item of a list is read in its place (pointers
 * into the payload still hold), and fields the schema does not know are dropped. */
export function readValue(schema: JsonSchema, value: unknown): unknown {
  const s = resolve(schema);
  if (s.const !== undefined) return s.const;
  if (value === undefined && s.default !== undefined) return readValue(schema, structuredClone(s.default));
  const field = fieldOf(schema, null);
  const nullable = "nullable" in field && field.nullable;
  if (value === null && nullable) return null;
  if (s.enum) return s.enum.includes(value) ? value : defaultFor(schema);
  if (!hasForm(schema, value)) {
    switch (field.kind) {
      case "optional":
      case "provenance":
        return null;
      case "asset":
        return s.anyOf ? null : "";
      // Every field, the optional ones too (`defaultFor` leaves those out of a new item).
      case "object":
        return readValue(schema, {});
      case "variant":
        return readValue(field.variants[0]?.schema ?? {}, {});
      default:
        return defaultFor(schema);
    }
  }
  switch (field.kind) {
    case "object":
      return readProperties(field.schema, value as Record<string, unknown>);
    case "array":
      return (value as unknown[]).map((item) => readValue(field.items, item));
    case "variant": {
      const variant = field.variants.find((v) => v.tag === (value as Record<string, unknown>)["kind"]);
      return readValue(variant?.schema ?? {}, value);
    }
    case "optional":
      return hasForm(field.inner, value) ? readValue(field.inner, value) : null;
    case "provenance":
      // Its own fields (reading the reference again would name provenance again, for ever).
      return readProperties(resolve({ $ref: "#/$defs/Provenance" }), value as Record<string, unknown>);
    case "asset":
      // A blank reference names no file.
      return (value as string).trim() !== "" ? value : s.anyOf ? null : "";
    default:
      return value ?? null;
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
 * options; a matching exercise in `order` mode has no pairs), as the schema's `x-only-when`
 * says. Hidden, and kept as they are. */
export function irrelevant(def: string | null, value: Record<string, unknown>, key: string): boolean {
  if (key === "schema_version") return true;
  const properties = defs[def ?? ""]?.properties ?? {};
  const onlyWhen = properties[key]?.["x-only-when"];
  if (!onlyWhen) return false;
  return Object.entries(onlyWhen).some(([sibling, allowed]) => {
    // A field left out of a payload has the model's default (from the schema).
    const schema = properties[sibling];
    const current = value[sibling] ?? (schema ? defaultFor(schema) : undefined);
    return !allowed.includes(current);
  });
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
