// What every grader needs: reading the payload and the response as the Rust model reads them
// (crates/model/src/components/mod.rs `parse`, grading.rs `grade_typed`), and building grades.
import type { ComponentType, Grade, ItemFeedback, Outcome } from "@ui/generated/ipc";
import { readPayload } from "@ui/preview/payloads";
import type { Filled, PayloadOf } from "@ui/schema";
import { isBlank } from "./text";

/** Why a response could not be graded (grading.rs `GradeError`); the message says what. */
export class GradeError extends Error {
  override name = "GradeError";
}

/** grading.rs `Grade::from_items`: the score and maximum are the sums over the items. */
export function fromItems(items: ItemFeedback[]): Grade {
  let score = 0;
  let maxScore = 0;
  for (const item of items) {
    score += item.score;
    maxScore += item.max_score;
  }
  return { score, max_score: maxScore, items };
}

/** One `ItemFeedback`, its keys in the order Rust serializes them. */
export function item(
  pointer: string,
  outcome: Outcome,
  score: number,
  maxScore: number,
  feedback: string[] = [],
): ItemFeedback {
  return { pointer, outcome, score, max_score: maxScore, feedback };
}

/** The texts an author wrote: those that are not empty or only whitespace. */
export function written(...texts: string[]): string[] {
  return texts.filter((text) => !isBlank(text));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Payloads

/** A step of components/*.rs `upgrade_from`: version `from` rewritten into `from + 1`. */
export type Upgrade = (from: number, payload: Record<string, unknown>) => Record<string, unknown>;

function invalidPayload(issue: string): GradeError {
  return new GradeError(`the payload cannot be graded: ${issue}`);
}

/**
 * components/mod.rs `parse`, as far as the player needs it: the payload must be an object in a
 * schema version this code reads (`written_version`; without one, the current version), older
 * versions are upgraded one step at a time (`upgrade_chain`), and the fields are then read with
 * the schema's defaults by `readPayload`, which for every field the graders read gives what
 * serde's defaults give. The rules that Rust's `validate` checks before grading are not checked
 * again: the player only plays payloads that passed them when the course was exported.
 */
export function readGraded<T extends ComponentType>(
  type: T,
  payload: unknown,
  current: number,
  upgrade?: Upgrade,
): Filled<PayloadOf<T>> {
  if (!isObject(payload)) throw invalidPayload("/: a component payload must be a JSON object");
  const given = payload["schema_version"];
  let version = current;
  // JSON has no `undefined`: a field set to it is a field left out.
  if (given !== undefined) {
    // `as_u64` then `u32::try_from`: a whole number that fits in 32 bits, or no version at all.
    const whole = typeof given === "number" && Number.isInteger(given) && given >= 0 && given <= 0xffffffff;
    if (whole && given > current) {
      throw invalidPayload(
        `/schema_version: this payload was written by a newer ClassKit Studio (schema version ${given}); ` +
          `this version reads ${type} payloads up to version ${current}`,
      );
    }
    if (!whole || given < 1) throw invalidPayload("/schema_version: the schema version must be a whole number from 1");
    version = given;
  }
  let value = payload;
  for (let from = version; from < current; from++) {
    if (!upgrade) throw invalidPayload(`/schema_version: ${type} payloads have no schema version ${from}`);
    value = { ...upgrade(from, value), schema_version: from + 1 };
  }
  return readPayload(type, { ...value, schema_version: current });
}

// ---------------------------------------------------------------------------------------------
// Responses
//
// Rust reads a response with `serde_json::from_value` into a struct whose fields all have
// `#[serde(default)]` and that denies unknown fields. The readers below accept exactly what
// that accepts, as if the response had gone through JSON (`undefined` in an object is a field
// left out, in a list it is `null`; numbers that are not finite are `null`), and throw a
// `GradeError` where serde fails, instead of a `TypeError` further on.

/** Reads one value of a response; `undefined` only for a field left out (its default). */
export type Reader<T> = (value: unknown, at: string) => T;

/** A value of the wrong form, with where it is; `readResponse` names the component type. */
class WrongForm extends Error {}

function describe(value: unknown): string {
  if (value === null || value === undefined || (typeof value === "number" && !Number.isFinite(value))) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

export function wrongForm(at: string, expected: string, value: unknown): Error {
  return new WrongForm(`${at}: expected ${expected}, found ${describe(value)}`);
}

/**
 * A response struct, read like serde reads it: from an object whose keys are among the fields,
 * or (serde reads structs from lists too) from a list of at most as many values as there are
 * fields, taken in the fields' order. Fields left out get their defaults.
 */
export function readResponse<T>(type: ComponentType, response: unknown, fields: { [K in keyof T]: Reader<T[K]> }): T {
  const names = Object.keys(fields) as (keyof T & string)[];
  try {
    const given = new Map<string, unknown>();
    if (Array.isArray(response)) {
      if (response.length > names.length) {
        throw new WrongForm(`a list of ${response.length} values for ${names.length} field(s)`);
      }
      for (let i = 0; i < response.length; i++) given.set(names[i] ?? "", response[i] ?? null);
    } else if (isObject(response)) {
      for (const [key, value] of Object.entries(response)) {
        if (value === undefined) continue;
        if (!names.includes(key as keyof T & string)) {
          throw new WrongForm(`unknown field \`${key}\`, expected ${names.map((n) => `\`${n}\``).join(" or ")}`);
        }
        given.set(key, value);
      }
    } else {
      throw new WrongForm(`expected an object, found ${describe(response)}`);
    }
    const out = {} as T;
    for (const name of names) out[name] = fields[name](given.get(name), name);
    return out;
  } catch (e) {
    if (e instanceof WrongForm) throw new GradeError(`the response does not fit this ${type}: ${e.message}`);
    throw e;
  }
}

/** A `BTreeMap<String, T>`: an object (default: empty). */
export function mapOf<T>(read: Reader<T>): Reader<Map<string, T>> {
  return (value, at) => {
    const map = new Map<string, T>();
    if (value === undefined) return map;
    if (!isObject(value)) throw wrongForm(at, "an object", value);
    for (const [key, v] of Object.entries(value)) {
      if (v !== undefined) map.set(key, read(v, `${at}/${key}`));
    }
    return map;
  };
}

/** A `Vec<T>`: a list (default: empty). */
export function listOf<T>(read: Reader<T>): Reader<T[]> {
  return (value, at) => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw wrongForm(at, "a list", value);
    const out: T[] = [];
    for (let i = 0; i < value.length; i++) out.push(read(value[i] ?? null, `${at}/${i}`));
    return out;
  };
}

/** A `String`. */
export const text: Reader<string> = (value, at) => {
  if (typeof value === "string") return value;
  throw wrongForm(at, "a string", value);
};

/** An `f64`: any JSON number. */
export const number: Reader<number> = (value, at) => {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw wrongForm(at, "a number", value);
};
