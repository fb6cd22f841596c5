// Where the learner components run: the app's preview (grading by the Rust grader over IPC,
// files from the library) or the exported player (its TypeScript grader, files beside it,
// the learner's answers kept in the browser and reported to an LMS). A component finds its
// host in the Svelte context that ComponentView sets; nothing here imports either host.
import { getContext, setContext } from "svelte";
import type { ComponentType, Grade, PronunciationScore, ShadowingScore } from "../generated/ipc";
import type { Take } from "./record";

export interface LearnerHost {
  /** The app's preview (for the instructor) or the player (for learners). */
  readonly kind: "preview" | "player";
  /** Scores a response (the same rules in both hosts: the shared grading vectors). */
  grade(type: ComponentType, payload: unknown, response: unknown): Promise<Grade>;
  /** The address of a stored file (a picture, a sound) by its SHA-256. */
  mediaUrl(sha256: string): string;
  /** A Svelte action that makes an `<audio>` element play the stored file `sha256`. */
  audio(node: HTMLAudioElement, sha256: string): { update(sha256: string): void; destroy(): void };
  /** What the component `key` kept of the learner's work last time (the player), if any. */
  restore?(key: string): Record<string, unknown> | undefined;
  /** Forgets everything kept of the component `key` (it starts afresh). */
  forget?(key: string): void;
  /** Keeps part `name` of the component `key`'s state (the player keeps it in the browser). */
  keep?(key: string, name: string, value: unknown): void;
  /**
   * Scores a shadowing take (the learner's recording) against the reference audio `sha256`
   * (crates/practice); absent where this host cannot.
   */
  scoreShadowing?(reference: string, take: Take): Promise<ShadowingScore>;
  /**
   * Scores a pronunciation take of `text` (an English word or phrase) phone by phone
   * against the expected phones (`ipa` when given, else the dictionary's); absent where this
   * host cannot (the player, which offers the browser's recogniser instead).
   */
  scorePronunciation?(text: string, ipa: string, language: string, take: Take): Promise<PronunciationScore>;
  /** A check was scored: the player counts it towards the course and tells the LMS. */
  graded?(key: string, type: ComponentType, grade: Grade, response: unknown): void;
}

const HOST = Symbol("learner-host");

interface Placed {
  host: LearnerHost;
  /** The component's key in the host (its id in the player). */
  key: string;
}

/** Called by ComponentView: the host of the components inside it. */
export function provideHost(host: LearnerHost, key: string): void {
  setContext<Placed>(HOST, { host, key });
}

/** The host of the component being initialised, and its key. */
export function useHost(): Placed {
  const placed = getContext<Placed | undefined>(HOST);
  if (!placed) throw new Error("A learner component was shown outside a ComponentView (it has no host).");
  return placed;
}

/** True when `value` has the same kind as `fallback` (a list, a record, a number, …). */
function sameKind(value: unknown, fallback: unknown): boolean {
  if (Array.isArray(fallback)) return Array.isArray(value);
  if (typeof fallback === "object" && fallback !== null) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }
  return typeof value === typeof fallback;
}

/**
 * The learner's kept state `name` of this component, or `fallback` when there is none or it
 * is not of the same kind as `fallback` (or, given, `fits` says it is not usable): kept by an
 * older player, or edited by hand. Call while the component initialises.
 */
export function restored<T>(name: string, fallback: T, fits?: (value: unknown) => boolean): T {
  const { host, key } = useHost();
  const value = host.restore?.(key)?.[name];
  if (value === undefined) return fallback;
  return (fits ? fits(value) : sameKind(value, fallback)) ? (value as T) : fallback;
}

/** Keeps `read()` as the state `name` of this component whenever it changes. */
export function keep(name: string, read: () => unknown): void {
  const { host, key } = useHost();
  if (!host.keep) return;
  const save = host.keep.bind(host);
  $effect(() => {
    save(key, name, $state.snapshot(read()));
  });
}
