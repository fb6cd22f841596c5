// The learner components in the app's preview: graded by the Rust grader over IPC, files from
// the library, shadowing takes scored by the Rust scorer and pronunciation takes by
// PocketSphinx over IPC, nothing kept between previews.
import { api, assetUrl } from "../api";
import { storedAudio } from "../audio";
import type { LearnerHost } from "./host.svelte";
import { downsample } from "./record";

export const appHost: LearnerHost = {
  kind: "preview",
  grade: (type, payload, response) => api.grade(type, payload, response),
  mediaUrl: assetUrl,
  audio: storedAudio,
  scoreShadowing: (reference, take) => {
    const { samples, rate } = downsample(take);
    return api.scoreShadowing(reference, Array.from(samples), rate);
  },
  scorePronunciation: (text, ipa, language, take) => {
    const { samples, rate } = downsample(take);
    return api.scorePronunciation(text, ipa, language, Array.from(samples), rate);
  },
};
