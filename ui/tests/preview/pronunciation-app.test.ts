// PRONUNCIATION in the app's preview, where takes are scored phone by phone over IPC. The
// microphone is a stand-in here (jsdom has none): `startRecording` gives a fixed take.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import type { PronunciationScore } from "../../src/lib/generated/ipc";
import LearnerPreview from "../../src/lib/preview/LearnerPreview.svelte";

vi.mock("../../src/lib/preview/record", async (actual) => ({
  ...(await actual<typeof import("../../src/lib/preview/record")>()),
  canRecord: () => true,
  startRecording: async () => ({
    stop: async () => ({ samples: new Float32Array(4_800).fill(0.1), rate: 48_000 }),
    cancel() {},
  }),
}));

afterEach(() => {
  cleanup();
  clearMocks();
  vi.unstubAllGlobals();
});

const payload = { language: "en-US", items: [{ id: "p1", target: "light" }] };

const score: PronunciationScore = {
  overall: 57,
  words: [{ word: "light", score: 57, start_ms: 0, end_ms: 300 }],
  phones: [
    { expected: "l", expected_arpabet: "L", heard: "ɹ", score: 20, ok: false, word: 0, start_ms: 0, end_ms: 90 },
    { expected: "aɪ", expected_arpabet: "AY", heard: "aɪ", score: 95, ok: true, word: 0, start_ms: 90, end_ms: 230 },
    { expected: "t", expected_arpabet: "T", heard: "t", score: 90, ok: true, word: 0, start_ms: 230, end_ms: 300 },
  ],
};

it("scores a take phone by phone and names the sound heard instead, with a tip", async () => {
  const calls: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "score_pronunciation") throw new Error(`unexpected ${cmd}`);
    calls.push(args);
    return score;
  });
  render(LearnerPreview, { componentType: "PRONUNCIATION", payload });
  const button = screen.getByRole("button", { name: "Record yourself" });
  button.focus();
  await fireEvent.click(button);
  // The same button stops the take (focus stays on it).
  expect(button.textContent?.trim()).toBe("Stop and score");
  await fireEvent.click(button);
  expect(await screen.findByText("Your score: 57 / 100")).toBeTruthy();
  expect(screen.getByText("In “light”, /l/ sounded like /ɹ/.")).toBeTruthy();
  expect(screen.getByText(/touch the ridge behind your top teeth/)).toBeTruthy();
  expect(document.activeElement).toBe(button);
  // The take went at 16 kHz (brought down from 48 kHz), with the item's text and language.
  expect(calls).toHaveLength(1);
  const sent = calls[0] as { text: string; ipa: string; language: string; samples: number[]; rate: number };
  expect([sent.text, sent.ipa, sent.language, sent.rate, sent.samples.length]).toEqual(["light", "", "en-US", 16_000, 1_600]);
});

it("says a take that is not the word is not the word", async () => {
  mockIPC(() => ({ overall: 0, words: [{ word: "light", score: 0, start_ms: 0, end_ms: 0 }], phones: score.phones.map((p) => ({ ...p, ok: false, heard: null })) }));
  render(LearnerPreview, { componentType: "PRONUNCIATION", payload });
  const button = screen.getByRole("button", { name: "Record yourself" });
  await fireEvent.click(button);
  await fireEvent.click(button);
  expect(await screen.findByText("It does not sound like “light”. Listen again, then say exactly that.")).toBeTruthy();
});

it("falls back to listening to the take when the scorer is not there", async () => {
  vi.stubGlobal("URL", Object.assign(Object.create(URL), { createObjectURL: () => "blob:take", revokeObjectURL: () => {} }));
  mockIPC(() => {
    throw { code: "engine_unavailable", message: "pronunciation scoring is not available: no PocketSphinx virtualenv", details: null };
  });
  render(LearnerPreview, { componentType: "PRONUNCIATION", payload });
  const button = screen.getByRole("button", { name: "Record yourself" });
  await fireEvent.click(button);
  await fireEvent.click(button);
  expect((await screen.findByRole("alert")).textContent).toMatch(/cannot be checked on this computer/);
  expect(screen.getByText(/Practise with the reference audio/)).toBeTruthy();
  expect(screen.getByLabelText("Your take of item 1").getAttribute("src")).toBe("blob:take");
});

it("does not offer phone scoring for an item in another language", () => {
  render(LearnerPreview, { componentType: "PRONUNCIATION", payload: { language: "ko-KR", items: [{ id: "p1", target: "광합성" }] } });
  expect(screen.queryByText(/each sound is checked/)).toBeNull();
  expect(screen.getByText(/Sounds are checked for English only/)).toBeTruthy();
});
