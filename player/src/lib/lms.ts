// Reporting to a learning management system through the SCORM runtime it puts in the page's
// parent (or opener) window: SCORM 1.2's `API` or SCORM 2004's `API_1484_11`. What each value
// carries is listed in the README ("What reaches the LMS").
import type { ComponentType, Grade, ItemFeedback } from "@ui/generated/ipc";
import type { Delivery } from "./course";

interface Api12 {
  LMSInitialize(p: ""): string;
  LMSFinish(p: ""): string;
  LMSGetValue(element: string): string;
  LMSSetValue(element: string, value: string): string;
  LMSCommit(p: ""): string;
  LMSGetLastError(): string;
  LMSGetErrorString(code: string): string;
}

interface Api2004 {
  Initialize(p: ""): string;
  Terminate(p: ""): string;
  GetValue(element: string): string;
  SetValue(element: string, value: string): string;
  Commit(p: ""): string;
  GetLastError(): string;
  GetErrorString(code: string): string;
}

type Found = { kind: "scorm12"; api: Api12 } | { kind: "scorm2004"; api: Api2004 };

/** The SCORM API of `kind` in this window's parents or its opener's (the standard search). */
export function findApi(kind: Delivery, start: Window = window): Found | null {
  const name = kind === "scorm2004" ? "API_1484_11" : "API";
  const look = (w: Window | null): Found | null => {
    for (let depth = 0; w && depth < 10; depth++) {
      try {
        const api = (w as unknown as Record<string, unknown>)[name];
        if (api && typeof api === "object") {
          return kind === "scorm2004"
            ? { kind: "scorm2004", api: api as Api2004 }
            : { kind: "scorm12", api: api as Api12 };
        }
      } catch {
        // A window of another origin: not ours to search.
      }
      if (w.parent === w) break;
      w = w.parent;
    }
    return null;
  };
  if (kind === "web") return null;
  return look(start) ?? look(start.opener as Window | null);
}

/** What the player tells the LMS at each report. */
export interface Report {
  score: number;
  max: number;
  scaled: number | null;
  complete: boolean;
  /** Passed (true), failed (false), or not known yet (null: activities left to try). */
  passed: boolean | null;
  /** Share of the slides and activities done, 0 to 1. */
  progress: number;
  location: number;
  suspend: string;
  /** Every scored activity has been checked at least once. */
  allTried: boolean;
}

/** One answered item of a checked activity. */
export interface Interaction {
  id: string;
  type: "true-false" | "choice" | "fill-in" | "long-fill-in" | "matching" | "sequencing" | "likert" | "numeric" | "performance" | "other";
  response: string;
  result: "correct" | "incorrect" | "neutral" | number;
  weighting: number;
  description: string;
}

/** SCORM 1.2's `CMITimespan`: `HHHH:MM:SS.SS`. */
export function timespan12(ms: number): string {
  // Whole hundredths first, so that 59.999 s is 01:00.00, never 00:60.00.
  const cs = Math.round(Math.max(0, ms) / 10);
  const h = Math.floor(cs / 360_000);
  const m = Math.floor((cs % 360_000) / 6000);
  const s = (cs % 6000) / 100;
  return `${String(Math.min(h, 9999)).padStart(4, "0")}:${String(m).padStart(2, "0")}:${s.toFixed(2).padStart(5, "0")}`;
}

/** SCORM 2004's `timeinterval`: ISO 8601, `PT1H2M3.45S`. */
export function duration2004(ms: number): string {
  const cs = Math.round(Math.max(0, ms) / 10);
  const h = Math.floor(cs / 360_000);
  const m = Math.floor((cs % 360_000) / 6000);
  const s = (cs % 6000) / 100;
  return `PT${h}H${m}M${s}S`;
}

/** Text as an LMS stores it: one line, no leading `{` (read as a language tag), at most `max`. */
function plain(text: string, max: number): string {
  const one = text.replace(/\s+/g, " ").trim().replace(/^\{+/, "");
  return [...one].slice(0, max).join("");
}

/** An identifier every LMS accepts (SCORM 1.2's strict `[A-Za-z0-9_-]`). */
function ident(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 250) || "x";
}

