// xAPI statements to a learning record store (LRS): answered (each checked activity),
// completed, and passed or failed, with the component type and the score. The LRS is the
// one the launch address names (the xAPI launch convention: `endpoint`, `auth`, `actor`,
// `registration`), else the one set at export. Statements not yet accepted are kept in the
// browser and sent again later, so none is lost when the network is.
import type { ComponentType, Grade } from "@ui/generated/ipc";

export interface XapiConfig {
  endpoint: string;
  auth: string;
  actor: Record<string, unknown>;
  registration: string | null;
}

/** Statements in one request (a few kilobytes each at most). */
const BATCH = 50;
/** Most statements kept while the LRS cannot be reached. */
const KEPT = 5000;

const VERBS = {
  answered: "http://adlnet.gov/expapi/verbs/answered",
  completed: "http://adlnet.gov/expapi/verbs/completed",
  passed: "http://adlnet.gov/expapi/verbs/passed",
  failed: "http://adlnet.gov/expapi/verbs/failed",
} as const;

/** The extension that carries a component's type (one of the eleven). */
export const COMPONENT_TYPE_EXTENSION = "https://w3id.org/classkit/xapi/component-type";

function uuid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The LRS to use: the launch's, else the export's; none without an http(s) endpoint. */
export function xapiConfig(
  search: string,
  exported: { endpoint: string; auth: string } | null,
  storage: Storage | null,
): XapiConfig | null {
  const q = new URLSearchParams(search);
  const endpoint = q.get("endpoint") ?? exported?.endpoint ?? "";
  if (!/^https?:\/\//i.test(endpoint)) return null;
  let actor: Record<string, unknown> | null = null;
  try {
    const given = JSON.parse(q.get("actor") ?? "null") as unknown;
    if (given && typeof given === "object" && !Array.isArray(given)) actor = given as Record<string, unknown>;
  } catch {
    actor = null;
  }
  if (!actor) {
    // An anonymous learner of this browser, the same on every visit.
    const key = "classkit-xapi-learner";
    let name = storage?.getItem(key) ?? null;
    if (!name) {
      name = uuid();
      storage?.setItem(key, name);
    }
    actor = { objectType: "Agent", account: { homePage: location.origin.startsWith("http") ? location.origin : "urn:classkit:browser", name } };
  }
  // The exported credential goes only to the exported store: a link that names another store
  // brings its own (or none).
  const launched = q.get("endpoint") !== null;
  return {
    endpoint: endpoint.endsWith("/") ? endpoint : `${endpoint}/`,
    auth: launched ? (q.get("auth") ?? "") : (exported?.auth ?? ""),
    actor,
    registration: q.get("registration"),
  };
}

export class XapiClient {
  readonly #config: XapiConfig;
  readonly #courseId: string;
  readonly #courseTitle: string;
  readonly #lesson: { id: string; title: string } | null;
  readonly #language: string;
  readonly #storage: Storage | null;
  readonly #queueKey: string;
  #sending: Promise<boolean> | null = null;
  #again = false;

  /** `lesson`: the one lesson played (a SCO per lesson), whose end is reported rather than the
   * course's. */
  constructor(
    config: XapiConfig,
    course: { id: string; title: string; language: string | null },
    storage: Storage | null,
    lesson: { id: string; title: string } | null = null,
  ) {
    this.#config = config;
    this.#courseId = `urn:classkit:course:${course.id}`;
    this.#lesson = lesson ? { id: `${this.#courseId}:lesson:${lesson.id}`, title: lesson.title } : null;
    this.#courseTitle = course.title;
    this.#language = course.language || "en";
    this.#storage = storage;
    this.#queueKey = `classkit-xapi-queue:${course.id}`;
  }

  #queue(): unknown[] {
    try {
      const q = JSON.parse(this.#storage?.getItem(this.#queueKey) ?? "[]") as unknown;
      return Array.isArray(q) ? q : [];
    } catch {
      return [];
    }
  }

  #store(q: unknown[]): void {
    try {
      this.#storage?.setItem(this.#queueKey, JSON.stringify(q.slice(-KEPT)));
    } catch {
      // Storage full: what the page holds is still sent while it is open.
    }
  }

  #statement(verb: keyof typeof VERBS, object: Record<string, unknown>, result?: Record<string, unknown>) {
    return {
      id: uuid(),
      actor: this.#config.actor,
      verb: { id: VERBS[verb], display: { "en-US": verb } },
      object,
      ...(result ? { result } : {}),
      context: {
        ...(this.#config.registration ? { registration: this.#config.registration } : {}),
        contextActivities: {
          parent: [{ id: this.#courseId, objectType: "Activity" }],
        },
        language: this.#language,
      },
      timestamp: new Date().toISOString(),
    };
  }

  /** A checked activity. */
  answered(componentId: string, type: ComponentType, name: string, grade: Grade): void {
    const scaled = grade.max_score > 0 ? grade.score / grade.max_score : null;
    this.#add(
      this.#statement(
        "answered",
        {
          id: `${this.#courseId}:component:${componentId}`,
          objectType: "Activity",
          definition: {
            type: "http://adlnet.gov/expapi/activities/cmi.interaction",
            name: { [this.#language]: name || type },
            extensions: { [COMPONENT_TYPE_EXTENSION]: type },
          },
        },
        {
          score: {
            raw: grade.score,
            min: Math.min(0, grade.score),
            max: grade.max_score,
            ...(scaled !== null ? { scaled: Math.max(-1, Math.min(1, scaled)) } : {}),
          },
          success: grade.score >= grade.max_score,
          completion: true,
        },
      ),
    );
  }

  /** The course (or lesson) completed, and passed or failed when it has a score. */
  finished(score: { raw: number; max: number; scaled: number | null }, passed: boolean | null): void {
    const object = this.#lesson
      ? { id: this.#lesson.id, objectType: "Activity", definition: { name: { [this.#language]: this.#lesson.title || this.#courseTitle } } }
      : { id: this.#courseId, objectType: "Activity", definition: { name: { [this.#language]: this.#courseTitle } } };
    const result = {
      completion: true,
      ...(score.scaled !== null ? { score: { raw: score.raw, min: 0, max: score.max, scaled: score.scaled } } : {}),
    };
    this.#add(this.#statement("completed", object, result));
    if (passed !== null) this.#add(this.#statement(passed ? "passed" : "failed", object, { ...result, success: passed }));
  }

  #add(statement: unknown): void {
    this.#store([...this.#queue(), statement]);
    void this.flush();
  }

  /**
   * Sends what is waiting, in batches small enough for any browser; what the LRS has not
   * accepted stays for the next try. `leaving`: the page is closing (the request may outlive
   * it, which browsers allow for small bodies only).
   */
  async flush(leaving = false): Promise<void> {
    if (this.#sending) {
      // Sent once the batch on its way is answered.
      this.#again = true;
      await this.#sending;
      return;
    }
    const waiting = this.#queue();
    if (waiting.length === 0) return;
    this.#again = false;
    const batch = waiting.slice(0, leaving ? 20 : BATCH);
    this.#sending = this.#send(batch, leaving);
    let sent = false;
    try {
      sent = await this.#sending;
    } finally {
      this.#sending = null;
    }
    if (sent && (this.#again || waiting.length > batch.length)) await this.flush(leaving);
  }

  #drop(ids: Set<string>): void {
    this.#store(this.#queue().filter((s) => !ids.has((s as { id: string }).id)));
  }

  /** Whether the batch was taken (or settled for good); false to try later. */
  async #send(batch: unknown[], leaving: boolean): Promise<boolean> {
    try {
      const reply = await fetch(`${this.#config.endpoint}statements`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Experience-API-Version": "1.0.3",
          ...(this.#config.auth ? { Authorization: this.#config.auth } : {}),
        },
        body: JSON.stringify(batch),
        keepalive: leaving,
      });
      const ids = new Set(batch.map((s) => (s as { id: string }).id));
      if (reply.ok || reply.status === 409) {
        // Taken, or already there (a batch sent twice): done.
        this.#drop(ids);
        return true;
      }
      if (reply.status === 400) {
        // One statement the LRS cannot take refuses the batch: each alone, so the others go.
        if (batch.length === 1) {
          this.#drop(ids);
          return true;
        }
        for (const one of batch) await this.#send([one], leaving);
        return true;
      }
      return false;
    } catch {
      // Offline: kept for the next try.
      this.#again = false;
      return false;
    }
  }
}
