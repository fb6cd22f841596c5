// The pure parts of the designed editors: the CLOZE text model, problems' places in words,
// the job tray's groups, undo's keys and words, relative times.
import { afterEach, describe, expect, it } from "vitest";
import { relativeTime } from "../../src/lib/design/time";
import { blankRange, clozeTokens, freeBlankId, unblank } from "../../src/lib/editors/cloze";
import { orderedKeys, placeInWords } from "../../src/lib/editors/layout";
import type { Blank, EditSummary } from "../../src/lib/generated/ipc";
import { setLocale, tryT } from "../../src/lib/i18n/index.svelte";
import { groupJobs } from "../../src/lib/jobGroups";
import { editText, undoKey } from "../../src/lib/undo.svelte";
import { job } from "../fixtures";

afterEach(() => setLocale("en"));

describe("the CLOZE text", () => {
  it("is cut into words, blanks and the rest", () => {
    const tokens = clozeTokens("Write your [[b1]] price, don't wait!");
    expect(tokens.map((t) => (t.kind === "text" ? `~${t.text}` : t.kind === "blank" ? `[${t.id}]` : t.text))).toEqual([
      "Write",
      "~ ",
      "your",
      "~ ",
      "[b1]",
      "~ ",
      "price",
      "~, ",
      "don't",
      "~ ",
      "wait",
      "~!",
    ]);
  });

  it("cuts Korean at spaces, keeping a word with its particle", () => {
    const words = clozeTokens("협상 전에 목표 가격을 적으세요.").filter((t) => t.kind === "word");
    expect(words.map((w) => (w.kind === "word" ? w.text : ""))).toEqual(["협상", "전에", "목표", "가격을", "적으세요"]);
  });

  it("blanks a word with the next free id, and puts it back", () => {
    const blanks: Blank[] = [{ id: "b1", answers: ["target"] } as Blank];
    const text = "Your [[b1]] price and your walk-away point.";
    const at = text.indexOf("walk-away");
    const next = blankRange(text, blanks, at, at + "walk-away".length);
    expect(next?.text).toBe("Your [[b1]] price and your [[b2]] point.");
    expect(next?.blanks.map((b) => [b.id, b.answers])).toEqual([
      ["b1", ["target"]],
      ["b2", ["walk-away"]],
    ]);
    const back = unblank(next?.text ?? "", next?.blanks ?? [], "b2");
    expect(back.text).toBe(text);
    expect(back.blanks.map((b) => b.id)).toEqual(["b1"]);
  });

  it("keeps a selection's outer spaces in the text, and refuses empty or marker-crossing ranges", () => {
    const text = "pay the  price now";
    const at = text.indexOf(" price");
    expect(blankRange(text, [], at - 1, at + 7)?.text).toBe("pay the  [[b1]] now");
    expect(blankRange(text, [], 3, 4)).toBeNull();
    expect(blankRange("a [[b1]] b", [], 0, 6)).toBeNull();
  });

  it("puts back words that look like replacement patterns as they are", () => {
    const back = unblank("cost [[b1]].", [{ id: "b1", answers: ["$&$1"] } as Blank], "b1");
    expect(back.text).toBe("cost $&$1.");
  });

  it("skips ids already taken", () => {
    expect(freeBlankId([{ id: "b2" } as Blank])).toBe("b3");
  });
});

describe("a problem's place", () => {
  it("is said with the items' and fields' names", () => {
    expect(placeInWords("/questions/1/options/0/text", tryT)).toBe("Question 2 › Option 1 › Text");
    expect(placeInWords("/alt_text", tryT)).toBe("Image description");
  });

  it("is said in Korean in the Korean UI", () => {
    setLocale("ko");
    expect(placeInWords("/questions/1/options/0", tryT)).toBe("문항 2 › 보기 1");
  });

  it("puts the hints' fields first", () => {
    expect(orderedKeys("QuizOption", ["feedback", "id", "text", "correct"])).toEqual([
      "correct",
      "text",
      "feedback",
      "id",
    ]);
    expect(orderedKeys("Unknown", ["b", "a"])).toEqual(["b", "a"]);
  });
});

describe("the job tray's groups", () => {
  const t0 = Date.parse("2026-12-01T10:00:00Z");
  const at = (ms: number) => new Date(t0 + ms).toISOString();

  it("keep an assembly's jobs together and count them", () => {
    const a = job({ state: "succeeded", created_at: at(0) });
    const b = job({ state: "retry_wait", created_at: at(100), run_at: at(8000) });
    const c = job({ state: "running", created_at: at(200) });
    const other = job({ state: "succeeded", created_at: at(60_000), course_id: "c1", course_title: "Negotiation" });
    const groups = groupJobs([a, b, c, other], [
      { id: "d1", scope: "lesson", name: "Preparing", jobs: [a.id, b.id, c.id], at: t0 },
    ]);
    expect(groups.map((g) => [g.dispatch?.name ?? g.courseTitle, g.jobs.length, g.done, g.running, g.finished])).toEqual([
      ["Negotiation", 1, 1, 0, true],
      ["Preparing", 3, 1, 1, false],
    ]);
    expect(groups[1]?.retrying?.id).toBe(b.id);
  });

  it("split jobs queued far apart, and by course", () => {
    const jobs = [
      job({ created_at: at(0), course_id: "c1" }),
      job({ created_at: at(1000), course_id: "c1" }),
      job({ created_at: at(1500), course_id: "c2" }),
      job({ created_at: at(30_000), course_id: "c1" }),
    ];
    expect(groupJobs(jobs, []).map((g) => g.jobs.length)).toEqual([1, 1, 2]);
  });
});

describe("undo", () => {
  const key = (init: KeyboardEventInit) => undoKey(new KeyboardEvent("keydown", init));

  it("answers Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z and Ctrl+Y", () => {
    expect(key({ key: "z", ctrlKey: true })).toBe("undo");
    expect(key({ key: "z", metaKey: true })).toBe("undo");
    expect(key({ key: "Z", ctrlKey: true, shiftKey: true })).toBe("redo");
    expect(key({ key: "y", ctrlKey: true })).toBe("redo");
    expect(key({ key: "z" })).toBeNull();
    expect(key({ key: "z", ctrlKey: true, altKey: true })).toBeNull();
  });

  it("names the edit in the UI's language", () => {
    const edit: EditSummary = {
      target: { entity_type: "component", component_type: "QUIZ" },
      change: "marked_ready",
      id: "x",
      slide_id: null,
    };
    expect(editText(edit)).toBe("marking the Quiz ready");
    setLocale("ko");
    expect(editText({ ...edit, target: { entity_type: "slide" }, change: "moved" })).toBe("슬라이드 이동");
  });
});

describe("relative times", () => {
  it("say how long ago in words", () => {
    const now = Date.parse("2026-12-07T12:00:00Z");
    expect(relativeTime("2026-12-07T11:55:00Z", "en", now)).toBe("5 minutes ago");
    expect(relativeTime("2026-12-06T12:00:00Z", "en", now)).toBe("yesterday");
    expect(relativeTime("2026-12-07T11:59:50Z", "en", now)).toBe("now");
    expect(relativeTime("2026-12-07T09:00:00Z", "ko", now)).toBe("3시간 전");
  });
});
