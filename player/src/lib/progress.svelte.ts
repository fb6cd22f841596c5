// The learner's progress: where they are, the slides seen, each activity's answers and score.
// Kept in the browser (localStorage) so that closing the tab loses nothing, and handed to an
// LMS as suspend data when there is one (see lms.ts).
import type { Grade } from "@ui/generated/ipc";
import { grade } from "../grading";
import type { Placed, PlayerComponent } from "./course";

export interface ComponentProgress {
  /** The component's own state (answers, flips…), as the learner components keep it. */
  state?: Record<string, unknown>;
  /** The last checked grade's score and maximum. */
  score?: number;
  max?: number;
  tries?: number;
}

export interface Kept {
  v: 1;
  /** The slide shown, by its place among the slides in scope; -1 is the results page. */
  at: number;
  /** Places of the slides seen. */
  seen: number[];
  components: Record<string, ComponentProgress>;
  /** The last end told to an LRS (xAPI): completed, passed or failed. */
  reported?: "completed" | "passed" | "failed";
}

export function emptyKept(): Kept {
  return { v: 1, at: 0, seen: [], components: {} };
}

/** Kept progress read from text (localStorage, suspend data), or null when it is not ours. */
export function parseKept(text: string | null | undefined): Kept | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Kept> | null;
    if (typeof value !== "object" || value === null || value.v !== 1) return null;
    const at = typeof value.at === "number" && Number.isInteger(value.at) ? value.at : 0;
    const seen = Array.isArray(value.seen) ? value.seen.filter((n): n is number => Number.isInteger(n)) : [];
    const components: Record<string, ComponentProgress> = {};
    if (typeof value.components === "object" && value.components !== null) {
      for (const [id, c] of Object.entries(value.components)) {
        if (typeof c !== "object" || c === null) continue;
        const p = c as ComponentProgress;
        components[id] = {
          ...(typeof p.state === "object" && p.state !== null && !Array.isArray(p.state) ? { state: p.state } : {}),
          ...(Number.isFinite(p.score) && Number.isFinite(p.max) ? { score: p.score, max: p.max } : {}),
          ...(Number.isInteger(p.tries) ? { tries: p.tries } : {}),
        };
      }
    }
    const reported = value.reported === "completed" || value.reported === "passed" || value.reported === "failed" ? value.reported : undefined;
    return { v: 1, at, seen, components, ...(reported ? { reported } : {}) };
  } catch {
    return null;
  }
}

/**
 * The progress as text of at most `limit` characters: whole when it fits; else without the
 * activities' answers (scores and place stay); else only the place and the slides seen; else
 * (a course of thousands of slides) only the place.
 */
export function packKept(kept: Kept, limit: number): string {
  const whole = JSON.stringify(kept);
  if (whole.length <= limit) return whole;
  const scores: Record<string, ComponentProgress> = {};
  for (const [id, c] of Object.entries(kept.components)) {
    const { state: _state, ...rest } = c;
    scores[id] = rest;
  }
  const lighter = JSON.stringify({ ...kept, components: scores });
  if (lighter.length <= limit) return lighter;
  const least = JSON.stringify({ v: 1, at: kept.at, seen: kept.seen, components: {} });
  return least.length <= limit ? least : JSON.stringify({ ...emptyKept(), at: kept.at });
}

/** The most points a component can give when nothing is answered (its grade of no answers). */
export function baseMax(component: PlayerComponent): number {
  if (!component.graded) return 0;
  try {
    return grade(component.component_type, component.payload, {}).max_score;
  } catch {
    return 0;
  }
}

export interface Totals {
  score: number;
  max: number;
  /** Score over maximum, 0 to 1; null without scored activities. */
  scaled: number | null;
  gradedCount: number;
  attempted: number;
  seen: number;
  slides: number;
}

/** The learner's progress in a scope of slides, changed by the player and kept by `save`. */
export class Progress {
  kept = $state<Kept>(emptyKept());
  readonly #slides: Placed[];
  readonly #graded: PlayerComponent[];
  readonly #baseMax = new Map<string, number>();

  constructor(slides: Placed[], kept: Kept | null) {
    this.#slides = slides;
    this.#graded = slides.flatMap((p) => p.slide.components).filter((c) => c.graded);
    for (const c of this.#graded) this.#baseMax.set(c.id, baseMax(c));
    if (kept) {
      const total = slides.length;
      kept.at = kept.at === -1 || (kept.at >= 0 && kept.at < total) ? kept.at : 0;
      kept.seen = [...new Set(kept.seen.filter((n) => n >= 0 && n < total))];
      this.kept = kept;
    }
  }

  get at(): number {
    return this.kept.at;
  }

  /** Shows slide `index` (or -1, the results) and counts it as seen. */
  go(index: number): void {
    this.kept.at = index;
    if (index >= 0 && !this.kept.seen.includes(index)) this.kept.seen.push(index);
  }

  restore(id: string): Record<string, unknown> | undefined {
    return this.kept.components[id]?.state;
  }

  /** Forgets everything of one activity (its answers and its grade). */
  forget(id: string): void {
    delete this.kept.components[id];
  }

  keep(id: string, name: string, value: unknown): void {
    const c = (this.kept.components[id] ??= {});
    const state = (c.state ??= {});
    if (JSON.stringify(state[name]) !== JSON.stringify(value)) state[name] = value;
  }

  graded(id: string, g: Grade): void {
    const c = (this.kept.components[id] ??= {});
    c.score = g.score;
    c.max = g.max_score;
    c.tries = (c.tries ?? 0) + 1;
  }

  totals(): Totals {
    let score = 0;
    let max = 0;
    let attempted = 0;
    for (const c of this.#graded) {
      const p = this.kept.components[c.id];
      if (p?.score !== undefined && p.max !== undefined) {
        attempted += 1;
        score += p.score;
        max += p.max;
      } else {
        max += this.#baseMax.get(c.id) ?? 0;
      }
    }
    return {
      score,
      max,
      scaled: max > 0 ? Math.min(1, Math.max(-1, score / max)) : null,
      gradedCount: this.#graded.length,
      attempted,
      seen: this.kept.seen.length,
      slides: this.#slides.length,
    };
  }

  /** Every slide seen and every scored activity checked at least once. */
  complete(): boolean {
    const t = this.totals();
    return t.seen >= t.slides && t.attempted >= t.gradedCount;
  }
}
