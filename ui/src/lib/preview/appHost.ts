// The learner components in the app's preview: graded by the Rust grader over IPC, files from
// the library, nothing kept between previews.
import { api, assetUrl } from "../api";
import { storedAudio } from "../audio";
import type { LearnerHost } from "./host.svelte";

export const appHost: LearnerHost = {
  kind: "preview",
  grade: (type, payload, response) => api.grade(type, payload, response),
  mediaUrl: assetUrl,
  audio: storedAudio,
};