/** The interactions of a checked activity: one per answered item. */
export function interactions(
  componentId: string,
  type: ComponentType,
  payload: unknown,
  response: unknown,
  grade: Grade,
): Interaction[] {
  const r = (response ?? {}) as Record<string, Record<string, unknown> | unknown[] | undefined>;
  const p = (payload ?? {}) as Record<string, unknown>;
  const at = (pointer: string): unknown =>
    pointer
      .split("/")
      .slice(1)
      .reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), p);
  const out: Interaction[] = [];
  for (const item of grade.items) {
    if (item.outcome === "unanswered") continue;
    const node = (at(item.pointer) ?? {}) as Record<string, unknown>;
    const id = String(node.id ?? "");
    const described = plain(String(node.text ?? node.prompt ?? node.left ?? node.label ?? id), 250);
    let kind: Interaction["type"] = "other";
    let given = "";
    switch (type) {
      case "QUIZ": {
        const a = (r.answers as Record<string, unknown> | undefined)?.[id];
        if (typeof a === "boolean") [kind, given] = ["true-false", String(a)];
        else if (Array.isArray(a)) [kind, given] = ["choice", a.map((x) => ident(String(x))).join("[,]")];
        else if (node.kind === "short_answer") [kind, given] = ["long-fill-in", plain(String(a ?? ""), 4000)];
        else [kind, given] = ["choice", ident(String(a ?? ""))];
        break;
      }
      case "CLOZE":
        [kind, given] = ["long-fill-in", plain(String((r.answers as Record<string, unknown> | undefined)?.[id] ?? ""), 4000)];
        break;
      case "DICTATION":
        [kind, given] = ["long-fill-in", plain(String((r.answers as Record<string, unknown> | undefined)?.[id] ?? ""), 4000)];
        break;
      case "FLASHCARDS":
        [kind, given] = ["likert", ident(String((r.ratings as Record<string, unknown> | undefined)?.[id] ?? ""))];
        break;
      case "ROLEPLAY":
        [kind, given] = ["numeric", String(Number((r.levels as Record<string, unknown> | undefined)?.[id] ?? 0))];
        break;
      case "MATCHING": {
        if (item.pointer.startsWith("/steps/")) {
          const order = Array.isArray(r.order) ? r.order : [];
          [kind, given] = ["sequencing", order.slice(0, 36).map((s) => ident(String(s))).join("[,]")];
        } else {
          const map = (item.pointer.startsWith("/pairs/") ? r.matches : r.placements) as Record<string, unknown> | undefined;
          [kind, given] = ["matching", `${ident(id)}[.]${ident(String(map?.[id] ?? ""))}`];
        }
        break;
      }
      case "BRANCHING":
        [kind, given] = ["choice", ident(id || "end")];
        break;
      default:
        [kind, given] = ["other", plain(item.outcome, 4000)];
    }
    out.push({
      id: ident(`${componentId}_${item.pointer}`),
      type: kind,
      response: given,
      result: resultOf(item),
      weighting: item.max_score,
      description: described,
    });
  }
  return out;
}

function resultOf(item: ItemFeedback): Interaction["result"] {
  if (item.outcome === "correct") return "correct";
  if (item.outcome === "incorrect") return "incorrect";
  return item.max_score > 0 ? Math.round((item.score / item.max_score) * 1000) / 1000 : "neutral";
}

/** Largest suspend data each version lets a SCO keep. */
export const SUSPEND_LIMIT = { scorm12: 4096, scorm2004: 64000 } as const;

/** A SCORM session: initialised once, reported to, terminated once. */
export class LmsSession {
  readonly kind: "scorm12" | "scorm2004";
  readonly #found: Found;
  readonly #started = Date.now();
  #open = false;
  #interactions = 0;
  /** The LMS's last refusal, for the learner to see. */
  lastError: string | null = null;

  /** Whether the session started and has not ended. */
  get open(): boolean {
    return this.#open;
  }

  constructor(found: Found) {
    this.#found = found;
    this.kind = found.kind;
  }

