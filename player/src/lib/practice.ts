// Speaking practice in the player: a shadowing take scored by crates/practice compiled to
// WebAssembly, against the reference's features the export computed. The scorer comes in
// practice.js beside the player (in base64: a page opened from disk may load scripts but not
// fetch files), loaded the first time a learner records.
import init, { score_against } from "@practice/classkit_practice.js";
import type { ShadowingScore } from "@ui/generated/ipc";
import { downsample, type Take } from "@ui/preview/record";

let ready: Promise<unknown> | null = null;

function loadScorer(): Promise<unknown> {
  const holder = window as unknown as { CLASSKIT_PRACTICE_WASM?: string };
  const start = () => {
    const text = atob(holder.CLASSKIT_PRACTICE_WASM ?? "");
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return init({ module_or_path: bytes });
  };
  if (holder.CLASSKIT_PRACTICE_WASM) return start();
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "practice.js";
    script.onload = () => resolve(start());
    script.onerror = () => reject(new Error("practice.js is missing beside the player"));
    document.head.appendChild(script);
  });
}

/** The reference's features as the scorer takes them: one row of numbers per frame. */
interface Features {
  energy_db: number[];
  pitch: (number | null)[];
  cepstra: number[][];
  speech: boolean[];
}

/** Scores `take` against a reference's features (`course.practice[sha256]`). */
export async function scoreAgainst(features: unknown, take: Take): Promise<ShadowingScore> {
  ready ??= loadScorer().catch((e: unknown) => {
    ready = null;
    throw e;
  });
  await ready;
  const f = features as Features;
  const frames = f.energy_db.length;
  const width = 3 + (f.cepstra[0]?.length ?? 0);
  const flat = new Float32Array(frames * width);
  for (let i = 0; i < frames; i++) {
    flat[i * width] = f.energy_db[i] ?? -100;
    flat[i * width + 1] = f.pitch[i] ?? Number.NaN;
    flat[i * width + 2] = f.speech[i] ? 1 : 0;
    (f.cepstra[i] ?? []).forEach((c, k) => (flat[i * width + 3 + k] = c));
  }
  const { samples, rate } = downsample(take);
  const answer = JSON.parse(score_against(flat, samples, rate)) as ShadowingScore | { error: string };
  if ("error" in answer) throw new Error(answer.error);
  return answer;
}
