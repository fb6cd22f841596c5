// Responses and payloads of the wrong shape: the player throws a GradeError where Rust's
// `grading::grade` returns an error (serde cannot read the response into the type's response
// struct, the payload is not an object or has a schema version it cannot read, the type is not
// graded) and grades where Rust grades. It never fails with a TypeError.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ComponentType, Grade } from "@ui/generated/ipc";
import { GradeError, grade, isGraded } from "../src/grading";

const VECTORS = resolve(dirname(fileURLToPath(import.meta.url)), "../../crates/model/tests/vectors");

/** The payload of a vector (a valid payload of its type). */
function payloadOf(type: ComponentType, name: string): unknown {
  return (JSON.parse(readFileSync(join(VECTORS, type, `${name}.json`), "utf8")) as { payload: unknown }).payload;
}

/** The first vector's payload of each graded type. */
function firstPayload(type: ComponentType): unknown {
  const [first] = readdirSync(join(VECTORS, type))
    .filter((f) => f.endsWith(".json"))
    .sort();
  return payloadOf(type, (first ?? "").replace(/\.json$/, ""));
}

const outcomes = (g: Grade) => g.items.map((i) => i.outcome);

/** Throws a GradeError whose message says the response does not fit the type. */
function expectBadResponse(type: ComponentType, payload: unknown, response: unknown) {
  let error: unknown;
  try {
    grade(type, payload, response);
  } catch (e) {
    error = e;
  }
  expect(error, JSON.stringify(response)).toBeInstanceOf(GradeError);
  expect((error as Error).message).toContain(`the response does not fit this ${type}: `);
}

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

/** The fields of each type's response struct, in their declared order. */
const FIELDS: Record<string, string[]> = {
  QUIZ: ["answers"],
  ROLEPLAY: ["levels"],
  FLASHCARDS: ["ratings"],
  CLOZE: ["answers"],
  MATCHING: ["matches", "placements", "order"],
  HOTSPOT: ["visited", "labels", "clicks"],
  BRANCHING: ["choices"],
  DICTATION: ["answers"],
};

describe.each(GRADED)("a %s response", (type) => {
  const payload = firstPayload(type);
  const empty = grade(type, payload, {});

  it("that is not an object (or a list) is an error, as serde says", () => {
    for (const response of [null, undefined, "answers", 42, true, Number.NaN]) {
      expectBadResponse(type, payload, response);
    }
  });

  it("with an unknown field is an error (deny_unknown_fields)", () => {
    expectBadResponse(type, payload, { extra: 1 });
    expectBadResponse(type, payload, { [FIELDS[type]?.[0] ?? ""]: undefined, answer: {} });
  });

  it("with a field of the wrong form is an error", () => {
    for (const field of FIELDS[type] ?? []) {
      for (const value of [null, "x", 3, true, Number.POSITIVE_INFINITY]) {
        expectBadResponse(type, payload, { [field]: value });
      }
    }
  });

  it("with fields left out is graded with their defaults", () => {
    expect(empty.items.length).toBeGreaterThan(0);
    expect(grade(type, payload, { [FIELDS[type]?.[0] ?? ""]: undefined })).toEqual(empty);
  });

  it("may be a list of the fields' values, as serde reads structs", () => {
    expect(grade(type, payload, [])).toEqual(empty);
    const fields = FIELDS[type] ?? [];
    expectBadResponse(type, payload, [...fields.map(() => undefined), {}]);
  });
});

describe("QUIZ answers", () => {
  const payload = payloadOf("QUIZ", "answer_forms");

  it("of a form the question does not take are incorrect; ids it does not have unanswered", () => {
    const g = grade("QUIZ", payload, { answers: { q1: "nope", q2: [], q3: "true", q4: false } });
    expect(outcomes(g)).toEqual(["unanswered", "unanswered", "incorrect", "incorrect"]);
  });

  it("that are not a bool, a string or a list of strings are an error", () => {
    for (const answer of [null, 1, {}, [1], ["q2a", null], { q2a: true }]) {
      expectBadResponse("QUIZ", payload, { answers: { q2: answer } });
    }
    // A hole in a list is `null` in JSON.
    expectBadResponse("QUIZ", payload, { answers: { q2: ["q2a", , "q2b"] } });
  });

  it("may come as a list holding the answers", () => {
    expect(grade("QUIZ", payload, [{ q1: "q1a" }])).toEqual(grade("QUIZ", payload, { answers: { q1: "q1a" } }));
  });

  it("are looked up by own keys only", () => {
    const g = grade("QUIZ", payload, { answers: { toString: "q1a", __proto__: null } });
    expect(outcomes(g)).toEqual(["unanswered", "unanswered", "unanswered", "unanswered"]);
  });
});

