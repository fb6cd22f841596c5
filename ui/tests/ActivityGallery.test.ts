import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, render, screen } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import ActivityGallery from "../src/lib/ActivityGallery.svelte";
import type { DraftVerdict } from "../src/lib/generated/ipc";
import { setLocale } from "../src/lib/i18n/index.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

const verdicts: DraftVerdict[] = [
  { component_type: "QUIZ", supported: true, reason: null, reason_code: null },
  {
    component_type: "FLASHCARDS",
    supported: false,
    reason: "no defining sentence",
    reason_code: "no_definition",
  },
  // A reason the app has no words for (a language model's): shown as it was given, as text.
  {
    component_type: "CLOZE",
    supported: false,
    reason: "<img src=x onerror=alert(1)> the model found nothing",
    reason_code: null,
  },
  // A type drafted before reasons were kept.
  { component_type: "MATCHING", supported: false, reason: null, reason_code: null },
];

function gallery(slideId: string) {
  mockIPC((cmd, args) => {
    if (cmd === "draft_verdicts") {
      expect(args).toEqual({ slideId });
      return verdicts;
    }
    throw new Error(`unexpected ${cmd}`);
  });
  render(ActivityGallery, { open: true, slideId, onpick: vi.fn() });
}

it("says why nothing of a type was drafted from the slide", async () => {
  gallery(crypto.randomUUID());
  const flashcards = await screen.findByTestId("why-FLASHCARDS");
  expect(flashcards.textContent).toBe(
    "Why: No sentence of this slide's narration defines a term (such as “X is …” or “X means …”).",
  );
  const cloze = screen.getByTestId("why-CLOZE");
  expect(cloze.textContent).toBe("Why: <img src=x onerror=alert(1)> the model found nothing");
  expect(cloze.querySelector("img")).toBeNull();
  // Nothing to say for a drafted type, or without a reason.
  expect(screen.queryByTestId("why-QUIZ")).toBeNull();
  expect(screen.queryByTestId("why-MATCHING")).toBeNull();
  expect(screen.getByRole("button", { name: /Flashcards/ }).textContent).toContain("Nothing to draft");
});

it("says it in Korean when the app is in Korean", async () => {
  setLocale("ko");
  gallery(crypto.randomUUID());
  const flashcards = await screen.findByTestId("why-FLASHCARDS");
  expect(flashcards.textContent).toContain("이유: 이 슬라이드의 내레이션에 용어를 정의하는 문장");
});
