import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { expect, it } from "vitest";
import type { MatchingPayload } from "../../src/lib/generated/ipc";
import LearnerPreview from "../../src/lib/preview/LearnerPreview.svelte";
import { mockGrade } from "./harness";

// `stages()` of crates/model/src/components/matching.rs.
const stages: MatchingPayload = {
  mode: "pairs",
  instructions: "Match each stage with where it happens.",
  pairs: [
    { id: "p1", left: "Light-dependent reactions", right: "Thylakoid membranes" },
    {
      id: "p2",
      left: "Calvin cycle",
      right: "Stroma",
      feedback: "The Calvin cycle runs in the fluid around the thylakoids.",
    },
    { id: "p3", left: "Proton build-up", right: "Lumen" },
  ],
  distractors: [{ id: "d1", text: "Cell wall", feedback: "The cell wall is outside the chloroplast." }],
};

function optionTexts(select: HTMLElement): string[] {
  return [...(select as HTMLSelectElement).options].map((o) => o.textContent ?? "");
}

it("matches each left item with a right item or distractor and grades the pairs", async () => {
  const calls = mockGrade({
    score: 1,
    max_score: 3,
    items: [
      { pointer: "/pairs/0", outcome: "correct", score: 1, max_score: 1, feedback: [] },
      {
        pointer: "/pairs/1",
        outcome: "incorrect",
        score: 0,
        max_score: 1,
        feedback: [
          "The cell wall is outside the chloroplast.",
          "The Calvin cycle runs in the fluid around the thylakoids.",
        ],
      },
      { pointer: "/pairs/2", outcome: "unanswered", score: 0, max_score: 1, feedback: [] },
    ],
  });
  const { unmount } = render(LearnerPreview, { componentType: "MATCHING", payload: stages });
  const light = screen.getByRole("combobox", { name: "Light-dependent reactions" });
  const calvin = screen.getByRole("combobox", { name: "Calvin cycle" });
  const order = optionTexts(light);
  expect(order[0]).toBe("Choose…");
  expect(order.slice(1).sort()).toEqual(["Cell wall", "Lumen", "Stroma", "Thylakoid membranes"]);
  // Every select offers the same shuffled order, and so does the next render.
  expect(optionTexts(calvin)).toEqual(order);
  unmount();
  render(LearnerPreview, { componentType: "MATCHING", payload: stages });
  expect(optionTexts(screen.getByRole("combobox", { name: "Light-dependent reactions" }))).toEqual(order);

  await fireEvent.change(screen.getByRole("combobox", { name: "Light-dependent reactions" }), {
    target: { value: "p1" },
  });
  await fireEvent.change(screen.getByRole("combobox", { name: "Calvin cycle" }), { target: { value: "d1" } });
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));

  expect(await screen.findByText("Score: 1 / 3")).toBeTruthy();
  expect(calls).toEqual([
    { componentType: "MATCHING", payload: stages, response: { matches: { p1: "p1", p2: "d1" } } },
  ]);
  expect(screen.getByText("The cell wall is outside the chloroplast.")).toBeTruthy();
  expect(screen.getByText("The Calvin cycle runs in the fluid around the thylakoids.")).toBeTruthy();
  expect(screen.getByText("Not answered")).toBeTruthy();
});

it("sorts items into categories", async () => {
  const payload: MatchingPayload = {
    mode: "categories",
    categories: [
      { id: "c3", name: "C3" },
      { id: "c4", name: "C4" },
    ],
    items: [
      { id: "wheat", text: "Wheat", category: "c3" },
      { id: "maize", text: "Maize", category: "c4", feedback: "Maize is a C4 plant." },
    ],
  };
  const calls = mockGrade({
    score: 1,
    max_score: 2,
    items: [
      { pointer: "/items/0", outcome: "correct", score: 1, max_score: 1, feedback: [] },
      { pointer: "/items/1", outcome: "incorrect", score: 0, max_score: 1, feedback: ["Maize is a C4 plant."] },
    ],
  });
  render(LearnerPreview, { componentType: "MATCHING", payload });
  await fireEvent.change(screen.getByRole("combobox", { name: "Wheat" }), { target: { value: "c3" } });
  await fireEvent.change(screen.getByRole("combobox", { name: "Maize" }), { target: { value: "c3" } });
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  expect(await screen.findByText("Maize is a C4 plant.")).toBeTruthy();
  expect(calls).toEqual([
    { componentType: "MATCHING", payload, response: { placements: { wheat: "c3", maize: "c3" } } },
  ]);
});

const steps: MatchingPayload = {
  mode: "order",
  steps: [
    { id: "a", text: "Light is absorbed" },
    { id: "b", text: "Water is split" },
    { id: "c", text: "ATP is made" },
    { id: "d", text: "CO2 is fixed" },
    { id: "e", text: "Sugar is built", feedback: "Sugar comes last, from the fixed carbon." },
  ],
};

function shownOrder(): string[] {
  return screen
    .getAllByRole("button", { name: /^Move up: / })
    .map((b) => b.getAttribute("aria-label")?.replace("Move up: ", "") ?? "");
}

it("starts the steps scrambled and lets the learner order them with Move up and Move down", async () => {
  const calls = mockGrade({
    score: 4,
    max_score: 4,
    items: ["b", "c", "d", "e"].map((_, k) => ({
      pointer: `/steps/${k + 1}`,
      outcome: "correct" as const,
      score: 1,
      max_score: 1,
      feedback: [],
    })),
  });
  const { unmount } = render(LearnerPreview, { componentType: "MATCHING", payload: steps });
  const start = shownOrder();
  const texts = steps.steps?.map((s) => s.text ?? "") ?? [];
  expect(start).not.toEqual(texts);
  expect([...start].sort()).toEqual([...texts].sort());
  unmount();
  render(LearnerPreview, { componentType: "MATCHING", payload: steps });
  expect(shownOrder()).toEqual(start);

  // The first step can't go up, the last can't go down.
  const first = start[0] ?? "";
  expect((screen.getByRole("button", { name: `Move up: ${first}` }) as HTMLButtonElement).disabled).toBe(true);

  // Sort by moving steps up, as a learner would.
  for (let target = 0; target < texts.length; target++) {
    const text = texts[target] ?? "";
    while (shownOrder().indexOf(text) > target) {
      await fireEvent.click(screen.getByRole("button", { name: `Move up: ${text}` }));
    }
  }
  expect(shownOrder()).toEqual(texts);
  // One Move down and back up again.
  await fireEvent.click(screen.getByRole("button", { name: "Move down: Light is absorbed" }));
  expect(shownOrder().slice(0, 2)).toEqual(["Water is split", "Light is absorbed"]);
  expect(screen.getByText("“Light is absorbed” is now step 2 of 5.")).toBeTruthy();
  // The focus stays with the step that moved.
  await waitFor(() =>
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Move down: Light is absorbed"),
  );
  await fireEvent.click(screen.getByRole("button", { name: "Move up: Light is absorbed" }));

  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  expect(await screen.findByText("Score: 4 / 4")).toBeTruthy();
  expect(calls).toEqual([
    { componentType: "MATCHING", payload: steps, response: { order: ["a", "b", "c", "d", "e"] } },
  ]);
  expect(screen.getAllByText("Correct")).toHaveLength(4);
});
