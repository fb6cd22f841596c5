// Checking a learner's answers: the response goes to the host's grader (the Rust grading
// functions in the app, the player's TypeScript grader that passes the same vectors); nothing
// is scored here.
import { untrack } from "svelte";
import type { ComponentType, Grade, ItemFeedback } from "../generated/ipc";
import { tError } from "../i18n/index.svelte";
import { keep, type LearnerHost, restored, useHost } from "./host.svelte";

export class Grading {
  grade = $state<Grade | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);
  readonly type: ComponentType;
  readonly #payload: () => unknown;
  readonly #host: LearnerHost;
  readonly #key: string;
  #request = 0;

  /**
   * Create while a component initialises: the grade the host kept comes back (the learner
   * resumes), and is forgotten when the payload changes.
   */
  constructor(type: ComponentType, payload: () => unknown) {
    this.type = type;
    this.#payload = payload;
    ({ host: this.#host, key: this.#key } = useHost());
    this.grade = restored<Grade | null>("grade", null, isGrade);
    let first = JSON.stringify(payload());
    $effect(() => {
      const now = JSON.stringify(payload());
      if (now !== first) {
        first = now;
        untrack(() => this.reset());
      }
    });
    keep("grade", () => this.grade);
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
      const sent = $state.snapshot(response);
      const grade = await this.#host.grade(this.type, $state.snapshot(payload), sent);
      if (request === this.#request) {
        this.grade = grade;
        this.#host.graded?.(this.#key, this.type, grade, sent);
      }
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

/** True for a grade as graders make them (a kept one may have been edited by hand). */
function isGrade(value: unknown): boolean {
  if (value === null) return true;
  const g = value as Partial<Grade> | undefined;
  return (
    typeof g === "object" &&
    Number.isFinite(g.score) &&
    Number.isFinite(g.max_score) &&
    Array.isArray(g.items) &&
    g.items.every((i) => typeof i === "object" && i !== null && typeof i.pointer === "string")
  );
}

/** A score for people: whole numbers as they are, others to two decimals at most. */
export function formatScore(value: number): string {
  return String(Math.round(value * 100) / 100);
}
