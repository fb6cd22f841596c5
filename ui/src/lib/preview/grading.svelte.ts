// Checking a learner's answers: the response goes to the Rust grading functions (the same
// ones the exported player must match); nothing is scored here.
import { untrack } from "svelte";
import { api } from "../api";
import type { ComponentType, Grade, ItemFeedback } from "../generated/ipc";
import { tError } from "../i18n/index.svelte";

export class Grading {
  grade = $state<Grade | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);
  readonly type: ComponentType;
  readonly #payload: () => unknown;
  #request = 0;

  /** Create while a component initialises: the grade is forgotten when the payload changes. */
  constructor(type: ComponentType, payload: () => unknown) {
    this.type = type;
    this.#payload = payload;
    $effect(() => {
      JSON.stringify(payload());
      untrack(() => this.reset());
    });
  }

  /** Whether answers are locked because they were checked. */
  get done(): boolean {
    return this.grade !== null;
  }

  async check(response: unknown): Promise<void> {
    const payload = this.#payload();
    const request = ++this.#request;
    this.busy = true;
    this.error = null;
    try {
      const grade = await api.grade(this.type, $state.snapshot(payload), $state.snapshot(response));
      if (request === this.#request) this.grade = grade;
    } catch (e) {
      if (request === this.#request) this.error = tError(e);
    } finally {
      if (request === this.#request) this.busy = false;
    }
  }

  /** Forgets the grade (and any answer still on its way back). */
  reset(): void {
    this.#request++;
    this.grade = null;
    this.error = null;
    this.busy = false;
  }

  /** The grade's item for the payload item at `pointer`; `occurrence` counts repeats (loops). */
  item(pointer: string, occurrence = 0): ItemFeedback | undefined {
    return this.grade?.items.filter((i) => i.pointer === pointer)[occurrence];
  }
}

/** A score for people: whole numbers as they are, others to two decimals at most. */
export function formatScore(value: number): string {
  return String(Math.round(value * 100) / 100);
}
