import { expect, it } from "vitest";
import type { ComponentType } from "../src/lib/generated/ipc";
import { irrelevant, payloadSchema, readValue, type JsonSchema } from "../src/lib/schema";
import { readHotspot, readPayload } from "../src/lib/preview/payloads";

it("hides the fields of other modes as the schema's x-only-when says", () => {
  // A question without a kind is single choice, the schema's default.
  expect(irrelevant("Question", {}, "options")).toBe(false);
  expect(irrelevant("Question", {}, "answer")).toBe(true);
  expect(irrelevant("Question", { kind: "true_false" }, "answer")).toBe(false);
  expect(irrelevant("Question", { kind: "true_false" }, "options")).toBe(true);
  expect(irrelevant("Question", { kind: "short_answer" }, "case_sensitive")).toBe(false);
  expect(irrelevant("Question", { kind: "multiple_choice" }, "case_sensitive")).toBe(true);
  expect(irrelevant("Question", { kind: "true_false" }, "text")).toBe(false);

  expect(irrelevant("MatchingPayload", {}, "pairs")).toBe(false);
  expect(irrelevant("MatchingPayload", {}, "steps")).toBe(true);
  expect(irrelevant("MatchingPayload", { mode: "order" }, "steps")).toBe(false);
  expect(irrelevant("MatchingPayload", { mode: "order" }, "distractors")).toBe(true);
  expect(irrelevant("MatchingPayload", { mode: "categories" }, "items")).toBe(false);

  expect(irrelevant("RoleplayPayload", { mode: "ai_driven" }, "turns")).toBe(true);
  expect(irrelevant("RoleplayPayload", {}, "turns")).toBe(false);
  expect(irrelevant("Turn", {}, "hints")).toBe(true);
  expect(irrelevant("Turn", { speaker: "learner" }, "expected_phrases")).toBe(false);

  expect(irrelevant("BranchingNode", {}, "outcome")).toBe(true);
  expect(irrelevant("BranchingNode", {}, "choices")).toBe(false);
  expect(irrelevant("BranchingNode", { end: true }, "outcome")).toBe(false);
  expect(irrelevant("BranchingNode", { end: true }, "choices")).toBe(true);

  expect(irrelevant("QuizPayload", {}, "schema_version")).toBe(true);
});

it("reads a draft with the schema's defaults for what is missing or of the wrong form", () => {
  const quiz = readPayload("QUIZ", {
    title: 3,
    extra: "dropped",
    questions: [{ id: "q1", kind: "essay", points: "many", options: [{ id: "a" }, "b"] }, null],
  });
  expect(quiz).toEqual({
    schema_version: 2,
    title: "",
    shuffle: false,
    questions: [
      {
        id: "q1",
        kind: "single_choice",
        text: "",
        points: 1,
        options: [
          { id: "a", text: "", correct: false, feedback: "" },
          { id: "", text: "", correct: false, feedback: "" },
        ],
        answer: null,
        accepted_answers: [],
        case_sensitive: false,
        accent_sensitive: false,
        correct_feedback: "",
        incorrect_feedback: "",
        explanation: "",
        provenance: null,
      },
      expect.objectContaining({ id: "", kind: "single_choice", points: 1, answer: null }),
    ],
  });
  expect(readPayload("QUIZ", "not a payload").questions).toEqual([]);

  const hotspot = readHotspot({
    image: " ",
    image_width: "wide",
    regions: [
      { id: "r1", shape: { kind: "ellipse", cx: 0.5 } },
      { id: "r2", shape: { kind: "star" } },
      { id: "r3", shape: { kind: "polygon", points: [[0.1, 0.2], [0.3], "x"] } },
    ],
  });
  expect(hotspot.image).toBeNull();
  expect(hotspot.image_width).toBeNull();
  expect(hotspot.mode).toBe("explore");
  expect(hotspot.regions.map((r) => r.shape)).toEqual([
    { kind: "ellipse", cx: 0.5, cy: 0, rx: 0, ry: 0 },
    null,
    { kind: "polygon", points: [[0.1, 0.2]] },
  ]);

  // Defaults written in the schema win over the kind of value's own.
  expect(readPayload("SHADOWING", {}).repetitions).toBe(3);
  expect(readPayload("ROLEPLAY", { persona: { role: "Buyer" } }).persona).toEqual({
    name: "",
    role: "Buyer",
    personality: "",
  });
  const nullable: JsonSchema = { type: ["string", "null"] };
  expect(readValue(nullable, null)).toBeNull();
  expect(readValue(nullable, 5)).toBeNull();
  expect(readValue(payloadSchema("DICTATION"), { sentences: [{ language: "ko" }] })).toMatchObject({
    sentences: [{ language: "ko", audio: null, text: "" }],
  });
});

// Drafted payloads carry `provenance`; reading one once looped for ever in WebKit (whose
// JavaScript engine runs tail calls without a stack to overflow).
it("reads every sample payload of the model, provenance included, and reading again changes nothing", async () => {
  const { readdir, readFile } = await import("node:fs/promises");
  const { resolve } = await import("node:path");
  // Vitest runs in ui/.
  const dir = resolve(process.cwd(), "../crates/model/tests/samples");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".json"));
  expect(files.length).toBeGreaterThanOrEqual(22);
  let withProvenance = 0;
  for (const file of files) {
    const type = file.split(".")[0] as ComponentType;
    const payload: unknown = JSON.parse(await readFile(resolve(dir, file), "utf8"));
    if (JSON.stringify(payload).includes('"provenance"')) withProvenance += 1;
    const once = readPayload(type, payload);
    expect(readPayload(type, once), file).toEqual(once);
  }
  expect(withProvenance).toBeGreaterThan(0);
  const card = readPayload("FLASHCARDS", {
    cards: [{ id: "c1", term: "BATNA", provenance: { quote: "BATNA is …", start: 0, end: 12 } }],
  }).cards[0];
  expect(card?.provenance).toMatchObject({ quote: "BATNA is …", start: 0, end: 12, slide_id: null });
});
