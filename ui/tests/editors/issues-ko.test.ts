import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, render, screen, within } from "@testing-library/svelte";
import { afterEach, beforeEach, expect, it } from "vitest";
import ComponentEditor from "../../src/lib/editors/ComponentEditor.svelte";
import { setLocale } from "../../src/lib/i18n/index.svelte";
import { view } from "../fixtures";
import { issue } from "../issue";

beforeEach(() => setLocale("ko"));

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

it("shows a Korean instructor the issues in Korean, beside the field and in the summary", () => {
  mockIPC(() => null);
  const v = view(
    "QUIZ",
    { questions: [{ id: "q1", kind: "single_choice", text: "", options: [{ id: "a", text: "Yes", correct: true }] }] },
    [
      issue("/questions/0/text", "a question needs text", "question_needs_text"),
      issue("/questions/0/options", "a question needs at least two options", "question_needs_two_options"),
      issue("/questions/0/options/0/id", "the id \"a\" is already used by option 1", "id_taken", {
        id: "a",
        item: "option",
        first: 1,
      }),
    ],
  );
  render(ComponentEditor, { view: v });

  // Beside its field, the field's description is the Korean sentence.
  const text = document.querySelector<HTMLElement>('[aria-invalid="true"][aria-describedby]');
  const described = document.getElementById(text?.getAttribute("aria-describedby") ?? "");
  expect(described?.textContent).toContain("문항에는 본문이 필요합니다.");
  expect(document.body.textContent).not.toContain("a question needs text");

  // The summary lists each issue in Korean after its place, in Korean words.
  const summary = document.querySelector<HTMLElement>(".issue-summary");
  if (!summary) throw new Error("no issue summary");
  const items = within(summary).getAllByRole("listitem");
  expect(items).toHaveLength(3);
  expect(items[1]?.querySelector("button")?.textContent).toBe("문항 1 › 보기");
  expect(items[1]?.textContent).toContain("문항에는 보기가 두 개 이상 필요합니다.");
  expect(items[2]?.textContent).toContain("ID “a”은(는) 이미 1번 보기에서 쓰고 있습니다.");
  // The list's own issue is also at the list; the hidden id's issue shows on its option.
  expect(screen.getAllByText("문항에는 보기가 두 개 이상 필요합니다.").length).toBeGreaterThanOrEqual(1);
  expect(screen.getAllByText(/ID “a”은\(는\) 이미 1번 보기에서 쓰고 있습니다/).length).toBeGreaterThanOrEqual(2);
});
