import { fireEvent, render, screen } from "@testing-library/svelte";
import { expect, it } from "vitest";
import type { DictationPayload } from "../../src/lib/generated/ipc";
import LearnerPreview from "../../src/lib/preview/LearnerPreview.svelte";
import { mockGrade } from "./harness";

const AUDIO = "5f2b9c0e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c";

// `dictation()` of crates/model/src/components/dictation.rs, the first sentence with audio.
const dictation: DictationPayload = {
  instructions: "Listen and type each sentence.",
  sentences: [
    { id: "s1", text: "We'd like to propose 42 cents per unit.", audio: AUDIO },
    { id: "s2", text: "광합성은 엽록체에서 일어납니다.", language: "ko" },
  ],
};

it("plays each sentence, takes what the learner typed and grades it", async () => {
  const calls = mockGrade({
    score: 1.875,
    max_score: 2,
    items: [
      { pointer: "/sentences/0", outcome: "partial", score: 0.875, max_score: 1, feedback: [] },
      { pointer: "/sentences/1", outcome: "correct", score: 1, max_score: 1, feedback: [] },
    ],
  });
  const { container } = render(LearnerPreview, { componentType: "DICTATION", payload: dictation });
  const audio = container.querySelector("audio");
  expect(audio?.getAttribute("src")).toBe(`classkit://localhost/${AUDIO}`);
  expect(audio?.getAttribute("aria-label")).toBe("Listen to sentence 1");
  expect(audio?.hasAttribute("controls")).toBe(true);
  expect(container.querySelectorAll("audio")).toHaveLength(1);
  expect(screen.getByText(/The audio is not made yet/)).toBeTruthy();
  // The sentences themselves are not shown before checking.
  expect(screen.queryByText("We'd like to propose 42 cents per unit.")).toBeNull();

  const second = screen.getByRole("textbox", { name: "Sentence 2" });
  expect(second.getAttribute("lang")).toBe("ko");
  await fireEvent.input(screen.getByRole("textbox", { name: "Sentence 1" }), {
    target: { value: "We'd like propose 42 cents per unit" },
  });
  await fireEvent.input(second, { target: { value: "광합성은 엽록체에서 일어납니다" } });
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));

  expect(await screen.findByText("Score: 1.88 / 2")).toBeTruthy();
  expect(calls).toEqual([
    {
      componentType: "DICTATION",
      payload: dictation,
      response: { answers: { s1: "We'd like propose 42 cents per unit", s2: "광합성은 엽록체에서 일어납니다" } },
    },
  ]);
  expect(screen.getByText("Partly correct")).toBeTruthy();
  expect(screen.getByText("0.88 / 1 points")).toBeTruthy();
  expect(screen.getByText("We'd like to propose 42 cents per unit.")).toBeTruthy();
});