describe("QUIZ payloads", () => {
  const question = { id: "q1", text: "2 + 2?", options: [{ id: "a", text: "4", correct: true }, { id: "b", text: "5" }] };

  it("take serde's defaults: one point, single choice", () => {
    const g = grade("QUIZ", { questions: [question] }, { answers: { q1: "a" } });
    expect(g).toEqual({
      score: 1,
      max_score: 1,
      items: [{ pointer: "/questions/0", outcome: "correct", score: 1, max_score: 1, feedback: [] }],
    });
  });

  it("in schema version 1 are upgraded as quiz/v1.rs does", () => {
    const v1 = { schema_version: 1, questions: [{ prompt: "2 + 2?", choices: ["3", "4", "5"], answer: 1 }] };
    expect(grade("QUIZ", v1, { answers: { q1: "q1b" } }).items[0]?.outcome).toBe("correct");
    expect(grade("QUIZ", v1, { answers: { q1: "q1a" } }).items[0]?.outcome).toBe("incorrect");
    const many = { schema_version: 1, questions: [{ prompt: "?", choices: [...Array(28).keys()].map(String), answer: 27 }] };
    expect(grade("QUIZ", many, { answers: { q1: "q1_28" } }).items[0]?.outcome).toBe("correct");
  });

  it("that are not objects or have a version this code cannot read are an error", () => {
    const cases: [unknown, string][] = [
      [null, "/: a component payload must be a JSON object"],
      [[question], "/: a component payload must be a JSON object"],
      [{ schema_version: 3, questions: [question] }, "newer ClassKit Studio (schema version 3)"],
      [{ schema_version: 0, questions: [question] }, "whole number from 1"],
      [{ schema_version: "2", questions: [question] }, "whole number from 1"],
      [{ schema_version: 1.5, questions: [question] }, "whole number from 1"],
      [{ schema_version: null, questions: [question] }, "whole number from 1"],
    ];
    for (const [payload, message] of cases) {
      expect(() => grade("QUIZ", payload, {})).toThrow(GradeError);
      expect(() => grade("QUIZ", payload, {})).toThrow(message);
    }
    expect(() => grade("CLOZE", { schema_version: 2 }, {})).toThrow("newer ClassKit Studio");
  });
});

describe("CLOZE", () => {
  const payload = {
    case_sensitive: true,
    text: "[[a]] [[b]] [[c]] [[constructor]]",
    blanks: [
      { id: "a", answers: ["Calvin"] },
      { id: "b", answers: ["Calvin"], case_sensitive: null },
      { id: "c", answers: ["Calvin"], case_sensitive: false },
      { id: "constructor", answers: ["x"] },
    ],
  };

  it("blanks take the component's case rule unless they set their own (absent and null alike)", () => {
    const g = grade("CLOZE", payload, { answers: { a: "calvin", b: "calvin", c: "calvin" } });
    expect(outcomes(g)).toEqual(["incorrect", "incorrect", "correct", "unanswered"]);
  });

  it("answers that are not strings are an error", () => {
    for (const answer of [null, 1, ["Calvin"], { text: "Calvin" }]) {
      expectBadResponse("CLOZE", payload, { answers: { a: answer } });
    }
  });
});

describe("DICTATION", () => {
  const payload = { sentences: [{ id: "s1", text: "The quick brown fox, 250,000 times." }] };

  it("takes serde's defaults: one typo per word, punctuation ignored", () => {
    const g = grade("DICTATION", payload, { answers: { s1: "the quik brown fox 250000 times" } });
    expect(g.items[0]).toMatchObject({ outcome: "partial", score: 1 });
    const strict = grade("DICTATION", { ...payload, max_typos_per_word: 0 }, { answers: { s1: "the quik brown fox 250000 times" } });
    expect(strict.items[0]?.score).toBeCloseTo(5 / 6, 12);
    expect(grade("DICTATION", payload, { answers: { s1: " ?! " } }).items[0]?.outcome).toBe("unanswered");
  });

  it("answers that are not strings are an error", () => {
    expectBadResponse("DICTATION", payload, { answers: { s1: ["the"] } });
  });
});

