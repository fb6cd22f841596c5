import { fireEvent, render, screen } from "@testing-library/svelte";
import { expect, it } from "vitest";
import type { ClozePayload, Grade } from "../../src/lib/generated/ipc";
import LearnerPreview from "../../src/lib/preview/LearnerPreview.svelte";
import { mockGrade } from "./harness";

// The cloze of crates/model/src/components/cloze.rs, with a hint.
const cloze: ClozePayload = {
  instructions: "Fill in the missing terms.",
  text: "The [[b1]] cycle runs in the [[b2]].",
  blanks: [
    { id: "b1", answers: ["Calvin"], case_sensitive: true },
    { id: "b2", answers: ["stroma"], distractors: ["lumen"], hint: "The fluid around the thylakoids" },
  ],
};

const graded: Grade = {
  score: 1,
  max_score: 2,
  items: [
    { pointer: "/blanks/0", outcome: "incorrect", score: 0, max_score: 1, feedback: [] },
    { pointer: "/blanks/1", outcome: "correct", score: 1, max_score: 1, feedback: [] },
  ],
};

it("puts typed blanks in the text and grades what the learner typed", async () => {
  const calls = mockGrade(graded);
  const { container } = render(LearnerPreview, { componentType: "CLOZE", payload: cloze });
  expect(container.querySelector(".text")?.textContent?.replace(/\s+/g, " ")).toContain("The");
  const first = screen.getByRole("textbox", { name: "Blank 1" });
  const second = screen.getByRole("textbox", { name: "Blank 2" });
  // The inputs stand where the markers are.
  const text = container.querySelector(".text");
  expect(text?.textContent).not.toContain("[[");

  const hint = screen.getByRole("button", { name: "Hint for blank 2" });
  expect(screen.getByText("The fluid around the thylakoids").hidden).toBe(true);
  await fireEvent.click(hint);
  expect(screen.getByText("The fluid around the thylakoids").hidden).toBe(false);
  expect(hint.getAttribute("aria-expanded")).toBe("true");

  await fireEvent.input(first, { target: { value: "calvin" } });
  await fireEvent.input(second, { target: { value: "STROMA" } });
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));

  expect(await screen.findByText("Score: 1 / 2")).toBeTruthy();
  expect(calls).toEqual([
    { componentType: "CLOZE", payload: cloze, response: { answers: { b1: "calvin", b2: "STROMA" } } },
  ]);
  expect(screen.getByText("Incorrect")).toBeTruthy();
  expect(screen.getByText("Correct")).toBeTruthy();
  // The solution (the first accepted answer) of the blank that was wrong.
  expect(screen.getByText(/Answer: Calvin/)).toBeTruthy();
  expect(screen.queryByText(/Answer: stroma/)).toBeNull();
});

it("offers the word bank in drag mode and leaves empty blanks out", async () => {
  const payload = { ...cloze, mode: "drag" as const };
  const calls = mockGrade({ ...graded, score: 1 });
  render(LearnerPreview, { componentType: "CLOZE", payload });
  const select = screen.getByRole("combobox", { name: "Blank 2" }) as HTMLSelectElement;
  const words = [...select.options].map((o) => o.textContent).slice(1);
  expect([...words].sort()).toEqual(["Calvin", "lumen", "stroma"]);
  expect(screen.getByText("Word bank")).toBeTruthy();
  await fireEvent.change(select, { target: { value: "lumen" } });
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  await screen.findByText("Score: 1 / 2");
  expect(calls).toEqual([{ componentType: "CLOZE", payload, response: { answers: { b2: "lumen" } } }]);
});

it("shows a marker without a blank as text", () => {
  render(LearnerPreview, {
    componentType: "CLOZE",
    payload: { text: "Runs in the [[b9]] and [[b1]].", blanks: [{ id: "b1" }] },
  });
  expect(screen.getByText(/Runs in the \[\[b9\]\] and/)).toBeTruthy();
  expect(screen.getAllByRole("textbox")).toHaveLength(1);
});
