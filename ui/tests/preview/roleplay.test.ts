import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { expect, it } from "vitest";
import type { RoleplayPayload } from "../../src/lib/generated/ipc";
import LearnerPreview from "../../src/lib/preview/LearnerPreview.svelte";
import { mockGrade } from "./harness";

// `roleplay()` of crates/model/src/components/roleplay.rs, with a role and hints.
const roleplay: RoleplayPayload = {
  scenario: "Agree a price for cardboard boxes.",
  persona: { name: "Daniel", role: "Sales manager", personality: "Friendly but firm." },
  learner_role: "Buyer at Greenfield Foods",
  learner_goal: "Reach a unit price under 45 cents.",
  turns: [
    { id: "t1", text: "What volume do you need?" },
    {
      id: "t2",
      speaker: "learner",
      text: "Around 200,000 boxes.",
      expected_phrases: ["200,000"],
      hints: ["Give a number."],
    },
    { id: "t3", text: "Then 47 cents is our best price." },
  ],
  rubric: {
    criteria: [
      {
        id: "clarity",
        description: "Clear figures",
        weight: 2,
        levels: [
          { score: 0, descriptor: "No figures" },
          { score: 1, descriptor: "Some figures" },
          { score: 4, descriptor: "Every figure confirmed" },
        ],
      },
      { id: "tone", description: "Polite tone", levels: [{ score: 1, descriptor: "Polite" }] },
    ],
  },
};

it("plays the scripted turns and grades the levels chosen for the rubric", async () => {
  const calls = mockGrade({
    score: 0.5,
    max_score: 3,
    items: [
      { pointer: "/rubric/criteria/0", outcome: "partial", score: 0.5, max_score: 2, feedback: ["Some figures"] },
      { pointer: "/rubric/criteria/1", outcome: "unanswered", score: 0, max_score: 1, feedback: [] },
    ],
  });
  render(LearnerPreview, { componentType: "ROLEPLAY", payload: roleplay });
  expect(screen.getByText("Agree a price for cardboard boxes.")).toBeTruthy();
  expect(screen.getByText("Daniel (Sales manager)")).toBeTruthy();
  expect(screen.queryByText("Friendly but firm.")).toBeNull();
  expect(screen.getByText("What volume do you need?")).toBeTruthy();
  // The conversation waits for the learner's reply.
  expect(screen.queryByText("Then 47 cents is our best price.")).toBeNull();
  await fireEvent.click(screen.getByRole("button", { name: "Show hints" }));
  expect(screen.getByText("Give a number.")).toBeTruthy();
  await fireEvent.input(screen.getByRole("textbox", { name: "Your reply" }), { target: { value: "About 200k." } });
  await fireEvent.click(screen.getByRole("button", { name: "Send" }));
  expect(screen.getByText("About 200k.")).toBeTruthy();
  expect(screen.getByText("Model answer: Around 200,000 boxes.")).toBeTruthy();
  expect(screen.getByText("Then 47 cents is our best price.")).toBeTruthy();

  await fireEvent.click(
    within(screen.getByRole("group", { name: "Clear figures" })).getByRole("radio", { name: "Some figures (1)" }),
  );
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  expect(await screen.findByText("Score: 0.5 / 3")).toBeTruthy();
  expect(calls).toEqual([{ componentType: "ROLEPLAY", payload: roleplay, response: { levels: { clarity: 1 } } }]);
  expect(screen.getAllByText("Some figures")).toHaveLength(1);
  expect(screen.getByText("0.5 / 2 points")).toBeTruthy();
});
