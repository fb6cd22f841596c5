import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, expect, it } from "vitest";
import type { Grade, QuizPayload } from "../../src/lib/generated/ipc";
import { setLocale } from "../../src/lib/i18n/index.svelte";
import LearnerPreview from "../../src/lib/preview/LearnerPreview.svelte";
import { mockGrade } from "./harness";

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

/** Answers `grade` with `grade` and records what it was asked. */

// The quiz of crates/model/src/components/quiz.rs, with an explanation.
const quiz: QuizPayload = {
  questions: [
    {
      id: "q1",
      text: "Where does the Calvin cycle run?",
      options: [
        { id: "a", text: "Stroma", correct: true, feedback: "Yes, the fluid." },
        { id: "b", text: "Lumen", feedback: "The lumen stores H+ ions." },
      ],
      correct_feedback: "Well done.",
      explanation: "The enzymes of the cycle float in the stroma.",
    },
    {
      id: "q2",
      kind: "multiple_choice",
      points: 3,
      text: "Which are C4 plants?",
      options: [
        { id: "a", text: "Maize", correct: true },
        { id: "b", text: "Sugarcane", correct: true },
        { id: "c", text: "Wheat" },
      ],
      incorrect_feedback: "C4 plants thrive in hot climates.",
    },
    { id: "q3", kind: "true_false", text: "Oxygen comes from CO2.", answer: false },
    { id: "q4", kind: "short_answer", text: "Name the enzyme that fixes CO2.", accepted_answers: ["RuBisCO"] },
  ],
};

const graded: Grade = {
  score: 3,
  max_score: 6,
  items: [
    { pointer: "/questions/0", outcome: "correct", score: 1, max_score: 1, feedback: ["Yes, the fluid.", "Well done."] },
    {
      pointer: "/questions/1",
      outcome: "incorrect",
      score: 0,
      max_score: 3,
      feedback: ["C4 plants thrive in hot climates."],
    },
    { pointer: "/questions/2", outcome: "correct", score: 1, max_score: 1, feedback: [] },
    { pointer: "/questions/3", outcome: "correct", score: 1, max_score: 1, feedback: [] },
  ],
};

function question(name: RegExp): HTMLElement {
  const item = screen.getByRole("group", { name }).closest("li");
  if (!item) throw new Error("no list item");
  return item;
}

it("grades the four kinds of question and shows each one's outcome, feedback and explanation", async () => {
  const calls = mockGrade(graded);
  render(LearnerPreview, { componentType: "QUIZ", payload: quiz });

  // Author order, not shuffled.
  const legends = screen.getAllByRole("group").map((g) => g.querySelector("legend")?.textContent);
  expect(legends).toEqual([
    "1. Where does the Calvin cycle run?",
    "2. Which are C4 plants?",
    "3. Oxygen comes from CO2.",
    "4. Name the enzyme that fixes CO2.",
  ]);
  expect(screen.queryByText(/The enzymes of the cycle/)).toBeNull();
  expect(screen.queryByText(/random order/)).toBeNull();

  await fireEvent.click(screen.getByRole("radio", { name: "Stroma" }));
  await fireEvent.click(screen.getByRole("checkbox", { name: "Wheat" }));
  await fireEvent.click(screen.getByRole("checkbox", { name: "Maize" }));
  await fireEvent.click(screen.getByRole("radio", { name: "False" }));
  await fireEvent.input(screen.getByRole("textbox", { name: "Your answer" }), { target: { value: " rubisco " } });
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));

  expect(await screen.findByText("Score: 3 / 6")).toBeTruthy();
  await waitFor(() => expect(document.activeElement?.textContent?.trim()).toBe("Try again"));
  expect(calls).toEqual([
    {
      componentType: "QUIZ",
      payload: quiz,
      response: { answers: { q1: "a", q2: ["a", "c"], q3: false, q4: " rubisco " } },
    },
  ]);

  const first = within(question(/^1\./));
  expect(first.getByText("Correct")).toBeTruthy();
  expect(first.getByText("1 / 1 points")).toBeTruthy();
  expect(first.getByText("Yes, the fluid.")).toBeTruthy();
  expect(first.getByText("Well done.")).toBeTruthy();
  expect(first.getByText("The enzymes of the cycle float in the stroma.")).toBeTruthy();
  const second = within(question(/^2\./));
  expect(second.getByText("Incorrect")).toBeTruthy();
  expect(second.getByText("0 / 3 points")).toBeTruthy();
  expect(second.getByText("C4 plants thrive in hot climates.")).toBeTruthy();

  // Answers are locked until the learner tries again, which clears them.
  expect(screen.getByRole("radio", { name: "Stroma" }).matches(":disabled")).toBe(true);
  await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
  expect(screen.queryByText("Score: 3 / 6")).toBeNull();
  expect(screen.queryByText("Yes, the fluid.")).toBeNull();
  const stroma = screen.getByRole("radio", { name: "Stroma" }) as HTMLInputElement;
  expect(stroma.matches(":disabled")).toBe(false);
  expect(stroma.checked).toBe(false);
  expect((screen.getByRole("textbox", { name: "Your answer" }) as HTMLInputElement).value).toBe("");
  // The focus goes back to the Check button.
  expect(document.activeElement?.textContent?.trim()).toBe("Check answers");
});

