import { describe, expect, it } from "vitest";
import type { PlayerComponent, Placed, PlayerSlide } from "../src/lib/course";
import { emptyKept, type Kept, packKept, parseKept, Progress } from "../src/lib/progress.svelte";

function slide(id: string, components: PlayerComponent[]): PlayerSlide {
  return { id, title: id, layout: "bullets", body_html: "", image: null, narration: null, components };
}

const quiz: PlayerComponent = {
  id: "quiz-1",
  component_type: "QUIZ",
  graded: true,
  payload: {
    schema_version: 2,
    questions: [
      { id: "q1", text: "2 + 2?", points: 2, options: [{ id: "a", text: "4", correct: true }, { id: "b", text: "5" }] },
    ],
  },
};
const review: PlayerComponent = { id: "review-1", component_type: "REVIEW", graded: false, payload: { cards: [] } };
const slides: Placed[] = [slide("s1", [quiz]), slide("s2", [review])].map((s, i) => ({ slide: s, lesson: 0, index: i }));

describe("kept progress read back", () => {
  it("refuses what is not ours, whatever it is", () => {
    for (const text of [null, "", "not json", "[]", "null", '{"v":2}', '"text"', "42"]) {
      expect(parseKept(text)).toBeNull();
    }
  });

  it("drops the parts that are of the wrong kind and keeps the rest", () => {
    const kept = parseKept(
      JSON.stringify({
        v: 1,
        at: "x",
        seen: [0, "1", 2.5, 1],
        components: { a: { state: [1], score: "1", max: 2, tries: 1 }, b: null, c: { state: { answers: {} }, score: 1, max: 2 } },
      }),
    );
    expect(kept).toEqual({
      v: 1,
      at: 0,
      seen: [0, 1],
      components: { a: { tries: 1 }, c: { state: { answers: {} }, score: 1, max: 2 } },
    });
  });

  it("a place beyond the slides starts at the first", () => {
    const progress = new Progress(slides, { ...emptyKept(), at: 7, seen: [0, 5, -1] });
    expect(progress.at).toBe(0);
    expect(progress.kept.seen).toEqual([0]);
  });
});

describe("suspend data within an LMS's limit", () => {
  const big: Kept = {
    v: 1,
    at: 3,
    seen: [0, 1, 2, 3],
    components: Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`c${i}`, { state: { typed: "x".repeat(200) }, score: 1, max: 2, tries: 1 }]),
    ),
  };

  it("is whole when it fits", () => {
    expect(JSON.parse(packKept(big, 64000))).toEqual(big);
  });

  it("drops the answers, then the scores, never the place", () => {
    const lighter = JSON.parse(packKept(big, 4096)) as Kept;
    expect(lighter.at).toBe(3);
    expect(lighter.components.c0).toEqual({ score: 1, max: 2, tries: 1 });
    expect(packKept(big, 4096).length).toBeLessThanOrEqual(4096);
    const least = JSON.parse(packKept(big, 60)) as Kept;
    expect(least).toEqual({ v: 1, at: 3, seen: [0, 1, 2, 3], components: {} });
    expect(packKept(big, 10).length).toBeLessThanOrEqual(60);
  });
});

describe("totals", () => {
  it("counts an activity not tried at its full points", () => {
    const progress = new Progress(slides, null);
    progress.go(0);
    expect(progress.totals()).toMatchObject({ score: 0, max: 2, scaled: 0, gradedCount: 1, attempted: 0, seen: 1, slides: 2 });
    expect(progress.complete()).toBe(false);
    progress.graded("quiz-1", { score: 2, max_score: 2, items: [] });
    progress.go(1);
    expect(progress.totals()).toMatchObject({ score: 2, max: 2, scaled: 1, attempted: 1, seen: 2 });
    expect(progress.complete()).toBe(true);
    expect(progress.kept.components["quiz-1"]?.tries).toBe(1);
  });

  it("has no scaled score without scored activities", () => {
    const progress = new Progress([slides[1] as Placed], null);
    expect(progress.totals().scaled).toBeNull();
  });

  it("keeps a component's state only when it changed", () => {
    const progress = new Progress(slides, null);
    progress.keep("quiz-1", "answers", { q1: "a" });
    expect(progress.restore("quiz-1")).toEqual({ answers: { q1: "a" } });
    expect(progress.restore("nothing")).toBeUndefined();
  });
});
