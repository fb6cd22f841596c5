import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import LearnerPreview from "../../src/lib/preview/LearnerPreview.svelte";
import { toWav, wavBytes } from "../../src/lib/preview/record";
import { compareWords, words } from "../../src/lib/preview/speech";
import "./harness";

describe("words heard by the browser's recogniser", () => {
  it("compares words whatever their case, punctuation and apostrophes", () => {
    expect(words("Don’t   SAY, “hello”!")).toEqual(["don't", "say", "hello"]);
    expect(words("광합성은 엽록체에서")).toEqual(["광합성은", "엽록체에서"]);
    expect(words(" ... ")).toEqual([]);
  });

  it("marks the target's words heard in order, from the alternative that matches the most", () => {
    const r = compareWords("Turn on the light, please.", ["turn on the right please", "turn on the light please"]);
    expect(r.transcript).toBe("turn on the light please");
    expect(r.words.every((w) => w.heard)).toBe(true);
    const missed = compareWords("Turn on the light, please.", ["turn the right please"]);
    expect(missed.words.map((w) => [w.word, w.heard])).toEqual([
      ["Turn", true],
      ["on", false],
      ["the", true],
      ["light,", false],
      ["please.", true],
    ]);
    // Words heard out of order count once, in order.
    const swapped = compareWords("light rain", ["rain light"]);
    expect(swapped.words.filter((w) => w.heard)).toHaveLength(1);
    expect(compareWords("light", []).words).toEqual([{ word: "light", heard: false }]);
  });
});

it("makes a 16-bit mono WAV of a take, broken samples as silence", () => {
  const take = { samples: new Float32Array([0, 0.5, -1, 2, Number.NaN]), rate: 16_000 };
  expect(toWav(take).type).toBe("audio/wav");
  const view = new DataView(wavBytes(take));
  expect(view.byteLength).toBe(44 + 10);
  expect(String.fromCharCode(...new Uint8Array(view.buffer, 0, 4))).toBe("RIFF");
  expect(view.getUint32(24, true)).toBe(16_000);
  expect([0, 1, 2, 3, 4].map((i) => view.getInt16(44 + 2 * i, true))).toEqual([0, 16384, -32767, 32767, 0]);
});

const payload = {
  language: "en-US",
  items: [{ id: "p1", target: "light", ipa: "/laɪt/" }],
};

describe("practice where the phones cannot be scored", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("offers the reference audio where there is no microphone and no recogniser", () => {
    render(LearnerPreview, { componentType: "PRONUNCIATION", payload });
    expect(screen.getByText(/Practise with the reference audio/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Say it" })).toBeNull();
  });

  it("shows the words the browser's recogniser heard, and falls back when it does not work", async () => {
    // A stand-in for the browser's recogniser (jsdom has none), answering as Chrome does.
    const outcomes: Array<{ heard?: string[]; error?: string }> = [{ heard: ["turn on the right please"] }, { error: "network" }];
    class FakeRecognition {
      lang = "";
      interimResults = true;
      continuous = true;
      maxAlternatives = 1;
      onresult: ((e: unknown) => void) | null = null;
      onerror: ((e: { error: string }) => void) | null = null;
      onend: (() => void) | null = null;
      start() {
        const outcome = outcomes.shift() ?? {};
        expect(this.lang).toBe("en-US");
        queueMicrotask(() => {
          if (outcome.heard) {
            const alternatives = outcome.heard.map((transcript) => ({ transcript }));
            this.onresult?.({ results: [alternatives] });
          }
          if (outcome.error) this.onerror?.({ error: outcome.error });
          this.onend?.();
        });
      }
      abort() {}
    }
    vi.stubGlobal("webkitSpeechRecognition", FakeRecognition);
    render(LearnerPreview, {
      componentType: "PRONUNCIATION",
      payload: { language: "en-US", items: [{ id: "p1", target: "Turn on the light, please" }] },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Say it" }));
    expect(await screen.findByText("Heard: “turn on the right please”")).toBeTruthy();
    expect(screen.getByText(/The words marked were not understood/)).toBeTruthy();
    expect(screen.getByText("light,").classList.contains("off")).toBe(true);

    await fireEvent.click(screen.getByRole("button", { name: "Record again" }));
    expect(await screen.findByRole("alert")).toHaveProperty(
      "textContent",
      "Your browser's speech recognition does not work here, so practise with the reference audio.",
    );
    expect(screen.getByText(/Practise with the reference audio/)).toBeTruthy();
  });
});