it("keeps the author's order of a shuffled quiz and says so", () => {
  render(LearnerPreview, { componentType: "QUIZ", payload: { ...quiz, shuffle: true } });
  expect(screen.getByText(/Learners get the questions and options in a random order/)).toBeTruthy();
  expect(screen.getAllByRole("group")[0]?.querySelector("legend")?.textContent).toBe(
    "1. Where does the Calvin cycle run?",
  );
});

it("leaves unanswered questions out of the response", async () => {
  const calls = mockGrade({ score: 0, max_score: 6, items: [] });
  render(LearnerPreview, { componentType: "QUIZ", payload: quiz });
  await fireEvent.click(screen.getByRole("checkbox", { name: "Maize" }));
  await fireEvent.click(screen.getByRole("checkbox", { name: "Maize" }));
  await fireEvent.click(screen.getByRole("radio", { name: "True" }));
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  await screen.findByText("Score: 0 / 6");
  expect(calls).toEqual([{ componentType: "QUIZ", payload: quiz, response: { answers: { q3: true } } }]);
});

it("shows a question's markup as text", () => {
  const text = "<script>alert(1)</script><b>bold</b> What is 2 + 2?";
  const { container } = render(LearnerPreview, {
    componentType: "QUIZ",
    payload: {
      title: "<img src=x onerror=alert(1)>",
      questions: [{ id: "q1", text, options: [{ id: "a", text: "<i>4</i>", correct: true }] }],
    },
  });
  expect(screen.getByRole("group", { name: `1. ${text}` })).toBeTruthy();
  expect(screen.getByRole("radio", { name: "<i>4</i>" })).toBeTruthy();
  expect(screen.getByRole("heading", { name: "<img src=x onerror=alert(1)>" })).toBeTruthy();
  expect(container.querySelector("script")).toBeNull();
  expect(container.querySelector("b")).toBeNull();
  expect(container.querySelector("i")).toBeNull();
  expect(container.querySelector("img")).toBeNull();
});

it("reads a draft's missing and mistyped fields as the schema's defaults", async () => {
  // The app hands out payloads in their current schema version (a version 1 quiz is upgraded
  // in Rust); a draft may still lack fields or hold ones of the wrong form.
  const payload = {
    title: 7,
    questions: [
      { id: "q1", text: "Pick B", kind: "essay", options: [{ id: "a", text: "A" }, { id: "b", text: "B" }, "c"] },
      { id: "q2", kind: "true_false", points: "many" },
      null,
    ],
  };
  const calls = mockGrade({ score: 1, max_score: 3, items: [] });
  render(LearnerPreview, { componentType: "QUIZ", payload });
  expect(screen.queryByRole("heading")).toBeNull();
  // An unknown kind reads as the default, single choice; the third option has no text yet.
  expect(screen.getAllByRole("radio").slice(0, 3).map((r) => r.closest("label")?.textContent?.trim())).toEqual([
    "A",
    "B",
    "",
  ]);
  expect(screen.getByRole("group", { name: "2." })).toBeTruthy();
  expect(screen.getByRole("group", { name: "3." })).toBeTruthy();
  await fireEvent.click(screen.getByRole("radio", { name: "B" }));
  await fireEvent.click(screen.getByRole("radio", { name: "True" }));
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  await screen.findByText("Score: 1 / 3");
  expect(calls).toEqual([{ componentType: "QUIZ", payload, response: { answers: { q1: "b", q2: true } } }]);
});

it("says why a draft cannot be checked", async () => {
  mockIPC(() => {
    throw {
      code: "invalid_payload",
      message: "the payload cannot be graded: /questions/0/options: a question needs at least two options",
      details: null,
    };
  });
  render(LearnerPreview, {
    componentType: "QUIZ",
    payload: { questions: [{ id: "q1", text: "?", options: [{ id: "a", text: "Only", correct: true }] }] },
  });
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  const alert = await screen.findByRole("alert");
  expect(alert.textContent).toBe(
    "The answers could not be checked: the payload cannot be graded: /questions/0/options: a question needs at least two options",
  );
  expect(screen.getByRole("button", { name: "Check answers" })).toBeTruthy();
});

it("speaks Korean", async () => {
  setLocale("ko");
  mockGrade(graded);
  render(LearnerPreview, { componentType: "QUIZ", payload: quiz });
  await fireEvent.click(screen.getByRole("button", { name: "정답 확인" }));
  expect(await screen.findByText("점수: 3 / 6")).toBeTruthy();
  expect(screen.getByRole("button", { name: "다시 풀기" })).toBeTruthy();
});
