import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { expect, it } from "vitest";
import type { BranchingPayload } from "../../src/lib/generated/ipc";
import LearnerPreview from "../../src/lib/preview/LearnerPreview.svelte";
import { mockGrade } from "./harness";

// `scenario()` of crates/model/src/components/branching.rs: a good (+2) or a poor (+0)
// opening; the poor one can loop back at -1.
const scenario: BranchingPayload = {
  title: "The supplier says 47 cents",
  start: "open",
  nodes: [
    {
      id: "open",
      title: "Opening",
      text: "Situation open",
      choices: [
        { id: "good", text: "Choice good", target: "deal", points: 2 },
        { id: "poor", text: "Choice poor", target: "stall", points: 0, feedback: "That gives nothing away." },
      ],
    },
    {
      id: "stall",
      text: "Situation stall",
      choices: [
        { id: "retry", text: "Choice retry", target: "open", points: -1 },
        { id: "give", text: "Choice give", target: "nodeal", points: 0 },
      ],
    },
    { id: "deal", end: true, outcome: "Outcome deal" },
    { id: "nodeal", end: true, outcome: "Outcome nodeal" },
  ],
};

it("walks the scenario from the start and grades the path taken", async () => {
  const calls = mockGrade({
    score: 1,
    max_score: 2,
    items: [
      { pointer: "/nodes/0/choices/1", outcome: "partial", score: 0, max_score: 1, feedback: ["That gives nothing away."] },
      { pointer: "/nodes/1/choices/0", outcome: "correct", score: -1, max_score: -1, feedback: [] },
      { pointer: "/nodes/0/choices/0", outcome: "correct", score: 2, max_score: 2, feedback: [] },
      { pointer: "/nodes/2", outcome: "partial", score: 0, max_score: 0, feedback: ["Outcome deal"] },
    ],
  });
  render(LearnerPreview, { componentType: "BRANCHING", payload: scenario });
  expect(screen.getByRole("heading", { name: "The supplier says 47 cents" })).toBeTruthy();
  expect(screen.getByRole("heading", { name: "Opening" })).toBeTruthy();
  expect(screen.getByText("Situation open")).toBeTruthy();

  await fireEvent.click(screen.getByRole("button", { name: "Choice poor" }));
  expect(screen.getByText("Situation stall")).toBeTruthy();
  expect(screen.getByText("You chose: Choice poor")).toBeTruthy();
  expect(screen.getByText("That gives nothing away.")).toBeTruthy();
  await fireEvent.click(screen.getByRole("button", { name: "Choice retry" }));
  expect(screen.getByText("Situation open")).toBeTruthy();
  await fireEvent.click(screen.getByRole("button", { name: "Choice good" }));
  expect(screen.getByText("Outcome deal")).toBeTruthy();
  expect(screen.queryByRole("button", { name: /^Choice/ })).toBeNull();

  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  expect(await screen.findByText("Score: 1 / 2")).toBeTruthy();
  expect(calls).toEqual([
    { componentType: "BRANCHING", payload: scenario, response: { choices: ["poor", "retry", "good"] } },
  ]);
  const path = within(screen.getByRole("list", { name: "Your choices so far" }));
  const steps = path.getAllByRole("listitem").filter((li) => li.parentElement?.classList.contains("path"));
  expect(steps.map((li) => within(li).getByText(/Correct|Partly correct|Incorrect/).textContent)).toEqual([
    "Partly correct",
    "Correct",
    "Correct",
  ]);
  expect(within(steps[0] as HTMLElement).getByText("0 / 1 points")).toBeTruthy();
  expect(within(steps[1] as HTMLElement).getByText("-1 / -1 points")).toBeTruthy();
  // The end's item, with the outcome as feedback, below the end.
  expect(screen.getAllByText("Outcome deal")).toHaveLength(2);

  await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
  expect(screen.getByText("Situation open")).toBeTruthy();
  expect(screen.queryByRole("list", { name: "Your choices so far" })).toBeNull();
});

it("can be checked before the end and says when there is no start", async () => {
  const calls = mockGrade({
    score: 0,
    max_score: 2,
    items: [{ pointer: "/nodes/0", outcome: "unanswered", score: 0, max_score: 2, feedback: [] }],
  });
  const { unmount } = render(LearnerPreview, { componentType: "BRANCHING", payload: scenario });
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  expect(await screen.findByText("Not answered")).toBeTruthy();
  expect(calls).toEqual([{ componentType: "BRANCHING", payload: scenario, response: { choices: [] } }]);
  unmount();
  render(LearnerPreview, { componentType: "BRANCHING", payload: { ...scenario, start: "" } });
  expect(screen.getByText("Choose the node the scenario starts at to preview it.")).toBeTruthy();
});

it("does not follow a choice to a node that does not exist", () => {
  render(LearnerPreview, {
    componentType: "BRANCHING",
    payload: { start: "a", nodes: [{ id: "a", text: "Here", choices: [{ id: "c", text: "Go", target: "n9" }] }] },
  });
  expect((screen.getByRole("button", { name: "Go" }) as HTMLButtonElement).disabled).toBe(true);
  expect(screen.getByText("(leads to no node yet)")).toBeTruthy();
});
