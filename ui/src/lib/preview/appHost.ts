// The learner components in the app's preview: graded by the Rust grader over IPC, files from
// the library, shadowing takes scored by the Rust scorer over IPC, nothing kept between
// previews.
import { api, assetUrl } from "../api";
import { storedAudio } from "../audio";
import type { LearnerHost } from "./host.svelte";
import type { Take } from "./record";

/** The scorer works at 16 kHz: a take is brought down to it before crossing to the app
 * (averaging the samples each new one stands for), a tenth of the data at 48 kHz. */
export const SCORING_RATE = 16_000;

export function downsample(take: Take): number[] {
  if (take.rate <= SCORING_RATE) return Array.from(take.samples);
  const ratio = take.rate / SCORING_RATE;
  const out: number[] = [];
  for (let i = 0; i * ratio < take.samples.length; i++) {
    const from = Math.floor(i * ratio);
    const to = Math.min(take.samples.length, Math.floor((i + 1) * ratio));
    let sum = 0;
    for (let j = from; j < to; j++) sum += take.samples[j] ?? 0;
    out.push(to > from ? sum / (to - from) : 0);
  }
  return out;
}

export const appHost: LearnerHost = {
  kind: "preview",
  grade: (type, payload, response) => api.grade(type, payload, response),
  mediaUrl: assetUrl,
  audio: storedAudio,
  scoreShadowing: (reference, take) =>
    api.scoreShadowing(reference, downsample(take), take.rate <= SCORING_RATE ? take.rate : SCORING_RATE),
};
