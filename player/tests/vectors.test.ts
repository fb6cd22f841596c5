// The shared grading vectors (crates/model/tests/vectors, format in the README there), which
// the Rust grader passes too (crates/model/tests/vectors.rs): the player must grade each one
// exactly as expected.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ComponentType } from "@ui/generated/ipc";
import { grade, isGraded } from "../src/grading";

// Not `new URL(path, import.meta.url)`: Vite rewrites that pattern into an asset URL.
const VECTORS = resolve(dirname(fileURLToPath(import.meta.url)), "../../crates/model/tests/vectors");

/** Scores may differ by this much between implementations (vectors.rs `TOLERANCE`). */
const TOLERANCE = 1e-9;

const GRADED: ComponentType[] = [
  "QUIZ",
  "ROLEPLAY",
  "FLASHCARDS",
  "CLOZE",
  "MATCHING",
  "HOTSPOT",
  "BRANCHING",
  "DICTATION",
];

/** Every `.json` file below `dir`, sorted (none when `dir` does not exist). */
function jsonFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return jsonFiles(path);
      return name.endsWith(".json") ? [path] : [];
    })
    .sort();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Where `actual` differs from `expected` (vectors.rs `differences`): numbers within
 * TOLERANCE, everything else exactly, including which keys objects have. */
function differences(at: string, expected: unknown, actual: unknown, out: string[] = []): string[] {
  if (typeof expected === "number" && typeof actual === "number") {
    // Written so that NaN is never close to anything.
    if (!(Math.abs(expected - actual) <= TOLERANCE)) out.push(`${at}: expected ${expected}, got ${actual}`);
  } else if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      out.push(`${at}: expected ${expected.length} entries, got ${actual.length}: ${JSON.stringify(actual)}`);
    }
    expected.forEach((e, i) => {
      if (i < actual.length) differences(`${at}/${i}`, e, actual[i], out);
    });
  } else if (isObject(expected) && isObject(actual)) {
    const keys = [...Object.keys(expected), ...Object.keys(actual).filter((k) => !(k in expected))];
    for (const key of keys) {
      if (!(key in actual)) out.push(`${at}/${key}: missing from the grade`);
      else if (!(key in expected)) out.push(`${at}/${key}: not expected, got ${JSON.stringify(actual)}`);
      else differences(`${at}/${key}`, expected[key], actual[key], out);
    }
  } else if (JSON.stringify(expected) !== JSON.stringify(actual) || typeof expected !== typeof actual) {
    out.push(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
  return out;
}

interface Vector {
  description: string;
  component_type: ComponentType;
  payload: unknown;
  response: unknown;
  expected: unknown;
}

const files = jsonFiles(VECTORS);

describe("grading vectors", () => {
  it("has vectors for every graded type", () => {
    const missing = GRADED.filter((type) => jsonFiles(join(VECTORS, type)).length === 0);
    expect(missing, `no grading vectors under ${VECTORS} for these types`).toEqual([]);
    expect(GRADED.every(isGraded)).toBe(true);
  });

  for (const path of files) {
    it(relative(VECTORS, path), () => {
      const vector = JSON.parse(readFileSync(path, "utf8")) as Vector;
      expect(Object.keys(vector).sort()).toEqual(["component_type", "description", "expected", "payload", "response"]);
      expect(basename(dirname(path)), "a vector belongs in the folder of its type").toBe(vector.component_type);
      const actual = grade(vector.component_type, vector.payload, vector.response);
      const found = differences("expected", vector.expected, actual);
      expect(found, `${vector.description}\nthe grade was ${JSON.stringify(actual)}`).toEqual([]);
    });
  }
});

describe("the comparison", () => {
  it("catches wrong scores, feedback and keys (vectors.rs the_comparison_catches_wrong_scores_and_items)", () => {
    const expected = { score: 1.0, items: [{ feedback: ["a"] }] };
    expect(differences("", expected, { score: 1.0 + 1e-12, items: [{ feedback: ["a"] }] })).toEqual([]);
    const found = differences("", expected, { score: 1.001, items: [{ feedback: [] }], x: 1 });
    expect(found).toHaveLength(3);
    expect(differences("", { n: 1 }, { n: Number.NaN })).toHaveLength(1);
    expect(differences("", { feedback: [] }, {})).toHaveLength(1);
  });
});
