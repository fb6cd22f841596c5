import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { expect, it } from "vitest";
import type { FlashcardsPayload } from "../../src/lib/generated/ipc";
import LearnerPreview from "../../src/lib/preview/LearnerPreview.svelte";
import { mockGrade } from "./harness";

const deck: FlashcardsPayload = {
  title: "Negotiation terms",
  cards: [
    { id: "c1", term: "BATNA", definition: "Best Alternative To a Negotiated Agreement", example: "Our BATNA is the other supplier." },
    { id: "c2", term: "ZOPA", definition: "Zone Of Possible Agreement" },
    { id: "c3", term: "Anchor", definition: "The first figure named" },
  ],
};

it("flips cards, takes the learner's rating of each and grades them", async () => {
  const calls = mockGrade({
    score: 1.5,
    max_score: 3,
    items: [
      { pointer: "/cards/0", outcome: "correct", score: 1, max_score: 1, feedback: [] },
      { pointer: "/cards/1", outcome: "partial", score: 0.5, max_score: 1, feedback: [] },
      { pointer: "/cards/2", outcome: "unanswered", score: 0, max_score: 1, feedback: [] },
    ],
  });
  render(LearnerPreview, { componentType: "FLASHCARDS", payload: deck });
  expect(screen.getByText("BATNA")).toBeTruthy();
  expect(screen.queryByText("Best Alternative To a Negotiated Agreement")).toBeNull();
  // Rating comes after flipping.
  expect(screen.queryByRole("radio")).toBeNull();

  const flip = screen.getByRole("button", { name: "Flip card 1 to the back" });
  await fireEvent.click(flip);
  expect(screen.getByText("Best Alternative To a Negotiated Agreement")).toBeTruthy();
  expect(screen.getByText("Our BATNA is the other supplier.")).toBeTruthy();
  expect(screen.queryByText("BATNA")).toBeNull();
  await fireEvent.click(within(screen.getByRole("group", { name: "How well did you recall card 1?" })).getByLabelText("Easy"));

  await fireEvent.click(screen.getByRole("button", { name: "Flip card 2 to the back" }));
  await fireEvent.click(within(screen.getByRole("group", { name: "How well did you recall card 2?" })).getByLabelText("Hard"));
  // Flipping back to the front keeps the rating.
  await fireEvent.click(screen.getByRole("button", { name: "Flip card 2 to the front" }));
  expect(screen.getByText("ZOPA")).toBeTruthy();

  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  expect(await screen.findByText("Score: 1.5 / 3")).toBeTruthy();
  expect(calls).toEqual([
    { componentType: "FLASHCARDS", payload: deck, response: { ratings: { c1: "easy", c2: "hard" } } },
  ]);
  expect(screen.getByText("Partly correct")).toBeTruthy();
  expect(screen.getByText("0.5 / 1 points")).toBeTruthy();
  expect(screen.getByText("Not answered")).toBeTruthy();

  await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
  expect(screen.queryByRole("radio")).toBeNull();
  expect(screen.getByText("BATNA")).toBeTruthy();
});