  #ok(result: string, what: string): boolean {
    if (result === "true") return true;
    const f = this.#found;
    const code = f.kind === "scorm12" ? f.api.LMSGetLastError() : f.api.GetLastError();
    const text = f.kind === "scorm12" ? f.api.LMSGetErrorString(code) : f.api.GetErrorString(code);
    this.lastError = `${what}: ${code} ${text}`;
    return false;
  }

  #get(element: string): string {
    const f = this.#found;
    return String(f.kind === "scorm12" ? f.api.LMSGetValue(element) : f.api.GetValue(element));
  }

  #set(element: string, value: string | number): boolean {
    const f = this.#found;
    const v = String(value);
    return this.#ok(f.kind === "scorm12" ? f.api.LMSSetValue(element, v) : f.api.SetValue(element, v), element);
  }

  /** Starts the session; the kept progress the LMS holds and its mastery score, if any. */
  start(): { suspend: string | null; mastery: number | null } {
    const f = this.#found;
    this.#open = this.#ok(f.kind === "scorm12" ? f.api.LMSInitialize("") : f.api.Initialize(""), "initialize");
    if (!this.#open) return { suspend: null, mastery: null };
    const suspend = this.#get("cmi.suspend_data") || null;
    let mastery: number | null = null;
    if (f.kind === "scorm12") {
      const m = Number.parseFloat(this.#get("cmi.student_data.mastery_score"));
      mastery = Number.isFinite(m) ? m / 100 : null;
      if (this.#get("cmi.core.lesson_status") === "not attempted") this.#set("cmi.core.lesson_status", "incomplete");
    } else {
      const m = Number.parseFloat(this.#get("cmi.scaled_passing_score"));
      mastery = Number.isFinite(m) ? m : null;
      if (this.#get("cmi.completion_status") === "not attempted") this.#set("cmi.completion_status", "incomplete");
    }
    const count = Number.parseInt(this.#get("cmi.interactions._count"), 10);
    this.#interactions = Number.isFinite(count) ? count : 0;
    this.lastError = null;
    return { suspend, mastery };
  }

  /**
   * Sends the status and kept progress, and the score once every scored activity has been
   * tried (an LMS that judges success from the score must not see a half-done course's as
   * final), then commits. False when the LMS refused any of it, or the session is not open.
   */
  report(r: Report): boolean {
    if (!this.#open) return false;
    this.lastError = null;
    const f = this.#found;
    if (f.kind === "scorm12") {
      if (r.scaled !== null && r.allTried) {
        this.#set("cmi.core.score.raw", Math.round(Math.max(0, r.scaled) * 10000) / 100);
        this.#set("cmi.core.score.min", 0);
        this.#set("cmi.core.score.max", 100);
      }
      const status = !r.complete ? "incomplete" : r.passed === null ? "completed" : r.passed ? "passed" : "failed";
      this.#set("cmi.core.lesson_status", status);
      this.#set("cmi.core.lesson_location", String(r.location));
      this.#set("cmi.suspend_data", r.suspend);
      this.#ok(f.api.LMSCommit(""), "commit");
    } else {
      if (r.scaled !== null && r.allTried) {
        this.#set("cmi.score.raw", r.score);
        this.#set("cmi.score.min", 0);
        this.#set("cmi.score.max", r.max);
        this.#set("cmi.score.scaled", Math.round(r.scaled * 10000) / 10000);
      }
      this.#set("cmi.completion_status", r.complete ? "completed" : "incomplete");
      this.#set("cmi.success_status", r.passed === null ? "unknown" : r.passed ? "passed" : "failed");
      this.#set("cmi.progress_measure", Math.round(Math.min(1, Math.max(0, r.progress)) * 1000) / 1000);
      this.#set("cmi.location", String(r.location));
      this.#set("cmi.suspend_data", r.suspend);
      this.#ok(f.api.Commit(""), "commit");
    }
    return this.lastError === null;
  }

  /** Records the answered items of a checked activity (a refused item is not the progress:
   * it does not mark the session as lost). */
  record(list: Interaction[]): void {
    if (!this.#open) return;
    const before = this.lastError;
    const now = new Date();
    for (const i of list) {
      const n = this.#interactions++;
      const base = `cmi.interactions.${n}`;
      this.#set(`${base}.id`, i.id);
      if (this.#found.kind === "scorm12") {
        const type = i.type === "long-fill-in" ? "fill-in" : i.type === "other" ? "performance" : i.type;
        const response =
          i.type === "true-false" ? (i.response === "true" ? "t" : "f") : i.response.replaceAll("[,]", ",").replaceAll("[.]", ".");
        this.#set(`${base}.type`, type);
        this.#set(`${base}.student_response`, [...response].slice(0, 255).join(""));
        this.#set(`${base}.result`, i.result === "incorrect" ? "wrong" : i.result);
        this.#set(`${base}.weighting`, i.weighting);
        this.#set(`${base}.time`, now.toTimeString().slice(0, 8));
      } else {
        this.#set(`${base}.type`, i.type);
        this.#set(`${base}.learner_response`, i.response);
        this.#set(`${base}.result`, i.result);
        this.#set(`${base}.weighting`, i.weighting);
        // `time(second,10,0)`: hundredths, then the zone.
        this.#set(`${base}.timestamp`, `${now.toISOString().slice(0, 22)}Z`);
        if (i.description) this.#set(`${base}.description`, i.description);
      }
    }
    this.lastError = before;
  }

  /** Ends the session: session time, how the learner left, terminate. */
  finish(complete: boolean): void {
    if (!this.#open) return;
    this.#open = false;
    const f = this.#found;
    const elapsed = Date.now() - this.#started;
    if (f.kind === "scorm12") {
      this.#set("cmi.core.session_time", timespan12(elapsed));
      this.#set("cmi.core.exit", complete ? "" : "suspend");
      this.#ok(f.api.LMSCommit(""), "commit");
      this.#ok(f.api.LMSFinish(""), "finish");
    } else {
      this.#set("cmi.session_time", duration2004(elapsed));
      this.#set("cmi.exit", complete ? "normal" : "suspend");
      this.#ok(f.api.Commit(""), "commit");
      this.#ok(f.api.Terminate(""), "terminate");
    }
  }
}