describe("FLASHCARDS ratings", () => {
  const payload = payloadOf("FLASHCARDS", "mixed_ratings") as { cards: { id: string }[] };
  const id = payload.cards[0]?.id ?? "";

  it("other than the four names are an error", () => {
    for (const rating of ["great", "Good", 1, null, {}, { good: 1 }, { good: null, easy: null }]) {
      expectBadResponse("FLASHCARDS", payload, { ratings: { [id]: rating } });
    }
  });

  it("may be written as serde writes a unit variant in a map, {name: null}", () => {
    expect(grade("FLASHCARDS", payload, { ratings: { [id]: { hard: null } } }).items[0]).toMatchObject({
      outcome: "partial",
      score: 0.5,
    });
  });

  it("of ids that are not cards are ignored", () => {
    expect(grade("FLASHCARDS", payload, { ratings: { nope: "good" } })).toEqual(grade("FLASHCARDS", payload, {}));
  });
});

describe("ROLEPLAY levels", () => {
  const payload = payloadOf("ROLEPLAY", "mixed_levels");

  it("that are not numbers are an error", () => {
    const { rubric } = payload as { rubric: { criteria: { id: string }[] } };
    const id = rubric.criteria[0]?.id ?? "";
    for (const level of ["2", null, [2], Number.NaN]) {
      expectBadResponse("ROLEPLAY", payload, { levels: { [id]: level } });
    }
  });
});

describe("MATCHING", () => {
  const pairs = payloadOf("MATCHING", "pairs-all-correct");

  it("reads every field whatever the mode, as serde does", () => {
    expectBadResponse("MATCHING", pairs, { matches: {}, order: "first" });
    expectBadResponse("MATCHING", pairs, { placements: { a: 1 } });
    expectBadResponse("MATCHING", pairs, { order: [1] });
    expect(grade("MATCHING", pairs, { order: ["x"], placements: { a: "b" } })).toEqual(grade("MATCHING", pairs, {}));
  });

  it("takes the order as the third value of a list", () => {
    const order = payloadOf("MATCHING", "order-correct") as { steps: { id: string }[] };
    const ids = order.steps.map((s) => s.id);
    expect(grade("MATCHING", order, [{}, {}, ids])).toEqual(grade("MATCHING", order, { order: ids }));
  });
});

describe("HOTSPOT clicks", () => {
  const payload = payloadOf("HOTSPOT", "find-two-correct-regions");

  it("that are not two numbers are an error", () => {
    for (const click of [[0.5], [0.5, 0.5, 0.5], ["0.5", 0.5], [0.5, null], { x: 0.5, y: 0.5 }, 0.5]) {
      expectBadResponse("HOTSPOT", payload, { clicks: [click] });
    }
    expectBadResponse("HOTSPOT", payload, { visited: "a" });
    expectBadResponse("HOTSPOT", payload, { labels: { a: 1 } });
  });

  it("that hit nothing are ignored", () => {
    expect(grade("HOTSPOT", payload, { clicks: [[-5, -5], [1e300, 0]] })).toEqual(grade("HOTSPOT", payload, {}));
  });
});

describe("BRANCHING choices", () => {
  const payload = payloadOf("BRANCHING", "best-path");

  it("that are not strings are an error", () => {
    expectBadResponse("BRANCHING", payload, { choices: [1] });
    expectBadResponse("BRANCHING", payload, { choices: "c1" });
  });

  it("that name no choice stop the walk", () => {
    const g = grade("BRANCHING", payload, { choices: ["nope", "more"] });
    expect(g.items).toHaveLength(1);
    expect(g.items[0]?.outcome).toBe("incorrect");
  });
});

describe("types that are not graded", () => {
  it("throw the error Rust returns", () => {
    for (const type of ["REVIEW", "SHADOWING", "PRONUNCIATION"] as const) {
      expect(isGraded(type)).toBe(false);
      expect(() => grade(type, {}, {})).toThrow(GradeError);
      expect(() => grade(type, {}, {})).toThrow(`${type} components are not graded by a function`);
    }
    expect(() => grade("toString" as ComponentType, {}, {})).toThrow(GradeError);
  });
});

describe("payloads of the wrong shape", () => {
  it("never fail with a TypeError (validation is the exporter's job; see shared.ts readGraded)", () => {
    const junk = [
      {},
      { questions: [null, 5, "x"] }, { blanks: {} }, { regions: [{ shape: { kind: "polygon", points: [[1], 2] } }] },
      { mode: "find", regions: [{ correct: true, shape: { kind: "polygon", points: [[1], 2, [0.5, 0.5], []] } }] },
    ];
    for (const type of GRADED) {
      for (const payload of junk) {
        for (const response of [{}, [], { clicks: [[0.5, 0.5]], choices: ["x"] }]) {
          try {
            grade(type, payload, response);
          } catch (e) {
            expect(e).toBeInstanceOf(GradeError);
          }
        }
      }
    }
  });
});
