// Autosave: every edit is saved after a short pause in typing, one save at a time, and the
// newest edit always wins. `flushAll` saves whatever is still waiting (the window is about
// to close).
import { SvelteSet } from "svelte/reactivity";
import { tError } from "./i18n/index.svelte";

export type SaveState = "saved" | "pending" | "saving" | "failed";

/** Every autosaver with work not yet saved: for the window's "saving…" indicator. */
const unsaved = new SvelteSet<Autosaver<unknown>>();
const all = new Set<Autosaver<unknown>>();

export class Autosaver<T> {
  state = $state<SaveState>("saved");
  error = $state<string | null>(null);
  #pending: { value: T } | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<void> | null = null;
  /** Counts discards: a save that fails after one does not bring the discarded value back. */
  #epoch = 0;
  readonly #save: (value: T) => Promise<void>;
  readonly #delay: number;

  /** `save` stores one value; it throws to report a failure (the value is kept). */
  constructor(save: (value: T) => Promise<void>, delay = 600) {
    this.#save = save;
    this.#delay = delay;
    all.add(this as Autosaver<unknown>);
  }

  /** Saves `value` after the pause, unless a newer value comes first. */
  schedule(value: T): void {
    this.#pending = { value };
    this.#set("pending");
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, this.#delay);
  }

  /** Saves what is waiting now, and returns once everything scheduled so far is saved
   * (or has failed). */
  async flush(): Promise<void> {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    while (this.#running) await this.#running;
    const next = this.#pending;
    if (next === null) return;
    this.#pending = null;
    this.#set("saving");
    const epoch = this.#epoch;
    this.#running = this.#save(next.value).then(
      () => {
        this.error = null;
        if (this.#pending === null) this.#set("saved");
      },
      (e: unknown) => {
        // Kept to be saved by the next edit or retry: nothing typed is dropped (unless the
        // author chose to drop it meanwhile).
        if (epoch === this.#epoch) this.#pending ??= next;
        this.error = tError(e);
        this.#set("failed");
      },
    );
    await this.#running;
    this.#running = null;
    if (this.#pending !== null && this.state !== "failed") await this.flush();
  }

  /** Tries a failed save again. */
  retry(): Promise<void> {
    return this.flush();
  }

  /** Drops the value waiting to be saved (the author chose the stored version instead). */
  discard(): void {
    this.#epoch += 1;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = null;
    this.error = null;
    this.#set("saved");
  }

  /** Saves what is waiting, then forgets this autosaver. One whose save failed stays known
   * (the window says "Not saved" and retries it, and closing the window asks first), so
   * closing its editor does not drop what was typed. */
  async close(): Promise<void> {
    await this.flush();
    if (this.state === "failed") return;
    all.delete(this as Autosaver<unknown>);
    unsaved.delete(this as Autosaver<unknown>);
  }

  #set(state: SaveState): void {
    this.state = state;
    if (state === "saved") unsaved.delete(this as Autosaver<unknown>);
    else unsaved.add(this as Autosaver<unknown>);
  }
}

/** Tries every failed save again. */
export async function retryAll(): Promise<void> {
  await Promise.all([...unsaved].filter((a) => a.state === "failed").map((a) => a.retry()));
}

/** Saves everything still waiting, everywhere. */
export async function flushAll(): Promise<void> {
  await Promise.all([...all].map((a) => a.flush()));
}

/** The window's save state: failed wins over saving, saving over saved. */
export function overallState(): SaveState {
  let state: SaveState = "saved";
  for (const a of unsaved) {
    if (a.state === "failed") return "failed";
    if (a.state === "saving" || a.state === "pending") state = "saving";
  }
  return state;
}
