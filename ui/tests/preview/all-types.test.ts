import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { ComponentType } from "../../src/lib/generated/ipc";
import LearnerPreview from "../../src/lib/preview/LearnerPreview.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
});

const TYPES: ComponentType[] = [
  "REVIEW",
  "QUIZ",
  "ROLEPLAY",
  "SHADOWING",
  "PRONUNCIATION",
  "FLASHCARDS",
  "CLOZE",
  "MATCHING",
  "HOTSPOT",
  "BRANCHING",
  "DICTATION",
];

describe("an empty draft", () => {
  it.each(TYPES)("%s renders with nothing to preview", (componentType) => {
    render(LearnerPreview, { componentType, payload: {} });
    expect(screen.getByText("Nothing to preview yet.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Check answers" })).toBeNull();
  });
});

// Fields of the wrong form, nulls and holes: what a half-written or hand-edited draft may hold.
const broken: Record<ComponentType, unknown> = {
  REVIEW: { title: 3, cards: [null, { heading: "H", points: [1, "p"] }] },
  QUIZ: { questions: [null, 7, { kind: "nonsense", options: "x" }, { kind: "multiple_choice", options: [null] }] },
  ROLEPLAY: { scenario: "S", persona: null, turns: [null, { speaker: "learner" }], rubric: { criteria: [{ levels: [null] }] } },
  SHADOWING: { items: [null, { text: "Hi", audio: 5 }], playback_rates: ["x", 0.75], repetitions: "3" },
  PRONUNCIATION: { items: [{}, null, { target: "negotiate", ipa: "/nɪˈɡoʊʃieɪt/" }] },
  FLASHCARDS: { cards: [{}, null, { term: 5 }] },
  CLOZE: { text: "[[b1]] [[]] [[open", blanks: [null, { id: "b1", answers: null }] },
  MATCHING: { mode: "order", steps: [null, {}, { id: "x" }] },
  HOTSPOT: {
    mode: "find",
    regions: [null, { shape: { kind: "star" } }, { shape: { kind: "polygon", points: [[0, 0], "x", [1]] } }, { shape: { kind: "rectangle" } }],
  },
  BRANCHING: { start: "a", nodes: [null, { id: "a", choices: [null, { target: "a" }] }] },
  DICTATION: { sentences: [null, { id: "s1", audio: "" }] },
};

describe("a broken draft", () => {
  it.each(TYPES)("%s renders without throwing", (componentType) => {
    const { container } = render(LearnerPreview, { componentType, payload: broken[componentType] });
    expect(container.querySelector(".learner-preview")).toBeTruthy();
  });

  it.each(TYPES)("%s survives a payload that is not an object", (componentType) => {
    for (const payload of [null, undefined, "text", 42, []]) {
      render(LearnerPreview, { componentType, payload });
      cleanup();
    }
  });
});

it("plays the slide's narration at the top", () => {
  const sha256 = "a".repeat(64);
  const { container } = render(LearnerPreview, {
    componentType: "REVIEW",
    payload: { cards: [{ heading: "Photosynthesis", points: ["Light becomes sugar."] }] },
    narration: { sha256, media_type: "audio/mpeg", duration_ms: 4000 },
  });
  const audio = container.querySelector("audio");
  expect(audio?.getAttribute("aria-label")).toBe("Play narration");
  expect(audio?.getAttribute("src")).toBe(`classkit://localhost/${sha256}`);
  expect(container.querySelector(".learner-preview")?.firstElementChild?.contains(audio ?? null)).toBe(true);
  expect(screen.getByRole("heading", { name: "Photosynthesis" })).toBeTruthy();
  expect(screen.getByText("Light becomes sugar.")).toBeTruthy();
});

it("shows shadowing and pronunciation items with their reference audio", async () => {
  const sha256 = "b".repeat(64);
  const { container, unmount } = render(LearnerPreview, {
    componentType: "SHADOWING",
    payload: {
      language: "en-US",
      repetitions: 2,
      playback_rates: [0.75, 1],
      items: [
        { id: "s1", text: "We'd like to propose 42 cents.", audio: sha256, translation: "42센트를 제안하고 싶습니다." },
        { id: "s2", text: "That works for us." },
      ],
    },
  });
  expect(screen.getByText("Repeat each sentence 2 times.")).toBeTruthy();
  expect(container.querySelectorAll("audio")).toHaveLength(1);
  expect(screen.getByRole("combobox", { name: "Speed" })).toBeTruthy();
  expect(screen.getByText("The audio is not made yet.")).toBeTruthy();
  expect(screen.getByText("42센트를 제안하고 싶습니다.").hidden).toBe(true);
  await fireEvent.click(screen.getByRole("button", { name: "Show translation" }));
  expect(screen.getByText("42센트를 제안하고 싶습니다.").hidden).toBe(false);
  unmount();

  render(LearnerPreview, {
    componentType: "PRONUNCIATION",
    payload: {
      language: "en-US",
      items: [{ id: "p1", target: "negotiate", ipa: "/nɪˈɡoʊʃieɪt/", tips: "stress the second syllable", audio: sha256 }],
    },
  });
  expect(screen.getByText("negotiate").getAttribute("lang")).toBe("en-US");
  expect(screen.getByText("/nɪˈɡoʊʃieɪt/")).toBeTruthy();
  expect(screen.getByText("Tip: stress the second syllable")).toBeTruthy();
  expect(screen.getByLabelText("Reference audio 1").tagName).toBe("AUDIO");
});

it("forgets a grade when the author changes the payload", async () => {
  const { mockIPC } = await import("@tauri-apps/api/mocks");
  mockIPC(() => ({ score: 1, max_score: 1, items: [] }));
  const payload = { cards: [{ id: "c1", term: "BATNA", definition: "Best alternative" }] };
  const { rerender } = render(LearnerPreview, { componentType: "FLASHCARDS", payload });
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  await screen.findByText("Score: 1 / 1");
  await rerender({ componentType: "FLASHCARDS", payload: { cards: [{ id: "c1", term: "BATNA", definition: "Best alternative to a deal" }] } });
  expect(screen.queryByText("Score: 1 / 1")).toBeNull();
  expect(screen.getByRole("button", { name: "Check answers" })).toBeTruthy();
});
